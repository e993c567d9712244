//! KPIs and their measurements (`bridge_domain::value`). A day has one current measurement: a
//! second value for it is written only as an explicit correction, which keeps the first as
//! history; a value sent again under the sender's own key changes nothing.

use std::collections::{HashMap, HashSet};

use bridge_domain::audit::{Actor, Entity};
use bridge_domain::intake::parse::Date;
use bridge_domain::value::Kpi;
use bridge_domain::Error;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::audit::Change;
use super::{args, id_list, now_ms, tx, unique_as, Arg, Db, Id};

/// A KPI as stored.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct KpiRow {
    pub id: i64,
    pub name: String,
    pub definition: String,
    /// money, percent, count, duration, score or yes_no
    pub unit: String,
    pub currency: Option<String>,
    pub benefit: String,
    /// higher, lower or band
    pub direction: String,
    pub unit_id: Option<i64>,
    pub frequency: String,
    pub source: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
}

impl KpiRow {
    /// The KPI's checked form, for the rules (a stored row was checked when written).
    pub fn kpi(&self) -> Result<Kpi, Error> {
        bridge_domain::value::validate_kpi(&bridge_domain::value::KpiInput {
            name: self.name.clone(),
            definition: self.definition.clone(),
            unit: self.unit.clone(),
            currency: self.currency.clone().unwrap_or_default(),
            benefit: self.benefit.clone(),
            direction: self.direction.clone(),
            unit_id: self.unit_id,
            frequency: self.frequency.clone(),
            source: self.source.clone(),
        })
    }
}

const KPI_COLUMNS: &str = "id, name, definition, unit, currency, benefit, direction, unit_id, frequency, source, \
    created_at, updated_at, version";

/// A measurement as stored. `replaced_at` is set on one a correction replaced.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow)]
pub struct MeasurementRow {
    pub id: i64,
    /// Days since 1970-01-01.
    pub day: i64,
    pub value: f64,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: i64,
    pub sender_key: Option<String>,
    pub replaced_at: Option<i64>,
}

/// A checked measurement to write.
pub struct NewMeasurement {
    pub date: Date,
    pub value: f64,
    pub note: String,
    pub sender_key: Option<String>,
    /// It may replace the value the day already has.
    pub correction: bool,
}

/// What writing a batch of measurements did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MeasurementsWritten {
    pub added: usize,
    pub corrected: usize,
    /// Sent before under the same key, or a correction to the value the day already has.
    pub unchanged: usize,
}

#[derive(Deserialize, sqlx::FromRow)]
struct Current {
    id: i64,
    day: i64,
    value: f64,
    sender_key: Option<String>,
}

impl Db {
    pub async fn list_kpis(&self) -> Result<Vec<KpiRow>, Error> {
        self.rows(format!("SELECT {KPI_COLUMNS} FROM kpis ORDER BY lower(name), id"), vec![]).await
    }

    pub async fn get_kpi(&self, id: i64) -> Result<KpiRow, Error> {
        self.first(format!("SELECT {KPI_COLUMNS} FROM kpis WHERE id = $1"), vec![Arg::I(id)])
            .await?
            .ok_or_else(|| Error::not_found("The KPI"))
    }

    pub async fn create_kpi(&self, actor: &Actor, k: &Kpi) -> Result<i64, Error> {
        let now = now_ms();
        tx!(self, tx => {
            let id = tx.number(
                "INSERT INTO kpis (name, definition, unit, currency, benefit, direction, unit_id, frequency, source,
                    created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
                &args![&k.name, &k.definition, k.unit.as_str(), k.currency.clone(), &k.benefit, k.direction.as_str(),
                    k.unit_id, &k.frequency, &k.source, now],
            ).await.map_err(unique_as("name", format!("A KPI called {} exists already.", k.name)))?;
            tx.record(&Change { actor, action: "create", entity: Entity::Kpi, entity_id: Some(id),
                summary: format!("Added the KPI {}", k.name), before: None, after: Some(json!(k)) }).await?;
            Ok(id)
        })
    }

