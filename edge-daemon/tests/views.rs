//! Golden views: for each fixture root, one sample taken by the daemon's
//! own sampler (tests/common/samples.rs) is saved as `sample.expected`,
//! and every view rendered from it is checked against its `.expected`
//! file in `tests/views/<board>/`, nmea-style. No daemon, no socket.
//!
//! After a deliberate change, `EDGESTAT_BLESS=1 cargo test -p edgestat
//! --test views` rewrites the files; review the diff like code.

mod common;

use std::path::{Path, PathBuf};

use common::samples::{self, BOARDS, Options, documents};

fn golden_dir(board: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/views").join(board)
}

/// Compares `actual` with `<dir>/<name>.expected`, or writes it when
/// blessing; returns a complaint for a difference.
fn check(dir: &Path, name: &str, actual: &str) -> Option<String> {
    let path = dir.join(format!("{name}.expected"));
    if std::env::var_os("EDGESTAT_BLESS").is_some() {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(&path, actual).unwrap();
        return None;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    (expected != actual).then(|| {
        let line = expected.lines().zip(actual.lines()).position(|(e, a)| e != a).unwrap_or(0);
        format!(
            "{} differs at line {}:\n  expected: {}\n  actual:   {}",
            path.display(),
            line + 1,
            expected.lines().nth(line).unwrap_or("<end>"),
            actual.lines().nth(line).unwrap_or("<end>")
        )
    })
}

#[test]
fn every_view_of_every_board_matches_its_golden_file() {
    let mut complaints = Vec::new();
    for board in BOARDS {
        let taken = samples::take(board, &Options::default());
        let dir = golden_dir(board);
        let saved = format!("{:#?}\n", taken.sample).replace(&taken.root, "$ROOT");
        complaints.extend(check(&dir, "sample", &saved));
        for (name, bytes) in documents(&taken) {
            let text = String::from_utf8(bytes).expect("views write UTF-8");
            let text = text.replace(&taken.root, "$ROOT");
            let text = if text.ends_with('\n') { text } else { text + "\n" };
            complaints.extend(check(&dir, &name, &text));
        }
    }
    assert!(complaints.is_empty(), "{}", complaints.join("\n"));
}

#[test]
fn the_saved_samples_hold_the_boards_values() {
    // A few values read straight off the fixture files, so a golden file
    // blessed from a broken sampler would not pass unnoticed.
    let orin = samples::take("agx-orin-r36", &Options::default()).sample;
    let ram = orin.memory.ram.unwrap();
    assert_eq!((ram.total_kb / 1024, ram.used_kb / 1024), (62841, 6879), "T-AB-1's RAM");
    assert_eq!(orin.temperature(&["cpu"]), Some(44_388));
    assert_eq!(orin.gpu.freq_hz, Some(306_000_000), "devfreq cur_freq");
    assert_eq!(orin.cpu.cores.len(), 12);
    assert!(orin.rails.iter().any(|r| r.name == "VDD_GPU_SOC" && r.millivolts.is_some()));
    let pi4 = samples::take("pi4-bookworm", &Options::default()).sample;
    assert_eq!(pi4.temperature(&["cpu"]), Some(42_842));
    assert_eq!(pi4.pi.as_ref().and_then(|p| p.arm_hz), Some(600_169_920));
    assert_eq!(pi4.board.model(), Some("Raspberry Pi 4 Model B Rev 1.1"));
}
