//! Who is asking: sessions (cookies) for pages, bearer tokens for the API, roles, and CSRF checks.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use bridge_domain::audit::{Actor, Via};
use bridge_domain::org::{Role, Side};
use bridge_domain::Error;
use serde::de::DeserializeOwned;

use super::error::{ApiError, PageError};
use super::AppState;
use crate::secrets;
use crate::store::accounts::SignedIn;

pub const SESSION_COOKIE: &str = "bridge_session";
/// Before sign-in there is no session to hold a CSRF token, so the login form uses a cookie pair.
pub const LOGIN_CSRF_COOKIE: &str = "bridge_login";
pub const CSRF_FIELD: &str = "_csrf";

/// The signed-in person, whichever way they proved it.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub account_id: i64,
    pub person_id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub side: Side,
    pub csrf: String,
    pub via: Via,
    /// Hash of the session token, so sign-out can end exactly this session.
    pub session_hash: Option<String>,
    /// Unread notifications, counted for pages (the header shows them); 0 for the API.
    pub unread: i64,
    /// The zone they read times in, when they chose one.
    pub time_zone: Option<String>,
}

impl CurrentUser {
    fn from_row(row: SignedIn, via: Via, session_hash: Option<String>) -> CurrentUser {
        CurrentUser {
            account_id: row.account_id,
            person_id: row.person_id,
            name: row.name,
            email: row.email,
            role: row.role,
            side: row.side,
            csrf: row.csrf,
            via,
            session_hash,
            unread: row.unread,
            time_zone: row.time_zone,
        }
    }

    /// The zone they read times in (None: each event's own).
    pub fn zone(&self) -> Option<chrono_tz::Tz> {
        crate::ops::learning::reader_zone(self.time_zone.as_deref())
    }

    pub fn actor(&self) -> Actor {
        Actor { account_id: Some(self.account_id), name: self.name.clone(), via: self.via }
    }

    /// Who is asking, for the use cases in `ops`.
    pub fn caller(&self) -> crate::ops::Caller {
        crate::ops::Caller { role: self.role, person_id: Some(self.person_id), actor: self.actor() }
    }

    pub fn require_write(&self) -> Result<(), Error> {
        self.caller().require_write()
    }

    pub fn require_admin(&self) -> Result<(), Error> {
        self.caller().require_admin()
    }
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    cookie(headers, name).map(str::to_string)
}

/// A `Set-Cookie` value: HttpOnly and SameSite=Lax always, Secure when configured for HTTPS.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// How long a server trusts what it learnt about a session or token. Changes made through this
/// server (sign-out, revocation, disabling) take effect at once; through another server, within this.
const AUTH_CACHE_TTL: Duration = Duration::from_secs(1);
const AUTH_CACHE_MAX: usize = 10_000;

/// Recent credential look-ups (hash of the secret → who, or nobody), so a busy client does not cost
/// a database query per request.
#[derive(Default)]
pub struct AuthCache {
    entries: Mutex<HashMap<String, (Instant, Option<SignedIn>)>>,
}

impl AuthCache {
    fn get(&self, hash: &str) -> Option<Option<SignedIn>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.get(hash).filter(|(at, _)| at.elapsed() < AUTH_CACHE_TTL).map(|(_, who)| who.clone())
    }

    fn put(&self, hash: String, who: Option<SignedIn>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= AUTH_CACHE_MAX {
            entries.retain(|_, (at, _)| at.elapsed() < AUTH_CACHE_TTL);
            if entries.len() >= AUTH_CACHE_MAX {
                entries.clear();
            }
        }
        entries.insert(hash, (Instant::now(), who));
    }

    /// Forgets everything: after any change, which may have been a sign-out, a revocation or a role change.
    pub fn clear(&self) {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

async fn who(state: &AppState, hash: &str, bearer: bool) -> Result<Option<SignedIn>, Error> {
    if let Some(hit) = state.auth_cache.get(hash) {
        return Ok(hit);
    }
    let found = if bearer { state.db.token_user(hash).await? } else { state.db.session_user(hash).await? };
    state.auth_cache.put(hash.to_string(), found.clone());
    Ok(found)
}

/// Middleware: finds who is asking (bearer token first, then session cookie) and stores it in the
/// request's extensions for the extractors below. A bad credential is simply "nobody"; the
/// extractors decide whether that is acceptable.
pub async fn load_user(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let headers = req.headers();
    let via_token = headers.contains_key(header::AUTHORIZATION);
    let user = if let Some(auth) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        match auth.strip_prefix("Bearer ") {
            Some(token) => {
                let hash = secrets::secret_hash(token.trim());
                match who(&state, &hash, true).await {
                    Ok(row) => row.map(|r| CurrentUser::from_row(r, Via::Api, None)),
                    Err(e) => return ApiError(e).into_response(),
                }
            }
            None => None,
        }
    } else if let Some(token) = cookie(headers, SESSION_COOKIE) {
        let hash = secrets::secret_hash(token);
        match who(&state, &hash, false).await {
            Ok(row) => row.map(|r| CurrentUser::from_row(r, Via::Web, Some(hash))),
            Err(e) => return PageError(e).into_response(),
        }
    } else {
        None
    };
    if let Some(user) = user {
        req.extensions_mut().insert(user);
    }
    let changes = !req.method().is_safe();
    // A token's holder is what its account and person are: only a change to those (or to the
    // token) can change who a cached token is. Pages forget every session (sign-outs, unread).
    let identity_kept = via_token && !changes_identity(req.uri().path());
    let response = next.run(req).await;
    if changes {
        match identity_kept {
            true => state.read_models_changed(),
            false => state.after_change(),
        }
    }
    response
}

