//! Learning pages: the events to come (and past ones), an event's page with registering in one
//! click, what was shown and feedback; planning and changing events; ticking who came on a
//! phone; and each person's calendar feed.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use bridge_domain::learning::{EventKind, FeedbackInput};
use bridge_domain::{Error, FieldErrors};
use serde::Deserialize;

use super::{error_page, form_outcome, render, Layout, Opt, OrPage, PageResult, Pager};
use crate::ops::learning::{self, EventView, FeedbackSummary};
use crate::store::learning::EventFilter;
use crate::web::auth::{CsrfForm, CurrentUser, PageUser};
use crate::web::routes::Routes;
use crate::web::AppState;

mod calendar;
mod check_in;
mod form;
mod principles;
mod radar;
mod radar_svg;
mod stats;

pub fn routes() -> Routes {
    Routes::new()
        .get("/events", list)
        .get("/events/new", form::new_form)
        .post("/events", form::create)
        .get("/events/{id}", show)
        .get("/events/{id}/edit", form::edit_form)
        .post("/events/{id}/edit", form::update)
        .post("/events/{id}/register", register)
        .post("/events/{id}/unregister", unregister)
        .post("/events/{id}/cancel", call_off)
        .post("/events/{id}/feedback", give_feedback)
        .get("/events/{id}/event.ics", event_ics)
        .get("/events/{id}/check-in", check_in::page)
        .post("/events/{id}/check-in", check_in::tick)
        .get("/events/{id}/materials", check_in::materials_form)
        .post("/events/{id}/materials", check_in::save_materials)
        .get("/radar", radar::page)
        .get("/radar.csv", radar::export)
        .get("/radar/import", radar::import_form)
        .post("/radar/import", radar::import)
        .post("/radar/editions", radar::add_edition)
        .post("/radar/quadrants", radar::rename_quadrants)
        .get("/radar/entries/new", radar::new_form)
        .post("/radar/entries", radar::create)
        .get("/radar/entries/{id}", radar::entry)
        .get("/radar/entries/{id}/edit", radar::edit_form)
        .post("/radar/entries/{id}/edit", radar::update)
        .get("/learning/stats", stats::page)
        .get("/principles", principles::list)
        .get("/principles/new", principles::new_form)
        .post("/principles", principles::create)
        .get("/principles/{id}/edit", principles::edit_form)
        .post("/principles/{id}/edit", principles::update)
        .post("/principles/{id}/understood", principles::mark)
        .post("/principles/{id}/questions", principles::ask)
        .post("/principle-questions/{id}/answer", principles::answer)
        .get("/calendar", calendar::page)
        .post("/calendar/reset", calendar::reset)
        .get("/calendar/events.ics", calendar::organisation_feed)
        .get("/calendar/{code}", calendar::personal_feed)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    past: String,
    kind: String,
    page: Option<i64>,
    done: String,
}

#[derive(Template)]
#[template(path = "learning/index.html")]
struct ListPage {
    layout: Layout,
    csrf: String,
    events: Vec<EventView>,
    past: bool,
    kind_options: Vec<Opt>,
    pager: Pager,
    can_plan: bool,
}

const PER_PAGE: i64 = 20;

pub async fn list(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<ListQuery>) -> PageResult {
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let past = q.past == "yes";
    let kind = EventKind::parse(&q.kind).map(EventKind::as_str);
    let page = crate::store::Page::new(q.page, Some(PER_PAGE));
    let filter = EventFilter { past, kind };
    let (events, total) =
        learning::events(&state.db, &directory, &user.caller(), user.zone(), filter, page).await.or_page(&user)?;
    let flash = match q.done.as_str() {
        "called_off" => Some("The event is called off; everyone who registered was told.".to_string()),
        _ => None,
    };
    let kinds = EventKind::ALL.iter().map(|k| (k.as_str().to_string(), k.label().to_string()));
    let query = [("past", q.past.clone()), ("kind", kind.unwrap_or_default().to_string())];
    Ok(render(&ListPage {
        layout: Layout::new(if past { "Past events" } else { "Events" }, &user, "learning").with_flash(flash),
        csrf: user.csrf.clone(),
        events,
        past,
        kind_options: Opt::with_none("Every kind", kinds, kind.unwrap_or_default()),
        pager: Pager::new("/events", &query, page.offset / PER_PAGE + 1, PER_PAGE, total),
        can_plan: user.role.can_write(),
    }))
}

