//! Checks every request passes before any handler sees it: writes made with a session cookie must
//! come from Bridge's own pages (the `Origin` header), and text may not hold control characters
//! (query strings, forms and JSON bodies; uploaded files are checked where they are read).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bridge_domain::text::{has_forbidden_control, FORBIDDEN_CONTROL_MESSAGE};
use bridge_domain::{Error, FieldErrors};
use serde_json::Value;

use super::error::ApiError;
use super::error::PageError;
use super::AppState;

pub async fn check_request(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let refuse = |e: Error| if api { ApiError(e).into_response() } else { PageError(e).into_response() };
    let bearer = req.headers().get(header::AUTHORIZATION).is_some();
    if !req.method().is_safe() && !bearer && is_cross_site(req.headers()) {
        return refuse(Error::forbidden(
            "This form was sent from another site, so Bridge did not act on it. Use Bridge's own pages.",
        ));
    }
    if let Some(query) = req.uri().query() {
        if let Some(field) = form_field_with_control(query.as_bytes()) {
            return refuse(control_error(field));
        }
    }
    let kind = body_kind(req.headers());
    if kind == BodyKind::Other {
        return next.run(req).await;
    }
    // A BI tool's history of measurements is bigger than any form: that import has its own limit.
    let limit = if req.uri().path() == super::api::value::IMPORT_PATH {
        super::api::value::MAX_IMPORT_BYTES.max(state.config.max_body_bytes)
    } else {
        state.config.max_body_bytes
    };
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => return refuse(Error::TooLarge("The request body is too large.".into())),
    };
    let bad_field = match kind {
        BodyKind::Form => form_field_with_control(&bytes),
        BodyKind::Json => json_field_with_control(&bytes),
        BodyKind::Text => std::str::from_utf8(&bytes)
            .ok()
            .and_then(bridge_domain::text::first_line_with_control)
            .map(|line| format!("line {line}")),
        BodyKind::Other => None,
    };
    if let Some(field) = bad_field {
        return refuse(control_error(field));
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

fn control_error(field: String) -> Error {
    let mut fields = FieldErrors::new();
    fields.insert(field, FORBIDDEN_CONTROL_MESSAGE.into());
    Error::Validation { message: FORBIDDEN_CONTROL_MESSAGE.into(), fields }
}

/// A browser says where a request comes from in `Origin` (and `Sec-Fetch-Site`); a write whose
/// origin is another host than the one it is sent to is a cross-site forgery, whatever cookies it
/// carries. Requests without either header (command-line clients) rely on the CSRF token alone.
fn is_cross_site(headers: &HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if text("sec-fetch-site") == Some("cross-site") {
        return true;
    }
    let Some(origin) = text("origin") else { return false };
    let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
    // Behind a proxy the browser's host arrives as X-Forwarded-Host.
    let hosts = [text("x-forwarded-host"), text("host")];
    origin_host.is_empty() || !hosts.into_iter().flatten().any(|h| h.eq_ignore_ascii_case(origin_host))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    Form,
    Json,
    Text,
    Other,
}

fn body_kind(headers: &HeaderMap) -> BodyKind {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    if ct.starts_with("application/x-www-form-urlencoded") {
        BodyKind::Form
    } else if ct.starts_with("application/json") {
        BodyKind::Json
    } else if ct.starts_with("text/") {
        BodyKind::Text
    } else {
        BodyKind::Other
    }
}

/// The first url-encoded field whose name or value holds a control character.
fn form_field_with_control(data: &[u8]) -> Option<String> {
    form_urlencoded::parse(data)
        .find(|(k, v)| has_forbidden_control(k) || has_forbidden_control(v))
        .map(|(k, _)| k.chars().filter(|c| !c.is_control()).collect())
}

/// The path (`title`, `success_metrics[0].name`) of the first JSON string holding a control
/// character. JSON can only carry them escaped (`\u0000`) or as raw DEL and C1 bytes, so a body
/// without those is not parsed here at all.
fn json_field_with_control(data: &[u8]) -> Option<String> {
    let suspicious = data.contains(&0x7f)
        || data.windows(4).any(|w| w.eq_ignore_ascii_case(b"\\u00"))
        || data.windows(2).any(|w| w[0] == 0xc2 && (0x80..=0x9f).contains(&w[1]));
    if !suspicious {
        return None;
    }
    let value: Value = serde_json::from_slice(data).ok()?;
    find_control(&value, String::new())
}

fn find_control(value: &Value, path: String) -> Option<String> {
    match value {
        Value::String(s) if has_forbidden_control(s) => Some(if path.is_empty() { "body".into() } else { path }),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| find_control(v, format!("{path}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            if has_forbidden_control(k) {
                return Some(if path.is_empty() { "body".into() } else { path.clone() });
            }
            find_control(v, if path.is_empty() { k.clone() } else { format!("{path}.{k}") })
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_field_that_holds_a_control_character() {
        assert_eq!(form_field_with_control(b"a=1&b=x%00y"), Some("b".into()));
        assert_eq!(form_field_with_control(b"a=line%0D%0Abreak%09tab"), None);
        assert_eq!(json_field_with_control(br#"{"title":"ok","m":[{"name":"x\u0000"}]}"#), Some("m[0].name".into()));
        assert_eq!(json_field_with_control(br#"{"title":"caf\u00e9 \n"}"#), None);
        assert_eq!(json_field_with_control(br#""\u0007""#), Some("body".into()));
    }

    #[test]
    fn writes_from_another_site_are_cross_site() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(*k, v.parse().unwrap());
            }
            h
        };
        assert!(!is_cross_site(&headers(&[("host", "bridge.example:8080")])));
        assert!(!is_cross_site(&headers(&[
            ("host", "bridge.example:8080"),
            ("origin", "https://bridge.example:8080")
        ])));
        assert!(is_cross_site(&headers(&[("host", "bridge.example"), ("origin", "https://evil.example")])));
        assert!(is_cross_site(&headers(&[("host", "bridge.example"), ("origin", "null")])));
        assert!(is_cross_site(&headers(&[("host", "bridge.example"), ("sec-fetch-site", "cross-site")])));
        assert!(!is_cross_site(&headers(&[
            ("host", "10.0.0.5:8080"),
            ("x-forwarded-host", "bridge.example"),
            ("origin", "https://bridge.example")
        ])));
    }
}
