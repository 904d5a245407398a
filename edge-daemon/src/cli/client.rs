//! `edgestat test` and `edgestat monitor`: a small HTTP client for a
//! running daemon (seed 000's `test` and `monitor` commands).
//!
//! ```console
//! $ edgestat test --endpoint cpu
//! GET http://localhost:58090/api/cpu: 200 OK in 1.2 ms
//! {"cpu":{"cores":[…]},"timestamp":"…"}
//! $ edgestat monitor --duration 3
//! 2026-11-22T05:30:29Z  cpu 12% (12 cores)  ram 6879/62841 MB  hottest cpu 44.4 °C  power 7101 mW
//! ```

use std::fmt;
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::config::help;
use serde::de::{MapAccess, Visitor};

/// Longest response read; `/api/status` on the largest board is under 8 KiB.
const MAX_RESPONSE: usize = 1024 * 1024;

/// How long one request may take.
const TIMEOUT: Duration = Duration::from_secs(5);

/// The daemon asked when no `--host` is given.
const DEFAULT_HOST: &str = "localhost";
/// The port asked when no `--port` is given: the daemon's default.
const DEFAULT_PORT: u16 = 58090;
/// How long `monitor` watches when no `--duration` is given, seconds.
const DEFAULT_DURATION: u64 = 10;
/// The variable a token may come from instead of `--token`.
const TOKEN_VAR: &str = "EDGESTAT_TOKEN";

/// Where the daemon is, and how to ask it.
struct Target {
    host: String,
    port: u16,
    token: Option<String>,
}

/// A subcommand's own options: `(name, value)` in order.
type Extra<'a> = Vec<(&'a str, &'a str)>;

/// The help rows of the options `test` and `monitor` share.
fn target_rows() -> Vec<help::Row> {
    let mut host = help::Row::new("--host, -h HOST", "the daemon's address");
    host.default = Some(DEFAULT_HOST.into());
    let mut port = help::Row::new("--port, -p PORT", "the daemon's port");
    port.default = Some(DEFAULT_PORT.to_string());
    let mut token = help::Row::new("--token TOKEN", "the daemon's bearer token, if it has one");
    token.env = vec![TOKEN_VAR];
    vec![host, port, token]
}

/// Reads `--host/-h`, `--port/-p`, `--token` and the extra options `extra`
/// (name, takes a value) of one subcommand.
fn options<'a>(args: &[&'a str], extra: &[&str]) -> Result<(Target, Extra<'a>), String> {
    let mut target = Target {
        host: DEFAULT_HOST.into(),
        port: DEFAULT_PORT,
        token: std::env::var(TOKEN_VAR).ok().filter(|t| !t.is_empty()),
    };
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(&arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v)),
            _ => (arg, None),
        };
        let mut value =
            || inline.or_else(|| it.next().copied()).ok_or(format!("`{name}` needs a value"));
        match name {
            "--host" | "-h" => target.host = value()?.to_owned(),
            "--port" | "-p" => {
                let v = value()?;
                target.port = v.parse().map_err(|_| format!("`{name}`: `{v}` is not a port"))?;
            }
            "--token" => target.token = Some(value()?.to_owned()),
            _ if extra.contains(&name) => rest.push((name, value()?)),
            _ => return Err(format!("unknown option `{arg}`")),
        }
    }
    Ok((target, rest))
}

/// One response.
struct Response {
    status: u16,
    reason: String,
    body: Vec<u8>,
}

/// `GET path` with `Connection: close`.
fn get(target: &Target, path: &str) -> Result<Response, String> {
    let addr = (target.host.as_str(), target.port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {}: {e}", target.host))?
        .next()
        .ok_or_else(|| format!("{} has no address", target.host))?;
    let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT)
        .map_err(|e| format!("cannot connect to {addr}: {e} (is `edgestat run` running?)"))?;
    stream.set_read_timeout(Some(TIMEOUT)).map_err(|e| e.to_string())?;
    let auth =
        target.token.as_ref().map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {}:{}\r\n{auth}Connection: close\r\n\r\n",
        target.host, target.port
    );
    stream.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    stream
        .take(MAX_RESPONSE as u64)
        .read_to_end(&mut raw)
        .map_err(|e| format!("reading the response: {e}"))?;
    let head_end = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or("no HTTP response")?;
    let head = String::from_utf8_lossy(raw.get(..head_end).unwrap_or_default()).into_owned();
    let status_line = head.lines().next().unwrap_or_default();
    let mut parts = status_line.splitn(3, ' ');
    let status = parts.nth(1).and_then(|s| s.parse().ok()).ok_or("no HTTP status")?;
    let reason = parts.next().unwrap_or_default().to_owned();
    let body = raw.get(head_end + 4..).unwrap_or_default().to_vec();
    Ok(Response { status, reason, body })
}

