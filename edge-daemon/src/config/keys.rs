//! The table of settings: every key's flag, variable and TOML names, how a
//! value for it is read from text or TOML, and how it is shown.
//!
//! One row per key ([`KEYS`]), in the order `edgestat config` prints them.
//! The readers in this file are the only place a value is checked, so a
//! flag, a variable and a TOML line are held to the same rules.

use core::time::Duration;
use std::path::{Path, PathBuf};

use edgestat_core::fleet::{ClientId, Network};

use super::{Config, LogLevel};
use edgestat_common::toml::Value;

/// Shortest sampler period (`update_interval`).
pub const UPDATE_INTERVAL_MIN: Duration = Duration::from_millis(100);
/// Shortest `tegrastats --interval` (`tegrastats_interval`).
pub const TEGRASTATS_INTERVAL_MIN: Duration = Duration::from_millis(100);
/// Shortest period between `vcgencmd` runs (`vcgencmd_interval`): each run
/// is a firmware mailbox round trip, so faster polling costs the Pi more
/// than it tells.
pub const VCGENCMD_INTERVAL_MIN: Duration = Duration::from_secs(1);
/// Longest period for any of the three intervals and for `cache_seconds`:
/// one hour. A longer one is a typo (milliseconds written as seconds).
pub const INTERVAL_MAX: Duration = Duration::from_secs(3600);
/// Longest rate-limit window (`rate_limit_window`): one day, in seconds.
pub const RATE_LIMIT_WINDOW_MAX: u64 = 86_400;

/// How a flag gives its key a value.
#[derive(Debug, Clone, Copy)]
pub enum Flag {
    /// `--port 80` or `--port=80`.
    Valued(&'static str),
    /// `--debug`, `--no-rate-limit`: takes no value, sets the key to this one.
    Switch(&'static str, bool),
}

impl Flag {
    /// The flag as written on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Valued(name) | Self::Switch(name, _) => name,
        }
    }
}

/// A value on its way in: text (a flag, a variable) or a typed TOML value.
#[derive(Debug, Clone, Copy)]
pub enum Raw<'a> {
    /// From a flag, the environment or a `.env` file.
    Text(&'a str),
    /// From the TOML file.
    Toml(&'a Value),
}

/// What is wrong with a value; the caller adds which key and source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Complaint {
    /// "`70000` is not a port (0-65535)".
    Not(&'static str),
    /// "`fast`: expected seconds, e.g. 1 or 0.5".
    Expected(&'static str),
    /// "`0.05` is below the minimum of 0.1 s".
    Range(String),
}

impl Complaint {
    /// The complaint about the text value `value` (a flag or a variable).
    pub fn about(&self, value: &str) -> String {
        let shown = format!("`{value}`");
        match (self, value.is_empty()) {
            (Self::Not(what), true) => format!("an empty value is not {what}"),
            (Self::Not(what), false) => format!("{shown} is not {what}"),
            (Self::Expected(what), true) => format!("the value is empty: expected {what}"),
            (Self::Expected(what), false) => format!("{shown}: expected {what}"),
            (Self::Range(why), true) => format!("an empty value is {why}"),
            (Self::Range(why), false) => format!("{shown} is {why}"),
        }
    }

    /// The complaint after a quoted TOML line, which already shows the value.
    pub fn bare(&self) -> String {
        match self {
            Self::Not(what) => format!("not {what}"),
            Self::Expected(what) => format!("expected {what}"),
            Self::Range(why) => why.clone(),
        }
    }
}

/// One key: its names in every source, how it is read, how it is shown.
pub struct Spec {
    /// The TOML key, also the name `edgestat config` prints and
    /// [`super::Loaded::origin`] takes.
    pub name: &'static str,
    /// Its flags, long form first.
    pub flags: &'static [Flag],
    /// Its variables, `EDGESTAT_` first; the first one set wins.
    pub env: &'static [&'static str],
    /// The placeholder for the value in `edgestat config --help`.
    pub value: &'static str,
    /// One line for `edgestat config --help`.
    pub doc: &'static str,
    /// Checks a value and stores it in the configuration.
    pub set: fn(&mut Config, Raw<'_>) -> Result<(), Complaint>,
    /// The current value, written as TOML (the token is masked).
    pub show: fn(&Config) -> String,
}

impl core::fmt::Debug for Spec {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name)
    }
}

