//! The request form with live clarity coaching: new, edit, save, submit.

use std::collections::HashMap;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bridge_domain::intake::{
    Action, MetricInput, RegulatoryArea, RequestInput, StakeholderInput, StakeholderRole, Status, Tradeoff,
};
use bridge_domain::org::{Role, Side};
use bridge_domain::{Error, FieldErrors};
use serde::Deserialize;

use super::cells::{Cell, Check, Choice};
use crate::ops::intake::lifecycle::transition_request;
use crate::ops::intake::requests::{check_clarity, create_request, update_request};
use crate::ops::intake::{require_edit, Settings};
use crate::store::org::GroupKind;
use crate::web::auth::{check_csrf_field, CurrentUser, PageUser};
use crate::web::pages::{error_page, nth, opt_id, render, unreadable_form, Layout, Opt, OrPage, PageResult};
use crate::web::AppState;

#[derive(Default, Clone)]
pub struct RequestForm {
    pub input: RequestInput,
    pub version: String,
    /// "metric" or "stakeholder": re-render with one more row instead of saving.
    pub add: String,
    /// "submit" to submit after saving.
    pub intent: String,
}

/// The request form as the browser sends it: the rows of metrics and stakeholders arrive as
/// repeated fields (`metric_name=…&metric_name=…`), one per row.
#[derive(Deserialize, Default)]
#[serde(default)]
struct RequestFields {
    title: String,
    problem: String,
    goals: String,
    budget_kind: String,
    budget_amount: String,
    budget_min: String,
    budget_max: String,
    budget_currency: String,
    budget_unknown_reason: String,
    sponsor_id: String,
    regulatory: Vec<String>,
    regulatory_other: String,
    desired_date: String,
    if_missed: String,
    tradeoff_1: String,
    tradeoff_2: String,
    tradeoff_3: String,
    business_unit_id: String,
    metric_name: Vec<String>,
    metric_unit: Vec<String>,
    metric_baseline: Vec<String>,
    metric_target: Vec<String>,
    metric_target_date: Vec<String>,
    sh_person: Vec<String>,
    sh_role: Vec<String>,
    version: String,
    add: String,
    intent: String,
}

fn parse_request_form(body: &[u8]) -> Result<RequestForm, Error> {
    let f: RequestFields = serde_html_form::from_bytes(body).map_err(unreadable_form)?;
    let metric_rows = [&f.metric_name, &f.metric_unit, &f.metric_baseline, &f.metric_target, &f.metric_target_date]
        .iter()
        .map(|c| c.len())
        .max()
        .unwrap_or(0);
    let metrics = (0..metric_rows)
        .map(|i| MetricInput {
            name: nth(&f.metric_name, i),
            unit: nth(&f.metric_unit, i),
            baseline: nth(&f.metric_baseline, i),
            target: nth(&f.metric_target, i),
            target_date: nth(&f.metric_target_date, i),
        })
        .collect();
    let stakeholders = (0..f.sh_person.len().max(f.sh_role.len()))
        .map(|i| StakeholderInput { person_id: opt_id(&nth(&f.sh_person, i)), role: nth(&f.sh_role, i) })
        .collect();
    let input = RequestInput {
        title: f.title,
        problem: f.problem,
        goals: f.goals,
        metrics,
        budget_kind: f.budget_kind,
        budget_amount: f.budget_amount,
        budget_min: f.budget_min,
        budget_max: f.budget_max,
        budget_currency: f.budget_currency,
        budget_unknown_reason: f.budget_unknown_reason,
        sponsor_id: opt_id(&f.sponsor_id),
        stakeholders,
        regulatory: f.regulatory,
        regulatory_other: f.regulatory_other,
        desired_date: f.desired_date,
        if_missed: f.if_missed,
        tradeoffs: [f.tradeoff_1, f.tradeoff_2, f.tradeoff_3].into_iter().filter(|t| !t.trim().is_empty()).collect(),
        business_unit_id: opt_id(&f.business_unit_id),
    };
    Ok(RequestForm { input, version: f.version, add: f.add, intent: f.intent })
}

struct MetricRow {
    n: usize,
    cells: Vec<Cell>,
}

struct StakeholderRow {
    n: usize,
    person: Choice,
    role: Choice,
}

/// The clarity panel: the score and one hint per gap, or what to fix before it can be scored.
pub struct ClarityPanel {
    pub score: Option<u8>,
    pub threshold: u8,
    pub hints: Vec<(String, String)>,
    pub problems: Vec<(String, String)>,
    /// Words IT readers may not know, with the glossary's meaning when it has one: checked before
    /// sending, so the writer can rephrase or explain.
    pub jargon: Vec<(String, Option<String>)>,
    /// Requests already here that look like this one: the writer may join one instead.
    pub similar: Vec<crate::store::intake::SimilarRequest>,
}

