//! One domain error, shown two ways: JSON with a stable code for the API, a page for people.
//! Both renderers live here, so neither the API nor the pages need the other.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use bridge_domain::Error;
use serde::Serialize;

use super::auth::CurrentUser;
use super::frame::{render, Layout};

pub fn status_of(e: &Error) -> StatusCode {
    match e {
        Error::NotFound(_) => StatusCode::NOT_FOUND,
        Error::Forbidden(_) => StatusCode::FORBIDDEN,
        Error::Unauthorized(_) => StatusCode::UNAUTHORIZED,
        Error::Conflict { .. } | Error::Stale { .. } => StatusCode::CONFLICT,
        Error::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        Error::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
        Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The message a person may see. Internal details are logged, never shown.
pub fn public_message(e: &Error) -> String {
    match e {
        Error::Internal(detail) => {
            tracing::error!(%detail, "internal error");
            "Something went wrong on our side. Please try again; if it keeps happening, tell your administrator.".into()
        }
        other => other.to_string(),
    }
}

/// The body of every API error: `{"error": {"code", "message", "fields"}}`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable, snake_case: not_found, forbidden, unauthorized, conflict, stale (saved against an old version), validation_failed, too_large, bad_request, internal.
    pub code: String,
    pub message: String,
    /// Field name → message, for validation errors and conflicts on one field.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub fields: std::collections::BTreeMap<String, String>,
}

/// An error answered as JSON.
#[derive(Debug)]
pub struct ApiError(pub Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = status_of(&self.0);
        let fields = match &self.0 {
            Error::Validation { fields, .. } => fields.clone(),
            Error::Conflict { field: Some(f), message } => [(f.clone(), message.clone())].into(),
            _ => Default::default(),
        };
        let body =
            ErrorBody { error: ErrorDetail { code: self.0.code().into(), message: public_message(&self.0), fields } };
        (status, Json(body)).into_response()
    }
}

/// A JSON error that has no domain counterpart (malformed JSON, bad query string).
pub fn api_bad_request(message: String) -> Response {
    let body = ErrorBody { error: ErrorDetail { code: "bad_request".into(), message, fields: Default::default() } };
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

pub type ApiResult<T> = Result<T, ApiError>;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    heading: String,
    message: String,
}

/// An error shown as a page with the right status: 403 "not allowed", 404 "not found", and so on.
#[derive(Debug)]
pub struct PageError(pub Error);

impl From<Error> for PageError {
    fn from(e: Error) -> Self {
        PageError(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = status_of(&self.0);
        let heading = match &self.0 {
            Error::NotFound(_) => "Not found",
            Error::Forbidden(_) => "Not allowed",
            Error::Unauthorized(_) => "Please sign in",
            Error::Conflict { .. } | Error::Stale { .. } => "That could not be done",
            Error::Validation { .. } => "Please check what you sent",
            Error::TooLarge(_) => "Too large",
            Error::Internal(_) => "Something went wrong",
        };
        let page =
            ErrorPage { layout: Layout::anonymous(heading), heading: heading.into(), message: public_message(&self.0) };
        let mut response = render(&page);
        *response.status_mut() = status;
        response
    }
}

/// Like [`PageError`] but keeps the signed-in frame, so the person can navigate on.
pub fn error_page(user: &CurrentUser, e: Error) -> Response {
    let status = status_of(&e);
    let heading = if status == StatusCode::FORBIDDEN {
        "Not allowed"
    } else if status == StatusCode::NOT_FOUND {
        "Not found"
    } else {
        "That could not be done"
    };
    let page =
        ErrorPage { layout: Layout::new(heading, user, ""), heading: heading.into(), message: public_message(&e) };
    let mut response = render(&page);
    *response.status_mut() = status;
    response
}

pub type PageResult = Result<Response, Response>;

/// Turns a domain result into a page result, showing errors inside the signed-in frame.
pub trait OrPage<T> {
    fn or_page(self, user: &CurrentUser) -> Result<T, Response>;
}

impl<T> OrPage<T> for Result<T, Error> {
    fn or_page(self, user: &CurrentUser) -> Result<T, Response> {
        self.map_err(|e| error_page(user, e))
    }
}

pub async fn not_found(req: axum::extract::Request) -> Response {
    let user = req.extensions().get::<CurrentUser>().cloned();
    if req.uri().path().starts_with("/api/") {
        return ApiError(Error::not_found("This API route")).into_response();
    }
    let e = Error::not_found("This page");
    match user {
        Some(u) => error_page(&u, e),
        None => PageError(e).into_response(),
    }
}
