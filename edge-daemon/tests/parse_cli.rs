//! `edgestat parse` as a user runs it: the real binary, real captures on
//! stdin, JSON on stdout, and the exit code.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

const CAPTURED: &str = include_str!("../../parsers/tests/data/tegrastats/captured.tsv");
const ROBUSTNESS: &str = include_str!("../../parsers/tests/data/tegrastats/robustness.tsv");
const VCGENCMD: &str = include_str!("../../parsers/tests/data/vcgencmd/outputs.txt");

/// Runs `edgestat ARGS` with `stdin`; returns (exit code, stdout lines).
fn edgestat(args: &[&str], stdin: &str) -> (i32, Vec<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_edgestat"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("edgestat runs");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    (out.status.code().unwrap_or(-1), stdout.lines().map(str::to_owned).collect())
}

fn tsv_lines(tsv: &str) -> Vec<(&str, &str)> {
    tsv.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| (l.split('\t').next().unwrap(), l.split('\t').nth(3).unwrap()))
        .collect()
}

/// The output lines of the block `== <id> | <board> | vcgencmd <command>`.
fn block(id: &str, command: &str) -> String {
    let header = format!("| vcgencmd {command}");
    let mut lines = VCGENCMD
        .lines()
        .skip_while(|l| !(l.starts_with(&format!("== {id} ")) && l.ends_with(&header)));
    lines.next().unwrap_or_else(|| panic!("no block {id} {command}"));
    lines.take_while(|l| !l.starts_with("== ")).map(|l| format!("{l}\n")).collect()
}

fn parse_json(line: &str) -> Value {
    serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
}

#[test]
fn tegrastats_log_gives_one_status_object_per_line() {
    let lines = tsv_lines(CAPTURED);
    let input: String = lines.iter().map(|(_, l)| format!("{l}\n")).collect();
    let (code, out) = edgestat(&["parse", "tegrastats"], &input);
    assert_eq!(code, 0);
    assert_eq!(out.len(), lines.len());
    for ((id, _), line) in lines.iter().zip(&out) {
        let v = parse_json(line);
        for key in ["cpu", "gpu", "memory", "temperature", "power", "timestamp"] {
            assert!(v.get(key).is_some(), "{id}: no {key}");
        }
        assert!(v["memory"]["ram"]["total"].as_u64().unwrap() > 0, "{id}");
    }
    let thor = parse_json(&out[lines.iter().position(|(id, _)| *id == "T-LE-4").unwrap()]);
    assert_eq!(thor["gpu"], json!({"gr3d_freq": 0, "load": null, "gpc_freqs": [0, 0, 0]}));
    assert_eq!(thor["timestamp"], "2026-05-17T10:00:32");
    assert_eq!(
        thor["cpu"]["cores"][13],
        json!({"id": 13, "usage": 1, "freq": 972, "online": true})
    );
    assert_eq!(thor["engines"]["OFA"], json!({"online": true, "load": null, "freq": 0}));
    let nano = parse_json(&out[lines.iter().position(|(id, _)| *id == "T-WA-3").unwrap()]);
    assert_eq!(nano["power"]["POM_5V_IN"], json!({"current": 1750, "average": 1628, "unit": "mW"}));
    assert_eq!(
        nano["memory"]["swap"],
        json!({"used": 191, "total": 1982, "unit": "MB", "cached": 6})
    );
    assert_eq!(nano["temperature"]["pmic"], 50.0);
}

#[test]
fn rejected_lines_become_numbered_errors_and_exit_1() {
    let first = tsv_lines(CAPTURED)[0].1;
    let input = format!("{first}\nThu Dec 17 18:16:50 UTC 2020\n\r\n{first}\n");
    let (code, out) = edgestat(&["parse", "tegrastats"], &input);
    assert_eq!(code, 1);
    assert_eq!(out.len(), 4);
    assert_eq!(parse_json(&out[1]), json!({"error": "missing RAM", "line": 2}));
    assert_eq!(parse_json(&out[2]), json!({"error": "empty input", "line": 3}));
    assert_eq!(parse_json(&out[3])["cpu"]["cores"][0]["usage"], 17);
}

#[test]
fn robustness_corpus_never_crashes_the_converter() {
    let lines = tsv_lines(ROBUSTNESS);
    let input: String = lines.iter().map(|(_, l)| format!("{l}\n")).collect();
    let (code, out) = edgestat(&["parse", "tegrastats"], &input);
    assert_eq!(out.len(), lines.len(), "one output line per input line");
    assert_eq!(code, 0, "every robustness line is a documented partial result");
    for ((id, _), line) in lines.iter().zip(&out) {
        let v = parse_json(line);
        if *id != "J-5" {
            assert!(v["unknown"]["count"].as_u64().unwrap() > 0, "{id}");
        }
    }
}

