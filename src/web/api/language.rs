//! API for the glossary and the jargon checker.

use crate::web::api::CheckedJson;
use crate::web::auth::CurrentUser;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use bridge_domain::language::{validate_term, Finding, TermInput};
use bridge_domain::org::Side;
use bridge_domain::Error;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiJson, ApiQuery, PageParams, Paged, Path};
use crate::ops::language;
use crate::store::language::{Term, TermFilter, UnknownWord};
use crate::web::auth::ApiUser;
use crate::web::error::{ApiError, ApiResult, ErrorBody};
use crate::web::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_terms, create_term))
        .routes(routes!(export_glossary))
        .routes(routes!(import_glossary))
        .routes(routes!(get_term, update_term, delete_term))
        .routes(routes!(check_text))
        .routes(routes!(insight))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct TermQuery {
    /// Words to find in a term, its other names or its definition.
    pub q: Option<String>,
    /// proposed or approved
    pub status: Option<String>,
    /// it or business: the side that uses the term
    pub side: Option<String>,
    /// Terms starting with this letter.
    pub letter: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Glossary terms, A–Z, filtered and paginated.
#[utoipa::path(get, path = "/api/v1/glossary", tag = "language", params(TermQuery), responses((status = 200, body = Paged<Term>)))]
pub async fn list_terms(
    State(state): State<AppState>,
    _user: ApiUser,
    ApiQuery(q): ApiQuery<TermQuery>,
) -> ApiResult<Json<Paged<Term>>> {
    let filter = TermFilter {
        q: q.q.unwrap_or_default(),
        status: q.status.unwrap_or_default(),
        side: q.side.unwrap_or_default(),
        letter: q.letter.unwrap_or_default().chars().take(1).collect(),
    };
    let pages = PageParams { page: q.page, per_page: q.per_page };
    let (items, total) = state.db.list_terms(&filter, pages.page()).await?;
    Ok(Json(pages.paged(items, total)))
}

/// The fields of a term as sent: lists (aliases, related) are comma- or semicolon-separated text.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct TermBody {
    pub term: String,
    pub aliases: String,
    /// it or business: the side that uses the term (its definition is written for the other side)
    pub side: String,
    pub definition: String,
    pub example: String,
    pub related: String,
    pub owner: String,
    /// proposed (default) or approved
    pub status: String,
    /// Required when updating.
    pub version: Option<i64>,
}

impl TermBody {
    fn input(&self) -> TermInput {
        TermInput {
            term: self.term.clone(),
            aliases: self.aliases.clone(),
            side: self.side.clone(),
            definition: self.definition.clone(),
            example: self.example.clone(),
            related: self.related.clone(),
            owner: self.owner.clone(),
            status: self.status.clone(),
        }
    }
}

