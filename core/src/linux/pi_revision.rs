//! The Raspberry Pi board revision code (`Revision : c03111` in
//! `/proc/cpuinfo`), new style.
//!
//! Bits, as Raspberry Pi's "revision codes" documentation lays them out
//! (`NOQuuuWuFMMMCCCCPPPPTTTTTTTTRRRR`): `R` revision (0–3), `T` board type
//! (4–11), `P` processor (12–15), `C` manufacturer (16–19), `M` memory size
//! (20–22), `F` new-style flag (23), `W` warranty voided (25), `Q`, `O`, `N`
//! OTP read, OTP program and overvoltage disallowed (29–31). Old-style codes
//! (`0002`–`0015`, first-generation boards) have bit 23 clear and are not
//! decoded.

use core::fmt;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

/// The board type, bits 4–11.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PiBoard {
    /// 0x00: A.
    A,
    /// 0x01: B.
    B,
    /// 0x02: A+.
    APlus,
    /// 0x03: B+.
    BPlus,
    /// 0x04: 2B.
    Pi2B,
    /// 0x05: Alpha (early prototype).
    Alpha,
    /// 0x06: Compute Module 1.
    Cm1,
    /// 0x08: 3B.
    Pi3B,
    /// 0x09: Zero.
    Zero,
    /// 0x0a: Compute Module 3.
    Cm3,
    /// 0x0c: Zero W.
    ZeroW,
    /// 0x0d: 3B+.
    Pi3BPlus,
    /// 0x0e: 3A+.
    Pi3APlus,
    /// 0x10: Compute Module 3+.
    Cm3Plus,
    /// 0x11: 4B.
    Pi4B,
    /// 0x12: Zero 2 W.
    Zero2W,
    /// 0x13: 400.
    Pi400,
    /// 0x14: Compute Module 4.
    Cm4,
    /// 0x15: Compute Module 4S.
    Cm4S,
    /// 0x17: 5.
    Pi5,
    /// 0x18: Compute Module 5.
    Cm5,
    /// 0x19: 500.
    Pi500,
    /// 0x1a: Compute Module 5 Lite.
    Cm5Lite,
    /// A type code not listed above (0x0f and 0x16 are "internal use only").
    Other(u8),
}

impl PiBoard {
    /// The board for its type code.
    pub fn from_code(code: u8) -> Self {
        match code {
            0x00 => Self::A,
            0x01 => Self::B,
            0x02 => Self::APlus,
            0x03 => Self::BPlus,
            0x04 => Self::Pi2B,
            0x05 => Self::Alpha,
            0x06 => Self::Cm1,
            0x08 => Self::Pi3B,
            0x09 => Self::Zero,
            0x0a => Self::Cm3,
            0x0c => Self::ZeroW,
            0x0d => Self::Pi3BPlus,
            0x0e => Self::Pi3APlus,
            0x10 => Self::Cm3Plus,
            0x11 => Self::Pi4B,
            0x12 => Self::Zero2W,
            0x13 => Self::Pi400,
            0x14 => Self::Cm4,
            0x15 => Self::Cm4S,
            0x17 => Self::Pi5,
            0x18 => Self::Cm5,
            0x19 => Self::Pi500,
            0x1a => Self::Cm5Lite,
            other => Self::Other(other),
        }
    }

    /// The name Raspberry Pi's documentation gives the type (`4B`, `3B+`,
    /// `Zero 2 W`), or `None` for [`PiBoard::Other`].
    pub fn name(self) -> Option<&'static str> {
        Some(match self {
            Self::A => "A",
            Self::B => "B",
            Self::APlus => "A+",
            Self::BPlus => "B+",
            Self::Pi2B => "2B",
            Self::Alpha => "Alpha",
            Self::Cm1 => "CM1",
            Self::Pi3B => "3B",
            Self::Zero => "Zero",
            Self::Cm3 => "CM3",
            Self::ZeroW => "Zero W",
            Self::Pi3BPlus => "3B+",
            Self::Pi3APlus => "3A+",
            Self::Cm3Plus => "CM3+",
            Self::Pi4B => "4B",
            Self::Zero2W => "Zero 2 W",
            Self::Pi400 => "400",
            Self::Cm4 => "CM4",
            Self::Cm4S => "CM4S",
            Self::Pi5 => "5",
            Self::Cm5 => "CM5",
            Self::Pi500 => "500",
            Self::Cm5Lite => "CM5 Lite",
            Self::Other(_) => return None,
        })
    }
}

