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

/// A file of rows under a header, read by column name: what a small import needs.
#[derive(Debug)]
pub struct Table {
    columns: Vec<&'static str>,
    /// Each row's line and its values, in `columns`' order ("" where the file has no such column).
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    /// A row's value in a column (formula protection undone, trimmed).
    pub fn get<'a>(&self, row: &'a [String], column: &str) -> &'a str {
        self.columns.iter().position(|c| *c == column).map_or("", |i| row[i].as_str())
    }
}

/// Reads a CSV file whose header names some of `columns` (any order, any case), `required`
/// among them, with at most `max_rows` rows: every row, or every problem and no rows. `what`
/// names the rows in messages ("touchpoints").
pub fn read_table(
    data: &[u8],
    columns: &[&'static str],
    required: &[&str],
    max_rows: usize,
    what: &str,
) -> Result<Table, Vec<RowError>> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let all = columns.join(", ");
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(data);
    let mut record = csv::ByteRecord::new();
    let mut lines = LineCounter::new(data);
    let at = match reader.read_byte_record(&mut record) {
        Ok(true) => {
            let mut at = vec![None; columns.len()];
            for (i, raw) in record.iter().enumerate() {
                let name = String::from_utf8_lossy(raw).trim().to_lowercase();
                match columns.iter().position(|c| *c == name) {
                    Some(c) if at[c].is_some() => {
                        return Err(vec![RowError::new(1, format!("The column “{name}” appears twice."))])
                    }
                    Some(c) => at[c] = Some(i),
                    None => {
                        return Err(vec![RowError::new(
                            1,
                            format!(
                                "The header names a column “{name}” that {what} do not have. The columns are: {all}."
                            ),
                        )])
                    }
                }
            }
            if let Some(missing) =
                required.iter().find(|r| columns.iter().position(|c| c == *r).is_none_or(|c| at[c].is_none()))
            {
                return Err(vec![RowError::new(
                    1,
                    format!("The header needs a “{missing}” column (the columns are: {all})."),
                )]);
            }
            at
        }
        Ok(false) => {
            return Err(vec![RowError::new(1, format!("The file is empty. Its first line must be the header: {all}"))])
        }
        Err(e) => return Err(vec![RowError::new(1, format!("The header cannot be read: {e}"))]),
    };
    let width = record.len();
    let (mut rows, mut errors) = (Vec::new(), Vec::new());
    loop {
        let here = reader.position().byte();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = lines.line_at(e.position().map_or(here, |p| p.byte()));
                errors.push(RowError::new(line, format!("This row cannot be read: {e}")));
                break;
            }
        }
        let line = lines.line_at(record.position().map_or(here, |p| p.byte()));
        if is_blank(&record) {
            continue;
        }
        if rows.len() + errors.len() >= max_rows {
            return Err(vec![RowError::new(
                1,
                format!("The file has more than {max_rows} rows: split it into smaller files."),
            )]);
        }
        if record.len() != width {
            errors
                .push(RowError::new(line, format!("This row has {} fields but the header has {width}.", record.len())));
            continue;
        }
        let values: Result<Vec<String>, _> = at
            .iter()
            .map(|i| match i {
                None => Ok(String::new()),
                Some(i) => std::str::from_utf8(&record[*i]).map(|v| unprotect(v.trim()).to_string()),
            })
            .collect();
        match values {
            Ok(values) => rows.push((line, values)),
            Err(_) => errors.push(RowError::new(line, "This row is not valid UTF-8 text. Save the file as CSV UTF-8.")),
        }
    }
    if errors.is_empty() {
        Ok(Table { columns: columns.to_vec(), rows })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod table_tests {
    use super::*;

    #[test]
    fn a_table_is_read_by_column_name_or_not_at_all() {
        let cols = ["date", "people", "note"];
        let t = read_table(b"People,DATE\na@x;b@y,2026-01-02\n\n c@z ,2026-01-03\n", &cols, &["date"], 10, "things")
            .unwrap();
        assert_eq!(t.rows.len(), 2);
        let (line, row) = &t.rows[1];
        assert_eq!((*line, t.get(row, "people"), t.get(row, "note")), (4, "c@z", ""));
        let e = read_table(b"date,colour\n", &cols, &["date"], 10, "things").unwrap_err();
        assert!(e[0].reason.contains("“colour”"));
        let e = read_table(b"note\nx\n", &cols, &["date"], 10, "things").unwrap_err();
        assert!(e[0].reason.contains("“date”"));
        let e = read_table(b"date,note\n2026-01-01\n2026-01-02,x,y\n", &cols, &["date"], 10, "things").unwrap_err();
        assert_eq!(e.iter().map(|e| e.line).collect::<Vec<_>>(), [2, 3]);
    }
}
