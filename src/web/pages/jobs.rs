//! The background jobs page (administrators): what waits, what failed and why, and retry.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use bridge_domain::jobs::JobState;
use serde::Deserialize;

use super::{render, Layout, OrPage, PageResult, Pager};
use crate::ops::jobs;
use crate::store::jobs::{Job, QueueSize};
use crate::store::Page;
use crate::web::auth::{CsrfForm, PageUser};
use crate::web::routes::Routes;
use crate::web::AppState;

pub fn routes() -> Routes {
    Routes::new().get("/admin/jobs", list).post("/admin/jobs/{id}/retry", retry)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct JobsQuery {
    state: String,
    page: String,
}

/// A filter choice above the table.
struct Tab {
    href: String,
    label: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "admin/jobs.html")]
struct JobsPage {
    layout: Layout,
    size: QueueSize,
    tabs: Vec<Tab>,
    jobs: Vec<Job>,
    total: i64,
    pager: Pager,
    csrf: String,
}

const PER_PAGE: i64 = 50;

pub async fn list(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<JobsQuery>) -> PageResult {
    let size = jobs::queue_size(&state.db, &user.caller()).await.or_page(&user)?;
    // Failed jobs first when there are any: they are what needs an administrator.
    let wanted = match (q.state.as_str(), JobState::parse(&q.state)) {
        ("all", _) => None,
        (_, Some(s)) => Some(s),
        _ if size.failed > 0 => Some(JobState::Failed),
        _ => None,
    };
    let page_no = q.page.parse().unwrap_or(1i64).max(1);
    let (jobs, total) =
        jobs::list(&state.db, &user.caller(), wanted, Page::new(Some(page_no), Some(PER_PAGE))).await.or_page(&user)?;
    let code = wanted.map_or("all", JobState::as_str);
    let counts = [("failed", size.failed), ("queued", size.queued), ("running", size.running)];
    let mut tabs: Vec<Tab> = counts
        .iter()
        .map(|(s, n)| Tab {
            href: format!("/admin/jobs?state={s}"),
            label: format!("{} ({n})", JobState::parse(s).map_or("", JobState::label)),
            current: code == *s,
        })
        .collect();
    tabs.push(Tab { href: "/admin/jobs?state=all".into(), label: "All".into(), current: code == "all" });
    let pager = Pager::new("/admin/jobs", &[("state", code.to_string())], page_no, PER_PAGE, total);
    Ok(render(&JobsPage {
        layout: Layout::new("Background jobs", &user, "admin"),
        size,
        tabs,
        jobs,
        total,
        pager,
        csrf: user.csrf.clone(),
    }))
}

pub async fn retry(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), _): CsrfForm<std::collections::HashMap<String, String>>,
) -> PageResult {
    jobs::retry(&state.db, &user.caller(), &state.jobs, id).await.or_page(&user)?;
    Ok(Redirect::to("/admin/jobs?state=failed").into_response())
}
