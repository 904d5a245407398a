//! One round of collection: every source read once into [`Readings`],
//! then made into one [`Sample`] by the rules of [`unify`](super::unify).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use edgestat_core::linux::{NetDev, Stat};
use edgestat_core::tegra::TegraSample;

use super::rates::{cpu_use, disk_io, net_rates, per_second};
use super::unify::{self, NetReading, RailAverages, Readings};
use crate::model::{
    Board, Collector, Degraded, DiskIo, Fault, Filesystem, Network, PiReadings, Sample,
};
use crate::sources::processes::Scanner;
use crate::sources::storage::Statvfs;
use crate::sources::sysfs::{self, Layout};
use crate::sources::tegrastats::Child;
use crate::sources::vcgencmd::Poller;
use crate::sources::{READ_BUF, Roots, procfs, storage};

/// The directory layout of sysfs is listed again every this many samples,
/// so a sensor that appears later (a hot-plugged disk's zone) is found.
const RELIST_EVERY: u32 = 60;

/// A tool's reading older than this many of its own intervals is stale
/// and left out of the sample.
const STALE_INTERVALS: u32 = 3;

/// How long one source may take in a round. Reading every /proc and /sys
/// file of a board takes about a millisecond; a source over this is slow
/// enough to say so (sysfs files of a hung I2C bus answer in seconds), and
/// `statvfs`, which can hang for good on a network mount, is not waited for
/// beyond it.
pub const SOURCE_BUDGET: Duration = Duration::from_millis(500);

/// What the sampler runs.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where the host's files are.
    pub roots: Roots,
    /// `tegrastats` and its interval, on a Jetson.
    pub tegrastats: Option<(PathBuf, Duration)>,
    /// `vcgencmd` and its cadence, on a Raspberry Pi.
    pub vcgencmd: Option<(PathBuf, Duration)>,
}

/// What the tool children gave for one round.
#[derive(Debug, Default)]
pub struct Tools {
    /// tegrastats' latest line, if fresh.
    pub tegra: Option<TegraSample>,
    /// vcgencmd's latest round, if fresh.
    pub pi: Option<PiReadings>,
    /// Why a tool is not delivering.
    pub faults: Vec<(Collector, String)>,
}

/// The sampler's memory between rounds.
#[derive(Debug)]
pub struct Sampler {
    roots: Roots,
    board: Arc<Board>,
    buf: Vec<u8>,
    layout: Layout,
    layout_age: u32,
    seq: u64,
    stat: Option<Stat>,
    net: Option<(NetDev, Instant)>,
    disk: Option<(DiskIo, Instant)>,
    rail_averages: RailAverages,
    scanner: Scanner,
    scanning: bool,
    statvfs: Option<Statvfs>,
    /// The last filesystems `statvfs` gave, kept while it stalls.
    filesystems: Vec<Filesystem>,
    tegrastats: Option<(Child, Duration)>,
    vcgencmd: Option<(Poller, Duration)>,
}

impl Sampler {
    /// A sampler of `board` over `settings`; starts the tool children it
    /// names.
    pub fn new(settings: Settings, board: Arc<Board>) -> Self {
        let tegrastats = settings.tegrastats.and_then(|(path, interval)| {
            Child::spawn(path, interval).ok().map(|c| (c, interval * STALE_INTERVALS))
        });
        let vcgencmd = settings.vcgencmd.and_then(|(path, interval)| {
            Poller::spawn(path, interval).ok().map(|p| (p, interval * STALE_INTERVALS))
        });
        Sampler {
            layout: Layout::discover(&settings.roots),
            roots: settings.roots,
            board,
            buf: vec![0; READ_BUF],
            layout_age: 0,
            seq: 0,
            stat: None,
            net: None,
            disk: None,
            rail_averages: RailAverages::default(),
            scanner: Scanner::default(),
            scanning: false,
            statvfs: Statvfs::spawn().ok(),
            filesystems: Vec::new(),
            tegrastats,
            vcgencmd,
        }
    }

    /// Takes the first readings that later rates are computed against.
    pub fn baseline(&mut self) {
        self.stat = procfs::stat(&self.roots, &mut self.buf).ok();
        let now = Instant::now();
        self.net = procfs::net_dev(&self.roots, &mut self.buf).ok().map(|n| (n, now));
        self.disk = procfs::diskstats(&self.roots, &mut self.buf).ok().map(|d| (disk_io(&d), now));
    }

