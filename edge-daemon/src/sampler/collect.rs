//! One round of collection: every source read once into a [`Snapshot`].

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use edgestat_core::linux::{NetDev, Stat};

use super::rates::{cpu_use, disk_io, net_rates, per_second};
use super::unify::{RailAverages, rails, tegra_cpu, temperatures};
use super::{Collector, DiskIo, Snapshot};
use crate::sources::processes::Scanner;
use crate::sources::sysfs::{self, Layout};
use crate::sources::tegrastats::Child;
use crate::sources::vcgencmd::Poller;
use crate::sources::{Fault, READ_BUF, Roots, procfs, storage};

/// The directory layout of sysfs is listed again every this many samples,
/// so a sensor that appears later (a hot-plugged disk's zone) is found.
const RELIST_EVERY: u32 = 60;

/// A tool's reading older than this many of its own intervals is stale
/// and left out of the sample.
const STALE_INTERVALS: u32 = 3;

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

/// The sampler's memory between rounds.
#[derive(Debug)]
pub struct Sampler {
    roots: Roots,
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
    tegrastats: Option<(Child, Duration)>,
    vcgencmd: Option<(Poller, Duration)>,
}

impl Sampler {
    /// A sampler over `settings`; starts the tool children it names.
    pub fn new(settings: Settings) -> Self {
        let tegrastats = settings.tegrastats.and_then(|(path, interval)| {
            Child::spawn(path, interval).ok().map(|c| (c, interval * STALE_INTERVALS))
        });
        let vcgencmd = settings.vcgencmd.and_then(|(path, interval)| {
            Poller::spawn(path, interval).ok().map(|p| (p, interval * STALE_INTERVALS))
        });
        Sampler {
            layout: Layout::discover(&settings.roots),
            roots: settings.roots,
            buf: vec![0; READ_BUF],
            layout_age: 0,
            seq: 0,
            stat: None,
            net: None,
            disk: None,
            rail_averages: RailAverages::default(),
            scanner: Scanner::default(),
            scanning: false,
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

    /// Reads every source once.
    pub fn sample(&mut self, want_processes: bool) -> Snapshot {
        self.seq += 1;
        self.layout_age += 1;
        if self.layout_age >= RELIST_EVERY {
            self.layout = Layout::discover(&self.roots);
            self.layout_age = 0;
        }
        let mut s = Snapshot { seq: self.seq, unix_micros: unix_micros(), ..Snapshot::default() };
        let now = Instant::now();
        self.read_procfs(&mut s, now);
        self.read_sysfs(&mut s);
        match procfs::mounts(&self.roots, &mut self.buf) {
            Ok(mounts) => {
                let mut faults = Vec::new();
                storage::filesystems(&self.roots, &mounts, &mut s.filesystems, &mut faults);
                for fault in faults {
                    s.fault(Collector::Storage, fault);
                }
            }
            Err(fault) => s.fault(Collector::Storage, fault),
        }
        self.read_processes(&mut s, want_processes);
        if let Some((child, max_age)) = &self.tegrastats {
            s.tegra = child.latest(*max_age).map(Box::new);
            if let Some(why) = child.fault() {
                s.fault(Collector::Tegrastats, why);
            }
        }
        if let Some((poller, max_age)) = &self.vcgencmd {
            s.pi = poller.latest(*max_age);
            if let Some(why) = poller.fault() {
                s.fault(Collector::Vcgencmd, why);
            }
        }
        let tegra = s.tegra.as_deref();
        s.temperatures = temperatures(&s.thermal, tegra);
        let pmic = s.pi.as_ref().and_then(|pi| pi.pmic.as_ref());
        s.rails = rails(&s.ina3221, pmic, tegra, &mut self.rail_averages);
        if s.cpu.cores.is_empty() {
            if let Some(tegra) = tegra {
                s.cpu = tegra_cpu(tegra);
            }
        }
        s
    }

    fn read_procfs(&mut self, s: &mut Snapshot, now: Instant) {
        let (roots, buf) = (&self.roots, &mut self.buf);
        match procfs::stat(roots, buf) {
            Ok(stat) => {
                s.cpu = cpu_use(self.stat.as_ref(), &stat);
                self.stat = Some(stat);
            }
            Err(fault) => s.fault(Collector::Procfs, fault),
        }
        s.memory = procfs::meminfo(roots, buf).map_err(|f| s.fault(Collector::Procfs, f)).ok();
        s.load = procfs::loadavg(roots, buf).map_err(|f| s.fault(Collector::Procfs, f)).ok();
        s.uptime = procfs::uptime(roots, buf).map_err(|f| s.fault(Collector::Procfs, f)).ok();
        match procfs::net_dev(roots, buf) {
            Ok(net) => {
                s.net_rates = match &self.net {
                    Some((before, at)) => net_rates(before, &net, now - *at),
                    None => vec![None; net.interfaces.len()],
                };
                self.net = Some((net.clone(), now));
                s.net = Some(net);
            }
            Err(fault) => s.fault(Collector::Procfs, fault),
        }
        s.own_rss_kb = procfs::own_rss_kb(buf);
        s.wireless =
            procfs::wireless(roots, buf).map_err(|f| s.fault(Collector::Procfs, f)).ok().flatten();
        s.tcp = procfs::tcp_stats(roots, buf).map_err(|f| s.fault(Collector::Procfs, f)).ok();
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
            Err(fault) => s.fault(Collector::Procfs, fault),
        }
    }

    fn read_sysfs(&mut self, s: &mut Snapshot) {
        let mut faults: Vec<Fault> = Vec::new();
        sysfs::thermal_zones(&self.layout, &mut s.thermal, &mut faults);
        sysfs::ina3221(&self.layout, &mut self.buf, &mut s.ina3221, &mut faults);
        s.gpu_load = sysfs::gpu_load(&self.layout, &mut faults);
        s.gpu_freq_hz = sysfs::gpu_freq(&self.layout, &mut faults).map(|f| f.hz);
        let freqs: HashMap<u32, Option<u32>> = sysfs::cpu_freqs(&self.layout).collect();
        for core in &mut s.cpu.cores {
            core.freq_khz = freqs.get(&core.id).copied().flatten();
        }
        if let Some(present) = &self.layout.cpus_present {
            if !s.cpu.cores.is_empty() {
                super::unify::add_offline(&mut s.cpu, present);
            }
        }
        s.under_voltage = sysfs::under_voltage(&self.layout, &mut faults);
        for fault in faults {
            s.fault(Collector::Sysfs, fault);
        }
    }

    fn read_processes(&mut self, s: &mut Snapshot, wanted: bool) {
        if !wanted {
            if self.scanning {
                self.scanner.reset();
                self.scanning = false;
            }
            return;
        }
        self.scanning = true;
        let Some(uptime) = s.uptime else { return };
        let mut faults = Vec::new();
        let table = self.scanner.scan(&self.roots, uptime.uptime_cs, &mut self.buf, &mut faults);
        s.processes = Some(Arc::new(table));
        for fault in faults {
            s.fault(Collector::Processes, fault);
        }
    }
}

/// Now, microseconds since the Unix epoch.
pub fn unix_micros() -> i64 {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since.as_micros()).unwrap_or(i64::MAX)
}
