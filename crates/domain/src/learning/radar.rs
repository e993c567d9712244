//! The technology radar in business terms: each technology in a quadrant and a ring (adopt,
//! trial, assess, hold), explained by what it lets the business do. Every move is kept with its
//! reason and day, so the radar can be drawn as it was on any date; a move into trial or assess
//! needs someone to explore it and a showcase to show it.

use serde::{Deserialize, Serialize};

use super::text;
use crate::csv_file::{read_table, RowError};
use crate::{Error, FieldErrors};

pub const MAX_ENTRIES_IN_FILE: usize = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ring {
    Adopt,
    Trial,
    Assess,
    Hold,
}

impl Ring {
    /// From the centre out.
    pub const ALL: [Ring; 4] = [Ring::Adopt, Ring::Trial, Ring::Assess, Ring::Hold];

    pub fn as_str(self) -> &'static str {
        match self {
            Ring::Adopt => "adopt",
            Ring::Trial => "trial",
            Ring::Assess => "assess",
            Ring::Hold => "hold",
        }
    }

    pub fn parse(s: &str) -> Option<Ring> {
        Ring::ALL.into_iter().find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
    }

    pub fn label(self) -> &'static str {
        match self {
            Ring::Adopt => "Adopt",
            Ring::Trial => "Trial",
            Ring::Assess => "Assess",
            Ring::Hold => "Hold",
        }
    }

    /// What the ring means, for a business reader.
    pub fn meaning(self) -> &'static str {
        match self {
            Ring::Adopt => "We use it and recommend it: ask for it.",
            Ring::Trial => "We are trying it on real work with a business unit.",
            Ring::Assess => "We are finding out whether it could help us.",
            Ring::Hold => "Not for new work: we use what we have and do not start more.",
        }
    }

    /// 0 at the centre (adopt) to 3 (hold).
    pub fn index(self) -> usize {
        Ring::ALL.iter().position(|r| *r == self).unwrap_or(0)
    }

    /// A move that needs an explorer and a planned showcase.
    pub fn needs_explorer(self) -> bool {
        matches!(self, Ring::Trial | Ring::Assess)
    }
}

/// How an entry moved since an earlier date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    New,
    /// Towards the centre (towards adopt).
    MovedIn,
    /// Away from it (towards hold).
    MovedOut,
    Unchanged,
}

impl Change {
    pub fn of(before: Option<Ring>, now: Ring) -> Change {
        match before {
            None => Change::New,
            Some(b) if now.index() < b.index() => Change::MovedIn,
            Some(b) if now.index() > b.index() => Change::MovedOut,
            Some(_) => Change::Unchanged,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::MovedIn => "moved_in",
            Change::MovedOut => "moved_out",
            Change::Unchanged => "unchanged",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Change::New => "New",
            Change::MovedIn => "Moved in",
            Change::MovedOut => "Moved out",
            Change::Unchanged => "",
        }
    }
}

/// A radar entry as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EntryInput {
    pub name: String,
    /// The quadrant's id.
    pub quadrant_id: Option<i64>,
    /// adopt, trial, assess or hold
    pub ring: String,
    /// What it lets the business do, in the business's words.
    pub business_use: String,
    /// Where it helps: examples in business settings.
    pub examples: String,
    pub owner_id: Option<i64>,
    /// For trial and assess: who explores it, and the event that will show it.
    pub explorer_id: Option<i64>,
    pub showcase_event_id: Option<i64>,
    /// Why it is where it is (kept with the move).
    pub reason: String,
    /// Business units that use it.
    pub unit_ids: Vec<i64>,
    /// Requests that use it.
    pub request_ids: Vec<i64>,
    /// Events that showed it.
    pub event_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidEntry {
    pub name: String,
    pub quadrant_id: i64,
    pub ring: Ring,
    pub business_use: String,
    pub examples: String,
    pub owner_id: Option<i64>,
    pub explorer_id: Option<i64>,
    pub showcase_event_id: Option<i64>,
    pub reason: String,
    pub unit_ids: Vec<i64>,
    pub request_ids: Vec<i64>,
    pub event_ids: Vec<i64>,
}

