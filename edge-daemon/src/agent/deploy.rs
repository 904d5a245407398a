//! `POST /deploy` (seed 003's command protocol): start or stop a component.
//!
//! - Disabled (403) unless `--deploy-token` is set; a request without that
//!   bearer token gets 401.
//! - `type: "bar"`: a *bar* is a single executable file (a static binary
//!   or a script with a `#!` line) published at `<url>/<file>` on an HTTP
//!   repository. `<url>/<file>` must start with one of `--deploy-allow`'s
//!   prefixes and `file` must be a plain file name. The file is fetched into
//!   `--deploy-dir/<uuid>/`, made executable and started with no
//!   arguments as a child of the daemon (so as the daemon's unprivileged
//!   user); the reply's `id` is its pid. `stop` with that pid ends it
//!   (SIGTERM); only pids this agent started can be stopped.
//! - `type: "docker"`: the Docker Engine API on `--docker-socket`:
//!   `start` creates and starts a container named `edgestat-<uuid>` from
//!   the image `<url>/<file>` (url without `http://`), `stop` stops the
//!   container `id`.
//! - `start` is refused when `require` asks for more CPUs, memory or GPUs
//!   than the node has.
//!
//! No request field ever reaches a shell: the program is run directly,
//! and names are checked before they become paths.
//!
//! The reply echoes the request's fields with `result` (0 on success) and
//! `message`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::pin::Pin;
use std::process::{Child, Command, Stdio};
use std::rc::Rc;

use edgestat_common::time::now_micros;
use hyper::body::{Bytes, Incoming};
use hyper::header::{ALLOW, HeaderValue, WWW_AUTHENTICATE};
use hyper::{Method, Request, StatusCode};
use nix::sys::signal::Signal;
use serde::{Deserialize, Serialize};
use sha2::Digest as _;

use crate::hub::reply::{self, Reply};
use crate::hub::{self, Hub, Params};

/// Largest request body.
pub const MAX_REQUEST: usize = 16 * 1024;

/// Bar processes that may run at once.
pub const MAX_BARS: usize = 64;

/// How long a stopped bar has between SIGTERM and SIGKILL.
pub const STOP_GRACE: std::time::Duration = std::time::Duration::from_secs(1);

/// Sends `signal` to the process group a bar leads (its pid).
fn signal_group(pid: u32, signal: Signal) {
    if let Ok(raw) = i32::try_from(pid) {
        let _ = nix::sys::signal::killpg(nix::unistd::Pid::from_raw(raw), signal);
    }
}

/// Result codes of the reply.
pub mod code {
    /// Success.
    pub const OK: i32 = 0;
    /// The request is not valid (a field missing or malformed).
    pub const BAD_REQUEST: i32 = 1;
    /// `require` exceeds what the node can give.
    pub const REQUIRE: i32 = 2;
    /// `url` is not on the allow-list.
    pub const NOT_ALLOWED: i32 = 3;
    /// Fetching, starting or stopping failed.
    pub const FAILED: i32 = 4;
    /// `stop` names a component this agent did not start.
    pub const UNKNOWN: i32 = 5;
}

/// What `/deploy` is allowed to do.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The bearer token; `None` disables `/deploy`.
    pub token: Option<String>,
    /// URL prefixes programs may be fetched from.
    pub allow: Vec<String>,
    /// Whether a bar's start must carry the program's SHA-256.
    pub require_sha256: bool,
    /// Where fetched programs are kept.
    pub dir: PathBuf,
    /// The Docker Engine API socket.
    pub docker_socket: PathBuf,
}

/// `/deploy`'s state: settings and the bar processes started.
pub struct Deployer {
    /// What it may do.
    pub settings: Settings,
    /// The sample, for the node's CPUs, memory and GPUs.
    pub hub: Rc<Hub>,
    children: RefCell<HashMap<u32, Child>>,
    /// Containers this agent created; only those can be stopped.
    containers: RefCell<std::collections::HashSet<String>>,
}

