//! The fixture roots in `tests/fixtures/` (see its README.md), read the way
//! the daemon reads a board: every /proc and /sys file it uses is parsed
//! with `edgestat_parsers` and checked against concrete values and against
//! the other files of the same tree (per-CPU ticks add up to the `cpu`
//! line, processes started before uptime, mount points exist, …). The
//! tegrastats and vcgencmd stand-ins are run as the daemon runs them.

use core::time::Duration;
use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Instant;

use edgestat_core::linux::{CpuTicks, PiBoard, ProcessState};
use edgestat_core::sysfs::{ChannelKind, Ina3221, ReadFault};
use edgestat_parsers::procfs::{
    cpuinfo, device_tree_model, diskstats, loadavg, meminfo, mounts, net_dev, pid_stat, pid_status,
    stat, uptime,
};
use edgestat_parsers::sysfs::{alarm, cpufreq, devfreq, gpu_load, ina3221, thermal};
use edgestat_parsers::{Error, tegrastats, vcgencmd};

// ---------------------------------------------------------------- reading

fn root(fixture: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(fixture)
}

fn bytes(path: &Path) -> Vec<u8> {
    fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn text(path: &Path) -> String {
    String::from_utf8(bytes(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `rel` under `root`, parsed; a parse error names the file.
fn parsed<T>(root: &Path, rel: &str, parse: impl FnOnce(&[u8]) -> Result<T, Error>) -> T {
    let path = root.join(rel);
    parse(&bytes(&path)).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
}

/// What the daemon makes of a failed read.
fn read_fault(path: &Path) -> Result<Vec<u8>, ReadFault> {
    fs::read(path).map_err(|e| e.raw_os_error().map_or(ReadFault::Other, ReadFault::from_errno))
}

/// Every regular file of an INA3221 directory as `(name, contents)`.
fn ina_dir(dir: &Path) -> Vec<(String, Result<Vec<u8>, ReadFault>)> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.file_name().unwrap().to_str().unwrap().to_owned(), read_fault(&p)))
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

fn hwmon(dir: &Path) -> Ina3221 {
    let files = ina_dir(dir);
    ina3221::hwmon::parse_dir(
        files.iter().map(|(n, r)| (n.as_str(), r.as_ref().map(Vec::as_slice).map_err(|e| *e))),
    )
    .unwrap_or_else(|e| panic!("{}: {e:?}", dir.display()))
}

fn iio(dir: &Path) -> Ina3221 {
    let files = ina_dir(dir);
    ina3221::iio::parse_dir(
        files.iter().map(|(n, r)| (n.as_str(), r.as_ref().map(Vec::as_slice).map_err(|e| *e))),
    )
    .unwrap_or_else(|e| panic!("{}: {e:?}", dir.display()))
}

fn rail_mw(ina: &Ina3221, label: &str) -> i32 {
    ina.rail(label).and_then(|c| c.milliwatts).unwrap_or_else(|| panic!("rail {label}"))
}

// ------------------------------------------------------- /etc and /proc

/// `uid → name` from `<root>/etc/passwd`.
fn passwd(root: &Path) -> BTreeMap<u32, String> {
    text(&root.join("etc/passwd"))
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split(':').collect();
            assert_eq!(f.len(), 7, "passwd line {line:?}");
            (f[2].parse().unwrap(), f[0].to_owned())
        })
        .collect()
}

fn ticks(t: &CpuTicks) -> [u64; 10] {
    [t.user, t.nice, t.system, t.idle, t.iowait, t.irq, t.softirq, t.steal, t.guest, t.guest_nice]
}

/// The numeric directories of `<root>/proc`.
fn pids(root: &Path) -> Vec<u32> {
    let mut pids: Vec<u32> = fs::read_dir(root.join("proc"))
        .unwrap()
        .filter_map(|e| e.unwrap().file_name().to_str()?.parse().ok())
        .collect();
    pids.sort_unstable();
    pids
}

/// One process as the daemon sees it: `(name, user, state, threads, VmRSS)`.
type Proc = (String, String, ProcessState, u32, u64);

/// One fixture root and what its board is: CPU count, page size.
struct Tree {
    root: PathBuf,
    cpus: usize,
    /// The kernel's page size in KiB (`rss` in /proc/<pid>/stat is pages).
    page_kb: u64,
    /// Whether /proc/uptime's idle is the sum of /proc/stat's idle ticks
    /// (true for the trees' own files, not for the reused rpi4 ones).
    idle_matches: bool,
}

impl Tree {
    fn new(fixture: &str, cpus: usize, page_kb: u64, idle_matches: bool) -> Self {
        Tree { root: root(fixture), cpus, page_kb, idle_matches }
    }

