//! API for the value area: KPIs and their measurements (a BI tool posts them nightly, idempotent
//! by its own key), initiatives, champions, reviews and receipts; targets in `targets`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use bridge_domain::intake::parse::Date;
use bridge_domain::value::{KpiInput, MeasurementInput};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiQuery, CheckedJson, PageParams, Paged, Path};
use crate::ops::value::portfolio::Initiative;
use crate::ops::value::reviews::{self, ChampionInput};
use crate::ops::value::{self, today, Sent};
use crate::store::reviews::{InitiativeSettings, Receipt, Review};
use crate::store::value::{KpiRow, MeasurementsWritten};
use crate::web::auth::ApiUser;
use crate::web::error::{ApiError, ApiResult, ErrorBody};
use crate::web::AppState;

mod targets;

pub use targets::*;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_kpis, create_kpi))
        .routes(routes!(get_kpi, update_kpi))
        .routes(routes!(list_measurements, add_measurements))
        .routes(routes!(list_targets, add_target))
        .routes(routes!(request_targets))
        .routes(routes!(target_quarters))
        .routes(routes!(plan_target))
        .routes(routes!(import_measurements))
        .routes(routes!(list_initiatives))
        .routes(routes!(get_initiative))
        .routes(routes!(set_champion))
        .routes(routes!(list_reviews, ask_review))
        .routes(routes!(confirm_review))
        .routes(routes!(dispute_review))
        .routes(routes!(list_receipts))
        .routes(routes!(track_record))
}

/// A KPI as written: `name`, `definition`, `unit` (money, percent, count, duration, score,
/// yes_no), `currency` (with money), `benefit` (revenue, cost_saving, retention, satisfaction,
/// market_share, risk, other), `direction` (higher, lower, band), `unit_id`, `frequency` (daily,
/// weekly, monthly, quarterly, yearly), `source`; plus `version` when changing it.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct KpiBody {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub input: KpiInput,
    pub version: Option<i64>,
}

/// Every KPI, by name.
#[utoipa::path(get, path = "/api/v1/kpis", tag = "value", responses((status = 200, body = Vec<KpiRow>)))]
pub async fn list_kpis(State(state): State<AppState>, _user: ApiUser) -> ApiResult<Json<Vec<KpiRow>>> {
    Ok(Json(state.db.list_kpis().await?))
}

