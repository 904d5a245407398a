//! vcgencmd on its own slow cadence (default every 5 s), for what a Pi's
//! sysfs lacks: the core voltage, the ARM, core and V3D clocks, the
//! throttling bits, the GPU memory split, the firmware version and, on a
//! Pi 5, the PMIC rails. Only the commands whose values a surface returns
//! are run, never per request.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use edgestat_core::pi::FirmwareVersion;
use edgestat_parsers::vcgencmd as vc;

use crate::model::PiReadings;

/// Longest a single vcgencmd call may take before it is killed. The
/// firmware answers in about 10 ms; a wedged mailbox never answers.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(2);

/// Why the last round failed, if it did, and the readings it got.
#[derive(Debug, Default)]
pub struct State {
    /// The latest round's readings, and when it ran.
    pub readings: Option<(PiReadings, Instant)>,
    /// What went wrong in the latest round, in words a user can act on.
    pub fault: Option<String>,
    /// Calls made since start (each is one process).
    pub calls: u64,
}

/// The poller thread's handle.
#[derive(Debug, Clone)]
pub struct Poller {
    /// Shared with the thread.
    pub state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    /// Set by the thread when it has ended (and no call of its runs).
    done: Arc<AtomicBool>,
}

impl Poller {
    /// Runs a round every `interval` on a thread of its own.
    pub fn spawn(path: PathBuf, interval: Duration) -> std::io::Result<Self> {
        let poller = Poller { state: Arc::default(), stop: Arc::default(), done: Arc::default() };
        let thread = poller.clone();
        std::thread::Builder::new().name("vcgencmd".into()).spawn(move || {
            let mut firmware = None;
            let mut pmic_supported = true;
            while !thread.stop.load(Ordering::SeqCst) {
                let started = Instant::now();
                let (readings, fault, calls) =
                    round(&path, &mut firmware, &mut pmic_supported, &thread.stop);
                {
                    let mut state = thread.state.lock().unwrap_or_else(PoisonError::into_inner);
                    state.calls += calls;
                    state.fault = fault;
                    state.readings = readings.map(|r| (r, Instant::now()));
                }
                while started.elapsed() < interval && !thread.stop.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
            thread.done.store(true, Ordering::SeqCst);
        })?;
        Ok(poller)
    }

    /// The latest readings if fresher than `max_age`.
    pub fn latest(&self, max_age: Duration) -> Option<PiReadings> {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.readings.as_ref().filter(|(_, at)| at.elapsed() <= max_age).map(|(r, _)| r.clone())
    }

    /// Why the latest round failed, if it did.
    pub fn fault(&self) -> Option<String> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).fault.clone()
    }

    /// Stops: a call under way is killed and reaped, and no other starts.
    /// Waits for that, at most [`CALL_TIMEOUT`].
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        let deadline = Instant::now() + CALL_TIMEOUT;
        while !self.done.load(Ordering::SeqCst) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// One round of calls now, for a caller without a poller (a test, a
/// one-shot command): the readings, or why vcgencmd cannot run at all.
pub fn once(path: &Path) -> Result<PiReadings, String> {
    let (readings, fault, _) = round(path, &mut None, &mut true, &AtomicBool::new(false));
    readings.ok_or_else(|| fault.unwrap_or_else(|| "vcgencmd: no readings".into()))
}

