//! The relationship map page: business units against IT teams as a heat map and a table, kept
//! as drawn until contacts change.

use askama::Template;
use axum::extract::State;
use bridge_domain::Error;

use super::super::{render, Layout, OrPage, PageResult};
use crate::ops::directory::Directory;
use crate::ops::engagement;
use crate::web::auth::PageUser;
use crate::web::AppState;

#[derive(Template)]
#[template(path = "engagement/map.html")]
struct MapPage {
    layout: Layout,
    chart: String,
    /// A row per unit: its name, and a cell per team ("12 · 5 days ago" or "—").
    rows: Vec<(String, Vec<String>)>,
    teams: Vec<String>,
    months: i64,
}

/// The relationship map as drawn: the heat map, and a row per unit with a cell per team
/// ("12 · 5 days ago" or "—").
pub struct DrawnMap {
    day: i64,
    chart: String,
    rows: Vec<(String, Vec<String>)>,
    teams: Vec<String>,
}

/// The map as drawn, kept until contacts or the directory change or the day turns: drawing 60
/// units against 40 teams is the page's cost, and it does not change between two readers.
pub struct MapPageCache(crate::ops::cache::Versioned<DrawnMap>);

impl MapPageCache {
    pub fn invalidate(&self) {
        self.0.invalidate();
    }
}

impl Default for MapPageCache {
    fn default() -> Self {
        use bridge_domain::audit::Entity;
        MapPageCache(crate::ops::cache::Versioned::new(&[
            Entity::Touchpoint,
            Entity::Request,
            Entity::Person,
            Entity::Unit,
            Entity::Team,
        ]))
    }
}

const MAP_MONTHS: i64 = 12;

async fn draw_map(state: &AppState, directory: &Directory) -> Result<DrawnMap, Error> {
    const MONTHS: i64 = MAP_MONTHS;
    let m = engagement::relationship_map(&state.db, directory, MONTHS).await?;
    let by_pair: std::collections::HashMap<(i64, i64), &engagement::MapEntry> =
        m.entries.iter().map(|e| ((e.unit_id, e.team_id), e)).collect();
    let entry = |unit: i64, team: i64| by_pair.get(&(unit, team)).copied();
    let cells: Vec<Vec<Option<crate::web::charts::Cell>>> = m
        .units
        .iter()
        .map(|(unit, unit_name)| {
            m.teams
                .iter()
                .map(|(team, team_name)| {
                    entry(*unit, *team).map(|e| {
                        let warmth = 1.0 - (e.days_since.clamp(0, 180) as f64 / 180.0);
                        let hover = format!(
                            "{unit_name} and {team_name}: {} contacts in {MONTHS} months, the last on {} ({} days ago)",
                            e.contacts, e.last_contact, e.days_since
                        );
                        (warmth, e.contacts.to_string(), hover)
                    })
                })
                .collect()
        })
        .collect();
    let rows: Vec<String> = m.units.iter().map(|(_, n)| n.clone()).collect();
    let teams: Vec<String> = m.teams.iter().map(|(_, n)| n.clone()).collect();
    let chart = crate::web::charts::heat_map(&crate::web::charts::HeatMap {
        title: format!(
            "Business units against IT teams: contacts in the last {MONTHS} months, darker for more recent contact"
        ),
        rows: &rows,
        columns: &teams,
        cells: &cells,
    });
    let rows_table: Vec<(String, Vec<String>)> = m
        .units
        .iter()
        .map(|(unit, name)| {
            let cells = m
                .teams
                .iter()
                .map(|(team, _)| {
                    entry(*unit, *team)
                        .map(|e| format!("{} · {} days ago", e.contacts, e.days_since))
                        .unwrap_or_else(|| "—".into())
                })
                .collect();
            (name.clone(), cells)
        })
        .collect();
    Ok(DrawnMap { day: crate::ops::contact::today(), chart, rows: rows_table, teams })
}

/// Business units against IT teams: a heat map (warmer for more recent contact) and the same as
/// a table.
pub async fn map(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let today = crate::ops::contact::today();
    let drawn = state
        .relationship_map
        .0
        .get_valid(&state.db, |d| d.day == today, || draw_map(&state, &directory))
        .await
        .or_page(&user)?;
    Ok(render(&MapPage {
        layout: Layout::new("Relationship map", &user, "engagement"),
        chart: drawn.chart.clone(),
        rows: drawn.rows.clone(),
        teams: drawn.teams.clone(),
        months: MAP_MONTHS,
    }))
}
