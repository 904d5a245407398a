//! The seeds' own client examples, run unchanged (only the address is
//! replaced) against the daemon on a Raspberry Pi 4 fixture: the piStat
//! README's Python `requests` client and both seeds' curl commands.
//!
//! Needs Python with `requests` (tests/clients/requirements.txt; ci/test
//! installs it into a venv) and `curl`.

mod common;

use std::process::Command;

use common::{Daemon, fixture};

const SEED_ADDRESSES: [&str; 3] = ["device-ip:8585", "localhost:8585", "10.10.99.98:58090"];

fn with_address(text: &str, addr: &str) -> String {
    SEED_ADDRESSES.iter().fold(text.to_owned(), |text, seed| text.replace(seed, addr))
}

fn examples(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/examples").join(name);
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn the_pistat_readme_python_client_runs_unchanged() {
    let daemon = Daemon::start(&fixture("pi4-bookworm"), &[], &[]);
    daemon.json("/stats");
    let script = daemon.dir.join("client.py");
    std::fs::write(&script, with_address(&examples("pistat_readme.py"), &daemon.addr)).unwrap();
    let out = Command::new("python3")
        .arg(&script)
        .output()
        .expect("python3 runs (install python3 and python3-requests; ci/test does)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "client failed:\n{stdout}\n{stderr}");
    let stats = daemon.json("/stats");
    let temp = stats["cpu_temp"].as_f64().expect("the Pi fixture has a CPU temperature");
    assert!(stdout.contains(&format!("CPU Temperature: {temp}")), "{stdout}");
    assert!(stdout.contains("Memory Used: "), "{stdout}");
    assert!(stdout.contains(" days"), "{stdout}");
    assert!(stdout.lines().any(|l| l.ends_with("% memory")), "{stdout}");
}

#[test]
fn the_seeds_curl_examples_run_unchanged() {
    let daemon = Daemon::start(&fixture("pi4-bookworm"), &[], &[]);
    daemon.json("/api/status");
    let commands = examples("curl_examples.sh");
    let commands: Vec<&str> = commands.lines().filter(|l| l.starts_with("curl ")).collect();
    assert_eq!(commands.len(), 13);
    for command in commands {
        let line = with_address(command, &daemon.addr);
        let out = Command::new("sh").args(["-c", &line]).output().expect("sh and curl run");
        assert!(out.status.success(), "{line}: {}", String::from_utf8_lossy(&out.stderr));
        let body = String::from_utf8_lossy(&out.stdout);
        if line.ends_with("/") {
            assert!(body.contains("<title>edgestat API</title>"), "{line}");
        } else {
            let json: serde_json::Value =
                serde_json::from_str(&body).unwrap_or_else(|e| panic!("{line}: {e}: {body}"));
            assert!(json.get("error").is_none(), "{line}: {body}");
        }
    }
}
