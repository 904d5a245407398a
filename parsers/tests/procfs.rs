//! The /proc parsers against fixture files (see `data/procfs/README.md`):
//! exact values for the hand-written ARM fixtures, re-derived values for
//! the files captured on the development machine, and malformed, leftover
//! and over-capacity input.

use edgestat_core::json;
use edgestat_core::linux::{
    Discards, Flushes, MAX_CPUS, MAX_DISKS, MAX_INTERFACES, MAX_MOUNTS, MOUNT_PATH_LEN, PiBoard,
    PiManufacturer, PiProcessor, ProcessState,
};
use edgestat_parsers::procfs::{
    cpuinfo, device_tree_model, diskstats, loadavg, meminfo, mounts, net_dev, pid_stat, pid_status,
    stat, uptime,
};
use edgestat_parsers::{Error, ErrorKind};

macro_rules! fixture {
    ($path:literal) => {
        include_bytes!(concat!("data/procfs/", $path)).as_slice()
    };
}

mod pi4 {
    pub const CPUINFO: &[u8] = fixture!("rpi4-bookworm/cpuinfo");
    pub const MEMINFO: &[u8] = fixture!("rpi4-bookworm/meminfo");
    pub const STAT: &[u8] = fixture!("rpi4-bookworm/stat");
    pub const LOADAVG: &[u8] = fixture!("rpi4-bookworm/loadavg");
    pub const UPTIME: &[u8] = fixture!("rpi4-bookworm/uptime");
    pub const NET_DEV: &[u8] = fixture!("rpi4-bookworm/net_dev");
    pub const DISKSTATS: &[u8] = fixture!("rpi4-bookworm/diskstats");
    pub const MOUNTS: &[u8] = fixture!("rpi4-bookworm/mounts");
    pub const PID_STAT: &[u8] = fixture!("rpi4-bookworm/pid_stat");
    pub const PID_STATUS: &[u8] = fixture!("rpi4-bookworm/pid_status");
    pub const MODEL: &[u8] = fixture!("rpi4-bookworm/device-tree-model");
}

mod host {
    pub const CPUINFO: &[u8] = fixture!("x86_64-debian12/cpuinfo");
    pub const MEMINFO: &[u8] = fixture!("x86_64-debian12/meminfo");
    pub const STAT: &[u8] = fixture!("x86_64-debian12/stat");
    pub const LOADAVG: &[u8] = fixture!("x86_64-debian12/loadavg");
    pub const UPTIME: &[u8] = fixture!("x86_64-debian12/uptime");
    pub const NET_DEV: &[u8] = fixture!("x86_64-debian12/net_dev");
    pub const DISKSTATS: &[u8] = fixture!("x86_64-debian12/diskstats");
    pub const MOUNTS: &[u8] = fixture!("x86_64-debian12/mounts");
    pub const PID_STAT: &[u8] = fixture!("x86_64-debian12/pid_stat");
    pub const PID_STATUS: &[u8] = fixture!("x86_64-debian12/pid_status");
}

const ORIN_CPUINFO: &[u8] = fixture!("jetson-agx-orin-jp6/cpuinfo");
const ORIN_MODEL: &[u8] = fixture!("jetson-agx-orin-jp6/device-tree-model");
const ORIN_NET_DEV: &[u8] = fixture!("jetson-agx-orin-jp6/net_dev");
const PI5_MODEL: &[u8] = fixture!("rpi5-bookworm/device-tree-model");
const TX2_STAT: &[u8] = fixture!("jetson-tx2-r32/stat");
const TX2_DISKSTATS: &[u8] = fixture!("jetson-tx2-r32/diskstats");
const STAT_260: &[u8] = fixture!("edge/stat-2.6.0");
const NET_DEV_GLUED: &[u8] = fixture!("edge/net_dev-2.4-glued");
const MOUNTS_ESCAPES: &[u8] = fixture!("edge/mounts-escapes");
const PID_STAT_TRICKY: &[u8] = fixture!("edge/pid_stat-tricky-comm");
const PID_STATUS_KTHREAD: &[u8] = fixture!("edge/pid_status-kthread");
const CPUINFO_X86: &[u8] = fixture!("edge/cpuinfo-x86");

fn err(kind: ErrorKind, field: &'static str) -> Error {
    Error { kind, field }
}

fn text(bytes: &[u8]) -> &str {
    core::str::from_utf8(bytes).expect("fixture is UTF-8")
}

/// The value after `key:` on the first line with that key, trimmed.
fn value_of<'a>(file: &'a str, key: &str) -> &'a str {
    file.lines()
        .find_map(|l| l.split_once(':').filter(|(k, _)| k.trim() == key).map(|(_, v)| v.trim()))
        .unwrap_or_else(|| panic!("no {key}"))
}

/// `"0.52"` as hundredths, without the parser's helpers.
fn hundredths(s: &str) -> u64 {
    let (int, frac) = s.split_once('.').expect("two decimals");
    assert_eq!(frac.len(), 2);
    int.parse::<u64>().unwrap() * 100 + frac.parse::<u64>().unwrap()
}

// ---------------------------------------------------------------- cpuinfo

