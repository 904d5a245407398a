//! `vcgencmd get_camera`: legacy camera support and detection.
//!
//! ```text
//! supported=0 detected=0, libcamera interfaces=0
//! ```
//! Older firmware stops after `detected=<n>`.

use edgestat_core::pi::Camera;

use super::{one_line, tag};
use crate::error::Error;
use crate::lex::{Res, u32};

const FIELD: &str = "get_camera";

/// Parses a `get_camera` reply.
pub fn parse(input: &[u8]) -> Result<Camera, Error> {
    one_line(input, FIELD, camera)
}

fn camera(input: &[u8]) -> Res<'_, Camera> {
    let (input, ()) = tag(input, b"supported=")?;
    let (input, supported) = u32(input)?;
    let (input, ()) = tag(input, b" detected=")?;
    let (input, detected) = u32(input)?;
    let (input, libcamera_interfaces) = match input.strip_prefix(b", libcamera interfaces=") {
        Some(rest) => {
            let (rest, n) = u32(rest)?;
            (rest, Some(n))
        }
        None => (input, None),
    };
    Ok((input, Camera { supported, detected, libcamera_interfaces }))
}
