//! `edgestat run`: the daemon. Detects the board, starts the sampler (and
//! the tegrastats or vcgencmd child the board needs), and serves every
//! surface until SIGTERM or SIGINT.
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
use edgestat_parsers::procfs::cpuinfo;
use smol::stream::StreamExt;

use crate::agent;
use crate::config::{Config, LogLevel};
use crate::http::monitor_api;
use crate::http::pistat::Hardware;
use crate::http::server::{self, Shutdown};
use crate::http::{App, Cache, RateLimiter};
use crate::log::log;
use crate::push::Push;
use crate::sampler::{self, Sampler, Settings, Shared};
use crate::sources::platform::{self, Platform};
use crate::sources::{READ_BUF, Roots, read};

/// Runs the daemon with the settings `args` and the environment give.
pub fn main(args: &[&str]) -> ExitCode {
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
    crate::log::init(if config.debug { LogLevel::Debug } else { config.log_level });
    let addr = resolve(&config.host, config.port)?;
    let listener =
        std::net::TcpListener::bind(addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let bound = listener.local_addr().map_err(|e| e.to_string())?;
    let performance = performance(&listener);
    let listener = smol::net::TcpListener::try_from(listener).map_err(|e| e.to_string())?;

    let mut buf = vec![0u8; READ_BUF];
    let platform = platform::detect(&config.roots, &mut buf);
    let hardware = hardware(&platform, &config.roots, config.expose_serial, &mut buf);
    drop(buf);
    let settings = Settings {
        roots: config.roots.clone(),
        tegrastats: matches!(platform, Platform::Jetson { .. })
            .then(|| (config.tegrastats.clone(), config.tegrastats_interval)),
        vcgencmd: matches!(platform, Platform::RaspberryPi { .. })
            .then(|| (config.vcgencmd.clone(), config.vcgencmd_interval)),
    };
    let shared = Arc::new(Shared::new(platform, config.update_interval));
    sampler::spawn(shared.clone(), Sampler::new(settings))
        .map_err(|e| format!("cannot start the sampler: {e}"))?;

    let ex = Rc::new(smol::LocalExecutor::new());
    let push = Rc::new(Push::new(
        shared.clone(),
        config.max_connections,
        config.allowed_origins.clone(),
        ex.clone(),
    ));
    ex.spawn(push.clone().run()).detach();
    let deploy = if config.agent {
        let gpus = start_agent(config, &shared, &ex)?;
        Some(Rc::new(agent::deploy::Deployer::new(
            config.deploy_token.clone(),
            config.deploy_allow.clone(),
            config.deploy_dir.clone(),
            config.docker_socket.clone(),
            shared.clone(),
            gpus,
        )))
    } else {
        None
    };
    let app = Rc::new(App {
        shared: shared.clone(),
        hardware,
        token: config.token.clone(),
        deploy,
        deploy_port: config.agent.then_some(config.agent_service_port),
        limiter: config.rate_limit_enabled.then(|| {
            RefCell::new(RateLimiter::new(config.rate_limit_requests, config.rate_limit_window))
        }),
        cache: RefCell::new(Cache::new(config.cache_seconds)),
        performance,
        monitor_config: monitor_api::Config {
            speed_history_duration: monitor_api::SPEED_HISTORY_SECONDS,
            broadcast_interval: config.update_interval.as_secs_f64(),
            websocket_max_connections: config.max_connections,
            websocket_heartbeat_timeout: crate::push::ws::IDLE_TIMEOUT.as_secs(),
            vless_max_connections: config.max_http_connections,
        },
        push,
    });
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "edgestat listening on http://{bound}");
        let _ = out.flush();
    }
    log!(LogLevel::Info, "{} on {bound}", describe(&shared.platform));

    let shutdown = Shutdown::default();
    let signals = Signals::new([Signal::Term, Signal::Int])
        .map_err(|e| format!("cannot catch signals: {e}"))?;
    let watcher = {
        let shutdown = shutdown.clone();
        async move {
            let mut signals = signals;
            if let Some(Ok(signal)) = signals.next().await {
                log!(LogLevel::Info, "{signal:?}: shutting down");
            }
            shutdown.trigger();
        }
    };
    ex.spawn(watcher).detach();
    if config.agent {
        // POST /deploy on the service port the heartbeat announces.
        let addr = resolve(&config.host, config.agent_service_port)?;
        let listener = std::net::TcpListener::bind(addr)
            .map_err(|e| format!("agent: cannot listen on {addr} for /deploy: {e}"))?;
        log!(
            LogLevel::Info,
            "agent: /deploy on {}",
            listener.local_addr().map_err(|e| e.to_string())?
        );
        let listener = smol::net::TcpListener::try_from(listener).map_err(|e| e.to_string())?;
        let (task_ex, app, shutdown) = (ex.clone(), app.clone(), shutdown.clone());
        ex.spawn(async move { server::serve(&task_ex, listener, app, 16, shutdown).await })
            .detach();
    }
    smol::block_on(ex.run(server::serve(
        &ex,
        listener,
        app,
        config.max_http_connections,
        shutdown,
    )));
    shared.stop();
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

