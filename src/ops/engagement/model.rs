//! Engagement's read model on each server: every unit's standing, its months and the IT teams it
//! was in touch with, and, filled as units are looked at, each unit's latest touchpoints, open
//! follow-ups and embeddings. It is made again when touchpoints, requests, cadences, embeddings
//! or the directory change (this server at once, others within a second) or the day turns, so a
//! unit's page and the losing-touch list cost the same however many touchpoints there are.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bridge_domain::audit::Entity;
use bridge_domain::Error;

use super::{map_entry, standings, view, EmbeddingView, MapEntry, MonthFigure, TouchpointView, UnitStanding};
use crate::ops::cache::Versioned;
use crate::ops::directory::Directory;
use crate::ops::{contact, Caller};
use crate::store::engagement::{month_of, MapCell, TouchpointFilter, TouchpointRow, UnitMonth};
use crate::store::Db;

/// How many of a unit's latest touchpoints its page shows.
pub const UNIT_LATEST: i64 = 10;

/// One unit's rows that its page lists (touchpoints as stored: each reader sees them as a view).
pub struct UnitRows {
    pub latest: Vec<TouchpointRow>,
    pub open_follow_ups: Vec<TouchpointRow>,
    pub embeddings: Vec<EmbeddingView>,
}

pub struct EngagementModel {
    /// The day it was made (days since 1970): standings count days.
    day: i64,
    pub standings: Vec<UnitStanding>,
    /// Every unit's contacts per month over the last year, and per IT team.
    months: Vec<UnitMonth>,
    cells: Vec<MapCell>,
    units: Mutex<HashMap<i64, Arc<UnitRows>>>,
}

impl EngagementModel {
    pub fn standing(&self, unit_id: i64) -> Option<&UnitStanding> {
        self.standings.iter().find(|s| s.unit_id == unit_id)
    }

    /// A unit's rows, read the first time the unit is looked at.
    pub async fn unit_rows(&self, db: &Db, directory: &Directory, unit_id: i64) -> Result<Arc<UnitRows>, Error> {
        if let Some(rows) = self.units.lock().unwrap_or_else(|e| e.into_inner()).get(&unit_id) {
            return Ok(rows.clone());
        }
        let filter = TouchpointFilter { unit_id: Some(unit_id), person_id: None };
        let (latest, open_follow_ups, embeddings) = tokio::try_join!(
            db.list_touchpoints(filter, None, UNIT_LATEST),
            db.with_open_follow_ups(unit_id),
            super::embeddings(db, directory, Some(unit_id), None)
        )?;
        let rows = Arc::new(UnitRows { latest, open_follow_ups, embeddings });
        self.units.lock().unwrap_or_else(|e| e.into_inner()).insert(unit_id, rows.clone());
        Ok(rows)
    }
}

pub struct ModelCache(Versioned<EngagementModel>);

impl Default for ModelCache {
    fn default() -> Self {
        ModelCache(Versioned::new(&[
            Entity::Touchpoint,
            Entity::Request,
            Entity::UnitEngagement,
            Entity::Embedding,
            Entity::Person,
            Entity::Unit,
            Entity::Team,
        ]))
    }
}

/// The months a unit's page and the map cover: this one and the eleven before.
const MONTHS: i64 = 12;

impl ModelCache {
    pub fn invalidate(&self) {
        self.0.invalidate();
    }

    pub async fn get(&self, db: &Db, directory: &Directory) -> Result<Arc<EngagementModel>, Error> {
        let today = contact::today();
        self.0
            .get_valid(
                db,
                |built| built.day == today,
                || async {
                    let since = month_of(today) - (MONTHS - 1);
                    let (standings, months, cells) = tokio::try_join!(
                        standings(db, directory),
                        db.months_by_unit(since),
                        db.contact_map(since, None)
                    )?;
                    Ok(EngagementModel { day: today, standings, months, cells, units: Mutex::default() })
                },
            )
            .await
    }
}

/// A month's name, `YYYY-MM`, of months since 1970-01.
pub fn month_name(m: i64) -> String {
    format!("{:04}-{:02}", 1970 + m.div_euclid(12), m.rem_euclid(12) + 1)
}

/// One business unit's engagement: its standing, its contacts month by month over the last
/// year, the IT teams it was in touch with, and its follow-ups still open.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct UnitEngagement {
    pub standing: UnitStanding,
    pub months: Vec<MonthFigure>,
    pub teams: Vec<MapEntry>,
    pub open_follow_ups: Vec<TouchpointView>,
    /// Its latest touchpoints, the newest first.
    pub latest: Vec<TouchpointView>,
    pub embeddings: Vec<EmbeddingView>,
}

pub async fn unit_engagement(
    db: &Db,
    directory: &Directory,
    model: &EngagementModel,
    caller: &Caller,
    unit_id: i64,
) -> Result<UnitEngagement, Error> {
    let standing = model.standing(unit_id).ok_or_else(|| Error::not_found("The business unit"))?.clone();
    let this_month = month_of(model.day);
    let found: HashMap<i64, i64> =
        model.months.iter().filter(|m| m.unit_id == unit_id).map(|m| (m.month, m.contacts)).collect();
    let months = (this_month - (MONTHS - 1)..=this_month)
        .map(|m| MonthFigure { month: month_name(m), contacts: found.get(&m).copied().unwrap_or(0) })
        .collect();
    let mut teams: Vec<MapEntry> =
        model.cells.iter().filter(|c| c.unit_id == unit_id).map(|c| map_entry(c, model.day)).collect();
    teams.sort_by_key(|e| e.days_since);
    let rows = model.unit_rows(db, directory, unit_id).await?;
    let views = |rows: &[TouchpointRow]| -> Vec<TouchpointView> {
        rows.iter().map(|r| view(directory, r, caller.person_id, model.day)).collect()
    };
    Ok(UnitEngagement {
        standing,
        months,
        teams,
        open_follow_ups: views(&rows.open_follow_ups),
        latest: views(&rows.latest),
        embeddings: rows.embeddings.clone(),
    })
}
