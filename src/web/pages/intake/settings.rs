//! The intake settings an admin sets: the clarity needed to submit, the priority weights and the
//! currency of amounts typed without one.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bridge_domain::intake::priority::{MAX_WEIGHT, MIN_WEIGHT};
use bridge_domain::intake::PriorityWeights;
use bridge_domain::{Error, FieldErrors};
use serde::Deserialize;

use super::cells::Cell;
use crate::ops::intake;
use crate::web::auth::{CsrfForm, CurrentUser, PageUser};
use crate::web::pages::{error_page, render, Layout, OrPage, PageResult};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "intake/settings.html")]
struct SettingsPage {
    layout: Layout,
    csrf: String,
    cells: Vec<Cell>,
    errors: FieldErrors,
}

async fn settings_page(
    user: &CurrentUser,
    values: [String; 6],
    errors: FieldErrors,
    flash: Option<String>,
) -> Response {
    let labels = [
        ("submit_threshold", "Clarity needed to submit (0–100)"),
        ("business_value", "Weight of business value"),
        ("time_criticality", "Weight of time criticality"),
        ("risk_reduction", "Weight of risk reduction"),
        ("job_size", "Weight of job size"),
        ("default_currency", "Currency of amounts typed without one (three letters, such as EUR)"),
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
    let s = state.db.intake_settings().await.or_page(&user)?;
    let (t, w) = (s.submit_threshold, s.weights);
    let f = bridge_domain::intake::parse::format_number;
    let flash = (!q.saved.is_empty()).then(|| "Saved. The queue has been re-ranked with the new weights.".to_string());
    Ok(settings_page(
        &user,
        [
            t.to_string(),
            f(w.business_value),
            f(w.time_criticality),
            f(w.risk_reduction),
            f(w.job_size),
            s.default_currency,
        ],
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
        get("default_currency"),
    ];
    let mut errors = FieldErrors::new();
    let threshold = match values[0].trim().parse::<i64>() {
        Ok(v) => Some(v),
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
        match intake::save_settings(&state.db, &user.caller(), t, &weights, &values[5]).await {
            Ok(()) => return Ok(Redirect::to("/intake/settings?saved=1").into_response()),
            Err(Error::Validation { fields, .. }) => errors.extend(fields),
            Err(e) => return Err(error_page(&user, e)),
        }
    }
    Ok(settings_page(&user, values, errors, None).await)
}
