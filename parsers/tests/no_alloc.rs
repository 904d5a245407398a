//! Parsing and serializing make zero heap allocations, for every parser.
//!
//! This test binary runs with a counting global allocator (the
//! `allocation-counter` crate), so it holds a single test: other tests'
//! threads would be counted too. Inputs are read before counting starts.

use std::path::Path;

use edgestat_core::capacity::TEGRA_JSON_MAX;
use edgestat_core::json::to_slice;
use edgestat_parsers::{nv_tegra_release, procfs, sysfs, tegrastats, vcgencmd};

/// Every file below `dir`, recursively, with its file name.
fn files(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            out.push((name, std::fs::read(&path).unwrap()));
        }
    }
}

#[test]
fn every_parser_and_its_json_run_without_allocating() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let captured = std::fs::read_to_string(data.join("tegrastats/captured.tsv")).unwrap();
    let robustness = std::fs::read_to_string(data.join("tegrastats/robustness.tsv")).unwrap();
    let lines: Vec<&str> = captured
        .lines()
        .chain(robustness.lines())
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split('\t').nth(3))
        .collect();
    assert_eq!(lines.len(), 55);
    let vc_text = std::fs::read_to_string(data.join("vcgencmd/outputs.txt")).unwrap();
    let replies: Vec<&str> =
        vc_text.split("\n== ").map(|b| b.split_once('\n').map_or("", |x| x.1)).collect();
    let mut fixtures = Vec::new();
    files(&data.join("procfs"), &mut fixtures);
    files(&data.join("sysfs"), &mut fixtures);
    files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../edge-daemon/tests/fixtures"),
        &mut fixtures,
    );
    assert!(fixtures.len() > 60);

    let mut buf = vec![0u8; 64 * 1024];
    let mut sample = edgestat_core::tegra::TegraSample::default();
    let (mut accepted, mut written) = (0usize, 0usize);
    let info = allocation_counter::measure(|| {
        let mut emit = |json: Option<usize>| {
            accepted += 1;
            written += json.unwrap_or(0);
        };
        for line in &lines {
            if let Ok(s) = tegrastats::parse(line.as_bytes()) {
                emit(to_slice(&s, &mut buf[..TEGRA_JSON_MAX]).ok());
            }
            if tegrastats::parse_into(line.as_bytes(), &mut sample).is_ok() {
                emit(to_slice(&sample, &mut buf).ok());
            }
        }
        macro_rules! each {
            ($input:expr; $($parse:path),* $(,)?) => {{
                $(if let Ok(v) = $parse($input) { emit(to_slice(&v, &mut buf).ok()); })*
            }};
        }
        for reply in &replies {
            each!(reply.as_bytes();
                vcgencmd::measure_temp::parse, vcgencmd::measure_clock::parse,
                vcgencmd::measure_volts::parse, vcgencmd::get_throttled::parse,
                vcgencmd::get_mem::parse, vcgencmd::version::parse, vcgencmd::get_config::parse,
                vcgencmd::codec_enabled::parse, vcgencmd::get_camera::parse,
                vcgencmd::commands::parse, vcgencmd::pmic_read_adc::parse,
                vcgencmd::firmware_error::parse);
        }
        for (_, contents) in &fixtures {
            each!(contents.as_slice();
                procfs::stat::parse, procfs::meminfo::parse, procfs::loadavg::parse,
                procfs::uptime::parse, procfs::net_dev::parse, procfs::net_tcp::parse, procfs::net_snmp::parse, procfs::net_wireless::parse,
                procfs::diskstats::parse,
                procfs::mounts::parse, procfs::pid_stat::parse, procfs::pid_status::parse,
                procfs::cpuinfo::parse, procfs::device_tree_model::parse, nv_tegra_release::parse,
                sysfs::gpu_load::parse, sysfs::cpufreq::parse, sysfs::devfreq::parse,
                sysfs::cpulist::parse);
        }
        let dir =
            || fixtures.iter().map(|(name, contents)| (name.as_str(), Ok(contents.as_slice())));
        if let Ok(v) = sysfs::ina3221::hwmon::parse_dir(dir()) {
            emit(to_slice(&v, &mut buf).ok());
        }
        if let Ok(v) = sysfs::ina3221::iio::parse_dir(dir()) {
            emit(to_slice(&v, &mut buf).ok());
        }
    });
    assert!(accepted > 200, "the inputs were parsed ({accepted} accepted)");
    assert!(written > 100 * 1000, "and serialized ({written} bytes)");
    assert_eq!(info.count_total, 0, "heap allocations during parse + serialize");
}
