//! The value area's use cases: KPIs and their measurements. Anyone who may write keeps KPIs and
//! records measurements (a BI tool posts them through its own API token); the rules are
//! `bridge_domain::value`'s. How the targets stand is `portfolio`.

pub mod portfolio;
pub mod reviews;
pub mod targets;
pub mod watch;

pub use targets::set_target;

/// The value area's background jobs: reviews falling due, and the daily watch of targets.
pub fn handlers(h: crate::ops::jobs::Handlers, db: Db) -> crate::ops::jobs::Handlers {
    watch::handlers(reviews::handlers(h, db.clone()), db)
}

use std::collections::HashMap;

use bridge_domain::csv_file::RowError;
use bridge_domain::intake::parse::Date;
use bridge_domain::intake::Status;
use bridge_domain::value::{
    parse_measurements_csv, validate_kpi, validate_measurement, Kpi, KpiInput, MeasurementInput,
};
use bridge_domain::{Error, FieldErrors};

use super::Caller;
use crate::store::value::{KpiRow, MeasurementsWritten, NewMeasurement};
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
        match checked(&kpi, s, today) {
            Ok(m) => items.push(m),
            Err(fields) => errors.extend(fields.into_iter().map(|(f, m)| (format!("measurements[{i}].{f}"), m))),
        }
    }
    if sent.is_empty() {
        errors.insert("measurements".into(), "Send at least one measurement.".into());
    }
    Error::check(errors)?;
    match db.add_measurements(&caller.actor, &[(&row, &items)]).await? {
        Ok(written) => Ok(written),
        Err(refusals) => {
            let first = &refusals[0];
            Err(Error::conflict_on(format!("measurements[{}].date", first.item), first.reason.clone()))
        }
    }
}

fn checked(kpi: &Kpi, s: &Sent, today: Date) -> Result<NewMeasurement, FieldErrors> {
    let (date, value) = validate_measurement(kpi, &s.input, today)?;
    Ok(NewMeasurement {
        date,
        value,
        note: s.input.note.trim().to_string(),
        sender_key: s.key.as_ref().map(|k| k.trim().to_string()).filter(|k| !k.is_empty()),
        correction: s.correction,
    })
}

/// Imports measurements from CSV (`bridge_domain::value::parse_measurements_csv`): for the KPI
/// `into` when the file has no `kpi` column, else for the KPI each row names (by name or
/// number). Every row is checked first; a file with any bad row writes nothing and comes back
/// with every problem by line.
pub async fn import_csv(
    db: &Db,
    caller: &Caller,
    into: Option<i64>,
    data: &[u8],
    today: Date,
) -> Result<Result<MeasurementsWritten, Vec<RowError>>, Error> {
    caller.require_write()?;
    let lines = match parse_measurements_csv(data) {
        Ok(lines) => lines,
        Err(errors) => return Ok(Err(errors)),
    };
    let rows = db.list_kpis().await?;
    let kpis: Vec<(KpiRow, Kpi)> = rows.into_iter().map(|r| r.kpi().map(|k| (r, k))).collect::<Result<_, _>>()?;
    let by_name: HashMap<String, usize> =
        kpis.iter().enumerate().map(|(i, (r, _))| (r.name.to_lowercase(), i)).collect();
    let default = into.and_then(|id| kpis.iter().position(|(r, _)| r.id == id));
    let find = |named: &str| -> Result<usize, String> {
        if named.is_empty() {
            return default.ok_or_else(|| "Name the KPI in a “kpi” column.".to_string());
        }
        let found = by_name.get(&named.to_lowercase()).copied().or_else(|| {
            let id: i64 = named.parse().ok()?;
            kpis.iter().position(|(r, _)| r.id == id)
        });
        match (found, default) {
            (Some(i), Some(d)) if i != d => Err(format!("This row is for “{named}”, not for {}.", kpis[d].0.name)),
            (Some(i), _) => Ok(i),
            (None, _) => Err(format!("There is no KPI called “{named}”.")),
        }
    };
    let mut errors = Vec::new();
    let mut groups: Vec<(usize, Vec<NewMeasurement>, Vec<usize>)> = Vec::new();
    let mut group_of: HashMap<usize, usize> = HashMap::new();
    for line in lines {
        let k = match find(&line.kpi) {
            Ok(k) => k,
            Err(reason) => {
                errors.push(RowError::new(line.line, reason));
                continue;
            }
        };
        let sent = Sent { input: line.input, key: line.key, correction: line.correction };
        match checked(&kpis[k].1, &sent, today) {
            Ok(m) => {
                let g = *group_of.entry(k).or_insert_with(|| {
                    groups.push((k, Vec::new(), Vec::new()));
                    groups.len() - 1
                });
                groups[g].1.push(m);
                groups[g].2.push(line.line);
            }
            Err(fields) => errors.extend(fields.into_values().map(|reason| RowError::new(line.line, reason))),
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    if groups.is_empty() {
        return Ok(Err(vec![RowError::new(1, "The file has no measurements below its header.")]));
    }
    let batches: Vec<(&KpiRow, &[NewMeasurement])> =
        groups.iter().map(|(k, items, _)| (&kpis[*k].0, &items[..])).collect();
    match db.add_measurements(&caller.actor, &batches).await? {
        Ok(written) => Ok(Ok(written)),
        Err(refusals) => {
            let mut errors: Vec<RowError> =
                refusals.into_iter().map(|r| RowError::new(groups[r.batch].2[r.item], r.reason)).collect();
            errors.sort_by_key(|e| e.line);
            Ok(Err(errors))
        }
    }
}

/// The statuses in which a request is an initiative: approved, and on the way from there.
pub fn is_initiative(s: Status) -> bool {
    matches!(s, Status::Approved | Status::InDelivery | Status::Delivered | Status::ValueReview)
}
