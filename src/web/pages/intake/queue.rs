//! The ranked queue of requests, with filters, search and why each is where it is.

use askama::Template;
use axum::extract::{Query, State};
use bridge_domain::intake::{breakdown, Component, PriorityWeights, Status};
use bridge_domain::org::{Role, Side};
use serde::Deserialize;

use crate::store::intake::{RequestFilter, RequestSummary, Sort, COUNT_CAP};
use crate::store::Page;
use crate::web::auth::PageUser;
use crate::web::format::number;
use crate::web::pages::{opt_id, render, Layout, Opt, OrPage, PageResult, Pager};
use crate::web::AppState;

const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    #[serde(default)]
    q: String,
    /// Absent: the open queue; `all` or empty: every status.
    status: Option<String>,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    sponsor_id: String,
    #[serde(default)]
    author_id: String,
    /// IT owner: a person id, `me`, or `none` (nobody yet).
    #[serde(default)]
    owner: String,
    /// `1`: only the signed-in person's requests (written, sponsored or owned).
    #[serde(default)]
    mine: String,
    #[serde(default)]
    min_clarity: String,
    #[serde(default)]
    min_priority: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    page: String,
    #[serde(default)]
    done: String,
}

pub struct QueueRow {
    pub rank: i64,
    pub r: RequestSummary,
    pub status_label: &'static str,
    pub score: String,
    pub why: String,
    /// The sponsor's track record, short: "Record: 3 of 4 targets achieved".
    pub record: String,
}

#[derive(Template)]
#[template(path = "intake/queue.html")]
struct QueuePage {
    layout: Layout,
    q: String,
    min_priority: String,
    author_id: String,
    status_options: Vec<Opt>,
    unit_options: Vec<Opt>,
    sponsor_options: Vec<Opt>,
    owner_options: Vec<Opt>,
    /// Only the signed-in person's requests.
    mine: bool,
    clarity_options: Vec<Opt>,
    sort_options: Vec<Opt>,
    rows: Vec<QueueRow>,
    total_text: String,
    /// What misspelt words were taken for, when the typed ones found nothing.
    correction: Option<String>,
    pager: Pager,
    can_write: bool,
    is_admin: bool,
    by_priority: bool,
    sort_links: SortLinks,
    sort: &'static str,
}

/// Where each sortable column header leads.
struct SortLinks {
    priority: String,
    title: String,
    clarity: String,
}

/// "Cost of delay 26 (value 13 + time 8 + risk 5) ÷ job size 5" — the row's "why".
fn short_breakdown(r: &RequestSummary, w: &PriorityWeights) -> String {
    let b = breakdown(&r.priority_input(), w);
    if let Some(reason) = b.missing_reason() {
        return reason.replace("No priority score yet: ", "Not scored: ");
    }
    let part = |c: Component, label: &str| {
        let p = b.part(c);
        match (p.value, (p.weight - 1.0).abs() < 1e-9) {
            (Some(v), true) => format!("{label} {v}"),
            (Some(v), false) => format!("{label} {v}×{}", number(p.weight)),
            (None, _) => format!("{label} ?"),
        }
    };
    format!(
        "Cost of delay {} ({} + {} + {}) ÷ {} = {}",
        number(b.cost_of_delay.unwrap_or(0.0)),
        part(Component::BusinessValue, "value"),
        part(Component::TimeCriticality, "time"),
        part(Component::RiskReduction, "risk"),
        part(Component::JobSize, "job size"),
        number(b.score.unwrap_or(0.0))
    )
}

