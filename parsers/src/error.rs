//! The one small error type every parser returns.

use core::fmt;

use edgestat_core::CapacityError;

/// Why input was rejected, and in which field.
///
/// Small and `Copy`, like httparse's error: it names the field (`"RAM"`,
/// `"MemTotal"`, `"throttled"`, …) and the kind of failure, and never exposes
/// the parser library's types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Error {
    /// What went wrong.
    pub kind: ErrorKind,
    /// The field, token or file it went wrong in.
    pub field: &'static str,
}

/// The kinds of parse failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input was empty or only whitespace.
    Empty,
    /// The field did not match its grammar.
    Syntax,
    /// A field that must be present was missing.
    Missing,
    /// A number was out of range for its field.
    Range,
    /// More entries than the field's named capacity.
    Capacity,
    /// Input was left over after a complete value.
    Trailing,
    /// vcgencmd answered `error=<code> error_msg="…"` instead of a value.
    Firmware(i32),
}

impl Error {
    /// An error of `kind` in `field`.
    pub const fn new(kind: ErrorKind, field: &'static str) -> Self {
        Self { kind, field }
    }

    /// A syntax error in `field`.
    pub const fn syntax(field: &'static str) -> Self {
        Self::new(ErrorKind::Syntax, field)
    }

    /// `field` was missing.
    pub const fn missing(field: &'static str) -> Self {
        Self::new(ErrorKind::Missing, field)
    }
}

impl From<CapacityError> for Error {
    fn from(e: CapacityError) -> Self {
        Self::new(ErrorKind::Capacity, e.field)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ErrorKind::Empty => write!(f, "empty input"),
            ErrorKind::Syntax => write!(f, "malformed {}", self.field),
            ErrorKind::Missing => write!(f, "missing {}", self.field),
            ErrorKind::Range => write!(f, "{} out of range", self.field),
            ErrorKind::Capacity => write!(f, "too many entries for {}", self.field),
            ErrorKind::Trailing => write!(f, "unexpected input after {}", self.field),
            ErrorKind::Firmware(code) => write!(f, "vcgencmd error {code} in {}", self.field),
        }
    }
}

impl core::error::Error for Error {}
