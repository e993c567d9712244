//! CSV import of people, in two pure steps shared by the upload page and
//! `bridge import people FILE.csv`:
//!
//! 1. [`parse_people_csv`] reads the file and checks every row on its own: the columns, the
//!    name, email and side (through [`validate_person`]), and that a business person names a
//!    unit and an IT person a team, never the other way round.
//! 2. [`resolve`] checks the rows against what Bridge already holds: unit and team names must
//!    exist, every manager must be a known person or a person in the same file, and an email
//!    that already exists makes its row an update of that person.
//!
//! Both steps list every problem at once, one [`RowError`] per problem in line order, and return
//! nothing else when anything is wrong, so the store can insert the whole file in one
//! transaction or not at all.
//!
//! `unit` and `team` may both be left empty for someone not yet placed; giving the wrong one for
//! the side (or both) is an error. A row is the whole truth about its person: on an update, an
//! empty `title` clears the title and an empty `manager_email` removes the manager.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::{is_plausible_email, normalise_email, validate_person, PersonInput, Side};
use crate::Error;

/// The columns a people file may have, in the order the template uses.
pub const COLUMNS: [&str; 7] = ["name", "email", "side", "unit", "team", "title", "manager_email"];

/// The columns every people file must have.
pub const REQUIRED_COLUMNS: [&str; 3] = ["name", "email", "side"];

/// The most people one file may hold.
pub const MAX_ROWS: usize = 50_000;

/// A small example file, offered as a template to download.
pub const TEMPLATE_CSV: &str = "\
name,email,side,unit,team,title,manager_email
Ada Byrne,ada.byrne@example.com,business,Finance,,Head of Finance,
Sam Osei,sam.osei@example.com,it,,Business Applications,ERP Analyst,ada.byrne@example.com
";

/// Values quoted in messages are cut to this many characters.
const QUOTE_LIMIT: usize = 60;

const NAME: usize = 0;
const EMAIL: usize = 1;
const SIDE: usize = 2;
const UNIT: usize = 3;
const TEAM: usize = 4;
const TITLE: usize = 5;
const MANAGER: usize = 6;

/// One person read from the file, checked on its own but not yet against the database.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ImportRow {
    /// The line of the file where the record starts (the header is line 1).
    pub line: usize,
    /// Trimmed.
    pub name: String,
    /// Trimmed and lower-cased.
    pub email: String,
    pub side: Side,
    /// Business unit name as written (trimmed); only for business people.
    pub unit: Option<String>,
    /// IT team name as written (trimmed); only for IT people.
    pub team: Option<String>,
    /// Trimmed; may be empty.
    pub title: String,
    /// Trimmed and lower-cased.
    pub manager_email: Option<String>,
}

/// One problem with a file. `line` is 1-based; problems with the file as a whole are on line 1.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RowError {
    pub line: usize,
    /// Plain words, without the "line N:" prefix.
    pub reason: String,
}

impl RowError {
    fn new(line: usize, reason: impl Into<String>) -> Self {
        RowError { line, reason: reason.into() }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

/// A row ready for the store: names turned into ids.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ResolvedPerson {
    pub line: usize,
    /// The person this row updates, when the email already exists; `None` means a new person.
    pub existing_id: Option<i64>,
    pub name: String,
    pub email: String,
    pub side: Side,
    pub title: String,
    pub unit_id: Option<i64>,
    pub team_id: Option<i64>,
    /// The manager's email, lower-cased.
    pub manager_email: Option<String>,
    /// The manager's id when the manager already exists. When it is `None` but `manager_email`
    /// is set, the manager is a new person from the same file, and [`resolve`] has placed them
    /// earlier in its output: use the id their insert returned.
    pub manager_id: Option<i64>,
}

impl ResolvedPerson {
    /// The input for [`validate_person`] and the store, with the manager's id filled in.
    pub fn person_input(&self, manager_id: Option<i64>) -> PersonInput {
        PersonInput {
            name: self.name.clone(),
            email: self.email.clone(),
            side: self.side.as_str().to_string(),
            title: self.title.clone(),
            unit_id: self.unit_id,
            team_id: self.team_id,
            manager_id,
        }
    }
}

/// How many people an import adds and how many it changes.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
}

