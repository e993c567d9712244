//! Personal API tokens: create (shown once), list, revoke.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use bridge_domain::{Error, FieldErrors};
use serde::Deserialize;

use super::{error_page, render, Layout, OrPage, PageResult};
use crate::store::accounts::ApiToken;
use crate::web::auth::{CsrfForm, CurrentUser, PageUser};
use crate::web::routes::Routes;
use crate::web::AppState;

pub fn routes() -> Routes {
    Routes::new()
        .get("/tokens", mine)
        .post("/tokens", create)
        .post("/tokens/{id}/revoke", revoke)
        .get("/admin/tokens", all)
}

#[derive(Template)]
#[template(path = "admin/tokens.html")]
struct TokensPage {
    layout: Layout,
    all: bool,
    tokens: Vec<ApiToken>,
    csrf: String,
    token_label: String,
    new_secret: Option<String>,
    errors: FieldErrors,
}

async fn mine_page(
    state: &AppState,
    user: &CurrentUser,
    label: String,
    new_secret: Option<String>,
    errors: FieldErrors,
) -> PageResult {
    let tokens = state.db.list_tokens(Some(user.account_id)).await.or_page(user)?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut response = render(&TokensPage {
        layout: Layout::new("My API tokens", user, "settings"),
        all: false,
        tokens,
        csrf: user.csrf.clone(),
        token_label: label,
        new_secret,
        errors,
    });
    *response.status_mut() = status;
    Ok(response)
}

pub async fn mine(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    mine_page(&state, &user, String::new(), None, FieldErrors::new()).await
}

pub async fn all(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    user.require_admin().or_page(&user)?;
    let tokens = state.db.list_tokens(None).await.or_page(&user)?;
    Ok(render(&TokensPage {
        layout: Layout::new("All API tokens", &user, "admin"),
        all: true,
        tokens,
        csrf: user.csrf.clone(),
        token_label: String::new(),
        new_secret: None,
        errors: FieldErrors::new(),
    }))
}

#[derive(Deserialize, Default)]
pub struct TokenForm {
    #[serde(default)]
    label: String,
}

/// Any signed-in person may hold tokens; a token acts with its owner's role, so a viewer's token reads only.
pub async fn create(State(state): State<AppState>, CsrfForm(PageUser(user), form): CsrfForm<TokenForm>) -> PageResult {
    match crate::ops::accounts::create_token(&state.db, &user.actor(), user.account_id, &form.label, None).await {
        Ok(secret) => mine_page(&state, &user, String::new(), Some(secret), FieldErrors::new()).await,
        Err(Error::Validation { fields, .. }) => mine_page(&state, &user, form.label, None, fields).await,
        Err(e) => Err(error_page(&user, e)),
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), _): CsrfForm<std::collections::HashMap<String, String>>,
) -> PageResult {
    let token = crate::ops::accounts::revoke_token(&state.db, &user.caller(), id).await.or_page(&user)?;
    let back = if token.account_id == user.account_id { "/tokens" } else { "/admin/tokens" };
    Ok(Redirect::to(back).into_response())
}
