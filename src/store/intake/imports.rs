//! Imports of requests from other tools: what an earlier import already brought in (by the other
//! tool's key), one import written as a whole, and undoing one.

use bridge_domain::audit::{Actor, Entity};
use bridge_domain::intake::{clarity, Status, ValidRequest};
use bridge_domain::Error;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::SeedRequest;
use crate::store::audit::Change;
use crate::store::comments::Subject;
use crate::store::{args, now_ms, tx, Arg, Db};

/// A request an earlier import brought in, found by its key.
#[derive(Debug, Clone, Deserialize, sqlx::FromRow)]
pub struct KnownRequest {
    pub id: i64,
    pub external_key: String,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub version: i64,
    pub body: String,
}

/// A draft an import changes: its id, the version read, and its new content.
#[derive(Debug, Clone)]
pub struct ImportUpdate {
    pub id: i64,
    pub version: i64,
    pub body: ValidRequest,
    pub source: String,
}

/// One import, as its page and the API show it.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ImportRecord {
    pub id: i64,
    pub source: String,
    pub actor_name: String,
    pub created_at: i64,
    pub created_count: i64,
    pub updated_count: i64,
    pub skipped_count: i64,
    pub undone_at: Option<i64>,
}

/// A request an import made or changed, for its result page.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow)]
pub struct ImportedRequest {
    pub id: i64,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub external_key: Option<String>,
}

impl Db {
    /// The requests already here under any of `keys`.
    pub async fn known_requests(&self, keys: &[String]) -> Result<Vec<KnownRequest>, Error> {
        if keys.is_empty() {
            return Ok(vec![]);
        }
        let marks: Vec<String> = (1..=keys.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT id, external_key, status, version, body FROM requests WHERE external_key IN ({})",
            marks.join(", ")
        );
        self.rows(sql, keys.iter().map(|k| Arg::S(k.clone())).collect()).await
    }

    /// Writes one import whole: the new drafts, the drafts it changes (each against the version
    /// read: a draft edited in between makes the import stale), and the import's own row.
    pub async fn record_import(
        &self,
        actor: &Actor,
        source: &str,
        new: &[SeedRequest],
        updates: &[ImportUpdate],
        skipped: usize,
    ) -> Result<i64, Error> {
        let weights = self.priority_weights().await?;
        let now = now_ms();
        tx!(self, tx => {
            let import_id = tx.number(
                "INSERT INTO imports (source, actor_name, created_at, created_count, updated_count, skipped_count)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                &args![source, &actor.name, now, new.len() as i64, updates.len() as i64, skipped as i64],
            ).await?;
            for s in new {
                tx.seed_request(s, &weights, Some(import_id)).await
                    .map_err(|e| match e {
                        Error::Conflict { .. } => Error::stale("import (another import brought in the same issues)"),
                        other => other,
                    })?;
            }
            for u in updates {
                let body = serde_json::to_string(&u.body).map_err(Error::internal)?;
                let done = tx.execute(
                    "UPDATE requests SET title = $1, problem = $2, unit_id = $3, sponsor_id = $4, clarity = $5,
                        body = $6, source = $7, updated_at = $8, version = version + 1
                     WHERE id = $9 AND version = $10 AND status = 'draft'",
                    &args![&u.body.title, &u.body.problem, u.body.business_unit_id, u.body.sponsor_id,
                        i64::from(clarity(&u.body).score), body, &u.source, now, u.id, u.version],
                ).await?;
                if done == 0 {
                    return Err(Error::stale("request (changed while the import was checked)"));
                }
            }
            let mut texts = super::seed::seed_texts(new);
            texts.extend(updates.iter().flat_map(|u| [u.body.title.as_str(), u.body.problem.as_str()]));
            tx.remember_words(&texts).await?;
            tx.record(&Change { actor, action: "import", entity: Entity::Request, entity_id: None,
                summary: format!("Imported from {source}: {} new, {} updated, {skipped} skipped", new.len(), updates.len()),
                before: None, after: Some(json!({"import_id": import_id})) }).await?;
            Ok(import_id)
        })
    }

    pub async fn get_import(&self, id: i64) -> Result<ImportRecord, Error> {
        self.first(
            "SELECT id, source, actor_name, created_at, created_count, updated_count, skipped_count, undone_at
             FROM imports WHERE id = $1"
                .into(),
            vec![Arg::I(id)],
        )
        .await?
        .ok_or_else(|| Error::not_found("The import"))
    }

    /// The requests an import made that are still here.
    pub async fn imported_requests(&self, import_id: i64) -> Result<Vec<ImportedRequest>, Error> {
        self.rows(
            "SELECT id, title, status, external_key FROM requests WHERE import_id = $1 ORDER BY id".into(),
            vec![Arg::I(import_id)],
        )
        .await
    }

    /// Removes the requests an import made that nobody has touched since (still drafts at their
    /// first version); answers (removed, kept). The import is marked undone.
    pub async fn undo_import(&self, actor: &Actor, import_id: i64) -> Result<(u64, u64), Error> {
        let import = self.get_import(import_id).await?;
        if import.undone_at.is_some() {
            return Err(Error::conflict("This import was already undone."));
        }
        tx!(self, tx => {
            let untouched = "SELECT id FROM requests WHERE import_id = $1 AND status = 'draft' AND version = 1";
            tx.execute(&format!("DELETE FROM comments WHERE subject = $2 AND subject_id IN ({untouched})"),
                &args![import_id, Subject::Request.as_str()]).await?;
            let removed = tx.execute(
                "DELETE FROM requests WHERE import_id = $1 AND status = 'draft' AND version = 1",
                &args![import_id]).await?;
            let kept = tx.number("SELECT COUNT(*) FROM requests WHERE import_id = $1", &args![import_id]).await?;
            tx.execute("UPDATE imports SET undone_at = $1 WHERE id = $2", &args![now_ms(), import_id]).await?;
            tx.record(&Change { actor, action: "undo_import", entity: Entity::Request, entity_id: None,
                summary: format!("Undid the import from {}: removed {removed} requests, kept {kept} changed since",
                    import.source),
                before: None, after: Some(json!({"import_id": import_id})) }).await?;
            Ok((removed, kept as u64))
        })
    }
}
