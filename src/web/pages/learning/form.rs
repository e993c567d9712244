//! Planning an event and changing it: people are typed by name (the directory's list offers
//! them), times are in a zone chosen from the list, and a series repeats every few weeks.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use bridge_domain::learning::{validate_event, Audience, EventInput, EventKind, DEFAULT_ZONE};
use bridge_domain::{Error, FieldErrors};
use serde::Deserialize;

use super::super::{error_page, find_person, form_outcome, person_choice, render, Layout, Opt, OrPage, PageResult};
use crate::ops::directory::Directory;
use crate::ops::learning;
use crate::web::auth::{CsrfForm, CurrentUser, PageUser};
use crate::web::AppState;

/// The form as sent: the event's fields, with people as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct EventForm {
    kind: String,
    title: String,
    description: String,
    audience: String,
    date: String,
    start: String,
    end: String,
    end_date: String,
    time_zone: String,
    place: String,
    link: String,
    host: String,
    speaker_1: String,
    speaker_2: String,
    speaker_3: String,
    capacity: String,
    repeat_weeks: String,
    repeat_until: String,
    version: String,
}

impl EventForm {
    fn speakers(&self) -> [(&'static str, &String); 3] {
        [("speaker_1", &self.speaker_1), ("speaker_2", &self.speaker_2), ("speaker_3", &self.speaker_3)]
    }

    fn of(e: &learning::EventView) -> EventForm {
        let speaker = |i: usize| e.speakers.get(i).map(|p| p.name.clone()).unwrap_or_default();
        EventForm {
            kind: e.kind.clone(),
            title: e.title.clone(),
            description: e.description.clone(),
            audience: e.audience.clone(),
            date: e.date.clone(),
            start: e.start.clone(),
            end: e.end.clone(),
            end_date: e.end_date.clone(),
            time_zone: e.time_zone.clone(),
            place: e.place.clone(),
            link: e.link.clone(),
            host: e.host.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
            speaker_1: speaker(0),
            speaker_2: speaker(1),
            speaker_3: speaker(2),
            capacity: e.capacity.map(|c| c.to_string()).unwrap_or_default(),
            version: e.version.to_string(),
            ..Default::default()
        }
    }

    /// The event the form describes, and the problems with its people by field.
    fn read(&self, directory: &Directory) -> (EventInput, FieldErrors) {
        let mut errors = FieldErrors::new();
        let mut find = |field: &str, typed: &str| match find_person(directory, typed) {
            Ok(p) => Some(p.id),
            Err(e) => {
                errors.insert(field.to_string(), e);
                None
            }
        };
        let host_id = match self.host.trim() {
            "" => None,
            typed => find("host", typed),
        };
        let speakers =
            self.speakers().iter().filter(|(_, t)| !t.trim().is_empty()).filter_map(|(f, t)| find(f, t)).collect();
        let input = EventInput {
            kind: self.kind.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            audience: self.audience.clone(),
            date: self.date.clone(),
            start: self.start.clone(),
            end: self.end.clone(),
            end_date: self.end_date.clone(),
            time_zone: self.time_zone.clone(),
            place: self.place.clone(),
            link: self.link.clone(),
            host_id,
            speakers,
            capacity: self.capacity.clone(),
            repeat_weeks: self.repeat_weeks.clone(),
            repeat_until: self.repeat_until.clone(),
        };
        (input, errors)
    }
}

#[derive(Template)]
#[template(path = "learning/form.html")]
struct FormPage {
    layout: Layout,
    csrf: String,
    /// None: a new event.
    id: Option<i64>,
    form: EventForm,
    kind_options: Vec<Opt>,
    audience_options: Vec<Opt>,
    zones: Vec<&'static str>,
    people: Vec<String>,
    errors: FieldErrors,
    conflict: Option<String>,
}

async fn form_page(
    state: &AppState,
    user: &CurrentUser,
    id: Option<i64>,
    form: EventForm,
    error: Option<Error>,
) -> PageResult {
    let (mut errors, conflict, status) = form_outcome(error).map_err(|e| error_page(user, e))?;
    // The domain names the field `host_id`; the form, `host`.
    if let Some(e) = errors.remove("host_id") {
        errors.insert("host".into(), e);
    }
    let directory = state.directory.get(&state.db).await.or_page(user)?;
    let kinds = EventKind::ALL.iter().map(|k| (k.as_str().to_string(), k.label().to_string()));
    let audiences = Audience::ALL.iter().map(|a| (a.as_str().to_string(), a.label().to_string()));
    let title = if id.is_some() { "Change the event" } else { "Plan an event" };
    let mut response = render(&FormPage {
        layout: Layout::new(title, user, "learning"),
        csrf: user.csrf.clone(),
        id,
        kind_options: Opt::list(kinds, &form.kind),
        audience_options: Opt::list(audiences, &form.audience),
        zones: bridge_domain::learning::zone_names().collect(),
        people: directory.people.iter().map(person_choice).collect(),
        form,
        errors,
        conflict,
    });
    *response.status_mut() = status;
    Ok(response)
}

pub async fn new_form(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    user.require_write().or_page(&user)?;
    let form = EventForm {
        kind: "brown_bag".into(),
        audience: "everyone".into(),
        start: "12:30".into(),
        end: "13:30".into(),
        time_zone: user.time_zone.clone().unwrap_or_else(|| DEFAULT_ZONE.to_string()),
        host: user.name.clone(),
        ..Default::default()
    };
    form_page(&state, &user, None, form, None).await
}

/// The people typed that were not found, with the event's own problems (checked without
/// writing), each beside its field.
fn people_errors(
    directory: &Directory,
    user: &CurrentUser,
    input: &EventInput,
    now: Option<i64>,
    people: FieldErrors,
) -> Error {
    let mut all = people;
    let exists = |id| directory.person(id).is_some();
    if let Err(Error::Validation { fields, .. }) = validate_event(input, now, user.person_id, exists) {
        for (field, message) in fields {
            all.entry(field).or_insert(message);
        }
    }
    Error::check(all).err().unwrap_or_else(|| Error::internal("people's errors were empty"))
}

pub async fn create(State(state): State<AppState>, CsrfForm(PageUser(user), form): CsrfForm<EventForm>) -> PageResult {
    user.require_write().or_page(&user)?;
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let (input, people) = form.read(&directory);
    let planned = match people.is_empty() {
        true => learning::plan_event(&state.db, &directory, &state.glossary, &user.caller(), &input).await,
        false => Err(people_errors(&directory, &user, &input, Some(crate::store::now_ms()), people)),
    };
    match planned {
        Ok(p) => Ok(Redirect::to(&format!("/events/{}?done=planned", p.ids[0])).into_response()),
        Err(e @ Error::Forbidden(_)) => Err(error_page(&user, e)),
        Err(e) => form_page(&state, &user, None, form, Some(e)).await,
    }
}

pub async fn edit_form(State(state): State<AppState>, PageUser(user): PageUser, Path(id): Path<i64>) -> PageResult {
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let e = learning::event(&state.db, &directory, &user.caller(), None, id).await.or_page(&user)?;
    learning::require_runs(&user.caller(), &e).or_page(&user)?;
    form_page(&state, &user, Some(id), EventForm::of(&e), None).await
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<EventForm>,
) -> PageResult {
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let (input, people) = form.read(&directory);
    let version = form.version.trim().parse().unwrap_or(0);
    let changed = match people.is_empty() {
        true => learning::change_event(&state.db, &directory, &state.glossary, &user.caller(), id, version, &input)
            .await
            .map(|_| ()),
        false => Err(people_errors(&directory, &user, &input, None, people)),
    };
    match changed {
        Ok(()) => Ok(Redirect::to(&format!("/events/{id}?done=saved")).into_response()),
        Err(e @ (Error::Forbidden(_) | Error::NotFound(_))) => Err(error_page(&user, e)),
        Err(e) => form_page(&state, &user, Some(id), form, Some(e)).await,
    }
}
