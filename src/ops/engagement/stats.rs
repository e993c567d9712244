//! Engagement's figures, per business unit and company-wide: touchpoints per month, the median
//! days between contacts, follow-ups done on time, and IT's share of planning and strategy
//! sessions. `unit_figures` is the one call the health index reads for a unit.

use std::collections::HashMap;

use bridge_domain::engagement::{median_gap, plans_without_it};
use bridge_domain::intake::parse::Date;
use bridge_domain::Error;
use serde::Serialize;

use super::model::month_name;
use crate::ops::contact;
use crate::ops::directory::Directory;
use crate::store::engagement::{month_of, DayTouchpoints, FollowUpCounts, LatestSessions, UnitDay};
use crate::store::Db;

/// The months the figures cover: this one and the eleven before.
pub const MONTHS: i64 = 12;

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct MonthTouchpoints {
    /// `YYYY-MM`
    pub month: String,
    pub touchpoints: i64,
    pub planning_sessions: i64,
    pub planning_with_it: i64,
}

/// A unit's (or the company's) engagement over the last twelve months.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EngagementFigures {
    /// None: the whole company.
    pub unit_id: Option<i64>,
    pub name: String,
    pub months: Vec<MonthTouchpoints>,
    pub touchpoints: i64,
    /// The median of the days between one contact with IT and the next (company-wide: the
    /// median of the units' medians).
    pub median_days_between_contacts: Option<f64>,
    /// Follow-ups that were due in the period (up to yesterday), and those done by their day.
    pub follow_ups_due: i64,
    pub follow_ups_on_time: i64,
    pub follow_ups_on_time_share: Option<f64>,
    /// Planning and strategy sessions, and those IT took part in.
    pub planning_sessions: i64,
    pub planning_with_it: i64,
    pub planning_with_it_share: Option<f64>,
    /// The last two sessions were held without IT (company-wide: how many units did so).
    pub units_planning_without_it: i64,
}

fn first_day(m: i64) -> i64 {
    Date::parse(&format!("{}-01", month_name(m))).map_or(0, Date::days)
}

fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Adds up one unit's rows (or every unit's) into its figures.
fn figures(
    unit_id: Option<i64>,
    name: String,
    days: &[&DayTouchpoints],
    median: Option<f64>,
    follow_ups: &[&FollowUpCounts],
    without_it: i64,
) -> EngagementFigures {
    let this_month = month_of(contact::today());
    let mut months: Vec<MonthTouchpoints> = (this_month - (MONTHS - 1)..=this_month)
        .map(|m| MonthTouchpoints { month: month_name(m), ..Default::default() })
        .collect();
    for d in days {
        let i = month_of(d.day) - (this_month - (MONTHS - 1));
        if let Some(m) = usize::try_from(i).ok().and_then(|i| months.get_mut(i)) {
            m.touchpoints += d.touchpoints;
            m.planning_sessions += d.planning;
            m.planning_with_it += d.planning_with_it;
        }
    }
    let sum = |f: fn(&MonthTouchpoints) -> i64| months.iter().map(f).sum::<i64>();
    let (touchpoints, planning, with_it) =
        (sum(|m| m.touchpoints), sum(|m| m.planning_sessions), sum(|m| m.planning_with_it));
    let due: i64 = follow_ups.iter().map(|f| f.due).sum();
    let on_time: i64 = follow_ups.iter().map(|f| f.on_time).sum();
    EngagementFigures {
        unit_id,
        name,
        months,
        touchpoints,
        median_days_between_contacts: median,
        follow_ups_due: due,
        follow_ups_on_time: on_time,
        follow_ups_on_time_share: share(on_time, due),
        planning_sessions: planning,
        planning_with_it: with_it,
        planning_with_it_share: share(with_it, planning),
        units_planning_without_it: without_it,
    }
}

/// Whether each unit's last two sessions were held without IT.
pub fn planning_without_it(latest: &[LatestSessions]) -> HashMap<i64, bool> {
    latest
        .iter()
        .map(|l| {
            let sessions: Vec<bool> = [l.last, l.before_last].iter().flatten().map(|p| *p == 1).collect();
            (l.unit_id, plans_without_it(&sessions))
        })
        .collect()
}