impl hub::Endpoint for Deployer {
    /// `POST /deploy` with its own token (the API token does not open it).
    fn serve<'a>(
        &'a self,
        request: Request<Incoming>,
        _params: &'a Params,
    ) -> Pin<Box<dyn Future<Output = Reply> + 'a>> {
        Box::pin(async move {
            let now = now_micros();
            if request.method() != Method::POST {
                let mut reply =
                    reply::error(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed", now);
                reply.headers_mut().insert(ALLOW, HeaderValue::from_static("POST"));
                return reply;
            }
            let Some(token) = &self.settings.token else {
                return reply::error(
                    StatusCode::FORBIDDEN,
                    "/deploy is disabled: set --deploy-token",
                    now,
                );
            };
            if !hub::auth::bearer_matches(request.headers(), token) {
                let mut reply =
                    reply::error(StatusCode::UNAUTHORIZED, "Missing or wrong deploy token", now);
                reply.headers_mut().insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                return reply;
            }
            let body =
                match edgestat_common::body::read_body(request.into_body(), MAX_REQUEST).await {
                    Ok(body) => body,
                    Err(e) => {
                        let status =
                            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
                        return reply::error(status, "Request body too large or too slow", now);
                    }
                };
            reply::json(StatusCode::OK, Bytes::from(self.handle(&body).await))
        })
    }
}

/// `id`: a container id (text) or a pid (number).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Id {
    /// A docker container id.
    Text(String),
    /// A bar pid.
    Pid(u64),
}

impl Default for Id {
    fn default() -> Self {
        Id::Text(String::new())
    }
}

/// `require`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct Require {
    /// CPUs.
    #[serde(default)]
    pub cpu: u32,
    /// Memory, bytes.
    #[serde(default)]
    pub memory: u64,
    /// GPUs.
    #[serde(default)]
    pub gpu: u32,
}

/// The request's `data` (and the reply's, with `result` and `message`).
/// `I` is the type of `id`, which the seed lets be text or a number:
/// serde-json-core reads no "any", so a request is read as one, then the
/// other.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(bound(deserialize = "I: Deserialize<'de>"))]
pub struct Data<I = Id> {
    /// `start` or `stop`.
    #[serde(default)]
    pub mode: String,
    /// `docker` or `bar`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The component instance.
    #[serde(default)]
    pub uuid: String,
    /// The container id or pid (stop; returned by start).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<I>,
    /// The repository (start).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The program or image name (start).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// What the component needs (start).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require: Option<Require>,
    /// The program's SHA-256, 64 hex digits (a bar's start; edgestat's
    /// addition to seed 003): checked before the program is stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// 0 on success (reply only).
    #[serde(default)]
    pub result: i32,
    /// What happened (reply only).
    #[serde(default)]
    pub message: String,
}

#[derive(Deserialize, Serialize)]
#[serde(bound(deserialize = "I: Deserialize<'de>"))]
struct Envelope<I = Id> {
    api_version: u32,
    data: Data<I>,
}

impl<I> Data<I> {
    /// The same data with `id` converted.
    fn map_id(self, f: impl FnOnce(I) -> Id) -> Data {
        Data {
            mode: self.mode,
            kind: self.kind,
            uuid: self.uuid,
            id: self.id.map(f),
            url: self.url,
            file: self.file,
            require: self.require,
            sha256: self.sha256,
            result: self.result,
            message: self.message,
        }
    }
}

/// Reads a request whose `id` is a number, text, or absent.
fn parse(body: &[u8]) -> Option<(u32, Data)> {
    if let Ok((e, _)) = serde_json_core::from_slice::<Envelope<u64>>(body) {
        return Some((e.api_version, e.data.map_id(Id::Pid)));
    }
    let (e, _) = serde_json_core::from_slice::<Envelope<String>>(body).ok()?;
    let to_id = |text: String| text.parse().map_or(Id::Text(text), Id::Pid);
    Some((e.api_version, e.data.map_id(to_id)))
}

/// A reply body: the echoed request with `result` and `message`.
pub fn reply(mut data: Data, result: i32, message: impl Into<String>) -> Vec<u8> {
    data.result = result;
    data.message = message.into();
    crate::views::json::to_bytes(&Envelope { api_version: 1, data })
        .map_or_else(Vec::new, |b| b.to_vec())
}

impl Deployer {
    /// A deployer with nothing started.
    pub fn new(settings: Settings, hub: Rc<Hub>) -> Self {
        Deployer {
            settings,
            hub,
            children: RefCell::new(HashMap::new()),
            containers: RefCell::default(),
        }
    }

