//! The signed-in person's notifications.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;

use super::{opt_id, render, Layout, OrPage, PageResult};
use crate::store::notifications::Notification;
use crate::store::Page;
use crate::web::auth::{local_next, CsrfForm, PageUser};
use crate::web::routes::Routes;
use crate::web::AppState;

pub fn routes() -> Routes {
    Routes::new().get("/notifications", list).post("/notifications/read", mark_read)
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    layout: Layout,
    csrf: String,
    items: Vec<Notification>,
}

pub async fn list(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    let items = state.db.list_notifications(user.account_id, Page::new(Some(1), Some(100))).await.or_page(&user)?;
    Ok(render(&NotificationsPage {
        layout: Layout::new("Notifications", &user, "notifications"),
        csrf: user.csrf.clone(),
        items,
    }))
}

#[derive(Deserialize, Default)]
pub struct ReadForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    next: String,
}

pub async fn mark_read(
    State(state): State<AppState>,
    CsrfForm(PageUser(user), form): CsrfForm<ReadForm>,
) -> PageResult {
    state.db.mark_read(user.account_id, opt_id(&form.id)).await.or_page(&user)?;
    // Only local links: a notification's own link or the list.
    Ok(Redirect::to(&local_next(&form.next, "/notifications")).into_response())
}
