//! The tegrastats parser against the whole real-device corpus
//! (`tests/data/tegrastats/`, a copy of the shared corpus; SOURCES.md there
//! says where each line comes from).

use edgestat_core::capacity::TEGRA_JSON_MAX;
use edgestat_core::tegra::{Core, EngineState, Reading, TegraSample};
use edgestat_parsers::{Error, ErrorKind, tegrastats};

const CAPTURED: &str = include_str!("data/tegrastats/captured.tsv");
const ROBUSTNESS: &str = include_str!("data/tegrastats/robustness.tsv");
const GOLDEN: &str = include_str!("data/tegrastats/captured.expected.jsonl");

/// `(id, device, release, line)` rows of a corpus TSV file.
fn rows(tsv: &str) -> impl Iterator<Item = (&str, &str, &str, &str)> {
    tsv.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).map(|l| {
        let mut cols = l.splitn(4, '\t');
        let mut next = || cols.next().unwrap_or_default();
        (next(), next(), next(), next())
    })
}

fn line(id: &str) -> &'static str {
    rows(CAPTURED).find(|r| r.0 == id).map(|r| r.3).unwrap_or_else(|| panic!("no {id}"))
}

fn sample(id: &str) -> TegraSample {
    tegrastats::parse(line(id).as_bytes()).unwrap_or_else(|e| panic!("{id}: {e}"))
}

fn json(s: &TegraSample) -> serde_json::Value {
    let mut buf = [0u8; TEGRA_JSON_MAX];
    let n = edgestat_core::json::to_slice(s, &mut buf).unwrap();
    serde_json::from_slice(&buf[..n]).unwrap()
}

fn temp(s: &TegraSample, name: &str) -> Reading {
    s.temperatures.iter().find(|t| t.name == name).map(|t| t.current).unwrap()
}

fn rail(s: &TegraSample, name: &str) -> (u32, u32) {
    s.rails.iter().find(|r| r.name == name).map(|r| (r.current_mw, r.average_mw)).unwrap()
}

#[test]
fn every_captured_line_parses_without_unknown_tokens() {
    let mut count = 0;
    for (id, device, release, text) in rows(CAPTURED) {
        let s = tegrastats::parse(text.as_bytes())
            .unwrap_or_else(|e| panic!("{id} ({device}, {release}): {e}"));
        assert_eq!(s.unknown.count, 0, "{id}: unknown {:?}", s.unknown.tokens);
        assert!(!s.cpu.cores.is_empty(), "{id}: no CPU list");
        count += 1;
    }
    assert_eq!(count, 39);
}

#[test]
fn parse_into_one_sample_over_the_whole_corpus_equals_fresh_parses() {
    let mut reused = TegraSample::default();
    // The captured lines again, after the robustness lines have left the
    // sample in every odd state: natively only. Under Miri (ci/miri) the
    // first two passes already run every path through one reused sample.
    let again = if cfg!(miri) { "" } else { CAPTURED };
    for (id, _, _, text) in rows(CAPTURED).chain(rows(ROBUSTNESS)).chain(rows(again)) {
        let fresh = tegrastats::parse(text.as_bytes());
        let into = tegrastats::parse_into(text.as_bytes(), &mut reused);
        assert_eq!(into.err(), fresh.as_ref().err().copied(), "{id}");
        if let Ok(fresh) = fresh {
            assert_eq!(reused, fresh, "{id}");
        }
    }
}

#[test]
fn golden_json_for_every_captured_line() {
    let mut golden = GOLDEN.lines();
    for (id, _, _, text) in rows(CAPTURED) {
        let s = tegrastats::parse(text.as_bytes()).unwrap();
        let mut buf = [0u8; TEGRA_JSON_MAX];
        let n = edgestat_core::json::to_slice(&s, &mut buf).unwrap();
        let got = core::str::from_utf8(&buf[..n]).unwrap();
        assert_eq!(Some(got), golden.next(), "{id}");
    }
    assert_eq!(golden.next(), None);
}