/// What an entry's checks look up.
pub struct EntryLookups<'a> {
    pub quadrant: &'a dyn Fn(i64) -> bool,
    pub person: &'a dyn Fn(i64) -> bool,
    /// An event that exists and is not called off.
    pub event: &'a dyn Fn(i64) -> bool,
}

/// Checks an entry. `moved` says its ring changes (or it is new): a move needs a reason, and a
/// move into trial or assess needs an explorer and a planned showcase.
pub fn validate_entry(input: &EntryInput, moved: bool, look: &EntryLookups) -> Result<ValidEntry, Error> {
    let mut fields = FieldErrors::new();
    let name = text(&mut fields, "name", &input.name, 80, true);
    let quadrant_id = input.quadrant_id.filter(|q| (look.quadrant)(*q));
    if quadrant_id.is_none() {
        fields.insert("quadrant_id".into(), "Please choose a quadrant.".into());
    }
    let ring = Ring::parse(&input.ring);
    if ring.is_none() {
        fields.insert("ring".into(), "Please choose a ring: adopt, trial, assess or hold.".into());
    }
    let business_use = text(&mut fields, "business_use", &input.business_use, 2_000, true);
    let examples = text(&mut fields, "examples", &input.examples, 2_000, false);
    let reason = text(&mut fields, "reason", &input.reason, 500, moved);
    let person = |field: &str, id: Option<i64>, fields: &mut FieldErrors| {
        if id.is_some_and(|p| !(look.person)(p)) {
            fields.insert(field.to_string(), "There is no such person.".into());
        }
    };
    person("owner_id", input.owner_id, &mut fields);
    person("explorer_id", input.explorer_id, &mut fields);
    if input.showcase_event_id.is_some_and(|e| !(look.event)(e)) {
        fields.insert("showcase_event_id".into(), "There is no such event, or it was called off.".into());
    }
    if let Some(r) = ring.filter(|r| moved && r.needs_explorer()) {
        if input.explorer_id.is_none() {
            fields.insert(
                "explorer_id".into(),
                format!("Moving it into {} needs someone to explore it: name them.", r.as_str()),
            );
        }
        if input.showcase_event_id.is_none() {
            fields.insert(
                "showcase_event_id".into(),
                format!("Moving it into {} needs a showcase planned to show it: choose the event.", r.as_str()),
            );
        }
    }
    if input.event_ids.iter().any(|e| !(look.event)(*e)) {
        fields.insert("event_ids".into(), "One of the events does not exist.".into());
    }
    Error::check(fields)?;
    let (Some(quadrant_id), Some(ring)) = (quadrant_id, ring) else {
        return Err(Error::internal("an entry passed its checks without a quadrant or ring"));
    };
    let dedup = |ids: &[i64]| {
        let mut v = ids.to_vec();
        v.sort_unstable();
        v.dedup();
        v
    };
    Ok(ValidEntry {
        name,
        quadrant_id,
        ring,
        business_use,
        examples,
        owner_id: input.owner_id,
        explorer_id: input.explorer_id,
        showcase_event_id: input.showcase_event_id,
        reason,
        unit_ids: dedup(&input.unit_ids),
        request_ids: dedup(&input.request_ids),
        event_ids: dedup(&input.event_ids),
    })
}

/// Where a blip sits in its quadrant and ring: an angle within the quadrant (0 to 1) and a
/// distance within the ring (0 to 1), spread so blips of one cell do not sit on each other.
pub fn blip_spot(k: usize, of: usize) -> (f64, f64) {
    let of = of.max(1);
    // Rows of blips across the band, each row further out.
    let per_row = of.div_ceil(3).max(1);
    let (row, col) = (k / per_row, k % per_row);
    let rows = of.div_ceil(per_row).max(1);
    let angle = (col as f64 + 0.5) / per_row as f64;
    let depth = (row as f64 + 0.5) / rows as f64;
    // Rows shifted a little so columns do not line up.
    ((angle + if row % 2 == 1 { 0.5 / per_row as f64 } else { 0.0 }).min(0.97), depth)
}

