//! Requests written with their whole history as given: demo data, benchmark data, imports.

use bridge_domain::audit::{Actor, Entity};
use bridge_domain::intake::{clarity, ActionKind, Assessment, AssessmentInput, PriorityInput, Status, ValidRequest};
use bridge_domain::Error;
use serde_json::json;

use crate::store::audit::Change;
use crate::store::comments::Subject;
use crate::store::{args, tx, Db, Tx};

/// A step in a seeded request's history.
#[derive(Debug, Clone)]
pub struct SeedEvent {
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: ActionKind,
    pub from: Status,
    pub to: Status,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct SeedComment {
    pub at: i64,
    pub author_id: Option<i64>,
    pub author_name: String,
    pub author_side: String,
    pub body: String,
}

/// A request with its whole history, written as is (demo data, benchmark data, imports).
#[derive(Debug, Clone)]
pub struct SeedRequest {
    pub body: ValidRequest,
    pub status: Status,
    pub author_id: Option<i64>,
    pub source: String,
    /// The other tool's key when imported ("jira:SHOP-12"): a later import of it updates or skips.
    pub external_key: Option<String>,
    pub priority: PriorityInput,
    pub created_at: i64,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    pub first_response_at: Option<i64>,
    pub decided_at: Option<i64>,
    pub events: Vec<SeedEvent>,
    pub comments: Vec<SeedComment>,
    pub assessment: Option<(AssessmentInput, Assessment, String, i64)>,
}

impl SeedRequest {
    pub fn draft(body: ValidRequest, author_id: Option<i64>, at: i64) -> SeedRequest {
        SeedRequest {
            body,
            status: Status::Draft,
            author_id,
            source: String::new(),
            external_key: None,
            priority: PriorityInput::default(),
            created_at: at,
            updated_at: at,
            submitted_at: None,
            first_response_at: None,
            decided_at: None,
            events: Vec::new(),
            comments: Vec::new(),
            assessment: None,
        }
    }
}

impl Db {
    /// Writes prepared requests (demo data, generated benchmark data, imports) with their full
    /// history, in batches of one transaction each. Returns the new ids.
    pub async fn seed_requests(&self, actor: &Actor, seeds: &[SeedRequest]) -> Result<Vec<i64>, Error> {
        let weights = self.priority_weights().await?;
        let mut ids = Vec::with_capacity(seeds.len());
        for chunk in seeds.chunks(5_000) {
            let chunk_ids: Vec<i64> = tx!(self, tx => {
                let mut out = Vec::with_capacity(chunk.len());
                for s in chunk {
                    out.push(tx.seed_request(s, &weights, None).await?);
                }
                tx.remember_words(&seed_texts(chunk)).await?;
                tx.record(&Change { actor, action: "import", entity: Entity::Request, entity_id: None,
                    summary: format!("Added {} requests", chunk.len()), before: None,
                    after: Some(json!({"first_id": out.first(), "last_id": out.last()})) }).await?;
                Ok(out)
            })?;
            ids.extend(chunk_ids);
        }
        Ok(ids)
    }
}

/// The texts of prepared requests that searches read, for the vocabulary (`store::search`).
pub(in crate::store) fn seed_texts(seeds: &[SeedRequest]) -> Vec<&str> {
    seeds.iter().flat_map(|s| [s.body.title.as_str(), s.body.problem.as_str()]).collect()
}

impl Tx<'_> {
    /// Writes one prepared request with its history (made by import `import_id`, if any).
    pub(in crate::store) async fn seed_request(
        &mut self,
        s: &SeedRequest,
        weights: &bridge_domain::intake::PriorityWeights,
        import_id: Option<i64>,
    ) -> Result<i64, Error> {
        let tx = self;
        let score = bridge_domain::intake::priority::score(&s.priority, weights);
        let body = serde_json::to_string(&s.body).map_err(Error::internal)?;
        let p = &s.priority;
        let id = tx
            .number(
                "INSERT INTO requests (title, problem, status, unit_id, sponsor_id, author_id, clarity,
                business_value, time_criticality, risk_reduction, job_size, priority, body, source,
                created_at, updated_at, submitted_at, first_response_at, decided_at, external_key, import_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
                $20, $21)
             RETURNING id",
                &args![
                    &s.body.title,
                    &s.body.problem,
                    s.status.as_str(),
                    s.body.business_unit_id,
                    s.body.sponsor_id,
                    s.author_id,
                    i64::from(clarity(&s.body).score),
                    p.business_value,
                    p.time_criticality,
                    p.risk_reduction,
                    p.job_size,
                    score,
                    &body,
                    &s.source,
                    s.created_at,
                    s.updated_at,
                    s.submitted_at,
                    s.first_response_at,
                    s.decided_at,
                    s.external_key.clone(),
                    import_id
                ],
            )
            .await?;
        for e in &s.events {
            tx.execute(
                "INSERT INTO request_events (request_id, at, actor_id, actor_name, action, from_status, to_status, reason)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                &args![id, e.at, e.actor_id, &e.actor_name, e.action.as_str(), e.from.as_str(), e.to.as_str(),
                    &e.reason],
            ).await?;
        }
        for c in &s.comments {
            tx.execute(
                "INSERT INTO comments (subject, subject_id, at, author_id, author_name, author_side, body)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &args![Subject::Request.as_str(), id, c.at, c.author_id, &c.author_name, &c.author_side, &c.body],
            )
            .await?;
        }
        if let Some((input, a, by, at)) = &s.assessment {
            tx.execute(
                "INSERT INTO assessments (request_id, input, body, author_name, updated_at, version)
                 VALUES ($1, $2, $3, $4, $5, 1)",
                &args![
                    id,
                    serde_json::to_string(input).map_err(Error::internal)?,
                    serde_json::to_string(a).map_err(Error::internal)?,
                    by,
                    *at
                ],
            )
            .await?;
        }
        Ok(id)
    }
}
