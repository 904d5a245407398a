//! The manager side of seed 003's query: every poll interval, one UDP
//! datagram to each `--query-to` address (the multicast group by
//! default), asking alternately for `/heartbeat` and `/resource`.

use std::net::{Ipv4Addr, SocketAddrV4, UdpSocket};
use std::time::Duration;

use edgestat_common::log::{Level, log};
use edgestat_core::fleet::{MAX_QUERY, Query, Report};

/// The query socket. Multicast leaves through the interface of the
/// address agents report to, so that the query reaches the network the
/// reports come back on (the default route's interface otherwise).
fn socket(advertise: Ipv4Addr) -> std::io::Result<smol::net::UdpSocket> {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::DGRAM, None)?;
    socket.bind(&SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0).into())?;
    if let Err(e) = socket.set_multicast_if_v4(&advertise) {
        // Not an address of this host (NAT, a container's published
        // port): multicast takes the default route; unicast is unaffected.
        log!(
            Level::Warning,
            "poll: multicast cannot leave through {advertise} ({e}); using the default route"
        );
    }
    smol::net::UdpSocket::try_from(UdpSocket::from(socket))
}

/// Sends queries forever.
pub async fn run(targets: Vec<SocketAddrV4>, advertise: Ipv4Addr, port: u16, every: Duration) {
    let socket = match socket(advertise) {
        Ok(s) => s,
        Err(e) => {
            log!(Level::Warning, "poll: no UDP socket ({e}); agents will not be queried");
            return;
        }
    };
    let mut buf = [0u8; MAX_QUERY];
    for report in [Report::Heartbeat, Report::Resource].into_iter().cycle() {
        let query = Query { manager: SocketAddrV4::new(advertise, port), report };
        let Ok(len) = query.write(&mut buf) else {
            log!(Level::Warning, "poll: {query:?} does not fit {MAX_QUERY} bytes");
            return;
        };
        let url = report.path();
        for target in &targets {
            match socket.send_to(&buf[..len], *target).await {
                Ok(_) => log!(Level::Debug, "poll: {url} asked of {target}"),
                Err(e) => log!(Level::Warning, "poll: {target}: {e}"),
            }
        }
        smol::Timer::after(every).await;
    }
}