#[derive(Template)]
#[template(path = "learning/event.html")]
struct EventPage {
    layout: Layout,
    csrf: String,
    e: EventView,
    description_html: String,
    runs: bool,
    can_write: bool,
    me: i64,
    feedback: Option<FeedbackSummary>,
    form: FeedbackInput,
    errors: FieldErrors,
    conflict: Option<String>,
}

async fn event_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    flash: Option<String>,
    form: FeedbackInput,
    error: Option<Error>,
) -> PageResult {
    let (errors, conflict, status) = form_outcome(error).map_err(|e| error_page(user, e))?;
    let directory = state.directory.get(&state.db).await.or_page(user)?;
    let caller = user.caller();
    let e = learning::event(&state.db, &directory, &caller, user.zone(), id).await.or_page(user)?;
    let runs = learning::runs(&caller, &e);
    let feedback = match runs {
        true => Some(learning::feedback(&state.db, &directory, &caller, id).await.or_page(user)?),
        false => None,
    };
    let description_html = state.glossary.annotate(&state.db, &e.description, user.side).await;
    let mut response = render(&EventPage {
        layout: Layout::new(e.title.clone(), user, "learning").with_flash(flash),
        csrf: user.csrf.clone(),
        description_html,
        runs,
        can_write: user.role.can_write(),
        me: user.person_id,
        feedback,
        form,
        errors,
        conflict,
        e,
    });
    *response.status_mut() = status;
    Ok(response)
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<i64>,
    Query(q): Query<super::DoneQuery>,
) -> PageResult {
    let flash = match q.done.as_str() {
        "planned" => Some("The event is planned. Everyone sees it under Events and can register.".into()),
        "registered" => Some("You have a place. It is in your calendar feed; a reminder comes the day before.".into()),
        "waiting" => Some(
            "It is full, so you are on the waiting list. If a place comes free it is yours, and you are told.".into(),
        ),
        "unregistered" => Some("Your registration is cancelled.".into()),
        "feedback" => Some("Thank you: your feedback went to the host.".into()),
        "saved" => Some("The event is changed.".into()),
        "materials" => Some("What was shown is on the event's page.".into()),
        _ => None,
    };
    event_page(&state, &user, id, flash, FeedbackInput::default(), None).await
}

#[derive(Deserialize, Default)]
pub struct Empty {}

pub async fn register(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), _): CsrfForm<Empty>,
) -> PageResult {
    match learning::register(&state.db, &user.caller(), id).await {
        Ok((place, _)) => Ok(Redirect::to(&format!("/events/{id}?done={}", place.as_str())).into_response()),
        Err(e @ (Error::Conflict { .. } | Error::Validation { .. })) => {
            event_page(&state, &user, id, None, FeedbackInput::default(), Some(e)).await
        }
        Err(e) => Err(error_page(&user, e)),
    }
}

pub async fn unregister(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), _): CsrfForm<Empty>,
) -> PageResult {
    match learning::unregister(&state.db, &user.caller(), id).await {
        Ok(()) => Ok(Redirect::to(&format!("/events/{id}?done=unregistered")).into_response()),
        Err(e @ Error::Conflict { .. }) => event_page(&state, &user, id, None, FeedbackInput::default(), Some(e)).await,
        Err(e) => Err(error_page(&user, e)),
    }
}

pub async fn call_off(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), _): CsrfForm<Empty>,
) -> PageResult {
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    learning::call_off(&state.db, &directory, &user.caller(), id).await.or_page(&user)?;
    Ok(Redirect::to("/events?done=called_off").into_response())
}

pub async fn give_feedback(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<FeedbackInput>,
) -> PageResult {
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    match learning::give_feedback(&state.db, &directory, &user.caller(), id, &form).await {
        Ok(()) => Ok(Redirect::to(&format!("/events/{id}?done=feedback#feedback")).into_response()),
        Err(e @ Error::Forbidden(_)) | Err(e @ Error::NotFound(_)) => Err(error_page(&user, e)),
        Err(e) => event_page(&state, &user, id, None, form, Some(e)).await,
    }
}

pub async fn event_ics(State(state): State<AppState>, PageUser(user): PageUser, Path(id): Path<i64>) -> Response {
    match state.db.get_event(id).await {
        Ok(row) => crate::web::api::learning::calendar_response(learning::event_ics(&row, &state.config.base_url)),
        Err(e) => error_page(&user, e),
    }
}
