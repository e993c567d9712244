//! The value area's use cases: KPIs and their measurements. Anyone who may write keeps KPIs and
//! records measurements (a BI tool posts them through its own API token); the rules are
//! `bridge_domain::value`'s.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use bridge_domain::intake::parse::Date;
use bridge_domain::intake::Status;
use bridge_domain::value::{
    progress, status, validate_kpi, validate_measurement, validate_target, BenefitStart, KpiInput, MeasurementInput,
    TargetInput, ValidTarget,
};
use bridge_domain::{Error, FieldErrors};

use super::Caller;
use crate::store::value::{MeasurementsWritten, NewMeasurement};
use crate::store::Db;

/// The most measurements one call may carry.
pub const MAX_MEASUREMENTS: usize = 50_000;

async fn check_unit(db: &Db, unit_id: Option<i64>) -> Result<(), Error> {
    match unit_id {
        Some(u) if !db.unit_exists(u).await? => Err(Error::field("unit_id", "Choose a business unit from the list.")),
        _ => Ok(()),
    }
}

pub async fn create_kpi(db: &Db, caller: &Caller, input: &KpiInput) -> Result<i64, Error> {
    caller.require_write()?;
    let kpi = validate_kpi(input)?;
    check_unit(db, kpi.unit_id).await?;
    db.create_kpi(&caller.actor, &kpi).await
}

pub async fn update_kpi(
    db: &Db,
    caller: &Caller,
    id: i64,
    version: Option<i64>,
    input: &KpiInput,
) -> Result<(), Error> {
    caller.require_write()?;
    db.get_kpi(id).await?;
    let kpi = validate_kpi(input)?;
    let version = version.ok_or_else(|| Error::field("version", "Send the version you read."))?;
    check_unit(db, kpi.unit_id).await?;
    db.update_kpi(&caller.actor, id, version, &kpi).await
}

/// One measurement as sent, with the sender's own key and whether it corrects the day's value.
#[derive(Debug, Clone, Default)]
pub struct Sent {
    pub input: MeasurementInput,
    pub key: Option<String>,
    pub correction: bool,
}

/// Records measurements of a KPI, all or none: each is checked against the KPI (its errors named
/// `measurements[i].field`), and a day that has a value takes another only as a correction.
pub async fn record(
    db: &Db,
    caller: &Caller,
    kpi_id: i64,
    sent: &[Sent],
    today: Date,
) -> Result<MeasurementsWritten, Error> {
    caller.require_write()?;
    let row = db.get_kpi(kpi_id).await?;
    if sent.len() > MAX_MEASUREMENTS {
        return Err(Error::field("measurements", format!("Send at most {MAX_MEASUREMENTS} measurements in one call.")));
    }
    let kpi = row.kpi()?;
    let mut errors = FieldErrors::new();
    let mut items = Vec::with_capacity(sent.len());
    for (i, s) in sent.iter().enumerate() {
        match validate_measurement(&kpi, &s.input, today) {
            Ok((date, value)) => items.push(NewMeasurement {
                date,
                value,
                note: s.input.note.trim().to_string(),
                sender_key: s.key.as_ref().map(|k| k.trim().to_string()).filter(|k| !k.is_empty()),
                correction: s.correction,
            }),
            Err(fields) => {
                errors.extend(fields.into_iter().map(|(f, m)| (format!("measurements[{i}].{f}"), m)));
            }
        }
    }
    if sent.is_empty() {
        errors.insert("measurements".into(), "Send at least one measurement.".into());
    }
    Error::check(errors)?;
    db.add_measurements(&caller.actor, &row, &items).await
}

/// A target with how it stands today.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TargetView {
    pub id: i64,
    pub kpi_id: i64,
    pub kpi_name: String,
    /// The initiative (approved request) it belongs to, if any.
    pub request_id: Option<i64>,
    /// What was promised: baseline, kind and value, dates, when the benefit starts.
    #[schema(value_type = Object)]
    pub target: ValidTarget,
    /// The latest measurement since the baseline: `YYYY-MM-DD`.
    pub latest_date: Option<String>,
    pub latest_value: Option<f64>,
    /// (latest − baseline) / (target − baseline), for a rise or fall whose target differs from
    /// its baseline.
    pub progress: Option<f64>,
    /// not_measured, on_track, at_risk, off_track, achieved or missed (docs/value.md).
    pub status: &'static str,
    pub status_label: &'static str,
}

