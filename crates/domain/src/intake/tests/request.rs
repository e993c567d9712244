use super::{field_errors, full, full_input, metric, TODAY};
use crate::intake::request::*;
use crate::Error;

#[test]
fn full_request_is_parsed() {
    let r = full();
    assert_eq!(r.title, "Cut order entry errors in the Lyon warehouse");
    assert_eq!(r.metrics.len(), 3);
    assert_eq!(r.metrics[0].baseline, Some(4.0));
    assert_eq!(r.metrics[0].target, Some(0.5));
    assert_eq!(r.metrics[0].target_date.as_deref(), Some("2026-03-31"));
    assert_eq!(r.budget, Some(Budget::Amount { amount_cents: 4_500_000, currency: "EUR".into() }));
    assert_eq!(r.sponsor_id, Some(17));
    assert_eq!(
        r.stakeholders,
        vec![
            Stakeholder { person_id: 23, role: StakeholderRole::DecisionMaker },
            Stakeholder { person_id: 31, role: StakeholderRole::UserRepresentative },
        ]
    );
    assert_eq!(r.regulatory, Regulatory::Applies { areas: vec![RegulatoryArea::PersonalData], other: String::new() });
    assert_eq!(r.desired_date.as_deref(), Some("2026-01-15"));
    assert_eq!(r.tradeoffs, vec![Tradeoff::Scope, Tradeoff::Cost, Tradeoff::Time]);
    assert_eq!(r.business_unit_id, Some(3));
}

#[test]
fn a_draft_needs_only_a_title() {
    let input = RequestInput { title: "  Faster onboarding  ".into(), ..Default::default() };
    let r = validate_request(&input, TODAY).unwrap();
    assert_eq!(r.title, "Faster onboarding");
    assert!(r.metrics.is_empty());
    assert_eq!(r.budget, None);
    assert_eq!(r.regulatory, Regulatory::Unanswered);
    assert_eq!(r.sponsor_id, None);
}

#[test]
fn empty_or_long_title_is_refused() {
    let f = field_errors(validate_request(&RequestInput::default(), TODAY));
    assert_eq!(f["title"], "Give the request a title.");
    let f = field_errors(validate_request(&RequestInput { title: "   ".into(), ..Default::default() }, TODAY));
    assert!(f.contains_key("title"));
    let f = field_errors(validate_request(&RequestInput { title: "x".repeat(201), ..Default::default() }, TODAY));
    assert_eq!(f["title"], "Keep the title under 200 characters.");
}

#[test]
fn over_long_text_is_refused() {
    let mut input = full_input();
    input.problem = "word ".repeat(2_001);
    let f = field_errors(validate_request(&input, TODAY));
    assert_eq!(f["problem"], "Keep this under 10,000 characters.");
}

#[test]
fn numbers_with_commas_are_accepted() {
    let mut input = full_input();
    input.metrics = vec![metric("revenue", "EUR per month", "1,200.50", "1200", "")];
    input.budget_amount = "1,200.50".into();
    let r = validate_request(&input, TODAY).unwrap();
    assert_eq!(r.metrics[0].baseline, Some(1200.5));
    assert_eq!(r.metrics[0].target, Some(1200.0));
    assert_eq!(r.budget, Some(Budget::Amount { amount_cents: 120_050, currency: "EUR".into() }));
}

#[test]
fn numbers_that_are_not_numbers_are_refused_per_field() {
    let mut input = full_input();
    input.metrics[0].baseline = "four".into();
    input.metrics[2].target = "12,00".into();
    input.budget_amount = "45k".into();
    let f = field_errors(validate_request(&input, TODAY));
    let msg = "Enter a number, like 1200 or 1,200.50 (commas only between thousands).";
    assert_eq!(f["metrics[0].baseline"], msg);
    assert_eq!(f["metrics[2].target"], msg);
    assert_eq!(f["budget_amount"], msg);
    assert_eq!(f.len(), 3, "{f:?}");
}

#[test]
fn money_with_three_decimals_is_refused() {
    let mut input = full_input();
    input.budget_amount = "10.505".into();
    let f = field_errors(validate_request(&input, TODAY));
    assert_eq!(f["budget_amount"], "Use at most two decimals for an amount of money.");
}

#[test]
fn metric_dates_in_the_past_are_refused() {
    let mut input = full_input();
    input.metrics[1].target_date = "2025-05-31".into();
    let f = field_errors(validate_request(&input, TODAY));
    assert_eq!(f["metrics[1].target_date"], "This date has passed; choose today (2025-06-01) or a later date.");
    // Today itself is fine.
    input.metrics[1].target_date = TODAY.into();
    assert!(validate_request(&input, TODAY).is_ok());
}

