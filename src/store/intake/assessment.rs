//! IT's assessment of a request, one per request, with optimistic versions.

use bridge_domain::audit::{Actor, Entity};
use bridge_domain::intake::{Assessment, AssessmentInput};
use bridge_domain::Error;

use super::StoredAssessment;
use crate::store::audit::Change;
use crate::store::notifications::Notice;
use crate::store::{args, db_err, now_ms, tx, Arg, Db};

/// An assessment to save, as `ops::intake` decided it.
pub struct AssessmentSave<'a> {
    /// The version read; 0 for a first assessment.
    pub version: i64,
    pub input: &'a AssessmentInput,
    pub assessment: &'a Assessment,
    pub notices: Vec<Notice>,
    /// The audit log's line.
    pub summary: String,
}

impl Db {
    pub async fn get_assessment(&self, id: i64) -> Result<Option<StoredAssessment>, Error> {
        let sql = "SELECT input, body, author_name, updated_at, version FROM assessments WHERE request_id = $1";
        let row: Option<(String, String, String, i64, i64)> = self.first(sql.into(), vec![Arg::I(id)]).await?;
        row.map(|(input, body, author_name, updated_at, version)| {
            Ok(StoredAssessment {
                input: serde_json::from_str(&input).map_err(Error::internal)?,
                assessment: serde_json::from_str(&body).map_err(Error::internal)?,
                author_name,
                updated_at,
                version,
            })
        })
        .transpose()
    }

    /// Saves IT's assessment against the version read (0 when there was none; stale otherwise),
    /// with its notifications, and returns the new version.
    pub async fn save_assessment(&self, actor: &Actor, id: i64, save: &AssessmentSave<'_>) -> Result<i64, Error> {
        let (version, input, a) = (save.version, save.input, save.assessment);
        let input_json = serde_json::to_string(input).map_err(Error::internal)?;
        let body = serde_json::to_string(a).map_err(Error::internal)?;
        let now = now_ms();
        tx!(self, tx => {
            let new_version = if version == 0 {
                tx.execute(
                    "INSERT INTO assessments (request_id, input, body, author_name, updated_at, version)
                     VALUES ($1, $2, $3, $4, $5, 1)",
                    &args![id, &input_json, &body, &actor.name, now],
                ).await.map_err(|e| if e.is_unique_violation() { Error::stale("assessment") } else { db_err(e) })?;
                1
            } else {
                let done = tx.execute(
                    "UPDATE assessments SET input = $1, body = $2, author_name = $3, updated_at = $4,
                        version = version + 1 WHERE request_id = $5 AND version = $6",
                    &args![&input_json, &body, &actor.name, now, id, version],
                ).await?;
                if done == 0 {
                    return Err(Error::stale("assessment"));
                }
                version + 1
            };
            tx.execute("UPDATE requests SET updated_at = $1 WHERE id = $2", &args![now, id]).await?;
            tx.notify(now, &save.notices).await?;
            tx.record(&Change { actor, action: "assess", entity: Entity::Request, entity_id: Some(id),
                summary: save.summary.clone(), before: None,
                after: Some(serde_json::to_value(a).map_err(Error::internal)?) }).await?;
            Ok(new_version)
        })
    }
}
