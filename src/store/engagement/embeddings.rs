//! Embeddings and rotations: who from IT sits with which business unit, when, and for what.

use bridge_domain::audit::{Actor, Entity};
use bridge_domain::engagement::ValidEmbedding;
use bridge_domain::Error;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::super::audit::Change;
use super::super::{args, now_ms, tx, Arg, Db};

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct EmbeddingRow {
    pub id: i64,
    pub person_id: i64,
    pub unit_id: i64,
    pub kind: String,
    /// Days since 1970.
    pub from_day: i64,
    pub until_day: Option<i64>,
    pub purpose: String,
    pub version: i64,
}

/// Contacts an embedded person had with their unit while there.
#[derive(Debug, Clone, Copy, Default, Deserialize, sqlx::FromRow)]
pub struct ContactCount {
    pub contacts: i64,
    pub last_day: Option<i64>,
}

const COLUMNS: &str = "id, person_id, unit_id, kind, from_day, until_day, purpose, version";

impl Db {
    pub async fn create_embedding(&self, actor: &Actor, e: &ValidEmbedding) -> Result<i64, Error> {
        let now = now_ms();
        tx!(self, tx => {
            let id = tx.number(
                "INSERT INTO embeddings (person_id, unit_id, kind, from_day, until_day, purpose, created_by_name, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                &args![e.person_id, e.unit_id, e.kind.as_str(), e.from.days(), e.until.map(|u| u.days()), &e.purpose,
                    actor.name.as_str(), now],
            ).await?;
            tx.record(&Change { actor, action: "create", entity: Entity::Embedding, entity_id: Some(id),
                summary: format!("{} from {}", e.kind.label(), e.from), before: None,
                after: Some(json!(e)) }).await?;
            Ok(id)
        })
    }

    /// Changes an embedding (its dates, say, to end it), against the version read.
    pub async fn update_embedding(
        &self,
        actor: &Actor,
        id: i64,
        e: &ValidEmbedding,
        version: i64,
    ) -> Result<(), Error> {
        tx!(self, tx => {
            let changed = tx.execute(
                "UPDATE embeddings SET person_id = $1, unit_id = $2, kind = $3, from_day = $4, until_day = $5,
                    purpose = $6, version = version + 1 WHERE id = $7 AND version = $8",
                &args![e.person_id, e.unit_id, e.kind.as_str(), e.from.days(), e.until.map(|u| u.days()), &e.purpose,
                    id, version],
            ).await?;
            if changed == 0 {
                return Err(Error::stale("embedding"));
            }
            tx.record(&Change { actor, action: "update", entity: Entity::Embedding, entity_id: Some(id),
                summary: "Changed an embedding".into(), before: None, after: Some(json!(e)) }).await?;
            Ok(())
        })
    }

    /// Embeddings of a unit or of a person (or all), the latest to begin first.
    pub async fn embeddings(&self, unit_id: Option<i64>, person_id: Option<i64>) -> Result<Vec<EmbeddingRow>, Error> {
        let (condition, arg) = match (unit_id, person_id) {
            (Some(u), _) => ("unit_id = $1", Arg::I(u)),
            (None, Some(p)) => ("person_id = $1", Arg::I(p)),
            (None, None) => ("id > $1", Arg::I(0)),
        };
        self.rows(
            format!("SELECT {COLUMNS} FROM embeddings WHERE {condition} ORDER BY from_day DESC, id DESC"),
            vec![arg],
        )
        .await
    }

    pub async fn get_embedding(&self, id: i64) -> Result<EmbeddingRow, Error> {
        self.first(format!("SELECT {COLUMNS} FROM embeddings WHERE id = $1"), vec![Arg::I(id)])
            .await?
            .ok_or_else(|| Error::not_found("The embedding"))
    }

    /// The contacts `person_id` had with people of `unit_id` from `from_day` to `until_day`.
    pub async fn contacts_with_unit(
        &self,
        person_id: i64,
        unit_id: i64,
        from_day: i64,
        until_day: i64,
    ) -> Result<ContactCount, Error> {
        Ok(self
            .first(
                "SELECT COUNT(*) AS contacts, MAX(day) AS last_day FROM contacts
                 WHERE it_id = $1 AND day >= $2 AND day <= $3 AND unit_id = $4"
                    .into(),
                vec![Arg::I(person_id), Arg::I(from_day), Arg::I(until_day), Arg::I(unit_id)],
            )
            .await?
            .unwrap_or_default())
    }
}
