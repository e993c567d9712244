//! The glossary pages: browse A–Z, search, a page per term, propose and edit, approve, check a
//! text before sending it, CSV import and export, and what people look up.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect};
use bridge_domain::language::{export_csv, import_csv, Finding, FindingKind, TermInput};
use bridge_domain::org::Side;
use bridge_domain::{Error, FieldErrors};
use serde::Deserialize;

use super::{error_page, form_outcome, render, Layout, Opt, OrPage, PageResult, Pager};
use crate::ops::language;
use crate::store::language::{Term, TermFilter, UnknownWord};
use crate::store::Page;
use crate::web::auth::{CsrfForm, CurrentUser, PageUser};
use crate::web::routes::Routes;
use crate::web::AppState;

pub fn routes() -> Routes {
    Routes::new()
        .get("/glossary", list)
        .post("/glossary", create)
        .get("/glossary/new", new_form)
        .get("/glossary/check", check_form)
        .post("/glossary/check", check)
        .get("/glossary/export.csv", export)
        .get("/glossary/import", import_form)
        .post("/glossary/import", import)
        .get("/glossary/insight", insight)
        .get("/glossary/{id}", show)
        .post("/glossary/{id}", update)
        .get("/glossary/{id}/edit", edit_form)
        .post("/glossary/{id}/approve", approve)
        .post("/glossary/{id}/delete", delete)
}

const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    side: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    letter: String,
    #[serde(default)]
    page: String,
}

#[derive(Template)]
#[template(path = "language/glossary.html")]
struct GlossaryPage {
    layout: Layout,
    filter: TermFilter,
    letters: Vec<char>,
    terms: Vec<Term>,
    total: i64,
    pager: Pager,
    can_write: bool,
}

pub async fn list(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<ListQuery>) -> PageResult {
    let keep = |v: &str, allowed: &[&str]| if allowed.contains(&v) { v.to_string() } else { String::new() };
    let letter = q
        .letter
        .chars()
        .next()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase().to_string())
        .unwrap_or_default();
    let filter = TermFilter {
        q: q.q.clone(),
        side: keep(&q.side, &["it", "business"]),
        status: keep(&q.status, &["approved", "proposed"]),
        letter,
    };
    let page_no = q.page.parse().unwrap_or(1i64).max(1);
    let (terms, total) = state.db.list_terms(&filter, Page::new(Some(page_no), Some(PER_PAGE))).await.or_page(&user)?;
    let pager = Pager::new(
        "/glossary",
        &[
            ("q", filter.q.clone()),
            ("side", filter.side.clone()),
            ("status", filter.status.clone()),
            ("letter", filter.letter.clone()),
        ],
        page_no,
        PER_PAGE,
        total,
    );
    Ok(render(&GlossaryPage {
        layout: Layout::new("Glossary", &user, "language"),
        filter,
        letters: ('a'..='z').collect(),
        terms,
        total,
        pager,
        can_write: user.role.can_write(),
    }))
}

/// A place where a term appears.
pub struct Use {
    pub href: String,
    pub title: String,
}

#[derive(Template)]
#[template(path = "language/term.html")]
struct TermPage {
    layout: Layout,
    term: Term,
    related: Vec<(String, Option<i64>)>,
    uses: Vec<Use>,
    csrf: String,
    can_write: bool,
    is_admin: bool,
}

pub async fn show(State(state): State<AppState>, PageUser(user): PageUser, Path(id): Path<i64>) -> PageResult {
    let term = state.db.get_term(id).await.or_page(&user)?;
    state.db.count_lookup(id).await.or_page(&user)?;
    let mut related = Vec::new();
    for name in &term.related {
        let found = state.db.find_term(name).await.or_page(&user)?;
        related.push((name.clone(), found.map(|t| t.id)));
    }
    let uses = crate::ops::language::uses(&state.db, &state.glossary, &term).await.or_page(&user)?;
    Ok(render(&TermPage {
        layout: Layout::new(term.term.clone(), &user, "language"),
        term,
        related,
        uses: uses.into_iter().map(|(href, title)| Use { href, title }).collect(),
        csrf: user.csrf.clone(),
        can_write: user.role.can_write(),
        is_admin: user.role.is_admin(),
    }))
}

#[derive(Template)]
#[template(path = "language/term_form.html")]
struct TermFormPage {
    layout: Layout,
    action: String,
    cancel: String,
    csrf: String,
    version: i64,
    form: TermInput,
    side_options: Vec<Opt>,
    status_options: Vec<Opt>,
    errors: FieldErrors,
    conflict: Option<String>,
}

