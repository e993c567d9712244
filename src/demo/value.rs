//! The demo's value data: five KPIs in Alder & Brook's own numbers with two years of monthly
//! measurements, and targets on the success metrics of its approved and delivered requests.

use bridge_domain::audit::Actor;
use bridge_domain::intake::parse::Date;
use bridge_domain::intake::Status;
use bridge_domain::value::{validate_kpi, BenefitStart, KpiInput, ReviewState, TargetKind, ValidTarget};
use bridge_domain::Error;

use crate::store::intake::RequestFilter;
use crate::store::value::NewMeasurement;
use crate::store::{Db, Page};

/// A demo KPI: its words, and how its numbers run (the value two years ago, the change a month).
struct DemoKpi {
    name: &'static str,
    definition: &'static str,
    unit: &'static str,
    currency: &'static str,
    benefit: &'static str,
    direction: &'static str,
    start: f64,
    step: f64,
}

const fn kpi(
    name: &'static str,
    definition: &'static str,
    (unit, currency, benefit, direction): (&'static str, &'static str, &'static str, &'static str),
    (start, step): (f64, f64),
) -> DemoKpi {
    DemoKpi { name, definition, unit, currency, benefit, direction, start, step }
}

const KPIS: [DemoKpi; 5] = [
    kpi(
        "Online revenue",
        "Money taken through the web shop each month, after returns.",
        ("money", "EUR", "revenue", "higher"),
        (410_000.0, 6_500.0),
    ),
    kpi(
        "Customer retention",
        "Share of last year's customers who bought again this year.",
        ("percent", "", "retention", "higher"),
        (61.0, 0.25),
    ),
    kpi(
        "Market share in outdoor retail",
        "Our share of outdoor clothing and equipment sales in our countries.",
        ("percent", "", "market_share", "higher"),
        (7.2, 0.03),
    ),
    kpi(
        "Order error rate",
        "Share of orders that staff must fix by hand before they ship.",
        ("percent", "", "cost_saving", "lower"),
        (4.1, -0.08),
    ),
    kpi(
        "Cost to serve online orders",
        "What handling all online orders costs us each month, from payment to delivery.",
        ("money", "EUR", "cost_saving", "lower"),
        (182_000.0, -1_400.0),
    ),
];

pub async fn load(db: &Db, today: Date) -> Result<(), Error> {
    let actor = Actor::system("demo loader");
    let mut kpis = Vec::new();
    for d in &KPIS {
        let (start, step) = (d.start, d.step);
        let kpi = validate_kpi(&KpiInput {
            name: d.name.into(),
            definition: d.definition.into(),
            unit: d.unit.into(),
            currency: d.currency.into(),
            benefit: d.benefit.into(),
            direction: d.direction.into(),
            frequency: "monthly".into(),
            source: "Finance and operations reporting".into(),
            ..Default::default()
        })?;
        let id = db.create_kpi(&actor, &kpi).await?;
        // 24 months, oldest first, with a small seasonal wave on the trend.
        let measurements: Vec<NewMeasurement> = (0..24)
            .map(|m| {
                let wave = (f64::from(m) * 0.52).sin() * step.abs() * 1.5;
                let value = ((start + step * f64::from(m) + wave) * 100.0).round() / 100.0;
                NewMeasurement {
                    date: Date::from_days(today.days() - 1 - 30 * i64::from(23 - m)),
                    value,
                    note: String::new(),
                    sender_key: Some(format!("demo-{id}-{m}")),
                    correction: false,
                }
            })
            .collect();
        let row = db.get_kpi(id).await?;
        db.add_measurements(&actor, &[(&row, &measurements[..])])
            .await?
            .map_err(|r| Error::internal(format!("{r:?}")))?;
        kpis.push((row, start + step * 12.0, step));
    }
    // Requests in delivery and after get a target for their first success metric, on the KPIs
    // in turn, promised from a year ago to half a year ahead.
    let mut at = 0;
    let mut reviews = Vec::new();
    for status in [Status::InDelivery, Status::Delivered, Status::ValueReview] {
        let filter = RequestFilter { status: Some(status), ..RequestFilter::default() };
        let (requests, _) = db.list_requests(&filter, Page::new(Some(1), Some(20))).await?;
        for r in requests {
            let req = db.get_request(r.id).await?;
            let Some(metric) = req.body.metrics.first() else { continue };
            let (kpi, baseline, step) = &kpis[at % kpis.len()];
            at += 1;
            let goal = baseline + step * 18.0;
            let target = ValidTarget {
                metric: metric.name.clone(),
                baseline: *baseline,
                baseline_date: Date::from_days(today.days() - 365),
                kind: if *step > 0.0 {
                    TargetKind::IncreaseTo { value: goal }
                } else {
                    TargetKind::DecreaseTo { value: goal }
                },
                target_date: Date::from_days(today.days() + 180),
                benefit_start: BenefitStart::On { date: Date::from_days(today.days() - 300) },
            };
            db.create_target(&actor, kpi, Some(r.id), &target).await?;
            reviews.push(r.id);
        }
    }
    review_demo(db, &reviews, today).await
}

