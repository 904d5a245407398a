//! Command-line settings shared by the subcommands that read the host.
//!
//! Today: the path roots (`--sysfs`, `--procfs`, `--rootfs`), with
//! `EDGESTAT_SYSFS`, `EDGESTAT_PROCFS` and `EDGESTAT_ROOTFS` as fallbacks.
//! Flags win over the environment, which wins over the defaults.

use std::path::PathBuf;

use crate::sources::Roots;

/// Reads the root flags from `args`; anything else is a usage error.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_environment_beat_defaults() {
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
    fn bad_flags_are_named() {
        assert_eq!(
            roots_with_env(&["--sysfs"], |_| None),
            Err("`--sysfs` needs a directory".into())
        );
        assert_eq!(roots_with_env(&["--sys", "x"], |_| None), Err("unknown option `--sys`".into()));
    }
}
