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
    let mut command = Command::new(env!("CARGO_BIN_EXE_edgestat"));
    command.arg("config").args(args).current_dir(dir);
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