    /// Checks the facts every tree keeps, whatever the board, and returns
    /// its processes by pid.
    fn check(&self) -> BTreeMap<u32, Proc> {
        let r = &self.root;
        let info = parsed(r, "proc/cpuinfo", cpuinfo::parse);
        assert_eq!(usize::from(info.processors), self.cpus, "cpuinfo processors");

        let st = parsed(r, "proc/stat", stat::parse);
        assert_eq!(st.cpus.len(), self.cpus, "stat cpu lines");
        for (i, cpu) in st.cpus.iter().enumerate() {
            assert_eq!(cpu.id as usize, i, "cpu ids are 0..n");
        }
        for (k, total) in ticks(&st.cpu).iter().enumerate() {
            let sum: u64 = st.cpus.iter().map(|c| ticks(&c.ticks)[k]).sum();
            assert_eq!(sum, *total, "cpu column {k} is the sum of the cpuN columns");
        }
        let up = parsed(r, "proc/uptime", uptime::parse);
        for cpu in &st.cpus {
            assert!(cpu.ticks.total() <= up.uptime_cs, "cpu{} ticks beyond uptime", cpu.id);
        }
        if self.idle_matches {
            let idle: u64 = st.cpus.iter().map(|c| c.ticks.idle).sum();
            assert_eq!(up.idle_cs, idle, "uptime idle = sum of idle ticks");
        }
        assert_eq!(
            text(&r.join("sys/devices/system/cpu/online")),
            format!("0-{}\n", self.cpus - 1)
        );

        let mem = parsed(r, "proc/meminfo", meminfo::parse);
        let total = mem.mem_total_kb.unwrap();
        assert!(mem.mem_available_kb.unwrap() <= total);
        assert!(mem.mem_free_kb.unwrap() <= mem.mem_available_kb.unwrap());
        assert!(mem.swap_free_kb.unwrap() <= mem.swap_total_kb.unwrap());

        let load = parsed(r, "proc/loadavg", loadavg::parse);
        let users = passwd(r);
        assert_eq!(users.get(&0).map(String::as_str), Some("root"));
        let mut procs = BTreeMap::new();
        for pid in pids(r) {
            let s = parsed(r, &format!("proc/{pid}/stat"), pid_stat::parse);
            let status = parsed(r, &format!("proc/{pid}/status"), pid_status::parse);
            assert_eq!((s.pid, status.pid), (pid, pid));
            assert_eq!(s.comm, status.name, "pid {pid}");
            assert_eq!(s.state, status.state, "pid {pid}");
            assert_eq!(s.ppid, status.ppid, "pid {pid}");
            assert_eq!(s.num_threads, status.threads, "pid {pid}");
            assert!(s.starttime_ticks < up.uptime_cs, "pid {pid} starts after uptime");
            assert!(pid <= load.last_pid, "pid {pid} beyond loadavg's last pid");
            // Kernel threads have no memory lines.
            let rss = status.vm_rss_kb.unwrap_or(0);
            assert_eq!(s.rss_pages * self.page_kb, rss, "pid {pid} rss pages vs VmRSS");
            assert_eq!(s.vsize_bytes / 1024, status.vm_size_kb.unwrap_or(0), "pid {pid} vsize");
            let user = users.get(&status.uid).unwrap_or_else(|| panic!("uid {}", status.uid));
            procs.insert(pid, (status.name.to_string(), user.clone(), s.state, s.num_threads, rss));
        }
        assert_eq!(procs.get(&1).map(|p| p.0.as_str()), Some("systemd"));
        assert_eq!(procs.get(&2).map(|p| p.0.as_str()), Some("kthreadd"));

        // Block-device mounts: the mount point exists under the root (for
        // statvfs) and the device is in diskstats (except /dev/root).
        let m = parsed(r, "proc/mounts", mounts::parse);
        let disks = parsed(r, "proc/diskstats", diskstats::parse);
        let mut real = 0;
        for mount in m.entries.iter().filter(|m| m.device.starts_with("/dev/")) {
            real += 1;
            let dir = r.join(mount.mount_point.trim_start_matches('/'));
            assert!(dir.is_dir(), "mount point {} has no directory", mount.mount_point);
            let name = mount.device.trim_start_matches("/dev/");
            assert!(name == "root" || disks.get(name).is_some(), "{name} not in diskstats");
        }
        assert!(real >= 1);
        assert!(m.at("/").is_some());

        let net = parsed(r, "proc/net/dev", net_dev::parse);
        assert!(net.get("lo").is_some() && net.get("eth0").is_some());

        // cpufreq: one readable policy per online CPU.
        for cpu in 0..self.cpus {
            let dir = format!("sys/devices/system/cpu/cpu{cpu}/cpufreq");
            let cur = parsed(r, &format!("{dir}/scaling_cur_freq"), cpufreq::parse).khz;
            let min = parsed(r, &format!("{dir}/cpuinfo_min_freq"), cpufreq::parse).khz;
            let max = parsed(r, &format!("{dir}/cpuinfo_max_freq"), cpufreq::parse).khz;
            assert!(min <= cur && cur <= max, "cpu{cpu}: {min} <= {cur} <= {max}");
        }
        procs
    }

    fn cur_khz(&self, cpu: usize) -> u32 {
        let rel = format!("sys/devices/system/cpu/cpu{cpu}/cpufreq/scaling_cur_freq");
        parsed(&self.root, &rel, cpufreq::parse).khz
    }

    fn max_khz(&self, cpu: usize) -> u32 {
        let rel = format!("sys/devices/system/cpu/cpu{cpu}/cpufreq/cpuinfo_max_freq");
        parsed(&self.root, &rel, cpufreq::parse).khz
    }

