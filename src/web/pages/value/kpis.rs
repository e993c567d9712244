//! KPIs: the list, a KPI's page (its chart over time with its targets, the latest measurements,
//! recording one, importing a CSV), adding and changing one.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect};
use bridge_domain::csv_file::{protect, RowError};
use bridge_domain::intake::parse::Date;
use bridge_domain::value::{KpiInput, MeasurementInput};
use bridge_domain::{Error, FieldErrors};
use serde::Deserialize;

use super::{label_of, options, BENEFITS, DIRECTIONS, FREQUENCIES, UNITS};
use crate::ops::value::portfolio::TargetView;
use crate::ops::value::{self, today, Sent};
use crate::store::value::{KpiRow, MeasurementRow, MeasurementsWritten};
use crate::web::auth::{CsrfForm, CurrentUser, PageUser};
use crate::web::charts::{line_chart, Level, LineChart, Mark, Point};
use crate::web::format::{measured, number};
use crate::web::pages::{error_page, form_outcome, read_upload_fields, render, Layout, Opt, OrPage, PageResult};
use crate::web::AppState;

/// A KPI in the list.
pub struct KpiLine {
    pub kpi: KpiRow,
    pub unit_label: String,
    pub owner: String,
    pub latest: String,
    pub targets: usize,
}

#[derive(Template)]
#[template(path = "value/kpis.html")]
struct KpisPage {
    layout: Layout,
    kpis: Vec<KpiLine>,
    can_write: bool,
}

pub async fn list(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    let portfolio = state.value_portfolio().await.or_page(&user)?;
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let kpis = portfolio
        .kpis
        .iter()
        .map(|k| KpiLine {
            unit_label: unit_label(k),
            owner: k.unit_id.and_then(|u| directory.unit_name(u)).unwrap_or("—").to_string(),
            latest: portfolio
                .latest
                .get(&k.id)
                .map(|l| format!("{} on {}", fmt(k, l.value), Date::from_days(l.day)))
                .unwrap_or_else(|| "No measurement yet".into()),
            targets: portfolio.targets_per_kpi.get(&k.id).copied().unwrap_or(0),
            kpi: k.clone(),
        })
        .collect();
    Ok(render(&KpisPage { layout: Layout::new("KPIs", &user, "value"), kpis, can_write: user.role.can_write() }))
}

fn unit_label(k: &KpiRow) -> String {
    match &k.currency {
        Some(c) => format!("{} ({c})", label_of(&UNITS, &k.unit)),
        None => label_of(&UNITS, &k.unit),
    }
}

fn fmt(k: &KpiRow, v: f64) -> String {
    measured(&k.unit, k.currency.as_deref(), v)
}

/// A target on the KPI's page.
pub struct TargetLine {
    pub view: TargetView,
    pub initiative: Option<(i64, String)>,
    pub baseline: String,
    pub goal: String,
    pub latest: String,
    pub progress: String,
}

/// A measurement in the table.
pub struct MeasurementLine {
    pub row: MeasurementRow,
    pub date: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "value/kpi.html")]
struct KpiPage {
    layout: Layout,
    kpi: KpiRow,
    /// The definition with glossary terms marked and explained for this reader (escaped HTML).
    definition_html: String,
    unit_label: String,
    benefit: String,
    direction: String,
    frequency: String,
    owner: String,
    chart: String,
    years: i64,
    targets: Vec<TargetLine>,
    recent: Vec<MeasurementLine>,
    csrf: String,
    can_write: bool,
    form: MeasurementInput,
    correction: bool,
    errors: FieldErrors,
    row_errors: Vec<RowError>,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    #[serde(default)]
    years: String,
    #[serde(default)]
    done: String,
}

/// What a form or an import did, for the page it returns to.
struct Outcome {
    form: MeasurementInput,
    correction: bool,
    errors: FieldErrors,
    row_errors: Vec<RowError>,
    notice: Option<String>,
}

