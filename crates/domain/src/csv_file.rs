//! What every CSV import shares: a problem on a line, and counting file lines from the byte
//! offsets the `csv` reader reports (its own line counter skips blank lines).

use std::fmt;

use serde::{Deserialize, Serialize};

/// One problem in an imported file. `line` is 1-based (the header is line 1); problems with the
/// file as a whole are on line 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub line: usize,
    /// What is wrong, in plain words, without the "line N:" prefix.
    pub reason: String,
}

impl RowError {
    pub fn new(line: usize, reason: impl Into<String>) -> RowError {
        RowError { line, reason: reason.into() }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

/// The 1-based line of a byte offset, for offsets that only grow: one pass over the file.
pub struct LineCounter<'a> {
    data: &'a [u8],
    byte: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        LineCounter { data, byte: 0, line: 1 }
    }

    /// The line of the first byte at or after `byte` that is not a line break: the reader
    /// reports a record after blank lines as starting where the blank lines start.
    pub fn line_at(&mut self, byte: u64) -> usize {
        let mut byte = usize::try_from(byte).unwrap_or(usize::MAX).min(self.data.len());
        while byte < self.data.len() && matches!(self.data[byte], b'\n' | b'\r') {
            byte += 1;
        }
        if byte > self.byte {
            self.line += self.data[self.byte..byte].iter().filter(|&&b| b == b'\n').count();
            self.byte = byte;
        }
        self.line
    }
}

/// A record of nothing but spaces.
pub fn is_blank(record: &csv::ByteRecord) -> bool {
    record.iter().all(|field| field.iter().all(u8::is_ascii_whitespace))
}

/// True for the first chars that make a spreadsheet treat a cell as a formula.
fn is_formula_start(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// Prefixes a `'` when the value, after any leading `'`s, starts like a formula.
pub fn protect(value: &str) -> std::borrow::Cow<'_, str> {
    let rest = value.trim_start_matches('\'');
    if rest.chars().next().is_some_and(is_formula_start) {
        format!("'{value}").into()
    } else {
        value.into()
    }
}

/// Undoes [`protect`] on import.
pub fn unprotect(value: &str) -> &str {
    let rest = value.trim_start_matches('\'');
    if rest.len() < value.len() && rest.chars().next().is_some_and(is_formula_start) {
        &value[1..]
    } else {
        value
    }
}
