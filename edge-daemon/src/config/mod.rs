//! The daemon's configuration: every setting, read from five sources.
//!
//! ```console
//! $ EDGESTAT_HOST=0.0.0.0 edgestat config --port 8080
//! # TOML file: /etc/edgestat/edgestat.toml (not found)
//! # .env file: /home/pi/.env (read)
//! host = "0.0.0.0"  (env EDGESTAT_HOST)
//! port = 8080  (flag --port)
//! cache_seconds = 5  (.env /home/pi/.env: PISTAT_CACHE_SECONDS)
//! …
//! ```
//! For each key, the first of these that sets it wins: a flag, an
//! environment variable, the `.env` file, the TOML file, the default.
//! piStat's `PISTAT_*` names are read too, after the `EDGESTAT_*` one.
//! Every key, name and bound is in one table (`keys::KEYS`) and is
//! documented for users in `docs/configuration.md`.
//!
//! Nothing is guessed: a bad value, an unknown flag, an unknown TOML key
//! or an unknown `EDGESTAT_*` variable in `.env` is an error that names
//! the source, the key and the value, even when a higher source would
//! have overridden it. Only the real environment may hold variables this
//! does not know, since it is shared with everything else.

use core::fmt;
use core::time::Duration;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod args;
mod dotenv;
pub mod help;
mod keys;
mod origin;
#[cfg(test)]
mod tests;

/// How much the daemon logs, least to most.
pub use edgestat_common::log::Level as LogLevel;
use edgestat_common::toml;
/// A line of a `.env` or TOML file that could not be read.
pub use edgestat_common::toml::LineError;

pub use crate::sources::Roots;
pub use origin::Origin;

use keys::{KEYS, Raw, Spec};

use help::Row;

/// The TOML file read when neither `--config` nor `EDGESTAT_CONFIG` names
/// one. It may be missing; a file named explicitly may not.
pub const DEFAULT_TOML: &str = "/etc/edgestat/edgestat.toml";
/// The `.env` file read, relative to the working directory, when neither
/// `--env-file` nor `EDGESTAT_ENV_FILE` names one. It may be missing.
pub const DEFAULT_DOTENV: &str = ".env";
/// Variable naming the TOML file (also honoured in the `.env` file).
pub const CONFIG_VAR: &str = "EDGESTAT_CONFIG";
/// Variable naming the `.env` file.
pub const ENV_FILE_VAR: &str = "EDGESTAT_ENV_FILE";
/// Largest configuration file read: a complete TOML file with a comment on
/// every key is under 4 KiB; a larger one is refused, never truncated.
pub const MAX_FILE_BYTES: usize = 64 * 1024;

