//! `edgestat-fleet`: the fleet manager. It queries edgestat agents (seed
//! 003), stores their reports in SQLite or PostgreSQL, and serves the
//! gpuf-s API of seed 002.
//!
//! ```text
//! edgestat-fleet run [--database-url URL] [--listen ADDR] [--KEY VALUE]...
//! ```

mod api;
mod config;
mod health;
mod ingest;
mod poll;
mod report;
mod server;
mod store;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use edgestat_common::log::{Level, log};

const USAGE: &str =
    "usage: edgestat-fleet run [OPTIONS]   (edgestat-fleet run --help for the options)
       edgestat-fleet --version";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") if args.iter().any(|a| a == "--help" || a == "-h") => {
            print!("{}", config::help())
        }
        Some("run") => {
            let code = match config::load(&args[1..], |k| std::env::var(k).ok()) {
                Ok(c) => run(c),
                Err(e) => {
                    eprintln!("edgestat-fleet: {e}");
                    2
                }
            };
            std::process::exit(code);
        }
        Some("--version" | "-V") => println!("edgestat-fleet {}", env!("CARGO_PKG_VERSION")),
        Some("--help" | "-h" | "help") => println!("{USAGE}"),
        _ => {
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    }
}

fn run(config: config::Config) -> i32 {
    edgestat_common::log::init("edgestat-fleet", config.log_level);
    // Two connections: the writer's batches and prunes never hold the
    // API's reads back (SQLite in WAL mode reads beside a writer).
    let (store, api_store) = match store::Store::open(&config.database_url)
        .and_then(|s| Ok((s, store::Store::open(&config.database_url)?)))
    {
        Ok(pair) => pair,
        Err(e) => {
            log!(Level::Error, "{e}");
            return 1;
        }
    };
    log!(Level::Info, "database {:?} ready (schema {})", store.dialect(), store::SCHEMA_VERSION);
    let listener = match std::net::TcpListener::bind(config.listen)
        .and_then(smol::net::TcpListener::try_from)
    {
        Ok(l) => l,
        Err(e) => {
            log!(Level::Error, "listen {}: {e}", config.listen);
            return 1;
        }
    };
    let local = listener.local_addr().unwrap_or(config.listen);
    let port = local.port();
    if config.api_tokens.is_empty() {
        log!(
            Level::Warning,
            "no --api-tokens: the user and model routes are open to anyone who reaches {}",
            config.listen
        );
    }
    let window_ms = i64::try_from(config.online_window.as_millis()).unwrap_or(i64::MAX);
    let rules = health::Rules { online_window_ms: window_ms, tflops: config.tflops.clone() };
    let ingest_rules = store::IngestRules {
        auto_register_user: config.auto_register_user.clone(),
        online_window_ms: window_ms,
    };
    let retention = Duration::from_secs(u64::from(config.retention_days) * 86_400);
    let store = Arc::new(Mutex::new(store));
    let queue = Arc::new(ingest::Queue::default());
    let (targets, every) = (config.query_to.clone(), config.poll_interval);
    // The address agents report to: as configured, else the one listened
    // on, else this host's towards the first target.
    let listened = match local.ip() {
        std::net::IpAddr::V4(ip) if !ip.is_unspecified() => Some(ip),
        _ => None,
    };
    let advertise = config
        .advertise_ip
        .or(listened)
        .or_else(|| targets.first().and_then(|t| edgestat_common::net::local_ip_towards(*t)))
        .unwrap_or_else(|| {
            if every > Duration::ZERO && !targets.is_empty() {
                log!(
                    Level::Warning,
                    "no route towards {}: agents are told to report to 127.0.0.1, which reaches only agents on this host; set --advertise-ip",
                    fmt_targets(&targets)
                );
            }
            std::net::Ipv4Addr::LOCALHOST
        });
    let write_every = config.write_interval;
    let app = Arc::new(api::App {
        store: Arc::new(Mutex::new(api_store)),
        queue: queue.clone(),
        config,
        rules,
    });
    let ex = Arc::new(smol::Executor::new());
    ex.spawn(ingest::writer(
        queue.clone(),
        store.clone(),
        ingest_rules.clone(),
        retention,
        write_every,
    ))
    .detach();
    if every > Duration::ZERO && !targets.is_empty() {
        log!(
            Level::Info,
            "querying {} every {:?}; reports to {advertise}:{port}",
            fmt_targets(&targets),
            every
        );
        ex.spawn(poll::run(targets, advertise, port, every)).detach();
    }
    // The first line on stdout, for scripts and tests that ask for port 0.
    println!("edgestat-fleet listening on http://{local}");
    let stop = async {
        match async_signal::Signals::new([async_signal::Signal::Term, async_signal::Signal::Int]) {
            Ok(mut signals) => {
                use smol::stream::StreamExt;
                let _ = signals.next().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    smol::block_on(ex.run(smol::future::or(server::serve(ex.clone(), listener, app), stop)));
    // No new reports arrive now; what is queued is written before exit.
    let queued = queue.len();
    let lost = ingest::drain(&queue, &store, &ingest_rules);
    if lost > 0 {
        log!(Level::Error, "stopped; {lost} queued reports could not be written");
        return 1;
    }
    log!(Level::Info, "stopped ({queued} queued reports written)");
    0
}

fn fmt_targets(t: &[std::net::SocketAddrV4]) -> String {
    t.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}
