//! Server-rendered pages. Every page works without JavaScript; forms come back with the person's
//! input kept and errors beside the fields.

pub mod admin;
pub mod assets;
pub mod groups;
pub mod home;
pub mod intake;
pub mod language;
pub mod people;
pub mod session;
pub mod tokens;

use std::borrow::Borrow;

use crate::web::routes::Routes;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use bridge_domain::Error;

use super::auth::CurrentUser;
use super::error::{public_message, status_of};

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

/// What every page's frame needs: its title, who is signed in, where they are, a one-off notice.
pub struct Layout {
    pub title: String,
    pub user: Option<CurrentUser>,
    pub section: &'static str,
    pub flash: Option<String>,
}

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

impl Layout {
    pub fn new(title: impl Into<String>, user: &CurrentUser, section: &'static str) -> Layout {
        Layout { title: title.into(), user: Some(user.clone()), section, flash: None }
    }

    pub fn anonymous(title: impl Into<String>) -> Layout {
        Layout { title: title.into(), user: None, section: "", flash: None }
    }

    pub fn with_flash(mut self, flash: Option<String>) -> Layout {
        self.flash = flash;
        self
    }

    pub fn nav(&self) -> Vec<NavItem> {
        let mut items: Vec<(&'static str, &'static str, &'static str)> = vec![("/", "Home", "home")];
        items.extend(home::AREAS.iter().map(|a| (a.href, a.name, a.slug)));
        items.push(("/people", "People", "people"));
        if self.user.as_ref().is_some_and(|u| u.role.is_admin()) {
            items.push(("/admin/accounts", "Admin", "admin"));
        }
        items.into_iter().map(|(href, label, slug)| NavItem { href, label, current: slug == self.section }).collect()
    }
}

/// Renders a template into an HTML response.
pub fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => PageError(Error::internal(e)).into_response(),
    }
}

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
            Error::Conflict { .. } => "That could not be done",
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
        return super::error::ApiError(Error::not_found("This API route")).into_response();
    }
    let e = Error::not_found("This page");
    match user {
        Some(u) => error_page(&u, e),
        None => PageError(e).into_response(),
    }
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

/// A date for people to read, from epoch milliseconds (UTC).
pub fn date(ms: impl Borrow<i64>) -> String {
    chrono::DateTime::from_timestamp_millis(*ms.borrow()).map(|d| d.format("%-d %b %Y").to_string()).unwrap_or_default()
}

pub fn datetime(ms: impl Borrow<i64>) -> String {
    chrono::DateTime::from_timestamp_millis(*ms.borrow())
        .map(|d| d.format("%-d %b %Y %H:%M").to_string())
        .unwrap_or_default()
}

/// Parses an optional id from a form or query value where "" means none.
pub fn opt_id(s: &str) -> Option<i64> {
    s.trim().parse().ok()
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