    pub async fn update_kpi(&self, actor: &Actor, id: i64, version: i64, k: &Kpi) -> Result<(), Error> {
        let before = self.get_kpi(id).await?;
        tx!(self, tx => {
            let done = tx.execute(
                "UPDATE kpis SET name = $1, definition = $2, unit = $3, currency = $4, benefit = $5, direction = $6,
                    unit_id = $7, frequency = $8, source = $9, updated_at = $10, version = version + 1
                 WHERE id = $11 AND version = $12",
                &args![&k.name, &k.definition, k.unit.as_str(), k.currency.clone(), &k.benefit, k.direction.as_str(),
                    k.unit_id, &k.frequency, &k.source, now_ms(), id, version],
            ).await.map_err(unique_as("name", format!("A KPI called {} exists already.", k.name)))?;
            if done == 0 {
                return Err(Error::stale("KPI"));
            }
            tx.record(&Change { actor, action: "update", entity: Entity::Kpi, entity_id: Some(id),
                summary: format!("Changed the KPI {}", k.name), before: Some(json!(before)), after: Some(json!(k)) }).await?;
            Ok(())
        })
    }

    /// The KPI's measurements from `from` to `to` (days since 1970, inclusive), oldest first;
    /// with `history`, the replaced ones too.
    pub async fn list_measurements(
        &self,
        kpi_id: i64,
        from: i64,
        to: i64,
        history: bool,
    ) -> Result<Vec<MeasurementRow>, Error> {
        let current = if history { "" } else { " AND replaced_at IS NULL" };
        self.rows(
            format!(
                "SELECT id, day, value, note, recorded_by, recorded_at, sender_key, replaced_at FROM kpi_measurements
                 WHERE kpi_id = $1 AND day BETWEEN $2 AND $3{current} ORDER BY day, id"
            ),
            vec![Arg::I(kpi_id), Arg::I(from), Arg::I(to)],
        )
        .await
    }

    /// Writes batches of measurements (each for one KPI) in one transaction: all, or — when any
    /// is refused — none, with every refusal. A day that has a value takes another only as a
    /// correction, which keeps the earlier one as history; a value whose sender key was seen
    /// before changes nothing. Reads what each KPI has for the batch's days and keys once, then
    /// writes the rows with `Tx::insert_many`.
    pub async fn add_measurements(
        &self,
        actor: &Actor,
        batches: &[(&KpiRow, &[NewMeasurement])],
    ) -> Result<Result<MeasurementsWritten, Vec<Refusal>>, Error> {
        let now = now_ms();
        // PostgreSQL keeps no foreign key from measurements to KPIs (migration 0023: checking it
        // row by row was half of a large import); this lock keeps the KPIs from going away
        // until the measurements are in, once per KPI. SQLite checks its foreign key cheaply.
        let lock_kpis = match self {
            Db::Postgres { .. } => Some(format!(
                "SELECT id FROM kpis WHERE id IN ({}) FOR KEY SHARE",
                id_list(batches.iter().map(|(kpi, _)| &kpi.id))
            )),
            Db::Sqlite { .. } => None,
        };
        tx!(self, tx => {
            if let Some(sql) = &lock_kpis {
                let found: Vec<Id> = tx.rows(sql, &[]).await?;
                if found.len() < batches.iter().map(|(kpi, _)| kpi.id).collect::<HashSet<_>>().len() {
                    return Err(Error::not_found("The KPI"));
                }
            }
            let mut written = MeasurementsWritten::default();
            let mut refusals = Vec::new();
            let mut plans = Vec::with_capacity(batches.len());
            for (b, (kpi, items)) in batches.iter().enumerate() {
                let Some((first, last)) = day_span(items) else { continue };
                let current: Vec<Current> = tx.rows(
                    "SELECT id, day, value, sender_key FROM kpi_measurements
                     WHERE kpi_id = $1 AND day BETWEEN $2 AND $3 AND replaced_at IS NULL",
                    &args![kpi.id, first, last],
                ).await?;
                let keys: HashSet<String> = if items.iter().any(|m| m.sender_key.is_some()) {
                    let rows: Vec<Key> = tx.rows(
                        "SELECT sender_key FROM kpi_measurements WHERE kpi_id = $1 AND sender_key IS NOT NULL",
                        &args![kpi.id],
                    ).await?;
                    rows.into_iter().filter_map(|k| k.sender_key).collect()
                } else {
                    HashSet::new()
                };
                let plan = plan_batch(b, items, current, keys, &mut refusals);
                written.added += plan.added;
                written.corrected += plan.corrected;
                written.unchanged += plan.unchanged;
                plans.push((*kpi, plan));
            }
            if !refusals.is_empty() {
                return Ok(Err(refusals));
            }
            let replaced: Vec<i64> = plans.iter().flat_map(|(_, plan)| plan.replaced.iter().copied()).collect();
            for chunk in replaced.chunks(500) {
                tx.execute(&format!("UPDATE kpi_measurements SET replaced_at = $1 WHERE id IN ({})", id_list(chunk)),
                    &args![now]).await?;
            }
            // All batches' rows in one bulk insert (one COPY on PostgreSQL).
            let rows: Vec<Vec<Arg>> = plans.iter().flat_map(|(kpi, plan)| plan.inserts.iter().map(|(m, replaced)| vec![
                Arg::I(kpi.id), Arg::I(m.date.days()), Arg::F(m.value), Arg::S(m.note.clone()),
                Arg::S(actor.name.clone()), Arg::I(now), Arg::from(m.sender_key.clone()),
                Arg::from(replaced.then_some(now)),
            ])).collect();
            tx.insert_many("kpi_measurements", &["kpi_id", "day", "value", "note", "recorded_by", "recorded_at",
                "sender_key", "replaced_at"], &rows).await?;
            for (kpi, plan) in &plans {
                let (added, corrected) = (plan.added, plan.corrected);
                if added + corrected > 0 {
                    tx.record(&Change { actor, action: "measure", entity: Entity::Kpi, entity_id: Some(kpi.id),
                        summary: format!("Recorded {} measurements of {} ({corrected} corrections)", added + corrected, kpi.name),
                        before: None, after: Some(json!({"added": added, "corrected": corrected})) }).await?;
                }
            }
            Ok(Ok(written))
        })
    }
}

