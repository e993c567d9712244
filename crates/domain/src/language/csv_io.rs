//! CSV export and import of the glossary.
//!
//! Columns: `term,aliases,side,definition,example,related,owner,status`; the lists (aliases and
//! related) are joined with "; ". Values that a spreadsheet would run as a formula (starting
//! with `=`, `+`, `-`, `@`, tab or carriage return) are written with a leading `'`, which
//! import removes again, so export → import gives back the same entries.

use std::collections::HashMap;

use super::{validate_term, GlossaryEntry, TermInput};
use crate::Error;

/// The columns, in the order export writes them.
pub const CSV_COLUMNS: [&str; 8] = ["term", "aliases", "side", "definition", "example", "related", "owner", "status"];

/// Columns an import cannot do without; the others default to empty (status: proposed).
const REQUIRED_COLUMNS: [&str; 3] = ["term", "side", "definition"];

pub use crate::csv_file::RowError;
use crate::csv_file::{protect, unprotect, LineCounter};

/// The entries as CSV (header first, "\n" line ends, fields quoted only where needed).
pub fn export_csv(entries: &[GlossaryEntry]) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    // Writing to memory cannot fail and every record has the same eight fields.
    let _ = w.write_record(CSV_COLUMNS);
    for e in entries {
        let aliases = e.aliases.join("; ");
        let related = e.related.join("; ");
        let record = [
            e.term.as_str(),
            aliases.as_str(),
            e.side.as_str(),
            e.definition.as_str(),
            e.example.as_str(),
            related.as_str(),
            e.owner.as_str(),
            e.status.as_str(),
        ];
        let _ = w.write_record(record.iter().map(|v| protect(v).into_owned()));
    }
    let bytes = w.into_inner().unwrap_or_default();
    // Every field was a `&str`, so the output is UTF-8.
    String::from_utf8(bytes).unwrap_or_default()
}

/// Reads glossary entries from CSV (UTF-8, optional byte-order mark, comma-separated, quoted
/// with `"`). The header names the columns (any order, any case); `term`, `side` and
/// `definition` are required, the others optional. Every row is validated with
/// [`validate_term`] and checked against the earlier rows for clashing names. Either every row
/// is good and all entries come back, or every bad row comes back with its line number.
/// Blank lines are skipped.
pub fn import_csv(data: &[u8]) -> Result<Vec<GlossaryEntry>, Vec<RowError>> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(data);
    let mut record = csv::ByteRecord::new();

    let expected = CSV_COLUMNS.join(",");
    match reader.read_byte_record(&mut record) {
        Ok(true) => {}
        Ok(false) => {
            return Err(vec![RowError::new(
                1,
                format!("The file is empty. Its first line must be the header: {expected}"),
            )])
        }
        Err(e) => return Err(vec![RowError::new(1, format!("The header cannot be read: {e}"))]),
    }
    let columns = read_header(&record, &expected)?;
    let width = record.len();

    let mut errors = Vec::new();
    let mut entries = Vec::new();
    // Lower-cased name → (term, line) of the row that has it.
    let mut names: HashMap<String, (String, usize)> = HashMap::new();
    // File lines are counted from the byte offsets the reader reports (its own line counter
    // skips blank lines), moving forward only, so counting costs one pass over the file.
    let mut lines = LineCounter::new(data);
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
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        if record.len() != width {
            errors.push(RowError::new(
                line,
                format!(
                    "This row has {} fields but the header has {width}. Put values that \
                     contain commas, quotes or line breaks in double quotes.",
                    record.len()
                ),
            ));
            continue;
        }
        let mut fields = Vec::with_capacity(width);
        for raw in record.iter() {
            match std::str::from_utf8(raw) {
                Ok(s) => fields.push(unprotect(s)),
                Err(_) => break,
            }
        }
        if fields.len() != width {
            errors.push(RowError::new(
                line,
                "This row is not valid UTF-8 text. Save the file as CSV UTF-8 and try again.",
            ));
            continue;
        }
        let get = |col: &str| columns.get(col).map_or("", |&i| fields[i]).to_string();
        let input = TermInput {
            term: get("term"),
            aliases: get("aliases"),
            side: get("side"),
            definition: get("definition"),
            example: get("example"),
            related: get("related"),
            owner: get("owner"),
            status: get("status"),
        };
        let entry = match validate_term(&input) {
            Ok(entry) => entry,
            Err(e) => {
                errors.push(RowError::new(line, describe(&e)));
                continue;
            }
        };
        let mut clash = None;
        for name in entry.names() {
            if let Some((term, at)) = names.get(&name.to_lowercase()) {
                clash = Some(format!("“{name}” is already used by “{term}” on line {at}."));
                break;
            }
        }
        if let Some(reason) = clash {
            errors.push(RowError::new(line, reason));
            continue;
        }
        for name in entry.names() {
            names.insert(name.to_lowercase(), (entry.term.clone(), line));
        }
        entries.push(entry);
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(errors)
    }
}

/// Column name → index, or the header's problems (all on line 1).
fn read_header(record: &csv::ByteRecord, expected: &str) -> Result<HashMap<&'static str, usize>, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut columns = HashMap::new();
    for (i, raw) in record.iter().enumerate() {
        let name = String::from_utf8_lossy(raw).trim().to_ascii_lowercase();
        match CSV_COLUMNS.iter().find(|c| **c == name) {
            Some(col) => {
                if columns.insert(*col, i).is_some() {
                    errors.push(RowError::new(1, format!("The column “{col}” appears twice.")));
                }
            }
            None if name.is_empty() => errors
                .push(RowError::new(1, format!("Column {} of the header has no name. Expected: {expected}", i + 1))),
            None => {
                errors.push(RowError::new(1, format!("Unknown column “{name}” in the header. Expected: {expected}")))
            }
        }
    }
    let missing: Vec<&str> = REQUIRED_COLUMNS.iter().copied().filter(|c| !columns.contains_key(c)).collect();
    if !missing.is_empty() {
        errors.push(RowError::new(
            1,
            format!(
                "The header lacks the column{} {}. The first line must be the header: {expected}",
                if missing.len() > 1 { "s" } else { "" },
                missing.join(", ")
            ),
        ));
    }
    if errors.is_empty() {
        Ok(columns)
    } else {
        Err(errors)
    }
}

/// A validation error as one line: "definition: Write a plain-language definition."
fn describe(e: &Error) -> String {
    match e {
        Error::Validation { fields, .. } if !fields.is_empty() => {
            fields.iter().map(|(field, msg)| format!("{field}: {msg}")).collect::<Vec<_>>().join(" ")
        }
        other => other.to_string(),
    }
}
