//! Settings, in the daemon's style: each key from `--key VALUE` (or
//! `--key=VALUE`), else `EDGESTAT_FLEET_KEY` in the environment, else
//! `key = value` in the `--config` file (a TOML subset: strings, numbers,
//! arrays of strings), else its default. Unknown keys and bad values stop
//! the start with a message naming the key and where it came from.

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::time::Duration;

use edgestat_common::toml;

use edgestat_core::fleet::{Network, QUERY_GROUP};

/// Where a token's power ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// One user's clients (and the shared models).
    User(String),
    /// Every user (`*:TOKEN`).
    All,
}

/// Every setting.
#[derive(Debug, Clone)]
pub struct Config {
    /// HTTP address of the API and of the agents' reports.
    pub listen: SocketAddr,
    /// `sqlite:PATH` or `postgres://…`.
    pub database_url: String,
    /// Between two queries to the agents (0: never query).
    pub poll_interval: Duration,
    /// Where the queries go: the multicast group, or agents by address.
    pub query_to: Vec<SocketAddrV4>,
    /// The address agents are told to report to (default: this host's
    /// address towards the first `query_to`).
    pub advertise_ip: Option<Ipv4Addr>,
    /// A node is online with a report within this window.
    pub online_window: Duration,
    /// How long heartbeats and daily rows are kept, days.
    pub retention_days: u32,
    /// Between two batched writes of the queued reports.
    pub write_interval: Duration,
    /// API tokens and what each may see; empty leaves the API open.
    pub api_tokens: Vec<(Scope, String)>,
    /// Origins allowed cross-origin requests (CORS).
    pub allowed_origins: Vec<String>,
    /// Where agents' reports may come from; empty: anywhere.
    pub report_networks: Vec<Network>,
    /// The user new nodes are registered to.
    pub auto_register_user: Option<String>,
    /// TFLOPS by device name (substring, case-insensitive).
    pub tflops: Vec<(String, f64)>,
    /// Health below this counts as a warning.
    pub warn_health: u8,
    /// Logging threshold: error, warning, info or debug.
    pub log_level: edgestat_common::log::Level,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([0, 0, 0, 0], 18081)),
            database_url: "sqlite:edgestat-fleet.db".into(),
            poll_interval: Duration::from_secs(10),
            query_to: vec![QUERY_GROUP],
            advertise_ip: None,
            online_window: Duration::from_secs(120),
            retention_days: 30,
            write_interval: crate::ingest::FLUSH_EVERY,
            api_tokens: Vec::new(),
            allowed_origins: Vec::new(),
            report_networks: Vec::new(),
            auto_register_user: None,
            tflops: Vec::new(),
            warn_health: 60,
            log_level: edgestat_common::log::Level::Info,
        }
    }
}

type Apply = fn(&mut Config, &str) -> Result<(), String>;

/// One key: its name, its help line and how a value applies.
struct Key(&'static str, &'static str, Apply);

