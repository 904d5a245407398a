//! `edgestat run`: the daemon. Reads the board, starts the sampler (and
//! the tegrastats or vcgencmd child the board needs), and serves every
//! surface until SIGTERM or SIGINT. This is the composition root: the one
//! place that wires the rooms together.
//!
//! The first line on stdout is `edgestat listening on http://ADDR`, with
//! the real port when `--port 0` asked the kernel to pick one.

use std::cell::RefCell;
use std::io::Write;
use std::net::{SocketAddr, ToSocketAddrs};
use std::process::ExitCode;
use std::rc::Rc;
use std::sync::Arc;

use async_signal::{Signal, Signals};
use edgestat_common::log::{self as logging, Level, log};
use smol::stream::StreamExt;

use crate::agent;
use crate::config::Config;
use crate::http::server::{self, Shutdown};
use crate::http::{App, Endpoints, RateLimiter};
use crate::hub::Hub;
use crate::push::{self, Push};
use crate::sampler::{self, Sampler, Settings, Shared};
use crate::sources::{READ_BUF, board};
use crate::views::{Facts, monitor};

/// Connections the `/deploy` port serves at once: a fleet manager's.
const DEPLOY_CONNECTIONS: u32 = 16;

/// Runs the daemon with the settings `args` and the environment give.
pub fn main(args: &[&str]) -> ExitCode {
    if crate::config::help::asked(args) {
        print!("{}", crate::config::run_help());
        return ExitCode::SUCCESS;
    }
    let config = match crate::config::load(args) {
        Ok(loaded) => loaded.config,
        Err(message) => {
            eprintln!("edgestat: {message}");
            return ExitCode::from(2);
        }
    };
    match run(&config) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("edgestat: {message}");
            ExitCode::from(1)
        }
    }
}

fn run(config: &Config) -> Result<(), String> {
    logging::init("edgestat", if config.debug { Level::Debug } else { config.log_level });
    let addr = resolve(&config.host, config.port)?;
    let listener = listen(addr, "--port")?;
    let bound = listener.local_addr().map_err(|e| e.to_string())?;
    let performance = performance(&listener);
    let listener = smol::net::TcpListener::try_from(listener).map_err(|e| e.to_string())?;

    let board = {
        let mut buf = vec![0u8; READ_BUF];
        Arc::new(board::read_board(&config.roots, config.expose_serial, &mut buf))
    };
    let settings = Settings {
        roots: config.roots.clone(),
        tegrastats: board
            .is_jetson()
            .then(|| (config.tegrastats.clone(), config.tegrastats_interval)),
        vcgencmd: board.is_pi().then(|| (config.vcgencmd.clone(), config.vcgencmd_interval)),
    };
    let shared = Arc::new(Shared::new(board.clone(), config.update_interval));
    let sampler = sampler::spawn(shared.clone(), Sampler::new(settings, board))
        .map_err(|e| format!("cannot start the sampler: {e}"))?;

    let facts = Facts {
        interval_secs: config.update_interval.as_secs_f64(),
        started_unix_micros: shared.started_unix_micros,
        monitor_config: monitor::Config {
            speed_history_duration: monitor::SPEED_HISTORY_SECONDS,
            broadcast_interval: config.update_interval.as_secs_f64(),
            websocket_max_connections: config.max_connections,
            websocket_heartbeat_timeout: push::ws::IDLE_TIMEOUT.as_secs(),
            vless_max_connections: config.max_http_connections,
        },
        performance,
    };
    let hub = Rc::new(Hub::new(shared.clone(), facts, config.cache_seconds));
    let ex = Rc::new(smol::LocalExecutor::new());
    let push = Rc::new(Push::new(
        hub.clone(),
        (config.max_connections, config.max_connections_per_ip),
        config.allowed_origins.clone(),
        ex.clone(),
    ));
    hub.set_live(push.clone());
    ex.spawn(push.clone().run()).detach();
    let mut endpoints = Endpoints {
        socketio: Some(Rc::new(push::SocketIo(push.clone()))),
        ws: Some(Rc::new(push::Ws(push.clone()))),
        deploy: None,
    };
    let mut deployer = None;
    if config.agent {
        start_agent(config, &hub, &ex)?;
        let deploy = agent::deploy::Settings {
            token: config.deploy_token.clone(),
            allow: config.deploy_allow.clone(),
            require_sha256: config.deploy_require_sha256,
            dir: config.deploy_dir.clone(),
            docker_socket: config.docker_socket.clone(),
        };
        let started = Rc::new(agent::deploy::Deployer::new(deploy, hub.clone()));
        endpoints.deploy = Some(started.clone());
        deployer = Some(started);
    }
    let app = Rc::new(App {
        hub,
        token: config.token.clone(),
        deploy_port: config.agent.then_some(config.agent_service_port),
        limiter: config.rate_limit_enabled.then(|| {
            RefCell::new(RateLimiter::new(config.rate_limit_requests, config.rate_limit_window))
        }),
        endpoints,
    });
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "edgestat listening on http://{bound}");
        let _ = out.flush();
    }
    log!(Level::Info, "{} on {bound}", shared.board.platform);

    let shutdown = Shutdown::default();
    let signals = Signals::new([Signal::Term, Signal::Int])
        .map_err(|e| format!("cannot catch signals: {e}"))?;
    let watcher = {
        let shutdown = shutdown.clone();
        async move {
            let mut signals = signals;
            if let Some(Ok(signal)) = signals.next().await {
                log!(Level::Info, "{signal:?}: shutting down");
            }
            shutdown.trigger();
        }
    };
    ex.spawn(watcher).detach();
    if config.agent {
        // POST /deploy on the service port the heartbeat announces.
        let addr = resolve(&config.host, config.agent_service_port)?;
        let listener =
            listen(addr, "--agent-service-port").map_err(|e| format!("agent: /deploy: {e}"))?;
        log!(
            Level::Info,
            "agent: /deploy on {}",
            listener.local_addr().map_err(|e| e.to_string())?
        );
        let listener = smol::net::TcpListener::try_from(listener).map_err(|e| e.to_string())?;
        let (task_ex, app, shutdown) = (ex.clone(), app.clone(), shutdown.clone());
        let caps = (DEPLOY_CONNECTIONS, DEPLOY_CONNECTIONS);
        ex.spawn(async move { server::serve(&task_ex, listener, app, caps, shutdown).await })
            .detach();
    }
    let caps = (config.max_http_connections, config.max_http_connections_per_ip);
    smol::block_on(ex.run(server::serve(&ex, listener, app, caps, shutdown)));
    // Nothing the daemon started outlives it: the deployed programs, then
    // the sampler's tool children, each ended and reaped.
    if let Some(deployer) = deployer {
        deployer.stop_all();
    }
    shared.stop();
    let _ = sampler.join();
    Ok(())
}

