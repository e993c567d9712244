//! Priority ratings and the intake settings (submission threshold, weights) that score them.

use bridge_domain::audit::{Actor, Entity};
use bridge_domain::intake::parse::{parse_currency, DEFAULT_CURRENCY};
use bridge_domain::intake::{
    validate_submit_threshold, validate_weights, IntakeSettings, PriorityInput, PriorityWeights, Status,
    DEFAULT_SUBMIT_THRESHOLD,
};
use bridge_domain::Error;

use super::ratings;
use crate::store::audit::Change;
use crate::store::{args, now_ms, tx, Db};

pub const SETTING_THRESHOLD: &str = "intake.submit_threshold";
pub const SETTING_WEIGHTS: &str = "intake.priority_weights";
pub const SETTING_CURRENCY: &str = "org.default_currency";

/// The score, recomputed in SQL from the four ratings and the weights bound as $1–$4.
const RESCORE: &str = "(CAST($1 AS DOUBLE PRECISION) * business_value + CAST($2 AS DOUBLE PRECISION) * time_criticality
    + CAST($3 AS DOUBLE PRECISION) * risk_reduction) / (CAST($4 AS DOUBLE PRECISION) * job_size)";

/// Status, title and the four ratings, as `update_priority` reads them inside its transaction.
#[derive(serde::Deserialize, sqlx::FromRow)]
struct RatingsRow {
    status: String,
    title: String,
    business_value: Option<i64>,
    time_criticality: Option<i64>,
    risk_reduction: Option<i64>,
    job_size: Option<i64>,
}

impl Db {
    pub async fn submit_threshold(&self) -> Result<u8, Error> {
        Ok(self
            .get_setting(SETTING_THRESHOLD)
            .await?
            .and_then(|v| v.parse::<i64>().ok())
            .and_then(|v| validate_submit_threshold(v).ok())
            .unwrap_or(DEFAULT_SUBMIT_THRESHOLD))
    }

    pub async fn priority_weights(&self) -> Result<PriorityWeights, Error> {
        Ok(self
            .get_setting(SETTING_WEIGHTS)
            .await?
            .and_then(|v| serde_json::from_str::<PriorityWeights>(&v).ok())
            .filter(|w| validate_weights(w).is_ok())
            .unwrap_or_default())
    }

    /// The organisation's currency for amounts typed without one.
    pub async fn default_currency(&self) -> Result<String, Error> {
        Ok(self
            .get_setting(SETTING_CURRENCY)
            .await?
            .and_then(|v| parse_currency(&v))
            .unwrap_or_else(|| DEFAULT_CURRENCY.to_string()))
    }

    pub async fn intake_settings(&self) -> Result<IntakeSettings, Error> {
        Ok(IntakeSettings {
            submit_threshold: self.submit_threshold().await?,
            weights: self.priority_weights().await?,
            default_currency: self.default_currency().await?,
        })
    }

    /// Changes the intake settings (checked by `ops::intake::save_settings`); new weights re-score
    /// every request in the same transaction.
    pub async fn set_intake_settings(&self, actor: &Actor, settings: &IntakeSettings) -> Result<(), Error> {
        let before = serde_json::to_value(self.intake_settings().await?).map_err(Error::internal)?;
        let after = serde_json::to_value(settings).map_err(Error::internal)?;
        let weights = &settings.weights;
        let weights_json = serde_json::to_string(weights).map_err(Error::internal)?;
        let values = [
            (SETTING_THRESHOLD, settings.submit_threshold.to_string()),
            (SETTING_WEIGHTS, weights_json),
            (SETTING_CURRENCY, settings.default_currency.clone()),
        ];
        tx!(self, tx => {
            for (key, value) in &values {
                tx.execute(
                    "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    &args![*key, value],
                ).await?;
            }
            tx.execute(
                &format!("UPDATE requests SET priority = {RESCORE} WHERE job_size IS NOT NULL"),
                &args![weights.business_value, weights.time_criticality, weights.risk_reduction, weights.job_size],
            ).await?;
            tx.record(&Change { actor, action: "update", entity: Entity::IntakeSettings, entity_id: None,
                summary: "Changed the intake settings".into(), before: Some(before), after: Some(after) }).await?;
            Ok(())
        })
    }

    /// Changes a request's priority ratings. `decide` gets the status and ratings as they are
    /// inside the transaction (the row is locked on PostgreSQL; SQLite has one writer), so two
    /// people saving at once each build on the other's ratings; it answers the new ratings and
    /// score, or `None` when nothing changes (then nothing is written or audited).
    pub async fn update_priority<F>(&self, actor: &Actor, id: i64, decide: F) -> Result<PriorityInput, Error>
    where
        F: FnOnce(Status, PriorityInput) -> Result<Option<(PriorityInput, Option<f64>)>, Error>,
    {
        let lock = match self {
            Db::Postgres { .. } => " FOR UPDATE",
            Db::Sqlite { .. } => "",
        };
        let sql = format!(
            "SELECT status, title, business_value, time_criticality, risk_reduction, job_size FROM requests WHERE id = $1{lock}"
        );
        tx!(self, tx => {
            let row: Option<RatingsRow> = tx.first(&sql, &args![id]).await?;
            let row = row.ok_or_else(|| Error::not_found("The request"))?;
            let current = ratings([row.business_value, row.time_criticality, row.risk_reduction, row.job_size]);
            let (status, title) = (Status::try_from(row.status).map_err(Error::internal)?, row.title);
            let Some((next, score)) = decide(status, current)? else { return Ok(current) };
            tx.execute(
                "UPDATE requests SET business_value = $1, time_criticality = $2, risk_reduction = $3, job_size = $4,
                    priority = $5, updated_at = $6 WHERE id = $7",
                &args![next.business_value, next.time_criticality, next.risk_reduction, next.job_size, score, now_ms(), id],
            ).await?;
            tx.record(&Change { actor, action: "priority", entity: Entity::Request, entity_id: Some(id),
                summary: format!("Rated the priority of {title}"),
                before: Some(serde_json::to_value(current).map_err(Error::internal)?),
                after: Some(serde_json::to_value(next).map_err(Error::internal)?) }).await?;
            Ok(next)
        })
    }
}
