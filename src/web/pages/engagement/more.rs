//! More engagement pages: engagement in figures (company-wide and per unit, as charts with
//! tables), recording someone from IT embedded with a unit, and importing touchpoints from a
//! CSV or a calendar file.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use bridge_domain::csv_file::RowError;
use bridge_domain::engagement::{EmbeddingInput, EmbeddingKind};
use bridge_domain::intake::parse::Date;
use bridge_domain::org::Side;
use bridge_domain::{Error, FieldErrors};
use serde::Deserialize;

use super::super::{error_page, form_outcome, render, Layout, Opt, OrPage, PageResult};
use crate::ops::engagement::{self, EngagementFigures, ImportReport};
use crate::web::auth::{CsrfForm, CurrentUser, PageUser};
use crate::web::charts::{bar_chart, Bar, BarChart};
use crate::web::AppState;

/// A share as words for the tables: "64%", or "—" when there was nothing to count.
pub fn share_words(share: &Option<f64>) -> String {
    share.map_or_else(|| "—".into(), crate::web::format::percent)
}

pub fn days_words(days: &Option<f64>) -> String {
    days.map_or_else(|| "—".into(), |d| format!("{} days", crate::web::format::number(d)))
}

/// Touchpoints and planning sessions month by month, as bars.
pub fn months_chart(f: &EngagementFigures) -> String {
    let bars: Vec<Bar> = f
        .months
        .iter()
        .map(|m| Bar { label: m.month.clone(), values: vec![m.touchpoints as f64, m.planning_sessions as f64] })
        .collect();
    bar_chart(&BarChart {
        title: format!("{}: touchpoints and planning sessions month by month over the last year", f.name),
        series: &["Touchpoints", "Planning and strategy sessions"],
        bars: &bars,
        format_value: &|v| format!("{v:.0}"),
    })
}

#[derive(Template)]
#[template(path = "engagement/stats.html")]
struct StatsPage {
    layout: Layout,
    company: EngagementFigures,
    units: Vec<EngagementFigures>,
    months_chart: String,
    planning_chart: String,
}

/// Engagement in figures: the company's year month by month, and each unit's figures.
pub async fn stats(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let figures = state.engagement_figures.get(&state.db, &directory).await.or_page(&user)?;
    let (company, units) = (figures.1.clone(), figures.2.clone());
    let bars: Vec<Bar> = units
        .iter()
        .filter(|u| u.planning_sessions > 0)
        .map(|u| Bar { label: u.name.clone(), values: vec![u.planning_with_it_share.unwrap_or(0.0) * 100.0] })
        .collect();
    let planning_chart = bar_chart(&BarChart {
        title: "The share of each unit's planning and strategy sessions that IT took part in, over the last year"
            .into(),
        series: &["With IT"],
        bars: &bars,
        format_value: &|v| format!("{v:.0}%"),
    });
    Ok(render(&StatsPage {
        layout: Layout::new("Engagement in figures", &user, "engagement"),
        months_chart: months_chart(&company),
        planning_chart,
        company,
        units,
    }))
}

