//! Parsing and serializing make zero heap allocations.
//!
//! This test binary runs with a counting global allocator (the
//! `allocation-counter` crate), so it holds a single test: other tests'
//! threads would be counted too.

use edgestat_core::capacity::TEGRA_JSON_MAX;
use edgestat_parsers::tegrastats;

#[test]
fn parse_and_serialize_every_captured_line_without_allocating() {
    let captured = include_str!("data/tegrastats/captured.tsv");
    let robustness = include_str!("data/tegrastats/robustness.tsv");
    let lines: Vec<&str> = captured
        .lines()
        .chain(robustness.lines())
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split('\t').nth(3))
        .collect();
    assert_eq!(lines.len(), 55);
    let mut buf = [0u8; TEGRA_JSON_MAX];
    let mut written = 0usize;
    let info = allocation_counter::measure(|| {
        for line in &lines {
            if let Ok(sample) = tegrastats::parse(line.as_bytes()) {
                written += edgestat_core::json::to_slice(&sample, &mut buf).unwrap_or(0);
            }
        }
    });
    assert!(written > 30 * 1000, "every line was serialized ({written} bytes)");
    assert_eq!(info.count_total, 0, "heap allocations during parse + serialize");
}