/// One round: the readings (None when vcgencmd cannot run at all), the
/// first fault, and the number of calls made.
fn round(
    path: &Path,
    firmware: &mut Option<FirmwareVersion>,
    pmic_supported: &mut bool,
    stop: &AtomicBool,
) -> (Option<PiReadings>, Option<String>, u64) {
    let mut calls = 0;
    let mut fault = None;
    let mut call = |args: &[&str]| {
        calls += 1;
        let result = run(path, args, stop);
        if let Err(message) = &result {
            fault.get_or_insert_with(|| message.clone());
        }
        result.ok()
    };
    // The first call tells whether vcgencmd works at all.
    let Some(throttled) = call(&["get_throttled"]) else {
        return (None, fault, calls);
    };
    let mut r = PiReadings {
        throttled: vc::get_throttled::parse(&throttled).ok(),
        ..PiReadings::default()
    };
    r.core_microvolts = call(&["measure_volts", "core"])
        .and_then(|out| vc::measure_volts::parse(&out).ok())
        .map(|v| v.microvolts);
    let mut clock = |name: &str| {
        call(&["measure_clock", name])
            .and_then(|out| vc::measure_clock::parse(&out).ok())
            .map(|c| c.hz)
    };
    r.arm_hz = clock("arm");
    r.core_hz = clock("core");
    r.v3d_hz = clock("v3d");
    r.gpu_mem_mb =
        call(&["get_mem", "gpu"]).and_then(|out| vc::get_mem::parse(&out).ok()).map(|m| m.mb);
    if firmware.is_none() {
        *firmware = call(&["version"]).and_then(|out| vc::version::parse(&out).ok());
    }
    r.firmware = firmware.clone();
    if *pmic_supported {
        // Only a Pi 5 has the PMIC; older firmware answers with an error.
        let reply = run(path, &["pmic_read_adc"], stop);
        calls += 1;
        match reply.as_deref().map(vc::pmic_read_adc::parse) {
            Ok(Ok(pmic)) => r.pmic = Some(pmic),
            _ => *pmic_supported = false,
        }
    }
    (Some(r), fault, calls)
}

/// Runs `vcgencmd args` and returns its stdout, or a message a user can act
/// on. The call runs in a process group of its own, which is killed past
/// [`CALL_TIMEOUT`] or when `stop` is set, and always reaped.
fn run(path: &Path, args: &[&str], stop: &AtomicBool) -> Result<Vec<u8>, String> {
    use std::os::unix::process::CommandExt;
    let command = args.join(" ");
    let mut child = Command::new(path)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => format!(
                "vcgencmd: {} not found; install raspi-utils (libraspberrypi-bin) or pass --vcgencmd PATH",
                path.display()
            ),
            _ => format!("vcgencmd: cannot start {}: {e}", path.display()),
        })?;
    let deadline = Instant::now() + CALL_TIMEOUT;
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if Instant::now() < deadline && !stop.load(Ordering::SeqCst) => {
                std::thread::sleep(Duration::from_millis(5));
            }
            _ => {
                let group = i32::try_from(child.id()).map(nix::unistd::Pid::from_raw);
                if let Ok(group) = group {
                    let _ = nix::sys::signal::killpg(group, nix::sys::signal::Signal::SIGKILL);
                }
                let _ = child.wait();
                return Err(format!("vcgencmd {command}: no answer within {CALL_TIMEOUT:?}"));
            }
        }
    }
    let output = child.wait_with_output().map_err(|e| format!("vcgencmd {command}: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() || output.stdout.is_empty() {
        return Err(explain(&command, &stderr, &output.stdout, output.status.code()));
    }
    if let Ok(error) = vc::firmware_error::parse(&output.stdout) {
        return Err(format!("vcgencmd {command}: {} (error {})", error.message, error.code));
    }
    Ok(output.stdout)
}

/// Turns a failed call into advice: the usual cause is a user outside
/// group `video`, which cannot open the firmware mailbox.
fn explain(command: &str, stderr: &str, stdout: &[u8], code: Option<i32>) -> String {
    let text = format!("{} {}", stderr.trim(), String::from_utf8_lossy(stdout).trim());
    if text.contains("VCHI initialization failed")
        || text.contains("/dev/vchiq")
        || text.contains("/dev/vcio")
    {
        return "vcgencmd: permission denied on /dev/vchiq; add the user to group video".into();
    }
    match code {
        Some(code) => format!("vcgencmd {command}: exit status {code}: {}", text.trim()),
        None => format!("vcgencmd {command}: killed by a signal"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mailbox_failure_names_the_group() {
        assert_eq!(
            explain("get_throttled", "VCHI initialization failed\n", b"", Some(255)),
            "vcgencmd: permission denied on /dev/vchiq; add the user to group video"
        );
        assert_eq!(
            explain("measure_temp", "oops", b"", Some(1)),
            "vcgencmd measure_temp: exit status 1: oops"
        );
    }
}
