//! How the promises stand: every target with its latest value, progress and status, and each
//! initiative's combined picture and money, kept in memory. It is rebuilt when KPIs, targets,
//! measurements, requests, people or units change (every one of those writes is audited), and on
//! a new day, since a status depends on the date. A rebuild reads each KPI's latest value once
//! and sums money targets' measurements since their benefit started; the pages then only filter.

use std::collections::HashMap;
use std::sync::Arc;

use bridge_domain::audit::Entity;
use bridge_domain::intake::assessment::Assessment;
use bridge_domain::intake::lifecycle::Status;
use bridge_domain::intake::parse::Date;
use bridge_domain::intake::request::{Budget, ValidRequest};
use bridge_domain::value::{
    combined, payback, progress, realised, roi, status, BenefitStart, Cost, Payback, TargetKind, TargetStatus, Unit,
    ValidTarget,
};
use bridge_domain::Error;
use serde::Serialize;

use crate::ops::cache::Versioned;
use crate::ops::directory::Directory;
use crate::store::portfolio::{InitiativeRow, LatestOfKpi};
use crate::store::value::{KpiRow, TargetRow};
use crate::store::Db;

/// A target with how it stands today.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TargetView {
    pub id: i64,
    pub kpi_id: i64,
    pub kpi_name: String,
    /// money, percent, count, duration, score or yes_no (the KPI's).
    pub unit: &'static str,
    /// The KPI's currency, for money.
    pub currency: Option<String>,
    /// The initiative (approved request) it belongs to, if any.
    pub request_id: Option<i64>,
    /// What was promised: baseline, kind and value, dates, when the benefit starts.
    #[schema(value_type = Object)]
    pub target: ValidTarget,
    /// The latest measurement since the baseline: `YYYY-MM-DD`.
    pub latest_date: Option<String>,
    pub latest_value: Option<f64>,
    /// (latest − baseline) / (target − baseline), for a rise or fall whose target differs from
    /// its baseline.
    pub progress: Option<f64>,
    /// not_measured, on_track, at_risk, off_track, achieved or missed (docs/value.md).
    pub status: &'static str,
    pub status_label: &'static str,
    /// For money: what it has brought since the benefit started (the gains on the baseline,
    /// added up), in `currency`.
    pub realised: Option<f64>,
    /// The day the benefit started or starts (`None`: at a delivery still to come).
    pub benefit_from: Option<String>,
    #[serde(skip)]
    pub state: TargetStatus,
}

/// An initiative's money: cost, value realised, return and payback, in one currency.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Money {
    pub currency: String,
    /// Where the cost comes from: "assessment" (IT's one-off and running cost) or "budget".
    pub cost_from: Option<&'static str>,
    pub one_off: f64,
    pub per_year: f64,
    /// One-off plus running cost since delivery.
    pub cost_to_date: f64,
    /// Money realised by its money targets in this currency.
    pub realised: f64,
    /// (realised − cost to date) / cost to date.
    pub roi: Option<f64>,
    /// `{"kind": "reached"}`, `{"kind": "expected", "date": "YYYY-MM-DD"}` or
    /// `{"kind": "not_in_sight"}`; none without a cost or a money target.
    #[schema(value_type = Option<Object>)]
    pub payback: Option<Payback>,
}

/// An approved request and what became of its promises.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Initiative {
    pub request_id: i64,
    pub title: String,
    /// The request's status: approved, in_delivery, delivered, value_review, closed, …
    pub status: &'static str,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub sponsor_id: Option<i64>,
    pub sponsor_name: Option<String>,
    /// IT's owner of the request.
    pub owner_id: Option<i64>,
    /// Its IT champion, who says how technology makes it succeed.
    pub champion_id: Option<i64>,
    pub champion_name: Option<String>,
    /// `YYYY-MM-DD`.
    pub approved_on: Option<String>,
    pub delivered_on: Option<String>,
    pub targets: Vec<TargetView>,
    /// Success metrics with no target on a KPI yet.
    pub not_measured: Vec<String>,
    /// The worst of its targets' statuses (docs/value.md).
    pub overall: &'static str,
    pub overall_label: &'static str,
    pub money: Option<Money>,
    #[serde(skip)]
    pub state: TargetStatus,
    #[serde(skip)]
    pub approved_day: Option<i64>,
}

