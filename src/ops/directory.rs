//! The organisation directory as a read model in memory: every person with their unit, team,
//! manager and role, plus the names of units and teams. Lists and searches of people are served
//! from it, so they cost no database query; it is rebuilt when people, units, teams or accounts change.
//!
//! The directory's use cases live here too: only administrators add, archive, restore and import
//! people and change units and teams; anyone who may write changes their own name and title.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use bridge_domain::audit::Entity;
use bridge_domain::search::{self, Correction};
use bridge_domain::Error;

use bridge_domain::org::import::{parse_people_csv_partial, resolve, RowError};
use bridge_domain::org::{check_person_change, may_edit_person, validate_person, PersonInput, ValidPerson};

use super::cache::Versioned;
use super::Caller;
use crate::store::org::{GroupKind, ImportOutcome, PeopleFilter, Person};
use crate::store::{Db, Page};

pub struct Directory {
    /// Everyone, ordered by name then id.
    pub people: Vec<Person>,
    /// Each person as JSON, in the same order, serialised once per snapshot: the API's lists copy
    /// these instead of serialising every person on every request.
    pub people_json: Vec<Box<serde_json::value::RawValue>>,
    pub units: Vec<(i64, String)>,
    pub teams: Vec<(i64, String)>,
    /// Where each person is in `people`, and units' names, by id: lists that show whose a thing
    /// is look them up here instead of joining on every query.
    by_id: HashMap<i64, usize>,
    unit_names: HashMap<i64, String>,
}

impl Directory {
    /// The name of a person in the directory (an archived person is not).
    pub fn person_name(&self, id: i64) -> Option<&str> {
        self.person(id).map(|p| p.name.as_str())
    }

    /// A person in the directory by id (an archived person is not).
    pub fn person(&self, id: i64) -> Option<&Person> {
        self.by_id.get(&id).map(|i| &self.people[*i])
    }

    pub fn unit_name(&self, id: i64) -> Option<&str> {
        self.unit_names.get(&id).map(String::as_str)
    }

    /// One page of the people matching `f`, and how many match in all. Words match anywhere in the
    /// name, email or title, ignoring case.
    pub fn list(&self, f: &PeopleFilter, page: Page) -> (Vec<&Person>, i64) {
        let (rows, total) = self.list_positions(f, page);
        (rows.into_iter().map(|i| &self.people[i]).collect(), total)
    }

    /// Like [`Directory::list`], with each person as ready-made JSON.
    pub fn list_json(&self, f: &PeopleFilter, page: Page) -> (Vec<&serde_json::value::RawValue>, i64) {
        let (rows, total) = self.list_positions(f, page);
        (rows.into_iter().map(|i| &*self.people_json[i]).collect(), total)
    }

    /// The query with misspelt words replaced by the nearest words of people's names and titles
    /// (`bridge_domain::search`): for a search of the directory that found nobody.
    pub fn correct(&self, q: &str) -> Option<Correction> {
        let vocabulary: BTreeSet<String> = self
            .people
            .iter()
            .flat_map(|p| search::words(&p.name).into_iter().chain(search::words(&p.title)))
            .collect();
        let last = search::query_words(q).last().map(|w| w.to_lowercase()).unwrap_or_default();
        let last_is_prefix = vocabulary.range(last.clone()..).next().is_some_and(|w| w.starts_with(&last));
        let known: HashSet<String> = vocabulary.iter().cloned().collect();
        let vocabulary: Vec<String> = vocabulary.into_iter().collect();
        search::correct(q, &known, last_is_prefix, |_| &vocabulary)
    }

    /// Positions in `people` of one page of matches, and the number of matches.
    fn list_positions(&self, f: &PeopleFilter, page: Page) -> (Vec<usize>, i64) {
        let q = f.q.trim().to_lowercase();
        let matches = |p: &&Person| {
            (q.is_empty()
                || p.name.to_lowercase().contains(&q)
                || p.email.contains(&q)
                || p.title.to_lowercase().contains(&q))
                && (f.side.is_empty() || p.side.as_str() == f.side)
                && match f.role.as_str() {
                    "" => true,
                    "none" => p.role.is_none(),
                    role => p.role.as_deref() == Some(role),
                }
                && f.unit_id.is_none_or(|u| p.unit_id == Some(u))
                && f.team_id.is_none_or(|t| p.team_id == Some(t))
        };
        let mut total = 0;
        let mut rows = Vec::new();
        for (i, _) in self.people.iter().enumerate().filter(|(_, p)| matches(p)) {
            if total >= page.offset && (rows.len() as i64) < page.limit {
                rows.push(i);
            }
            total += 1;
        }
        (rows, total)
    }
}

pub struct DirectoryCache(Versioned<Directory>);

impl Default for DirectoryCache {
    fn default() -> Self {
        DirectoryCache(Versioned::new(&[Entity::Person, Entity::Unit, Entity::Team, Entity::Account]))
    }
}