#[test]
fn pi4_cpuinfo_and_revision() {
    let info = cpuinfo::parse(pi4::CPUINFO).unwrap();
    assert_eq!(info.processors, 4);
    assert_eq!(info.model_name, None, "64-bit ARM kernels print no model name");
    assert_eq!(info.cpu_implementer, Some(0x41));
    assert_eq!(info.cpu_part, Some(0xd08));
    assert_eq!(info.hardware.as_deref(), Some("BCM2835"));
    assert_eq!(info.revision, Some(0xc03111));
    assert_eq!(info.serial.as_deref(), Some("10000000abcdef01"));
    assert_eq!(info.model.as_deref(), Some("Raspberry Pi 4 Model B Rev 1.1"));
    let pi = info.pi.unwrap();
    assert_eq!(pi.board, PiBoard::Pi4B);
    assert_eq!(pi.board.name(), Some("4B"));
    assert_eq!(pi.memory_mb, Some(4096));
    assert_eq!(pi.manufacturer, PiManufacturer::SonyUk);
    assert_eq!(pi.processor, PiProcessor::Bcm2711);
    assert_eq!(pi.revision, 1);
    assert!(!pi.warranty_voided);
}

#[test]
fn orin_cpuinfo() {
    let info = cpuinfo::parse(ORIN_CPUINFO).unwrap();
    assert_eq!(info.processors, 12);
    assert_eq!(info.cpu_implementer, Some(0x41));
    assert_eq!(info.cpu_part, Some(0xd42), "Cortex-A78AE");
    assert_eq!(info.hardware, None);
    assert_eq!(info.revision, None);
    assert_eq!(info.serial, None);
    assert_eq!(info.model, None);
    assert_eq!(info.pi, None);
}

#[test]
fn x86_cpuinfo() {
    let info = cpuinfo::parse(CPUINFO_X86).unwrap();
    assert_eq!(info.processors, 2);
    assert_eq!(info.model_name.as_deref(), Some("Intel(R) Core(TM) i7-8550U CPU @ 1.80GHz"));
    assert_eq!(info.model, None, "x86's `model : 142` is not the board `Model`");
    assert_eq!((info.cpu_part, info.hardware.as_deref()), (None, None));

    let host = cpuinfo::parse(host::CPUINFO).unwrap();
    let file = text(host::CPUINFO);
    let blocks = file.lines().filter(|l| l.starts_with("processor")).count();
    assert_eq!(usize::from(host.processors), blocks);
    assert_eq!(host.model_name.as_deref(), Some(value_of(file, "model name")));
    assert_eq!(host.revision, None);
}

#[test]
fn device_tree_models() {
    assert_eq!(
        device_tree_model::parse(ORIN_MODEL).as_deref(),
        Ok("NVIDIA Jetson AGX Orin Developer Kit")
    );
    assert_eq!(
        device_tree_model::parse(pi4::MODEL).as_deref(),
        Ok("Raspberry Pi 4 Model B Rev 1.1")
    );
    assert_eq!(
        device_tree_model::parse(PI5_MODEL).as_deref(),
        Ok("Raspberry Pi 5 Model B Rev 1.0")
    );
}

// ---------------------------------------------------------------- meminfo

#[test]
fn pi4_meminfo() {
    let m = meminfo::parse(pi4::MEMINFO).unwrap();
    assert_eq!(m.mem_total_kb, Some(3_884_256));
    assert_eq!(m.mem_free_kb, Some(2_764_408));
    assert_eq!(m.mem_available_kb, Some(3_349_176));
    assert_eq!(m.buffers_kb, Some(47_336));
    assert_eq!(m.cached_kb, Some(649_128));
    assert_eq!(m.swap_cached_kb, Some(0));
    assert_eq!(m.swap_total_kb, Some(102_396));
    assert_eq!(m.swap_free_kb, Some(102_396));
    assert_eq!(m.shmem_kb, Some(17_232));
    assert_eq!(m.sreclaimable_kb, Some(41_920));
    assert_eq!(m.sunreclaim_kb, Some(37_928));
    assert_eq!(m.cma_total_kb, Some(524_288));
    assert_eq!(m.cma_free_kb, Some(486_704));
    assert_eq!(m.other_keys, 41 - 13);
    // free(1): 3884256 - 2764408 - 47336 - (649128 + 41920)
    assert_eq!(m.used_kb(), Some(381_464));
}

#[test]
fn host_meminfo_matches_a_plain_reading() {
    let m = meminfo::parse(host::MEMINFO).unwrap();
    let file = text(host::MEMINFO);
    let kb = |key: &str| -> Option<u64> {
        file.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            (k == key).then(|| v.split_whitespace().next().unwrap().parse().unwrap())
        })
    };
    assert_eq!(m.mem_total_kb, kb("MemTotal"));
    assert_eq!(m.mem_free_kb, kb("MemFree"));
    assert_eq!(m.mem_available_kb, kb("MemAvailable"));
    assert_eq!(m.buffers_kb, kb("Buffers"));
    assert_eq!(m.cached_kb, kb("Cached"));
    assert_eq!(m.swap_total_kb, kb("SwapTotal"));
    assert_eq!(m.shmem_kb, kb("Shmem"));
    assert_eq!(m.sunreclaim_kb, kb("SUnreclaim"));
    assert_eq!(m.cma_total_kb, kb("CmaTotal"));
    assert!(m.mem_total_kb.is_some());
    let known = [
        "MemTotal",
        "MemFree",
        "MemAvailable",
        "Buffers",
        "Cached",
        "SwapCached",
        "SwapTotal",
        "SwapFree",
        "Shmem",
        "SReclaimable",
        "SUnreclaim",
        "CmaTotal",
        "CmaFree",
    ];
    let present = known.iter().filter(|k| kb(k).is_some()).count();
    assert_eq!(usize::from(m.other_keys), file.lines().count() - present);
}

