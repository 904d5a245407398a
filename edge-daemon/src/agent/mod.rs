//! The agent side of seed 003: answer a manager's UDP query (multicast to
//! 239.192.168.80:3980 by default) with one HTTP POST of `/heartbeat` or
//! `/resource`, filled from the shared sample. Off unless `--agent`.
//!
//! One query, one report, and never more than [`MAX_REPORTS_PER_SECOND`]:
//! a flood of queries cannot turn the agent into a POST cannon. A query
//! from outside `--agent-managers` (when set) is dropped and logged.

mod client;
pub mod deploy;
mod docker;

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, UdpSocket};
use std::rc::Rc;
use std::time::{Duration, Instant};

use edgestat_common::log::{Level, log};
use edgestat_common::net::local_ip_towards;
use edgestat_core::fleet::{MAX_QUERY, Network, Query, Report};
use smol::LocalExecutor;

use crate::hub::Hub;
use crate::views::json::to_bytes;
use crate::views::report::{self, Identity};

/// Reports sent per second at most, whatever arrives.
pub const MAX_REPORTS_PER_SECOND: u32 = 4;

/// What the agent listens on and answers with.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The multicast group and UDP port of the queries.
    pub group: SocketAddrV4,
    /// The local interface address to join the group on (0.0.0.0: the
    /// kernel's choice).
    pub interface: Ipv4Addr,
    /// Manager networks allowed (`10.0.0.0/8`); empty allows any.
    pub managers: Vec<Network>,
    /// Who this node is, as configured.
    pub identity: Identity,
    /// The Docker Engine API socket, for the report's components.
    pub docker_socket: std::path::PathBuf,
}

/// Binds the query socket; the returned port is the one bound (for tests
/// that ask for port 0 there is none: the group's port is used as is).
pub fn bind(settings: &Settings) -> std::io::Result<smol::net::UdpSocket> {
    let socket = UdpSocket::bind(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, settings.group.port()))?;
    if let Err(e) = socket.join_multicast_v4(settings.group.ip(), &settings.interface) {
        // Unicast queries still work; say why multicast will not.
        log!(
            Level::Warning,
            "agent: cannot join {} on {}: {e}",
            settings.group.ip(),
            settings.interface
        );
    }
    smol::net::UdpSocket::try_from(socket)
}

/// Answers queries until the daemon stops.
pub async fn run(
    socket: smol::net::UdpSocket,
    settings: Rc<Settings>,
    hub: Rc<Hub>,
    ex: Rc<LocalExecutor<'static>>,
) {
    let mut buf = [0u8; MAX_QUERY + 1];
    let mut window = Instant::now();
    let mut sent = 0u32;
    loop {
        let (len, from) = match socket.recv_from(&mut buf).await {
            Ok(received) => received,
            Err(e) => {
                log!(Level::Error, "agent: receiving: {e}");
                smol::Timer::after(Duration::from_millis(100)).await;
                continue;
            }
        };
        let query = match Query::parse(buf.get(..len).unwrap_or_default()) {
            Ok(query) => query,
            Err(why) => {
                log!(Level::Warning, "agent: query from {from} refused: {why}");
                continue;
            }
        };
        // Both the sender and the address it asks reports to must be
        // allowed: a query cannot aim reports at a third party.
        let sender = match from.ip() {
            std::net::IpAddr::V4(v4) => v4,
            std::net::IpAddr::V6(v6) => v6.to_ipv4_mapped().unwrap_or(Ipv4Addr::UNSPECIFIED),
        };
        let target = *query.manager.ip();
        if !allowed(&settings.managers, sender) || !allowed(&settings.managers, target) {
            log!(
                Level::Warning,
                "agent: manager {target} (query from {sender}) is not in --agent-managers"
            );
            continue;
        }
        if window.elapsed() >= Duration::from_secs(1) {
            window = Instant::now();
            sent = 0;
        }
        if sent >= MAX_REPORTS_PER_SECOND {
            log!(
                Level::Debug,
                "agent: query from {from} dropped: more than {MAX_REPORTS_PER_SECOND} per second"
            );
            continue;
        }
        sent += 1;
        let (settings, hub) = (settings.clone(), hub.clone());
        ex.spawn(async move { answer(query, &settings, &hub).await }).detach();
    }
}

/// Whether `ip` is in one of `networks` (all allowed when empty).
pub fn allowed(networks: &[Network], ip: Ipv4Addr) -> bool {
    networks.is_empty() || networks.iter().any(|n| n.contains(ip.into()))
}

/// Sends the report a query asked for.
async fn answer(query: Query, settings: &Settings, hub: &Hub) {
    let host_ip = local_ip_towards(query.manager).map_or_else(String::new, |ip| ip.to_string());
    let body = match query.report {
        Report::Heartbeat => {
            to_bytes(&report::heartbeat(&settings.identity, &hub.shared.board, &host_ip))
        }
        Report::Resource => {
            let Some(sample) = hub.latest() else {
                log!(Level::Info, "agent: /resource asked before the first sample");
                return;
            };
            let components = docker::components(&settings.docker_socket).await;
            to_bytes(&report::resource(&settings.identity, &sample, &host_ip, components))
        }
    };
    let Some(body) = body else { return };
    let path = query.report.path();
    match client::post(SocketAddr::V4(query.manager), path, &body).await {
        Ok(()) => log!(Level::Debug, "agent: {path} sent to {}", query.manager),
        Err(why) => log!(Level::Warning, "agent: {path} to {}: {why}", query.manager),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manager_networks() {
        let net = |s| Network::parse(s).unwrap();
        let nets = [net("192.168.10.0/24"), net("10.0.0.0/8")];
        assert!(allowed(&nets, Ipv4Addr::new(192, 168, 10, 254)));
        assert!(allowed(&nets, Ipv4Addr::new(10, 1, 2, 3)));
        assert!(!allowed(&nets, Ipv4Addr::new(192, 168, 11, 1)));
        assert!(allowed(&[], Ipv4Addr::new(8, 8, 8, 8)));
        assert!(allowed(&[net("0.0.0.0/0")], Ipv4Addr::new(8, 8, 8, 8)));
    }
}
