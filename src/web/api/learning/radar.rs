//! API for the technology radar: the radar on any day, entries and their moves, editions,
//! quadrant names, and the common CSV in and out.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::super::{ApiQuery, CheckedJson, Path};
use crate::ops::learning::radar;
use crate::web::auth::ApiUser;
use crate::web::error::{ApiError, ApiResult, ErrorBody};
use crate::web::AppState;

pub fn radar_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_radar))
        .routes(routes!(radar_csv))
        .routes(routes!(import_radar))
        .routes(routes!(add_radar_entry))
        .routes(routes!(get_radar_entry, change_radar_entry))
        .routes(routes!(add_edition))
        .routes(routes!(rename_quadrant))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct RadarQuery {
    /// `YYYY-MM-DD`: the radar as it was at the end of that day (default: now).
    pub on: Option<String>,
    /// An edition's id to compare with (default: the latest edition before the day).
    pub since: Option<i64>,
}

/// The radar on a day: its entries (numbered by quadrant, ring and name) with how each moved
/// since the edition compared with, the quadrants, the editions, and drafts.
#[utoipa::path(get, path = "/api/v1/radar", tag = "learning", params(RadarQuery),
    responses((status = 200, body = radar::RadarView), (status = 422, body = ErrorBody)))]
pub async fn get_radar(
    State(state): State<AppState>,
    _user: ApiUser,
    ApiQuery(q): ApiQuery<RadarQuery>,
) -> ApiResult<Json<radar::RadarView>> {
    let day = match q.on.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => Some(
            bridge_domain::intake::parse::Date::parse(d)
                .ok_or_else(|| bridge_domain::Error::field("on", "Give the day as YYYY-MM-DD."))?,
        ),
        None => None,
    };
    let model = state.radar.get(&state.db).await?;
    Ok(Json(radar::radar_at(&model, day, q.since)))
}

/// The radar today in the radar tools' common CSV: name, ring, quadrant, isNew, description.
#[utoipa::path(get, path = "/api/v1/radar.csv", tag = "learning",
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn radar_csv(State(state): State<AppState>, _user: ApiUser) -> ApiResult<Response> {
    let model = state.radar.get(&state.db).await?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], radar::export_csv(&model)).into_response())
}

/// Imports the common CSV (IT and admins), all rows or none: 422 with a message per line.
/// Optional columns `explorer` (an email) and `showcase` (an event's id) allow moves into trial
/// and assess; descriptions with words the business may not know are kept as drafts.
#[utoipa::path(post, path = "/api/v1/radar/import", tag = "learning",
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = radar::RadarImport), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn import_radar(State(state): State<AppState>, ApiUser(user): ApiUser, body: axum::body::Bytes) -> Response {
    let run = async {
        let directory = state.directory.get(&state.db).await?;
        let caller = user.caller();
        match radar::import_csv(&state.db, &directory, &state.glossary, &state.radar, &caller, &body).await? {
            Ok(report) => Ok(Json(report)),
            Err(rows) => Err(super::super::rows_refused(rows.iter().map(|r| (r.line, r.reason.as_str())))),
        }
    };
    run.await.into_response()
}

/// A radar entry and whether to keep it as a draft.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EntryBody {
    /// Keep it off the radar for now (its explanation may still have jargon).
    pub draft: bool,
    /// The version read, for a change.
    pub version: i64,
    #[serde(flatten)]
    pub input: bridge_domain::learning::radar::EntryInput,
}

/// Adds an entry (IT and admins). A new entry, or a move into trial or assess, needs a
/// `reason`; trial and assess need `explorer_id` and `showcase_event_id`. Unless `draft`, its
/// `business_use` must have no words the business may not know (422 naming them).
#[utoipa::path(post, path = "/api/v1/radar/entries", tag = "learning", request_body = Object,
    responses((status = 201, body = radar::EntryView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn add_radar_entry(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    body: CheckedJson<EntryBody>,
) -> Response {
    body.after(Ok(()), |body| async move {
        let directory = state.directory.get(&state.db).await?;
        let caller = user.caller();
        let id = radar::save_entry(
            &state.db,
            &directory,
            &state.glossary,
            &state.radar,
            &caller,
            None,
            &body.input,
            body.draft,
        )
        .await?;
        let model = state.radar.get(&state.db).await?;
        Ok::<_, ApiError>((StatusCode::CREATED, Json(radar::entry(&state.db, &directory, &model, id).await?)))
    })
    .await
}

/// An entry with its links and its history of moves, the latest first.
#[utoipa::path(get, path = "/api/v1/radar/entries/{id}", tag = "learning",
    responses((status = 200, body = radar::EntryView), (status = 404, body = ErrorBody)))]
pub async fn get_radar_entry(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<radar::EntryView>> {
    let directory = state.directory.get(&state.db).await?;
    let model = state.radar.get(&state.db).await?;
    Ok(Json(radar::entry(&state.db, &directory, &model, id).await?))
}

/// Changes or moves an entry (IT and admins) against the `version` read.
#[utoipa::path(put, path = "/api/v1/radar/entries/{id}", tag = "learning", request_body = Object,
    responses((status = 200, body = radar::EntryView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn change_radar_entry(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: CheckedJson<EntryBody>,
) -> Response {
    body.after(Ok(()), |body| async move {
        let directory = state.directory.get(&state.db).await?;
        let caller = user.caller();
        let existing = Some((id, body.version));
        radar::save_entry(
            &state.db,
            &directory,
            &state.glossary,
            &state.radar,
            &caller,
            existing,
            &body.input,
            body.draft,
        )
        .await?;
        let model = state.radar.get(&state.db).await?;
        Ok::<_, ApiError>(Json(radar::entry(&state.db, &directory, &model, id).await?))
    })
    .await
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct NameBody {
    pub name: String,
}

/// Marks now as an edition of the radar (IT and admins): later changes show as changes since.
#[utoipa::path(post, path = "/api/v1/radar/editions", tag = "learning", request_body = NameBody,
    responses((status = 201, body = radar::RadarView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn add_edition(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    body: CheckedJson<NameBody>,
) -> Response {
    body.after(Ok(()), |body| async move {
        radar::add_edition(&state.db, &state.radar, &user.caller(), &body.name).await?;
        let model = state.radar.get(&state.db).await?;
        Ok::<_, ApiError>((StatusCode::CREATED, Json(radar::radar_at(&model, None, None))))
    })
    .await
}

/// Renames a quadrant (admins).
#[utoipa::path(put, path = "/api/v1/radar/quadrants/{id}", tag = "learning", request_body = NameBody,
    responses((status = 204), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn rename_quadrant(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: CheckedJson<NameBody>,
) -> Response {
    body.after(user.require_admin(), |body| async move {
        radar::rename_quadrant(&state.db, &state.radar, &user.caller(), id, &body.name).await?;
        Ok::<_, ApiError>(StatusCode::NO_CONTENT)
    })
    .await
}
