//! Lifecycle steps: the new status with its wait clocks, the event, the notification and the
//! audit entry, written together.

use bridge_domain::audit::{Actor, Entity};
use bridge_domain::Error;
use serde_json::json;

use super::{RequestEvent, TransitionRecord};
use crate::store::audit::Change;
use crate::store::{args, tx, Arg, Db};

impl Db {
    /// Records a lifecycle step decided by `ops::intake`: the new status and wait clocks, the
    /// event, the notifications and the audit entry, in one transaction. A request that moved on
    /// since it was read (another status than `step.from`) is stale.
    pub async fn record_transition(&self, actor: &Actor, id: i64, step: &TransitionRecord) -> Result<(), Error> {
        tx!(self, tx => {
            let done = tx.execute(
                "UPDATE requests SET status = $1, submitted_at = $2, first_response_at = $3, decided_at = $4,
                    updated_at = $5, version = version + 1 WHERE id = $6 AND status = $7",
                &args![step.to.as_str(), step.submitted_at, step.first_response_at, step.decided_at, step.at, id,
                    step.from.as_str()],
            ).await?;
            if done == 0 {
                return Err(Error::stale("request"));
            }
            let event = tx.number(
                "INSERT INTO request_events (request_id, at, actor_id, actor_name, action, from_status, to_status, reason)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                &args![id, step.at, actor.account_id, &actor.name, step.kind.as_str(), step.from.as_str(),
                    step.to.as_str(), &step.reason],
            ).await?;
            tx.add_contacts(bridge_domain::engagement::ContactSource::Decision, event, &step.contacts).await?;
            tx.notify(step.at, &step.notices).await?;
            for job in &step.jobs {
                tx.enqueue(job).await?;
            }
            if let Some((event, body)) = &step.announce {
                tx.announce(*event, step.at, body).await?;
            }
            tx.record(&Change { actor, action: step.kind.as_str(), entity: Entity::Request, entity_id: Some(id),
                summary: step.summary.clone(),
                before: Some(json!({"status": step.from.as_str()})),
                after: Some(json!({"status": step.to.as_str(), "reason": step.reason})) }).await?;
            Ok(())
        })
    }

    pub async fn request_events(&self, id: i64) -> Result<Vec<RequestEvent>, Error> {
        let sql = "SELECT id, at, actor_id, actor_name, action, from_status, to_status, reason FROM request_events
             WHERE request_id = $1 ORDER BY id";
        self.rows(sql.into(), vec![Arg::I(id)]).await
    }
}
