//! Server-rendered pages. Every page works without JavaScript; forms come back with the person's
//! input kept and errors beside the fields.

pub mod admin;
pub mod assets;
pub mod engagement;
pub mod groups;
pub mod home;
pub mod intake;
pub mod jobs;
pub mod language;
pub mod learning;
pub mod mail;
pub mod notifications;
pub mod people;
pub mod search;
pub mod session;
pub mod settings;
pub mod sign_in;
pub mod tokens;
pub mod value;
pub mod webhooks;

use std::borrow::Borrow;

use crate::web::routes::Routes;
use axum::http::StatusCode;
use bridge_domain::Error;

pub use super::error::{error_page, OrPage, PageResult};
pub use super::format::{date, datetime};
pub use super::frame::{render, Layout};

/// Every page route, one line per area.
pub fn routes() -> Routes {
    Routes::new()
        .merge(home::routes())
        .merge(session::routes())
        .merge(people::routes())
        .merge(groups::routes())
        .merge(language::routes())
        .merge(intake::routes())
        .merge(notifications::routes())
        .merge(tokens::routes())
        .merge(admin::routes())
        .merge(jobs::routes())
        .merge(mail::routes())
        .merge(webhooks::routes())
        .merge(sign_in::routes())
        .merge(settings::routes())
        .merge(search::routes())
        .merge(value::routes())
        .merge(engagement::routes())
        .merge(learning::routes())
}

/// How a person is offered in the form's lists and found again: "Ana Ribeiro (ana.ribeiro@…)".
pub fn person_choice(p: &crate::store::org::Person) -> String {
    format!("{} ({})", p.name, p.email)
}

/// The person a typed choice names: the list's "Name (email)", an email, or a name that only one
/// person has; `Err` says what is wrong in words.
pub fn find_person<'d>(
    directory: &'d crate::ops::directory::Directory,
    typed: &str,
) -> Result<&'d crate::store::org::Person, String> {
    let typed = typed.trim();
    let email = typed.rsplit_once('(').map(|(_, e)| e.trim_end_matches(')').trim()).unwrap_or(typed);
    if let Some(p) = directory.people.iter().find(|p| p.email.eq_ignore_ascii_case(email)) {
        return Ok(p);
    }
    let named: Vec<&crate::store::org::Person> =
        directory.people.iter().filter(|p| p.name.eq_ignore_ascii_case(typed)).collect();
    match named.as_slice() {
        [p] => Ok(p),
        [] => Err(format!("No one in the directory is called “{typed}”: choose from the list as you type.")),
        _ => Err(format!("More than one person is called “{typed}”: choose the one with the right email.")),
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

    /// The list with a first choice of none (value "") labelled `none`.
    pub fn with_none(none: &str, items: impl IntoIterator<Item = (String, String)>, selected: &str) -> Vec<Opt> {
        Opt::list(std::iter::once((String::new(), none.to_string())).chain(items), selected)
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

/// How a form comes back after `error`: its field errors, a message for the whole form (a
/// conflict or a stale version) and the status to answer with. Any other error is not the
/// form's: it comes back as `Err`, for the page that shows errors.
pub fn form_outcome(error: Option<Error>) -> Result<(bridge_domain::FieldErrors, Option<String>, StatusCode), Error> {
    Ok(match error {
        None => (bridge_domain::FieldErrors::new(), None, StatusCode::OK),
        Some(Error::Validation { fields, .. }) => (fields, None, StatusCode::UNPROCESSABLE_ENTITY),
        Some(Error::Conflict { field: Some(f), message }) => ([(f, message)].into(), None, StatusCode::CONFLICT),
        Some(e @ (Error::Conflict { .. } | Error::Stale { .. })) => {
            (bridge_domain::FieldErrors::new(), Some(e.to_string()), StatusCode::CONFLICT)
        }
        Some(other) => return Err(other),
    })
}

/// The error message for a form field, for the templates.
pub fn field_error(errors: &bridge_domain::FieldErrors, name: impl AsRef<str>) -> Option<&String> {
    errors.get(name.as_ref())
}

/// Reads a file upload form and returns the bytes of its `file` field, once its CSRF field has
/// been checked against the session's token.
pub async fn read_upload(multipart: axum::extract::Multipart, session_csrf: &str) -> Result<Vec<u8>, Error> {
    Ok(read_upload_fields(multipart, session_csrf).await?.0)
}

/// Like [`read_upload`], with the form's other text fields.
pub async fn read_upload_fields(
    mut multipart: axum::extract::Multipart,
    session_csrf: &str,
) -> Result<(Vec<u8>, std::collections::HashMap<String, String>), Error> {
    let mut csrf = String::new();
    let mut file = Vec::new();
    let mut fields = std::collections::HashMap::new();
    while let Some(field) = multipart.next_field().await.map_err(upload_error)? {
        match field.name().map(str::to_string).as_deref() {
            Some("_csrf") => csrf = field.text().await.map_err(upload_error)?,
            Some("file") => file = field.bytes().await.map_err(upload_error)?.to_vec(),
            Some(name) => {
                fields.insert(name.to_string(), field.text().await.map_err(upload_error)?);
            }
            None => {}
        }
    }
    super::auth::check_csrf(&csrf, session_csrf)?;
    if let Some(line) = std::str::from_utf8(&file).ok().and_then(bridge_domain::text::first_line_with_control) {
        return Err(Error::field(
            "file",
            format!("Line {line} holds an invisible control character. Remove it and upload the file again."),
        ));
    }
    Ok((file, fields))
}

fn upload_error(e: axum::extract::multipart::MultipartError) -> Error {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        Error::TooLarge("The file is too large. Split it into smaller files.".into())
    } else {
        Error::field("file", format!("The upload could not be read: {}", e.body_text()))
    }
}
