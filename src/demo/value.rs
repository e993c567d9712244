//! The demo's value data: five KPIs in Alder & Brook's own numbers with two years of monthly
//! measurements, and targets on the success metrics of its approved and delivered requests.

use bridge_domain::audit::Actor;
use bridge_domain::intake::parse::Date;
use bridge_domain::intake::Status;
use bridge_domain::value::{validate_kpi, BenefitStart, KpiInput, TargetKind, ValidTarget};
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
        }
    }
    Ok(())
}
