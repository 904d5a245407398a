//! JSON pieces the views share: timestamps in both seeds' forms, maps with
//! keys computed at run time, and writing a value into bytes.

use hyper::body::Bytes;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

/// The first buffer a response is written into.
const FIRST_BUF: usize = 16 * 1024;

/// The largest response: a full process table (4096 processes of about
/// 150 bytes) fits.
pub const RESPONSE_MAX: usize = 1024 * 1024;

/// Writes `value` as JSON. Doubles its buffer until the value fits, up to
/// [`RESPONSE_MAX`]; `None` if it does not fit even then.
pub fn to_bytes(value: &impl Serialize) -> Option<Bytes> {
    let mut size = FIRST_BUF;
    loop {
        let mut buf = vec![0u8; size];
        if let Ok(len) = edgestat_core::json::to_slice(value, &mut buf) {
            buf.truncate(len);
            return Some(Bytes::from(buf));
        }
        if size >= RESPONSE_MAX {
            return None;
        }
        size = (size * 2).min(RESPONSE_MAX);
    }
}

/// A UTC time as ISO 8601 with microseconds, the seed 000 form:
/// `"2025-10-03T06:33:49.223455Z"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Iso(pub i64);

impl Serialize for Iso {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&edgestat_common::time::iso_micros(self.0))
    }
}

/// A UTC time as Unix seconds with a fraction, the seed 001 form:
/// `1646092800.0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnixSecs(pub i64);

impl Serialize for UnixSecs {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        edgestat_core::json::Scaled(self.0, 1_000_000).serialize(serializer)
    }
}

/// A JSON object whose entries come from an iterator (sensor names, rail
/// labels, interface names).
pub struct MapOf<F>(pub F);

impl<F, I, K, V> Serialize for MapOf<F>
where
    F: Fn() -> I,
    I: Iterator<Item = (K, V)>,
    K: Serialize,
    V: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (key, value) in (self.0)() {
            map.serialize_entry(&key, &value)?;
        }
        map.end()
    }
}

/// A JSON array whose elements come from an iterator.
pub struct SeqOf<F>(pub F);

impl<F, I, T> Serialize for SeqOf<F>
where
    F: Fn() -> I,
    I: Iterator<Item = T>,
    T: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        for item in (self.0)() {
            seq.serialize_element(&item)?;
        }
        seq.end()
    }
}

/// Thousandths as a JSON number with up to three decimals (`47.125`).
pub use edgestat_core::json::Milli;

/// Tenths as a JSON number (`12.5` from 125): percentages from per-mille.
pub fn tenths(value: impl Into<i64>) -> edgestat_core::json::Scaled {
    edgestat_core::json::Scaled(value.into(), 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(value: &impl Serialize) -> String {
        String::from_utf8(to_bytes(value).unwrap().to_vec()).unwrap()
    }

    #[test]
    fn iso_timestamps_match_the_seed_form() {
        // 2025-10-03T06:33:49.223455Z, the seed 000 example.
        assert_eq!(json(&Iso(1_759_473_229_223_455)), "\"2025-10-03T06:33:49.223455Z\"");
    }

    #[test]
    fn unix_seconds_match_the_seed_form() {
        assert_eq!(json(&UnixSecs(1_646_092_800_000_000)), "1646092800.0");
        assert_eq!(json(&UnixSecs(1_646_092_800_500_000)), "1646092800.5");
    }

    #[test]
    fn maps_and_percentages() {
        let pairs = [("cpu", 1), ("gpu", 2)];
        assert_eq!(json(&MapOf(|| pairs.iter().copied())), r#"{"cpu":1,"gpu":2}"#);
        assert_eq!(json(&SeqOf(|| [125, 0].into_iter().map(tenths))), "[12.5,0.0]");
    }
}
