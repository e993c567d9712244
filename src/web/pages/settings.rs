//! The signed-in person's own settings: their name and job title, their password, and links to
//! their notification choices and API tokens.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use bridge_domain::org::PersonInput;
use bridge_domain::{Error, FieldErrors};
use serde::Deserialize;

use super::{error_page, render, DoneQuery, Layout, OrPage, PageResult};
use crate::ops::{accounts, directory};
use crate::web::auth::{CsrfForm, CurrentUser, PageUser};
use crate::web::routes::Routes;
use crate::web::AppState;

pub fn routes() -> Routes {
    Routes::new()
        .get("/settings", show)
        .post("/settings/name", save_name)
        .post("/settings/password", change_password)
        .post("/settings/time-zone", save_time_zone)
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    layout: Layout,
    display_name: String,
    job_title: String,
    /// Signs in through single sign-on only (no Bridge password).
    has_password: bool,
    /// As typed, or as saved.
    time_zone: String,
    zones: Vec<&'static str>,
    errors: FieldErrors,
    csrf: String,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    name_and_title: Option<(String, String)>,
    time_zone: Option<String>,
    errors: FieldErrors,
    flash: Option<String>,
) -> PageResult {
    let me = state.db.get_person(user.person_id).await.or_page(user)?;
    let (name, title) = name_and_title.unwrap_or((me.name, me.title));
    let has_password =
        state.db.login_record(&user.email).await.or_page(user)?.is_some_and(|r| !r.password_hash.is_empty());
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut response = render(&SettingsPage {
        layout: Layout::new("Your settings", user, "settings").with_flash(flash),
        display_name: name,
        job_title: title,
        has_password,
        time_zone: time_zone.or_else(|| user.time_zone.clone()).unwrap_or_default(),
        zones: bridge_domain::learning::zone_names().collect(),
        errors,
        csrf: user.csrf.clone(),
    });
    *response.status_mut() = status;
    Ok(response)
}

pub async fn show(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<DoneQuery>) -> PageResult {
    let flash = match q.done.as_str() {
        "name" => Some("Your name and job title are saved.".to_string()),
        "time_zone" => Some("Times are now shown in your time zone.".to_string()),
        "password" => {
            Some("Your password is changed. You stay signed in here; everywhere else you are signed out.".into())
        }
        _ => None,
    };
    page(&state, &user, None, None, FieldErrors::new(), flash).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NameForm {
    name: String,
    title: String,
}

pub async fn save_name(
    State(state): State<AppState>,
    CsrfForm(PageUser(user), form): CsrfForm<NameForm>,
) -> PageResult {
    let me = state.db.get_person(user.person_id).await.or_page(&user)?;
    let input = PersonInput {
        name: form.name.clone(),
        email: me.email.clone(),
        side: me.side.to_string(),
        title: form.title.clone(),
        unit_id: me.unit_id,
        team_id: me.team_id,
        manager_id: me.manager_id,
    };
    match directory::update_person(&state.db, &user.caller(), me.id, Some(me.version), &input).await {
        Ok(()) => {
            state.after_change();
            Ok(Redirect::to("/settings?done=name").into_response())
        }
        Err(Error::Validation { fields, .. }) => {
            page(&state, &user, Some((form.name, form.title)), None, fields, None).await
        }
        Err(e) => Err(error_page(&user, e)),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
    repeat_password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    CsrfForm(PageUser(user), form): CsrfForm<PasswordForm>,
) -> PageResult {
    let result = if form.new_password != form.repeat_password {
        Err(Error::field("repeat_password", "The two new passwords differ. Type the same one twice."))
    } else {
        let keep = user.session_hash.as_deref();
        accounts::change_own_password(
            &state.db,
            &user.caller(),
            &user.email,
            form.current_password,
            form.new_password,
            keep,
        )
        .await
    };
    match result {
        Ok(()) => {
            state.after_change();
            Ok(Redirect::to("/settings?done=password").into_response())
        }
        Err(Error::Validation { fields, .. }) => page(&state, &user, None, None, fields, None).await,
        Err(e) => Err(error_page(&user, e)),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TimeZoneForm {
    time_zone: String,
}

pub async fn save_time_zone(
    State(state): State<AppState>,
    CsrfForm(PageUser(user), form): CsrfForm<TimeZoneForm>,
) -> PageResult {
    match accounts::set_time_zone(&state.db, user.account_id, &form.time_zone).await {
        Ok(()) => {
            state.after_change();
            Ok(Redirect::to("/settings?done=time_zone").into_response())
        }
        Err(Error::Validation { fields, .. }) => page(&state, &user, None, Some(form.time_zone), fields, None).await,
        Err(e) => Err(error_page(&user, e)),
    }
}