#[test]
fn overlong_line_is_an_error_and_the_next_line_still_parses() {
    let first = tsv_lines(CAPTURED)[0].1;
    let input = format!("{}\n{first}\n", "x".repeat(20_000));
    let (code, out) = edgestat(&["parse", "tegrastats"], &input);
    assert_eq!(code, 1);
    assert_eq!(parse_json(&out[0])["line"], 1);
    assert_eq!(parse_json(&out[1])["memory"]["ram"]["used"], 3468);
}

#[test]
fn vcgencmd_commands_give_their_documented_objects() {
    let cases: [(&str, &[&str], Value); 9] = [
        ("VC-A5", &["measure_temp"], json!({"temp": 42.8})),
        ("VC-A1", &["measure_clock", "arm"], json!({"clock": "arm", "id": 48, "hz": 600169920u64})),
        ("VC-A6", &["measure_volts"], json!({"volts": 0.86})),
        ("VC-B", &["measure_volts", "sdram_p"], json!({"volts": 1.225})),
        (
            "VC-A7",
            &["get_throttled"],
            json!({"raw": 327685, "under_voltage": true, "arm_freq_capped": false, "throttled": true,
                   "soft_temp_limit": false, "under_voltage_occurred": true,
                   "arm_freq_capped_occurred": false, "throttled_occurred": true,
                   "soft_temp_limit_occurred": false}),
        ),
        ("VC-A4", &["get_mem", "gpu"], json!({"mb": 76})),
        (
            "VC-A9",
            &["version"],
            json!({"date": "2024-02-29T12:24:53", "hash": "f4e2138c2adc8f3a92a3a65939e458f11d7298ba",
                   "clean": true, "variant": "start"}),
        ),
        ("VC-C5", &["get_config", "core_freq"], json!({"core_freq": 0})),
        ("VC-A3", &["codec_enabled", "H264"], json!({"codec": "H264", "enabled": true})),
    ];
    for (id, args, expected) in cases {
        let (code, out) =
            edgestat(&[&["parse", "vcgencmd"][..], args].concat(), &block(id, &args.join(" ")));
        assert_eq!((code, out.len()), (0, 1), "{id} {args:?}");
        assert_eq!(parse_json(&out[0]), expected, "{id} {args:?}");
    }
}

#[test]
fn vcgencmd_get_config_keeps_hex_as_integers() {
    let (code, out) =
        edgestat(&["parse", "vcgencmd", "get_config", "int"], &block("VC-B", "get_config int"));
    assert_eq!(code, 0);
    let v = parse_json(&out[0]);
    assert_eq!(v["desired_osc_freq"], 0x36ee80);
    assert_eq!(v["over_voltage_avs"], 0x1cfde);
    assert_eq!(v["arm_freq"], 1200);
    assert_eq!(v.as_object().unwrap().len(), 26);
}

#[test]
fn vcgencmd_pmic_rails_in_amps_and_volts() {
    let (code, out) =
        edgestat(&["parse", "vcgencmd", "pmic_read_adc"], &block("VC-D1", "pmic_read_adc"));
    assert_eq!(code, 0);
    let rails = &parse_json(&out[0])["rails"];
    assert_eq!(rails["VDD_CORE"], json!({"current": 0.9465799, "volts": 0.7209762}));
    assert_eq!(rails["EXT5V"], json!({"current": null, "volts": 5.11478}));
    assert_eq!(rails.as_object().unwrap().len(), 14);
}

#[test]
fn vcgencmd_firmware_error_is_an_error_object_and_exit_1() {
    let (code, out) = edgestat(&["parse", "vcgencmd", "get_mem"], &block("VC-B", "get_mem"));
    assert_eq!(code, 1);
    assert_eq!(parse_json(&out[0]), json!({"error": {"code": 2, "message": "Invalid arguments"}}));
    let (code, out) = edgestat(&["parse", "vcgencmd", "measure_temp"], "temp=hot\n");
    assert_eq!(code, 1);
    assert_eq!(parse_json(&out[0]), json!({"error": "malformed measure_temp"}));
}

#[test]
fn bad_usage_exits_2_with_a_message() {
    for args in [
        &["parse"][..],
        &["parse", "nvidia-smi"],
        &["parse", "vcgencmd"],
        &["parse", "vcgencmd", "measure_clock"],
        &["parse", "vcgencmd", "reboot"],
        &["frobnicate"],
    ] {
        let (code, out) = edgestat(args, "");
        assert_eq!((code, out.len()), (2, 0), "{args:?}");
    }
    let (code, out) = edgestat(&["--version"], "");
    assert_eq!(code, 0);
    assert!(out[0].starts_with("edgestat "));
}
