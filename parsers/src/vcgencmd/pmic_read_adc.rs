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

use super::{is_word, reject_firmware_error, tag, take_while1};
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

/// `NAME_A current(<n>)=<f>A` or `NAME_V volt(<n>)=<f>V`, leading spaces trimmed.
fn adc_line(input: &[u8]) -> Res<'_, (&[u8], Quantity, AdcReading)> {
    let (input, label) = take_while1(input, is_word)?;
    let (input, ()) = tag(input, b" ")?;
    let (name, quantity, input, unit) = if let Some(rest) = input.strip_prefix(b"current(") {
        (label.strip_suffix(b"_A"), Quantity::Current, rest, b"A")
    } else if let Some(rest) = input.strip_prefix(b"volt(") {
        (label.strip_suffix(b"_V"), Quantity::Volts, rest, b"V")
    } else {
        return lex::fail(input);
    };
    let Some(name) = name.filter(|n| !n.is_empty()) else {
        return lex::fail(input);
    };
    let (input, channel) = u16(input)?;
    let (input, ()) = tag(input, b")=")?;
    let (input, nano) = fixed(input, 9)?;
    let (input, ()) = tag(input, unit)?;
    Ok((input, (name, quantity, AdcReading { channel, nano })))
}
