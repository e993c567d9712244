//! Targets: set by hand on a KPI, for one of an approved request's success metrics, or chosen
//! for its metrics in the approval itself.

use std::collections::{BTreeMap, HashSet};

use bridge_domain::intake::parse::Date;
use bridge_domain::intake::{Action, ActionKind, Status};
use bridge_domain::value::{by_quarter, validate_plan, validate_target, Quarter, TargetInput, ValidTarget};
use bridge_domain::{Error, FieldErrors};
use serde::Deserialize;

use super::is_initiative;
use super::portfolio::{Portfolio, TargetView};
use crate::ops::intake::lifecycle::{approval_basis, may_take, transition_request};
use crate::ops::Caller;
use crate::store::intake::Request;
use crate::store::value::KpiRow;
use crate::store::Db;

/// The KPI and the target checked against its unit.
async fn checked_target(db: &Db, kpi_id: i64, input: &TargetInput) -> Result<(KpiRow, ValidTarget), Error> {
    let kpi = db.get_kpi(kpi_id).await?;
    let target = validate_target(input, kpi.kpi()?.unit)?;
    Ok((kpi, target))
}

/// A request's target is for one of its success metrics, named as the request names it.
fn check_metric(request: &Request, target: &ValidTarget) -> Result<(), Error> {
    if request.body.metrics.iter().any(|m| m.name.eq_ignore_ascii_case(&target.metric)) {
        Ok(())
    } else {
        Err(Error::field("metric", "Name one of the request's success metrics."))
    }
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
    let (kpi, target) = checked_target(db, kpi_id, input).await?;
    if let Some(id) = request_id {
        let request = db.get_request(id).await?;
        if !is_initiative(request.status()) {
            return Err(Error::conflict(
                "A request becomes an initiative when it is approved: set its targets from then on.",
            ));
        }
        check_metric(&request, &target)?;
    }
    db.create_target(&caller.actor, &kpi, request_id, &target).await
}

/// A target chosen for one of a request's success metrics as it is approved: on the KPI
/// `kpi_id`, or on none yet (the metric is then listed as "not measured yet").
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MetricTarget {
    pub kpi_id: Option<i64>,
    pub input: TargetInput,
}

/// Takes a lifecycle step; an approval also sets the targets chosen with it. Everything is
/// checked before anything is written — who may take the step, its reason and basis, and every
/// target, each problem under `field(index, name)` — so a bad target leaves the request as it
/// was. Then the approval; then the targets, all of them in one transaction.
pub async fn decide_with_targets(
    db: &Db,
    caller: &Caller,
    id: i64,
    action: &Action,
    without_assessment: bool,
    targets: &[MetricTarget],
    field: impl Fn(usize, &str) -> String,
) -> Result<Status, Error> {
    let chosen: Vec<(usize, i64, &TargetInput)> =
        targets.iter().enumerate().filter_map(|(i, t)| Some((i, t.kpi_id?, &t.input))).collect();
    if chosen.is_empty() {
        return transition_request(db, caller, id, action, without_assessment).await;
    }
    if action.kind() != ActionKind::Approve {
        return Err(Error::field("targets", "Targets are set when the request is approved."));
    }
    caller.require_write()?;
    // The step's own problems (its reason, its basis) are shown together with the targets'.
    let mut errors = FieldErrors::new();
    for check in [may_take(db, caller, id, action).await, approval_basis(db, id, without_assessment).await] {
        match check {
            Ok(()) => {}
            Err(Error::Validation { fields, .. }) => errors.extend(fields),
            Err(e) => return Err(e),
        }
    }
    let request = db.get_request(id).await?;
    let mut has_target: HashSet<String> =
        db.list_targets(None, Some(id)).await?.into_iter().map(|t| t.metric.to_lowercase()).collect();
    let mut checked = Vec::with_capacity(chosen.len());
    for (i, kpi_id, input) in chosen {
        if !has_target.insert(input.metric.trim().to_lowercase()) {
            errors.insert(field(i, "metric"), "This success metric has a target already.".into());
            continue;
        }
        let checked_one = match checked_target(db, kpi_id, input).await {
            Ok(target) => check_metric(&request, &target.1).map(|()| target),
            Err(e) => Err(e),
        };
        match checked_one {
            Ok(target) => checked.push(target),
            Err(Error::Validation { fields, .. }) => errors.extend(fields.into_iter().map(|(k, v)| (field(i, &k), v))),
            Err(Error::NotFound(_)) => {
                errors.insert(field(i, "kpi_id"), "There is no such KPI: choose one from the list.".into());
            }
            Err(e) => return Err(e),
        }
    }
    Error::check(errors)?;
    let status = transition_request(db, caller, id, action, without_assessment).await?;
    let targets: Vec<(&KpiRow, ValidTarget)> = checked.iter().map(|(kpi, t)| (kpi, t.clone())).collect();
    db.create_targets(&caller.actor, Some(id), &targets).await?;
    Ok(status)
}

/// A target split by quarter (`bridge_domain::value::by_quarter`): one read of its KPI's
/// measurements from the baseline to the target date, or to today before then.
pub async fn quarters(db: &Db, view: &TargetView, delivered: Option<Date>) -> Result<Vec<Quarter>, Error> {
    let t = &view.target;
    let to = t.target_date.days().min(super::today().days());
    let measured: Vec<(Date, f64)> = db
        .list_measurements(view.kpi_id, t.baseline_date.days(), to, false)
        .await?
        .into_iter()
        .map(|m| (Date::from_days(m.day), m.value))
        .collect();
    Ok(by_quarter(&t.rules(delivered), &t.planned, &measured))
}

/// A target of the portfolio and the day its initiative was delivered, if it was.
pub fn target_in(portfolio: &Portfolio, target_id: i64) -> Result<(&TargetView, Option<Date>), Error> {
    let view = portfolio.target(target_id).ok_or_else(|| Error::not_found("The target"))?;
    let delivered = view
        .request_id
        .and_then(|r| portfolio.initiative(r))
        .and_then(|i| i.delivered_on.as_deref())
        .and_then(Date::parse);
    Ok((view, delivered))
}

/// Types the values planned for some of a target's quarters (quarter "2027-Q1" → value; an
/// empty value goes back to the straight line); answers the quarters as they are planned now.
pub async fn set_plan(
    db: &Db,
    caller: &Caller,
    portfolio: &Portfolio,
    target_id: i64,
    typed: &BTreeMap<String, String>,
) -> Result<Vec<Quarter>, Error> {
    caller.require_write()?;
    let (view, delivered) = target_in(portfolio, target_id)?;
    let unit = db.get_kpi(view.kpi_id).await?.kpi()?.unit;
    let plan = validate_plan(&view.target.rules(delivered), unit, typed)?;
    let row = db.get_target(target_id).await?;
    db.set_target_plan(&caller.actor, &row, &plan).await?;
    let mut planned = view.clone();
    planned.target.planned = plan;
    quarters(db, &planned, delivered).await
}
