//! Intake's storage: requests and their queue, lifecycle events, assessments, priority,
//! revisions and the intake settings. Comments are `store::comments`, notifications
//! `store::notifications`.
//!
//! Filtered and sorted columns (status, unit, sponsor, clarity, the priority ratings and score,
//! timestamps) are real columns with indexes; the rest of the validated request is JSON in `body`.
//! The priority score is stored, computed from the four ratings and the current weights, and
//! recomputed for every row in one UPDATE when an admin changes the weights (about 0.2 s for
//! 100,000 rows on SQLite), so the queue sorts on an index.

mod assessment;
pub mod imports;
mod lifecycle;
mod priority;
pub(crate) mod queue;
mod requests;
mod seed;

use bridge_domain::intake::{ActionKind, Assessment, AssessmentInput, PriorityInput, Status, ValidRequest};
use serde::{Deserialize, Serialize};

use bridge_domain::org::Side;

use super::notifications::Notice;

pub use assessment::AssessmentSave;
pub use priority::{SETTING_THRESHOLD, SETTING_WEIGHTS};
pub use queue::{RequestFilter, Sort, COUNT_CAP};
pub use requests::RequestUpdate;
pub use seed::{SeedComment, SeedEvent, SeedRequest};

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct RequestSummary {
    pub id: i64,
    pub title: String,
    /// draft, submitted, in_assessment, approved, declined, deferred, in_delivery, delivered, value_review, closed
    #[sqlx(try_from = "String")]
    #[schema(value_type = String)]
    pub status: Status,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub sponsor_id: Option<i64>,
    pub sponsor_name: Option<String>,
    /// The person on IT's side who owns the request.
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    /// 0–100.
    pub clarity: i64,
    pub business_value: Option<i64>,
    pub time_criticality: Option<i64>,
    pub risk_reduction: Option<i64>,
    pub job_size: Option<i64>,
    /// The priority score with the current weights; `null` while a rating is missing.
    pub priority: Option<f64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    pub version: i64,
}

impl RequestSummary {
    pub fn priority_input(&self) -> PriorityInput {
        ratings([self.business_value, self.time_criticality, self.risk_reduction, self.job_size])
    }
}

/// The four rating columns (business value, time criticality, risk reduction, job size) as the
/// domain's ratings.
pub(super) fn ratings([bv, tc, rr, js]: [Option<i64>; 4]) -> PriorityInput {
    let v = |x: Option<i64>| x.and_then(|n| u32::try_from(n).ok());
    PriorityInput { business_value: v(bv), time_criticality: v(tc), risk_reduction: v(rr), job_size: v(js) }
}

#[derive(Debug, Clone, Deserialize, sqlx::FromRow)]
pub(super) struct RequestRow {
    #[sqlx(flatten)]
    #[serde(flatten)]
    summary: RequestSummary,
    author_id: Option<i64>,
    author_name: Option<String>,
    body: String,
    problem: String,
    source: String,
    first_response_at: Option<i64>,
    decided_at: Option<i64>,
    duplicate_of: Option<i64>,
}

/// A whole request.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Request {
    #[serde(flatten)]
    pub summary: RequestSummary,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    /// Where an imported request came from.
    pub source: String,
    pub first_response_at: Option<i64>,
    pub decided_at: Option<i64>,
    /// The request IT closed this one as the same as.
    pub duplicate_of: Option<i64>,
    /// The validated request: title, problem, goals, metrics, budget, stakeholders, regulatory, dates, trade-offs.
    #[schema(value_type = Object)]
    pub body: ValidRequest,
}

impl Request {
    pub fn id(&self) -> i64 {
        self.summary.id
    }
    pub fn status(&self) -> Status {
        self.summary.status
    }
}

/// A [`RequestSummary`]'s own columns; its names come from [`SUMMARY_NAMES`] with [`SUMMARY_FROM`],
/// or, in lists, from the directory in memory (see `queue::list_requests`).
pub(super) const SUMMARY_COLUMNS: &str = "r.id, r.title, r.status, r.unit_id, r.sponsor_id, r.owner_id, r.clarity,
    r.business_value, r.time_criticality, r.risk_reduction, r.job_size, r.priority, r.created_at, r.updated_at,
    r.submitted_at, r.version";
pub(super) const SUMMARY_NAMES: &str = "u.name AS unit_name, s.name AS sponsor_name, o.name AS owner_name";
pub(super) const SUMMARY_FROM: &str = " FROM requests r LEFT JOIN units u ON u.id = r.unit_id
    LEFT JOIN people s ON s.id = r.sponsor_id LEFT JOIN people o ON o.id = r.owner_id";

/// A request like one being written, to join instead of asking again.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct SimilarRequest {
    pub id: i64,
    pub title: String,
    #[sqlx(try_from = "String")]
    #[schema(value_type = String)]
    pub status: Status,
}

/// A lifecycle step as `ops::intake` decided it, for [`Db::record_transition`].
#[derive(Debug, Clone)]
pub struct TransitionRecord {
    pub from: Status,
    pub to: Status,
    pub kind: ActionKind,
    pub reason: String,
    pub at: i64,
    pub submitted_at: Option<i64>,
    pub first_response_at: Option<i64>,
    pub decided_at: Option<i64>,
    /// Who is told, and what.
    pub notices: Vec<Notice>,
    /// The event other tools hear of through webhooks, as plain JSON.
    pub announce: Option<(bridge_domain::webhooks::Event, serde_json::Value)>,
    /// The audit log's line.
    pub summary: String,
    /// Jobs the step schedules (a delivery's value reviews).
    pub jobs: Vec<crate::store::jobs::NewJob>,
    /// The contacts between the two sides the step makes (a decision IT tells the business).
    pub contacts: Vec<crate::store::engagement::NewContact>,
}

#[derive(Debug, Clone, sqlx::FromRow, Deserialize)]
pub struct PersonBrief {
    pub id: i64,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub side: Side,
    pub unit_id: Option<i64>,
    pub title: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema, Deserialize)]
pub struct RequestEvent {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    #[sqlx(try_from = "String")]
    #[schema(value_type = String)]
    pub action: ActionKind,
    #[sqlx(try_from = "String")]
    #[schema(value_type = String)]
    pub from_status: Status,
    #[sqlx(try_from = "String")]
    #[schema(value_type = String)]
    pub to_status: Status,
    /// The reason written for the business (decisions and send-backs).
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema, Deserialize)]
pub struct Revision {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    /// Which fields changed, in words.
    pub summary: String,
    /// The request before the change (JSON text).
    pub before_json: String,
    pub after_json: String,
}

#[derive(Debug, Clone)]
pub struct StoredAssessment {
    pub input: AssessmentInput,
    pub assessment: Assessment,
    pub author_name: String,
    pub updated_at: i64,
    pub version: i64,
}

#[derive(Debug, Clone, Deserialize, sqlx::FromRow)]
pub struct ResponseRow {
    pub unit_name: String,
    pub submitted_at: Option<i64>,
    pub first_response_at: Option<i64>,
    pub decided_at: Option<i64>,
}