// ---------------------------------------------------------------- stat

#[test]
fn pi4_stat() {
    let s = stat::parse(pi4::STAT).unwrap();
    assert_eq!(s.cpu.user, 61_344);
    assert_eq!(s.cpu.idle, 8_876_203);
    assert_eq!(s.cpu.softirq, 1_322);
    assert_eq!(s.cpus.len(), 4);
    let ids: Vec<u32> = s.cpus.iter().map(|c| c.id).collect();
    assert_eq!(ids, [0, 1, 2, 3]);
    assert_eq!(s.cpus[2].ticks.system, 5_810);
    assert_eq!(s.cpus[3].ticks.iowait, 1_077);
    assert_eq!(s.context_switches, Some(35_716_852));
    assert_eq!(s.boot_time_s, Some(1_732_185_600));
    assert_eq!(s.processes, Some(48_213));
    assert_eq!(s.procs_running, Some(1));
    assert_eq!(s.procs_blocked, Some(0));
    assert_eq!(s.other_lines, 0);
    let sum = s.cpus.iter().fold(0u64, |a, c| a + c.ticks.total());
    assert_eq!(sum, s.cpu.total());
    assert_eq!(s.cpu.idle_total(), 8_876_203 + 4_520);
}

#[test]
fn tx2_stat_keeps_offline_gaps() {
    let s = stat::parse(TX2_STAT).unwrap();
    let ids: Vec<u32> = s.cpus.iter().map(|c| c.id).collect();
    assert_eq!(ids, [0, 3, 4, 5]);
    assert_eq!(s.cpus[1].ticks.user, 31_522);
    assert_eq!(s.cpu.user, 128_470);
    assert_eq!(s.boot_time_s, Some(1_573_112_448));
}

#[test]
fn old_kernel_stat_has_zero_for_missing_columns() {
    let s = stat::parse(STAT_260).unwrap();
    assert_eq!(s.cpu.user, 1_250);
    assert_eq!(s.cpu.iowait, 312);
    assert_eq!(s.cpu.softirq, 9);
    assert_eq!((s.cpu.steal, s.cpu.guest, s.cpu.guest_nice), (0, 0, 0));
    assert_eq!(s.context_switches, Some(150_371));
}

#[test]
fn host_stat_matches_a_plain_reading() {
    let s = stat::parse(host::STAT).unwrap();
    let file = text(host::STAT);
    let cpu_lines: Vec<Vec<u64>> = file
        .lines()
        .filter(|l| l.starts_with("cpu") && l.as_bytes().get(3).is_some_and(u8::is_ascii_digit))
        .map(|l| l.split_whitespace().skip(1).map(|v| v.parse().unwrap()).collect())
        .collect();
    assert_eq!(s.cpus.len(), cpu_lines.len());
    for (cpu, columns) in s.cpus.iter().zip(&cpu_lines) {
        let t = cpu.ticks;
        let ours = [
            t.user,
            t.nice,
            t.system,
            t.idle,
            t.iowait,
            t.irq,
            t.softirq,
            t.steal,
            t.guest,
            t.guest_nice,
        ];
        assert_eq!(&ours[..columns.len()], &columns[..]);
    }
    let single = |key: &str| -> Option<u64> {
        file.lines().find_map(|l| l.strip_prefix(key)?.strip_prefix(' ')?.trim().parse().ok())
    };
    assert_eq!(s.context_switches, single("ctxt"));
    assert_eq!(s.boot_time_s, single("btime"));
    assert_eq!(s.processes, single("processes"));
    assert_eq!(s.procs_running.map(u64::from), single("procs_running"));
    assert!(s.boot_time_s.is_some());
}

// ---------------------------------------------------------------- loadavg, uptime

#[test]
fn loadavg_and_uptime() {
    let l = loadavg::parse(pi4::LOADAVG).unwrap();
    assert_eq!((l.load1_centi, l.load5_centi, l.load15_centi), (52, 58, 59));
    assert_eq!((l.running, l.total, l.last_pid), (2, 345, 12_345));
    let u = uptime::parse(pi4::UPTIME).unwrap();
    assert_eq!((u.uptime_cs, u.idle_cs), (35_073_547, 23_438_890));

    let host = loadavg::parse(host::LOADAVG).unwrap();
    let w: Vec<&str> = text(host::LOADAVG).split_whitespace().collect();
    assert_eq!(u64::from(host.load1_centi), hundredths(w[0]));
    assert_eq!(u64::from(host.load15_centi), hundredths(w[2]));
    assert_eq!(format!("{}/{}", host.running, host.total), w[3]);
    assert_eq!(host.last_pid.to_string(), w[4]);
    let up = uptime::parse(host::UPTIME).unwrap();
    let w: Vec<&str> = text(host::UPTIME).split_whitespace().collect();
    assert_eq!((up.uptime_cs, up.idle_cs), (hundredths(w[0]), hundredths(w[1])));
}

