//! Intake: requests IT can act on.
//!
//! The pure part of intake — no database, no web:
//!
//! * [`request`]: what a business user writes, and its validation ([`validate_request`]);
//! * [`mod@clarity`]: the clarity score with one hint per gap, and the submit check
//!   ([`check_submit`]);
//! * [`assessment`]: IT's assessment, its validation and its plain-language summary;
//! * [`priority`]: the WSJF-style priority score, its explanation and the ranking;
//! * [`lifecycle`]: the states of a request and who may move it where ([`transition`]);
//! * [`revision`]: what changed between two versions and when a change is kept;
//! * [`stats`]: response-time statistics and durations in plain words;
//! * [`parse`]: reading numbers, money and dates as forms send them.
//!
//! `docs/intake.md` documents the rubric, the formula and the lifecycle for people.

pub mod assessment;
pub mod clarity;
pub mod lifecycle;
pub mod parse;
pub mod priority;
pub mod progress;
pub mod references;
pub mod request;
pub mod revision;
pub mod stats;

pub use assessment::{
    plain_summary, validate_assessment, Assessment, AssessmentInput, Concern, ItPriority, OptionInput, Rating,
    RatingInput, SolutionOption,
};
pub use clarity::{
    check_submit, clarity, validate_submit_threshold, Clarity, Element, ElementScore, Hint, DEFAULT_SUBMIT_THRESHOLD,
};
pub use lifecycle::{
    allowed_actions, check_approval_basis, is_decision, is_first_it_response, transition, Action, ActionKind, Actor,
    Status,
};
pub use priority::{
    breakdown, explain, explain_position, rank, validate_priority, validate_weights, Breakdown, Component,
    PriorityInput, PriorityWeights,
};
pub use references::{check_references, people_named};
pub use request::{
    validate_request, Budget, Metric, MetricInput, Regulatory, RegulatoryArea, RequestInput, Stakeholder,
    StakeholderInput, StakeholderRole, Tradeoff, ValidRequest,
};
/// How the organisation runs intake, chosen by an administrator (Admin → Intake settings).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct IntakeSettings {
    /// The clarity a request needs before it can be submitted.
    pub submit_threshold: u8,
    pub weights: PriorityWeights,
    /// The currency of amounts typed without one.
    pub default_currency: String,
}

pub use stats::{format_duration, response_stats, ResponseStats, WaitClocks};

#[cfg(test)]
mod tests;
