//! Administration: accounts and roles, and the audit log. Admins only.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use bridge_domain::org::{normalise_email, Role};
use bridge_domain::{Error, FieldErrors};
use serde::Deserialize;

use super::{error_page, opt_id, render, Layout, Opt, OrPage, PageResult, Pager};
use crate::ops::accounts;
use crate::store::accounts::Account;
use crate::store::audit::{AuditEntry, AuditFilter};
use crate::store::Page;
use crate::web::auth::{CsrfForm, CurrentUser, PageUser};
use crate::web::routes::Routes;
use crate::web::AppState;

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin", admin_home)
        .get("/admin/accounts", accounts)
        .post("/admin/accounts", create_account)
        .get("/admin/accounts/{id}", account)
        .post("/admin/accounts/{id}", update_account)
        .post("/admin/accounts/{id}/password", set_password)
        .get("/admin/audit", audit)
}

/// The Admin link's target: the first admin page.
pub async fn admin_home(PageUser(user): PageUser) -> PageResult {
    user.require_admin().or_page(&user)?;
    Ok(Redirect::to("/admin/accounts").into_response())
}

fn role_options(selected: &str) -> Vec<Opt> {
    Opt::list(Role::ALL.iter().map(|r| (r.as_str().to_string(), r.label().to_string())), selected)
}

#[derive(Deserialize, Default)]
pub struct NewAccountForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
}

#[derive(Template)]
#[template(path = "admin/accounts.html")]
struct AccountsPage {
    layout: Layout,
    accounts: Vec<Account>,
    csrf: String,
    form: NewAccountForm,
    role_options: Vec<Opt>,
    errors: FieldErrors,
}

async fn accounts_page(
    state: &AppState,
    user: &CurrentUser,
    form: NewAccountForm,
    errors: FieldErrors,
    status: StatusCode,
) -> PageResult {
    let accounts = state.db.list_accounts().await.or_page(user)?;
    let role_options = role_options(if form.role.is_empty() { "business" } else { &form.role });
    let mut response = render(&AccountsPage {
        layout: Layout::new("Accounts", user, "admin"),
        accounts,
        csrf: user.csrf.clone(),
        form,
        role_options,
        errors,
    });
    *response.status_mut() = status;
    Ok(response)
}

pub async fn accounts(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    user.require_admin().or_page(&user)?;
    accounts_page(&state, &user, NewAccountForm::default(), FieldErrors::new(), StatusCode::OK).await
}

pub async fn create_account(
    State(state): State<AppState>,
    CsrfForm(PageUser(user), form): CsrfForm<NewAccountForm>,
) -> PageResult {
    user.require_admin().or_page(&user)?;
    let email = normalise_email(&form.email);
    let result = accounts::create_account(&state.db, &user.caller(), &email, &form.role, form.password.clone()).await;
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/admin/accounts/{id}")).into_response()),
        Err(Error::Validation { fields, .. }) => {
            accounts_page(&state, &user, form, fields, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(Error::Conflict { message, .. }) => {
            accounts_page(&state, &user, form, [("email".to_string(), message)].into(), StatusCode::CONFLICT).await
        }
        Err(e) => Err(error_page(&user, e)),
    }
}

#[derive(Template)]
#[template(path = "admin/account.html")]
struct AccountPage {
    layout: Layout,
    account: Account,
    csrf: String,
    role_options: Vec<Opt>,
    errors: FieldErrors,
    conflict: Option<String>,
}

async fn account_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    errors: FieldErrors,
    conflict: Option<String>,
    status: StatusCode,
) -> PageResult {
    let account = state.db.get_account(id).await.or_page(user)?;
    let role_options = role_options(account.role.as_str());
    let mut response = render(&AccountPage {
        layout: Layout::new(account.name.clone(), user, "admin"),
        account,
        csrf: user.csrf.clone(),
        role_options,
        errors,
        conflict,
    });
    *response.status_mut() = status;
    Ok(response)
}

pub async fn account(State(state): State<AppState>, PageUser(user): PageUser, Path(id): Path<i64>) -> PageResult {
    user.require_admin().or_page(&user)?;
    account_page(&state, &user, id, FieldErrors::new(), None, StatusCode::OK).await
}

#[derive(Deserialize, Default)]
pub struct AccountForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    disabled: String,
    #[serde(default)]
    version: String,
}

pub async fn update_account(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<AccountForm>,
) -> PageResult {
    user.require_admin().or_page(&user)?;
    let result = match form.version.parse() {
        Ok(version) => {
            accounts::change_account(&state.db, &user.caller(), id, &form.role, version, form.disabled == "on").await
        }
        Err(_) => Err(Error::field("role", "Reload the page and try again.")),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin/accounts/{id}")).into_response()),
        Err(Error::Validation { fields, .. }) => {
            account_page(&state, &user, id, fields, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e @ (Error::Conflict { .. } | Error::Stale { .. })) => {
            account_page(&state, &user, id, FieldErrors::new(), Some(e.to_string()), StatusCode::CONFLICT).await
        }
        Err(e) => Err(error_page(&user, e)),
    }
}

#[derive(Deserialize, Default)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
}

pub async fn set_password(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<PasswordForm>,
) -> PageResult {
    user.require_admin().or_page(&user)?;
    let result = accounts::set_password(&state.db, &user.caller(), id, form.password.clone()).await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin/accounts/{id}")).into_response()),
        Err(Error::Validation { fields, .. }) => {
            account_page(&state, &user, id, fields, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(error_page(&user, e)),
    }
}

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    entity: String,
    #[serde(default)]
    entity_id: String,
    #[serde(default)]
    page: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    layout: Layout,
    entries: Vec<AuditEntry>,
    total: i64,
    filtered: bool,
    pager: Pager,
}

pub async fn audit(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<AuditQuery>) -> PageResult {
    user.require_admin().or_page(&user)?;
    let filter = AuditFilter {
        entity: Some(q.entity.clone()).filter(|e| !e.is_empty()),
        entity_id: opt_id(&q.entity_id),
        actor_id: None,
    };
    let page_no = q.page.parse().unwrap_or(1i64).max(1);
    let (entries, total) = state.db.list_audit(&filter, Page::new(Some(page_no), Some(100))).await.or_page(&user)?;
    let pager = Pager::new(
        "/admin/audit",
        &[("entity", q.entity.clone()), ("entity_id", q.entity_id.clone())],
        page_no,
        100,
        total,
    );
    Ok(render(&AuditPage {
        layout: Layout::new("Audit log", &user, "admin"),
        entries,
        total,
        filtered: filter.entity.is_some(),
        pager,
    }))
}