/// Every key, in the order they are printed.
pub const KEYS: [Spec; 44] = [
    Spec {
        name: "host",
        flags: &[Flag::Valued("--host"), Flag::Valued("-h")],
        env: &["EDGESTAT_HOST", "PISTAT_HOST"],
        value: "ADDR",
        doc: "address the HTTP server listens on",
        set: |c, raw| {
            c.host = host(raw)?;
            Ok(())
        },
        show: |c| quote(&c.host),
    },
    Spec {
        name: "port",
        flags: &[Flag::Valued("--port"), Flag::Valued("-p")],
        env: &["EDGESTAT_PORT", "PISTAT_PORT"],
        value: "PORT",
        doc: "TCP port of the HTTP server; 0 picks a free one",
        set: |c, raw| {
            c.port = port(raw)?;
            Ok(())
        },
        show: |c| c.port.to_string(),
    },
    Spec {
        name: "debug",
        flags: &[Flag::Switch("--debug", true)],
        env: &["EDGESTAT_DEBUG", "PISTAT_DEBUG"],
        value: "",
        doc: "log at DEBUG, as --log-level DEBUG does",
        set: |c, raw| {
            c.debug = boolean(raw)?;
            Ok(())
        },
        show: |c| c.debug.to_string(),
    },
    Spec {
        name: "log_level",
        flags: &[Flag::Valued("--log-level")],
        env: &["EDGESTAT_LOG_LEVEL", "PISTAT_LOG_LEVEL"],
        value: "LEVEL",
        doc: "ERROR, WARNING, INFO or DEBUG",
        set: |c, raw| {
            c.log_level = level(raw)?;
            Ok(())
        },
        show: |c| quote(c.log_level.as_str()),
    },
    Spec {
        name: "max_connections",
        flags: &[Flag::Valued("--max-connections")],
        env: &["EDGESTAT_MAX_CONNECTIONS"],
        value: "N",
        doc: "live clients (Socket.IO and WebSocket) at once, at least 1",
        set: |c, raw| {
            c.max_connections = count(raw)?;
            Ok(())
        },
        show: |c| c.max_connections.to_string(),
    },
    Spec {
        name: "max_http_connections",
        flags: &[Flag::Valued("--max-http-connections")],
        env: &["EDGESTAT_MAX_HTTP_CONNECTIONS"],
        value: "N",
        doc: "HTTP connections served at once, at least 1; more wait in the backlog",
        set: |c, raw| {
            c.max_http_connections = count(raw)?;
            Ok(())
        },
        show: |c| c.max_http_connections.to_string(),
    },
    Spec {
        name: "max_http_connections_per_ip",
        flags: &[Flag::Valued("--max-http-connections-per-ip")],
        env: &["EDGESTAT_MAX_HTTP_CONNECTIONS_PER_IP"],
        value: "N",
        doc: "HTTP connections one client address may hold at once, at least 1; more are \
              closed at once, so one client cannot take every slot",
        set: |c, raw| {
            c.max_http_connections_per_ip = count(raw)?;
            Ok(())
        },
        show: |c| c.max_http_connections_per_ip.to_string(),
    },
    Spec {
        name: "max_connections_per_ip",
        flags: &[Flag::Valued("--max-connections-per-ip")],
        env: &["EDGESTAT_MAX_CONNECTIONS_PER_IP"],
        value: "N",
        doc: "live clients (Socket.IO and WebSocket) one client address may hold, at least 1",
        set: |c, raw| {
            c.max_connections_per_ip = count(raw)?;
            Ok(())
        },
        show: |c| c.max_connections_per_ip.to_string(),
    },
    Spec {
        name: "update_interval",
        flags: &[Flag::Valued("--update-interval")],
        env: &["EDGESTAT_UPDATE_INTERVAL"],
        value: "SECONDS",
        doc: "sampler period, 0.1 to 3600",
        set: |c, raw| {
            c.update_interval = seconds(raw, UPDATE_INTERVAL_MIN, INTERVAL_MAX)?;
            Ok(())
        },
        show: |c| secs(c.update_interval),
    },
    Spec {
        name: "tegrastats_interval",
        flags: &[Flag::Valued("--tegrastats-interval")],
        env: &["EDGESTAT_TEGRASTATS_INTERVAL"],
        value: "SECONDS",
        doc: "tegrastats --interval, 0.1 to 3600",
        set: |c, raw| {
            c.tegrastats_interval = seconds(raw, TEGRASTATS_INTERVAL_MIN, INTERVAL_MAX)?;
            Ok(())
        },
        show: |c| secs(c.tegrastats_interval),
    },
    Spec {
        name: "vcgencmd_interval",
        flags: &[Flag::Valued("--vcgencmd-interval")],
        env: &["EDGESTAT_VCGENCMD_INTERVAL"],
        value: "SECONDS",
        doc: "period between vcgencmd runs, 1 to 3600",
        set: |c, raw| {
            c.vcgencmd_interval = seconds(raw, VCGENCMD_INTERVAL_MIN, INTERVAL_MAX)?;
            Ok(())
        },
        show: |c| secs(c.vcgencmd_interval),
    },
    Spec {
        name: "cache_seconds",
        flags: &[Flag::Valued("--cache-seconds")],
        env: &["EDGESTAT_CACHE_SECONDS", "PISTAT_CACHE_SECONDS"],
        value: "SECONDS",
        doc: "response cache lifetime, 0 (off) to 3600",
        set: |c, raw| {
            c.cache_seconds = seconds(raw, Duration::ZERO, INTERVAL_MAX)?;
            Ok(())
        },
        show: |c| secs(c.cache_seconds),
    },
    Spec {
        name: "rate_limit_enabled",
        flags: &[Flag::Switch("--rate-limit", true), Flag::Switch("--no-rate-limit", false)],
        env: &["EDGESTAT_RATE_LIMIT_ENABLED", "PISTAT_RATE_LIMIT_ENABLED"],
        value: "",
        doc: "limit requests per client",
        set: |c, raw| {
            c.rate_limit_enabled = boolean(raw)?;
            Ok(())
        },
        show: |c| c.rate_limit_enabled.to_string(),
    },
    Spec {
        name: "rate_limit_requests",
        flags: &[Flag::Valued("--rate-limit-requests")],
        env: &["EDGESTAT_RATE_LIMIT_REQUESTS", "PISTAT_RATE_LIMIT_REQUESTS"],
        value: "N",
        doc: "requests a client may make per window (at least 1)",
        set: |c, raw| {
            c.rate_limit_requests = count(raw)?;
            Ok(())
        },
        show: |c| c.rate_limit_requests.to_string(),
    },
    Spec {
        name: "rate_limit_window",
        flags: &[Flag::Valued("--rate-limit-window")],
        env: &["EDGESTAT_RATE_LIMIT_WINDOW", "PISTAT_RATE_LIMIT_WINDOW"],
        value: "SECONDS",
        doc: "rate-limit window, whole seconds, 1 to 86400",
        set: |c, raw| {
            c.rate_limit_window = whole_seconds(raw)?;
            Ok(())
        },
        show: |c| secs(c.rate_limit_window),
    },
    Spec {
        name: "token",
        flags: &[Flag::Valued("--token")],
        env: &["EDGESTAT_TOKEN"],
        value: "TOKEN",
        doc: "bearer token required by the API; empty for none",
        set: |c, raw| {
            c.token = token(raw)?;
            Ok(())
        },
        show: |c| quote(if c.token.is_some() { "***" } else { "" }),
    },
    Spec {
        name: "token_file",
        flags: &[Flag::Valued("--token-file")],
        env: &["EDGESTAT_TOKEN_FILE"],
        value: "FILE",
        doc: "a file holding the token (systemd's LoadCredential=); keeps it out of the \
              command line and the environment",
        set: |c, raw| {
            c.token_file = optional_path(raw)?;
            Ok(())
        },
        show: |c| c.token_file.as_deref().map_or_else(|| quote(""), quote_path),
    },
    Spec {
        name: "allowed_origins",
        flags: &[Flag::Valued("--allowed-origins")],
        env: &["EDGESTAT_ALLOWED_ORIGINS"],
        value: "LIST",
        doc: "browser origins allowed on /api/ws, comma-separated; empty: same host only",
        set: |c, raw| {
            c.allowed_origins = origins(raw)?;
            Ok(())
        },
        show: |c| quote(&c.allowed_origins.join(",")),
    },
    Spec {
        name: "agent",
        flags: &[Flag::Switch("--agent", true), Flag::Switch("--no-agent", false)],
        env: &["EDGESTAT_AGENT"],
        value: "",
        doc: "answer a fleet manager's UDP queries (seed 003)",
        set: |c, raw| {
            c.agent = boolean(raw)?;
            Ok(())
        },
        show: |c| c.agent.to_string(),
    },
    Spec {
        name: "agent_group",
        flags: &[Flag::Valued("--agent-group")],
        env: &["EDGESTAT_AGENT_GROUP"],
        value: "ADDR:PORT",
        doc: "multicast group and UDP port of the manager's queries",
        set: |c, raw| {
            c.agent_group = text(raw, GROUP)?.parse().map_err(|_| GROUP)?;
            Ok(())
        },
        show: |c| quote(&c.agent_group.to_string()),
    },
    Spec {
        name: "agent_interface",
        flags: &[Flag::Valued("--agent-interface")],
        env: &["EDGESTAT_AGENT_INTERFACE"],
        value: "IPV4",
        doc: "IPv4 address of the interface that joins the group; 0.0.0.0: the kernel's choice",
        set: |c, raw| {
            c.agent_interface = text(raw, IPV4)?.parse().map_err(|_| IPV4)?;
            Ok(())
        },
        show: |c| quote(&c.agent_interface.to_string()),
    },
    Spec {
        name: "agent_managers",
        flags: &[Flag::Valued("--agent-managers")],
        env: &["EDGESTAT_AGENT_MANAGERS"],
        value: "NETWORKS",
        doc: "manager networks answered, e.g. 192.168.10.0/24, comma-separated; empty: any",
        set: |c, raw| {
            c.agent_managers = networks(raw)?;
            Ok(())
        },
        show: |c| {
            let list: Vec<String> = c.agent_managers.iter().map(ToString::to_string).collect();
            quote(&list.join(","))
        },
    },
    Spec {
        name: "agent_box_id",
        flags: &[Flag::Valued("--agent-box-id")],
        env: &["EDGESTAT_AGENT_BOX_ID"],
        value: "N",
        doc: "chassis number in the heartbeat",
        set: |c, raw| {
            c.agent_box_id = id(raw)?;
            Ok(())
        },
        show: |c| c.agent_box_id.to_string(),
    },
    Spec {
        name: "agent_slot_id",
        flags: &[Flag::Valued("--agent-slot-id")],
        env: &["EDGESTAT_AGENT_SLOT_ID"],
        value: "N",
        doc: "slot number in the heartbeat",
        set: |c, raw| {
            c.agent_slot_id = id(raw)?;
            Ok(())
        },
        show: |c| c.agent_slot_id.to_string(),
    },
    Spec {
        name: "agent_cpu_id",
        flags: &[Flag::Valued("--agent-cpu-id")],
        env: &["EDGESTAT_AGENT_CPU_ID"],
        value: "N",
        doc: "CPU number in the heartbeat",
        set: |c, raw| {
            c.agent_cpu_id = id(raw)?;
            Ok(())
        },
        show: |c| c.agent_cpu_id.to_string(),
    },
    Spec {
        name: "agent_srio_id",
        flags: &[Flag::Valued("--agent-srio-id")],
        env: &["EDGESTAT_AGENT_SRIO_ID"],
        value: "N",
        doc: "SRIO number in the heartbeat",
        set: |c, raw| {
            c.agent_srio_id = id(raw)?;
            Ok(())
        },
        show: |c| c.agent_srio_id.to_string(),
    },
    Spec {
        name: "agent_service_port",
        flags: &[Flag::Valued("--agent-service-port")],
        env: &["EDGESTAT_AGENT_SERVICE_PORT"],
        value: "PORT",
        doc: "the service_port the heartbeat announces",
        set: |c, raw| {
            c.agent_service_port = port(raw)?;
            Ok(())
        },
        show: |c| c.agent_service_port.to_string(),
    },
    Spec {
        name: "agent_box_type",
        flags: &[Flag::Valued("--agent-box-type")],
        env: &["EDGESTAT_AGENT_BOX_TYPE"],
        value: "TEXT",
        doc: "chassis type in the heartbeat",
        set: |c, raw| {
            c.agent_box_type = text(raw, STRING)?.to_owned();
            Ok(())
        },
        show: |c| quote(&c.agent_box_type),
    },
    Spec {
        name: "agent_board_type",
        flags: &[Flag::Valued("--agent-board-type")],
        env: &["EDGESTAT_AGENT_BOARD_TYPE"],
        value: "TEXT",
        doc: "board type in the heartbeat; empty: GPU on a Jetson, else CPU",
        set: |c, raw| {
            c.agent_board_type = text(raw, STRING)?.to_owned();
            Ok(())
        },
        show: |c| quote(&c.agent_board_type),
    },
    Spec {
        name: "agent_cpu_type",
        flags: &[Flag::Valued("--agent-cpu-type")],
        env: &["EDGESTAT_AGENT_CPU_TYPE"],
        value: "TEXT",
        doc: "CPU type in the heartbeat; empty: from /proc/cpuinfo",
        set: |c, raw| {
            c.agent_cpu_type = text(raw, STRING)?.to_owned();
            Ok(())
        },
        show: |c| quote(&c.agent_cpu_type),
    },
    Spec {
        name: "agent_resource_type",
        flags: &[Flag::Valued("--agent-resource-type")],
        env: &["EDGESTAT_AGENT_RESOURCE_TYPE"],
        value: "TEXT",
        doc: "resource type in the heartbeat",
        set: |c, raw| {
            c.agent_resource_type = text(raw, STRING)?.to_owned();
            Ok(())
        },
        show: |c| quote(&c.agent_resource_type),
    },
    Spec {
        name: "agent_client_id",
        flags: &[Flag::Valued("--agent-client-id")],
        env: &["EDGESTAT_AGENT_CLIENT_ID"],
        value: "HEX32",
        doc: "this node's id in the reports (32 hex digits); empty: /etc/machine-id",
        set: |c, raw| {
            let id = text(raw, CLIENT_ID)?;
            c.agent_client_id =
                if id.is_empty() { None } else { Some(ClientId::parse(id).ok_or(CLIENT_ID)?) };
            Ok(())
        },
        show: |c| quote(c.agent_client_id.as_ref().map_or("", |id| id.as_str())),
    },
    Spec {
        name: "deploy_token",
        flags: &[Flag::Valued("--deploy-token")],
        env: &["EDGESTAT_DEPLOY_TOKEN"],
        value: "TOKEN",
        doc: "bearer token POST /deploy requires; empty: /deploy is disabled",
        set: |c, raw| {
            c.deploy_token = token(raw)?;
            Ok(())
        },
        show: |c| quote(if c.deploy_token.is_some() { "***" } else { "" }),
    },
    Spec {
        name: "deploy_token_file",
        flags: &[Flag::Valued("--deploy-token-file")],
        env: &["EDGESTAT_DEPLOY_TOKEN_FILE"],
        value: "FILE",
        doc: "a file holding the deploy token (systemd's LoadCredential=)",
        set: |c, raw| {
            c.deploy_token_file = optional_path(raw)?;
            Ok(())
        },
        show: |c| c.deploy_token_file.as_deref().map_or_else(|| quote(""), quote_path),
    },
    Spec {
        name: "deploy_allow",
        flags: &[Flag::Valued("--deploy-allow")],
        env: &["EDGESTAT_DEPLOY_ALLOW"],
        value: "URLS",
        doc: "repository URL prefixes /deploy may fetch from, comma-separated",
        set: |c, raw| {
            c.deploy_allow = prefixes(raw)?;
            Ok(())
        },
        show: |c| quote(&c.deploy_allow.join(",")),
    },
    Spec {
        name: "deploy_require_sha256",
        flags: &[Flag::Switch("--deploy-require-sha256", true)],
        env: &["EDGESTAT_DEPLOY_REQUIRE_SHA256"],
        value: "",
        doc: "refuse a /deploy bar whose request carries no sha256 of the program",
        set: |c, raw| {
            c.deploy_require_sha256 = boolean(raw)?;
            Ok(())
        },
        show: |c| c.deploy_require_sha256.to_string(),
    },
    Spec {
        name: "deploy_dir",
        flags: &[Flag::Valued("--deploy-dir")],
        env: &["EDGESTAT_DEPLOY_DIR", "STATE_DIRECTORY"],
        value: "DIR",
        doc: "where /deploy keeps fetched programs",
        set: |c, raw| {
            c.deploy_dir = path(raw)?;
            Ok(())
        },
        show: |c| quote_path(&c.deploy_dir),
    },
    Spec {
        name: "docker_socket",
        flags: &[Flag::Valued("--docker-socket")],
        env: &["EDGESTAT_DOCKER_SOCKET"],
        value: "PATH",
        doc: "the Docker Engine API socket /deploy type docker talks to",
        set: |c, raw| {
            c.docker_socket = path(raw)?;
            Ok(())
        },
        show: |c| quote_path(&c.docker_socket),
    },
    Spec {
        name: "expose_serial",
        flags: &[Flag::Switch("--expose-serial", true)],
        env: &["EDGESTAT_EXPOSE_SERIAL"],
        value: "",
        doc: "include the board serial number in responses",
        set: |c, raw| {
            c.expose_serial = boolean(raw)?;
            Ok(())
        },
        show: |c| c.expose_serial.to_string(),
    },
    Spec {
        name: "sysfs",
        flags: &[Flag::Valued("--sysfs")],
        env: &["EDGESTAT_SYSFS"],
        value: "DIR",
        doc: "where /sys is",
        set: |c, raw| {
            c.roots.sysfs = path(raw)?;
            Ok(())
        },
        show: |c| quote_path(&c.roots.sysfs),
    },
    Spec {
        name: "procfs",
        flags: &[Flag::Valued("--procfs")],
        env: &["EDGESTAT_PROCFS"],
        value: "DIR",
        doc: "where /proc is",
        set: |c, raw| {
            c.roots.procfs = path(raw)?;
            Ok(())
        },
        show: |c| quote_path(&c.roots.procfs),
    },
    Spec {
        name: "rootfs",
        flags: &[Flag::Valued("--rootfs")],
        env: &["EDGESTAT_ROOTFS"],
        value: "DIR",
        doc: "where / is, for /etc",
        set: |c, raw| {
            c.roots.rootfs = path(raw)?;
            Ok(())
        },
        show: |c| quote_path(&c.roots.rootfs),
    },
    Spec {
        name: "tegrastats",
        flags: &[Flag::Valued("--tegrastats")],
        env: &["EDGESTAT_TEGRASTATS"],
        value: "PATH",
        doc: "tegrastats program (a bare name is looked up on PATH)",
        set: |c, raw| {
            c.tegrastats = path(raw)?;
            Ok(())
        },
        show: |c| quote_path(&c.tegrastats),
    },
    Spec {
        name: "vcgencmd",
        flags: &[Flag::Valued("--vcgencmd")],
        env: &["EDGESTAT_VCGENCMD"],
        value: "PATH",
        doc: "vcgencmd program (a bare name is looked up on PATH)",
        set: |c, raw| {
            c.vcgencmd = path(raw)?;
            Ok(())
        },
        show: |c| quote_path(&c.vcgencmd),
    },
];

