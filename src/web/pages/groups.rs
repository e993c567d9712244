//! Business units and IT teams: two lists of the same shape, one set of handlers.

use crate::ops::directory;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use bridge_domain::{Error, FieldErrors};
use serde::Deserialize;

use super::{error_page, render, Layout, OrPage, PageResult};
use crate::store::org::{Group, GroupKind};
use crate::web::auth::{CsrfForm, CurrentUser, PageUser};
use crate::web::routes::Routes;
use crate::web::AppState;

pub fn routes() -> Routes {
    let mut routes = Routes::new();
    for kind in [GroupKind::Unit, GroupKind::Team] {
        let path = path_of(kind);
        routes = routes
            .get(&format!("/{path}"), move |s, u| list(kind, s, u))
            .post(&format!("/{path}"), move |s, f| create(kind, s, f))
            .get(&format!("/{path}/{{id}}/edit"), move |s, u, id| edit_form(kind, s, u, id))
            .post(&format!("/{path}/{{id}}"), move |s, id, f| update(kind, s, id, f))
            .post(&format!("/{path}/{{id}}/delete"), move |s, id, f| delete(kind, s, id, f));
    }
    routes
}

fn path_of(kind: GroupKind) -> &'static str {
    match kind {
        GroupKind::Unit => "units",
        GroupKind::Team => "teams",
    }
}

#[derive(Deserialize, Default)]
pub struct GroupForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    version: String,
}

#[derive(Template)]
#[template(path = "directory/groups.html")]
struct GroupsPage {
    layout: Layout,
    intro: &'static str,
    /// "a business unit", "an IT team".
    a_noun: String,
    path: &'static str,
    filter_param: &'static str,
    /// Each group with its track record: what the initiatives of a unit (or owned by a team's
    /// people) promised and came to, in a sentence.
    groups: Vec<(Group, String)>,
    csrf: String,
    form: GroupForm,
    errors: FieldErrors,
    /// Administrators change units and teams.
    can_write: bool,
}

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    kind: GroupKind,
    form: GroupForm,
    error: Option<Error>,
) -> PageResult {
    let portfolio = state.value_portfolio().await.or_page(user)?;
    let records = match kind {
        GroupKind::Unit => &portfolio.by_unit,
        GroupKind::Team => &portfolio.by_team,
    };
    let groups = state
        .db
        .list_groups(kind)
        .await
        .or_page(user)?
        .into_iter()
        .map(|g| {
            let record = records.get(&g.id).map(|r| r.sentence()).unwrap_or_default();
            (g, record)
        })
        .collect();
    let (errors, status) = split_error(user, error)?;
    let (title, intro, filter_param) = match kind {
        GroupKind::Unit => (
            "Business units",
            "The parts of the business that IT serves. Each business person belongs to one.",
            "unit_id",
        ),
        GroupKind::Team => {
            ("IT teams", "The IT teams that serve the business. Each IT person belongs to one.", "team_id")
        }
    };
    let mut response = render(&GroupsPage {
        layout: Layout::new(title, user, "people"),
        intro,
        a_noun: with_article(kind.label()),
        path: path_of(kind),
        filter_param,
        groups,
        csrf: user.csrf.clone(),
        form,
        errors,
        can_write: user.role.is_admin(),
    });
    *response.status_mut() = status;
    Ok(response)
}

/// Field errors and the status to answer with; other errors become an error page.
fn split_error(
    user: &CurrentUser,
    error: Option<Error>,
) -> Result<(FieldErrors, StatusCode), axum::response::Response> {
    match error {
        None => Ok((FieldErrors::new(), StatusCode::OK)),
        Some(Error::Validation { fields, .. }) => Ok((fields, StatusCode::UNPROCESSABLE_ENTITY)),
        Some(Error::Conflict { field: Some(f), message }) => Ok(([(f, message)].into(), StatusCode::CONFLICT)),
        Some(e @ (Error::Conflict { .. } | Error::Stale { .. })) => {
            Ok(([("form".to_string(), e.to_string())].into(), StatusCode::CONFLICT))
        }
        Some(other) => Err(error_page(user, other)),
    }
}

async fn list(kind: GroupKind, State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    list_page(&state, &user, kind, GroupForm::default(), None).await
}

async fn create(
    kind: GroupKind,
    State(state): State<AppState>,
    CsrfForm(PageUser(user), form): CsrfForm<GroupForm>,
) -> PageResult {
    user.require_admin().or_page(&user)?;
    match directory::create_group(&state.db, &user.caller(), kind, &form.name, &form.description).await {
        Ok(_) => Ok(Redirect::to(&format!("/{}", path_of(kind))).into_response()),
        Err(e) => list_page(&state, &user, kind, form, Some(e)).await,
    }
}

#[derive(Template)]
#[template(path = "directory/group_form.html")]
struct GroupFormPage {
    layout: Layout,
    noun: &'static str,
    a_noun: String,
    path: &'static str,
    id: i64,
    csrf: String,
    form: GroupForm,
    errors: FieldErrors,
    conflict: Option<String>,
}

fn edit_page(user: &CurrentUser, kind: GroupKind, id: i64, form: GroupForm, error: Option<Error>) -> PageResult {
    let (mut errors, status) = split_error(user, error)?;
    let conflict = errors.remove("form");
    let mut response = render(&GroupFormPage {
        layout: Layout::new(format!("Edit {}", kind.label()), user, "people"),
        noun: kind.label(),
        a_noun: with_article(kind.label()),
        path: path_of(kind),
        id,
        csrf: user.csrf.clone(),
        form,
        errors,
        conflict,
    });
    *response.status_mut() = status;
    Ok(response)
}

async fn edit_form(
    kind: GroupKind,
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<i64>,
) -> PageResult {
    user.require_admin().or_page(&user)?;
    let g = state.db.get_group(kind, id).await.or_page(&user)?;
    edit_page(
        &user,
        kind,
        id,
        GroupForm { name: g.name, description: g.description, version: g.version.to_string() },
        None,
    )
}

async fn update(
    kind: GroupKind,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<GroupForm>,
) -> PageResult {
    user.require_admin().or_page(&user)?;
    let version = form.version.parse().ok();
    match directory::update_group(&state.db, &user.caller(), kind, id, version, &form.name, &form.description).await {
        Ok(()) => Ok(Redirect::to(&format!("/{}", path_of(kind))).into_response()),
        Err(e @ Error::NotFound(_)) => Err(error_page(&user, e)),
        Err(e) => edit_page(&user, kind, id, form, Some(e)),
    }
}

async fn delete(
    kind: GroupKind,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), _): CsrfForm<std::collections::HashMap<String, String>>,
) -> PageResult {
    directory::delete_group(&state.db, &user.caller(), kind, id).await.or_page(&user)?;
    Ok(Redirect::to(&format!("/{}", path_of(kind))).into_response())
}

/// The noun with its indefinite article: "a business unit", "an IT team".
fn with_article(noun: &str) -> String {
    let vowel = noun.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']);
    format!("{} {noun}", if vowel { "an" } else { "a" })
}
