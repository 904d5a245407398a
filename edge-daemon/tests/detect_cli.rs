//! `edgestat detect` against the fixture roots (see tests/fixtures/README.md)
//! and against this machine itself.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

fn detect(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_edgestat"))
        .arg("detect")
        .args(args)
        .env_remove("EDGESTAT_SYSFS")
        .env_remove("EDGESTAT_PROCFS")
        .env_remove("EDGESTAT_ROOTFS")
        .output()
        .expect("edgestat runs");
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap())
}

fn fixture(name: &str) -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    let (sys, proc) = (root.join("sys"), root.join("proc"));
    let (code, out) = detect(&[
        "--sysfs",
        sys.to_str().unwrap(),
        "--procfs",
        proc.to_str().unwrap(),
        &format!("--rootfs={}", root.display()),
    ]);
    assert_eq!(code, 0, "{name}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{name}: {e}: {out}"))
}

#[test]
fn jetsons_report_their_l4t_release() {
    assert_eq!(
        fixture("agx-orin-r36"),
        json!({"kind": "jetson", "l4t": "36.4.4", "model": "NVIDIA Jetson AGX Orin Developer Kit"})
    );
    assert_eq!(
        fixture("nano-r32"),
        json!({"kind": "jetson", "l4t": "32.7.1", "model": "NVIDIA Jetson Nano Developer Kit"})
    );
}

#[test]
fn a_jetson_without_a_readable_release_is_unknown_not_an_error() {
    assert_eq!(
        fixture("jetson-release-missing"),
        json!({"kind": "jetson", "l4t": "unknown", "model": "NVIDIA Jetson Xavier NX Developer Kit"})
    );
    assert_eq!(
        fixture("jetson-release-garbled"),
        json!({"kind": "jetson", "l4t": "unknown", "model": null})
    );
}

#[test]
fn raspberry_pis_report_model_and_decoded_revision() {
    let pi4 = fixture("pi4-bookworm");
    assert_eq!(pi4["kind"], "raspberry_pi");
    assert_eq!(pi4["model"], "Raspberry Pi 4 Model B Rev 1.1");
    assert_eq!(pi4["revision"]["code"], "c03111");
    assert_eq!(pi4["revision"]["board"], "4B");
    assert_eq!(pi4["revision"]["memory_mb"], 4096);
    assert_eq!(pi4["revision"]["processor"], "BCM2711");
    assert_eq!(
        fixture("pi5-bookworm"),
        json!({"kind": "raspberry_pi", "model": "Raspberry Pi 5 Model B Rev 1.0", "revision": {
            "code": "d04170", "board": "5", "memory_mb": 8192, "manufacturer": "Sony UK",
            "processor": "BCM2712", "revision": 0, "warranty_voided": false
        }})
    );
}

#[test]
fn anything_else_is_generic_linux() {
    assert_eq!(fixture("generic"), json!({"kind": "linux", "model": null}));
    // This machine, read at the real roots: whatever it is, detect answers.
    let (code, out) = detect(&[]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(["linux", "jetson", "raspberry_pi"].contains(&v["kind"].as_str().unwrap()));
}

#[test]
fn bad_root_flags_are_usage_errors() {
    assert_eq!(detect(&["--sysfs"]).0, 2);
    assert_eq!(detect(&["--path.sysfs", "/sys"]).0, 2);
}
