//! A fixed-RAM ring of recent samples, condensed to the values a history
//! view plots, each taken from the sample's own definition.

use serde::Serialize;

use super::Sample;

/// Samples kept: 10 minutes at the default 1 Hz. Each point is 72 bytes,
/// so the ring is about 42 KiB whatever the uptime.
pub const RING_LEN: usize = 600;

/// One condensed sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Point {
    /// Microseconds since the Unix epoch.
    pub unix_micros: i64,
    /// All CPUs, per mille.
    pub cpu_per_mille: Option<u16>,
    /// RAM used ([`Ram::used_kb`](super::Ram::used_kb)), kB.
    pub ram_used_kb: Option<u64>,
    /// The hottest readable sensor, milli-°C.
    pub max_milli_celsius: Option<i32>,
    /// Sum of the power rails, mW.
    pub power_mw: Option<u32>,
    /// Bytes per second received and sent over the traffic interfaces.
    pub net_bytes_per_sec: Option<(u64, u64)>,
}

impl Point {
    /// Condenses `sample`.
    pub fn of(sample: &Sample) -> Self {
        Point {
            unix_micros: sample.unix_micros,
            cpu_per_mille: sample.cpu.total_per_mille,
            ram_used_kb: sample.memory.ram.map(|r| r.used_kb),
            max_milli_celsius: sample.hottest(),
            power_mw: sample.power_mw(),
            net_bytes_per_sec: sample.network.rates(),
        }
    }
}

/// The ring: oldest points are overwritten.
#[derive(Debug, Clone, Default)]
pub struct Ring {
    points: heapless::Deque<Point, RING_LEN>,
}

impl Ring {
    /// Appends `point`, dropping the oldest when full.
    pub fn push(&mut self, point: Point) {
        if self.points.is_full() {
            self.points.pop_front();
        }
        // Cannot fail: a slot was just freed.
        let _ = self.points.push_back(point);
    }

    /// Points no older than `since_micros`, oldest first.
    pub fn since(&self, since_micros: i64) -> impl Iterator<Item = &Point> {
        self.points.iter().filter(move |p| p.unix_micros >= since_micros)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ring_keeps_the_newest_points() {
        let mut ring = Ring::default();
        for i in 0..(RING_LEN as i64 + 10) {
            ring.push(Point { unix_micros: i, ..Point::of(&Sample::default()) });
        }
        assert_eq!(ring.since(i64::MIN).count(), RING_LEN);
        assert_eq!(ring.since(0).next().map(|p| p.unix_micros), Some(10));
        assert_eq!(ring.since(RING_LEN as i64 + 8).count(), 2);
    }
}
