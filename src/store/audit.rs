//! The audit log: every change by a person, a token or the command line, with before and after.

use bridge_domain::audit::{Actor, Entity};
use bridge_domain::Error;
use serde::{Deserialize, Serialize};

use super::{args, now_ms, Arg, Db, Listing, Page, Tx};

/// One change, ready to record.
pub struct Change<'a> {
    pub actor: &'a Actor,
    pub action: &'a str,
    pub entity: Entity,
    pub entity_id: Option<i64>,
    pub summary: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl Tx<'_> {
    /// Records a [`Change`] in the transaction that made it, so the change and its record land
    /// together or not at all. The entry bumps its entity's change counter (see `ops::cache`) by a
    /// trigger (migration 0007), so servers' read models know they are stale.
    pub async fn record(&mut self, c: &Change<'_>) -> Result<(), Error> {
        let json = |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string());
        self.execute(
            "INSERT INTO audit_log (at, actor_id, actor_name, via, action, entity, entity_id, summary, before_json, after_json)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            &args![now_ms(), c.actor.account_id, c.actor.name.as_str(), c.actor.via.as_str(), c.action,
                c.entity.as_str(), c.entity_id, c.summary.as_str(), json(&c.before), json(&c.after)],
        )
        .await?;
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub via: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub summary: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub actor_id: Option<i64>,
}

const SELECT: &str =
    "SELECT id, at, actor_id, actor_name, via, action, entity, entity_id, summary, before_json, after_json
     FROM audit_log WHERE ($1 = '' OR entity = $1) AND ($2 = 0 OR entity_id = $2) AND ($3 = 0 OR actor_id = $3)";

impl Db {
    pub async fn list_audit(&self, f: &AuditFilter, page: Page) -> Result<(Vec<AuditEntry>, i64), Error> {
        let filter = vec![
            Arg::S(f.entity.clone().unwrap_or_default()),
            Arg::I(f.entity_id.unwrap_or(0)),
            Arg::I(f.actor_id.unwrap_or(0)),
        ];
        let sql = format!("{SELECT} ORDER BY id DESC LIMIT $4 OFFSET $5");
        let count_sql = format!("SELECT COUNT(*) FROM ({SELECT}) AS filtered");
        let mut args = filter.clone();
        args.extend([Arg::I(page.limit), Arg::I(page.offset)]);
        self.page_of(Listing { sql, args, count_sql, count_args: filter }, page).await
    }
}

impl Db {
    /// A number that grows whenever any of `entities` changes: the sum of their change counters
    /// (`version:<entity>:<shard>`; databases from before the shards also have `version:<entity>`).
    pub async fn change_stamp(&self, entities: &[Entity]) -> Result<i64, Error> {
        let sql = "SELECT key, value FROM settings WHERE key LIKE 'version:%'";
        let rows: Vec<(String, String)> = self.rows(sql.into(), vec![]).await?;
        Ok(rows
            .iter()
            .filter(|(k, _)| {
                let entity = k.strip_prefix("version:").map(|rest| rest.split(':').next().unwrap_or(rest));
                entities.iter().any(|e| entity == Some(e.as_str()))
            })
            .filter_map(|(_, v)| v.parse::<i64>().ok())
            .sum())
    }
}