/// One row of the radar tools' common CSV: name, ring, quadrant, isNew, description (and,
/// Bridge's own, who explores it and the showcase's event id).
#[derive(Debug, Clone, PartialEq)]
pub struct CsvEntry {
    pub line: usize,
    pub name: String,
    pub ring: Ring,
    pub quadrant: String,
    pub is_new: bool,
    pub description: String,
    pub explorer: String,
    pub showcase: Option<i64>,
}

pub const CSV_COLUMNS: [&str; 7] = ["name", "ring", "quadrant", "isnew", "description", "explorer", "showcase"];

/// Reads a radar file: the rows that read well and the problems of the others (an import
/// writes nothing while there is one); `Err` for a file that cannot be read at all.
pub fn read_csv(data: &[u8]) -> Result<(Vec<CsvEntry>, Vec<RowError>), Vec<RowError>> {
    let table = read_table(data, &CSV_COLUMNS, &["name", "ring", "quadrant"], MAX_ENTRIES_IN_FILE, "radar entries")?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut names = std::collections::HashSet::new();
    for (line, row) in &table.rows {
        let name = table.get(row, "name").to_string();
        let ring = Ring::parse(table.get(row, "ring"));
        let quadrant = table.get(row, "quadrant").to_string();
        let showcase = table.get(row, "showcase");
        let showcase_id = showcase.parse::<i64>().ok();
        let problem = if name.is_empty() || name.chars().count() > 80 {
            Some("needs a name of at most 80 characters".to_string())
        } else if !names.insert(name.to_lowercase()) {
            Some(format!("“{name}” is in the file twice"))
        } else if ring.is_none() {
            Some(format!("the ring “{}” is not adopt, trial, assess or hold", table.get(row, "ring")))
        } else if quadrant.is_empty() {
            Some("needs a quadrant".to_string())
        } else if !showcase.is_empty() && showcase_id.is_none() {
            Some(format!("the showcase “{showcase}” is not an event's number"))
        } else if table.get(row, "description").chars().count() > 2_000 {
            Some("its description is over 2,000 characters".to_string())
        } else {
            None
        };
        match (problem, ring) {
            (Some(p), _) => errors.push(RowError::new(*line, p)),
            (None, Some(ring)) => out.push(CsvEntry {
                line: *line,
                name,
                ring,
                quadrant,
                is_new: matches!(table.get(row, "isnew").to_lowercase().as_str(), "true" | "yes" | "1"),
                description: table.get(row, "description").to_string(),
                explorer: table.get(row, "explorer").to_string(),
                showcase: showcase_id,
            }),
            (None, None) => {}
        }
    }
    Ok((out, errors))
}

