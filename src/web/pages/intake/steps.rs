//! What the request page's forms do: lifecycle steps, priority ratings, IT's owner, closing as a
//! duplicate, and messages. Each answers with the request page again (`request::request_page`),
//! carrying what went wrong beside the form.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use bridge_domain::intake::{Action, PriorityInput};
use bridge_domain::{Error, FieldErrors};
use serde::Deserialize;

use super::request::{problem_from, request_page};
use crate::ops::intake::conversation::comment as add_comment;
use crate::ops::intake::lifecycle::may_take;
use crate::ops::intake::priority::set_priority as save_priority;
use crate::ops::value::targets::decide_with_targets;
use crate::web::auth::{CsrfForm, PageUser};
use crate::web::pages::value::{approval_field, read_approval_targets};
use crate::web::pages::{error_page, OrPage, PageResult};
use crate::web::AppState;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OwnerForm {
    owner_id: String,
}

pub async fn set_owner(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<OwnerForm>,
) -> PageResult {
    let owner = crate::web::pages::opt_id(&form.owner_id);
    match crate::ops::intake::requests::assign_owner(&state.db, &user.caller(), id, owner).await {
        Ok(()) => Ok(Redirect::to(&format!("/requests/{id}?done=owner")).into_response()),
        Err(Error::NotFound(w)) => Err(error_page(&user, Error::NotFound(w))),
        Err(e) => request_page(&state, &user, id, problem_from(e), None).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DuplicateForm {
    of: String,
}

pub async fn mark_duplicate(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<DuplicateForm>,
) -> PageResult {
    let of = form.of.trim().trim_start_matches('#').parse::<i64>().ok();
    let result = crate::ops::intake::requests::mark_duplicate(&state.db, &user.caller(), id, of).await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/requests/{id}?done=moved")).into_response()),
        Err(Error::NotFound(w)) => Err(error_page(&user, Error::NotFound(w))),
        Err(e) => request_page(&state, &user, id, problem_from(e), None).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TransitionForm {
    action: String,
    reason: String,
    /// `yes` when the person confirmed a step that ends or refuses the request.
    confirm: String,
    /// `yes` to approve without an assessment.
    without_assessment: String,
    /// The approval's targets, `t0_metric`, `t0_kpi_id`, … (`value::read_approval_targets`).
    #[serde(flatten)]
    targets: HashMap<String, String>,
}

pub async fn transition(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<TransitionForm>,
) -> PageResult {
    let targets = match form.action.as_str() {
        "approve" => read_approval_targets(&form.targets),
        _ => vec![],
    };
    let result = match Action::from_form(&form.action, &form.reason) {
        Some(action) if action.kind().needs_confirmation() && form.confirm != "yes" => {
            // Who may not take the step hears that, not that they should confirm it.
            match may_take(&state.db, &user.caller(), id, &action).await {
                Ok(()) => Err(Error::field(
                    "confirm",
                    format!("Tick the box to confirm that you want to {}.", action.kind().label().to_lowercase()),
                )),
                Err(e) => Err(e),
            }
        }
        Some(action) => {
            let without_assessment = form.without_assessment == "yes";
            decide_with_targets(&state.db, &user.caller(), id, &action, without_assessment, &targets, approval_field)
                .await
        }
        None => Err(Error::field("action", "Choose what should happen next.")),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/requests/{id}?done=moved")).into_response()),
        Err(Error::NotFound(w)) => Err(error_page(&user, Error::NotFound(w))),
        Err(e) => {
            let mut p = problem_from(e);
            p.action = form.action;
            p.reason = form.reason;
            p.targets = targets;
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
            Ok(settings) => save_priority(&state.db, &user.caller(), &settings.weights, id, &update).await.map(|_| ()),
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
    match add_comment(&state.db, &user.caller(), user.side.as_str(), id, &form.body).await {
        Ok((cid, told)) => Ok(Redirect::to(&format!("/requests/{id}?done=sent{told}#comment-{cid}")).into_response()),
        Err(Error::NotFound(w)) => Err(error_page(&user, Error::NotFound(w))),
        Err(e) => {
            let mut p = problem_from(e);
            p.comment = form.body;
            request_page(&state, &user, id, p, None).await
        }
    }
}
