//! API for the signed-in person's notifications.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiJson, ApiQuery, PageParams};
use crate::store::notifications::Notification;
use crate::web::auth::ApiUser;
use crate::web::error::ApiResult;
use crate::web::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_notifications))
        .routes(routes!(mark_read))
        .routes(routes!(get_settings, save_settings))
}

/// How you hear of one kind of notification.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct DeliveryChoice {
    /// mention or my_requests
    pub kind: String,
    /// in_app, email, daily or weekly
    pub delivery: String,
}

/// How you hear of each kind of notification (everything is in Bridge too).
#[utoipa::path(get, path = "/api/v1/notifications/settings", tag = "notifications",
    responses((status = 200, body = Vec<DeliveryChoice>)))]
pub async fn get_settings(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<Vec<DeliveryChoice>>> {
    let current = crate::ops::notify::settings(&state.db, &user.caller()).await?;
    Ok(Json(
        current
            .into_iter()
            .map(|(k, d)| DeliveryChoice { kind: k.as_str().into(), delivery: d.as_str().into() })
            .collect(),
    ))
}

/// Changes how you hear of the kinds given (others stay as they are); an unknown kind or
/// delivery → 422 and nothing is saved.
#[utoipa::path(put, path = "/api/v1/notifications/settings", tag = "notifications", request_body = Vec<DeliveryChoice>,
    responses((status = 200, body = Vec<DeliveryChoice>), (status = 422, body = crate::web::error::ErrorBody)))]
pub async fn save_settings(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(choices): ApiJson<Vec<DeliveryChoice>>,
) -> ApiResult<Json<Vec<DeliveryChoice>>> {
    let pairs: Vec<(String, String)> = choices.into_iter().map(|c| (c.kind, c.delivery)).collect();
    crate::ops::notify::save_settings(&state.db, &user.caller(), &pairs).await?;
    get_settings(State(state), ApiUser(user)).await
}

/// Your notifications, newest first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", params(PageParams),
    responses((status = 200, body = Vec<Notification>)))]
pub async fn list_notifications(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<PageParams>,
) -> ApiResult<Json<Vec<Notification>>> {
    Ok(Json(state.db.list_notifications(user.account_id, p.page()).await?))
}

#[derive(Deserialize, ToSchema, Default)]
pub struct MarkRead {
    /// One notification; absent marks all as read.
    pub id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct Marked {
    pub marked: u64,
}

#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "notifications", request_body = MarkRead,
    responses((status = 200, body = Marked)))]
pub async fn mark_read(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<MarkRead>,
) -> ApiResult<Json<Marked>> {
    Ok(Json(Marked { marked: state.db.mark_read(user.account_id, body.id).await? }))
}
