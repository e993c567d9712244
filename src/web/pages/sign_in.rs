//! The sign-in settings page (administrators): single sign-on as this server has it, who may
//! still use a password, and whether the provider's people get an account at their first sign-in.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use bridge_domain::org::Role;
use bridge_domain::sso::{NewAccounts, PasswordSignIn};
use bridge_domain::{Error, FieldErrors};
use serde::Deserialize;

use super::{error_page, render, DoneQuery, Layout, Opt, OrPage, PageResult};
use crate::ops::sso;
use crate::web::auth::{CsrfForm, CurrentUser, PageUser};
use crate::web::routes::Routes;
use crate::web::AppState;

pub fn routes() -> Routes {
    Routes::new().get("/admin/sign-in", show).post("/admin/sign-in", save)
}

#[derive(Template)]
#[template(path = "admin/sign_in.html")]
struct SignInPage {
    layout: Layout,
    /// (button name, issuer, callback URL) when single sign-on is set up.
    sso: Option<(String, String, String)>,
    /// Where the provider sends people back after signing out.
    signed_out: String,
    password_options: Vec<Opt>,
    new_account_options: Vec<Opt>,
    errors: FieldErrors,
    saved: bool,
    csrf: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SignInForm {
    password_sign_in: String,
    new_accounts: String,
}

async fn page(state: &AppState, user: &CurrentUser, form: SignInForm, errors: FieldErrors, saved: bool) -> PageResult {
    let accounts = state.db.list_accounts().await.or_page(user)?;
    let mut passwords = vec![(PasswordSignIn::Everyone.as_code(), "Everyone with a Bridge password".to_string())];
    passwords.extend(
        accounts
            .iter()
            .filter(|a| a.role == Role::Admin && a.disabled_at.is_none())
            .map(|a| (PasswordSignIn::OnlyBreakGlass(a.id).as_code(), format!("Only {}, for emergencies", a.name))),
    );
    let mut new_accounts =
        vec![(NewAccounts::Refused.as_code().to_string(), "No: an administrator gives each account".into())];
    new_accounts.extend(
        [Role::Viewer, Role::Business, Role::It]
            .map(|r| (NewAccounts::WithRole(r).as_code().to_string(), format!("Yes, with the role {}", r.label()))),
    );
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut response = render(&SignInPage {
        layout: Layout::new("Sign-in", user, "admin"),
        sso: state.sso.as_ref().map(|s| (s.name.clone(), s.issuer().to_string(), s.callback_url().to_string())),
        signed_out: format!("{}/login", state.config.base_url.trim_end_matches('/')),
        password_options: Opt::list(passwords, &form.password_sign_in),
        new_account_options: Opt::list(new_accounts, &form.new_accounts),
        errors,
        saved,
        csrf: user.csrf.clone(),
    });
    *response.status_mut() = status;
    Ok(response)
}

pub async fn show(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<DoneQuery>) -> PageResult {
    let current = sso::settings(&state.db, &user.caller()).await.or_page(&user)?;
    let form = SignInForm {
        password_sign_in: current.password.as_code(),
        new_accounts: current.new_accounts.as_code().to_string(),
    };
    page(&state, &user, form, FieldErrors::new(), q.done == "saved").await
}

pub async fn save(State(state): State<AppState>, CsrfForm(PageUser(user), form): CsrfForm<SignInForm>) -> PageResult {
    let saved =
        sso::save_settings(&state.db, &user.caller(), state.sso.is_some(), &form.password_sign_in, &form.new_accounts)
            .await;
    match saved {
        Ok(_) => Ok(Redirect::to("/admin/sign-in?done=saved").into_response()),
        Err(Error::Validation { fields, .. }) => page(&state, &user, form, fields, false).await,
        Err(e) => Err(error_page(&user, e)),
    }
}
