//! API for engagement: touchpoints, each business unit's standing against its stay-in-touch
//! cadence, the losing-touch list, and setting a unit's cadence.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use bridge_domain::engagement::TouchpointInput;
use bridge_domain::Error;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiQuery, CheckedJson, Path};

mod more;
use crate::ops::engagement::{
    self, CadenceInput, FollowUpView, KnownPerson, RelationshipMap, TouchpointView, UnitEngagement, UnitStanding,
};
use crate::store::engagement::TouchpointFilter;
use crate::web::auth::ApiUser;
use crate::web::error::{ApiError, ApiResult, ErrorBody};
use crate::web::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_touchpoints, log_touchpoint))
        .routes(routes!(get_touchpoint))
        .routes(routes!(unit_standings))
        .routes(routes!(losing_touch))
        .routes(routes!(set_cadence))
        .routes(routes!(finish_follow_up))
        .routes(routes!(relationship_map))
        .routes(routes!(person_contacts))
        .routes(routes!(unit_engagement))
        .merge(more::router())
}

/// One business unit's engagement: its standing, contacts month by month over the last year,
/// the IT teams it was in touch with, and its touchpoints with follow-ups still open.
#[utoipa::path(get, path = "/api/v1/engagement/units/{id}", tag = "engagement",
    responses((status = 200, body = UnitEngagement), (status = 404, body = ErrorBody)))]
pub async fn unit_engagement(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<UnitEngagement>> {
    let directory = state.directory.get(&state.db).await?;
    let model = state.engagement_model(&directory).await?;
    Ok(Json(engagement::unit_engagement(&state.db, &directory, &model, &user.caller(), id).await?))
}

/// Business units against IT teams over the last 12 months: contacts and the last one's day,
/// per pair (from the monthly sums).
#[utoipa::path(get, path = "/api/v1/engagement/map", tag = "engagement",
    responses((status = 200, body = RelationshipMap)))]
pub async fn relationship_map(State(state): State<AppState>, _user: ApiUser) -> ApiResult<Json<RelationshipMap>> {
    let directory = state.directory.get(&state.db).await?;
    Ok(Json(engagement::relationship_map(&state.db, &directory, 12).await?))
}

/// Who a person knows on the other side: each person they were in touch with, the last day and
/// how many contacts, the most recent first.
#[utoipa::path(get, path = "/api/v1/people/{id}/contacts", tag = "engagement",
    responses((status = 200, body = Vec<KnownPerson>), (status = 404, body = ErrorBody)))]
pub async fn person_contacts(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<KnownPerson>>> {
    let directory = state.directory.get(&state.db).await?;
    Ok(Json(engagement::who_they_know(&state.db, &directory, id).await?))
}

/// A follow-up done or not.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct FollowUpBody {
    pub done: bool,
}

