//! `vcgencmd measure_temp`: the SoC temperature.
//!
//! ```text
//! temp=42.8'C
//! ```

use edgestat_core::pi::Temperature;

use super::{one_line, tag};
use crate::error::{Error, ErrorKind};
use crate::lex::{Res, fixed};

const FIELD: &str = "measure_temp";

/// Parses a `measure_temp` reply into milli-°C.
pub fn parse(input: &[u8]) -> Result<Temperature, Error> {
    let milli = one_line(input, FIELD, temp)?;
    let milli_celsius = i32::try_from(milli).map_err(|_| Error::new(ErrorKind::Range, FIELD))?;
    Ok(Temperature { milli_celsius })
}

fn temp(input: &[u8]) -> Res<'_, i64> {
    let (input, ()) = tag(input, b"temp=")?;
    let (input, milli) = fixed(input, 3)?;
    let (input, ()) = tag(input, b"'C")?;
    Ok((input, milli))
}