impl Outcome {
    fn none() -> Outcome {
        Outcome {
            form: MeasurementInput::default(),
            correction: false,
            errors: FieldErrors::new(),
            row_errors: vec![],
            notice: None,
        }
    }
}

/// How a target reads in words: "Increase to 4.5%", "Stay from 2 to 4 days".
pub(crate) fn goal_words(t: &TargetView) -> String {
    bridge_domain::value::goal_words(t.target.kind, t.unit, t.currency.as_deref())
}

pub(crate) fn progress_words(t: &TargetView) -> String {
    match (t.progress, t.latest_value) {
        (Some(p), _) => crate::web::format::percent(p),
        (None, None) => "—".into(),
        (None, Some(_)) if matches!(t.target.kind, bridge_domain::value::TargetKind::IncreaseTo { value } | bridge_domain::value::TargetKind::DecreaseTo { value } if value == t.target.baseline) => {
            "No distance to travel: the target equals the baseline".into()
        }
        (None, Some(_)) => "Held or not".into(),
    }
}

async fn kpi_page(state: &AppState, user: &CurrentUser, id: i64, years: i64, outcome: Outcome) -> PageResult {
    let kpi = state.db.get_kpi(id).await.or_page(user)?;
    let portfolio = state.value_portfolio().await.or_page(user)?;
    let directory = state.directory.get(&state.db).await.or_page(user)?;
    let to = today().days();
    let from = to - 365 * years;
    // The chart's window, not the KPI's whole history: a page costs the same however long the
    // history grows.
    let rows = state.db.list_measurements(id, from, to, false).await.or_page(user)?;
    let points: Vec<Point> = rows
        .iter()
        .map(|m| Point {
            day: m.day,
            value: m.value,
            label: format!("{}: {}", Date::from_days(m.day), fmt(&kpi, m.value)),
        })
        .collect();
    let targets: Vec<&TargetView> = portfolio.targets_of_kpi(id);
    let mut levels = Vec::new();
    let mut marks = Vec::new();
    // The newest targets' lines, at most three, so the chart stays readable; the table has all.
    for t in targets.iter().rev().take(3) {
        let whose = t
            .request_id
            .and_then(|r| portfolio.initiative(r))
            .map(|i| i.title.clone())
            .unwrap_or_else(|| "set by hand".into());
        levels.push(Level {
            value: t.target.baseline,
            label: format!("Baseline {} ({whose})", fmt(&kpi, t.target.baseline)),
            is_target: false,
        });
        use bridge_domain::value::TargetKind::*;
        let goals: Vec<f64> = match t.target.kind {
            IncreaseTo { value } | DecreaseTo { value } | AtLeast { value } | AtMost { value } => vec![value],
            Band { low, high } => vec![low, high],
        };
        for g in goals {
            levels.push(Level {
                value: g,
                label: format!("Target {} by {} ({whose})", fmt(&kpi, g), t.target.target_date),
                is_target: true,
            });
        }
        if let Some(b) = t.benefit_from.as_deref().and_then(Date::parse) {
            marks.push(Mark { day: b.days(), label: format!("Benefit starts {b} ({whose})") });
        }
        if let Some(d) = t.request_id.and_then(|r| portfolio.initiative(r)).and_then(|i| i.delivered_on.clone()) {
            if let Some(day) = Date::parse(&d) {
                marks.push(Mark { day: day.days(), label: format!("Delivered {day} ({whose})") });
            }
        }
    }
    let chart = line_chart(&LineChart {
        title: format!(
            "{} over the last {} year{}: {} measurements{}. The table below has the latest values.",
            kpi.name,
            years,
            if years == 1 { "" } else { "s" },
            points.len(),
            if levels.is_empty() {
                String::new()
            } else {
                ", with baselines (dotted), targets (dashed) and key days (vertical)".into()
            }
        ),
        points: &points,
        levels: &levels,
        marks: &marks,
        from,
        to,
        format_value: &|v| fmt(&kpi, v),
    });
    let target_lines = targets
        .iter()
        .map(|t| TargetLine {
            initiative: t.request_id.and_then(|r| portfolio.initiative(r)).map(|i| (i.request_id, i.title.clone())),
            baseline: format!("{} on {}", fmt(&kpi, t.target.baseline), t.target.baseline_date),
            goal: goal_words(t),
            latest: match (t.latest_value, &t.latest_date) {
                (Some(v), Some(d)) => format!("{} on {d}", fmt(&kpi, v)),
                _ => "—".into(),
            },
            progress: progress_words(t),
            view: (*t).clone(),
        })
        .collect();
    let recent = rows
        .iter()
        .rev()
        .take(24)
        .map(|m| MeasurementLine {
            date: Date::from_days(m.day).to_string(),
            value: fmt(&kpi, m.value),
            row: m.clone(),
        })
        .collect();
    let status = if outcome.errors.is_empty() && outcome.row_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    // The definition is for business readers: the jargon checker marks and explains IT's words.
    let checker = state.glossary.checker(&state.db).await.or_page(user)?;
    let definition_html =
        bridge_domain::language::annotate_html(&kpi.definition, &checker.check(&kpi.definition, user.side));
    let mut response = render(&KpiPage {
        definition_html,
        layout: Layout::new(kpi.name.clone(), user, "value"),
        unit_label: unit_label(&kpi),
        benefit: label_of(&BENEFITS, &kpi.benefit),
        direction: label_of(&DIRECTIONS, &kpi.direction),
        frequency: label_of(&FREQUENCIES, &kpi.frequency),
        owner: kpi.unit_id.and_then(|u| directory.unit_name(u)).unwrap_or("No business unit").to_string(),
        chart,
        years,
        targets: target_lines,
        recent,
        csrf: user.csrf.clone(),
        can_write: user.role.can_write(),
        form: outcome.form,
        correction: outcome.correction,
        errors: outcome.errors,
        row_errors: outcome.row_errors,
        notice: outcome.notice,
        kpi,
    });
    *response.status_mut() = status;
    Ok(response)
}

