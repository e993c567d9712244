//! One search across Bridge, from the box in every page's header: requests (full text), glossary
//! terms and people.

use askama::Template;
use axum::extract::{Query, State};
use serde::Deserialize;

use super::{render, Layout, OrPage, PageResult};
use crate::store::intake::{RequestFilter, RequestSummary};
use crate::store::language::{Term, TermFilter};
use crate::store::org::{PeopleFilter, Person};
use crate::store::Page;
use crate::web::auth::PageUser;
use crate::web::routes::Routes;
use crate::web::AppState;

pub fn routes() -> Routes {
    Routes::new().get("/search", search)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SearchQuery {
    q: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    layout: Layout,
    q: String,
    requests: Vec<RequestSummary>,
    requests_total: i64,
    terms: Vec<Term>,
    terms_total: i64,
    people: Vec<Person>,
    people_total: i64,
}

/// How many of each kind the page shows; each section links to its full list.
const SHOWN: i64 = 8;

pub async fn search(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<SearchQuery>,
) -> PageResult {
    let words = q.q.trim().to_string();
    let page = Page::new(Some(1), Some(SHOWN));
    let (requests, requests_total, terms, terms_total, people, people_total) = if words.is_empty() {
        (vec![], 0, vec![], 0, vec![], 0)
    } else {
        let filter = RequestFilter { q: words.clone(), ..RequestFilter::default() };
        let term_filter = TermFilter { q: words.clone(), ..TermFilter::default() };
        // The two reads at once: the page waits for the slower, not for both in turn.
        let ((requests, requests_total), (terms, terms_total)) = tokio::try_join!(
            crate::ops::intake::requests::list_requests(&state.db, &state.directory, &filter, page),
            state.db.list_terms(&term_filter, page),
        )
        .or_page(&user)?;
        let directory = state.directory.get(&state.db).await.or_page(&user)?;
        let (people, people_total) =
            directory.list(&PeopleFilter { q: words.clone(), ..PeopleFilter::default() }, page);
        let people = people.into_iter().cloned().collect();
        (requests, requests_total, terms, terms_total, people, people_total)
    };
    Ok(render(&SearchPage {
        layout: Layout::new("Search", &user, "search"),
        q: words,
        requests,
        requests_total,
        terms,
        terms_total,
        people,
        people_total,
    }))
}