/// The daemon's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Address the HTTP server listens on.
    pub host: String,
    /// TCP port of the HTTP server; 0 lets the kernel pick a free one.
    pub port: u16,
    /// Debug mode.
    pub debug: bool,
    /// Least severe level logged.
    pub log_level: LogLevel,
    /// Live clients (Socket.IO and WebSocket) at once (at least 1); seed
    /// 000's `--max-connections`, default 10.
    pub max_connections: u32,
    /// HTTP connections served at once (at least 1).
    pub max_http_connections: u32,
    /// HTTP connections one client address may hold (at least 1).
    pub max_http_connections_per_ip: u32,
    /// Live clients one client address may hold (at least 1).
    pub max_connections_per_ip: u32,
    /// The sampler period, 0.1 s to 3600 s.
    pub update_interval: Duration,
    /// Passed to `tegrastats --interval <ms>`, 0.1 s to 3600 s.
    pub tegrastats_interval: Duration,
    /// Period between `vcgencmd` runs, 1 s to 3600 s.
    pub vcgencmd_interval: Duration,
    /// How long a response is served from the cache; zero disables it.
    pub cache_seconds: Duration,
    /// Whether requests per client are limited.
    pub rate_limit_enabled: bool,
    /// Requests a client may make per window (at least 1).
    pub rate_limit_requests: u32,
    /// The rate-limit window, whole seconds, 1 to 86400.
    pub rate_limit_window: Duration,
    /// Bearer token the API requires; `None` (also for an empty value)
    /// leaves the API open.
    pub token: Option<String>,
    /// The file `token` is read from, if one is named.
    pub token_file: Option<PathBuf>,
    /// Browser origins allowed to open `/api/ws`; empty means the same
    /// host only.
    pub allowed_origins: Vec<String>,
    /// Whether the seed 003 agent answers a manager's queries.
    pub agent: bool,
    /// The multicast group and UDP port of the queries.
    pub agent_group: std::net::SocketAddrV4,
    /// The interface address that joins the group.
    pub agent_interface: std::net::Ipv4Addr,
    /// Manager networks answered; empty answers any.
    pub agent_managers: Vec<edgestat_core::fleet::Network>,
    /// Chassis number.
    pub agent_box_id: u32,
    /// Slot number.
    pub agent_slot_id: u32,
    /// CPU number.
    pub agent_cpu_id: u32,
    /// SRIO number.
    pub agent_srio_id: u32,
    /// The `service_port` announced in the heartbeat.
    pub agent_service_port: u16,
    /// Chassis type.
    pub agent_box_type: String,
    /// Board type; empty: detected.
    pub agent_board_type: String,
    /// CPU type; empty: detected.
    pub agent_cpu_type: String,
    /// Resource type.
    pub agent_resource_type: String,
    /// The node's id in the reports; `None`: the machine id.
    pub agent_client_id: Option<edgestat_core::fleet::ClientId>,
    /// The bearer token `POST /deploy` requires; `None` disables it.
    pub deploy_token: Option<String>,
    /// The file `deploy_token` is read from, if one is named.
    pub deploy_token_file: Option<PathBuf>,
    /// Repository URL prefixes `/deploy` may fetch from.
    pub deploy_allow: Vec<String>,
    /// Whether a bar's start must carry the program's SHA-256.
    pub deploy_require_sha256: bool,
    /// Where `/deploy` keeps fetched programs.
    pub deploy_dir: PathBuf,
    /// The Docker Engine API socket.
    pub docker_socket: PathBuf,
    /// Whether the board serial number is returned.
    pub expose_serial: bool,
    /// Where `/sys`, `/proc` and `/` are read.
    pub roots: Roots,
    /// The `tegrastats` program; a bare name is looked up on `PATH`.
    pub tegrastats: PathBuf,
    /// The `vcgencmd` program; a bare name is looked up on `PATH`.
    pub vcgencmd: PathBuf,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: 58090,
            debug: false,
            log_level: LogLevel::Info,
            max_connections: 10,
            max_http_connections: 64,
            max_http_connections_per_ip: 16,
            max_connections_per_ip: 4,
            update_interval: Duration::from_secs(1),
            tegrastats_interval: Duration::from_secs(1),
            vcgencmd_interval: Duration::from_secs(5),
            cache_seconds: Duration::from_secs(2),
            rate_limit_enabled: true,
            rate_limit_requests: 60,
            rate_limit_window: Duration::from_secs(60),
            token: None,
            token_file: None,
            allowed_origins: Vec::new(),
            agent: false,
            agent_group: std::net::SocketAddrV4::new(
                std::net::Ipv4Addr::new(239, 192, 168, 80),
                3980,
            ),
            agent_interface: std::net::Ipv4Addr::UNSPECIFIED,
            agent_managers: Vec::new(),
            agent_box_id: 0,
            agent_slot_id: 0,
            agent_cpu_id: 0,
            agent_srio_id: 0,
            agent_service_port: 23980,
            agent_box_type: String::new(),
            agent_board_type: String::new(),
            agent_cpu_type: String::new(),
            agent_resource_type: String::new(),
            agent_client_id: None,
            deploy_token: None,
            deploy_token_file: None,
            deploy_allow: Vec::new(),
            deploy_require_sha256: false,
            deploy_dir: "/var/lib/edgestat/deploy".into(),
            docker_socket: "/var/run/docker.sock".into(),
            expose_serial: false,
            roots: Roots::default(),
            tegrastats: "tegrastats".into(),
            vcgencmd: "vcgencmd".into(),
        }
    }
}

/// A configuration file that was looked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Where it was looked for.
    pub path: PathBuf,
    /// Whether it was there and read; `false` only for a default location.
    pub read: bool,
}

/// The configuration and where each of its settings came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The effective settings.
    pub config: Config,
    /// The TOML file.
    pub toml_file: SourceFile,
    /// The `.env` file.
    pub env_file: SourceFile,
    /// Where each key came from, one per row of [`KEYS`], in order.
    origins: Vec<Origin>,
    /// The TOML line (`line 3`) or `.env` variable (`PISTAT_PORT`) that
    /// set each key, when a file did.
    details: Vec<Option<String>>,
}

