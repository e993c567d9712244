//! Server-rendered pages. Every page works without JavaScript; forms come back with the person's
//! input kept and errors beside the fields.

pub mod admin;
pub mod assets;
pub mod groups;
pub mod home;
pub mod intake;
pub mod language;
pub mod notifications;
pub mod people;
pub mod session;
pub mod tokens;

use std::borrow::Borrow;

use crate::web::routes::Routes;
use axum::http::StatusCode;
use bridge_domain::Error;

pub use super::error::{error_page, OrPage, PageResult};
pub use super::format::{date, datetime};
pub use super::frame::{render, Layout};

pub fn routes() -> Routes {
    Routes::new()
        .get("/", home::home)
        .get("/areas/{slug}", home::area)
        .get("/login", session::login_form)
        .post("/login", session::login)
        .post("/logout", session::logout)
        .get("/people", people::list)
        .post("/people", people::create)
        .get("/people/new", people::new_form)
        .get("/people/import", people::import_form)
        .post("/people/import", people::import)
        .get("/people/{id}", people::show)
        .post("/people/{id}", people::update)
        .get("/people/{id}/edit", people::edit_form)
        .get("/people/{id}/delete", people::delete_form)
        .post("/people/{id}/delete", people::delete)
        .post("/people/{id}/restore", people::restore)
        .merge(groups::routes())
        .get("/glossary", language::list)
        .post("/glossary", language::create)
        .get("/glossary/new", language::new_form)
        .get("/glossary/check", language::check_form)
        .post("/glossary/check", language::check)
        .get("/glossary/export.csv", language::export)
        .get("/glossary/import", language::import_form)
        .post("/glossary/import", language::import)
        .get("/glossary/insight", language::insight)
        .get("/glossary/{id}", language::show)
        .post("/glossary/{id}", language::update)
        .get("/glossary/{id}/edit", language::edit_form)
        .post("/glossary/{id}/approve", language::approve)
        .post("/glossary/{id}/delete", language::delete)
        .merge(intake::routes())
        .get("/notifications", notifications::list)
        .post("/notifications/read", notifications::mark_read)
        .get("/tokens", tokens::mine)
        .post("/tokens", tokens::create)
        .post("/tokens/{id}/revoke", tokens::revoke)
        .get("/admin/tokens", tokens::all)
        .get("/admin/accounts", admin::accounts)
        .post("/admin/accounts", admin::create_account)
        .get("/admin/accounts/{id}", admin::account)
        .post("/admin/accounts/{id}", admin::update_account)
        .post("/admin/accounts/{id}/password", admin::set_password)
        .get("/admin/audit", admin::audit)
}

/// `?done=…` after a redirect: which one-off notice a page shows.
#[derive(serde::Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    pub done: String,
}

/// An `<option>` of a select.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Opt {
    pub fn list(items: impl IntoIterator<Item = (String, String)>, selected: &str) -> Vec<Opt> {
        items.into_iter().map(|(value, label)| Opt { selected: value == selected, value, label }).collect()
    }
}

/// Pagination links that keep the current filters.
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    /// The query string without `page`, ending in `&` when not empty.
    pub base: String,
}

impl Pager {
    pub fn new(path: &str, query: &[(&str, String)], page: i64, per_page: i64, total: i64) -> Pager {
        let kept: Vec<String> = query
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", super::auth::url_encode(v)))
            .collect();
        let base = if kept.is_empty() { format!("{path}?") } else { format!("{path}?{}&", kept.join("&")) };
        Pager { page, pages: ((total + per_page - 1) / per_page).max(1), base }
    }

    pub fn link(&self, page: impl Borrow<i64>) -> String {
        format!("{}page={}", self.base, page.borrow())
    }
}

/// Parses an optional id from a form or query value where "" means none.
pub fn opt_id(s: &str) -> Option<i64> {
    s.trim().parse().ok()
}

/// The `i`th value of a repeated form field, empty when that row left it out.
pub fn nth(values: &[String], i: usize) -> String {
    values.get(i).cloned().unwrap_or_default()
}

/// A form body that is not a form of this page (a value repeated where one is expected, bytes
/// that are not text): a field error, never a 500.
pub fn unreadable_form(e: serde_html_form::de::Error) -> Error {
    Error::field("form", format!("The form could not be read: {e}"))
}

/// The error message for a form field, for the templates.
pub fn field_error<'a>(errors: &'a bridge_domain::FieldErrors, name: &str) -> Option<&'a String> {
    errors.get(name)
}

/// Reads a file upload form and returns the bytes of its `file` field, once its CSRF field has
/// been checked against the session's token.
pub async fn read_upload(mut multipart: axum::extract::Multipart, session_csrf: &str) -> Result<Vec<u8>, Error> {
    let mut csrf = String::new();
    let mut file = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(upload_error)? {
        match field.name() {
            Some("_csrf") => csrf = field.text().await.map_err(upload_error)?,
            Some("file") => file = field.bytes().await.map_err(upload_error)?.to_vec(),
            _ => {}
        }
    }
    super::auth::check_csrf(&csrf, session_csrf)?;
    if let Some(line) = std::str::from_utf8(&file).ok().and_then(bridge_domain::text::first_line_with_control) {
        return Err(Error::field(
            "file",
            format!("Line {line} holds an invisible control character. Remove it and upload the file again."),
        ));
    }
    Ok(file)
}

fn upload_error(e: axum::extract::multipart::MultipartError) -> Error {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        Error::TooLarge("The file is too large. Split it into smaller files.".into())
    } else {
        Error::field("file", format!("The upload could not be read: {}", e.body_text()))
    }
}
