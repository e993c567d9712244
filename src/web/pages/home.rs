//! The home page (what needs the signed-in person) and the area overview pages.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use super::{render, Layout, OrPage, PageResult};
use crate::web::auth::PageUser;
use crate::web::frame::{Area, AREAS};
use crate::web::routes::Routes;
use crate::web::AppState;

pub fn routes() -> Routes {
    Routes::new().get("/", home).get("/areas/{slug}", area)
}

pub struct AttentionItem {
    pub href: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    first_name: String,
    company: String,
    attention: Vec<AttentionItem>,
    areas: &'static [Area],
    people: i64,
    units: usize,
    teams: usize,
    notifications: Vec<crate::store::notifications::Notification>,
}

pub async fn home(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let (people, units, teams) = (directory.people.len() as i64, directory.units.len(), directory.teams.len());
    let company = state.db.get_setting("company_name").await.or_page(&user)?.unwrap_or_else(|| "your company".into());
    let mut attention = Vec::new();
    if user.role.is_admin() && people <= 1 {
        attention.push(AttentionItem {
            href: "/people/import".into(),
            text: "Add your organisation: import people from a spreadsheet.".into(),
        });
    }
    if user.role.is_admin() && units == 0 {
        attention
            .push(AttentionItem { href: "/units".into(), text: "Add the business units that IT works with.".into() });
    }
    attention.extend(intake_attention(&state, &user).await.or_page(&user)?);
    // The units this person keeps in touch with that are slipping away.
    let model = state.engagement_model(&directory).await.or_page(&user)?;
    let slipping = crate::ops::engagement::losing_touch(&model.standings, Some(user.person_id));
    attention.extend(slipping.iter().map(|s| AttentionItem { href: "/engagement".into(), text: s.sentence() }));
    let notifications = state
        .db
        .list_notifications(user.account_id, crate::store::Page::new(Some(1), Some(5)))
        .await
        .or_page(&user)?
        .into_iter()
        .filter(|n| n.read_at.is_none())
        .collect();
    let first_name = user.name.split_whitespace().next().unwrap_or("").to_string();
    Ok(render(&HomePage {
        layout: Layout::new("Home", &user, "home"),
        first_name,
        company,
        attention,
        areas: AREAS,
        people,
        units,
        teams,
        notifications,
    }))
}

#[derive(Template)]
#[template(path = "area.html")]
struct AreaPage {
    layout: Layout,
    area: &'static Area,
}

pub async fn area(PageUser(user): PageUser, Path(slug): Path<String>) -> Response {
    match AREAS.iter().find(|a| a.slug == slug) {
        Some(area) => render(&AreaPage { layout: Layout::new(area.name, &user, area.slug), area }),
        None => super::error_page(&user, bridge_domain::Error::not_found("This page")),
    }
}

/// What intake asks of this person: IT sees requests waiting for a first response; everyone who
/// writes requests sees their unsubmitted drafts.
async fn intake_attention(
    state: &AppState,
    user: &crate::web::auth::CurrentUser,
) -> Result<Vec<AttentionItem>, bridge_domain::Error> {
    use crate::store::intake::RequestFilter;
    use bridge_domain::intake::Status;
    use bridge_domain::org::Role;
    let one = crate::store::Page::new(Some(1), Some(1));
    let mut out = Vec::new();
    if matches!(user.role, Role::It | Role::Admin) {
        let filter = RequestFilter { status: Some(Status::Submitted), ..Default::default() };
        let (_, n) = state.db.list_requests(&filter, one).await?;
        if n > 0 {
            out.push(AttentionItem {
                href: "/requests?status=submitted".into(),
                text: format!("{} waiting for IT's first response.", plural_requests(n)),
            });
        }
    }
    if user.role.can_write() {
        let filter =
            RequestFilter { status: Some(Status::Draft), author_id: Some(user.person_id), ..Default::default() };
        let (_, n) = state.db.list_requests(&filter, one).await?;
        if n > 0 {
            out.push(AttentionItem {
                href: format!("/requests?status=draft&author_id={}", user.person_id),
                text: format!(
                    "You have {} not yet submitted.",
                    if n == 1 { "a draft".to_string() } else { format!("{n} drafts") }
                ),
            });
        }
    }
    Ok(out)
}

fn plural_requests(n: i64) -> String {
    match n {
        1 => "1 request is".into(),
        n if n > crate::store::intake::COUNT_CAP => {
            format!("More than {} requests are", crate::store::intake::COUNT_CAP)
        }
        n => format!("{n} requests are"),
    }
}