// ---------------------------------------------------------------- net/dev

#[test]
fn pi4_and_orin_net_dev() {
    let d = net_dev::parse(pi4::NET_DEV).unwrap();
    let names: Vec<&str> = d.interfaces.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["lo", "eth0", "wlan0"]);
    let eth0 = d.get("eth0").unwrap();
    assert_eq!(eth0.rx_bytes, 917_253_411);
    assert_eq!(eth0.rx_packets, 786_251);
    assert_eq!(eth0.rx_drop, 1_204);
    assert_eq!(eth0.rx_multicast, 21_043);
    assert_eq!(eth0.tx_bytes, 48_877_062);
    assert_eq!(eth0.tx_packets, 302_516);
    assert_eq!(d.get("lo").unwrap().tx_bytes, 48_226);

    let orin = net_dev::parse(ORIN_NET_DEV).unwrap();
    assert_eq!(orin.interfaces.len(), 10);
    assert_eq!(orin.get("eth0").unwrap().rx_bytes, 2_310_544_821);
    assert_eq!(orin.get("docker0").unwrap().tx_drop, 5);
    assert!(orin.get("l4tbr0").is_some() && orin.get("can0").is_some());
}

#[test]
fn glued_2_4_net_dev() {
    let d = net_dev::parse(NET_DEV_GLUED).unwrap();
    assert!(text(NET_DEV_GLUED).contains("eth0:1234567890"));
    let eth0 = d.get("eth0").unwrap();
    assert_eq!(eth0.rx_bytes, 1_234_567_890);
    assert_eq!(eth0.rx_packets, 1_234_567);
    assert_eq!(eth0.tx_bytes, 87_654_321);
    assert_eq!(eth0.tx_packets, 654_321);
}

#[test]
fn host_net_dev_matches_a_plain_reading() {
    let d = net_dev::parse(host::NET_DEV).unwrap();
    let rows: Vec<(&str, Vec<u64>)> = text(host::NET_DEV)
        .lines()
        .skip(2)
        .map(|l| {
            let (name, rest) = l.split_once(':').unwrap();
            (name.trim(), rest.split_whitespace().map(|v| v.parse().unwrap()).collect())
        })
        .collect();
    assert_eq!(d.interfaces.len(), rows.len());
    for (i, (name, values)) in d.interfaces.iter().zip(&rows) {
        assert_eq!(i.name, *name);
        let ours = [
            i.rx_bytes,
            i.rx_packets,
            i.rx_errs,
            i.rx_drop,
            i.rx_fifo,
            i.rx_frame,
            i.rx_compressed,
            i.rx_multicast,
            i.tx_bytes,
            i.tx_packets,
            i.tx_errs,
            i.tx_drop,
            i.tx_fifo,
            i.tx_colls,
            i.tx_carrier,
            i.tx_compressed,
        ];
        assert_eq!(&ours[..], &values[..]);
    }
    assert!(d.get("lo").is_some());
}

// ---------------------------------------------------------------- diskstats

#[test]
fn pi4_diskstats_17_fields() {
    let d = diskstats::parse(pi4::DISKSTATS).unwrap();
    assert_eq!(d.disks.len(), 13);
    let sd = d.get("mmcblk0").unwrap();
    assert_eq!((sd.major, sd.minor), (179, 0));
    assert_eq!(sd.reads, 31_620);
    assert_eq!(sd.reads_merged, 10_744);
    assert_eq!(sd.sectors_read, 2_103_396);
    assert_eq!(sd.read_time_ms, 27_551);
    assert_eq!(sd.writes, 39_880);
    assert_eq!(sd.sectors_written, 2_811_264);
    assert_eq!(sd.write_time_ms, 187_319);
    assert_eq!(sd.in_flight, 0);
    assert_eq!(sd.io_ticks_ms, 167_464);
    assert_eq!(sd.time_in_queue_ms, 220_212);
    assert_eq!(sd.discards, Some(Discards { completed: 0, merged: 0, sectors: 0, time_ms: 0 }));
    assert_eq!(sd.flushes, Some(Flushes { completed: 5_233, time_ms: 5_341 }));
    assert_eq!(d.get("sda1").unwrap().sectors_read, 34_030);
    assert_eq!(d.disks.iter().filter(|d| d.name.starts_with("loop")).count(), 8);
}

#[test]
fn tx2_diskstats_11_fields() {
    let d = diskstats::parse(TX2_DISKSTATS).unwrap();
    assert_eq!(d.disks.len(), 8 + 2 + 6);
    let app = d.get("mmcblk0p1").unwrap();
    assert_eq!(
        (app.reads, app.sectors_read, app.writes, app.io_ticks_ms),
        (52_813, 3_540_178, 15_402, 77_616)
    );
    assert_eq!((app.discards, app.flushes), (None, None));
    assert_eq!(d.get("zram0").map(|z| (z.major, z.sectors_read)), Some((252, 1_376)));
}