fn years_of(s: &str) -> i64 {
    s.parse::<i64>().ok().filter(|y| [1, 2, 5].contains(y)).unwrap_or(2)
}

fn written_words(w: &MeasurementsWritten) -> String {
    format!(
        "Recorded: {} new, {} corrected, {} unchanged (sent before).",
        number(w.added as f64),
        number(w.corrected as f64),
        number(w.unchanged as f64)
    )
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> PageResult {
    let mut outcome = Outcome::none();
    if let Some(rest) = q.done.strip_prefix("recorded-") {
        let n: Vec<usize> = rest.split('-').filter_map(|x| x.parse().ok()).collect();
        if let [added, corrected, unchanged] = n[..] {
            outcome.notice = Some(written_words(&MeasurementsWritten { added, corrected, unchanged }));
        }
    }
    kpi_page(&state, &user, id, years_of(&q.years), outcome).await
}

#[derive(Deserialize, Default)]
pub struct RecordForm {
    #[serde(flatten)]
    input: MeasurementInput,
    #[serde(default)]
    correction: String,
}

fn done_link(id: i64, w: &MeasurementsWritten) -> String {
    format!("/kpis/{id}?done=recorded-{}-{}-{}", w.added, w.corrected, w.unchanged)
}

pub async fn record(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<RecordForm>,
) -> PageResult {
    user.require_write().or_page(&user)?;
    let correction = form.correction == "yes";
    let sent = [Sent { input: form.input.clone(), key: None, correction }];
    match value::record(&state.db, &user.caller(), id, &sent, today()).await {
        Ok(w) => Ok(Redirect::to(&done_link(id, &w)).into_response()),
        Err(e @ Error::NotFound(_)) => Err(error_page(&user, e)),
        Err(e) => {
            let mut errors = FieldErrors::new();
            match e {
                Error::Validation { fields, .. } => errors
                    .extend(fields.into_iter().map(|(f, m)| (f.trim_start_matches("measurements[0].").to_string(), m))),
                Error::Conflict { message, .. } => {
                    errors.insert("date".into(), format!("{message} Tick “This corrects the value for that day”."));
                }
                other => return Err(error_page(&user, other)),
            }
            let outcome = Outcome { form: form.input, correction, errors, row_errors: vec![], notice: None };
            kpi_page(&state, &user, id, 2, outcome).await
        }
    }
}

/// A KPI's measurements as CSV, in the import's columns, so a spreadsheet round trip works.
pub async fn export(State(state): State<AppState>, PageUser(user): PageUser, Path(id): Path<i64>) -> PageResult {
    state.db.get_kpi(id).await.or_page(&user)?;
    let rows = state.db.list_measurements(id, i64::MIN / 4, i64::MAX / 4, false).await.or_page(&user)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["date", "value", "note", "key", "recorded_by"]);
    for m in &rows {
        let _ = w.write_record([
            Date::from_days(m.day).to_string(),
            m.value.to_string(),
            protect(&m.note).into_owned(),
            m.sender_key.clone().unwrap_or_default(),
            protect(&m.recorded_by).into_owned(),
        ]);
    }
    let body = w.into_inner().unwrap_or_default();
    let name = format!("attachment; filename=\"kpi-{id}-measurements.csv\"");
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, name)], body)
        .into_response())
}

