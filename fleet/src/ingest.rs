//! The write path: reports are checked in the request, queued, and written
//! in batches (one transaction per flush), so that a thousand nodes
//! reporting every 10 s cost the database about one commit a second.
//! A failed write keeps its batch queued; a full queue answers 503 and the
//! agent's next report tries again.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use event_listener::Event;

use crate::log::{ERROR, INFO, log};
use crate::store::{IngestRules, Pending, Store};

/// Most reports waiting at once (about 10 s of 10 000 nodes).
pub const MAX_QUEUED: usize = 100_000;

/// A flush starts this long after the first report it carries...
pub const FLUSH_EVERY: Duration = Duration::from_millis(500);

/// ...or as soon as this many are waiting.
pub const FLUSH_AT: usize = 2_000;

/// Reports between the HTTP handlers and the writer.
#[derive(Debug, Default)]
pub struct Queue {
    pending: Mutex<Vec<Pending>>,
    wake: Event,
}

/// The queue is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Full;

impl Queue {
    /// Queues a checked report.
    pub fn push(&self, p: Pending) -> Result<(), Full> {
        let mut q = self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if q.len() >= MAX_QUEUED {
            return Err(Full);
        }
        q.push(p);
        if q.len() >= FLUSH_AT {
            self.wake.notify(1);
        }
        Ok(())
    }

    fn take(&self) -> Vec<Pending> {
        std::mem::take(&mut *self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// Puts a batch that failed back in front, as far as room allows.
    fn restore(&self, mut batch: Vec<Pending>) {
        let mut q = self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        batch.truncate(MAX_QUEUED.saturating_sub(q.len()));
        batch.append(&mut q);
        *q = batch;
    }
}

/// Writes queued reports until the process ends; prunes old rows hourly.
pub async fn writer(
    queue: Arc<Queue>,
    store: Arc<Mutex<Store>>,
    rules: IngestRules,
    retention: Duration,
) {
    let mut last_prune = std::time::Instant::now() - Duration::from_secs(3600);
    loop {
        let listener = queue.wake.listen();
        smol::future::or(listener, async {
            smol::Timer::after(FLUSH_EVERY).await;
        })
        .await;
        let batch = queue.take();
        if !batch.is_empty() {
            let (store2, rules2) = (store.clone(), rules.clone());
            let (batch, result) = smol::unblock(move || {
                let result = store2
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .write_reports(&batch, &rules2);
                (batch, result)
            })
            .await;
            if let Err(e) = result {
                log!(ERROR, "writing {} reports: {e}; kept for the next flush", batch.len());
                queue.restore(batch);
                smol::Timer::after(Duration::from_secs(1)).await;
            }
        }
        if last_prune.elapsed() >= Duration::from_secs(3600) {
            last_prune = std::time::Instant::now();
            let cutoff =
                crate::time::now_ms() - i64::try_from(retention.as_millis()).unwrap_or(i64::MAX);
            let store = store.clone();
            match smol::unblock(move || {
                store.lock().unwrap_or_else(std::sync::PoisonError::into_inner).prune(cutoff)
            })
            .await
            {
                Ok(n) if n > 0 => log!(INFO, "retention: {n} old rows removed"),
                Ok(_) => {}
                Err(e) => log!(ERROR, "retention: {e}"),
            }
        }
    }
}
