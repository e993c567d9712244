//! IT's assessment form.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use bridge_domain::intake::{AssessmentInput, ItPriority, OptionInput, RatingInput};
use bridge_domain::{Error, FieldErrors};
use serde::Deserialize;

use super::cells::{Cell, Choice};
use crate::ops::intake::assessment::save_assessment;
use crate::ops::intake::require_it;
use crate::store::intake::Request;
use crate::web::auth::{check_csrf_field, CurrentUser, PageUser};
use crate::web::pages::{error_page, nth, render, unreadable_form, Layout, Opt, OrPage, PageResult};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "intake/assess.html")]
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
    /// IT's principles to cite: (id, "Kind: title", cited).
    principles: Vec<(i64, String, bool)>,
}

struct AssessForm {
    input: AssessmentInput,
    version: String,
    add: String,
}

/// The assessment form as the browser sends it: options arrive as repeated fields, one per row.
#[derive(Deserialize, Default)]
#[serde(default)]
struct AssessFields {
    effort_min_days: String,
    effort_max_days: String,
    one_off_cost: String,
    running_cost_per_year: String,
    currency: String,
    #[serde(rename = "security.level")]
    security_level: String,
    #[serde(rename = "security.note")]
    security_note: String,
    #[serde(rename = "compliance.level")]
    compliance_level: String,
    #[serde(rename = "compliance.note")]
    compliance_note: String,
    #[serde(rename = "operations.level")]
    operations_level: String,
    #[serde(rename = "operations.note")]
    operations_note: String,
    #[serde(rename = "architecture.level")]
    architecture_level: String,
    #[serde(rename = "architecture.note")]
    architecture_note: String,
    dependencies: String,
    option_name: Vec<String>,
    option_cost: Vec<String>,
    option_weeks: Vec<String>,
    option_tradeoffs: Vec<String>,
    recommended_option: String,
    recommendation: String,
    /// The principles cited (repeated field).
    principles: Vec<String>,
    version: String,
    add: String,
}

fn parse_assess_form(body: &[u8]) -> Result<AssessForm, Error> {
    let f: AssessFields = serde_html_form::from_bytes(body).map_err(unreadable_form)?;
    let rows = [&f.option_name, &f.option_cost, &f.option_weeks, &f.option_tradeoffs].iter().map(|c| c.len()).max();
    let options = (0..rows.unwrap_or(0))
        .map(|i| OptionInput {
            name: nth(&f.option_name, i),
            cost: nth(&f.option_cost, i),
            weeks: nth(&f.option_weeks, i),
            tradeoffs: nth(&f.option_tradeoffs, i),
        })
        .filter(|o| ![&o.name, &o.cost, &o.weeks, &o.tradeoffs].iter().all(|s| s.trim().is_empty()))
        .collect();
    let rating = |level: String, note: String| RatingInput { level, note };
    let input = AssessmentInput {
        effort_min_days: f.effort_min_days,
        effort_max_days: f.effort_max_days,
        one_off_cost: f.one_off_cost,
        running_cost_per_year: f.running_cost_per_year,
        currency: f.currency,
        security: rating(f.security_level, f.security_note),
        compliance: rating(f.compliance_level, f.compliance_note),
        operations: rating(f.operations_level, f.operations_note),
        architecture: rating(f.architecture_level, f.architecture_note),
        dependencies: f.dependencies,
        options,
        recommended_option: f.recommended_option,
        recommendation: f.recommendation,
        principles: f.principles.iter().filter_map(|p| p.trim().parse().ok()).collect(),
    };
    Ok(AssessForm { input, version: f.version, add: f.add })
}

fn assess_page(
    user: &CurrentUser,
    r: &Request,
    form: AssessForm,
    principles: &[crate::store::learning::principles::PrincipleRow],
    error: Option<Error>,
) -> PageResult {
    let (errors, notice, status) = match error {
        None => (FieldErrors::new(), None, StatusCode::OK),
        Some(Error::Validation { fields, .. }) => (fields, None, StatusCode::UNPROCESSABLE_ENTITY),
        Some(e @ (Error::Conflict { .. } | Error::Stale { .. })) => {
            (FieldErrors::new(), Some(e.to_string()), StatusCode::CONFLICT)
        }
        Some(other) => return Err(error_page(user, other)),
    };
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
        Cell::new("currency", "currency", "Currency (three letters, such as EUR)", "text", &a.currency, &errors),
    ];
    let levels = |sel: &str| {
        Opt::with_none(
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
        principles: principles
            .iter()
            .map(|p| {
                let kind = bridge_domain::learning::principles::PrincipleKind::parse(&p.kind).map_or("", |k| k.label());
                (p.id, format!("{kind}: {}", p.title), a.principles.contains(&p.id))
            })
            .collect(),
        errors,
    };
    let mut response = render(&page);
    *response.status_mut() = status;
    Ok(response)
}

pub async fn assess_form(State(state): State<AppState>, PageUser(user): PageUser, Path(id): Path<i64>) -> PageResult {
    require_it(&user.caller()).or_page(&user)?;
    let r = state.db.get_request(id).await.or_page(&user)?;
    let form = match state.db.get_assessment(id).await.or_page(&user)? {
        Some(a) => AssessForm { input: a.input, version: a.version.to_string(), add: String::new() },
        None => AssessForm {
            input: AssessmentInput {
                currency: state.db.default_currency().await.or_page(&user)?,
                ..Default::default()
            },
            version: "0".into(),
            add: String::new(),
        },
    };
    let principles = state.db.principles().await.or_page(&user)?;
    assess_page(&user, &r, form, &principles, None)
}

pub async fn assess(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    check_csrf_field(&body, &user.csrf).or_page(&user)?;
    require_it(&user.caller()).or_page(&user)?;
    let r = state.db.get_request(id).await.or_page(&user)?;
    let form = parse_assess_form(&body).or_page(&user)?;
    let principles = state.db.principles().await.or_page(&user)?;
    if !form.add.is_empty() {
        return assess_page(&user, &r, form, &principles, None);
    }
    let version = form.version.parse().unwrap_or(0);
    match save_assessment(&state.db, &user.caller(), id, version, &form.input).await {
        Ok(_) => Ok(Redirect::to(&format!("/requests/{id}?done=assessed#assessment")).into_response()),
        Err(e) => assess_page(&user, &r, form, &principles, Some(e)),
    }
}
