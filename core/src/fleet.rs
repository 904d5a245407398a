//! What an agent and a fleet manager share (seed 003): the node's identity,
//! the manager's UDP query, and the address blocks either side trusts.
//! The agent (`edgestat run --agent`) reads queries and sends its id; the
//! manager (`edgestat-fleet`) writes queries and checks ids, with these
//! same types.

use core::fmt;
use core::net::{IpAddr, Ipv4Addr, SocketAddrV4};

use serde::{Deserialize, Serialize};

/// The protocol version both ends speak.
pub const API_VERSION: u32 = 1;

/// Where managers send queries by default: seed 003's multicast group.
pub const QUERY_GROUP: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(239, 192, 168, 80), 3980);

/// Largest datagram read as a query; real ones are about 100 bytes.
pub const MAX_QUERY: usize = 512;

/// A node's identity: 32 hexadecimal digits (systemd's machine id, or a
/// configured one), kept in lower case.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClientId([u8; 32]);

impl ClientId {
    /// `text` as an id, if it is 32 hex digits of either case.
    pub fn parse(text: &str) -> Option<Self> {
        let bytes: [u8; 32] = text.as_bytes().try_into().ok()?;
        bytes.iter().all(u8::is_ascii_hexdigit).then(|| Self(bytes.map(|b| b.to_ascii_lowercase())))
    }

    /// The 32 lower-case digits.
    pub fn as_str(&self) -> &str {
        // Only ASCII hex digits are ever stored.
        core::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl fmt::Debug for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ClientId({})", self.as_str())
    }
}

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which report a query asks for: one query, one report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    /// `/heartbeat`: who the node is.
    Heartbeat,
    /// `/resource`: what it measures now.
    Resource,
}

impl Report {
    /// The path the report is POSTed to.
    pub const fn path(self) -> &'static str {
        match self {
            Self::Heartbeat => "/heartbeat",
            Self::Resource => "/resource",
        }
    }
}

/// A manager's query: send `report` to `manager`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Query {
    /// Where the report goes.
    pub manager: SocketAddrV4,
    /// The report asked for.
    pub report: Report,
}

/// Why a datagram is not a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryError {
    /// Over [`MAX_QUERY`] bytes.
    TooLarge,
    /// Not the query's JSON object (or a field of the wrong type).
    NotAQuery,
    /// Bytes other than white space after the object.
    Trailing,
    /// Another protocol version.
    Version,
    /// `manager_ip` is not a dotted IPv4 address.
    BadIp,
    /// `manager_ip` is unspecified, broadcast or multicast.
    NotAHost,
    /// `manager_port` is 0.
    PortZero,
    /// `url` names no report.
    BadUrl,
    /// The buffer given to [`Query::write`] is too small.
    BufferTooSmall,
}

impl QueryError {
    /// What was wrong, for a log line.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::TooLarge => "query larger than 512 bytes",
            Self::NotAQuery => "not a query object",
            Self::Trailing => "bytes after the query object",
            Self::Version => "api_version is not 1",
            Self::BadIp => "manager_ip is not a dotted IPv4 address",
            Self::NotAHost => "manager_ip is not a host address",
            Self::PortZero => "manager_port is 0",
            Self::BadUrl => "url is neither /heartbeat nor /resource",
            Self::BufferTooSmall => "query buffer too small",
        }
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl core::error::Error for QueryError {}

/// `{"api_version":1,"data":{"manager_ip":…,"manager_port":…,"url":…}}`.
#[derive(Serialize, Deserialize)]
struct Wire<'a> {
    api_version: u32,
    #[serde(borrow)]
    data: WireData<'a>,
}

#[derive(Serialize, Deserialize)]
struct WireData<'a> {
    manager_ip: &'a str,
    manager_port: u16,
    url: &'a str,
}