/// The row for TOML key `name`, with its index.
pub fn by_name(name: &str) -> Option<(usize, &'static Spec)> {
    KEYS.iter().enumerate().find(|(_, spec)| spec.name == name)
}

/// The row with variable `var` among its names, with its index and the
/// rank of the name (0 for `EDGESTAT_`, 1 for piStat's).
pub fn by_env(var: &str) -> Option<(usize, usize)> {
    KEYS.iter().enumerate().find_map(|(index, spec)| {
        spec.env.iter().position(|name| *name == var).map(|rank| (index, rank))
    })
}

/// The row with flag `flag` (as typed, without `=value`), with its index.
pub fn by_flag(flag: &str) -> Option<(usize, Flag)> {
    KEYS.iter()
        .enumerate()
        .find_map(|(index, spec)| spec.flags.iter().find(|f| f.name() == flag).map(|f| (index, *f)))
}

const PORT: Complaint = Complaint::Not("a port (0-65535)");
const SECONDS: Complaint = Complaint::Expected("seconds, e.g. 1 or 0.5");
const WHOLE_SECONDS: Complaint = Complaint::Expected("whole seconds, e.g. 60");
const COUNT: Complaint = Complaint::Not("a whole number");
const BOOL_TEXT: Complaint = Complaint::Expected("true or false (or yes/no, 1/0)");
const BOOL_TOML: Complaint = Complaint::Expected("true or false");
const LEVEL: Complaint = Complaint::Expected("ERROR, WARNING, INFO or DEBUG");
const HOST: Complaint = Complaint::Expected("a host name or IP address");
const PATH: Complaint = Complaint::Expected("a path");
const STRING: Complaint = Complaint::Expected("a string");
const CLIENT_ID: Complaint = Complaint::Expected("32 hexadecimal digits (a 16-byte id), or empty");

