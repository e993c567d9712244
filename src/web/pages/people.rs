//! The people directory: browse, search, view, add, edit, remove and import.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use bridge_domain::org::import::RowError;
use bridge_domain::org::{validate_person, PersonInput};
use bridge_domain::{Error, FieldErrors};
use serde::Deserialize;

use super::{error_page, opt_id, render, Layout, Opt, OrPage, PageResult, Pager};
use crate::store::org::{PeopleFilter, Person};
use crate::store::Page;
use crate::web::auth::{CsrfForm, CurrentUser, PageUser};
use crate::web::AppState;

const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    side: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    team_id: String,
    #[serde(default)]
    page: String,
    /// A notice to show once, after an import.
    #[serde(default)]
    imported: String,
}

pub struct FilterView {
    pub q: String,
    pub side: String,
    pub unit_id: Option<i64>,
    pub team_id: Option<i64>,
}

impl FilterView {
    pub fn is_unit(&self, id: impl std::borrow::Borrow<i64>) -> bool {
        self.unit_id == Some(*id.borrow())
    }
    pub fn is_team(&self, id: impl std::borrow::Borrow<i64>) -> bool {
        self.team_id == Some(*id.borrow())
    }
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage<'a> {
    layout: Layout,
    filter: FilterView,
    units: Vec<(i64, String)>,
    teams: Vec<(i64, String)>,
    people: Vec<&'a Person>,
    total: i64,
    pager: Pager,
    can_write: bool,
}

pub async fn list(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<ListQuery>) -> PageResult {
    let side = if matches!(q.side.as_str(), "business" | "it") { q.side.clone() } else { String::new() };
    let filter =
        PeopleFilter { q: q.q.clone(), side: side.clone(), unit_id: opt_id(&q.unit_id), team_id: opt_id(&q.team_id) };
    let page_no = q.page.parse().unwrap_or(1i64).max(1);
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let (people, total) = directory.list(&filter, Page::new(Some(page_no), Some(PER_PAGE)));
    let (units, teams) = (directory.units.clone(), directory.teams.clone());
    let pager = Pager::new(
        "/people",
        &[("q", q.q.clone()), ("side", side.clone()), ("unit_id", q.unit_id.clone()), ("team_id", q.team_id.clone())],
        page_no,
        PER_PAGE,
        total,
    );
    Ok(render(&PeoplePage {
        layout: Layout::new("People", &user, "people").with_flash(Some(q.imported).filter(|s| !s.is_empty())),
        filter: FilterView { q: q.q, side, unit_id: filter.unit_id, team_id: filter.team_id },
        units,
        teams,
        people,
        total,
        pager,
        can_write: user.role.can_write(),
    }))
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    layout: Layout,
    person: Person,
    reports: Vec<Person>,
    csrf: String,
    can_write: bool,
}

pub async fn show(State(state): State<AppState>, PageUser(user): PageUser, Path(id): Path<i64>) -> PageResult {
    let person = state.db.get_person(id).await.or_page(&user)?;
    let reports = state.db.reports_of(id).await.or_page(&user)?;
    Ok(render(&PersonPage {
        layout: Layout::new(person.name.clone(), &user, "people"),
        person,
        reports,
        csrf: user.csrf.clone(),
        can_write: user.role.can_write(),
    }))
}

/// The person form as typed: all text, so whatever was entered can be shown again.
#[derive(Deserialize, Default, Clone)]
pub struct PersonForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub side: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub unit_id: String,
    #[serde(default)]
    pub team_id: String,
    #[serde(default)]
    pub manager_id: String,
    #[serde(default)]
    pub version: String,
}

impl PersonForm {
    fn from_person(p: &Person) -> PersonForm {
        let id = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
        PersonForm {
            name: p.name.clone(),
            email: p.email.clone(),
            side: p.side.clone(),
            title: p.title.clone(),
            unit_id: id(p.unit_id),
            team_id: id(p.team_id),
            manager_id: id(p.manager_id),
            version: p.version.to_string(),
        }
    }

    fn input(&self) -> PersonInput {
        PersonInput {
            name: self.name.clone(),
            email: self.email.clone(),
            side: self.side.clone(),
            title: self.title.clone(),
            unit_id: opt_id(&self.unit_id),
            team_id: opt_id(&self.team_id),
            manager_id: opt_id(&self.manager_id),
        }
    }
}

#[derive(Template)]
#[template(path = "person_form.html")]
struct PersonFormPage {
    layout: Layout,
    action: String,
    cancel: String,
    csrf: String,
    form: PersonForm,
    errors: FieldErrors,
    conflict: Option<String>,
    side_options: Vec<Opt>,
    unit_options: Vec<Opt>,
    team_options: Vec<Opt>,
    manager_options: Vec<Opt>,
}

