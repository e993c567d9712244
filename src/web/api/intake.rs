//! API for intake: requests, lifecycle, assessment, priority, conversation, revisions, settings,
//! response times and Jira import.

use crate::web::api::CheckedJson;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use bridge_domain::intake::{Action, AssessmentInput, PriorityInput, PriorityWeights, RequestInput, Status};
use bridge_domain::Error;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiJson, ApiQuery, PageParams, Paged, Path};
use crate::ops::intake::assessment::{self, AssessmentView};
use crate::ops::intake::priority::{self, PriorityView};
use crate::ops::intake::requests::{self, ClarityView, RequestView};
use crate::ops::intake::stats::{self, UnitStats};
use crate::ops::intake::{conversation, jira};
use crate::ops::value::targets::{decide_with_targets, MetricTarget};
use crate::store::comments::Comment;
use crate::store::intake::{RequestEvent, RequestFilter, RequestSummary, Revision, Sort};
use crate::web::auth::{ApiUser, CurrentUser};
use crate::web::error::{ApiError, ApiResult, ErrorBody};
use crate::web::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_requests, create_request))
        .routes(routes!(check_clarity))
        .routes(routes!(import_jira))
        .routes(routes!(get_request, update_request))
        .routes(routes!(transition_request))
        .routes(routes!(set_owner))
        .routes(routes!(mark_duplicate))
        .routes(routes!(list_events))
        .routes(routes!(get_assessment, put_assessment))
        .routes(routes!(put_priority))
        .routes(routes!(list_comments, add_comment))
        .routes(routes!(correct_comment, remove_comment))
        .routes(routes!(check_mentions))
        .routes(routes!(list_revisions))
        .routes(routes!(get_settings, put_settings))
        .routes(routes!(get_stats))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct RequestsQuery {
    /// One status, or `open` for the queue (submitted, in assessment, approved, deferred): draft, submitted, in_assessment, approved, declined, deferred, in_delivery, delivered, value_review, closed.
    pub status: Option<String>,
    pub unit_id: Option<i64>,
    pub sponsor_id: Option<i64>,
    pub author_id: Option<i64>,
    /// Owned on IT's side by this person.
    pub owner_id: Option<i64>,
    /// `true`: only requests nobody owns on IT's side yet.
    pub unowned: Option<bool>,
    /// `true`: only your requests (written, sponsored or owned by you, or where you were mentioned).
    pub mine: Option<bool>,
    /// Clarity at least this (0–100).
    pub min_clarity: Option<i64>,
    pub max_clarity: Option<i64>,
    /// Priority score at least this.
    pub min_priority: Option<f64>,
    /// Words to find in title and problem (full-text).
    pub q: Option<String>,
    /// priority (default), newest, oldest, clarity, updated, title
    pub sort: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Reads list filters for the person `me`, answering unknown codes with a field error.
pub fn parse_filter(q: &RequestsQuery, me: i64) -> Result<RequestFilter, Error> {
    let mut fields = bridge_domain::FieldErrors::new();
    let status = match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) if s == "open" || s == "all" => None,
        Some(s) => {
            let st = Status::parse(s);
            if st.is_none() {
                fields.insert("status".into(), format!("\u{201c}{s}\u{201d} is not a status."));
            }
            st
        }
    };
    let sort = match q.sort.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Sort::Priority,
        Some(s) => Sort::parse(s).unwrap_or_else(|| {
            fields.insert("sort".into(), "Sort by priority, newest, oldest, clarity, updated or title.".into());
            Sort::Priority
        }),
    };
    Error::check(fields)?;
    Ok(RequestFilter {
        status,
        open: q.status.as_deref().map(str::trim) == Some("open"),
        unit_id: q.unit_id,
        sponsor_id: q.sponsor_id,
        author_id: q.author_id,
        owner_id: if q.unowned == Some(true) { Some(None) } else { q.owner_id.map(Some) },
        mine: (q.mine == Some(true)).then_some(me),
        drafts_of: None,
        min_clarity: q.min_clarity,
        max_clarity: q.max_clarity,
        min_priority: q.min_priority.filter(|p| p.is_finite()),
        q: q.q.clone().unwrap_or_default(),
        sort,
    })
}