    /// `(type, temp or fault)` of every `class/thermal/thermal_zone<N>`, by N.
    fn zones(&self) -> Vec<(String, Result<i32, ReadFault>)> {
        let dir = self.root.join("sys/class/thermal");
        let mut found: Vec<(u32, PathBuf)> = fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| {
                let e = e.unwrap();
                let n = e.file_name().to_str()?.strip_prefix("thermal_zone")?.parse().ok()?;
                Some((n, e.path()))
            })
            .collect();
        found.sort_unstable_by_key(|(n, _)| *n);
        for (i, (n, _)) in found.iter().enumerate() {
            assert_eq!(*n as usize, i, "zones are numbered 0..n");
        }
        found
            .iter()
            .map(|(_, zone)| {
                let name = thermal::parse_type(&bytes(&zone.join("type"))).unwrap();
                let temp = read_fault(&zone.join("temp"))
                    .map(|b| thermal::parse_temp(&b).unwrap_or_else(|e| panic!("{e:?}")));
                (name.to_string(), temp)
            })
            .collect()
    }

    /// The `rpi_volt` hwmon device's under-voltage alarm, found by name
    /// under `class/hwmon` as the daemon finds it.
    fn under_voltage(&self) -> bool {
        let dir = self.root.join("sys/class/hwmon");
        let hwmon = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| fs::read(p.join("name")).is_ok_and(|n| n.trim_ascii() == b"rpi_volt"))
            .expect("an rpi_volt hwmon device");
        alarm::parse(&bytes(&hwmon.join("in0_lcrit_alarm"))).unwrap()
    }

    fn model(&self, rel: &str) -> String {
        parsed(&self.root, rel, device_tree_model::parse).to_string()
    }
}

/// Zones that all read, as [`Tree::zones`] returns them.
fn readings(zones: &[(&str, i32)]) -> Vec<(String, Result<i32, ReadFault>)> {
    zones.iter().map(|&(name, temp)| (name.to_owned(), Ok(temp))).collect()
}

// -------------------------------------------------------- /proc/net/tcp*

const TCP_HEADER: &str = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when \
                          retrnsmt   uid  timeout inode";
const TCP6_HEADER: &str = "  sl  local_address                         remote_address                        \
                           st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";

/// One socket of /proc/net/tcp or tcp6.
#[derive(Debug)]
struct Socket {
    local: String,
    local_port: u16,
    remote: String,
    remote_port: u16,
    state: u8,
    uid: u32,
}

/// An address as /proc prints it (each 32-bit word in host order) in the
/// usual notation: `192.168.1.42`, `::`, `::1`, `::ffff:192.168.1.42`.
fn address(hex: &str) -> String {
    let word =
        |w: &str| -> [u8; 4] { u32::from_str_radix(w, 16).expect("hex address").to_le_bytes() };
    let dotted = |b: [u8; 4]| format!("{}.{}.{}.{}", b[0], b[1], b[2], b[3]);
    match hex.len() {
        8 => dotted(word(hex)),
        32 => {
            let words: Vec<[u8; 4]> = (0..4).map(|i| word(&hex[i * 8..i * 8 + 8])).collect();
            let mut bytes = [0u8; 16];
            for (i, w) in words.iter().enumerate() {
                bytes[i * 4..i * 4 + 4].copy_from_slice(w);
            }
            let ip = core::net::Ipv6Addr::from(bytes);
            match ip.to_ipv4_mapped() {
                Some(v4) => format!("::ffff:{v4}"),
                None => ip.to_string(),
            }
        }
        n => panic!("address of {n} hex digits"),
    }
}

/// Parses /proc/net/tcp (`v6` false) or tcp6 in the kernel's exact layout.
fn tcp_table(root: &Path, v6: bool) -> Vec<Socket> {
    let file = text(&root.join(if v6 { "proc/net/tcp6" } else { "proc/net/tcp" }));
    let mut lines = file.lines();
    let header = lines.next().unwrap();
    if v6 {
        assert_eq!(header, TCP6_HEADER);
    } else {
        // tcp4_seq_show pads every line to 149 columns.
        assert_eq!(header.trim_end(), TCP_HEADER);
        assert!(file.lines().all(|l| l.len() == 149), "tcp lines are padded to 149");
    }
    let hex_len = if v6 { 32 } else { 8 };
    let endpoint = |field: &str| -> (String, u16) {
        let (addr, port) = field.split_once(':').unwrap();
        assert_eq!((addr.len(), port.len()), (hex_len, 4), "{field}");
        (address(addr), u16::from_str_radix(port, 16).unwrap())
    };
    lines
        .enumerate()
        .map(|(i, line)| {
            let f: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(f.len(), 17, "{line}");
            assert_eq!(f[0], format!("{i}:"));
            let (local, local_port) = endpoint(f[1]);
            let (remote, remote_port) = endpoint(f[2]);
            assert_eq!(f[3].len(), 2);
            assert_eq!(f[11].len(), 16, "the %pK socket pointer");
            Socket {
                local,
                local_port,
                remote,
                remote_port,
                state: u8::from_str_radix(f[3], 16).unwrap(),
                uid: f[7].parse().unwrap(),
            }
        })
        .collect()
}

const ESTABLISHED: u8 = 0x01;
const LISTEN: u8 = 0x0A;

