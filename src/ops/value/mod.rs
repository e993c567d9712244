//! The value area's use cases: KPIs and their measurements. Anyone who may write keeps KPIs and
//! records measurements (a BI tool posts them through its own API token); the rules are
//! `bridge_domain::value`'s. How the targets stand is `portfolio`.

pub mod portfolio;

use bridge_domain::intake::parse::Date;
use bridge_domain::intake::Status;
use bridge_domain::value::{
    validate_kpi, validate_measurement, validate_target, KpiInput, MeasurementInput, TargetInput,
};
use bridge_domain::{Error, FieldErrors};

use super::Caller;
use crate::store::value::{MeasurementsWritten, NewMeasurement};
use crate::store::Db;

/// Today's date (UTC), for the rules.
pub fn today() -> Date {
    Date::parse(&crate::ops::intake::today()).expect("today is a date")
}

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