/// How many targets stand in each status.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StatusCounts {
    pub achieved: usize,
    pub missed: usize,
    pub on_track: usize,
    pub at_risk: usize,
    pub off_track: usize,
    pub not_measured: usize,
}

impl StatusCounts {
    pub fn add(&mut self, s: TargetStatus) {
        match s {
            TargetStatus::Achieved => self.achieved += 1,
            TargetStatus::Missed => self.missed += 1,
            TargetStatus::OnTrack => self.on_track += 1,
            TargetStatus::AtRisk => self.at_risk += 1,
            TargetStatus::OffTrack => self.off_track += 1,
            TargetStatus::NotMeasured => self.not_measured += 1,
        }
    }

    pub fn targets(&self) -> usize {
        self.achieved + self.missed + self.on_track + self.at_risk + self.off_track + self.not_measured
    }

    /// The share of the measured targets achieved or on track; none with none measured.
    pub fn kept(&self) -> Option<f64> {
        let measured = self.targets() - self.not_measured;
        (measured > 0).then(|| (self.achieved + self.on_track) as f64 / measured as f64)
    }
}

/// What someone's (or a unit's, or an IT team's) promises came to: targets finished (achieved
/// or missed), targets still running and how they stand, and money realised.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TrackRecord {
    pub initiatives: usize,
    #[serde(flatten)]
    pub counts: StatusCounts,
    /// Money realised, per currency.
    pub realised: Vec<(String, f64)>,
}

impl TrackRecord {
    fn add(&mut self, i: &Initiative) {
        self.initiatives += 1;
        for t in &i.targets {
            self.counts.add(t.state);
        }
        if let Some(m) = i.money.as_ref().filter(|m| m.roi.is_some()) {
            match self.realised.iter_mut().find(|(c, _)| *c == m.currency) {
                Some((_, v)) => *v += m.realised,
                None => self.realised.push((m.currency.clone(), m.realised)),
            }
        }
    }

    /// The record in a few words, for a list: "Record: 3 of 4 targets achieved, 2 on track".
    pub fn short(&self) -> String {
        let finished = self.counts.achieved + self.counts.missed;
        let running = self.counts.on_track + self.counts.at_risk + self.counts.off_track;
        match (finished, running) {
            (0, 0) => String::new(),
            (0, _) => format!("Record: {} of {running} running targets on track", self.counts.on_track),
            _ => format!("Record: {} of {finished} targets achieved", self.counts.achieved),
        }
    }

    /// The record in a sentence: "3 of 4 finished targets achieved; 2 running: 1 on track, 1 at
    /// risk; EUR 120,400 realised." Empty when there is nothing to say yet.
    pub fn sentence(&self) -> String {
        let mut parts = Vec::new();
        let finished = self.counts.achieved + self.counts.missed;
        if finished > 0 {
            parts.push(format!("{} of {finished} finished targets achieved", self.counts.achieved));
        }
        let running = self.counts.on_track + self.counts.at_risk + self.counts.off_track;
        if running > 0 {
            let mut how = Vec::new();
            for (n, what) in [
                (self.counts.on_track, "on track"),
                (self.counts.at_risk, "at risk"),
                (self.counts.off_track, "off track"),
            ] {
                if n > 0 {
                    how.push(format!("{n} {what}"));
                }
            }
            parts.push(format!("{running} running: {}", how.join(", ")));
        }
        for (currency, v) in &self.realised {
            parts.push(format!("{currency} {} realised", bridge_domain::intake::parse::format_number(v.round())));
        }
        if parts.is_empty() {
            return String::new();
        }
        format!("{}.", parts.join("; "))
    }
}

/// Every initiative and every target, as they stand on `today`.
pub struct Portfolio {
    pub today: Date,
    pub initiatives: Vec<Initiative>,
    /// Targets set by hand, outside any initiative.
    pub by_hand: Vec<TargetView>,
    pub kpis: Vec<KpiRow>,
    /// Track records of sponsors, business units and IT teams (by the IT owner's team).
    pub by_sponsor: HashMap<i64, TrackRecord>,
    pub by_unit: HashMap<i64, TrackRecord>,
    pub by_team: HashMap<i64, TrackRecord>,
    /// Each KPI's latest current measurement.
    pub latest: HashMap<i64, LatestOfKpi>,
    /// How many targets each KPI carries.
    pub targets_per_kpi: HashMap<i64, usize>,
}