/// Requests like this one (by the words of its title), the request itself left out.
async fn similar_for(
    state: &AppState,
    input: &RequestInput,
    exclude: Option<i64>,
) -> Vec<crate::store::intake::SimilarRequest> {
    // Only once the title says something; a failed look-up shows nothing rather than an error.
    if input.title.trim().chars().count() < 8 {
        return vec![];
    }
    state.db.similar_requests(&input.title, exclude, 5).await.unwrap_or_default()
}

/// The words in a request's text that IT readers may not know (business terms, unknown acronyms).
async fn jargon_for(state: &AppState, input: &RequestInput) -> Vec<(String, Option<String>)> {
    let Ok(checker) = state.glossary.checker(&state.db).await else { return vec![] };
    let text = [&input.title, &input.problem, &input.goals, &input.if_missed].map(|s| s.as_str()).join("\n");
    let mut seen = std::collections::HashSet::new();
    checker
        .check(&text, bridge_domain::org::Side::It)
        .iter()
        .filter(|f| seen.insert(f.term().to_string()))
        .map(|f| (f.matched(&text).to_string(), f.definition().map(str::to_string)))
        .collect()
}

impl ClarityPanel {
    pub fn ready(&self) -> bool {
        self.score.is_some_and(|s| s >= self.threshold)
    }
}

fn panel_for(input: &RequestInput, settings: &Settings) -> ClarityPanel {
    let threshold = settings.submit_threshold;
    let empty =
        ClarityPanel { score: None, threshold, hints: vec![], problems: vec![], jargon: vec![], similar: vec![] };
    match check_clarity(input, settings) {
        Ok(c) => ClarityPanel {
            score: Some(c.score),
            hints: c.hints.into_iter().map(|h| (h.field, h.text)).collect(),
            ..empty
        },
        Err(Error::Validation { fields, .. }) => ClarityPanel { problems: fields.into_iter().collect(), ..empty },
        Err(_) => empty,
    }
}

#[derive(Template)]
#[template(path = "intake/clarity.html")]
struct ClarityFragment {
    panel: ClarityPanel,
}

/// The clarity panel for a form as typed, for `static/intake.js` (CSRF-checked; nothing is saved).
pub async fn clarity_fragment(State(state): State<AppState>, PageUser(user): PageUser, body: Bytes) -> Response {
    if let Err(e) = check_csrf_field(&body, &user.csrf) {
        return error_page(&user, e);
    }
    let form = match parse_request_form(&body) {
        Ok(f) => f,
        Err(e) => return error_page(&user, e),
    };
    let settings = match state.intake_settings.get(&state.db).await {
        Ok(s) => s,
        Err(e) => return error_page(&user, e),
    };
    let mut panel = panel_for(&form.input, &settings);
    panel.jargon = jargon_for(&state, &form.input).await;
    // The edit form says which request it is, so it is not shown as like itself.
    let editing = form_urlencoded::parse(&body).find(|(k, _)| k == "request_id").and_then(|(_, v)| v.parse().ok());
    panel.similar = similar_for(&state, &form.input, editing).await;
    render(&ClarityFragment { panel })
}

#[derive(Template)]
#[template(path = "intake/form.html")]
struct RequestFormPage {
    layout: Layout,
    /// The request being edited; none for a new one.
    request_id: Option<i64>,
    action: String,
    cancel: String,
    csrf: String,
    version: String,
    errors: FieldErrors,
    notice: Option<String>,
    text: Vec<Cell>,
    metrics: Vec<MetricRow>,
    budget_kind: Choice,
    budget: Vec<Cell>,
    sponsor: Choice,
    unit: Choice,
    stakeholders: Vec<StakeholderRow>,
    regulatory: Vec<Check>,
    regulatory_error: Option<String>,
    regulatory_hint: Option<String>,
    regulatory_other: Cell,
    timing: Vec<Cell>,
    tradeoffs: Vec<Choice>,
    panel: ClarityPanel,
    is_draft: bool,
}