/// The text of a string value; anything else is `otherwise`.
fn text<'a>(raw: Raw<'a>, otherwise: Complaint) -> Result<&'a str, Complaint> {
    match raw {
        Raw::Text(text) => Ok(text),
        Raw::Toml(Value::Str(text)) => Ok(text),
        Raw::Toml(_) => Err(otherwise),
    }
}

/// The items of a list value: comma-separated text, or in TOML an array of
/// strings; empty items are dropped.
fn items(raw: Raw<'_>, otherwise: Complaint) -> Result<Vec<String>, Complaint> {
    let split = |text: &str| -> Vec<String> {
        text.split(',').map(str::trim).filter(|i| !i.is_empty()).map(str::to_owned).collect()
    };
    match raw {
        Raw::Toml(Value::List(list)) => {
            Ok(list.iter().map(|i| i.trim()).filter(|i| !i.is_empty()).map(str::to_owned).collect())
        }
        raw => text(raw, otherwise).map(split),
    }
}

fn host(raw: Raw<'_>) -> Result<String, Complaint> {
    let host = text(raw, HOST)?;
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(HOST);
    }
    Ok(host.to_owned())
}

fn path(raw: Raw<'_>) -> Result<PathBuf, Complaint> {
    match text(raw, PATH)? {
        "" => Err(PATH),
        path => Ok(PathBuf::from(path)),
    }
}

