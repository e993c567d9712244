//! Each unit's cadence and keepers, what the daily watch remembers telling them, and the open
//! requests its default cadence counts.

use bridge_domain::audit::{Actor, Entity};
use bridge_domain::Error;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::super::audit::Change;
use super::super::{args, now_ms, tx, Db};

/// A unit's cadence and the people who keep in touch with it, as set.
#[derive(Debug, Clone, Default, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct UnitEngagementRow {
    pub unit_id: i64,
    /// Both empty: the default from the unit's size and open requests.
    pub ideal_days: Option<i64>,
    pub max_days: Option<i64>,
    pub relationship_manager_id: Option<i64>,
    pub it_lead_id: Option<i64>,
    /// The standing its keepers were last told of.
    #[serde(skip_serializing)]
    pub told_standing: Option<String>,
    pub version: i64,
}

/// A unit's standing moving from the one its keepers were told of, and what they are told.
#[derive(Debug, Clone)]
pub struct StandingTurn {
    pub unit_id: i64,
    pub before: Option<String>,
    pub now: String,
    pub notices: Vec<super::super::notifications::Notice>,
}

#[derive(Deserialize, sqlx::FromRow)]
struct UnitCount {
    unit_id: i64,
    n: i64,
}

impl Db {
    pub async fn unit_engagement(&self) -> Result<Vec<UnitEngagementRow>, Error> {
        self.rows(
            "SELECT unit_id, ideal_days, max_days, relationship_manager_id, it_lead_id, told_standing, version
             FROM unit_engagement"
                .into(),
            vec![],
        )
        .await
    }

    /// Sets a unit's cadence and its people, against the version read (0 when none was set).
    pub async fn save_unit_engagement(&self, actor: &Actor, row: &UnitEngagementRow) -> Result<(), Error> {
        let now = now_ms();
        tx!(self, tx => {
            let changed = if row.version == 0 {
                tx.execute(
                    "INSERT INTO unit_engagement (unit_id, ideal_days, max_days, relationship_manager_id, it_lead_id, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (unit_id) DO NOTHING",
                    &args![row.unit_id, row.ideal_days, row.max_days, row.relationship_manager_id, row.it_lead_id, now],
                ).await?
            } else {
                tx.execute(
                    "UPDATE unit_engagement SET ideal_days = $1, max_days = $2, relationship_manager_id = $3, it_lead_id = $4,
                        updated_at = $5, version = version + 1 WHERE unit_id = $6 AND version = $7",
                    &args![row.ideal_days, row.max_days, row.relationship_manager_id, row.it_lead_id, now, row.unit_id, row.version],
                ).await?
            };
            if changed == 0 {
                return Err(Error::stale("unit's cadence"));
            }
            tx.record(&Change { actor, action: "cadence", entity: Entity::UnitEngagement, entity_id: Some(row.unit_id),
                summary: "Set the unit's stay-in-touch cadence".into(), before: None,
                after: Some(json!({"ideal_days": row.ideal_days, "max_days": row.max_days,
                    "relationship_manager_id": row.relationship_manager_id, "it_lead_id": row.it_lead_id})) }).await?;
            Ok(())
        })
    }

    /// Writes the watch's news: each follow-up's reminder, and each unit's new standing with
    /// what its keepers are told of it. Each is written only if no other run wrote it first (the
    /// follow-up still unreminded, the unit's standing still the one read), so a watch that runs
    /// twice at once tells nobody twice.
    pub async fn record_engagement_watch(
        &self,
        reminders: &[(i64, Vec<super::super::notifications::Notice>)],
        turns: &[StandingTurn],
    ) -> Result<(), Error> {
        let now = now_ms();
        tx!(self, tx => {
            for (id, notices) in reminders {
                let first = tx.execute("UPDATE follow_ups SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL",
                    &args![now, *id]).await?;
                if first == 1 {
                    tx.notify(now, notices).await?;
                }
            }
            for t in turns {
                let changed = match &t.before {
                    Some(before) => tx.execute(
                        "UPDATE unit_engagement SET told_standing = $1 WHERE unit_id = $2 AND told_standing = $3",
                        &args![t.now.as_str(), t.unit_id, before.as_str()]).await?,
                    None => {
                        let set = tx.execute(
                            "UPDATE unit_engagement SET told_standing = $1 WHERE unit_id = $2 AND told_standing IS NULL",
                            &args![t.now.as_str(), t.unit_id]).await?;
                        if set == 0 {
                            tx.execute(
                                "INSERT INTO unit_engagement (unit_id, told_standing, updated_at) VALUES ($1, $2, $3)
                                 ON CONFLICT (unit_id) DO NOTHING",
                                &args![t.unit_id, t.now.as_str(), now]).await?
                        } else {
                            set
                        }
                    }
                };
                if changed == 1 {
                    tx.notify(now, &t.notices).await?;
                }
            }
            Ok(())
        })
    }

    /// How many requests each business unit has in one of `statuses`.
    pub async fn requests_by_unit(&self, statuses: &[bridge_domain::intake::Status]) -> Result<Vec<(i64, i64)>, Error> {
        let rows: Vec<UnitCount> = self
            .rows(
                format!(
                    "SELECT unit_id, COUNT(*) AS n FROM requests WHERE unit_id IS NOT NULL AND status IN {}
                     GROUP BY unit_id",
                    super::super::intake::queue::status_list(statuses)
                ),
                vec![],
            )
            .await?;
        Ok(rows.into_iter().map(|r| (r.unit_id, r.n)).collect())
    }
}
