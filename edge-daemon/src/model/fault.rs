//! Why part of a sample is missing: the source that failed and what went
//! wrong, in words a user can act on.

use std::fmt;
use std::path::{Path, PathBuf};

use edgestat_core::sysfs::ReadFault;
use edgestat_parsers::Error as ParseError;

/// The sources `/api/health` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Collector {
    /// /proc files.
    Procfs,
    /// sysfs files.
    Sysfs,
    /// statvfs of mounted filesystems.
    Storage,
    /// The process table.
    Processes,
    /// The tegrastats child.
    Tegrastats,
    /// vcgencmd.
    Vcgencmd,
}

impl Collector {
    /// Every collector, in the order `/metrics` lists them.
    pub const ALL: [Collector; 6] = [
        Collector::Procfs,
        Collector::Sysfs,
        Collector::Storage,
        Collector::Processes,
        Collector::Tegrastats,
        Collector::Vcgencmd,
    ];

    /// Its name in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Collector::Procfs => "procfs",
            Collector::Sysfs => "sysfs",
            Collector::Storage => "storage",
            Collector::Processes => "processes",
            Collector::Tegrastats => "tegrastats",
            Collector::Vcgencmd => "vcgencmd",
        }
    }
}

/// One failure of one source.
///
/// A fault empties one part of the sample (that part becomes null or
/// absent); it never takes the sample or the daemon down.
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
    /// unexpected, or a table outgrew its capacity; the text says which
    /// and what to do.
    Tool(String),
}

impl Fault {
    /// A read fault on `path`.
    pub fn read(path: &Path, fault: ReadFault) -> Self {
        Fault::Read { path: path.to_path_buf(), fault }
    }
}

/// A fault and the collector it degraded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Degraded {
    /// Which collector.
    pub collector: Collector,
    /// Why.
    pub fault: Fault,
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
        ReadFault::NotRegular => "not a regular file (a FIFO, socket or device): not read",
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
