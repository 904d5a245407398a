//! `/etc/nv_tegra_release`: which L4T (Jetson Linux) release a Jetson runs.
//!
//! ```text
//! # R36 (release), REVISION: 4.4, GCID: 41062509, BOARD: generic, EABI: aarch64, DATE: Mon Jun 16 16:07:13 UTC 2025
//! # KERNEL_VARIANT: oot
//! ```
//! Only the first line matters; the lines after it (kernel variant, file
//! checksums) are ignored. Fields after `REVISION` other than `BOARD` are
//! ignored too, so a new field in a future release is not an error.

use edgestat_core::platform::L4tRelease;
use nom::Parser;
use nom::bytes::complete::tag;
use nom::combinator::opt;
use nom::sequence::preceded;

use crate::error::{Error, ErrorKind};
use crate::lex::{self, Res, u16};

const FIELD: &str = "nv_tegra_release";

/// Parses the file's contents.
pub fn parse(input: &[u8]) -> Result<L4tRelease, Error> {
    let first = lex::lines(input).map(lex::trim).find(|l| !l.is_empty());
    let Some(line) = first else { return Err(Error::new(ErrorKind::Empty, FIELD)) };
    let (rest, (major, (minor, patch))) =
        (preceded(tag(&b"# R"[..]), u16), preceded(tag(&b" (release), REVISION: "[..]), revision))
            .parse(line)
            .map_err(|_| Error::syntax(FIELD))?;
    let mut board = None;
    for field in rest.split(|&b| b == b',').map(lex::trim).filter(|f| !f.is_empty()) {
        if let Some(name) = field.strip_prefix(b"BOARD: ") {
            board = Some(lex::name(name, "BOARD")?);
        } else if !field.contains(&b':') {
            return Err(Error::new(ErrorKind::Trailing, FIELD));
        }
    }
    Ok(L4tRelease { major, minor, patch, board })
}

/// `4.4`, or a bare `4`.
fn revision(input: &[u8]) -> Res<'_, (u16, u16)> {
    let (rest, minor) = u16(input)?;
    let (rest, patch) = opt(preceded(tag(&b"."[..]), u16)).parse(rest)?;
    Ok((rest, (minor, patch.unwrap_or(0))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_from_l4t_28_to_36() {
        type Case<'a> = (&'a [u8], (u16, u16, u16), Option<&'a str>);
        let cases: [Case<'_>; 4] = [
            (b"# R28 (release), REVISION: 2.1, GCID: 11272647, BOARD: t186ref, EABI: aarch64, DATE: Thu May 17 07:29:06 UTC 2018\n", (28, 2, 1), Some("t186ref")),
            (b"# R32 (release), REVISION: 7.1, GCID: 29818004, BOARD: t210ref, EABI: aarch64, DATE: Sat Feb 19 17:05:08 UTC 2022\n", (32, 7, 1), Some("t210ref")),
            (b"# R35 (release), REVISION: 4.1, GCID: 33958178, BOARD: t186ref, EABI: aarch64, DATE: Tue Aug  1 19:57:35 UTC 2023\n# KERNEL_VARIANT: oot\n", (35, 4, 1), Some("t186ref")),
            (b"# R36 (release), REVISION: 4, GCID: 1, EABI: aarch64\n", (36, 4, 0), None),
        ];
        for (input, (major, minor, patch), board) in cases {
            let r = parse(input).unwrap();
            assert_eq!((r.major, r.minor, r.patch), (major, minor, patch));
            assert_eq!(r.board.as_deref(), board);
        }
    }

    #[test]
    fn display_is_the_dotted_release() {
        let r = parse(b"# R36 (release), REVISION: 4.4, GCID: 41062509, BOARD: generic").unwrap();
        assert_eq!(heapless::format!(16; "{r}").unwrap().as_str(), "36.4.4");
    }

    #[test]
    fn other_files_are_errors() {
        assert_eq!(parse(b""), Err(Error::new(ErrorKind::Empty, FIELD)));
        assert_eq!(parse(b"PRETTY_NAME=\"Ubuntu 22.04\"\n"), Err(Error::syntax(FIELD)));
        assert_eq!(parse(b"# R99999999 (release), REVISION: 1.0"), Err(Error::syntax(FIELD)));
        assert_eq!(
            parse(b"# R36 (release), REVISION: 4.4, junk"),
            Err(Error::new(ErrorKind::Trailing, FIELD))
        );
        assert_eq!(
            parse(b"# R36 (release), REVISION: 4.4junk"),
            Err(Error::new(ErrorKind::Trailing, FIELD))
        );
    }
}
