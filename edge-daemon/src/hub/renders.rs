//! Each document's newest bytes, by document: what makes a view render at
//! most once per sample, and the response cache (piStat's
//! `PISTAT_CACHE_SECONDS`).

use std::time::{Duration, Instant};

use hyper::body::Bytes;

use crate::views::Doc;

/// Documents kept; the oldest entry makes room. The routes name 22 (with
/// a few `fields=`, `sort=` and `seconds=` variants).
pub const MAX_ENTRIES: usize = 32;

/// One document's newest bytes.
#[derive(Debug)]
struct Entry {
    doc: Doc,
    seq: u64,
    at: Instant,
    bytes: Bytes,
}

/// The documents.
#[derive(Debug, Default)]
pub struct Renders {
    entries: Vec<Entry>,
}

impl Renders {
    /// The bytes of `doc` rendered for sample `seq`, or, given a lifetime
    /// and now, for any sample within that lifetime.
    pub fn get(&self, doc: &Doc, seq: u64, ttl: Option<(Duration, Instant)>) -> Option<Bytes> {
        let entry = self.entries.iter().find(|e| e.doc == *doc)?;
        let fresh = ttl.is_some_and(|(ttl, now)| now.duration_since(entry.at) < ttl);
        (entry.seq == seq || fresh).then(|| entry.bytes.clone())
    }

    /// Keeps `bytes` as `doc`'s, rendered for sample `seq` at `at`.
    pub fn put(&mut self, doc: &Doc, seq: u64, at: Instant, bytes: Bytes) {
        self.entries.retain(|e| e.doc != *doc);
        if self.entries.len() >= MAX_ENTRIES {
            if let Some(oldest) =
                self.entries.iter().enumerate().min_by_key(|(_, e)| e.at).map(|(i, _)| i)
            {
                self.entries.swap_remove(oldest);
            }
        }
        self.entries.push(Entry { doc: doc.clone(), seq, at, bytes });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::Section;

    #[test]
    fn bytes_live_for_their_sample_or_their_lifetime_and_stay_bounded() {
        let mut renders = Renders::default();
        let t0 = Instant::now();
        let status = Doc::Status(Section::Status);
        renders.put(&status, 7, t0, Bytes::from_static(b"{}"));
        assert_eq!(renders.get(&status, 7, None), Some(Bytes::from_static(b"{}")));
        assert_eq!(renders.get(&status, 8, None), None, "a newer sample");
        let ttl = Duration::from_secs(2);
        assert!(renders.get(&status, 8, Some((ttl, t0 + Duration::from_secs(1)))).is_some());
        assert!(renders.get(&status, 8, Some((ttl, t0 + Duration::from_secs(2)))).is_none());
        assert_eq!(renders.get(&Doc::Metrics, 7, None), None);
        for i in 0..(MAX_ENTRIES as u32 + 5) {
            let doc = Doc::History { seconds: i + 1 };
            renders.put(&doc, 7, t0 + Duration::from_millis(u64::from(i) + 1), Bytes::new());
        }
        assert_eq!(renders.entries.len(), MAX_ENTRIES);
        assert!(renders.get(&status, 7, None).is_none(), "the oldest made room");
    }
}
