//! An initiative's targets: the panel on the request's page, and turning one of its success
//! metrics into a target on a KPI (an existing one, suggested by name).

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use bridge_domain::value::TargetInput;
use bridge_domain::{Error, FieldErrors};
use serde::Deserialize;

use super::kpis::{goal_words, progress_words};
use crate::ops::value::portfolio::{Initiative, TargetView};
use crate::ops::value::targets::MetricTarget;
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
    /// The plan was typed by hand, not the straight line.
    pub typed: bool,
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

    /// With each target split by quarter (`value::targets::quarters`).
    pub async fn with_quarters(mut self, db: &crate::store::Db) -> Result<InitiativePanel, Error> {
        let delivered = self.initiative.delivered_on.as_deref().and_then(bridge_domain::intake::parse::Date::parse);
        for row in &mut self.targets {
            let quarters = crate::ops::value::targets::quarters(db, &row.view, delivered).await?;
            row.quarters = quarters.iter().map(|q| QuarterLine::of(&row.view, q)).collect();
        }
        Ok(self)
    }
}

impl QuarterLine {
    fn of(t: &TargetView, q: &bridge_domain::value::Quarter) -> QuarterLine {
        let lower = matches!(
            t.target.kind,
            bridge_domain::value::TargetKind::DecreaseTo { .. } | bridge_domain::value::TargetKind::AtMost { .. }
        );
        let f = |v: f64| measured_in(t, v);
        QuarterLine {
            label: q.label.clone(),
            planned: f(q.planned),
            typed: q.typed,
            actual: q.actual.map(f).unwrap_or_else(|| "—".into()),
            variance: q
                .variance
                .map(|v| format!("{}{}", if v > 0.0 { "+" } else { "" }, f(v)))
                .unwrap_or_else(|| "—".into()),
            behind: q.variance.is_some_and(|v| if lower { v > 0.0 } else { v < 0.0 }),
        }
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

/// What a target can ask of its KPI, as (value, label).
const KINDS: [(&str, &str); 5] = [
    ("increase_to", "Increase to"),
    ("decrease_to", "Decrease to"),
    ("at_least", "Stay at or above"),
    ("at_most", "Stay at or below"),
    ("band", "Stay inside a band"),
];
const STARTS: [(&str, &str); 3] =
    [("delivery", "When it is delivered"), ("date", "On a date"), ("after_delivery", "Some days after delivery")];

/// A success metric's part of the approval form: the target it gets as the request is approved.
pub struct ApprovalTarget {
    pub index: usize,
    pub metric: String,
    pub kpi_options: Vec<Opt>,
    pub suggested: Option<String>,
    pub kind_options: Vec<Opt>,
    pub start_options: Vec<Opt>,
    pub input: TargetInput,
}

impl ApprovalTarget {
    /// The form field's name for this metric's `field`.
    pub fn name(&self, field: &str) -> String {
        approval_field(self.index, field)
    }
}

/// How the approval form names a metric's field: `t0_baseline`.
pub fn approval_field(index: usize, field: &str) -> String {
    format!("t{index}_{field}")
}

/// The targets chosen in the approval form, one per success metric (`t{i}_metric`, `t{i}_kpi_id`,
/// …); a metric without a KPI chosen stays "not measured yet".
pub fn read_approval_targets(form: &HashMap<String, String>) -> Vec<MetricTarget> {
    let get = |i: usize, f: &str| form.get(&approval_field(i, f)).map(|v| v.trim().to_string()).unwrap_or_default();
    (0..)
        .take_while(|i| form.contains_key(&approval_field(*i, "metric")))
        .map(|i| MetricTarget {
            kpi_id: crate::web::pages::opt_id(&get(i, "kpi_id")),
            input: TargetInput {
                metric: get(i, "metric"),
                baseline: get(i, "baseline"),
                baseline_date: today().to_string(),
                kind: get(i, "kind"),
                value: get(i, "value"),
                target_date: get(i, "target_date"),
                benefit_start: get(i, "benefit_start"),
                benefit_delay_days: get(i, "benefit_delay_days"),
                ..TargetInput::default()
            },
        })
        .collect()
}

/// The approval form's targets: one for each success metric without a target yet, filled from
/// the metric (or, when the form came back, from what was sent), its KPI suggested by name.
pub async fn approval_targets(
    state: &AppState,
    r: &crate::store::intake::Request,
    sent: &[MetricTarget],
) -> Result<Vec<ApprovalTarget>, Error> {
    let has_target: Vec<String> =
        state.db.list_targets(None, Some(r.id())).await?.into_iter().map(|t| t.metric.to_lowercase()).collect();
    let metrics: Vec<_> = r.body.metrics.iter().filter(|m| !has_target.contains(&m.name.to_lowercase())).collect();
    if metrics.is_empty() {
        return Ok(vec![]);
    }
    let kpis = state.db.list_kpis().await?;
    Ok(metrics
        .into_iter()
        .enumerate()
        .map(|(index, m)| {
            let suggested = suggest(&kpis, &m.name);
            let (kpi_id, input) = match sent.iter().find(|t| t.input.metric.eq_ignore_ascii_case(&m.name)) {
                Some(t) => (t.kpi_id, t.input.clone()),
                None => (suggested.map(|k| k.id), metric_target(m)),
            };
            let chosen = kpi_id.map(|k| k.to_string()).unwrap_or_default();
            ApprovalTarget {
                index,
                metric: m.name.clone(),
                kpi_options: Opt::with_none(
                    "Not measured yet",
                    kpis.iter().map(|k| (k.id.to_string(), k.name.clone())),
                    &chosen,
                ),
                suggested: suggested.map(|k| k.name.clone()),
                // A band needs two ends: it is set on the target's own form after approval.
                kind_options: super::options(&KINDS[..4], &input.kind),
                // A benefit starting on a date is set on the target's own form too.
                start_options: super::options(&[STARTS[0], STARTS[2]], &input.benefit_start),
                input,
            }
        })
        .collect())
}

/// A target as a success metric promises it: its baseline (measured today), its target and date,
/// a rise or a fall by which of the two is higher, the benefit starting at delivery.
fn metric_target(m: &bridge_domain::intake::Metric) -> TargetInput {
    let number = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    TargetInput {
        metric: m.name.clone(),
        baseline: number(m.baseline),
        baseline_date: today().to_string(),
        kind: match (m.baseline, m.target) {
            (Some(b), Some(t)) if t < b => "decrease_to".into(),
            _ => "increase_to".into(),
        },
        value: number(m.target),
        target_date: m.target_date.clone().unwrap_or_default(),
        benefit_start: "delivery".into(),
        ..TargetInput::default()
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
    let mut response = render(&TargetFormPage {
        layout: Layout::new("Set a target", user, "value"),
        request_id,
        request_title: request.summary.title.clone(),
        csrf: user.csrf.clone(),
        kpi_options: Opt::with_none("Choose a KPI", kpis.iter().map(|k| (k.id.to_string(), k.name.clone())), &chosen),
        suggested: suggested.map(|k| k.name.clone()),
        kind_options: super::options(&KINDS, &form.kind),
        start_options: super::options(
            &STARTS,
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
    let form = match request.body.metrics.iter().find(|m| m.name.eq_ignore_ascii_case(&q.metric)) {
        Some(m) => metric_target(m),
        None => TargetInput {
            metric: q.metric,
            baseline_date: today().to_string(),
            kind: "increase_to".into(),
            benefit_start: "delivery".into(),
            ..TargetInput::default()
        },
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

/// A quarter on the plan form: its value typed by hand (or as sent back), and the straight line's.
struct PlanQuarter {
    key: String,
    label: String,
    typed: String,
    hint: String,
}

#[derive(Template)]
#[template(path = "value/plan_form.html")]
struct PlanFormPage {
    layout: Layout,
    request_id: i64,
    request_title: String,
    target_id: i64,
    metric: String,
    goal: String,
    csrf: String,
    quarters: Vec<PlanQuarter>,
    errors: FieldErrors,
}

async fn plan_page(
    state: &AppState,
    user: &CurrentUser,
    (request_id, target_id): (i64, i64),
    sent: Option<&BTreeMap<String, String>>,
    error: Option<Error>,
) -> PageResult {
    let (errors, _, status) = form_outcome(error).map_err(|e| error_page(user, e))?;
    let request = state.db.get_request(request_id).await.or_page(user)?;
    let portfolio = state.value_portfolio().await.or_page(user)?;
    let (view, delivered) = of_request(&portfolio, request_id, target_id).or_page(user)?;
    let line = bridge_domain::value::by_quarter(&view.target.rules(delivered), &Default::default(), &[]);
    let quarters = line
        .into_iter()
        .map(|q| PlanQuarter {
            typed: match sent {
                Some(sent) => sent.get(&q.key).cloned().unwrap_or_default(),
                None => view.target.planned.get(&q.key).map(|v| v.to_string()).unwrap_or_default(),
            },
            hint: format!("On the straight line: {}", measured_in(view, q.planned)),
            label: q.label,
            key: q.key,
        })
        .collect();
    let mut response = render(&PlanFormPage {
        layout: Layout::new("Plan by quarter", user, "value"),
        request_id,
        request_title: request.summary.title.clone(),
        target_id,
        metric: view.target.metric.clone(),
        goal: goal_words(view),
        csrf: user.csrf.clone(),
        quarters,
        errors,
    });
    *response.status_mut() = status;
    Ok(response)
}

/// The request's target, as the portfolio has it; another request's is not found here.
fn of_request(
    portfolio: &crate::ops::value::portfolio::Portfolio,
    request_id: i64,
    target_id: i64,
) -> Result<(&TargetView, Option<bridge_domain::intake::parse::Date>), Error> {
    match crate::ops::value::targets::target_in(portfolio, target_id)? {
        (view, delivered) if view.request_id == Some(request_id) => Ok((view, delivered)),
        _ => Err(Error::not_found("The target")),
    }
}

pub async fn plan_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(ids): Path<(i64, i64)>,
) -> PageResult {
    user.require_write().or_page(&user)?;
    plan_page(&state, &user, ids, None, None).await
}

pub async fn save_plan(
    State(state): State<AppState>,
    Path((request_id, target_id)): Path<(i64, i64)>,
    CsrfForm(PageUser(user), form): CsrfForm<HashMap<String, String>>,
) -> PageResult {
    user.require_write().or_page(&user)?;
    let typed: BTreeMap<String, String> = form.into_iter().filter(|(k, _)| k != "_csrf").collect();
    let portfolio = state.value_portfolio().await.or_page(&user)?;
    of_request(&portfolio, request_id, target_id).or_page(&user)?;
    match crate::ops::value::targets::set_plan(&state.db, &user.caller(), &portfolio, target_id, &typed).await {
        Ok(_) => Ok(Redirect::to(&format!("/requests/{request_id}?done=planned#value-h")).into_response()),
        Err(e @ Error::NotFound(_)) => Err(error_page(&user, e)),
        Err(e) => plan_page(&state, &user, (request_id, target_id), Some(&typed), Some(e)).await,
    }
}
