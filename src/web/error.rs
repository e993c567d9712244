//! One domain error, shown two ways: JSON with a stable code for the API, a page for people.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use bridge_domain::Error;
use serde::Serialize;

pub fn status_of(e: &Error) -> StatusCode {
    match e {
        Error::NotFound(_) => StatusCode::NOT_FOUND,
        Error::Forbidden(_) => StatusCode::FORBIDDEN,
        Error::Unauthorized(_) => StatusCode::UNAUTHORIZED,
        Error::Conflict { .. } => StatusCode::CONFLICT,
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
    /// Stable, snake_case: not_found, forbidden, unauthorized, conflict, validation_failed, too_large, bad_request, internal.
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