/// Marks a follow-up done (`"done": true`) or open again: its owner, the touchpoint's
/// participants, or an admin (anyone else → 403).
#[utoipa::path(put, path = "/api/v1/follow-ups/{id}", tag = "engagement", request_body = FollowUpBody,
    responses((status = 200, body = FollowUpView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn finish_follow_up(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: CheckedJson<FollowUpBody>,
) -> Response {
    body.after(user.require_write(), |body| async move {
        let directory = state.directory.get(&state.db).await?;
        Ok::<_, ApiError>(Json(
            engagement::finish_follow_up(&state.db, &directory, &user.caller(), id, body.done).await?,
        ))
    })
    .await
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct TouchpointsQuery {
    pub unit_id: Option<i64>,
    /// Touchpoints this person took part in.
    pub person_id: Option<i64>,
    /// Touchpoints older than this one (the `next_before` of the page before).
    pub before: Option<i64>,
    /// Up to 200; 50 by default.
    pub per_page: Option<i64>,
}

/// A page of touchpoints, the newest first.
#[derive(Serialize, ToSchema)]
pub struct TouchpointPage {
    pub items: Vec<TouchpointView>,
    /// Send as `before` for the next, older page; `null` when this is the last.
    pub next_before: Option<i64>,
}

/// Touchpoints, the newest first; a private note is `null` for anyone who did not take part.
#[utoipa::path(get, path = "/api/v1/touchpoints", tag = "engagement", params(TouchpointsQuery),
    responses((status = 200, body = TouchpointPage)))]
pub async fn list_touchpoints(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<TouchpointsQuery>,
) -> ApiResult<Json<TouchpointPage>> {
    let directory = state.directory.get(&state.db).await?;
    let limit = q.per_page.unwrap_or(50).clamp(1, 200);
    let filter = TouchpointFilter { unit_id: q.unit_id, person_id: q.person_id };
    let items = engagement::touchpoints(&state.db, &directory, &user.caller(), filter, q.before, limit).await?;
    let next_before = (items.len() as i64 == limit).then(|| items.last().map(|t| t.id)).flatten();
    Ok(Json(TouchpointPage { items, next_before }))
}

/// A touchpoint as sent (`bridge_domain::engagement::TouchpointInput`).
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct TouchpointBody {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub input: TouchpointInput,
}

/// Logs a touchpoint: `kind`, `date` (today or before), `people` (ids, at least one from each
/// side), `unit_id` (empty: the business people's unit), `note`, `private`, and `follow_ups`
/// (`text`, `owner_id`, `due`). Every contact between its business and IT people resets the
/// unit's stay-in-touch clock.
#[utoipa::path(post, path = "/api/v1/touchpoints", tag = "engagement", request_body = TouchpointBody,
    responses((status = 201, body = TouchpointView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn log_touchpoint(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    body: CheckedJson<TouchpointBody>,
) -> Response {
    body.after(user.require_write(), |body| async move {
        let input = body.input;
        let directory = state.directory.get(&state.db).await?;
        let caller = user.caller();
        let row = engagement::log_touchpoint(&state.db, &directory, &caller, &input).await?;
        state.contacts_changed();
        let view = engagement::view(&directory, &row, caller.person_id, crate::ops::contact::today());
        Ok::<_, ApiError>((StatusCode::CREATED, Json(view)))
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/touchpoints/{id}", tag = "engagement",
    responses((status = 200, body = TouchpointView), (status = 404, body = ErrorBody)))]
pub async fn get_touchpoint(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<TouchpointView>> {
    let directory = state.directory.get(&state.db).await?;
    let row = state.db.get_touchpoint(id).await?;
    Ok(Json(engagement::view(&directory, &row, user.caller().person_id, crate::ops::contact::today())))
}

/// Every business unit against its cadence, the furthest out of touch first.
#[utoipa::path(get, path = "/api/v1/engagement/units", tag = "engagement",
    responses((status = 200, body = Vec<UnitStanding>)))]
pub async fn unit_standings(State(state): State<AppState>, _user: ApiUser) -> ApiResult<Json<Vec<UnitStanding>>> {
    let directory = state.directory.get(&state.db).await?;
    Ok(Json(state.engagement_model(&directory).await?.standings.clone()))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct LosingTouchQuery {
    /// Only the units the caller keeps in touch with (as relationship manager or IT lead).
    pub mine: bool,
}

/// The units past their ideal interval (amber) or their maximum (red).
#[utoipa::path(get, path = "/api/v1/engagement/losing-touch", tag = "engagement", params(LosingTouchQuery),
    responses((status = 200, body = Vec<UnitStanding>)))]
pub async fn losing_touch(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<LosingTouchQuery>,
) -> ApiResult<Json<Vec<UnitStanding>>> {
    let directory = state.directory.get(&state.db).await?;
    let person = q.mine.then_some(user.person_id);
    Ok(Json(engagement::losing_touch(&state.engagement_model(&directory).await?.standings, person)))
}

/// Sets a unit's cadence (`ideal_days`, `max_days`; both empty for the default) and who keeps in
/// touch (`relationship_manager_id`, `it_lead_id`), against the `version` read (admins).
#[utoipa::path(put, path = "/api/v1/engagement/units/{id}/cadence", tag = "engagement", request_body = CadenceInput,
    responses((status = 200, body = UnitStanding), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_cadence(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: CheckedJson<CadenceInput>,
) -> Response {
    body.after(user.require_admin(), |input| async move {
        let directory = state.directory.get(&state.db).await?;
        engagement::set_cadence(&state.db, &directory, &user.caller(), id, &input).await?;
        state.contacts_changed();
        let model = state.engagement_model(&directory).await?;
        Ok::<_, ApiError>(Json(model.standing(id).cloned().ok_or_else(|| Error::not_found("The business unit"))?))
    })
    .await
}
