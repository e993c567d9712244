//! Reading a people file: the columns, each row on its own, and the problems in words.

use std::collections::HashMap;

use super::super::{is_plausible_email, normalise_email, validate_person, PersonInput, Side};
use super::*;
use crate::csv_file::{is_blank, LineCounter};
use crate::Error;

/// Reads a people file. Returns every row, or every problem (ordered by line) and no rows.
pub fn parse_people_csv(data: &[u8]) -> Result<Vec<ImportRow>, Vec<RowError>> {
    let (rows, errors) = parse_people_csv_partial(data);
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// Reads a people file and returns the rows that parsed beside the problems of the others, so a
/// caller can also check the good rows against the database and report every problem at once.
pub fn parse_people_csv_partial(data: &[u8]) -> (Vec<ImportRow>, Vec<RowError>) {
    if let Some(reason) = wrong_format(data) {
        return (Vec::new(), vec![RowError::new(1, reason)]);
    }
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    if data.iter().all(u8::is_ascii_whitespace) {
        return (Vec::new(), vec![empty_file()]);
    }

    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter(data)).from_reader(data);
    let mut record = csv::ByteRecord::new();
    let mut header: Option<Header> = None;
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen_emails: HashMap<String, usize> = HashMap::new();
    let mut count = 0;
    let mut lines = LineCounter::new(data);

    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(err) => {
                let line = err.position().map_or(1, |p| lines.line_at(p.byte()));
                errors.push(RowError::new(line, format!("the file could not be read: {err}")));
                break;
            }
        }
        let line = record.position().map_or(1, |p| lines.line_at(p.byte()));
        if is_blank(&record) {
            continue;
        }
        let Some(columns) = &header else {
            match Header::parse(&record) {
                Ok(parsed) => header = Some(parsed),
                Err(reason) => return (Vec::new(), vec![RowError::new(line, reason)]),
            }
            continue;
        };
        count += 1;
        if count > MAX_ROWS {
            let reason = format!(
                "The file has more than {} people, the most one import takes: split it into smaller files.",
                group_digits(MAX_ROWS)
            );
            return (Vec::new(), vec![RowError::new(1, reason)]);
        }
        match parse_row(columns, &record, line) {
            Ok(row) => {
                if let Some(&first) = seen_emails.get(&row.email) {
                    errors.push(duplicate_email(line, &row.email, first));
                } else {
                    seen_emails.insert(row.email.clone(), line);
                }
                rows.push(row);
            }
            Err(reasons) => {
                errors.extend(reasons.into_iter().map(|r| RowError::new(line, r)));
            }
        }
    }

    if header.is_none() && errors.is_empty() {
        errors.push(empty_file());
    } else if count == 0 && errors.is_empty() {
        errors.push(RowError::new(1, "The file has a header row but no people below it."));
    }
    (rows, errors)
}

/// Where each known column sits in the file.
struct Header {
    index: [Option<usize>; 7],
    len: usize,
}

impl Header {
    fn parse(record: &csv::ByteRecord) -> Result<Header, String> {
        let mut index = [None; 7];
        let mut problems = Vec::new();
        let mut unknown = Vec::new();
        for (i, raw) in record.iter().enumerate() {
            let Ok(text) = std::str::from_utf8(raw) else {
                problems.push(format!("column {} of the header row is not UTF-8 text", i + 1));
                continue;
            };
            let name = text.trim().to_lowercase().replace([' ', '-'], "_");
            if name.is_empty() {
                problems.push(format!("column {} of the header row has no name", i + 1));
            } else if let Some(c) = COLUMNS.iter().position(|&c| c == name) {
                if index[c].is_some() {
                    problems.push(format!("the column {} appears more than once", COLUMNS[c]));
                } else {
                    index[c] = Some(i);
                }
            } else {
                unknown.push(quote(text));
            }
        }
        let missing: Vec<&str> = COLUMNS
            .into_iter()
            .zip(index)
            .filter(|(name, i)| i.is_none() && REQUIRED_COLUMNS.contains(name))
            .map(|(name, _)| name)
            .collect();
        if index.iter().all(Option::is_none) {
            let reason = format!("the first line must be a header row naming the columns: {}", COLUMNS.join(", "));
            return Err(reason);
        }
        if !missing.is_empty() {
            let reason = format!(
                "the header row is missing the required {} {}",
                plural(missing.len(), "column", "columns"),
                missing.join(", ")
            );
            problems.insert(0, reason);
        }
        if !unknown.is_empty() {
            problems.push(format!(
                "the header row has unknown {} {}: the columns are {}",
                plural(unknown.len(), "column", "columns"),
                unknown.join(", "),
                COLUMNS.join(", ")
            ));
        }
        if problems.is_empty() {
            Ok(Header { index, len: record.len() })
        } else {
            Err(problems.join("; "))
        }
    }
}