/// Proposes (or, with status "approved", adds) a term. A name that another term already uses gets
/// 409 naming the clash; a definition that only repeats the term gets 422.
#[utoipa::path(post, path = "/api/v1/glossary", tag = "language", request_body = TermBody,
    responses((status = 201, body = Term), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_term(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<TermBody>,
) -> ApiResult<(StatusCode, Json<Term>)> {
    let id = language::propose_term(&state.db, &user.caller(), &body.input()).await?;
    Ok((StatusCode::CREATED, Json(state.db.get_term(id).await?)))
}

/// One term. Reading it counts as a look-up.
#[utoipa::path(get, path = "/api/v1/glossary/{id}", tag = "language", responses((status = 200, body = Term), (status = 404, body = ErrorBody)))]
pub async fn get_term(State(state): State<AppState>, _user: ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Term>> {
    state.db.get_term(id).await?;
    state.db.count_lookup(id).await?;
    Ok(Json(state.db.get_term(id).await?))
}

#[utoipa::path(put, path = "/api/v1/glossary/{id}", tag = "language", request_body = TermBody,
    responses((status = 200, body = Term), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_term(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<TermBody>,
) -> ApiResult<Json<Term>> {
    language::edit_term(&state.db, &user.caller(), id, body.version, &body.input()).await?;
    Ok(Json(state.db.get_term(id).await?))
}

/// Removes a term (admins only).
#[utoipa::path(delete, path = "/api/v1/glossary/{id}", tag = "language", responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn delete_term(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    language::remove_term(&state.db, &user.caller(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The whole glossary as JSON, in the shape `POST /glossary/import` takes back.
#[utoipa::path(get, path = "/api/v1/glossary/export", tag = "language", responses((status = 200, body = Vec<Term>)))]
pub async fn export_glossary(State(state): State<AppState>, _user: ApiUser) -> ApiResult<Json<Vec<Term>>> {
    Ok(Json(state.db.all_terms().await?))
}

/// An entry to import: like a term, with lists as arrays.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ImportEntry {
    pub term: String,
    pub aliases: Vec<String>,
    pub side: String,
    pub definition: String,
    pub example: String,
    pub related: Vec<String>,
    pub owner: String,
    pub status: String,
}

#[derive(Serialize, ToSchema)]
pub struct GlossaryImportResult {
    pub added: usize,
    pub updated: usize,
}

/// Imports terms (the export's JSON works as is): all or none. Existing terms are updated when they
/// differ. Bad entries get 422 with `fields` keyed `"item N"` (from 1).
#[utoipa::path(post, path = "/api/v1/glossary/import", tag = "language", request_body = Vec<ImportEntry>,
    responses((status = 200, body = GlossaryImportResult), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn import_glossary(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    body: CheckedJson<Vec<ImportEntry>>,
) -> Response {
    body.after(user.require_write(), |items| import_glossary_as(state, user, items)).await
}

async fn import_glossary_as(
    state: AppState,
    user: CurrentUser,
    items: Vec<ImportEntry>,
) -> ApiResult<Json<GlossaryImportResult>> {
    let mut entries = Vec::with_capacity(items.len());
    let mut fields = bridge_domain::FieldErrors::new();
    for (i, item) in items.iter().enumerate() {
        let input = TermInput {
            term: item.term.clone(),
            aliases: item.aliases.join("; "),
            side: item.side.clone(),
            definition: item.definition.clone(),
            example: item.example.clone(),
            related: item.related.join("; "),
            owner: item.owner.clone(),
            status: item.status.clone(),
        };
        match validate_term(&input) {
            Ok(e) => entries.push(e),
            Err(Error::Validation { fields: f, .. }) => {
                let detail: Vec<String> = f.into_iter().map(|(k, v)| format!("{k}: {v}")).collect();
                fields.insert(format!("item {}", i + 1), detail.join(" "));
            }
            Err(e) => return Err(e.into()),
        }
    }
    if !fields.is_empty() {
        return Err(ApiError(Error::Validation {
            message: format!("{} entries have problems; nothing was imported.", fields.len()),
            fields,
        }));
    }
    let (added, updated) = language::import(&state.db, &user.caller(), &entries).await?;
    Ok(Json(GlossaryImportResult { added, updated }))
}

#[derive(Deserialize, ToSchema)]
pub struct CheckRequest {
    /// The text to check, at most 2 MiB of UTF-8.
    pub text: String,
    /// Who will read it: business or it. Terms of the reader's own side are not reported.
    pub reader: String,
}

/// One term found. `start` and `end` count Unicode characters (scalar values) from the start of the
/// text; `end` is exclusive.
#[derive(Serialize, ToSchema)]
pub struct FindingOut {
    /// The glossary term, or for unknown jargon the word itself.
    pub term: String,
    /// The text as written, e.g. "APIs".
    pub matched: String,
    pub term_id: Option<i64>,
    pub start: usize,
    pub end: usize,
    /// known (in the glossary) or unknown (probable jargon the glossary lacks)
    pub kind: String,
    pub definition: Option<String>,
}

impl FindingOut {
    /// The finding `f` in `text`, the checked text.
    pub fn new(f: &Finding, text: &str) -> Self {
        FindingOut {
            kind: match f.kind {
                bridge_domain::language::FindingKind::Known => "known".into(),
                bridge_domain::language::FindingKind::Unknown => "unknown".into(),
            },
            term: f.term().to_string(),
            matched: f.matched(text).to_string(),
            term_id: f.term_id(),
            start: f.start,
            end: f.end,
            definition: f.definition().map(str::to_string),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CheckResponse {
    pub findings: Vec<FindingOut>,
}

/// Finds the words in a text that its reader may not know: glossary terms of the other side (with
/// their definitions) and probable jargon the glossary lacks. Over 2 MiB: 413.
#[utoipa::path(post, path = "/api/v1/language/check", tag = "language", request_body = CheckRequest,
    responses((status = 200, body = CheckResponse), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn check_text(
    State(state): State<AppState>,
    _user: ApiUser,
    ApiJson(body): ApiJson<CheckRequest>,
) -> ApiResult<Json<CheckResponse>> {
    let reader = Side::parse(&body.reader)
        .ok_or_else(|| Error::field("reader", "Say who will read the text: business or it."))?;
    let findings = state.glossary.check(&state.db, &body.text, reader).await?;
    Ok(Json(CheckResponse { findings: findings.iter().map(|f| FindingOut::new(f, &body.text)).collect() }))
}

#[derive(Serialize, ToSchema)]
pub struct Insight {
    /// The terms looked up most often.
    pub top_lookups: Vec<Term>,
    /// The unknown words flagged most often that the glossary still lacks: its backlog.
    pub top_unknown: Vec<UnknownWord>,
}

#[utoipa::path(get, path = "/api/v1/language/insight", tag = "language", responses((status = 200, body = Insight)))]
pub async fn insight(State(state): State<AppState>, _user: ApiUser) -> ApiResult<Json<Insight>> {
    Ok(Json(Insight { top_lookups: state.db.top_lookups(25).await?, top_unknown: state.db.top_unknown(25).await? }))
}