pub async fn queue(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<QueueQuery>) -> PageResult {
    let mine = q.mine == "1";
    // A person's own list starts from all their requests, drafts included.
    let status_param = q.status.clone().unwrap_or_else(|| if mine { "all".into() } else { "open".into() });
    let status = Status::parse(&status_param);
    let open = status_param == "open";
    let sort = Sort::parse(&q.sort).unwrap_or_default();
    let filter = RequestFilter {
        status,
        open,
        unit_id: opt_id(&q.unit_id),
        sponsor_id: opt_id(&q.sponsor_id),
        author_id: opt_id(&q.author_id),
        owner_id: match q.owner.trim() {
            "me" => Some(Some(user.person_id)),
            "none" => Some(None),
            other => opt_id(other).map(Some),
        },
        mine: mine.then_some(user.person_id),
        // A business user's default queue shows their own drafts beside the open requests.
        drafts_of: (q.status.is_none() && user.role == Role::Business).then_some(user.person_id),
        min_clarity: opt_id(&q.min_clarity),
        max_clarity: None,
        min_priority: q.min_priority.trim().parse::<f64>().ok().filter(|p| p.is_finite()),
        q: q.q.clone(),
        sort,
    };
    let page_no = q.page.parse().unwrap_or(1i64).clamp(1, COUNT_CAP / PER_PAGE + 1);
    let page = Page::new(Some(page_no), Some(PER_PAGE));
    let list =
        crate::ops::intake::requests::list_requests(&state.db, &state.directory, &filter, page).await.or_page(&user)?;
    let (items, total) = (list.rows, list.total);
    // Misspelt words found nothing: the page shows what it searched for instead, and its links
    // keep the corrected words.
    let q = QueueQuery { q: list.corrected.as_ref().map_or_else(|| q.q.clone(), |c| c.query.clone()), ..q };
    let correction = list.corrected.as_ref().map(crate::web::format::correction);
    let weights = state.intake_settings.get(&state.db).await.or_page(&user)?.weights;
    // Filter choices come from the directory in memory: no query, no rows to decode.
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    // A promise carries its history: the sponsor's track record beside each request.
    let portfolio = state.value_portfolio().await.or_page(&user)?;
    let rows = items
        .into_iter()
        .enumerate()
        .map(|(i, r)| QueueRow {
            rank: page.offset + i as i64 + 1,
            status_label: r.status.label(),
            score: r.priority.map(number).unwrap_or_else(|| "—".into()),
            why: short_breakdown(&r, &weights),
            record: r.sponsor_id.and_then(|s| portfolio.by_sponsor.get(&s)).map(|t| t.short()).unwrap_or_default(),
            r,
        })
        .collect();
    let total_text = if total > COUNT_CAP {
        format!("More than {} requests", bridge_domain::intake::parse::format_number(COUNT_CAP as f64))
    } else if total == 1 {
        "1 request".into()
    } else {
        format!("{} requests", bridge_domain::intake::parse::format_number(total as f64))
    };
    // The query that shows this list again, with `sort` as given: for the pager and the headers.
    let kept = |sort: String| {
        vec![
            ("q", q.q.clone()),
            (
                "status",
                status
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_else(|| if open { "open".into() } else { "all".into() }),
            ),
            ("unit_id", q.unit_id.clone()),
            ("sponsor_id", q.sponsor_id.clone()),
            ("author_id", q.author_id.clone()),
            ("owner", q.owner.clone()),
            ("mine", q.mine.clone()),
            ("min_clarity", q.min_clarity.clone()),
            ("min_priority", q.min_priority.clone()),
            ("sort", sort),
        ]
    };
    // Column headers sort by their column, keeping the filters.
    let sort_href = |s: Sort| Pager::new("/requests", &kept(s.as_str().into()), 1, PER_PAGE, 0).link(1);
    let sort_links = SortLinks {
        priority: sort_href(Sort::Priority),
        title: sort_href(Sort::Title),
        clarity: sort_href(Sort::Clarity),
    };
    let pager = Pager::new("/requests", &kept(q.sort.clone()), page_no, PER_PAGE, total.min(COUNT_CAP));
    let flash = match q.done.as_str() {
        "imported" => Some("Imported. The new drafts are listed below, newest first.".to_string()),
        _ => None,
    };
    Ok(render(&QueuePage {
        layout: Layout::new("Requests", &user, "intake").with_flash(flash),
        status_options: Opt::list(
            [
                ("open".to_string(), "Open: waiting for IT, approved or deferred".to_string()),
                ("all".into(), "Any status".into()),
            ]
            .into_iter()
            .chain(Status::ALL.iter().map(|s| (s.as_str().to_string(), s.label().to_string()))),
            status.map(|s| s.as_str()).unwrap_or(if open { "open" } else { "all" }),
        ),
        unit_options: Opt::with_none(
            "Any unit",
            directory.units.iter().map(|(id, name)| (id.to_string(), name.clone())),
            &q.unit_id,
        ),
        sponsor_options: Opt::with_none(
            "Any sponsor",
            directory.people.iter().filter(|p| p.side == Side::Business).map(|p| (p.id.to_string(), p.name.clone())),
            &q.sponsor_id,
        ),
        owner_options: Opt::list(
            [
                ("".to_string(), "Any IT owner".to_string()),
                ("me".into(), "Me".into()),
                ("none".into(), "Nobody yet".into()),
            ]
            .into_iter()
            .chain(directory.people.iter().filter(|p| p.side == Side::It).map(|p| (p.id.to_string(), p.name.clone()))),
            q.owner.trim(),
        ),
        mine,
        clarity_options: Opt::with_none(
            "Any clarity",
            [("50", "50 or more"), ("70", "70 or more"), ("90", "90 or more")]
                .iter()
                .map(|(v, l)| (v.to_string(), l.to_string())),
            &q.min_clarity,
        ),
        sort_options: Opt::list(
            Sort::ALL.iter().map(|s| (s.as_str().to_string(), s.label().to_string())),
            sort.as_str(),
        ),
        q: q.q,
        min_priority: q.min_priority,
        author_id: opt_id(&q.author_id).map(|a| a.to_string()).unwrap_or_default(),
        rows,
        total_text,
        correction,
        pager,
        can_write: user.role.can_write(),
        is_admin: user.role.is_admin(),
        by_priority: sort == Sort::Priority,
        sort_links,
        sort: sort.as_str(),
    }))
}
