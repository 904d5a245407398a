//! `GET /metrics`: the latest sample in the Prometheus text format (0.0.4).
//!
//! Names start with `edgestat_` and carry their unit (`_celsius`,
//! `_watts`, `_bytes`, `_hertz`, `_seconds`, `_ratio` for 0–1 shares);
//! counters end in `_total`. Sensors, rails, CPUs, interfaces, devices and
//! engines are labels, so a new sensor is a new series, never a new name.
//! The page is rendered from the sample; scraping starts no collection.
//!
//! ```text
//! # HELP edgestat_temperature_celsius Temperature by sensor role.
//! # TYPE edgestat_temperature_celsius gauge
//! edgestat_temperature_celsius{sensor="cpu"} 44.388
//! ```

use core::fmt::{self, Write};

use edgestat_core::tegra::EngineState;

use crate::model::{Collector, Sample};

/// The `Content-Type` of the page.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Writes the exposition of `s`, with `connections` the open HTTP
/// connections.
pub fn render(s: &Sample, connections: u32) -> String {
    let mut page = Page { out: String::with_capacity(16 * 1024), current: "" };
    // `write!` into a String cannot fail.
    let _ = write_all(&mut page, s, connections);
    page.out
}

/// The page being written; `current` is the family whose header was
/// written last, so each family gets its HELP and TYPE once.
struct Page {
    out: String,
    current: &'static str,
}

#[derive(Clone, Copy)]
enum Kind {
    Gauge,
    Counter,
}

impl Page {
    /// One sample of family `name`; writes the family's header first if
    /// this is its first sample. `labels` are `(name, value)` pairs.
    fn sample(
        &mut self,
        name: &'static str,
        kind: Kind,
        help: &str,
        labels: &[(&str, &str)],
        value: impl fmt::Display,
    ) -> fmt::Result {
        if self.current != name {
            let kind = match kind {
                Kind::Gauge => "gauge",
                Kind::Counter => "counter",
            };
            writeln!(self.out, "# HELP {name} {help}")?;
            writeln!(self.out, "# TYPE {name} {kind}")?;
            self.current = name;
        }
        self.out.push_str(name);
        if !labels.is_empty() {
            self.out.push('{');
            for (i, (label, value)) in labels.iter().enumerate() {
                if i > 0 {
                    self.out.push(',');
                }
                write!(self.out, "{label}=\"")?;
                escape(&mut self.out, value);
                self.out.push('"');
            }
            self.out.push('}');
        }
        writeln!(self.out, " {value}")
    }

    fn gauge(
        &mut self,
        name: &'static str,
        help: &str,
        labels: &[(&str, &str)],
        value: impl fmt::Display,
    ) -> fmt::Result {
        self.sample(name, Kind::Gauge, help, labels, value)
    }

    fn counter(
        &mut self,
        name: &'static str,
        help: &str,
        labels: &[(&str, &str)],
        value: impl fmt::Display,
    ) -> fmt::Result {
        self.sample(name, Kind::Counter, help, labels, value)
    }
}

/// A label value with `\`, `"` and newlines escaped.
fn escape(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
}

/// A fixed-point value `n / scale` printed exactly (`44388 / 1000` is
/// `44.388`).
struct Fixed(i64, i64);

impl fmt::Display for Fixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Fixed(n, scale) = *self;
        let sign = if n < 0 { "-" } else { "" };
        let (whole, frac) =
            (n.unsigned_abs() / scale.unsigned_abs(), n.unsigned_abs() % scale.unsigned_abs());
        if frac == 0 {
            return write!(f, "{sign}{whole}");
        }
        let digits = scale.unsigned_abs().ilog10() as usize;
        let text = format!("{frac:0digits$}");
        write!(f, "{sign}{whole}.{}", text.trim_end_matches('0'))
    }
}