#[utoipa::path(post, path = "/api/v1/kpis", tag = "value", request_body = KpiBody,
    responses((status = 201, body = KpiRow), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_kpi(State(state): State<AppState>, ApiUser(user): ApiUser, body: CheckedJson<KpiBody>) -> Response {
    body.after(user.require_write(), |body| async move {
        let id = value::create_kpi(&state.db, &user.caller(), &body.input).await?;
        Ok::<_, ApiError>((StatusCode::CREATED, Json(state.db.get_kpi(id).await?)))
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/kpis/{id}", tag = "value", responses((status = 200, body = KpiRow), (status = 404, body = ErrorBody)))]
pub async fn get_kpi(State(state): State<AppState>, _user: ApiUser, Path(id): Path<i64>) -> ApiResult<Json<KpiRow>> {
    Ok(Json(state.db.get_kpi(id).await?))
}

/// Changes a KPI against the `version` you read (stale → 409).
#[utoipa::path(put, path = "/api/v1/kpis/{id}", tag = "value", request_body = KpiBody,
    responses((status = 200, body = KpiRow), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_kpi(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: CheckedJson<KpiBody>,
) -> Response {
    body.after(user.require_write(), |body| async move {
        value::update_kpi(&state.db, &user.caller(), id, body.version, &body.input).await?;
        Ok::<_, ApiError>(Json(state.db.get_kpi(id).await?))
    })
    .await
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct MeasurementsQuery {
    /// From this day, `YYYY-MM-DD` (default: all).
    pub from: Option<String>,
    /// To this day, `YYYY-MM-DD` (default: all).
    pub to: Option<String>,
    /// `true`: also the values corrections replaced.
    pub history: Option<bool>,
}

/// A measurement as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct Measurement {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub value: f64,
    pub note: String,
    /// The person, or the API token's owner, who recorded it.
    pub recorded_by: String,
    pub recorded_at: i64,
    /// The sender's own key, if it sent one.
    pub key: Option<String>,
    /// Set on a value that a correction replaced (with `history=true`).
    pub replaced_at: Option<i64>,
}

fn day_of(s: &Option<String>, field: &str, default: i64) -> Result<i64, ApiError> {
    match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => Date::parse(s)
            .map(Date::days)
            .ok_or_else(|| ApiError(bridge_domain::Error::field(field, "Enter the date as YYYY-MM-DD."))),
    }
}

/// The KPI's measurements, oldest first.
#[utoipa::path(get, path = "/api/v1/kpis/{id}/measurements", tag = "value", params(MeasurementsQuery),
    responses((status = 200, body = Vec<Measurement>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_measurements(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<MeasurementsQuery>,
) -> ApiResult<Json<Vec<Measurement>>> {
    state.db.get_kpi(id).await?;
    let (from, to) = (day_of(&q.from, "from", i64::MIN / 2)?, day_of(&q.to, "to", i64::MAX / 2)?);
    let rows = state.db.list_measurements(id, from, to, q.history == Some(true)).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| Measurement {
                date: Date::from_days(r.day).to_string(),
                value: r.value,
                note: r.note,
                recorded_by: r.recorded_by,
                recorded_at: r.recorded_at,
                key: r.sender_key,
                replaced_at: r.replaced_at,
            })
            .collect(),
    ))
}

/// One measurement sent: `date` (`YYYY-MM-DD`), `value` (a number, or text such as "1,200.50"),
/// `note`, `currency` (with money: the KPI's), `key` (your own id for it: sending the same key
/// again changes nothing) and `correction` (true to replace the value the day already has).
#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct MeasurementItem {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub input: MeasurementInput,
    pub key: Option<String>,
    pub correction: bool,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct MeasurementsBody {
    pub measurements: Vec<MeasurementItem>,
}

/// Records measurements, all or none (up to 50,000 in one call). Errors name the item
/// (`measurements[3].value`); a day that already has a value → 409 unless sent as a correction,
/// which keeps the earlier value in the history.
#[utoipa::path(post, path = "/api/v1/kpis/{id}/measurements", tag = "value", request_body = MeasurementsBody,
    responses((status = 200, body = MeasurementsWritten), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_measurements(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: CheckedJson<MeasurementsBody>,
) -> Response {
    body.after(user.require_write(), |body| async move {
        let sent: Vec<Sent> = body
            .measurements
            .into_iter()
            .map(|m| Sent { input: m.input, key: m.key, correction: m.correction })
            .collect();
        Ok::<_, ApiError>(Json(value::record(&state.db, &user.caller(), id, &sent, today()).await?))
    })
    .await
}

/// The largest CSV body the measurements import reads: about 5 million rows.
pub const MAX_IMPORT_BYTES: usize = 256 * 1024 * 1024;
/// Where it is (the request guard lets its body be that large).
pub const IMPORT_PATH: &str = "/api/v1/measurements/import";

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct ImportParams {
    /// The KPI of rows that do not name one (a file without a `kpi` column).
    pub kpi: Option<i64>,
}

/// Imports measurements from a CSV body: columns `date`, `value`, and `kpi` (name or number)
/// unless `?kpi=` says which, plus `note`, `key` and `correction` if wanted. All rows or none: on
/// any bad row, 422 with `fields` holding one message per line (`"line 4": "…"`).
#[utoipa::path(post, path = "/api/v1/measurements/import", tag = "value", params(ImportParams),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = MeasurementsWritten), (status = 422, body = ErrorBody)))]
pub async fn import_measurements(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<ImportParams>,
    body: axum::body::Body,
) -> ApiResult<Json<MeasurementsWritten>> {
    // A BI tool's history is bigger than a form: this call reads up to its own limit, not the
    // server's general one.
    let body = axum::body::to_bytes(body, MAX_IMPORT_BYTES).await.map_err(|_| {
        bridge_domain::Error::TooLarge(format!(
            "The file is larger than {} MB: split it into smaller files.",
            MAX_IMPORT_BYTES / (1024 * 1024)
        ))
    })?;
    match value::import_csv(&state.db, &user.caller(), q.kpi, &body, today()).await? {
        Ok(written) => Ok(Json(written)),
        Err(rows) => Err(super::rows_refused(rows.iter().map(|r| (r.line, r.reason.as_str())))),
    }
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct InitiativeParams {
    /// Only this business unit's.
    pub unit_id: Option<i64>,
    /// Only those approved in this year (`2026`) or quarter (`2026-Q3`).
    pub period: String,
    /// Only those whose combined status is this: on_track, at_risk, off_track, achieved,
    /// missed or not_measured.
    pub status: String,
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Initiatives per page, 1 to 200 (default 50).
    pub per_page: Option<i64>,
}

/// The initiatives (requests approved and on from there, or carrying targets), by request, a page
/// at a time: each with its targets, success metrics not measured yet, combined status and money
/// (cost to date, value realised, return, payback).
#[utoipa::path(get, path = "/api/v1/initiatives", tag = "value", params(InitiativeParams),
    responses((status = 200, body = Paged<Initiative>)))]
pub async fn list_initiatives(
    State(state): State<AppState>,
    _user: ApiUser,
    ApiQuery(q): ApiQuery<InitiativeParams>,
) -> ApiResult<Json<Paged<Initiative>>> {
    let portfolio = state.value_portfolio().await?;
    let filter = crate::ops::value::portfolio::Filter { unit_id: q.unit_id, period: q.period, status: q.status };
    let chosen = portfolio.chosen(&filter);
    let params = PageParams { page: q.page, per_page: q.per_page };
    let page = params.page();
    let items = chosen.iter().skip(page.offset as usize).take(page.limit as usize).map(|i| (*i).clone()).collect();
    Ok(Json(params.paged(items, chosen.len() as i64)))
}

#[utoipa::path(get, path = "/api/v1/initiatives/{id}", tag = "value",
    responses((status = 200, body = Initiative), (status = 404, body = ErrorBody)))]
pub async fn get_initiative(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Initiative>> {
    let portfolio = state.value_portfolio().await?;
    Ok(Json(portfolio.initiative(id).cloned().ok_or_else(|| bridge_domain::Error::not_found("The initiative"))?))
}

/// An initiative's champion and reviews, beside the initiative itself.
#[derive(Serialize, ToSchema)]
pub struct ChampionView {
    #[serde(flatten)]
    pub settings: Option<InitiativeSettings>,
    /// Words in the brief a business reader may not know, with the glossary's explanation.
    pub jargon: Vec<String>,
}

/// Sets the initiative's IT champion (`champion_id`, someone from IT), their `brief` in business
/// words (the jargon checker's findings come back in `jargon`), and the `review_days` after
/// delivery (`"30, 90, 180"` by default), against the `version` read (0 when none is set).
#[utoipa::path(put, path = "/api/v1/initiatives/{id}/champion", tag = "value", request_body = ChampionInput,
    responses((status = 200, body = ChampionView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn set_champion(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: CheckedJson<ChampionInput>,
) -> Response {
    body.after(user.require_write(), |body| async move {
        reviews::set_champion(&state.db, &user.caller(), id, &body).await?;
        let settings = state.db.initiative_settings(id).await?;
        let jargon = jargon_in(&state, settings.as_ref().map(|s| s.brief.as_str()).unwrap_or("")).await;
        Ok::<_, ApiError>(Json(ChampionView { settings, jargon }))
    })
    .await
}

/// The glossary's terms in `text` that a business reader may not know, as "term: meaning".
pub async fn jargon_in(state: &AppState, text: &str) -> Vec<String> {
    let Ok(checker) = state.glossary.checker(&state.db).await else { return vec![] };
    checker
        .check(text, bridge_domain::org::Side::Business)
        .into_iter()
        .map(|f| match f.definition() {
            Some(d) => format!("{}: {d}", f.term()),
            None => format!("{}: not in the glossary yet; say it in plain words", f.term()),
        })
        .collect()
}

/// The initiative's value reviews, oldest first.
#[utoipa::path(get, path = "/api/v1/initiatives/{id}/reviews", tag = "value",
    responses((status = 200, body = Vec<Review>), (status = 404, body = ErrorBody)))]
pub async fn list_reviews(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<Review>>> {
    state.db.get_request(id).await?;
    Ok(Json(state.db.reviews_of(id).await?))
}

/// Opens a review now, outside the schedule (delivery schedules them at the review days): 409
/// before delivery or while one is waiting.
#[utoipa::path(post, path = "/api/v1/initiatives/{id}/reviews", tag = "value",
    responses((status = 201, body = Review), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn ask_review(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<(StatusCode, Json<Review>)> {
    let review = reviews::ask_review(&state.db, &user.caller(), id).await?;
    Ok((StatusCode::CREATED, Json(state.db.get_review(id, review).await?)))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct DecisionBody {
    /// Why, for a dispute (10 characters or more); optional for a confirmation.
    pub note: String,
}

async fn decide_review(
    state: AppState,
    user: crate::web::auth::CurrentUser,
    id: i64,
    review_id: i64,
    confirm: bool,
    note: String,
) -> Result<Json<Review>, ApiError> {
    let portfolio = state.value_portfolio().await?;
    let review =
        reviews::decide(&state.db, &user.caller(), portfolio.initiative(id), id, review_id, confirm, &note).await?;
    Ok(Json(review))
}

/// The sponsor (or an admin) confirms what was measured: the review becomes a value receipt.
/// A review is decided once (409).
#[utoipa::path(post, path = "/api/v1/initiatives/{id}/reviews/{review_id}/confirm", tag = "value", request_body = DecisionBody,
    responses((status = 200, body = Review), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn confirm_review(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, review_id)): Path<(i64, i64)>,
    body: CheckedJson<DecisionBody>,
) -> Response {
    body.after(user.require_write(), |body| decide_review(state, user, id, review_id, true, body.note)).await
}

/// The sponsor (or an admin) disputes what was measured, saying why. A review is decided once (409).
#[utoipa::path(post, path = "/api/v1/initiatives/{id}/reviews/{review_id}/dispute", tag = "value", request_body = DecisionBody,
    responses((status = 200, body = Review), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn dispute_review(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, review_id)): Path<(i64, i64)>,
    body: CheckedJson<DecisionBody>,
) -> Response {
    body.after(user.require_write(), |body| decide_review(state, user, id, review_id, false, body.note)).await
}

/// The latest value receipts: reviews whose sponsor confirmed what was measured, newest first.
#[utoipa::path(get, path = "/api/v1/receipts", tag = "value", responses((status = 200, body = Vec<Receipt>)))]
pub async fn list_receipts(State(state): State<AppState>, _user: ApiUser) -> ApiResult<Json<Vec<Receipt>>> {
    Ok(Json(state.db.receipts(200).await?))
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct RecordParams {
    /// A sponsor's record (a person's id)…
    pub sponsor_id: Option<i64>,
    /// …or a business unit's…
    pub unit_id: Option<i64>,
    /// …or an IT team's (the initiatives its people own).
    pub team_id: Option<i64>,
}

/// A track record, with its sentence.
#[derive(Serialize, ToSchema)]
pub struct RecordView {
    #[serde(flatten)]
    pub record: crate::ops::value::portfolio::TrackRecord,
    pub sentence: String,
}

/// What a sponsor's, a business unit's or an IT team's promises came to: targets achieved and
/// missed, those running and how they stand, money realised (all zero for none yet).
#[utoipa::path(get, path = "/api/v1/track-record", tag = "value", params(RecordParams),
    responses((status = 200, body = RecordView), (status = 422, body = ErrorBody)))]
pub async fn track_record(
    State(state): State<AppState>,
    _user: ApiUser,
    ApiQuery(q): ApiQuery<RecordParams>,
) -> ApiResult<Json<RecordView>> {
    let portfolio = state.value_portfolio().await?;
    let record = match (q.sponsor_id, q.unit_id, q.team_id) {
        (Some(s), None, None) => portfolio.by_sponsor.get(&s),
        (None, Some(u), None) => portfolio.by_unit.get(&u),
        (None, None, Some(t)) => portfolio.by_team.get(&t),
        _ => {
            return Err(bridge_domain::Error::field("sponsor_id", "Ask for one: sponsor_id, unit_id or team_id.").into())
        }
    };
    let record = record.cloned().unwrap_or_default();
    Ok(Json(RecordView { sentence: record.sentence(), record }))
}