impl Loaded {
    /// Where setting `key` (its TOML name: `port`, `sysfs`, …) came from;
    /// `None` for a name that is not a key.
    pub fn origin(&self, key: &str) -> Option<&Origin> {
        KEYS.iter().position(|spec| spec.name == key).and_then(|i| self.origins.get(i))
    }
}

/// What `edgestat config` prints: the two files, then one line per key
/// with its value as TOML and its origin. The token is shown as `"***"`.
impl fmt::Display for Loaded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (what, file) in [("TOML file", &self.toml_file), (".env file", &self.env_file)] {
            let state = if file.read { "read" } else { "not found" };
            writeln!(f, "# {what}: {} ({state})", file.path.display())?;
        }
        for (spec, detail) in KEYS.iter().zip(&self.details) {
            let origin = self.origin(spec.name).unwrap_or(&Origin::Default);
            write!(f, "{} = {}  ({origin}", spec.name, (spec.show)(&self.config))?;
            match detail {
                Some(detail) => writeln!(f, ": {detail})")?,
                None => writeln!(f, ")")?,
            }
        }
        Ok(())
    }
}

/// Loads the configuration for `edgestat run` / `edgestat config` from the
/// real environment, `./.env` (or `--env-file` / `EDGESTAT_ENV_FILE`), and
/// the TOML file (`--config PATH`, else `EDGESTAT_CONFIG`, else
/// [`DEFAULT_TOML`]; a missing default file is fine, a missing explicitly
/// named file is an error).
pub fn load(args: &[&str]) -> Result<Loaded, String> {
    let cwd = std::env::current_dir()
        .map_err(|e| format!("cannot tell the working directory, for {DEFAULT_DOTENV}: {e}"))?;
    let env = |name: &str| std::env::var_os(name).map(|v| v.to_string_lossy().into_owned());
    load_with(args, &env, &cwd)
}

