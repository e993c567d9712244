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

use serde::{Deserialize, Serialize};

use super::{normalise_email, PersonInput, Side};

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

pub use crate::csv_file::RowError;

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

mod read;
#[cfg(test)]
mod tests;

use read::{duplicate_email, lower_keys, quote};
pub use read::{parse_people_csv, parse_people_csv_partial};
