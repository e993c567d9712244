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
    OpenApiRouter::new().routes(routes!(list_notifications)).routes(routes!(mark_read))
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