    /// Handles one request body; returns the reply body.
    pub async fn handle(&self, body: &[u8]) -> Vec<u8> {
        // Bars that ended by themselves: reap them, forget their pids.
        self.children.borrow_mut().retain(|_, child| matches!(child.try_wait(), Ok(None)));
        let Some((api_version, data)) = parse(body) else {
            return reply(Data::default(), code::BAD_REQUEST, "the body is not a deploy request");
        };
        if api_version != 1 {
            return reply(data, code::BAD_REQUEST, "api_version must be 1");
        }
        if !valid_name(&data.uuid) {
            return reply(data, code::BAD_REQUEST, "uuid must be letters, digits, '-' or '_'");
        }
        match (data.mode.as_str(), data.kind.as_str()) {
            ("start", "bar") => self.start_bar(data).await,
            ("stop", "bar") => self.stop_bar(data).await,
            ("start" | "stop", "docker") => self.docker(data).await,
            ("start" | "stop", _) => reply(data, code::BAD_REQUEST, "type must be docker or bar"),
            _ => reply(data, code::BAD_REQUEST, "mode must be start or stop"),
        }
    }

    /// Checks `require`, the URL, the file name and the digest of a start:
    /// the URL to fetch, in its canonical form (see [`canonical`]).
    fn check_start(&self, data: &Data) -> Result<Source, (i32, String)> {
        let (Some(url), Some(file), Some(require)) = (&data.url, &data.file, data.require) else {
            return Err((code::BAD_REQUEST, "start needs url, file and require".into()));
        };
        let sample = self.hub.latest();
        let cores = sample.as_ref().map_or(0, |s| s.cpu.online().count());
        let available =
            sample.as_ref().and_then(|s| s.memory.ram).map_or(0, |r| r.available_kb() * 1024);
        let gpus = u32::try_from(self.hub.shared.board.gpus.len()).unwrap_or(u32::MAX);
        if require.cpu as usize > cores {
            return Err((
                code::REQUIRE,
                format!("require.cpu {} exceeds this node's {cores} CPUs", require.cpu),
            ));
        }
        if require.memory > available {
            return Err((
                code::REQUIRE,
                format!(
                    "require.memory {} exceeds the {available} bytes available",
                    require.memory
                ),
            ));
        }
        if require.gpu > gpus {
            return Err((
                code::REQUIRE,
                format!("require.gpu {} exceeds this node's {gpus} GPUs", require.gpu),
            ));
        }
        // A bar is a file name; a Docker image may carry a `:tag`.
        let valid = if data.kind == "docker" { valid_image(file) } else { valid_file(file) };
        if !valid {
            return Err((
                code::BAD_REQUEST,
                "file must be a plain file (or image:tag) name".into(),
            ));
        }
        let sha256 = match data.sha256.as_deref().map(digest) {
            None if self.settings.require_sha256 && data.kind == "bar" => {
                return Err((
                    code::BAD_REQUEST,
                    "sha256 is required (--deploy-require-sha256): the program's SHA-256, 64 hex digits"
                        .into(),
                ));
            }
            None => None,
            Some(Some(sha256)) => Some(sha256),
            Some(None) => {
                return Err((code::BAD_REQUEST, "sha256 must be 64 hexadecimal digits".into()));
            }
        };
        let source = format!("{}/{file}", url.trim_end_matches('/'));
        let allowed = canonical(&source).filter(|(host, path)| {
            self.settings.allow.iter().any(|prefix| under(prefix, host, path))
        });
        let Some((host, path)) = allowed else {
            return Err((
                code::NOT_ALLOWED,
                format!("{source} is not under a --deploy-allow prefix"),
            ));
        };
        Ok(Source { url: format!("http://{host}/{path}"), file: file.clone(), sha256 })
    }