/// Which initiatives to show.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub unit_id: Option<i64>,
    /// A year ("2026") or a quarter ("2026-Q3") the initiative was approved in; anything else is
    /// all time.
    pub period: String,
    /// A combined status (`TargetStatus::as_str`); empty for any.
    pub status: String,
}

/// A period as chosen: a year ("2026") or a quarter ("2026-Q3"), as its first and last day.
pub fn period_days(p: &str) -> Option<(i64, i64)> {
    let (year, quarter) = match p.split_once("-Q") {
        Some((y, q)) => (y.parse::<i32>().ok()?, Some(q.parse::<u32>().ok().filter(|q| (1..=4).contains(q))?)),
        None => (p.parse::<i32>().ok()?, None),
    };
    let (first, last) = quarter.map_or((1, 12), |q| (q * 3 - 2, q * 3));
    let start = Date::parse(&format!("{year:04}-{first:02}-01"))?;
    let next = if last == 12 {
        Date::parse(&format!("{:04}-01-01", year + 1))?
    } else {
        Date::parse(&format!("{year:04}-{:02}-01", last + 1))?
    };
    Some((start.days(), next.days() - 1))
}

impl Portfolio {
    /// The initiatives the filter keeps, in request order.
    pub fn chosen(&self, f: &Filter) -> Vec<&Initiative> {
        let period = period_days(&f.period);
        self.initiatives
            .iter()
            .filter(|i| f.unit_id.is_none() || i.unit_id == f.unit_id)
            .filter(|i| match period {
                None => true,
                Some((from, to)) => i.approved_day.is_some_and(|d| (from..=to).contains(&d)),
            })
            .filter(|i| f.status.is_empty() || i.overall == f.status)
            .collect()
    }

    pub fn initiative(&self, request_id: i64) -> Option<&Initiative> {
        self.initiatives.binary_search_by_key(&request_id, |i| i.request_id).ok().map(|i| &self.initiatives[i])
    }

    /// Every target on a KPI, oldest first.
    pub fn targets_of_kpi(&self, kpi_id: i64) -> Vec<&TargetView> {
        let mut out: Vec<&TargetView> = self
            .initiatives
            .iter()
            .flat_map(|i| &i.targets)
            .chain(&self.by_hand)
            .filter(|t| t.kpi_id == kpi_id)
            .collect();
        out.sort_by_key(|t| t.id);
        out
    }

    pub fn target(&self, id: i64) -> Option<&TargetView> {
        self.initiatives.iter().flat_map(|i| &i.targets).chain(&self.by_hand).find(|t| t.id == id)
    }
}

pub struct PortfolioCache(Versioned<Portfolio>);

impl Default for PortfolioCache {
    fn default() -> Self {
        PortfolioCache(Versioned::new(&[Entity::Kpi, Entity::Request, Entity::Person, Entity::Unit]))
    }
}

impl PortfolioCache {
    /// The portfolio as it stands on `today`.
    pub async fn get(&self, db: &Db, directory: &Directory, today: Date) -> Result<Arc<Portfolio>, Error> {
        self.0.get_valid(db, |p| p.today == today, || build(db, directory, today)).await
    }

    pub fn invalidate(&self) {
        self.0.invalidate();
    }
}

fn day_of(ms: i64) -> Option<Date> {
    chrono::DateTime::from_timestamp_millis(ms).map(|t| Date::from_days(t.timestamp().div_euclid(86_400)))
}

fn lower_is_better(kpi: &KpiRow, kind: TargetKind) -> bool {
    matches!(kind, TargetKind::DecreaseTo { .. } | TargetKind::AtMost { .. }) || kpi.direction == "lower"
}

