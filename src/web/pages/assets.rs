//! Static assets compiled into the binary, so Bridge works with no internet and no files beside it.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

const ASSETS: &[(&str, &str, &str)] = &[
    ("bridge.css", "text/css; charset=utf-8", include_str!("../../../static/bridge.css")),
    ("logo.svg", "image/svg+xml", include_str!("../../../static/logo.svg")),
    ("intake.js", "text/javascript; charset=utf-8", include_str!("../../../static/intake.js")),
    ("mentions.js", "text/javascript; charset=utf-8", include_str!("../../../static/mentions.js")),
    ("site.js", "text/javascript; charset=utf-8", include_str!("../../../static/site.js")),
];

pub async fn serve(Path(path): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == path) {
        Some((_, mime, body)) => {
            ([(header::CONTENT_TYPE, *mime), (header::CACHE_CONTROL, "public, max-age=3600")], *body).into_response()
        }
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}