/// Why a measurement was refused: its batch and place in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub batch: usize,
    pub item: usize,
    pub reason: String,
}

#[derive(Deserialize, sqlx::FromRow)]
struct Key {
    sender_key: Option<String>,
}

/// What a batch will write.
#[derive(Default)]
struct Plan<'a> {
    /// New rows, each with whether a later row of the batch replaces it.
    inserts: Vec<(&'a NewMeasurement, bool)>,
    /// Current rows a correction replaces.
    replaced: Vec<i64>,
    added: usize,
    corrected: usize,
    unchanged: usize,
}

fn day_span(items: &[NewMeasurement]) -> Option<(i64, i64)> {
    let days = items.iter().map(|m| m.date.days());
    Some((days.clone().min()?, days.max()?))
}

/// Decides, item by item in order, what a batch adds, corrects and leaves, against the current
/// values of its days and the sender keys seen before.
fn plan_batch<'a>(
    batch: usize,
    items: &'a [NewMeasurement],
    current: Vec<Current>,
    mut keys: HashSet<String>,
    refusals: &mut Vec<Refusal>,
) -> Plan<'a> {
    enum Slot {
        Stored {
            id: i64,
            value: f64,
            key: Option<String>,
        },
        /// Written earlier in this batch: the index in `inserts`.
        New(usize),
    }
    let mut days: HashMap<i64, Slot> =
        current.into_iter().map(|c| (c.day, Slot::Stored { id: c.id, value: c.value, key: c.sender_key })).collect();
    let mut plan = Plan::default();
    for (i, m) in items.iter().enumerate() {
        if let Some(key) = &m.sender_key {
            if !keys.insert(key.clone()) {
                plan.unchanged += 1;
                continue;
            }
        }
        let day = m.date.days();
        let (value, key) = match days.get(&day) {
            None => {
                days.insert(day, Slot::New(plan.inserts.len()));
                plan.inserts.push((m, false));
                plan.added += 1;
                continue;
            }
            Some(Slot::Stored { value, key, .. }) => (*value, key.clone()),
            Some(Slot::New(at)) => (plan.inserts[*at].0.value, plan.inserts[*at].0.sender_key.clone()),
        };
        if !m.correction {
            refusals.push(Refusal {
                batch,
                item: i,
                reason: format!(
                    "{} already has a value ({}): send it as a correction to replace it.",
                    m.date,
                    bridge_domain::intake::parse::format_number(value)
                ),
            });
            continue;
        }
        if value == m.value && key == m.sender_key {
            plan.unchanged += 1;
            continue;
        }
        match days.insert(day, Slot::New(plan.inserts.len())) {
            Some(Slot::Stored { id, .. }) => plan.replaced.push(id),
            Some(Slot::New(at)) => plan.inserts[at].1 = true,
            None => {}
        }
        plan.inserts.push((m, false));
        plan.corrected += 1;
    }
    plan
}

/// A target as stored: its checked form is `body`.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow)]
pub struct TargetRow {
    pub id: i64,
    pub kpi_id: i64,
    pub request_id: Option<i64>,
    pub metric: String,
    pub body: String,
    pub created_at: i64,
    pub version: i64,
}

impl TargetRow {
    pub fn target(&self) -> Result<bridge_domain::value::ValidTarget, Error> {
        serde_json::from_str(&self.body).map_err(Error::internal)
    }
}