#[test]
fn host_diskstats_matches_a_plain_reading() {
    let d = diskstats::parse(host::DISKSTATS).unwrap();
    let rows: Vec<Vec<&str>> =
        text(host::DISKSTATS).lines().map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(d.disks.len(), rows.len());
    for (disk, row) in d.disks.iter().zip(&rows) {
        assert_eq!(disk.name, row[2]);
        assert_eq!(disk.major.to_string(), row[0]);
        assert_eq!(disk.sectors_read.to_string(), row[5]);
        assert_eq!(disk.sectors_written.to_string(), row[9]);
        assert_eq!(disk.io_ticks_ms.to_string(), row[12]);
        assert_eq!(disk.discards.is_some(), row.len() >= 18);
        assert_eq!(
            disk.flushes.map(|f| f.completed.to_string()),
            row.get(18).map(|s| s.to_string())
        );
    }
}

// ---------------------------------------------------------------- mounts

#[test]
fn pi4_mounts() {
    let m = mounts::parse(pi4::MOUNTS).unwrap();
    assert_eq!(m.entries.len(), 20);
    let root = m.at("/").unwrap();
    assert_eq!((root.device.as_str(), root.fs_type.as_str()), ("/dev/mmcblk0p2", "ext4"));
    assert!(!root.read_only);
    let boot = m.at("/boot/firmware").unwrap();
    assert_eq!((boot.fs_type.as_str(), boot.dump, boot.pass), ("vfat", 0, 2));
    let usb = m.at("/media/pi/My Disk").unwrap();
    assert_eq!((usb.device.as_str(), usb.fs_type.as_str()), ("/dev/sda1", "exfat"));
}

#[test]
fn mount_escapes_decode() {
    let m = mounts::parse(MOUNTS_ESCAPES).unwrap();
    assert_eq!(m.entries[0].mount_point, "/media/pi/back\\slash\ttab\nnewline");
    assert!(m.entries[0].read_only);
    assert_eq!(m.entries[1].device, "server:/export/home dir");
    assert_eq!(m.entries[1].mount_point, "/mnt/nfs home");
    assert_eq!(m.entries[1].fs_type, "nfs4");
}

#[test]
fn host_mounts_match_a_plain_reading() {
    let m = mounts::parse(host::MOUNTS).unwrap();
    let rows: Vec<Vec<&str>> = text(host::MOUNTS).lines().map(|l| l.split(' ').collect()).collect();
    assert_eq!(m.entries.len(), rows.len());
    for (e, row) in m.entries.iter().zip(&rows) {
        assert!(!row[1].contains('\\'), "this capture has no escapes");
        assert_eq!(
            (e.device.as_str(), e.mount_point.as_str(), e.fs_type.as_str()),
            (row[0], row[1], row[2])
        );
        assert_eq!(e.read_only, row[3].split(',').next() == Some("ro"));
    }
    assert_eq!(m.at("/proc").map(|p| p.fs_type.as_str()), Some("proc"));
}

// ---------------------------------------------------------------- pid stat and status

#[test]
fn pi4_process() {
    let s = pid_stat::parse(pi4::PID_STAT).unwrap();
    assert_eq!(
        (s.pid, s.comm.as_str(), s.state, s.ppid),
        (2817, "python3", ProcessState::Sleeping, 1)
    );
    assert_eq!((s.utime_ticks, s.stime_ticks, s.num_threads), (1_530, 477, 4));
    assert_eq!((s.starttime_ticks, s.vsize_bytes, s.rss_pages), (3_472_910, 224_776_192, 5_412));

    let st = pid_status::parse(pi4::PID_STATUS).unwrap();
    assert_eq!(
        (st.name.as_str(), st.state, st.pid, st.ppid, st.uid),
        ("python3", ProcessState::Sleeping, 2817, 1, 1000)
    );
    assert_eq!(st.vm_peak_kb, Some(226_020));
    assert_eq!(st.vm_size_kb, Some(219_508));
    assert_eq!(st.vm_hwm_kb, Some(23_412));
    assert_eq!(st.vm_rss_kb, Some(21_648));
    assert_eq!(st.threads, 4);
    // The two files agree: vsize is VmSize in bytes, rss is VmRSS in 4 kB pages.
    assert_eq!(st.vm_size_kb.map(|kb| kb * 1024), Some(s.vsize_bytes));
    assert_eq!(st.vm_rss_kb, Some(s.rss_pages * 4));
}

