//! One search across Bridge, from the box in every page's header: requests (full text), glossary
//! terms and people.

use askama::Template;
use axum::extract::{Query, State};
use serde::Deserialize;

use super::{render, Layout, OrPage, PageResult};
use crate::store::intake::{RequestFilter, RequestSummary, Sort};
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
    /// What misspelt words were taken for, when the typed ones found nothing.
    correction: Option<String>,
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
    if words.is_empty() {
        return Ok(render(&SearchPage {
            layout: Layout::new("Search", &user, "search"),
            q: words,
            requests: vec![],
            requests_total: 0,
            terms: vec![],
            terms_total: 0,
            people: vec![],
            people_total: 0,
            correction: None,
        }));
    }
    // Newest first: what people look for from the header is mostly recent, and the full-text
    // index answers that order without gathering every match.
    let filter = RequestFilter { q: words.clone(), sort: Sort::Newest, ..RequestFilter::default() };
    let db = &state.db;
    let terms_of = |q: String| async move { db.list_terms(&TermFilter { q, ..TermFilter::default() }, page).await };
    // The two reads at once: the page waits for the slower, not for both in turn.
    let (list, (mut terms, mut terms_total)) = tokio::try_join!(
        crate::ops::intake::requests::list_requests(&state.db, &state.directory, &filter, page),
        terms_of(words.clone()),
    )
    .or_page(&user)?;
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let people_of = |q: &str| directory.list(&PeopleFilter { q: q.to_string(), ..PeopleFilter::default() }, page);
    let (mut people, mut people_total) = people_of(&words);
    // Nothing found anywhere: misspelt words are taken for the nearest words of requests and
    // glossary names (as the request list already did), or else of people's names.
    let mut corrected = list.corrected.clone();
    if list.total == 0 && terms_total == 0 && people_total == 0 {
        corrected = directory.correct(&words);
    }
    if let Some(c) = corrected.as_ref().filter(|_| terms_total == 0 && people_total == 0) {
        (terms, terms_total) = terms_of(c.query.clone()).await.or_page(&user)?;
        (people, people_total) = people_of(&c.query);
    }
    let corrected = corrected.filter(|_| list.total + terms_total + people_total > 0);
    let correction = corrected.as_ref().map(crate::web::format::correction);
    let (requests, requests_total) = (list.rows, list.total);
    let people = people.into_iter().cloned().collect();
    Ok(render(&SearchPage {
        layout: Layout::new("Search", &user, "search"),
        q: corrected.map_or(words, |c| c.query),
        requests,
        requests_total,
        terms,
        terms_total,
        people,
        people_total,
        correction,
    }))
}
