//! `/dashboard` in a real browser. Headless Chromium, driven over the
//! DevTools pipe by a small Python script (standard library only), loads the
//! page from the daemon on the AGX Orin fixture, waits for live updates over
//! `/api/ws` and `/api/status`, and saves a screenshot to
//! `target/test-output/` at the workspace root. Also: a daemon with a token
//! answers the page's fetches 401, and the page says so; with the token in
//! the page's fragment it polls `/api/status` instead of the websocket.
//!
//! Needs `chromium` (Debian) or `chromium-browser` on PATH; ci/test installs it.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use common::{Daemon, fixture, python};
use serde_json::Value;

/// The DevTools driver: `python -c DRIVER CHROMIUM URL PNG CONDITION SECONDS
/// [HEADER]`; prints `{"met": …, "dom": …, "exceptions": […]}`.
const DRIVER: &str = r#""""Drives headless Chromium over the DevTools pipe, standard library only.

usage: driver.py CHROMIUM URL PNG CONDITION SECONDS [HEADER]

Opens URL at 1280x900, waits up to SECONDS for the JavaScript CONDITION to
hold, saves a PNG screenshot, and prints one JSON object: met, dom,
exceptions (uncaught in the page). HEADER (`Name: value`) is added to the
page's own request only, not to the requests the page makes.
"""
import base64, fcntl, json, os, select, shutil, subprocess, sys, tempfile, time

chrome, url, png, condition, seconds = sys.argv[1:6]
header = sys.argv[6] if len(sys.argv) > 6 else ""
deadline = time.monotonic() + float(seconds)
profile = tempfile.mkdtemp(prefix="edgestat-chromium-")
cmd_r, cmd_w = os.pipe()
out_r, out_w = os.pipe()
# Chromium reads commands on fd 3 and writes replies on fd 4.
high = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (cmd_r, out_w)]
log = open(os.path.join(profile, "chromium.log"), "w")
proc = subprocess.Popen(
    [chrome, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
     "--no-default-browser-check", "--disable-extensions", "--mute-audio",
     "--remote-debugging-pipe", "--user-data-dir=" + profile, "--window-size=1280,900",
     "about:blank"],
    stdin=subprocess.DEVNULL, stdout=log, stderr=log, close_fds=False,
    preexec_fn=lambda: (os.dup2(high[0], 3), os.dup2(high[1], 4)))
for fd in (cmd_r, out_w, *high):
    os.close(fd)
buf, last_id, session, exceptions = b"", 0, None, []


def fail(why):
    proc.kill()
    log.close()
    tail = open(os.path.join(profile, "chromium.log")).read()[-2000:]
    shutil.rmtree(profile, ignore_errors=True)
    sys.exit(f"{why}\n--- chromium's log, last lines:\n{tail}")


def write(message):
    os.write(cmd_w, json.dumps(message).encode() + b"\0")


def event(m):
    method, params = m.get("method"), m.get("params", {})
    if method == "Runtime.exceptionThrown":
        d = params["exceptionDetails"]
        exceptions.append(d.get("exception", {}).get("description") or d.get("text"))
    elif method == "Fetch.requestPaused":
        name, value = header.split(":", 1)
        headers = [{"name": k, "value": v} for k, v in params["request"]["headers"].items()]
        headers.append({"name": name.strip(), "value": value.strip()})
        write({"id": 0, "sessionId": session, "method": "Fetch.continueRequest",
               "params": {"requestId": params["requestId"], "headers": headers}})


def send(method, params=None):
    global buf, last_id
    last_id += 1
    message = {"id": last_id, "method": method, "params": params or {}}
    if session:
        message["sessionId"] = session
    write(message)
    while True:
        while b"\0" not in buf:
            ready, _, _ = select.select([out_r], [], [], max(0.0, deadline + 10 - time.monotonic()))
            if not ready:
                fail(f"no answer from Chromium to {method}")
            chunk = os.read(out_r, 1 << 20)
            if not chunk:
                fail(f"Chromium closed the pipe (waiting for {method})")
            buf += chunk
        raw, buf = buf.split(b"\0", 1)
        m = json.loads(raw)
        if "id" not in m:
            event(m)
        elif m["id"] == last_id:
            if "error" in m:
                fail(f"{method}: {m['error']}")
            return m["result"]


def evaluate(expression):
    r = send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
    return r["result"].get("value")


page = next(t for t in send("Target.getTargets")["targetInfos"] if t["type"] == "page")
session = send("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True})["sessionId"]
send("Runtime.enable")
send("Emulation.setDeviceMetricsOverride",
     {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})
if header:
    send("Fetch.enable", {"patterns": [{"urlPattern": "*", "resourceType": "Document"}]})
send("Page.navigate", {"url": url})
met = False
while time.monotonic() < deadline:
    met = bool(evaluate(f"(() => {{ try {{ return !!({condition}); }} catch (e) {{ return false; }} }})()"))
    if met:
        break
    time.sleep(0.1)
dom = evaluate("document.documentElement.outerHTML")
with open(png, "wb") as f:
    f.write(base64.b64decode(send("Page.captureScreenshot", {"format": "png"})["data"]))
session = None
write({"id": last_id + 1, "method": "Browser.close"})
try:
    proc.wait(10)
except subprocess.TimeoutExpired:
    proc.kill()
    proc.wait()
log.close()
shutil.rmtree(profile, ignore_errors=True)
print(json.dumps({"met": met, "dom": dom, "exceptions": exceptions}))
"#;

/// Seconds Chromium may take to satisfy a page condition.
const WAIT_SECONDS: &str = "30";

/// The browser: `chromium` (Debian) or `chromium-browser`, on PATH.
fn chromium() -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    ["chromium", "chromium-browser"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| {
            panic!("no `chromium` or `chromium-browser` on PATH: install chromium; ci/test does")
        })
}

/// `target/test-output/` at the workspace root, created.
fn output_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/test-output");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Opens `url` in headless Chromium (`browser`) until the JavaScript
/// `condition` holds (or the wait runs out), saves a screenshot to `png`, and
/// returns the driver's report. `header` is added to the page's own request
/// only.
fn browse(browser: &Path, url: &str, condition: &str, png: &Path, header: Option<&str>) -> Value {
    let _ = std::fs::remove_file(png);
    let started = Instant::now();
    let out = Command::new(python())
        .arg("-c")
        .arg(DRIVER)
        .arg(browser)
        .arg(url)
        .arg(png)
        .args([condition, WAIT_SECONDS])
        .args(header)
        .output()
        .expect("python3 runs the Chromium driver");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the Chromium driver failed on {url}: {stderr}");
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("driver output is not JSON ({e}): {stderr}"));
    eprintln!("{url}: Chromium done in {:.1} s", started.elapsed().as_secs_f64());
    let bytes = std::fs::read(png).unwrap_or_else(|e| panic!("{}: {e}", png.display()));
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{} is not a PNG", png.display());
    assert_eq!(report["exceptions"], Value::Array(vec![]), "uncaught exceptions in the page");
    report
}

/// The page's DOM, after checking that `condition` held.
fn dom(report: &Value, condition: &str) -> String {
    let dom = report["dom"].as_str().unwrap_or_default().to_owned();
    assert_eq!(report["met"], true, "never held: {condition}\nDOM:\n{dom}");
    dom
}

/// The text content of the element with `id` (no child elements).
fn text_of<'a>(dom: &'a str, id: &str) -> &'a str {
    let start = dom.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id}"));
    let rest = &dom[start..];
    let open = rest.find('>').unwrap() + 1;
    let close = rest.find('<').unwrap();
    &rest[open..close]
}

#[test]
fn dashboard_shows_live_data_in_chromium() {
    let browser = chromium();
    let daemon = Daemon::start(&fixture("agx-orin-r36"), &[], &[]);
    daemon.json("/api/status");

    let page = daemon.get("/dashboard");
    assert_eq!(page.status, 200);
    assert_eq!(page.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(page.body.len() < 20 * 1024, "the page is {} bytes", page.body.len());
    for external in ["http://", "https://", "url(", "@import"] {
        assert!(!page.body.contains(external), "the page refers to `{external}`");
    }

    let png = output_dir().join("dashboard.png");
    let condition = "+document.body.dataset.updates >= 3 \
                     && document.getElementById('cpu-temp').textContent !== 'n/a'";
    let report =
        browse(&browser, &format!("http://{}/dashboard", daemon.addr), condition, &png, None);
    let dom = dom(&report, condition);

    let updates: u32 = text_of(&dom, "updates").trim_start_matches("updates: ").parse().unwrap();
    assert!(updates >= 2, "updates: {updates}");
    let cpu_temp = text_of(&dom, "cpu-temp");
    assert!(cpu_temp.contains("44.4"), "cpu temperature: {cpu_temp:?}");
    assert!(text_of(&dom, "status").starts_with("live"), "{}", text_of(&dom, "status"));
    // Every core, every rail, an unreadable sensor, the GPU and the network.
    for shown in ["cpu11", "VDD_GPU_SOC", "7101 / 7101 mW", "cv2", "306 MHz", "61.4 GB", "↓ 0 B/s"]
    {
        assert!(dom.contains(shown), "`{shown}` not shown:\n{dom}");
    }
    println!("screenshot: {}", png.canonicalize().unwrap().display());
}

#[test]
fn dashboard_explains_a_missing_token() {
    let browser = chromium();
    let daemon = Daemon::start(&fixture("agx-orin-r36"), &["--token", "s3cret"], &[]);
    daemon.json("/api/health");
    let png = output_dir().join("dashboard-401.png");
    let condition = "document.getElementById('status').textContent.startsWith('401')";
    let url = format!("http://{}/dashboard", daemon.addr);
    let report = browse(&browser, &url, condition, &png, Some("Authorization: Bearer s3cret"));
    let status = text_of(&dom(&report, condition), "status").to_owned();
    assert!(status.contains("requires a token"), "{status}");
}

#[test]
fn dashboard_polls_with_a_token_in_the_fragment() {
    let browser = chromium();
    let daemon = Daemon::start(&fixture("agx-orin-r36"), &["--token", "s3cret"], &[]);
    daemon.json("/api/health");
    let png = output_dir().join("dashboard-token.png");
    // The browser cannot send the token with the websocket handshake, so
    // the page polls /api/status with it.
    let condition = "document.getElementById('cpu-temp').textContent !== 'n/a' \
                     && document.getElementById('net').textContent !== 'n/a'";
    let url = format!("http://{}/dashboard#token=s3cret", daemon.addr);
    let report = browse(&browser, &url, condition, &png, Some("Authorization: Bearer s3cret"));
    let dom = dom(&report, condition);
    assert!(text_of(&dom, "cpu-temp").contains("44.4"));
    assert!(dom.contains("↓ 0 B/s"), "no network figures from /api/stats:\n{dom}");
    assert!(text_of(&dom, "status").contains("polling /api/status"), "{}", text_of(&dom, "status"));
}

#[test]
fn a_token_in_the_fragment_is_all_a_browser_needs() {
    // What a user does: open /dashboard#token=… in a browser that sends no
    // Authorization header. The page itself holds no data and loads; its
    // requests carry the token.
    let browser = chromium();
    let daemon = Daemon::start(&fixture("agx-orin-r36"), &["--token", "s3cret"], &[]);
    daemon.json("/api/health");
    let png = output_dir().join("dashboard-fragment-only.png");
    let condition = "document.getElementById('cpu-temp').textContent !== 'n/a'";
    let url = format!("http://{}/dashboard#token=s3cret", daemon.addr);
    let report = browse(&browser, &url, condition, &png, None);
    let dom = dom(&report, condition);
    assert!(text_of(&dom, "cpu-temp").contains("44.4"), "{dom}");
    // The page loads without the token; the data does not.
    assert_eq!(daemon.get("/dashboard").status, 200);
    assert_eq!(daemon.get("/api/status").status, 401);
}
