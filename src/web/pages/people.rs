//! The people directory: browse, search, view, add, edit, remove and import.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bridge_domain::org::import::RowError;
use bridge_domain::org::{PersonInput, Side};
use bridge_domain::{Error, FieldErrors};
use serde::Deserialize;

use super::{error_page, opt_id, render, Layout, Opt, OrPage, PageResult, Pager};
use crate::ops::directory;
use crate::store::org::{PeopleFilter, Person};
use crate::store::Page;
use crate::web::auth::{CsrfForm, CurrentUser, PageUser};
use crate::web::routes::Routes;
use crate::web::AppState;

pub fn routes() -> Routes {
    Routes::new()
        .get("/people", list)
        .post("/people", create)
        .get("/people/new", new_form)
        .get("/people/import", import_form)
        .post("/people/import", import)
        .get("/people/{id}", show)
        .post("/people/{id}", update)
        .get("/people/{id}/edit", edit_form)
        .get("/people/{id}/delete", delete_form)
        .post("/people/{id}/delete", delete)
        .post("/people/{id}/restore", restore)
}

const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    side: String,
    /// An account role, or `none` for people who cannot sign in.
    #[serde(default)]
    role: String,
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
    pub role: String,
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
#[template(path = "directory/people.html")]
struct PeoplePage<'a> {
    layout: Layout,
    filter: FilterView,
    units: Vec<(i64, String)>,
    teams: Vec<(i64, String)>,
    people: Vec<&'a Person>,
    total: i64,
    pager: Pager,
    is_admin: bool,
    /// Archived people, for administrators.
    archived: Vec<Person>,
}

pub async fn list(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<ListQuery>) -> PageResult {
    let side = if matches!(q.side.as_str(), "business" | "it") { q.side.clone() } else { String::new() };
    let known_role = q.role == "none" || bridge_domain::org::Role::parse(&q.role).is_some();
    let role = if known_role { q.role.clone() } else { String::new() };
    let filter = PeopleFilter {
        q: q.q.clone(),
        side: side.clone(),
        role: role.clone(),
        unit_id: opt_id(&q.unit_id),
        team_id: opt_id(&q.team_id),
    };
    let page_no = q.page.parse().unwrap_or(1i64).max(1);
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let (people, total) = directory.list(&filter, Page::new(Some(page_no), Some(PER_PAGE)));
    let (units, teams) = (directory.units.clone(), directory.teams.clone());
    let archived = if user.role.is_admin() { state.db.archived_people().await.or_page(&user)? } else { vec![] };
    let pager = Pager::new(
        "/people",
        &[
            ("q", q.q.clone()),
            ("side", side.clone()),
            ("role", role.clone()),
            ("unit_id", q.unit_id.clone()),
            ("team_id", q.team_id.clone()),
        ],
        page_no,
        PER_PAGE,
        total,
    );
    Ok(render(&PeoplePage {
        layout: Layout::new("People", &user, "people").with_flash(Some(q.imported).filter(|s| !s.is_empty())),
        filter: FilterView { q: q.q, side, role, unit_id: filter.unit_id, team_id: filter.team_id },
        units,
        teams,
        people,
        total,
        pager,
        is_admin: user.role.is_admin(),
        archived,
    }))
}