/// The radar as the common CSV (name, ring, quadrant, isNew, description).
pub fn write_csv(rows: &[(String, Ring, String, bool, String)]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["name", "ring", "quadrant", "isNew", "description"]);
    for (name, ring, quadrant, is_new, description) in rows {
        let is_new = if *is_new { "TRUE" } else { "FALSE" };
        let cells = [name.as_str(), ring.as_str(), quadrant.as_str(), is_new, description.as_str()];
        let _ = w.write_record(cells.map(|c| crate::csv_file::protect(c).into_owned()));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn look<'a>(
        q: &'a dyn Fn(i64) -> bool,
        p: &'a dyn Fn(i64) -> bool,
        e: &'a dyn Fn(i64) -> bool,
    ) -> EntryLookups<'a> {
        EntryLookups { quadrant: q, person: p, event: e }
    }

    fn input() -> EntryInput {
        EntryInput {
            name: "Machine learning for demand".into(),
            quadrant_id: Some(1),
            ring: "trial".into(),
            business_use: "Orders the right stock before the busy weeks.".into(),
            reason: "Worked in two stores.".into(),
            explorer_id: Some(5),
            showcase_event_id: Some(9),
            ..Default::default()
        }
    }

    fn fields(e: Error) -> FieldErrors {
        match e {
            Error::Validation { fields, .. } => fields,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_move_into_trial_needs_an_explorer_and_a_showcase() {
        let yes = |_| true;
        assert!(validate_entry(&input(), true, &look(&yes, &yes, &yes)).is_ok());
        let mut i = input();
        i.explorer_id = None;
        i.showcase_event_id = None;
        let f = fields(validate_entry(&i, true, &look(&yes, &yes, &yes)).unwrap_err());
        assert!(f.contains_key("explorer_id") && f.contains_key("showcase_event_id"), "{f:?}");
        assert!(validate_entry(&i, false, &look(&yes, &yes, &yes)).is_ok(), "staying where it is needs neither");
        i.ring = "hold".into();
        assert!(validate_entry(&i, true, &look(&yes, &yes, &yes)).is_ok(), "hold needs neither");
        i.reason.clear();
        assert!(fields(validate_entry(&i, true, &look(&yes, &yes, &yes)).unwrap_err()).contains_key("reason"));
        let no = |_| false;
        let f = fields(validate_entry(&input(), true, &look(&no, &yes, &no)).unwrap_err());
        assert!(f.contains_key("quadrant_id") && f.contains_key("showcase_event_id"), "{f:?}");
        let mut i = input();
        i.ring = "maybe".into();
        assert!(fields(validate_entry(&i, true, &look(&yes, &yes, &yes)).unwrap_err()).contains_key("ring"));
    }

    #[test]
    fn changes_say_which_way_an_entry_moved() {
        assert_eq!(Change::of(None, Ring::Assess), Change::New);
        assert_eq!(Change::of(Some(Ring::Trial), Ring::Adopt), Change::MovedIn);
        assert_eq!(Change::of(Some(Ring::Trial), Ring::Hold), Change::MovedOut);
        assert_eq!(Change::of(Some(Ring::Hold), Ring::Hold), Change::Unchanged);
    }

    #[test]
    fn blips_of_a_cell_are_spread_out() {
        let spots: Vec<(f64, f64)> = (0..10).map(|k| blip_spot(k, 10)).collect();
        for (i, a) in spots.iter().enumerate() {
            assert!((0.0..1.0).contains(&a.0) && (0.0..1.0).contains(&a.1), "{a:?}");
            for b in &spots[i + 1..] {
                assert!((a.0 - b.0).abs() + (a.1 - b.1).abs() > 0.05, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn the_common_csv_reads_all_rows_or_says_what_is_wrong() {
        let good = b"name,ring,quadrant,isNew,description\nKubernetes,adopt,Platforms,FALSE,Runs our apps\nVoice ordering,assess,Tools,TRUE,Order stock by voice\n";
        let (rows, errors) = read_csv(good).unwrap();
        assert!(errors.is_empty());
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[1].ring, rows[1].is_new, rows[1].line), (Ring::Assess, true, 3));
        let bad = b"name,ring,quadrant\nA,adopt,Tools\nB,sometimes,Tools\nA,hold,Tools\n";
        let (rows, errors) = read_csv(bad).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), vec![3, 4]);
        let out = write_csv(&[("=cmd".into(), Ring::Hold, "Tools".into(), false, "x".into())]);
        assert!(out.starts_with("name,ring,quadrant,isNew,description\n'=cmd,hold,Tools,FALSE,x"), "{out}");
        let (back, _) = read_csv(out.as_bytes()).unwrap();
        assert_eq!(back[0].name, "=cmd", "protection undone on the way in");
    }
}
