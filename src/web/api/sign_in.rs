//! API for the sign-in settings (administrators): who may use a password once single sign-on is
//! set up, and whether the provider's people get an account at their first sign-in.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ApiJson;
use crate::ops::sso;
use crate::store::sso::SignInSettings;
use crate::web::auth::ApiUser;
use crate::web::error::{ApiResult, ErrorBody};
use crate::web::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_settings, save_settings))
}

/// Who may sign in how.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct SignInSettingsBody {
    /// `everyone`, or `break_glass:<account id>`: only that administrator (single sign-on must be set up).
    #[serde(default)]
    pub password_sign_in: String,
    /// `off`, or the role a person gets at their first single sign-on: viewer, business or it.
    #[serde(default)]
    pub new_accounts: String,
    /// Whether single sign-on is set up on this server (read only).
    #[serde(default)]
    pub sso_set_up: bool,
}

fn body(state: &AppState, s: SignInSettings) -> SignInSettingsBody {
    SignInSettingsBody {
        password_sign_in: s.password.as_code(),
        new_accounts: s.new_accounts.as_code().into(),
        sso_set_up: state.sso.is_some(),
    }
}

/// The sign-in settings (admins only).
#[utoipa::path(get, path = "/api/v1/sign-in-settings", tag = "accounts",
    responses((status = 200, body = SignInSettingsBody), (status = 403, body = ErrorBody)))]
pub async fn get_settings(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<SignInSettingsBody>> {
    let s = sso::settings(&state.db, &user.caller()).await?;
    Ok(Json(body(&state, s)))
}

/// Changes the sign-in settings (admins only); a code that is not one, password sign-in off
/// without single sign-on, or an emergency account that is not an enabled administrator → 422.
#[utoipa::path(put, path = "/api/v1/sign-in-settings", tag = "accounts", request_body = SignInSettingsBody,
    responses((status = 200, body = SignInSettingsBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_settings(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(b): ApiJson<SignInSettingsBody>,
) -> ApiResult<Json<SignInSettingsBody>> {
    let s = sso::save_settings(&state.db, &user.caller(), state.sso.is_some(), &b.password_sign_in, &b.new_accounts)
        .await?;
    Ok(Json(body(&state, s)))
}