const KEYS: &[Key] = &[
    Key("listen", "ADDR:PORT of the API and the reports [0.0.0.0:18081]", |c, v| {
        c.listen = v.parse().map_err(|_| "an address such as 0.0.0.0:18081")?;
        Ok(())
    }),
    Key(
        "database-url",
        "sqlite:PATH or postgres://user:pass@host/db [sqlite:edgestat-fleet.db]",
        |c, v| {
            let known = ["postgres://", "postgresql://", "sqlite:"];
            if v.is_empty() || (v.contains("://") && !known.iter().any(|k| v.starts_with(k))) {
                return Err("a database URL: sqlite:PATH or postgres://…".into());
            }
            c.database_url = v.to_owned();
            Ok(())
        },
    ),
    Key("poll-interval", "seconds between queries to the agents, 0 = never [10]", |c, v| {
        c.poll_interval = Duration::from_secs_f64(seconds(v, 0.0, 86_400.0)?);
        Ok(())
    }),
    Key("query-to", "where queries go, comma-separated ADDR:PORT [239.192.168.80:3980]", |c, v| {
        c.query_to = list(v)
            .map(|a| a.parse().map_err(|_| format!("{a}: not an IPv4 ADDR:PORT")))
            .collect::<Result<_, _>>()?;
        Ok(())
    }),
    Key(
        "advertise-ip",
        "the IPv4 address agents report to [this host's, towards the first --query-to]",
        |c, v| {
            c.advertise_ip = Some(v.parse().map_err(|_| "an IPv4 address")?);
            Ok(())
        },
    ),
    Key("online-window", "seconds without a report before a node is offline [120]", |c, v| {
        c.online_window = Duration::from_secs_f64(seconds(v, 1.0, 86_400.0)?);
        Ok(())
    }),
    Key(
        "write-interval",
        "seconds between batched writes of the reports (longer: fewer commits) [0.5]",
        |c, v| {
            c.write_interval = Duration::from_secs_f64(seconds(v, 0.05, 60.0)?);
            Ok(())
        },
    ),
    Key("retention-days", "days of heartbeats and daily rows kept [30]", |c, v| {
        c.retention_days =
            v.parse().ok().filter(|d| (1..=3650).contains(d)).ok_or("days, 1 to 3650")?;
        Ok(())
    }),
    Key(
        "api-tokens",
        "comma-separated USER_ID:TOKEN (or *:TOKEN for every user); unset leaves the API open",
        |c, v| {
            c.api_tokens = list(v)
                .map(|pair| {
                    let (user, token) = pair.split_once(':').ok_or("USER_ID:TOKEN pairs")?;
                    if user.is_empty() || user.chars().count() > 32 || token.len() < 16 {
                        return Err(
                            "USER_ID (1-32 characters):TOKEN (16 characters or more)".to_owned()
                        );
                    }
                    let scope = if user == "*" { Scope::All } else { Scope::User(user.to_owned()) };
                    Ok((scope, token.to_owned()))
                })
                .collect::<Result<_, _>>()?;
            Ok(())
        },
    ),
    Key(
        "allowed-origins",
        "comma-separated origins allowed cross-origin calls (CORS) [none]",
        |c, v| {
            c.allowed_origins = list(v).map(str::to_owned).collect();
            Ok(())
        },
    ),
    Key(
        "report-networks",
        "comma-separated ADDR/PREFIX that agents may report from (403 otherwise) [anywhere]",
        |c, v| {
            c.report_networks = list(v)
                .map(|n| Network::parse(n).ok_or_else(|| format!("{n}: not an ADDR/PREFIX")))
                .collect::<Result<_, _>>()?;
            Ok(())
        },
    ),
    Key(
        "auto-register-user",
        "USER_ID that new nodes are registered to [none: unowned until claimed]",
        |c, v| {
            if v.is_empty() || v.chars().count() > 32 {
                return Err("a user id of 1-32 characters".into());
            }
            c.auto_register_user = Some(v.to_owned());
            Ok(())
        },
    ),
    Key("tflops", "comma-separated NAME=TFLOPS, NAME matched in device names [none]", |c, v| {
        c.tflops = list(v)
            .map(|pair| {
                let (name, tf) = pair.rsplit_once('=').ok_or("NAME=TFLOPS pairs")?;
                let tf: f64 = tf
                    .trim()
                    .parse()
                    .ok()
                    .filter(|t: &f64| t.is_finite() && *t >= 0.0)
                    .ok_or("a TFLOPS number")?;
                Ok((name.trim().to_owned(), tf))
            })
            .collect::<Result<_, &str>>()?;
        Ok(())
    }),
    Key("warn-health", "health below this counts in systems_warnings_number [60]", |c, v| {
        c.warn_health = v.parse().ok().filter(|h| *h <= 100).ok_or("0 to 100")?;
        Ok(())
    }),
    Key("log-level", "error, warning, info or debug [info]", |c, v| {
        c.log_level =
            edgestat_common::log::Level::parse(v).ok_or("error, warning, info or debug")?;
        Ok(())
    }),
];

fn list(v: &str) -> impl Iterator<Item = &str> {
    v.split(',').map(str::trim).filter(|s| !s.is_empty())
}

fn seconds(v: &str, min: f64, max: f64) -> Result<f64, String> {
    v.parse()
        .ok()
        .filter(|s: &f64| (min..=max).contains(s))
        .ok_or_else(|| format!("seconds, {min} to {max}"))
}

/// The `--help` text of `run`.
pub fn help() -> String {
    let mut out = String::from(
        "usage: edgestat-fleet run [--config FILE] [--KEY VALUE]...\n\nEvery KEY may also be set as EDGESTAT_FLEET_KEY (upper case, _ for -)\nor as `key = value` in the --config file.\n\n",
    );
    for Key(name, help, _) in KEYS {
        out.push_str(&format!("  --{name:<20} {help}\n"));
    }
    out
}