impl DirectoryCache {
    pub async fn get(&self, db: &Db) -> Result<Arc<Directory>, Error> {
        self.0
            .get(db, || async {
                let people = db.all_people().await?;
                let people_json = people
                    .iter()
                    .map(|p| serde_json::value::to_raw_value(p).map_err(Error::internal))
                    .collect::<Result<_, _>>()?;
                let (units, teams) = db.group_names().await?;
                let by_id = people.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
                let unit_names = units.iter().cloned().collect();
                Ok(Directory { people, people_json, units, teams, by_id, unit_names })
            })
            .await
    }

    pub fn invalidate(&self) {
        self.0.invalidate();
    }
}

/// Adds a person (administrators). Returns the new id.
pub async fn create_person(db: &Db, caller: &Caller, input: &PersonInput) -> Result<i64, Error> {
    caller.require_admin()?;
    let valid = validate_person(input)?;
    db.create_person(&caller.actor, &valid).await
}

/// Changes a person: administrators anyone and anything, others only their own name and title
/// (see [`check_person_change`]). `version` is the one the caller read.
pub async fn update_person(
    db: &Db,
    caller: &Caller,
    id: i64,
    version: Option<i64>,
    input: &PersonInput,
) -> Result<(), Error> {
    // Refused before the input is read, so nothing about the entry leaks through field errors.
    may_edit_person(caller.role, caller.is(id))?;
    let before = db.get_person(id).await?;
    let valid = validate_person(input)?;
    check_person_change(caller.role, caller.is(id), &stored(&before), &valid)?;
    let version = version.ok_or_else(|| Error::field("version", "Send the version you read."))?;
    db.update_person(&caller.actor, id, version, &valid).await
}

/// A stored person in the shape the rules compare.
fn stored(p: &Person) -> ValidPerson {
    ValidPerson {
        name: p.name.clone(),
        email: p.email.clone(),
        side: p.side,
        title: p.title.clone(),
        unit_id: p.unit_id,
        team_id: p.team_id,
        manager_id: p.manager_id,
    }
}

/// Removes a person from the directory by archiving them (administrators): their account stops
/// working, their requests and history stay. Nobody archives themselves or the last administrator.
pub async fn archive_person(db: &Db, caller: &Caller, id: i64) -> Result<(), Error> {
    caller.require_admin()?;
    if caller.is(id) {
        return Err(Error::conflict("You cannot remove yourself from the directory. Ask another administrator."));
    }
    db.archive_person(&caller.actor, id).await
}

/// Brings an archived person back, with the account the archive disabled (administrators).
pub async fn restore_person(db: &Db, caller: &Caller, id: i64) -> Result<(), Error> {
    caller.require_admin()?;
    db.restore_person(&caller.actor, id).await
}

/// Adds a business unit or IT team (administrators).
pub async fn create_group(
    db: &Db,
    caller: &Caller,
    kind: GroupKind,
    name: &str,
    description: &str,
) -> Result<i64, Error> {
    caller.require_admin()?;
    let name = bridge_domain::org::validate_group_name(name)?;
    db.create_group(&caller.actor, kind, &name, description.trim()).await
}

/// Renames or redescribes a unit or team (administrators).
pub async fn update_group(
    db: &Db,
    caller: &Caller,
    kind: GroupKind,
    id: i64,
    version: Option<i64>,
    name: &str,
    description: &str,
) -> Result<(), Error> {
    caller.require_admin()?;
    let name = bridge_domain::org::validate_group_name(name)?;
    let version = version.ok_or_else(|| Error::field("version", "Send the version you read."))?;
    db.update_group(&caller.actor, kind, id, version, &name, description.trim()).await
}

/// Removes a unit or team (administrators); its people stay, without it.
pub async fn delete_group(db: &Db, caller: &Caller, kind: GroupKind, id: i64) -> Result<(), Error> {
    caller.require_admin()?;
    db.delete_group(&caller.actor, kind, id).await
}

/// Imports people from CSV: every row is checked first, then all are written in one transaction.
/// The inner `Err` lists every bad row; nothing is written then.
pub async fn import_people(
    db: &Db,
    caller: &Caller,
    csv: &[u8],
) -> Result<Result<ImportOutcome, Vec<RowError>>, Error> {
    caller.require_admin()?;
    let (rows, mut errors) = parse_people_csv_partial(csv);
    let units = db.group_ids(GroupKind::Unit).await?;
    let teams = db.group_ids(GroupKind::Team).await?;
    let emails = db.email_ids().await?;
    // The rows that parsed are checked against the directory too, so one upload lists every problem.
    let resolved = match resolve(&rows, &units, &teams, &emails) {
        Ok(r) => r,
        Err(more) => {
            errors.extend(more);
            Vec::new()
        }
    };
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        errors.dedup();
        return Ok(Err(errors));
    }
    Ok(Ok(db.import_people(&caller.actor, &resolved).await?))
}
