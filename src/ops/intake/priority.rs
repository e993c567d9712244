//! Priority: the ratings each side sets, and the score with its place in the queue.

use bridge_domain::intake::priority::{apply_priority_update, score};
use bridge_domain::intake::{breakdown, explain, explain_position, PriorityInput, PriorityWeights};
use bridge_domain::Error;
use serde::Serialize;
use utoipa::ToSchema;

use crate::ops::Caller;
use crate::store::intake::RequestSummary;
use crate::store::Db;

#[derive(Serialize, ToSchema)]
pub struct PriorityView {
    pub business_value: Option<u32>,
    pub time_criticality: Option<u32>,
    pub risk_reduction: Option<u32>,
    pub job_size: Option<u32>,
    pub cost_of_delay: Option<f64>,
    pub score: Option<f64>,
    /// Position in the open queue (submitted, in assessment, approved, deferred), from 1.
    pub position: Option<i64>,
    pub queue_size: Option<i64>,
    /// The score in words: "This request is 7th of 12 by priority. Priority score …".
    pub explanation: String,
}

/// Sets the priority ratings the caller's side may set (the business: business value and time
/// criticality; IT: risk reduction and job size; admins: all), keeping the other side's ratings
/// as they are at the moment of saving. A save that changes nothing writes nothing.
pub async fn set_priority(
    db: &Db,
    caller: &Caller,
    weights: &PriorityWeights,
    id: i64,
    update: &PriorityInput,
) -> Result<PriorityInput, Error> {
    caller.require_write()?;
    db.update_priority(&caller.actor, id, |status, current| {
        if status.is_final() {
            return Err(Error::conflict("This request is closed: its priority no longer matters."));
        }
        let next = apply_priority_update(&current, update, caller.role)?;
        Ok((next != current).then(|| (next, score(&next, weights))))
    })
    .await
}

/// The request's ratings, score and place in the open queue, explained.
pub async fn priority_view(db: &Db, weights: &PriorityWeights, r: &RequestSummary) -> Result<PriorityView, Error> {
    let input = r.priority_input();
    let b = breakdown(&input, weights);
    let pos = db.queue_position(r).await?;
    let explanation = match pos {
        Some((p, total)) => explain_position(p as usize, total as usize, &b),
        None => explain(&b),
    };
    Ok(PriorityView {
        business_value: input.business_value,
        time_criticality: input.time_criticality,
        risk_reduction: input.risk_reduction,
        job_size: input.job_size,
        cost_of_delay: b.cost_of_delay,
        score: b.score,
        position: pos.map(|p| p.0),
        queue_size: pos.map(|p| p.1),
        explanation,
    })
}
