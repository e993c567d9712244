//! API for IT's principles explained: reading, writing, marking understood, asking and answering.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::super::{CheckedJson, Path};
use crate::ops::learning::principles;
use crate::web::auth::ApiUser;
use crate::web::error::{ApiError, ApiResult, ErrorBody};
use crate::web::AppState;

pub fn principles_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_principles, add_principle))
        .routes(routes!(get_principle, change_principle))
        .routes(routes!(mark_understood))
        .routes(routes!(ask_about_principle))
        .routes(routes!(answer_question))
}

/// IT's principles by kind, each with why it matters, an example, how many understood it
/// (and whether the caller did) and the questions asked.
#[utoipa::path(get, path = "/api/v1/principles", tag = "learning", responses((status = 200, body = Vec<principles::PrincipleView>)))]
pub async fn list_principles(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<Vec<principles::PrincipleView>>> {
    let directory = state.directory.get(&state.db).await?;
    Ok(Json(principles::principles(&state.db, &directory, &user.caller()).await?))
}

/// Adds a principle (IT and admins); `why_it_matters` and `example` must be in words the
/// business knows (422 naming the others).
#[utoipa::path(post, path = "/api/v1/principles", tag = "learning", request_body = Object,
    responses((status = 201, body = principles::PrincipleView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn add_principle(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    body: CheckedJson<bridge_domain::learning::principles::PrincipleInput>,
) -> Response {
    body.after(Ok(()), |input| async move {
        let caller = user.caller();
        let id = principles::save_principle(&state.db, &state.glossary, &caller, None, &input).await?;
        let directory = state.directory.get(&state.db).await?;
        Ok::<_, ApiError>((StatusCode::CREATED, Json(principles::principle(&state.db, &directory, &caller, id).await?)))
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/principles/{id}", tag = "learning",
    responses((status = 200, body = principles::PrincipleView), (status = 404, body = ErrorBody)))]
pub async fn get_principle(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<principles::PrincipleView>> {
    let directory = state.directory.get(&state.db).await?;
    Ok(Json(principles::principle(&state.db, &directory, &user.caller(), id).await?))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PrincipleChange {
    pub version: i64,
    #[serde(flatten)]
    pub input: bridge_domain::learning::principles::PrincipleInput,
}

/// Changes a principle (IT and admins) against the `version` read.
#[utoipa::path(put, path = "/api/v1/principles/{id}", tag = "learning", request_body = Object,
    responses((status = 200, body = principles::PrincipleView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn change_principle(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: CheckedJson<PrincipleChange>,
) -> Response {
    body.after(Ok(()), |body| async move {
        let caller = user.caller();
        principles::save_principle(&state.db, &state.glossary, &caller, Some((id, body.version)), &body.input).await?;
        let directory = state.directory.get(&state.db).await?;
        Ok::<_, ApiError>(Json(principles::principle(&state.db, &directory, &caller, id).await?))
    })
    .await
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct Understood {
    pub understood: bool,
}

/// Marks a principle understood by the caller (`false` takes the mark back).
#[utoipa::path(put, path = "/api/v1/principles/{id}/understood", tag = "learning", request_body = Understood,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn mark_understood(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: CheckedJson<Understood>,
) -> Response {
    body.after(user.require_write(), |body| async move {
        principles::mark_understood(&state.db, &user.caller(), id, body.understood).await?;
        Ok::<_, ApiError>(StatusCode::NO_CONTENT)
    })
    .await
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct QuestionBody {
    pub question: String,
}

/// Asks IT about a principle.
#[utoipa::path(post, path = "/api/v1/principles/{id}/questions", tag = "learning", request_body = QuestionBody,
    responses((status = 201, body = principles::PrincipleView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn ask_about_principle(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: CheckedJson<QuestionBody>,
) -> Response {
    body.after(user.require_write(), |body| async move {
        let caller = user.caller();
        principles::ask(&state.db, &caller, id, &body.question).await?;
        let directory = state.directory.get(&state.db).await?;
        Ok::<_, ApiError>((StatusCode::CREATED, Json(principles::principle(&state.db, &directory, &caller, id).await?)))
    })
    .await
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct AnswerBody {
    pub answer: String,
}

/// Answers a question (IT and admins); the one who asked is told.
#[utoipa::path(put, path = "/api/v1/principle-questions/{id}/answer", tag = "learning", request_body = AnswerBody,
    responses((status = 204), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn answer_question(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: CheckedJson<AnswerBody>,
) -> Response {
    body.after(Ok(()), |body| async move {
        principles::answer(&state.db, &user.caller(), id, &body.answer).await?;
        Ok::<_, ApiError>(StatusCode::NO_CONTENT)
    })
    .await
}
