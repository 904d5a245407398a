//! The worst-case tegrastats sample fits `TEGRA_JSON_MAX`.

use edgestat_core::DateTime;
use edgestat_core::capacity::{
    MAX_CORES, MAX_ENGINES, MAX_GPCS, MAX_GR3D, MAX_RAILS, MAX_TEMPERATURES, MAX_UNKNOWN, NAME_LEN,
    TEGRA_JSON_MAX, UNKNOWN_TOKEN_LEN,
};
use edgestat_core::tegra::{
    Core, Emc, Engine, EngineState, Gr3d, Iram, Lfb, Mts, Rail, Ram, Reading, SizeUnit, Swap,
    TegraSample, Temperature,
};

/// A name of `len` control characters: each one is escaped as `\u00XX`
/// (six bytes), the widest a name can become in JSON.
fn widest<const N: usize>(len: usize) -> heapless::String<N> {
    let mut s = heapless::String::new();
    for _ in 0..len {
        s.push('\u{1}').unwrap();
    }
    s
}

fn worst_case() -> TegraSample {
    let mut s = TegraSample {
        timestamp: DateTime::new(9999, 12, 31, 23, 59, 59),
        legacy: false,
        ram: Ram {
            used_mb: u32::MAX,
            total_mb: u32::MAX,
            lfb: Some(Lfb { count: u32::MAX, size: u32::MAX, unit: SizeUnit::KiloBytes }),
        },
        swap: Some(Swap { used_mb: u32::MAX, total_mb: u32::MAX, cached_mb: Some(u32::MAX) }),
        iram: Some(Iram { used_kb: u32::MAX, total_kb: u32::MAX, lfb_kb: Some(u32::MAX) }),
        emc: Some(Emc { load: u16::MAX, freq_mhz: Some(u32::MAX) }),
        ape: Some(u32::MAX),
        mts: Some(Mts { fg: u16::MAX, bg: u16::MAX }),
        ..TegraSample::default()
    };
    s.cpu.shared_freq_mhz = Some(u32::MAX);
    for _ in 0..MAX_CORES {
        s.cpu.cores.push(Core::On { load: u16::MAX, freq_mhz: Some(u32::MAX) }).unwrap();
    }
    for _ in 0..MAX_GR3D {
        let mut gpu = Gr3d {
            name: widest(NAME_LEN),
            freq_suffix: true,
            load: Some(u16::MAX),
            freqs_mhz: heapless::Vec::new(),
            bracketed: true,
        };
        for _ in 0..MAX_GPCS {
            gpu.freqs_mhz.push(u32::MAX).unwrap();
        }
        s.gpus.push(gpu).unwrap();
    }
    for _ in 0..MAX_ENGINES {
        let state = EngineState::Load { load: u16::MAX, freq_mhz: u32::MAX };
        s.engines.push(Engine { name: widest(NAME_LEN), freq_suffix: true, state }).unwrap();
    }
    for _ in 0..MAX_TEMPERATURES {
        // The widest reading: -2147483.648 °C, as current and as peak.
        let r = Reading::MilliCelsius(i32::MIN);
        s.temperatures
            .push(Temperature { name: widest(NAME_LEN), current: r, peak: Some(r) })
            .unwrap();
    }
    for _ in 0..MAX_RAILS {
        s.rails
            .push(Rail {
                name: widest(NAME_LEN),
                current_mw: u32::MAX,
                average_mw: u32::MAX,
                peak_mw: Some(u32::MAX),
                unit_printed: true,
            })
            .unwrap();
    }
    s.unknown.count = u16::MAX;
    for _ in 0..MAX_UNKNOWN {
        s.unknown.tokens.push(widest(UNKNOWN_TOKEN_LEN)).unwrap();
    }
    s
}

#[test]
fn worst_case_sample_fits_the_documented_maximum() {
    let sample = worst_case();
    let mut buf = vec![0u8; TEGRA_JSON_MAX];
    let len = edgestat_core::json::to_slice(&sample, &mut buf).expect("fits TEGRA_JSON_MAX");
    println!("worst-case /api/status JSON: {len} of {TEGRA_JSON_MAX} bytes");
    // The bound is tight enough to mean something.
    assert!(len > TEGRA_JSON_MAX * 9 / 10, "TEGRA_JSON_MAX is far too generous ({len})");
}

#[test]
fn a_buffer_too_small_is_an_error_not_a_truncation() {
    let mut buf = [0u8; 64];
    assert_eq!(
        edgestat_core::json::to_slice(&worst_case(), &mut buf),
        Err(edgestat_core::json::JsonError::BufferFull)
    );
}
