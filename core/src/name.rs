//! Short owned names (sensors, rails, engines, interfaces) without allocation.

use core::fmt;

use crate::capacity::NAME_LEN;

/// A sensor, rail, engine or interface name, at most [`NAME_LEN`] bytes.
pub type Name = heapless::String<NAME_LEN>;

/// A value did not fit the fixed capacity of its container.
///
/// Carries the name of the container that was full, so the caller can say
/// which field overflowed instead of truncating it silently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CapacityError {
    /// The container that was full, e.g. `"rails"`.
    pub field: &'static str,
}

impl fmt::Display for CapacityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "too many entries for {}", self.field)
    }
}

impl core::error::Error for CapacityError {}

/// Copies `s` into a fixed-capacity string, or says which `field` it overflowed.
pub fn bounded<const N: usize>(
    s: &str,
    field: &'static str,
) -> Result<heapless::String<N>, CapacityError> {
    let mut out = heapless::String::new();
    out.push_str(s).map_err(|_| CapacityError { field })?;
    Ok(out)
}

/// Pushes `item` onto `vec`, or says which `field` was full.
pub fn push<T, const N: usize>(
    vec: &mut heapless::Vec<T, N>,
    item: T,
    field: &'static str,
) -> Result<(), CapacityError> {
    if vec.is_full() {
        return Err(CapacityError { field });
    }
    vec.push(item).map_err(|_| CapacityError { field })
}