/// Reads one data row, or says everything wrong with it.
fn parse_row(header: &Header, record: &csv::ByteRecord, line: usize) -> Result<ImportRow, Vec<String>> {
    if record.len() != header.len {
        return Err(vec![format!(
            "has {} {} but the header has {}: look for a missing or extra comma, or a comma inside a value that is not in quotes",
            record.len(),
            plural(record.len(), "field", "fields"),
            header.len
        )]);
    }
    let mut values: [&str; 7] = [""; 7];
    for (c, slot) in header.index.iter().enumerate() {
        let Some(i) = *slot else { continue };
        match std::str::from_utf8(&record[i]) {
            Ok(text) => values[c] = text.trim(),
            Err(_) => {
                return Err(vec![format!(
                    "the {} column has text that is not UTF-8: save the file as \"CSV UTF-8\" and try again",
                    COLUMNS[c]
                )]);
            }
        }
    }

    let mut reasons = Vec::new();
    let input = PersonInput {
        name: values[NAME].to_string(),
        email: values[EMAIL].to_string(),
        side: values[SIDE].to_string(),
        title: values[TITLE].to_string(),
        ..PersonInput::default()
    };
    let person = match validate_person(&input) {
        Ok(person) => Some(person),
        Err(Error::Validation { fields, .. }) => {
            for (field, message) in &fields {
                reasons.push(field_reason(field, message, &values));
            }
            None
        }
        Err(other) => {
            reasons.push(other.to_string());
            None
        }
    };

    let unit = non_empty(values[UNIT]);
    let team = non_empty(values[TEAM]);
    let side = Side::parse(values[SIDE]);
    match (side, &unit, &team) {
        (_, Some(_), Some(_)) => reasons.push(
            "give a unit or a team, not both: a business person belongs to a unit, an IT person to a team"
                .to_string(),
        ),
        (Some(Side::Business), None, Some(team)) => reasons.push(format!(
            "team {} is given but the side is business: business people belong to a unit, so fill in unit instead, or set side to it",
            quote(team)
        )),
        (Some(Side::It), Some(unit), None) => reasons.push(format!(
            "unit {} is given but the side is it: IT people belong to a team, so fill in team instead, or set side to business",
            quote(unit)
        )),
        _ => {}
    }

    let manager_email = non_empty(values[MANAGER]).map(|m| normalise_email(&m));
    if let Some(manager) = &manager_email {
        if !is_plausible_email(manager) {
            reasons.push(format!("manager_email {} is not a valid email address", quote(values[MANAGER])));
        } else if person.as_ref().is_some_and(|p| p.email == *manager) {
            reasons.push(OWN_MANAGER.to_string());
        }
    }

    match person {
        Some(person) if reasons.is_empty() => Ok(ImportRow {
            line,
            name: person.name,
            email: person.email,
            side: person.side,
            unit,
            team,
            title: person.title,
            manager_email,
        }),
        _ => Err(reasons),
    }
}

/// Puts a field error from [`validate_person`] in words that name the column.
fn field_reason(field: &str, message: &str, values: &[&str; 7]) -> String {
    let column = COLUMNS.iter().position(|&c| c == field);
    let value = column.map_or("", |c| values[c]);
    match (field, value.is_empty()) {
        ("side", true) => "side is missing: use business or it".to_string(),
        ("name" | "email", true) => format!("{field} is missing"),
        ("email", false) => format!("email {} is not a valid email address", quote(value)),
        ("side", false) => format!("side {} is not valid: use business or it", quote(value)),
        _ => {
            let message = message.trim().trim_end_matches('.');
            let mut chars = message.chars();
            let first = chars.next().map(|c| c.to_lowercase().to_string()).unwrap_or_default();
            format!("{field}: {first}{}", chars.as_str())
        }
    }
}

fn empty_file() -> RowError {
    let reason = format!(
        "The file is empty: it needs a header row naming the columns ({}) and one row per person.",
        COLUMNS.join(", ")
    );
    RowError::new(1, reason)
}

pub(super) fn duplicate_email(line: usize, email: &str, first_line: usize) -> RowError {
    let reason = format!("email {} is already used on line {first_line}", quote(email));
    RowError::new(line, reason)
}

/// Recognises files that are not CSV text at all.
fn wrong_format(data: &[u8]) -> Option<String> {
    if data.starts_with(b"PK\x03\x04") {
        return Some(
            "This is an Excel workbook, not a CSV file: open it in Excel, choose Save As and pick \"CSV UTF-8\"."
                .to_string(),
        );
    }
    if data.starts_with(b"\xFF\xFE") || data.starts_with(b"\xFE\xFF") {
        return Some("This file is UTF-16 text: save it as \"CSV UTF-8\" (comma-separated) and try again.".to_string());
    }
    None
}

/// Commas, unless the first line has none but has semicolons (as some spreadsheets write).
fn delimiter(data: &[u8]) -> u8 {
    let first_line = data.split(|&b| b == b'\n').find(|l| !l.iter().all(u8::is_ascii_whitespace)).unwrap_or_default();
    if !first_line.contains(&b',') && first_line.contains(&b';') {
        b';'
    } else {
        b','
    }
}

fn non_empty(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

pub(super) fn lower_keys<F>(map: &HashMap<String, i64>, normalise: F) -> HashMap<String, i64>
where
    F: Fn(&str) -> String,
{
    map.iter().map(|(k, &v)| (normalise(k), v)).collect()
}

/// A value in single quotes, shortened when long.
pub(super) fn quote(value: &str) -> String {
    let value = value.trim();
    if value.chars().count() > QUOTE_LIMIT {
        let short: String = value.chars().take(QUOTE_LIMIT).collect();
        format!("'{short}…'")
    } else {
        format!("'{value}'")
    }
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

pub(super) fn group_digits(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}
