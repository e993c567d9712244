//! The demo's value data: five KPIs in Alder & Brook's own numbers with two years of monthly
//! measurements, operational KPIs for the other success metrics of its initiatives, a target on
//! each of those metrics, champions, and value reviews as the schedule would have made them.

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
        kpis.push(row);
    }
    // Every success metric of the requests approved and on from there becomes a target: on the
    // business KPI of its name, else on an operational KPI of its own, its numbers running at
    // one of PACES since the benefit started (a year of history before).
    let mut initiatives = Vec::new();
    let mut paced = 0;
    for status in [Status::InDelivery, Status::Delivered, Status::ValueReview, Status::Closed] {
        let filter = RequestFilter { status: Some(status), ..RequestFilter::default() };
        let (requests, _) = db.list_requests(&filter, Page::new(Some(1), Some(20))).await?;
        for r in requests {
            let req = db.get_request(r.id).await?;
            let started = status != Status::InDelivery;
            for metric in &req.body.metrics {
                let (Some(baseline), Some(goal)) = (metric.baseline, metric.target) else { continue };
                let target = ValidTarget {
                    metric: metric.name.clone(),
                    baseline,
                    baseline_date: Date::from_days(today.days() - 365),
                    kind: if goal < baseline {
                        TargetKind::DecreaseTo { value: goal }
                    } else {
                        TargetKind::IncreaseTo { value: goal }
                    },
                    // A closed initiative's date has passed: achieved or missed.
                    target_date: Date::from_days(today.days() + if status == Status::Closed { -20 } else { 160 }),
                    benefit_start: if started {
                        BenefitStart::On { date: Date::from_days(today.days() - 240) }
                    } else {
                        BenefitStart::Delivery
                    },
                    planned: Default::default(),
                };
                let kpi = match kpis.iter().find(|k| k.name.eq_ignore_ascii_case(&metric.name)) {
                    Some(kpi) => kpi.clone(),
                    None => {
                        let pace = if started { PACES[paced % PACES.len()] } else { 0.0 };
                        paced += usize::from(started);
                        operational_kpi(db, &actor, &req, metric, &target, pace, today).await?
                    }
                };
                db.create_target(&actor, &kpi, Some(r.id), &target).await?;
            }
            initiatives.push(r.id);
        }
    }
    review_demo(db, &initiatives, today).await
}

/// How an operational KPI has moved since the benefit started: the share of the way to its
/// target per share of the time gone. In turn over the initiatives delivered, so the demo shows
/// every status: ahead (on track), behind (at risk), far behind (off track), there already
/// (achieved), the wrong way (off track).
const PACES: [f64; 5] = [1.15, 0.7, 0.2, 2.5, -0.2];

/// A KPI for a success metric in the team's own numbers (a count, or a percent), with two
/// years of monthly values: at the baseline until the benefit starts, then moving at `pace`.
async fn operational_kpi(
    db: &Db,
    actor: &Actor,
    req: &crate::store::intake::Request,
    metric: &bridge_domain::intake::Metric,
    target: &ValidTarget,
    pace: f64,
    today: Date,
) -> Result<crate::store::value::KpiRow, Error> {
    let percent = metric.unit.eq_ignore_ascii_case("percent");
    let unit_name = req.summary.unit_name.clone().unwrap_or_else(|| "The business".into());
    let kpi = validate_kpi(&KpiInput {
        name: metric.name.clone(),
        definition: format!("{} ({}), as {unit_name} counts it each month.", metric.name, metric.unit),
        unit: if percent { "percent" } else { "count" }.into(),
        benefit: "other".into(),
        direction: if matches!(target.kind, TargetKind::DecreaseTo { .. }) { "lower" } else { "higher" }.into(),
        frequency: "monthly".into(),
        source: format!("{unit_name} team's own reporting"),
        ..Default::default()
    })?;
    let id = db.create_kpi(actor, &kpi).await?;
    let goal = match target.kind {
        TargetKind::IncreaseTo { value } | TargetKind::DecreaseTo { value } => value,
        _ => target.baseline,
    };
    let (start, end) = match target.benefit_start {
        BenefitStart::On { date } => (date.days(), target.target_date.days()),
        _ => (i64::MAX, i64::MAX),
    };
    let measurements: Vec<NewMeasurement> = (0..24)
        .map(|m| {
            let day = today.days() - 1 - 30 * i64::from(23 - m);
            let gone = if day <= start { 0.0 } else { ((day - start) as f64 / (end - start) as f64).min(1.0) };
            let share = (pace * gone).min(1.0) + (f64::from(m) * 0.9).sin() * 0.02;
            let value = target.baseline + (goal - target.baseline) * share;
            let value = if percent { value.clamp(0.0, 100.0) } else { value.max(0.0) };
            NewMeasurement {
                date: Date::from_days(day),
                value: (value * 100.0).round() / 100.0,
                note: String::new(),
                sender_key: Some(format!("demo-{id}-{m}")),
                correction: false,
            }
        })
        .collect();
    let row = db.get_kpi(id).await?;
    db.add_measurements(actor, &[(&row, &measurements[..])]).await?.map_err(|r| Error::internal(format!("{r:?}")))?;
    Ok(row)
}

