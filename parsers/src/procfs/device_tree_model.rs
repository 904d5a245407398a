//! The device-tree `model` property (`/proc/device-tree/model`, also at
//! `/sys/firmware/devicetree/base/model`).
//!
//! ```text
//! NVIDIA Jetson AGX Orin Developer Kit\0
//! Raspberry Pi 4 Model B Rev 1.4\0
//! ```
//! A device-tree string: UTF-8 text ended by one NUL byte. A missing NUL
//! (a copy made with a text editor) and surrounding whitespace are
//! tolerated; a second string after the NUL is trailing input.

use edgestat_core::linux::BoardModel;
use edgestat_core::name::bounded;

use crate::error::{Error, ErrorKind};
use crate::lex::{trim, utf8};

/// Parses the `model` file into the board name without its NUL.
pub fn parse(input: &[u8]) -> Result<BoardModel, Error> {
    let text = trim(input.strip_suffix(b"\0").unwrap_or(input));
    if text.is_empty() {
        return Err(Error::new(ErrorKind::Empty, "model"));
    }
    if text.contains(&0) {
        return Err(Error::new(ErrorKind::Trailing, "model"));
    }
    Ok(bounded(utf8(text, "model")?, "model")?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_terminated_strings() {
        assert_eq!(
            parse(b"Raspberry Pi 5 Model B Rev 1.0\0").as_deref(),
            Ok("Raspberry Pi 5 Model B Rev 1.0")
        );
        assert_eq!(
            parse(b"Raspberry Pi 5 Model B Rev 1.0\n").as_deref(),
            Ok("Raspberry Pi 5 Model B Rev 1.0")
        );
        assert_eq!(parse(b"\0"), Err(Error::new(ErrorKind::Empty, "model")));
        assert_eq!(parse(b"a\0b\0"), Err(Error::new(ErrorKind::Trailing, "model")));
        assert_eq!(parse(b"\xff\0"), Err(Error::syntax("model")));
        assert_eq!(parse(&[b'x'; 65]), Err(Error::new(ErrorKind::Capacity, "model")));
    }
}