/// Champions and value reviews on the demo's initiatives: an IT champion with a brief on each,
/// and on those delivered or in their value review, a 30-day review their sponsor confirmed (a
/// value receipt), except one disputed and one still waiting.
async fn review_demo(db: &Db, initiatives: &[i64], today: Date) -> Result<(), Error> {
    let champions: Vec<(i64, String)> = db
        .people_brief()
        .await?
        .into_iter()
        .filter(|p| p.side == bridge_domain::org::Side::It)
        .map(|p| (p.id, p.name))
        .collect();
    let actor = Actor::system("demo loader");
    let mut reviewed = 0;
    for (n, id) in initiatives.iter().enumerate() {
        let req = db.get_request(*id).await?;
        if let Some((champion, _)) = champions.get(n % champions.len().max(1)) {
            let brief = format!(
                "With this in place, {} can see every day how it is going, and the numbers come without extra work for the team.",
                req.summary.unit_name.clone().unwrap_or_else(|| "the business".into())
            );
            let settings = crate::store::reviews::InitiativeSettings {
                request_id: *id,
                champion_id: Some(*champion),
                brief,
                review_days: "30,90,180".into(),
                version: 0,
            };
            db.save_initiative_settings(&actor, &settings).await?;
        }
        if !matches!(req.status(), Status::Delivered | Status::ValueReview) {
            continue;
        }
        let Some(review_id) = db.add_review(*id, 30, today.days() - 20, &[]).await? else { continue };
        let review = db.get_review(*id, review_id).await?;
        let sponsor = Actor::system(req.summary.sponsor_name.as_deref().unwrap_or("The sponsor"));
        let (state, note) = match reviewed {
            1 => (Some(ReviewState::Disputed), "Returns also fell because of the new courier, not only this change."),
            3 => (None, ""),
            _ => (Some(ReviewState::Confirmed), "Matches what we see in the monthly figures."),
        };
        if let Some(state) = state {
            db.decide_review(&sponsor, &review, state, "{}", note, req.summary.sponsor_id, &[]).await?;
        }
        reviewed += 1;
    }
    Ok(())
}

/// Adds `kpis` synthetic KPIs with `measurements` daily values between them (ending yesterday),
/// and a target for every initiative on one of them (for benchmarks). Returns the KPIs added.
pub async fn generate(db: &Db, kpis: usize, measurements: usize, today: Date) -> Result<usize, Error> {
    let actor = Actor::system("value generator");
    let per_kpi = (measurements / kpis.max(1)) as i64;
    let mut rows = Vec::with_capacity(kpis);
    for k in 0..kpis {
        let money = k % 3 == 0;
        let kpi = validate_kpi(&KpiInput {
            name: format!("Generated KPI {k}"),
            definition: "A number the business follows every day, made up for the benchmark.".into(),
            unit: if money { "money" } else { "count" }.into(),
            currency: if money { "EUR" } else { "" }.into(),
            benefit: if money { "revenue" } else { "satisfaction" }.into(),
            direction: "higher".into(),
            frequency: "daily".into(),
            source: "generator".into(),
            ..Default::default()
        })?;
        let id = db.create_kpi(&actor, &kpi).await?;
        rows.push(db.get_kpi(id).await?);
    }
    // Fifty KPIs' histories per transaction, each a gentle rise with a weekly wave.
    for chunk in rows.chunks(50) {
        let batches: Vec<Vec<NewMeasurement>> = chunk
            .iter()
            .map(|row| {
                (0..per_kpi)
                    .map(|d| NewMeasurement {
                        date: Date::from_days(today.days() - per_kpi + d),
                        value: 1000.0 + d as f64 * 0.5 + ((d % 7) as f64 - 3.0) * 4.0 + (row.id % 17) as f64,
                        note: String::new(),
                        sender_key: None,
                        correction: false,
                    })
                    .collect()
            })
            .collect();
        let refs: Vec<(&crate::store::value::KpiRow, &[NewMeasurement])> =
            chunk.iter().zip(&batches).map(|(r, b)| (r, &b[..])).collect();
        db.add_measurements(&actor, &refs).await?.map_err(|r| Error::internal(format!("{r:?}")))?;
    }
    for (i, initiative) in db.initiative_rows().await?.iter().enumerate() {
        let Some(kpi) = rows.get(i % rows.len().max(1)) else { break };
        let target = ValidTarget {
            metric: format!("Generated metric {i}"),
            baseline: 1000.0,
            baseline_date: Date::from_days(today.days() - 365),
            kind: TargetKind::IncreaseTo { value: 1000.0 + 365.0 * (0.3 + (i % 5) as f64 * 0.1) },
            target_date: Date::from_days(today.days() + 365),
            benefit_start: BenefitStart::On { date: Date::from_days(today.days() - 300) },
        };
        db.create_target(&actor, kpi, Some(initiative.id), &target).await?;
    }
    Ok(rows.len())
}
