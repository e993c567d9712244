//! Measurements in CSV: the file a BI tool or a spreadsheet exports. Columns (any order, any
//! case): `date` and `value` always; `kpi` (its name or number) when the file holds several
//! KPIs; `note`, `key` (the sender's own key: a row sent again changes nothing) and `correction`
//! (yes to replace the value a day already has). Each row is read on its own here; the KPI's
//! rules (unit, currency, dates) are checked when the rows are recorded.

use std::collections::HashMap;

use super::MeasurementInput;
use crate::csv_file::{is_blank, unprotect, LineCounter, RowError};

/// The columns a file may have.
pub const MEASUREMENT_COLUMNS: [&str; 6] = ["kpi", "date", "value", "note", "key", "correction"];

/// The most rows one file may hold.
pub const MAX_MEASUREMENT_ROWS: usize = 2_000_000;

/// One row as read.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasurementLine {
    pub line: usize,
    /// The KPI named on the row (empty when the file has no `kpi` column).
    pub kpi: String,
    pub input: MeasurementInput,
    pub key: Option<String>,
    pub correction: bool,
}

fn header(record: &csv::ByteRecord) -> Result<HashMap<&'static str, usize>, String> {
    let mut columns = HashMap::new();
    for (i, raw) in record.iter().enumerate() {
        let name = String::from_utf8_lossy(raw).trim().trim_start_matches('\u{feff}').to_lowercase();
        match MEASUREMENT_COLUMNS.iter().find(|c| **c == name) {
            Some(c) if columns.insert(*c, i).is_some() => return Err(format!("The column “{name}” appears twice.")),
            Some(_) => {}
            None => {
                return Err(format!(
                    "The header names a column “{name}” that measurements do not have. The columns are: {}.",
                    MEASUREMENT_COLUMNS.join(", ")
                ))
            }
        }
    }
    for required in ["date", "value"] {
        if !columns.contains_key(required) {
            return Err(format!(
                "The header needs a “{required}” column (the columns are: {}).",
                MEASUREMENT_COLUMNS.join(", ")
            ));
        }
    }
    Ok(columns)
}

fn yes(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "" | "no" | "false" | "0" | "n" => Some(false),
        "yes" | "true" | "1" | "y" => Some(true),
        _ => None,
    }
}

/// Reads a measurements file: every row, or every problem (line and reason) and no rows.
pub fn parse_measurements_csv(data: &[u8]) -> Result<Vec<MeasurementLine>, Vec<RowError>> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(data);
    let mut record = csv::ByteRecord::new();
    let mut lines = LineCounter::new(data);
    let columns = match reader.read_byte_record(&mut record) {
        Ok(true) => header(&record).map_err(|r| vec![RowError::new(1, r)])?,
        Ok(false) => {
            return Err(vec![RowError::new(1, "The file is empty. Its first line must be the header: date,value,note")])
        }
        Err(e) => return Err(vec![RowError::new(1, format!("The header cannot be read: {e}"))]),
    };
    let width = record.len();
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    loop {
        let here = reader.position().byte();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                errors.push(RowError::new(
                    lines.line_at(e.position().map_or(here, |p| p.byte())),
                    format!("This row cannot be read: {e}"),
                ));
                break;
            }
        }
        let line = lines.line_at(record.position().map_or(here, |p| p.byte()));
        if is_blank(&record) {
            continue;
        }
        if rows.len() + errors.len() >= MAX_MEASUREMENT_ROWS {
            return Err(vec![RowError::new(1, "The file has more than 2,000,000 rows: split it into smaller files.")]);
        }
        if record.len() != width {
            errors
                .push(RowError::new(line, format!("This row has {} fields but the header has {width}.", record.len())));
            continue;
        }
        let get = |col: &str| -> Result<&str, RowError> {
            match columns.get(col) {
                None => Ok(""),
                Some(&i) => std::str::from_utf8(&record[i])
                    .map(str::trim)
                    .map_err(|_| RowError::new(line, "This row is not valid UTF-8 text. Save the file as CSV UTF-8.")),
            }
        };
        let read = || -> Result<MeasurementLine, RowError> {
            let correction = yes(get("correction")?)
                .ok_or_else(|| RowError::new(line, "Write yes or no in the correction column."))?;
            let key = get("key")?;
            Ok(MeasurementLine {
                line,
                kpi: get("kpi")?.to_string(),
                input: MeasurementInput {
                    date: get("date")?.to_string(),
                    value: get("value")?.to_string(),
                    note: unprotect(get("note")?).to_string(),
                    currency: String::new(),
                },
                key: (!key.is_empty()).then(|| key.to_string()),
                correction,
            })
        };
        match read() {
            Ok(row) => rows.push(row),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_their_lines_and_columns_any_order() {
        let file = b"Value,DATE,key,correction\n12.5,2026-01-31,a-1,\n\n13,2026-02-28,,yes\n";
        let rows = parse_measurements_csv(file).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].line, rows[0].input.value.as_str(), rows[0].key.as_deref()), (2, "12.5", Some("a-1")));
        assert_eq!((rows[1].line, rows[1].correction, rows[1].key.as_deref()), (4, true, None));
    }

    #[test]
    fn problems_name_their_line() {
        let errors = parse_measurements_csv(b"date,value,correction\n2026-01-01,1,maybe\n2026-01-02\n").unwrap_err();
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), vec![2, 3]);
        let header = parse_measurements_csv(b"day,value\n").unwrap_err();
        assert!(header[0].reason.contains("“day”"), "{header:?}");
        assert!(parse_measurements_csv(b"value\n1\n").unwrap_err()[0].reason.contains("“date”"));
        assert_eq!(parse_measurements_csv(b"").unwrap_err()[0].line, 1);
    }
}
