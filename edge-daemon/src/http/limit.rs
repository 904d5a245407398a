//! Per-client rate limiting: a fixed window per IP address, as piStat's
//! default (60 requests per 60 s) behaves.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// Clients tracked at once. When full, expired windows are dropped first,
/// then the oldest window, so memory stays bounded whoever connects.
pub const MAX_CLIENTS: usize = 4096;

/// What to do with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Serve it.
    Allow,
    /// Refuse it with 429; the client may retry after this many seconds.
    Deny {
        /// Whole seconds until the window resets (at least 1).
        retry_after: u64,
    },
}

/// The limiter.
#[derive(Debug)]
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    clients: HashMap<IpAddr, (Instant, u32)>,
}

impl RateLimiter {
    /// `limit` requests per `window` per client.
    pub fn new(limit: u32, window: Duration) -> Self {
        RateLimiter { limit, window, clients: HashMap::new() }
    }

    /// Counts a request from `ip` at `now`.
    pub fn check(&mut self, ip: IpAddr, now: Instant) -> Verdict {
        if !self.clients.contains_key(&ip) && self.clients.len() >= MAX_CLIENTS {
            let window = self.window;
            self.clients.retain(|_, (start, _)| now.duration_since(*start) < window);
            if self.clients.len() >= MAX_CLIENTS {
                let oldest =
                    self.clients.iter().min_by_key(|(_, (start, _))| *start).map(|(k, _)| *k);
                if let Some(oldest) = oldest {
                    self.clients.remove(&oldest);
                }
            }
        }
        let (start, count) = self.clients.entry(ip).or_insert((now, 0));
        if now.duration_since(*start) >= self.window {
            *start = now;
            *count = 0;
        }
        if *count >= self.limit {
            let left = self.window.saturating_sub(now.duration_since(*start));
            let retry_after = left.as_secs() + u64::from(left.subsec_nanos() > 0);
            return Verdict::Deny { retry_after: retry_after.max(1) };
        }
        *count += 1;
        Verdict::Allow
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_fills_and_resets() {
        let mut limiter = RateLimiter::new(3, Duration::from_secs(60));
        let (a, b): (IpAddr, IpAddr) = ("192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap());
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.check(a, t0), Verdict::Allow);
        }
        assert_eq!(
            limiter.check(a, t0 + Duration::from_millis(10_500)),
            Verdict::Deny { retry_after: 50 }
        );
        assert_eq!(limiter.check(b, t0), Verdict::Allow, "another client has its own window");
        assert_eq!(limiter.check(a, t0 + Duration::from_secs(60)), Verdict::Allow);
    }

    #[test]
    fn memory_stays_bounded() {
        let mut limiter = RateLimiter::new(1, Duration::from_secs(60));
        let now = Instant::now();
        for i in 0..(MAX_CLIENTS as u32 + 100) {
            limiter.check(IpAddr::from(i.to_be_bytes()), now);
        }
        assert_eq!(limiter.clients.len(), MAX_CLIENTS);
    }
}
