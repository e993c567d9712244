//! The portfolio: investment and value realised by business unit and by KPI, initiatives on and
//! off track, with filters by business unit, period (when the initiative was approved) and
//! status; the numbers as tables, a chart, and CSV.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use bridge_domain::csv_file::protect;
use bridge_domain::value::TargetStatus;
use serde::Deserialize;

use crate::ops::value::portfolio::{Filter, Initiative, StatusCounts};
use crate::web::auth::PageUser;
use crate::web::charts::{bar_chart, Bar, BarChart};
use crate::web::format::{number, percent};
use crate::web::pages::{render, Layout, Opt, OrPage, PageResult};
use crate::web::AppState;

#[derive(Deserialize, Default, Clone)]
pub struct PortfolioQuery {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    status: String,
}

impl PortfolioQuery {
    fn filter(&self) -> Filter {
        Filter { unit_id: self.unit.parse().ok(), period: self.period.clone(), status: self.status.clone() }
    }
}

/// Totals of a group of initiatives (a business unit, a KPI's targets, everything).
#[derive(Default, Clone)]
pub struct Totals {
    pub label: String,
    pub initiatives: usize,
    pub counts: StatusCounts,
    /// Money in the default currency.
    pub invested: f64,
    pub realised: f64,
    /// What was invested in the initiatives whose value is measured in money: the return is
    /// theirs to say.
    pub invested_measured: f64,
    pub measured_in_money: usize,
}

impl Totals {
    fn add(&mut self, i: &Initiative, currency: &str) {
        self.initiatives += 1;
        for t in &i.targets {
            self.counts.add(t.state);
        }
        if let Some(m) = i.money.as_ref().filter(|m| m.currency == currency) {
            self.invested += m.cost_to_date;
            self.realised += m.realised;
            if m.roi.is_some() {
                self.measured_in_money += 1;
                self.invested_measured += m.cost_to_date;
            }
        }
    }

    /// Achieved or on track, of the targets measured.
    pub fn kept(&self) -> String {
        self.counts.kept().map(percent).unwrap_or_else(|| "—".into())
    }

    pub fn roi(&self) -> String {
        if self.measured_in_money == 0 {
            return "—".into();
        }
        bridge_domain::value::roi(self.realised, self.invested_measured).map(percent).unwrap_or_else(|| "—".into())
    }
}

/// An initiative's row.
pub struct InitiativeLine {
    pub i: Initiative,
    pub realised: String,
    pub invested: String,
    pub roi: String,
    pub payback: String,
}

#[derive(Template)]
#[template(path = "value/portfolio.html")]
struct PortfolioPage {
    layout: Layout,
    currency: String,
    all: Totals,
    units: Vec<Totals>,
    kpis: Vec<Totals>,
    chart: String,
    initiatives: Vec<InitiativeLine>,
    shown: usize,
    unit_options: Vec<Opt>,
    period_options: Vec<Opt>,
    status_options: Vec<Opt>,
    csv_link: String,
}

const SHOWN: usize = 100;

/// Worst first: how urgently a business leader should look.
fn urgency(s: TargetStatus) -> u8 {
    match s {
        TargetStatus::OffTrack => 0,
        TargetStatus::Missed => 1,
        TargetStatus::AtRisk => 2,
        TargetStatus::OnTrack => 3,
        TargetStatus::NotMeasured => 4,
        TargetStatus::Achieved => 5,
    }
}

fn money(currency: &str, v: f64) -> String {
    format!("{currency}\u{a0}{}", number(v.round()))
}