fn form_page(user: &CurrentUser, id: Option<i64>, version: i64, form: TermInput, error: Option<Error>) -> PageResult {
    let (errors, conflict, status) = form_outcome(error).map_err(|e| error_page(user, e))?;
    let side_options = Opt::list(
        [
            ("it".to_string(), "IT uses it (explain it for business readers)".to_string()),
            ("business".to_string(), "The business uses it (explain it for IT readers)".to_string()),
        ],
        &form.side,
    );
    let status_options = Opt::list(
        [("proposed".to_string(), "Proposed".to_string()), ("approved".to_string(), "Approved".to_string())],
        if form.status.is_empty() { "proposed" } else { &form.status },
    );
    let mut response = render(&TermFormPage {
        layout: Layout::new(
            if id.is_some() { "Edit glossary term" } else { "Propose a glossary term" },
            user,
            "language",
        ),
        action: id.map(|i| format!("/glossary/{i}")).unwrap_or_else(|| "/glossary".into()),
        cancel: id.map(|i| format!("/glossary/{i}")).unwrap_or_else(|| "/glossary".into()),
        csrf: user.csrf.clone(),
        version,
        form,
        side_options,
        status_options,
        errors,
        conflict,
    });
    *response.status_mut() = status;
    Ok(response)
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    term: String,
}

pub async fn new_form(PageUser(user): PageUser, Query(q): Query<NewQuery>) -> PageResult {
    user.require_write().or_page(&user)?;
    // A term is usually explained for the other side: IT people propose IT words, and so on.
    let form = TermInput { term: q.term, side: user.side.as_str().into(), ..Default::default() };
    form_page(&user, None, 0, form, None)
}

#[derive(Deserialize, Default)]
pub struct TermForm {
    #[serde(flatten)]
    input: TermInput,
    #[serde(default)]
    version: String,
}

pub async fn create(State(state): State<AppState>, CsrfForm(PageUser(user), form): CsrfForm<TermForm>) -> PageResult {
    user.require_write().or_page(&user)?;
    match language::propose_term(&state.db, &user.caller(), &form.input).await {
        Ok(id) => Ok(Redirect::to(&format!("/glossary/{id}")).into_response()),
        Err(e) => form_page(&user, None, 0, form.input, Some(e)),
    }
}

pub async fn edit_form(State(state): State<AppState>, PageUser(user): PageUser, Path(id): Path<i64>) -> PageResult {
    user.require_write().or_page(&user)?;
    let term = state.db.get_term(id).await.or_page(&user)?;
    form_page(&user, Some(id), term.version, TermInput::from(&term.entry()), None)
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<TermForm>,
) -> PageResult {
    user.require_write().or_page(&user)?;
    let version = form.version.parse().unwrap_or(0);
    match language::edit_term(&state.db, &user.caller(), id, Some(version), &form.input).await {
        Ok(()) => Ok(Redirect::to(&format!("/glossary/{id}")).into_response()),
        Err(e @ Error::NotFound(_)) => Err(error_page(&user, e)),
        Err(e) => form_page(&user, Some(id), version, form.input, Some(e)),
    }
}

#[derive(Deserialize, Default)]
pub struct VersionForm {
    #[serde(default)]
    version: String,
}

pub async fn approve(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<VersionForm>,
) -> PageResult {
    language::approve_term(&state.db, &user.caller(), id, form.version.parse().ok()).await.or_page(&user)?;
    Ok(Redirect::to(&format!("/glossary/{id}")).into_response())
}

pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), _): CsrfForm<VersionForm>,
) -> PageResult {
    language::remove_term(&state.db, &user.caller(), id).await.or_page(&user)?;
    Ok(Redirect::to("/glossary").into_response())
}

#[derive(Template)]
#[template(path = "language/glossary_check.html")]
struct CheckPage {
    layout: Layout,
    csrf: String,
    text: String,
    reader_options: Vec<Opt>,
    errors: FieldErrors,
    checked: bool,
    annotated: String,
    known: Vec<FoundWord>,
    unknown: Vec<FoundWord>,
    can_write: bool,
}

/// A word the check found, as the check page lists it.
struct FoundWord {
    term: String,
    matched: String,
    term_id: Option<i64>,
    definition: String,
}

fn reader_options(selected: Side) -> Vec<Opt> {
    Opt::list(
        [("business".to_string(), "Business readers".to_string()), ("it".to_string(), "IT readers".to_string())],
        selected.as_str(),
    )
}

pub async fn check_form(PageUser(user): PageUser) -> PageResult {
    Ok(render(&CheckPage {
        layout: Layout::new("Check a text", &user, "language"),
        csrf: user.csrf.clone(),
        text: String::new(),
        reader_options: reader_options(user.side.other()),
        errors: FieldErrors::new(),
        checked: false,
        annotated: String::new(),
        known: vec![],
        unknown: vec![],
        can_write: user.role.can_write(),
    }))
}

#[derive(Deserialize, Default)]
pub struct CheckForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    reader: String,
}

