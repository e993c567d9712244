//! Requests: reading one whole, checking the people and unit it names, creating and saving.

use std::collections::{BTreeSet, HashMap};

use bridge_domain::audit::{Actor, Entity};
use bridge_domain::intake::{clarity, Status, ValidRequest};
use bridge_domain::org::Side;
use bridge_domain::Error;
use serde_json::json;

use super::{PersonBrief, Request, RequestRow, Revision, SUMMARY_COLUMNS, SUMMARY_FROM, SUMMARY_NAMES};
use crate::store::audit::Change;
use crate::store::{args, now_ms, tx, Arg, Db};

#[derive(serde::Deserialize, sqlx::FromRow)]
struct PersonSide {
    id: i64,
    side: String,
}

/// A person's or a unit's id and name.
#[derive(serde::Deserialize, sqlx::FromRow)]
struct IdName {
    id: i64,
    name: String,
}

/// A save of a request as `ops::intake` decided it.
pub struct RequestUpdate<'a> {
    /// The version the change was made against.
    pub version: i64,
    pub before: &'a ValidRequest,
    pub after: &'a ValidRequest,
    /// The revision line ("Changed the title"), when the change is kept as one.
    pub revision: Option<String>,
    /// The audit log's line.
    pub summary: String,
}

impl Db {
    pub async fn get_request(&self, id: i64) -> Result<Request, Error> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}, {SUMMARY_NAMES}, r.author_id, a.name AS author_name, r.body, r.problem, r.source,
                r.first_response_at, r.decided_at, r.duplicate_of{SUMMARY_FROM}
             LEFT JOIN people a ON a.id = r.author_id WHERE r.id = $1"
        );
        let row: RequestRow =
            self.first(sql, vec![Arg::I(id)]).await?.ok_or_else(|| Error::not_found("The request"))?;
        let mut body: ValidRequest = serde_json::from_str(&row.body).map_err(Error::internal)?;
        body.title = row.summary.title.clone();
        body.problem = row.problem;
        Ok(Request {
            summary: row.summary,
            author_id: row.author_id,
            author_name: row.author_name,
            source: row.source,
            first_response_at: row.first_response_at,
            decided_at: row.decided_at,
            duplicate_of: row.duplicate_of,
            body,
        })
    }

    /// Closes a request as the same as `of` (from whatever open state it was in), with its event
    /// and the notices to both authors.
    pub async fn mark_duplicate(
        &self,
        actor: &Actor,
        id: i64,
        of: i64,
        from: Status,
        reason: &str,
        notices: &[crate::store::notifications::Notice],
    ) -> Result<(), Error> {
        let now = now_ms();
        tx!(self, tx => {
            let done = tx.execute(
                "UPDATE requests SET status = 'closed', duplicate_of = $1, updated_at = $2, version = version + 1
                 WHERE id = $3 AND status = $4",
                &args![of, now, id, from.as_str()],
            ).await?;
            if done == 0 {
                return Err(Error::stale("request"));
            }
            tx.execute(
                "INSERT INTO request_events (request_id, at, actor_id, actor_name, action, from_status, to_status, reason)
                 VALUES ($1, $2, $3, $4, 'close', $5, 'closed', $6)",
                &args![id, now, actor.account_id, &actor.name, from.as_str(), reason],
            ).await?;
            tx.notify(now, notices).await?;
            tx.record(&Change { actor, action: "duplicate", entity: Entity::Request, entity_id: Some(id),
                summary: reason.to_string(), before: Some(json!({"status": from.as_str()})),
                after: Some(json!({"status": "closed", "duplicate_of": of})) }).await?;
            Ok(())
        })
    }

    /// The side of each of these people that is in the directory: what a request's references
    /// are checked against (`domain::intake::check_references`).
    pub async fn sides_of(&self, ids: &BTreeSet<i64>) -> Result<HashMap<i64, Side>, Error> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let list = crate::store::id_list(ids);
        let rows: Vec<PersonSide> =
            self.rows(format!("SELECT id, side FROM people WHERE id IN ({list})"), vec![]).await?;
        rows.into_iter().map(|p| Ok((p.id, Side::try_from(p.side).map_err(Error::internal)?))).collect()
    }

    /// The names of these people, archived or not.
    pub async fn names_of(&self, ids: &BTreeSet<i64>) -> Result<HashMap<i64, String>, Error> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let list = crate::store::id_list(ids);
        let rows: Vec<IdName> = self.rows(format!("SELECT id, name FROM people WHERE id IN ({list})"), vec![]).await?;
        Ok(rows.into_iter().map(|p| (p.id, p.name)).collect())
    }

    pub async fn unit_exists(&self, id: i64) -> Result<bool, Error> {
        Ok(self.count("SELECT COUNT(*) FROM units WHERE id = $1".into(), vec![Arg::I(id)]).await? > 0)
    }

    /// Creates a draft. `author_id` is the person who wrote it; `summary` is the audit log's line.
    pub async fn create_request(
        &self,
        actor: &Actor,
        author_id: Option<i64>,
        r: &ValidRequest,
        source: &str,
        summary: String,
    ) -> Result<i64, Error> {
        let score = i64::from(clarity(r).score);
        let body = serde_json::to_string(r).map_err(Error::internal)?;
        let now = now_ms();
        tx!(self, tx => {
            let id = tx.number(
                "INSERT INTO requests (title, problem, status, unit_id, sponsor_id, author_id, clarity, body, source,
                    created_at, updated_at) VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
                &args![&r.title, &r.problem, r.business_unit_id, r.sponsor_id, author_id, score, &body, source, now],
            ).await?;
            tx.remember_words(&[&r.title, &r.problem]).await?;
            tx.record(&Change { actor, action: "create", entity: Entity::Request, entity_id: Some(id),
                summary, before: None,
                after: Some(serde_json::to_value(r).map_err(Error::internal)?) }).await?;
            Ok(id)
        })
    }

    /// Saves a new version of a request against the version it was read at (stale otherwise),
    /// with its revision line when `ops` keeps one.
    pub async fn update_request(&self, actor: &Actor, id: i64, u: &RequestUpdate<'_>) -> Result<(), Error> {
        let r = u.after;
        let score = i64::from(clarity(r).score);
        let body = serde_json::to_string(r).map_err(Error::internal)?;
        let before_json = serde_json::to_value(u.before).map_err(Error::internal)?;
        let after_json = serde_json::to_value(r).map_err(Error::internal)?;
        let now = now_ms();
        tx!(self, tx => {
            let done = tx.execute(
                "UPDATE requests SET title = $1, problem = $2, unit_id = $3, sponsor_id = $4, clarity = $5, body = $6,
                    updated_at = $7, version = version + 1 WHERE id = $8 AND version = $9",
                &args![&r.title, &r.problem, r.business_unit_id, r.sponsor_id, score, &body, now, id, u.version],
            ).await?;
            if done == 0 {
                return Err(Error::stale("request"));
            }
            tx.remember_words(&[&r.title, &r.problem]).await?;
            if let Some(summary) = &u.revision {
                tx.execute(
                    "INSERT INTO request_revisions (request_id, at, actor_id, actor_name, summary, before_json, after_json)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    &args![id, now, actor.account_id, &actor.name, summary, before_json.to_string(), after_json.to_string()],
                ).await?;
            }
            tx.record(&Change { actor, action: "update", entity: Entity::Request, entity_id: Some(id),
                summary: u.summary.clone(), before: Some(before_json.clone()), after: Some(after_json.clone()) }).await?;
            Ok(())
        })
    }

    /// Sets who owns a request on IT's side (`None`: nobody), telling them.
    pub async fn set_request_owner(
        &self,
        actor: &Actor,
        id: i64,
        owner: Option<(i64, String)>,
        notices: &[crate::store::notifications::Notice],
    ) -> Result<(), Error> {
        let title = self.get_request(id).await?.summary.title;
        let now = now_ms();
        tx!(self, tx => {
            tx.execute("UPDATE requests SET owner_id = $1, updated_at = $2 WHERE id = $3",
                &args![owner.as_ref().map(|o| o.0), now, id]).await?;
            tx.notify(now, notices).await?;
            let summary = match &owner {
                Some((_, name)) => format!("{title}: {name} owns it on IT's side"),
                None => format!("{title}: nobody owns it on IT's side"),
            };
            tx.record(&Change { actor, action: "owner", entity: Entity::Request, entity_id: Some(id), summary,
                before: None, after: Some(json!({"owner_id": owner.as_ref().map(|o| o.0)})) }).await?;
            Ok(())
        })
    }

    pub async fn list_revisions(&self, id: i64) -> Result<Vec<Revision>, Error> {
        let sql = "SELECT id, at, actor_id, actor_name, summary, before_json, after_json FROM request_revisions
             WHERE request_id = $1 ORDER BY id DESC";
        self.rows(sql.into(), vec![Arg::I(id)]).await
    }

    /// Everyone in the directory, briefly: for choosing sponsors and stakeholders.
    pub async fn people_brief(&self) -> Result<Vec<PersonBrief>, Error> {
        self.rows("SELECT p.id, p.name, p.side, p.unit_id, p.title FROM people p ORDER BY p.name, p.id".into(), vec![])
            .await
    }

    /// Business units by name (id, name), for filters and forms.
    pub async fn unit_names(&self) -> Result<Vec<(i64, String)>, Error> {
        let rows: Vec<IdName> = self.rows("SELECT id, name FROM units ORDER BY name".into(), vec![]).await?;
        Ok(rows.into_iter().map(|u| (u.id, u.name)).collect())
    }
}
