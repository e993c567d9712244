//! API for outgoing webhooks (administrators): endpoints, their delivery log, a test message.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use bridge_domain::webhooks::EndpointInput;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiJson, ApiQuery, PageParams, Paged, Path};
use crate::ops::webhooks;
use crate::store::webhooks::{WebhookDelivery, WebhookEndpoint};
use crate::web::auth::ApiUser;
use crate::web::error::{ApiResult, ErrorBody};
use crate::web::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_endpoints, create_endpoint))
        .routes(routes!(get_endpoint, update_endpoint, delete_endpoint))
        .routes(routes!(send_test))
        .routes(routes!(new_secret))
        .routes(routes!(list_deliveries))
}

/// An endpoint's settings; a field left out is reported with the others' problems.
#[derive(Deserialize, ToSchema)]
pub struct EndpointBody {
    #[serde(default)]
    pub name: String,
    /// Where Bridge posts: `https://…` (or `http://` inside your network).
    #[serde(default)]
    pub url: String,
    /// slack, teams or json
    #[serde(default)]
    pub format: String,
    /// Event codes: request.submitted, request.decided, request.delivered.
    #[serde(default)]
    pub events: Vec<String>,
    /// Switched on unless `false`.
    #[serde(default = "switched_on")]
    pub active: bool,
}

fn switched_on() -> bool {
    true
}

impl From<EndpointBody> for EndpointInput {
    fn from(b: EndpointBody) -> Self {
        EndpointInput { name: b.name, url: b.url, format: b.format, events: b.events, active: b.active }
    }
}

/// The delivery a test made.
#[derive(Serialize, ToSchema)]
pub struct TestSent {
    pub delivery_id: i64,
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct DeliveriesQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Every webhook endpoint (admins only).
#[utoipa::path(get, path = "/api/v1/webhooks", tag = "webhooks",
    responses((status = 200, body = Vec<WebhookEndpoint>), (status = 403, body = ErrorBody)))]
pub async fn list_endpoints(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<Vec<WebhookEndpoint>>> {
    Ok(Json(webhooks::list(&state.db, &user.caller()).await?))
}

/// Adds an endpoint with a new signing secret (admins only); bad fields → 422 naming each.
#[utoipa::path(post, path = "/api/v1/webhooks", tag = "webhooks", request_body = EndpointBody,
    responses((status = 201, body = WebhookEndpoint), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_endpoint(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<EndpointBody>,
) -> ApiResult<(StatusCode, Json<WebhookEndpoint>)> {
    let caller = user.caller();
    let id = webhooks::create(&state.db, &caller, &body.into()).await?;
    Ok((StatusCode::CREATED, Json(webhooks::get(&state.db, &caller, id).await?)))
}

/// One endpoint, with its signing secret (admins only).
#[utoipa::path(get, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    responses((status = 200, body = WebhookEndpoint), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_endpoint(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<WebhookEndpoint>> {
    Ok(Json(webhooks::get(&state.db, &user.caller(), id).await?))
}

/// Changes an endpoint's settings (admins only); its secret stays.
#[utoipa::path(put, path = "/api/v1/webhooks/{id}", tag = "webhooks", request_body = EndpointBody,
    responses((status = 200, body = WebhookEndpoint), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_endpoint(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<EndpointBody>,
) -> ApiResult<Json<WebhookEndpoint>> {
    let caller = user.caller();
    webhooks::update(&state.db, &caller, id, &body.into()).await?;
    Ok(Json(webhooks::get(&state.db, &caller, id).await?))
}

/// Removes an endpoint and its delivery log (admins only).
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_endpoint(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    webhooks::delete(&state.db, &user.caller(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sends a test message to the endpoint, even one switched off (admins only); its result shows
/// in the delivery log.
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/test", tag = "webhooks",
    responses((status = 202, body = TestSent), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn send_test(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<(StatusCode, Json<TestSent>)> {
    let delivery_id = webhooks::send_test(&state.db, &user.caller(), &state.jobs, id).await?;
    Ok((StatusCode::ACCEPTED, Json(TestSent { delivery_id })))
}

/// Gives the endpoint a new signing secret (admins only); the old one stops working at once.
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/secret", tag = "webhooks",
    responses((status = 200, body = WebhookEndpoint), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn new_secret(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<WebhookEndpoint>> {
    let caller = user.caller();
    webhooks::new_secret(&state.db, &caller, id).await?;
    Ok(Json(webhooks::get(&state.db, &caller, id).await?))
}

/// What was sent to the endpoint and how it went, the newest first (admins only).
#[utoipa::path(get, path = "/api/v1/webhooks/{id}/deliveries", tag = "webhooks", params(DeliveriesQuery),
    responses((status = 200, body = Paged<WebhookDelivery>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_deliveries(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<DeliveriesQuery>,
) -> ApiResult<Json<Paged<WebhookDelivery>>> {
    let params = PageParams { page: q.page, per_page: q.per_page };
    let (items, total) = webhooks::deliveries(&state.db, &user.caller(), id, params.page()).await?;
    Ok(Json(params.paged(items, total)))
}
