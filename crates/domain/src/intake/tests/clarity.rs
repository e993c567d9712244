use super::{full, TODAY};
use crate::intake::clarity::*;
use crate::intake::request::*;
use crate::Error;

fn sparse() -> ValidRequest {
    ValidRequest { title: "Faster onboarding".into(), goals: "efficiency".into(), ..Default::default() }
}

fn hints_for(c: &Clarity, element: Element) -> Vec<&str> {
    c.hints.iter().filter(|h| h.element == element).map(|h| h.text.as_str()).collect()
}

fn hint_on<'a>(c: &'a Clarity, field: &str) -> Vec<&'a str> {
    c.hints.iter().filter(|h| h.field == field).map(|h| h.text.as_str()).collect()
}

#[test]
fn weights_add_up_to_100() {
    let total: u32 = Element::ALL.iter().map(|e| u32::from(e.weight())).sum();
    assert_eq!(total, 100);
}

#[test]
fn a_complete_specific_request_scores_100_with_no_hints() {
    let c = clarity(&full());
    assert_eq!(c.score, 100, "{:?}", c.hints);
    assert!(c.hints.is_empty());
    assert_eq!(c.elements.len(), 9);
    for e in &c.elements {
        assert_eq!(e.points, e.max, "{:?}", e.element);
    }
}

#[test]
fn a_sparse_draft_scores_low_with_a_hint_per_gap() {
    let c = clarity(&sparse());
    // Two-word title 4 + one-word goals 2.
    assert_eq!(c.score, 6);
    assert_eq!(c.points(Element::Title), 4);
    assert_eq!(c.points(Element::Goals), 2);
    let fields: Vec<&str> = c.hints.iter().map(|h| h.field.as_str()).collect();
    assert_eq!(
        fields,
        vec![
            "title",
            "problem",
            "goals",
            "metrics",
            "budget",
            "sponsor_id",
            "stakeholders",
            "business_unit_id",
            "regulatory",
            "desired_date",
            "if_missed",
            "tradeoffs"
        ]
    );
    assert_eq!(
        hint_on(&c, "goals"),
        vec![
            "Say what \u{2018}efficiency\u{2019} means for the business: what should be better, \
             for whom, and by how much."
        ]
    );
    assert_eq!(
        hint_on(&c, "regulatory"),
        vec![
            "Tick the regulatory considerations that apply, or tick \u{201c}none apply\u{201d}: \
             leaving it blank is not an answer."
        ]
    );
    assert_eq!(
        hint_on(&c, "metrics"),
        vec![
            "Add at least one success metric: what you will measure, its value today, the target \
             and the date."
        ]
    );
}

#[test]
fn title_credit() {
    let mut r = full();
    for (title, points) in [("Onboarding", 2), ("Faster onboarding", 4), ("Faster new hire onboarding", 5)] {
        r.title = title.into();
        assert_eq!(clarity(&r).points(Element::Title), points, "{title}");
    }
}

#[test]
fn problem_credit_rewards_length_and_numbers() {
    let long_with_number = "Every month the finance team spends 40 hours copying invoice data \
                            between our systems, and mistakes reach customers";
    let long_without = "Every month the finance team spends many hours copying invoice data \
                        between our systems, and mistakes reach customers";
    let mut r = full();
    let cases = [
        (long_with_number, 20),
        (long_without, 12),
        ("Invoices are copied by hand, 40 hours a month", 14),
        ("Invoices are copied by hand every month", 6),
        ("Invoicing is slow", 3),
        ("Twice monthly errors", 11),
        ("", 0),
    ];
    for (text, points) in cases {
        r.problem = text.into();
        assert_eq!(clarity(&r).points(Element::Problem), points, "{text:?}");
    }

    r.problem = long_without.into();
    let c = clarity(&r);
    assert_eq!(
        hints_for(&c, Element::Problem),
        vec![
            "Say how big the problem is with a number, for example hours lost per week, errors \
             per month or customers affected."
        ]
    );
    r.problem = "Invoicing is slow".into();
    let c = clarity(&r);
    assert_eq!(hint_on(&c, "problem").len(), 2);
    assert!(hint_on(&c, "problem")[0].starts_with("Say more about the problem (at least 15 words)"));
}

