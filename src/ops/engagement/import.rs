//! Touchpoints imported from files: a CSV of logged contacts, or the meetings of an iCalendar
//! (.ics) file exported from a calendar. Attendees are matched to people by email; a file is
//! taken whole or not at all, and importing it again adds nothing (each touchpoint keeps an
//! import key: the CSV's `key` column or a digest of its row, the calendar's event id).

use std::collections::BTreeSet;

use bridge_domain::csv_file::{read_table, RowError};
use bridge_domain::engagement::{TouchpointInput, TouchpointKind};
use bridge_domain::org::Side;
use bridge_domain::Error;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::check_touchpoint;
use crate::ops::directory::Directory;
use crate::ops::{contact, Caller};
use crate::store::engagement::{NewTouchpoint, PersonSide};
use crate::store::Db;

pub const CSV_COLUMNS: [&str; 7] = ["date", "kind", "people", "unit", "note", "private", "key"];
pub const MAX_ROWS: usize = 50_000;

/// What an import did.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub added: usize,
    /// In the file, and imported before: left as they were.
    pub already: usize,
    /// Meetings of a calendar that did not become touchpoints, and why.
    pub skipped: Vec<SkippedMeeting>,
    /// Attendees' emails that no one in the directory has.
    pub unknown_people: Vec<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SkippedMeeting {
    pub meeting: String,
    /// `YYYY-MM-DD`
    pub date: String,
    pub reason: String,
}

fn person_by_email<'a>(directory: &'a Directory, email: &str) -> Option<&'a crate::store::org::Person> {
    directory.people.iter().find(|p| p.email.eq_ignore_ascii_case(email.trim()))
}

fn new_touchpoint(
    directory: &Directory,
    caller: &Caller,
    input: &TouchpointInput,
    key: String,
) -> Result<NewTouchpoint, Error> {
    let t = check_touchpoint(directory, input)?;
    let sides: Vec<PersonSide> = t.people.iter().filter_map(|p| directory.person(p.id)).map(PersonSide::from).collect();
    let contacts = contact::pairs(&sides, t.unit_id, t.date.days());
    Ok(NewTouchpoint { by: caller.person_id, touchpoint: t, contacts, import_key: Some(key) })
}

async fn write(
    db: &Db,
    caller: &Caller,
    found: Vec<NewTouchpoint>,
    mut report: ImportReport,
) -> Result<ImportReport, Error> {
    let added = db.add_touchpoints(&caller.actor, &found).await?;
    report.added = added;
    report.already = found.len() - added;
    Ok(report)
}