/// The API's paths where a write may change who a token's holder is (their account, person,
/// role or tokens).
fn changes_identity(path: &str) -> bool {
    const IDENTITY: [&str; 6] =
        ["/api/v1/tokens", "/api/v1/accounts", "/api/v1/people", "/api/v1/me", "/api/v1/sign-in", "/api/v1/units"];
    !path.starts_with("/api/v1/") || IDENTITY.iter().any(|p| path.starts_with(p))
}

/// A signed-in person on a page; anyone else is sent to the sign-in page.
pub struct PageUser(pub CurrentUser);

impl<S: Send + Sync> FromRequestParts<S> for PageUser {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<CurrentUser>() {
            Some(u) if u.via == Via::Web => Ok(PageUser(u.clone())),
            _ => {
                let next = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
                let target = format!("/login?next={}", url_encode(next));
                Err(Redirect::to(&target).into_response())
            }
        }
    }
}

/// A caller of the API with a valid bearer token; anyone else gets 401.
pub struct ApiUser(pub CurrentUser);

impl<S: Send + Sync> FromRequestParts<S> for ApiUser {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<CurrentUser>() {
            Some(u) if u.via == Via::Api => Ok(ApiUser(u.clone())),
            _ => Err(ApiError(Error::Unauthorized(
                "Send a valid API token as 'Authorization: Bearer …'. Tokens that are revoked or expired no longer work.".into(),
            ))),
        }
    }
}

/// A url-encoded form from a signed-in person, accepted only with the session's CSRF token.
pub struct CsrfForm<T>(pub PageUser, pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for CsrfForm<T> {
    type Rejection = Response;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let user = PageUser::from_request_parts(&mut parts, state).await?;
        let bytes =
            Bytes::from_request(Request::from_parts(parts, body), state).await.map_err(IntoResponse::into_response)?;
        check_csrf_field(&bytes, &user.0.csrf).map_err(|e| PageError(e).into_response())?;
        let form = serde_html_form::from_bytes::<T>(&bytes)
            .map_err(|e| PageError(Error::field("form", format!("The form could not be read: {e}"))).into_response())?;
        Ok(CsrfForm(user, form))
    }
}

/// Checks the `_csrf` field of a url-encoded body against the expected token.
pub fn check_csrf_field(body: &[u8], expected: &str) -> Result<(), Error> {
    let sent =
        form_urlencoded::parse(body).find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v.into_owned()).unwrap_or_default();
    check_csrf(&sent, expected)
}

pub fn check_csrf(sent: &str, expected: &str) -> Result<(), Error> {
    if !expected.is_empty() && secrets::same(sent, expected) {
        Ok(())
    } else {
        Err(Error::forbidden(
            "This form has expired or did not come from Bridge. Go back, reload the page and try again.",
        ))
    }
}

/// Where to go after a form or sign-in: `next` when it is a path on this site, else `fallback`.
/// Every redirect to a `next` that someone else could have written goes through here. Browsers
/// drop tabs and line breaks inside URLs and read `\\` as `/`, so `/<tab>/evil.example` and
/// `/\\evil.example` would leave the site: any control character, space or backslash refuses.
pub fn local_next(next: &str, fallback: &str) -> String {
    let on_site = next.starts_with('/')
        && !next.starts_with("//")
        && !next.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if on_site {
        next.to_string()
    } else {
        fallback.to_string()
    }
}

pub fn url_encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::local_next;

    #[test]
    fn next_stays_on_site() {
        assert_eq!(local_next("/people?q=a", "/"), "/people?q=a");
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example/",
            "/\t/evil.example/",
            "/\n/evil.example",
            "/\r\nSet-Cookie:x=1",
            "/ /evil.example",
            "",
            "evil.example",
        ] {
            assert_eq!(local_next(bad, "/home"), "/home", "{bad:?}");
        }
    }
}
