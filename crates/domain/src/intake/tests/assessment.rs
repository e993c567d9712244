use super::field_errors;
use crate::intake::assessment::*;

fn rating(level: &str, note: &str) -> RatingInput {
    RatingInput { level: level.into(), note: note.into() }
}

fn option(name: &str, cost: &str, weeks: &str, tradeoffs: &str) -> OptionInput {
    OptionInput { name: name.into(), cost: cost.into(), weeks: weeks.into(), tradeoffs: tradeoffs.into() }
}

fn input() -> AssessmentInput {
    AssessmentInput {
        effort_min_days: "20".into(),
        effort_max_days: "35".into(),
        one_off_cost: "12,000".into(),
        running_cost_per_year: "3,000".into(),
        currency: "EUR".into(),
        security: rating("high", "Order data would leave the EU unless we pick the EU region"),
        compliance: rating("Medium", "Customer names are personal data; the DPO must sign off."),
        operations: rating("low", ""),
        architecture: rating("LOW", "Fits the integration platform we already run"),
        dependencies: "The ERP API upgrade planned for the third quarter".into(),
        options: vec![
            option("Buy SaaS", "20,000", "6", "Less control over the roadmap"),
            option("", "", "", ""),
            option("Build in-house", "45,000", "14", ""),
        ],
        recommended_option: " buy saas ".into(),
        recommendation: "Buying is faster and cheaper; the EU region answers the security concern".into(),
        principles: vec![],
    }
}

#[test]
fn a_complete_assessment_is_parsed() {
    let a = validate_assessment(&input()).unwrap();
    assert_eq!((a.effort_min_days, a.effort_max_days), (20.0, 35.0));
    assert_eq!(a.one_off_cost_cents, 1_200_000);
    assert_eq!(a.running_cost_per_year_cents, 300_000);
    assert_eq!(a.currency, "EUR");
    assert_eq!(a.security.level, Concern::High);
    assert_eq!(a.compliance.level, Concern::Medium);
    assert_eq!(a.operations, Rating { level: Concern::Low, note: String::new() });
    assert_eq!(a.options.len(), 2, "the blank option row is skipped");
    assert_eq!(a.recommended, 0);
    assert_eq!(a.recommended_option().unwrap().name, "Buy SaaS");
    assert_eq!(a.options[1].weeks, 14.0);
}

#[test]
fn summary_in_plain_sentences() {
    let a = validate_assessment(&input()).unwrap();
    assert_eq!(
        plain_summary(&a),
        vec![
            "IT estimates 20 to 35 person-days of work.",
            "It would cost EUR 12,000 once, then EUR 3,000 a year to run.",
            "Security: a high concern \u{2014} Order data would leave the EU unless we pick the \
             EU region.",
            "Compliance: a medium concern \u{2014} Customer names are personal data; the DPO must \
             sign off.",
            "Availability and operations: a low concern.",
            "Architecture fit: a low concern \u{2014} Fits the integration platform we already \
             run.",
            "It depends on: The ERP API upgrade planned for the third quarter.",
            "IT compared 2 options.",
            "\u{2018}Buy SaaS\u{2019} would cost about EUR 20,000 and take 6 weeks; the \
             trade-off: Less control over the roadmap.",
            "\u{2018}Build in-house\u{2019} would cost about EUR 45,000 and take 14 weeks.",
            "IT recommends \u{2018}Buy SaaS\u{2019}: Buying is faster and cheaper; the EU region \
             answers the security concern.",
        ]
    );
}

#[test]
fn summary_wording_adapts() {
    let mut i = input();
    i.effort_min_days = "1".into();
    i.effort_max_days = "1".into();
    i.one_off_cost = "0".into();
    i.running_cost_per_year = "1,500.50".into();
    i.dependencies = String::new();
    i.options = vec![option("Configure", "0", "1", "")];
    i.recommended_option = "Configure".into();
    let lines = plain_summary(&validate_assessment(&i).unwrap());
    assert_eq!(lines[0], "IT estimates 1 person-day of work.");
    assert_eq!(lines[1], "There is no one-off cost; running it would cost EUR 1,500.50 a year.");
    assert!(!lines.iter().any(|l| l.starts_with("It depends on")));
    assert!(lines.contains(&"IT looked at one option.".to_string()));
    assert!(lines.contains(&"\u{2018}Configure\u{2019} would cost about EUR 0 and take 1 week.".to_string()));

    i.effort_min_days = "2.5".into();
    i.effort_max_days = "2.5".into();
    i.running_cost_per_year = "0".into();
    let lines = plain_summary(&validate_assessment(&i).unwrap());
    assert_eq!(lines[0], "IT estimates 2.5 person-days of work.");
    assert_eq!(lines[1], "It would cost nothing extra to build or to run.");

    i.one_off_cost = "800".into();
    let lines = plain_summary(&validate_assessment(&i).unwrap());
    assert_eq!(lines[1], "It would cost EUR 800 once, with no running cost afterwards.");
}

