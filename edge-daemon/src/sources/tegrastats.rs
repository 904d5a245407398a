//! `tegrastats --interval N` as a long-lived child, for what sysfs lacks
//! (EMC, hardware engines, and the rails on boards without INA3221 files).
//!
//! One thread reads the child's lines into a reused buffer and parses each
//! into a reused sample ([`tegrastats::parse_into`]); the sampler copies
//! the latest one at each tick. A child that exits, or cannot be started,
//! is restarted with exponential backoff, and the reason is kept for
//! `/api/health`.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use edgestat_core::tegra::TegraSample;
use edgestat_parsers::tegrastats;

/// Longest line read; real lines are under 1 KiB (AGX Orin with peaks:
/// about 700 bytes). A longer line is skipped, not cut.
pub const MAX_LINE: usize = 4096;

/// First wait before restarting a child that exited.
pub const BACKOFF_MIN: Duration = Duration::from_secs(1);

/// Longest wait between restarts.
pub const BACKOFF_MAX: Duration = Duration::from_secs(60);

/// A child that ran this long before exiting restarts after
/// [`BACKOFF_MIN`] again.
const HEALTHY_RUN: Duration = Duration::from_secs(30);

/// What the reader thread publishes.
#[derive(Debug, Default)]
pub struct State {
    /// The latest line that parsed, and when it arrived.
    pub latest: Option<(TegraSample, Instant)>,
    /// Lines that did not parse since start.
    pub rejected: u64,
    /// Why the child is not delivering, if it is not.
    pub fault: Option<String>,
    /// Times the child was (re)started.
    pub starts: u32,
}

/// The running reader: its state, and how to stop it.
#[derive(Debug, Clone)]
pub struct Child {
    /// Shared with the reader thread.
    pub state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    pid: Arc<AtomicU32>,
}

impl Child {
    /// Starts `path --interval <ms>` on a reader thread.
    pub fn spawn(path: PathBuf, interval: Duration) -> std::io::Result<Self> {
        let child = Child { state: Arc::default(), stop: Arc::default(), pid: Arc::default() };
        let reader = child.clone();
        std::thread::Builder::new()
            .name("tegrastats".into())
            .spawn(move || reader.run(&path, interval))?;
        Ok(child)
    }

    /// The latest sample if it is fresher than `max_age`.
    pub fn latest(&self, max_age: Duration) -> Option<TegraSample> {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.latest.as_ref().filter(|(_, at)| at.elapsed() <= max_age).map(|(s, _)| s.clone())
    }

    /// The reason the child is not delivering, if any.
    pub fn fault(&self) -> Option<String> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).fault.clone()
    }

    /// Stops restarting and terminates the running child.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        let pid = self.pid.load(Ordering::SeqCst);
        if let Ok(pid) = i32::try_from(pid) {
            if pid > 0 {
                let pid = nix::unistd::Pid::from_raw(pid);
                let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
            }
        }
    }

    fn set(&self, update: impl FnOnce(&mut State)) {
        update(&mut self.state.lock().unwrap_or_else(PoisonError::into_inner));
    }

    fn run(&self, path: &std::path::Path, interval: Duration) {
        let mut backoff = BACKOFF_MIN;
        let mut line = Vec::with_capacity(MAX_LINE);
        let mut sample = TegraSample::default();
        while !self.stop.load(Ordering::SeqCst) {
            let started = Instant::now();
            let millis = interval.as_millis().max(1).to_string();
            let spawned = Command::new(path)
                .args(["--interval", &millis])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn();
            self.set(|s| s.starts += 1);
            let reason = match spawned {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => format!(
                    "tegrastats: {} not found; install nvidia-l4t-tools or pass --tegrastats PATH",
                    path.display()
                ),
                Err(e) => format!("tegrastats: cannot start {}: {e}", path.display()),
                Ok(mut child) => {
                    self.pid.store(child.id(), Ordering::SeqCst);
                    if let Some(stdout) = child.stdout.take() {
                        self.read_lines(stdout, &mut line, &mut sample);
                    }
                    let _ = child.kill();
                    let status = child.wait();
                    self.pid.store(0, Ordering::SeqCst);
                    match status {
                        Ok(status) => format!("tegrastats exited ({status})"),
                        Err(e) => format!("tegrastats: {e}"),
                    }
                }
            };
            if self.stop.load(Ordering::SeqCst) {
                return;
            }
            if started.elapsed() >= HEALTHY_RUN {
                backoff = BACKOFF_MIN;
            }
            self.set(|s| {
                s.fault = Some(format!("{reason}; restarting in {} s", backoff.as_secs()))
            });
            let wake = Instant::now() + backoff;
            while Instant::now() < wake && !self.stop.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(50).min(backoff));
            }
            backoff = (backoff * 2).min(BACKOFF_MAX);
        }
    }

    /// Reads lines until the child's stdout closes.
    fn read_lines(&self, stdout: impl Read, line: &mut Vec<u8>, sample: &mut TegraSample) {
        let mut reader = BufReader::with_capacity(MAX_LINE, stdout);
        loop {
            line.clear();
            let mut too_long = false;
            // Read one line without letting it grow past MAX_LINE.
            loop {
                let Ok(chunk) = reader.fill_buf() else { return };
                if chunk.is_empty() {
                    return; // EOF
                }
                let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
                    Some(at) => (at + 1, true),
                    None => (chunk.len(), false),
                };
                if line.len() + take <= MAX_LINE {
                    line.extend_from_slice(chunk.get(..take).unwrap_or_default());
                } else {
                    too_long = true;
                }
                reader.consume(take);
                if done {
                    break;
                }
            }
            if too_long {
                self.set(|s| s.rejected += 1);
                continue;
            }
            match tegrastats::parse_into(line, sample) {
                Ok(()) => self.set(|s| {
                    s.latest = Some((sample.clone(), Instant::now()));
                    s.fault = None;
                }),
                Err(e) => self.set(|s| {
                    s.rejected += 1;
                    s.fault = Some(format!("tegrastats: a line did not parse: {e}"));
                }),
            }
        }
    }
}