#[derive(Template)]
#[template(path = "directory/person.html")]
struct PersonPage {
    layout: Layout,
    person: Person,
    reports: Vec<Person>,
    csrf: String,
    /// An administrator, or a writer looking at their own entry.
    can_edit: bool,
    is_admin: bool,
    own_entry: bool,
    /// The people on the other side they were in touch with (engagement).
    known: Vec<crate::ops::engagement::KnownPerson>,
    /// Where they sit (or sat) with a business unit, when they are from IT.
    embeddings: Vec<crate::ops::engagement::EmbeddingView>,
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<i64>,
    Query(q): Query<super::DoneQuery>,
) -> PageResult {
    let person = state.db.get_person(id).await.or_page(&user)?;
    let reports = state.db.reports_of(id).await.or_page(&user)?;
    let flash = match q.done.as_str() {
        "archived" => {
            Some(format!("{} was removed from the directory. Their requests and history are kept.", person.name))
        }
        "restored" => Some(format!("{} is back in the directory.", person.name)),
        _ => None,
    };
    let own_entry = user.person_id == id;
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let known = match crate::ops::engagement::who_they_know(&state.db, &directory, id).await {
        Ok(known) => known,
        // An archived person is not in the directory: they knew nobody, as far as it shows.
        Err(bridge_domain::Error::NotFound(_)) => vec![],
        Err(e) => return Err(crate::web::pages::error_page(&user, e)),
    };
    let embeddings = crate::ops::engagement::embeddings(&state.db, &directory, None, Some(id)).await.or_page(&user)?;
    Ok(render(&PersonPage {
        known,
        embeddings,
        layout: Layout::new(person.name.clone(), &user, "people").with_flash(flash),
        person,
        reports,
        csrf: user.csrf.clone(),
        can_edit: bridge_domain::org::may_edit_person(user.role, own_entry).is_ok(),
        is_admin: user.role.is_admin(),
        own_entry,
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
            side: p.side.to_string(),
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
#[template(path = "directory/person_form.html")]
struct PersonFormPage {
    layout: Layout,
    /// Administrators see every field; people editing their own entry only name and title.
    is_admin: bool,
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
        Some(e @ (Error::Conflict { .. } | Error::Stale { .. })) => {
            (FieldErrors::new(), Some(e.to_string()), StatusCode::CONFLICT)
        }
        Some(other) => return Err(error_page(user, other)),
    };
    let page = PersonFormPage {
        layout: Layout::new(
            match id {
                Some(i) if i == user.person_id => "Edit your details",
                Some(_) => "Edit person",
                None => "Add a person",
            },
            user,
            "people",
        ),
        is_admin: user.role.is_admin(),
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
    user.require_admin().or_page(&user)?;
    form_page(&state, &user, None, PersonForm::default(), None).await
}

pub async fn create(State(state): State<AppState>, CsrfForm(PageUser(user), form): CsrfForm<PersonForm>) -> PageResult {
    match directory::create_person(&state.db, &user.caller(), &form.input()).await {
        Ok(id) => Ok(Redirect::to(&format!("/people/{id}")).into_response()),
        Err(e @ Error::Forbidden(_)) => Err(error_page(&user, e)),
        Err(e) => form_page(&state, &user, None, form, Some(e)).await,
    }
}

/// Administrators edit anyone; others only their own entry.
fn require_edit(user: &CurrentUser, id: i64) -> Result<(), Response> {
    bridge_domain::org::may_edit_person(user.role, user.person_id == id).or_page(user)
}

pub async fn edit_form(State(state): State<AppState>, PageUser(user): PageUser, Path(id): Path<i64>) -> PageResult {
    require_edit(&user, id)?;
    let person = state.db.get_person(id).await.or_page(&user)?;
    form_page(&state, &user, Some(id), PersonForm::from_person(&person), None).await
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), mut form): CsrfForm<PersonForm>,
) -> PageResult {
    require_edit(&user, id)?;
    if !user.role.is_admin() {
        // The form shows only name and title to non-administrators: the rest stays as stored.
        let stored = PersonForm::from_person(&state.db.get_person(id).await.or_page(&user)?);
        form = PersonForm { name: form.name, title: form.title, version: form.version, ..stored };
    }
    let version = form.version.parse().ok();
    match directory::update_person(&state.db, &user.caller(), id, version, &form.input()).await {
        Ok(()) => Ok(Redirect::to(&format!("/people/{id}")).into_response()),
        Err(e @ (Error::NotFound(_) | Error::Forbidden(_))) => Err(error_page(&user, e)),
        Err(e) => form_page(&state, &user, Some(id), form, Some(e)).await,
    }
}

#[derive(Template)]
#[template(path = "directory/person_remove.html")]
struct RemovePage {
    layout: Layout,
    person: Person,
    csrf: String,
}

/// Asks before removing: says what happens to the account and the history.
pub async fn delete_form(State(state): State<AppState>, PageUser(user): PageUser, Path(id): Path<i64>) -> PageResult {
    user.require_admin().or_page(&user)?;
    let person = state.db.get_person(id).await.or_page(&user)?;
    Ok(render(&RemovePage {
        layout: Layout::new(format!("Remove {}?", person.name), &user, "people"),
        person,
        csrf: user.csrf.clone(),
    }))
}

pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), _): CsrfForm<std::collections::HashMap<String, String>>,
) -> PageResult {
    directory::archive_person(&state.db, &user.caller(), id).await.or_page(&user)?;
    Ok(Redirect::to(&format!("/people/{id}?done=archived")).into_response())
}

pub async fn restore(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), _): CsrfForm<std::collections::HashMap<String, String>>,
) -> PageResult {
    directory::restore_person(&state.db, &user.caller(), id).await.or_page(&user)?;
    Ok(Redirect::to(&format!("/people/{id}?done=restored")).into_response())
}

#[derive(Template)]
#[template(path = "directory/import.html")]
struct ImportPage {
    layout: Layout,
    csrf: String,
    row_errors: Vec<RowError>,
}

pub async fn import_form(PageUser(user): PageUser) -> PageResult {
    user.require_admin().or_page(&user)?;
    Ok(render(&ImportPage {
        layout: Layout::new("Import people", &user, "people"),
        csrf: user.csrf.clone(),
        row_errors: vec![],
    }))
}

pub async fn import(State(state): State<AppState>, PageUser(user): PageUser, multipart: Multipart) -> PageResult {
    user.require_admin().or_page(&user)?;
    let data = super::read_upload(multipart, &user.csrf).await.or_page(&user)?;
    match crate::ops::directory::import_people(&state.db, &user.caller(), &data).await {
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