/// What an initiative costs, and in which currency: IT's assessment when there is one, else the
/// request's budget (a range at its top).
fn cost_of(body: &ValidRequest, assessment: Option<&Assessment>) -> Option<(&'static str, Cost, String)> {
    if let Some(a) = assessment {
        let cost = Cost {
            one_off: a.one_off_cost_cents as f64 / 100.0,
            per_year: a.running_cost_per_year_cents as f64 / 100.0,
        };
        return Some(("assessment", cost, a.currency.clone()));
    }
    match &body.budget {
        Some(Budget::Amount { amount_cents, currency }) => {
            Some(("budget", Cost { one_off: *amount_cents as f64 / 100.0, per_year: 0.0 }, currency.clone()))
        }
        Some(Budget::Range { max_cents, currency, .. }) => {
            Some(("budget", Cost { one_off: *max_cents as f64 / 100.0, per_year: 0.0 }, currency.clone()))
        }
        _ => None,
    }
}

struct Context<'a> {
    db: &'a Db,
    today: Date,
    kpis: HashMap<i64, &'a KpiRow>,
    latest: &'a HashMap<i64, LatestOfKpi>,
}

impl Context<'_> {
    async fn view(&self, row: &TargetRow, delivered: Option<Date>) -> Result<Option<TargetView>, Error> {
        let Some(kpi) = self.kpis.get(&row.kpi_id) else { return Ok(None) };
        let target = row.target()?;
        let mut rules = target.rules(delivered);
        // A target set by hand starts counting at its baseline.
        let started = if row.request_id.is_none() && target.benefit_start == BenefitStart::Delivery {
            rules.benefit_start = target.baseline_date;
            Some(target.baseline_date)
        } else {
            target.benefit_start.day(delivered)
        };
        let latest = self.latest.get(&row.kpi_id).filter(|l| l.day > target.baseline_date.days());
        let value = latest.map(|l| l.value);
        let state = status(&rules, value, self.today);
        let realised = match (kpi.unit.as_str() == Unit::Money.as_str(), started) {
            (true, Some(start)) if start <= self.today => {
                let from = start.days().max(target.baseline_date.days() + 1);
                let tally = self.db.tally_measurements(kpi.id, from).await?;
                Some(realised(
                    lower_is_better(kpi, target.kind),
                    target.baseline,
                    tally.count,
                    tally.sum.unwrap_or(0.0),
                ))
            }
            (true, _) => Some(0.0),
            _ => None,
        };
        Ok(Some(TargetView {
            id: row.id,
            kpi_id: row.kpi_id,
            kpi_name: kpi.name.clone(),
            unit: Unit::parse(&kpi.unit).map(Unit::as_str).unwrap_or("count"),
            currency: kpi.currency.clone(),
            request_id: row.request_id,
            latest_date: latest.map(|l| Date::from_days(l.day).to_string()),
            latest_value: value,
            progress: value.and_then(|v| progress(&rules, v)),
            status: state.as_str(),
            status_label: state.label(),
            realised,
            benefit_from: started.map(|d| d.to_string()),
            state,
            target,
        }))
    }
}

fn money_of(
    row: &InitiativeRow,
    body: &ValidRequest,
    targets: &[TargetView],
    delivered: Option<Date>,
    today: Date,
) -> Option<Money> {
    let assessment: Option<Assessment> = row.assessment.as_deref().and_then(|a| serde_json::from_str(a).ok());
    let cost = cost_of(body, assessment.as_ref());
    let money_targets: Vec<&TargetView> = targets.iter().filter(|t| t.realised.is_some()).collect();
    let currency = match &cost {
        Some((_, _, c)) => c.clone(),
        None => money_targets.first()?.currency.clone()?,
    };
    let in_currency: Vec<&&TargetView> =
        money_targets.iter().filter(|t| t.currency.as_deref() == Some(currency.as_str())).collect();
    // `+ 0.0`: an empty sum of floats is -0, which would read "-0".
    let realised_total: f64 = in_currency.iter().filter_map(|t| t.realised).sum::<f64>() + 0.0;
    let started = in_currency.iter().filter_map(|t| t.benefit_from.as_deref().and_then(Date::parse)).min();
    let (cost_from, one_off, per_year, cost_to_date, roi_now, pays) = match &cost {
        Some((from, c, _)) => {
            let to_date = c.to(delivered, today);
            // A return needs value measured in money: without a money target there is none to say.
            let measured = !in_currency.is_empty();
            let pays = started.filter(|_| measured).map(|s| payback(realised_total, c, s, delivered, today));
            (Some(*from), c.one_off, c.per_year, to_date, roi(realised_total, to_date).filter(|_| measured), pays)
        }
        None => (None, 0.0, 0.0, 0.0, None, None),
    };
    Some(Money {
        currency,
        cost_from,
        one_off,
        per_year,
        cost_to_date,
        realised: realised_total,
        roi: roi_now,
        payback: pays,
    })
}

