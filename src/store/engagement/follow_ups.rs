//! Follow-ups: done or not, and those overdue that the daily watch reminds their owner of.

use bridge_domain::audit::{Actor, Entity};
use bridge_domain::Error;
use serde::Deserialize;
use serde_json::json;

use super::super::audit::Change;
use super::super::{args, now_ms, tx, Arg, Db};

use super::{FollowUpRow, TouchpointId, TouchpointRow};

/// A follow-up past its day, with the touchpoint it came from.
#[derive(Debug, Clone, Deserialize, sqlx::FromRow)]
pub struct OverdueFollowUp {
    pub id: i64,
    pub text: String,
    pub owner_id: Option<i64>,
    pub due_day: i64,
    pub kind: String,
    pub day: i64,
    pub unit_id: Option<i64>,
}

impl Db {
    /// The touchpoint a follow-up belongs to, with its people and follow-ups.
    pub async fn touchpoint_of_follow_up(&self, id: i64) -> Result<TouchpointRow, Error> {
        let found: Option<TouchpointId> =
            self.first("SELECT touchpoint_id FROM follow_ups WHERE id = $1".into(), vec![Arg::I(id)]).await?;
        self.get_touchpoint(found.ok_or_else(|| Error::not_found("The follow-up"))?.touchpoint_id).await
    }

    /// Marks a follow-up done (or not done again); answers it as it is now.
    pub async fn set_follow_up_done(&self, actor: &Actor, id: i64, done: bool) -> Result<FollowUpRow, Error> {
        let now = now_ms();
        tx!(self, tx => {
            let found = tx.first::<FollowUpRow>(
                "SELECT id, touchpoint_id, text, owner_id, due_day, done_at FROM follow_ups WHERE id = $1",
                &args![id],
            ).await?.ok_or_else(|| Error::not_found("The follow-up"))?;
            tx.execute("UPDATE follow_ups SET done_at = $1 WHERE id = $2", &args![done.then_some(now), id]).await?;
            tx.record(&Change { actor, action: if done { "done" } else { "reopen" }, entity: Entity::Touchpoint,
                entity_id: Some(found.touchpoint_id),
                summary: format!("{} the follow-up “{}”", if done { "Finished" } else { "Reopened" }, found.text),
                before: None, after: Some(json!({"follow_up_id": id, "done": done})) }).await?;
            Ok(FollowUpRow { done_at: done.then_some(now), ..found })
        })
    }

    /// The follow-ups past their day, not done, whose owner was not reminded yet, with the
    /// touchpoint they came from.
    pub async fn overdue_follow_ups(&self, today: i64) -> Result<Vec<OverdueFollowUp>, Error> {
        self.rows(
            "SELECT f.id, f.text, f.owner_id, f.due_day, t.kind, t.day, t.unit_id FROM follow_ups f
             JOIN touchpoints t ON t.id = f.touchpoint_id
             WHERE f.done_at IS NULL AND f.due_day < $1 AND f.reminded_at IS NULL AND f.owner_id IS NOT NULL
             ORDER BY f.due_day, f.id"
                .into(),
            vec![Arg::I(today)],
        )
        .await
    }
}