    /// Stops the tool children.
    pub fn stop(&self) {
        if let Some((child, _)) = &self.tegrastats {
            child.stop();
        }
        if let Some((poller, _)) = &self.vcgencmd {
            poller.stop();
        }
    }

    /// Reads every source once, at `unix_micros`: the files, and the
    /// children's latest readings.
    pub fn sample(&mut self, want_processes: bool, unix_micros: i64) -> Sample {
        let mut tools = Tools::default();
        if let Some((child, max_age)) = &self.tegrastats {
            tools.tegra = child.latest(*max_age);
            tools.faults.extend(child.fault(*max_age).map(|why| (Collector::Tegrastats, why)));
        }
        if let Some((poller, max_age)) = &self.vcgencmd {
            tools.pi = poller.latest(*max_age);
            tools.faults.extend(poller.fault().map(|why| (Collector::Vcgencmd, why)));
        }
        self.sample_with(want_processes, unix_micros, tools)
    }

    /// Reads every file source once, at `unix_micros`, with `tools` as
    /// what the tool children gave.
    pub fn sample_with(&mut self, want_processes: bool, unix_micros: i64, tools: Tools) -> Sample {
        self.seq += 1;
        self.layout_age += 1;
        if self.layout_age >= RELIST_EVERY {
            self.layout = Layout::discover(&self.roots);
            self.layout_age = 0;
        }
        let mut s =
            Sample { seq: self.seq, unix_micros, board: self.board.clone(), ..Sample::default() };
        let mut r = Readings::default();
        let now = Instant::now();
        timed(&mut s, Collector::Procfs, |s| self.read_procfs(s, &mut r, now));
        timed(&mut s, Collector::Sysfs, |s| self.read_sysfs(s, &mut r));
        self.read_storage(&mut s);
        timed(&mut s, Collector::Processes, |s| self.read_processes(s, want_processes));
        r.tegra = tools.tegra;
        r.pi = tools.pi;
        for (collector, why) in tools.faults {
            degrade(&mut s, collector, Fault::Tool(why));
        }
        self.unify(&mut s, r);
        s
    }

    /// The model's quantities from this round's readings.
    fn unify(&mut self, s: &mut Sample, r: Readings) {
        let tegra = r.tegra.as_ref();
        s.cpu = unify::cpu(&r);
        s.memory = unify::memory(r.meminfo.as_ref(), tegra);
        s.gpu = unify::gpu(&r);
        s.temperatures = unify::temperatures(&r.thermal, tegra);
        let pmic = r.pi.as_ref().and_then(|pi| pi.pmic.as_ref());
        s.rails = unify::rails(&r.ina3221, pmic, tegra, &mut self.rail_averages);
        s.throttling = unify::throttling(r.pi.as_ref(), r.under_voltage);
        s.network.interfaces = unify::interfaces(r.net.as_ref(), r.wireless.as_ref());
        s.tegra = r.tegra.map(Box::new);
        s.pi = r.pi;
    }

    fn read_procfs(&mut self, s: &mut Sample, r: &mut Readings, now: Instant) {
        let (roots, buf) = (&self.roots, &mut self.buf);
        let mut faults = Vec::new();
        match procfs::stat(roots, buf) {
            Ok(stat) => {
                r.cpu = cpu_use(self.stat.as_ref(), &stat);
                self.stat = Some(stat);
            }
            Err(fault) => faults.push(fault),
        }
        r.meminfo = procfs::meminfo(roots, buf).map_err(|f| faults.push(f)).ok();
        s.load = procfs::loadavg(roots, buf).map_err(|f| faults.push(f)).ok();
        s.uptime_cs =
            procfs::uptime(roots, buf).map_err(|f| faults.push(f)).ok().map(|u| u.uptime_cs);
        match procfs::net_dev(roots, buf) {
            Ok(net) => {
                let rates = match &self.net {
                    Some((before, at)) => net_rates(before, &net, now - *at),
                    None => vec![None; net.interfaces.len()],
                };
                self.net = Some((net.clone(), now));
                r.net = Some(NetReading { dev: net, rates });
            }
            Err(fault) => faults.push(fault),
        }
        s.own_rss_kb = procfs::own_rss_kb(buf);
        r.wireless = procfs::wireless(roots, buf).map_err(|f| faults.push(f)).ok().flatten();
        s.network = Network {
            interfaces: Vec::new(),
            tcp: procfs::tcp_stats(roots, buf).map_err(|f| faults.push(f)).ok(),
        };
        match procfs::diskstats(roots, buf) {
            Ok(stats) => {
                let mut io = disk_io(&stats);
                if let Some((before, at)) = &self.disk {
                    let elapsed = now - *at;
                    io.rates = per_second(before.read_bytes, io.read_bytes, elapsed)
                        .zip(per_second(before.write_bytes, io.write_bytes, elapsed));
                }
                self.disk = Some((io, now));
                s.disk_io = Some(io);
            }
            Err(fault) => faults.push(fault),
        }
        for fault in faults {
            degrade(s, Collector::Procfs, fault);
        }
    }

