//! The frame every page sits in: its title, the navigation, who is signed in, a one-off notice,
//! and the list of Bridge's areas that the navigation and the home page show.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use bridge_domain::Error;

use super::auth::CurrentUser;

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
    Area { slug: "value", href: "/value", name: "Value", ready: true,
        purpose: "Show what IT work delivers: targets promised, value realised, per business unit.",
        details: "KPIs with baselines, targets and actuals for revenue, retention, market share and cost, tied to the requests that promised them." },
    Area { slug: "language", href: "/glossary", name: "Language", ready: true,
        purpose: "A shared glossary both ways, and a checker that explains jargon before it confuses anyone.",
        details: "IT words for business readers and business words for technologists, marked wherever text crosses sides." },
    Area { slug: "engagement", href: "/engagement", name: "Engagement", ready: true,
        purpose: "Keep regular contact: touchpoints, stay-in-touch cadences and who knows whom.",
        details: "A log of chats, lunches, drop-ins and planning sessions; cadences per business unit; a relationship map; technologists embedded in business units." },
    Area { slug: "learning", href: "/events", name: "Learning", ready: true,
        purpose: "Brown bags, hackathons, showcases and tours that help each side understand the other.",
        details: "Events with registration, attendance and feedback, and a technology radar that explains each technology by its business use." },
    Area { slug: "recognition", href: "/areas/recognition", name: "Recognition", ready: false,
        purpose: "Thank people and teams for work that made a difference.",
        details: "Kudos tied to delivered value, and a digest for town halls." },
    Area { slug: "pulse", href: "/areas/pulse", name: "Pulse", ready: false,
        purpose: "Measure whether the partnership is getting better.",
        details: "Mirrored surveys of both sides to show the perception gap, a relationship maturity level, and an alignment health index per business unit." },
];

/// What every page's frame needs: its title, who is signed in, where they are, a one-off notice.
pub struct Layout {
    pub title: String,
    pub user: Option<CurrentUser>,
    pub section: &'static str,
    pub flash: Option<String>,
}

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

impl Layout {
    pub fn new(title: impl Into<String>, user: &CurrentUser, section: &'static str) -> Layout {
        Layout { title: title.into(), user: Some(user.clone()), section, flash: None }
    }

    pub fn anonymous(title: impl Into<String>) -> Layout {
        Layout { title: title.into(), user: None, section: "", flash: None }
    }

    pub fn with_flash(mut self, flash: Option<String>) -> Layout {
        self.flash = flash;
        self
    }

    pub fn nav(&self) -> Vec<NavItem> {
        let mut items: Vec<(&'static str, &'static str, &'static str)> = vec![("/", "Home", "home")];
        // Only areas that exist: the home page says what is coming.
        items.extend(AREAS.iter().filter(|a| a.ready).map(|a| (a.href, a.name, a.slug)));
        items.push(("/people", "People", "people"));
        if self.user.as_ref().is_some_and(|u| u.role.is_admin()) {
            items.push(("/admin/accounts", "Admin", "admin"));
        }
        items.into_iter().map(|(href, label, slug)| NavItem { href, label, current: slug == self.section }).collect()
    }
}

/// Renders a template into an HTML response.
pub fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => super::error::PageError(Error::internal(e)).into_response(),
    }
}
