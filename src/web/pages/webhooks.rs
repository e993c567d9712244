//! Webhook pages (administrators): the endpoints, adding and changing one, its delivery log, a
//! test message, a new secret.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use bridge_domain::webhooks::{EndpointInput, Event, Format};
use bridge_domain::{Error, FieldErrors};
use serde::Deserialize;

use super::{error_page, render, DoneQuery, Layout, Opt, OrPage, PageResult, Pager};
use crate::ops::webhooks;
use crate::store::webhooks::{WebhookDelivery, WebhookEndpoint};
use crate::store::Page;
use crate::web::auth::{CsrfForm, CurrentUser, PageUser};
use crate::web::routes::Routes;
use crate::web::AppState;

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/webhooks", list)
        .post("/admin/webhooks", create)
        .get("/admin/webhooks/{id}", show)
        .post("/admin/webhooks/{id}", update)
        .post("/admin/webhooks/{id}/test", send_test)
        .post("/admin/webhooks/{id}/secret", new_secret)
        .post("/admin/webhooks/{id}/delete", delete)
}

/// A checkbox of the events list.
struct EventChoice {
    code: &'static str,
    label: &'static str,
    checked: bool,
}

/// The endpoint form as shown: what was entered (or saved), the choices, and any errors.
struct EndpointForm {
    name: String,
    url: String,
    formats: Vec<Opt>,
    events: Vec<EventChoice>,
    active: bool,
    errors: FieldErrors,
}

impl EndpointForm {
    fn new(input: &EndpointInput, errors: FieldErrors) -> EndpointForm {
        EndpointForm {
            name: input.name.clone(),
            url: input.url.clone(),
            formats: Opt::list(Format::ALL.map(|f| (f.as_str().to_string(), f.label().to_string())), &input.format),
            events: Event::CHOOSABLE
                .map(|e| EventChoice {
                    code: e.as_str(),
                    label: e.label(),
                    checked: input.events.iter().any(|c| c == e.as_str()),
                })
                .into(),
            active: input.active,
            errors,
        }
    }

    fn blank() -> EndpointForm {
        let input = EndpointInput { format: Format::Slack.as_str().into(), active: true, ..EndpointInput::default() };
        EndpointForm::new(&input, FieldErrors::new())
    }

    fn of(e: &WebhookEndpoint) -> EndpointForm {
        let input = EndpointInput {
            name: e.name.clone(),
            url: e.url.clone(),
            format: e.format.as_str().into(),
            events: e.events.clone(),
            active: e.active,
        };
        EndpointForm::new(&input, FieldErrors::new())
    }
}

/// Reads the form's fields; `events` repeats, one per ticked box.
fn read_form(fields: &[(String, String)]) -> EndpointInput {
    let value = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    EndpointInput {
        name: value("name"),
        url: value("url"),
        format: value("format"),
        events: fields.iter().filter(|(k, _)| k == "events").map(|(_, v)| v.clone()).collect(),
        active: value("active") == "on",
    }
}

#[derive(Template)]
#[template(path = "admin/webhooks.html")]
struct WebhooksPage {
    layout: Layout,
    endpoints: Vec<WebhookEndpoint>,
    form: EndpointForm,
    /// Just removed one.
    removed: bool,
    csrf: String,
}

fn list_page(user: &CurrentUser, endpoints: Vec<WebhookEndpoint>, form: EndpointForm, removed: bool) -> PageResult {
    let status = if form.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let layout = Layout::new("Webhooks", user, "admin");
    let mut response = render(&WebhooksPage { layout, endpoints, form, removed, csrf: user.csrf.clone() });
    *response.status_mut() = status;
    Ok(response)
}

pub async fn list(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<DoneQuery>) -> PageResult {
    let endpoints = webhooks::list(&state.db, &user.caller()).await.or_page(&user)?;
    list_page(&user, endpoints, EndpointForm::blank(), q.done == "removed")
}

pub async fn create(
    State(state): State<AppState>,
    CsrfForm(PageUser(user), fields): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let input = read_form(&fields);
    match webhooks::create(&state.db, &user.caller(), &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/admin/webhooks/{id}?done=created")).into_response()),
        Err(Error::Validation { fields, .. }) => {
            let endpoints = webhooks::list(&state.db, &user.caller()).await.or_page(&user)?;
            list_page(&user, endpoints, EndpointForm::new(&input, fields), false)
        }
        Err(e) => Err(error_page(&user, e)),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EndpointQuery {
    done: String,
    page: String,
}

#[derive(Template)]
#[template(path = "admin/webhook.html")]
struct EndpointPage {
    layout: Layout,
    endpoint: WebhookEndpoint,
    form: EndpointForm,
    deliveries: Vec<WebhookDelivery>,
    pager: Pager,
    done: String,
    csrf: String,
}

const PER_PAGE: i64 = 25;

async fn endpoint_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    form: Option<EndpointForm>,
    q: EndpointQuery,
) -> PageResult {
    let caller = user.caller();
    let endpoint = webhooks::get(&state.db, &caller, id).await.or_page(user)?;
    let page_no = q.page.parse().unwrap_or(1i64).max(1);
    let (deliveries, total) =
        webhooks::deliveries(&state.db, &caller, id, Page::new(Some(page_no), Some(PER_PAGE))).await.or_page(user)?;
    let form = form.unwrap_or_else(|| EndpointForm::of(&endpoint));
    let status = if form.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let pager = Pager::new(&format!("/admin/webhooks/{id}"), &[], page_no, PER_PAGE, total);
    let mut response = render(&EndpointPage {
        layout: Layout::new(format!("Webhook: {}", endpoint.name), user, "admin"),
        endpoint,
        form,
        deliveries,
        pager,
        done: q.done,
        csrf: user.csrf.clone(),
    });
    *response.status_mut() = status;
    Ok(response)
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<i64>,
    Query(q): Query<EndpointQuery>,
) -> PageResult {
    endpoint_page(&state, &user, id, None, q).await
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), fields): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let input = read_form(&fields);
    match webhooks::update(&state.db, &user.caller(), id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/admin/webhooks/{id}?done=saved")).into_response()),
        Err(Error::Validation { fields, .. }) => {
            endpoint_page(&state, &user, id, Some(EndpointForm::new(&input, fields)), EndpointQuery::default()).await
        }
        Err(e) => Err(error_page(&user, e)),
    }
}

pub async fn send_test(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), _): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    webhooks::send_test(&state.db, &user.caller(), &state.jobs, id).await.or_page(&user)?;
    Ok(Redirect::to(&format!("/admin/webhooks/{id}?done=test")).into_response())
}

pub async fn new_secret(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), _): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    webhooks::new_secret(&state.db, &user.caller(), id).await.or_page(&user)?;
    Ok(Redirect::to(&format!("/admin/webhooks/{id}?done=secret")).into_response())
}

pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), _): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    webhooks::delete(&state.db, &user.caller(), id).await.or_page(&user)?;
    Ok(Redirect::to("/admin/webhooks?done=removed").into_response())
}

/// The event's words for the delivery log.
pub fn event_label(code: &str) -> &'static str {
    Event::parse(code).map_or("Event", Event::label)
}