#[test]
fn tx1_l4t_28_1_legacy_lower_case_form() {
    let s = sample("T-HO-1");
    assert!(s.legacy);
    assert_eq!((s.ram.used_mb, s.ram.total_mb), (3468, 3983));
    assert_eq!(s.swap.map(|w| (w.used_mb, w.total_mb, w.cached_mb)), Some((873, 8192, Some(295))));
    assert_eq!(s.cpu.shared_freq_mhz, Some(408));
    assert_eq!(s.cpu.cores.get(2), Some(&Core::On { load: 29, freq_mhz: None }));
    assert_eq!(s.emc.map(|e| (e.load, e.freq_mhz)), Some((1, Some(408))));
    assert_eq!(s.ape, Some(25));
    let gpu = s.gpus.first().unwrap();
    assert_eq!((gpu.load, gpu.freqs_mhz.as_slice()), (Some(3), &[76][..]));
    let v = json(&s);
    assert_eq!(
        v["cpu"]["cores"][3],
        serde_json::json!({"id":3,"usage":5,"freq":408,"online":true})
    );
    assert_eq!(v["gpu"]["gr3d_freq"], 76);
    assert_eq!(v["timestamp"], serde_json::Value::Null);
}

#[test]
fn tx1_iram_and_unitless_rails() {
    let s = sample("T-DD-1");
    assert_eq!(s.iram.map(|i| (i.used_kb, i.total_kb, i.lfb_kb)), Some((0, 252, Some(252))));
    assert_eq!(temp(&s, "Tdiode"), Reading::MilliCelsius(42_750));
    assert_eq!(rail(&s, "VDD_IN"), (2532, 2698));
    assert!(!s.rails.first().unwrap().unit_printed);
    let v = json(&s);
    assert_eq!(v["temperature"]["tdiode"], 42.75);
    assert_eq!(v["temperature"]["pmic"], 100.0);
    assert_eq!(v["power"]["VDD_CPU"], serde_json::json!({"current":76,"average":178,"unit":"mW"}));
}

#[test]
fn tx2_denver_cores_off() {
    let s = sample("T-DD-2");
    let online: Vec<bool> = s.cpu.cores.iter().map(|c| *c != Core::Off).collect();
    assert_eq!(online, [true, false, false, true, true, true]);
    let v = json(&s);
    assert_eq!(
        v["cpu"]["cores"][1],
        serde_json::json!({"id":1,"usage":null,"freq":null,"online":false})
    );
    assert_eq!(rail(&s, "VDD_SYS_DDR"), (883, 883));
}

#[test]
fn nano_pom_rails_and_non_root_percent_only() {
    let s = sample("T-DD-9");
    assert_eq!(s.emc.map(|e| (e.load, e.freq_mhz)), Some((0, None)));
    let gpu = s.gpus.first().unwrap();
    assert_eq!((gpu.load, gpu.freqs_mhz.len()), (Some(0), 0));
    assert_eq!(rail(&s, "POM_5V_IN"), (900, 943));
    let v = json(&s);
    assert_eq!(v["gpu"], serde_json::json!({"gr3d_freq":null,"load":0,"gpc_freqs":[]}));
    assert_eq!(v["emc"], serde_json::json!({"load":0,"freq":null}));
}

#[test]
fn agx_xavier_three_cpu_tokens_keyed_by_shape() {
    let s = sample("T-DD-4");
    assert_eq!(s.cpu.cores.len(), 8);
    assert_eq!(temp(&s, "CPU"), Reading::MilliCelsius(37_500));
    assert_eq!(rail(&s, "CPU"), (311, 311));
    assert_eq!(rail(&s, "GPU"), (0, 0));
    assert_eq!(s.mts.map(|m| (m.fg, m.bg)), Some((0, 0)));
    assert_eq!(temp(&s, "thermal"), Reading::MilliCelsius(36_900));
}

#[test]
fn xavier_nx_jetpack_44_mts_loads() {
    let s = sample("T-WA-1");
    assert_eq!(s.mts.map(|m| (m.fg, m.bg)), Some((1, 9)));
    assert_eq!(rail(&s, "VDD_IN"), (6140, 5510));
    assert_eq!(json(&s)["temperature"]["thermal"], 31.35);
}

#[test]
fn orin_nx_r35_bare_frequency_engine() {
    let s = sample("T-DD-6");
    let vic = s.engines.first().unwrap();
    assert_eq!(
        (vic.name.as_str(), vic.freq_suffix, vic.state),
        ("VIC", true, EngineState::Freq(729))
    );
    assert_eq!(temp(&s, "SOC2"), Reading::MilliCelsius(46_093));
    let v = json(&s);
    assert_eq!(v["engines"]["VIC"], serde_json::json!({"online":true,"load":null,"freq":729}));
    assert_eq!(v["power"]["VDD_IN"]["current"], 5299);
}

