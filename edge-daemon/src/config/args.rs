//! The command line of `edgestat run` and `edgestat config`: one flag per
//! key (see [`super::keys::KEYS`]) plus `--config` and `--env-file`.
//!
//! A valued flag takes the next argument or `--flag=value`; a switch
//! (`--debug`) takes none. The next argument is not taken as a value when
//! it is itself a flag, so `--host --debug` says `--host` needs a value.

use super::keys::{self, Flag};

/// The flag naming the TOML file.
pub const CONFIG_FLAG: &str = "--config";
/// The flag naming the `.env` file.
pub const ENV_FILE_FLAG: &str = "--env-file";

/// A flag setting a key.
#[derive(Debug, Clone, Copy)]
pub struct Setting<'a> {
    /// The key's index in [`keys::KEYS`].
    pub index: usize,
    /// The flag as typed (`-p`, `--port`), without `=value`.
    pub flag: &'a str,
    /// The value (`"true"`/`"false"` for a switch).
    pub value: &'a str,
}

/// The command line, read but not yet checked against each key's rules.
#[derive(Debug, Default)]
pub struct Args<'a> {
    /// `--config FILE`.
    pub config: Option<&'a str>,
    /// `--env-file FILE`.
    pub env_file: Option<&'a str>,
    /// The key flags, in the order given; a later one wins.
    pub settings: Vec<Setting<'a>>,
}

/// Splits `args` into meta flags and key flags; unknown flags, stray
/// arguments and missing values are errors naming the argument.
pub fn parse<'a>(args: &[&'a str]) -> Result<Args<'a>, String> {
    let mut parsed = Args::default();
    let mut rest = args.iter().copied().peekable();
    while let Some(arg) = rest.next() {
        if !arg.starts_with('-') || arg.len() < 2 {
            return Err(format!("unexpected argument `{arg}`"));
        }
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (arg, None),
        };
        let known = |next: &&str| is_flag(next.split_once('=').map_or(next, |(name, _)| name));
        let mut value = || inline.or_else(|| rest.next_if(|next| !known(next)));
        match name {
            CONFIG_FLAG | ENV_FILE_FLAG => {
                let file = value().filter(|file| !file.is_empty());
                let file = file.ok_or_else(|| format!("`{name}` needs a file"))?;
                if name == CONFIG_FLAG {
                    parsed.config = Some(file);
                } else {
                    parsed.env_file = Some(file);
                }
            }
            _ => {
                let (index, flag) =
                    keys::by_flag(name).ok_or_else(|| format!("unknown option `{name}`"))?;
                let value = match flag {
                    Flag::Valued(_) => value().ok_or_else(|| format!("`{name}` needs a value"))?,
                    Flag::Switch(..) if inline.is_some() => {
                        return Err(format!("`{name}` takes no value"));
                    }
                    Flag::Switch(_, true) => "true",
                    Flag::Switch(_, false) => "false",
                };
                parsed.settings.push(Setting { index, flag: name, value });
            }
        }
    }
    Ok(parsed)
}

/// Whether `name` is one of the flags this reads.
fn is_flag(name: &str) -> bool {
    name == CONFIG_FLAG || name == ENV_FILE_FLAG || keys::by_flag(name).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(args: &[&'static str]) -> Vec<(&'static str, &'static str, &'static str)> {
        let parsed = parse(args).unwrap();
        let name = |s: &Setting<'_>| keys::KEYS.get(s.index).unwrap().name;
        parsed.settings.iter().map(|s| (name(s), s.flag, s.value)).collect()
    }

    #[test]
    fn valued_flags_take_the_next_argument_or_an_equals_value() {
        assert_eq!(
            flags(&["-h", "0.0.0.0", "-p", "8080", "--token=a=b", "--host=", "--debug"]),
            [
                ("host", "-h", "0.0.0.0"),
                ("port", "-p", "8080"),
                ("token", "--token", "a=b"),
                ("host", "--host", ""),
                ("debug", "--debug", "true"),
            ]
        );
        assert_eq!(
            flags(&["--rate-limit", "--no-rate-limit", "--token", "-x"]),
            [
                ("rate_limit_enabled", "--rate-limit", "true"),
                ("rate_limit_enabled", "--no-rate-limit", "false"),
                ("token", "--token", "-x"),
            ]
        );
        let parsed = parse(&["--config", "a.toml", "--env-file=b.env"]).unwrap();
        assert_eq!((parsed.config, parsed.env_file), (Some("a.toml"), Some("b.env")));
    }

    #[test]
    fn mistakes_name_the_argument() {
        for (args, message) in [
            (&["--prot", "1"][..], "unknown option `--prot`"),
            (&["--prot=1"], "unknown option `--prot`"),
            (&["-x"], "unknown option `-x`"),
            (&["8080"], "unexpected argument `8080`"),
            (&["-"], "unexpected argument `-`"),
            (&["--port"], "`--port` needs a value"),
            (&["--host", "--debug"], "`--host` needs a value"),
            (&["-h", "-p=1"], "`-h` needs a value"),
            (&["--debug=false"], "`--debug` takes no value"),
            (&["--config"], "`--config` needs a file"),
            (&["--env-file="], "`--env-file` needs a file"),
        ] {
            assert_eq!(parse(args).unwrap_err(), message, "{args:?}");
        }
    }
}
