//! `/proc/meminfo`: memory figures in kB.
//!
//! ```text
//! MemTotal:        3885508 kB
//! MemAvailable:    3270420 kB
//! HugePages_Total:       0
//! CmaTotal:         524288 kB
//! ```
//! The keys of [`MemInfo`] are checked whole (`number` or `number kB`);
//! other keys only need `Key:` and are counted in [`MemInfo::other_keys`],
//! so vendor lines like Jetson's `NvMapMemUsed:` never fail a sample.

use edgestat_core::linux::MemInfo;

use super::{content_lines, count, kb_value, not_empty, set_once, split_once};
use crate::error::Error;
use crate::lex::trim;

/// Parses a whole `/proc/meminfo`.
pub fn parse(input: &[u8]) -> Result<MemInfo, Error> {
    not_empty(input, "meminfo")?;
    let mut m = MemInfo::default();
    for line in content_lines(input) {
        let (key, value) = split_once(line, b':').ok_or(Error::syntax("meminfo"))?;
        let key = trim(key);
        let (field, slot) = match key {
            b"MemTotal" => ("MemTotal", &mut m.mem_total_kb),
            b"MemFree" => ("MemFree", &mut m.mem_free_kb),
            b"MemAvailable" => ("MemAvailable", &mut m.mem_available_kb),
            b"Buffers" => ("Buffers", &mut m.buffers_kb),
            b"Cached" => ("Cached", &mut m.cached_kb),
            b"SwapCached" => ("SwapCached", &mut m.swap_cached_kb),
            b"SwapTotal" => ("SwapTotal", &mut m.swap_total_kb),
            b"SwapFree" => ("SwapFree", &mut m.swap_free_kb),
            b"Shmem" => ("Shmem", &mut m.shmem_kb),
            b"SReclaimable" => ("SReclaimable", &mut m.sreclaimable_kb),
            b"SUnreclaim" => ("SUnreclaim", &mut m.sunreclaim_kb),
            b"CmaTotal" => ("CmaTotal", &mut m.cma_total_kb),
            b"CmaFree" => ("CmaFree", &mut m.cma_free_kb),
            b"" => return Err(Error::syntax("meminfo")),
            _ => {
                count(&mut m.other_keys);
                continue;
            }
        };
        set_once(slot, kb_value(value, field)?, field)?;
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn known_keys_are_strict_others_counted() {
        let m = parse(b"MemTotal: 100 kB\nHugePages_Total:  0\nNvMapMemUsed: ??\n").unwrap();
        assert_eq!(m.mem_total_kb, Some(100));
        assert_eq!(m.other_keys, 2);
        assert_eq!(parse(b"MemTotal: 100 MB\n"), Err(Error::syntax("MemTotal")));
        assert_eq!(
            parse(b"MemTotal: 100 kB x\n"),
            Err(Error::new(ErrorKind::Trailing, "MemTotal"))
        );
        assert_eq!(parse(b"MemTotal:\n"), Err(Error::missing("MemTotal")));
        assert_eq!(parse(b"MemTotal 100 kB\n"), Err(Error::syntax("meminfo")));
        assert_eq!(parse(b"MemFree: 1 kB\nMemFree: 2 kB\n"), Err(Error::syntax("MemFree")));
    }
}