/// [`load`] with the environment and the working directory injected, for
/// tests. Relative file names are taken from `cwd`.
pub fn load_with(
    args: &[&str],
    env: &dyn Fn(&str) -> Option<String>,
    cwd: &Path,
) -> Result<Loaded, String> {
    let args = args::parse(args)?;
    let mut builder = Builder::default();

    // The .env file: read first, since it may name the TOML file.
    let named = match (args.env_file, env(ENV_FILE_VAR)) {
        (Some(file), _) => Some((format!("`{}`", args::ENV_FILE_FLAG), file.to_owned())),
        (None, Some(file)) => Some((ENV_FILE_VAR.to_owned(), file)),
        (None, None) => None,
    };
    let (dotenv_path, named_by) = locate(cwd, named, DEFAULT_DOTENV)?;
    let dotenv_text = read(&dotenv_path, named_by.as_deref())?;
    let at = |line: usize| format!("{} line {line}", dotenv_path.display());
    let dotenv = match &dotenv_text {
        Some(text) => dotenv::parse(text).map_err(|e| format!("{}: {}", at(e.line), e.message))?,
        None => Vec::new(),
    };
    let mut dotenv_config = None;
    let mut dotenv_settings = Vec::new();
    for entry in &dotenv {
        match entry.key.as_str() {
            CONFIG_VAR => dotenv_config = Some(entry),
            ENV_FILE_VAR => {
                return Err(format!(
                    "{}: {ENV_FILE_VAR} cannot be set in a .env file; use `--env-file` or the \
                     environment",
                    at(entry.line)
                ));
            }
            var => match keys::by_env(var) {
                Some((index, rank)) => dotenv_settings.push((rank, index, entry)),
                None if var.starts_with("EDGESTAT_") => {
                    return Err(format!("{}: unknown variable {var}", at(entry.line)));
                }
                // Another tool's variable, or a piStat one edgestat has no use for.
                None => {}
            },
        }
    }

    // The TOML file.
    let named = match (args.config, env(CONFIG_VAR), dotenv_config) {
        (Some(file), _, _) => Some((format!("`{}`", args::CONFIG_FLAG), file.to_owned())),
        (None, Some(file), _) => Some((CONFIG_VAR.to_owned(), file)),
        (None, None, Some(entry)) => {
            Some((format!("{}: {CONFIG_VAR}", at(entry.line)), entry.value.clone()))
        }
        (None, None, None) => None,
    };
    let (toml_path, named_by) = locate(cwd, named, DEFAULT_TOML)?;
    let toml_text = read(&toml_path, named_by.as_deref())?;
    let toml_at = |line: usize| format!("{} line {line}", toml_path.display());
    let toml = match &toml_text {
        Some(text) => {
            toml::parse(text).map_err(|e| format!("{}: {}", toml_at(e.line), e.message))?
        }
        None => Vec::new(),
    };
    for entry in &toml {
        let Some((index, _)) = keys::by_name(&entry.key) else {
            return Err(format!("{}: {}", toml_at(entry.line), unknown_key(&entry.key)));
        };
        let origin = Origin::Toml(toml_path.clone());
        builder
            .set(index, Raw::Toml(&entry.value), origin, Some(format!("line {}", entry.line)))
            .map_err(|c| {
            // A secret is never echoed, even when it is malformed.
            let text = if toml::is_secret(&entry.key) {
                format!("{} = ***", entry.key)
            } else {
                entry.text.clone()
            };
            format!("{}: `{text}`: {}", toml_at(entry.line), c.bare())
        })?;
    }

    // The .env settings: piStat's names first, so an EDGESTAT_ one wins
    // wherever it is in the file; within a name, the last line wins.
    dotenv_settings.sort_by_key(|&(rank, _, entry)| (core::cmp::Reverse(rank), entry.line));
    for (_, index, entry) in dotenv_settings {
        let origin = Origin::DotEnv(dotenv_path.clone());
        builder
            .set(index, Raw::Text(&entry.value), origin, Some(entry.key.clone()))
            .map_err(|c| format!("{}: {}: {}", at(entry.line), entry.key, c.about(&entry.value)))?;
    }

    // The environment: for each key, the first of its names that is set.
    for (index, spec) in KEYS.iter().enumerate() {
        let Some((var, value)) = spec.env.iter().find_map(|var| env(var).map(|v| (*var, v))) else {
            continue;
        };
        builder
            .set(index, Raw::Text(&value), Origin::Env(var.to_owned()), None)
            .map_err(|c| format!("environment variable {var}: {}", c.about(&value)))?;
    }

    // The flags, in order.
    for flag in &args.settings {
        builder
            .set(flag.index, Raw::Text(flag.value), Origin::Flag(flag.flag.to_owned()), None)
            .map_err(|c| format!("`{}`: {}", flag.flag, c.about(flag.value)))?;
    }

    let mut config = builder.config;
    let origin =
        |key: &str| KEYS.iter().position(|s| s.name == key).and_then(|i| builder.origins.get(i));
    for (key, file_key) in [("token", "token_file"), ("deploy_token", "deploy_token_file")] {
        let (token, file) = match key {
            "token" => (&mut config.token, &config.token_file),
            _ => (&mut config.deploy_token, &config.deploy_token_file),
        };
        let Some(file) = file else { continue };
        let path = cwd.join(file);
        let secret =
            read_secret(&path).map_err(|why| format!("{file_key} {}: {why}", path.display()))?;
        // An empty file holds no token (the package installs empty ones):
        // a token set elsewhere stands. Two tokens are a mistake.
        let Some(secret) = secret else { continue };
        if token.is_some() {
            return Err(format!(
                "{key} is set ({}) and so is {file_key} ({}): set one",
                origin(key).map_or_else(String::new, ToString::to_string),
                origin(file_key).map_or_else(String::new, ToString::to_string)
            ));
        }
        *token = Some(secret);
    }

    Ok(Loaded {
        config,
        toml_file: SourceFile { path: toml_path, read: toml_text.is_some() },
        env_file: SourceFile { path: dotenv_path, read: dotenv_text.is_some() },
        origins: builder.origins,
        details: builder.details,
    })
}

/// The configuration being built, and each key's origin so far.
struct Builder {
    config: Config,
    origins: Vec<Origin>,
    details: Vec<Option<String>>,
}

impl Default for Builder {
    fn default() -> Self {
        Self {
            config: Config::default(),
            origins: vec![Origin::Default; KEYS.len()],
            details: vec![None; KEYS.len()],
        }
    }
}

