//! Splitting a line into words on runs of whitespace, with one word of look-ahead.

use crate::lex::is_space;

/// The words of a line not yet consumed. Cloning it is a cheap checkpoint.
#[derive(Clone)]
pub(super) struct Words<'a> {
    rest: &'a [u8],
}

impl<'a> Words<'a> {
    pub(super) fn new(line: &'a [u8]) -> Self {
        Self { rest: line }
    }

    /// The next word without consuming it.
    pub(super) fn peek(&self) -> Option<&'a [u8]> {
        self.clone().next()
    }

    /// Consumes the next word if `accept` returns `Some` for it.
    pub(super) fn next_if<T>(&mut self, accept: impl FnOnce(&'a [u8]) -> Option<T>) -> Option<T> {
        let mut ahead = self.clone();
        let value = accept(ahead.next()?)?;
        *self = ahead;
        Some(value)
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let start = self.rest.iter().position(|&b| !is_space(b))?;
        let rest = self.rest.get(start..).unwrap_or_default();
        let len = rest.iter().position(|&b| is_space(b)).unwrap_or(rest.len());
        let (word, tail) = rest.split_at_checked(len).unwrap_or((rest, &[]));
        self.rest = tail;
        Some(word)
    }
}