/// Champions and value reviews on the demo's initiatives, as the schedule would have made them:
/// an IT champion with a brief on each; on those delivered, the reviews still to come as jobs
/// (one falling due opens its review); on those in their value review, the reviews due so far —
/// the earlier ones confirmed, the latest confirmed, disputed or still waiting in turn; on the
/// closed ones, all three confirmed (value receipts).
async fn review_demo(db: &Db, initiatives: &[i64], today: Date) -> Result<(), Error> {
    let champions: Vec<(i64, String)> = db
        .people_brief()
        .await?
        .into_iter()
        .filter(|p| p.side == bridge_domain::org::Side::It)
        .map(|p| (p.id, p.name))
        .collect();
    let actor = Actor::system("demo loader");
    let mut in_review = 0;
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
        let events = db.request_events(*id).await?;
        let Some(delivered_at) = events.iter().filter(|e| e.to_status == Status::Delivered).map(|e| e.at).max() else {
            continue;
        };
        let delivered_day = delivered_at.div_euclid(24 * 3600 * 1000);
        // The reviews still to come wait as the schedule's jobs.
        let now = crate::store::now_ms();
        let mut jobs = crate::ops::value::reviews::jobs_for_delivery(db, *id, delivered_at).await?;
        jobs.retain(|j| j.run_at > now);
        db.enqueue_all(&jobs).await?;
        let due: Vec<i64> = match req.status() {
            Status::Closed => vec![30, 90, 180],
            Status::ValueReview => {
                let due: Vec<i64> = [30, 90, 180].into_iter().filter(|d| delivered_day + d < today.days()).collect();
                if due.is_empty() {
                    vec![30]
                } else {
                    due
                }
            }
            _ => continue,
        };
        let latest = match (req.status(), in_review % 3) {
            (Status::Closed, _) | (_, 0) => Some(ReviewState::Confirmed),
            (_, 1) => Some(ReviewState::Disputed),
            _ => None,
        };
        if req.status() == Status::ValueReview {
            in_review += 1;
        }
        let sponsor = Actor::system(req.summary.sponsor_name.as_deref().unwrap_or("The sponsor"));
        for (k, after) in due.iter().enumerate() {
            let due_day = (delivered_day + after).min(today.days() - 1);
            let Some(review_id) = db.add_review(*id, *after, due_day, &[]).await? else { continue };
            let review = db.get_review(*id, review_id).await?;
            let (state, note) = match (k + 1 == due.len(), latest) {
                (true, Some(ReviewState::Disputed)) => {
                    (ReviewState::Disputed, "Returns also fell because of the new courier, not only this change.")
                }
                (true, None) => break,
                _ => (ReviewState::Confirmed, "Matches what we see in the monthly figures."),
            };
            db.decide_review(&sponsor, &review, state, "{}", note, req.summary.sponsor_id, &[]).await?;
        }
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
            planned: Default::default(),
        };
        db.create_target(&actor, kpi, Some(initiative.id), &target).await?;
    }
    Ok(rows.len())
}