fn write_all(p: &mut Page, s: &Sample, connections: u32) -> fmt::Result {
    p.gauge(
        "edgestat_build_info",
        "edgestat's version, as a label; always 1.",
        &[("version", env!("CARGO_PKG_VERSION"))],
        1,
    )?;
    p.gauge(
        "edgestat_sample_timestamp_seconds",
        "When the sample was taken, Unix time.",
        &[],
        Fixed(s.unix_micros, 1_000_000),
    )?;
    p.gauge("edgestat_http_connections", "HTTP connections open now.", &[], connections)?;
    for collector in Collector::ALL {
        let degraded = s.faults.iter().any(|d| d.collector == collector);
        p.gauge(
            "edgestat_collector_degraded",
            "1 when the collector failed in this sample (see /api/health for why).",
            &[("collector", collector.as_str())],
            u8::from(degraded),
        )?;
    }

    // CPU.
    if let Some(total) = s.cpu.total_per_mille {
        p.gauge(
            "edgestat_cpu_usage_ratio",
            "Busy share of all CPUs over the last interval, 0-1.",
            &[],
            Fixed(total.into(), 1000),
        )?;
    }
    for core in &s.cpu.cores {
        let id = core.id.to_string();
        if let Some(pm) = core.per_mille {
            p.gauge(
                "edgestat_cpu_core_usage_ratio",
                "Busy share of one CPU over the last interval, 0-1.",
                &[("cpu", &id)],
                Fixed(pm.into(), 1000),
            )?;
        }
    }
    for core in &s.cpu.cores {
        let id = core.id.to_string();
        if let Some(khz) = core.freq_khz {
            p.gauge(
                "edgestat_cpu_frequency_hertz",
                "Current CPU frequency (cpufreq scaling_cur_freq, else tegrastats).",
                &[("cpu", &id)],
                u64::from(khz) * 1000,
            )?;
        }
    }
    if let Some(load) = s.load {
        for (window, centi) in
            [("1m", load.load1_centi), ("5m", load.load5_centi), ("15m", load.load15_centi)]
        {
            p.gauge(
                "edgestat_load_average",
                "Load average (/proc/loadavg).",
                &[("window", window)],
                Fixed(centi.into(), 100),
            )?;
        }
    }
    if let Some(cs) = s.uptime_cs {
        p.gauge(
            "edgestat_uptime_seconds",
            "Time since boot (/proc/uptime).",
            &[],
            Fixed(i64::try_from(cs).unwrap_or(i64::MAX), 100),
        )?;
    }

    // Memory.
    let ram = s.memory.ram;
    let swap = s.memory.swap;
    for (name, help, kb) in [
        ("edgestat_memory_total_bytes", "MemTotal.", ram.map(|r| r.total_kb)),
        (
            "edgestat_memory_available_bytes",
            "RAM available without swapping: total minus used.",
            ram.map(|r| r.available_kb()),
        ),
        (
            "edgestat_memory_used_bytes",
            "RAM in use: MemTotal minus MemAvailable.",
            ram.map(|r| r.used_kb),
        ),
        ("edgestat_swap_total_bytes", "SwapTotal.", swap.map(|s| s.total_kb)),
        ("edgestat_swap_free_bytes", "SwapFree.", swap.map(|s| s.free_kb())),
    ] {
        if let Some(kb) = kb {
            p.gauge(name, help, &[], kb * 1024)?;
        }
    }

    // Temperatures and power.
    for t in &s.temperatures {
        if let Some(milli) = t.milli_celsius {
            p.gauge(
                "edgestat_temperature_celsius",
                "Temperature by sensor role (thermal zones, else tegrastats).",
                &[("sensor", &t.role)],
                Fixed(milli.into(), 1000),
            )?;
        }
    }
    for r in &s.rails {
        p.gauge(
            "edgestat_power_watts",
            "Power by rail (INA3221, Pi 5 PMIC, else tegrastats).",
            &[("rail", &r.name)],
            Fixed(r.power_mw.into(), 1000),
        )?;
    }
    for r in &s.rails {
        p.gauge(
            "edgestat_power_average_watts",
            "Mean power by rail since the source started.",
            &[("rail", &r.name)],
            Fixed(r.average_mw.into(), 1000),
        )?;
    }

    // GPU and the tegrastats-only engines.
    if let Some(per_mille) = s.gpu.load_per_mille {
        p.gauge(
            "edgestat_gpu_load_ratio",
            "GPU load, 0-1 (sysfs load, else tegrastats GR3D).",
            &[],
            Fixed(per_mille.into(), 1000),
        )?;
    }
    if let Some(hz) = s.gpu.freq_hz {
        p.gauge(
            "edgestat_gpu_frequency_hertz",
            "GPU frequency (devfreq cur_freq, else tegrastats GR3D).",
            &[],
            hz,
        )?;
    }
    if let Some(tegra) = &s.tegra {
        if let Some(emc) = tegra.emc {
            p.gauge(
                "edgestat_emc_load_ratio",
                "Memory controller load, 0-1 (tegrastats EMC).",
                &[],
                Fixed(emc.load.into(), 100),
            )?;
            if let Some(mhz) = emc.freq_mhz {
                p.gauge(
                    "edgestat_emc_frequency_hertz",
                    "Memory controller frequency (tegrastats EMC).",
                    &[],
                    u64::from(mhz) * 1_000_000,
                )?;
            }
        }
        for e in &tegra.engines {
            p.gauge(
                "edgestat_engine_active",
                "1 when the hardware engine is on (tegrastats).",
                &[("engine", &e.name)],
                u8::from(e.state != EngineState::Off),
            )?;
        }
        for e in &tegra.engines {
            let mhz = match e.state {
                EngineState::Off => continue,
                EngineState::Load { freq_mhz, .. } => freq_mhz,
                EngineState::Freq(mhz) | EngineState::AtFreq(mhz) => mhz,
            };
            p.gauge(
                "edgestat_engine_frequency_hertz",
                "Hardware engine frequency (tegrastats).",
                &[("engine", &e.name)],
                u64::from(mhz) * 1_000_000,
            )?;
        }
    }

    // Raspberry Pi firmware.
    if let Some(pi) = &s.pi {
        if let Some(uv) = pi.core_microvolts {
            p.gauge(
                "edgestat_core_voltage_volts",
                "SoC core voltage (vcgencmd measure_volts core).",
                &[],
                Fixed(uv.into(), 1_000_000),
            )?;
        }
        for (clock, hz) in [("arm", pi.arm_hz), ("core", pi.core_hz), ("v3d", pi.v3d_hz)] {
            if let Some(hz) = hz {
                p.gauge(
                    "edgestat_clock_hertz",
                    "Firmware clock (vcgencmd measure_clock).",
                    &[("clock", clock)],
                    hz,
                )?;
            }
        }
    }
    if let Some(t) = s.throttling.bits {
        let bits: [(&str, &str, bool); 8] = [
            ("under_voltage", "now", t.under_voltage()),
            ("freq_capped", "now", t.arm_freq_capped()),
            ("throttled", "now", t.throttled()),
            ("soft_temp_limit", "now", t.soft_temp_limit()),
            ("under_voltage", "since_boot", t.under_voltage_occurred()),
            ("freq_capped", "since_boot", t.arm_freq_capped_occurred()),
            ("throttled", "since_boot", t.throttled_occurred()),
            ("soft_temp_limit", "since_boot", t.soft_temp_limit_occurred()),
        ];
        for (condition, when, on) in bits {
            p.gauge("edgestat_throttle_condition", "Raspberry Pi get_throttled bits: 1 when the condition holds now or occurred since boot.", &[("condition", condition), ("when", when)], u8::from(on))?;
        }
    } else if let Some(uv) = s.throttling.under_voltage {
        p.gauge("edgestat_throttle_condition", "Raspberry Pi get_throttled bits: 1 when the condition holds now or occurred since boot.", &[("condition", "under_voltage"), ("when", "now")], u8::from(uv))?;
    }

    // Network, disks, filesystems, sockets.
    if !s.network.interfaces.is_empty() {
        type Field = fn(&edgestat_core::linux::Interface) -> u64;
        let families: [(&'static str, &str, Field); 8] = [
            ("edgestat_network_receive_bytes_total", "Bytes received (/proc/net/dev).", |i| {
                i.rx_bytes
            }),
            ("edgestat_network_transmit_bytes_total", "Bytes sent.", |i| i.tx_bytes),
            ("edgestat_network_receive_packets_total", "Packets received.", |i| i.rx_packets),
            ("edgestat_network_transmit_packets_total", "Packets sent.", |i| i.tx_packets),
            ("edgestat_network_receive_errors_total", "Receive errors.", |i| i.rx_errs),
            ("edgestat_network_transmit_errors_total", "Transmit errors.", |i| i.tx_errs),
            ("edgestat_network_receive_drop_total", "Received packets dropped.", |i| i.rx_drop),
            ("edgestat_network_transmit_drop_total", "Packets dropped on send.", |i| i.tx_drop),
        ];
        for (name, help, field) in families {
            for i in &s.network.interfaces {
                p.counter(name, help, &[("interface", i.name())], field(&i.counters))?;
            }
        }
    }
    if let Some(io) = s.disk_io {
        p.counter(
            "edgestat_disk_read_bytes_total",
            "Bytes read from whole disks (/proc/diskstats).",
            &[],
            io.read_bytes,
        )?;
        p.counter(
            "edgestat_disk_written_bytes_total",
            "Bytes written to whole disks.",
            &[],
            io.write_bytes,
        )?;
        p.counter(
            "edgestat_disk_reads_completed_total",
            "Reads completed on whole disks.",
            &[],
            io.read_count,
        )?;
        p.counter(
            "edgestat_disk_writes_completed_total",
            "Writes completed on whole disks.",
            &[],
            io.write_count,
        )?;
    }
    for (name, help, field) in [
        ("edgestat_filesystem_size_bytes", "Filesystem size (statvfs).", 0),
        ("edgestat_filesystem_used_bytes", "Filesystem bytes in use.", 1),
        ("edgestat_filesystem_avail_bytes", "Filesystem bytes free to unprivileged users.", 2),
    ] {
        for f in &s.filesystems {
            let labels = [
                ("device", f.device.as_str()),
                ("mountpoint", f.mount_point.as_str()),
                ("fstype", f.fs_type.as_str()),
            ];
            p.gauge(
                name,
                help,
                &labels,
                [f.total, f.used, f.free].get(field).copied().unwrap_or(0),
            )?;
        }
    }
    if let Some(tcp) = s.network.tcp {
        p.gauge(
            "edgestat_tcp_established_connections",
            "TCP connections established or in CLOSE-WAIT (/proc/net/snmp CurrEstab).",
            &[],
            tcp.curr_estab,
        )?;
        p.counter(
            "edgestat_tcp_active_opens_total",
            "TCP connections opened by this host.",
            &[],
            tcp.active_opens,
        )?;
        p.counter(
            "edgestat_tcp_passive_opens_total",
            "TCP connections accepted by this host.",
            &[],
            tcp.passive_opens,
        )?;
        p.counter(
            "edgestat_tcp_retransmitted_segments_total",
            "TCP segments retransmitted.",
            &[],
            tcp.retrans_segs,
        )?;
        p.counter(
            "edgestat_tcp_receive_errors_total",
            "TCP segments received in error.",
            &[],
            tcp.in_errs,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_point_prints_exactly() {
        assert_eq!(Fixed(44_388, 1000).to_string(), "44.388");
        assert_eq!(Fixed(43_000, 1000).to_string(), "43");
        assert_eq!(Fixed(-5, 1000).to_string(), "-0.005");
        assert_eq!(Fixed(860_000, 1_000_000).to_string(), "0.86");
        assert_eq!(Fixed(1_795_325_429_955_029, 1_000_000).to_string(), "1795325429.955029");
    }

    #[test]
    fn families_have_one_header_and_labels_are_escaped() {
        let mut p = Page { out: String::new(), current: "" };
        p.gauge("edgestat_x", "X.", &[("a", "1")], 1).unwrap();
        p.gauge("edgestat_x", "X.", &[("a", "q\"b\\n\n")], 2).unwrap();
        assert_eq!(
            p.out,
            "# HELP edgestat_x X.\n# TYPE edgestat_x gauge\nedgestat_x{a=\"1\"} 1\nedgestat_x{a=\"q\\\"b\\\\n\\n\"} 2\n"
        );
    }
}
