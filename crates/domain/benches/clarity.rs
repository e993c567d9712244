//! How fast the clarity rubric scores one request. Target: under 20 µs.
//!
//! Run: `CARGO_TARGET_DIR=target-intake cargo bench -p bridge-domain --bench clarity`

use std::hint::black_box;

use bridge_domain::intake::{
    check_submit, clarity, validate_request, MetricInput, RequestInput, StakeholderInput, ValidRequest,
    DEFAULT_SUBMIT_THRESHOLD,
};
use criterion::{criterion_group, criterion_main, Criterion};

const TODAY: &str = "2025-06-01";

fn metric(name: &str, unit: &str, baseline: &str, target: &str, date: &str) -> MetricInput {
    MetricInput {
        name: name.into(),
        unit: unit.into(),
        baseline: baseline.into(),
        target: target.into(),
        target_date: date.into(),
    }
}

/// A complete request: three metrics, a long problem statement, every section answered.
fn full_input() -> RequestInput {
    RequestInput {
        title: "Cut order entry errors in the Lyon warehouse".into(),
        problem: "Warehouse staff re-key about 120 orders a day from email and PDF attachments \
                  into the ERP by hand. Roughly 4% of those orders contain an error: a wrong \
                  article number, a wrong quantity or a wrong delivery address. Every error costs \
                  a correction in the ERP, often a second shipment, and a phone call with an \
                  unhappy customer. The customer service team estimates 30 hours a week spent on \
                  corrections, and two of our five largest wholesale accounts have complained in \
                  writing this year. During the autumn peak the volume doubles and so do the \
                  errors, which is when overtime and temporary staff make it worse."
            .into(),
        goals: "Fewer order errors, faster order handling, and happier key accounts in the \
                wholesale segment, so customer service can spend its time on customers instead \
                of corrections."
            .into(),
        metrics: vec![
            metric("order errors", "% of orders", "4", "0.5", "2026-03-31"),
            metric("time spent on corrections", "hours per week", "30", "5", "2026-03-31"),
            metric("order handling time", "minutes per order", "12", "3", "2026-06-30"),
        ],
        budget_kind: "range".into(),
        budget_min: "40,000".into(),
        budget_max: "60,000".into(),
        budget_currency: "EUR".into(),
        sponsor_id: Some(17),
        stakeholders: vec![
            StakeholderInput { person_id: Some(23), role: "decision_maker".into() },
            StakeholderInput { person_id: Some(31), role: "user_representative".into() },
            StakeholderInput { person_id: Some(42), role: "subject_expert".into() },
        ],
        regulatory: vec!["personal_data".into()],
        desired_date: "2026-01-15".into(),
        if_missed: "We go into the autumn peak with the same error rate and keep paying \
                    overtime for corrections."
            .into(),
        tradeoffs: vec!["scope".into(), "cost".into(), "time".into()],
        business_unit_id: Some(3),
        ..Default::default()
    }
}

/// A draft with a title, a short vague problem, a one-word goal and a half-filled metric.
fn sparse_input() -> RequestInput {
    RequestInput {
        title: "Better CRM".into(),
        problem: "Sales cannot find customer history quickly".into(),
        goals: "efficiency".into(),
        metrics: vec![metric("customer satisfaction", "", "", "", "")],
        ..Default::default()
    }
}

fn valid(input: &RequestInput) -> ValidRequest {
    validate_request(input, TODAY).expect("bench request is valid")
}

fn bench(c: &mut Criterion) {
    let full = valid(&full_input());
    let sparse = valid(&sparse_input());
    assert_eq!(clarity(&full).score, 100);
    assert_eq!(clarity(&sparse).hints.len(), 16);

    let mut g = c.benchmark_group("clarity");
    g.bench_function("full request", |b| b.iter(|| clarity(black_box(&full))));
    g.bench_function("sparse draft", |b| b.iter(|| clarity(black_box(&sparse))));
    g.bench_function("submit check, sparse draft", |b| {
        b.iter(|| check_submit(black_box(&sparse), DEFAULT_SUBMIT_THRESHOLD))
    });
    g.finish();

    let input = full_input();
    c.bench_function("validate full request", |b| b.iter(|| validate_request(black_box(&input), TODAY)));
}

criterion_group!(benches, bench);
criterion_main!(benches);