/// `edgestat test [--host H] [--port P] [--endpoint E] [--token T]`: one
/// request, its status, time and body. `--endpoint cpu` means `/api/cpu`.
/// Exit 0 on 200, 1 otherwise, 2 on bad usage.
pub fn test(args: &[&str]) -> ExitCode {
    if help::asked(args) {
        let mut rows = target_rows();
        let mut endpoint = help::Row::new(
            "--endpoint, -e ENDPOINT",
            "the path to GET; a bare name is under /api/ (cpu: /api/cpu)",
        );
        endpoint.default = Some("/api/status".into());
        rows.push(endpoint);
        let about = "Asks a running daemon once and prints the status line, the time taken and \
                     the body. Exits 0 on 200, 1 otherwise, 2 on bad usage.";
        print!("{}", help::render("edgestat test [FLAGS]", about, &rows));
        return ExitCode::SUCCESS;
    }
    let (target, rest) = match options(args, &["--endpoint", "-e"]) {
        Ok(parsed) => parsed,
        Err(message) => return crate::cli::usage_error(&message),
    };
    let endpoint = rest.last().map_or("/api/status", |(_, v)| v);
    let path = match endpoint {
        e if e.starts_with('/') => e.to_owned(),
        e => format!("/api/{e}"),
    };
    let started = Instant::now();
    match get(&target, &path) {
        Ok(response) => {
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            println!(
                "GET http://{}:{}{path}: {} {} in {ms:.1} ms",
                target.host, target.port, response.status, response.reason
            );
            println!("{}", String::from_utf8_lossy(&response.body));
            if response.status == 200 { ExitCode::SUCCESS } else { ExitCode::from(1) }
        }
        Err(message) => {
            eprintln!("edgestat: {message}");
            ExitCode::from(1)
        }
    }
}

/// `edgestat monitor [--host H] [--port P] [--duration S] [--token T]`:
/// one summary line per second from `/api/status` for `S` seconds
/// (default 10). Exit 0, or 1 if no update arrived at all.
pub fn monitor(args: &[&str]) -> ExitCode {
    if help::asked(args) {
        let mut rows = target_rows();
        let mut duration = help::Row::new("--duration, -d SECONDS", "how long to watch");
        duration.default = Some(DEFAULT_DURATION.to_string());
        rows.push(duration);
        let about = "Prints one summary line per new sample of a running daemon's /api/status \
                     (CPU, memory, the hottest sensor, power), polling once a second. Exits 0, \
                     or 1 if no sample arrived at all.";
        print!("{}", help::render("edgestat monitor [FLAGS]", about, &rows));
        return ExitCode::SUCCESS;
    }
    let (target, rest) = match options(args, &["--duration", "-d"]) {
        Ok(parsed) => parsed,
        Err(message) => return crate::cli::usage_error(&message),
    };
    let duration = match rest.last().map(|(_, v)| v.parse::<u64>()) {
        None => DEFAULT_DURATION,
        Some(Ok(seconds)) if seconds >= 1 => seconds,
        Some(_) => {
            return crate::cli::usage_error("`--duration` must be a whole number of seconds ≥ 1");
        }
    };
    let end = Instant::now() + Duration::from_secs(duration);
    let mut updates = 0;
    let mut last_timestamp = String::new();
    while Instant::now() < end {
        let tick = Instant::now();
        match get(&target, "/api/status") {
            Ok(r) if r.status == 200 => match serde_json_core::from_slice::<Status<'_>>(&r.body) {
                Ok((status, _)) if status.timestamp != last_timestamp => {
                    last_timestamp = status.timestamp.to_owned();
                    println!("{status}");
                    updates += 1;
                }
                Ok(_) => {}
                Err(e) => eprintln!("edgestat: unexpected /api/status: {e}"),
            },
            Ok(r) => eprintln!("edgestat: /api/status: {} {}", r.status, r.reason),
            Err(message) => eprintln!("edgestat: {message}"),
        }
        let next = tick + Duration::from_secs(1);
        std::thread::sleep(
            next.saturating_duration_since(Instant::now())
                .min(end.saturating_duration_since(Instant::now())),
        );
    }
    if updates > 0 { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

/// The parts of `/api/status` a summary line shows.
#[derive(Deserialize)]
struct Status<'a> {
    cpu: Cpu,
    memory: Memory,
    temperature: Hottest<'a>,
    power: PowerSum,
    timestamp: &'a str,
}