#[derive(Template)]
#[template(path = "value/import.html")]
struct ImportPage {
    layout: Layout,
    csrf: String,
    row_errors: Vec<RowError>,
    notice: Option<String>,
}

pub async fn import_form(PageUser(user): PageUser) -> PageResult {
    user.require_write().or_page(&user)?;
    Ok(render(&ImportPage {
        layout: Layout::new("Import measurements", &user, "value"),
        csrf: user.csrf.clone(),
        row_errors: vec![],
        notice: None,
    }))
}

/// An upload from the import page (rows name their KPI) or from a KPI's page (`kpi` field).
pub async fn import(State(state): State<AppState>, PageUser(user): PageUser, multipart: Multipart) -> PageResult {
    user.require_write().or_page(&user)?;
    let (file, fields) = read_upload_fields(multipart, &user.csrf).await.or_page(&user)?;
    let into = fields.get("kpi").and_then(|k| k.parse::<i64>().ok());
    let outcome = value::import_csv(&state.db, &user.caller(), into, &file, today()).await.or_page(&user)?;
    match (outcome, into) {
        (Ok(w), Some(id)) => Ok(Redirect::to(&done_link(id, &w)).into_response()),
        (Ok(w), None) => Ok(render(&ImportPage {
            layout: Layout::new("Import measurements", &user, "value"),
            csrf: user.csrf.clone(),
            row_errors: vec![],
            notice: Some(written_words(&w)),
        })),
        (Err(row_errors), Some(id)) => {
            let outcome = Outcome { row_errors, ..Outcome::none() };
            kpi_page(&state, &user, id, 2, outcome).await
        }
        (Err(row_errors), None) => {
            let mut response = render(&ImportPage {
                layout: Layout::new("Import measurements", &user, "value"),
                csrf: user.csrf.clone(),
                row_errors,
                notice: None,
            });
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
    }
}

#[derive(Template)]
#[template(path = "value/kpi_form.html")]
struct KpiFormPage {
    layout: Layout,
    action: String,
    cancel: String,
    csrf: String,
    version: i64,
    form: KpiInput,
    units: Vec<Opt>,
    benefits: Vec<Opt>,
    directions: Vec<Opt>,
    frequencies: Vec<Opt>,
    owners: Vec<Opt>,
    errors: FieldErrors,
    conflict: Option<String>,
}

async fn form_page(
    state: &AppState,
    user: &CurrentUser,
    id: Option<i64>,
    version: i64,
    form: KpiInput,
    error: Option<Error>,
) -> PageResult {
    let (errors, conflict, status) = form_outcome(error).map_err(|e| error_page(user, e))?;
    let directory = state.directory.get(&state.db).await.or_page(user)?;
    let owner = form.unit_id.map(|u| u.to_string()).unwrap_or_default();
    let mut response = render(&KpiFormPage {
        layout: Layout::new(if id.is_some() { "Change the KPI" } else { "Add a KPI" }, user, "value"),
        action: id.map(|i| format!("/kpis/{i}")).unwrap_or_else(|| "/kpis".into()),
        cancel: id.map(|i| format!("/kpis/{i}")).unwrap_or_else(|| "/kpis".into()),
        csrf: user.csrf.clone(),
        version,
        units: options(&UNITS, &form.unit),
        benefits: options(&BENEFITS, &form.benefit),
        directions: options(&DIRECTIONS, if form.direction.is_empty() { "higher" } else { &form.direction }),
        frequencies: options(&FREQUENCIES, if form.frequency.is_empty() { "monthly" } else { &form.frequency }),
        owners: Opt::with_none(
            "No business unit",
            directory.units.iter().map(|(i, n)| (i.to_string(), n.clone())),
            &owner,
        ),
        form,
        errors,
        conflict,
    });
    *response.status_mut() = status;
    Ok(response)
}

#[derive(Deserialize, Default)]
pub struct KpiForm {
    #[serde(flatten)]
    input: KpiForm2,
    #[serde(default)]
    version: String,
}

/// The form's fields as typed (the business unit as text: "" is none).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct KpiForm2 {
    name: String,
    definition: String,
    unit: String,
    currency: String,
    benefit: String,
    direction: String,
    unit_id: String,
    frequency: String,
    source: String,
}

