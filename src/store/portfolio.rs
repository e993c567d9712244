//! The reads behind the value portfolio (`ops::value::portfolio`): every initiative with what it
//! cost, every target, each KPI's latest value. A handful of queries whose cost follows the
//! number of initiatives and KPIs, never the number of measurements.

use bridge_domain::Error;
use serde::Deserialize;

use super::value::TargetRow;
use super::{Arg, Db};

/// A request that is, or was, an initiative: approved and on from there, or carrying targets.
#[derive(Debug, Clone, Deserialize, sqlx::FromRow)]
pub struct InitiativeRow {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub unit_id: Option<i64>,
    pub sponsor_id: Option<i64>,
    /// The request as JSON (`ValidRequest`): its success metrics and budget.
    pub body: String,
    /// The IT assessment as JSON (`Assessment`), when there is one: the costs.
    pub assessment: Option<String>,
    /// When it was last delivered (epoch ms).
    pub delivered_at: Option<i64>,
    pub decided_at: Option<i64>,
    /// Its IT champion.
    pub champion_id: Option<i64>,
    pub owner_id: Option<i64>,
}

/// A KPI's latest current measurement.
#[derive(Debug, Clone, Copy, Deserialize, sqlx::FromRow)]
pub struct LatestOfKpi {
    pub kpi_id: i64,
    pub day: i64,
    pub value: f64,
}

/// The count and sum of a KPI's current measurements from a day on.
#[derive(Debug, Clone, Copy, Default, Deserialize, sqlx::FromRow)]
pub struct Tally {
    pub count: i64,
    pub sum: Option<f64>,
}

impl Db {
    pub async fn initiative_rows(&self) -> Result<Vec<InitiativeRow>, Error> {
        self.rows(
            "SELECT r.id, r.title, r.status, r.unit_id, r.sponsor_id, r.body, a.body AS assessment, r.decided_at,
                (SELECT max(e.at) FROM request_events e WHERE e.request_id = r.id AND e.to_status = 'delivered')
                    AS delivered_at, i.champion_id, r.owner_id
             FROM requests r LEFT JOIN assessments a ON a.request_id = r.id
                LEFT JOIN initiatives i ON i.request_id = r.id
             WHERE r.status IN ('approved', 'in_delivery', 'delivered', 'value_review')
                OR EXISTS (SELECT 1 FROM value_targets t WHERE t.request_id = r.id)
             ORDER BY r.id"
                .into(),
            vec![],
        )
        .await
    }

    pub async fn all_targets(&self) -> Result<Vec<TargetRow>, Error> {
        self.rows(
            "SELECT id, kpi_id, request_id, metric, body, created_at, version FROM value_targets ORDER BY id".into(),
            vec![],
        )
        .await
    }

    /// Each KPI's latest current measurement: one look into the (kpi, day) index per KPI.
    pub async fn latest_of_kpis(&self) -> Result<Vec<LatestOfKpi>, Error> {
        self.rows(
            "SELECT m.kpi_id, m.day, m.value FROM kpi_measurements m WHERE m.id IN (
                SELECT (SELECT l.id FROM kpi_measurements l WHERE l.kpi_id = k.id AND l.replaced_at IS NULL
                        ORDER BY l.day DESC LIMIT 1)
                FROM kpis k)"
                .into(),
            vec![],
        )
        .await
    }

    /// How many current measurements a KPI has from `from` (days since 1970) on, and their sum.
    pub async fn tally_measurements(&self, kpi_id: i64, from: i64) -> Result<Tally, Error> {
        Ok(self
            .first(
                "SELECT count(*) AS count, sum(value) AS sum FROM kpi_measurements
                 WHERE kpi_id = $1 AND day >= $2 AND replaced_at IS NULL"
                    .into(),
                vec![Arg::I(kpi_id), Arg::I(from)],
            )
            .await?
            .unwrap_or_default())
    }
}