#[derive(Deserialize)]
struct Cpu {
    cores: heapless::Vec<Core, 256>,
    usage: Option<u16>,
}

#[derive(Deserialize)]
struct Core {}

#[derive(Deserialize)]
struct Memory {
    ram: Option<Ram>,
}

#[derive(Deserialize)]
struct Ram {
    used: u64,
    total: u64,
}

/// The hottest sensor of the `temperature` object.
struct Hottest<'a>(Option<(&'a str, f64)>);

impl<'de: 'a, 'a> Deserialize<'de> for Hottest<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Hottest<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of temperatures")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut hottest: Option<(&'de str, f64)> = None;
                while let Some((name, value)) = map.next_entry::<&'de str, Option<f64>>()? {
                    if let Some(t) = value.filter(|&t| hottest.is_none_or(|(_, h)| t > h)) {
                        hottest = Some((name, t));
                    }
                }
                Ok(Hottest(hottest))
            }
        }
        d.deserialize_map(V)
    }
}

/// The sum of the `power` object's `current` values, mW.
struct PowerSum(Option<u64>);

impl<'de> Deserialize<'de> for PowerSum {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Rail {
            current: u64,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PowerSum;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of rails")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PowerSum, A::Error> {
                let mut sum = None;
                while let Some((_, rail)) = map.next_entry::<&'de str, Rail>()? {
                    sum = Some(sum.unwrap_or(0) + rail.current);
                }
                Ok(PowerSum(sum))
            }
        }
        d.deserialize_map(V)
    }
}

impl fmt::Display for Status<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}  cpu ", self.timestamp)?;
        match self.cpu.usage {
            Some(usage) => write!(f, "{usage}%")?,
            None => f.write_str("-")?,
        }
        write!(f, " ({} cores)  ram ", self.cpu.cores.len())?;
        match &self.memory.ram {
            Some(ram) => write!(f, "{}/{} MB", ram.used, ram.total)?,
            None => f.write_str("-")?,
        }
        if let Some((name, t)) = self.temperature.0 {
            write!(f, "  hottest {name} {t:.1} °C")?;
        }
        if let Some(mw) = self.power.0 {
            write!(f, "  power {mw} mW")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_line_summarises_the_seed_object() {
        let body = br#"{"cpu":{"cores":[{"id":0,"usage":15,"freq":1200},{"id":1,"usage":8,"freq":1200}],"usage":12},"gpu":{"gr3d_freq":850},"memory":{"ram":{"used":2514,"total":62841,"unit":"MB"},"swap":{"used":0,"total":31421,"unit":"MB","cached":0}},"temperature":{"cpu":47.125,"soc0":45.0,"cv2":null,"tj":47.5},"power":{"VDD_IN":{"current":4940,"average":4940,"unit":"mW"},"VDD_GPU":{"current":100,"average":90,"unit":"mW","peak":300}},"timestamp":"2025-10-03T06:33:49.223455Z"}"#;
        let (status, _) = serde_json_core::from_slice::<Status<'_>>(body).unwrap();
        assert_eq!(
            status.to_string(),
            "2025-10-03T06:33:49.223455Z  cpu 12% (2 cores)  ram 2514/62841 MB  hottest tj 47.5 °C  power 5040 mW"
        );
    }
}