#[derive(Template)]
#[template(path = "engagement/embedding_form.html")]
struct EmbeddingPage {
    layout: Layout,
    csrf: String,
    unit_id: i64,
    unit_name: String,
    form: EmbeddingInput,
    person_options: Vec<Opt>,
    kind_options: Vec<Opt>,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EmbeddingForm {
    person_id: String,
    kind: String,
    from: String,
    until: String,
    purpose: String,
}

async fn embedding_page(
    state: &AppState,
    user: &CurrentUser,
    unit_id: i64,
    form: &EmbeddingForm,
    error: Option<Error>,
) -> PageResult {
    let (errors, _, status) = form_outcome(error).map_err(|e| error_page(user, e))?;
    let directory = state.directory.get(&state.db).await.or_page(user)?;
    let unit_name = directory
        .unit_name(unit_id)
        .ok_or_else(|| error_page(user, Error::not_found("The business unit")))?
        .to_string();
    let it = directory.people.iter().filter(|p| p.side == Side::It).map(|p| (p.id.to_string(), p.name.clone()));
    let kinds = EmbeddingKind::ALL.iter().map(|k| (k.as_str().to_string(), k.label().to_string()));
    let mut response = render(&EmbeddingPage {
        layout: Layout::new(format!("Embed someone with {unit_name}"), user, "engagement"),
        csrf: user.csrf.clone(),
        unit_id,
        unit_name,
        person_options: Opt::with_none("Choose someone from IT", it, &form.person_id),
        kind_options: Opt::list(kinds, &form.kind),
        form: input_of(unit_id, form),
        errors,
    });
    *response.status_mut() = status;
    Ok(response)
}

fn input_of(unit_id: i64, f: &EmbeddingForm) -> EmbeddingInput {
    EmbeddingInput {
        person_id: super::super::opt_id(&f.person_id),
        unit_id: Some(unit_id),
        kind: f.kind.clone(),
        from: f.from.clone(),
        until: f.until.clone(),
        purpose: f.purpose.clone(),
    }
}

pub async fn embedding_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<i64>,
) -> PageResult {
    user.require_write().or_page(&user)?;
    if !matches!(user.role, bridge_domain::org::Role::Admin | bridge_domain::org::Role::It) {
        return Err(error_page(&user, Error::forbidden("IT and administrators record who is embedded with a unit.")));
    }
    let form = EmbeddingForm {
        kind: "embedded".into(),
        from: Date::from_days(crate::ops::contact::today()).to_string(),
        ..Default::default()
    };
    embedding_page(&state, &user, id, &form, None).await
}

pub async fn add_embedding(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<EmbeddingForm>,
) -> PageResult {
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    match engagement::add_embedding(&state.db, &directory, &user.caller(), &input_of(id, &form)).await {
        Ok(_) => Ok(Redirect::to(&format!("/engagement/units/{id}#embedded-h")).into_response()),
        Err(e @ Error::Forbidden(_)) => Err(error_page(&user, e)),
        Err(e) => embedding_page(&state, &user, id, &form, Some(e)).await,
    }
}

#[derive(Template)]
#[template(path = "engagement/import.html")]
struct ImportPage {
    layout: Layout,
    csrf: String,
    row_errors: Vec<RowError>,
    error: Option<String>,
    report: Option<ImportReport>,
}

fn import_page(page: ImportPage, status: StatusCode) -> PageResult {
    let mut response = render(&page);
    *response.status_mut() = status;
    Ok(response)
}

pub async fn import_form(PageUser(user): PageUser) -> PageResult {
    user.require_write().or_page(&user)?;
    let page = ImportPage {
        layout: Layout::new("Import touchpoints", &user, "engagement"),
        csrf: user.csrf.clone(),
        row_errors: vec![],
        error: None,
        report: None,
    };
    import_page(page, StatusCode::OK)
}

/// Takes a CSV of touchpoints or a calendar file (told apart by what it starts with).
pub async fn import(State(state): State<AppState>, PageUser(user): PageUser, multipart: Multipart) -> PageResult {
    user.require_write().or_page(&user)?;
    let data = super::super::read_upload(multipart, &user.csrf).await.or_page(&user)?;
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let caller = user.caller();
    let text = String::from_utf8_lossy(&data);
    let is_calendar = text.trim_start_matches('\u{feff}').trim_start().to_uppercase().starts_with("BEGIN:VCALENDAR");
    let mut page = ImportPage {
        layout: Layout::new("Import touchpoints", &user, "engagement"),
        csrf: user.csrf.clone(),
        row_errors: vec![],
        error: None,
        report: None,
    };
    let outcome = if is_calendar {
        engagement::import_calendar(&state.db, &directory, &caller, &text).await.map(Ok)
    } else {
        engagement::import_csv(&state.db, &directory, &caller, &data).await
    };
    let status = match outcome {
        Ok(Ok(report)) => {
            page.report = Some(report);
            StatusCode::OK
        }
        Ok(Err(rows)) => {
            page.row_errors = rows;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(Error::Validation { fields, message }) => {
            page.error = Some(fields.into_values().next().unwrap_or(message));
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(e) => return Err(error_page(&user, e)),
    };
    import_page(page, status)
}