/// Both tables: each has a LISTEN socket on port 22, the IPv4 one an
/// ESTABLISHED ssh session to `me`; every uid is in passwd.
fn check_tcp(root: &Path, me: &str) -> Vec<Socket> {
    let users = passwd(root);
    let v4 = tcp_table(root, false);
    let v6 = tcp_table(root, true);
    for s in v4.iter().chain(&v6) {
        assert!(s.state == ESTABLISHED || s.state == LISTEN, "{s:?}");
        assert!(users.contains_key(&s.uid), "{s:?}");
        if s.state == LISTEN {
            assert_eq!(s.remote_port, 0);
        } else {
            assert!(s.local == me || s.local == format!("::ffff:{me}"), "{s:?}");
        }
    }
    assert!(v4.iter().any(|s| s.state == LISTEN && s.local == "0.0.0.0" && s.local_port == 22));
    assert!(v6.iter().any(|s| s.state == LISTEN && s.local == "::" && s.local_port == 22));
    assert!(v4.iter().any(|s| s.state == ESTABLISHED && s.local_port == 22 && s.uid == 0));
    // /proc/net/snmp's CurrEstab counts the same connections (the daemon
    // reads it instead of walking the tables).
    let established = v4.iter().chain(&v6).filter(|s| s.state == ESTABLISHED).count();
    let snmp = parsed(root, "proc/net/snmp", edgestat_parsers::procfs::net_snmp::parse);
    assert_eq!(snmp.curr_estab, established as u64);
    v4.into_iter().chain(v6).collect()
}

// ----------------------------------------------------------------- trees

#[test]
fn agx_orin_r36() {
    let t = Tree::new("agx-orin-r36", 12, 4, true);
    let procs = t.check();
    let r = &t.root;
    assert_eq!(
        t.model("sys/firmware/devicetree/base/model"),
        "NVIDIA Jetson AGX Orin Developer Kit"
    );
    let info = parsed(r, "proc/cpuinfo", cpuinfo::parse);
    assert_eq!(info.cpu_part, Some(0xd42), "Cortex-A78AE");

    let st = parsed(r, "proc/stat", stat::parse);
    assert_eq!(st.boot_time_s, Some(1_761_357_600));
    assert_eq!(st.cpu.user, 4_838_654);
    let up = parsed(r, "proc/uptime", uptime::parse);
    assert_eq!(up.uptime_cs, 9_421_337);
    let load = parsed(r, "proc/loadavg", loadavg::parse);
    assert_eq!((load.load1_centi, load.total, load.last_pid), (41, 612, 87_735));

    // tegrastats prints RAM 6879/62841MB and SWAP x/31421MB from these.
    let mem = parsed(r, "proc/meminfo", meminfo::parse);
    assert_eq!(mem.mem_total_kb, Some(64_349_736));
    assert_eq!(mem.mem_total_kb.unwrap() / 1024, 62_841);
    assert_eq!(mem.mem_total_kb.unwrap() - mem.mem_available_kb.unwrap(), 6879 * 1024);
    assert_eq!(mem.swap_total_kb, Some(64_349_736 / 2));

    let m = parsed(r, "proc/mounts", mounts::parse);
    assert_eq!(m.at("/").unwrap().device, "/dev/mmcblk0p1");
    assert_eq!(m.at("/data").unwrap().device, "/dev/nvme0n1p1");
    let disks = parsed(r, "proc/diskstats", diskstats::parse);
    assert_eq!(disks.get("mmcblk0p1").unwrap().reads, 97_342);
    assert!(disks.get("nvme0n1").unwrap().flushes.is_some(), "5.15: 17 fields");
    assert_eq!(disks.disks.iter().filter(|d| d.name.starts_with("zram")).count(), 12);
    let net = parsed(r, "proc/net/dev", net_dev::parse);
    assert_eq!(net.get("eth0").unwrap().rx_bytes, 2_310_544_821);

    let names: Vec<_> = procs.iter().map(|(pid, p)| (*pid, p.0.as_str(), p.1.as_str())).collect();
    assert_eq!(
        names,
        [
            (1, "systemd", "root"),
            (2, "kthreadd", "root"),
            (1042, "nvargus-daemon", "root"),
            (61873, "python3", "nvidia")
        ]
    );
    assert_eq!(procs[&61873].2, ProcessState::Running);
    assert_eq!((procs[&61873].3, procs[&61873].4), (14, 1_874_120));

    let sockets = check_tcp(r, "192.168.1.42");
    assert!(sockets.iter().any(|s| s.local == "127.0.0.53" && s.local_port == 53 && s.uid == 101));
    assert!(sockets.iter().any(|s| {
        s.state == ESTABLISHED && s.remote == "203.0.113.7" && s.remote_port == 443 && s.uid == 1000
    }));

    // Three clusters, one policy each (T-AB-4's clocks).
    let cur: Vec<u32> = (0..12).map(|c| t.cur_khz(c)).collect();
    assert_eq!(cur, [[1_190_400; 4], [1_113_600; 4], [806_400; 4]].concat());
    assert!((0..12).all(|c| t.max_khz(c) == 2_201_600));

    let zones = t.zones();
    let zone_names: Vec<&str> = zones.iter().map(|z| z.0.as_str()).collect();
    assert_eq!(
        zone_names,
        [
            "cpu-thermal",
            "gpu-thermal",
            "cv0-thermal",
            "cv1-thermal",
            "cv2-thermal",
            "soc0-thermal",
            "soc1-thermal",
            "soc2-thermal",
            "tj-thermal"
        ]
    );
    assert_eq!(zones[0].1, Ok(44_388));
    assert_eq!((zones[2].1, zones[3].1), (Ok(0), Ok(0)), "cv0, cv1 read 0 (TZ-J6)");
    // cv2's temp is a directory: reading fails (EISDIR), as the device's
    // EAGAIN does (TZ-J7).
    assert_eq!(zones[4].1, Err(ReadFault::Other));
    assert!(r.join("sys/class/thermal/thermal_zone4/temp").is_dir());

    let main = hwmon(&r.join("sys/bus/i2c/drivers/ina3221/1-0040/hwmon/hwmon3"));
    assert_eq!(rail_mw(&main, "VDD_GPU_SOC"), 3200);
    assert_eq!(rail_mw(&main, "VDD_CPU_CV"), 808);
    assert_eq!(rail_mw(&main, "VIN_SYS_5V0"), 2279);
    let aux = hwmon(&r.join("sys/class/hwmon/hwmon4"));
    assert_eq!(rail_mw(&aux, "VDDQ_VDD2_1V8AO"), 814);
    let nc = aux.channels.iter().filter(|c| c.kind == ChannelKind::NotConnected).count();
    assert_eq!(nc, 2);

    let gpu = "sys/devices/platform/bus@0/17000000.gpu";
    assert_eq!(parsed(r, &format!("{gpu}/load"), gpu_load::parse).per_mille, 0);
    let freq =
        |f: &str| parsed(r, &format!("sys/class/devfreq/17000000.gpu/{f}"), devfreq::parse).hz;
    assert_eq!(
        (freq("min_freq"), freq("cur_freq"), freq("max_freq")),
        (306_000_000, 306_000_000, 1_300_500_000)
    );
}

