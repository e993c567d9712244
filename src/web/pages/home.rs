//! The home page (what needs the signed-in person) and the area overview pages.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use super::{render, Layout, OrPage, PageResult};
use crate::web::auth::PageUser;
use crate::web::AppState;

/// One area of Bridge, as the navigation and the home page present it.
pub struct Area {
    pub slug: &'static str,
    pub href: &'static str,
    pub name: &'static str,
    pub purpose: &'static str,
    pub details: &'static str,
    pub ready: bool,
}

pub const AREAS: &[Area] = &[
    Area { slug: "intake", href: "/requests", name: "Intake", ready: true,
        purpose: "Ask IT for what you need, clearly enough that IT can act, and see why the queue is ordered as it is.",
        details: "A request form that coaches you to state goals, targets, budget, stakeholders and rules that apply; a clarity score; IT's assessment in plain language; a transparent priority; and decisions with reasons." },
    Area { slug: "value", href: "/areas/value", name: "Value", ready: false,
        purpose: "Show what IT work delivers: targets promised, value realised, per business unit.",
        details: "KPIs with baselines, targets and actuals for revenue, retention, market share and cost, tied to the requests that promised them." },
    Area { slug: "language", href: "/glossary", name: "Language", ready: true,
        purpose: "A shared glossary both ways, and a checker that explains jargon before it confuses anyone.",
        details: "IT words for business readers and business words for technologists, marked wherever text crosses sides." },
    Area { slug: "engagement", href: "/areas/engagement", name: "Engagement", ready: false,
        purpose: "Keep regular contact: touchpoints, stay-in-touch cadences and who knows whom.",
        details: "A log of chats, lunches, drop-ins and planning sessions; cadences per business unit; a relationship map; technologists embedded in business units." },
    Area { slug: "learning", href: "/areas/learning", name: "Learning", ready: false,
        purpose: "Brown bags, hackathons, showcases and tours that help each side understand the other.",
        details: "Events with registration, attendance and feedback, and a technology radar that explains each technology by its business use." },
    Area { slug: "recognition", href: "/areas/recognition", name: "Recognition", ready: false,
        purpose: "Thank people and teams for work that made a difference.",
        details: "Kudos tied to delivered value, and a digest for town halls." },
    Area { slug: "pulse", href: "/areas/pulse", name: "Pulse", ready: false,
        purpose: "Measure whether the partnership is getting better.",
        details: "Mirrored surveys of both sides to show the perception gap, a relationship maturity level, and an alignment health index per business unit." },
];

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
    notifications: Vec<crate::store::intake::Notification>,
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
