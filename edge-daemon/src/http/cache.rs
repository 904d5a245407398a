//! The response cache (piStat's `PISTAT_CACHE_SECONDS`): a rendered body is
//! reused for the same path and query until it is this old.

use std::time::{Duration, Instant};

use hyper::body::Bytes;

/// Distinct path-and-query keys kept; the oldest entry makes room.
pub const MAX_ENTRIES: usize = 32;

/// The cache.
#[derive(Debug)]
pub struct Cache {
    ttl: Duration,
    entries: Vec<(String, Instant, Bytes)>,
}

impl Cache {
    /// A cache whose entries live `ttl`; zero disables it.
    pub fn new(ttl: Duration) -> Self {
        Cache { ttl, entries: Vec::new() }
    }

    /// The body cached for `key`, if still fresh at `now`.
    pub fn get(&self, key: &str, now: Instant) -> Option<Bytes> {
        self.entries
            .iter()
            .find(|(k, at, _)| k == key && now.duration_since(*at) < self.ttl)
            .map(|(_, _, body)| body.clone())
    }

    /// Keeps `body` for `key` from `now`.
    pub fn put(&mut self, key: &str, body: Bytes, now: Instant) {
        if self.ttl.is_zero() {
            return;
        }
        self.entries.retain(|(k, _, _)| k != key);
        if self.entries.len() >= MAX_ENTRIES {
            if let Some(oldest) =
                self.entries.iter().enumerate().min_by_key(|(_, (_, at, _))| *at).map(|(i, _)| i)
            {
                self.entries.swap_remove(oldest);
            }
        }
        self.entries.push((key.to_owned(), now, body));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_stay_bounded() {
        let mut cache = Cache::new(Duration::from_secs(2));
        let t0 = Instant::now();
        cache.put("/stats", Bytes::from_static(b"{}"), t0);
        assert_eq!(
            cache.get("/stats", t0 + Duration::from_secs(1)),
            Some(Bytes::from_static(b"{}"))
        );
        assert_eq!(cache.get("/stats", t0 + Duration::from_secs(2)), None);
        assert_eq!(cache.get("/other", t0), None);
        for i in 0..(MAX_ENTRIES + 5) {
            cache.put(&format!("/k{i}"), Bytes::new(), t0 + Duration::from_millis(i as u64));
        }
        assert_eq!(cache.entries.len(), MAX_ENTRIES);
        assert!(cache.get("/k0", t0).is_none(), "the oldest made room");
        let off = Cache::new(Duration::ZERO);
        assert!(off.get("/stats", t0).is_none());
    }
}