/// Requests, filtered, searched, sorted and paginated. `total` counts up to 1,001 ("more than 1,000").
#[utoipa::path(get, path = "/api/v1/requests", tag = "intake", params(RequestsQuery),
    responses((status = 200, body = Paged<RequestSummary>), (status = 422, body = ErrorBody)))]
pub async fn list_requests(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<RequestsQuery>,
) -> ApiResult<Json<Paged<RequestSummary>>> {
    let filter = parse_filter(&q, user.person_id)?;
    let params = PageParams { page: q.page, per_page: q.per_page };
    let list = requests::list_requests(&state.db, &state.directory, &filter, params.page()).await?;
    let searched_for = list.corrected.map(|c| c.query);
    Ok(Json(Paged { searched_for, ..params.paged(list.rows, list.total) }))
}

/// A request as written: the form's fields (numbers as JSON numbers or as text such as "1,200"; dates as
/// `YYYY-MM-DD`) plus `version` when updating.
#[derive(Deserialize, ToSchema, Default)]
pub struct RequestBody {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub input: RequestInput,
    /// Required when updating: the version you read. A stale version gets 409.
    pub version: Option<i64>,
}

async fn view(state: &AppState, user: &CurrentUser, id: i64) -> Result<RequestView, Error> {
    let settings = state.intake_settings.get(&state.db).await?;
    requests::request_view(&state.db, &settings, &user.caller(), id).await
}

/// Creates a draft (any clarity). Field errors answer 422 with a message per field.
#[utoipa::path(post, path = "/api/v1/requests", tag = "intake", request_body = RequestBody,
    responses((status = 201, body = RequestView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_request(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<RequestBody>,
) -> ApiResult<(StatusCode, Json<RequestView>)> {
    let id = requests::create_request(&state.db, &user.caller(), &body.input).await?;
    Ok((StatusCode::CREATED, Json(view(&state, &user, id).await?)))
}

/// A request with its clarity, priority (and its place in the queue), assessment and the actions you may take.
#[utoipa::path(get, path = "/api/v1/requests/{id}", tag = "intake",
    responses((status = 200, body = RequestView), (status = 404, body = ErrorBody)))]
pub async fn get_request(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<RequestView>> {
    Ok(Json(view(&state, &user, id).await?))
}

/// Saves a request. Send the `version` you read; if someone saved since, 409 and nothing changes.
/// After submission each change is kept as a revision.
#[utoipa::path(put, path = "/api/v1/requests/{id}", tag = "intake", request_body = RequestBody,
    responses((status = 200, body = RequestView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_request(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<RequestBody>,
) -> ApiResult<Json<RequestView>> {
    requests::update_request(&state.db, &user.caller(), id, body.version, &body.input).await?;
    Ok(Json(view(&state, &user, id).await?))
}

/// Scores a request for clarity without saving it.
#[utoipa::path(post, path = "/api/v1/requests/clarity", tag = "intake", request_body = RequestBody,
    responses((status = 200, body = ClarityView), (status = 422, body = ErrorBody)))]
pub async fn check_clarity(
    State(state): State<AppState>,
    _user: ApiUser,
    ApiJson(body): ApiJson<RequestBody>,
) -> ApiResult<Json<ClarityView>> {
    let settings = state.intake_settings.get(&state.db).await?;
    Ok(Json(requests::check_clarity(&body.input, &settings)?))
}

#[derive(Deserialize, ToSchema)]
pub struct TransitionBody {
    /// submit, withdraw, start_assessment, send_back, approve, decline, defer, reopen, start_delivery, mark_delivered, start_value_review, close
    pub action: String,
    /// Required (10+ characters) for approve, decline, defer and send_back (written for the
    /// business) and for withdraw (for IT).
    #[serde(default)]
    pub reason: String,
    /// Approve a request IT has not assessed (the reason says why); without it, such an approval → 422.
    #[serde(default)]
    pub without_assessment: bool,
    /// With `approve` only: targets for the request's success metrics, each on a KPI. All are
    /// checked before the approval; a bad one → 422 on `targets[i].field`, and nothing changes.
    #[serde(default)]
    pub targets: Vec<ApprovalTarget>,
}

/// A target chosen with an approval: `metric` names the success metric; the other fields are
/// those of `POST /api/v1/kpis/{id}/targets`.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ApprovalTarget {
    pub kpi_id: i64,
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub input: bridge_domain::value::TargetInput,
}