impl RequestFormPage {
    /// The field errors in the order the form shows its fields, for the list above it (each
    /// links to its field); errors of no field shown come last.
    fn errors_in_order(&self) -> Vec<(String, String)> {
        let mut keys: Vec<&str> = self.text.iter().map(|c| c.key.as_str()).collect();
        for row in &self.metrics {
            keys.extend(row.cells.iter().map(|c| c.key.as_str()));
        }
        keys.push("metrics");
        keys.push(&self.budget_kind.key);
        keys.extend(self.budget.iter().map(|c| c.key.as_str()));
        keys.push(&self.sponsor.key);
        keys.push(&self.unit.key);
        for row in &self.stakeholders {
            keys.push(&row.person.key);
            keys.push(&row.role.key);
        }
        keys.extend(["regulatory", self.regulatory_other.key.as_str()]);
        keys.extend(self.timing.iter().map(|c| c.key.as_str()));
        keys.push("tradeoffs");
        keys.extend(self.tradeoffs.iter().map(|c| c.key.as_str()));
        let mut ordered: Vec<(String, String)> =
            keys.iter().filter_map(|k| self.errors.get(*k).map(|m| (k.to_string(), m.clone()))).collect();
        for (k, m) in &self.errors {
            if !keys.contains(&k.as_str()) {
                ordered.push((k.clone(), m.clone()));
            }
        }
        ordered
    }
}