/// Builds the portfolio afresh (the cache's build, and the daily watch's).
pub async fn build(db: &Db, directory: &Directory, today: Date) -> Result<Portfolio, Error> {
    let kpis = db.list_kpis().await?;
    let rows = db.initiative_rows().await?;
    let targets = db.all_targets().await?;
    let latest: HashMap<i64, LatestOfKpi> = db.latest_of_kpis().await?.into_iter().map(|l| (l.kpi_id, l)).collect();
    let cx = Context { db, today, kpis: kpis.iter().map(|k| (k.id, k)).collect(), latest: &latest };
    let mut by_request: HashMap<i64, Vec<&TargetRow>> = HashMap::new();
    let mut by_hand = Vec::new();
    for t in &targets {
        match t.request_id {
            Some(r) => by_request.entry(r).or_default().push(t),
            None => by_hand.extend(cx.view(t, None).await?),
        }
    }
    let mut initiatives = Vec::with_capacity(rows.len());
    for row in &rows {
        let body: ValidRequest = serde_json::from_str(&row.body).map_err(Error::internal)?;
        let delivered = row.delivered_at.and_then(day_of);
        let mut views = Vec::new();
        for t in by_request.get(&row.id).into_iter().flatten() {
            views.extend(cx.view(t, delivered).await?);
        }
        let not_measured = body
            .metrics
            .iter()
            .map(|m| m.name.clone())
            .filter(|name| !name.trim().is_empty())
            .filter(|name| !views.iter().any(|t| t.target.metric.eq_ignore_ascii_case(name)))
            .collect();
        let state = combined(views.iter().map(|t| t.state));
        let money = money_of(row, &body, &views, delivered, today);
        let status = Status::parse(&row.status).map(Status::as_str).unwrap_or("approved");
        initiatives.push(Initiative {
            request_id: row.id,
            title: row.title.clone(),
            status,
            unit_id: row.unit_id,
            unit_name: row.unit_id.and_then(|u| directory.unit_name(u)).map(str::to_string),
            sponsor_id: row.sponsor_id,
            sponsor_name: row.sponsor_id.and_then(|p| directory.person_name(p)).map(str::to_string),
            owner_id: row.owner_id,
            champion_id: row.champion_id,
            champion_name: row.champion_id.and_then(|p| directory.person_name(p)).map(str::to_string),
            approved_on: row.decided_at.and_then(day_of).map(|d| d.to_string()),
            approved_day: row.decided_at.and_then(day_of).map(|d| d.days()),
            delivered_on: delivered.map(|d| d.to_string()),
            targets: views,
            not_measured,
            overall: state.as_str(),
            overall_label: state.label(),
            money,
            state,
        });
    }
    let (mut by_sponsor, mut by_unit, mut by_team) = (HashMap::new(), HashMap::new(), HashMap::new());
    let team_of: HashMap<i64, i64> = directory.people.iter().filter_map(|p| Some((p.id, p.team_id?))).collect();
    for i in &initiatives {
        if let Some(s) = i.sponsor_id {
            by_sponsor.entry(s).or_insert_with(TrackRecord::default).add(i);
        }
        if let Some(u) = i.unit_id {
            by_unit.entry(u).or_insert_with(TrackRecord::default).add(i);
        }
        if let Some(t) = i.owner_id.and_then(|o| team_of.get(&o)) {
            by_team.entry(*t).or_insert_with(TrackRecord::default).add(i);
        }
    }
    let mut targets_per_kpi = HashMap::new();
    for t in initiatives.iter().flat_map(|i| &i.targets).chain(&by_hand) {
        *targets_per_kpi.entry(t.kpi_id).or_insert(0) += 1;
    }
    Ok(Portfolio { today, initiatives, by_hand, kpis, by_sponsor, by_unit, by_team, latest, targets_per_kpi })
}
