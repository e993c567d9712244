//! IT's principles explained: the list with "I understand this" and "Ask IT" on each, IT's
//! answers, and the form IT writes them with.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use bridge_domain::learning::principles::{PrincipleInput, PrincipleKind};
use bridge_domain::{Error, FieldErrors};
use serde::Deserialize;

use super::super::{error_page, form_outcome, render, DoneQuery, Layout, Opt, OrPage, PageResult};
use crate::ops::learning::principles::{self, PrincipleView};
use crate::web::auth::{CsrfForm, CurrentUser, PageUser};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "learning/principles.html")]
struct ListPage {
    layout: Layout,
    csrf: String,
    principles: Vec<(PrincipleView, String)>,
    can_write: bool,
    is_it: bool,
    errors: FieldErrors,
    /// The principle whose form the errors belong to.
    failed: i64,
}

fn is_it(user: &CurrentUser) -> bool {
    user.role.is_it_or_admin()
}

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    flash: Option<String>,
    failed: i64,
    error: Option<Error>,
) -> PageResult {
    let (errors, _, status) = form_outcome(error).map_err(|e| error_page(user, e))?;
    let directory = state.directory.get(&state.db).await.or_page(user)?;
    let list = principles::principles(&state.db, &directory, &user.caller()).await.or_page(user)?;
    let mut with_html = Vec::new();
    for p in list {
        let html = state.glossary.annotate(&state.db, &p.why_it_matters, user.side).await;
        with_html.push((p, html));
    }
    let mut response = render(&ListPage {
        layout: Layout::new("IT's principles, explained", user, "learning").with_flash(flash),
        csrf: user.csrf.clone(),
        principles: with_html,
        can_write: user.role.can_write(),
        is_it: is_it(user),
        errors,
        failed,
    });
    *response.status_mut() = status;
    Ok(response)
}

pub async fn list(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<DoneQuery>) -> PageResult {
    let flash = match q.done.as_str() {
        "asked" => Some("Your question went to IT; you are told when they answer.".to_string()),
        "answered" => Some("Your answer is saved; the one who asked is told.".to_string()),
        "saved" => Some("The principle is saved.".to_string()),
        _ => None,
    };
    list_page(&state, &user, flash, 0, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MarkForm {
    understood: String,
}

pub async fn mark(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<MarkForm>,
) -> PageResult {
    principles::mark_understood(&state.db, &user.caller(), id, form.understood == "yes").await.or_page(&user)?;
    Ok(Redirect::to(&format!("/principles#principle-{id}")).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AskForm {
    question: String,
    answer: String,
}

pub async fn ask(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<AskForm>,
) -> PageResult {
    match principles::ask(&state.db, &user.caller(), id, &form.question).await {
        Ok(_) => Ok(Redirect::to(&format!("/principles?done=asked#principle-{id}")).into_response()),
        Err(e @ Error::Validation { .. }) => list_page(&state, &user, None, id, Some(e)).await,
        Err(e) => Err(error_page(&user, e)),
    }
}

pub async fn answer(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<AskForm>,
) -> PageResult {
    match principles::answer(&state.db, &user.caller(), id, &form.answer).await {
        Ok(()) => Ok(Redirect::to("/principles?done=answered").into_response()),
        Err(e @ Error::Validation { .. }) => {
            let q = state.db.question(id).await.or_page(&user)?;
            list_page(&state, &user, None, q.principle_id, Some(e)).await
        }
        Err(e) => Err(error_page(&user, e)),
    }
}

#[derive(Template)]
#[template(path = "learning/principle_form.html")]
struct FormPage {
    layout: Layout,
    csrf: String,
    id: Option<i64>,
    form: PrincipleInput,
    /// The long fields: (name, label, value).
    texts: Vec<(&'static str, &'static str, String)>,
    version: i64,
    kind_options: Vec<Opt>,
    errors: FieldErrors,
    conflict: Option<String>,
}

fn form_page(
    user: &CurrentUser,
    id: Option<i64>,
    form: PrincipleInput,
    version: i64,
    error: Option<Error>,
) -> PageResult {
    let (errors, conflict, status) = form_outcome(error).map_err(|e| error_page(user, e))?;
    let kinds = PrincipleKind::ALL.iter().map(|k| (k.as_str().to_string(), k.label().to_string()));
    let mut response = render(&FormPage {
        layout: Layout::new(if id.is_some() { "Change a principle" } else { "Explain a principle" }, user, "learning"),
        csrf: user.csrf.clone(),
        id,
        kind_options: Opt::list(kinds, &form.kind),
        texts: vec![
            ("statement", "The principle", form.statement.clone()),
            ("why_it_matters", "Why it matters to the business", form.why_it_matters.clone()),
            ("example", "An example", form.example.clone()),
        ],
        form,
        version,
        errors,
        conflict,
    });
    *response.status_mut() = status;
    Ok(response)
}

fn require_it(user: &CurrentUser) -> Result<(), axum::response::Response> {
    user.caller().require_it_or_admin(principles::WRITTEN_BY_IT).map_err(|e| error_page(user, e))
}

pub async fn new_form(PageUser(user): PageUser) -> PageResult {
    require_it(&user)?;
    form_page(&user, None, PrincipleInput { kind: "security".into(), ..Default::default() }, 0, None)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PrincipleForm {
    #[serde(flatten)]
    input: PrincipleInput,
    version: String,
}

pub async fn create(
    State(state): State<AppState>,
    CsrfForm(PageUser(user), form): CsrfForm<PrincipleForm>,
) -> PageResult {
    match principles::save_principle(&state.db, &state.glossary, &user.caller(), None, &form.input).await {
        Ok(id) => Ok(Redirect::to(&format!("/principles?done=saved#principle-{id}")).into_response()),
        Err(e @ Error::Forbidden(_)) => Err(error_page(&user, e)),
        Err(e) => form_page(&user, None, form.input, 0, Some(e)),
    }
}

pub async fn edit_form(State(state): State<AppState>, PageUser(user): PageUser, Path(id): Path<i64>) -> PageResult {
    require_it(&user)?;
    let p = state.db.principle(id).await.or_page(&user)?;
    let input = PrincipleInput {
        title: p.title,
        kind: p.kind,
        statement: p.statement,
        why_it_matters: p.why_it_matters,
        example: p.example,
    };
    form_page(&user, Some(id), input, p.version, None)
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<PrincipleForm>,
) -> PageResult {
    let version = form.version.trim().parse().unwrap_or(0);
    match principles::save_principle(&state.db, &state.glossary, &user.caller(), Some((id, version)), &form.input).await
    {
        Ok(_) => Ok(Redirect::to(&format!("/principles?done=saved#principle-{id}")).into_response()),
        Err(e @ (Error::Forbidden(_) | Error::NotFound(_))) => Err(error_page(&user, e)),
        Err(e) => form_page(&user, Some(id), form.input, version, Some(e)),
    }
}
