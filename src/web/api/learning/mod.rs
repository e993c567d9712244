//! API for learning (the radar and IT's principles in their own files): events (one, or a series), registration with a waiting list, check-in,
//! materials, feedback, and calendars (an event's .ics, each person's feed address).

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use bridge_domain::learning::{EventInput, FeedbackInput, MaterialsInput, Place};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::language::FindingOut;
use super::{ApiQuery, CheckedJson, PageParams, Paged, Path};

mod principles;
mod radar;

use crate::ops::learning::{self, Attendee, EventView, FeedbackSummary};
use crate::store::learning::EventFilter;
use crate::web::auth::ApiUser;
use crate::web::error::{ApiError, ApiResult, ErrorBody};
use crate::web::AppState;
pub use principles::principles_router;
pub use radar::radar_router;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_events, plan_event))
        .routes(routes!(get_event, change_event))
        .routes(routes!(call_off))
        .routes(routes!(register, unregister))
        .routes(routes!(attendees))
        .routes(routes!(check_in))
        .routes(routes!(save_materials))
        .routes(routes!(feedback, give_feedback))
        .routes(routes!(event_ics))
        .routes(routes!(learning_stats))
        .routes(routes!(calendar_address))
        .routes(routes!(reset_calendar_address))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct EventsQuery {
    /// Past events (the latest first) instead of those to come (the soonest first).
    pub past: bool,
    /// Only this kind: brown_bag, hackathon, showcase, data_centre_tour, operations_centre_tour,
    /// lab_tour, training or workshop.
    pub kind: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Events to come, or past ones; `when` is in the caller's time zone (else the event's).
#[utoipa::path(get, path = "/api/v1/events", tag = "learning", params(EventsQuery),
    responses((status = 200, body = Paged<EventView>), (status = 422, body = ErrorBody)))]
pub async fn list_events(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<EventsQuery>,
) -> ApiResult<Json<Paged<EventView>>> {
    let directory = state.directory.get(&state.db).await?;
    let params = PageParams { page: q.page, per_page: q.per_page };
    let filter = EventFilter { past: q.past, kind: q.kind.as_deref().filter(|k| !k.is_empty()) };
    let (items, total) =
        learning::events(&state.db, &directory, &user.caller(), user.zone(), filter, params.page()).await?;
    Ok(Json(params.paged(items, total)))
}

/// An event as planned, and what the jargon checker found in its description for its audience.
#[derive(Serialize, ToSchema)]
pub struct PlannedEvent {
    pub event: EventView,
    /// The ids of the series' later sessions (empty for a single event).
    pub later_sessions: Vec<i64>,
    /// Words in the description its audience may not know (see the glossary).
    pub findings: Vec<FindingOut>,
}

