//! The process table: `/proc/<pid>/stat` and `/proc/<pid>/status` of every
//! process, with CPU shares from the difference between two scans and user
//! names from `/etc/passwd`.
//!
//! Scanning hundreds of processes is the costliest thing edgestat reads,
//! so the sampler runs it only while a client asks for processes.

use std::collections::HashMap;

use edgestat_parsers::procfs::{pid_stat, pid_status};

use super::{Roots, parse_file, read};
use crate::model::{Fault, Process, ProcessTable};

/// Processes one table keeps. A desktop has about 400, a Jetson running
/// containers about 600; a larger table is cut and the cut reported.
pub const MAX_PROCESSES: usize = 4096;

/// Clock ticks per second of the `/proc` tick counters (`USER_HZ`). Linux
/// exports 100 on every architecture edgestat runs on.
pub const USER_HZ: u64 = 100;

/// `/etc/passwd` is read into a buffer this large; larger files (LDAP
/// caches) leave user names unknown.
const PASSWD_BUF: usize = 64 * 1024;

/// What the scanner remembers between scans.
#[derive(Debug, Default)]
pub struct Scanner {
    /// CPU ticks (user + system) per pid at the previous scan, and when
    /// that scan ran (system uptime, centiseconds).
    previous: HashMap<u32, u64>,
    previous_uptime_cs: Option<u64>,
    users: HashMap<u32, String>,
    users_loaded: bool,
}

impl Scanner {
    /// Scans every process under the procfs root. `uptime_cs` is the
    /// system uptime read for this sample.
    pub fn scan(
        &mut self,
        roots: &Roots,
        uptime_cs: u64,
        buf: &mut [u8],
        faults: &mut Vec<Fault>,
    ) -> ProcessTable {
        if !self.users_loaded {
            self.users = load_users(roots);
            self.users_loaded = true;
        }
        let mut pids: Vec<u32> = match std::fs::read_dir(&roots.procfs) {
            Ok(entries) => entries
                .filter_map(Result::ok)
                .filter_map(|e| e.file_name().to_str()?.parse().ok())
                .collect(),
            Err(e) => {
                faults.push(Fault::Tool(format!("processes: {}: {e}", roots.procfs.display())));
                return ProcessTable::default();
            }
        };
        pids.sort_unstable();
        if pids.len() > MAX_PROCESSES {
            faults.push(Fault::Tool(format!(
                "processes: {} processes, only the first {MAX_PROCESSES} are listed",
                pids.len()
            )));
            pids.truncate(MAX_PROCESSES);
        }
        let elapsed_cs = self.previous_uptime_cs.map(|before| uptime_cs.saturating_sub(before));
        let mut ticks_now = HashMap::with_capacity(pids.len());
        let mut processes = Vec::with_capacity(pids.len());
        for pid in pids {
            let dir = roots.proc(&pid.to_string());
            // A process can exit between the listing and the read: skip it.
            let Ok(stat) = parse_file(&dir.join("stat"), buf, pid_stat::parse) else { continue };
            let Ok(status) = parse_file(&dir.join("status"), buf, pid_status::parse) else {
                continue;
            };
            let ticks = stat.utime_ticks.saturating_add(stat.stime_ticks);
            ticks_now.insert(pid, ticks);
            let cpu_per_mille = match (self.previous.get(&pid), elapsed_cs) {
                // Ticks are centiseconds (USER_HZ = 100), like uptime.
                (Some(&before), Some(elapsed)) if elapsed > 0 => {
                    let used = ticks.saturating_sub(before);
                    u32::try_from(used.saturating_mul(1000) / elapsed).ok()
                }
                _ => None,
            };
            let started_cs = stat.starttime_ticks.saturating_mul(100 / USER_HZ);
            processes.push(Process {
                pid,
                name: status.name,
                user: self
                    .users
                    .get(&status.uid)
                    .cloned()
                    .unwrap_or_else(|| status.uid.to_string()),
                cpu_per_mille,
                rss_kb: status.vm_rss_kb.unwrap_or(0),
                running_cs: uptime_cs.saturating_sub(started_cs),
            });
        }
        self.previous = ticks_now;
        self.previous_uptime_cs = Some(uptime_cs);
        ProcessTable { processes }
    }

    /// Forgets the previous scan (scanning stopped; the next scan's CPU
    /// shares would span the idle gap).
    pub fn reset(&mut self) {
        self.previous.clear();
        self.previous_uptime_cs = None;
    }
}

fn load_users(roots: &Roots) -> HashMap<u32, String> {
    let mut buf = vec![0u8; PASSWD_BUF];
    match read(&roots.root("etc/passwd"), &mut buf) {
        Ok(bytes) => passwd_users(bytes).map(|(name, uid)| (uid, name.to_owned())).collect(),
        Err(_) => HashMap::new(),
    }
}

/// `(name, uid)` of each well-formed `/etc/passwd` line
/// (`name:password:uid:gid:gecos:home:shell`).
fn passwd_users(passwd: &[u8]) -> impl Iterator<Item = (&str, u32)> {
    passwd.split(|&b| b == b'\n').filter_map(|line| {
        let line = std::str::from_utf8(line).ok()?;
        let mut fields = line.split(':');
        let name = fields.next().filter(|n| !n.is_empty() && !n.starts_with('#'))?;
        let uid = fields.nth(1)?.parse().ok()?;
        Some((name, uid))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwd_lines_give_names_and_uids() {
        let passwd = b"root:x:0:0:root:/root:/bin/bash\n\
            www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n\
            # comment\n\
            broken line\n\
            pi:x:1000:1000:,,,:/home/pi:/bin/bash\n";
        let users: Vec<_> = passwd_users(passwd).collect();
        assert_eq!(users, [("root", 0), ("www-data", 33), ("pi", 1000)]);
    }
}
