//! `/api/history?seconds=N`: the ring's condensed points, oldest first.

use serde::Serialize;
use serde::ser::SerializeMap;

use super::json::Iso;
use crate::model::Point;

/// The response object.
pub struct History<'a> {
    /// The sampler period, seconds.
    pub interval: f64,
    /// The points asked for.
    pub points: &'a [Point],
    /// The sample's time.
    pub unix_micros: i64,
}

impl Serialize for History<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("interval", &self.interval)?;
        map.serialize_entry("points", self.points)?;
        map.serialize_entry("timestamp", &Iso(self.unix_micros))?;
        map.end()
    }
}
