//! `edgestat config` as a user runs it: the real binary in a working
//! directory with a `.env`, a TOML file named by `--config`, variables in
//! its environment, and the printed lines, origins and exit codes.

use core::sync::atomic::{AtomicUsize, Ordering};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("edgestat-config-cli-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `edgestat config ARGS` in `dir` with exactly `vars` among the
/// `EDGESTAT_*` and `PISTAT_*` variables.
fn config(dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> Run {
    edgestat(dir, "config", args, vars)
}

/// Runs `edgestat COMMAND ARGS` in `dir` with exactly `vars` among the
/// `EDGESTAT_*` and `PISTAT_*` variables.
fn edgestat(dir: &Path, subcommand: &str, args: &[&str], vars: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_edgestat"));
    command.arg(subcommand).args(args).current_dir(dir);
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("EDGESTAT_") || name.starts_with("PISTAT_") {
            command.env_remove(&*name);
        }
    }
    command.envs(vars.iter().copied());
    let out = command.output().expect("edgestat runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 output"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 errors"),
    }
}

#[test]
fn prints_every_key_with_its_value_and_origin() {
    let dir = TempDir::new();
    let dotenv = dir.file(
        ".env",
        "# shared with other tools\nTZ=UTC\nPISTAT_CACHE_SECONDS=5\nEDGESTAT_PORT=2000\n\
         export EDGESTAT_TOKEN=\"dotenv-secret\"\n",
    );
    let toml = dir.file(
        "edgestat.toml",
        "# edgestat\nport = 1000\nlog_level = \"debug\"\nupdate_interval = 0.5\n",
    );
    let toml_arg = toml.to_str().unwrap();
    let run = config(
        &dir.0,
        &["--config", toml_arg, "-p", "4000", "--no-rate-limit"],
        &[("EDGESTAT_HOST", "0.0.0.0"), ("PISTAT_DEBUG", "True"), ("EDGESTAT_NOT_A_KEY", "1")],
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{}", run.stdout);
    let (toml, dotenv) = (toml.display(), dotenv.display());
    let expected = format!(
        "# TOML file: {toml} (read)
# .env file: {dotenv} (read)
host = \"0.0.0.0\"  (env EDGESTAT_HOST)
port = 4000  (flag -p)
debug = true  (env PISTAT_DEBUG)
log_level = \"DEBUG\"  (toml {toml}: line 3)
max_connections = 10  (default)
max_http_connections = 64  (default)
max_http_connections_per_ip = 16  (default)
max_connections_per_ip = 4  (default)
update_interval = 0.5  (toml {toml}: line 4)
tegrastats_interval = 1  (default)
vcgencmd_interval = 5  (default)
cache_seconds = 5  (.env {dotenv}: PISTAT_CACHE_SECONDS)
rate_limit_enabled = false  (flag --no-rate-limit)
rate_limit_requests = 60  (default)
rate_limit_window = 60  (default)
token = \"***\"  (.env {dotenv}: EDGESTAT_TOKEN)
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
"
    );
    assert_eq!(run.stdout, expected);
    assert!(!run.stdout.contains("secret"));
}

#[test]
fn names_the_files_by_variable_and_skips_missing_defaults() {
    let dir = TempDir::new();
    dir.file("site.toml", "vcgencmd_interval = 10\n");
    dir.file("site.env", "EDGESTAT_EXPOSE_SERIAL=yes\n");
    let run = config(
        &dir.0,
        &["--update-interval=2"],
        &[("EDGESTAT_CONFIG", "site.toml"), ("EDGESTAT_ENV_FILE", "site.env")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let site_toml = dir.0.join("site.toml");
    let site_env = dir.0.join("site.env");
    for line in [
        format!("vcgencmd_interval = 10  (toml {}: line 1)", site_toml.display()),
        format!("expose_serial = true  (.env {}: EDGESTAT_EXPOSE_SERIAL)", site_env.display()),
        "update_interval = 2  (flag --update-interval)".to_owned(),
    ] {
        assert!(run.stdout.lines().any(|l| l == line), "no `{line}` in\n{}", run.stdout);
    }

    // No ./.env is fine: it is the default location.
    let run = config(&dir.0, &["--config", "site.toml"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = format!("# .env file: {} (not found)", dir.0.join(".env").display());
    assert!(run.stdout.lines().any(|l| l == line), "{}", run.stdout);
}

#[test]
fn a_bad_value_exits_2_naming_the_source() {
    let dir = TempDir::new();
    let toml =
        dir.file("edgestat.toml", "# edgestat\nhost = \"0.0.0.0\"\n\nupdate_interval = \"fast\"\n");
    let toml_arg = toml.to_str().unwrap();
    let missing = dir.0.join("missing.toml");
    let missing_arg = missing.to_str().unwrap();
    for (args, vars, message) in [
        (
            &["--config", toml_arg][..],
            &[][..],
            format!(
                "{} line 4: `update_interval = \"fast\"`: expected seconds, e.g. 1 or 0.5",
                toml.display()
            ),
        ),
        (&["--port", "70000"], &[], "`--port`: `70000` is not a port (0-65535)".to_owned()),
        (
            &["--config", missing_arg],
            &[],
            format!(
                "`--config`: cannot read {}: No such file or directory (os error 2)",
                missing.display()
            ),
        ),
        (
            &[],
            &[("EDGESTAT_CONFIG", missing_arg), ("PISTAT_PORT", "1")],
            format!(
                "EDGESTAT_CONFIG: cannot read {}: No such file or directory (os error 2)",
                missing.display()
            ),
        ),
        (&["--bogus"], &[], "unknown option `--bogus`".to_owned()),
    ] {
        let run = config(&dir.0, args, vars);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stdout);
        assert_eq!(run.stderr, format!("edgestat: {message}\n"), "{args:?}");
        assert_eq!(run.stdout, "", "{args:?}");
    }

    let empty = dir.file("empty.toml", "");
    let empty_arg = empty.to_str().unwrap();
    let run = config(&dir.0, &["--config", empty_arg], &[("PISTAT_PORT", "70000")]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "edgestat: environment variable PISTAT_PORT: `70000` is not a port (0-65535)\n"
    );

    dir.file(".env", "TZ=UTC\nEDGESTAT_PROT=1\n");
    let run = config(&dir.0, &["--config", empty_arg], &[]);
    assert_eq!(run.code, 2);
    let dotenv = dir.0.join(".env");
    assert_eq!(
        run.stderr,
        format!("edgestat: {} line 2: unknown variable EDGESTAT_PROT\n", dotenv.display())
    );
}

#[test]
fn help_lists_the_flags() {
    let dir = TempDir::new();
    let run = config(&dir.0, &["--help"], &[]);
    assert_eq!(run.code, 0);
    for flag in
        ["--config FILE", "--env-file FILE", "--host, -h ADDR", "--port, -p PORT", "--debug"]
    {
        assert!(run.stdout.contains(flag), "{flag} in\n{}", run.stdout);
    }
}

/// The block of `help` about the flag written `flags` (its first line,
/// as in `--port, -p PORT`), up to the next flag.
fn block<'a>(help: &'a str, flags: &str) -> &'a str {
    let start =
        help.find(&format!("\n  {flags}\n")).unwrap_or_else(|| panic!("{flags} in\n{help}"));
    let rest = &help[start + 1..];
    let end = rest[3..].find("\n  -").map_or(rest.len(), |i| i + 4);
    &rest[..end]
}

#[test]
fn every_command_explains_itself_with_help() {
    let dir = TempDir::new();
    for command in ["run", "config", "test", "monitor", "detect", "parse"] {
        let run = edgestat(&dir.0, command, &["--help"], &[]);
        assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{command} --help");
        assert!(
            run.stdout.starts_with(&format!("Usage: edgestat {command}")),
            "{command}: {}",
            run.stdout
        );
        assert!(run.stdout.contains("\n  --help\n      print this help and exit\n"));
    }
    let top = edgestat(&dir.0, "--help", &[], &[]);
    assert!(top.stdout.contains("`edgestat COMMAND --help` lists a command's flags"));
}

#[test]
fn run_help_gives_each_setting_its_default_and_variables() {
    let dir = TempDir::new();
    // `--port 1` would need root to bind: help is printed, nothing is bound.
    let run = edgestat(&dir.0, "run", &["--port", "1", "--help"], &[]);
    assert_eq!(run.code, 0);
    let help = run.stdout;
    assert_eq!(
        block(&help, "--port, -p PORT"),
        "  --port, -p PORT\n      TCP port of the HTTP server; 0 picks a free one\n      \
         [default: 58090] [env: EDGESTAT_PORT, PISTAT_PORT]\n"
    );
    assert!(
        block(&help, "--max-connections-per-ip N")
            .ends_with("[default: 4] [env: EDGESTAT_MAX_CONNECTIONS_PER_IP]\n")
    );
    assert!(block(&help, "--rate-limit, --no-rate-limit").contains("[default: --rate-limit]"));
    assert!(block(&help, "--agent, --no-agent").contains("[default: --no-agent]"));
    // No default worth showing: an empty token, a switch that is off.
    assert!(!block(&help, "--token TOKEN").contains("[default"));
    assert!(!block(&help, "--debug").contains("[default"));
    assert!(block(&help, "--token-file FILE").contains("[env: EDGESTAT_TOKEN_FILE]"));

    // Every key `edgestat config` prints with a default has its flag in the
    // help, showing that same default.
    let empty = dir.file("empty.toml", "");
    let empty = empty.to_str().unwrap();
    let shown = config(&dir.0, &["--config", empty, "--env-file", empty], &[]);
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    let mut checked = 0;
    for line in shown.stdout.lines().filter(|l| !l.starts_with('#')) {
        let (key, value) = line.strip_suffix("  (default)").unwrap().split_once(" = ").unwrap();
        let flag = format!("--{}", key.replace('_', "-"));
        let first = help.lines().find(|l| {
            l.strip_prefix("  ").and_then(|l| l.split([',', ' ']).next()) == Some(flag.as_str())
        });
        let Some(first) = first else {
            assert_eq!(key, "rate_limit_enabled", "no flag for {key}");
            continue;
        };
        let text = block(&help, first.trim_start());
        let value = value.trim_matches('"');
        if value.is_empty() || value == "[]" || value == "false" || value == "true" {
            continue;
        }
        assert!(text.contains(&format!("[default: {value}]")), "{key} = {value}:\n{text}");
        checked += 1;
    }
    assert!(checked >= 25, "{checked} defaults checked");
}

#[test]
fn dash_h_is_still_the_host() {
    let dir = TempDir::new();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port().to_string();
    drop(closed);
    let run = edgestat(&dir.0, "test", &["-h", "127.0.0.1", "-p", &port], &[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(!run.stdout.contains("Usage"));
    assert!(run.stderr.contains(&format!("127.0.0.1:{port}")), "{}", run.stderr);
}