    async fn start_bar(&self, mut data: Data) -> Vec<u8> {
        let Source { url: source, file, sha256 } = match self.check_start(&data) {
            Ok(checked) => checked,
            Err((code, message)) => return reply(data, code, message),
        };
        if self.children.borrow().len() >= MAX_BARS {
            return reply(data, code::REQUIRE, format!("{MAX_BARS} bars already run here"));
        }
        let program = match super::client::fetch(&source).await {
            Ok(program) => program,
            Err(why) => return reply(data, code::FAILED, format!("fetching failed: {why}")),
        };
        // A cut download is refused by its length; a wrong one by its digest.
        if !program.whole && sha256.is_none() {
            return reply(
                data,
                code::FAILED,
                format!(
                    "fetching failed: {source} announced no Content-Length, so a cut download \
                     could not be told from a whole one; give sha256"
                ),
            );
        }
        let program = program.body;
        if let Some(expected) = sha256 {
            let got: [u8; 32] = sha2::Sha256::digest(&program).into();
            if got != expected {
                return reply(
                    data,
                    code::FAILED,
                    format!("{source}: its SHA-256 is {}, not the sha256 given", hex(&got)),
                );
            }
        }
        let dir = self.settings.dir.join(&data.uuid);
        let path = dir.join(&file);
        let written = std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(&path, &program))
            .and_then(|()| {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            });
        if let Err(e) = written {
            return reply(data, code::FAILED, format!("cannot store {}: {e}", path.display()));
        }
        // A process group of its own: stopping the bar ends what it started.
        let child = Command::new(&path)
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn();
        match child {
            Ok(child) => {
                let pid = child.id();
                self.children.borrow_mut().insert(pid, child);
                data.id = Some(Id::Pid(pid.into()));
                reply(data, code::OK, format!("started {file} from {source}"))
            }
            Err(e) => reply(data, code::FAILED, format!("cannot start {}: {e}", path.display())),
        }
    }

    async fn stop_bar(&self, data: Data) -> Vec<u8> {
        let pid = match &data.id {
            Some(Id::Pid(pid)) => u32::try_from(*pid).unwrap_or(0),
            _ => return reply(data, code::BAD_REQUEST, "stop needs the pid start returned as id"),
        };
        let Some(mut child) = self.children.borrow_mut().remove(&pid) else {
            return reply(
                data,
                code::UNKNOWN,
                format!("no bar with pid {pid} was started by this agent"),
            );
        };
        signal_group(pid, Signal::SIGTERM);
        // Give it a moment to exit on SIGTERM, then make sure.
        for _ in 0..50 {
            if matches!(child.try_wait(), Ok(Some(_))) {
                signal_group(pid, Signal::SIGKILL); // what it left behind
                return reply(data, code::OK, format!("stopped pid {pid}"));
            }
            smol::Timer::after(STOP_GRACE / 50).await;
        }
        signal_group(pid, Signal::SIGKILL);
        let _ = child.wait();
        reply(data, code::OK, format!("killed pid {pid}"))
    }

    /// Ends every bar this agent started and reaps them (the daemon is
    /// stopping): SIGTERM to each bar's process group, SIGKILL to what is
    /// left after [`STOP_GRACE`].
    pub fn stop_all(&self) {
        let mut children = std::mem::take(&mut *self.children.borrow_mut());
        for pid in children.keys() {
            signal_group(*pid, Signal::SIGTERM);
        }
        let deadline = std::time::Instant::now() + STOP_GRACE;
        while std::time::Instant::now() < deadline
            && children.values_mut().any(|c| matches!(c.try_wait(), Ok(None)))
        {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        for (pid, child) in &mut children {
            signal_group(*pid, Signal::SIGKILL);
            let _ = child.wait();
        }
    }

    async fn docker(&self, mut data: Data) -> Vec<u8> {
        let (method_path, body) = if data.mode == "start" {
            let Source { url, file, .. } = match self.check_start(&data) {
                Ok(checked) => checked,
                Err((code, message)) => return reply(data, code, message),
            };
            // The image reference is the canonical URL without its scheme.
            let _ = file;
            let image = url.trim_start_matches("http://").to_owned();
            let create = format!("/containers/create?name=edgestat-{}", data.uuid);
            let body = crate::views::json::to_bytes(&DockerCreate {
                image: &image,
                labels: Labels { uuid: &data.uuid },
            })
            .map_or_else(Vec::new, |b| b.to_vec());
            (create, body)
        } else {
            match &data.id {
                Some(Id::Text(id)) if valid_name(id) => {
                    (format!("/containers/{id}/stop"), Vec::new())
                }
                _ => return reply(data, code::BAD_REQUEST, "stop needs the container id as id"),
            }
        };
        let answer =
            match super::docker::request(&self.settings.docker_socket, "POST", &method_path, &body)
                .await
            {
                Ok(answer) => answer,
                Err(why) => return reply(data, code::FAILED, why),
            };
        if data.mode == "stop" {
            if let Some(id) = &data.id {
                let id = match id {
                    Id::Text(text) => text.clone(),
                    Id::Pid(n) => n.to_string(),
                };
                self.containers.borrow_mut().remove(&id);
            }
            return reply(data, code::OK, "container stopped");
        }
        #[derive(Deserialize)]
        struct Created<'a> {
            #[serde(rename = "Id")]
            id: &'a str,
        }
        let id = match serde_json_core::from_slice::<Created<'_>>(&answer) {
            Ok((created, _)) if valid_name(created.id) => created.id.to_owned(),
            _ => return reply(data, code::FAILED, "Docker's create answer has no container Id"),
        };
        if let Err(why) = super::docker::request(
            &self.settings.docker_socket,
            "POST",
            &format!("/containers/{id}/start"),
            &[],
        )
        .await
        {
            return reply(data, code::FAILED, why);
        }
        self.containers.borrow_mut().insert(id.clone());
        data.id = Some(Id::Text(id));
        reply(data, code::OK, "container started")
    }
}