/// Plans an event; with `repeat_weeks` and `repeat_until`, a series of sessions at the same
/// local time. Times are local to `time_zone`.
#[utoipa::path(post, path = "/api/v1/events", tag = "learning", request_body = Object,
    responses((status = 201, body = PlannedEvent), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn plan_event(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    body: CheckedJson<EventInput>,
) -> Response {
    body.after(user.require_write(), |input| async move {
        let directory = state.directory.get(&state.db).await?;
        let caller = user.caller();
        let planned = learning::plan_event(&state.db, &directory, &state.glossary, &caller, &input).await?;
        let event = learning::event(&state.db, &directory, &caller, user.zone(), planned.ids[0]).await?;
        let later_sessions = planned.ids[1..].to_vec();
        let findings = planned.findings.iter().map(|f| FindingOut::new(f, &event.description)).collect();
        Ok::<_, ApiError>((StatusCode::CREATED, Json(PlannedEvent { event, later_sessions, findings })))
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/events/{id}", tag = "learning",
    responses((status = 200, body = EventView), (status = 404, body = ErrorBody)))]
pub async fn get_event(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<EventView>> {
    let directory = state.directory.get(&state.db).await?;
    Ok(Json(learning::event(&state.db, &directory, &user.caller(), user.zone(), id).await?))
}

/// An event's fields and the `version` read.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EventChange {
    pub version: i64,
    #[serde(flatten)]
    pub input: EventInput,
}

/// Changes an event (its host, speakers or administrators) against the `version` read; more
/// places move people up from the waiting list.
#[utoipa::path(put, path = "/api/v1/events/{id}", tag = "learning", request_body = Object,
    responses((status = 200, body = EventView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn change_event(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: CheckedJson<EventChange>,
) -> Response {
    body.after(user.require_write(), |body| async move {
        let directory = state.directory.get(&state.db).await?;
        let caller = user.caller();
        learning::change_event(&state.db, &directory, &state.glossary, &caller, id, body.version, &body.input).await?;
        Ok::<_, ApiError>(Json(learning::event(&state.db, &directory, &caller, user.zone(), id).await?))
    })
    .await
}

/// Calls an event off; everyone with a place or waiting is told.
#[utoipa::path(post, path = "/api/v1/events/{id}/cancel", tag = "learning",
    responses((status = 204), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn call_off(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let directory = state.directory.get(&state.db).await?;
    learning::call_off(&state.db, &directory, &user.caller(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct Registration {
    /// registered (a place) or waiting (on the waiting list)
    pub place: &'static str,
    pub event: EventView,
}

/// Registers the caller: a place while there is one, else the waiting list. Registered already,
/// a past or called-off event → 409.
#[utoipa::path(post, path = "/api/v1/events/{id}/registration", tag = "learning",
    responses((status = 201, body = Registration), (status = 409, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn register(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let directory = state.directory.get(&state.db).await?;
    let caller = user.caller();
    let (place, row): (Place, _) = learning::register(&state.db, &caller, id).await?;
    let event = learning::registered_view(&state.db, &directory, &caller, user.zone(), &row, place).await?;
    Ok((StatusCode::CREATED, Json(Registration { place: place.as_str(), event })).into_response())
}

/// Cancels the caller's registration; a place given up goes to the first waiting, who is told.
#[utoipa::path(delete, path = "/api/v1/events/{id}/registration", tag = "learning",
    responses((status = 204), (status = 409, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn unregister(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    learning::unregister(&state.db, &user.caller(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Those with a place (by name), then the waiting list in order (host, speakers, administrators).
#[utoipa::path(get, path = "/api/v1/events/{id}/attendees", tag = "learning",
    responses((status = 200, body = Vec<Attendee>), (status = 403, body = ErrorBody)))]
pub async fn attendees(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<Attendee>>> {
    let directory = state.directory.get(&state.db).await?;
    Ok(Json(learning::attendees(&state.db, &directory, &user.caller(), id).await?))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct CheckIn {
    /// True: they came (someone not registered is added); false: untick.
    pub attended: bool,
}

/// Ticks whether someone came, from the day of the event (host, speakers, administrators).
#[utoipa::path(put, path = "/api/v1/events/{id}/attendees/{person_id}", tag = "learning", request_body = CheckIn,
    responses((status = 204), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn check_in(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, person_id)): Path<(i64, i64)>,
    body: CheckedJson<CheckIn>,
) -> Response {
    body.after(user.require_write(), |body| async move {
        let directory = state.directory.get(&state.db).await?;
        learning::check_in(&state.db, &directory, &user.caller(), id, person_id, body.attended).await?;
        Ok::<_, ApiError>(StatusCode::NO_CONTENT)
    })
    .await
}

/// What was shown: links (one per line, a title before each if wanted) and the recording.
#[utoipa::path(put, path = "/api/v1/events/{id}/materials", tag = "learning", request_body = Object,
    responses((status = 200, body = EventView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn save_materials(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: CheckedJson<MaterialsInput>,
) -> Response {
    body.after(user.require_write(), |input| async move {
        let directory = state.directory.get(&state.db).await?;
        let caller = user.caller();
        learning::save_materials(&state.db, &directory, &caller, id, &input).await?;
        Ok::<_, ApiError>(Json(learning::event(&state.db, &directory, &caller, user.zone(), id).await?))
    })
    .await
}

/// An event's feedback: how many answered, the average, each rating's count, and the comments
/// without names (host, speakers, administrators).
#[utoipa::path(get, path = "/api/v1/events/{id}/feedback", tag = "learning",
    responses((status = 200, body = FeedbackSummary), (status = 403, body = ErrorBody)))]
pub async fn feedback(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<FeedbackSummary>> {
    let directory = state.directory.get(&state.db).await?;
    Ok(Json(learning::feedback(&state.db, &directory, &user.caller(), id).await?))
}

/// Feedback (`rating` 1 to 5, an optional `comment`) from someone who came; again replaces it.
#[utoipa::path(post, path = "/api/v1/events/{id}/feedback", tag = "learning", request_body = Object,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn give_feedback(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: CheckedJson<FeedbackInput>,
) -> Response {
    body.after(user.require_write(), |input| async move {
        let directory = state.directory.get(&state.db).await?;
        learning::give_feedback(&state.db, &directory, &user.caller(), id, &input).await?;
        Ok::<_, ApiError>(StatusCode::NO_CONTENT)
    })
    .await
}

/// The event as an iCalendar file, to add it to a calendar.
#[utoipa::path(get, path = "/api/v1/events/{id}/event.ics", tag = "learning",
    responses((status = 200, content_type = "text/calendar", body = String), (status = 404, body = ErrorBody)))]
pub async fn event_ics(State(state): State<AppState>, _user: ApiUser, Path(id): Path<i64>) -> ApiResult<Response> {
    let row = state.db.get_event(id).await?;
    Ok(calendar_response(learning::event_ics(&row, &state.config.base_url)))
}

/// An iCalendar answer.
pub fn calendar_response(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], body).into_response()
}

#[derive(Serialize, ToSchema)]
pub struct CalendarAddress {
    /// The caller's calendar feed, to subscribe to from a calendar client: their events, office
    /// hours and follow-ups. Anyone with it can read them: reset it if it got out.
    pub url: String,
    /// Every event, for anyone.
    pub organisation_url: String,
}

fn address(state: &AppState, path: String) -> CalendarAddress {
    let base = &state.config.base_url;
    CalendarAddress { url: format!("{base}{path}"), organisation_url: format!("{base}/calendar/events.ics") }
}

/// The caller's calendar feed address.
#[utoipa::path(get, path = "/api/v1/calendar", tag = "learning", responses((status = 200, body = CalendarAddress)))]
pub async fn calendar_address(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<CalendarAddress>> {
    let path = learning::feed_path(&state.db, user.person_id).await?;
    Ok(Json(address(&state, path)))
}

/// Makes the caller's feed address new: the old one stops working (viewers too: the address
/// is their own).
#[utoipa::path(post, path = "/api/v1/calendar/reset", tag = "learning", responses((status = 200, body = CalendarAddress)))]
pub async fn reset_calendar_address(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<CalendarAddress>> {
    let path = learning::reset_feed(&state.db, user.person_id).await?;
    Ok(Json(address(&state, path)))
}

/// Who is learning over the last twelve months: attendance by month, by business unit (and at
/// sessions IT led), by kind of event with its feedback, and those who came and gave most.
#[utoipa::path(get, path = "/api/v1/learning/stats", tag = "learning",
    responses((status = 200, body = learning::stats::LearningFigures)))]
pub async fn learning_stats(
    State(state): State<AppState>,
    _user: ApiUser,
) -> ApiResult<Json<learning::stats::LearningFigures>> {
    let directory = state.directory.get(&state.db).await?;
    Ok(Json(learning::stats::figures(&state.db, &directory).await?))
}
