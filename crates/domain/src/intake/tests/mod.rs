//! Unit tests for intake, one file per area, sharing the fixtures below.

mod assessment;
mod clarity;
mod lifecycle;
mod priority;
mod request;
mod stats;

use super::request::{MetricInput, RequestInput, StakeholderInput, ValidRequest};
use crate::{Error, FieldErrors};

/// The date the tests pretend it is.
pub(super) const TODAY: &str = "2025-06-01";

/// A complete, specific request, as a business user would type it.
pub(super) fn full_input() -> RequestInput {
    RequestInput {
        title: "Cut order entry errors in the Lyon warehouse".into(),
        problem: "Warehouse staff re-key about 120 orders a day from email into the ERP by hand. \
                  Roughly 4% of those orders contain an error, which costs us around 30 hours a \
                  week in corrections and upsets our key wholesale customers."
            .into(),
        goals: "Fewer order errors, faster order handling, and happier key accounts in the \
                wholesale segment."
            .into(),
        metrics: vec![
            metric("order errors", "%", "4", "0.5", "2026-03-31"),
            metric("time spent on corrections", "hours per week", "30", "5", "2026-03-31"),
            metric("order handling time", "minutes per order", "12", "3", "2026-06-30"),
        ],
        budget_kind: "amount".into(),
        budget_amount: "45,000".into(),
        budget_currency: "EUR".into(),
        sponsor_id: Some(17),
        stakeholders: vec![
            StakeholderInput { person_id: Some(23), role: "decision_maker".into() },
            StakeholderInput { person_id: Some(31), role: "user_representative".into() },
        ],
        regulatory: vec!["personal_data".into()],
        desired_date: "2026-01-15".into(),
        if_missed: "We miss the peak season and keep paying overtime for corrections.".into(),
        tradeoffs: vec!["scope".into(), "cost".into(), "time".into()],
        business_unit_id: Some(3),
        ..Default::default()
    }
}

pub(super) fn metric(name: &str, unit: &str, base: &str, target: &str, date: &str) -> MetricInput {
    MetricInput {
        name: name.into(),
        unit: unit.into(),
        baseline: base.into(),
        target: target.into(),
        target_date: date.into(),
    }
}

pub(super) fn full() -> ValidRequest {
    super::validate_request(&full_input(), TODAY).expect("the full request is valid")
}

/// The field errors of a validation error; panics on any other result.
pub(super) fn field_errors<T: std::fmt::Debug>(r: Result<T, Error>) -> FieldErrors {
    match r {
        Err(Error::Validation { fields, .. }) => fields,
        other => panic!("expected a validation error, got {other:?}"),
    }
}
