//! Intake pages: the ranked queue, the request form with live clarity coaching, the request page
//! (assessment in plain words, priority breakdown, lifecycle actions, conversation, revisions and
//! history), IT's assessment form, the admin settings, response times, Jira import and
//! notifications. Everything works without JavaScript; `static/intake.js` only refreshes the
//! clarity panel while someone types.

use std::collections::HashMap;

use crate::web::routes::Routes;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bridge_domain::intake::lifecycle::MIN_REASON_CHARS;
use bridge_domain::intake::priority::{MAX_WEIGHT, MIN_WEIGHT, SCALE};
use bridge_domain::intake::{
    breakdown, clarity, plain_summary, validate_assessment, validate_request, validate_submit_threshold, Action,
    ActionKind, AssessmentInput, Budget, Component, ItPriority, MetricInput, OptionInput, PriorityInput,
    PriorityWeights, RegulatoryArea, RequestInput, StakeholderInput, StakeholderRole, Status, Tradeoff, ValidRequest,
};
use bridge_domain::org::import::RowError;
use bridge_domain::org::Role;
use bridge_domain::{Error, FieldErrors};
use serde::Deserialize;

use super::{date, datetime, error_page, opt_id, render, Layout, Opt, OrPage, PageResult, Pager};
use crate::ops::intake::{self as ops, can_edit, check_create, require_edit, today};
use crate::store::intake::{
    Comment, Notification, Request, RequestEvent, RequestFilter, RequestSummary, Sort, COUNT_CAP,
};
use crate::store::org::GroupKind;
use crate::store::Page;
use crate::web::api::intake::{compute_stats, priority_view, require_it, UnitStats};
use crate::web::auth::{check_csrf_field, local_next, url_encode, CsrfForm, CurrentUser, PageUser};
use crate::web::AppState;

const PER_PAGE: i64 = 50;

pub fn routes() -> Routes {
    Routes::new()
        .get("/requests", queue)
        .post("/requests", create)
        .get("/requests/new", new_form)
        .post("/requests/clarity", clarity_fragment)
        .get("/requests/import", import_form)
        .post("/requests/import", import)
        .get("/requests/{id}", show)
        .post("/requests/{id}", update)
        .get("/requests/{id}/edit", edit_form)
        .post("/requests/{id}/transition", transition)
        .post("/requests/{id}/priority", set_priority)
        .post("/requests/{id}/comments", comment)
        .get("/requests/{id}/assess", assess_form)
        .post("/requests/{id}/assess", assess)
        .get("/intake/settings", settings_form)
        .post("/intake/settings", save_settings)
        .get("/intake/stats", stats)
        .get("/notifications", notifications)
        .post("/notifications/read", mark_read)
}

// ---------------------------------------------------------------------------------------------
// Form cells: one input, its label, value, error and hint.

/// One form control, rendered by `intake_macros.html`.
pub struct Cell {
    /// The form field name sent back.
    pub name: String,
    /// The field name errors and hints use (`metrics[0].baseline`); also the element id.
    pub key: String,
    pub label: String,
    /// text, number, date, textarea
    pub kind: &'static str,
    pub value: String,
    pub error: Option<String>,
    pub hint: Option<String>,
}

impl Cell {
    fn new(name: &str, key: &str, label: &str, kind: &'static str, value: &str, errors: &FieldErrors) -> Cell {
        Cell {
            name: name.into(),
            key: key.into(),
            label: label.into(),
            kind,
            value: value.into(),
            error: errors.get(key).cloned(),
            hint: None,
        }
    }
    fn hinted(mut self, hints: &HashMap<String, String>) -> Cell {
        if self.error.is_none() {
            self.hint = hints.get(&self.key).cloned();
        }
        self
    }
}

/// A select with its label and error.
pub struct Choice {
    pub name: String,
    pub key: String,
    pub label: String,
    pub options: Vec<Opt>,
    pub error: Option<String>,
    pub hint: Option<String>,
}

impl Choice {
    fn new(name: &str, key: &str, label: &str, options: Vec<Opt>, errors: &FieldErrors) -> Choice {
        Choice {
            name: name.into(),
            key: key.into(),
            label: label.into(),
            options,
            error: errors.get(key).cloned(),
            hint: None,
        }
    }
    fn hinted(mut self, hints: &HashMap<String, String>) -> Choice {
        if self.error.is_none() {
            self.hint = hints.get(&self.key).cloned();
        }
        self
    }
}