/// The manufacturer, bits 16–19.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PiManufacturer {
    /// 0: Sony UK.
    SonyUk,
    /// 1: Egoman.
    Egoman,
    /// 2 and 4: Embest.
    Embest,
    /// 3: Sony Japan.
    SonyJapan,
    /// 5: Stadium.
    Stadium,
    /// A code not listed above.
    Other(u8),
}

impl PiManufacturer {
    /// The manufacturer for its code.
    pub fn from_code(code: u8) -> Self {
        match code {
            0 => Self::SonyUk,
            1 => Self::Egoman,
            2 | 4 => Self::Embest,
            3 => Self::SonyJapan,
            5 => Self::Stadium,
            other => Self::Other(other),
        }
    }

    /// The manufacturer's name, or `None` for [`PiManufacturer::Other`].
    pub fn name(self) -> Option<&'static str> {
        Some(match self {
            Self::SonyUk => "Sony UK",
            Self::Egoman => "Egoman",
            Self::Embest => "Embest",
            Self::SonyJapan => "Sony Japan",
            Self::Stadium => "Stadium",
            Self::Other(_) => return None,
        })
    }
}

/// The SoC, bits 12–15.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PiProcessor {
    /// 0: BCM2835 (Pi 1, Zero).
    Bcm2835,
    /// 1: BCM2836 (Pi 2).
    Bcm2836,
    /// 2: BCM2837 (Pi 3, Zero 2 W).
    Bcm2837,
    /// 3: BCM2711 (Pi 4, 400, CM4).
    Bcm2711,
    /// 4: BCM2712 (Pi 5, 500, CM5).
    Bcm2712,
    /// A code not listed above.
    Other(u8),
}

impl PiProcessor {
    /// The SoC for its code.
    pub fn from_code(code: u8) -> Self {
        match code {
            0 => Self::Bcm2835,
            1 => Self::Bcm2836,
            2 => Self::Bcm2837,
            3 => Self::Bcm2711,
            4 => Self::Bcm2712,
            other => Self::Other(other),
        }
    }

    /// The SoC's name, or `None` for [`PiProcessor::Other`].
    pub fn name(self) -> Option<&'static str> {
        Some(match self {
            Self::Bcm2835 => "BCM2835",
            Self::Bcm2836 => "BCM2836",
            Self::Bcm2837 => "BCM2837",
            Self::Bcm2711 => "BCM2711",
            Self::Bcm2712 => "BCM2712",
            Self::Other(_) => return None,
        })
    }
}

/// A decoded new-style revision code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PiRevision {
    /// The whole code as read (`0xc03111`).
    pub code: u32,
    /// Board type.
    pub board: PiBoard,
    /// RAM in MB (256 × 2^M); `None` for the unassigned value 7.
    pub memory_mb: Option<u32>,
    /// Manufacturer.
    pub manufacturer: PiManufacturer,
    /// SoC.
    pub processor: PiProcessor,
    /// Board revision: the `x` of `Rev 1.x`.
    pub revision: u8,
    /// Bit 25: the warranty bit was set by overclocking (Pi 1–3).
    pub warranty_voided: bool,
}

impl PiRevision {
    /// Bit 23: set for new-style codes.
    pub const NEW_STYLE: u32 = 1 << 23;

    /// Decodes a new-style code; `None` for old-style codes (bit 23 clear).
    pub fn decode(code: u32) -> Option<Self> {
        if code & Self::NEW_STYLE == 0 {
            return None;
        }
        let field = |shift: u32, mask: u32| ((code >> shift) & mask) as u8;
        let memory = field(20, 0x7);
        Some(Self {
            code,
            board: PiBoard::from_code(field(4, 0xff)),
            memory_mb: (memory < 7).then(|| 256u32 << memory),
            manufacturer: PiManufacturer::from_code(field(16, 0xf)),
            processor: PiProcessor::from_code(field(12, 0xf)),
            revision: field(0, 0xf),
            warranty_voided: code & (1 << 25) != 0,
        })
    }
}