/// The latest current measurement of a KPI on or after a day: (day, value).
#[derive(Debug, Clone, Copy, Deserialize, sqlx::FromRow)]
pub struct Latest {
    pub day: i64,
    pub value: f64,
}

const TARGET_COLUMNS: &str = "id, kpi_id, request_id, metric, body, created_at, version";

impl Db {
    /// Sets a target on a KPI, for a request's success metric or by hand. A request's metric has
    /// one target: a second → 409.
    pub async fn create_target(
        &self,
        actor: &Actor,
        kpi: &KpiRow,
        request_id: Option<i64>,
        t: &bridge_domain::value::ValidTarget,
    ) -> Result<i64, Error> {
        let ids = self.create_targets(actor, request_id, &[(kpi, t.clone())]).await?;
        ids.first().copied().ok_or_else(|| Error::internal("no target was written"))
    }

    /// Sets targets on KPIs, all or none: a request's success metric has one target at most.
    pub async fn create_targets(
        &self,
        actor: &Actor,
        request_id: Option<i64>,
        targets: &[(&KpiRow, bridge_domain::value::ValidTarget)],
    ) -> Result<Vec<i64>, Error> {
        let now = now_ms();
        tx!(self, tx => {
            let mut ids = Vec::with_capacity(targets.len());
            for (kpi, t) in targets {
                let body = serde_json::to_string(t).map_err(Error::internal)?;
                let id = tx.number(
                    "INSERT INTO value_targets (kpi_id, request_id, metric, body, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
                    &args![kpi.id, request_id, &t.metric, &body, now],
                ).await.map_err(unique_as("metric", format!("The success metric “{}” has a target already.", t.metric)))?;
                tx.record(&Change { actor, action: "target", entity: Entity::Kpi, entity_id: Some(kpi.id),
                    summary: format!("Set a target on {}", kpi.name), before: None,
                    after: Some(json!({"target_id": id, "request_id": request_id, "target": t})) }).await?;
                ids.push(id);
            }
            Ok(ids)
        })
    }

    pub async fn get_target(&self, id: i64) -> Result<TargetRow, Error> {
        let sql = format!("SELECT {TARGET_COLUMNS} FROM value_targets WHERE id = $1");
        self.first(sql, vec![Arg::I(id)]).await?.ok_or_else(|| Error::not_found("The target"))
    }

    /// Replaces the values planned by hand for a target's quarters.
    pub async fn set_target_plan(
        &self,
        actor: &Actor,
        row: &TargetRow,
        plan: &bridge_domain::value::QuarterPlan,
    ) -> Result<(), Error> {
        let mut target = row.target()?;
        let before = std::mem::replace(&mut target.planned, plan.clone());
        let body = serde_json::to_string(&target).map_err(Error::internal)?;
        tx!(self, tx => {
            tx.execute("UPDATE value_targets SET body = $1, updated_at = $2, version = version + 1 WHERE id = $3",
                &args![&body, now_ms(), row.id]).await?;
            tx.record(&Change { actor, action: "plan", entity: Entity::Kpi, entity_id: Some(row.kpi_id),
                summary: format!("Planned “{}” by quarter", row.metric),
                before: Some(json!({"target_id": row.id, "planned": before})),
                after: Some(json!({"target_id": row.id, "planned": plan})) }).await?;
            Ok(())
        })
    }

    /// Targets on a KPI, or of a request, oldest first.
    pub async fn list_targets(&self, kpi_id: Option<i64>, request_id: Option<i64>) -> Result<Vec<TargetRow>, Error> {
        let (column, id) = match (kpi_id, request_id) {
            (Some(k), _) => ("kpi_id", k),
            (None, Some(r)) => ("request_id", r),
            (None, None) => return Ok(vec![]),
        };
        self.rows(
            format!("SELECT {TARGET_COLUMNS} FROM value_targets WHERE {column} = $1 ORDER BY id"),
            vec![Arg::I(id)],
        )
        .await
    }

    /// The KPI's latest current value on or after `from` (days since 1970).
    pub async fn latest_measurement(&self, kpi_id: i64, from: i64) -> Result<Option<Latest>, Error> {
        self.first(
            "SELECT day, value FROM kpi_measurements WHERE kpi_id = $1 AND day >= $2 AND replaced_at IS NULL
             ORDER BY day DESC LIMIT 1"
                .into(),
            vec![Arg::I(kpi_id), Arg::I(from)],
        )
        .await
    }
}