#[test]
fn malformed_dates_are_refused() {
    let mut input = full_input();
    input.metrics[0].target_date = "31/03/2026".into();
    input.desired_date = "2026-02-30".into();
    let f = field_errors(validate_request(&input, TODAY));
    let msg = "Enter the date as YYYY-MM-DD, for example 2030-06-30.";
    assert_eq!(f["metrics[0].target_date"], msg);
    assert_eq!(f["desired_date"], msg);
}

#[test]
fn desired_date_in_the_past_is_refused() {
    let mut input = full_input();
    input.desired_date = "2024-12-24".into();
    let f = field_errors(validate_request(&input, TODAY));
    assert!(f["desired_date"].starts_with("This date has passed"));
}

#[test]
fn a_bad_today_is_the_callers_bug() {
    assert!(matches!(validate_request(&full_input(), "today"), Err(Error::Internal(_))));
}

#[test]
fn blank_metric_rows_are_skipped_and_partial_ones_kept() {
    let mut input = full_input();
    input.metrics =
        vec![metric("", "", "", "", ""), metric("customer complaints", "", "", "", ""), metric(" ", " ", "", "", "")];
    let r = validate_request(&input, TODAY).unwrap();
    assert_eq!(r.metrics, vec![Metric { name: "customer complaints".into(), ..Default::default() }]);
}

#[test]
fn errors_name_the_input_row() {
    let mut input = full_input();
    input.metrics.insert(0, metric("", "", "", "", ""));
    input.metrics[2].baseline = "x".into();
    let f = field_errors(validate_request(&input, TODAY));
    assert!(f.contains_key("metrics[2].baseline"), "{f:?}");
}

#[test]
fn too_many_metrics() {
    let mut input = full_input();
    input.metrics = (0..21).map(|i| metric(&format!("m{i}"), "", "", "", "")).collect();
    let f = field_errors(validate_request(&input, TODAY));
    assert_eq!(f["metrics"], "List at most 20 success metrics.");
}

#[test]
fn negative_budgets_are_refused() {
    let mut input = full_input();
    input.budget_amount = "-5".into();
    let f = field_errors(validate_request(&input, TODAY));
    assert_eq!(f["budget_amount"], "A budget cannot be negative.");

    let mut input = full_input();
    input.budget_kind = "range".into();
    input.budget_min = "-1,000".into();
    input.budget_max = "5,000".into();
    let f = field_errors(validate_request(&input, TODAY));
    assert_eq!(f["budget_min"], "A budget cannot be negative.");
}

#[test]
fn a_budget_range_must_be_in_order_and_complete() {
    let mut input = full_input();
    input.budget_kind = "range".into();
    input.budget_min = "50,000".into();
    input.budget_max = "20,000".into();
    let f = field_errors(validate_request(&input, TODAY));
    assert_eq!(f["budget_min"], "The lower end of the range is above the upper end.");

    input.budget_max = String::new();
    let f = field_errors(validate_request(&input, TODAY));
    assert_eq!(f["budget_max"], "Enter the upper end of the range too.");

    input.budget_max = "50,000".into();
    let r = validate_request(&input, TODAY).unwrap();
    assert_eq!(r.budget, Some(Budget::Range { min_cents: 5_000_000, max_cents: 5_000_000, currency: "EUR".into() }));
}

#[test]
fn currency_must_be_three_letters() {
    for bad in ["EURO", "E", "€", "12A"] {
        let mut input = full_input();
        input.budget_currency = bad.into();
        let f = field_errors(validate_request(&input, TODAY));
        assert_eq!(f["budget_currency"], "Use a three-letter currency code such as EUR, USD or GBP.", "{bad}");
    }
    let mut input = full_input();
    input.budget_currency = String::new();
    let f = field_errors(validate_request(&input, TODAY));
    assert_eq!(f["budget_currency"], "Choose the currency, for example EUR.");

    input.budget_currency = "chf".into();
    let r = validate_request(&input, TODAY).unwrap();
    assert_eq!(r.budget, Some(Budget::Amount { amount_cents: 4_500_000, currency: "CHF".into() }));
}