/// Imports touchpoints from CSV: columns `date`, `people` (emails, separated by `;`), and
/// optionally `kind` (as the API names them, or their labels; default meeting), `unit` (its
/// name), `note`, `private` (yes/no) and `key`. Every row or none: problems by line.
pub async fn import_csv(
    db: &Db,
    directory: &Directory,
    caller: &Caller,
    data: &[u8],
) -> Result<Result<ImportReport, Vec<RowError>>, Error> {
    caller.require_write()?;
    let table = match read_table(data, &CSV_COLUMNS, &["date", "people"], MAX_ROWS, "touchpoints") {
        Ok(t) => t,
        Err(errors) => return Ok(Err(errors)),
    };
    let mut errors = Vec::new();
    let mut found = Vec::new();
    for (line, row) in &table.rows {
        let get = |c: &str| table.get(row, c);
        let mut problems = Vec::new();
        let mut people = Vec::new();
        for email in get("people").split([';', ' ']).filter(|e| !e.is_empty()) {
            match person_by_email(directory, email) {
                Some(p) => people.push(p.id),
                None => problems.push(format!("No one in the directory has the email {email}.")),
            }
        }
        let unit_id = match get("unit") {
            "" => None,
            name => match directory.units.iter().find(|(_, n)| n.eq_ignore_ascii_case(name)) {
                Some((id, _)) => Some(*id),
                None => {
                    problems.push(format!("There is no business unit called “{name}”."));
                    None
                }
            },
        };
        let kind = match get("kind") {
            "" => "meeting".to_string(),
            k => TouchpointKind::ALL
                .into_iter()
                .find(|t| t.as_str().eq_ignore_ascii_case(k) || t.label().eq_ignore_ascii_case(k))
                .map_or_else(|| k.to_string(), |t| t.as_str().to_string()),
        };
        let private = match get("private").to_lowercase().as_str() {
            "" | "no" | "false" | "0" => false,
            "yes" | "true" | "1" => true,
            _ => {
                problems.push("Write yes or no in the private column.".into());
                false
            }
        };
        if !problems.is_empty() {
            errors.extend(problems.into_iter().map(|p| RowError::new(*line, p)));
            continue;
        }
        let input = TouchpointInput {
            kind,
            date: get("date").to_string(),
            people,
            unit_id,
            note: get("note").to_string(),
            private,
            follow_ups: vec![],
        };
        let key = match get("key") {
            "" => {
                let mut ids = input.people.clone();
                ids.sort_unstable();
                let digest =
                    Sha256::digest(format!("{}|{}|{ids:?}|{:?}|{}", input.date, input.kind, input.unit_id, input.note));
                format!("csv:{}", digest.iter().take(12).map(|b| format!("{b:02x}")).collect::<String>())
            }
            k => format!("csv-key:{k}"),
        };
        match new_touchpoint(directory, caller, &input, key) {
            Ok(t) => found.push(t),
            Err(Error::Validation { fields, .. }) => {
                errors.extend(fields.into_values().map(|reason| RowError::new(*line, reason)))
            }
            Err(e) => return Err(e),
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    if found.is_empty() {
        return Ok(Err(vec![RowError::new(1, "The file has no touchpoints below its header.")]));
    }
    Ok(Ok(write(db, caller, found, ImportReport::default()).await?))
}

/// A meeting of a calendar file, as read.
struct Meeting {
    key: String,
    summary: String,
    /// `YYYY-MM-DD`
    date: String,
    emails: Vec<String>,
    cancelled: bool,
}

/// The meetings (`VEVENT`s) of a calendar file, or why it cannot be read.
fn meetings(text: &str) -> Result<Vec<Meeting>, String> {
    use icalendar::parser::{read_calendar, unfold, Component};
    let unfolded = unfold(text);
    let calendar = read_calendar(&unfolded)?;
    fn events<'a>(components: &'a [Component<'a>], out: &mut Vec<&'a Component<'a>>) {
        for c in components {
            if c.name.as_str().eq_ignore_ascii_case("VEVENT") {
                out.push(c);
            }
            events(&c.components, out);
        }
    }
    let mut found = Vec::new();
    events(&calendar.components, &mut found);
    if found.is_empty() {
        return Err("it holds no meetings (no VEVENT).".into());
    }
    let mut out = Vec::new();
    for e in found {
        let prop = |name: &str| e.properties.iter().find(|p| p.name.as_str().eq_ignore_ascii_case(name));
        let value = |name: &str| prop(name).map(|p| p.val.as_str().trim().to_string()).unwrap_or_default();
        let summary = value("SUMMARY").replace("\\,", ",").replace("\\;", ";").replace("\\n", " ");
        let start = value("DTSTART");
        let (Some(y), Some(m), Some(d)) = (start.get(0..4), start.get(4..6), start.get(6..8)) else {
            return Err(format!("the meeting “{summary}” has no start date (DTSTART) Bridge can read."));
        };
        let uid = value("UID");
        if uid.is_empty() {
            return Err(format!("the meeting “{summary}” has no UID, so importing it again could not be told apart."));
        }
        let emails: Vec<String> = e
            .properties
            .iter()
            .filter(|p| ["ORGANIZER", "ATTENDEE"].iter().any(|n| p.name.as_str().eq_ignore_ascii_case(n)))
            .filter_map(|p| {
                let v = p.val.as_str().trim();
                let email = v.get(..7).filter(|s| s.eq_ignore_ascii_case("mailto:")).map(|_| &v[7..]).unwrap_or(v);
                email.contains('@').then(|| email.to_lowercase())
            })
            .collect();
        let occurrence = Some(value("RECURRENCE-ID")).filter(|r| !r.is_empty()).unwrap_or_else(|| start.clone());
        out.push(Meeting {
            key: format!("ics:{uid}:{occurrence}"),
            summary,
            date: format!("{y}-{m}-{d}"),
            emails,
            cancelled: value("STATUS").eq_ignore_ascii_case("CANCELLED"),
        });
    }
    Ok(out)
}

/// The kind a meeting's title suggests: lunch, planning, strategy, demo; else a meeting.
fn kind_of(summary: &str) -> TouchpointKind {
    let s = summary.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| s.contains(w));
    if has(&["lunch"]) {
        TouchpointKind::Lunch
    } else if has(&["strategy"]) {
        TouchpointKind::Strategy
    } else if has(&["planning"]) {
        TouchpointKind::Planning
    } else if has(&["demo", "showcase", "tour"]) {
        TouchpointKind::Demo
    } else if has(&["coffee", "chat", "catch-up", "catch up"]) {
        TouchpointKind::Chat
    } else {
        TouchpointKind::Meeting
    }
}

/// Imports the meetings of a calendar file as touchpoints: those that have happened, with
/// people from both sides among their attendees; the rest are reported with why, and so are
/// attendees no one in the directory has. A file Bridge cannot read → 422, nothing written.
pub async fn import_calendar(
    db: &Db,
    directory: &Directory,
    caller: &Caller,
    text: &str,
) -> Result<ImportReport, Error> {
    caller.require_write()?;
    let meetings =
        meetings(text).map_err(|e| Error::field("file", format!("This calendar file cannot be read: {e}")))?;
    let mut report = ImportReport::default();
    let mut unknown = BTreeSet::new();
    let mut found = Vec::new();
    let today = contact::today();
    for m in meetings {
        let skip =
            |reason: &str| SkippedMeeting { meeting: m.summary.clone(), date: m.date.clone(), reason: reason.into() };
        let mut people = Vec::new();
        for email in &m.emails {
            match person_by_email(directory, email) {
                Some(p) if !people.contains(&p.id) => people.push(p.id),
                Some(_) => {}
                None => _ = unknown.insert(email.clone()),
            }
        }
        if m.cancelled {
            report.skipped.push(skip("It was cancelled."));
            continue;
        }
        if bridge_domain::intake::parse::Date::parse(&m.date).is_some_and(|d| d.days() > today) {
            report.skipped.push(skip("It has not happened yet."));
            continue;
        }
        let has = |side: Side| people.iter().filter_map(|p| directory.person(*p)).any(|p| p.side == side);
        if !(has(Side::Business) && has(Side::It)) {
            report.skipped.push(skip("Its attendees Bridge knows are not from both the business and IT."));
            continue;
        }
        let input = TouchpointInput {
            kind: kind_of(&m.summary).as_str().into(),
            date: m.date.clone(),
            people,
            note: m.summary.chars().take(bridge_domain::engagement::MAX_NOTE_CHARS).collect(),
            ..Default::default()
        };
        match new_touchpoint(directory, caller, &input, m.key.clone()) {
            Ok(t) => found.push(t),
            Err(Error::Validation { fields, .. }) => {
                report.skipped.push(skip(&fields.into_values().collect::<Vec<_>>().join(" ")))
            }
            Err(e) => return Err(e),
        }
    }
    report.unknown_people = unknown.into_iter().collect();
    write(db, caller, found, report).await
}
