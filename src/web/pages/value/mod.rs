//! The value pages: the portfolio (what was promised, what was realised, by business unit and by
//! KPI), each KPI with its chart, measurements and targets, and setting an initiative's targets.

mod kpis;
mod portfolio;
mod report;
mod reviews;
mod targets;

use crate::web::routes::Routes;

pub use reviews::ChampionPanel;
pub use targets::{
    approval_field, approval_targets, read_approval_targets, ApprovalTarget, InitiativePanel, RequestValue,
};

pub fn routes() -> Routes {
    Routes::new()
        .get("/value", portfolio::page)
        .get("/value/portfolio.csv", portfolio::csv)
        .get("/value/report", report::page)
        .get("/kpis", kpis::list)
        .post("/kpis", kpis::create)
        .get("/kpis/new", kpis::new_form)
        .get("/kpis/import", kpis::import_form)
        .post("/kpis/import", kpis::import)
        .get("/kpis/{id}", kpis::show)
        .post("/kpis/{id}", kpis::update)
        .get("/kpis/{id}/edit", kpis::edit_form)
        .post("/kpis/{id}/measurements", kpis::record)
        .get("/kpis/{id}/measurements.csv", kpis::export)
        .get("/requests/{id}/targets/new", targets::new_form)
        .post("/requests/{id}/targets", targets::create)
        .get("/requests/{id}/targets/{target_id}/plan", targets::plan_form)
        .post("/requests/{id}/targets/{target_id}/plan", targets::save_plan)
        .get("/requests/{id}/champion", reviews::champion_form)
        .post("/requests/{id}/champion", reviews::save_champion)
        .post("/requests/{id}/reviews", reviews::ask)
        .get("/requests/{id}/reviews/{review_id}", reviews::show)
        .post("/requests/{id}/reviews/{review_id}", reviews::decide)
}

/// The choices of a KPI's form, as (value, label).
pub(crate) const UNITS: [(&str, &str); 6] = [
    ("money", "Money"),
    ("percent", "Percent"),
    ("count", "Count"),
    ("duration", "Days"),
    ("score", "Score"),
    ("yes_no", "Yes or no"),
];
pub(crate) const BENEFITS: [(&str, &str); 7] = [
    ("revenue", "Revenue gained"),
    ("cost_saving", "Cost saved"),
    ("retention", "Customer retention"),
    ("satisfaction", "Satisfaction"),
    ("market_share", "Market share"),
    ("risk", "Risk reduced"),
    ("other", "Other"),
];
pub(crate) const DIRECTIONS: [(&str, &str); 3] =
    [("higher", "Higher is better"), ("lower", "Lower is better"), ("band", "Good inside a band")];
pub(crate) const FREQUENCIES: [(&str, &str); 5] = [
    ("daily", "Daily"),
    ("weekly", "Weekly"),
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("yearly", "Yearly"),
];

/// The label of a value among `choices`, or the value itself.
pub(crate) fn label_of(choices: &[(&str, &'static str)], value: &str) -> String {
    choices.iter().find(|(v, _)| *v == value).map(|(_, l)| l.to_string()).unwrap_or_else(|| value.to_string())
}

pub(crate) fn options(choices: &[(&str, &str)], selected: &str) -> Vec<super::Opt> {
    super::Opt::list(choices.iter().map(|(v, l)| (v.to_string(), l.to_string())), selected)
}
