//! The write path: reports are checked in the request, queued, and written
//! in batches (one transaction per flush), so that a thousand nodes
//! reporting every 10 s cost the database about one commit a second.
//! A failed write keeps its batch queued (see [`flush`] for a batch the
//! database refuses); a full queue answers 503 and the agent's next report
//! tries again. At shutdown the queue is written out ([`drain`]).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use event_listener::Event;

use crate::store::{DbError, IngestRules, Pending, Store};
use edgestat_common::log::{Level, log};

/// Most reports waiting at once (about 10 s of 10 000 nodes).
pub const MAX_QUEUED: usize = 100_000;

/// A flush starts this long after the previous one (`--write-interval`)...
pub const FLUSH_EVERY: Duration = Duration::from_millis(500);

/// ...or as soon as this many are waiting.
pub const FLUSH_AT: usize = 2_000;

/// Reports between the HTTP handlers and the writer.
#[derive(Debug, Default)]
pub struct Queue {
    inner: Mutex<Inner>,
    wake: Event,
}

#[derive(Debug, Default)]
struct Inner {
    /// Waiting for the next flush.
    pending: Vec<Pending>,
    /// Taken by the flush under way: they still count against
    /// [`MAX_QUEUED`], so that a failed flush always fits back.
    in_flight: usize,
}

/// The queue is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Full;

impl Queue {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Queues a checked report, unless [`MAX_QUEUED`] reports are not yet
    /// written (waiting, or in a flush that may fail).
    pub fn push(&self, p: Pending) -> Result<(), Full> {
        let mut q = self.lock();
        if q.pending.len() + q.in_flight >= MAX_QUEUED {
            return Err(Full);
        }
        q.pending.push(p);
        if q.pending.len() >= FLUSH_AT {
            self.wake.notify(1);
        }
        Ok(())
    }

    /// Reports not yet written.
    pub fn len(&self) -> usize {
        let q = self.lock();
        q.pending.len() + q.in_flight
    }

    /// Whether every report is written.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Takes what waits, for a flush.
    fn take(&self) -> Vec<Pending> {
        let mut q = self.lock();
        let batch = std::mem::take(&mut q.pending);
        q.in_flight = batch.len();
        batch
    }

    /// The flush under way is over: its reports are written (or dropped).
    fn done(&self) {
        self.lock().in_flight = 0;
    }

    /// The flush under way failed: `rest`, what it did not write, goes
    /// back in front. It always fits: it was counted while in flight.
    fn restore(&self, mut rest: Vec<Pending>) {
        let mut q = self.lock();
        q.in_flight = 0;
        rest.append(&mut q.pending);
        q.pending = rest;
    }
}

/// What a flush did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Flushed {
    /// Reports written.
    pub written: usize,
    /// Reports the database refused one by one, logged and dropped.
    pub dropped: usize,
}

/// Writes what is queued, in one transaction. When the database refuses
/// the batch's data (a constraint, a type, a size), one report is at fault:
/// the batch is written again one report at a time and the reports the
/// database refuses are logged and dropped, so that one bad report cannot
/// block every node's behind it. Any other failure (a lock, a full disk, a
/// lost connection) puts the batch back in the queue and is returned.
pub fn flush(queue: &Queue, store: &Mutex<Store>, rules: &IngestRules) -> Result<Flushed, DbError> {
    let mut db = lock(store);
    let batch = queue.take();
    if batch.is_empty() {
        return Ok(Flushed::default());
    }
    let Err(e) = db.write_reports(&batch, rules) else {
        queue.done();
        return Ok(Flushed { written: batch.len(), dropped: 0 });
    };
    if !e.refused {
        queue.restore(batch);
        return Err(e);
    }
    let mut done = Flushed::default();
    for (i, p) in batch.iter().enumerate() {
        match db.write_reports(std::slice::from_ref(p), rules) {
            Ok(()) => done.written += 1,
            Err(e) if !e.refused => {
                queue.restore(batch[i..].to_vec());
                return Err(e);
            }
            Err(e) => {
                log!(
                    Level::Error,
                    "report from {} at {} dropped: the database refused it: {e}",
                    p.client_id(),
                    p.at
                );
                done.dropped += 1;
            }
        }
    }
    queue.done();
    Ok(done)
}

