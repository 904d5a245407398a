//! Splitting a line into words on runs of whitespace, with one word of
//! look-ahead, and classifying each word's bytes in the same pass.
//!
//! A tegrastats line is about 50 words; deciding what a word is (a sensor
//! `name@valueC`, a rail or engine name, a value) must not rescan it once
//! per rule, so [`Words::next_word`] records which byte classes it holds.

use crate::lex::is_space;

/// Byte classes, one bit each, from [`CLASS`].
pub(super) mod class {
    /// Space, tab, CR or LF: separates words.
    pub const SPACE: u8 = 1;
    /// `[A-Za-z0-9_.-]`: allowed in sensor and rail names.
    pub const NAME: u8 = 2;
    /// `[A-Z0-9_]`: allowed in engine names (`NVENC`, `PVA0_FREQ`).
    pub const ENGINE: u8 = 4;
    /// `@`: sensors are `name@valueC`.
    pub const AT: u8 = 8;
}

/// The class bits of every byte value (built at compile time, where an
/// index out of range cannot happen).
#[allow(clippy::indexing_slicing)]
const CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < table.len() {
        let b = i as u8;
        let mut bits = 0;
        if is_space(b) {
            bits |= class::SPACE;
        }
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.') {
            bits |= class::NAME;
        }
        if b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_' {
            bits |= class::ENGINE;
        }
        if b == b'@' {
            bits |= class::AT;
        }
        table[i] = bits;
        i += 1;
    }
    table
};

fn class_of(b: u8) -> u8 {
    CLASS.get(usize::from(b)).copied().unwrap_or(0)
}

/// Whether `b` may appear in a sensor or rail name.
pub(super) fn is_name_byte(b: u8) -> bool {
    class_of(b) & class::NAME != 0
}

/// One word and the classes of its bytes.
#[derive(Clone, Copy)]
pub(super) struct Word<'a> {
    /// The word itself.
    pub bytes: &'a [u8],
    /// Class bits that every byte has.
    pub all: u8,
    /// Class bits that some byte has.
    pub any: u8,
}

impl Word<'_> {
    /// Every byte is of class `bits`.
    pub fn all(&self, bits: u8) -> bool {
        self.all & bits == bits
    }

    /// Some byte is of class `bits`.
    pub fn any(&self, bits: u8) -> bool {
        self.any & bits != 0
    }
}

/// The words of a line not yet consumed. Cloning it is a cheap checkpoint.
#[derive(Clone)]
pub(super) struct Words<'a> {
    rest: &'a [u8],
}

impl<'a> Words<'a> {
    pub(super) fn new(line: &'a [u8]) -> Self {
        Self { rest: line }
    }

    /// Consumes the next word if `accept` returns `Some` for it.
    pub(super) fn next_if<T>(&mut self, accept: impl FnOnce(&'a [u8]) -> Option<T>) -> Option<T> {
        let mut ahead = self.clone();
        let value = accept(ahead.next()?)?;
        *self = ahead;
        Some(value)
    }

    /// The next word with its byte classes.
    pub(super) fn next_word(&mut self) -> Option<Word<'a>> {
        let start = self.rest.iter().position(|&b| class_of(b) & class::SPACE == 0)?;
        let rest = self.rest.get(start..).unwrap_or_default();
        let (mut all, mut any, mut len) = (u8::MAX, 0u8, 0usize);
        for &b in rest {
            let bits = class_of(b);
            if bits & class::SPACE != 0 {
                break;
            }
            all &= bits;
            any |= bits;
            len += 1;
        }
        let (bytes, tail) = rest.split_at_checked(len).unwrap_or((rest, &[]));
        self.rest = tail;
        Some(Word { bytes, all, any })
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a [u8];

    /// The next word, not classified: a field's values only need splitting
    /// off (their scanners check every byte), and the CPU list alone is a
    /// 100-byte word.
    fn next(&mut self) -> Option<&'a [u8]> {
        let start = self.rest.iter().position(|&b| !is_space(b))?;
        let rest = self.rest.get(start..).unwrap_or_default();
        let len = rest.iter().position(|&b| is_space(b)).unwrap_or(rest.len());
        let (word, tail) = rest.split_at_checked(len).unwrap_or((rest, &[]));
        self.rest = tail;
        Some(word)
    }
}