#[derive(Serialize)]
struct DockerCreate<'a> {
    #[serde(rename = "Image")]
    image: &'a str,
    /// The component's uuid, so the resource report can name it.
    #[serde(rename = "Labels")]
    labels: Labels<'a>,
}

#[derive(Serialize)]
struct Labels<'a> {
    #[serde(rename = "edgestat.uuid")]
    uuid: &'a str,
}

/// A uuid or container id: letters, digits, `-`, `_`, 1–128 bytes.
fn valid_name(name: &str) -> bool {
    (1..=128).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A program file name: no path separators, not `.` or `..`.
fn valid_file(name: &str) -> bool {
    (1..=128).contains(&name.len())
        && name != "."
        && name != ".."
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.+".contains(&b))
}

/// What a start fetches: the canonical URL, the file name, the digest.
struct Source {
    url: String,
    file: String,
    sha256: Option<[u8; 32]>,
}

/// `http://host[:port]/path` as `(host[:port], path)` with the path
/// percent-decoded, or `None` unless the URL is plain: no user info, query
/// or fragment, and a path that after decoding has no `.` or `..` segment,
/// no empty segment, no encoded `/`, and only the characters of a file or
/// directory name a repository would serve (letters, digits and
/// `-._~+:@!$&'()*,;=`). The fetch asks for exactly this decoded path, so
/// what was checked is what a server sees, however it normalizes.
fn canonical(url: &str) -> Option<(String, String)> {
    let rest = url.strip_prefix("http://")?;
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let authority_ok = !authority.is_empty()
        && authority.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
    if !authority_ok {
        return None;
    }
    let path = path.trim_end_matches('/');
    let mut decoded = Vec::with_capacity(path.len());
    let mut bytes = path.bytes();
    while let Some(b) = bytes.next() {
        let b = match b {
            b'%' => {
                let hex = [bytes.next()?, bytes.next()?];
                let byte = u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?;
                if byte == b'/' {
                    return None; // an encoded slash: a segment boundary in disguise
                }
                byte
            }
            b => b,
        };
        decoded.push(b);
    }
    let decoded = String::from_utf8(decoded).ok()?;
    let name_char = |c: char| c.is_ascii_alphanumeric() || "-._~+:@!$&'()*,;=".contains(c);
    let segments_ok = decoded.is_empty()
        || decoded
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != ".." && s.chars().all(name_char));
    segments_ok.then(|| (authority.to_ascii_lowercase(), decoded))
}

/// Whether the canonical `host`, `path` are under `prefix`: the same
/// `http://host[:port]`, and a path that continues the prefix's (itself
/// canonical) at a `/`.
fn under(prefix: &str, host: &str, path: &str) -> bool {
    let Some((prefix_host, prefix_path)) = canonical(prefix) else { return false };
    prefix_host == host
        && (prefix_path.is_empty()
            || path == prefix_path
            || path.strip_prefix(&prefix_path).is_some_and(|rest| rest.starts_with('/')))
}

