//! `vcgencmd get_camera`: legacy camera support and detection.
//!
//! ```text
//! supported=0 detected=0, libcamera interfaces=0
//! ```
//! Older firmware stops after `detected=<n>`.

use edgestat_core::pi::Camera;

use nom::Parser;
use nom::bytes::complete::tag;
use nom::combinator::{cut, map, opt};
use nom::sequence::preceded;

use super::one_line;
use crate::error::Error;
use crate::lex::{Res, u32};

const FIELD: &str = "get_camera";

/// Parses a `get_camera` reply.
pub fn parse(input: &[u8]) -> Result<Camera, Error> {
    one_line(input, FIELD, camera)
}

/// `supported=<n> detected=<n>[, libcamera interfaces=<n>]`.
fn camera(input: &[u8]) -> Res<'_, Camera> {
    map((supported, detected, opt(libcamera_interfaces)), |(supported, detected, interfaces)| {
        Camera { supported, detected, libcamera_interfaces: interfaces }
    })
    .parse(input)
}

/// `supported=<n>`.
fn supported(input: &[u8]) -> Res<'_, u32> {
    preceded(tag("supported="), u32).parse(input)
}

/// ` detected=<n>`.
fn detected(input: &[u8]) -> Res<'_, u32> {
    preceded(tag(" detected="), u32).parse(input)
}

/// `, libcamera interfaces=<n>` (newer firmware). Once the label matched,
/// a bad number is a syntax error, not leftover input.
fn libcamera_interfaces(input: &[u8]) -> Res<'_, u32> {
    preceded(tag(", libcamera interfaces="), cut(u32)).parse(input)
}