#[test]
fn nano_r32() {
    let t = Tree::new("nano-r32", 4, 4, true);
    let procs = t.check();
    let r = &t.root;
    assert_eq!(t.model("proc/device-tree/model"), "NVIDIA Jetson Nano Developer Kit");
    let info = parsed(r, "proc/cpuinfo", cpuinfo::parse);
    assert_eq!(info.cpu_part, Some(0xd07), "Cortex-A57");
    assert_eq!(info.model_name.as_deref(), Some("ARMv8 Processor rev 1 (v8l)"));
    assert!(info.revision.is_none() && info.pi.is_none());

    let up = parsed(r, "proc/uptime", uptime::parse);
    assert_eq!(up.uptime_cs, 2_754_182);
    // T-WA-3: RAM 1923/3964MB … SWAP 191/1982MB (cached 6MB).
    let mem = parsed(r, "proc/meminfo", meminfo::parse);
    let total = mem.mem_total_kb.unwrap();
    assert_eq!(total / 1024, 3964);
    let used = total - mem.mem_free_kb.unwrap() - mem.buffers_kb.unwrap() - mem.cached_kb.unwrap();
    assert_eq!(used, 1923 * 1024);
    let swap = mem.swap_total_kb.unwrap();
    assert_eq!((swap / 1024, (swap - mem.swap_free_kb.unwrap()) / 1024), (1982, 191));
    assert_eq!(mem.swap_cached_kb, Some(6 * 1024));

    // No initramfs: the root is /dev/root; kernel 4.9 prints 11 fields.
    let m = parsed(r, "proc/mounts", mounts::parse);
    assert_eq!(m.at("/").unwrap().device, "/dev/root");
    let disks = parsed(r, "proc/diskstats", diskstats::parse);
    let p1 = disks.get("mmcblk0p1").unwrap();
    assert_eq!(p1.reads, 40_772);
    assert!(p1.discards.is_none() && p1.flushes.is_none());
    // 191 MB of swap written to the four zram devices in 4 KiB pages.
    let zram_writes: u64 =
        disks.disks.iter().filter(|d| d.name.starts_with("zram")).map(|d| d.writes).sum();
    assert_eq!(zram_writes * 4 / 1024, 191);

    let names: Vec<_> = procs.iter().map(|(pid, p)| (*pid, p.0.as_str(), p.1.as_str())).collect();
    assert_eq!(
        names,
        [(1, "systemd", "root"), (2, "kthreadd", "root"), (4711, "python3", "jetson")]
    );
    check_tcp(r, "192.168.1.57");

    assert!((0..4).all(|c| t.cur_khz(c) == 1_224_000 && t.max_khz(c) == 1_479_000));
    assert_eq!(
        t.zones(),
        readings(&[
            ("AO-therm", 45_000),
            ("CPU-therm", 40_000),
            ("GPU-therm", 40_000),
            ("PLL-therm", 37_000),
            ("PMIC-Die", 50_000),
            ("thermal-fan-est", 40_000),
        ])
    );

    let ina = iio(&r.join("sys/bus/i2c/drivers/ina3221x/6-0040/iio:device0"));
    assert_eq!(rail_mw(&ina, "POM_5V_IN"), 1020);
    assert_eq!(rail_mw(&ina, "POM_5V_GPU"), 199);
    assert_eq!(rail_mw(&ina, "POM_5V_CPU"), 603);
    // A fully busy GPU at its top devfreq step.
    assert_eq!(parsed(r, "sys/devices/gpu.0/load", gpu_load::parse).per_mille, 1000);
    let freq =
        |f: &str| parsed(r, &format!("sys/class/devfreq/57000000.gpu/{f}"), devfreq::parse).hz;
    assert_eq!((freq("cur_freq"), freq("max_freq")), (921_600_000, 921_600_000));
}