/// Rows of the period, for one unit or all.
struct Period {
    days: Vec<DayTouchpoints>,
    contact_days: Vec<UnitDay>,
    follow_ups: Vec<FollowUpCounts>,
    without_it: HashMap<i64, bool>,
}

async fn period(db: &Db, unit_id: Option<i64>) -> Result<Period, Error> {
    let today = contact::today();
    let since = first_day(month_of(today) - (MONTHS - 1));
    let (days, contact_days, follow_ups, latest) = tokio::try_join!(
        db.touchpoint_days(unit_id, since),
        db.contact_days(unit_id, since),
        db.follow_up_counts(unit_id, since, today),
        db.latest_sessions()
    )?;
    Ok(Period { days, contact_days, follow_ups, without_it: planning_without_it(&latest) })
}

impl Period {
    fn unit(&self, unit_id: i64, name: String) -> EngagementFigures {
        let days: Vec<&DayTouchpoints> = self.days.iter().filter(|d| d.unit_id == unit_id).collect();
        let contacted: Vec<i64> = self.contact_days.iter().filter(|d| d.unit_id == unit_id).map(|d| d.day).collect();
        let follow_ups: Vec<&FollowUpCounts> = self.follow_ups.iter().filter(|f| f.unit_id == unit_id).collect();
        let without = i64::from(self.without_it.get(&unit_id).copied().unwrap_or(false));
        figures(Some(unit_id), name, &days, median_gap(&contacted), &follow_ups, without)
    }
}

/// One unit's figures over the last twelve months.
pub async fn unit_figures(db: &Db, directory: &Directory, unit_id: i64) -> Result<EngagementFigures, Error> {
    let name = directory.unit_name(unit_id).ok_or_else(|| Error::not_found("The business unit"))?.to_string();
    Ok(period(db, Some(unit_id)).await?.unit(unit_id, name))
}

/// The company's figures and each unit's, by unit name.
pub async fn all_figures(db: &Db, directory: &Directory) -> Result<(EngagementFigures, Vec<EngagementFigures>), Error> {
    let p = period(db, None).await?;
    let units: Vec<EngagementFigures> = directory.units.iter().map(|(id, name)| p.unit(*id, name.clone())).collect();
    let mut medians: Vec<f64> = units.iter().filter_map(|u| u.median_days_between_contacts).collect();
    medians.sort_by(f64::total_cmp);
    let median = match medians.len() {
        0 => None,
        n if n % 2 == 1 => Some(medians[n / 2]),
        n => Some((medians[n / 2 - 1] + medians[n / 2]) / 2.0),
    };
    let days: Vec<&DayTouchpoints> = p.days.iter().collect();
    let follow_ups: Vec<&FollowUpCounts> = p.follow_ups.iter().collect();
    let without = units.iter().map(|u| u.units_planning_without_it).sum();
    let company = figures(None, "The whole company".into(), &days, median, &follow_ups, without);
    Ok((company, units))
}

/// The company's figures and each unit's, made at most once a second on each server and again
/// when touchpoints, requests or the directory change, or the day turns: the figures page costs
/// the same however many touchpoints there are.
pub struct FiguresCache(crate::ops::cache::Versioned<(i64, EngagementFigures, Vec<EngagementFigures>)>);

impl Default for FiguresCache {
    fn default() -> Self {
        use bridge_domain::audit::Entity;
        FiguresCache(crate::ops::cache::Versioned::new(&[
            Entity::Touchpoint,
            Entity::Request,
            Entity::Person,
            Entity::Unit,
        ]))
    }
}

impl FiguresCache {
    pub fn invalidate(&self) {
        self.0.invalidate();
    }

    pub async fn get(
        &self,
        db: &Db,
        directory: &Directory,
    ) -> Result<std::sync::Arc<(i64, EngagementFigures, Vec<EngagementFigures>)>, Error> {
        let today = contact::today();
        self.0
            .get_valid(
                db,
                |built| built.0 == today,
                || async {
                    let (company, units) = all_figures(db, directory).await?;
                    Ok((today, company, units))
                },
            )
            .await
    }
}
