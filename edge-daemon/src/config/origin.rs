//! Where each setting came from, for `edgestat config` and for the
//! daemon's own log.

use core::fmt;
use std::path::PathBuf;

/// Where one setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Nothing set it: the built-in default.
    Default,
    /// The TOML file at this path.
    Toml(PathBuf),
    /// The `.env` file at this path.
    DotEnv(PathBuf),
    /// This environment variable.
    Env(String),
    /// This flag, as typed (`-p` or `--port`).
    Flag(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Default => f.write_str("default"),
            Self::Toml(path) => write!(f, "toml {}", path.display()),
            Self::DotEnv(path) => write!(f, ".env {}", path.display()),
            Self::Env(var) => write!(f, "env {var}"),
            Self::Flag(flag) => write!(f, "flag {flag}"),
        }
    }
}