pub fn summarise(people: &[ResolvedPerson]) -> ImportSummary {
    let updated = people.iter().filter(|p| p.existing_id.is_some()).count();
    ImportSummary { created: people.len() - updated, updated }
}

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
    let mut lines = LineCounter { data, byte: 0, line: 1 };

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

/// Checks parsed rows against what exists and turns names into ids.
///
/// The maps hold what Bridge already has: unit names, team names and people's emails, each to
/// its id. Names and emails are compared without regard to case or surrounding spaces.
///
/// On success the people come back ordered so that every manager who is new in this file comes
/// before the people reporting to them; otherwise the file's order is kept. Loops of managers
/// within the file are reported. A loop through people who are only in the database (someone
/// in the file reporting to an existing person who reports, in the database, to someone in the
/// file) cannot be seen here: the store should check that.
pub fn resolve(
    rows: &[ImportRow],
    known_units: &HashMap<String, i64>,
    known_teams: &HashMap<String, i64>,
    known_emails: &HashMap<String, i64>,
) -> Result<Vec<ResolvedPerson>, Vec<RowError>> {
    let units = lower_keys(known_units, |k| k.trim().to_lowercase());
    let teams = lower_keys(known_teams, |k| k.trim().to_lowercase());
    let emails = lower_keys(known_emails, normalise_email);

    let mut errors = Vec::new();
    let mut index_of: HashMap<String, usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        let email = normalise_email(&row.email);
        if let Some(&first) = index_of.get(&email) {
            errors.push(duplicate_email(row.line, &email, rows[first].line));
        } else {
            index_of.insert(email, i);
        }
    }

    let mut people = Vec::with_capacity(rows.len());
    let mut manager_of: Vec<Option<usize>> = vec![None; rows.len()];
    for (i, row) in rows.iter().enumerate() {
        let line = row.line;
        let email = normalise_email(&row.email);
        let unit_id = match &row.unit {
            Some(name) => {
                let found = units.get(&name.trim().to_lowercase()).copied();
                if found.is_none() {
                    let reason = format!(
                        "unit {} does not exist: create the business unit first or correct the name",
                        quote(name)
                    );
                    errors.push(RowError::new(line, reason));
                }
                found
            }
            None => None,
        };
        let team_id = match &row.team {
            Some(name) => {
                let found = teams.get(&name.trim().to_lowercase()).copied();
                if found.is_none() {
                    let reason =
                        format!("team {} does not exist: create the IT team first or correct the name", quote(name));
                    errors.push(RowError::new(line, reason));
                }
                found
            }
            None => None,
        };
        let manager_email = row.manager_email.as_deref().map(normalise_email);
        let mut manager_id = None;
        if let Some(manager) = &manager_email {
            manager_id = emails.get(manager).copied();
            if *manager == email {
                errors.push(RowError::new(line, OWN_MANAGER));
            } else if let Some(&m) = index_of.get(manager) {
                manager_of[i] = Some(m);
            } else if manager_id.is_none() {
                let reason =
                    format!("manager_email {} is neither a person in Bridge nor a person in this file", quote(manager));
                errors.push(RowError::new(line, reason));
            }
        }
        people.push(ResolvedPerson {
            line,
            existing_id: emails.get(&email).copied(),
            name: row.name.trim().to_string(),
            email,
            side: row.side,
            title: row.title.trim().to_string(),
            unit_id,
            team_id,
            manager_email,
            manager_id,
        });
    }

    let order = match managers_first(&manager_of) {
        Ok(order) => order,
        Err(loops) => {
            for members in loops {
                let mut chain: Vec<&str> = members.iter().map(|&i| people[i].email.as_str()).collect();
                chain.push(people[members[0]].email.as_str());
                let reason = format!(
                    "the managers in this file form a loop ({}): someone in it must report to a person outside it, or to nobody",
                    chain.join(" → ")
                );
                for &i in &members {
                    errors.push(RowError::new(people[i].line, reason.clone()));
                }
            }
            Vec::new()
        }
    };

    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Err(errors);
    }
    let mut slots: Vec<Option<ResolvedPerson>> = people.into_iter().map(Some).collect();
    Ok(order.into_iter().filter_map(|i| slots[i].take()).collect())
}