/// A SHA-256 written as 64 hex digits.
fn digest(text: &str) -> Option<[u8; 32]> {
    let text = text.as_bytes();
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(text.chunks(2)) {
        *byte = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(out)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `url` is under `prefix` once both are canonical.
#[cfg(test)]
fn allowed_url(prefix: &str, url: &str) -> bool {
    canonical(url).is_some_and(|(host, path)| under(prefix, &host, &path))
}

/// An image name with an optional tag: `sensor`, `sensor:1.2`.
fn valid_image(name: &str) -> bool {
    let (image, tag) = name.split_once(':').unwrap_or((name, "latest"));
    valid_file(image) && valid_file(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_be_under_a_prefix_at_a_slash() {
        let prefix = "http://repo.example/bars/";
        assert!(allowed_url(prefix, "http://repo.example/bars/sensor"));
        assert!(allowed_url("http://repo.example", "http://repo.example/any/thing"));
        assert!(!allowed_url(prefix, "http://repo.example/barsx/sensor"));
        assert!(!allowed_url("http://repo.example", "http://repo.example.evil.com/x"));
        assert!(!allowed_url("http://10.0.0.5", "http://10.0.0.50/x"));
        assert!(!allowed_url("http://10.0.0.5", "http://10.0.0.5:2375/x"));
        assert!(!allowed_url(prefix, "http://repo.example/bars/../etc/x"));
        assert!(!allowed_url(prefix, "http://repo.example/bars/x\r\nHost: evil"));
        assert!(!allowed_url(prefix, "http://repo.example/bars/x?y"));
        assert!(!allowed_url(prefix, "https://repo.example/bars/x"));
        // Encoded dots and slashes, and what servers normalize away.
        assert!(!allowed_url(prefix, "http://repo.example/bars/%2e%2e/evil"));
        assert!(!allowed_url(prefix, "http://repo.example/bars/%2E%2e/evil"));
        assert!(!allowed_url(prefix, "http://repo.example/bars/..%2fevil"));
        assert!(!allowed_url(prefix, "http://repo.example/bars/%2fevil"));
        assert!(!allowed_url(prefix, "http://repo.example/bars/./x"));
        assert!(!allowed_url(prefix, "http://repo.example/bars//x"));
        assert!(!allowed_url(prefix, "http://repo.example/bars/x%00"));
        assert!(!allowed_url(prefix, "http://user@repo.example/bars/x"));
        assert!(!allowed_url(prefix, "http://repo.example/bars/%zz"));
        // Plain escapes of name characters are the same path.
        assert!(allowed_url(prefix, "http://repo.example/bars/sensor%2b1"));
        assert!(allowed_url(prefix, "http://REPO.example/bars/sensor"));
        assert_eq!(
            canonical("http://repo.example/bars/sensor%2b1"),
            Some(("repo.example".into(), "bars/sensor+1".into()))
        );
    }

    #[test]
    fn digests_are_64_hex_digits() {
        let hello = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
        let d = digest(hello).unwrap();
        assert_eq!(hex(&d), hello);
        let got: [u8; 32] = sha2::Sha256::digest(b"hello").into();
        assert_eq!(got, d);
        assert!(digest(&hello[1..]).is_none() && digest(&hello.replace('2', "g")).is_none());
    }

    #[test]
    fn names_that_become_paths_are_checked() {
        assert!(valid_name("0b5f-11aa_x"));
        assert!(!valid_name("../etc") && !valid_name("") && !valid_name("a b"));
        assert!(valid_file("sensor-1.2.bin"));
        assert!(!valid_file("..") && !valid_file("a/b") && !valid_file("x;rm -rf /"));
        assert!(valid_image("sensor:1.2") && valid_image("sensor"));
        assert!(!valid_file("sensor:1.2") && !valid_image("a:b:c") && !valid_image("x:.."));
    }

    #[test]
    fn ids_are_pids_or_container_ids() {
        let id = |body: &[u8]| parse(body).and_then(|(_, d)| d.id);
        let stop = |id: &str| {
            format!(
                r#"{{"api_version":1,"data":{{"mode":"stop","type":"bar","uuid":"u","id":{id}}}}}"#
            )
        };
        assert_eq!(id(stop("1234").as_bytes()), Some(Id::Pid(1234)));
        assert_eq!(id(stop("\"1234\"").as_bytes()), Some(Id::Pid(1234)));
        assert_eq!(id(stop("\"4f2a9c\"").as_bytes()), Some(Id::Text("4f2a9c".into())));
        let start = br#"{"api_version":1,"data":{"mode":"start","type":"bar","uuid":"u"}}"#;
        assert_eq!(id(start), None);
        assert!(parse(b"not json").is_none());
    }
}