/// Writes queued reports until the process ends; prunes old rows hourly.
pub async fn writer(
    queue: Arc<Queue>,
    store: Arc<Mutex<Store>>,
    rules: IngestRules,
    retention: Duration,
    every: Duration,
) {
    let mut last_prune = std::time::Instant::now() - Duration::from_secs(3600);
    loop {
        let listener = queue.wake.listen();
        smol::future::or(listener, async {
            smol::Timer::after(every).await;
        })
        .await;
        if let Err(e) = flush_off_thread(&queue, &store, &rules).await {
            log!(Level::Error, "writing reports: {e}; they stay queued for the next flush");
            smol::Timer::after(Duration::from_secs(1)).await;
        }
        if last_prune.elapsed() >= Duration::from_secs(3600) {
            last_prune = std::time::Instant::now();
            let cutoff = edgestat_common::time::now_ms()
                - i64::try_from(retention.as_millis()).unwrap_or(i64::MAX);
            match prune(&queue, &store, &rules, cutoff).await {
                Ok(n) if n > 0 => log!(Level::Info, "retention: {n} old rows removed"),
                Ok(_) => {}
                Err(e) => log!(Level::Error, "retention: {e}"),
            }
        }
    }
}

/// [`flush`] on a blocking thread.
async fn flush_off_thread(
    queue: &Arc<Queue>,
    store: &Arc<Mutex<Store>>,
    rules: &IngestRules,
) -> Result<Flushed, DbError> {
    let (q, s, r) = (queue.clone(), store.clone(), rules.clone());
    smol::unblock(move || flush(&q, &s, &r)).await
}

fn lock(s: &Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
    s.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Heartbeats deleted per statement when pruning.
pub const PRUNE_CHUNK: i64 = 10_000;

/// Deletes what is older than `cutoff` a chunk at a time, flushing the
/// queue between chunks, so that a large backlog (after lowering
/// `--retention-days`) never holds reports back for long.
async fn prune(
    queue: &Arc<Queue>,
    store: &Arc<Mutex<Store>>,
    rules: &IngestRules,
    cutoff: i64,
) -> Result<u64, DbError> {
    let mut total = 0;
    loop {
        let s = store.clone();
        let n = smol::unblock(move || lock(&s).prune_heartbeats(cutoff, PRUNE_CHUNK)).await?;
        total += n;
        if n < PRUNE_CHUNK as u64 {
            break;
        }
        flush_off_thread(queue, store, rules).await?;
    }
    let s = store.clone();
    Ok(total + smol::unblock(move || lock(&s).prune_days_and_nodes(cutoff)).await?)
}

/// At shutdown: writes everything still queued, trying a few times while
/// the database does not answer. Returns how many reports could not be
/// written (and are lost).
pub fn drain(queue: &Queue, store: &Mutex<Store>, rules: &IngestRules) -> usize {
    for attempt in 1..=3 {
        match flush(queue, store, rules) {
            Ok(_) if queue.is_empty() => return 0,
            Ok(_) => {}
            Err(e) => {
                log!(Level::Error, "writing queued reports at shutdown (attempt {attempt}): {e}");
                std::thread::sleep(Duration::from_secs(1));
            }
        }
    }
    queue.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::PendingKind;

    #[test]
    fn a_full_queue_refuses_and_a_failed_batch_goes_back_in_front() {
        let hb = crate::report::heartbeat(include_bytes!("../tests/fixtures/orin-heartbeat.json"))
            .unwrap();
        let pending = |at| Pending { at, kind: PendingKind::Heartbeat(Box::new(hb.clone())) };
        let q = Queue::default();
        for at in 0..MAX_QUEUED as i64 - 1 {
            q.push(pending(at)).unwrap();
        }
        let batch = q.take();
        // While the batch is written, only one more report is taken:
        // the batch still counts.
        q.push(pending(-7)).unwrap();
        assert_eq!(q.push(pending(-1)), Err(Full), "the HTTP handler answers 503");
        q.restore(batch);
        assert_eq!(q.len(), MAX_QUEUED, "nothing dropped");
        let back = q.take();
        let ats = (back[0].at, back[MAX_QUEUED - 2].at, back[MAX_QUEUED - 1].at);
        assert_eq!(ats, (0, MAX_QUEUED as i64 - 2, -7), "the failed batch first, in order");
        q.done();
        assert_eq!(q.len(), 0);
        q.push(pending(1)).unwrap();
    }
}
