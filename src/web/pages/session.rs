//! Sign-in and sign-out, with a slow-down after repeated failures.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use bridge_domain::org::normalise_email;
use bridge_domain::sso::PasswordSignIn;
use bridge_domain::Error;
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
    Routes::new()
        .get("/login", login_form)
        .post("/login", login)
        .post("/logout", logout)
        .get("/login/sso", sso_start)
        .get("/login/sso/callback", sso_callback)
}

/// The cookie that ties a single sign-on to the browser that started it.
const SSO_STATE_COOKIE: &str = "bridge_sso";

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
    /// "Sign in with <name>" when single sign-on is set up.
    sso_name: Option<String>,
    /// Whether everyone may sign in with a password (else the form is folded away for the
    /// break-glass administrator).
    passwords_for_all: bool,
    /// Just signed out.
    signed_out: bool,
}

#[derive(Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
    /// `signed_out` after signing out.
    #[serde(default)]
    done: String,
}

fn safe_next(next: &str) -> String {
    local_next(next, "/")
}

async fn login_page(
    state: &AppState,
    csrf: Option<String>,
    next: &str,
    email: &str,
    said: Said,
    status: axum::http::StatusCode,
) -> Response {
    let csrf = csrf.unwrap_or_else(|| secrets::new_secret(""));
    let (error, signed_out) = match said {
        Said::Nothing => (None, false),
        Said::SignedOut => (None, true),
        Said::Refused(why) => (Some(why), false),
    };
    let page = LoginPage {
        layout: Layout::anonymous("Sign in"),
        csrf: csrf.clone(),
        next: safe_next(next),
        email: email.into(),
        error,
        sso_name: state.sso.as_ref().map(|s| s.name.clone()),
        passwords_for_all: password_policy(state).await == PasswordSignIn::Everyone,
        signed_out,
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
    let said = if q.done == "signed_out" { Said::SignedOut } else { Said::Nothing };
    login_page(&state, cookie_value(&headers, LOGIN_CSRF_COOKIE), &q.next, "", said, axum::http::StatusCode::OK).await
}

/// What the sign-in page says above its form.
enum Said {
    Nothing,
    SignedOut,
    /// Why the last sign-in did not go through.
    Refused(String),
}

/// Who may sign in with a password: everyone unless single sign-on is set up and an
/// administrator turned passwords off (a setting that cannot be read leaves them on).
async fn password_policy(state: &AppState) -> PasswordSignIn {
    if state.sso.is_none() {
        return PasswordSignIn::Everyone;
    }
    state.db.sign_in_settings().await.map_or(PasswordSignIn::Everyone, |s| s.password)
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
        login_page(&state, Some(cookie_csrf.clone()), &form.next, &form.email, Said::Refused(error), status)
    };
    if check_csrf(&form.csrf, &cookie_csrf).is_err() {
        return retry("The sign-in form had expired. Please try again.".into(), axum::http::StatusCode::FORBIDDEN)
            .await;
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
            )
            .await);
        }
        let record = state.db.login_record(&email).await?;
        let hash = record.as_ref().map(|r| r.password_hash.clone());
        let ok = secrets::verify_password(form.password.clone(), hash).await;
        let policy = password_policy(&state).await;
        let record = match record {
            Some(r) if ok && r.disabled_at.is_none() && policy.allows(r.account_id) => r,
            _ => {
                state.db.record_login_failure(&email, lockout_ms).await?;
                // One message whether the email is unknown, the password wrong or passwords are off
                // for the account: no account discovery, and no telling a right guess from a wrong one.
                let refusal = match (policy, &state.sso) {
                    (PasswordSignIn::OnlyBreakGlass(_), Some(sso)) => format!(
                        "That email and password do not match an account that may sign in with a password. \
                         Use “Sign in with {}”.",
                        sso.name
                    ),
                    _ => "That email and password do not match an account.".into(),
                };
                return Ok(retry(refusal, axum::http::StatusCode::UNAUTHORIZED).await);
            }
        };
        state.db.clear_login_failures(&email).await?;
        let token = secrets::new_secret("");
        let csrf = secrets::new_secret("");
        state.db.create_session(record.account_id, &secrets::secret_hash(&token), &csrf, None).await?;
        Ok(signed_in(&state, &token, &safe_next(&form.next)))
    }
    .await;
    result.unwrap_or_else(|e| PageError(e).into_response())
}