const OWN_MANAGER: &str = "manager_email is the person's own email: a person cannot be their own manager";

/// Orders indexes so that each one's manager comes first, or returns the loops found.
fn managers_first(manager_of: &[Option<usize>]) -> Result<Vec<usize>, Vec<Vec<usize>>> {
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; manager_of.len()];
    let mut order = Vec::with_capacity(manager_of.len());
    let mut loops = Vec::new();
    for start in 0..manager_of.len() {
        let mut path = Vec::new();
        let mut current = Some(start);
        while let Some(i) = current {
            if state[i] == DONE {
                break;
            }
            if state[i] == ON_PATH {
                let from = path.iter().position(|&p| p == i).unwrap_or(0);
                loops.push(path[from..].to_vec());
                break;
            }
            state[i] = ON_PATH;
            path.push(i);
            current = manager_of[i];
        }
        for &i in path.iter().rev() {
            state[i] = DONE;
            order.push(i);
        }
    }
    if loops.is_empty() {
        Ok(order)
    } else {
        Err(loops)
    }
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

fn duplicate_email(line: usize, email: &str, first_line: usize) -> RowError {
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

/// Finds the line where a record starts. The reader's positions mark where it began reading,
/// which may be before the line breaks (and blank lines) that it then skipped.
struct LineCounter<'a> {
    data: &'a [u8],
    byte: usize,
    line: usize,
}

