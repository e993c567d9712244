//! A touchpoint: a contact between people of the two sides, as logged.

use serde::{Deserialize, Serialize};

use crate::intake::parse::Date;
use crate::org::Side;
use crate::{Error, FieldErrors};

/// The longest note a touchpoint keeps.
pub const MAX_NOTE_CHARS: usize = 2_000;

/// What kind of contact it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TouchpointKind {
    Chat,
    Lunch,
    DropIn,
    Meeting,
    Planning,
    Strategy,
    Demo,
    Other,
}

impl TouchpointKind {
    pub const ALL: [TouchpointKind; 8] = [
        TouchpointKind::Chat,
        TouchpointKind::Lunch,
        TouchpointKind::DropIn,
        TouchpointKind::Meeting,
        TouchpointKind::Planning,
        TouchpointKind::Strategy,
        TouchpointKind::Demo,
        TouchpointKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TouchpointKind::Chat => "chat",
            TouchpointKind::Lunch => "lunch",
            TouchpointKind::DropIn => "drop_in",
            TouchpointKind::Meeting => "meeting",
            TouchpointKind::Planning => "planning",
            TouchpointKind::Strategy => "strategy",
            TouchpointKind::Demo => "demo",
            TouchpointKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<TouchpointKind> {
        TouchpointKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            TouchpointKind::Chat => "Informal chat",
            TouchpointKind::Lunch => "Lunch",
            TouchpointKind::DropIn => "Office drop-in",
            TouchpointKind::Meeting => "Meeting",
            TouchpointKind::Planning => "Planning session",
            TouchpointKind::Strategy => "Strategy session",
            TouchpointKind::Demo => "Demo or tour",
            TouchpointKind::Other => "Other",
        }
    }

    /// A session where the business plans its future: IT's seat at the table is counted.
    pub fn is_planning(self) -> bool {
        matches!(self, TouchpointKind::Planning | TouchpointKind::Strategy)
    }
}

/// A follow-up as typed: what, who does it, by when.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FollowUpInput {
    pub text: String,
    pub owner_id: Option<i64>,
    /// `YYYY-MM-DD`; may be in the future.
    pub due: String,
}

/// A touchpoint as typed, on a page or through the API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TouchpointInput {
    /// chat, lunch, drop_in, meeting, planning, strategy, demo or other.
    pub kind: String,
    /// `YYYY-MM-DD`: today or before.
    pub date: String,
    /// The people who took part: at least one from each side.
    pub people: Vec<i64>,
    /// The business unit it was with; empty: the business participants' unit.
    pub unit_id: Option<i64>,
    pub note: String,
    /// The note is for its participants only (everyone still sees who met whom).
    pub private: bool,
    pub follow_ups: Vec<FollowUpInput>,
}

/// A participant as the directory knows them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Participant {
    pub id: i64,
    pub side: Side,
    pub unit_id: Option<i64>,
}

/// A checked follow-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidFollowUp {
    pub text: String,
    pub owner_id: i64,
    pub due: Date,
}

/// A checked touchpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidTouchpoint {
    pub kind: TouchpointKind,
    pub date: Date,
    pub people: Vec<Participant>,
    pub unit_id: Option<i64>,
    pub note: String,
    pub private: bool,
    pub follow_ups: Vec<ValidFollowUp>,
}

impl ValidTouchpoint {
    /// Someone from IT took part (only a planning or strategy session may lack them).
    pub fn it_present(&self) -> bool {
        self.people.iter().any(|p| p.side == Side::It)
    }
}

