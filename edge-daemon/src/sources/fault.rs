//! Why one collector produced nothing this round, in words a user can act on.

use std::fmt;
use std::path::{Path, PathBuf};

use edgestat_core::sysfs::ReadFault;
use edgestat_parsers::Error as ParseError;

/// One collector's failure: the file or tool, and what went wrong.
///
/// A fault empties one part of the sample (that part becomes null or
/// absent); it never takes the sample or the daemon down. `/api/health`
/// and `/health` list the faults of the latest sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// A file could not be read.
    Read {
        /// The file, under the configured root.
        path: PathBuf,
        /// How reading it failed.
        fault: ReadFault,
    },
    /// A file was read but its contents did not parse.
    Parse {
        /// The file, under the configured root.
        path: PathBuf,
        /// What the parser rejected.
        error: ParseError,
    },
    /// A tool (tegrastats, vcgencmd) is missing, failed or said something
    /// unexpected; the text says which and what to do.
    Tool(String),
}

impl Fault {
    /// A read fault on `path`.
    pub fn read(path: &Path, fault: ReadFault) -> Self {
        Fault::Read { path: path.to_path_buf(), fault }
    }
}

/// What a [`ReadFault`] means, in the kernel's words.
pub const fn describe(fault: ReadFault) -> &'static str {
    match fault {
        ReadFault::Missing => "no such file",
        ReadFault::Io => "input/output error",
        ReadFault::Again => "resource temporarily unavailable (EAGAIN)",
        ReadFault::Invalid => "invalid argument (EINVAL)",
        ReadFault::NoData => "no data available",
        ReadFault::Denied => "permission denied",
        ReadFault::TooLarge => "file larger than the read buffer",
        ReadFault::Other => "read failed",
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::Read { path, fault } => write!(f, "{}: {}", path.display(), describe(*fault)),
            Fault::Parse { path, error } => write!(f, "{}: {error}", path.display()),
            Fault::Tool(message) => f.write_str(message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use edgestat_parsers::ErrorKind;

    #[test]
    fn faults_name_the_file_and_the_cause() {
        let path = Path::new("/sys/class/thermal/thermal_zone2/temp");
        assert_eq!(
            Fault::read(path, ReadFault::Again).to_string(),
            "/sys/class/thermal/thermal_zone2/temp: resource temporarily unavailable (EAGAIN)"
        );
        let parse = Fault::Parse {
            path: "/proc/meminfo".into(),
            error: ParseError::new(ErrorKind::Missing, "MemTotal"),
        };
        assert_eq!(parse.to_string(), "/proc/meminfo: missing MemTotal");
    }
}
