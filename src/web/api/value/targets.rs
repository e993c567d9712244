//! API for targets: set on KPIs, an initiative's targets, and targets split by quarter with
//! their plan typed by hand.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use bridge_domain::value::TargetInput;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ops::value::portfolio::TargetView;
use crate::ops::value::{self, targets};
use crate::web::api::{CheckedJson, Path};
use crate::web::auth::ApiUser;
use crate::web::error::{ApiError, ApiResult, ErrorBody};
use crate::web::AppState;

/// A target as sent: the `TargetInput` fields (`metric`, `baseline`, `baseline_date`, `kind`
/// — increase_to, decrease_to, at_least, at_most, band — `value` or `low` and `high`,
/// `target_date`, `benefit_start` — delivery, date, after_delivery — `benefit_date`,
/// `benefit_delay_days`) and `request_id` for one of an approved request's success metrics.
#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct TargetBody {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub input: TargetInput,
    pub request_id: Option<i64>,
}

/// The KPI's targets, each with its latest measurement, progress and status today.
#[utoipa::path(get, path = "/api/v1/kpis/{id}/targets", tag = "value",
    responses((status = 200, body = Vec<TargetView>), (status = 404, body = ErrorBody)))]
pub async fn list_targets(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<TargetView>>> {
    state.db.get_kpi(id).await?;
    let portfolio = state.value_portfolio().await?;
    Ok(Json(portfolio.targets_of_kpi(id).into_iter().cloned().collect()))
}

/// Sets a target on the KPI, by hand or for an approved request's success metric (409 before
/// approval or when that metric has one already).
#[utoipa::path(post, path = "/api/v1/kpis/{id}/targets", tag = "value", request_body = TargetBody,
    responses((status = 201, body = TargetView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_target(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: CheckedJson<TargetBody>,
) -> Response {
    body.after(user.require_write(), |body| async move {
        let target_id = value::set_target(&state.db, &user.caller(), id, body.request_id, &body.input).await?;
        state.portfolio.invalidate();
        let portfolio = state.value_portfolio().await?;
        let view = portfolio.target(target_id).cloned().ok_or_else(|| bridge_domain::Error::not_found("The target"))?;
        Ok::<_, ApiError>((StatusCode::CREATED, Json(view)))
    })
    .await
}

/// A target's quarter: the value planned at its end (typed by hand when `typed`, else on the
/// straight line from the baseline when the benefit starts to the target), the quarter's latest
/// measurement, and the difference.
#[derive(Serialize, ToSchema)]
pub struct QuarterView {
    /// `2027-Q1`
    pub key: String,
    /// `2027 Q1`
    pub label: String,
    /// `YYYY-MM-DD`
    pub first: String,
    pub last: String,
    pub planned: f64,
    pub typed: bool,
    pub actual: Option<f64>,
    /// actual − planned
    pub variance: Option<f64>,
}

impl From<bridge_domain::value::Quarter> for QuarterView {
    fn from(q: bridge_domain::value::Quarter) -> QuarterView {
        QuarterView {
            key: q.key,
            label: q.label,
            first: q.first.to_string(),
            last: q.last.to_string(),
            planned: q.planned,
            typed: q.typed,
            actual: q.actual,
            variance: q.variance,
        }
    }
}

/// The target split by quarter, from its baseline's quarter to its target date's.
#[utoipa::path(get, path = "/api/v1/targets/{id}/quarters", tag = "value",
    responses((status = 200, body = Vec<QuarterView>), (status = 404, body = ErrorBody)))]
pub async fn target_quarters(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<QuarterView>>> {
    let portfolio = state.value_portfolio().await?;
    let (view, delivered) = targets::target_in(&portfolio, id)?;
    Ok(Json(targets::quarters(&state.db, view, delivered).await?.into_iter().map(QuarterView::from).collect()))
}

/// Values planned by hand for a target's quarters.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct PlanBody {
    /// Quarter (`2027-Q1`) → the value planned at its end; `null` or `""` goes back to the
    /// straight line. Quarters not named lose a value typed before.
    #[schema(value_type = Object)]
    pub quarters: BTreeMap<String, serde_json::Value>,
}

/// Replaces the values planned by hand for the target's quarters; answers all its quarters. A
/// quarter outside the target's, or a value its KPI's unit does not allow → 422 naming the quarter.
#[utoipa::path(put, path = "/api/v1/targets/{id}/plan", tag = "value", request_body = PlanBody,
    responses((status = 200, body = Vec<QuarterView>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn plan_target(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: CheckedJson<PlanBody>,
) -> Response {
    body.after(user.require_write(), |body| async move {
        let typed: BTreeMap<String, String> = body
            .quarters
            .into_iter()
            .map(|(quarter, v)| {
                let text = match v {
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                (quarter, text)
            })
            .collect();
        let portfolio = state.value_portfolio().await?;
        let quarters = targets::set_plan(&state.db, &user.caller(), &portfolio, id, &typed).await?;
        Ok::<_, ApiError>(Json(quarters.into_iter().map(QuarterView::from).collect::<Vec<_>>()))
    })
    .await
}

/// An initiative's promised value: its targets and how they stand, and its success metrics that
/// have no target on a KPI yet.
#[derive(Serialize, ToSchema)]
pub struct InitiativeTargets {
    pub targets: Vec<TargetView>,
    /// Success metrics of the request not measured yet (no target on a KPI).
    pub not_measured: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/requests/{id}/targets", tag = "value",
    responses((status = 200, body = InitiativeTargets), (status = 404, body = ErrorBody)))]
pub async fn request_targets(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<InitiativeTargets>> {
    let req = state.db.get_request(id).await?;
    let portfolio = state.value_portfolio().await?;
    let (targets, not_measured) = match portfolio.initiative(id) {
        Some(i) => (i.targets.clone(), i.not_measured.clone()),
        None => (vec![], req.body.metrics.iter().map(|m| m.name.clone()).collect()),
    };
    Ok(Json(InitiativeTargets { targets, not_measured }))
}
