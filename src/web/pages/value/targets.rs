//! An initiative's targets: the panel on the request's page, and turning one of its success
//! metrics into a target on a KPI (an existing one, suggested by name).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use bridge_domain::value::TargetInput;
use bridge_domain::{Error, FieldErrors};
use serde::Deserialize;

use super::kpis::{goal_words, progress_words};
use crate::ops::value::portfolio::{Initiative, TargetView};
use crate::ops::value::{self, today};
use crate::store::value::KpiRow;
use crate::web::auth::{CsrfForm, CurrentUser, PageUser};
use crate::web::format::{measured, percent};
use crate::web::pages::{error_page, form_outcome, render, Layout, Opt, OrPage, PageResult};
use crate::web::AppState;

/// A target as the request page lists it.
pub struct TargetRow {
    pub view: TargetView,
    pub goal: String,
    pub latest: String,
    pub progress: String,
    /// Planned, measured and the difference, by quarter (filled by `with_quarters`).
    pub quarters: Vec<QuarterLine>,
}

/// A quarter of a target, in the KPI's unit.
pub struct QuarterLine {
    pub label: String,
    pub planned: String,
    pub actual: String,
    pub variance: String,
    /// The difference is the wrong way (below plan, or above for a fall).
    pub behind: bool,
}

/// What the request's page shows of its value: targets, metrics not measured yet, money.
pub struct InitiativePanel {
    pub initiative: Initiative,
    pub targets: Vec<TargetRow>,
    pub money: Option<String>,
}

impl InitiativePanel {
    pub fn of(i: &Initiative) -> InitiativePanel {
        let targets = i
            .targets
            .iter()
            .map(|t| TargetRow {
                goal: goal_words(t),
                latest: match (t.latest_value, &t.latest_date) {
                    (Some(v), Some(d)) => format!("{} on {d}", measured(t.unit, t.currency.as_deref(), v)),
                    _ => "—".into(),
                },
                progress: progress_words(t),
                quarters: vec![],
                view: t.clone(),
            })
            .collect();
        let money = i.money.as_ref().map(|m| {
            let f = |v: f64| format!("{} {}", m.currency, crate::web::format::number(v.round()));
            let cost = if m.cost_from.is_some() {
                format!("cost {} to date", f(m.cost_to_date))
            } else {
                "cost not known".into()
            };
            let roi = m.roi.map(|r| format!(", a return of {}", percent(r))).unwrap_or_default();
            let payback = m.payback.map(|p| format!(". {}.", p.describe())).unwrap_or_else(|| ".".into());
            format!("Value realised so far: {}; {cost}{roi}{payback}", f(m.realised))
        });
        InitiativePanel { initiative: i.clone(), targets, money }
    }

    /// With each target split by quarter: one read of its measurements from the baseline to the
    /// target date (or today).
    pub async fn with_quarters(mut self, db: &crate::store::Db) -> Result<InitiativePanel, Error> {
        let delivered = self.initiative.delivered_on.as_deref().and_then(bridge_domain::intake::parse::Date::parse);
        for row in &mut self.targets {
            let t = &row.view.target;
            let rules = t.rules(delivered);
            let to = t.target_date.days().min(today().days());
            let measured: Vec<_> = db
                .list_measurements(row.view.kpi_id, t.baseline_date.days(), to, false)
                .await?
                .into_iter()
                .map(|m| (bridge_domain::intake::parse::Date::from_days(m.day), m.value))
                .collect();
            let lower = matches!(
                t.kind,
                bridge_domain::value::TargetKind::DecreaseTo { .. } | bridge_domain::value::TargetKind::AtMost { .. }
            );
            let f = |v: f64| measured_in(&row.view, v);
            row.quarters = bridge_domain::value::by_quarter(&rules, &measured)
                .into_iter()
                .map(|q| QuarterLine {
                    label: q.label,
                    planned: f(q.planned),
                    actual: q.actual.map(f).unwrap_or_else(|| "—".into()),
                    variance: q
                        .variance
                        .map(|v| format!("{}{}", if v > 0.0 { "+" } else { "" }, f(v)))
                        .unwrap_or_else(|| "—".into()),
                    behind: q.variance.is_some_and(|v| if lower { v > 0.0 } else { v < 0.0 }),
                })
                .collect();
        }
        Ok(self)
    }
}

fn measured_in(t: &TargetView, v: f64) -> String {
    measured(t.unit, t.currency.as_deref(), v)
}

/// What a request's page shows of value: the initiative's panel (with its quarters), champion
/// and reviews when it is one, and the sponsor's and business unit's track records always.
pub struct RequestValue {
    pub panel: Option<InitiativePanel>,
    pub can_set_targets: bool,
    pub champion: Option<super::ChampionPanel>,
    /// (whose, the record in a sentence)
    pub records: Vec<(String, String)>,
}