#[test]
fn pi4_bookworm() {
    // /proc/stat and /proc/uptime are the parser fixture's, which do not
    // tie uptime's idle to the idle ticks.
    let t = Tree::new("pi4-bookworm", 4, 4, false);
    let procs = t.check();
    let r = &t.root;
    assert_eq!(t.model("sys/firmware/devicetree/base/model"), "Raspberry Pi 4 Model B Rev 1.1");
    let info = parsed(r, "proc/cpuinfo", cpuinfo::parse);
    assert_eq!((info.cpu_part, info.revision), (Some(0xd08), Some(0xc0_3111)));

    let names: Vec<_> = procs.iter().map(|(pid, p)| (*pid, p.0.as_str(), p.1.as_str())).collect();
    assert_eq!(
        names,
        [
            (1, "systemd", "root"),
            (2, "kthreadd", "root"),
            (641, "lighttpd", "www-data"),
            (2817, "python3", "pi")
        ]
    );
    let m = parsed(r, "proc/mounts", mounts::parse);
    assert_eq!(m.at("/boot/firmware").unwrap().fs_type, "vfat");
    assert!(r.join("media/pi/My Disk").is_dir(), "the \\040 mount point");
    check_tcp(r, "192.168.1.23");

    assert!((0..4).all(|c| t.cur_khz(c) == 600_000 && t.max_khz(c) == 1_500_000));
    assert_eq!(t.zones(), readings(&[("cpu-thermal", 42_842)]));
    assert!(!t.under_voltage());
}

#[test]
fn pi5_bookworm() {
    // The Pi 5 kernel uses 16 KiB pages.
    let t = Tree::new("pi5-bookworm", 4, 16, true);
    let procs = t.check();
    let r = &t.root;
    assert_eq!(t.model("sys/firmware/devicetree/base/model"), "Raspberry Pi 5 Model B Rev 1.0");
    let info = parsed(r, "proc/cpuinfo", cpuinfo::parse);
    assert_eq!(info.cpu_part, Some(0xd0b), "Cortex-A76");
    assert_eq!(info.model.as_deref(), Some("Raspberry Pi 5 Model B Rev 1.0"));
    assert!(info.hardware.is_none());
    let pi = info.pi.unwrap();
    assert_eq!((pi.code, pi.board, pi.memory_mb), (0xd0_4170, PiBoard::Pi5, Some(8192)));

    let mem = parsed(r, "proc/meminfo", meminfo::parse);
    assert_eq!(mem.mem_total_kb, Some(8_252_368));
    for kb in
        [mem.mem_total_kb, mem.mem_free_kb, mem.cached_kb, mem.swap_total_kb, mem.cma_total_kb]
    {
        assert_eq!(kb.unwrap() % 16, 0, "whole 16 KiB pages");
    }
    let up = parsed(r, "proc/uptime", uptime::parse);
    assert_eq!(up.uptime_cs, 18_342_109);

    let names: Vec<_> = procs.iter().map(|(pid, p)| (*pid, p.0.as_str(), p.1.as_str())).collect();
    assert_eq!(
        names,
        [
            (1, "systemd", "root"),
            (2, "kthreadd", "root"),
            (733, "lighttpd", "www-data"),
            (4410, "python3", "pi")
        ]
    );
    check_tcp(r, "192.168.1.24");

    assert!((0..4).all(|c| t.cur_khz(c) == 1_500_000 && t.max_khz(c) == 2_400_000));
    assert_eq!(t.zones(), readings(&[("cpu-thermal", 51_200)]));
    assert!(!t.under_voltage());
}

// ------------------------------------------------------------ stand-ins

/// Runs a stand-in to its end (20 s at most) with `env` set.
fn run(program: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(program);
    cmd.args(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for var in ["TEGRASTATS_STANDIN_LINES", "TEGRASTATS_STANDIN_STARTS"] {
        cmd.env_remove(var);
    }
    for var in ["VCGENCMD_STANDIN_FAIL", "VCGENCMD_STANDIN_CALLS"] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied());
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("{}: {e}", program.display()));
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{} {args:?} did not finish", program.display());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// A fresh path in the temporary directory.
fn scratch(name: &str) -> PathBuf {
    let path =
        std::env::temp_dir().join(format!("edgestat-fixtures-{}-{name}", std::process::id()));
    let _ = fs::remove_file(&path);
    path
}

/// The captured lines the tegrastats stand-in of `fixture` prints, in order.
fn captured_lines(fixture: &str) -> Vec<String> {
    let share = root(fixture).join("usr/share/tegrastats-standin");
    let tsv = text(&share.join("captured.tsv"));
    text(&share.join("ids"))
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|id| {
            tsv.lines()
                .find_map(|row| {
                    let f: Vec<&str> = row.split('\t').collect();
                    (f[0] == id).then(|| f[3].to_owned())
                })
                .unwrap_or_else(|| panic!("{id} not captured"))
        })
        .collect()
}

