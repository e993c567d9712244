//! API for the rest of engagement: embedded technologists, office hours and their bookings,
//! the figures per unit and company-wide, and importing touchpoints from CSV or a calendar.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use bridge_domain::engagement::{parse_clock, EmbeddingInput, OfficeHoursInput};
use bridge_domain::Error;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::super::{ApiQuery, CheckedJson, Path};
use crate::ops::engagement::{self, EmbeddingView, EngagementFigures, ImportReport, OfficeHoursView};
use crate::web::auth::ApiUser;
use crate::web::error::{ApiError, ApiResult, ErrorBody};
use crate::web::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(engagement_stats))
        .routes(routes!(unit_stats))
        .routes(routes!(list_embeddings, add_embedding))
        .routes(routes!(get_embedding, change_embedding))
        .routes(routes!(list_office_hours, publish_office_hours))
        .routes(routes!(get_office_hours, end_office_hours))
        .routes(routes!(book_slot))
        .routes(routes!(cancel_booking))
        .routes(routes!(import_touchpoints))
        .routes(routes!(import_calendar))
}

/// The company's engagement figures and each unit's.
#[derive(Serialize, ToSchema)]
pub struct EngagementStats {
    pub company: EngagementFigures,
    pub units: Vec<EngagementFigures>,
}

/// Engagement over the last twelve months, company-wide and per business unit: touchpoints per
/// month, the median days between contacts, follow-ups done on time, and the share of planning
/// and strategy sessions IT took part in.
#[utoipa::path(get, path = "/api/v1/engagement/stats", tag = "engagement",
    responses((status = 200, body = EngagementStats)))]
pub async fn engagement_stats(State(state): State<AppState>, _user: ApiUser) -> ApiResult<Json<EngagementStats>> {
    let directory = state.directory.get(&state.db).await?;
    let figures = state.engagement_figures.get(&state.db, &directory).await?;
    let (company, units) = (figures.1.clone(), figures.2.clone());
    Ok(Json(EngagementStats { company, units }))
}

/// One business unit's engagement figures over the last twelve months.
#[utoipa::path(get, path = "/api/v1/engagement/units/{id}/stats", tag = "engagement",
    responses((status = 200, body = EngagementFigures), (status = 404, body = ErrorBody)))]
pub async fn unit_stats(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<EngagementFigures>> {
    let directory = state.directory.get(&state.db).await?;
    let figures = state.engagement_figures.get(&state.db, &directory).await?;
    let unit = figures.2.iter().find(|u| u.unit_id == Some(id));
    Ok(Json(unit.cloned().ok_or_else(|| bridge_domain::Error::not_found("The business unit"))?))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct EmbeddingsQuery {
    pub unit_id: Option<i64>,
    pub person_id: Option<i64>,
}

/// Who from IT is (or was) embedded with, or on rotation in, a business unit; each with the
/// contacts they had with the unit's people while there.
#[utoipa::path(get, path = "/api/v1/embeddings", tag = "engagement", params(EmbeddingsQuery),
    responses((status = 200, body = Vec<EmbeddingView>)))]
pub async fn list_embeddings(
    State(state): State<AppState>,
    _user: ApiUser,
    ApiQuery(q): ApiQuery<EmbeddingsQuery>,
) -> ApiResult<Json<Vec<EmbeddingView>>> {
    let directory = state.directory.get(&state.db).await?;
    Ok(Json(engagement::embeddings(&state.db, &directory, q.unit_id, q.person_id).await?))
}

/// An embedding as sent: `person_id` (someone from IT), `unit_id`, `kind` (embedded or
/// rotation), `from`, `until` (empty: no end yet), `purpose`; `version` when changing one.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct EmbeddingBody {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub input: EmbeddingInput,
    pub version: i64,
}

