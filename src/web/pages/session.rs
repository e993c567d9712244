//! Sign-in and sign-out, with a slow-down after repeated failures.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use bridge_domain::org::normalise_email;
use serde::Deserialize;

use super::{render, Layout};
use crate::secrets;
use crate::web::auth::{
    check_csrf, check_csrf_field, cookie_value, local_next, set_cookie, CurrentUser, LOGIN_CSRF_COOKIE, SESSION_COOKIE,
};
use crate::web::error::PageError;
use crate::web::routes::Routes;
use crate::web::AppState;

pub fn routes() -> Routes {
    Routes::new().get("/login", login_form).post("/login", login).post("/logout", logout)
}

/// Failures in a row before sign-ins for that email pause.
pub const FREE_FAILURES: i64 = 5;

/// How long sign-ins pause after `failures` failures in a row: 30 s, doubling, at most 15 minutes.
pub fn lockout_ms(failures: i64) -> i64 {
    if failures < FREE_FAILURES {
        return 0;
    }
    let doublings = (failures - FREE_FAILURES).min(5) as u32;
    (30_000i64 << doublings).min(15 * 60 * 1000)
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    csrf: String,
    next: String,
    email: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

fn safe_next(next: &str) -> String {
    local_next(next, "/")
}

fn login_page(
    state: &AppState,
    csrf: Option<String>,
    next: &str,
    email: &str,
    error: Option<String>,
    status: axum::http::StatusCode,
) -> Response {
    let csrf = csrf.unwrap_or_else(|| secrets::new_secret(""));
    let page = LoginPage {
        layout: Layout::anonymous("Sign in"),
        csrf: csrf.clone(),
        next: safe_next(next),
        email: email.into(),
        error,
    };
    let mut response = render(&page);
    *response.status_mut() = status;
    if let Ok(v) = set_cookie(LOGIN_CSRF_COOKIE, &csrf, 3600, state.config.secure_cookies).parse() {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

pub async fn login_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
    user: Option<axum::Extension<CurrentUser>>,
) -> Response {
    if user.is_some() {
        return Redirect::to(&safe_next(&q.next)).into_response();
    }
    login_page(&state, cookie_value(&headers, LOGIN_CSRF_COOKIE), &q.next, "", None, axum::http::StatusCode::OK)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn login(State(state): State<AppState>, headers: HeaderMap, Form(form): Form<LoginForm>) -> Response {
    let cookie_csrf = cookie_value(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    let email = normalise_email(&form.email);
    let retry = |error: String, status| {
        login_page(&state, Some(cookie_csrf.clone()), &form.next, &form.email, Some(error), status)
    };
    if check_csrf(&form.csrf, &cookie_csrf).is_err() {
        return retry("The sign-in form had expired. Please try again.".into(), axum::http::StatusCode::FORBIDDEN);
    }
    let result: Result<Response, bridge_domain::Error> = async {
        let now = crate::store::now_ms();
        let locked_until = state.db.locked_until(&email).await?;
        if locked_until > now {
            let minutes = ((locked_until - now) as f64 / 60_000.0).ceil() as i64;
            return Ok(retry(
                format!(
                    "Too many failed sign-ins for this email. Wait {minutes} minute{} and try again.",
                    if minutes == 1 { "" } else { "s" }
                ),
                axum::http::StatusCode::TOO_MANY_REQUESTS,
            ));
        }
        let record = state.db.login_record(&email).await?;
        let hash = record.as_ref().map(|r| r.password_hash.clone());
        let ok = secrets::verify_password(form.password.clone(), hash).await;
        let record = match record {
            Some(r) if ok && r.disabled_at.is_none() => r,
            _ => {
                state.db.record_login_failure(&email, lockout_ms).await?;
                // One message whether the email is unknown or the password wrong: no account discovery.
                return Ok(retry(
                    "That email and password do not match an account.".into(),
                    axum::http::StatusCode::UNAUTHORIZED,
                ));
            }
        };
        state.db.clear_login_failures(&email).await?;
        let token = secrets::new_secret("");
        let csrf = secrets::new_secret("");
        state.db.create_session(record.account_id, &secrets::secret_hash(&token), &csrf).await?;
        let mut response = Redirect::to(&safe_next(&form.next)).into_response();
        let max_age = crate::store::accounts::SESSION_TTL_MS / 1000;
        if let Ok(v) = set_cookie(SESSION_COOKIE, &token, max_age, state.config.secure_cookies).parse() {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
        Ok(response)
    }
    .await;
    result.unwrap_or_else(|e| PageError(e).into_response())
}

pub async fn logout(
    State(state): State<AppState>,
    user: Option<axum::Extension<CurrentUser>>,
    body: axum::body::Bytes,
) -> Response {
    if let Some(axum::Extension(user)) = user {
        if let Err(e) = check_csrf_field(&body, &user.csrf) {
            return PageError(e).into_response();
        }
        if let Some(hash) = &user.session_hash {
            if let Err(e) = state.db.delete_session(hash).await {
                return PageError(e).into_response();
            }
        }
    }
    let mut response = Redirect::to("/login").into_response();
    if let Ok(v) = set_cookie(SESSION_COOKIE, "", 0, state.config.secure_cookies).parse() {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lockout_grows_and_caps() {
        assert_eq!(lockout_ms(4), 0);
        assert_eq!(lockout_ms(5), 30_000);
        assert_eq!(lockout_ms(6), 60_000);
        assert_eq!(lockout_ms(50), 15 * 60 * 1000);
    }
}
