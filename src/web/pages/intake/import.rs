//! Importing a Jira export as drafts.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use bridge_domain::org::import::RowError;

use crate::ops::intake::jira::import_jira;
use crate::web::auth::PageUser;
use crate::web::pages::{error_page, read_upload, render, Layout, OrPage, PageResult};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "intake/import.html")]
struct ImportPage {
    layout: Layout,
    csrf: String,
    row_errors: Vec<RowError>,
}

pub async fn import_form(PageUser(user): PageUser) -> PageResult {
    user.require_write().or_page(&user)?;
    Ok(render(&ImportPage {
        layout: Layout::new("Import requests from Jira", &user, "intake"),
        csrf: user.csrf.clone(),
        row_errors: vec![],
    }))
}

pub async fn import(State(state): State<AppState>, PageUser(user): PageUser, multipart: Multipart) -> PageResult {
    user.require_write().or_page(&user)?;
    let data = read_upload(multipart, &user.csrf).await.or_page(&user)?;
    match import_jira(&state.db, &user.caller(), &data).await {
        Ok(Ok(_)) => Ok(Redirect::to("/requests?sort=newest&done=imported").into_response()),
        Ok(Err(row_errors)) => {
            let mut response = render(&ImportPage {
                layout: Layout::new("Import requests from Jira", &user, "intake"),
                csrf: user.csrf.clone(),
                row_errors,
            });
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(error_page(&user, e)),
    }
}