/// Parses `args` (after `run`), the environment and the config file.
pub fn load(args: &[String], env: impl Fn(&str) -> Option<String>) -> Result<Config, String> {
    let mut flags: Vec<(String, String)> = Vec::new();
    let mut file = env("EDGESTAT_FLEET_CONFIG");
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let Some(flag) = arg.strip_prefix("--") else {
            return Err(format!("{arg}: expected --KEY VALUE"));
        };
        let (name, value) = match flag.split_once('=') {
            Some((n, v)) => (n.to_owned(), v.to_owned()),
            None => (flag.to_owned(), it.next().ok_or(format!("--{flag} needs a value"))?.clone()),
        };
        if name == "config" {
            file = Some(value);
        } else if KEYS.iter().any(|k| k.0 == name) {
            flags.push((name, value));
        } else {
            return Err(format!("--{name}: unknown option (see edgestat-fleet run --help)"));
        }
    }
    let mut c = Config::default();
    // Lowest precedence first: the file, the environment, the flags.
    if let Some(path) = file {
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
        let entries =
            toml::parse(&text).map_err(|e| format!("{path}:{}: {}", e.line, e.message))?;
        for entry in entries {
            let name = entry.key.replace('_', "-");
            let value = match entry.value {
                toml::Value::Str(v) | toml::Value::Float(v) => v,
                toml::Value::Int(n) => n.to_string(),
                toml::Value::Bool(b) => b.to_string(),
                toml::Value::List(items) => items.join(","),
            };
            set(&mut c, &name, &value).map_err(|e| format!("{path}:{}: {e}", entry.line))?;
        }
    }
    for Key(name, _, _) in KEYS {
        let var = format!("EDGESTAT_FLEET_{}", name.to_uppercase().replace('-', "_"));
        if let Some(value) = env(&var) {
            set(&mut c, name, &value).map_err(|e| format!("{var}: {e}"))?;
        }
    }
    for (name, value) in flags {
        set(&mut c, &name, &value).map_err(|e| format!("--{e}"))?;
    }
    Ok(c)
}

fn set(c: &mut Config, name: &str, value: &str) -> Result<(), String> {
    let key = KEYS.iter().find(|k| k.0 == name).ok_or(format!("{name}: unknown key"))?;
    (key.2)(c, value).map_err(|why| {
        if toml::is_secret(name) {
            format!("{name}: the value (not shown: it holds a secret): expected {why}")
        } else {
            format!("{name}: {value:?}: expected {why}")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn flags_beat_environment_beats_file() {
        let dir = std::env::temp_dir().join(format!("fleet-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("fleet.toml");
        std::fs::write(
            &file,
            "# fleet\npoll_interval = 30\nretention_days = 7\nquery_to = [\"10.0.0.5:3980\", \"10.0.0.6:3980\"]\ndatabase_url = \"sqlite:/var/lib/fleet.db\"\n",
        )
        .unwrap();
        let env = |k: &str| (k == "EDGESTAT_FLEET_RETENTION_DAYS").then(|| "14".to_owned());
        let c =
            load(&args(&["--config", file.to_str().unwrap(), "--poll-interval=5"]), env).unwrap();
        assert_eq!(c.poll_interval, Duration::from_secs(5));
        assert_eq!(c.retention_days, 14);
        assert_eq!(c.query_to.len(), 2);
        assert_eq!(c.database_url, "sqlite:/var/lib/fleet.db");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn report_networks_are_read_and_refused_by_name() {
        let none = |_: &str| None;
        let c = load(&args(&["--report-networks", "10.0.0.0/8, fd00::/8"]), none).unwrap();
        assert_eq!(
            c.report_networks,
            [Network::parse("10.0.0.0/8").unwrap(), Network::parse("fd00::/8").unwrap()]
        );
        let e = load(&args(&["--report-networks", "10.0.0.0/8,nonsense"]), none).unwrap_err();
        assert!(e.contains("report-networks") && e.contains("nonsense"), "{e}");
    }

    #[test]
    fn bad_values_name_the_key() {
        let none = |_: &str| None;
        let e = load(&args(&["--poll-interval", "soon"]), none).unwrap_err();
        assert!(e.contains("poll-interval") && e.contains("seconds"), "{e}");
        let e = load(&args(&["--api-tokens", "12:short"]), none).unwrap_err();
        assert!(e.contains("16 characters") && !e.contains("short"), "{e}");
        let e = load(&args(&["--database-url", "mysql://u:s3cret@db"]), none).unwrap_err();
        assert!(e.contains("database-url") && !e.contains("s3cret"), "{e}");
        let e = load(&args(&["--write-interval", "0.001"]), none).unwrap_err();
        assert!(e.contains("write-interval") && e.contains("0.05 to 60"), "{e}");
        let c = load(&args(&["--write-interval", "2.5"]), none).unwrap();
        assert_eq!(c.write_interval, Duration::from_millis(2_500));
        let e = load(&args(&["--bogus", "1"]), none).unwrap_err();
        assert!(e.contains("unknown option"), "{e}");
        let c = load(
            &args(&[
                "--api-tokens",
                "12:aaaaaaaaaaaaaaaa,*:bbbbbbbbbbbbbbbb",
                "--tflops",
                "AGX Orin=5.3, RTX 4090=82.6",
            ]),
            none,
        )
        .unwrap();
        assert_eq!(c.api_tokens[0].0, Scope::User("12".into()));
        assert_eq!(c.api_tokens[1].0, Scope::All);
        assert_eq!(c.tflops, [("AGX Orin".to_owned(), 5.3), ("RTX 4090".to_owned(), 82.6)]);
    }
}