impl Query {
    /// Reads one datagram.
    pub fn parse(datagram: &[u8]) -> Result<Self, QueryError> {
        if datagram.len() > MAX_QUERY {
            return Err(QueryError::TooLarge);
        }
        let (wire, used) =
            serde_json_core::from_slice::<Wire<'_>>(datagram).map_err(|_| QueryError::NotAQuery)?;
        if datagram.get(used..).is_some_and(|rest| !rest.iter().all(u8::is_ascii_whitespace)) {
            return Err(QueryError::Trailing);
        }
        if wire.api_version != API_VERSION {
            return Err(QueryError::Version);
        }
        let ip: Ipv4Addr = wire.data.manager_ip.parse().map_err(|_| QueryError::BadIp)?;
        if ip.is_unspecified() || ip.is_broadcast() || ip.is_multicast() {
            return Err(QueryError::NotAHost);
        }
        if wire.data.manager_port == 0 {
            return Err(QueryError::PortZero);
        }
        let report = match wire.data.url {
            "/heartbeat" => Report::Heartbeat,
            "/resource" => Report::Resource,
            _ => return Err(QueryError::BadUrl),
        };
        Ok(Self { manager: SocketAddrV4::new(ip, wire.data.manager_port), report })
    }

    /// Writes the datagram into `buf`; returns its length.
    pub fn write(&self, buf: &mut [u8]) -> Result<usize, QueryError> {
        let mut ip = heapless::String::<15>::new();
        fmt::write(&mut ip, format_args!("{}", self.manager.ip()))
            .map_err(|_| QueryError::BufferTooSmall)?;
        let wire = Wire {
            api_version: API_VERSION,
            data: WireData {
                manager_ip: &ip,
                manager_port: self.manager.port(),
                url: self.report.path(),
            },
        };
        serde_json_core::to_slice(&wire, buf).map_err(|_| QueryError::BufferTooSmall)
    }
}

/// An address block, `192.168.10.0/24` or `fd00::/8`; a bare address is
/// one host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    addr: IpAddr,
    prefix: u8,
}

