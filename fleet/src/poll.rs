//! The manager side of seed 003's query: every poll interval, one UDP
//! datagram to each `--query-to` address (the multicast group by
//! default), asking alternately for `/heartbeat` and `/resource`.

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, UdpSocket};
use std::time::Duration;

use crate::log::{DEBUG, WARNING, log};

/// The query for `url`, reports to go to `ip:port`.
pub fn query(ip: Ipv4Addr, port: u16, url: &str) -> String {
    serde_json::json!({
        "api_version": 1,
        "data": {"manager_ip": ip.to_string(), "manager_port": port, "url": url},
    })
    .to_string()
}

/// This host's address towards `target` (the kernel's route choice).
pub fn local_ip_towards(target: SocketAddrV4) -> Option<Ipv4Addr> {
    let probe = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).ok()?;
    probe.connect(target).ok()?;
    match probe.local_addr().ok()? {
        SocketAddr::V4(v4) => Some(*v4.ip()),
        SocketAddr::V6(_) => None,
    }
}

/// Sends queries forever.
pub async fn run(targets: Vec<SocketAddrV4>, advertise: Ipv4Addr, port: u16, every: Duration) {
    let socket = match UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0))
        .and_then(smol::net::UdpSocket::try_from)
    {
        Ok(s) => s,
        Err(e) => {
            log!(WARNING, "poll: no UDP socket ({e}); agents will not be queried");
            return;
        }
    };
    for url in ["/heartbeat", "/resource"].into_iter().cycle() {
        let datagram = query(advertise, port, url);
        for target in &targets {
            match socket.send_to(datagram.as_bytes(), *target).await {
                Ok(_) => log!(DEBUG, "poll: {url} asked of {target}"),
                Err(e) => log!(WARNING, "poll: {target}: {e}"),
            }
        }
        smol::Timer::after(every).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_query() {
        let q: serde_json::Value =
            serde_json::from_str(&query(Ipv4Addr::new(192, 168, 10, 254), 3926, "/heartbeat"))
                .unwrap();
        assert_eq!(q["api_version"], 1);
        assert_eq!(q["data"]["manager_ip"], "192.168.10.254");
        assert_eq!(q["data"]["manager_port"], 3926);
        assert_eq!(q["data"]["url"], "/heartbeat");
    }
}