fn describe(platform: &Platform) -> String {
    match platform {
        Platform::Jetson { l4t, model } => format!(
            "Jetson ({}, L4T {})",
            model.as_deref().unwrap_or("model unknown"),
            l4t.as_ref().map_or("unknown".into(), ToString::to_string)
        ),
        Platform::RaspberryPi { model, .. } => {
            format!("Raspberry Pi ({})", model.as_deref().unwrap_or("model unknown"))
        }
        Platform::Linux { model } => format!("Linux ({})", model.as_deref().unwrap_or("generic")),
    }
}

/// The board model, and its serial when the user asked for it: the Pi's
/// `Serial` in `/proc/cpuinfo`, else the device tree's `serial-number`.
fn hardware(platform: &Platform, roots: &Roots, expose_serial: bool, buf: &mut [u8]) -> Hardware {
    let model = match platform {
        Platform::Jetson { model, .. }
        | Platform::RaspberryPi { model, .. }
        | Platform::Linux { model } => model.as_ref().map(ToString::to_string),
    };
    let serial = expose_serial
        .then(|| {
            let from_cpuinfo = read(&roots.proc("cpuinfo"), buf)
                .ok()
                .and_then(|bytes| cpuinfo::parse(bytes).ok())
                .and_then(|info| info.serial)
                .map(|s| s.to_string());
            from_cpuinfo.or_else(|| {
                read(&roots.sys("firmware/devicetree/base/serial-number"), buf).ok().map(|bytes| {
                    String::from_utf8_lossy(bytes)
                        .trim_matches(|c: char| c == '\0' || c.is_whitespace())
                        .to_owned()
                })
            })
        })
        .flatten();
    Hardware { model, serial }
}

/// The real buffer sizes: hyper's read buffer, the listening socket's
/// kernel buffers, the sampler's file buffer.
fn performance(listener: &std::net::TcpListener) -> monitor_api::Performance {
    use nix::sys::socket::{getsockopt, sockopt};
    monitor_api::Performance {
        buffer_size: server::READ_BUF,
        tcp_nodelay: true,
        tcp_recv_buffer: getsockopt(listener, sockopt::RcvBuf).ok(),
        tcp_send_buffer: getsockopt(listener, sockopt::SndBuf).ok(),
        stats_batch_size: READ_BUF,
    }
}

/// Starts the seed 003 agent: the node's identity (configured, then
/// detected) and the UDP listener. Returns the node's GPU count.
fn start_agent(
    config: &Config,
    shared: &Arc<Shared>,
    ex: &Rc<smol::LocalExecutor<'static>>,
) -> Result<u32, String> {
    let configured = agent::Identity {
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
        ..agent::Identity::default()
    };
    let mut buf = vec![0u8; READ_BUF];
    let identity = agent::detect_identity(configured, &config.roots, &shared.platform, &mut buf);
    let gpus = u32::try_from(identity.gpus.len()).unwrap_or(u32::MAX);
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
        LogLevel::Info,
        "agent: answering queries on {} (UDP port {})",
        settings.group.ip(),
        settings.group.port()
    );
    ex.spawn(agent::run(socket, Rc::new(settings), shared.clone(), ex.clone())).detach();
    Ok(gpus)
}