impl Builder {
    /// Sets key `index` from `raw` and records where it came from.
    fn set(
        &mut self,
        index: usize,
        raw: Raw<'_>,
        origin: Origin,
        detail: Option<String>,
    ) -> Result<(), keys::Complaint> {
        let slots = (KEYS.get(index), self.origins.get_mut(index), self.details.get_mut(index));
        if let (Some(spec), Some(origin_slot), Some(detail_slot)) = slots {
            (spec.set)(&mut self.config, raw)?;
            (*origin_slot, *detail_slot) = (origin, detail);
        }
        Ok(())
    }
}

/// Largest secret file read: a token is a line.
const MAX_SECRET_BYTES: u64 = 4096;

/// The secret in `path`: its text without surrounding whitespace; `None`
/// for an empty file (systemd hands an empty credential for none). The
/// secret itself never appears in an error.
fn read_secret(path: &Path) -> Result<Option<String>, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut text = String::new();
    file.take(MAX_SECRET_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|_| "not readable as UTF-8 text".to_owned())?;
    if text.len() as u64 > MAX_SECRET_BYTES {
        return Err(format!("larger than {MAX_SECRET_BYTES} bytes"));
    }
    let secret = text.trim();
    if secret.contains(char::is_whitespace) {
        return Err("holds more than one word; a token is one line without spaces".into());
    }
    Ok(Some(secret.to_owned()).filter(|s| !s.is_empty()))
}

/// The path of a file `named` by a flag or variable (who, file), relative
/// to `cwd`, or the default; with who named it, if anyone did.
fn locate(
    cwd: &Path,
    named: Option<(String, String)>,
    default: &str,
) -> Result<(PathBuf, Option<String>), String> {
    match named {
        Some((who, file)) if file.is_empty() => Err(format!("{who}: the file name is empty")),
        Some((who, file)) => Ok((cwd.join(file), Some(who))),
        None => Ok((cwd.join(default), None)),
    }
}

/// The text of the file at `path`; `None` when it is missing and nobody
/// named it. A file that exists but cannot be read is always an error.
fn read(path: &Path, named_by: Option<&str>) -> Result<Option<String>, String> {
    let fail = |why: String| match named_by {
        Some(who) => format!("{who}: cannot read {}: {why}", path.display()),
        None => format!("cannot read {}: {why}", path.display()),
    };
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && named_by.is_none() => {
            return Ok(None);
        }
        Err(e) => return Err(fail(e.to_string())),
    };
    let mut bytes = Vec::new();
    let limit = u64::try_from(MAX_FILE_BYTES).unwrap_or(u64::MAX).saturating_add(1);
    file.take(limit).read_to_end(&mut bytes).map_err(|e| fail(e.to_string()))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(fail(format!("it is larger than {} KiB", MAX_FILE_BYTES / 1024)));
    }
    String::from_utf8(bytes).map(Some).map_err(|_| fail("it is not UTF-8 text".into()))
}

/// The message for TOML key `key`, which is not one, with a hint when it
/// is a key written with `-` or in upper case.
fn unknown_key(key: &str) -> String {
    let near = key.replace('-', "_").to_ascii_lowercase();
    match keys::by_name(&near) {
        Some((_, spec)) => format!("unknown key `{key}` (did you mean `{}`?)", spec.name),
        None => format!("unknown key `{key}`"),
    }
}

/// `edgestat config [flags]`: prints the effective configuration, one line
/// per key with its value and where it came from (the token masked).
/// Exit 0; a bad configuration is a message on stderr and exit 2.
pub fn main(args: &[&str]) -> ExitCode {
    if help::asked(args) {
        print!("{}", config_help());
        return ExitCode::SUCCESS;
    }
    let loaded = match load(args) {
        Ok(loaded) => loaded,
        Err(message) => {
            eprintln!("edgestat: {message}");
            return ExitCode::from(2);
        }
    };
    let mut out = std::io::stdout().lock();
    match write!(out, "{loaded}").and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("edgestat: {e}");
            ExitCode::from(1)
        }
    }
}

/// What `edgestat run --help` and `edgestat config --help` say of the
/// sources, after each command's own sentence.
const PRECEDENCE: &str = "For each setting the first source that sets it wins: \
    flag, environment variable, .env file, TOML file, default.";

/// `edgestat run --help`.
pub fn run_help() -> String {
    help::render(
        "edgestat run [FLAGS]",
        &format!(
            "Runs the daemon: samples this host once per interval and serves the REST APIs, \
             Socket.IO, /api/ws, /metrics and the dashboard. {PRECEDENCE} \
             `edgestat config` with the same flags shows the result."
        ),
        &rows(),
    )
}

