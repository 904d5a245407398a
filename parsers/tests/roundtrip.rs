//! Property test: `parse(render(x)) == x` for every sample the parser can
//! produce (unknown tokens aside, which `render` does not write).

use edgestat_core::DateTime;
use edgestat_core::tegra::{
    Core, Cpu, Emc, Engine, EngineState, Gr3d, Iram, Lfb, Mts, Rail, Ram, Reading, SizeUnit, Swap,
    TegraSample, Temperature,
};
use edgestat_core::{Name, capacity};
use edgestat_parsers::tegrastats;
use proptest::collection::vec;
use proptest::option::of;
use proptest::prelude::*;

/// Words that lead a fixed field; an engine with such a name would be read
/// as that field instead (`APE 25` is the APE clock, never an engine).
const KEYWORDS: [&str; 8] = ["RAM", "SWAP", "IRAM", "CPU", "EMC", "EMC_FREQ", "APE", "MTS"];

fn name(pattern: &'static str) -> impl Strategy<Value = Name> {
    pattern.prop_map(|s| Name::try_from(s.as_str()).unwrap())
}

fn engine_name() -> impl Strategy<Value = Name> {
    name("[A-Z][A-Z0-9]{0,8}")
        .prop_filter("keyword", |n| !KEYWORDS.contains(&n.as_str()) && !n.starts_with("GR3D"))
}

fn reading() -> impl Strategy<Value = Reading> {
    prop_oneof![(-300_000i32..300_000).prop_map(Reading::from_milli), Just(Reading::Unavailable),]
}

fn timestamp() -> impl Strategy<Value = DateTime> {
    (0u16..=9999, 1u8..=12, 1u8..=31, 0u8..24, 0u8..60, 0u8..=60)
        .prop_map(|(y, mo, d, h, mi, s)| DateTime::new(y, mo, d, h, mi, s).unwrap())
}

fn cpu() -> impl Strategy<Value = (bool, Cpu)> {
    let modern = (
        vec(
            prop_oneof![
                Just(Core::Off),
                (any::<u16>(), of(any::<u32>()))
                    .prop_map(|(load, freq_mhz)| Core::On { load, freq_mhz }),
            ],
            0..=capacity::MAX_CORES,
        ),
        of(any::<u32>()),
    )
        .prop_map(|(cores, shared_freq_mhz)| {
            (false, Cpu { cores: cores.into_iter().collect(), shared_freq_mhz })
        });
    let legacy = (
        vec(
            any::<u16>().prop_map(|load| Core::On { load, freq_mhz: None }),
            1..=capacity::MAX_CORES,
        ),
        of(any::<u32>()),
    )
        .prop_map(|(cores, shared_freq_mhz)| {
            (true, Cpu { cores: cores.into_iter().collect(), shared_freq_mhz })
        });
    prop_oneof![modern, legacy]
}

fn gr3d() -> impl Strategy<Value = Gr3d> {
    (prop::sample::select(vec!["GR3D", "GR3D2"]), any::<bool>(), of(any::<u16>()), any::<bool>())
        .prop_flat_map(|(n, freq_suffix, load, bracketed)| {
            let min = usize::from(bracketed || load.is_none());
            let max = if bracketed { capacity::MAX_GPCS } else { 1 };
            vec(any::<u32>(), min..=max).prop_map(move |freqs| Gr3d {
                name: Name::try_from(n).unwrap(),
                freq_suffix,
                load,
                freqs_mhz: freqs.into_iter().collect(),
                bracketed,
            })
        })
}

fn engine() -> impl Strategy<Value = Engine> {
    let state = prop_oneof![
        Just(EngineState::Off),
        (any::<u16>(), any::<u32>())
            .prop_map(|(load, freq_mhz)| EngineState::Load { load, freq_mhz }),
        any::<u32>().prop_map(EngineState::Freq),
        any::<u32>().prop_map(EngineState::AtFreq),
    ];
    (engine_name(), any::<bool>(), state).prop_map(|(name, freq_suffix, state)| Engine {
        name,
        freq_suffix,
        state,
    })
}

fn temperature() -> impl Strategy<Value = Temperature> {
    (name("[A-Za-z][A-Za-z0-9_]{0,12}"), reading(), of(reading()))
        .prop_map(|(name, current, peak)| Temperature { name, current, peak })
}

fn rail() -> impl Strategy<Value = Rail> {
    (name("[A-Z][A-Z0-9_]{0,14}"), any::<u32>(), any::<u32>(), of(any::<u32>()), any::<bool>())
        .prop_map(|(name, current_mw, average_mw, peak_mw, unit_printed)| Rail {
            name,
            current_mw,
            average_mw,
            peak_mw,
            unit_printed,
        })
}