/// Moves a request through its lifecycle. A step not allowed from the current state answers 409
/// saying why; a role that may not take it, 403; submitting below the clarity threshold, 422 with hints.
#[utoipa::path(post, path = "/api/v1/requests/{id}/transitions", tag = "intake", request_body = TransitionBody,
    responses((status = 200, body = RequestView), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn transition_request(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<TransitionBody>,
) -> ApiResult<Json<RequestView>> {
    let action = Action::from_form(&body.action, &body.reason)
        .ok_or_else(|| Error::field("action", format!("\u{201c}{}\u{201d} is not a lifecycle action.", body.action)))?;
    let targets: Vec<MetricTarget> =
        body.targets.into_iter().map(|t| MetricTarget { kpi_id: Some(t.kpi_id), input: t.input }).collect();
    let field = |i: usize, name: &str| format!("targets[{i}].{name}");
    decide_with_targets(&state.db, &user.caller(), id, &action, body.without_assessment, &targets, field).await?;
    Ok(Json(view(&state, &user, id).await?))
}

/// Who owns a request on IT's side.
#[derive(Deserialize, ToSchema)]
pub struct OwnerBody {
    /// An IT person's id, or null for nobody.
    pub owner_id: Option<i64>,
}

/// Sets who owns a request on IT's side (IT and admins); they are told. Someone not on IT's
/// side → 422.
#[utoipa::path(put, path = "/api/v1/requests/{id}/owner", tag = "intake", request_body = OwnerBody,
    responses((status = 200, body = RequestView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_owner(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<OwnerBody>,
) -> ApiResult<Json<RequestView>> {
    requests::assign_owner(&state.db, &user.caller(), id, body.owner_id).await?;
    Ok(Json(view(&state, &user, id).await?))
}

/// The request another one repeats.
#[derive(Deserialize, ToSchema)]
pub struct DuplicateBody {
    /// The id of the request it is the same as.
    #[serde(default)]
    pub of: Option<i64>,
}

/// Closes a request as the same as another (IT and admins): both authors are told and the closed
/// one links to the other. A closed or withdrawn request → 409; itself or no such request → 422.
#[utoipa::path(post, path = "/api/v1/requests/{id}/duplicate", tag = "intake", request_body = DuplicateBody,
    responses((status = 200, body = RequestView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn mark_duplicate(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<DuplicateBody>,
) -> ApiResult<Json<RequestView>> {
    requests::mark_duplicate(&state.db, &user.caller(), id, body.of).await?;
    Ok(Json(view(&state, &user, id).await?))
}

/// Every lifecycle step of a request: who, when, from, to, and the reason.
#[utoipa::path(get, path = "/api/v1/requests/{id}/events", tag = "intake",
    responses((status = 200, body = Vec<RequestEvent>), (status = 404, body = ErrorBody)))]
pub async fn list_events(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<RequestEvent>>> {
    state.db.get_request(id).await?;
    Ok(Json(state.db.request_events(id).await?))
}

/// IT's assessment, with its plain-language summary; 404 when there is none yet.
#[utoipa::path(get, path = "/api/v1/requests/{id}/assessment", tag = "intake",
    responses((status = 200, body = AssessmentView), (status = 404, body = ErrorBody)))]
pub async fn get_assessment(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<AssessmentView>> {
    Ok(Json(assessment::assessment_view(&state.db, id).await?))
}

#[derive(Deserialize, ToSchema, Default)]
pub struct AssessmentBody {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub input: AssessmentInput,
    /// The version you read; 0 or absent for a first assessment.
    pub version: Option<i64>,
}

/// Saves IT's assessment (IT and admins). Stale `version` → 409.
#[utoipa::path(put, path = "/api/v1/requests/{id}/assessment", tag = "intake", request_body = AssessmentBody,
    responses((status = 200, body = AssessmentView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_assessment(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<AssessmentBody>,
) -> ApiResult<Json<AssessmentView>> {
    assessment::save_assessment(&state.db, &user.caller(), id, body.version.unwrap_or(0), &body.input).await?;
    Ok(Json(assessment::assessment_view(&state.db, id).await?))
}

/// Sets priority ratings (1, 2, 3, 5, 8, 13, 20). The business side rates business value and
/// time criticality; IT rates risk reduction and job size; admins all. Others' ratings → 403.
#[utoipa::path(put, path = "/api/v1/requests/{id}/priority", tag = "intake", request_body(content = Object, description = "business_value, time_criticality, risk_reduction, job_size: each optional"),
    responses((status = 200, body = PriorityView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_priority(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<PriorityInput>,
) -> ApiResult<Json<PriorityView>> {
    let settings = state.intake_settings.get(&state.db).await?;
    priority::set_priority(&state.db, &user.caller(), &settings.weights, id, &body).await?;
    let r = state.db.get_request(id).await?;
    Ok(Json(priority::priority_view(&state.db, &settings.weights, &r.summary).await?))
}

#[utoipa::path(get, path = "/api/v1/requests/{id}/comments", tag = "intake",
    responses((status = 200, body = Vec<Comment>), (status = 404, body = ErrorBody)))]
pub async fn list_comments(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<Comment>>> {
    Ok(Json(conversation::comments_of(&state.db, id).await?))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct CommentBody {
    /// Mention people with `@Full Name` or `@email`; each is notified.
    pub body: String,
}

#[derive(Serialize, ToSchema)]
pub struct CommentCreated {
    pub id: i64,
    /// How many people were notified (those mentioned, and the request's author).
    pub notified: usize,
}

/// Adds to the conversation. Both sides may write; viewers may not.
#[utoipa::path(post, path = "/api/v1/requests/{id}/comments", tag = "intake", request_body = CommentBody,
    responses((status = 201, body = CommentCreated), (status = 422, body = ErrorBody)))]
pub async fn add_comment(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: CheckedJson<CommentBody>,
) -> Response {
    body.after(user.require_write(), |body| add_comment_as(state, user, id, body)).await
}

async fn add_comment_as(
    state: AppState,
    user: CurrentUser,
    id: i64,
    body: CommentBody,
) -> ApiResult<(StatusCode, Json<CommentCreated>)> {
    let (cid, notified) = conversation::comment(&state.db, &user.caller(), user.side.as_str(), id, &body.body).await?;
    Ok((StatusCode::CREATED, Json(CommentCreated { id: cid, notified })))
}

#[derive(Serialize, ToSchema)]
pub struct CommentCorrected {
    /// The message as it is now.
    pub comment: Comment,
    /// How many people the correction newly mentions were notified.
    pub notified: usize,
}

/// Corrects your own message, within 15 minutes of sending it (403 for someone else's, 409 when
/// too late or removed). What it said before is kept; people newly mentioned are notified.
#[utoipa::path(put, path = "/api/v1/requests/{id}/comments/{comment_id}", tag = "intake", request_body = CommentBody,
    responses((status = 200, body = CommentCorrected), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn correct_comment(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, comment_id)): Path<(i64, i64)>,
    body: CheckedJson<CommentBody>,
) -> Response {
    body.after(user.require_write(), |body| async move {
        let notified =
            conversation::correct_comment(&state.db, &user.caller(), id, comment_id, Some(&body.body)).await?;
        Ok::<_, ApiError>(Json(CommentCorrected { comment: state.db.get_comment(comment_id).await?, notified }))
    })
    .await
}

/// Removes your own message, within 15 minutes of sending it; the conversation says that it was
/// removed, and its text is kept in the history.
#[utoipa::path(delete, path = "/api/v1/requests/{id}/comments/{comment_id}", tag = "intake",
    responses((status = 204), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn remove_comment(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, comment_id)): Path<(i64, i64)>,
) -> ApiResult<StatusCode> {
    conversation::correct_comment(&state.db, &user.caller(), id, comment_id, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct MentionCheck {
    /// The people the message would notify, by name.
    pub notified: Vec<String>,
    /// @-words that name nobody: the message would be refused until they are fixed.
    pub unknown: Vec<String>,
}

/// Who a message would notify, before it is sent.
#[utoipa::path(post, path = "/api/v1/mentions/check", tag = "intake", request_body = CommentBody,
    responses((status = 200, body = MentionCheck)))]
pub async fn check_mentions(
    State(state): State<AppState>,
    _user: ApiUser,
    ApiJson(body): ApiJson<CommentBody>,
) -> ApiResult<Json<MentionCheck>> {
    let (notified, unknown) = crate::ops::comments::preview(&state.db, &body.body).await?;
    Ok(Json(MentionCheck { notified, unknown }))
}

/// Changes made after submission, newest first: who, when, what changed, before and after.
#[utoipa::path(get, path = "/api/v1/requests/{id}/revisions", tag = "intake",
    responses((status = 200, body = Vec<Revision>), (status = 404, body = ErrorBody)))]
pub async fn list_revisions(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<Revision>>> {
    state.db.get_request(id).await?;
    Ok(Json(state.db.list_revisions(id).await?))
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct IntakeSettings {
    /// Clarity needed to submit, 0–100 (default 70).
    pub submit_threshold: i64,
    #[schema(value_type = Object)]
    pub weights: PriorityWeights,
    /// The currency of amounts typed without one, such as EUR (the default). Left out when
    /// changing the settings: stays as it is.
    #[serde(default)]
    pub default_currency: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/intake/settings", tag = "intake", responses((status = 200, body = IntakeSettings)))]
pub async fn get_settings(State(state): State<AppState>, _user: ApiUser) -> ApiResult<Json<IntakeSettings>> {
    let s = state.db.intake_settings().await?;
    Ok(Json(IntakeSettings {
        submit_threshold: i64::from(s.submit_threshold),
        weights: s.weights,
        default_currency: Some(s.default_currency),
    }))
}

/// Changes the submit threshold and the priority weights (admins). The queue re-ranks at once.
#[utoipa::path(put, path = "/api/v1/intake/settings", tag = "intake", request_body = IntakeSettings,
    responses((status = 200, body = IntakeSettings), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_settings(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    body: CheckedJson<IntakeSettings>,
) -> Response {
    body.after(user.require_admin(), |body| async move {
        let currency = match body.default_currency {
            Some(c) => c,
            None => state.db.default_currency().await?,
        };
        crate::ops::intake::save_settings(&state.db, &user.caller(), body.submit_threshold, &body.weights, &currency)
            .await?;
        get_settings(State(state), ApiUser(user)).await
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/intake/stats", tag = "intake", responses((status = 200, body = Vec<UnitStats>)))]
pub async fn get_stats(State(state): State<AppState>, _user: ApiUser) -> ApiResult<Json<Vec<UnitStats>>> {
    Ok(Json(stats::response_times(&state.db).await?))
}

#[derive(Serialize, ToSchema)]
pub struct JiraImportResult {
    pub import_id: i64,
    /// New drafts.
    pub created: usize,
    /// Drafts imported before whose issue changed.
    pub updated: usize,
    /// Issues imported before and unchanged, or already submitted.
    pub skipped: usize,
}

/// Imports a Jira CSV export as drafts (columns Summary, Description, Reporter, Created, Status,
/// Priority, Issue key). All rows or none: any bad row → 422 with `fields` per line (`"line 4"`).
/// An issue imported before (same key) updates its draft or is skipped, never added twice.
#[utoipa::path(post, path = "/api/v1/requests/import", tag = "intake", request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = JiraImportResult), (status = 422, body = ErrorBody)))]
pub async fn import_jira(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<JiraImportResult>)> {
    match jira::import_jira(&state.db, &user.caller(), &body).await? {
        Ok(done) => Ok((
            StatusCode::CREATED,
            Json(JiraImportResult {
                import_id: done.import_id,
                created: done.created,
                updated: done.updated,
                skipped: done.skipped,
            }),
        )),
        Err(rows) => Err(super::rows_refused(rows.iter().map(|r| (r.line, r.reason.as_str())))),
    }
}