#[test]
fn vague_goals_earn_little() {
    let mut r = full();
    let cases = [
        ("", 0),
        ("Efficiency", 2),
        ("better service", 2),
        ("Faster and cheaper order handling", 6),
        ("Halve order errors by 2026", 8),
        ("Cut order errors so key accounts stop complaining about wrong deliveries", 10),
    ];
    for (text, points) in cases {
        r.goals = text.into();
        assert_eq!(clarity(&r).points(Element::Goals), points, "{text:?}");
    }
    r.goals = "Synergy".into();
    assert_eq!(
        hints_for(&clarity(&r), Element::Goals),
        vec![
            "Say what \u{2018}Synergy\u{2019} means for the business: what should be better, for \
             whom, and by how much."
        ]
    );
}

fn one_metric(m: Metric) -> ValidRequest {
    ValidRequest { metrics: vec![m], ..full() }
}

fn complete_metric() -> Metric {
    Metric {
        name: "order errors".into(),
        unit: "%".into(),
        baseline: Some(4.0),
        target: Some(0.5),
        target_date: Some("2026-03-31".into()),
    }
}

#[test]
fn a_complete_metric_counts_fully() {
    let c = clarity(&one_metric(complete_metric()));
    assert_eq!(c.points(Element::Metrics), 25);
    assert!(hints_for(&c, Element::Metrics).is_empty());
}

#[test]
fn a_metric_without_a_baseline_counts_less() {
    let c = clarity(&one_metric(Metric { baseline: None, ..complete_metric() }));
    // Quality 70 of 100 → 17.5 → 18 points.
    assert_eq!(c.points(Element::Metrics), 18);
    assert_eq!(
        hint_on(&c, "metrics[0].baseline"),
        vec!["Add a baseline for \u{2018}order errors\u{2019} so the change can be measured."]
    );
    assert_eq!(c.hints.len(), 1);
}

#[test]
fn metric_partial_credit_per_part() {
    let cases = [
        (Metric { target: None, ..complete_metric() }, 18),
        (Metric { target_date: None, ..complete_metric() }, 20),
        (Metric { unit: String::new(), ..complete_metric() }, 23),
        (Metric { name: "order errors".into(), ..Default::default() }, 3),
        (Metric { baseline: None, target: None, ..complete_metric() }, 10),
    ];
    for (m, points) in cases {
        let c = clarity(&one_metric(m.clone()));
        assert_eq!(c.points(Element::Metrics), points, "{m:?}");
    }
}

#[test]
fn metric_hints_name_the_metric() {
    let c = clarity(&one_metric(Metric { name: "order errors".into(), ..Default::default() }));
    assert_eq!(
        hints_for(&c, Element::Metrics),
        vec![
            "Add the unit for \u{2018}order errors\u{2019}, for example %, hours or orders per day.",
            "Add a baseline for \u{2018}order errors\u{2019} so the change can be measured.",
            "Add a target for \u{2018}order errors\u{2019} so everyone knows what success looks \
             like.",
            "Add a date by which \u{2018}order errors\u{2019} should reach its target.",
        ]
    );
    let fields: Vec<&str> = c.hints.iter().map(|h| h.field.as_str()).collect();
    assert_eq!(fields, vec!["metrics[0].unit", "metrics[0].baseline", "metrics[0].target", "metrics[0].target_date"]);
}

#[test]
fn an_unnamed_metric_is_called_by_its_number() {
    let r = ValidRequest {
        metrics: vec![complete_metric(), Metric { name: String::new(), ..complete_metric() }],
        ..full()
    };
    let c = clarity(&r);
    assert_eq!(hint_on(&c, "metrics[1].name"), vec!["Name metric 2 so everyone knows what is measured."]);
    // (100 + 90) / 2 = 95% of 25 = 23.75 → 24.
    assert_eq!(c.points(Element::Metrics), 24);
}

#[test]
fn a_target_equal_to_the_baseline_is_no_target() {
    let c = clarity(&one_metric(Metric { target: Some(4.0), ..complete_metric() }));
    assert_eq!(c.points(Element::Metrics), 18);
    assert_eq!(
        hint_on(&c, "metrics[0].target"),
        vec!["The target for \u{2018}order errors\u{2019} equals its baseline: say what value you aim for."]
    );
}

