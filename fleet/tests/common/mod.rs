//! What the fleet manager's tests share: the backends (SQLite always,
//! PostgreSQL when `EDGESTAT_TEST_POSTGRES_URL` names a server, which
//! `ci/postgres` starts), the real binary on `127.0.0.1:0`, and curl.

#![allow(dead_code)] // each test file uses its own part of this module

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A database for one test.
pub struct Backend {
    /// `sqlite` or `postgres`.
    pub name: &'static str,
    /// What `--database-url` gets.
    pub url: String,
    dir: PathBuf,
    drop_db: Option<(String, String)>,
}

impl Drop for Backend {
    fn drop(&mut self) {
        if let Some((server, db)) = &self.drop_db {
            let _ = psql(server, &format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"));
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn psql(server: &str, sql: &str) -> std::process::Output {
    Command::new("psql")
        .args([server, "-v", "ON_ERROR_STOP=1", "-qc", sql])
        .output()
        .expect("psql runs")
}

/// A unique scratch directory.
pub fn scratch(tag: &str) -> PathBuf {
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("edgestat-fleet-{tag}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The backends every test runs on: a fresh SQLite file, and a fresh
/// PostgreSQL database when a server is given. Under CI (`CI` set) the
/// server is required: a suite that silently skipped PostgreSQL would pass
/// for the wrong reason.
pub fn backends(tag: &str) -> Vec<Backend> {
    let dir = scratch(tag);
    let mut all = vec![Backend {
        name: "sqlite",
        url: format!("sqlite:{}", dir.join("fleet.db").display()),
        dir: dir.clone(),
        drop_db: None,
    }];
    match std::env::var("EDGESTAT_TEST_POSTGRES_URL") {
        Ok(server) => {
            let db = format!(
                "fleet_{tag}_{}_{}",
                std::process::id(),
                all.len() + dir.to_string_lossy().len()
            );
            let made = psql(&server, &format!("CREATE DATABASE {db}"));
            assert!(
                made.status.success(),
                "CREATE DATABASE: {}",
                String::from_utf8_lossy(&made.stderr)
            );
            let base = server.rsplit_once('/').map_or(server.as_str(), |(b, _)| b).to_owned();
            all.push(Backend {
                name: "postgres",
                url: format!("{base}/{db}"),
                dir: scratch(tag),
                drop_db: Some((server, db)),
            });
        }
        Err(_) if std::env::var_os("CI").is_some() => {
            panic!(
                "CI is set but EDGESTAT_TEST_POSTGRES_URL is not: run `eval \"$(ci/postgres start)\"` first"
            )
        }
        Err(_) => {
            eprintln!("EDGESTAT_TEST_POSTGRES_URL unset: SQLite only (ci/postgres starts a server)")
        }
    }
    all
}

/// The fleet manager under test; stopped when dropped.
pub struct Fleet {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// Its stderr.
    pub log: PathBuf,
}

impl Fleet {
    /// `edgestat-fleet run` on `db`, with `args`, on a free loopback port,
    /// querying no agent unless `args` say so.
    pub fn start(db: &Backend, args: &[&str]) -> Fleet {
        let log = scratch("log").join("stderr.log");
        let mut command = Command::new(env!("CARGO_BIN_EXE_edgestat-fleet"));
        command
            .args([
                "run",
                "--listen",
                "127.0.0.1:0",
                "--poll-interval",
                "0",
                "--log-level",
                "debug",
            ])
            .arg(format!("--database-url={}", db.url))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(std::fs::File::create(&log).unwrap()));
        for (key, _) in std::env::vars() {
            if key.starts_with("EDGESTAT_FLEET_") {
                command.env_remove(key);
            }
        }
        let mut child = command.spawn().expect("edgestat-fleet starts");
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
        let base = first
            .trim()
            .strip_prefix("edgestat-fleet listening on ")
            .unwrap_or_else(|| {
                panic!(
                    "unexpected first line {first:?}; log: {}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                )
            })
            .to_owned();
        Fleet { child, base, log }
    }

    /// What it wrote to stderr.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `curl -s` of `path` with `args`: the status and the JSON body
    /// (`Value::Null` for an empty one).
    pub fn curl(&self, path: &str, args: &[&str]) -> (u16, Value) {
        let out = Command::new("curl")
            .args(["-s", "-w", "\n%{http_code}"])
            .args(args)
            .arg(format!("{}{path}", self.base))
            .output()
            .expect("curl runs");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let (body, code) =
            text.rsplit_once('\n').unwrap_or_else(|| panic!("curl printed {text:?}"));
        let json = if body.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"))
        };
        (code.parse().unwrap(), json)
    }

    /// GET `path`, expecting 200 and `success: true`; returns `data`.
    pub fn data(&self, path: &str) -> Value {
        let (code, body) = self.curl(path, &[]);
        assert_eq!((code, &body["success"]), (200, &Value::Bool(true)), "{path}: {body}");
        body["data"].clone()
    }

    /// POST `json` to `path` as the seed's examples do (the body from a
    /// file, so that a large one fits).
    pub fn post(&self, path: &str, json: &Value) -> (u16, Value) {
        let file = scratch("body").join("body.json");
        std::fs::write(&file, json.to_string()).unwrap();
        let data = format!("@{}", file.display());
        let reply = self.curl(
            path,
            &["-X", "POST", "-H", "Content-Type: application/json", "--data-binary", &data],
        );
        let _ = std::fs::remove_dir_all(file.parent().unwrap());
        reply
    }

    /// Polls GET `path` until `check` holds on its data, or panics.
    pub fn until(&self, path: &str, within: Duration, check: impl Fn(&Value) -> bool) -> Value {
        let start = Instant::now();
        loop {
            let data = self.data(path);
            if check(&data) {
                return data;
            }
            assert!(
                start.elapsed() < within,
                "{path} never matched within {within:?}; last: {data}\nlog:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Stops it (SIGTERM) and waits.
    pub fn stop(mut self) {
        terminate(&mut self.child);
    }
}

fn terminate(child: &mut Child) {
    if let Ok(Some(_)) = child.try_wait() {
        return;
    }
    let _ = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

impl Drop for Fleet {
    fn drop(&mut self) {
        terminate(&mut self.child);
    }
}

/// The seed 003 heartbeat an edgestat agent on the AGX Orin fixture sends
/// (tests/fixtures/orin-heartbeat.json), from `client_id`.
pub fn orin_heartbeat(client_id: &str) -> Value {
    let mut hb: Value =
        serde_json::from_str(include_str!("../fixtures/orin-heartbeat.json")).unwrap();
    hb["data"]["client_id"] = client_id.into();
    hb
}

/// Its resource report (tests/fixtures/orin-resource.json) with `cpu` %
/// and `rx`/`tx` bytes on eth0 (lo is not traffic).
pub fn orin_resource(client_id: &str, cpu: f64, rx: u64, tx: u64) -> Value {
    let mut r: Value =
        serde_json::from_str(include_str!("../fixtures/orin-resource.json")).unwrap();
    r["data"]["client_id"] = client_id.into();
    r["data"]["resource"]["cpu"]["usage_percent"] = cpu.into();
    r["data"]["resource"]["network"][1]["rx_bytes"] = rx.into();
    r["data"]["resource"]["network"][1]["tx_bytes"] = tx.into();
    r
}