#[test]
fn agx_orin_r36_padded_line_with_gpc_list() {
    let s = sample("T-DD-7");
    assert_eq!(s.cpu.cores.len(), 12);
    assert_eq!(s.cpu.cores.get(5), Some(&Core::On { load: 100, freq_mhz: Some(2201) }));
    let gpu = s.gpus.first().unwrap();
    assert_eq!(
        (gpu.load, gpu.freqs_mhz.as_slice(), gpu.bracketed),
        (Some(0), &[305, 305][..], true)
    );
    assert_eq!(s.engines.len(), 9);
    assert!(s.engines.iter().all(|e| e.state == EngineState::Off));
    assert_eq!(s.ape, Some(174));
    assert_eq!(rail(&s, "VIN_SYS_5V0"), (4767, 4767));
    assert_eq!(json(&s)["engines"]["PVA0"]["online"], false);
}

#[test]
fn agx_orin_jetpack6_timestamp_and_engine_loads() {
    let s = sample("T-AB-2");
    assert_eq!(json(&s)["timestamp"], "2025-10-26T05:10:55");
    assert_eq!(s.gpus.first().unwrap().load, Some(40));
    assert_eq!(rail(&s, "VDDQ_VDD2_1V8AO"), (705, 637));
    let s = sample("T-LE-1");
    let nvenc = s.engines.iter().find(|e| e.name == "NVENC").unwrap();
    assert_eq!(nvenc.state, EngineState::Load { load: 79, freq_mhz: 166 });
    assert!(s.temperatures.iter().all(|t| t.name != "gpu"), "r36 line without gpu sensor");
    assert_eq!(json(&s)["engines"]["VIC"], serde_json::json!({"online":true,"load":36,"freq":115}));
}

#[test]
fn agx_orin_non_root_has_no_emc_or_engines() {
    let s = sample("T-DD-8");
    assert_eq!(s.emc, None);
    assert!(s.engines.is_empty());
    assert_eq!(s.gpus.first().unwrap().freqs_mhz.len(), 0);
    assert_eq!(json(&s)["emc"], serde_json::json!({"load":null,"freq":null}));
}

#[test]
fn thor_l4t_38_gpcs_without_load() {
    let s = sample("T-LE-4");
    assert_eq!(s.cpu.cores.len(), 14);
    let gpu = s.gpus.first().unwrap();
    assert_eq!((gpu.load, gpu.freqs_mhz.as_slice()), (None, &[0, 0, 0][..]));
    assert_eq!(
        s.engines.iter().find(|e| e.name == "NVDEC1").unwrap().state,
        EngineState::AtFreq(0)
    );
    assert_eq!(s.ape, Some(300));
    let v = json(&s);
    assert_eq!(v["gpu"], serde_json::json!({"gr3d_freq":0,"load":null,"gpc_freqs":[0,0,0]}));
    assert_eq!(v["temperature"]["soc345"], 34.5);
    assert_eq!(v["memory"]["ram"]["total"], 125_773);
}

#[test]
fn jetpack_7_peaks_and_three_value_rails() {
    let s = sample("J-4");
    assert_eq!(s.swap, None);
    let cpu = s.temperatures.first().unwrap();
    assert_eq!(
        (cpu.current, cpu.peak),
        (Reading::MilliCelsius(52_968), Some(Reading::MilliCelsius(52_968)))
    );
    let v = json(&s);
    assert_eq!(v["memory"]["swap"], serde_json::Value::Null);
    assert_eq!(v["temperature_peak"]["soc0"], 49.531);
    assert_eq!(
        v["power"]["VDD_GPU_SOC"],
        serde_json::json!({"current":5139,"average":5139,"peak":5139,"unit":"mW"})
    );
    assert_eq!(v["gpu"]["gpc_freqs"], serde_json::json!([1300, 1300]));
    let s = sample("T-JP7-1");
    assert_eq!(json(&s)["temperature"]["cpu"], 48.0);
}

