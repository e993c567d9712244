//! The organisation directory as a read model in memory: every person with their unit, team,
//! manager and role, plus the names of units and teams. Lists and searches of people are served
//! from it, so they cost no database query; it is rebuilt when people, units, teams or accounts change.

use std::sync::Arc;

use bridge_domain::Error;

use super::cache::Versioned;
use crate::store::org::{PeopleFilter, Person};
use crate::store::{Db, Page};

pub struct Directory {
    /// Everyone, ordered by name then id.
    pub people: Vec<Person>,
    /// Each person as JSON, in the same order, serialised once per snapshot: the API's lists copy
    /// these instead of serialising every person on every request.
    pub people_json: Vec<Box<serde_json::value::RawValue>>,
    pub units: Vec<(i64, String)>,
    pub teams: Vec<(i64, String)>,
}

impl Directory {
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

    /// Positions in `people` of one page of matches, and the number of matches.
    fn list_positions(&self, f: &PeopleFilter, page: Page) -> (Vec<usize>, i64) {
        let q = f.q.trim().to_lowercase();
        let matches = |p: &&Person| {
            (q.is_empty()
                || p.name.to_lowercase().contains(&q)
                || p.email.contains(&q)
                || p.title.to_lowercase().contains(&q))
                && (f.side.is_empty() || p.side == f.side)
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
        DirectoryCache(Versioned::new(&["person", "unit", "team", "account"]))
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
                Ok(Directory { people, people_json, units, teams })
            })
            .await
    }

    pub fn invalidate(&self) {
        self.0.invalidate();
    }
}