#[test]
fn budget_kind_is_inferred_or_checked() {
    let base = RequestInput { title: "Budget test".into(), ..Default::default() };
    let r = validate_request(
        &RequestInput {
            budget_min: "10".into(),
            budget_max: "20".into(),
            budget_currency: "USD".into(),
            ..base.clone()
        },
        TODAY,
    )
    .unwrap();
    assert!(matches!(r.budget, Some(Budget::Range { min_cents: 1000, max_cents: 2000, .. })));

    let r = validate_request(
        &RequestInput { budget_unknown_reason: "Depends on the vendor".into(), ..base.clone() },
        TODAY,
    )
    .unwrap();
    assert_eq!(r.budget, Some(Budget::Unknown { reason: "Depends on the vendor".into() }));

    let r = validate_request(&RequestInput { budget_kind: "unknown".into(), ..base.clone() }, TODAY).unwrap();
    assert_eq!(r.budget, Some(Budget::Unknown { reason: String::new() }));

    // A kind chosen but nothing typed is simply no budget yet.
    let r = validate_request(&RequestInput { budget_kind: "amount".into(), ..base.clone() }, TODAY).unwrap();
    assert_eq!(r.budget, None);

    let f = field_errors(validate_request(&RequestInput { budget_kind: "lots".into(), ..base }, TODAY));
    assert!(f.contains_key("budget_kind"));
}

#[test]
fn budget_describes_itself() {
    let b = Budget::Range { min_cents: 2_000_000, max_cents: 5_000_000, currency: "EUR".into() };
    assert_eq!(b.describe(), "EUR 20,000 to EUR 50,000");
    assert_eq!(Budget::Unknown { reason: String::new() }.describe(), "Not yet known");
}

#[test]
fn stakeholders_need_a_person_and_a_known_role() {
    let mut input = full_input();
    input.stakeholders = vec![
        StakeholderInput { person_id: Some(5), role: "boss".into() },
        StakeholderInput { person_id: None, role: "subject_expert".into() },
        StakeholderInput { person_id: Some(7), role: String::new() },
        StakeholderInput { person_id: None, role: String::new() },
        StakeholderInput { person_id: Some(-2), role: "compliance_contact".into() },
    ];
    let f = field_errors(validate_request(&input, TODAY));
    assert!(f["stakeholders[0].role"].starts_with("Choose a role"));
    assert_eq!(f["stakeholders[1].person_id"], "Choose the person.");
    assert!(f.contains_key("stakeholders[2].role"));
    assert!(!f.keys().any(|k| k.starts_with("stakeholders[3]")));
    assert_eq!(f["stakeholders[4].person_id"], "Choose an entry from the list.");
}

#[test]
fn duplicate_stakeholders_are_merged() {
    let mut input = full_input();
    input.stakeholders = vec![
        StakeholderInput { person_id: Some(5), role: "Subject_Expert".into() },
        StakeholderInput { person_id: Some(5), role: "subject_expert".into() },
        StakeholderInput { person_id: Some(5), role: "compliance_contact".into() },
    ];
    let r = validate_request(&input, TODAY).unwrap();
    assert_eq!(r.stakeholders.len(), 2);
}

#[test]
fn ids_must_be_positive() {
    let mut input = full_input();
    input.sponsor_id = Some(0);
    input.business_unit_id = Some(-1);
    let f = field_errors(validate_request(&input, TODAY));
    assert!(f.contains_key("sponsor_id"));
    assert!(f.contains_key("business_unit_id"));
}

#[test]
fn regulatory_answers() {
    let check = |codes: &[&str], other: &str| {
        let mut input = full_input();
        input.regulatory = codes.iter().map(|c| c.to_string()).collect();
        input.regulatory_other = other.into();
        validate_request(&input, TODAY)
    };
    assert_eq!(check(&[], "").unwrap().regulatory, Regulatory::Unanswered);
    assert_eq!(check(&["", " "], "").unwrap().regulatory, Regulatory::Unanswered);
    assert_eq!(check(&["none"], "").unwrap().regulatory, Regulatory::NoneApply);
    assert_eq!(
        check(&["payment_cards", "personal_data", "payment_cards"], "").unwrap().regulatory,
        Regulatory::Applies {
            areas: vec![RegulatoryArea::PersonalData, RegulatoryArea::PaymentCards],
            other: String::new()
        }
    );
    // Text in "other" ticks "other".
    assert_eq!(
        check(&["health_data"], " PSD2 ").unwrap().regulatory,
        Regulatory::Applies { areas: vec![RegulatoryArea::HealthData, RegulatoryArea::Other], other: "PSD2".into() }
    );
    // Ticking "other" without saying what is allowed in a draft (the rubric notices).
    assert_eq!(
        check(&["other"], "").unwrap().regulatory,
        Regulatory::Applies { areas: vec![RegulatoryArea::Other], other: String::new() }
    );
    let f = field_errors(check(&["none", "personal_data"], ""));
    assert!(f["regulatory"].contains("choose one or the other"));
    let f = field_errors(check(&["none"], "Basel III"));
    assert!(f["regulatory"].contains("choose one or the other"));
    let f = field_errors(check(&["gdpr"], ""));
    assert_eq!(f["regulatory"], "\u{201c}gdpr\u{201d} is not one of the regulatory considerations.");
}

