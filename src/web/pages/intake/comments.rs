//! A writer's corrections of their own message on a request (for a short while after sending),
//! how a message shows in the conversation, and the mention helpers the message box uses while
//! someone types (`static/mentions.js`).

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use bridge_domain::conversation::{check_correction, mentions, Mentionable, CORRECTION_MINUTES};
use bridge_domain::Error;
use serde::{Deserialize, Serialize};

use crate::ops::comments::preview;
use crate::ops::intake::conversation::{correct_comment, may_correct};
use crate::store::comments::Comment;
use crate::store::now_ms;
use crate::web::auth::{check_csrf_field, CsrfForm, CurrentUser, PageUser};
use crate::web::pages::{error_page, render, Layout, OrPage, PageResult};
use crate::web::AppState;

/// A message of the conversation as the page shows it.
pub(super) struct CommentView {
    pub c: Comment,
    /// The text as HTML: glossary terms explained, mentions of people highlighted.
    pub html: String,
    /// The reader wrote it a moment ago: they may correct or remove it.
    pub can_correct: bool,
    /// (replaced when, what it said) for each correction, oldest first.
    pub earlier: Vec<(String, String)>,
}

/// A message as HTML: glossary terms explained by `annotate` (which escapes), and each mention
/// of a person highlighted.
pub(super) fn message_html(body: &str, people: &[Mentionable], annotate: impl Fn(&str) -> String) -> String {
    let mut html = String::with_capacity(body.len() + 64);
    let mut pos = 0;
    for m in mentions(body, people).into_iter().filter(|m| m.person.is_some()) {
        html.push_str(&annotate(&body[pos..m.range.start]));
        html.push_str(r#"<strong class="mention">"#);
        html.push_str(&bridge_domain::language::annotate_html(&body[m.range.clone()], &[]));
        html.push_str("</strong>");
        pos = m.range.end;
    }
    html.push_str(&annotate(&body[pos..]));
    html
}

#[derive(Template)]
#[template(path = "intake/comment_edit.html")]
struct CorrectPage {
    layout: Layout,
    csrf: String,
    request_id: i64,
    request_title: String,
    comment_id: i64,
    body: String,
    body_error: Option<String>,
    confirm_error: Option<String>,
    minutes: i64,
}

/// The correction form, with the text as typed and what went wrong.
async fn correct_page(
    state: &AppState,
    user: &CurrentUser,
    ids: (i64, i64),
    body: Option<String>,
    error: Option<Error>,
) -> PageResult {
    let (id, cid) = ids;
    let req = state.db.get_request(id).await.or_page(user)?;
    let c = state.db.get_comment(cid).await.or_page(user)?;
    if c.subject != "request" || c.subject_id != id {
        return Err(error_page(user, Error::not_found("The message")));
    }
    let (mut body_error, mut confirm_error, mut status) = (None, None, StatusCode::OK);
    match error {
        None => {
            check_correction(c.author_id, Some(user.person_id), c.at, c.removed_at.is_some(), now_ms()).or_page(user)?
        }
        Some(Error::Validation { fields, .. }) => {
            status = StatusCode::UNPROCESSABLE_ENTITY;
            body_error = fields.get("body").cloned();
            confirm_error = fields.get("confirm").cloned();
        }
        Some(e) => return Err(error_page(user, e)),
    }
    let mut response = render(&CorrectPage {
        layout: Layout::new("Correct your message", user, "intake"),
        csrf: user.csrf.clone(),
        request_id: id,
        request_title: req.summary.title,
        comment_id: cid,
        body: body.unwrap_or(c.body),
        body_error,
        confirm_error,
        minutes: CORRECTION_MINUTES,
    });
    *response.status_mut() = status;
    Ok(response)
}

pub async fn correct_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(ids): Path<(i64, i64)>,
) -> PageResult {
    correct_page(&state, &user, ids, None, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CorrectForm {
    body: String,
    /// `yes` when the writer confirmed removing the message.
    confirm: String,
}

/// After a correction or removal: the page, or the form again with the text kept.
async fn finish(
    state: &AppState,
    user: &CurrentUser,
    ids: (i64, i64),
    body: String,
    result: Result<usize, Error>,
    done: &str,
) -> PageResult {
    let (id, cid) = ids;
    match result {
        Ok(told) => Ok(Redirect::to(&format!("/requests/{id}?done={done}{told}#comment-{cid}")).into_response()),
        Err(e @ Error::Validation { .. }) => correct_page(state, user, ids, Some(body), Some(e)).await,
        Err(e) => Err(error_page(user, e)),
    }
}

pub async fn correct(
    State(state): State<AppState>,
    Path(ids): Path<(i64, i64)>,
    CsrfForm(PageUser(user), form): CsrfForm<CorrectForm>,
) -> PageResult {
    let result = correct_comment(&state.db, &user.caller(), ids.0, ids.1, Some(&form.body)).await;
    finish(&state, &user, ids, form.body, result, "corrected").await
}

pub async fn remove(
    State(state): State<AppState>,
    Path(ids): Path<(i64, i64)>,
    CsrfForm(PageUser(user), form): CsrfForm<CorrectForm>,
) -> PageResult {
    let result = if form.confirm == "yes" {
        correct_comment(&state.db, &user.caller(), ids.0, ids.1, None).await
    } else {
        // Who may not remove it hears that, not that they should confirm it.
        match may_correct(&state.db, &user.caller(), ids.0, ids.1).await {
            Ok(()) => Err(Error::field("confirm", "Tick the box to confirm that you want to remove the message.")),
            Err(e) => Err(e),
        }
    };
    finish(&state, &user, ids, form.body, result, "removed").await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SuggestQuery {
    q: String,
}

/// Someone the message box offers after an `@`.
#[derive(Serialize)]
pub struct Suggestion {
    name: String,
    title: String,
}

/// People whose name (a word of it) or email starts with `q`: at most eight, for the box's list.
pub async fn suggest(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<SuggestQuery>,
) -> Result<Json<Vec<Suggestion>>, Response> {
    let typed = q.q.trim().to_lowercase();
    if typed.is_empty() {
        return Ok(Json(vec![]));
    }
    let people = state.db.mentionable().await.or_page(&user)?;
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let starts = |name: &str| {
        let name = name.to_lowercase();
        name.starts_with(&typed) || name.split_whitespace().any(|w| w.starts_with(&typed))
    };
    let mut found: Vec<_> =
        people.iter().filter(|p| starts(&p.name) || p.email.to_lowercase().starts_with(&typed)).collect();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    found.truncate(8);
    let title = |id: i64| directory.people.iter().find(|d| d.id == id).map(|d| d.title.clone()).unwrap_or_default();
    Ok(Json(found.into_iter().map(|p| Suggestion { name: p.name.clone(), title: title(p.person_id) }).collect()))
}

/// Who a message would tell, as the sentence under the box says it.
#[derive(Serialize)]
pub struct Telling {
    text: String,
    /// An @-word names nobody: the message would be refused.
    unknown: bool,
}

/// The sentence for the message as typed (CSRF-checked form: `_csrf`, `body`).
pub async fn check(State(state): State<AppState>, PageUser(user): PageUser, body: Bytes) -> Response {
    if let Err(e) = check_csrf_field(&body, &user.csrf) {
        return error_page(&user, e);
    }
    let text: String =
        form_urlencoded::parse(&body).find(|(k, _)| k == "body").map(|(_, v)| v.into_owned()).unwrap_or_default();
    match preview(&state.db, &text).await {
        Ok((named, unknown)) => {
            Json(Telling { text: crate::web::format::telling(&named, &unknown), unknown: !unknown.is_empty() })
                .into_response()
        }
        Err(e) => error_page(&user, e),
    }
}
