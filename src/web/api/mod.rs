//! The JSON API under `/api/v1`: bearer tokens, errors as `{"error": {code, message, fields}}`,
//! paginated lists, optimistic concurrency through `version`, and an OpenAPI document built from
//! the handlers' annotations.

pub mod admin;
mod contract;
pub mod directory;
pub mod engagement;
pub mod intake;
pub mod jobs;
pub mod language;
pub mod learning;
pub mod notifications;
pub mod sign_in;
pub mod value;
pub mod webhooks;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use bridge_domain::Error;
use serde::de::DeserializeOwned;
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;

use super::error::{api_bad_request, ApiError};
use super::AppState;

/// The API: every area's router, each registering and documenting its operations in the same
/// line (`routes!`), merged with the document they make together at `/api/v1/openapi.json`.
pub fn router() -> Router<AppState> {
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(directory::router())
        .merge(admin::router())
        .merge(language::router())
        .merge(intake::router())
        .merge(notifications::router())
        .merge(jobs::router())
        .merge(webhooks::router())
        .merge(sign_in::router())
        .merge(value::router())
        .merge(engagement::router())
        .merge(learning::router())
        .merge(learning::radar_router())
        .merge(learning::principles_router())
        .split_for_parts();
    contract::document_errors(&mut doc);
    let json = doc.to_json().expect("the OpenAPI document serializes");
    router.route(
        "/api/v1/openapi.json",
        get(move || async move { ([(header::CONTENT_TYPE, "application/json")], json.clone()) }),
    )
}

/// Path parameters whose problems (`/people/abc`) are answered in the API's error format. Named
/// `Path` like axum's, so the OpenAPI document lists the parameters from the handler's signature.
pub struct Path<T>(pub T);

/// A file refused for its rows: 422 with `fields` holding one message per line (`"line 4": "…"`).
pub fn rows_refused<'a>(rows: impl IntoIterator<Item = (usize, &'a str)>) -> crate::web::error::ApiError {
    let fields: bridge_domain::FieldErrors =
        rows.into_iter().map(|(line, reason)| (format!("line {line}"), reason.to_string())).collect();
    crate::web::error::ApiError(bridge_domain::Error::Validation {
        message: format!("{} rows have problems; nothing was imported.", fields.len()),
        fields,
    })
}

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Path(p.0))
            .map_err(|r| api_bad_request(r.body_text()))
    }
}

/// A JSON body whose problems are answered in the API's error format (400, 413, 415, 422).
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = Response;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => {
                let status = rejection.status();
                if status == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    return Err(ApiError(Error::TooLarge("The request body is too large.".into())).into_response());
                }
                let mut response = api_bad_request(rejection.body_text());
                *response.status_mut() =
                    if status.is_client_error() { status } else { axum::http::StatusCode::BAD_REQUEST };
                Err(response)
            }
        }
    }
}

/// A JSON body read only after the handler has checked who may call it, so a caller who may not
/// gets 403 whatever they sent, never a 422 that tells them about the body's shape.
pub struct CheckedJson<T>(Result<T, Response>);

impl<T> CheckedJson<T> {
    /// Runs `handle` with the body once `allowed` has passed: a caller who may not gets its 403
    /// first; then the body's problems are answered (400, 413, 415, 422), then `handle`'s.
    pub async fn after<R, F, Fut>(self, allowed: Result<(), Error>, handle: F) -> Response
    where
        F: FnOnce(T) -> Fut,
        Fut: std::future::Future<Output = Result<R, ApiError>>,
        R: IntoResponse,
    {
        if let Err(e) = allowed {
            return ApiError(e).into_response();
        }
        match self.0 {
            Err(rejection) => rejection,
            Ok(body) => match handle(body).await {
                Ok(r) => r.into_response(),
                Err(e) => e.into_response(),
            },
        }
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for CheckedJson<T> {
    type Rejection = std::convert::Infallible;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Ok(CheckedJson(ApiJson::<T>::from_request(req, state).await.map(|j| j.0)))
    }
}

/// A query string whose problems are answered in the API's error format.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|r| api_bad_request(r.body_text()))
    }
}

/// One page of a list.
#[derive(Serialize, ToSchema)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    /// Searches only: when the words given found nothing, the words searched for instead (each
    /// word no request contains replaced by the nearest one that some request does).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub searched_for: Option<String>,
}

#[derive(serde::Deserialize, utoipa::IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Rows per page, 1 to 200 (default 50).
    pub per_page: Option<i64>,
}

impl PageParams {
    pub fn page(&self) -> crate::store::Page {
        crate::store::Page::new(self.page, self.per_page)
    }
    pub fn paged<T>(&self, items: Vec<T>, total: i64) -> Paged<T> {
        let p = self.page();
        Paged { items, total, page: p.offset / p.limit + 1, per_page: p.limit, searched_for: None }
    }
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Bridge API", version = "1", description = "Where IT and the business work together. Authenticate with a personal API token: `Authorization: Bearer <token>`. Errors answer `{\"error\": {\"code\", \"message\", \"fields\"}}`."),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    components(schemas(super::error::ErrorBody, super::error::ErrorDetail))
)]
pub struct ApiDoc;
