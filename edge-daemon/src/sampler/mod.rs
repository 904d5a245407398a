//! The sampler: the one loop that reads every source once per interval and
//! publishes one [`Sample`] that every surface shares.
//!
//! It runs on a thread of its own (file reads block), keeps the latest
//! sample and a [`Ring`] of condensed recent ones, and wakes waiting
//! surfaces through [`Shared::published`]. It is the only writer; surfaces
//! only read.

mod collect;
mod rates;
pub mod unify;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use edgestat_common::log::{Level, log};
use edgestat_common::time::now_micros;
use event_listener::Event;

pub use collect::{Sampler, Settings, Tools};

use crate::model::{Board, Collector, Degraded, Point, Ring, Sample};

/// How long the process table keeps being scanned after a client last
/// asked for it.
pub const PROCESS_DEMAND: Duration = Duration::from_secs(60);

/// What the sampler publishes and the surfaces read.
#[derive(Debug)]
pub struct Shared {
    latest: Mutex<Option<Arc<Sample>>>,
    ring: Mutex<Ring>,
    /// Notified after each publish.
    pub published: Event,
    /// The board, read once at start.
    pub board: Arc<Board>,
    /// When the daemon started, microseconds since the Unix epoch.
    pub started_unix_micros: i64,
    /// Sampler ticks until which processes are scanned (see
    /// [`Shared::want_processes`]).
    processes_until: AtomicU64,
    ticks: AtomicU64,
    interval: Duration,
    stop: AtomicBool,
    /// The sampler thread, to wake it when stopping.
    thread: Mutex<Option<std::thread::Thread>>,
}

impl Shared {
    /// State for a sampler of `interval` on `board`.
    pub fn new(board: Arc<Board>, interval: Duration) -> Self {
        Shared {
            latest: Mutex::new(None),
            ring: Mutex::new(Ring::default()),
            published: Event::new(),
            board,
            started_unix_micros: now_micros(),
            processes_until: AtomicU64::new(0),
            ticks: AtomicU64::new(0),
            interval,
            stop: AtomicBool::new(false),
            thread: Mutex::new(None),
        }
    }

    /// The latest sample; `None` until the first one is ready.
    pub fn latest(&self) -> Option<Arc<Sample>> {
        self.latest.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Runs `f` over the ring.
    pub fn with_ring<T>(&self, f: impl FnOnce(&Ring) -> T) -> T {
        f(&self.ring.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The sampler period.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Asks the sampler to scan processes for the next [`PROCESS_DEMAND`].
    pub fn want_processes(&self) {
        let ticks = PROCESS_DEMAND.as_millis() / self.interval.as_millis().max(1);
        let until = self.ticks.load(Ordering::SeqCst) + u64::try_from(ticks).unwrap_or(60) + 1;
        self.processes_until.fetch_max(until, Ordering::SeqCst);
    }

    /// Asks the sampler thread to stop: it wakes, stops its tool
    /// children, and ends (join its handle to wait for that).
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.lock().unwrap_or_else(PoisonError::into_inner).as_ref() {
            thread.unpark();
        }
    }

    fn processes_wanted(&self) -> bool {
        self.ticks.load(Ordering::SeqCst) < self.processes_until.load(Ordering::SeqCst)
    }

    /// Makes `sample` the latest and adds it to the ring.
    pub fn publish(&self, sample: Sample) {
        self.ring.lock().unwrap_or_else(PoisonError::into_inner).push(Point::of(&sample));
        *self.latest.lock().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(sample));
        self.published.notify(usize::MAX);
    }
}

/// Starts the sampler thread. The first sample is published one interval
/// after start, once CPU usage has two readings to compare; until then the
/// surfaces answer 503. [`Shared::stop`] ends it; join the handle to wait
/// until its children are gone.
pub fn spawn(shared: Arc<Shared>, mut sampler: Sampler) -> std::io::Result<JoinHandle<()>> {
    let handle = std::thread::Builder::new().name("sampler".into()).spawn({
        let shared = shared.clone();
        move || {
            let interval = shared.interval;
            sampler.baseline();
            let mut next = Instant::now() + interval;
            let mut faults: Vec<Degraded> = Vec::new();
            while !shared.stop.load(Ordering::SeqCst) {
                let now = Instant::now();
                if next > now {
                    std::thread::park_timeout(next - now);
                    if shared.stop.load(Ordering::SeqCst) {
                        break;
                    }
                    if Instant::now() < next {
                        continue; // woken early, not stopped: wait on
                    }
                }
                // Fixed cadence; after a stall (suspend, a stuck read) start
                // afresh instead of firing the missed ticks back to back.
                next += interval;
                if next < Instant::now() {
                    next = Instant::now() + interval;
                }
                let sample = sampler.sample(shared.processes_wanted(), now_micros());
                log_fault_changes(&faults, &sample.faults);
                faults.clone_from(&sample.faults);
                shared.ticks.fetch_add(1, Ordering::SeqCst);
                shared.publish(sample);
            }
            sampler.stop();
        }
    })?;
    *shared.thread.lock().unwrap_or_else(PoisonError::into_inner) = Some(handle.thread().clone());
    Ok(handle)
}

/// Logs each fault that appeared (WARNING) and each collector that
/// recovered (INFO) since the previous sample, so a steady fault is logged
/// once, not every second.
fn log_fault_changes(before: &[Degraded], now: &[Degraded]) {
    for d in now.iter().filter(|f| !before.contains(f)) {
        log!(Level::Warning, "{} degraded: {}", d.collector.as_str(), d.fault);
    }
    let mut recovered: Vec<Collector> = before
        .iter()
        .map(|d| d.collector)
        .filter(|c| !now.iter().any(|n| n.collector == *c))
        .collect();
    recovered.sort_unstable();
    recovered.dedup();
    for collector in recovered {
        log!(Level::Info, "{} recovered", collector.as_str());
    }
}