#[test]
fn metrics_average_over_the_list() {
    let r = ValidRequest { metrics: vec![complete_metric(), Metric { baseline: None, ..complete_metric() }], ..full() };
    // (100 + 70) / 2 = 85% of 25 = 21.25 → 21.
    assert_eq!(clarity(&r).points(Element::Metrics), 21);
}

#[test]
fn budget_credit() {
    let eur = || "EUR".to_string();
    let cases = [
        (None, 0),
        (Some(Budget::Amount { amount_cents: 100, currency: eur() }), 10),
        (Some(Budget::Range { min_cents: 2_000_000, max_cents: 4_000_000, currency: eur() }), 10),
        (Some(Budget::Range { min_cents: 2_000_000, max_cents: 4_000_001, currency: eur() }), 7),
        (Some(Budget::Range { min_cents: 0, max_cents: 100, currency: eur() }), 7),
        (Some(Budget::Unknown { reason: "Waiting for vendor quotes".into() }), 6),
        (Some(Budget::Unknown { reason: "TBD".into() }), 2),
        (Some(Budget::Unknown { reason: String::new() }), 2),
    ];
    for (budget, points) in cases {
        let r = ValidRequest { budget: budget.clone(), ..full() };
        assert_eq!(clarity(&r).points(Element::Budget), points, "{budget:?}");
    }
    let r = ValidRequest { budget: Some(Budget::Range { min_cents: 0, max_cents: 100, currency: eur() }), ..full() };
    assert_eq!(
        hint_on(&clarity(&r), "budget_max"),
        vec!["Narrow the budget range if you can: the top is more than twice the bottom."]
    );
}

#[test]
fn people_credit() {
    let r = ValidRequest { sponsor_id: None, stakeholders: vec![], business_unit_id: None, ..full() };
    let c = clarity(&r);
    assert_eq!(c.points(Element::People), 0);
    assert_eq!(hint_on(&c, "sponsor_id"), vec!["Name a sponsor: the business person who owns the outcome."]);
    let r = ValidRequest { stakeholders: vec![], business_unit_id: None, ..full() };
    assert_eq!(clarity(&r).points(Element::People), 5);
    let r = ValidRequest { business_unit_id: None, ..full() };
    assert_eq!(clarity(&r).points(Element::People), 8);
}

#[test]
fn regulatory_credit() {
    let cases = [
        (Regulatory::Unanswered, 0),
        (Regulatory::NoneApply, 10),
        (Regulatory::Applies { areas: vec![RegulatoryArea::PaymentCards], other: String::new() }, 10),
        (Regulatory::Applies { areas: vec![RegulatoryArea::Other], other: String::new() }, 6),
        (Regulatory::Applies { areas: vec![RegulatoryArea::Other], other: "PSD2".into() }, 10),
    ];
    for (regulatory, points) in cases {
        let r = ValidRequest { regulatory: regulatory.clone(), ..full() };
        assert_eq!(clarity(&r).points(Element::Regulatory), points, "{regulatory:?}");
    }
}

#[test]
fn timing_and_tradeoff_credit() {
    let r = ValidRequest { desired_date: None, if_missed: "Lost sales".into(), ..full() };
    let c = clarity(&r);
    assert_eq!(c.points(Element::Timing), 1);
    assert_eq!(hint_on(&c, "desired_date"), vec!["Give a desired date, even a rough one, so IT can plan."]);
    assert_eq!(hint_on(&c, "if_missed"), vec!["Say a little more about what happens if the date is missed."]);
    let r = ValidRequest { if_missed: String::new(), ..full() };
    assert_eq!(clarity(&r).points(Element::Timing), 3);

    let r = ValidRequest { tradeoffs: vec![Tradeoff::Time], ..full() };
    assert_eq!(clarity(&r).points(Element::Tradeoffs), 2);
    let r = ValidRequest { tradeoffs: vec![], ..full() };
    let c = clarity(&r);
    assert_eq!(c.points(Element::Tradeoffs), 0);
    assert_eq!(
        hint_on(&c, "tradeoffs"),
        vec!["Rank scope, time and cost: which may give way first if something has to?"]
    );
}

