//! Notification settings (how each kind reaches you) and the unsubscribe link of every email.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use bridge_domain::notify::Delivery;
use bridge_domain::FieldErrors;
use serde::Deserialize;

use super::{render, Layout, Opt, OrPage, PageResult};
use crate::ops::{mail, notify};
use crate::web::auth::{CsrfForm, PageUser};
use crate::web::routes::Routes;
use crate::web::AppState;

pub fn routes() -> Routes {
    Routes::new()
        .get("/notifications/settings", settings)
        .post("/notifications/settings", save_settings)
        .get("/unsubscribe", unsubscribe_page)
        .post("/unsubscribe", unsubscribe)
}

struct Choice {
    name: String,
    label: String,
    options: Vec<Opt>,
}

#[derive(Template)]
#[template(path = "notification_settings.html")]
struct SettingsPage {
    layout: Layout,
    csrf: String,
    choices: Vec<Choice>,
    email_on: bool,
    errors: FieldErrors,
}

pub async fn settings(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<super::DoneQuery>,
) -> PageResult {
    let current = notify::settings(&state.db, &user.caller()).await.or_page(&user)?;
    let choices = current
        .into_iter()
        .map(|(kind, delivery)| Choice {
            name: kind.as_str().into(),
            label: kind.label().into(),
            options: Opt::list(
                Delivery::ALL.iter().map(|d| (d.as_str().to_string(), d.label().to_string())),
                delivery.as_str(),
            ),
        })
        .collect();
    Ok(render(&SettingsPage {
        layout: Layout::new("Notification settings", &user, "settings")
            .with_flash((q.done == "saved").then(|| "Your notification settings are saved.".to_string())),
        csrf: user.csrf.clone(),
        choices,
        email_on: state.config.smtp_url.is_some(),
        errors: FieldErrors::new(),
    }))
}

pub async fn save_settings(
    State(state): State<AppState>,
    CsrfForm(PageUser(user), form): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let choices: Vec<(String, String)> = form.into_iter().filter(|(k, _)| k != "_csrf").collect();
    notify::save_settings(&state.db, &user.caller(), &choices).await.or_page(&user)?;
    Ok(Redirect::to("/notifications/settings?done=saved").into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct UnsubscribeLink {
    account: i64,
    kind: String,
    sig: String,
}

#[derive(Template)]
#[template(path = "unsubscribe.html")]
struct UnsubscribePage {
    layout: Layout,
    query: String,
    kind_label: String,
    done: bool,
}

/// The link in an email: asks before acting, since mail scanners open links on their own.
pub async fn unsubscribe_page(Query(link): Query<UnsubscribeLink>) -> Response {
    let kind_label = kind_labels(link.kind.split(',').filter_map(bridge_domain::notify::NoticeKind::parse));
    render(&UnsubscribePage {
        layout: Layout::anonymous("Stop these emails"),
        query: serde_urlencoded::to_string([
            ("account", link.account.to_string()),
            ("kind", link.kind),
            ("sig", link.sig),
        ])
        .unwrap_or_default(),
        kind_label,
        done: false,
    })
}

/// The button on that page, and mail programs' one-click unsubscribe (RFC 8058), which posts to the
/// link itself: the signature is the proof, no sign-in is needed.
pub async fn unsubscribe(State(state): State<AppState>, Query(link): Query<UnsubscribeLink>) -> Response {
    match mail::unsubscribe(&state.db, link.account, &link.kind, &link.sig).await {
        Ok(kinds) => render(&UnsubscribePage {
            layout: Layout::anonymous("Stopped"),
            query: String::new(),
            kind_label: kind_labels(kinds.into_iter()),
            done: true,
        }),
        Err(e) => crate::web::error::PageError(e).into_response(),
    }
}

/// The kinds a link stops, as the page names them, joined with "and".
fn kind_labels(kinds: impl Iterator<Item = bridge_domain::notify::NoticeKind>) -> String {
    let labels: Vec<&str> = kinds.map(|k| k.label()).collect();
    if labels.is_empty() {
        "these".into()
    } else {
        labels.join("” and “")
    }
}