/// On to `next` with the new session's cookie.
fn signed_in(state: &AppState, token: &str, next: &str) -> Response {
    let mut response = Redirect::to(next).into_response();
    let max_age = crate::store::accounts::SESSION_TTL_MS / 1000;
    if let Ok(v) = set_cookie(SESSION_COOKIE, token, max_age, state.config.secure_cookies).parse() {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

/// "Sign in with …": off to the provider, with the state in a cookie of this browser.
pub async fn sso_start(State(state): State<AppState>, Query(q): Query<NextQuery>) -> Response {
    let Some(sso) = state.sso.clone() else {
        return PageError(Error::not_found("Single sign-on (it is not set up on this server)")).into_response();
    };
    match sso.start(&state.db, &safe_next(&q.next)).await {
        Ok(started) => {
            let mut response = Redirect::to(&started.url).into_response();
            let max_age = crate::store::sso::SSO_LOGIN_TTL_MS / 1000;
            if let Ok(v) = set_cookie(SSO_STATE_COOKIE, &started.state, max_age, state.config.secure_cookies).parse() {
                response.headers_mut().append(header::SET_COOKIE, v);
            }
            response
        }
        Err(e) => PageError(e).into_response(),
    }
}

/// The provider sends the browser back here with a code; a refusal is a sign-in page saying why.
pub async fn sso_callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(cb): Query<crate::ops::sso::Callback>,
) -> Response {
    let Some(sso) = state.sso.clone() else {
        return PageError(Error::not_found("Single sign-on (it is not set up on this server)")).into_response();
    };
    let browser_state = cookie_value(&headers, SSO_STATE_COOKIE);
    let outcome = async {
        let done = sso.finish(&state.db, browser_state.as_deref(), &cb).await?;
        let token = secrets::new_secret("");
        let csrf = secrets::new_secret("");
        let hash = secrets::secret_hash(&token);
        state.db.create_session(done.account_id, &hash, &csrf, Some(&done.id_token)).await?;
        Ok::<_, Error>(signed_in(&state, &token, &safe_next(&done.next)))
    }
    .await;
    let mut response = match outcome {
        Ok(response) => response,
        Err(e @ (Error::Unauthorized(_) | Error::Forbidden(_))) => {
            let status =
                if matches!(e, Error::Forbidden(_)) { StatusCode::FORBIDDEN } else { StatusCode::UNAUTHORIZED };
            let message = format!("Sign-in failed. {e}");
            login_page(&state, cookie_value(&headers, LOGIN_CSRF_COOKIE), "/", "", Said::Refused(message), status).await
        }
        Err(e) => PageError(e).into_response(),
    };
    // The state is used up either way.
    if let Ok(v) = set_cookie(SSO_STATE_COOKIE, "", 0, state.config.secure_cookies).parse() {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

#[derive(Template)]
#[template(path = "signed_out.html")]
struct SignedOutPage {
    layout: Layout,
    provider: String,
    url: String,
}

pub async fn logout(
    State(state): State<AppState>,
    user: Option<axum::Extension<CurrentUser>>,
    body: axum::body::Bytes,
) -> Response {
    let mut provider_logout = None;
    if let Some(axum::Extension(user)) = user {
        if let Err(e) = check_csrf_field(&body, &user.csrf) {
            return PageError(e).into_response();
        }
        if let Some(hash) = &user.session_hash {
            if let (Some(sso), Ok(Some(id_token))) = (&state.sso, state.db.session_id_token(hash).await) {
                provider_logout = sso.logout_url(&id_token).await.map(|url| (sso.name.clone(), url));
            }
            if let Err(e) = state.db.delete_session(hash).await {
                return PageError(e).into_response();
            }
        }
    }
    // Signed in through the provider: signed out there too. A page that moves on by itself
    // rather than a redirect, which the pages' form-action policy would stop.
    let mut response = match provider_logout {
        Some((provider, url)) => render(&SignedOutPage { layout: Layout::anonymous("Signing you out"), provider, url }),
        None => Redirect::to("/login?done=signed_out").into_response(),
    };
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