/// Renders the add/edit form, with errors beside the fields and the input kept.
async fn form_page(
    state: &AppState,
    user: &CurrentUser,
    id: Option<i64>,
    form: PersonForm,
    error: Option<Error>,
) -> PageResult {
    let directory = state.directory.get(&state.db).await.or_page(user)?;
    let (units, teams) = (directory.units.clone(), directory.teams.clone());
    let people = &directory.people;
    let none = |label: &str| (String::new(), label.to_string());
    let (errors, conflict, status) = match error {
        None => (FieldErrors::new(), None, StatusCode::OK),
        Some(Error::Validation { fields, .. }) => (fields, None, StatusCode::UNPROCESSABLE_ENTITY),
        Some(Error::Conflict { field: Some(f), message }) => ([(f, message)].into(), None, StatusCode::CONFLICT),
        Some(Error::Conflict { message, .. }) => (FieldErrors::new(), Some(message), StatusCode::CONFLICT),
        Some(other) => return Err(error_page(user, other)),
    };
    let page = PersonFormPage {
        layout: Layout::new(if id.is_some() { "Edit person" } else { "Add a person" }, user, "people"),
        action: id.map(|i| format!("/people/{i}")).unwrap_or_else(|| "/people".into()),
        cancel: id.map(|i| format!("/people/{i}")).unwrap_or_else(|| "/people".into()),
        csrf: user.csrf.clone(),
        side_options: Opt::list(
            [none("Choose…"), ("business".into(), "Business".into()), ("it".into(), "IT".into())],
            &form.side,
        ),
        unit_options: Opt::list(
            std::iter::once(none("None")).chain(units.into_iter().map(|(id, name)| (id.to_string(), name))),
            &form.unit_id,
        ),
        team_options: Opt::list(
            std::iter::once(none("None")).chain(teams.into_iter().map(|(id, name)| (id.to_string(), name))),
            &form.team_id,
        ),
        manager_options: Opt::list(
            std::iter::once(none("No manager")).chain(
                people
                    .iter()
                    .filter(|p| Some(p.id) != id)
                    .map(|p| (p.id.to_string(), format!("{} — {}", p.name, p.title))),
            ),
            &form.manager_id,
        ),
        form,
        errors,
        conflict,
    };
    let mut response = render(&page);
    *response.status_mut() = status;
    Ok(response)
}

pub async fn new_form(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    user.require_write().or_page(&user)?;
    form_page(&state, &user, None, PersonForm::default(), None).await
}

pub async fn create(State(state): State<AppState>, CsrfForm(PageUser(user), form): CsrfForm<PersonForm>) -> PageResult {
    user.require_write().or_page(&user)?;
    let result = async {
        let valid = validate_person(&form.input())?;
        state.db.create_person(&user.actor(), &valid).await
    }
    .await;
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/people/{id}")).into_response()),
        Err(e) => form_page(&state, &user, None, form, Some(e)).await,
    }
}

pub async fn edit_form(State(state): State<AppState>, PageUser(user): PageUser, Path(id): Path<i64>) -> PageResult {
    user.require_write().or_page(&user)?;
    let person = state.db.get_person(id).await.or_page(&user)?;
    form_page(&state, &user, Some(id), PersonForm::from_person(&person), None).await
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<PersonForm>,
) -> PageResult {
    user.require_write().or_page(&user)?;
    let result = async {
        let valid = validate_person(&form.input())?;
        let version = form.version.parse().map_err(|_| Error::field("version", "Reload the page and try again."))?;
        state.db.update_person(&user.actor(), id, version, &valid).await
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/people/{id}")).into_response()),
        Err(Error::NotFound(what)) => Err(error_page(&user, Error::NotFound(what))),
        Err(e) => form_page(&state, &user, Some(id), form, Some(e)).await,
    }
}

pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), _): CsrfForm<std::collections::HashMap<String, String>>,
) -> PageResult {
    user.require_write().or_page(&user)?;
    state.db.delete_person(&user.actor(), id).await.or_page(&user)?;
    Ok(Redirect::to("/people").into_response())
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    layout: Layout,
    csrf: String,
    row_errors: Vec<RowError>,
}

pub async fn import_form(PageUser(user): PageUser) -> PageResult {
    user.require_write().or_page(&user)?;
    Ok(render(&ImportPage {
        layout: Layout::new("Import people", &user, "people"),
        csrf: user.csrf.clone(),
        row_errors: vec![],
    }))
}

pub async fn import(State(state): State<AppState>, PageUser(user): PageUser, multipart: Multipart) -> PageResult {
    user.require_write().or_page(&user)?;
    let data = super::read_upload(multipart, &user.csrf).await.or_page(&user)?;
    match crate::ops::import_people(&state.db, &user.actor(), &data).await {
        Ok(Ok(outcome)) => {
            let flash = format!("Imported: {} added, {} updated.", outcome.added, outcome.updated);
            Ok(Redirect::to(&format!("/people?imported={}", super::super::auth::url_encode(&flash))).into_response())
        }
        Ok(Err(row_errors)) => {
            let mut response = render(&ImportPage {
                layout: Layout::new("Import people", &user, "people"),
                csrf: user.csrf.clone(),
                row_errors,
            });
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(error_page(&user, e)),
    }
}
