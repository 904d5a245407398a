//! tegrastats throughput over the whole captured corpus, on one core.
//!
//! Prints one `key: value` line per figure so that `ci/bench` can record
//! them in BENCHMARKS.md:
//! - lines per second for `parse_into` (one sample reused, as the daemon's
//!   tegrastats reader does), for `parse` (a fresh sample per line) and for
//!   `parse_into` + JSON, best of several rounds (the machine is shared, so
//!   the best round is the one least disturbed by neighbours);
//! - heap allocations per line, counted by a global counting allocator.

use core::hint::black_box;
use core::time::Duration;
use std::time::Instant;

use edgestat_core::capacity::TEGRA_JSON_MAX;
use edgestat_core::tegra::TegraSample;
use edgestat_parsers::tegrastats;

const CAPTURED: &str = include_str!("../tests/data/tegrastats/captured.tsv");
const ROUNDS: usize = 7;
const ROUND_TIME: Duration = Duration::from_millis(400);

fn lines() -> Vec<&'static [u8]> {
    CAPTURED
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split('\t').nth(3))
        .map(str::as_bytes)
        .collect()
}

/// Best lines-per-second over `ROUNDS` rounds of `work` over the corpus.
fn best_rate(lines: &[&[u8]], mut work: impl FnMut(&[u8]) -> usize) -> f64 {
    let mut best = 0f64;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        let mut done = 0usize;
        let mut sink = 0usize;
        while start.elapsed() < ROUND_TIME {
            for line in lines {
                sink = sink.wrapping_add(work(black_box(line)));
            }
            done += lines.len();
        }
        black_box(sink);
        best = best.max(done as f64 / start.elapsed().as_secs_f64());
    }
    best
}

fn main() {
    // `cargo bench` passes `--bench`; any other filter argument is ignored.
    let lines = lines();
    let bytes: usize = lines.iter().map(|l| l.len()).sum();

    let mut sample = TegraSample::default();
    let into_rate = best_rate(&lines, |l| match tegrastats::parse_into(l, &mut sample) {
        Ok(()) => sample.cpu.cores.len(),
        Err(_) => 0,
    });
    let parse_rate = best_rate(&lines, |l| tegrastats::parse(l).map_or(0, |s| s.cpu.cores.len()));
    let mut buf = vec![0u8; TEGRA_JSON_MAX];
    let json_rate = best_rate(&lines, |l| match tegrastats::parse_into(l, &mut sample) {
        Ok(()) => edgestat_core::json::to_slice(&sample, &mut buf).unwrap_or(0),
        Err(_) => 0,
    });

    let info = allocation_counter::measure(|| {
        for line in &lines {
            if tegrastats::parse_into(line, &mut sample).is_ok() {
                black_box(edgestat_core::json::to_slice(&sample, &mut buf).ok());
            }
            black_box(tegrastats::parse(line).ok());
        }
    });

    let mean_len = bytes as f64 / lines.len() as f64;
    println!("corpus_lines: {}", lines.len());
    println!("corpus_mean_line_bytes: {mean_len:.0}");
    println!("parse_into_lines_per_sec: {into_rate:.0}");
    println!("parse_into_mib_per_sec: {:.1}", into_rate * mean_len / (1024.0 * 1024.0));
    println!("parse_into_ns_per_line: {:.0}", 1e9 / into_rate);
    println!("parse_lines_per_sec: {parse_rate:.0}");
    println!("parse_into_json_lines_per_sec: {json_rate:.0}");
    println!("allocations_per_line: {}", info.count_total as f64 / lines.len() as f64);
}