#[test]
fn tricky_comm_and_kernel_thread() {
    let s = pid_stat::parse(PID_STAT_TRICKY).unwrap();
    assert_eq!(s.pid, 1234);
    assert_eq!(s.comm, "my) (weird) prog");
    assert_eq!(
        (s.state, s.ppid, s.utime_ticks, s.stime_ticks),
        (ProcessState::Sleeping, 1, 25, 10)
    );
    assert_eq!(
        (s.num_threads, s.starttime_ticks, s.vsize_bytes, s.rss_pages),
        (3, 50_000, 12_345_678, 789)
    );

    let k = pid_status::parse(PID_STATUS_KTHREAD).unwrap();
    assert_eq!(k.name, "kworker/u8:2-events_unbound");
    assert_eq!((k.state, k.pid, k.ppid, k.uid, k.threads), (ProcessState::Idle, 9, 2, 0, 1));
    assert_eq!((k.vm_size_kb, k.vm_rss_kb, k.vm_peak_kb, k.vm_hwm_kb), (None, None, None, None));
}

#[test]
fn host_process_matches_a_plain_reading() {
    let s = pid_stat::parse(host::PID_STAT).unwrap();
    let line = text(host::PID_STAT);
    let (head, tail) = line.rsplit_once(')').unwrap();
    let (pid, comm) = head.split_once(" (").unwrap();
    // Fields 3.. by proc(5) numbering.
    let f: Vec<&str> = core::iter::repeat_n("", 3).chain(tail.split_whitespace()).collect();
    assert_eq!(s.pid.to_string(), pid);
    assert_eq!(s.comm, comm);
    assert_eq!(s.state.letter().to_string(), f[3]);
    assert_eq!(s.ppid.to_string(), f[4]);
    assert_eq!(s.utime_ticks.to_string(), f[14]);
    assert_eq!(s.num_threads.to_string(), f[20]);
    assert_eq!(s.starttime_ticks.to_string(), f[22]);
    assert_eq!(s.vsize_bytes.to_string(), f[23]);
    assert_eq!(s.rss_pages.to_string(), f[24]);

    let st = pid_status::parse(host::PID_STATUS).unwrap();
    let file = text(host::PID_STATUS);
    assert_eq!(st.name, value_of(file, "Name"));
    assert_eq!(st.pid.to_string(), value_of(file, "Pid"));
    assert_eq!(st.ppid.to_string(), value_of(file, "PPid"));
    assert_eq!(Some(st.uid.to_string().as_str()), value_of(file, "Uid").split_whitespace().next());
    assert_eq!(st.threads.to_string(), value_of(file, "Threads"));
    assert_eq!(st.vm_rss_kb.map(|v| format!("{v} kB")).as_deref(), Some(value_of(file, "VmRSS")));
    assert_eq!(Some(st.state.letter()), value_of(file, "State").chars().next());
}

// ---------------------------------------------------------------- JSON

