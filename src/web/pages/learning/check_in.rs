//! On the day: a list to tick who came, made for a phone (one big button per person, and
//! someone who came without registering added by name); afterwards, what was shown.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use bridge_domain::learning::MaterialsInput;
use bridge_domain::{Error, FieldErrors};
use serde::Deserialize;

use super::super::{error_page, find_person, form_outcome, person_choice, render, Layout, OrPage, PageResult};
use crate::ops::learning::{self, Attendee, EventView};
use crate::web::auth::{CsrfForm, CurrentUser, PageUser};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "learning/check_in.html")]
struct CheckInPage {
    layout: Layout,
    csrf: String,
    e: EventView,
    list: Vec<Attendee>,
    people: Vec<String>,
    walk_in: String,
    errors: FieldErrors,
    conflict: Option<String>,
}

async fn check_in_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    walk_in: String,
    error: Option<Error>,
) -> PageResult {
    let (errors, conflict, status) = form_outcome(error).map_err(|e| error_page(user, e))?;
    let directory = state.directory.get(&state.db).await.or_page(user)?;
    let caller = user.caller();
    let e = learning::event(&state.db, &directory, &caller, user.zone(), id).await.or_page(user)?;
    let list = learning::attendees(&state.db, &directory, &caller, id).await.or_page(user)?;
    let mut response = render(&CheckInPage {
        layout: Layout::new(format!("Who came: {}", e.title), user, "learning"),
        csrf: user.csrf.clone(),
        people: directory.people.iter().map(person_choice).collect(),
        e,
        list,
        walk_in,
        errors,
        conflict,
    });
    *response.status_mut() = status;
    Ok(response)
}

pub async fn page(State(state): State<AppState>, PageUser(user): PageUser, Path(id): Path<i64>) -> PageResult {
    check_in_page(&state, &user, id, String::new(), None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TickForm {
    /// A person on the list…
    person_id: String,
    /// …or someone typed by name.
    walk_in: String,
    /// "yes": they came; else untick.
    attended: String,
}

pub async fn tick(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<TickForm>,
) -> PageResult {
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let person = match super::super::opt_id(&form.person_id) {
        Some(p) => Ok(p),
        None => find_person(&directory, &form.walk_in).map(|p| p.id).map_err(|e| Error::field("walk_in", e)),
    };
    let ticked = match person {
        Ok(p) => learning::check_in(&state.db, &directory, &user.caller(), id, p, form.attended == "yes").await,
        Err(e) => Err(e),
    };
    match ticked {
        // Back to the same place on the list.
        Ok(()) => Ok(Redirect::to(&format!("/events/{id}/check-in#person-{}", form.person_id)).into_response()),
        Err(e @ (Error::Forbidden(_) | Error::NotFound(_))) => Err(error_page(&user, e)),
        Err(e) => check_in_page(&state, &user, id, form.walk_in, Some(e)).await,
    }
}

#[derive(Template)]
#[template(path = "learning/materials.html")]
struct MaterialsPage {
    layout: Layout,
    csrf: String,
    e: EventView,
    form: MaterialsInput,
    errors: FieldErrors,
}

async fn materials_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    form: Option<MaterialsInput>,
    error: Option<Error>,
) -> PageResult {
    let (errors, _, status) = form_outcome(error).map_err(|e| error_page(user, e))?;
    let directory = state.directory.get(&state.db).await.or_page(user)?;
    let e = learning::event(&state.db, &directory, &user.caller(), user.zone(), id).await.or_page(user)?;
    learning::require_runs(&user.caller(), &e).or_page(user)?;
    let form = form.unwrap_or_else(|| MaterialsInput {
        materials: e.materials.iter().map(|m| format!("{} {}", m.title, m.url)).collect::<Vec<_>>().join("\n"),
        recording_url: e.recording_url.clone(),
    });
    let mut response = render(&MaterialsPage {
        layout: Layout::new(format!("What was shown: {}", e.title), user, "learning"),
        csrf: user.csrf.clone(),
        e,
        form,
        errors,
    });
    *response.status_mut() = status;
    Ok(response)
}

pub async fn materials_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<i64>,
) -> PageResult {
    materials_page(&state, &user, id, None, None).await
}

pub async fn save_materials(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<MaterialsInput>,
) -> PageResult {
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    match learning::save_materials(&state.db, &directory, &user.caller(), id, &form).await {
        Ok(()) => Ok(Redirect::to(&format!("/events/{id}?done=materials")).into_response()),
        Err(e @ Error::Validation { .. }) => materials_page(&state, &user, id, Some(form), Some(e)).await,
        Err(e) => Err(error_page(&user, e)),
    }
}