#[test]
fn effort_must_be_an_ordered_non_negative_range() {
    let mut i = input();
    i.effort_min_days = "40".into();
    let f = field_errors(validate_assessment(&i));
    assert_eq!(f["effort_min_days"], "The lower estimate is above the upper estimate.");

    let mut i = input();
    i.effort_min_days = "-1".into();
    i.effort_max_days = "lots".into();
    let f = field_errors(validate_assessment(&i));
    assert_eq!(f["effort_min_days"], "This cannot be negative.");
    assert!(f["effort_max_days"].starts_with("Enter a number"));

    let mut i = input();
    i.effort_max_days = String::new();
    let f = field_errors(validate_assessment(&i));
    assert_eq!(f["effort_max_days"], "Enter the most effort you expect, in person-days.");
}

#[test]
fn costs_and_currency() {
    let mut i = input();
    i.one_off_cost = "-100".into();
    i.running_cost_per_year = String::new();
    i.currency = "Euro".into();
    let f = field_errors(validate_assessment(&i));
    assert_eq!(f["one_off_cost"], "A cost cannot be negative.");
    assert_eq!(f["running_cost_per_year"], "Enter the running cost per year (0 if there is none).");
    assert_eq!(f["currency"], "Use a three-letter currency code such as EUR, USD or GBP.");
}

#[test]
fn ratings_need_a_level_and_a_note_when_they_worry() {
    let mut i = input();
    i.security = rating("", "");
    i.compliance = rating("severe", "x");
    i.operations = rating("medium", "  ");
    i.architecture = rating("high", "");
    let f = field_errors(validate_assessment(&i));
    assert_eq!(f["security.level"], "Rate security: low, medium or high concern.");
    assert_eq!(f["compliance.level"], "Rate compliance: low, medium or high concern.");
    assert_eq!(f["operations.note"], "Explain the concern in a sentence the business can follow.");
    assert!(f.contains_key("architecture.note"));
    assert_eq!(f.len(), 4);
}

#[test]
fn options_and_recommendation() {
    let mut i = input();
    i.options = vec![];
    let f = field_errors(validate_assessment(&i));
    assert_eq!(f["options"], "Describe at least one option.");
    assert!(!f.contains_key("recommended_option"));

    let mut i = input();
    i.options[0].cost = "a lot".into();
    i.options[2].weeks = "-2".into();
    i.options[2].name = "buy saas".into();
    let f = field_errors(validate_assessment(&i));
    assert!(f["options[0].cost"].starts_with("Enter a number"));
    assert_eq!(f["options[2].weeks"], "This cannot be negative.");
    assert_eq!(f["options[2].name"], "Two options have this name.");

    let mut i = input();
    i.options.push(option("", "10", "", ""));
    let f = field_errors(validate_assessment(&i));
    assert_eq!(f["options[3].name"], "Name this option.");
    assert_eq!(f["options[3].weeks"], "Enter how many weeks this option would take.");

    let mut i = input();
    i.recommended_option = "Outsource".into();
    i.recommendation = " ".into();
    let f = field_errors(validate_assessment(&i));
    assert_eq!(f["recommended_option"], "Choose one of the options listed above.");
    assert!(f["recommendation"].starts_with("Explain the recommendation"));

    let mut i = input();
    i.recommended_option = String::new();
    let f = field_errors(validate_assessment(&i));
    assert_eq!(f["recommended_option"], "Choose the option IT recommends.");

    let mut i = input();
    i.recommended_option = "Build in-house".into();
    assert_eq!(validate_assessment(&i).unwrap().recommended, 1);
}

#[test]
fn codes_and_labels() {
    for c in Concern::ALL {
        assert_eq!(Concern::parse(c.as_str()), Some(c));
    }
    assert_eq!(Concern::parse("critical"), None);
    assert_eq!(Concern::High.label(), "High concern");
    assert_eq!(ItPriority::Operations.label(), "Availability and operations");
    assert_eq!(ItPriority::ALL.len(), 4);
}