pub async fn check(State(state): State<AppState>, CsrfForm(PageUser(user), form): CsrfForm<CheckForm>) -> PageResult {
    let reader = Side::parse(&form.reader).unwrap_or(user.side.other());
    let (findings, errors, status) = match state.glossary.check(&state.db, &form.text, reader).await {
        Ok(f) => (f, FieldErrors::new(), StatusCode::OK),
        Err(Error::TooLarge(msg)) => (vec![], [("text".to_string(), msg)].into(), StatusCode::PAYLOAD_TOO_LARGE),
        Err(e) => return Err(error_page(&user, e)),
    };
    let annotated = bridge_domain::language::annotate_html(&form.text, &findings);
    let (known, unknown): (Vec<_>, Vec<_>) = findings.into_iter().partition(|f| f.kind == FindingKind::Known);
    let (known, unknown) = (dedup_by_term(&known, &form.text), dedup_by_term(&unknown, &form.text));
    let mut response = render(&CheckPage {
        layout: Layout::new("Check a text", &user, "language"),
        csrf: user.csrf.clone(),
        checked: errors.is_empty(),
        text: form.text,
        reader_options: reader_options(reader),
        errors,
        annotated,
        known,
        unknown,
        can_write: user.role.can_write(),
    });
    *response.status_mut() = status;
    Ok(response)
}

/// One row per term, in order of first appearance.
fn dedup_by_term(findings: &[Finding], text: &str) -> Vec<FoundWord> {
    let mut seen = std::collections::HashSet::new();
    findings
        .iter()
        .filter(|f| seen.insert(f.term()))
        .map(|f| FoundWord {
            term: f.term().to_string(),
            matched: f.matched(text).to_string(),
            term_id: f.term_id(),
            definition: f.definition().unwrap_or_default().to_string(),
        })
        .collect()
}

pub async fn export(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    let terms = state.db.all_terms().await.or_page(&user)?;
    let entries: Vec<_> = terms.iter().map(Term::entry).collect();
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"bridge-glossary.csv\""),
        ],
        export_csv(&entries),
    )
        .into_response())
}

/// One problem in an uploaded glossary file (line 0 for problems of the whole file).
pub struct ImportProblem {
    pub line: usize,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "language/glossary_import.html")]
struct ImportPage {
    layout: Layout,
    csrf: String,
    row_errors: Vec<ImportProblem>,
}

pub async fn import_form(PageUser(user): PageUser) -> PageResult {
    user.require_write().or_page(&user)?;
    Ok(render(&ImportPage {
        layout: Layout::new("Import glossary", &user, "language"),
        csrf: user.csrf.clone(),
        row_errors: vec![],
    }))
}

pub async fn import(State(state): State<AppState>, PageUser(user): PageUser, multipart: Multipart) -> PageResult {
    user.require_write().or_page(&user)?;
    let data = super::read_upload(multipart, &user.csrf).await.or_page(&user)?;
    let problems = match import_csv(&data) {
        Err(rows) => rows.into_iter().map(|r| ImportProblem { line: r.line, reason: r.reason }).collect(),
        Ok(entries) => match language::import(&state.db, &user.caller(), &entries).await {
            Ok(_) => {
                return Ok(Redirect::to("/glossary").into_response());
            }
            Err(Error::Conflict { message, .. }) => vec![ImportProblem { line: 0, reason: message }],
            Err(e) => return Err(error_page(&user, e)),
        },
    };
    let mut response = render(&ImportPage {
        layout: Layout::new("Import glossary", &user, "language"),
        csrf: user.csrf.clone(),
        row_errors: problems,
    });
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

/// One bar of the lookups chart, laid out in SVG units.
pub struct Bar {
    pub label: String,
    pub value: i64,
    pub y: usize,
    pub width: i64,
}

#[derive(Template)]
#[template(path = "language/glossary_insight.html")]
struct InsightPage {
    layout: Layout,
    lookups: Vec<Term>,
    bars: Vec<Bar>,
    unknown: Vec<UnknownWord>,
    can_write: bool,
}

pub async fn insight(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    let lookups = state.db.top_lookups(15).await.or_page(&user)?;
    let unknown = state.db.top_unknown(25).await.or_page(&user)?;
    let max = lookups.iter().map(|t| t.lookups).max().unwrap_or(1).max(1);
    let bars = lookups
        .iter()
        .enumerate()
        .map(|(i, t)| Bar {
            label: t.term.chars().take(26).collect(),
            value: t.lookups,
            y: i * 28 + 4,
            width: (t.lookups * 340 / max).max(2),
        })
        .collect();
    Ok(render(&InsightPage {
        layout: Layout::new("What people look up", &user, "language"),
        lookups,
        bars,
        unknown,
        can_write: user.role.can_write(),
    }))
}