    fn read_sysfs(&mut self, s: &mut Sample, r: &mut Readings) {
        let mut faults: Vec<Fault> = Vec::new();
        sysfs::thermal_zones(&self.layout, &mut r.thermal, &mut faults);
        sysfs::ina3221(&self.layout, &mut self.buf, &mut r.ina3221, &mut faults);
        r.gpu_load = sysfs::gpu_load(&self.layout, &mut faults);
        r.gpu_freq_hz = sysfs::gpu_freq(&self.layout, &mut faults).map(|f| f.hz);
        r.cpu_freqs = sysfs::cpu_freqs(&self.layout).collect();
        r.cpus_present = self.layout.cpus_present;
        r.under_voltage = sysfs::under_voltage(&self.layout, &mut faults);
        for fault in faults {
            degrade(s, Collector::Sysfs, fault);
        }
    }

    fn read_storage(&mut self, s: &mut Sample) {
        let mounts = match procfs::mounts(&self.roots, &mut self.buf) {
            Ok(mounts) => mounts,
            Err(fault) => return degrade(s, Collector::Storage, fault),
        };
        let found = match &mut self.statvfs {
            Some(worker) => worker.filesystems(&self.roots, &mounts, SOURCE_BUDGET),
            None => {
                let mut found: Box<(heapless::Vec<Filesystem, _>, Vec<Fault>)> = Box::default();
                storage::filesystems(&self.roots, &mounts, &mut found.0, &mut found.1);
                Ok(found)
            }
        };
        match found {
            Ok(found) => {
                let (found, faults) = *found;
                self.filesystems = found.into_iter().collect();
                for fault in faults {
                    degrade(s, Collector::Storage, fault);
                }
            }
            Err(stuck) => {
                let why = format!(
                    "statvfs has not answered for {} ms (over its {} ms budget): a mount that \
                     hangs, such as a network filesystem whose server is gone; its last \
                     figures are kept",
                    stuck.as_millis().max(SOURCE_BUDGET.as_millis()),
                    SOURCE_BUDGET.as_millis()
                );
                degrade(s, Collector::Storage, Fault::Tool(why));
            }
        }
        s.filesystems = self.filesystems.clone();
    }

    fn read_processes(&mut self, s: &mut Sample, wanted: bool) {
        if !wanted {
            if self.scanning {
                self.scanner.reset();
                self.scanning = false;
            }
            return;
        }
        self.scanning = true;
        let Some(uptime_cs) = s.uptime_cs else { return };
        let mut faults = Vec::new();
        let table = self.scanner.scan(&self.roots, uptime_cs, &mut self.buf, &mut faults);
        s.processes = Some(Arc::new(table));
        for fault in faults {
            degrade(s, Collector::Processes, fault);
        }
    }
}

/// Runs `read`, and marks `collector` degraded when it took longer than
/// [`SOURCE_BUDGET`]: it could not be stopped, but it is not hidden.
fn timed(s: &mut Sample, collector: Collector, read: impl FnOnce(&mut Sample)) {
    let started = Instant::now();
    read(s);
    let took = started.elapsed();
    if took > SOURCE_BUDGET {
        let why = format!(
            "{}: this round took {} ms, over its {} ms budget",
            collector.as_str(),
            took.as_millis(),
            SOURCE_BUDGET.as_millis()
        );
        degrade(s, collector, Fault::Tool(why));
    }
}

/// Records that `collector` failed this round, and why.
fn degrade(s: &mut Sample, collector: Collector, fault: Fault) {
    s.faults.push(Degraded { collector, fault });
}
