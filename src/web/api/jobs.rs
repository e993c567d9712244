//! API for the background job queue (administrators): what waits, what failed and why, and retry.

use axum::extract::State;
use axum::Json;
use bridge_domain::jobs::JobState;
use bridge_domain::Error;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiQuery, PageParams, Paged, Path};
use crate::ops::jobs;
use crate::store::jobs::{Job, QueueSize};
use crate::web::auth::ApiUser;
use crate::web::error::{ApiResult, ErrorBody};
use crate::web::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_jobs))
        .routes(routes!(queue_size))
        .routes(routes!(get_job))
        .routes(routes!(retry_job))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct JobsQuery {
    /// queued, running or failed; leave out for all.
    pub state: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Jobs, the most recent first (admins only). A job that succeeded is no longer listed.
#[utoipa::path(get, path = "/api/v1/jobs", tag = "jobs", params(JobsQuery),
    responses((status = 200, body = Paged<Job>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_jobs(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<JobsQuery>,
) -> ApiResult<Json<Paged<Job>>> {
    let wanted = match q.state.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(JobState::parse(s).ok_or_else(|| Error::field("state", "Use queued, running or failed."))?),
    };
    let params = PageParams { page: q.page, per_page: q.per_page };
    let (items, total) = jobs::list(&state.db, &user.caller(), wanted, params.page()).await?;
    Ok(Json(params.paged(items, total)))
}

/// How many jobs wait, are due, run and have failed, and how long the oldest due job has waited (admins only).
#[utoipa::path(get, path = "/api/v1/job-queue", tag = "jobs",
    responses((status = 200, body = QueueSize), (status = 403, body = ErrorBody)))]
pub async fn queue_size(State(state): State<AppState>, ApiUser(user): ApiUser) -> ApiResult<Json<QueueSize>> {
    Ok(Json(jobs::queue_size(&state.db, &user.caller()).await?))
}

/// One job, with its last error (admins only).
#[utoipa::path(get, path = "/api/v1/jobs/{id}", tag = "jobs",
    responses((status = 200, body = Job), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_job(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Job>> {
    Ok(Json(jobs::get(&state.db, &user.caller(), id).await?))
}

/// Puts a failed job back in the queue with all its attempts (admins only); a job that has not
/// failed → 409.
#[utoipa::path(post, path = "/api/v1/jobs/{id}/retry", tag = "jobs",
    responses((status = 200, body = Job), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn retry_job(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Job>> {
    let caller = user.caller();
    jobs::retry(&state.db, &caller, &state.jobs, id).await?;
    Ok(Json(jobs::get(&state.db, &caller, id).await?))
}
