//! `tegrastats --interval N` as a long-lived child, for what sysfs lacks
//! (EMC, hardware engines, and the rails on boards without INA3221 files).
//!
//! One thread reads the child's lines into a reused buffer and parses each
//! into a reused sample ([`tegrastats::parse_into`]); the sampler copies
//! the latest one at each tick. A child that exits, or cannot be started,
//! is restarted with exponential backoff, and the reason is kept for
//! `/api/health`.
//!
//! The child never outlives its welcome:
//! - it runs in a process group of its own, and stopping or restarting it
//!   kills the group (SIGTERM, then SIGKILL after [`STOP_GRACE`]), so a
//!   grandchild that holds its output goes too;
//! - the reader waits for output at most [`WAKE_EVERY`] at a time and then
//!   checks whether the child has exited, so a child that exits while
//!   something else holds its stdout open is reaped and restarted, not left
//!   a zombie;
//! - a line longer than [`MAX_LINE`] is not tegrastats output: the child is
//!   restarted with backoff, so an endless line costs a bounded share of a
//!   core instead of the reader's whole time.

use std::io::{BufRead, BufReader, Read};
use std::os::fd::AsFd;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use edgestat_core::tegra::TegraSample;
use edgestat_parsers::tegrastats;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

/// Longest line read; real lines are under 1 KiB (AGX Orin with peaks:
/// about 700 bytes).
pub const MAX_LINE: usize = 4096;

/// First wait before restarting a child that exited.
pub const BACKOFF_MIN: Duration = Duration::from_secs(1);

/// Longest wait between restarts.
pub const BACKOFF_MAX: Duration = Duration::from_secs(60);

/// A child that ran this long before exiting restarts after
/// [`BACKOFF_MIN`] again.
const HEALTHY_RUN: Duration = Duration::from_secs(30);

/// How long the reader waits for output before it checks that the child
/// still runs.
pub const WAKE_EVERY: Duration = Duration::from_millis(500);

/// How long a stopped child has between SIGTERM and SIGKILL.
pub const STOP_GRACE: Duration = Duration::from_millis(500);

/// What the reader thread publishes.
#[derive(Debug)]
pub struct State {
    /// The latest line that parsed, and when it arrived.
    pub latest: Option<(TegraSample, Instant)>,
    /// Lines that did not parse since start.
    pub rejected: u64,
    /// Why the child is not delivering, if it is not.
    pub fault: Option<String>,
    /// Times the child was (re)started.
    pub starts: u32,
    /// When the reader started.
    pub since: Instant,
}

impl Default for State {
    fn default() -> Self {
        State { latest: None, rejected: 0, fault: None, starts: 0, since: Instant::now() }
    }
}

/// The running reader: its state, and how to stop it.
#[derive(Debug, Clone)]
pub struct Child {
    /// Shared with the reader thread.
    pub state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    /// The running child's pid, which is also its process group; 0 when
    /// none runs.
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

    /// Why the child gives nothing usable fresher than `max_age`, if it
    /// does not: its own fault, else how long it has been quiet.
    pub fn fault(&self, max_age: Duration) -> Option<String> {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(fault) = &state.fault {
            return Some(fault.clone());
        }
        let quiet = match &state.latest {
            Some((_, at)) if at.elapsed() <= max_age => return None,
            Some((_, at)) => at.elapsed(),
            None if state.since.elapsed() <= max_age => return None,
            None => state.since.elapsed(),
        };
        Some(format!("tegrastats: no usable line for {} s", quiet.as_secs()))
    }

    /// Stops restarting, ends the running child's process group (SIGTERM,
    /// then SIGKILL after [`STOP_GRACE`]) and waits until it is reaped.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        let Some(group) = self.group() else { return };
        let _ = killpg(group, Signal::SIGTERM);
        let deadline = Instant::now() + STOP_GRACE;
        while self.group().is_some() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        if let Some(group) = self.group() {
            let _ = killpg(group, Signal::SIGKILL);
            let deadline = Instant::now() + STOP_GRACE + WAKE_EVERY;
            while self.group().is_some() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }

    fn group(&self) -> Option<Pid> {
        let pid = i32::try_from(self.pid.load(Ordering::SeqCst)).ok()?;
        (pid > 0).then(|| Pid::from_raw(pid))
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
                .process_group(0)
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
                    let ended = match child.stdout.take() {
                        Some(stdout) => self.read_lines(stdout, &mut child, &mut line, &mut sample),
                        None => "tegrastats: no output pipe".into(),
                    };
                    // The whole group: a grandchild may hold the pipe.
                    if let Some(group) = self.group() {
                        let _ = killpg(group, Signal::SIGKILL);
                    }
                    let status = child.wait();
                    self.pid.store(0, Ordering::SeqCst);
                    match status {
                        Ok(status) => format!("{ended} ({status})"),
                        Err(e) => format!("{ended} ({e})"),
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

    /// Reads lines until the child's output ends, the child exits, a line
    /// is too long, or the reader is stopped; returns why it ended.
    fn read_lines(
        &self,
        stdout: std::process::ChildStdout,
        child: &mut std::process::Child,
        line: &mut Vec<u8>,
        sample: &mut TegraSample,
    ) -> String {
        let mut reader = BufReader::with_capacity(MAX_LINE, Waiting { stdout });
        loop {
            line.clear();
            // Read one line without letting it grow past MAX_LINE.
            loop {
                if self.stop.load(Ordering::SeqCst) {
                    return "tegrastats: stopped".into();
                }
                let chunk = match reader.fill_buf() {
                    Ok(chunk) => chunk,
                    Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                        if let Ok(Some(_)) = child.try_wait() {
                            return "tegrastats exited, its output held open by another process"
                                .into();
                        }
                        continue;
                    }
                    Err(e) => return format!("tegrastats: reading its output: {e}"),
                };
                if chunk.is_empty() {
                    return "tegrastats exited".into();
                }
                let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
                    Some(at) => (at + 1, true),
                    None => (chunk.len(), false),
                };
                if line.len() + take > MAX_LINE {
                    self.set(|s| s.rejected += 1);
                    return format!(
                        "tegrastats printed a line longer than {MAX_LINE} bytes: not tegrastats output"
                    );
                }
                line.extend_from_slice(chunk.get(..take).unwrap_or_default());
                reader.consume(take);
                if done {
                    break;
                }
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

/// The child's stdout, read with a wait of at most [`WAKE_EVERY`]: past it
/// a read fails with `TimedOut`, so the reader can check the child.
struct Waiting {
    stdout: std::process::ChildStdout,
}

impl Read for Waiting {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
        let timeout = PollTimeout::try_from(WAKE_EVERY).unwrap_or(PollTimeout::MAX);
        let mut fds = [PollFd::new(self.stdout.as_fd(), PollFlags::POLLIN)];
        match poll(&mut fds, timeout) {
            Ok(0) => Err(std::io::ErrorKind::TimedOut.into()),
            Ok(_) => self.stdout.read(buf),
            Err(nix::errno::Errno::EINTR) => Err(std::io::ErrorKind::TimedOut.into()),
            Err(e) => Err(std::io::Error::from(e)),
        }
    }
}
