//! API for the organisation directory: people, business units, IT teams.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use bridge_domain::org::PersonInput;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiJson, ApiQuery, CheckedJson, PageParams, Paged, Path};
use crate::ops::directory;
use crate::store::org::{Group, GroupKind, ImportOutcome, PeopleFilter, Person};
use crate::web::auth::ApiUser;
use crate::web::error::{ApiError, ApiResult, ErrorBody};
use crate::web::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(set_time_zone))
        .routes(routes!(list_people, create_person))
        .routes(routes!(import_people))
        .routes(routes!(get_person, update_person, delete_person))
        .routes(routes!(restore_person))
        .routes(routes!(list_units, create_unit))
        .routes(routes!(get_unit, update_unit, delete_unit))
        .routes(routes!(list_teams, create_team))
        .routes(routes!(get_team, update_team, delete_team))
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub account_id: i64,
    pub person_id: i64,
    pub name: String,
    pub email: String,
    /// admin, it, business or viewer
    pub role: String,
    /// business or it
    pub side: String,
    /// The zone they read times in (IANA name); null: each event's own.
    pub time_zone: Option<String>,
}

/// Who the token belongs to.
#[utoipa::path(get, path = "/api/v1/me", tag = "directory", responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn me(ApiUser(user): ApiUser) -> Json<Me> {
    Json(Me {
        account_id: user.account_id,
        person_id: user.person_id,
        name: user.name,
        email: user.email,
        role: user.role.as_str().into(),
        side: user.side.as_str().into(),
        time_zone: user.time_zone,
    })
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct TimeZoneBody {
    /// An IANA zone name ("Europe/London"); empty for each event's own.
    pub time_zone: String,
}

/// Sets the zone the caller reads times in.
#[utoipa::path(put, path = "/api/v1/me/time-zone", tag = "directory", request_body = TimeZoneBody,
    responses((status = 204), (status = 422, body = ErrorBody)))]
pub async fn set_time_zone(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    body: CheckedJson<TimeZoneBody>,
) -> Response {
    body.after(Ok(()), |body| async move {
        crate::ops::accounts::set_time_zone(&state.db, user.account_id, &body.time_zone).await?;
        Ok::<_, ApiError>(StatusCode::NO_CONTENT)
    })
    .await
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct PeopleQuery {
    /// Words to find in name, email or title.
    pub q: Option<String>,
    /// business or it
    pub side: Option<String>,
    /// admin, it, business or viewer: people whose account has this role; none: people without an account.
    pub role: Option<String>,
    pub unit_id: Option<i64>,
    pub team_id: Option<i64>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// People in the directory, filtered and paginated, by name.
#[utoipa::path(get, path = "/api/v1/people", tag = "directory", params(PeopleQuery),
    responses((status = 200, body = Paged<Person>), (status = 401, body = ErrorBody)))]