/// The statuses in which a request is an initiative: approved, and on the way from there.
fn is_initiative(s: Status) -> bool {
    matches!(s, Status::Approved | Status::InDelivery | Status::Delivered | Status::ValueReview)
}

/// Sets a target on a KPI: by hand, or for one of an approved request's success metrics (named
/// as the request names it), which makes the request an initiative with a measured promise.
pub async fn set_target(
    db: &Db,
    caller: &Caller,
    kpi_id: i64,
    request_id: Option<i64>,
    input: &TargetInput,
) -> Result<i64, Error> {
    caller.require_write()?;
    let kpi = db.get_kpi(kpi_id).await?;
    let target = validate_target(input, kpi.kpi()?.unit)?;
    if let Some(id) = request_id {
        let req = db.get_request(id).await?;
        if !is_initiative(req.status()) {
            return Err(Error::conflict(
                "A request becomes an initiative when it is approved: set its targets from then on.",
            ));
        }
        if !req.body.metrics.iter().any(|m| m.name.eq_ignore_ascii_case(&target.metric)) {
            return Err(Error::field("metric", "Name one of the request's success metrics."));
        }
    }
    db.create_target(&caller.actor, &kpi, request_id, &target).await
}

/// The day a request was (last) delivered, from its history.
async fn delivered_on(db: &Db, request_id: i64) -> Result<Option<Date>, Error> {
    let events = db.request_events(request_id).await?;
    Ok(events
        .iter()
        .rev()
        .find(|e| e.to_status == Status::Delivered)
        .and_then(|e| chrono::DateTime::from_timestamp_millis(e.at))
        .and_then(|t| Date::parse(&t.format("%Y-%m-%d").to_string())))
}

/// Targets (on a KPI, or of a request) with their latest measurement, progress and status today.
pub async fn targets(
    db: &Db,
    kpi_id: Option<i64>,
    request_id: Option<i64>,
    today: Date,
) -> Result<Vec<TargetView>, Error> {
    let rows = db.list_targets(kpi_id, request_id).await?;
    // Each KPI's name and each request's delivery day, read once however many targets share them.
    let mut kpi_names: HashMap<i64, String> = HashMap::new();
    let mut deliveries: HashMap<i64, Option<Date>> = HashMap::new();
    let mut views = Vec::with_capacity(rows.len());
    for row in rows {
        let target = row.target()?;
        if let Entry::Vacant(e) = kpi_names.entry(row.kpi_id) {
            e.insert(db.get_kpi(row.kpi_id).await?.name);
        }
        let delivered = match row.request_id {
            Some(r) => {
                if let Entry::Vacant(e) = deliveries.entry(r) {
                    e.insert(delivered_on(db, r).await?);
                }
                deliveries[&r]
            }
            None => None,
        };
        // A target set by hand starts counting at its baseline.
        let mut rules = target.rules(delivered);
        if row.request_id.is_none() && target.benefit_start == BenefitStart::Delivery {
            rules.benefit_start = target.baseline_date;
        }
        let latest = db.latest_measurement(row.kpi_id, target.baseline_date.days() + 1).await?;
        let value = latest.map(|l| l.value);
        let status = status(&rules, value, today);
        views.push(TargetView {
            id: row.id,
            kpi_id: row.kpi_id,
            kpi_name: kpi_names[&row.kpi_id].clone(),
            request_id: row.request_id,
            latest_date: latest.map(|l| Date::from_days(l.day).to_string()),
            latest_value: value,
            progress: value.and_then(|v| progress(&rules, v)),
            status: status.as_str(),
            status_label: status.label(),
            target,
        });
    }
    Ok(views)
}