impl Network {
    /// Reads `ADDR/PREFIX` or `ADDR`.
    pub fn parse(text: &str) -> Option<Self> {
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a.parse::<IpAddr>().ok()?, Some(p.parse::<u8>().ok()?)),
            None => (text.parse::<IpAddr>().ok()?, None),
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(Self { addr, prefix })
    }

    /// Whether it is an IPv4 block.
    pub const fn is_ipv4(&self) -> bool {
        self.addr.is_ipv4()
    }

    /// Whether `ip` is inside; an IPv4 address mapped into IPv6 (as a
    /// dual-stack socket reports it) counts as IPv4.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 @ IpAddr::V4(_) => v4,
        };
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &[u8] = br#"{"api_version":1,"data":{"manager_ip":"192.168.10.254","manager_port":3926,"url":"/heartbeat"}}"#;

    #[test]
    fn the_seed_query_reads_and_writes_back_byte_for_byte() {
        let q = Query::parse(SEED).unwrap();
        assert_eq!(q.manager, SocketAddrV4::new(Ipv4Addr::new(192, 168, 10, 254), 3926));
        assert_eq!(q.report, Report::Heartbeat);
        let mut buf = [0u8; MAX_QUERY];
        let n = q.write(&mut buf).unwrap();
        assert_eq!(&buf[..n], SEED);
        assert_eq!(q.write(&mut buf[..20]), Err(QueryError::BufferTooSmall));
        let resource = br#" { "data": {"url": "/resource", "manager_port": 80, "manager_ip": "10.0.0.1"}, "api_version": 1 } "#;
        assert_eq!(Query::parse(resource).map(|q| q.report), Ok(Report::Resource));
    }

    #[test]
    fn queries_are_refused_with_a_reason() {
        use QueryError::*;
        for (bad, why) in [
            (&br#"{"api_version":2,"data":{"manager_ip":"10.0.0.1","manager_port":1,"url":"/resource"}}"#[..], Version),
            (br#"{"api_version":1,"data":{"manager_ip":"10.0.0.1","manager_port":1,"url":"/deploy"}}"#, BadUrl),
            (br#"{"api_version":1,"data":{"manager_ip":"example.com","manager_port":1,"url":"/resource"}}"#, BadIp),
            (br#"{"api_version":1,"data":{"manager_ip":"255.255.255.255","manager_port":1,"url":"/resource"}}"#, NotAHost),
            (br#"{"api_version":1,"data":{"manager_ip":"239.192.168.80","manager_port":1,"url":"/resource"}}"#, NotAHost),
            (br#"{"api_version":1,"data":{"manager_ip":"10.0.0.1","manager_port":70000,"url":"/resource"}}"#, NotAQuery),
            (br#"{"api_version":1,"data":{"manager_ip":"10.0.0.1","manager_port":0,"url":"/resource"}}"#, PortZero),
            (br#"{"api_version":1}"#, NotAQuery),
            (b"\xff\xfe garbage", NotAQuery),
            (br#"{"api_version":1,"data":{"manager_ip":"10.0.0.1","manager_port":1,"url":"/resource"}}x"#, NotAQuery),
        ] {
            assert_eq!(Query::parse(bad), Err(why), "{bad:?}");
        }
        assert_eq!(Query::parse(&[b' '; 600]), Err(TooLarge));
        // Every cut of the seed's query is refused, never a panic.
        for cut in 0..SEED.len() {
            assert!(Query::parse(&SEED[..cut]).is_err(), "{cut}");
        }
    }

    #[test]
    fn client_ids_are_32_hex_digits_in_lower_case() {
        // The AGX Orin fixture's /etc/machine-id, as systemd writes it and
        // in upper case.
        let id = ClientId::parse("4b0e5a1d8c6f4e2a9d7b3c1f0e8a6d42").unwrap();
        assert_eq!(ClientId::parse("4B0E5A1D8C6F4E2A9D7B3C1F0E8A6D42"), Some(id));
        assert_eq!(id.as_str(), "4b0e5a1d8c6f4e2a9d7b3c1f0e8a6d42");
        for bad in [
            "",
            "4b0e5a1d",
            "4b0e5a1d8c6f4e2a9d7b3c1f0e8a6d4",
            "4b0e5a1d8c6f4e2a9d7b3c1f0e8a6d42 ",
            "zz0e5a1d8c6f4e2a9d7b3c1f0e8a6d42",
            "4b0e5a1d-8c6f-4e2a-9d7b-3c1f0e8a6d",
        ] {
            assert_eq!(ClientId::parse(bad), None, "{bad:?}");
        }
        // 32 bytes that are not 32 characters.
        assert_eq!(ClientId::parse("é4b0e5a1d8c6f4e2a9d7b3c1f0e8a6d"), None);
    }

    #[test]
    fn networks_match_by_prefix() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let lan = Network::parse("192.168.55.0/24").unwrap();
        assert!(lan.contains(ip("192.168.55.1")));
        assert!(lan.contains(ip("::ffff:192.168.55.200")), "v4-mapped");
        assert!(!lan.contains(ip("192.168.56.1")));
        assert!(!lan.contains(ip("fd00::1")));
        assert!(Network::parse("0.0.0.0/0").unwrap().contains(ip("10.1.2.3")));
        let one = Network::parse("10.0.0.7").unwrap();
        assert!(one.contains(ip("10.0.0.7")) && !one.contains(ip("10.0.0.8")));
        let ula = Network::parse("fd00::/8").unwrap();
        assert!(ula.contains(ip("fd12::5")) && !ula.contains(ip("fe80::1")));
        assert!(lan.is_ipv4() && !ula.is_ipv4());
        for bad in ["10.0.0.0/33", "fd00::/129", "10.0.0/8", "10.0.0.0/x", "", "/8"] {
            assert_eq!(Network::parse(bad), None, "{bad}");
        }
        let mut shown = heapless::String::<48>::new();
        fmt::write(&mut shown, format_args!("{lan}")).unwrap();
        assert_eq!(shown, "192.168.55.0/24");
    }
}