impl KpiForm2 {
    fn input(self) -> KpiInput {
        KpiInput {
            unit_id: crate::web::pages::opt_id(&self.unit_id),
            name: self.name,
            definition: self.definition,
            unit: self.unit,
            currency: self.currency,
            benefit: self.benefit,
            direction: self.direction,
            frequency: self.frequency,
            source: self.source,
        }
    }
}

fn input_of(k: &KpiRow) -> KpiInput {
    KpiInput {
        name: k.name.clone(),
        definition: k.definition.clone(),
        unit: k.unit.clone(),
        currency: k.currency.clone().unwrap_or_default(),
        benefit: k.benefit.clone(),
        direction: k.direction.clone(),
        unit_id: k.unit_id,
        frequency: k.frequency.clone(),
        source: k.source.clone(),
    }
}

pub async fn new_form(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    user.require_write().or_page(&user)?;
    form_page(&state, &user, None, 0, KpiInput::default(), None).await
}

pub async fn create(State(state): State<AppState>, CsrfForm(PageUser(user), form): CsrfForm<KpiForm>) -> PageResult {
    user.require_write().or_page(&user)?;
    let input = form.input.input();
    match value::create_kpi(&state.db, &user.caller(), &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/kpis/{id}")).into_response()),
        Err(e) => form_page(&state, &user, None, 0, input, Some(e)).await,
    }
}

pub async fn edit_form(State(state): State<AppState>, PageUser(user): PageUser, Path(id): Path<i64>) -> PageResult {
    user.require_write().or_page(&user)?;
    let kpi = state.db.get_kpi(id).await.or_page(&user)?;
    form_page(&state, &user, Some(id), kpi.version, input_of(&kpi), None).await
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<KpiForm>,
) -> PageResult {
    user.require_write().or_page(&user)?;
    let version = form.version.parse().unwrap_or(0);
    let input = form.input.input();
    match value::update_kpi(&state.db, &user.caller(), id, Some(version), &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/kpis/{id}")).into_response()),
        Err(e @ Error::NotFound(_)) => Err(error_page(&user, e)),
        Err(e) => form_page(&state, &user, Some(id), version, input, Some(e)).await,
    }
}
