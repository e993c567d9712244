//! API for accounts, tokens and the audit log.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use bridge_domain::org::normalise_email;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiJson, ApiQuery, CheckedJson, PageParams, Paged, Path};
use crate::ops::accounts;
use crate::store::accounts::{Account, ApiToken};
use crate::store::audit::{AuditEntry, AuditFilter};
use crate::web::auth::ApiUser;
use crate::web::error::{ApiResult, ErrorBody};
use crate::web::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_accounts, create_account))
        .routes(routes!(update_account))
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
        .routes(routes!(list_audit))
}

/// All accounts (admins only).
#[utoipa::path(get, path = "/api/v1/accounts", tag = "admin", responses((status = 200, body = Vec<Account>), (status = 403, body = ErrorBody)))]
pub async fn list_accounts(State(state): State<AppState>, ApiUser(user): ApiUser) -> ApiResult<Json<Vec<Account>>> {
    user.require_admin()?;
    Ok(Json(state.db.list_accounts().await?))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct NewAccount {
    /// Email of a person already in the directory.
    pub email: String,
    /// admin, it, business or viewer
    pub role: String,
    /// At least 10 characters.
    pub password: String,
}

/// Gives a person in the directory an account (admins only).
#[utoipa::path(post, path = "/api/v1/accounts", tag = "admin", request_body = NewAccount,
    responses((status = 201, body = Account), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_account(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<NewAccount>,
) -> ApiResult<(StatusCode, Json<Account>)> {
    let email = normalise_email(&body.email);
    let id = accounts::create_account(&state.db, &user.caller(), &email, &body.role, body.password).await?;
    Ok((StatusCode::CREATED, Json(state.db.get_account(id).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct AccountChange {
    pub role: String,
    #[serde(default)]
    pub disabled: bool,
    /// The version you read; a stale one gets 409.
    pub version: i64,
}

/// Changes an account's role or disables it (admins only).
#[utoipa::path(put, path = "/api/v1/accounts/{id}", tag = "admin", request_body = AccountChange,
    responses((status = 200, body = Account), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn update_account(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: CheckedJson<AccountChange>,
) -> Response {
    body.after(user.require_admin(), |body| async move {
        accounts::change_account(&state.db, &user.caller(), id, &body.role, body.version, body.disabled).await?;
        Ok(Json(state.db.get_account(id).await?))
    })
    .await
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct TokenQuery {
    /// Admins only: list everyone's tokens.
    pub all: Option<bool>,
}

/// Your API tokens (or everyone's, for admins with `all=true`). Secrets are never shown again.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "admin", params(TokenQuery), responses((status = 200, body = Vec<ApiToken>)))]
pub async fn list_tokens(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<TokenQuery>,
) -> ApiResult<Json<Vec<ApiToken>>> {
    let scope = if q.all.unwrap_or(false) {
        user.require_admin()?;
        None
    } else {
        Some(user.account_id)
    };
    Ok(Json(state.db.list_tokens(scope).await?))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct NewToken {
    /// What the token is for.
    pub label: String,
    /// Days until it stops working (1–3650); leave out for no expiry.
    pub expires_in_days: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedToken {
    pub token: String,
}

/// Creates a token for yourself. The secret is in this answer only.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "admin", request_body = NewToken, responses((status = 201, body = CreatedToken), (status = 422, body = ErrorBody)))]
pub async fn create_token(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<NewToken>,
) -> ApiResult<(StatusCode, Json<CreatedToken>)> {
    let token =
        accounts::create_token(&state.db, &user.actor(), user.account_id, &body.label, body.expires_in_days).await?;
    Ok((StatusCode::CREATED, Json(CreatedToken { token })))
}

/// Revokes a token: yours, or anyone's for admins. It stops working at once.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "admin", responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    accounts::revoke_token(&state.db, &user.caller(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// person, unit, team, account, token, …
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The audit log, newest first (admins only).
#[utoipa::path(get, path = "/api/v1/audit", tag = "admin", params(AuditQuery), responses((status = 200, body = Paged<AuditEntry>), (status = 403, body = ErrorBody)))]
pub async fn list_audit(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Json<Paged<AuditEntry>>> {
    user.require_admin()?;
    let filter = AuditFilter { entity: q.entity, entity_id: q.entity_id, actor_id: q.actor_id };
    let pages = PageParams { page: q.page, per_page: q.per_page };
    let (items, total) = state.db.list_audit(&filter, pages.page()).await?;
    Ok(Json(pages.paged(items, total)))
}