#[test]
fn score_is_the_sum_of_the_elements() {
    for r in [full(), sparse(), ValidRequest { metrics: vec![], budget: None, ..full() }] {
        let c = clarity(&r);
        let sum: u32 = c.elements.iter().map(|e| u32::from(e.points)).sum();
        assert_eq!(u32::from(c.score), sum);
    }
    let r = ValidRequest { metrics: vec![], budget: None, ..full() };
    assert_eq!(clarity(&r).score, 65);
}

#[test]
fn submit_passes_at_or_above_the_threshold() {
    assert_eq!(DEFAULT_SUBMIT_THRESHOLD, 70);
    let c = check_submit(&full(), DEFAULT_SUBMIT_THRESHOLD).unwrap();
    assert_eq!(c.score, 100);
    // Exactly at the threshold passes.
    let r = ValidRequest { metrics: vec![], budget: None, ..full() };
    assert!(check_submit(&r, 65).is_ok());
    assert!(check_submit(&r, 66).is_err());
}

#[test]
fn submit_below_the_threshold_lists_the_hints() {
    let r = ValidRequest { metrics: vec![], budget: None, ..full() };
    let Err(Error::Validation { message, fields }) = check_submit(&r, DEFAULT_SUBMIT_THRESHOLD) else {
        panic!("expected a validation error");
    };
    assert!(
        message.starts_with(
            "This request scores 65 of 100 for clarity; 70 is needed to submit it. To make it \
             clearer: Add at least one success metric"
        ),
        "{message}"
    );
    assert!(message.contains("Give a budget"));
    assert_eq!(fields.len(), 2);
    assert!(fields["metrics"].starts_with("Add at least one success metric"));
    assert!(fields["budget"].starts_with("Give a budget"));
}

#[test]
fn hints_on_the_same_field_are_joined() {
    let r = ValidRequest { problem: "Invoicing is slow".into(), ..full() };
    let fields = super::field_errors(check_submit(&r, 100));
    assert!(fields["problem"].starts_with("Say more about the problem"));
    assert!(fields["problem"].contains(" Say how big the problem is with a number"));
}

#[test]
fn submit_requires_a_sponsor_and_a_regulatory_answer_whatever_the_score() {
    let r = ValidRequest { sponsor_id: None, regulatory: Regulatory::Unanswered, ..full() };
    assert_eq!(clarity(&r).score, 85);
    let Err(Error::Validation { message, fields }) = check_submit(&r, 0) else {
        panic!("expected a validation error");
    };
    assert_eq!(
        message,
        "This request is not ready to submit. Name a sponsor before submitting: the business \
         person who owns the outcome. Answer the regulatory question before submitting: tick \
         what applies, or \u{201c}none apply\u{201d}."
    );
    assert_eq!(fields.len(), 2);
    assert!(fields["sponsor_id"].starts_with("Name a sponsor before submitting"));
    assert!(fields["regulatory"].starts_with("Answer the regulatory question"));

    // Below the threshold too: the requirement is not repeated as a hint.
    let Err(Error::Validation { fields, message }) = check_submit(&r, 90) else {
        panic!("expected a validation error");
    };
    assert_eq!(fields["sponsor_id"], "Name a sponsor before submitting: the business person who owns the outcome.");
    assert!(!message.contains("Name a sponsor: the business"));

    let r = ValidRequest { regulatory: Regulatory::NoneApply, ..r };
    let fields = super::field_errors(check_submit(&r, 0));
    assert_eq!(fields.keys().collect::<Vec<_>>(), vec!["sponsor_id"]);
}

#[test]
fn a_validated_draft_scores() {
    let input = RequestInput {
        title: "New expense tool".into(),
        problem: "Expense claims take 3 weeks to reimburse".into(),
        ..Default::default()
    };
    let r = validate_request(&input, TODAY).unwrap();
    let c = clarity(&r);
    // Title 5 + problem (7 words 6 + number 8).
    assert_eq!(c.score, 19);
}

#[test]
fn threshold_setting_is_validated() {
    assert_eq!(validate_submit_threshold(70).unwrap(), 70);
    assert_eq!(validate_submit_threshold(0).unwrap(), 0);
    assert_eq!(validate_submit_threshold(100).unwrap(), 100);
    for bad in [-1, 101, 1000] {
        let f = super::field_errors(validate_submit_threshold(bad));
        assert_eq!(f["submit_threshold"], "Choose a clarity threshold from 0 to 100.");
    }
}