#[test]
fn tx2_l4t_28_kilobyte_lfb() {
    let s = sample("J-3");
    let lfb = s.ram.lfb.unwrap();
    assert_eq!((lfb.count, lfb.size, lfb.unit.as_str()), (1, 512, "kB"));
    assert_eq!(rail(&s, "VDD_WIFI"), (19, 19));
}

#[test]
fn robustness_lines_give_an_error_or_a_partial_result() {
    for (id, _, note, text) in rows(ROBUSTNESS) {
        if id == "J-5" {
            continue; // well-formed despite the edits: see the next test
        }
        match tegrastats::parse(text.as_bytes()) {
            Ok(s) => assert!(s.unknown.count > 0, "{id} ({note}) parsed as if clean"),
            Err(e) => assert_eq!(e, Error::missing("RAM"), "{id}"),
        }
    }
}

#[test]
fn hand_edited_nano_line_is_well_formed() {
    let edited = rows(ROBUSTNESS).find(|r| r.0 == "J-5").unwrap().3;
    let s = tegrastats::parse(edited.as_bytes()).unwrap();
    assert_eq!(s.unknown.count, 0);
    let engines: Vec<_> = s.engines.iter().map(|e| (e.name.as_str(), e.state)).collect();
    assert_eq!(engines, [("NVENC", EngineState::Freq(716)), ("NVDEC", EngineState::Freq(716))]);
    assert_eq!(rail(&s, "POM_5V_CPU"), (1078, 1205));
}

#[test]
fn wrapped_tx2_line_parses_once_joined() {
    let wrapped = rows(ROBUSTNESS).find(|r| r.0 == "T-CE-1").unwrap().3;
    let joined = wrapped.replace("\\n", "");
    let s = tegrastats::parse(joined.as_bytes()).unwrap();
    assert_eq!(s.unknown.count, 0);
    assert_eq!(s.cpu.cores.len(), 6);
    assert_eq!(s.emc.map(|e| (e.load, e.freq_mhz)), Some((16, Some(102))));
    assert_eq!(temp(&s, "Tdiode"), Reading::MilliCelsius(33_500));
    assert_eq!(rail(&s, "VDD_SYS_DDR"), (230, 230));
    // Split where the terminal wrapped it, no fragment but the first is a sample.
    let mut pieces = wrapped.split("\\n");
    assert!(tegrastats::parse(pieces.next().unwrap().as_bytes()).is_ok());
    for piece in pieces {
        assert_eq!(tegrastats::parse(piece.as_bytes()), Err(Error::missing("RAM")));
    }
}

#[test]
fn terminal_wrap_with_markdown_keeps_what_is_valid() {
    let mangled = rows(ROBUSTNESS).find(|r| r.0 == "T-CE-3").unwrap().3;
    let mut halves = mangled.split("\\n");
    let first = halves.next().unwrap();
    assert_eq!(tegrastats::parse(first.as_bytes()), Err(Error::missing("RAM")));
    let second = tegrastats::parse(halves.next().unwrap().as_bytes()).unwrap();
    assert_eq!(second.ram.used_mb, 7124);
    assert_eq!(second.swap.map(|w| w.cached_mb), Some(Some(159)));
    assert_eq!((second.unknown.count, second.unknown.tokens[0].as_str()), (1, "CPU"));
}

#[test]
fn template_lines_keep_every_valid_field() {
    let t = rows(ROBUSTNESS).find(|r| r.0 == "J-T-10").unwrap().3;
    let s = tegrastats::parse(t.as_bytes()).unwrap();
    assert!(s.cpu.cores.is_empty());
    assert_eq!(s.rails.iter().filter(|r| r.name == "NC").count(), 2);
    let v = json(&s);
    assert_eq!(v["power"]["NC_2"], serde_json::json!({"current":0,"average":0,"unit":"mW"}));
    assert_eq!(v["temperature"]["cv0"], serde_json::Value::Null);
    assert_eq!(v["engines"]["NVJPG1"]["freq"], 729);
    assert_eq!(v["unknown"]["count"], 6);
}

#[test]
fn errors_name_the_field() {
    let e = tegrastats::parse(b"Thu Dec 17 18:16:50 UTC 2020").unwrap_err();
    assert_eq!((e.kind, e.field), (ErrorKind::Missing, "RAM"));
    assert_eq!(e.to_string(), "missing RAM");
}