/// `edgestat config --help`.
fn config_help() -> String {
    help::render(
        "edgestat config [FLAGS]",
        &format!("Prints each setting, its value and where it came from. {PRECEDENCE}"),
        &rows(),
    )
}

/// The help rows of the files' flags and of every key, in table order.
fn rows() -> Vec<Row> {
    let mut rows = vec![
        Row::new(
            format!("{} FILE", args::CONFIG_FLAG),
            format!("TOML file; a missing {DEFAULT_TOML} is no error"),
        ),
        Row::new(format!("{} FILE", args::ENV_FILE_FLAG), "file of VAR=value lines"),
    ];
    if let Some(first) = rows.first_mut() {
        first.default = Some(DEFAULT_TOML.into());
        first.env = vec![CONFIG_VAR];
    }
    if let Some(second) = rows.get_mut(1) {
        second.default = Some(format!("./{DEFAULT_DOTENV}"));
        second.env = vec![ENV_FILE_VAR];
    }
    let defaults = Config::default();
    rows.extend(KEYS.iter().map(|spec| key_row(spec, &defaults)));
    rows
}

/// The help rows for the keys named `names`, for commands that take a few
/// of the daemon's flags (`edgestat detect`).
pub fn rows_of(names: &[&str]) -> Vec<Row> {
    let defaults = Config::default();
    names
        .iter()
        .filter_map(|name| keys::by_name(name))
        .map(|(_, spec)| key_row(spec, &defaults))
        .collect()
}

/// One key's row: its flags and placeholder, its doc, its default as
/// `edgestat config` writes it (a string unquoted; an empty one, or a
/// switch that is off, shown as no default), and its variables.
fn key_row(spec: &Spec, defaults: &Config) -> Row {
    let flags: Vec<_> = spec.flags.iter().map(|flag| flag.name()).collect();
    let flags = flags.join(", ");
    let flags = if spec.value.is_empty() { flags } else { format!("{flags} {}", spec.value) };
    let shown = (spec.show)(defaults);
    let default = match spec.flags {
        [keys::Flag::Switch(..)] if shown == "false" => None,
        [keys::Flag::Switch(..), ..] => spec.flags.iter().find_map(|flag| match flag {
            keys::Flag::Switch(name, on) if on.to_string() == shown => Some((*name).to_owned()),
            _ => None,
        }),
        _ => match shown.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
            Some("") => None,
            Some(text) => Some(text.to_owned()),
            None if shown == "[]" => None,
            None => Some(shown),
        },
    };
    Row { flags, doc: spec.doc.to_owned(), default, env: spec.env.to_vec() }
}

/// Reads the root flags (`--sysfs`, `--procfs`, `--rootfs`) from `args`,
/// with `EDGESTAT_SYSFS`, `EDGESTAT_PROCFS` and `EDGESTAT_ROOTFS` as
/// fallbacks; anything else is a usage error. For `edgestat detect`, which
/// reads no configuration file.
pub fn roots(args: &[&str]) -> Result<Roots, String> {
    roots_with_env(args, |key| std::env::var_os(key).map(PathBuf::from))
}

fn roots_with_env(args: &[&str], env: impl Fn(&str) -> Option<PathBuf>) -> Result<Roots, String> {
    let mut roots = Roots::default();
    for (slot, key) in [
        (&mut roots.sysfs, "EDGESTAT_SYSFS"),
        (&mut roots.procfs, "EDGESTAT_PROCFS"),
        (&mut roots.rootfs, "EDGESTAT_ROOTFS"),
    ] {
        if let Some(path) = env(key) {
            *slot = path;
        }
    }
    let mut rest = args.iter();
    while let Some(&flag) = rest.next() {
        let (name, inline) = match flag.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (flag, None),
        };
        let slot = match name {
            "--sysfs" => &mut roots.sysfs,
            "--procfs" => &mut roots.procfs,
            "--rootfs" => &mut roots.rootfs,
            _ => return Err(format!("unknown option `{flag}`")),
        };
        let value = inline.or_else(|| rest.next().copied());
        match value {
            Some(v) if !v.is_empty() => *slot = PathBuf::from(v),
            _ => return Err(format!("`{name}` needs a directory")),
        }
    }
    Ok(roots)
}
