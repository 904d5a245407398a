//! One sample per fixture root, taken by the daemon's own sampler and
//! tools (the stand-in tegrastats and vcgencmd), in-process: what the
//! view tests render. No daemon, no socket.
//!
//! What the machine running the test would otherwise change is pinned:
//! - the clock: every sample is taken at [`AT`], one interval after the
//!   baseline;
//! - CPU usage: `/proc/stat` is read once as the baseline and once more
//!   with each CPU's ticks advanced by [`cpu_loads`], so each core's
//!   usage is a known share (on a Jetson, the loads its tegrastats line
//!   printed);
//! - `statvfs` reads the disks of the machine the test runs on, so each
//!   mount's size is pinned to [`disk_figures`];
//! - the daemon's own RSS is pinned to 1700 kB (its measured idle RSS).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use edgestat::model::{Ring, Sample};
use edgestat::sampler::{Sampler, Settings, Tools};
use edgestat::sources::{READ_BUF, Roots, board, vcgencmd};
use edgestat::views::health::{Age, ApiHealth, Health};
use edgestat::views::monitor::{self, Daemon};
use edgestat::views::report::{self, Identity};
use edgestat::views::{self, Context, Doc, Facts, Section, Sort};
use edgestat_parsers::tegrastats;

use super::{fixture, scratch};

/// The boards with a full fixture tree.
pub const BOARDS: [&str; 5] =
    ["agx-orin-r36", "nano-r32", "pi4-bookworm", "pi5-bookworm", "generic"];

/// When each sample is taken: 2025-10-26T06:36:53.370000Z.
pub const AT: i64 = 1_761_460_613_370_000;

/// The sampler period of the pinned samples, µs.
pub const INTERVAL_MICROS: i64 = 1_000_000;

/// How a sample is taken.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Files removed from the root before sampling (relative paths).
    pub remove: Vec<&'static str>,
    /// Leave tegrastats out (as when it is missing or stalled).
    pub no_tegrastats: bool,
}

/// A taken sample and the ring holding it and its baseline's point.
pub struct Taken {
    /// The sample.
    pub sample: Sample,
    /// The ring after it.
    pub ring: Ring,
    /// Where the root copy was: fault messages name files under it.
    pub root: String,
}

/// Per-CPU busy share, percent, of the pinned interval: on a Jetson what
/// its first tegrastats line printed per core, elsewhere a spread.
fn cpu_loads(
    board: &str,
    tegra: Option<&edgestat_core::tegra::TegraSample>,
    cpus: usize,
) -> Vec<u64> {
    use edgestat_core::tegra::Core;
    match tegra {
        Some(t) => t
            .cpu
            .cores
            .iter()
            .map(|c| match c {
                Core::On { load, .. } => u64::from(*load),
                Core::Off => 0,
            })
            .collect(),
        None => {
            let base: u64 = if board.starts_with("pi5") { 12 } else { 7 };
            (0..cpus as u64).map(|i| (base + 9 * i) % 90).collect()
        }
    }
}

/// `(mount point, total, used, free)` bytes in place of `statvfs`, as `df
/// -B1` would print them on each board (constructed, consistent with the
/// trees' devices).
pub fn disk_figures(board: &str) -> &'static [(&'static str, u64, u64, u64)] {
    match board {
        "agx-orin-r36" => &[
            ("/", 59_280_351_232, 26_328_555_520, 30_408_253_440),
            ("/data", 983_349_346_304, 112_870_612_992, 820_438_339_584),
        ],
        "nano-r32" => &[("/", 30_963_744_768, 14_225_358_848, 15_129_710_592)],
        "pi4-bookworm" => &[
            ("/", 31_035_166_720, 5_342_019_584, 24_391_626_752),
            ("/boot/firmware", 535_805_952, 66_121_728, 469_684_224),
            ("/media/pi/My Disk", 128_033_669_120, 41_025_544_192, 87_008_124_928),
        ],
        "pi5-bookworm" => &[
            ("/", 62_442_876_928, 7_210_934_272, 52_660_690_944),
            ("/boot/firmware", 535_805_952, 66_138_112, 469_667_840),
        ],
        _ => &[],
    }
}