#[test]
fn regulatory_describes_itself() {
    let r =
        Regulatory::Applies { areas: vec![RegulatoryArea::PersonalData, RegulatoryArea::Other], other: "PSD2".into() };
    assert_eq!(r.describe(), "Personal data and privacy; Other: PSD2");
    assert_eq!(Regulatory::NoneApply.describe(), "None apply");
    assert!(!Regulatory::Unanswered.is_answered());
}

#[test]
fn tradeoffs_are_a_ranking() {
    let check = |codes: &[&str]| {
        let mut input = full_input();
        input.tradeoffs = codes.iter().map(|c| c.to_string()).collect();
        validate_request(&input, TODAY)
    };
    assert_eq!(check(&[]).unwrap().tradeoffs, vec![]);
    assert_eq!(check(&["Time"]).unwrap().tradeoffs, vec![Tradeoff::Time]);
    // Two ranked: the third is implied.
    assert_eq!(check(&["cost", "scope"]).unwrap().tradeoffs, vec![Tradeoff::Cost, Tradeoff::Scope, Tradeoff::Time]);
    let f = field_errors(check(&["time", "time", "cost"]));
    assert_eq!(f["tradeoffs"], "Rank each of scope, time and cost only once.");
    let f = field_errors(check(&["quality"]));
    assert_eq!(f["tradeoffs"], "\u{201c}quality\u{201d} is not scope, time or cost.");
}

#[test]
fn all_errors_are_reported_at_once() {
    let input = RequestInput {
        title: String::new(),
        metrics: vec![metric("x", "", "1..2", "", "2020-01-01")],
        budget_amount: "-1".into(),
        budget_currency: "euros".into(),
        desired_date: "soon".into(),
        ..Default::default()
    };
    let f = field_errors(validate_request(&input, TODAY));
    let keys: Vec<&str> = f.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        vec![
            "budget_amount",
            "budget_currency",
            "desired_date",
            "metrics[0].baseline",
            "metrics[0].target_date",
            "title"
        ]
    );
}

#[test]
fn a_stored_request_fills_the_form_again() {
    let mut input = full_input();
    input.metrics[0].baseline = "1,200.25".into();
    input.regulatory = vec!["other".into()];
    input.regulatory_other = "Works council agreement".into();
    let r = validate_request(&input, TODAY).unwrap();
    let again = RequestInput::from(&r);
    assert_eq!(again.metrics[0].baseline, "1200.25");
    assert_eq!(again.budget_amount, "45000");
    assert_eq!(validate_request(&again, TODAY).unwrap(), r);

    for budget in ["range:10:20", "unknown", ""] {
        let mut input = full_input();
        input.budget_amount = String::new();
        input.budget_kind = String::new();
        match budget {
            "range:10:20" => {
                input.budget_min = "10".into();
                input.budget_max = "20.5".into();
            }
            "unknown" => input.budget_unknown_reason = "Waiting for quotes".into(),
            _ => input.regulatory = vec!["none".into()],
        }
        let r = validate_request(&input, TODAY).unwrap();
        assert_eq!(validate_request(&RequestInput::from(&r), TODAY).unwrap(), r, "{budget}");
    }
}

#[test]
fn codes_round_trip() {
    for r in StakeholderRole::ALL {
        assert_eq!(StakeholderRole::parse(r.as_str()), Some(r));
    }
    for a in RegulatoryArea::ALL {
        assert_eq!(RegulatoryArea::parse(a.as_str()), Some(a));
    }
    for t in Tradeoff::ALL {
        assert_eq!(Tradeoff::parse(t.as_str()), Some(t));
    }
    assert_eq!(StakeholderRole::UserRepresentative.label(), "User representative");
    assert_eq!(RegulatoryArea::PersonalData.label(), "Personal data and privacy");
}