/// Checks a touchpoint: its kind, a date not after `today`, participants from both sides — or
/// from the business alone for a planning or strategy session held without IT — (`found` holds those the directory knows; the rest are unknown), a unit (given, or the one
/// the business participants share), a note of at most [`MAX_NOTE_CHARS`], and each follow-up
/// with its text, an owner among the participants' directory and a due date (which may be ahead).
/// Problems are named by field: `people`, `follow_ups[0].due`.
pub fn validate_touchpoint(
    input: &TouchpointInput,
    found: &[Participant],
    known_people: impl Fn(i64) -> bool,
    today: Date,
) -> Result<ValidTouchpoint, Error> {
    let mut f = FieldErrors::new();
    let kind = TouchpointKind::parse(input.kind.trim());
    if kind.is_none() {
        f.insert("kind".into(), "Choose what kind of contact it was.".into());
    }
    let date = match Date::parse(input.date.trim()) {
        None => {
            f.insert("date".into(), "Enter the date as YYYY-MM-DD.".into());
            None
        }
        Some(d) if d > today => {
            f.insert("date".into(), "A touchpoint has happened: give today's date or an earlier one.".into());
            None
        }
        Some(d) => Some(d),
    };
    let mut people: Vec<Participant> = Vec::new();
    for id in &input.people {
        match found.iter().find(|p| p.id == *id) {
            Some(p) if !people.iter().any(|q| q.id == p.id) => people.push(*p),
            Some(_) => {}
            None => {
                f.insert("people".into(), format!("There is no person {id} in the directory."));
            }
        }
    }
    if !f.contains_key("people") {
        let has = |side: Side| people.iter().any(|p| p.side == side);
        match (has(Side::Business), has(Side::It)) {
            (true, true) => {}
            (false, false) => {
                f.insert("people".into(), "Name who took part: someone from the business and someone from IT.".into());
            }
            // The business planning on its own: recorded, so that IT's absence shows.
            (true, false) if kind.is_some_and(TouchpointKind::is_planning) => {}
            (true, false) => {
                f.insert("people".into(), "A touchpoint is between the two sides: add someone from IT.".into());
            }
            (false, true) => {
                f.insert(
                    "people".into(),
                    "A touchpoint is between the two sides: add someone from the business.".into(),
                );
            }
        }
    }
    let unit_id = input.unit_id.or_else(|| {
        let mut units = people.iter().filter(|p| p.side == Side::Business).filter_map(|p| p.unit_id);
        let first = units.next()?;
        units.all(|u| u == first).then_some(first)
    });
    let note = input.note.trim().to_string();
    if note.chars().count() > MAX_NOTE_CHARS {
        f.insert("note".into(), format!("Keep the note to {MAX_NOTE_CHARS} characters."));
    }
    let mut follow_ups = Vec::new();
    for (i, fu) in input.follow_ups.iter().enumerate() {
        let text = fu.text.trim();
        if text.is_empty() && fu.owner_id.is_none() && fu.due.trim().is_empty() {
            continue;
        }
        let name = |field: &str| format!("follow_ups[{i}].{field}");
        if text.is_empty() {
            f.insert(name("text"), "Say what is to be done.".into());
        }
        let owner = match fu.owner_id {
            Some(o) if known_people(o) => Some(o),
            Some(_) => {
                f.insert(name("owner_id"), "There is no such person in the directory.".into());
                None
            }
            None => {
                f.insert(name("owner_id"), "Choose who does it.".into());
                None
            }
        };
        let due = Date::parse(fu.due.trim());
        if due.is_none() {
            f.insert(name("due"), "Enter the date it is due as YYYY-MM-DD.".into());
        }
        if let (Some(owner_id), Some(due)) = (owner, due) {
            follow_ups.push(ValidFollowUp { text: text.to_string(), owner_id, due });
        }
    }
    Error::check(f)?;
    Ok(ValidTouchpoint {
        kind: kind.expect("checked"),
        date: date.expect("checked"),
        people,
        unit_id,
        note,
        private: input.private,
        follow_ups,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    const ANA: Participant = Participant { id: 1, side: Side::Business, unit_id: Some(7) };
    const BEN: Participant = Participant { id: 2, side: Side::Business, unit_id: Some(7) };
    const IVY: Participant = Participant { id: 3, side: Side::It, unit_id: None };

    fn lunch(people: Vec<i64>) -> TouchpointInput {
        TouchpointInput { kind: "lunch".into(), date: "2026-11-30".into(), people, ..Default::default() }
    }

    fn fields(e: Error) -> FieldErrors {
        match e {
            Error::Validation { fields, .. } => fields,
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn a_touchpoint_is_between_the_two_sides_and_has_happened() {
        let all = [ANA, BEN, IVY];
        let known = |id: i64| id <= 3;
        let today = d("2026-12-01");
        let t = validate_touchpoint(&lunch(vec![1, 3, 1]), &all, known, today).unwrap();
        assert_eq!(t.people, vec![ANA, IVY], "each person once");
        assert_eq!(t.unit_id, Some(7), "the business participants' unit");

        let one_side = fields(validate_touchpoint(&lunch(vec![1, 2]), &all, known, today).unwrap_err());
        assert!(one_side["people"].contains("add someone from IT"), "{one_side:?}");
        let planned_alone = TouchpointInput { kind: "strategy".into(), ..lunch(vec![1, 2]) };
        let t = validate_touchpoint(&planned_alone, &all, known, today).unwrap();
        assert!(!t.it_present(), "the business may plan without IT, and that is recorded");
        let it_alone = TouchpointInput { kind: "planning".into(), ..lunch(vec![3]) };
        let it_alone = fields(validate_touchpoint(&it_alone, &all, known, today).unwrap_err());
        assert!(it_alone["people"].contains("someone from the business"), "{it_alone:?}");
        let unknown = fields(validate_touchpoint(&lunch(vec![1, 99]), &all, known, today).unwrap_err());
        assert!(unknown["people"].contains("no person 99"));
        let future = TouchpointInput { date: "2026-12-02".into(), ..lunch(vec![1, 3]) };
        assert!(fields(validate_touchpoint(&future, &all, known, today).unwrap_err()).contains_key("date"));
        let bad_kind = TouchpointInput { kind: "party".into(), ..lunch(vec![1, 3]) };
        assert!(fields(validate_touchpoint(&bad_kind, &all, known, today).unwrap_err()).contains_key("kind"));
    }

    #[test]
    fn follow_ups_need_what_who_and_when_and_may_be_due_ahead() {
        let all = [ANA, IVY];
        let known = |id: i64| id <= 3;
        let today = d("2026-12-01");
        let input = TouchpointInput {
            follow_ups: vec![
                FollowUpInput { text: "Send the stock report".into(), owner_id: Some(3), due: "2027-01-15".into() },
                FollowUpInput::default(),
                FollowUpInput { text: "".into(), owner_id: Some(42), due: "soon".into() },
            ],
            ..lunch(vec![1, 3])
        };
        let errors = fields(validate_touchpoint(&input, &all, known, today).unwrap_err());
        let names: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            ["follow_ups[2].due", "follow_ups[2].owner_id", "follow_ups[2].text"],
            "an empty row is skipped"
        );
        let good = TouchpointInput { follow_ups: input.follow_ups[..1].to_vec(), ..input };
        let t = validate_touchpoint(&good, &all, known, today).unwrap();
        assert_eq!(t.follow_ups[0].due, d("2027-01-15"));
    }
}
