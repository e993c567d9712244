//! Importing a Jira export: upload, a preview of what the import would do, the import itself,
//! its result with the requests it brought in, and undoing it (administrators).

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use base64::Engine;
use bridge_domain::org::import::RowError;
use bridge_domain::Error;
use serde::Deserialize;

use crate::ops::intake::jira::{import_jira, plan_jira, undo_import, JiraPlan};
use crate::store::intake::imports::{ImportRecord, ImportedRequest};
use crate::web::auth::{CsrfForm, PageUser};
use crate::web::pages::{error_page, read_upload, render, Layout, OrPage, PageResult};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "intake/import.html")]
struct ImportPage {
    layout: Layout,
    csrf: String,
    row_errors: Vec<RowError>,
    /// What the uploaded file would do, before it is imported.
    preview: Option<Preview>,
}

/// The preview: counts and titles, and the file itself to send back with "Import".
struct Preview {
    new: Vec<String>,
    updated: Vec<String>,
    skipped: Vec<(usize, String, &'static str)>,
    file: String,
}

fn import_page(
    user: &crate::web::auth::CurrentUser,
    row_errors: Vec<RowError>,
    preview: Option<Preview>,
) -> PageResult {
    let status = if row_errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut response = render(&ImportPage {
        layout: Layout::new("Import requests from Jira", user, "intake"),
        csrf: user.csrf.clone(),
        row_errors,
        preview,
    });
    *response.status_mut() = status;
    Ok(response)
}

pub async fn import_form(PageUser(user): PageUser) -> PageResult {
    user.require_write().or_page(&user)?;
    import_page(&user, vec![], None)
}

/// The uploaded file, checked: its problems, or what importing it would do.
pub async fn preview(State(state): State<AppState>, PageUser(user): PageUser, multipart: Multipart) -> PageResult {
    user.require_write().or_page(&user)?;
    let data = read_upload(multipart, &user.csrf).await.or_page(&user)?;
    let plan: JiraPlan = plan_jira(&state.db, &user.caller(), &data).await.or_page(&user)?;
    if !plan.errors.is_empty() {
        return import_page(&user, plan.errors, None);
    }
    let preview = Preview {
        new: plan.new.iter().map(|s| s.body.title.clone()).collect(),
        updated: plan.updates.iter().map(|u| u.body.title.clone()).collect(),
        skipped: plan.skipped.iter().map(|s| (s.line, s.key.clone(), s.why)).collect(),
        file: base64::engine::general_purpose::STANDARD.encode(&data),
    };
    import_page(&user, vec![], Some(preview))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ConfirmForm {
    file: String,
}

pub async fn import(
    State(state): State<AppState>,
    CsrfForm(PageUser(user), form): CsrfForm<ConfirmForm>,
) -> PageResult {
    let data = base64::engine::general_purpose::STANDARD
        .decode(form.file.trim())
        .map_err(|_| Error::field("file", "The file to import was lost on the way. Upload it again."))
        .or_page(&user)?;
    match import_jira(&state.db, &user.caller(), &data).await {
        Ok(Ok(done)) => Ok(Redirect::to(&format!("/requests/imports/{}", done.import_id)).into_response()),
        Ok(Err(row_errors)) => import_page(&user, row_errors, None),
        Err(e) => Err(error_page(&user, e)),
    }
}

#[derive(Template)]
#[template(path = "intake/imported.html")]
struct ImportedPage {
    layout: Layout,
    import: ImportRecord,
    requests: Vec<ImportedRequest>,
    can_undo: bool,
    csrf: String,
}

pub async fn imported(State(state): State<AppState>, PageUser(user): PageUser, Path(id): Path<i64>) -> PageResult {
    let import = state.db.get_import(id).await.or_page(&user)?;
    let requests = state.db.imported_requests(id).await.or_page(&user)?;
    Ok(render(&ImportedPage {
        layout: Layout::new("Imported from Jira", &user, "intake"),
        can_undo: user.role.is_admin() && import.undone_at.is_none(),
        import,
        requests,
        csrf: user.csrf.clone(),
    }))
}

pub async fn undo(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), _): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    undo_import(&state.db, &user.caller(), id).await.or_page(&user)?;
    Ok(Redirect::to(&format!("/requests/imports/{id}")).into_response())
}
