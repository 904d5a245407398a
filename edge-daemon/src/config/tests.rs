//! The configuration as a whole: precedence, origins, names, bounds and
//! the messages for each source, against real files in a temp directory.

use core::sync::atomic::{AtomicUsize, Ordering};
use std::path::PathBuf;

use super::*;

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("edgestat-config-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    /// Writes `text` to `name` in the directory; returns its path.
    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Loads with `args` and `vars` as the whole environment, in `dir` as the
/// working directory. Unless `vars` names one, the TOML file is
/// `dir/edgestat.toml` (created empty if missing), so the machine's own
/// /etc/edgestat/edgestat.toml never leaks into a test.
fn load_in(dir: &TempDir, args: &[&str], vars: &[(&str, &str)]) -> Result<Loaded, String> {
    let toml = dir.0.join("edgestat.toml");
    if !toml.exists() {
        dir.file("edgestat.toml", "");
    }
    let toml = toml.display().to_string();
    let env = |name: &str| {
        let found = vars.iter().find(|(var, _)| *var == name).map(|(_, v)| (*v).to_owned());
        found.or_else(|| (name == CONFIG_VAR).then(|| toml.clone()))
    };
    load_with(args, &env, &dir.0)
}

fn load_ok(dir: &TempDir, args: &[&str], vars: &[(&str, &str)]) -> Loaded {
    load_in(dir, args, vars).unwrap_or_else(|e| panic!("{args:?} {vars:?}: {e}"))
}

fn load_err(dir: &TempDir, args: &[&str], vars: &[(&str, &str)]) -> String {
    match load_in(dir, args, vars) {
        Ok(loaded) => panic!("{args:?} {vars:?} loaded:\n{loaded}"),
        Err(message) => message,
    }
}

/// The printed line for `key`.
fn line(loaded: &Loaded, key: &str) -> String {
    let text = loaded.to_string();
    let found = text.lines().find(|l| l.starts_with(&format!("{key} = ")));
    found.unwrap_or_else(|| panic!("no {key} in\n{text}")).to_owned()
}

#[test]
fn nothing_set_gives_the_defaults() {
    let dir = TempDir::new();
    let loaded = load_ok(&dir, &[], &[]);
    assert_eq!(loaded.config, Config::default());
    for spec in &KEYS {
        assert_eq!(loaded.origin(spec.name), Some(&Origin::Default), "{}", spec.name);
    }
    assert_eq!(loaded.origin("nope"), None);
    assert_eq!(loaded.env_file, SourceFile { path: dir.0.join(".env"), read: false });
    assert_eq!(loaded.toml_file, SourceFile { path: dir.0.join("edgestat.toml"), read: true });
    let expected = format!(
        "# TOML file: {} (read)
# .env file: {} (not found)
host = \"127.0.0.1\"  (default)
port = 58090  (default)
debug = false  (default)
log_level = \"INFO\"  (default)
max_connections = 10  (default)
max_http_connections = 64  (default)
max_http_connections_per_ip = 16  (default)
max_connections_per_ip = 4  (default)
update_interval = 1  (default)
tegrastats_interval = 1  (default)
vcgencmd_interval = 5  (default)
cache_seconds = 2  (default)
rate_limit_enabled = true  (default)
rate_limit_requests = 60  (default)
rate_limit_window = 60  (default)
token = \"\"  (default)
token_file = \"\"  (default)
allowed_origins = \"\"  (default)
agent = false  (default)
agent_group = \"239.192.168.80:3980\"  (default)
agent_interface = \"0.0.0.0\"  (default)
agent_managers = \"\"  (default)
agent_box_id = 0  (default)
agent_slot_id = 0  (default)
agent_cpu_id = 0  (default)
agent_srio_id = 0  (default)
agent_service_port = 23980  (default)
agent_box_type = \"\"  (default)
agent_board_type = \"\"  (default)
agent_cpu_type = \"\"  (default)
agent_resource_type = \"\"  (default)
agent_client_id = \"\"  (default)
deploy_token = \"\"  (default)
deploy_token_file = \"\"  (default)
deploy_allow = \"\"  (default)
deploy_require_sha256 = false  (default)
deploy_dir = \"/var/lib/edgestat/deploy\"  (default)
docker_socket = \"/var/run/docker.sock\"  (default)
expose_serial = false  (default)
sysfs = \"/sys\"  (default)
procfs = \"/proc\"  (default)
rootfs = \"/\"  (default)
tegrastats = \"tegrastats\"  (default)
vcgencmd = \"vcgencmd\"  (default)
",
        dir.path("edgestat.toml"),
        dir.path(".env")
    );
    assert_eq!(loaded.to_string(), expected);
}

#[test]
fn each_level_wins_over_the_ones_below_and_is_recorded() {
    let dir = TempDir::new();
    let toml = dir.file(
        "edgestat.toml",
        "# every level sets port\nport = 1000\nhost = \"toml\"\nlog_level = \"debug\"\n\
         cache_seconds = 9\n",
    );
    let dotenv =
        dir.file(".env", "EDGESTAT_PORT=2000\nEDGESTAT_HOST=dotenv\nPISTAT_CACHE_SECONDS=5\n");
    let vars = [("EDGESTAT_PORT", "3000"), ("EDGESTAT_HOST", "0.0.0.0")];
    let loaded = load_ok(&dir, &["--port", "4000"], &vars);

    let c = &loaded.config;
    assert_eq!((c.port, c.host.as_str()), (4000, "0.0.0.0"));
    assert_eq!((c.cache_seconds, c.log_level), (Duration::from_secs(5), LogLevel::Debug));
    assert_eq!(c.max_connections, 10);
    assert_eq!(c.max_http_connections, 64);
    assert_eq!(loaded.origin("port"), Some(&Origin::Flag("--port".into())));
    assert_eq!(loaded.origin("host"), Some(&Origin::Env("EDGESTAT_HOST".into())));
    assert_eq!(loaded.origin("cache_seconds"), Some(&Origin::DotEnv(dotenv.clone())));
    assert_eq!(loaded.origin("log_level"), Some(&Origin::Toml(toml.clone())));
    assert_eq!(loaded.origin("max_connections"), Some(&Origin::Default));

    assert_eq!(line(&loaded, "port"), "port = 4000  (flag --port)");
    assert_eq!(line(&loaded, "host"), "host = \"0.0.0.0\"  (env EDGESTAT_HOST)");
    assert_eq!(
        line(&loaded, "cache_seconds"),
        format!("cache_seconds = 5  (.env {}: PISTAT_CACHE_SECONDS)", dotenv.display())
    );
    assert_eq!(
        line(&loaded, "log_level"),
        format!("log_level = \"DEBUG\"  (toml {}: line 4)", toml.display())
    );
    assert_eq!(line(&loaded, "max_connections"), "max_connections = 10  (default)");

    // Take the top level away, one at a time.
    let loaded = load_ok(&dir, &[], &vars);
    assert_eq!(loaded.config.port, 3000);
    assert_eq!(loaded.origin("port"), Some(&Origin::Env("EDGESTAT_PORT".into())));
    let loaded = load_ok(&dir, &[], &[]);
    assert_eq!((loaded.config.port, loaded.config.host.as_str()), (2000, "dotenv"));
    assert_eq!(loaded.origin("port"), Some(&Origin::DotEnv(dotenv)));
    std::fs::remove_file(dir.0.join(".env")).unwrap();
    let loaded = load_ok(&dir, &[], &[]);
    assert_eq!((loaded.config.port, loaded.config.host.as_str()), (1000, "toml"));
    assert_eq!(loaded.origin("port"), Some(&Origin::Toml(toml)));
}

#[test]
fn pistat_names_are_read_and_edgestat_names_win() {
    let dir = TempDir::new();
    let vars = [
        ("PISTAT_PORT", "5000"),
        ("PISTAT_DEBUG", "True"),
        ("PISTAT_LOG_LEVEL", "warn"),
        ("PISTAT_RATE_LIMIT_ENABLED", "True"),
        ("EDGESTAT_RATE_LIMIT_ENABLED", "no"),
    ];
    let loaded = load_ok(&dir, &[], &vars);
    let c = &loaded.config;
    assert_eq!(
        (c.port, c.debug, c.log_level, c.rate_limit_enabled),
        (5000, true, LogLevel::Warning, false)
    );
    assert_eq!(loaded.origin("port"), Some(&Origin::Env("PISTAT_PORT".into())));
    assert_eq!(
        loaded.origin("rate_limit_enabled"),
        Some(&Origin::Env("EDGESTAT_RATE_LIMIT_ENABLED".into()))
    );

    // In .env, EDGESTAT_ wins wherever it is; for one name the last line wins.
    let dotenv = dir.file(
        ".env",
        "EDGESTAT_RATE_LIMIT_REQUESTS=10\nPISTAT_RATE_LIMIT_REQUESTS=20\n\
         PISTAT_RATE_LIMIT_WINDOW=30\nPISTAT_RATE_LIMIT_WINDOW=40\nPISTAT_HOST=pi.local\n",
    );
    let loaded = load_ok(&dir, &[], &[]);
    let c = &loaded.config;
    assert_eq!((c.rate_limit_requests, c.rate_limit_window), (10, Duration::from_secs(40)));
    assert_eq!(c.host, "pi.local");
    let shown = dotenv.display();
    assert_eq!(
        line(&loaded, "rate_limit_requests"),
        format!("rate_limit_requests = 10  (.env {shown}: EDGESTAT_RATE_LIMIT_REQUESTS)")
    );
    assert_eq!(
        line(&loaded, "rate_limit_window"),
        format!("rate_limit_window = 40  (.env {shown}: PISTAT_RATE_LIMIT_WINDOW)")
    );
}

#[test]
fn every_key_is_read_from_every_source() {
    let dir = TempDir::new();
    dir.file("secret.txt", "s3cret\n");
    for spec in &KEYS {
        let (text, toml) = match spec.value {
            "" => ("true", "true"),
            "PORT" | "N" | "SECONDS" => ("7", "7"),
            "LEVEL" => ("debug", "\"debug\""),
            "LIST" => ("https://x.example", "\"https://x.example\""),
            "ADDR:PORT" => ("239.1.2.3:4000", "\"239.1.2.3:4000\""),
            "IPV4" => ("10.0.0.2", "\"10.0.0.2\""),
            "NETWORKS" => ("10.0.0.0/8", "\"10.0.0.0/8\""),
            "URLS" => ("http://repo.example/", "\"http://repo.example/\""),
            "HEX32" => ("4b0e5a1d8c6f4e2a9d7b3c1f0e8a6d42", "\"4b0e5a1d8c6f4e2a9d7b3c1f0e8a6d42\""),
            "FILE" => ("secret.txt", "\"secret.txt\""),
            _ => ("/x", "\"/x\""),
        };
        for var in spec.env {
            let loaded = load_ok(&dir, &[], &[(var, text)]);
            assert_eq!(loaded.origin(spec.name), Some(&Origin::Env((*var).into())), "{var}");
            let dotenv = dir.file(".env", &format!("{var}={text}\n"));
            let loaded = load_ok(&dir, &[], &[]);
            assert_eq!(loaded.origin(spec.name), Some(&Origin::DotEnv(dotenv)), "{var}");
            std::fs::remove_file(dir.0.join(".env")).unwrap();
        }
        let path = dir.file("edgestat.toml", &format!("{} = {toml}\n", spec.name));
        let loaded = load_ok(&dir, &[], &[]);
        assert_eq!(loaded.origin(spec.name), Some(&Origin::Toml(path)), "{}", spec.name);
        dir.file("edgestat.toml", "");
        for flag in spec.flags {
            let flag = flag.name();
            let args: Vec<&str> = if spec.value.is_empty() { vec![flag] } else { vec![flag, text] };
            let loaded = load_ok(&dir, &args, &[]);
            assert_eq!(loaded.origin(spec.name), Some(&Origin::Flag(flag.into())), "{flag}");
            // A switch to the default value (--rate-limit, --no-agent) changes nothing.
            if flag != "--rate-limit" && flag != "--no-agent" {
                assert_ne!(
                    (spec.show)(&loaded.config),
                    (spec.show)(&Config::default()),
                    "{flag} {text} changes nothing"
                );
            }
        }
    }
}

#[test]
fn short_flags_and_switches() {
    let dir = TempDir::new();
    let args = ["-h", "0.0.0.0", "-p", "8080", "--debug", "--expose-serial", "--no-rate-limit"];
    let loaded = load_ok(&dir, &args, &[("EDGESTAT_DEBUG", "false")]);
    let c = &loaded.config;
    assert_eq!((c.host.as_str(), c.port), ("0.0.0.0", 8080));
    assert_eq!((c.debug, c.expose_serial, c.rate_limit_enabled), (true, true, false));
    assert_eq!(loaded.origin("host"), Some(&Origin::Flag("-h".into())));
    assert_eq!(line(&loaded, "port"), "port = 8080  (flag -p)");
    assert_eq!(
        line(&loaded, "rate_limit_enabled"),
        "rate_limit_enabled = false  (flag --no-rate-limit)"
    );
    let loaded = load_ok(&dir, &["--port=1", "-p", "0", "--no-rate-limit", "--rate-limit"], &[]);
    assert_eq!((loaded.config.port, loaded.config.rate_limit_enabled), (0, true));
}

#[test]
fn durations_are_decimal_seconds_within_bounds() {
    let dir = TempDir::new();
    let secs = |flag: &str, value: &str| {
        let loaded = load_in(&dir, &[flag, value], &[])?;
        let spec = KEYS.iter().find(|s| s.flags.first().unwrap().name() == flag).unwrap();
        Ok::<_, String>((spec.show)(&loaded.config))
    };
    let c = load_ok(&dir, &["--update-interval", "0.5", "--cache-seconds", "2"], &[]).config;
    assert_eq!(
        (c.update_interval, c.cache_seconds),
        (Duration::from_millis(500), Duration::from_secs(2))
    );
    for (flag, value, shown) in [
        ("--update-interval", "0.1", "0.1"),
        ("--update-interval", "3600", "3600"),
        ("--update-interval", "1.250", "1.25"),
        ("--update-interval", "0.000000001e0", ""),
        ("--tegrastats-interval", "0.1", "0.1"),
        ("--vcgencmd-interval", "1", "1"),
        ("--cache-seconds", "0", "0"),
        ("--cache-seconds", "0.75", "0.75"),
        ("--rate-limit-window", "1", "1"),
        ("--rate-limit-window", "86400", "86400"),
    ] {
        if shown.is_empty() {
            continue;
        }
        assert_eq!(secs(flag, value), Ok(shown.into()), "{flag} {value}");
    }
    for (flag, value, message) in [
        ("--update-interval", "0.05", "`--update-interval`: `0.05` is below the minimum of 0.1 s"),
        (
            "--update-interval",
            "3600.5",
            "`--update-interval`: `3600.5` is above the maximum of 3600 s",
        ),
        (
            "--update-interval",
            "fast",
            "`--update-interval`: `fast`: expected seconds, e.g. 1 or 0.5",
        ),
        ("--update-interval", "-1", "`--update-interval`: `-1`: expected seconds, e.g. 1 or 0.5"),
        ("--update-interval", ".5", "`--update-interval`: `.5`: expected seconds, e.g. 1 or 0.5"),
        ("--update-interval", "1e3", "`--update-interval`: `1e3`: expected seconds, e.g. 1 or 0.5"),
        (
            "--update-interval",
            "0.0000000001",
            "`--update-interval`: `0.0000000001`: expected seconds, e.g. 1 or 0.5",
        ),
        (
            "--update-interval",
            "99999999999999999999",
            "`--update-interval`: `99999999999999999999`: expected seconds, e.g. 1 or 0.5",
        ),
        (
            "--update-interval",
            "",
            "`--update-interval`: the value is empty: expected seconds, e.g. 1 or 0.5",
        ),
        (
            "--tegrastats-interval",
            "0.09",
            "`--tegrastats-interval`: `0.09` is below the minimum of 0.1 s",
        ),
        ("--vcgencmd-interval", "0.5", "`--vcgencmd-interval`: `0.5` is below the minimum of 1 s"),
        ("--cache-seconds", "3601", "`--cache-seconds`: `3601` is above the maximum of 3600 s"),
        ("--rate-limit-window", "0", "`--rate-limit-window`: `0` is below the minimum of 1 s"),
        (
            "--rate-limit-window",
            "1.5",
            "`--rate-limit-window`: `1.5`: expected whole seconds, e.g. 60",
        ),
        (
            "--rate-limit-window",
            "86401",
            "`--rate-limit-window`: `86401` is above the maximum of 86400 s",
        ),
    ] {
        assert_eq!(secs(flag, value), Err(message.into()), "{flag} {value}");
    }
}

#[test]
fn numbers_and_words_are_checked() {
    let dir = TempDir::new();
    for (args, message) in [
        (&["--port", "70000"][..], "`--port`: `70000` is not a port (0-65535)"),
        (&["-p", "65536"], "`-p`: `65536` is not a port (0-65535)"),
        (&["--port=http"], "`--port`: `http` is not a port (0-65535)"),
        (&["--port="], "`--port`: an empty value is not a port (0-65535)"),
        (&["--max-connections", "0"], "`--max-connections`: `0` is below the minimum of 1"),
        (&["--max-connections", "-3"], "`--max-connections`: `-3` is not a whole number"),
        (
            &["--rate-limit-requests", "4294967296"],
            "`--rate-limit-requests`: `4294967296` is above the maximum of 4294967295",
        ),
        (&["--log-level", "loud"], "`--log-level`: `loud`: expected ERROR, WARNING, INFO or DEBUG"),
        (&["-h", "my host"], "`-h`: `my host`: expected a host name or IP address"),
        (&["--host="], "`--host`: the value is empty: expected a host name or IP address"),
        (&["--sysfs="], "`--sysfs`: the value is empty: expected a path"),
        (&["--port", "1", "--bogus"], "unknown option `--bogus`"),
        (&["run"], "unexpected argument `run`"),
        (&["--debug=yes"], "`--debug` takes no value"),
        (&["--port"], "`--port` needs a value"),
    ] {
        assert_eq!(load_err(&dir, args, &[]), message, "{args:?}");
    }
    for (name, level) in [
        ("error", LogLevel::Error),
        ("Warning", LogLevel::Warning),
        ("WARN", LogLevel::Warning),
        ("info", LogLevel::Info),
        ("DEBUG", LogLevel::Debug),
    ] {
        assert_eq!(load_ok(&dir, &["--log-level", name], &[]).config.log_level, level);
        assert_eq!(LogLevel::parse(&level.to_string()), Some(level));
    }
    for (value, debug) in
        [("TRUE", true), ("yes", true), ("1", true), ("False", false), ("NO", false), ("0", false)]
    {
        assert_eq!(load_ok(&dir, &[], &[("EDGESTAT_DEBUG", value)]).config.debug, debug, "{value}");
    }
}

#[test]
fn environment_errors_name_the_variable() {
    let dir = TempDir::new();
    assert_eq!(
        load_err(&dir, &[], &[("PISTAT_PORT", "70000")]),
        "environment variable PISTAT_PORT: `70000` is not a port (0-65535)"
    );
    assert_eq!(
        load_err(&dir, &[], &[("EDGESTAT_DEBUG", "maybe")]),
        "environment variable EDGESTAT_DEBUG: `maybe`: expected true or false (or yes/no, 1/0)"
    );
    // Unknown variables in the real environment are someone else's.
    let loaded = load_ok(&dir, &[], &[("EDGESTAT_PROT", "1"), ("PISTAT_COLOR", "red")]);
    assert_eq!(loaded.config, Config::default());
}

#[test]
fn dotenv_errors_name_the_file_and_line() {
    let dir = TempDir::new();
    let path = dir.path(".env");
    for (text, message) in [
        (
            "# ok\nPISTAT_PORT=70000\n",
            format!("{path} line 2: PISTAT_PORT: `70000` is not a port (0-65535)"),
        ),
        (
            "EDGESTAT_UPDATE_INTERVAL='fast'",
            format!(
                "{path} line 1: EDGESTAT_UPDATE_INTERVAL: `fast`: expected seconds, e.g. 1 or 0.5"
            ),
        ),
        ("TZ=UTC\nEDGESTAT_PROT=1\n", format!("{path} line 2: unknown variable EDGESTAT_PROT")),
        ("EDGESTAT_PORT 1\n", format!("{path} line 1: `EDGESTAT_PORT 1`: expected KEY=value")),
        (
            "EDGESTAT_ENV_FILE=x\n",
            format!(
                "{path} line 1: EDGESTAT_ENV_FILE cannot be set in a .env file; use `--env-file` or the environment"
            ),
        ),
    ] {
        dir.file(".env", text);
        assert_eq!(load_err(&dir, &[], &[]), message, "{text}");
    }
    // Other tools' variables, and piStat's that edgestat does not use, are fine.
    let dotenv =
        dir.file(".env", "TZ=UTC\nPISTAT_THEME=dark\nexport EDGESTAT_TOKEN=\"s3cret\"  # api\n");
    let loaded = load_ok(&dir, &[], &[]);
    assert_eq!(loaded.config.token.as_deref(), Some("s3cret"));
    assert_eq!(loaded.env_file, SourceFile { path: dotenv, read: true });
}

#[test]
fn toml_errors_name_the_file_line_and_text() {
    let dir = TempDir::new();
    let path = dir.path("edgestat.toml");
    for (text, message) in [
        (
            "# edgestat\nhost = \"0.0.0.0\"\n\nupdate_interval = \"fast\"  # oops\n",
            format!("{path} line 4: `update_interval = \"fast\"`: expected seconds, e.g. 1 or 0.5"),
        ),
        ("port = 70000", format!("{path} line 1: `port = 70000`: not a port (0-65535)")),
        ("port = \"8080\"", format!("{path} line 1: `port = \"8080\"`: not a port (0-65535)")),
        ("debug = \"yes\"", format!("{path} line 1: `debug = \"yes\"`: expected true or false")),
        ("debug = 1", format!("{path} line 1: `debug = 1`: expected true or false")),
        ("host = 1", format!("{path} line 1: `host = 1`: expected a host name or IP address")),
        (
            "update_interval = 0.05",
            format!("{path} line 1: `update_interval = 0.05`: below the minimum of 0.1 s"),
        ),
        (
            "rate_limit_window = 1.5",
            format!("{path} line 1: `rate_limit_window = 1.5`: expected whole seconds, e.g. 60"),
        ),
        (
            "max_connections = -1",
            format!("{path} line 1: `max_connections = -1`: not a whole number"),
        ),
        ("colour = 1", format!("{path} line 1: unknown key `colour`")),
        (
            "log-level = \"info\"",
            format!("{path} line 1: unknown key `log-level` (did you mean `log_level`?)"),
        ),
        (
            "port = 1\n[server]\nport = 2",
            format!(
                "{path} line 2: `[server]`: tables are not supported; write every key at the top level"
            ),
        ),
        ("port = 1\nport = 2", format!("{path} line 2: `port` is already set on line 1")),
    ] {
        dir.file("edgestat.toml", text);
        assert_eq!(load_err(&dir, &[], &[]), message, "{text}");
    }
    dir.file(
        "edgestat.toml",
        "update_interval = 0.5\ntegrastats_interval = 2\ncache_seconds = 0\ntoken = ''\n\
         sysfs = '/fixture/sys'\nrate_limit_enabled = false\n",
    );
    let c = load_ok(&dir, &[], &[]).config;
    assert_eq!(
        (c.update_interval, c.tegrastats_interval),
        (Duration::from_millis(500), Duration::from_secs(2))
    );
    assert_eq!((c.cache_seconds, c.token, c.rate_limit_enabled), (Duration::ZERO, None, false));
    assert_eq!(c.roots.sysfs, PathBuf::from("/fixture/sys"));
}

#[test]
fn files_are_found_by_flag_variable_or_default() {
    let dir = TempDir::new();
    dir.file("other.toml", "port = 1");
    dir.file("other.env", "EDGESTAT_HOST=from-other-env");
    dir.file(".env", "EDGESTAT_HOST=from-dotenv\nEDGESTAT_CONFIG=other.toml\n");
    // EDGESTAT_CONFIG in .env names the TOML file (relative to the working directory)...
    let env = |_: &str| None;
    let loaded = load_with(&[], &env, &dir.0).unwrap();
    assert_eq!(loaded.config.port, 1);
    assert_eq!(loaded.toml_file, SourceFile { path: dir.0.join("other.toml"), read: true });
    // ... and so do --config and the environment, above it.
    let other = dir.path("other.toml");
    let loaded = load_ok(&dir, &["--config", &other, "--env-file=other.env"], &[]);
    assert_eq!((loaded.config.port, loaded.config.host.as_str()), (1, "from-other-env"));
    let loaded = load_ok(&dir, &[], &[(ENV_FILE_VAR, "other.env"), (CONFIG_VAR, "other.toml")]);
    assert_eq!((loaded.config.port, loaded.config.host.as_str()), (1, "from-other-env"));
    assert_eq!(loaded.env_file, SourceFile { path: dir.0.join("other.env"), read: true });

    // A named file must exist; the default ones need not.
    let missing = dir.path("missing.toml");
    assert_eq!(
        load_err(&dir, &["--config", &missing], &[]),
        format!("`--config`: cannot read {missing}: No such file or directory (os error 2)")
    );
    assert_eq!(
        load_err(&dir, &[], &[(CONFIG_VAR, &missing)]),
        format!("EDGESTAT_CONFIG: cannot read {missing}: No such file or directory (os error 2)")
    );
    assert_eq!(
        load_err(&dir, &[], &[(ENV_FILE_VAR, "nope.env")]),
        format!(
            "EDGESTAT_ENV_FILE: cannot read {}: No such file or directory (os error 2)",
            dir.path("nope.env")
        )
    );
    assert_eq!(load_err(&dir, &[], &[(CONFIG_VAR, "")]), "EDGESTAT_CONFIG: the file name is empty");
    dir.file(".env", "EDGESTAT_CONFIG=gone.toml\n");
    assert_eq!(
        load_with(&[], &env, &dir.0).unwrap_err(),
        format!(
            "{} line 1: EDGESTAT_CONFIG: cannot read {}: No such file or directory (os error 2)",
            dir.path(".env"),
            dir.path("gone.toml")
        )
    );
    std::fs::remove_file(dir.0.join(".env")).unwrap();
    if !Path::new(DEFAULT_TOML).exists() {
        let loaded = load_with(&[], &env, &dir.0).unwrap();
        assert_eq!(loaded.toml_file, SourceFile { path: DEFAULT_TOML.into(), read: false });
        assert_eq!(loaded.config, Config::default());
    }

    // Files that exist must be readable, small and UTF-8.
    std::fs::create_dir(dir.0.join(".env")).unwrap();
    assert_eq!(
        load_err(&dir, &[], &[]),
        format!("cannot read {}: Is a directory (os error 21)", dir.path(".env"))
    );
    std::fs::remove_dir(dir.0.join(".env")).unwrap();
    dir.file("edgestat.toml", &"# padding\n".repeat(MAX_FILE_BYTES / 10 + 1));
    assert_eq!(
        load_err(&dir, &[], &[]),
        format!(
            "EDGESTAT_CONFIG: cannot read {}: it is larger than 64 KiB",
            dir.path("edgestat.toml")
        )
    );
    std::fs::write(dir.0.join("edgestat.toml"), b"host = \"\xff\"").unwrap();
    assert_eq!(
        load_err(&dir, &[], &[]),
        format!("EDGESTAT_CONFIG: cannot read {}: it is not UTF-8 text", dir.path("edgestat.toml"))
    );
}

#[test]
fn the_token_is_never_printed() {
    let dir = TempDir::new();
    dir.file("edgestat.toml", "token = \"toml-secret\"\n");
    dir.file(".env", "EDGESTAT_TOKEN=dotenv-secret\n");
    for (args, vars, origin) in [
        (&["--token", "flag-secret"][..], &[("EDGESTAT_TOKEN", "env-secret")][..], "flag --token"),
        (&[], &[("EDGESTAT_TOKEN", "env-secret")], "env EDGESTAT_TOKEN"),
        (&[], &[], ".env"),
    ] {
        let loaded = load_ok(&dir, args, vars);
        assert!(loaded.config.token.as_deref().unwrap_or_default().ends_with("-secret"));
        let printed = loaded.to_string();
        assert!(!printed.contains("secret"), "{printed}");
        assert!(printed.contains(&format!("token = \"***\"  ({origin}")), "{printed}");
    }
    // Nor in an error about it.
    let message = load_err(&dir, &["--token", "flag-secret", "--port", "70000"], &[]);
    assert!(!message.contains("secret"), "{message}");
    dir.file("none.env", "");
    let loaded = load_ok(&dir, &["--env-file", "none.env"], &[]);
    assert!(loaded.to_string().contains("token = \"***\"  (toml "));
    // An empty token is no token, and overrides one set lower down.
    let loaded = load_ok(&dir, &["--token="], &[]);
    assert_eq!(loaded.config.token, None);
    assert_eq!(line(&loaded, "token"), "token = \"\"  (flag --token)");
}

#[test]
fn config_md_documents_every_name() {
    let doc = include_str!("../../../docs/configuration.md");
    for spec in &KEYS {
        assert!(
            doc.contains(&format!("`{}`", spec.name)),
            "configuration.md lacks key {}",
            spec.name
        );
        for flag in spec.flags {
            assert!(
                doc.contains(&format!("`{}", flag.name())),
                "configuration.md lacks {}",
                flag.name()
            );
        }
        for var in spec.env {
            assert!(doc.contains(&format!("`{var}`")), "configuration.md lacks {var}");
        }
    }
    for name in [CONFIG_VAR, ENV_FILE_VAR, DEFAULT_TOML, "--config", "--env-file"] {
        assert!(doc.contains(name), "configuration.md lacks {name}");
    }
}

#[test]
fn help_lists_every_flag_and_variable() {
    for help in [run_help(), config_help()] {
        for spec in &KEYS {
            for flag in spec.flags {
                assert!(help.contains(flag.name()), "{}", flag.name());
            }
            for var in spec.env {
                assert!(help.contains(var), "{var}");
            }
        }
    }
}

#[test]
fn roots_flags_beat_environment_beat_defaults() {
    let env = |key: &str| (key == "EDGESTAT_PROCFS").then(|| PathBuf::from("/env/proc"));
    let roots = roots_with_env(&["--sysfs", "/fx/sys", "--rootfs=/fx"], env).unwrap();
    assert_eq!(roots.sysfs, PathBuf::from("/fx/sys"));
    assert_eq!(roots.procfs, PathBuf::from("/env/proc"));
    assert_eq!(roots.rootfs, PathBuf::from("/fx"));
    let roots = roots_with_env(&["--procfs", "/flag/proc"], env).unwrap();
    assert_eq!(roots.procfs, PathBuf::from("/flag/proc"));
    assert_eq!(roots_with_env(&[], |_| None).unwrap(), Roots::default());
}

#[test]
fn roots_bad_flags_are_named() {
    assert_eq!(roots_with_env(&["--sysfs"], |_| None), Err("`--sysfs` needs a directory".into()));
    assert_eq!(roots_with_env(&["--sys", "x"], |_| None), Err("unknown option `--sys`".into()));
}

#[test]
fn allowed_origins_are_a_checked_list() {
    let dir = TempDir::new();
    let loaded =
        load_ok(&dir, &["--allowed-origins", "https://a.example, http://b.example:8080"], &[]);
    assert_eq!(loaded.config.allowed_origins, ["https://a.example", "http://b.example:8080"]);
    assert_eq!(
        line(&loaded, "allowed_origins"),
        "allowed_origins = \"https://a.example,http://b.example:8080\"  (flag --allowed-origins)"
    );
    let message = load_err(&dir, &["--allowed-origins", "a.example"], &[]);
    assert!(message.contains("expected origins like https://dash.example"), "{message}");
    // In TOML, the same list as an array of strings.
    dir.file(
        "edgestat.toml",
        "allowed_origins = [\"https://a.example\", 'http://b.example:8080']\n\
         deploy_allow = [\"http://repo.example/bars/\"]\nagent_managers = [\"10.0.0.0/8\"]\n",
    );
    let loaded = load_ok(&dir, &[], &[]);
    assert_eq!(loaded.config.allowed_origins, ["https://a.example", "http://b.example:8080"]);
    assert_eq!(loaded.config.deploy_allow, ["http://repo.example/bars/"]);
    assert_eq!(loaded.config.agent_managers.len(), 1);
    dir.file("edgestat.toml", "port = [\"58090\"]\n");
    let message = load_err(&dir, &[], &[]);
    assert!(message.contains("port = [\"58090\"]"), "{message}");
}

#[test]
fn agent_settings() {
    let dir = TempDir::new();
    let loaded = load_ok(
        &dir,
        &[
            "--agent",
            "--agent-group",
            "239.192.168.80:4000",
            "--agent-managers",
            "192.168.10.0/24, 10.1.2.3",
        ],
        &[("EDGESTAT_AGENT_BOX_ID", "3")],
    );
    let c = &loaded.config;
    assert!(c.agent);
    assert_eq!(c.agent_group.to_string(), "239.192.168.80:4000");
    assert_eq!(c.agent_box_id, 3);
    assert_eq!(
        line(&loaded, "agent_managers"),
        "agent_managers = \"192.168.10.0/24,10.1.2.3/32\"  (flag --agent-managers)"
    );
    for bad in ["10.0.0.0/33", "fd00::/8"] {
        let message = load_err(&dir, &["--agent-managers", bad], &[]);
        assert!(message.contains("IPv4 networks like 192.168.10.0/24"), "{message}");
    }
    let message = load_err(&dir, &["--agent-group", "localhost"], &[]);
    assert!(message.contains("a multicast group and port"), "{message}");
}

#[test]
fn tokens_come_from_files_and_never_show() {
    let dir = TempDir::new();
    dir.file("token", "  s3cret-from-a-file\n");
    dir.file("deploy-token", "d3ploy\n");
    let loaded = load_ok(
        &dir,
        &["--token-file", "token"],
        &[("EDGESTAT_DEPLOY_TOKEN_FILE", "deploy-token")],
    );
    assert_eq!(loaded.config.token.as_deref(), Some("s3cret-from-a-file"));
    assert_eq!(loaded.config.deploy_token.as_deref(), Some("d3ploy"));
    let shown = loaded.to_string();
    assert!(shown.contains("token = \"***\"") && shown.contains("token_file = \""), "{shown}");
    assert!(!shown.contains("s3cret") && !shown.contains("d3ploy"), "{shown}");
    // An empty credential is no token, and leaves one set elsewhere be.
    dir.file("empty", "\n");
    assert_eq!(load_ok(&dir, &["--token-file", "empty"], &[]).config.token, None);
    let env = [("EDGESTAT_TOKEN", "from-env")];
    assert_eq!(
        load_ok(&dir, &["--token-file", "empty"], &env).config.token.as_deref(),
        Some("from-env")
    );
    // Both is ambiguous; a missing file, or one with two words, is named
    // without its contents.
    let message = load_err(&dir, &["--token-file", "token"], &[("EDGESTAT_TOKEN", "other")]);
    assert!(message.contains("token is set") && message.contains("set one"), "{message}");
    assert!(!message.contains("s3cret") && !message.contains("other"), "{message}");
    let message = load_err(&dir, &["--token-file", "absent"], &[]);
    assert!(message.contains("token_file") && message.contains("absent"), "{message}");
    dir.file("two", "s3cret second\n");
    let message = load_err(&dir, &["--token-file", "two"], &[]);
    assert!(message.contains("more than one word") && !message.contains("s3cret"), "{message}");
}

#[test]
fn a_malformed_token_is_not_echoed() {
    let dir = TempDir::new();
    dir.file("edgestat.toml", "deploy_token = 12345678\n");
    let message = load_err(&dir, &[], &[]);
    assert!(message.contains("`deploy_token = ***`"), "{message}");
    assert!(!message.contains("12345678"), "{message}");
    // Not TOML at all (issue 14's report): the line is not quoted either.
    for line in ["token = s3cret-unquoted", "token = \"s3cret", "token = 's3cret' s3cret"] {
        dir.file("edgestat.toml", &format!("{line}\n"));
        let message = load_err(&dir, &[], &[]);
        assert!(message.contains("line 1: `token = ***`: "), "{message}");
        assert!(!message.contains("s3cret"), "{message}");
    }
}