fn id_text(v: Option<i64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// Renders the request form with the input kept, errors beside fields and clarity hints.
async fn request_form_page(
    state: &AppState,
    user: &CurrentUser,
    id: Option<i64>,
    form: RequestForm,
    error: Option<Error>,
    is_draft: bool,
) -> PageResult {
    let people = state.db.people_brief().await.or_page(user)?;
    let units = state.db.list_groups(GroupKind::Unit).await.or_page(user)?;
    let settings = state.intake_settings.get(&state.db).await.or_page(user)?;
    let summary = error.as_ref().and_then(Error::summary).map(str::to_string);
    let (errors, notice, status) = match error {
        None => (FieldErrors::new(), None, StatusCode::OK),
        Some(Error::Validation { fields, .. }) => (fields, summary, StatusCode::UNPROCESSABLE_ENTITY),
        Some(Error::Stale { .. }) => (FieldErrors::new(), Some(STALE_NOTICE.to_string()), StatusCode::CONFLICT),
        Some(Error::Conflict { message, .. }) => (FieldErrors::new(), Some(message), StatusCode::CONFLICT),
        Some(other) => return Err(error_page(user, other)),
    };
    let mut input = form.input.clone();
    if input.metrics.is_empty() || form.add == "metric" {
        input.metrics.push(MetricInput::default());
    }
    while input.stakeholders.len() < 2 || form.add == "stakeholder" {
        input.stakeholders.push(StakeholderInput::default());
        if form.add == "stakeholder" && input.stakeholders.len() >= 2 {
            break;
        }
    }
    let mut panel = panel_for(&form.input, &settings);
    panel.jargon = jargon_for(state, &form.input).await;
    panel.similar = similar_for(state, &form.input, id).await;
    let hints: HashMap<String, String> = panel.hints.iter().cloned().collect();
    let i = &input;
    let currency_label = format!("Currency (left empty: {})", settings.default_currency);
    let text = vec![
        Cell::new("title", "title", "Title: what should change, in a few words", "text", &i.title, &errors)
            .hinted(&hints),
        Cell::new(
            "problem",
            "problem",
            "The problem or opportunity: what hurts, for whom, and how much",
            "textarea",
            &i.problem,
            &errors,
        )
        .hinted(&hints),
        Cell::new("goals", "goals", "Business goals", "textarea", &i.goals, &errors).hinted(&hints),
    ];
    let metrics = i
        .metrics
        .iter()
        .enumerate()
        .map(|(n, m)| MetricRow {
            n: n + 1,
            cells: vec![
                Cell::new("metric_name", &format!("metrics[{n}].name"), "What is measured", "text", &m.name, &errors)
                    .hinted(&hints),
                Cell::new("metric_unit", &format!("metrics[{n}].unit"), "Unit", "text", &m.unit, &errors)
                    .hinted(&hints),
                Cell::new(
                    "metric_baseline",
                    &format!("metrics[{n}].baseline"),
                    "Today (baseline)",
                    "text",
                    &m.baseline,
                    &errors,
                )
                .hinted(&hints),
                Cell::new("metric_target", &format!("metrics[{n}].target"), "Target", "text", &m.target, &errors)
                    .hinted(&hints),
                Cell::new(
                    "metric_target_date",
                    &format!("metrics[{n}].target_date"),
                    "Target date",
                    "date",
                    &m.target_date,
                    &errors,
                )
                .hinted(&hints),
            ],
        })
        .collect();
    let budget_kind = Choice::new(
        "budget_kind",
        "budget_kind",
        "Budget",
        Opt::list(
            [
                (String::new(), "Choose…".to_string()),
                ("amount".into(), "An amount".into()),
                ("range".into(), "A range".into()),
                ("unknown".into(), "Not yet known".into()),
            ],
            &i.budget_kind,
        ),
        &errors,
    )
    .hinted(&hints);
    let budget = vec![
        Cell::new("budget_amount", "budget_amount", "Amount", "text", &i.budget_amount, &errors),
        Cell::new("budget_min", "budget_min", "Range from", "text", &i.budget_min, &errors),
        Cell::new("budget_max", "budget_max", "Range to", "text", &i.budget_max, &errors),
        Cell::new("budget_currency", "budget_currency", &currency_label, "text", &i.budget_currency, &errors),
        Cell::new(
            "budget_unknown_reason",
            "budget_unknown_reason",
            "If not yet known: why",
            "text",
            &i.budget_unknown_reason,
            &errors,
        )
        .hinted(&hints),
    ];
    let business: Vec<(String, String)> = people
        .iter()
        .filter(|p| p.side == Side::Business)
        .map(|p| (p.id.to_string(), format!("{} — {}", p.name, p.title)))
        .collect();
    let everyone: Vec<(String, String)> =
        people.iter().map(|p| (p.id.to_string(), format!("{} — {}", p.name, p.title))).collect();
    let sponsor = Choice::new(
        "sponsor_id",
        "sponsor_id",
        "Sponsor: the business person who owns the outcome",
        Opt::with_none("Choose…", business, &id_text(i.sponsor_id)),
        &errors,
    )
    .hinted(&hints);
    let unit = Choice::new(
        "business_unit_id",
        "business_unit_id",
        "Business unit",
        Opt::with_none("Choose…", units.into_iter().map(|u| (u.id.to_string(), u.name)), &id_text(i.business_unit_id)),
        &errors,
    )
    .hinted(&hints);
    let roles: Vec<(String, String)> =
        StakeholderRole::ALL.iter().map(|r| (r.as_str().to_string(), r.label().to_string())).collect();
    let stakeholders = i
        .stakeholders
        .iter()
        .enumerate()
        .map(|(n, s)| StakeholderRow {
            n: n + 1,
            person: Choice::new(
                "sh_person",
                &format!("stakeholders[{n}].person_id"),
                "Person",
                Opt::with_none("Choose…", everyone.clone(), &id_text(s.person_id)),
                &errors,
            ),
            role: Choice::new(
                "sh_role",
                &format!("stakeholders[{n}].role"),
                "Role",
                Opt::with_none("Choose…", roles.clone(), &s.role),
                &errors,
            ),
        })
        .collect();
    let mut regulatory: Vec<Check> = RegulatoryArea::ALL
        .iter()
        .map(|a| Check { value: a.as_str(), label: a.label(), checked: i.regulatory.iter().any(|r| r == a.as_str()) })
        .collect();
    regulatory.push(Check {
        value: "none",
        label: "None of these apply",
        checked: i.regulatory.iter().any(|r| r == "none"),
    });
    let timing = vec![
        Cell::new("desired_date", "desired_date", "Desired date", "date", &i.desired_date, &errors).hinted(&hints),
        Cell::new("if_missed", "if_missed", "What happens if the date is missed", "textarea", &i.if_missed, &errors)
            .hinted(&hints),
    ];
    let trade_opts: Vec<(String, String)> =
        Tradeoff::ALL.iter().map(|t| (t.as_str().to_string(), t.label().to_string())).collect();
    let tradeoffs = ["May give way first", "Next", "Hold firmest"]
        .iter()
        .enumerate()
        .map(|(n, label)| {
            let mut c = Choice::new(
                &format!("tradeoff_{}", n + 1),
                &format!("tradeoffs-{}", n + 1),
                label,
                Opt::with_none("Choose…", trade_opts.clone(), i.tradeoffs.get(n).map(String::as_str).unwrap_or("")),
                &errors,
            );
            if n == 0 {
                c.error = errors.get("tradeoffs").cloned();
                c.hint = if c.error.is_none() { hints.get("tradeoffs").cloned() } else { None };
            }
            c
        })
        .collect();
    let page = RequestFormPage {
        layout: Layout::new(if id.is_some() { "Edit request" } else { "New request" }, user, "intake"),
        request_id: id,
        action: id.map(|i| format!("/requests/{i}")).unwrap_or_else(|| "/requests".into()),
        cancel: id.map(|i| format!("/requests/{i}")).unwrap_or_else(|| "/requests".into()),
        csrf: user.csrf.clone(),
        version: form.version.clone(),
        regulatory_error: errors.get("regulatory").cloned(),
        regulatory_hint: hints.get("regulatory").cloned(),
        regulatory_other: Cell::new(
            "regulatory_other",
            "regulatory_other",
            "Other consideration: what is it?",
            "text",
            &i.regulatory_other,
            &errors,
        ),
        errors,
        notice,
        text,
        metrics,
        budget_kind,
        budget,
        sponsor,
        unit,
        stakeholders,
        regulatory,
        timing,
        tradeoffs,
        panel,
        is_draft,
    };
    let mut response = render(&page);
    *response.status_mut() = status;
    Ok(response)
}

pub async fn new_form(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    user.require_write().or_page(&user)?;
    let mut form = RequestForm::default();
    if user.role == Role::Business {
        let me = state.db.get_person(user.person_id).await.or_page(&user)?;
        form.input.sponsor_id = Some(me.id);
        form.input.business_unit_id = me.unit_id;
    }
    request_form_page(&state, &user, None, form, None, true).await
}

fn read_form(user: &CurrentUser, body: &[u8]) -> Result<RequestForm, Response> {
    check_csrf_field(body, &user.csrf).or_page(user)?;
    parse_request_form(body).or_page(user)
}

pub async fn create(State(state): State<AppState>, PageUser(user): PageUser, body: Bytes) -> PageResult {
    user.require_write().or_page(&user)?;
    let form = read_form(&user, &body)?;
    if !form.add.is_empty() {
        return request_form_page(&state, &user, None, form, None, true).await;
    }
    let id = match create_request(&state.db, &user.caller(), &form.input).await {
        Ok(id) => id,
        Err(e) => return request_form_page(&state, &user, None, form, Some(e), true).await,
    };
    after_save(&state, &user, id, form).await
}

/// After a save: submit when asked; a refused submission shows the form again with the hints.
async fn after_save(state: &AppState, user: &CurrentUser, id: i64, mut form: RequestForm) -> PageResult {
    if form.intent == "submit" {
        if let Err(e) = transition_request(&state.db, &user.caller(), id, &Action::Submit, false).await {
            let r = state.db.get_request(id).await.or_page(user)?;
            form.version = r.summary.version.to_string();
            // The list above the form and the messages beside the fields say what is missing;
            // the notice only says what happened.
            let e = match e {
                Error::Validation { fields, .. } => Error::Validation {
                    message: "Saved as a draft, not submitted yet: complete what is marked below, then submit again."
                        .into(),
                    fields,
                },
                other => other,
            };
            return request_form_page(state, user, Some(id), form, Some(e), true).await;
        }
        return Ok(Redirect::to(&format!("/requests/{id}?done=submitted")).into_response());
    }
    Ok(Redirect::to(&format!("/requests/{id}?done=saved")).into_response())
}

pub async fn edit_form(State(state): State<AppState>, PageUser(user): PageUser, Path(id): Path<i64>) -> PageResult {
    let r = state.db.get_request(id).await.or_page(&user)?;
    require_edit(&user.caller(), &r).or_page(&user)?;
    let form = RequestForm {
        input: RequestInput::from(&r.body),
        version: r.summary.version.to_string(),
        ..Default::default()
    };
    request_form_page(&state, &user, Some(id), form, None, r.status() == Status::Draft).await
}

pub async fn update(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let mut form = read_form(&user, &body)?;
    let current = state.db.get_request(id).await.or_page(&user)?;
    require_edit(&user.caller(), &current).or_page(&user)?;
    let is_draft = current.status() == Status::Draft;
    if !form.add.is_empty() {
        return request_form_page(&state, &user, Some(id), form, None, is_draft).await;
    }
    let version = form.version.parse().ok();
    match update_request(&state.db, &user.caller(), id, version, &form.input).await {
        Ok(()) => after_save(&state, &user, id, form).await,
        Err(e @ Error::Stale { .. }) => {
            // Keep what they typed; the next save is made against the version now stored.
            form.version = current.summary.version.to_string();
            request_form_page(&state, &user, Some(id), form, Some(e), is_draft).await
        }
        Err(Error::NotFound(w)) => Err(error_page(&user, Error::NotFound(w))),
        Err(e) => request_form_page(&state, &user, Some(id), form, Some(e), is_draft).await,
    }
}

/// What the form says when someone else saved first.
const STALE_NOTICE: &str = "Someone else saved this request after you opened it, so your changes were not saved. \
    They are kept below. Check what changed on the request page (open it in another tab), then save again to \
    replace their version with yours.";
