//! Office hours pages: the open-door hours on offer with their free slots (a slot's button,
//! then "Book": two clicks), publishing one's own hours, and a host's view of who booked.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use bridge_domain::engagement::{clock, parse_clock, OfficeHoursInput, WEEKDAYS};
use bridge_domain::intake::parse::Date;
use bridge_domain::{Error, FieldErrors};
use serde::Deserialize;

use super::super::{error_page, form_outcome, render, Layout, Opt, OrPage, PageResult};
use crate::ops::engagement::{self, OfficeHoursView};
use crate::web::auth::{CsrfForm, CurrentUser, PageUser};
use crate::web::AppState;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    done: String,
}

#[derive(Template)]
#[template(path = "engagement/office_hours.html")]
struct ListPage {
    layout: Layout,
    csrf: String,
    hours: Vec<OfficeHoursView>,
    me: i64,
    can_publish: bool,
}

pub async fn list(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<ListQuery>) -> PageResult {
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let hours = engagement::office_hours(&state.db, &directory, &user.caller()).await.or_page(&user)?;
    let flash = match q.done.as_str() {
        "booked" => Some("Booked. You and the host each get a calendar invitation by email.".to_string()),
        "published" => Some("Your office hours are published.".to_string()),
        "cancelled" => Some("The booking is cancelled; the calendars are told.".to_string()),
        "ended" => Some("Those office hours are no longer offered.".to_string()),
        _ => None,
    };
    Ok(render(&ListPage {
        layout: Layout::new("Office hours", &user, "engagement").with_flash(flash),
        csrf: user.csrf.clone(),
        hours,
        me: user.person_id,
        can_publish: matches!(user.role, bridge_domain::org::Role::Admin | bridge_domain::org::Role::It),
    }))
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct SlotQuery {
    date: String,
    start: String,
    topic: String,
}

#[derive(Template)]
#[template(path = "engagement/book.html")]
struct BookPage {
    layout: Layout,
    csrf: String,
    hours: OfficeHoursView,
    slot: SlotQuery,
    end: String,
    errors: FieldErrors,
    conflict: Option<String>,
}

async fn book_page(state: &AppState, user: &CurrentUser, id: i64, slot: SlotQuery, error: Option<Error>) -> PageResult {
    let (errors, conflict, status) = form_outcome(error).map_err(|e| error_page(user, e))?;
    let directory = state.directory.get(&state.db).await.or_page(user)?;
    let hours = engagement::one_office_hours(&state.db, &directory, &user.caller(), id).await.or_page(user)?;
    let slot_minutes = hours
        .slots
        .first()
        .map_or(30, |s| parse_clock(&s.end).unwrap_or(0).saturating_sub(parse_clock(&s.start).unwrap_or(0)));
    let end = parse_clock(&slot.start).map(|s| clock(s + slot_minutes)).unwrap_or_default();
    let mut response = render(&BookPage {
        layout: Layout::new("Book office hours", user, "engagement"),
        csrf: user.csrf.clone(),
        hours,
        slot,
        end,
        errors,
        conflict,
    });
    *response.status_mut() = status;
    Ok(response)
}

/// The second click's page: the slot chosen, what to talk about (optional), and "Book".
pub async fn book_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<i64>,
    Query(slot): Query<SlotQuery>,
) -> PageResult {
    user.require_write().or_page(&user)?;
    book_page(&state, &user, id, slot, None).await
}

pub async fn book(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), slot): CsrfForm<SlotQuery>,
) -> PageResult {
    user.require_write().or_page(&user)?;
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let booked = match parse_clock(&slot.start) {
        None => Err(Error::field("slot", "Choose a slot from the list.")),
        Some(start) => {
            engagement::book(&state.db, &directory, &user.caller(), id, &slot.date, start, &slot.topic).await
        }
    };
    match booked {
        Ok(_) => Ok(Redirect::to("/office-hours?done=booked").into_response()),
        Err(e @ Error::NotFound(_)) => Err(error_page(&user, e)),
        Err(e) => book_page(&state, &user, id, slot, Some(e)).await,
    }
}

pub async fn cancel(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), _): CsrfForm<SlotQuery>,
) -> PageResult {
    engagement::cancel_booking(&state.db, &user.caller(), id).await.or_page(&user)?;
    Ok(Redirect::to("/office-hours?done=cancelled").into_response())
}

pub async fn end(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), _): CsrfForm<SlotQuery>,
) -> PageResult {
    engagement::end_office_hours(&state.db, &user.caller(), id).await.or_page(&user)?;
    Ok(Redirect::to("/office-hours?done=ended").into_response())
}

#[derive(Template)]
#[template(path = "engagement/office_hours_form.html")]
struct FormPage {
    layout: Layout,
    csrf: String,
    form: OfficeHoursInput,
    weekday_options: Vec<Opt>,
    host_options: Vec<Opt>,
    is_admin: bool,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct HoursForm {
    #[serde(flatten)]
    input: OfficeHoursInput,
    host_id: String,
}

async fn form_page(state: &AppState, user: &CurrentUser, form: HoursForm, error: Option<Error>) -> PageResult {
    let (errors, _, status) = form_outcome(error).map_err(|e| error_page(user, e))?;
    let directory = state.directory.get(&state.db).await.or_page(user)?;
    let weekdays = WEEKDAYS.iter().enumerate().map(|(i, d)| (i.to_string(), d.to_string()));
    let hosts = directory.people.iter().map(|p| (p.id.to_string(), p.name.clone()));
    let host = if form.host_id.is_empty() { user.person_id.to_string() } else { form.host_id.clone() };
    let mut response = render(&FormPage {
        layout: Layout::new("Offer office hours", user, "engagement"),
        csrf: user.csrf.clone(),
        weekday_options: Opt::list(weekdays, &form.input.weekday),
        host_options: Opt::list(hosts, &host),
        is_admin: user.role.is_admin(),
        form: form.input,
        errors,
    });
    *response.status_mut() = status;
    Ok(response)
}

pub async fn new_form(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    user.require_write().or_page(&user)?;
    let input = OfficeHoursInput {
        weekday: "1".into(),
        start: "14:00".into(),
        end: "16:00".into(),
        slot_minutes: "30".into(),
        from: Date::from_days(crate::ops::contact::today()).to_string(),
        ..Default::default()
    };
    form_page(&state, &user, HoursForm { input, host_id: String::new() }, None).await
}

pub async fn publish(State(state): State<AppState>, CsrfForm(PageUser(user), form): CsrfForm<HoursForm>) -> PageResult {
    user.require_write().or_page(&user)?;
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let host = super::super::opt_id(&form.host_id).filter(|_| user.role.is_admin());
    match engagement::publish_office_hours(&state.db, &directory, &user.caller(), host, &form.input).await {
        Ok(_) => Ok(Redirect::to("/office-hours?done=published").into_response()),
        Err(e @ Error::Forbidden(_)) => Err(error_page(&user, e)),
        Err(e) => form_page(&state, &user, form, Some(e)).await,
    }
}