pub struct Check {
    pub value: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

// ---------------------------------------------------------------------------------------------
// The request form, parsed by hand: repeated rows do not fit serde_urlencoded.

#[derive(Default, Clone)]
pub struct RequestForm {
    pub input: RequestInput,
    pub version: String,
    /// "metric" or "stakeholder": re-render with one more row instead of saving.
    pub add: String,
    /// "submit" to submit after saving.
    pub intent: String,
}

fn parse_request_form(body: &[u8]) -> RequestForm {
    let mut f = RequestForm::default();
    let mut cols: HashMap<String, Vec<String>> = HashMap::new();
    let mut tradeoffs = [String::new(), String::new(), String::new()];
    for (k, v) in form_urlencoded::parse(body) {
        let v = v.into_owned();
        match k.as_ref() {
            "title" => f.input.title = v,
            "problem" => f.input.problem = v,
            "goals" => f.input.goals = v,
            "budget_kind" => f.input.budget_kind = v,
            "budget_amount" => f.input.budget_amount = v,
            "budget_min" => f.input.budget_min = v,
            "budget_max" => f.input.budget_max = v,
            "budget_currency" => f.input.budget_currency = v,
            "budget_unknown_reason" => f.input.budget_unknown_reason = v,
            "sponsor_id" => f.input.sponsor_id = opt_id(&v),
            "regulatory" => f.input.regulatory.push(v),
            "regulatory_other" => f.input.regulatory_other = v,
            "desired_date" => f.input.desired_date = v,
            "if_missed" => f.input.if_missed = v,
            "tradeoff_1" => tradeoffs[0] = v,
            "tradeoff_2" => tradeoffs[1] = v,
            "tradeoff_3" => tradeoffs[2] = v,
            "business_unit_id" => f.input.business_unit_id = opt_id(&v),
            "version" => f.version = v,
            "add" => f.add = v,
            "intent" => f.intent = v,
            other if other.starts_with("metric_") || other.starts_with("sh_") => {
                cols.entry(other.to_string()).or_default().push(v)
            }
            _ => {}
        }
    }
    let col = |name: &str, i: usize| cols.get(name).and_then(|c| c.get(i)).cloned().unwrap_or_default();
    let rows = |names: &[&str]| names.iter().map(|n| cols.get(*n).map_or(0, Vec::len)).max().unwrap_or(0);
    let n = rows(&["metric_name", "metric_unit", "metric_baseline", "metric_target", "metric_target_date"]);
    f.input.metrics = (0..n)
        .map(|i| MetricInput {
            name: col("metric_name", i),
            unit: col("metric_unit", i),
            baseline: col("metric_baseline", i),
            target: col("metric_target", i),
            target_date: col("metric_target_date", i),
        })
        .collect();
    let n = rows(&["sh_person", "sh_role"]);
    f.input.stakeholders =
        (0..n).map(|i| StakeholderInput { person_id: opt_id(&col("sh_person", i)), role: col("sh_role", i) }).collect();
    f.input.tradeoffs = tradeoffs.into_iter().filter(|t| !t.trim().is_empty()).collect();
    f
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

fn panel_for(input: &RequestInput, threshold: u8) -> ClarityPanel {
    match validate_request(input, &today()) {
        Ok(valid) => {
            let c = clarity(&valid);
            ClarityPanel {
                score: Some(c.score),
                threshold,
                hints: c.hints.into_iter().map(|h| (h.field, h.text)).collect(),
                problems: vec![],
                jargon: vec![],
            }
        }
        Err(Error::Validation { fields, .. }) => ClarityPanel {
            score: None,
            threshold,
            hints: vec![],
            problems: fields.into_iter().collect(),
            jargon: vec![],
        },
        Err(_) => ClarityPanel { score: None, threshold, hints: vec![], problems: vec![], jargon: vec![] },
    }
}

#[derive(Template)]
#[template(path = "intake_clarity.html")]
struct ClarityFragment {
    panel: ClarityPanel,
}

/// The clarity panel for a form as typed, for `static/intake.js` (CSRF-checked; nothing is saved).
pub async fn clarity_fragment(State(state): State<AppState>, PageUser(user): PageUser, body: Bytes) -> Response {
    if let Err(e) = check_csrf_field(&body, &user.csrf) {
        return error_page(&user, e);
    }
    let form = parse_request_form(&body);
    let threshold = state.intake_settings.get(&state.db).await.map_or(70, |s| s.submit_threshold);
    let mut panel = panel_for(&form.input, threshold);
    panel.jargon = jargon_for(&state, &form.input).await;
    render(&ClarityFragment { panel })
}

#[derive(Template)]
#[template(path = "intake_form.html")]
struct RequestFormPage {
    layout: Layout,
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

fn opts_with_none(none: &str, items: impl IntoIterator<Item = (String, String)>, selected: &str) -> Vec<Opt> {
    Opt::list(std::iter::once((String::new(), none.to_string())).chain(items), selected)
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
    let threshold = state.intake_settings.get(&state.db).await.or_page(user)?.submit_threshold;
    let (errors, notice, status) = match error {
        None => (FieldErrors::new(), None, StatusCode::OK),
        Some(Error::Validation { fields, message }) => {
            let notice = (message != "Please correct the marked fields.").then_some(message);
            (fields, notice, StatusCode::UNPROCESSABLE_ENTITY)
        }
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
    let mut panel = panel_for(&form.input, threshold);
    panel.jargon = jargon_for(state, &form.input).await;
    let hints: HashMap<String, String> = panel.hints.iter().cloned().collect();
    let i = &input;
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
        Cell::new("budget_currency", "budget_currency", "Currency (e.g. EUR)", "text", &i.budget_currency, &errors),
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
        .filter(|p| p.side == "business")
        .map(|p| (p.id.to_string(), format!("{} — {}", p.name, p.title)))
        .collect();
    let everyone: Vec<(String, String)> =
        people.iter().map(|p| (p.id.to_string(), format!("{} — {}", p.name, p.title))).collect();
    let sponsor = Choice::new(
        "sponsor_id",
        "sponsor_id",
        "Sponsor: the business person who owns the outcome",
        opts_with_none("Choose…", business, &id_text(i.sponsor_id)),
        &errors,
    )
    .hinted(&hints);
    let unit = Choice::new(
        "business_unit_id",
        "business_unit_id",
        "Business unit",
        opts_with_none("Choose…", units.into_iter().map(|u| (u.id.to_string(), u.name)), &id_text(i.business_unit_id)),
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
                opts_with_none("Choose…", everyone.clone(), &id_text(s.person_id)),
                &errors,
            ),
            role: Choice::new(
                "sh_role",
                &format!("stakeholders[{n}].role"),
                "Role",
                opts_with_none("Choose…", roles.clone(), &s.role),
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
                opts_with_none("Choose…", trade_opts.clone(), i.tradeoffs.get(n).map(String::as_str).unwrap_or("")),
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
    Ok(parse_request_form(body))
}

pub async fn create(State(state): State<AppState>, PageUser(user): PageUser, body: Bytes) -> PageResult {
    user.require_write().or_page(&user)?;
    let form = read_form(&user, &body)?;
    if !form.add.is_empty() {
        return request_form_page(&state, &user, None, form, None, true).await;
    }
    let result = async {
        let valid = validate_request(&form.input, &today())?;
        check_create(user.role, &valid)?;
        state.db.create_request(&user.actor(), Some(user.person_id), &valid, "").await
    }
    .await;
    let id = match result {
        Ok(id) => id,
        Err(e) => return request_form_page(&state, &user, None, form, Some(e), true).await,
    };
    after_save(&state, &user, id, form).await
}

/// After a save: submit when asked; a refused submission shows the form again with the hints.
async fn after_save(state: &AppState, user: &CurrentUser, id: i64, mut form: RequestForm) -> PageResult {
    if form.intent == "submit" {
        if let Err(e) = ops::transition_request(&state.db, &user.caller(), id, &Action::Submit).await {
            let r = state.db.get_request(id).await.or_page(user)?;
            form.version = r.summary.version.to_string();
            let e = match e {
                Error::Validation { message, fields } => {
                    Error::Validation { message: format!("Saved as a draft, not submitted. {message}"), fields }
                }
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
    require_edit(user.role, user.person_id, &r).or_page(&user)?;
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
    require_edit(user.role, user.person_id, &current).or_page(&user)?;
    let is_draft = current.status() == Status::Draft;
    if !form.add.is_empty() {
        return request_form_page(&state, &user, Some(id), form, None, is_draft).await;
    }
    let result = async {
        let valid = validate_request(&form.input, &today())?;
        let version = form.version.parse().map_err(|_| Error::field("version", "Reload the page and try again."))?;
        state.db.update_request(&user.actor(), id, version, &valid).await
    }
    .await;
    match result {
        Ok(()) => after_save(&state, &user, id, form).await,
        Err(Error::Conflict { message, .. }) if message.contains("after you opened it") => {
            // Keep what they typed; the next save is made against the version now stored.
            form.version = current.summary.version.to_string();
            let msg = String::from(
                "Someone else saved this request after you opened it, so your changes were not saved. They are kept \
                 below. Check what changed on the request page (open it in another tab), then save again to \
                 replace their version with yours.",
            );
            request_form_page(&state, &user, Some(id), form, Some(Error::conflict(msg)), is_draft).await
        }
        Err(Error::NotFound(w)) => Err(error_page(&user, Error::NotFound(w))),
        Err(e) => request_form_page(&state, &user, Some(id), form, Some(e), is_draft).await,
    }
}

// ---------------------------------------------------------------------------------------------
// The queue.

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    #[serde(default)]
    q: String,
    /// Absent: the open queue; `all` or empty: every status.
    status: Option<String>,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    sponsor_id: String,
    #[serde(default)]
    author_id: String,
    #[serde(default)]
    min_clarity: String,
    #[serde(default)]
    min_priority: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    page: String,
    #[serde(default)]
    done: String,
}

pub struct QueueRow {
    pub rank: i64,
    pub r: RequestSummary,
    pub status_label: &'static str,
    pub score: String,
    pub why: String,
}

#[derive(Template)]
#[template(path = "intake_queue.html")]
struct QueuePage {
    layout: Layout,
    q: String,
    min_priority: String,
    author_id: String,
    status_options: Vec<Opt>,
    unit_options: Vec<Opt>,
    sponsor_options: Vec<Opt>,
    clarity_options: Vec<Opt>,
    sort_options: Vec<Opt>,
    rows: Vec<QueueRow>,
    total_text: String,
    pager: Pager,
    can_write: bool,
    is_admin: bool,
    by_priority: bool,
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

fn num(x: f64) -> String {
    bridge_domain::intake::parse::format_number((x * 10.0).round() / 10.0)
}

/// "Cost of delay 26 (value 13 + time 8 + risk 5) ÷ job size 5" — the row's "why".
fn short_breakdown(r: &RequestSummary, w: &PriorityWeights) -> String {
    let b = breakdown(&r.priority_input(), w);
    if let Some(reason) = b.missing_reason() {
        return reason.replace("No priority score yet: ", "Not scored: ");
    }
    let part = |c: Component, label: &str| {
        let p = b.part(c);
        match (p.value, (p.weight - 1.0).abs() < 1e-9) {
            (Some(v), true) => format!("{label} {v}"),
            (Some(v), false) => format!("{label} {v}×{}", num(p.weight)),
            (None, _) => format!("{label} ?"),
        }
    };
    format!(
        "Cost of delay {} ({} + {} + {}) ÷ {} = {}",
        num(b.cost_of_delay.unwrap_or(0.0)),
        part(Component::BusinessValue, "value"),
        part(Component::TimeCriticality, "time"),
        part(Component::RiskReduction, "risk"),
        part(Component::JobSize, "job size"),
        num(b.score.unwrap_or(0.0))
    )
}

pub async fn queue(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<QueueQuery>) -> PageResult {
    let status_param = q.status.clone().unwrap_or_else(|| "open".into());
    let status = Status::parse(&status_param);
    let open = status_param == "open";
    let sort = Sort::parse(&q.sort).unwrap_or_default();
    let filter = RequestFilter {
        status,
        open,
        unit_id: opt_id(&q.unit_id),
        sponsor_id: opt_id(&q.sponsor_id),
        author_id: opt_id(&q.author_id),
        min_clarity: opt_id(&q.min_clarity),
        max_clarity: None,
        min_priority: q.min_priority.trim().parse::<f64>().ok().filter(|p| p.is_finite()),
        q: q.q.clone(),
        sort,
    };
    let page_no = q.page.parse().unwrap_or(1i64).clamp(1, COUNT_CAP / PER_PAGE + 1);
    let page = Page::new(Some(page_no), Some(PER_PAGE));
    let (items, total) = state.db.list_requests(&filter, page).await.or_page(&user)?;
    let weights = state.intake_settings.get(&state.db).await.or_page(&user)?.weights;
    // Filter choices come from the directory in memory: no query, no rows to decode.
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let rows = items
        .into_iter()
        .enumerate()
        .map(|(i, r)| QueueRow {
            rank: page.offset + i as i64 + 1,
            status_label: r.status().label(),
            score: r.priority.map(num).unwrap_or_else(|| "—".into()),
            why: short_breakdown(&r, &weights),
            r,
        })
        .collect();
    let total_text = if total > COUNT_CAP {
        format!("More than {} requests", bridge_domain::intake::parse::format_number(COUNT_CAP as f64))
    } else if total == 1 {
        "1 request".into()
    } else {
        format!("{} requests", bridge_domain::intake::parse::format_number(total as f64))
    };
    let pager = Pager::new(
        "/requests",
        &[
            ("q", q.q.clone()),
            (
                "status",
                status
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_else(|| if open { "open".into() } else { "all".into() }),
            ),
            ("unit_id", q.unit_id.clone()),
            ("sponsor_id", q.sponsor_id.clone()),
            ("author_id", q.author_id.clone()),
            ("min_clarity", q.min_clarity.clone()),
            ("min_priority", q.min_priority.clone()),
            ("sort", q.sort.clone()),
        ],
        page_no,
        PER_PAGE,
        total.min(COUNT_CAP),
    );
    let flash = match q.done.as_str() {
        "imported" => Some("Imported. The new drafts are listed below, newest first.".to_string()),
        _ => None,
    };
    Ok(render(&QueuePage {
        layout: Layout::new("Requests", &user, "intake").with_flash(flash),
        status_options: Opt::list(
            [
                ("open".to_string(), "Open: waiting for IT, approved or deferred".to_string()),
                ("all".into(), "Any status".into()),
            ]
            .into_iter()
            .chain(Status::ALL.iter().map(|s| (s.as_str().to_string(), s.label().to_string()))),
            status.map(|s| s.as_str()).unwrap_or(if open { "open" } else { "all" }),
        ),
        unit_options: opts_with_none(
            "Any unit",
            directory.units.iter().map(|(id, name)| (id.to_string(), name.clone())),
            &q.unit_id,
        ),
        sponsor_options: opts_with_none(
            "Any sponsor",
            directory.people.iter().filter(|p| p.side == "business").map(|p| (p.id.to_string(), p.name.clone())),
            &q.sponsor_id,
        ),
        clarity_options: opts_with_none(
            "Any clarity",
            [("50", "50 or more"), ("70", "70 or more"), ("90", "90 or more")]
                .iter()
                .map(|(v, l)| (v.to_string(), l.to_string())),
            &q.min_clarity,
        ),
        sort_options: Opt::list(
            Sort::ALL.iter().map(|s| (s.as_str().to_string(), s.label().to_string())),
            sort.as_str(),
        ),
        q: q.q,
        min_priority: q.min_priority,
        author_id: opt_id(&q.author_id).map(|a| a.to_string()).unwrap_or_default(),
        rows,
        total_text,
        pager,
        can_write: user.role.can_write(),
        is_admin: user.role.is_admin(),
        by_priority: sort == Sort::Priority,
    }))
}

// ---------------------------------------------------------------------------------------------
// The request page.

pub struct ActionButton {
    pub kind: &'static str,
    pub label: &'static str,
    pub needs_reason: bool,
    pub reason: String,
    pub error: Option<String>,
}

pub struct PriorityRow {
    pub field: &'static str,
    pub label: String,
    pub set_by: &'static str,
    pub value: String,
    pub weight: String,
    pub editable: bool,
    pub options: Vec<Opt>,
}

pub struct RevisionView {
    pub at: i64,
    pub actor_name: String,
    pub summary: String,
    pub changes: Vec<(String, String, String)>,
}

pub struct EventView {
    pub at: i64,
    pub actor_name: String,
    pub action: String,
    pub from: &'static str,
    pub to: &'static str,
    pub reason: String,
}

#[derive(Default)]
pub struct PageProblem {
    pub message: Option<String>,
    pub action: String,
    pub reason: String,
    pub reason_error: Option<String>,
    pub comment: String,
    pub comment_error: Option<String>,
    pub status: Option<StatusCode>,
}

#[derive(Template)]
#[template(path = "intake_request.html")]
struct RequestPage {
    layout: Layout,
    r: Request,
    status_label: &'static str,
    csrf: String,
    problem: PageProblem,
    details: Vec<(&'static str, String)>,
    metrics: Vec<(String, String, String, String, String)>,
    clarity_score: u8,
    threshold: u8,
    hints: Vec<String>,
    priority_text: String,
    priority_rows: Vec<PriorityRow>,
    can_rate: bool,
    assessment: Option<(Vec<String>, String, String)>,
    submitted_text: Option<String>,
    can_assess: bool,
    decision: Option<EventView>,
    actions: Vec<ActionButton>,
    can_edit: bool,
    can_comment: bool,
    comments: Vec<Comment>,
    revisions: Vec<RevisionView>,
    events: Vec<EventView>,
}

/// The request's fields in plain words, in form order.
fn field_texts(
    r: &ValidRequest,
    names: &HashMap<i64, String>,
    units: &HashMap<i64, String>,
) -> Vec<(&'static str, String)> {
    let person = |id: i64| names.get(&id).cloned().unwrap_or_else(|| format!("person {id}"));
    let or_dash = |s: &str| if s.trim().is_empty() { "—".to_string() } else { s.to_string() };
    vec![
        ("Title", r.title.clone()),
        ("Problem or opportunity", or_dash(&r.problem)),
        ("Business goals", or_dash(&r.goals)),
        (
            "Success metrics",
            if r.metrics.is_empty() {
                "—".into()
            } else {
                r.metrics
                    .iter()
                    .map(|m| {
                        let n =
                            |v: Option<f64>| v.map(bridge_domain::intake::parse::format_number).unwrap_or("?".into());
                        format!(
                            "{} ({}): {} → {} by {}",
                            or_dash(&m.name),
                            or_dash(&m.unit),
                            n(m.baseline),
                            n(m.target),
                            m.target_date.clone().unwrap_or("?".into())
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            },
        ),
        ("Budget", r.budget.as_ref().map(Budget::describe).unwrap_or_else(|| "—".into())),
        ("Sponsor", r.sponsor_id.map(person).unwrap_or_else(|| "—".into())),
        (
            "Stakeholders",
            if r.stakeholders.is_empty() {
                "—".into()
            } else {
                r.stakeholders
                    .iter()
                    .map(|s| format!("{} ({})", person(s.person_id), s.role.label().to_lowercase()))
                    .collect::<Vec<_>>()
                    .join("; ")
            },
        ),
        ("Regulatory considerations", r.regulatory.describe()),
        ("Desired date", r.desired_date.clone().unwrap_or_else(|| "—".into())),
        ("If the date is missed", or_dash(&r.if_missed)),
        (
            "Trade-offs, from may give way first to hold firmest",
            if r.tradeoffs.is_empty() {
                "—".into()
            } else {
                r.tradeoffs.iter().map(|t| t.label()).collect::<Vec<_>>().join(" → ")
            },
        ),
        ("Business unit", r.business_unit_id.and_then(|u| units.get(&u).cloned()).unwrap_or_else(|| "—".into())),
    ]
}

fn event_view(e: &RequestEvent) -> EventView {
    EventView {
        at: e.at,
        actor_name: e.actor_name.clone(),
        action: ActionKind::parse(&e.action).map(|k| k.label().to_string()).unwrap_or_else(|| e.action.clone()),
        from: Status::parse(&e.from_status).map(Status::label).unwrap_or(""),
        to: Status::parse(&e.to_status).map(Status::label).unwrap_or(""),
        reason: e.reason.clone(),
    }
}

async fn request_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    problem: PageProblem,
    flash: Option<String>,
) -> PageResult {
    let r = state.db.get_request(id).await.or_page(user)?;
    let people = state.db.people_brief().await.or_page(user)?;
    let names: HashMap<i64, String> = people.iter().map(|p| (p.id, p.name.clone())).collect();
    let units: HashMap<i64, String> =
        state.db.list_groups(GroupKind::Unit).await.or_page(user)?.into_iter().map(|u| (u.id, u.name)).collect();
    let settings = state.intake_settings.get(&state.db).await.or_page(user)?;
    let (threshold, weights) = (settings.submit_threshold, settings.weights);
    let c = clarity(&r.body);
    let pv = priority_view(state, &r.summary).await.or_page(user)?;
    let input = r.summary.priority_input();
    let status = r.status();
    let open = !status.is_final();
    let priority_rows: Vec<PriorityRow> = Component::ALL
        .iter()
        .map(|c| {
            let value = input.get(*c);
            let editable = open && c.can_be_set_by(user.role);
            PriorityRow {
                field: c.as_str(),
                label: capitalised(c.label()),
                set_by: c.set_by().label(),
                value: value.map(|v| v.to_string()).unwrap_or_else(|| "not rated".into()),
                weight: bridge_domain::intake::parse::format_number(weights.get(*c)),
                editable,
                options: opts_with_none(
                    "Not rated",
                    SCALE.iter().map(|v| (v.to_string(), v.to_string())),
                    &value.map(|v| v.to_string()).unwrap_or_default(),
                ),
            }
        })
        .collect();
    let assessment = state
        .db
        .get_assessment(id)
        .await
        .or_page(user)?
        .map(|a| (plain_summary(&a.assessment), a.author_name, datetime(a.updated_at)));
    let events = state.db.request_events(id).await.or_page(user)?;
    let decision =
        events.iter().rev().find(|e| ActionKind::parse(&e.action).is_some_and(|k| k.is_decision())).map(event_view);
    let actions = ops::actions_for(&user.caller(), &r)
        .into_iter()
        .map(|k| ActionButton {
            kind: k.as_str(),
            label: k.label(),
            needs_reason: k.needs_reason(),
            reason: if problem.action == k.as_str() { problem.reason.clone() } else { String::new() },
            error: if problem.action == k.as_str() { problem.reason_error.clone() } else { None },
        })
        .collect();
    let revisions = state
        .db
        .list_revisions(id)
        .await
        .or_page(user)?
        .into_iter()
        .map(|rev| {
            let before: Option<ValidRequest> = serde_json::from_str(&rev.before_json).ok();
            let after: Option<ValidRequest> = serde_json::from_str(&rev.after_json).ok();
            let changes = match (before, after) {
                (Some(b), Some(a)) => field_texts(&b, &names, &units)
                    .into_iter()
                    .zip(field_texts(&a, &names, &units))
                    .filter(|(x, y)| x.1 != y.1)
                    .map(|((label, x), (_, y))| (label.to_string(), x, y))
                    .collect(),
                _ => vec![],
            };
            RevisionView { at: rev.at, actor_name: rev.actor_name, summary: rev.summary, changes }
        })
        .collect();
    let metrics = r
        .body
        .metrics
        .iter()
        .map(|m| {
            let n = |v: Option<f64>| v.map(bridge_domain::intake::parse::format_number).unwrap_or("—".into());
            (m.name.clone(), m.unit.clone(), n(m.baseline), n(m.target), m.target_date.clone().unwrap_or("—".into()))
        })
        .collect();
    let mut details = field_texts(&r.body, &names, &units);
    details.retain(|(label, _)| *label != "Title" && *label != "Success metrics");
    // Text that crosses sides is shown with the glossary's terms marked and explained for this
    // reader: the strings below become HTML (escaped by `annotate_html`).
    let checker = state.glossary.checker(&state.db).await.ok();
    let annotate = |text: &str| {
        let findings = checker.as_ref().map(|c| c.check(text, user.side)).unwrap_or_default();
        bridge_domain::language::annotate_html(text, &findings)
    };
    for (_, value) in details.iter_mut() {
        *value = annotate(value);
    }
    let assessment =
        assessment.map(|(sentences, by, at)| (sentences.iter().map(|s| annotate(s)).collect::<Vec<_>>(), by, at));
    let decision = decision.map(|d| EventView { reason: annotate(&d.reason), ..d });
    let mut comments = state.db.list_comments(id).await.or_page(user)?;
    for c in comments.iter_mut() {
        c.body = annotate(&c.body);
    }
    let status_code = problem.status;
    let page = RequestPage {
        layout: Layout::new(r.summary.title.clone(), user, "intake").with_flash(flash),
        status_label: status.label(),
        csrf: user.csrf.clone(),
        details,
        metrics,
        clarity_score: c.score,
        threshold,
        hints: c.hints.into_iter().map(|h| h.text).collect(),
        priority_text: pv.explanation,
        submitted_text: r.summary.submitted_at.map(date),
        can_rate: priority_rows.iter().any(|p| p.editable),
        priority_rows,
        assessment,
        can_assess: matches!(user.role, Role::It | Role::Admin) && !matches!(status, Status::Draft | Status::Closed),
        decision,
        actions,
        can_edit: can_edit(user.role, user.person_id, &r) && open,
        can_comment: user.role.can_write(),
        comments,
        revisions,
        events: events.iter().map(event_view).collect(),
        problem,
        r,
    };
    let mut response = render(&page);
    if let Some(s) = status_code {
        *response.status_mut() = s;
    }
    Ok(response)
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<i64>,
    Query(q): Query<super::DoneQuery>,
) -> PageResult {
    let flash = match q.done.as_str() {
        "saved" => Some("Saved.".to_string()),
        "submitted" => Some("Submitted: IT has been asked to respond.".to_string()),
        "moved" => Some("Done.".to_string()),
        "rated" => Some("Priority saved; the queue has been re-ranked.".to_string()),
        "assessed" => Some("Assessment saved; the business side can read it in plain words below.".to_string()),
        _ => None,
    };
    request_page(&state, &user, id, PageProblem::default(), flash).await
}

fn problem_from(e: Error) -> PageProblem {
    let status = Some(super::super::error::status_of(&e));
    match e {
        Error::Validation { message, fields } => PageProblem {
            reason_error: fields.get("reason").cloned(),
            comment_error: fields.get("body").cloned(),
            message: Some(message),
            status,
            ..Default::default()
        },
        other => PageProblem { message: Some(other.to_string()), status, ..Default::default() },
    }
}

#[derive(Deserialize, Default)]
pub struct TransitionForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
}

pub async fn transition(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<TransitionForm>,
) -> PageResult {
    let result = match Action::from_form(&form.action, &form.reason) {
        Some(action) => ops::transition_request(&state.db, &user.caller(), id, &action).await,
        None => Err(Error::field("action", "Choose one of the buttons.")),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/requests/{id}?done=moved")).into_response()),
        Err(Error::NotFound(w)) => Err(error_page(&user, Error::NotFound(w))),
        Err(e) => {
            let mut p = problem_from(e);
            p.action = form.action;
            p.reason = form.reason;
            request_page(&state, &user, id, p, None).await
        }
    }
}

pub async fn set_priority(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<HashMap<String, String>>,
) -> PageResult {
    let mut fields = FieldErrors::new();
    let mut read = |name: &str| -> Option<u32> {
        let v = form.get(name).map(|s| s.trim()).unwrap_or("");
        if v.is_empty() {
            return None;
        }
        match v.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                fields.insert(name.into(), "Choose one of 1, 2, 3, 5, 8, 13 or 20.".into());
                None
            }
        }
    };
    let update = PriorityInput {
        business_value: read("business_value"),
        time_criticality: read("time_criticality"),
        risk_reduction: read("risk_reduction"),
        job_size: read("job_size"),
    };
    let result = match Error::check(fields) {
        Ok(()) => match state.intake_settings.get(&state.db).await {
            Ok(settings) => {
                ops::set_priority(&state.db, &user.caller(), &settings.weights, id, &update).await.map(|_| ())
            }
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/requests/{id}?done=rated#priority")).into_response()),
        Err(Error::NotFound(w)) => Err(error_page(&user, Error::NotFound(w))),
        Err(e) => request_page(&state, &user, id, problem_from(e), None).await,
    }
}

#[derive(Deserialize, Default)]
pub struct CommentForm {
    #[serde(default)]
    body: String,
}

pub async fn comment(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<CommentForm>,
) -> PageResult {
    user.require_write().or_page(&user)?;
    match state.db.add_comment(&user.actor(), user.person_id, user.side.as_str(), id, &form.body).await {
        Ok((cid, _)) => Ok(Redirect::to(&format!("/requests/{id}#comment-{cid}")).into_response()),
        Err(Error::NotFound(w)) => Err(error_page(&user, Error::NotFound(w))),
        Err(e) => {
            let mut p = problem_from(e);
            p.comment = form.body;
            request_page(&state, &user, id, p, None).await
        }
    }
}

// ---------------------------------------------------------------------------------------------
// IT's assessment.

#[derive(Template)]
#[template(path = "intake_assess.html")]
struct AssessPage {
    layout: Layout,
    request_id: i64,
    request_title: String,
    csrf: String,
    version: String,
    errors: FieldErrors,
    notice: Option<String>,
    effort: Vec<Cell>,
    ratings: Vec<(Choice, Cell)>,
    dependencies: Cell,
    options: Vec<(usize, Vec<Cell>)>,
    options_error: Option<String>,
    recommendation: Vec<Cell>,
}

struct AssessForm {
    input: AssessmentInput,
    version: String,
    add: String,
}

fn parse_assess_form(body: &[u8]) -> AssessForm {
    let mut a = AssessmentInput::default();
    let (mut version, mut add) = (String::new(), String::new());
    let mut cols: HashMap<String, Vec<String>> = HashMap::new();
    for (k, v) in form_urlencoded::parse(body) {
        let v = v.into_owned();
        match k.as_ref() {
            "effort_min_days" => a.effort_min_days = v,
            "effort_max_days" => a.effort_max_days = v,
            "one_off_cost" => a.one_off_cost = v,
            "running_cost_per_year" => a.running_cost_per_year = v,
            "currency" => a.currency = v,
            "security.level" => a.security.level = v,
            "security.note" => a.security.note = v,
            "compliance.level" => a.compliance.level = v,
            "compliance.note" => a.compliance.note = v,
            "operations.level" => a.operations.level = v,
            "operations.note" => a.operations.note = v,
            "architecture.level" => a.architecture.level = v,
            "architecture.note" => a.architecture.note = v,
            "dependencies" => a.dependencies = v,
            "recommended_option" => a.recommended_option = v,
            "recommendation" => a.recommendation = v,
            "version" => version = v,
            "add" => add = v,
            other if other.starts_with("option_") => cols.entry(other.to_string()).or_default().push(v),
            _ => {}
        }
    }
    let col = |name: &str, i: usize| cols.get(name).and_then(|c| c.get(i)).cloned().unwrap_or_default();
    let n = ["option_name", "option_cost", "option_weeks", "option_tradeoffs"]
        .iter()
        .map(|c| cols.get(*c).map_or(0, Vec::len))
        .max()
        .unwrap_or(0);
    a.options = (0..n)
        .map(|i| OptionInput {
            name: col("option_name", i),
            cost: col("option_cost", i),
            weeks: col("option_weeks", i),
            tradeoffs: col("option_tradeoffs", i),
        })
        .filter(|o| ![&o.name, &o.cost, &o.weeks, &o.tradeoffs].iter().all(|s| s.trim().is_empty()))
        .collect();
    AssessForm { input: a, version, add }
}

async fn assess_page(
    state: &AppState,
    user: &CurrentUser,
    r: &Request,
    form: AssessForm,
    error: Option<Error>,
) -> PageResult {
    let (errors, notice, status) = match error {
        None => (FieldErrors::new(), None, StatusCode::OK),
        Some(Error::Validation { fields, .. }) => (fields, None, StatusCode::UNPROCESSABLE_ENTITY),
        Some(Error::Conflict { message, .. }) => (FieldErrors::new(), Some(message), StatusCode::CONFLICT),
        Some(other) => return Err(error_page(user, other)),
    };
    let _ = state;
    let a = &form.input;
    let effort = vec![
        Cell::new(
            "effort_min_days",
            "effort_min_days",
            "Effort, at least (person-days)",
            "text",
            &a.effort_min_days,
            &errors,
        ),
        Cell::new(
            "effort_max_days",
            "effort_max_days",
            "Effort, at most (person-days)",
            "text",
            &a.effort_max_days,
            &errors,
        ),
        Cell::new("one_off_cost", "one_off_cost", "One-off cost", "text", &a.one_off_cost, &errors),
        Cell::new(
            "running_cost_per_year",
            "running_cost_per_year",
            "Running cost per year",
            "text",
            &a.running_cost_per_year,
            &errors,
        ),
        Cell::new("currency", "currency", "Currency (e.g. EUR)", "text", &a.currency, &errors),
    ];
    let levels = |sel: &str| {
        opts_with_none(
            "Choose…",
            [("low", "Low concern"), ("medium", "Medium concern"), ("high", "High concern")]
                .iter()
                .map(|(v, l)| (v.to_string(), l.to_string())),
            sel,
        )
    };
    let ratings = ItPriority::ALL
        .iter()
        .map(|p| {
            let r = a.rating(*p);
            let level_key = format!("{}.level", p.as_str());
            let note_key = format!("{}.note", p.as_str());
            (
                Choice::new(&level_key, &level_key, p.label(), levels(&r.level), &errors),
                Cell::new(
                    &note_key,
                    &note_key,
                    &format!("{}: note (needed for medium and high)", p.label()),
                    "text",
                    &r.note,
                    &errors,
                ),
            )
        })
        .collect();
    let mut opts = a.options.clone();
    if opts.is_empty() || form.add == "option" {
        opts.push(OptionInput::default());
    }
    let options = opts
        .iter()
        .enumerate()
        .map(|(n, o)| {
            (
                n + 1,
                vec![
                    Cell::new("option_name", &format!("options[{n}].name"), "Option name", "text", &o.name, &errors),
                    Cell::new("option_cost", &format!("options[{n}].cost"), "Cost", "text", &o.cost, &errors),
                    Cell::new(
                        "option_weeks",
                        &format!("options[{n}].weeks"),
                        "Time (weeks)",
                        "text",
                        &o.weeks,
                        &errors,
                    ),
                    Cell::new(
                        "option_tradeoffs",
                        &format!("options[{n}].tradeoffs"),
                        "Trade-offs",
                        "text",
                        &o.tradeoffs,
                        &errors,
                    ),
                ],
            )
        })
        .collect();
    let page = AssessPage {
        layout: Layout::new("IT assessment", user, "intake"),
        request_id: r.id(),
        request_title: r.summary.title.clone(),
        csrf: user.csrf.clone(),
        version: form.version.clone(),
        notice,
        effort,
        ratings,
        dependencies: Cell::new("dependencies", "dependencies", "Dependencies", "textarea", &a.dependencies, &errors),
        options,
        options_error: errors.get("options").cloned(),
        recommendation: vec![
            Cell::new(
                "recommended_option",
                "recommended_option",
                "Recommended option (its name)",
                "text",
                &a.recommended_option,
                &errors,
            ),
            Cell::new(
                "recommendation",
                "recommendation",
                "Why IT recommends it",
                "textarea",
                &a.recommendation,
                &errors,
            ),
        ],
        errors,
    };
    let mut response = render(&page);
    *response.status_mut() = status;
    Ok(response)
}

pub async fn assess_form(State(state): State<AppState>, PageUser(user): PageUser, Path(id): Path<i64>) -> PageResult {
    require_it(&user).or_page(&user)?;
    let r = state.db.get_request(id).await.or_page(&user)?;
    let form = match state.db.get_assessment(id).await.or_page(&user)? {
        Some(a) => AssessForm { input: a.input, version: a.version.to_string(), add: String::new() },
        None => AssessForm {
            input: AssessmentInput { currency: "EUR".into(), ..Default::default() },
            version: "0".into(),
            add: String::new(),
        },
    };
    assess_page(&state, &user, &r, form, None).await
}

pub async fn assess(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    check_csrf_field(&body, &user.csrf).or_page(&user)?;
    require_it(&user).or_page(&user)?;
    let r = state.db.get_request(id).await.or_page(&user)?;
    let form = parse_assess_form(&body);
    if !form.add.is_empty() {
        return assess_page(&state, &user, &r, form, None).await;
    }
    let result = async {
        let a = validate_assessment(&form.input)?;
        let version = form.version.parse().unwrap_or(0);
        state.db.save_assessment(&user.actor(), id, version, &form.input, &a).await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/requests/{id}?done=assessed#assessment")).into_response()),
        Err(e) => assess_page(&state, &user, &r, form, Some(e)).await,
    }
}

// ---------------------------------------------------------------------------------------------
// Settings, response times, import, notifications.

#[derive(Template)]
#[template(path = "intake_settings.html")]
struct SettingsPage {
    layout: Layout,
    csrf: String,
    cells: Vec<Cell>,
    errors: FieldErrors,
}

async fn settings_page(
    user: &CurrentUser,
    values: [String; 5],
    errors: FieldErrors,
    flash: Option<String>,
) -> Response {
    let labels = [
        ("submit_threshold", "Clarity needed to submit (0–100)"),
        ("business_value", "Weight of business value"),
        ("time_criticality", "Weight of time criticality"),
        ("risk_reduction", "Weight of risk reduction"),
        ("job_size", "Weight of job size"),
    ];
    let cells = labels
        .iter()
        .zip(values.iter())
        .map(|((name, label), v)| Cell::new(name, name, label, "text", v, &errors))
        .collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut r = render(&SettingsPage {
        layout: Layout::new("Intake settings", user, "intake").with_flash(flash),
        csrf: user.csrf.clone(),
        cells,
        errors,
    });
    *r.status_mut() = status;
    r
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    saved: String,
}

pub async fn settings_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<SavedQuery>,
) -> PageResult {
    user.require_admin().or_page(&user)?;
    let t = state.db.submit_threshold().await.or_page(&user)?;
    let w = state.db.priority_weights().await.or_page(&user)?;
    let f = bridge_domain::intake::parse::format_number;
    let flash = (!q.saved.is_empty()).then(|| "Saved. The queue has been re-ranked with the new weights.".to_string());
    Ok(settings_page(
        &user,
        [t.to_string(), f(w.business_value), f(w.time_criticality), f(w.risk_reduction), f(w.job_size)],
        FieldErrors::new(),
        flash,
    )
    .await)
}

pub async fn save_settings(
    State(state): State<AppState>,
    CsrfForm(PageUser(user), form): CsrfForm<HashMap<String, String>>,
) -> PageResult {
    user.require_admin().or_page(&user)?;
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let values = [
        get("submit_threshold"),
        get("business_value"),
        get("time_criticality"),
        get("risk_reduction"),
        get("job_size"),
    ];
    let mut errors = FieldErrors::new();
    let threshold = match values[0].trim().parse::<i64>() {
        Ok(v) => match validate_submit_threshold(v) {
            Ok(t) => Some(t),
            Err(_) => {
                errors.insert("submit_threshold".into(), "Choose a whole number from 0 to 100.".into());
                None
            }
        },
        Err(_) => {
            errors.insert("submit_threshold".into(), "Enter a whole number from 0 to 100.".into());
            None
        }
    };
    let names = ["business_value", "time_criticality", "risk_reduction", "job_size"];
    let mut w = [1.0f64; 4];
    for (i, name) in names.iter().enumerate() {
        match bridge_domain::intake::parse::parse_number(&values[i + 1]) {
            Ok(v) if (MIN_WEIGHT..=MAX_WEIGHT).contains(&v) => w[i] = v,
            _ => {
                errors.insert((*name).into(), "Use a number from 0.1 to 10, such as 1 or 1.5.".into());
            }
        }
    }
    let weights =
        PriorityWeights { business_value: w[0], time_criticality: w[1], risk_reduction: w[2], job_size: w[3] };
    if let (Some(t), true) = (threshold, errors.is_empty()) {
        match state.db.set_intake_settings(&user.actor(), t, &weights).await {
            Ok(()) => return Ok(Redirect::to("/intake/settings?saved=1").into_response()),
            Err(Error::Validation { fields, .. }) => errors.extend(fields),
            Err(e) => return Err(error_page(&user, e)),
        }
    }
    Ok(settings_page(&user, values, errors, None).await)
}

pub struct Bar {
    pub label: String,
    pub y: i64,
    pub width: i64,
    pub text: String,
}

#[derive(Template)]
#[template(path = "intake_stats.html")]
struct StatsPage {
    layout: Layout,
    rows: Vec<UnitStats>,
    bars: Vec<Bar>,
    chart_height: i64,
}

pub async fn stats(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    let rows = compute_stats(&state).await.or_page(&user)?;
    let max = rows.iter().filter_map(|r| r.first_response.median_secs).max().unwrap_or(1).max(1);
    let bars: Vec<Bar> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| Bar {
            label: r.unit.clone(),
            y: i as i64 * 28,
            width: (r.first_response.median_secs.unwrap_or(0) as f64 / max as f64 * 380.0).round() as i64,
            text: r.first_response.median.clone().unwrap_or_else(|| "no data".into()),
        })
        .collect();
    let chart_height = bars.len() as i64 * 28 + 4;
    Ok(render(&StatsPage { layout: Layout::new("Response times", &user, "intake"), rows, bars, chart_height }))
}

#[derive(Template)]
#[template(path = "intake_import.html")]
struct ImportPage {
    layout: Layout,
    csrf: String,
    row_errors: Vec<RowError>,
}

pub async fn import_form(PageUser(user): PageUser) -> PageResult {
    user.require_write().or_page(&user)?;
    Ok(render(&ImportPage {
        layout: Layout::new("Import requests from Jira", &user, "intake"),
        csrf: user.csrf.clone(),
        row_errors: vec![],
    }))
}

pub async fn import(State(state): State<AppState>, PageUser(user): PageUser, multipart: Multipart) -> PageResult {
    user.require_write().or_page(&user)?;
    let data = super::read_upload(multipart, &user.csrf).await.or_page(&user)?;
    match crate::ops::intake::import_jira(&state.db, &user.actor(), Some(user.person_id), &data).await {
        Ok(Ok(_)) => Ok(Redirect::to("/requests?sort=newest&done=imported").into_response()),
        Ok(Err(row_errors)) => {
            let mut response = render(&ImportPage {
                layout: Layout::new("Import requests from Jira", &user, "intake"),
                csrf: user.csrf.clone(),
                row_errors,
            });
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(error_page(&user, e)),
    }
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    layout: Layout,
    csrf: String,
    items: Vec<Notification>,
}

pub async fn notifications(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    let items = state.db.list_notifications(user.account_id, Page::new(Some(1), Some(100))).await.or_page(&user)?;
    Ok(render(&NotificationsPage {
        layout: Layout::new("Notifications", &user, "home"),
        csrf: user.csrf.clone(),
        items,
    }))
}

#[derive(Deserialize, Default)]
pub struct ReadForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    next: String,
}

pub async fn mark_read(
    State(state): State<AppState>,
    CsrfForm(PageUser(user), form): CsrfForm<ReadForm>,
) -> PageResult {
    state.db.mark_read(user.account_id, opt_id(&form.id)).await.or_page(&user)?;
    // Only local links: a notification's own link or the list.
    Ok(Redirect::to(&local_next(&form.next, "/notifications")).into_response())
}

/// Used by templates: a link-safe query value.
pub fn q(s: &str) -> String {
    url_encode(s)
}

/// Shortest reason accepted, for the form hint.
pub fn min_reason() -> usize {
    MIN_REASON_CHARS
}

/// For templates: format epoch ms.
pub fn when(ms: &i64) -> String {
    datetime(*ms)
}

pub fn day(ms: &i64) -> String {
    date(*ms)
}
