//! What the daemon's integration tests share: starting the real binary on
//! `127.0.0.1:0` against a fixture root, and a plain HTTP/1.1 client.

#![allow(dead_code)] // each test file uses its own part of this module

pub mod samples;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A fixture root under `tests/fixtures`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// The daemon under test; stopped with SIGTERM when dropped.
pub struct Daemon {
    child: Child,
    /// `127.0.0.1:<port>`.
    pub addr: String,
    /// A scratch directory for this daemon (its working directory).
    pub dir: PathBuf,
}

/// `edgestat run` on a free loopback port at 2 Hz without rate limiting,
/// working in `dir` with its empty TOML file, no `EDGESTAT_*`/`PISTAT_*`
/// variables of the caller, stdout piped (the address line) and stderr to
/// `dir/stderr.log`.
fn run_command(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_edgestat"));
    command
        .arg("run")
        .args(["--port", "0", "--update-interval", "0.5", "--no-rate-limit"])
        .arg(format!("--config={}", dir.join("edgestat.toml").display()))
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(log_file(dir));
    for (key, _) in std::env::vars() {
        if key.starts_with("EDGESTAT_") || key.starts_with("PISTAT_") {
            command.env_remove(key);
        }
    }
    command
}

/// The daemon's stderr goes to `stderr.log` in its scratch directory.
fn log_file(dir: &Path) -> Stdio {
    Stdio::from(std::fs::File::create(dir.join("stderr.log")).unwrap())
}

/// A unique scratch directory.
pub fn scratch(tag: &str) -> PathBuf {
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("edgestat-{tag}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // An empty TOML file, so that no /etc/edgestat/edgestat.toml of the
    // machine running the tests changes them.
    std::fs::write(dir.join("edgestat.toml"), "").unwrap();
    dir
}

impl Daemon {
    /// Runs `edgestat run` with the roots and tools of fixture `root`,
    /// plus `args`, and `env`. Rate limiting is off unless `args` turn it on.
    pub fn start(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Daemon {
        let dir = scratch("daemon");
        let mut command = run_command(&dir);
        command
            .arg(format!("--sysfs={}", root.join("sys").display()))
            .arg(format!("--procfs={}", root.join("proc").display()))
            .arg(format!("--rootfs={}", root.display()))
            .arg(format!("--tegrastats={}", root.join("usr/bin/tegrastats").display()))
            .arg(format!("--vcgencmd={}", root.join("usr/bin/vcgencmd").display()))
            .args(args)
            .envs(env.iter().copied());
        Self::spawn(command, dir)
    }

    /// Runs `edgestat run` on this machine's own `/proc` and `/sys`.
    pub fn start_host(args: &[&str]) -> Daemon {
        let dir = scratch("host");
        let mut command = run_command(&dir);
        command.args(args);
        Self::spawn(command, dir)
    }

    fn spawn(mut command: Command, dir: PathBuf) -> Daemon {
        let mut child = command.spawn().expect("edgestat starts");
        let stdout = child.stdout.take().unwrap();
        let mut first = String::new();
        BufReader::new(stdout).read_line(&mut first).unwrap();
        let addr = first
            .trim()
            .strip_prefix("edgestat listening on http://")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
            .to_owned();
        Daemon { child, addr, dir }
    }

    /// The daemon's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What the daemon wrote to stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("stderr.log")).unwrap_or_default()
    }

    /// `GET path`.
    pub fn get(&self, path: &str) -> Response {
        request(&self.addr, &format!("GET {path} HTTP/1.1\r\nHost: {}\r\n", self.addr), &[])
    }

    /// `GET path` with extra header lines (`Name: value`).
    pub fn get_with(&self, path: &str, headers: &[&str]) -> Response {
        request(&self.addr, &format!("GET {path} HTTP/1.1\r\nHost: {}\r\n", self.addr), headers)
    }

    /// Polls `path` until it answers 200 (the first sample is one interval
    /// after start) and returns its JSON.
    pub fn json(&self, path: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let response = self.get(path);
            if response.status == 200 {
                return response.json();
            }
            assert!(
                Instant::now() < deadline,
                "{path}: still {} : {}",
                response.status,
                response.body
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Polls `path` until `check` holds for its JSON, for up to `within`.
    pub fn until(&self, path: &str, within: Duration, check: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + within;
        loop {
            let value = self.json(path);
            if check(&value) {
                return value;
            }
            assert!(Instant::now() < deadline, "{path}: condition never held; last: {value}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Sends SIGTERM and returns the exit code and the whole log.
    pub fn terminate(mut self) -> (Option<i32>, String) {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return (status.code(), self.log());
            }
            assert!(Instant::now() < deadline, "edgestat did not exit after SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
            let _ = self.child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A response.
#[derive(Debug)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Header lines, lower-cased names.
    pub headers: Vec<(String, String)>,
    /// The body as text.
    pub body: String,
}

impl Response {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Sends `head` (request line and headers so far) plus `headers` and
/// `Connection: close`, and reads the whole response.
pub fn request(addr: &str, head: &str, headers: &[&str]) -> Response {
    request_with_body(addr, head, headers, "")
}

/// [`request`] with a body after the head.
pub fn request_with_body(addr: &str, head: &str, headers: &[&str], body: &str) -> Response {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    let mut text = head.to_owned();
    for header in headers {
        text.push_str(header);
        text.push_str("\r\n");
    }
    text.push_str("Connection: close\r\n\r\n");
    text.push_str(body);
    // The server may answer (413) before the whole body is sent.
    let _ = stream.write_all(text.as_bytes());
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    parse_response(&raw)
}

/// Parses a whole HTTP/1.1 response with a `Content-Length` body.
pub fn parse_response(raw: &[u8]) -> Response {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no head: {text:?}"));
    let mut lines = head.split("\r\n");
    let status =
        lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Response { status, headers, body: body.to_owned() }
}

/// The Python that runs the client scripts: `$EDGESTAT_TEST_PYTHON` (ci/test
/// points it at a venv with tests/clients/requirements.txt), else `python3`.
pub fn python() -> String {
    std::env::var("EDGESTAT_TEST_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// A client script under `tests/clients`.
pub fn client(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients").join(name)
}