fn line(i: &Initiative) -> InitiativeLine {
    let (realised, invested, roi, payback) = match &i.money {
        Some(m) => (
            money(&m.currency, m.realised),
            if m.cost_from.is_some() { money(&m.currency, m.cost_to_date) } else { "Not known".into() },
            m.roi.map(percent).unwrap_or_else(|| "—".into()),
            m.payback.map(|p| p.describe()).unwrap_or_else(|| "—".into()),
        ),
        None => ("—".into(), "—".into(), "—".into(), "—".into()),
    };
    InitiativeLine { i: i.clone(), realised, invested, roi, payback }
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<PortfolioQuery>,
) -> PageResult {
    let portfolio = state.value_portfolio().await.or_page(&user)?;
    let currency = state.intake_settings.get(&state.db).await.or_page(&user)?.default_currency.clone();
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let kept = portfolio.chosen(&q.filter());
    let mut all = Totals { label: "Everyone".into(), ..Totals::default() };
    let mut by_unit: BTreeMap<String, Totals> = BTreeMap::new();
    let mut by_kpi: BTreeMap<String, Totals> = BTreeMap::new();
    for i in &kept {
        all.add(i, &currency);
        let unit = i.unit_name.clone().unwrap_or_else(|| "No business unit".into());
        by_unit.entry(unit.clone()).or_insert_with(|| Totals { label: unit, ..Totals::default() }).add(i, &currency);
        for t in &i.targets {
            let k = by_kpi
                .entry(t.kpi_name.clone())
                .or_insert_with(|| Totals { label: t.kpi_name.clone(), ..Totals::default() });
            k.counts.add(t.state);
            if let (Some(r), Some(c)) = (t.realised, &t.currency) {
                if *c == currency {
                    k.realised += r;
                }
            }
        }
    }
    let units: Vec<Totals> = by_unit.into_values().collect();
    let bars: Vec<Bar> =
        units.iter().map(|u| Bar { label: u.label.clone(), values: vec![u.invested, u.realised] }).collect();
    let chart = bar_chart(&BarChart {
        title: format!(
            "Invested and value realised per business unit, in {currency}; the table below has the same figures."
        ),
        series: &["Invested to date", "Value realised"],
        bars: &bars,
        format_value: &|v| money(&currency, v),
    });
    let mut sorted = kept.clone();
    sorted.sort_by_key(|i| (urgency(i.state), std::cmp::Reverse(i.request_id)));
    let initiatives = sorted.iter().take(SHOWN).map(|i| line(i)).collect();
    let mut years: Vec<i64> =
        portfolio.initiatives.iter().filter_map(|i| i.approved_on.as_ref()?.get(..4)?.parse().ok()).collect();
    years.sort_unstable();
    years.dedup();
    let periods = years.iter().rev().flat_map(|y| {
        std::iter::once((y.to_string(), y.to_string()))
            .chain((1..=4).map(move |q| (format!("{y}-Q{q}"), format!("{y}, quarter {q}"))))
    });
    let statuses = [
        TargetStatus::OffTrack,
        TargetStatus::AtRisk,
        TargetStatus::OnTrack,
        TargetStatus::Achieved,
        TargetStatus::Missed,
        TargetStatus::NotMeasured,
    ];
    let query = serde_urlencoded::to_string([("unit", &q.unit), ("period", &q.period), ("status", &q.status)])
        .unwrap_or_default();
    Ok(render(&PortfolioPage {
        layout: Layout::new("Value portfolio", &user, "value"),
        shown: kept.len().min(SHOWN),
        all,
        units,
        kpis: by_kpi.into_values().collect(),
        chart,
        initiatives,
        unit_options: Opt::with_none(
            "Every business unit",
            directory.units.iter().map(|(i, n)| (i.to_string(), n.clone())),
            &q.unit,
        ),
        period_options: Opt::with_none("All time", periods, &q.period),
        status_options: Opt::with_none(
            "Any status",
            statuses.iter().map(|s| (s.as_str().to_string(), s.label().to_string())),
            &q.status,
        ),
        csv_link: format!("/value/portfolio.csv?{query}"),
        currency,
    }))
}

/// The chosen initiatives as CSV, one row each.
pub async fn csv(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<PortfolioQuery>,
) -> PageResult {
    let portfolio = state.value_portfolio().await.or_page(&user)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "request_id",
        "title",
        "business_unit",
        "sponsor",
        "request_status",
        "status",
        "targets",
        "on_track",
        "at_risk",
        "off_track",
        "achieved",
        "missed",
        "not_measured_yet",
        "currency",
        "invested_to_date",
        "value_realised",
        "roi",
        "payback",
    ]);
    for i in portfolio.chosen(&q.filter()) {
        let mut t = StatusCounts::default();
        for target in &i.targets {
            t.add(target.state);
        }
        let m = i.money.as_ref();
        let _ = w.write_record([
            i.request_id.to_string(),
            protect(&i.title).into_owned(),
            protect(i.unit_name.as_deref().unwrap_or("")).into_owned(),
            protect(i.sponsor_name.as_deref().unwrap_or("")).into_owned(),
            i.status.to_string(),
            i.overall.to_string(),
            t.targets().to_string(),
            t.on_track.to_string(),
            t.at_risk.to_string(),
            t.off_track.to_string(),
            t.achieved.to_string(),
            t.missed.to_string(),
            (i.not_measured.len() + t.not_measured).to_string(),
            m.map(|m| m.currency.clone()).unwrap_or_default(),
            m.filter(|m| m.cost_from.is_some()).map(|m| format!("{:.2}", m.cost_to_date)).unwrap_or_default(),
            m.map(|m| format!("{:.2}", m.realised)).unwrap_or_default(),
            m.and_then(|m| m.roi).map(|r| format!("{r:.4}")).unwrap_or_default(),
            m.and_then(|m| m.payback).map(|p| p.describe()).unwrap_or_default(),
        ]);
    }
    let body = w.into_inner().unwrap_or_default();
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"value-portfolio.csv\""),
        ],
        body,
    )
        .into_response())
}
