//! Calendar feeds: the page with one's own feed address (and a button to make it new), the
//! feed itself for calendar clients (no sign-in: the address's secret is the key), and the
//! organisation's feed of every event.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::super::{render, DoneQuery, Layout, OrPage, PageResult};
use crate::ops::learning;
use crate::web::api::learning::calendar_response;
use crate::web::auth::{CsrfForm, PageUser};
use crate::web::error::ApiError;
use crate::web::AppState;

#[derive(Template)]
#[template(path = "learning/calendar.html")]
struct CalendarPage {
    layout: Layout,
    csrf: String,
    url: String,
    webcal: String,
    organisation_url: String,
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    axum::extract::Query(q): axum::extract::Query<DoneQuery>,
) -> PageResult {
    let path = learning::feed_path(&state.db, user.person_id).await.or_page(&user)?;
    let base = &state.config.base_url;
    let url = format!("{base}{path}");
    let flash = (q.done == "reset")
        .then(|| "Your calendar has a new address. Subscribe to it again; the old one no longer works.".to_string());
    Ok(render(&CalendarPage {
        layout: Layout::new("Your calendar", &user, "learning").with_flash(flash),
        csrf: user.csrf.clone(),
        webcal: url.replacen("https://", "webcal://", 1).replacen("http://", "webcal://", 1),
        url,
        organisation_url: format!("{base}/calendar/events.ics"),
    }))
}

pub async fn reset(State(state): State<AppState>, CsrfForm(PageUser(user), _): CsrfForm<super::Empty>) -> PageResult {
    learning::reset_feed(&state.db, user.person_id).await.or_page(&user)?;
    Ok(Redirect::to("/calendar?done=reset").into_response())
}

/// A person's feed, for their calendar client: a reset or forged address is "not found".
pub async fn personal_feed(State(state): State<AppState>, Path(code): Path<String>) -> Response {
    let feed = async {
        let person = learning::feed_owner(&state.db, &code).await?;
        let directory = state.directory.get(&state.db).await?;
        state.feeds.get(&state.db, &directory, person, &state.config.base_url).await
    };
    match feed.await {
        Ok(body) => calendar_response(body.1.clone()),
        Err(e) => ApiError(e).into_response(),
    }
}

pub async fn organisation_feed(State(state): State<AppState>) -> Response {
    match learning::organisation_feed(&state.db, &state.config.base_url).await {
        Ok(body) => calendar_response(body),
        Err(e) => ApiError(e).into_response(),
    }
}