/// The first address `host:port` resolves to.
fn resolve(host: &str, port: u16) -> Result<SocketAddr, String> {
    (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve `{host}`: {e}"))?
        .next()
        .ok_or_else(|| format!("`{host}` has no address"))
}

/// A TCP listener on `addr`, or an error that says what went wrong in a
/// user's terms and which setting (`flag`) changes the port.
fn listen(addr: SocketAddr, flag: &str) -> Result<std::net::TcpListener, String> {
    std::net::TcpListener::bind(addr).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => format!(
            "port {port} on {ip} is already in use, by another server or by an outgoing \
             connection the kernel gave that port (see `ss -tanp 'sport = :{port}'`); \
             choose another with {flag}, or reserve it with \
             `sysctl net.ipv4.ip_local_reserved_ports={port}`",
            port = addr.port(),
            ip = addr.ip(),
        ),
        std::io::ErrorKind::PermissionDenied => format!(
            "port {} needs root or CAP_NET_BIND_SERVICE; choose one above 1023 with {flag}",
            addr.port()
        ),
        std::io::ErrorKind::AddrNotAvailable => {
            format!("{} is not an address of this host (--host)", addr.ip())
        }
        _ => format!("cannot listen on {addr}: {e}"),
    })
}

/// The real buffer sizes: hyper's read buffer, the listening socket's
/// kernel buffers, the sampler's file buffer.
fn performance(listener: &std::net::TcpListener) -> monitor::Performance {
    use nix::sys::socket::{getsockopt, sockopt};
    monitor::Performance {
        buffer_size: server::READ_BUF,
        tcp_nodelay: true,
        tcp_recv_buffer: getsockopt(listener, sockopt::RcvBuf).ok(),
        tcp_send_buffer: getsockopt(listener, sockopt::SndBuf).ok(),
        stats_batch_size: READ_BUF,
    }
}

/// Starts the seed 003 agent: the node's configured identity and the UDP
/// listener.
fn start_agent(
    config: &Config,
    hub: &Rc<Hub>,
    ex: &Rc<smol::LocalExecutor<'static>>,
) -> Result<(), String> {
    let identity = crate::views::report::Identity {
        box_id: config.agent_box_id,
        slot_id: config.agent_slot_id,
        cpu_id: config.agent_cpu_id,
        srio_id: config.agent_srio_id,
        service_port: config.agent_service_port,
        box_type: config.agent_box_type.clone(),
        board_type: config.agent_board_type.clone(),
        cpu_type: config.agent_cpu_type.clone(),
        resource_type: config.agent_resource_type.clone(),
        client_id: config.agent_client_id,
    };
    let settings = agent::Settings {
        group: config.agent_group,
        interface: config.agent_interface,
        managers: config.agent_managers.clone(),
        identity,
        docker_socket: config.docker_socket.clone(),
    };
    let socket = agent::bind(&settings)
        .map_err(|e| format!("agent: cannot listen on UDP port {}: {e}", settings.group.port()))?;
    log!(
        Level::Info,
        "agent: answering queries on {} (UDP port {})",
        settings.group.ip(),
        settings.group.port()
    );
    ex.spawn(agent::run(socket, Rc::new(settings), hub.clone(), ex.clone())).detach();
    Ok(())
}