/// A path, or none for an empty value.
fn optional_path(raw: Raw<'_>) -> Result<Option<PathBuf>, Complaint> {
    Ok(Some(text(raw, PATH)?).filter(|p| !p.is_empty()).map(PathBuf::from))
}

fn token(raw: Raw<'_>) -> Result<Option<String>, Complaint> {
    Ok(Some(text(raw, STRING)?).filter(|t| !t.is_empty()).map(str::to_owned))
}

fn origins(raw: Raw<'_>) -> Result<Vec<String>, Complaint> {
    const ORIGINS: Complaint =
        Complaint::Expected("origins like https://dash.example, comma-separated");
    let origins = items(raw, ORIGINS)?;
    if origins.iter().any(|o| !o.contains("://") || o.contains(char::is_whitespace)) {
        return Err(ORIGINS);
    }
    Ok(origins)
}

const GROUP: Complaint =
    Complaint::Expected("a multicast group and port, e.g. 239.192.168.80:3980");
const IPV4: Complaint = Complaint::Expected("an IPv4 address");

/// `http://repo.example/bar/,http://10.0.0.5:8080/`: URL prefixes.
fn prefixes(raw: Raw<'_>) -> Result<Vec<String>, Complaint> {
    const URLS: Complaint = Complaint::Expected("http:// URL prefixes, comma-separated");
    let urls = items(raw, URLS)?;
    if urls.iter().any(|u| !u.starts_with("http://") || u.contains(char::is_whitespace)) {
        return Err(URLS);
    }
    Ok(urls)
}

