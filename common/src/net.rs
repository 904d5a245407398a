//! Addresses: which local address the kernel would use towards a peer.

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, UdpSocket};

/// The local address the kernel would send from to reach `target` (a
/// connected UDP socket sends nothing): an agent's `host_ip`, a manager's
/// advertised address. `None` without a route.
pub fn local_ip_towards(target: SocketAddrV4) -> Option<Ipv4Addr> {
    let probe = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).ok()?;
    probe.connect(target).ok()?;
    match probe.local_addr().ok()? {
        SocketAddr::V4(v4) => Some(*v4.ip()),
        SocketAddr::V6(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_route_towards_loopback_is_loopback() {
        assert_eq!(local_ip_towards("127.0.0.1:9".parse().unwrap()), Some(Ipv4Addr::LOCALHOST));
        assert_eq!(local_ip_towards("127.0.0.2:9".parse().unwrap()), Some(Ipv4Addr::LOCALHOST));
    }
}