#[test]
fn tegrastats_stand_ins_print_captured_lines_then_crash_on_request() {
    for (fixture, cores, total_mb) in [("agx-orin-r36", 12, 62_841), ("nano-r32", 4, 3964)] {
        let tegrastats = root(fixture).join("usr/bin/tegrastats");
        let starts = scratch(&format!("{fixture}-starts"));
        let started = Instant::now();
        let out = run(
            &tegrastats,
            &["--interval", "100"],
            &[
                ("TEGRASTATS_STANDIN_LINES", "2"),
                ("TEGRASTATS_STANDIN_STARTS", starts.to_str().unwrap()),
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{fixture}: a crash");
        assert!(started.elapsed() >= Duration::from_millis(200), "one line per interval");
        let lines: Vec<String> = stdout(&out).lines().map(str::to_owned).collect();
        assert_eq!(lines, captured_lines(fixture)[..2], "{fixture}");
        for line in &lines {
            let sample = tegrastats::parse(line.as_bytes()).unwrap();
            assert_eq!(sample.cpu.cores.len(), cores);
            assert_eq!(sample.ram.total_mb, total_mb);
        }
        let starts_text = text(&starts);
        let pid: u32 = starts_text.strip_prefix("start ").unwrap().trim_end().parse().unwrap();
        assert!(pid > 0);
        assert_eq!(starts_text.lines().count(), 1);
        fs::remove_file(&starts).unwrap();
    }
    // 0 lines: a crash at once.
    let out = run(
        &root("nano-r32").join("usr/bin/tegrastats"),
        &[],
        &[("TEGRASTATS_STANDIN_LINES", "0")],
    );
    assert_eq!((out.status.code(), out.stdout.len()), (Some(1), 0));
}

#[test]
fn tegrastats_stand_in_runs_until_terminated_and_loops() {
    let captured = captured_lines("agx-orin-r36");
    let mut child = Command::new(root("agx-orin-r36").join("usr/bin/tegrastats"))
        .args(["--interval", "20"])
        .env_remove("TEGRASTATS_STANDIN_LINES")
        .env_remove("TEGRASTATS_STANDIN_STARTS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let reader = BufReader::new(child.stdout.take().unwrap());
    let thread = std::thread::spawn(move || {
        for line in reader.lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    // Once round the six captured lines and into the second round.
    let mut lines = Vec::new();
    for _ in 0..captured.len() + 2 {
        lines.push(rx.recv_timeout(Duration::from_secs(10)).expect("a line per interval"));
    }
    assert_eq!(lines[..captured.len()], captured[..]);
    assert_eq!(lines[captured.len()..], captured[..2]);
    // SIGTERM (as the daemon stops it): it dies of the signal, and its
    // stdout closes with it.
    let pid = nix::unistd::Pid::from_raw(i32::try_from(child.id()).unwrap());
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).unwrap();
    let exit = child.wait().unwrap();
    assert_eq!(exit.signal(), Some(15));
    thread.join().unwrap();
}

#[test]
fn tegrastats_stand_in_refuses_other_options() {
    let tegrastats = root("agx-orin-r36").join("usr/bin/tegrastats");
    for args in [
        &["--logfile", "/tmp/x"][..],
        &["--interval"],
        &["--interval", "fast"],
        &["--interval", "0"],
    ] {
        let out = run(&tegrastats, args, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        assert!(String::from_utf8_lossy(&out.stderr).starts_with("tegrastats: "), "{args:?}");
    }
}

fn vcgencmd(fixture: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    run(&root(fixture).join("usr/bin/vcgencmd"), args, env)
}

/// A successful call's stdout.
fn vc_ok(fixture: &str, args: &[&str]) -> Vec<u8> {
    let out = vcgencmd(fixture, args, &[]);
    assert_eq!(out.status.code(), Some(0), "{fixture} {args:?}: {}", stdout(&out));
    out.stdout
}

#[test]
fn vcgencmd_pi4_answers_with_the_captured_outputs() {
    let t = Tree::new("pi4-bookworm", 4, 4, false);
    let temp = vcgencmd::measure_temp::parse(&vc_ok("pi4-bookworm", &["measure_temp"])).unwrap();
    assert_eq!(temp.milli_celsius, 42_800);
    // The same sensor as thermal_zone0 (42842), to the tenth of a degree.
    let zone = t.zones()[0].1.unwrap();
    assert_eq!((zone + 50) / 100 * 100, temp.milli_celsius);

    let throttled =
        vcgencmd::get_throttled::parse(&vc_ok("pi4-bookworm", &["get_throttled"])).unwrap();
    assert_eq!(throttled.raw, 0x50005);
    let arm =
        vcgencmd::measure_clock::parse(&vc_ok("pi4-bookworm", &["measure_clock", "arm"])).unwrap();
    assert_eq!((arm.id, arm.hz), (48, 600_169_920));
    assert_eq!(u64::from(t.cur_khz(0)), arm.hz / 1_000_000 * 1000, "cpufreq agrees (600 MHz)");
    let v3d =
        vcgencmd::measure_clock::parse(&vc_ok("pi4-bookworm", &["measure_clock", "v3d"])).unwrap();
    assert_eq!(v3d.hz, 250_000_496);
    let volts =
        vcgencmd::measure_volts::parse(&vc_ok("pi4-bookworm", &["measure_volts", "core"])).unwrap();
    assert_eq!(volts.microvolts, 860_000);
    let gpu = vcgencmd::get_mem::parse(&vc_ok("pi4-bookworm", &["get_mem", "gpu"])).unwrap();
    assert_eq!(gpu.mb, 76);
    let version = vcgencmd::version::parse(&vc_ok("pi4-bookworm", &["version"])).unwrap();
    assert_eq!(version.hash, "f4e2138c2adc8f3a92a3a65939e458f11d7298ba");
    assert_eq!(version.variant.as_deref(), Some("start"));
}

#[test]
fn vcgencmd_pi5_answers_with_captured_and_constructed_outputs() {
    let t = Tree::new("pi5-bookworm", 4, 16, true);
    // Captured: VC-D1.
    let pmic = vcgencmd::pmic_read_adc::parse(&vc_ok("pi5-bookworm", &["pmic_read_adc"])).unwrap();
    assert_eq!(pmic.rails.len(), 14);
    let core = pmic.rail("VDD_CORE").unwrap();
    assert_eq!(core.volts.unwrap().nano, 720_976_200);
    assert!(pmic.rail("EXT5V").unwrap().current.is_none());

    // Constructed, and consistent with the tree.
    let temp = vcgencmd::measure_temp::parse(&vc_ok("pi5-bookworm", &["measure_temp"])).unwrap();
    assert_eq!(Ok(temp.milli_celsius), t.zones()[0].1);
    let throttled =
        vcgencmd::get_throttled::parse(&vc_ok("pi5-bookworm", &["get_throttled"])).unwrap();
    assert_eq!(throttled.raw, 0);
    assert!(!t.under_voltage());
    let arm =
        vcgencmd::measure_clock::parse(&vc_ok("pi5-bookworm", &["measure_clock", "arm"])).unwrap();
    assert_eq!((arm.id, arm.hz), (0, u64::from(t.cur_khz(0)) * 1000));
    for clock in ["core", "v3d"] {
        let reading =
            vcgencmd::measure_clock::parse(&vc_ok("pi5-bookworm", &["measure_clock", clock]))
                .unwrap();
        assert!(reading.id == 0 && reading.hz > 0, "{clock}");
    }
    let volts =
        vcgencmd::measure_volts::parse(&vc_ok("pi5-bookworm", &["measure_volts", "core"])).unwrap();
    assert_eq!(volts.microvolts, 721_000);
    // VDD_CORE as the PMIC reads it, to a tenth of a millivolt.
    assert!((i64::from(volts.microvolts) * 1000 - core.volts.unwrap().nano).abs() < 100_000);
    for (region, mb) in [("arm", 1016), ("gpu", 8)] {
        let mem = vcgencmd::get_mem::parse(&vc_ok("pi5-bookworm", &["get_mem", region])).unwrap();
        assert_eq!((mem.region.as_str(), mem.mb), (region, mb));
    }
    let version = vcgencmd::version::parse(&vc_ok("pi5-bookworm", &["version"])).unwrap();
    assert_eq!((version.date.year, version.date.month, version.date.day), (2024, 11, 12));
    assert_eq!((version.hash.as_str(), version.clean), ("4b019946", false));
    assert_eq!(version.variant.as_deref(), Some("embedded"));
}

#[test]
fn vcgencmd_without_an_output_answers_the_firmware_error() {
    // pmic_read_adc exists only on the Pi 5; get_camera has no Pi 5 capture.
    for (fixture, args) in [
        ("pi4-bookworm", &["pmic_read_adc"][..]),
        ("pi4-bookworm", &["no_such_command", "x"]),
        ("pi5-bookworm", &["get_camera"]),
    ] {
        let out = vcgencmd(fixture, args, &[]);
        assert_eq!(out.status.code(), Some(255), "{fixture} {args:?}");
        let text = stdout(&out);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert_eq!(lines[0], "vc_gencmd_read_response returned -1");
        let error = vcgencmd::firmware_error::parse(lines[1].as_bytes()).unwrap();
        assert_eq!((error.code, error.message.as_str()), (1, "Command not registered"));
        assert!(out.stderr.is_empty());
    }
    // No argument: the usage, status 0.
    let out = vcgencmd("pi5-bookworm", &[], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("Usage: vcgencmd command [ params ]\n"));
}

#[test]
fn vcgencmd_fail_knob_gives_the_mailbox_errors() {
    for fixture in ["pi4-bookworm", "pi5-bookworm"] {
        for args in [&["measure_temp"][..], &[]] {
            let out = vcgencmd(fixture, args, &[("VCGENCMD_STANDIN_FAIL", "vchiq")]);
            assert_eq!(out.status.code(), Some(255));
            assert_eq!(stdout(&out), "VCHI initialization failed\n");
            let out = vcgencmd(fixture, args, &[("VCGENCMD_STANDIN_FAIL", "vcio")]);
            assert_eq!(out.status.code(), Some(255));
            assert_eq!(
                stdout(&out),
                "Can't open device file: /dev/vcio\n\
                 Try creating a device file with: sudo mknod /dev/vcio c 100 0\n"
            );
        }
    }
    let out = vcgencmd("pi4-bookworm", &["measure_temp"], &[("VCGENCMD_STANDIN_FAIL", "other")]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn vcgencmd_calls_knob_counts_every_call() {
    let calls = scratch("vcgencmd-calls");
    let env = [("VCGENCMD_STANDIN_CALLS", calls.to_str().unwrap())];
    vcgencmd("pi4-bookworm", &["get_throttled"], &env);
    vcgencmd("pi4-bookworm", &["measure_clock", "arm"], &env);
    vcgencmd("pi4-bookworm", &["nope"], &env);
    let failing = [env[0], ("VCGENCMD_STANDIN_FAIL", "vchiq")];
    vcgencmd("pi4-bookworm", &["measure_temp"], &failing);
    assert_eq!(text(&calls), "get_throttled\nmeasure_clock arm\nnope\nmeasure_temp\n");
    fs::remove_file(&calls).unwrap();
}