/// Records that someone from IT sits with a business unit (IT and admins).
#[utoipa::path(post, path = "/api/v1/embeddings", tag = "engagement", request_body = EmbeddingBody,
    responses((status = 201, body = EmbeddingView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_embedding(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    body: CheckedJson<EmbeddingBody>,
) -> Response {
    body.after(user.require_write(), |body| async move {
        let directory = state.directory.get(&state.db).await?;
        let id = engagement::add_embedding(&state.db, &directory, &user.caller(), &body.input).await?;
        Ok::<_, ApiError>((StatusCode::CREATED, Json(engagement::embedding(&state.db, &directory, id).await?)))
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/embeddings/{id}", tag = "engagement",
    responses((status = 200, body = EmbeddingView), (status = 404, body = ErrorBody)))]
pub async fn get_embedding(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<EmbeddingView>> {
    let directory = state.directory.get(&state.db).await?;
    Ok(Json(engagement::embedding(&state.db, &directory, id).await?))
}

/// Changes an embedding (to set its last day, say), against the `version` read.
#[utoipa::path(put, path = "/api/v1/embeddings/{id}", tag = "engagement", request_body = EmbeddingBody,
    responses((status = 200, body = EmbeddingView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn change_embedding(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: CheckedJson<EmbeddingBody>,
) -> Response {
    body.after(user.require_write(), |body| async move {
        let directory = state.directory.get(&state.db).await?;
        engagement::change_embedding(&state.db, &directory, &user.caller(), id, &body.input, body.version).await?;
        Ok::<_, ApiError>(Json(engagement::embedding(&state.db, &directory, id).await?))
    })
    .await
}

/// The office hours offered, each with its slots over the next three weeks (who booked a slot
/// is shown to the booker and the host).
#[utoipa::path(get, path = "/api/v1/office-hours", tag = "engagement",
    responses((status = 200, body = Vec<OfficeHoursView>)))]
pub async fn list_office_hours(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<Vec<OfficeHoursView>>> {
    let directory = state.directory.get(&state.db).await?;
    Ok(Json(engagement::office_hours(&state.db, &directory, &user.caller()).await?))
}

/// Office hours as sent: `weekday` (0 Monday … 6 Sunday), `start` and `end` (`HH:MM`),
/// `slot_minutes`, `place`, `from`, `until`; `host_id` only for an admin publishing someone's.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct OfficeHoursBody {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub input: OfficeHoursInput,
    pub host_id: Option<i64>,
}

/// Publishes weekly office hours (IT people and relationship managers their own; admins anyone's).
#[utoipa::path(post, path = "/api/v1/office-hours", tag = "engagement", request_body = OfficeHoursBody,
    responses((status = 201, body = OfficeHoursView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn publish_office_hours(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    body: CheckedJson<OfficeHoursBody>,
) -> Response {
    body.after(user.require_write(), |body| async move {
        let directory = state.directory.get(&state.db).await?;
        let caller = user.caller();
        let id = engagement::publish_office_hours(&state.db, &directory, &caller, body.host_id, &body.input).await?;
        let view = engagement::one_office_hours(&state.db, &directory, &caller, id).await?;
        Ok::<_, ApiError>((StatusCode::CREATED, Json(view)))
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/office-hours/{id}", tag = "engagement",
    responses((status = 200, body = OfficeHoursView), (status = 404, body = ErrorBody)))]
pub async fn get_office_hours(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<OfficeHoursView>> {
    let directory = state.directory.get(&state.db).await?;
    Ok(Json(engagement::one_office_hours(&state.db, &directory, &user.caller(), id).await?))
}

/// Stops offering office hours (their host or an admin); bookings made stay.
#[utoipa::path(delete, path = "/api/v1/office-hours/{id}", tag = "engagement",
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn end_office_hours(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    engagement::end_office_hours(&state.db, &user.caller(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A slot to book: its `date` and `start` (`HH:MM`), and what to talk about.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct BookingBody {
    pub date: String,
    pub start: String,
    pub topic: String,
}

#[derive(Serialize, ToSchema)]
pub struct Booked {
    pub booking_id: i64,
    pub office_hours: OfficeHoursView,
}

/// Books a slot for the caller; host and booker get a calendar invitation by email. A slot
/// booked already → 409.
#[utoipa::path(post, path = "/api/v1/office-hours/{id}/bookings", tag = "engagement", request_body = BookingBody,
    responses((status = 201, body = Booked), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn book_slot(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: CheckedJson<BookingBody>,
) -> Response {
    body.after(user.require_write(), |body| async move {
        let directory = state.directory.get(&state.db).await?;
        let caller = user.caller();
        let start = parse_clock(&body.start).ok_or_else(|| Error::field("start", "Give the slot's start as HH:MM."))?;
        let booking_id = engagement::book(&state.db, &directory, &caller, id, &body.date, start, &body.topic).await?;
        let office_hours = engagement::one_office_hours(&state.db, &directory, &caller, id).await?;
        Ok::<_, ApiError>((StatusCode::CREATED, Json(Booked { booking_id, office_hours })))
    })
    .await
}

/// Cancels a booking not held yet (its booker, the host, or an admin); the calendars are told.
#[utoipa::path(delete, path = "/api/v1/bookings/{id}", tag = "engagement",
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn cancel_booking(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    engagement::cancel_booking(&state.db, &user.caller(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Imports touchpoints from a CSV body: columns `date` and `people` (emails separated by `;`),
/// and `kind`, `unit` (its name), `note`, `private` and `key` if wanted. All rows or none: on any
/// bad row, 422 with `fields` holding a message per line; rows imported before are counted in
/// `already` and not added again.
#[utoipa::path(post, path = "/api/v1/touchpoints/import", tag = "engagement",
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportReport), (status = 422, body = ErrorBody)))]
pub async fn import_touchpoints(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    body: axum::body::Bytes,
) -> Response {
    let run = async {
        user.require_write()?;
        let directory = state.directory.get(&state.db).await?;
        match engagement::import_csv(&state.db, &directory, &user.caller(), &body).await? {
            Ok(report) => Ok(Json(report)),
            Err(rows) => Err(super::super::rows_refused(rows.iter().map(|r| (r.line, r.reason.as_str())))),
        }
    };
    run.await.into_response()
}

/// Imports the meetings of an iCalendar (.ics) body as touchpoints: attendees matched by email,
/// only meetings that happened with people from both sides; the others are listed in
/// `skipped`, unknown emails in `unknown_people`. Importing the same file again adds nothing.
#[utoipa::path(post, path = "/api/v1/touchpoints/import-calendar", tag = "engagement",
    request_body(content = String, content_type = "text/calendar"),
    responses((status = 200, body = ImportReport), (status = 422, body = ErrorBody)))]
pub async fn import_calendar(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    body: axum::body::Bytes,
) -> ApiResult<Json<ImportReport>> {
    user.require_write()?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| Error::field("file", "The calendar file is not UTF-8 text: export it again as .ics."))?;
    let directory = state.directory.get(&state.db).await?;
    Ok(Json(engagement::import_calendar(&state.db, &directory, &user.caller(), text).await?))
}