fn memory() -> impl Strategy<Value = (Ram, Option<Swap>, Option<Iram>)> {
    let unit = prop_oneof![Just(SizeUnit::KiloBytes), Just(SizeUnit::MegaBytes)];
    let lfb = (any::<u32>(), any::<u32>(), unit).prop_map(|(count, size, unit)| Lfb {
        count,
        size,
        unit,
    });
    let ram = (any::<u32>(), any::<u32>(), of(lfb)).prop_map(|(used_mb, total_mb, lfb)| Ram {
        used_mb,
        total_mb,
        lfb,
    });
    let swap = (any::<u32>(), any::<u32>(), of(any::<u32>()))
        .prop_map(|(used_mb, total_mb, cached_mb)| Swap { used_mb, total_mb, cached_mb });
    let iram = (any::<u32>(), any::<u32>(), of(any::<u32>()))
        .prop_map(|(used_kb, total_kb, lfb_kb)| Iram { used_kb, total_kb, lfb_kb });
    (ram, of(swap), of(iram))
}

fn sample() -> impl Strategy<Value = TegraSample> {
    (
        (of(timestamp()), memory(), cpu()),
        of((any::<u16>(), of(any::<u32>())).prop_map(|(load, freq_mhz)| Emc { load, freq_mhz })),
        vec(gr3d(), 0..=capacity::MAX_GR3D),
        vec(engine(), 0..=capacity::MAX_ENGINES),
        of(any::<u32>()),
        of((any::<u16>(), any::<u16>()).prop_map(|(fg, bg)| Mts { fg, bg })),
        vec(temperature(), 0..=capacity::MAX_TEMPERATURES),
        vec(rail(), 0..=capacity::MAX_RAILS),
    )
        .prop_map(
            |(
                (timestamp, (ram, swap, iram), (legacy, cpu)),
                emc,
                gpus,
                engines,
                ape,
                mts,
                temps,
                rails,
            )| {
                TegraSample {
                    timestamp,
                    legacy,
                    ram,
                    swap,
                    iram,
                    cpu,
                    emc,
                    gpus: gpus.into_iter().collect(),
                    engines: engines.into_iter().collect(),
                    ape,
                    mts,
                    temperatures: temps.into_iter().collect(),
                    rails: rails.into_iter().collect(),
                    unknown: Default::default(),
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn parse_inverts_render(x in sample()) {
        let mut line = String::new();
        tegrastats::render(&x, &mut line).unwrap();
        let parsed = tegrastats::parse(line.as_bytes());
        prop_assert_eq!(parsed.as_ref(), Ok(&x), "line: {}", line);
    }

    #[test]
    fn parse_into_a_reused_sample_equals_a_fresh_parse(
        lines in vec((sample(), any::<bool>()), 1..6)
    ) {
        // The daemon parses every line into one sample; whatever the previous
        // line left (more sensors, the same names, an error), the result must
        // be the fresh parse of the new line.
        let mut reused = TegraSample::default();
        for (x, garble) in lines {
            let mut line = String::new();
            tegrastats::render(&x, &mut line).unwrap();
            if garble {
                line = line.replace("RAM", "R4M");
            }
            let fresh = tegrastats::parse(line.as_bytes());
            let into = tegrastats::parse_into(line.as_bytes(), &mut reused);
            prop_assert_eq!(into.err(), fresh.as_ref().err().copied(), "line: {}", line);
            if let Ok(fresh) = fresh {
                prop_assert_eq!(&reused, &fresh, "line: {}", line);
            }
        }
    }

    #[test]
    fn parse_never_panics(bytes in vec(any::<u8>(), 0..600)) {
        let _ = tegrastats::parse(&bytes);
    }

    #[test]
    fn parse_never_panics_on_corrupted_real_lines(
        index in 0usize..39, cut in 0usize..1000, byte in any::<u8>()
    ) {
        let captured = include_str!("data/tegrastats/captured.tsv");
        let line = captured.lines().filter(|l| !l.starts_with('#')).nth(index).unwrap();
        let mut bytes = line.split('\t').nth(3).unwrap().as_bytes().to_vec();
        if !bytes.is_empty() {
            let at = cut % bytes.len();
            bytes[at] = byte;
            let _ = tegrastats::parse(&bytes);
            bytes.truncate(at);
            let _ = tegrastats::parse(&bytes);
        }
    }
}

/// Found by the fuzz smoke run: a bare `GR3D 39%@76201,0` (a list without
/// brackets, which the parser accepts) rendered back as `@76201` only.
#[test]
fn an_unbracketed_frequency_list_survives_a_round_trip() {
    let line = b"RAM 18203/62841MB (lfb 466x4MB) GR3D 39%@76201,0 GR3D_FREQ 0%@[305,305]";
    let sample = tegrastats::parse(line).unwrap();
    assert_eq!(sample.gpus[0].freqs_mhz.as_slice(), [76201, 0]);
    let mut rendered = String::new();
    tegrastats::render(&sample, &mut rendered).unwrap();
    assert!(rendered.contains(" GR3D 39%@76201,0 "), "{rendered}");
    assert_eq!(tegrastats::parse(rendered.as_bytes()), Ok(sample));
}
