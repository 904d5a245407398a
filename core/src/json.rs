//! Writing model values as JSON into a buffer the caller owns.
//!
//! The model keeps source integers; here they become display units:
//! milli-°C become °C as a JSON number with up to three decimals, and so on.
//! JSON numbers are written by `ryu`, whose shortest round-trip form of
//! `x / 1000` is exactly the decimal the device printed.

use core::fmt::Write;

use serde::{Serialize, Serializer};

/// Why a value could not be written as JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonError {
    /// The caller's buffer was too small.
    BufferFull,
}

impl core::fmt::Display for JsonError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("JSON buffer full")
    }
}

impl core::error::Error for JsonError {}

/// Serializes `value` into `buf` and returns the number of bytes written.
pub fn to_slice<T: Serialize + ?Sized>(value: &T, buf: &mut [u8]) -> Result<usize, JsonError> {
    serde_json_core::to_slice(value, buf).map_err(|_| JsonError::BufferFull)
}

/// A fixed-point integer in thousandths (milli-°C, milli-percent, …) that
/// serializes as a decimal JSON number: `47687` becomes `47.687`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Milli(pub i64);

impl Serialize for Milli {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Scaled(self.0, 1_000).serialize(serializer)
    }
}

/// A fixed-point integer over a power-of-ten `scale` (e.g. nanoamps over
/// 10^9) that serializes as the decimal JSON number it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scaled(pub i64, pub i64);

impl Serialize for Scaled {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Division by an exact power of ten is correctly rounded, and the
        // shortest representation of the result is the printed decimal.
        #[allow(clippy::cast_precision_loss)]
        serializer.serialize_f64(self.0 as f64 / self.1 as f64)
    }
}

/// A map key made from a name: optionally lower-cased, with `_N` appended
/// for the N-th repeat of the same name (`NC`, `NC_2`, …) so that a JSON
/// object never loses a repeated sensor or rail.
pub type Key = heapless::String<{ crate::capacity::NAME_LEN + 4 }>;

/// Builds the JSON key for `names[index]`: the name (lower-cased when
/// `lower`), plus `_N` when it is the N-th occurrence (N ≥ 2) of that key.
pub fn unique_key<'a, I>(names: I, index: usize, lower: bool) -> Key
where
    I: Iterator<Item = &'a str> + Clone,
{
    let mut key = Key::new();
    let mut nth = 0usize;
    let mut target: Option<&str> = None;
    for (i, name) in names.clone().enumerate() {
        if i == index {
            target = Some(name);
            break;
        }
    }
    let Some(target) = target else { return key };
    for (i, name) in names.enumerate() {
        if i > index {
            break;
        }
        let same = if lower { name.eq_ignore_ascii_case(target) } else { name == target };
        if same {
            nth += 1;
        }
    }
    for c in target.chars() {
        let c = if lower { c.to_ascii_lowercase() } else { c };
        // NAME_LEN + 4 always holds a name plus `_NN`.
        let _ = key.push(c);
    }
    if nth > 1 {
        let _ = write!(key, "_{nth}");
    }
    key
}