impl Serialize for PiRevision {
    /// `{"code":"c03111","board":"4B","memory_mb":4096,"manufacturer":"Sony UK",
    /// "processor":"BCM2711","revision":1,"warranty_voided":false}`; unlisted
    /// board, manufacturer or processor codes are `null`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("PiRevision", 7)?;
        s.serialize_field("code", &Hex(self.code))?;
        s.serialize_field("board", &self.board.name())?;
        s.serialize_field("memory_mb", &self.memory_mb)?;
        s.serialize_field("manufacturer", &self.manufacturer.name())?;
        s.serialize_field("processor", &self.processor.name())?;
        s.serialize_field("revision", &self.revision)?;
        s.serialize_field("warranty_voided", &self.warranty_voided)?;
        s.end()
    }
}

/// A code written as lower-case hex without `0x`, as `/proc/cpuinfo` shows it.
struct Hex(u32);

impl fmt::Display for Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:x}", self.0)
    }
}

impl Serialize for Hex {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_codes_decode() {
        let pi4 = PiRevision::decode(0xc03111).unwrap();
        assert_eq!(pi4.board, PiBoard::Pi4B);
        assert_eq!(pi4.memory_mb, Some(4096));
        assert_eq!(pi4.manufacturer, PiManufacturer::SonyUk);
        assert_eq!(pi4.processor, PiProcessor::Bcm2711);
        assert_eq!(pi4.revision, 1);
        assert!(!pi4.warranty_voided);

        // Pi 5 8GB Rev 1.0, Pi 3B+ 1GB Rev 1.3, Zero 2 W, Pi 400, CM4, CM5 Lite.
        let pi5 = PiRevision::decode(0xd04170).unwrap();
        assert_eq!(
            (pi5.board, pi5.memory_mb, pi5.processor),
            (PiBoard::Pi5, Some(8192), PiProcessor::Bcm2712)
        );
        let b3p = PiRevision::decode(0xa020d3).unwrap();
        assert_eq!((b3p.board, b3p.memory_mb, b3p.revision), (PiBoard::Pi3BPlus, Some(1024), 3));
        let z2w = PiRevision::decode(0x902120).unwrap();
        assert_eq!(
            (z2w.board, z2w.memory_mb, z2w.processor),
            (PiBoard::Zero2W, Some(512), PiProcessor::Bcm2837)
        );
        assert_eq!(PiRevision::decode(0xc03130).map(|r| r.board), Some(PiBoard::Pi400));
        assert_eq!(PiRevision::decode(0xb03141).map(|r| r.board), Some(PiBoard::Cm4));
        assert_eq!(PiRevision::decode(0xd041a0).map(|r| r.board), Some(PiBoard::Cm5Lite));
        // Pi 3B by Embest (manufacturer code 2).
        let b3 = PiRevision::decode(0xa22082).unwrap();
        assert_eq!(
            (b3.board, b3.manufacturer, b3.revision),
            (PiBoard::Pi3B, PiManufacturer::Embest, 2)
        );
    }

    #[test]
    fn old_style_and_unlisted_codes() {
        assert_eq!(PiRevision::decode(0x000e), None);
        assert_eq!(PiRevision::decode(0x1000_0002), None, "warranty bit on an old code");
        let odd = PiRevision::decode(0x00ff_f0f0).unwrap();
        assert_eq!(odd.board, PiBoard::Other(0x0f));
        assert_eq!(odd.memory_mb, None);
        assert_eq!(odd.manufacturer, PiManufacturer::Other(0xf));
        assert_eq!(odd.processor, PiProcessor::Other(0xf));
        assert_eq!(PiRevision::decode(0x02c03111).map(|r| r.warranty_voided), Some(true));
    }

    #[test]
    fn serializes_names() {
        let mut buf = [0u8; 256];
        let n = crate::json::to_slice(&PiRevision::decode(0xc03111).unwrap(), &mut buf).unwrap();
        assert_eq!(
            core::str::from_utf8(&buf[..n]).unwrap(),
            r#"{"code":"c03111","board":"4B","memory_mb":4096,"manufacturer":"Sony UK","processor":"BCM2711","revision":1,"warranty_voided":false}"#
        );
    }
}