impl LineCounter<'_> {
    /// Offsets must not go backwards between calls.
    fn line_at(&mut self, offset: u64) -> usize {
        let mut start = usize::try_from(offset).unwrap_or(usize::MAX).min(self.data.len());
        while start < self.data.len() && matches!(self.data[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.byte {
            self.line += self.data[self.byte..start].iter().filter(|&&b| b == b'\n').count();
            self.byte = start;
        }
        self.line
    }
}

fn is_blank(record: &csv::ByteRecord) -> bool {
    record.iter().all(|field| field.iter().all(u8::is_ascii_whitespace))
}

fn non_empty(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

fn lower_keys<F>(map: &HashMap<String, i64>, normalise: F) -> HashMap<String, i64>
where
    F: Fn(&str) -> String,
{
    map.iter().map(|(k, &v)| (normalise(k), v)).collect()
}

/// A value in single quotes, shortened when long.
fn quote(value: &str) -> String {
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

fn group_digits(n: usize) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "name,email,side,unit,team,title,manager_email\n";

    fn parse(text: &str) -> Result<Vec<ImportRow>, Vec<RowError>> {
        parse_people_csv(text.as_bytes())
    }

    fn errors(text: &str) -> Vec<RowError> {
        parse(text).expect_err("expected errors")
    }

    fn only_error(text: &str) -> RowError {
        let errors = errors(text);
        assert_eq!(errors.len(), 1, "{errors:?}");
        errors.into_iter().next().expect("one error")
    }

    fn map(pairs: &[(&str, i64)]) -> HashMap<String, i64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn reads_a_good_file() {
        let rows = parse(&format!(
            "{HEADER}Ada Byrne, Ada.Byrne@Example.com ,Business,Finance,,Head of Finance,\n\
             Sam Osei,sam@example.com,IT,,Business Applications,,ADA.BYRNE@example.com\n"
        ))
        .unwrap();
        assert_eq!(
            rows,
            vec![
                ImportRow {
                    line: 2,
                    name: "Ada Byrne".into(),
                    email: "ada.byrne@example.com".into(),
                    side: Side::Business,
                    unit: Some("Finance".into()),
                    team: None,
                    title: "Head of Finance".into(),
                    manager_email: None,
                },
                ImportRow {
                    line: 3,
                    name: "Sam Osei".into(),
                    email: "sam@example.com".into(),
                    side: Side::It,
                    unit: None,
                    team: Some("Business Applications".into()),
                    title: String::new(),
                    manager_email: Some("ada.byrne@example.com".into()),
                },
            ]
        );
    }

    #[test]
    fn the_template_parses() {
        assert_eq!(parse(TEMPLATE_CSV).unwrap().len(), 2);
    }

    #[test]
    fn header_is_case_insensitive_and_order_free() {
        let rows = parse(
            "Manager Email,SIDE, Email ,Name,Team\n\
             ,it,a@example.com,Ann,Platform\n",
        )
        .unwrap();
        assert_eq!(rows[0].name, "Ann");
        assert_eq!(rows[0].team.as_deref(), Some("Platform"));
        assert_eq!(rows[0].unit, None);
        assert_eq!(rows[0].title, "");
    }

    #[test]
    fn optional_columns_may_be_left_out() {
        let rows = parse("name,email,side\nAnn,a@example.com,business\n").unwrap();
        assert_eq!(rows[0].unit, None);
        assert_eq!(rows[0].manager_email, None);
    }

    #[test]
    fn strips_a_byte_order_mark_and_handles_crlf() {
        let text = format!("\u{feff}{}", HEADER.replace('\n', "\r\n"))
            + "Ann,a@example.com,business,Finance,,Analyst,\r\n"
            + "Bob,b@example.com,business,Finance,,Analyst,a@example.com\r\n";
        let rows = parse(&text).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].name, "Ann");
        assert_eq!(rows[1].line, 3);
        assert_eq!(rows[1].manager_email.as_deref(), Some("a@example.com"));
        let text = format!(
            "{}\r\nAnn,a@example.com,business,,,\"Head,\r\nNorth\",\r\n\r\n\r\nBob,bob@,it,,,,\r\n",
            HEADER.trim_end()
        );
        let err = only_error(&text);
        assert_eq!(err.line, 6);
    }

    #[test]
    fn quoted_fields_keep_commas_and_newlines() {
        let text = format!(
            "{HEADER}\"Byrne, Ada\",a@example.com,business,Finance,,\"Head of Finance,\nNorth\",\n\
             Bob,b@example.com,business,\"Retail, Stores\",,,\n\
             Cat,c@,business,Finance,,,\n"
        );
        let err = only_error(&text);
        // The quoted newline makes Bob's record start on line 4 and Cat's on line 5.
        assert_eq!(err.line, 5);
        let rows = parse(&format!(
            "{HEADER}\"Byrne, Ada\",a@example.com,business,Finance,,\"Head of Finance,\nNorth\",\n\
             Bob,b@example.com,business,\"Retail, Stores\",,,\n"
        ))
        .unwrap();
        assert_eq!(rows[0].name, "Byrne, Ada");
        assert_eq!(rows[0].title, "Head of Finance,\nNorth");
        assert_eq!(rows[1].unit.as_deref(), Some("Retail, Stores"));
        assert_eq!(rows[1].line, 4);
    }

    #[test]
    fn blank_lines_are_skipped() {
        let text = format!("\n{HEADER}\nAnn,a@example.com,business,,,,\n\n  \n,,,,,,\nBob,b@example.com,it,,,,\n\n\n");
        let rows = parse(&text).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 4);
        assert_eq!(rows[1].line, 8);
    }

    #[test]
    fn semicolons_are_accepted() {
        let rows = parse("name;email;side;unit\nAnn;a@example.com;business;Retail, North\n").unwrap();
        assert_eq!(rows[0].unit.as_deref(), Some("Retail, North"));
    }

    #[test]
    fn wrong_number_of_fields() {
        let errors =
            errors(&format!("{HEADER}Ann,a@example.com,business,Finance,,\nBob,b@example.com,business,Finance,,,,\n"));
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].line, 2);
        assert!(errors[0].reason.starts_with("has 6 fields but the header has 7"), "{errors:?}");
        assert_eq!(errors[1].line, 3);
        assert!(errors[1].reason.starts_with("has 8 fields"), "{errors:?}");
    }

    #[test]
    fn non_utf8_is_a_row_error() {
        let mut data = HEADER.as_bytes().to_vec();
        data.extend_from_slice(b"Ren\xe9e,r@example.com,business,,,,\n");
        data.extend_from_slice(b"Ann,a@example.com,business,,,,\n");
        let errors = parse_people_csv(&data).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 2);
        assert!(errors[0].reason.contains("name column has text that is not UTF-8"), "{errors:?}");
    }

    #[test]
    fn non_utf8_header() {
        let err = parse_people_csv(b"name,em\xffail,side\nAnn,a@example.com,it\n").unwrap_err();
        assert_eq!(err.len(), 1);
        assert!(err[0].reason.contains("column 2 of the header row is not UTF-8"), "{err:?}");
    }

    #[test]
    fn empty_files() {
        for text in ["", "\u{feff}", "\n\r\n  \n", ",,,\n , \n"] {
            let err = only_error(text);
            assert_eq!(err.line, 1);
            assert!(err.reason.starts_with("The file is empty: it needs a header row"), "{err:?}");
        }
        let err = only_error(HEADER);
        assert_eq!(err.reason, "The file has a header row but no people below it.");
    }

    #[test]
    fn header_missing_required_columns() {
        let err = only_error("name,unit\nAnn,Finance\n");
        assert_eq!(err.line, 1);
        assert_eq!(err.reason, "the header row is missing the required columns email, side");
        let err = only_error("name,email\nAnn,a@example.com\n");
        assert_eq!(err.reason, "the header row is missing the required column side");
    }

    #[test]
    fn header_with_unknown_or_repeated_columns() {
        let err = only_error("name,email,side,Phone,dept,email\nAnn,a@example.com,it,1,2,3\n");
        assert_eq!(err.line, 1);
        assert!(err.reason.contains("the column email appears more than once"), "{err:?}");
        assert!(err.reason.contains("unknown columns 'Phone', 'dept'"), "{err:?}");
        let err = only_error("name,email,side,\nAnn,a@example.com,it,\n");
        assert!(err.reason.contains("column 4 of the header row has no name"), "{err:?}");
    }

    #[test]
    fn a_file_without_a_header() {
        let err = only_error("Ann,a@example.com,business\n");
        assert_eq!(err.line, 1);
        assert!(err.reason.starts_with("the first line must be a header row"), "{err:?}");
    }

    #[test]
    fn spreadsheets_that_are_not_csv() {
        let err = parse_people_csv(b"PK\x03\x04rest-of-zip").unwrap_err();
        assert!(err[0].reason.contains("Excel workbook"));
        let err = parse_people_csv(b"\xFF\xFEn\0a\0").unwrap_err();
        assert!(err[0].reason.contains("UTF-16"));
    }

    #[test]
    fn every_bad_row_is_listed() {
        let text = format!(
            "{HEADER}\
             Ann,a@example.com,business,Finance,,,\n\
             ,,,,,Analyst,\n\
             Bob,bob@,it,,Platform,,\n\
             Cat,c@example.com,sales,,,,\n\
             Dan,d@example.com,business,Finance,Platform,,\n\
             Eve,e@example.com,business,,Platform,,\n\
             Fay,f@example.com,it,Finance,,,\n\
             Gus,g@example.com,it,,Platform,,boss@\n\
             Hal,h@example.com,it,,Platform,,H@Example.com\n\
             Ivy,A@example.com,business,Finance,,,\n"
        );
        let errors = errors(&text);
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 3, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        let reasons: Vec<&str> = errors.iter().map(|e| e.reason.as_str()).collect();
        assert_eq!(reasons[0], "email is missing");
        assert_eq!(reasons[1], "name is missing");
        assert_eq!(reasons[2], "side is missing: use business or it");
        assert_eq!(reasons[3], "email 'bob@' is not a valid email address");
        assert_eq!(reasons[4], "side 'sales' is not valid: use business or it");
        assert!(reasons[5].starts_with("give a unit or a team, not both"));
        assert!(reasons[6].starts_with("team 'Platform' is given but the side is business"));
        assert!(reasons[7].starts_with("unit 'Finance' is given but the side is it"));
        assert_eq!(reasons[8], "manager_email 'boss@' is not a valid email address");
        assert_eq!(reasons[9], OWN_MANAGER);
        assert_eq!(reasons[10], "email 'a@example.com' is already used on line 2");
    }

    #[test]
    fn long_names_and_titles_use_the_validation_message() {
        let long = "x".repeat(201);
        let errors = errors(&format!("{HEADER}{long},a@example.com,it,,,{long},\n"));
        let reasons: Vec<&str> = errors.iter().map(|e| e.reason.as_str()).collect();
        assert_eq!(
            reasons,
            vec!["name: keep the name under 200 characters", "title: keep the title under 200 characters"]
        );
    }

    #[test]
    fn long_values_are_shortened_in_messages() {
        let long = format!("{}@", "b".repeat(100));
        let err = only_error(&format!("{HEADER}Bob,{long},it,,,,\n"));
        assert!(err.reason.contains('…'));
        assert!(err.reason.len() < 120, "{}", err.reason);
    }

    #[test]
    fn row_limit() {
        let row = "A,a@example.com,business,,,,\n";
        let mut text = String::with_capacity(HEADER.len() + row.len() * (MAX_ROWS + 1));
        text.push_str(HEADER);
        for i in 0..MAX_ROWS {
            text.push_str(&format!("P{i},p{i}@example.com,business,,,,\n"));
        }
        assert_eq!(parse(&text).unwrap().len(), MAX_ROWS);
        text.push_str(row);
        let err = only_error(&text);
        assert_eq!(err.line, 1);
        assert!(err.reason.starts_with("The file has more than 50,000 people"), "{err:?}");
    }

    #[test]
    fn errors_display_with_their_line() {
        let err = RowError::new(4, "email 'bob@' is not a valid email address");
        assert_eq!(err.to_string(), "line 4: email 'bob@' is not a valid email address");
    }

    #[test]
    fn digits_are_grouped() {
        assert_eq!(group_digits(50_000), "50,000");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(1_234_567), "1,234,567");
    }

    fn rows(text: &str) -> Vec<ImportRow> {
        parse(&format!("{HEADER}{text}")).unwrap()
    }

    #[test]
    fn resolves_names_case_insensitively_and_finds_updates() {
        let units = map(&[("finance", 1), ("retail stores", 2)]);
        let teams = map(&[("platform", 10)]);
        let emails = map(&[("boss@example.com", 100), ("b@example.com", 101)]);
        let rows = rows(
            "Ann,a@example.com,business, FINANCE ,,Analyst,Boss@example.com\n\
             Bob,B@example.com,it,,Platform,Engineer,a@example.com\n",
        );
        let people = resolve(&rows, &units, &teams, &emails).unwrap();
        assert_eq!(people.len(), 2);
        assert_eq!(people[0].unit_id, Some(1));
        assert_eq!(people[0].existing_id, None);
        assert_eq!(people[0].manager_id, Some(100));
        assert_eq!(people[1].team_id, Some(10));
        assert_eq!(people[1].existing_id, Some(101));
        assert_eq!(people[1].manager_email.as_deref(), Some("a@example.com"));
        assert_eq!(people[1].manager_id, None);
        assert_eq!(summarise(&people), ImportSummary { created: 1, updated: 1 });
        let input = people[1].person_input(Some(7));
        assert_eq!(input.side, "it");
        assert_eq!(input.manager_id, Some(7));
        assert!(validate_person(&input).is_ok());
    }

    #[test]
    fn known_maps_need_not_be_lower_cased() {
        let units = map(&[("Finance", 1)]);
        let emails = map(&[("Boss@Example.com", 100)]);
        let rows = rows("Ann,a@example.com,business,finance,,,boss@example.com\n");
        let people = resolve(&rows, &units, &HashMap::new(), &emails).unwrap();
        assert_eq!(people[0].unit_id, Some(1));
        assert_eq!(people[0].manager_id, Some(100));
    }

    #[test]
    fn unknown_names_and_managers_are_row_errors() {
        let units = map(&[("finance", 1)]);
        let teams = map(&[("platform", 10)]);
        let rows = rows(
            "Ann,a@example.com,business,Finanse,,,\n\
             Bob,b@example.com,it,,Data,,\n\
             Cat,c@example.com,it,,Platform,,nobody@example.com\n\
             Dan,d@example.com,business,Finance,,,\n",
        );
        let errors = resolve(&rows, &units, &teams, &HashMap::new()).unwrap_err();
        assert_eq!(
            errors,
            vec![
                RowError::new(2, "unit 'Finanse' does not exist: create the business unit first or correct the name"),
                RowError::new(3, "team 'Data' does not exist: create the IT team first or correct the name"),
                RowError::new(
                    4,
                    "manager_email 'nobody@example.com' is neither a person in Bridge nor a person in this file"
                ),
            ]
        );
    }

    #[test]
    fn managers_in_the_file_come_first() {
        let rows = rows(
            "Ann,a@example.com,it,,,,c@example.com\n\
             Bob,b@example.com,it,,,,a@example.com\n\
             Cat,c@example.com,it,,,,\n\
             Dan,d@example.com,it,,,,b@example.com\n",
        );
        let none = HashMap::new();
        let people = resolve(&rows, &none, &none, &none).unwrap();
        let order: Vec<&str> = people.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(order, vec!["Cat", "Ann", "Bob", "Dan"]);
        for (i, person) in people.iter().enumerate() {
            if let Some(manager) = &person.manager_email {
                assert!(people[..i].iter().any(|p| &p.email == manager));
            }
        }
    }

    #[test]
    fn manager_loops_are_errors() {
        let rows = rows(
            "Ann,a@example.com,it,,,,b@example.com\n\
             Bob,b@example.com,it,,,,a@example.com\n\
             Cat,c@example.com,it,,,,a@example.com\n",
        );
        let none = HashMap::new();
        let errors = resolve(&rows, &none, &none, &none).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].line, 2);
        assert_eq!(errors[1].line, 3);
        assert!(errors[0].reason.contains("form a loop (a@example.com → b@example.com → a@example.com)"), "{errors:?}");
    }

    #[test]
    fn resolve_checks_duplicates_and_own_manager_too() {
        let row = |line: usize, email: &str, manager: Option<&str>| ImportRow {
            line,
            name: "X".into(),
            email: email.into(),
            side: Side::It,
            unit: None,
            team: None,
            title: String::new(),
            manager_email: manager.map(str::to_string),
        };
        let rows = vec![
            row(2, "a@example.com", None),
            row(5, "A@example.com", None),
            row(6, "c@example.com", Some("c@example.com")),
        ];
        let none = HashMap::new();
        let errors = resolve(&rows, &none, &none, &none).unwrap_err();
        assert_eq!(
            errors,
            vec![RowError::new(5, "email 'a@example.com' is already used on line 2"), RowError::new(6, OWN_MANAGER),]
        );
    }
}