/// The first line the board's tegrastats stand-in prints.
fn tegrastats_line(root: &Path) -> Option<edgestat_core::tegra::TegraSample> {
    let program = root.join("usr/bin/tegrastats");
    if !program.exists() {
        return None;
    }
    let out = Command::new(&program)
        .args(["--interval", "1"])
        .env("TEGRASTATS_STANDIN_LINES", "1")
        .output()
        .expect("the tegrastats stand-in runs");
    let text = String::from_utf8(out.stdout).expect("tegrastats prints text");
    let line = text.lines().next().expect("the stand-in printed a line");
    Some(tegrastats::parse(line.as_bytes()).expect("a captured line parses"))
}

/// Adds `loads[i]` busy and `100 - loads[i]` idle ticks to each `cpuN`
/// line of `stat`, and their sums to the `cpu` line.
fn advance(stat: &str, loads: &[u64]) -> String {
    let mut total = (0u64, 0u64);
    let mut lines: Vec<String> = Vec::new();
    for line in stat.lines() {
        let mut fields: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
        let id = fields
            .first()
            .and_then(|f| f.strip_prefix("cpu"))
            .and_then(|n| n.parse::<usize>().ok());
        if let Some(id) = id {
            let busy = loads.get(id).copied().unwrap_or(0);
            let add = |f: &mut String, n: u64| *f = (f.parse::<u64>().unwrap() + n).to_string();
            add(&mut fields[1], busy);
            add(&mut fields[4], 100 - busy);
            total = (total.0 + busy, total.1 + 100 - busy);
            lines.push(fields.join(" "));
        } else {
            lines.push(line.to_owned());
        }
    }
    lines
        .into_iter()
        .map(|line| match line.strip_prefix("cpu ") {
            Some(rest) => {
                let mut f: Vec<u64> = rest.split_whitespace().map(|v| v.parse().unwrap()).collect();
                f[0] += total.0;
                f[3] += total.1;
                format!("cpu  {}", f.iter().map(u64::to_string).collect::<Vec<_>>().join(" "))
            }
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// A copy of fixture root `board` (links followed) to sample from.
pub fn copy_root(board: &str) -> PathBuf {
    let dir = scratch(&format!("sample-{board}")).join("root");
    let status = Command::new("cp").arg("-rL").arg(fixture(board)).arg(&dir).status().unwrap();
    assert!(status.success());
    dir
}

/// The sample of `board`, taken as the module's documentation says.
pub fn take(board: &str, options: &Options) -> Taken {
    let root = copy_root(board);
    for rel in &options.remove {
        let path = root.join(rel);
        if path.is_dir() {
            std::fs::remove_dir_all(&path).unwrap();
        } else {
            std::fs::remove_file(&path).unwrap();
        }
    }
    let roots = Roots { sysfs: root.join("sys"), procfs: root.join("proc"), rootfs: root.clone() };
    let mut buf = vec![0u8; READ_BUF];
    let mut board_facts = board::read_board(&roots, true, &mut buf);
    // What the binary was built for, as on the board.
    board_facts.arch = if board == "generic" { "x86_64" } else { "aarch64" };
    let board_facts = Arc::new(board_facts);
    let tegra = if options.no_tegrastats { None } else { tegrastats_line(&root) };
    let vcgencmd_program = root.join("usr/bin/vcgencmd");
    let pi = vcgencmd_program
        .exists()
        .then(|| vcgencmd::once(&vcgencmd_program).expect("the vcgencmd stand-in answers"));
    let settings = Settings { roots: roots.clone(), tegrastats: None, vcgencmd: None };
    let mut sampler = Sampler::new(settings, board_facts);
    sampler.baseline();
    let baseline = sampler.sample_with(true, AT - INTERVAL_MICROS, Tools::default());
    let stat_path = root.join("proc/stat");
    if let Ok(stat) = std::fs::read_to_string(&stat_path) {
        let cpus = stat.lines().filter(|l| l.starts_with("cpu") && !l.starts_with("cpu ")).count();
        let loads = cpu_loads(board, tegra.as_ref(), cpus);
        std::fs::write(&stat_path, advance(&stat, &loads)).unwrap();
    }
    let tools = Tools { tegra, pi, faults: Vec::new() };
    let mut sample = sampler.sample_with(true, AT, tools);
    sample.own_rss_kb = Some(1700);
    let figures = disk_figures(board);
    sample.filesystems.retain(|f| figures.iter().any(|(m, ..)| f.mount_point == *m));
    for f in &mut sample.filesystems {
        if let Some(&(_, total, used, free)) = figures.iter().find(|(m, ..)| f.mount_point == *m) {
            (f.total, f.used, f.free) = (total, used, free);
        }
    }
    // statvfs of the pinned mounts may fail where the test machine lacks
    // them; those faults are the test machine's, not the board's.
    sample.faults.retain(|d| d.collector != edgestat::model::Collector::Storage);
    let mut ring = Ring::default();
    ring.push(edgestat::model::Point::of(&baseline));
    ring.push(edgestat::model::Point::of(&sample));
    let _ = std::fs::remove_dir_all(root.parent().unwrap());
    Taken { sample, ring, root: root.display().to_string() }
}

/// What the views say about the daemon itself, as `edgestat run` with
/// its defaults would.
pub fn facts() -> Facts {
    Facts {
        interval_secs: 1.0,
        started_unix_micros: AT - 120 * 1_000_000,
        monitor_config: monitor::Config {
            speed_history_duration: monitor::SPEED_HISTORY_SECONDS,
            broadcast_interval: 1.0,
            websocket_max_connections: 10,
            websocket_heartbeat_timeout: 60,
            vless_max_connections: 64,
        },
        performance: monitor::Performance {
            buffer_size: 16384,
            tcp_nodelay: true,
            tcp_recv_buffer: Some(131_072),
            tcp_send_buffer: Some(16_384),
            stats_batch_size: 65_536,
        },
    }
}

/// The counters a daemon serving a dashboard and a Socket.IO client has.
pub const DAEMON: Daemon = Daemon {
    active_clients: 2,
    max_clients: 10,
    accepted: 40,
    closed: 37,
    open: 3,
    cache_hits: 31,
    cache_misses: 9,
};

/// The agent's configured identity in the seed 003 tests.
pub fn identity() -> Identity {
    Identity {
        box_id: 1,
        slot_id: 2,
        cpu_id: 0,
        srio_id: 0,
        service_port: 23980,
        box_type: "edge".into(),
        resource_type: "compute".into(),
        ..Identity::default()
    }
}

/// Every document rendered from `taken`, with [`facts`], [`DAEMON`] and
/// [`identity`]: (file name, bytes).
pub fn documents(taken: &Taken) -> Vec<(String, Vec<u8>)> {
    let facts = facts();
    let cx = Context { facts: &facts, daemon: DAEMON, ring: Some(&taken.ring) };
    let s = &taken.sample;
    let render = |doc: &Doc| views::render(doc, s, &cx).expect("every document fits").to_vec();
    let mut out: Vec<(String, Vec<u8>)> = [
        ("status", Doc::Status(Section::Status)),
        ("cpu", Doc::Status(Section::Cpu)),
        ("memory", Doc::Status(Section::Memory)),
        ("temperature", Doc::Status(Section::Temperature)),
        ("power", Doc::Status(Section::Power)),
        ("history", Doc::History { seconds: 60 }),
        ("stats", Doc::Stats { fields: None }),
        ("processes", Doc::Processes { sort: Sort::Cpu, limit: None }),
        ("network-interfaces", Doc::NetworkInterfaces),
        ("storage-devices", Doc::StorageDevices),
        ("metrics", Doc::Metrics),
        ("monitor-stats", Doc::MonitorStats),
        ("speed-history", Doc::SpeedHistory),
        ("monitor-config", Doc::MonitorConfig),
        ("performance", Doc::Performance),
        ("connection-pool", Doc::ConnectionPool),
    ]
    .iter()
    .map(|(name, doc)| ((*name).to_owned(), render(doc)))
    .collect();
    let status = render(&Doc::Status(Section::Status));
    out.push(("ws-stats".into(), views::ws_stats(&render(&Doc::MonitorPools), &status).to_vec()));
    out.push(("ws-history".into(), views::ws_history(&render(&Doc::SpeedHistory)).to_vec()));
    let platform = &s.board.platform;
    // Asked for 412 ms after the sample was taken.
    let age = Age { now_micros: AT + 412_000, interval_micros: INTERVAL_MICROS };
    let api_health =
        ApiHealth { latest: Some(s), platform, connected_clients: DAEMON.active_clients, age };
    out.push(("api-health".into(), json(&api_health)));
    out.push(("health".into(), json(&Health { latest: Some(s), age })));
    let id = identity();
    out.push(("heartbeat".into(), json(&report::heartbeat(&id, &s.board, "192.168.1.42"))));
    let components: Vec<()> = Vec::new();
    out.push(("resource".into(), json(&report::resource(&id, s, "192.168.1.42", components))));
    out
}

/// A value as JSON bytes, through the views' own writer.
fn json(value: &impl serde::Serialize) -> Vec<u8> {
    views::json::to_bytes(value).expect("fits").to_vec()
}
