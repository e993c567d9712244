//! The impact report: a printable page for a quarter (or a year), for one business unit or the
//! whole company, in business language — what IT delivered, what it moved, what the business
//! confirmed.

use askama::Template;
use axum::extract::{Query, State};
use bridge_domain::intake::parse::Date;
use bridge_domain::value::TargetKind;
use serde::Deserialize;

use super::kpis::goal_words;
use crate::ops::value::portfolio::{period_days, Filter, Initiative, TargetView};
use crate::ops::value::today;
use crate::store::reviews::Receipt;
use crate::web::auth::PageUser;
use crate::web::format::{measured, number, percent};
use crate::web::pages::{render, Layout, Opt, OrPage, PageResult};
use crate::web::AppState;

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    #[serde(default)]
    period: String,
    #[serde(default)]
    unit: String,
}

/// The quarter a day is in: "2026-Q4".
fn quarter_of(d: Date) -> String {
    let s = d.to_string();
    let month: u32 = s.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    format!("{}-Q{}", s.get(..4).unwrap_or("2026"), (month - 1) / 3 + 1)
}

/// "the fourth quarter of 2026", "2026".
fn period_words(p: &str) -> String {
    match p.split_once("-Q") {
        Some((y, q)) => {
            let nth =
                ["first", "second", "third", "fourth"].get(q.parse::<usize>().unwrap_or(1).saturating_sub(1)).copied();
            format!("the {} quarter of {y}", nth.unwrap_or("first"))
        }
        None => p.to_string(),
    }
}

/// One moved KPI, in a sentence.
pub struct Moved {
    pub initiative: String,
    pub request_id: i64,
    pub sentence: String,
    pub status: &'static str,
    pub status_label: &'static str,
}

fn moved(i: &Initiative, t: &TargetView) -> Option<Moved> {
    let latest = t.latest_value?;
    let f = |v: f64| measured(t.unit, t.currency.as_deref(), v);
    let change = match (t.progress, t.target.kind) {
        (Some(p), TargetKind::IncreaseTo { .. } | TargetKind::DecreaseTo { .. }) => {
            format!(
                ", {} of the way to the target ({})",
                percent(p),
                bridge_domain::text::lowercase_first(&goal_words(t))
            )
        }
        _ => format!(" (the target: {})", bridge_domain::text::lowercase_first(&goal_words(t))),
    };
    Some(Moved {
        initiative: i.title.clone(),
        request_id: i.request_id,
        sentence: format!("{} went from {} to {}{change}.", t.kpi_name, f(t.target.baseline), f(latest)),
        status: t.status,
        status_label: t.status_label,
    })
}

#[derive(Template)]
#[template(path = "value/report.html")]
struct ReportPage {
    layout: Layout,
    scope: String,
    period: String,
    headline: String,
    delivered: Vec<Initiative>,
    moved: Vec<Moved>,
    moved_total: usize,
    confirmed: Vec<Receipt>,
    disputed: Vec<Receipt>,
    money: Option<String>,
    period_options: Vec<Opt>,
    unit_options: Vec<Opt>,
}

const MOVED_SHOWN: usize = 60;

pub async fn page(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<ReportQuery>) -> PageResult {
    let today = today();
    let period = if period_days(&q.period).is_some() { q.period.clone() } else { quarter_of(today) };
    let (from, to) = period_days(&period).unwrap_or((today.days(), today.days()));
    let portfolio = state.value_portfolio().await.or_page(&user)?;
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let currency = state.intake_settings.get(&state.db).await.or_page(&user)?.default_currency.clone();
    let unit_id: Option<i64> = q.unit.parse().ok();
    let scope =
        unit_id.and_then(|u| directory.unit_name(u)).map(str::to_string).unwrap_or_else(|| "the whole company".into());
    let in_scope = portfolio.chosen(&Filter { unit_id, ..Filter::default() });
    let delivered_in = |i: &Initiative| {
        i.delivered_on.as_deref().and_then(Date::parse).is_some_and(|d| (from..=to).contains(&d.days()))
    };
    let delivered: Vec<Initiative> = in_scope.iter().filter(|i| delivered_in(i)).map(|i| (*i).clone()).collect();
    // What moved: targets of initiatives delivered by the end of the period, measured since.
    let running =
        in_scope.iter().filter(|i| i.delivered_on.as_deref().and_then(Date::parse).is_some_and(|d| d.days() <= to));
    let all_moved: Vec<Moved> = running.flat_map(|i| i.targets.iter().filter_map(move |t| moved(i, t))).collect();
    let moved_total = all_moved.len();
    let ms = |day: i64| day * 86_400_000;
    let decided = state.db.decided_between(ms(from), ms(to + 1) - 1).await.or_page(&user)?;
    let (confirmed, disputed): (Vec<Receipt>, Vec<Receipt>) =
        decided.into_iter().filter(|r| unit_id.is_none() || r.unit_id == unit_id).partition(|r| r.state == "confirmed");
    let (mut realised, mut invested) = (0.0, 0.0);
    for m in in_scope.iter().filter_map(|i| i.money.as_ref()).filter(|m| m.currency == currency && m.roi.is_some()) {
        realised += m.realised;
        invested += m.cost_to_date;
    }
    let money = (invested > 0.0).then(|| {
        format!(
            "Value realised to date by these initiatives, in {currency}: {} against {} invested, a return of {}.",
            number(realised.round()),
            number(invested.round()),
            bridge_domain::value::roi(realised, invested).map(percent).unwrap_or_else(|| "—".into())
        )
    });
    let headline = format!(
        "In {}, IT delivered {} initiative{} for {scope}; the business confirmed {} value review{}{}.",
        period_words(&period),
        delivered.len(),
        if delivered.len() == 1 { "" } else { "s" },
        confirmed.len(),
        if confirmed.len() == 1 { "" } else { "s" },
        if disputed.is_empty() { String::new() } else { format!(" and disputed {}", disputed.len()) }
    );
    let mut years: Vec<String> =
        portfolio.initiatives.iter().filter_map(|i| i.approved_on.as_ref()?.get(..4).map(str::to_string)).collect();
    years.push(today.to_string()[..4].to_string());
    years.sort_unstable();
    years.dedup();
    let periods = years.iter().rev().flat_map(|y| {
        (1..=4)
            .rev()
            .map(move |n| (format!("{y}-Q{n}"), format!("{y}, quarter {n}")))
            .chain(std::iter::once((y.clone(), format!("{y}, the whole year"))))
    });
    Ok(render(&ReportPage {
        layout: Layout::new("Impact report", &user, "value"),
        period_options: Opt::list(periods, &period),
        unit_options: Opt::with_none(
            "The whole company",
            directory.units.iter().map(|(i, n)| (i.to_string(), n.clone())),
            &q.unit,
        ),
        scope,
        period: period_words(&period),
        headline,
        delivered,
        moved: all_moved.into_iter().take(MOVED_SHOWN).collect(),
        moved_total,
        confirmed,
        disputed,
        money,
    }))
}
