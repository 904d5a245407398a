//! `/proc/cpuinfo`, x86 and ARM forms.
//!
//! ```text
//! processor   : 0
//! BogoMIPS    : 108.00
//! CPU implementer     : 0x41
//! CPU part    : 0xd08
//!
//! Hardware    : BCM2835
//! Revision    : c03111
//! Serial              : 10000000abcdef01
//! Model               : Raspberry Pi 4 Model B Rev 1.1
//! ```
//! (The kernel separates keys and values with tabs, shown here as spaces.)
//! One `key : value` per line, one block per CPU; x86 blocks carry
//! `model name` and `cpu MHz`, ARM blocks `CPU implementer` and `CPU part`,
//! and Raspberry Pi kernels end with the board trailer shown above. Keys
//! are case-sensitive (x86's `model : 1` is not the Pi's `Model`). Old ARM
//! kernels name the CPU in `Processor : ARMv7 Processor rev 10 (v7l)`.
//! Keys that are not kept are skipped; the kept ones are checked.

use edgestat_core::linux::{CpuInfo, PiRevision};
use edgestat_core::name::bounded;

use super::{content_lines, set_once, split_once};
use crate::error::{Error, ErrorKind};
use crate::lex::{hex, name, trim, utf8};

/// Parses a whole `/proc/cpuinfo`.
pub fn parse(input: &[u8]) -> Result<CpuInfo, Error> {
    super::not_empty(input, "cpuinfo")?;
    let mut info = CpuInfo::default();
    for line in content_lines(input) {
        let (key, value) = split_once(line, b':').ok_or(Error::syntax("cpuinfo"))?;
        let value = trim(value);
        match trim(key) {
            b"processor" => {
                super::number(value, "processor")?;
                info.processors = info
                    .processors
                    .checked_add(1)
                    .ok_or(Error::new(ErrorKind::Range, "processor"))?;
            }
            b"model name" | b"Processor" if info.model_name.is_none() => {
                info.model_name = Some(bounded(utf8(value, "model name")?, "model name")?);
            }
            b"CPU implementer" if info.cpu_implementer.is_none() => {
                let v = whole_hex(value, "CPU implementer")?;
                info.cpu_implementer = Some(narrow(v, "CPU implementer")?);
            }
            b"CPU part" if info.cpu_part.is_none() => {
                let v = whole_hex(value, "CPU part")?;
                info.cpu_part = Some(narrow(v, "CPU part")?);
            }
            b"Hardware" => set_once(&mut info.hardware, name(value, "Hardware")?, "Hardware")?,
            b"Revision" => {
                let code = revision(value)?;
                set_once(&mut info.revision, code, "Revision")?;
            }
            b"Serial" => set_once(&mut info.serial, name(value, "Serial")?, "Serial")?,
            b"Model" => {
                let model = bounded(utf8(value, "Model")?, "Model")?;
                set_once(&mut info.model, model, "Model")?;
            }
            b"" => return Err(Error::syntax("cpuinfo")),
            _ => {}
        }
    }
    let on_pi = info.hardware.as_ref().is_some_and(|h| h.starts_with("BCM"))
        || info.model.as_ref().is_some_and(|m| m.starts_with("Raspberry Pi"));
    info.pi = info.revision.filter(|_| on_pi).and_then(PiRevision::decode);
    Ok(info)
}

/// A whole `0x…` value.
fn whole_hex(value: &[u8], field: &'static str) -> Result<u64, Error> {
    match hex(value) {
        Ok((&[], v)) => Ok(v),
        Ok(_) => Err(Error::new(ErrorKind::Trailing, field)),
        Err(_) => Err(Error::syntax(field)),
    }
}

/// A value narrowed to its field's width, or a range error.
fn narrow<T: TryFrom<u64>>(v: u64, field: &'static str) -> Result<T, Error> {
    T::try_from(v).map_err(|_| Error::new(ErrorKind::Range, field))
}

/// The board revision: bare hex digits (`c03111`, `0000`, `1000002`).
fn revision(value: &[u8]) -> Result<u32, Error> {
    if value.is_empty() || value.len() > 8 {
        return Err(Error::syntax("Revision"));
    }
    value.iter().try_fold(0u32, |acc, &b| {
        let digit = char::from(b).to_digit(16).ok_or(Error::syntax("Revision"))?;
        Ok((acc << 4) | digit)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn armv7_and_old_kernels() {
        let info = parse(
            b"Processor\t: ARMv7 Processor rev 10 (v7l)\nprocessor\t: 0\nBogoMIPS\t: 790.52\n\nprocessor\t: 1\n\nHardware\t: Freescale i.MX 6Quad\nRevision\t: 0000\nSerial\t\t: 0000000000000000\n",
        )
        .unwrap();
        assert_eq!(info.processors, 2);
        assert_eq!(info.model_name.as_deref(), Some("ARMv7 Processor rev 10 (v7l)"));
        assert_eq!(info.hardware.as_deref(), Some("Freescale i.MX 6Quad"));
        assert_eq!(info.revision, Some(0));
        assert_eq!(info.pi, None);
    }

    #[test]
    fn revision_decoded_only_on_a_pi() {
        let other =
            parse(b"processor\t: 0\nHardware\t: Allwinner sun8i\nRevision\t: c03111\n").unwrap();
        assert_eq!((other.revision, other.pi), (Some(0xc03111), None));
        let pi5 = parse(
            b"processor\t: 0\nRevision\t: d04170\nModel\t\t: Raspberry Pi 5 Model B Rev 1.0\n",
        )
        .unwrap();
        assert_eq!(pi5.pi.map(|p| p.memory_mb), Some(Some(8192)));
    }

    #[test]
    fn rejects_malformed() {
        assert_eq!(parse(b"processor\t: x\n"), Err(Error::syntax("processor")));
        assert_eq!(parse(b"Revision\t: c0311g\n"), Err(Error::syntax("Revision")));
        assert_eq!(parse(b"Revision\t: 1c0311100\n"), Err(Error::syntax("Revision")));
        assert_eq!(
            parse(b"CPU part\t: 0xd08 x\n"),
            Err(Error::new(ErrorKind::Trailing, "CPU part"))
        );
        assert_eq!(parse(b"CPU part\t: 0x1d080\n"), Err(Error::new(ErrorKind::Range, "CPU part")));
        assert_eq!(parse(b"CPU part\t: d08\n"), Err(Error::syntax("CPU part")));
        assert_eq!(parse(b"no colon here\n"), Err(Error::syntax("cpuinfo")));
        assert_eq!(parse(b"Hardware\t: a\nHardware\t: b\n"), Err(Error::syntax("Hardware")));
        let long = b"Model\t: Raspberry Pi 4 Model B Rev 1.1 with a name that is much too long to be kept\n";
        assert_eq!(parse(long), Err(Error::new(ErrorKind::Capacity, "Model")));
    }
}
