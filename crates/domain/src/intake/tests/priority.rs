use crate::intake::priority::*;
use crate::org::{Role, Side};
use crate::Error;

fn rated(bv: u32, tc: u32, rr: u32, js: u32) -> PriorityInput {
    PriorityInput { business_value: Some(bv), time_criticality: Some(tc), risk_reduction: Some(rr), job_size: Some(js) }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn the_scale_is_fibonacci_like() {
    for v in SCALE {
        assert!(validate_priority(&rated(v, v, v, v)).is_ok());
    }
    for bad in [0, 4, 6, 7, 10, 21, 100] {
        let f = super::field_errors(validate_priority(&rated(bad, 1, 1, 1)));
        assert_eq!(f["business_value"], "Choose one of 1, 2, 3, 5, 8, 13 or 20.");
    }
    let f = super::field_errors(validate_priority(&rated(1, 4, 6, 0)));
    assert_eq!(f.len(), 3);
    assert!(f.contains_key("job_size"));
    assert!(validate_priority(&PriorityInput::default()).is_ok());
}

#[test]
fn default_weights_are_one_and_valid() {
    let w = PriorityWeights::default();
    for c in Component::ALL {
        assert_eq!(w.get(c), 1.0);
    }
    assert!(validate_weights(&w).is_ok());
}

#[test]
fn weights_must_be_from_a_tenth_to_ten() {
    let ok = PriorityWeights { business_value: 10.0, job_size: 0.1, ..Default::default() };
    assert!(validate_weights(&ok).is_ok());
    for bad in [0.0, 5e-324, 0.099, -1.0, 10.01, f64::NAN, f64::INFINITY] {
        let w = PriorityWeights { time_criticality: bad, ..Default::default() };
        let f = super::field_errors(validate_weights(&w));
        assert_eq!(f["time_criticality"], "Use a weight from 0.1 to 10.", "{bad}");
        assert_eq!(f.len(), 1);
    }
}

#[test]
fn score_is_weighted_cost_of_delay_over_job_size() {
    let input = rated(13, 8, 5, 5);
    let b = breakdown(&input, &PriorityWeights::default());
    assert_eq!(b.cost_of_delay, Some(26.0));
    assert_eq!(b.size, Some(5.0));
    assert!(close(b.score.unwrap(), 5.2));
    assert!(b.missing.is_empty());
    assert_eq!(b.part(Component::BusinessValue).weighted, Some(13.0));
    assert_eq!(b.part(Component::JobSize).value, Some(5));

    let w = PriorityWeights { business_value: 2.0, ..Default::default() };
    let b = breakdown(&input, &w);
    assert_eq!(b.cost_of_delay, Some(39.0));
    assert!(close(b.score.unwrap(), 7.8));

    let w = PriorityWeights { job_size: 2.0, ..Default::default() };
    assert!(close(score(&input, &w).unwrap(), 2.6));

    let w = PriorityWeights { business_value: 0.5, time_criticality: 3.0, risk_reduction: 1.5, job_size: 0.25 };
    // (6.5 + 24 + 7.5) / 1.25 = 30.4
    assert!(close(score(&input, &w).unwrap(), 30.4));
}

#[test]
fn missing_ratings_give_no_score_and_say_why() {
    let w = PriorityWeights::default();
    let input = PriorityInput { business_value: Some(8), time_criticality: Some(3), ..Default::default() };
    let b = breakdown(&input, &w);
    assert_eq!(b.score, None);
    assert_eq!(b.missing, vec![Component::RiskReduction, Component::JobSize]);
    assert_eq!(b.part(Component::BusinessValue).weighted, Some(8.0));
    assert_eq!(b.missing_reason().unwrap(), "No priority score yet: IT has not rated risk reduction and job size.");
    assert_eq!(explain(&b), b.missing_reason().unwrap());

    let b = breakdown(&PriorityInput { job_size: Some(3), ..Default::default() }, &w);
    assert_eq!(
        b.missing_reason().unwrap(),
        "No priority score yet: the business side has not rated business value and time \
         criticality, and IT has not rated risk reduction."
    );
    let b = breakdown(&PriorityInput::default(), &w);
    assert_eq!(b.missing.len(), 4);
    assert!(b.cost_of_delay.is_none());
    assert!(breakdown(&rated(1, 1, 1, 1), &w).missing_reason().is_none());
}

#[test]
fn explanation_in_words() {
    let b = breakdown(&rated(13, 8, 5, 5), &PriorityWeights::default());
    assert_eq!(
        explain(&b),
        "Priority score 5.2: cost of delay 26 divided by job size 5. The cost of delay adds up \
         business value 13, time criticality 8 and risk reduction 5. Business value counts most \
         (50% of the cost of delay)."
    );
    let w = PriorityWeights { time_criticality: 2.0, job_size: 1.5, ..Default::default() };
    let b = breakdown(&rated(3, 13, 1, 20), &w);
    assert_eq!(
        explain(&b),
        "Priority score 1: cost of delay 30 divided by job size 30. The cost of delay adds up \
         business value 3, time criticality 13 \u{00d7} weight 2 = 26 and risk reduction 1. Job \
         size 20 \u{00d7} weight 1.5 = 30. Time criticality counts most (87% of \
         the cost of delay); the large job size pulls the score down."
    );
    let b = breakdown(&rated(8, 8, 3, 3), &PriorityWeights::default());
    assert!(explain(&b).contains("Business value counts most (42% of the cost of delay)."));
    let b = breakdown(&rated(5, 5, 8, 1), &PriorityWeights::default());
    assert!(explain(&b)
        .ends_with("Risk reduction counts most (44% of the cost of delay); the small job size lifts the score."));
}

#[test]
fn position_is_explained() {
    let b = breakdown(&rated(13, 8, 5, 5), &PriorityWeights::default());
    assert!(explain_position(7, 12, &b).starts_with("This request is 7th of 12 by priority. Priority score 5.2"));
    let none = breakdown(&PriorityInput::default(), &PriorityWeights::default());
    assert!(explain_position(12, 12, &none).ends_with("Requests without a score are listed after those with one."));
    assert_eq!(ordinal(1), "1st");
    assert_eq!(ordinal(2), "2nd");
    assert_eq!(ordinal(3), "3rd");
    assert_eq!(ordinal(4), "4th");
    assert_eq!(ordinal(11), "11th");
    assert_eq!(ordinal(12), "12th");
    assert_eq!(ordinal(13), "13th");
    assert_eq!(ordinal(21), "21st");
    assert_eq!(ordinal(102), "102nd");
    assert_eq!(ordinal(111), "111th");
}

struct Req {
    id: i64,
    submitted_at: &'static str,
    priority: PriorityInput,
}

fn ranked_ids(reqs: &mut [Req], w: &PriorityWeights) -> Vec<i64> {
    rank(reqs, |r| (score(&r.priority, w), r.submitted_at));
    reqs.iter().map(|r| r.id).collect()
}

fn queue() -> Vec<Req> {
    vec![
        // High value, big job: 26 / 13 = 2.
        Req { id: 1, submitted_at: "2025-05-01T09:00:00Z", priority: rated(13, 8, 5, 13) },
        // Urgent, small: 12 / 2 = 6.
        Req { id: 2, submitted_at: "2025-05-02T09:00:00Z", priority: rated(1, 8, 3, 2) },
        // Not yet sized.
        Req {
            id: 3,
            submitted_at: "2025-04-01T09:00:00Z",
            priority: PriorityInput { business_value: Some(20), ..Default::default() },
        },
        // Same score as 2 (6), submitted earlier.
        Req { id: 4, submitted_at: "2025-04-15T09:00:00Z", priority: rated(3, 2, 1, 1) },
        // Risk reduction: 25 / 5 = 5.
        Req { id: 5, submitted_at: "2025-05-03T09:00:00Z", priority: rated(2, 3, 20, 5) },
        // Unscored, submitted later than 3.
        Req { id: 6, submitted_at: "2025-05-04T09:00:00Z", priority: PriorityInput::default() },
    ]
}

#[test]
fn ranking_sorts_by_score_then_earlier_submission_unscored_last() {
    let mut q = queue();
    assert_eq!(ranked_ids(&mut q, &PriorityWeights::default()), vec![4, 2, 5, 1, 3, 6]);
}

#[test]
fn changing_weights_reranks() {
    let mut q = queue();
    // Business value counts ten times: 1 → 143/13 = 11; 2 → 21/2 = 10.5; 4 → 33; 5 → 43/5 = 8.6.
    let w = PriorityWeights { business_value: 10.0, ..Default::default() };
    assert_eq!(ranked_ids(&mut q, &w), vec![4, 1, 2, 5, 3, 6]);
    // Risk reduction counts five times: 5 → 105/5 = 21; 2 → 24/2 = 12; 4 → 10; 1 → 46/13 ≈ 3.5.
    let w = PriorityWeights { risk_reduction: 5.0, ..Default::default() };
    assert_eq!(ranked_ids(&mut q, &w), vec![5, 2, 4, 1, 3, 6]);
}

#[test]
fn scores_equal_up_to_rounding_tie() {
    use std::cmp::Ordering;
    let a = 0.1 + 0.2;
    let b = 0.3;
    assert_ne!(a, b);
    assert_eq!(compare_priority((Some(a), &2), (Some(b), &1)), Ordering::Greater);
    assert_eq!(compare_priority((Some(a), &1), (Some(b), &2)), Ordering::Less);
    assert_eq!(compare_priority((None, &1), (Some(0.0), &2)), Ordering::Greater);
}

#[test]
fn each_side_rates_its_own_components() {
    assert_eq!(Component::BusinessValue.set_by(), Side::Business);
    assert_eq!(Component::TimeCriticality.set_by(), Side::Business);
    assert_eq!(Component::RiskReduction.set_by(), Side::It);
    assert_eq!(Component::JobSize.set_by(), Side::It);

    let current = PriorityInput { job_size: Some(5), ..Default::default() };
    let business = PriorityInput { business_value: Some(8), time_criticality: Some(3), ..Default::default() };
    let next = apply_priority_update(&current, &business, Role::Business).unwrap();
    assert_eq!(next, PriorityInput { job_size: Some(5), ..business });

    // Echoing IT's value back unchanged is fine; changing it is not.
    let echo = PriorityInput { job_size: Some(5), ..business };
    assert!(apply_priority_update(&current, &echo, Role::Business).is_ok());
    let sneaky = PriorityInput { job_size: Some(1), ..business };
    match apply_priority_update(&current, &sneaky, Role::Business) {
        Err(Error::Forbidden(m)) => assert_eq!(m, "Job size is rated by IT."),
        other => panic!("{other:?}"),
    }
    let it = PriorityInput { business_value: Some(20), ..Default::default() };
    match apply_priority_update(&current, &it, Role::It) {
        Err(Error::Forbidden(m)) => assert_eq!(m, "Business value is rated by the business side."),
        other => panic!("{other:?}"),
    }
    let it = PriorityInput { risk_reduction: Some(8), job_size: Some(13), ..Default::default() };
    assert_eq!(
        apply_priority_update(&current, &it, Role::It).unwrap(),
        PriorityInput { risk_reduction: Some(8), job_size: Some(13), ..Default::default() }
    );
    assert!(apply_priority_update(&current, &rated(1, 2, 3, 5), Role::Admin).is_ok());
    assert!(matches!(apply_priority_update(&current, &business, Role::Viewer), Err(Error::Forbidden(_))));
    // Off-scale values are a validation error before anything else.
    let bad = PriorityInput { business_value: Some(4), ..Default::default() };
    assert!(matches!(apply_priority_update(&current, &bad, Role::Business), Err(Error::Validation { .. })));
}