impl RequestValue {
    pub async fn load(
        state: &AppState,
        user: &CurrentUser,
        r: &crate::store::intake::Request,
    ) -> Result<RequestValue, Error> {
        let portfolio = state.value_portfolio().await?;
        let panel = match portfolio.initiative(r.id()).map(InitiativePanel::of) {
            Some(panel) => Some(panel.with_quarters(&state.db).await?),
            None => None,
        };
        let champion = match panel {
            Some(_) => Some(super::ChampionPanel::load(state, user, r).await?),
            None => None,
        };
        let named = [
            (r.summary.sponsor_id.and_then(|p| portfolio.by_sponsor.get(&p)), &r.summary.sponsor_name),
            (r.summary.unit_id.and_then(|u| portfolio.by_unit.get(&u)), &r.summary.unit_name),
        ];
        let records = named
            .into_iter()
            .filter_map(|(record, name)| Some((name.clone()?, record?.sentence())))
            .filter(|(_, sentence)| !sentence.is_empty())
            .collect();
        Ok(RequestValue {
            panel,
            can_set_targets: user.role.can_write() && crate::ops::value::is_initiative(r.status()),
            champion,
            records,
        })
    }
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    metric: String,
}

#[derive(Template)]
#[template(path = "value/target_form.html")]
struct TargetFormPage {
    layout: Layout,
    request_id: i64,
    request_title: String,
    csrf: String,
    form: TargetInput,
    kpi_options: Vec<Opt>,
    suggested: Option<String>,
    kind_options: Vec<Opt>,
    start_options: Vec<Opt>,
    errors: FieldErrors,
    conflict: Option<String>,
}

/// The KPI whose name shares the most words with the metric's (at least one), as a suggestion.
fn suggest<'a>(kpis: &'a [KpiRow], metric: &str) -> Option<&'a KpiRow> {
    let words = |s: &str| {
        s.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() > 2)
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let wanted = words(metric);
    kpis.iter()
        .map(|k| (words(&k.name).iter().filter(|w| wanted.contains(w)).count(), k))
        .filter(|(n, _)| *n > 0)
        .max_by_key(|(n, k)| (*n, std::cmp::Reverse(k.id)))
        .map(|(_, k)| k)
}

async fn form_page(
    state: &AppState,
    user: &CurrentUser,
    request_id: i64,
    form: TargetInput,
    kpi_id: Option<i64>,
    error: Option<Error>,
) -> PageResult {
    let (errors, conflict, status) = form_outcome(error).map_err(|e| error_page(user, e))?;
    let request = state.db.get_request(request_id).await.or_page(user)?;
    let kpis = state.db.list_kpis().await.or_page(user)?;
    let suggested = suggest(&kpis, &form.metric);
    let chosen = kpi_id.or(suggested.map(|k| k.id)).map(|k| k.to_string()).unwrap_or_default();
    let kinds = [
        ("increase_to", "Increase to"),
        ("decrease_to", "Decrease to"),
        ("at_least", "Stay at or above"),
        ("at_most", "Stay at or below"),
        ("band", "Stay inside a band"),
    ];
    let starts =
        [("delivery", "When it is delivered"), ("date", "On a date"), ("after_delivery", "Some days after delivery")];
    let mut response = render(&TargetFormPage {
        layout: Layout::new("Set a target", user, "value"),
        request_id,
        request_title: request.summary.title.clone(),
        csrf: user.csrf.clone(),
        kpi_options: Opt::with_none("Choose a KPI", kpis.iter().map(|k| (k.id.to_string(), k.name.clone())), &chosen),
        suggested: suggested.map(|k| k.name.clone()),
        kind_options: super::options(&kinds, &form.kind),
        start_options: super::options(
            &starts,
            if form.benefit_start.is_empty() { "delivery" } else { &form.benefit_start },
        ),
        form,
        errors,
        conflict,
    });
    *response.status_mut() = status;
    Ok(response)
}

/// The form, filled from the request's success metric: its baseline, target and date.
pub async fn new_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<i64>,
    Query(q): Query<NewQuery>,
) -> PageResult {
    user.require_write().or_page(&user)?;
    let request = state.db.get_request(id).await.or_page(&user)?;
    let metric = request.body.metrics.iter().find(|m| m.name.eq_ignore_ascii_case(&q.metric));
    let number = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let form = TargetInput {
        metric: metric.map(|m| m.name.clone()).unwrap_or(q.metric),
        baseline: number(metric.and_then(|m| m.baseline)),
        baseline_date: today().to_string(),
        kind: match metric.and_then(|m| Some((m.baseline?, m.target?))) {
            Some((b, t)) if t < b => "decrease_to".into(),
            _ => "increase_to".into(),
        },
        value: number(metric.and_then(|m| m.target)),
        target_date: metric.and_then(|m| m.target_date.clone()).unwrap_or_default(),
        benefit_start: "delivery".into(),
        ..TargetInput::default()
    };
    form_page(&state, &user, id, form, None, None).await
}

#[derive(Deserialize, Default)]
pub struct TargetForm {
    #[serde(flatten)]
    input: TargetInput,
    #[serde(default)]
    kpi_id: String,
}

pub async fn create(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<TargetForm>,
) -> PageResult {
    user.require_write().or_page(&user)?;
    let Some(kpi_id) = crate::web::pages::opt_id(&form.kpi_id) else {
        let e = Error::field("kpi_id", "Choose the KPI that measures it (add one on the KPIs page if it is missing).");
        return form_page(&state, &user, id, form.input, None, Some(e)).await;
    };
    match value::set_target(&state.db, &user.caller(), kpi_id, Some(id), &form.input).await {
        Ok(_) => Ok(Redirect::to(&format!("/requests/{id}#value-h")).into_response()),
        Err(e @ Error::NotFound(_)) => Err(error_page(&user, e)),
        Err(e) => form_page(&state, &user, id, form.input, Some(kpi_id), Some(e)).await,
    }
}