/// A chassis, slot, CPU or SRIO number: any whole number that fits `u32`.
fn id(raw: Raw<'_>) -> Result<u32, Complaint> {
    whole(raw).and_then(|n| u32::try_from(n).ok()).ok_or(Complaint::Expected("a whole number"))
}

/// `192.168.10.0/24,10.0.0.0/8`; a bare address is one host. IPv4 only:
/// the queries come over IPv4 multicast.
fn networks(raw: Raw<'_>) -> Result<Vec<Network>, Complaint> {
    const NETWORKS: Complaint =
        Complaint::Expected("IPv4 networks like 192.168.10.0/24, comma-separated");
    items(raw, NETWORKS)?
        .iter()
        .map(|n| Network::parse(n).filter(Network::is_ipv4).ok_or(NETWORKS))
        .collect()
}

fn level(raw: Raw<'_>) -> Result<LogLevel, Complaint> {
    LogLevel::parse(text(raw, LEVEL)?).ok_or(LEVEL)
}

fn boolean(raw: Raw<'_>) -> Result<bool, Complaint> {
    match raw {
        Raw::Toml(Value::Bool(b)) => Ok(*b),
        Raw::Toml(_) => Err(BOOL_TOML),
        Raw::Text(text) => match text.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Ok(true),
            "false" | "0" | "no" => Ok(false),
            _ => Err(BOOL_TEXT),
        },
    }
}

