//! `vcgencmd pmic_read_adc` (Pi 5): the PMIC's rail currents and voltages.
//!
//! ```text
//!   VDD_CORE_A current(7)=0.94657990A
//!   VDD_CORE_V volt(15)=0.72097620V
//!      EXT5V_V volt(24)=5.11478000V
//! ```
//! Names are right-aligned with leading spaces. Each rail prints a `_A`
//! current line and a `_V` voltage line, all currents first; `EXT5V` and
//! `BATT` have only a voltage. Lines of one rail are merged under the name
//! without the suffix. Values have 8 decimals and are kept as nA and nV.

use edgestat_core::name::push;
use edgestat_core::pi::{AdcReading, Pmic, PmicRail};
use nom::Parser;
use nom::branch::alt;
use nom::bytes::complete::tag;
use nom::combinator::{map, map_opt};
use nom::sequence::{delimited, separated_pair};

use super::{reject_firmware_error, word};
use crate::error::{Error, ErrorKind};
use crate::lex::{self, Res, fixed, u16};

const FIELD: &str = "pmic_read_adc";

/// Which quantity a line carries.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quantity {
    Current,
    Volts,
}

/// Parses a `pmic_read_adc` reply into rails in first-printed order.
pub fn parse(input: &[u8]) -> Result<Pmic, Error> {
    reject_firmware_error(input, FIELD)?;
    let body = lex::trim(input);
    if body.is_empty() {
        return Err(Error::new(ErrorKind::Empty, FIELD));
    }
    let mut pmic = Pmic::default();
    for line in lex::lines(body) {
        let (name, quantity, reading) = lex::complete(line, FIELD, adc_line)?;
        let index = match pmic.rails.iter().position(|r| r.name.as_bytes() == name) {
            Some(i) => i,
            None => {
                let rail = PmicRail { name: lex::name(name, FIELD)?, current: None, volts: None };
                push(&mut pmic.rails, rail, "pmic rails")?;
                pmic.rails.len() - 1
            }
        };
        let rail = pmic.rails.get_mut(index).ok_or(Error::syntax(FIELD))?;
        let slot = match quantity {
            Quantity::Current => &mut rail.current,
            Quantity::Volts => &mut rail.volts,
        };
        if slot.is_some() {
            // The same rail printed twice: refuse to pick one.
            return Err(Error::syntax(FIELD));
        }
        *slot = Some(reading);
    }
    Ok(pmic)
}

/// `NAME_A current(<n>)=<f>A` or `NAME_V volt(<n>)=<f>V`, leading spaces
/// trimmed: the rail name (without the suffix), the quantity and the reading.
fn adc_line(input: &[u8]) -> Res<'_, (&[u8], Quantity, AdcReading)> {
    map_opt(separated_pair(word, tag(" "), measurement), |(label, (quantity, reading))| {
        Some((rail_name(label, quantity)?, quantity, reading))
    })
    .parse(input)
}

/// `current(<n>)=<f>A` or `volt(<n>)=<f>V`.
fn measurement(input: &[u8]) -> Res<'_, (Quantity, AdcReading)> {
    alt((
        map(delimited(tag("current("), reading, tag("A")), |r| (Quantity::Current, r)),
        map(delimited(tag("volt("), reading, tag("V")), |r| (Quantity::Volts, r)),
    ))
    .parse(input)
}

/// `<channel>)=<value>`, the value with up to nine decimals kept as nano-units.
fn reading(input: &[u8]) -> Res<'_, AdcReading> {
    map(separated_pair(u16, tag(")="), nano), |(channel, nano)| AdcReading { channel, nano })
        .parse(input)
}

/// A value with up to nine decimals, as nano-units.
fn nano(input: &[u8]) -> Res<'_, i64> {
    fixed(input, 9)
}

/// The label without the suffix of its quantity (`_A`, `_V`); `None` when
/// the suffix does not match or nothing is left.
fn rail_name(label: &[u8], quantity: Quantity) -> Option<&[u8]> {
    let suffix: &[u8] = match quantity {
        Quantity::Current => b"_A",
        Quantity::Volts => b"_V",
    };
    label.strip_suffix(suffix).filter(|name| !name.is_empty())
}