pub async fn list_people(
    State(state): State<AppState>,
    _user: ApiUser,
    ApiQuery(q): ApiQuery<PeopleQuery>,
) -> ApiResult<Response> {
    let filter = PeopleFilter {
        q: q.q.unwrap_or_default(),
        side: q.side.unwrap_or_default(),
        role: q.role.unwrap_or_default(),
        unit_id: q.unit_id,
        team_id: q.team_id,
    };
    let pages = PageParams { page: q.page, per_page: q.per_page };
    let directory = state.directory.get(&state.db).await?;
    let (items, total) = directory.list_json(&filter, pages.page());
    Ok(Json(pages.paged(items, total)).into_response())
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct PersonBody {
    pub name: String,
    pub email: String,
    /// business or it
    pub side: String,
    pub title: String,
    pub unit_id: Option<i64>,
    pub team_id: Option<i64>,
    pub manager_id: Option<i64>,
    /// Required when updating: the version you read. A stale version gets 409.
    pub version: Option<i64>,
}

impl PersonBody {
    fn input(&self) -> PersonInput {
        PersonInput {
            name: self.name.clone(),
            email: self.email.clone(),
            side: self.side.clone(),
            title: self.title.clone(),
            unit_id: self.unit_id,
            team_id: self.team_id,
            manager_id: self.manager_id,
        }
    }
}

/// Adds a person. A duplicate email gets 409 naming the field.
#[utoipa::path(post, path = "/api/v1/people", tag = "directory", request_body = PersonBody,
    responses((status = 201, body = Person), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_person(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<PersonBody>,
) -> ApiResult<impl IntoResponse> {
    let id = directory::create_person(&state.db, &user.caller(), &body.input()).await?;
    Ok((StatusCode::CREATED, Json(state.db.get_person(id).await?)))
}

#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "directory", responses((status = 200, body = Person), (status = 404, body = ErrorBody)))]
pub async fn get_person(State(state): State<AppState>, _user: ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Person>> {
    Ok(Json(state.db.get_person(id).await?))
}

/// Changes a person. Send the `version` you read; if someone changed the person since, 409.
#[utoipa::path(put, path = "/api/v1/people/{id}", tag = "directory", request_body = PersonBody,
    responses((status = 200, body = Person), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_person(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<PersonBody>,
) -> ApiResult<Json<Person>> {
    directory::update_person(&state.db, &user.caller(), id, body.version, &body.input()).await?;
    Ok(Json(state.db.get_person(id).await?))
}

/// Removes a person from the directory (administrators): the person is archived, their account
/// disabled, and their requests and history kept; `POST …/restore` brings them back. The last
/// administrator, or yourself, → 409.
#[utoipa::path(delete, path = "/api/v1/people/{id}", tag = "directory",
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete_person(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    directory::archive_person(&state.db, &user.caller(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Brings an archived person back into the directory, with the account the archive disabled (administrators).
#[utoipa::path(post, path = "/api/v1/people/{id}/restore", tag = "directory",
    responses((status = 200, body = Person), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn restore_person(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Person>> {
    directory::restore_person(&state.db, &user.caller(), id).await?;
    Ok(Json(state.db.get_person(id).await?))
}

/// Imports people from a CSV body (columns name,email,side,unit,team,title,manager_email). All
/// rows or none: on any bad row, 422 with `fields` holding one message per line (`"line 4": "…"`).
#[utoipa::path(post, path = "/api/v1/people/import", tag = "directory", request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportOutcome), (status = 422, body = ErrorBody)))]
pub async fn import_people(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    body: Bytes,
) -> ApiResult<Json<ImportOutcome>> {
    match crate::ops::directory::import_people(&state.db, &user.caller(), &body).await? {
        Ok(outcome) => Ok(Json(outcome)),
        Err(rows) => Err(super::rows_refused(rows.iter().map(|r| (r.line, r.reason.as_str())))),
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct GroupBody {
    pub name: String,
    pub description: String,
    /// Required when updating.
    pub version: Option<i64>,
}

async fn list_groups(state: &AppState, kind: GroupKind) -> ApiResult<Json<Vec<Group>>> {
    Ok(Json(state.db.list_groups(kind).await?))
}

async fn create_group(
    state: &AppState,
    user: &crate::web::auth::CurrentUser,
    kind: GroupKind,
    body: GroupBody,
) -> ApiResult<(StatusCode, Json<Group>)> {
    let id = directory::create_group(&state.db, &user.caller(), kind, &body.name, &body.description).await?;
    Ok((StatusCode::CREATED, Json(state.db.get_group(kind, id).await?)))
}

async fn update_group(
    state: &AppState,
    user: &crate::web::auth::CurrentUser,
    kind: GroupKind,
    id: i64,
    body: GroupBody,
) -> ApiResult<Json<Group>> {
    directory::update_group(&state.db, &user.caller(), kind, id, body.version, &body.name, &body.description).await?;
    Ok(Json(state.db.get_group(kind, id).await?))
}

async fn delete_group(
    state: &AppState,
    user: &crate::web::auth::CurrentUser,
    kind: GroupKind,
    id: i64,
) -> ApiResult<StatusCode> {
    directory::delete_group(&state.db, &user.caller(), kind, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Business units with the number of people in each.
#[utoipa::path(get, path = "/api/v1/units", tag = "directory", responses((status = 200, body = Vec<Group>)))]
pub async fn list_units(State(s): State<AppState>, _user: ApiUser) -> ApiResult<Json<Vec<Group>>> {
    list_groups(&s, GroupKind::Unit).await
}
#[utoipa::path(post, path = "/api/v1/units", tag = "directory", request_body = GroupBody, responses((status = 201, body = Group), (status = 409, body = ErrorBody)))]
pub async fn create_unit(
    State(s): State<AppState>,
    ApiUser(u): ApiUser,
    ApiJson(b): ApiJson<GroupBody>,
) -> ApiResult<(StatusCode, Json<Group>)> {
    create_group(&s, &u, GroupKind::Unit, b).await
}
#[utoipa::path(get, path = "/api/v1/units/{id}", tag = "directory", responses((status = 200, body = Group), (status = 404, body = ErrorBody)))]
pub async fn get_unit(State(s): State<AppState>, _user: ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Group>> {
    Ok(Json(s.db.get_group(GroupKind::Unit, id).await?))
}
#[utoipa::path(put, path = "/api/v1/units/{id}", tag = "directory", request_body = GroupBody, responses((status = 200, body = Group), (status = 409, body = ErrorBody)))]
pub async fn update_unit(
    State(s): State<AppState>,
    ApiUser(u): ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<GroupBody>,
) -> ApiResult<Json<Group>> {
    update_group(&s, &u, GroupKind::Unit, id, b).await
}
#[utoipa::path(delete, path = "/api/v1/units/{id}", tag = "directory", responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_unit(State(s): State<AppState>, ApiUser(u): ApiUser, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    delete_group(&s, &u, GroupKind::Unit, id).await
}

/// IT teams with the number of people in each.
#[utoipa::path(get, path = "/api/v1/teams", tag = "directory", responses((status = 200, body = Vec<Group>)))]
pub async fn list_teams(State(s): State<AppState>, _user: ApiUser) -> ApiResult<Json<Vec<Group>>> {
    list_groups(&s, GroupKind::Team).await
}
#[utoipa::path(post, path = "/api/v1/teams", tag = "directory", request_body = GroupBody, responses((status = 201, body = Group), (status = 409, body = ErrorBody)))]
pub async fn create_team(
    State(s): State<AppState>,
    ApiUser(u): ApiUser,
    ApiJson(b): ApiJson<GroupBody>,
) -> ApiResult<(StatusCode, Json<Group>)> {
    create_group(&s, &u, GroupKind::Team, b).await
}
#[utoipa::path(get, path = "/api/v1/teams/{id}", tag = "directory", responses((status = 200, body = Group), (status = 404, body = ErrorBody)))]
pub async fn get_team(State(s): State<AppState>, _user: ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Group>> {
    Ok(Json(s.db.get_group(GroupKind::Team, id).await?))
}
#[utoipa::path(put, path = "/api/v1/teams/{id}", tag = "directory", request_body = GroupBody, responses((status = 200, body = Group), (status = 409, body = ErrorBody)))]
pub async fn update_team(
    State(s): State<AppState>,
    ApiUser(u): ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<GroupBody>,
) -> ApiResult<Json<Group>> {
    update_group(&s, &u, GroupKind::Team, id, b).await
}
#[utoipa::path(delete, path = "/api/v1/teams/{id}", tag = "directory", responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_team(State(s): State<AppState>, ApiUser(u): ApiUser, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    delete_group(&s, &u, GroupKind::Team, id).await
}
