//! Lifecycle steps: the new status with its wait clocks, the event, the notification and the
//! audit entry, written together.

use bridge_domain::audit::{Actor, Entity};
use bridge_domain::Error;
use serde_json::json;

use super::{RequestEvent, TransitionRecord};
use crate::store::audit::{record, Change};
use crate::store::notifications::insert_notices;
use crate::store::{db_err, tx, Arg, Db};

impl Db {
    /// Records a lifecycle step decided by `ops::intake`: the new status and wait clocks, the
    /// event, the notifications and the audit entry, in one transaction. A request that moved on
    /// since it was read (another status than `step.from`) is stale.
    pub async fn record_transition(&self, actor: &Actor, id: i64, step: &TransitionRecord) -> Result<(), Error> {
        tx!(self, tx => {
            let done = sqlx::query(
                "UPDATE requests SET status = $1, submitted_at = $2, first_response_at = $3, decided_at = $4,
                    updated_at = $5, version = version + 1 WHERE id = $6 AND status = $7")
                .bind(step.to.as_str()).bind(step.submitted_at).bind(step.first_response_at).bind(step.decided_at)
                .bind(step.at).bind(id).bind(step.from.as_str())
                .execute(&mut *tx).await.map_err(db_err)?;
            if done.rows_affected() == 0 {
                return Err(Error::stale("request"));
            }
            sqlx::query("INSERT INTO request_events (request_id, at, actor_id, actor_name, action, from_status, to_status, reason)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(id).bind(step.at).bind(actor.account_id).bind(&actor.name).bind(step.kind.as_str())
                .bind(step.from.as_str()).bind(step.to.as_str()).bind(&step.reason)
                .execute(&mut *tx).await.map_err(db_err)?;
            insert_notices!(tx, step.at, &step.notices)?;
            record!(&mut *tx, &Change { actor, action: step.kind.as_str(), entity: Entity::Request, entity_id: Some(id),
                summary: step.summary.clone(),
                before: Some(json!({"status": step.from.as_str()})),
                after: Some(json!({"status": step.to.as_str(), "reason": step.reason})) })?;
            Ok(())
        })
    }

    pub async fn request_events(&self, id: i64) -> Result<Vec<RequestEvent>, Error> {
        let sql = "SELECT id, at, actor_id, actor_name, action, from_status, to_status, reason FROM request_events
             WHERE request_id = $1 ORDER BY id";
        self.rows(sql.into(), vec![Arg::I(id)]).await
    }
}
