//! The manager's UDP query (seed 003):
//! `{"api_version":1,"data":{"manager_ip":"192.168.10.254","manager_port":3926,"url":"/heartbeat"}}`.

use std::net::{Ipv4Addr, SocketAddrV4};

use serde::Deserialize;

/// Largest datagram read as a query; real queries are about 100 bytes.
pub const MAX_QUERY: usize = 512;

/// Which report the manager asks for: one query, one report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    /// `/heartbeat`.
    Heartbeat,
    /// `/resource`.
    Resource,
}

impl Report {
    /// The path the report is POSTed to.
    pub fn path(self) -> &'static str {
        match self {
            Report::Heartbeat => "/heartbeat",
            Report::Resource => "/resource",
        }
    }
}

/// A valid query: where to send which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Query {
    /// The manager's address.
    pub manager: SocketAddrV4,
    /// The report asked for.
    pub report: Report,
}

#[derive(Deserialize)]
struct Raw<'a> {
    api_version: u32,
    #[serde(borrow)]
    data: RawData<'a>,
}

#[derive(Deserialize)]
struct RawData<'a> {
    manager_ip: &'a str,
    manager_port: u16,
    url: &'a str,
}

/// Parses one datagram; the error says what was wrong, for the log.
pub fn parse(datagram: &[u8]) -> Result<Query, &'static str> {
    if datagram.len() > MAX_QUERY {
        return Err("query larger than 512 bytes");
    }
    let (raw, used) =
        serde_json_core::from_slice::<Raw<'_>>(datagram).map_err(|_| "not a query object")?;
    if datagram.get(used..).is_some_and(|rest| !rest.iter().all(u8::is_ascii_whitespace)) {
        return Err("bytes after the query object");
    }
    if raw.api_version != 1 {
        return Err("api_version is not 1");
    }
    let ip: Ipv4Addr =
        raw.data.manager_ip.parse().map_err(|_| "manager_ip is not a dotted IPv4 address")?;
    if ip.is_unspecified() || ip.is_broadcast() || ip.is_multicast() {
        return Err("manager_ip is not a host address");
    }
    if raw.data.manager_port == 0 {
        return Err("manager_port is 0");
    }
    let report = match raw.data.url {
        "/heartbeat" => Report::Heartbeat,
        "/resource" => Report::Resource,
        _ => return Err("url is neither /heartbeat nor /resource"),
    };
    Ok(Query { manager: SocketAddrV4::new(ip, raw.data.manager_port), report })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_query_and_its_refusals() {
        let q = br#"{"api_version":1,"data":{"manager_ip":"192.168.10.254","manager_port":3926,"url":"/heartbeat"}}"#;
        assert_eq!(
            parse(q),
            Ok(Query {
                manager: "192.168.10.254:3926".parse().unwrap(),
                report: Report::Heartbeat
            })
        );
        let resource = br#" { "data": {"url": "/resource", "manager_port": 80, "manager_ip": "10.0.0.1"}, "api_version": 1 } "#;
        assert_eq!(parse(resource).map(|q| q.report), Ok(Report::Resource));
        for (bad, why) in [
            (&br#"{"api_version":2,"data":{"manager_ip":"10.0.0.1","manager_port":1,"url":"/resource"}}"#[..], "api_version is not 1"),
            (br#"{"api_version":1,"data":{"manager_ip":"10.0.0.1","manager_port":1,"url":"/deploy"}}"#, "url is neither /heartbeat nor /resource"),
            (br#"{"api_version":1,"data":{"manager_ip":"example.com","manager_port":1,"url":"/resource"}}"#, "manager_ip is not a dotted IPv4 address"),
            (br#"{"api_version":1,"data":{"manager_ip":"255.255.255.255","manager_port":1,"url":"/resource"}}"#, "manager_ip is not a host address"),
            (br#"{"api_version":1,"data":{"manager_ip":"10.0.0.1","manager_port":70000,"url":"/resource"}}"#, "not a query object"),
            (br#"{"api_version":1,"data":{"manager_ip":"10.0.0.1","manager_port":0,"url":"/resource"}}"#, "manager_port is 0"),
            (br#"{"api_version":1}"#, "not a query object"),
            (b"\xff\xfe garbage", "not a query object"),
            (br#"{"api_version":1,"data":{"manager_ip":"10.0.0.1","manager_port":1,"url":"/resource"}}x"#, "not a query object"),
        ] {
            assert_eq!(parse(bad), Err(why), "{}", String::from_utf8_lossy(bad));
        }
        assert_eq!(parse(&[b' '; 600]), Err("query larger than 512 bytes"));
    }
}