#[test]
fn models_serialize_as_plain_json() {
    let mut buf = vec![0u8; 64 * 1024];
    macro_rules! json {
        ($value:expr) => {{
            let n = json::to_slice(&$value, &mut buf).expect("fits");
            String::from_utf8(buf[..n].to_vec()).unwrap()
        }};
    }
    let info = json!(cpuinfo::parse(pi4::CPUINFO).unwrap());
    assert!(info.contains(r#""revision":12595473"#), "{info}");
    assert!(info.contains(r#""pi":{"code":"c03111","board":"4B","memory_mb":4096,"manufacturer":"Sony UK","processor":"BCM2711","revision":1"#), "{info}");
    assert!(
        json!(meminfo::parse(pi4::MEMINFO).unwrap()).starts_with(r#"{"mem_total_kb":3884256,"#)
    );
    assert_eq!(
        json!(loadavg::parse(pi4::LOADAVG).unwrap()),
        r#"{"load1_centi":52,"load5_centi":58,"load15_centi":59,"running":2,"total":345,"last_pid":12345}"#
    );
    assert!(
        json!(pid_stat::parse(pi4::PID_STAT).unwrap())
            .contains(r#""comm":"python3","state":"sleeping""#)
    );
    assert!(
        json!(net_dev::parse(pi4::NET_DEV).unwrap())
            .contains(r#"{"name":"eth0","rx_bytes":917253411,"#)
    );
    assert!(
        json!(diskstats::parse(TX2_DISKSTATS).unwrap())
            .contains(r#""discards":null,"flushes":null"#)
    );
    assert!(
        json!(mounts::parse(MOUNTS_ESCAPES).unwrap()).contains(r#""mount_point":"/mnt/nfs home""#)
    );
    assert!(json!(stat::parse(TX2_STAT).unwrap()).contains(r#"{"id":3,"ticks":{"user":31522,"#));
    assert!(json!(uptime::parse(pi4::UPTIME).unwrap()).contains(r#""uptime_cs":35073547"#));
    assert!(json!(pid_status::parse(PID_STATUS_KTHREAD).unwrap()).contains(r#""state":"idle""#));
}

// ---------------------------------------------------------------- errors

#[test]
fn leftovers_are_rejected() {
    assert_eq!(
        loadavg::parse(b"0.52 0.58 0.59 2/345 12345 7\n"),
        Err(err(ErrorKind::Trailing, "loadavg"))
    );
    assert_eq!(uptime::parse(b"350735.47 234388.90 1\n"), Err(err(ErrorKind::Trailing, "uptime")));
    let mut stat_file = pi4::STAT.to_vec();
    stat_file.splice(0..0, b"cpu9 1 2 3 4 5 6 7 8 9 10 11\n".iter().copied());
    assert_eq!(stat::parse(&stat_file), Err(err(ErrorKind::Trailing, "cpuN")));
    let net = text(pi4::NET_DEV).replace("    0          0\n  eth0", "    0          0 9\n  eth0");
    assert_eq!(net_dev::parse(net.as_bytes()), Err(err(ErrorKind::Trailing, "interface")));
    let mem = text(pi4::MEMINFO).replace("3884256 kB", "3884256 kB kB");
    assert_eq!(meminfo::parse(mem.as_bytes()), Err(err(ErrorKind::Trailing, "MemTotal")));
    let disks = text(pi4::DISKSTATS).replace("5233 5341", "5233 5341 7");
    assert_eq!(diskstats::parse(disks.as_bytes()), Err(err(ErrorKind::Trailing, "diskstats")));
    let m = text(pi4::MOUNTS).replace("ext4 rw,noatime 0 0", "ext4 rw,noatime 0 0 0");
    assert_eq!(mounts::parse(m.as_bytes()), Err(err(ErrorKind::Trailing, "mounts")));
    let p = text(pi4::PID_STAT).replace(" 0\n", " 0 junk\n");
    assert_eq!(pid_stat::parse(p.as_bytes()), Err(err(ErrorKind::Syntax, "stat")));
    let st = text(pi4::PID_STATUS).replace("Threads:\t4", "Threads:\t4 5");
    assert_eq!(pid_status::parse(st.as_bytes()), Err(err(ErrorKind::Trailing, "Threads")));
    let c = text(pi4::CPUINFO).replace("0xd08", "0xd08 0xd09");
    assert_eq!(cpuinfo::parse(c.as_bytes()), Err(err(ErrorKind::Trailing, "CPU part")));
    assert_eq!(
        device_tree_model::parse(b"Raspberry Pi 4\0extra\0"),
        Err(err(ErrorKind::Trailing, "model"))
    );
}

#[test]
fn malformed_input_is_an_error() {
    assert_eq!(stat::parse(b""), Err(err(ErrorKind::Empty, "stat")));
    assert_eq!(stat::parse(b"ctxt 1\n"), Err(err(ErrorKind::Missing, "cpu")));
    assert_eq!(meminfo::parse(b"MemTotal: lots kB\n"), Err(err(ErrorKind::Syntax, "MemTotal")));
    assert_eq!(
        meminfo::parse(b"MemTotal: 99999999999999999999 kB\n"),
        Err(err(ErrorKind::Range, "MemTotal"))
    );
    assert_eq!(loadavg::parse(b"0.52 0.58\n"), Err(err(ErrorKind::Missing, "load15")));
    assert_eq!(uptime::parse(b"abc 1.00\n"), Err(err(ErrorKind::Syntax, "uptime")));
    assert_eq!(net_dev::parse(pi4::STAT), Err(err(ErrorKind::Syntax, "net/dev header")));
    assert_eq!(
        diskstats::parse(b"179 0 mmcblk0 1 2 3\n"),
        Err(err(ErrorKind::Missing, "diskstats"))
    );
    assert_eq!(
        mounts::parse(b"/dev/sda1 /mnt\\9 ext4 rw 0 0\n"),
        Err(err(ErrorKind::Syntax, "mount_point"))
    );
    assert_eq!(pid_stat::parse(b"12 (x S 1\n"), Err(err(ErrorKind::Syntax, "comm")));
    assert_eq!(
        pid_status::parse(b"Name:\tx\nState:\tS (sleeping)\n"),
        Err(err(ErrorKind::Missing, "Pid"))
    );
    assert_eq!(cpuinfo::parse(b"Revision\t: zz\n"), Err(err(ErrorKind::Syntax, "Revision")));
    assert_eq!(device_tree_model::parse(b""), Err(err(ErrorKind::Empty, "model")));
}

#[test]
fn capacities_overflow_explicitly() {
    let mut s = String::from("cpu  1 2 3 4\n");
    for id in 0..=MAX_CPUS {
        s.push_str(&format!("cpu{id} 1 2 3 4\n"));
    }
    assert_eq!(stat::parse(s.as_bytes()), Err(err(ErrorKind::Capacity, "cpus")));

    let mut n = text(pi4::NET_DEV).lines().take(2).collect::<Vec<_>>().join("\n");
    n.push('\n');
    for i in 0..=MAX_INTERFACES {
        n.push_str(&format!("veth{i}: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"));
    }
    assert_eq!(net_dev::parse(n.as_bytes()), Err(err(ErrorKind::Capacity, "interfaces")));
    let long_name = text(pi4::NET_DEV).replace("  eth0:", &format!("{}:", "e".repeat(33)));
    assert_eq!(net_dev::parse(long_name.as_bytes()), Err(err(ErrorKind::Capacity, "interface")));

    let mut d = String::new();
    for i in 0..=MAX_DISKS {
        d.push_str(&format!("   7 {i} loop{i} 0 0 0 0 0 0 0 0 0 0 0\n"));
    }
    assert_eq!(diskstats::parse(d.as_bytes()), Err(err(ErrorKind::Capacity, "disks")));

    let mut m = String::new();
    for i in 0..=MAX_MOUNTS {
        m.push_str(&format!("tmpfs /run/user/{i} tmpfs rw 0 0\n"));
    }
    assert_eq!(mounts::parse(m.as_bytes()), Err(err(ErrorKind::Capacity, "mounts")));
    let fits = format!("overlay /{} overlay rw 0 0\n", "a".repeat(MOUNT_PATH_LEN - 1));
    assert_eq!(
        mounts::parse(fits.as_bytes()).map(|m| m.entries[0].mount_point.len()),
        Ok(MOUNT_PATH_LEN)
    );
    let long = format!("overlay /{} overlay rw 0 0\n", "a".repeat(MOUNT_PATH_LEN));
    assert_eq!(mounts::parse(long.as_bytes()), Err(err(ErrorKind::Capacity, "mount_point")));
    // An escape decodes to one byte, so it counts once against the capacity.
    let escaped = format!("overlay /{}\\040 overlay rw 0 0\n", "a".repeat(MOUNT_PATH_LEN - 2));
    assert_eq!(
        mounts::parse(escaped.as_bytes()).map(|m| m.entries[0].mount_point.len()),
        Ok(MOUNT_PATH_LEN)
    );

    let comm = format!("1 ({}) S 0 {}\n", "c".repeat(65), "0 ".repeat(21));
    assert_eq!(pid_stat::parse(comm.as_bytes()), Err(err(ErrorKind::Capacity, "comm")));
}

/// Every parser on every fixture, cut at every byte and with bytes
/// overwritten: errors are fine, panics are not.
#[test]
fn no_input_panics() {
    type Accepts = fn(&[u8]) -> bool;
    let parsers: [(&str, Accepts); 11] = [
        ("stat", |b| stat::parse(b).is_ok()),
        ("meminfo", |b| meminfo::parse(b).is_ok()),
        ("loadavg", |b| loadavg::parse(b).is_ok()),
        ("uptime", |b| uptime::parse(b).is_ok()),
        ("net_dev", |b| net_dev::parse(b).is_ok()),
        ("diskstats", |b| diskstats::parse(b).is_ok()),
        ("mounts", |b| mounts::parse(b).is_ok()),
        ("pid_stat", |b| pid_stat::parse(b).is_ok()),
        ("pid_status", |b| pid_status::parse(b).is_ok()),
        ("cpuinfo", |b| cpuinfo::parse(b).is_ok()),
        ("device_tree_model", |b| device_tree_model::parse(b).is_ok()),
    ];
    let fixtures = [
        pi4::CPUINFO,
        pi4::MEMINFO,
        pi4::STAT,
        pi4::LOADAVG,
        pi4::UPTIME,
        pi4::NET_DEV,
        pi4::DISKSTATS,
        pi4::MOUNTS,
        pi4::PID_STAT,
        pi4::PID_STATUS,
        pi4::MODEL,
        host::STAT,
        host::MEMINFO,
        host::PID_STAT,
        ORIN_CPUINFO,
        TX2_STAT,
        TX2_DISKSTATS,
        NET_DEV_GLUED,
        MOUNTS_ESCAPES,
        PID_STAT_TRICKY,
        PID_STATUS_KTHREAD,
    ];
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut rand = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let nasty = [b'\0', b'\n', b' ', b'(', b')', b':', b'\\', b'-', b'9', 0xff, b'.', b'/'];
    for file in fixtures {
        for (_, parse) in &parsers {
            for cut in 0..=file.len().min(600) {
                parse(&file[..cut]);
            }
            for _ in 0..200 {
                let mut bytes = file.to_vec();
                for _ in 0..1 + rand() % 4 {
                    let at = (rand() as usize) % bytes.len();
                    bytes[at] = nasty[(rand() as usize) % nasty.len()];
                }
                parse(&bytes);
            }
        }
    }
    // Each fixture still parses with its own parser.
    for (name, parse) in &parsers {
        let own: &[&[u8]] = match *name {
            "stat" => &[pi4::STAT, host::STAT, TX2_STAT, STAT_260],
            "meminfo" => &[pi4::MEMINFO, host::MEMINFO],
            "loadavg" => &[pi4::LOADAVG, host::LOADAVG],
            "uptime" => &[pi4::UPTIME, host::UPTIME],
            "net_dev" => &[pi4::NET_DEV, host::NET_DEV, ORIN_NET_DEV, NET_DEV_GLUED],
            "diskstats" => &[pi4::DISKSTATS, host::DISKSTATS, TX2_DISKSTATS],
            "mounts" => &[pi4::MOUNTS, host::MOUNTS, MOUNTS_ESCAPES],
            "pid_stat" => &[pi4::PID_STAT, host::PID_STAT, PID_STAT_TRICKY],
            "pid_status" => &[pi4::PID_STATUS, host::PID_STATUS, PID_STATUS_KTHREAD],
            "cpuinfo" => &[pi4::CPUINFO, host::CPUINFO, ORIN_CPUINFO, CPUINFO_X86],
            _ => &[pi4::MODEL, ORIN_MODEL, PI5_MODEL],
        };
        for file in own {
            assert!(parse(file), "{name} rejects its own fixture");
        }
    }
}