/// A whole number from text (digits only) or a TOML integer; `None` for
/// anything else, including a negative number.
fn whole(raw: Raw<'_>) -> Option<u64> {
    match raw {
        Raw::Toml(Value::Int(n)) => u64::try_from(*n).ok(),
        Raw::Toml(_) => None,
        Raw::Text(text) => digits(text),
    }
}

/// `text` as an unsigned decimal number: ASCII digits only, no sign.
fn digits(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A TCP port; 0 asks the kernel for a free one (tests, `edgestat run --port 0`).
fn port(raw: Raw<'_>) -> Result<u16, Complaint> {
    whole(raw).and_then(|n| u16::try_from(n).ok()).ok_or(PORT)
}

/// A count of at least 1 that fits `u32`.
fn count(raw: Raw<'_>) -> Result<u32, Complaint> {
    match whole(raw) {
        None => Err(COUNT),
        Some(0) => Err(Complaint::Range("below the minimum of 1".into())),
        Some(n) => u32::try_from(n)
            .map_err(|_| Complaint::Range(format!("above the maximum of {}", u32::MAX))),
    }
}

fn whole_seconds(raw: Raw<'_>) -> Result<Duration, Complaint> {
    match whole(raw) {
        None => Err(WHOLE_SECONDS),
        Some(0) => Err(Complaint::Range("below the minimum of 1 s".into())),
        Some(n) if n > RATE_LIMIT_WINDOW_MAX => {
            Err(Complaint::Range(format!("above the maximum of {RATE_LIMIT_WINDOW_MAX} s")))
        }
        Some(n) => Ok(Duration::from_secs(n)),
    }
}

/// Seconds, whole or decimal, within `min..=max`.
fn seconds(raw: Raw<'_>, min: Duration, max: Duration) -> Result<Duration, Complaint> {
    let value = match raw {
        Raw::Toml(Value::Int(n)) => u64::try_from(*n).ok().map(Duration::from_secs),
        Raw::Toml(Value::Float(text)) => decimal_seconds(text),
        Raw::Text(text) => decimal_seconds(text),
        Raw::Toml(_) => None,
    };
    match value {
        None => Err(SECONDS),
        Some(d) if d < min => {
            Err(Complaint::Range(format!("below the minimum of {} s", secs(min))))
        }
        Some(d) if d > max => {
            Err(Complaint::Range(format!("above the maximum of {} s", secs(max))))
        }
        Some(d) => Ok(d),
    }
}

/// `2` or `0.5` as a duration, exactly (no floating point): digits, then
/// optionally a point and one to nine more digits.
pub fn decimal_seconds(text: &str) -> Option<Duration> {
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    // More than 12 digits of seconds is out of every range; refuse it early.
    let secs = digits(whole).filter(|_| whole.len() <= 12)?;
    let nanos = match fraction {
        None => 0,
        Some(f) if (1..=9).contains(&f.len()) => {
            let scale = 10u32.pow(9 - u32::try_from(f.len()).ok()?);
            u32::try_from(digits(f)?).ok()? * scale
        }
        Some(_) => return None,
    };
    Some(Duration::new(secs, nanos))
}

/// A duration as seconds the way it is written: `1`, `0.5`, `0.25`.
pub fn secs(d: Duration) -> String {
    let nanos = d.subsec_nanos();
    if nanos == 0 {
        return d.as_secs().to_string();
    }
    let fraction = format!("{nanos:09}");
    format!("{}.{}", d.as_secs(), fraction.trim_end_matches('0'))
}

/// `text` as a TOML basic string.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn quote_path(path: &Path) -> String {
    quote(&path.to_string_lossy())
}
