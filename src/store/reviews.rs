//! An initiative's champion and review days, and its value reviews (`bridge_domain::value`'s
//! review rules). A review is added once per point after delivery; it is decided once.

use bridge_domain::audit::{Actor, Entity};
use bridge_domain::value::ReviewState;
use bridge_domain::Error;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::audit::Change;
use super::notifications::Notice;
use super::{args, now_ms, tx, Arg, Db, Id};

/// An initiative's own settings: its champion, their brief, when its value is reviewed.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct InitiativeSettings {
    pub request_id: i64,
    pub champion_id: Option<i64>,
    pub brief: String,
    /// Days after delivery, e.g. "30,90,180".
    pub review_days: String,
    pub version: i64,
}

/// A value review. A confirmed one is a value receipt.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Review {
    pub id: i64,
    pub request_id: i64,
    /// Days after delivery it fell due (0: asked for by hand).
    pub after_days: i64,
    /// Days since 1970.
    pub due_day: i64,
    /// due, confirmed or disputed
    pub state: String,
    /// What was measured when it was decided: the initiative as `GET /api/v1/initiatives/{id}`
    /// showed it, as JSON text.
    pub result: String,
    pub note: String,
    pub decided_by_id: Option<i64>,
    pub decided_by_name: String,
    pub decided_at: Option<i64>,
    pub created_at: i64,
}

impl Review {
    pub fn state(&self) -> ReviewState {
        ReviewState::parse(&self.state).unwrap_or(ReviewState::Due)
    }
}

/// A value receipt with its initiative's title, for lists.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Receipt {
    pub review_id: i64,
    pub request_id: i64,
    pub title: String,
    pub unit_id: Option<i64>,
    /// confirmed (a receipt) or, in a period's list of decisions, disputed.
    pub state: String,
    pub decided_by_name: String,
    pub decided_at: i64,
    pub note: String,
    pub result: String,
}

const REVIEW_COLUMNS: &str = "id, request_id, after_days, due_day, state, result, note, decided_by_id, \
    decided_by_name, decided_at, created_at";

impl Db {
    pub async fn initiative_settings(&self, request_id: i64) -> Result<Option<InitiativeSettings>, Error> {
        self.first(
            "SELECT request_id, champion_id, brief, review_days, version FROM initiatives WHERE request_id = $1".into(),
            vec![Arg::I(request_id)],
        )
        .await
    }

    /// Saves an initiative's champion, brief and review days against the version read (0 for
    /// none yet); a stale one → 409.
    pub async fn save_initiative_settings(&self, actor: &Actor, s: &InitiativeSettings) -> Result<(), Error> {
        let now = now_ms();
        tx!(self, tx => {
            let done = if s.version == 0 {
                tx.execute(
                    "INSERT INTO initiatives (request_id, champion_id, brief, review_days, updated_at)
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                    &args![s.request_id, s.champion_id, &s.brief, &s.review_days, now],
                ).await?
            } else {
                tx.execute(
                    "UPDATE initiatives SET champion_id = $1, brief = $2, review_days = $3, updated_at = $4,
                        version = version + 1 WHERE request_id = $5 AND version = $6",
                    &args![s.champion_id, &s.brief, &s.review_days, now, s.request_id, s.version],
                ).await?
            };
            if done == 0 {
                return Err(Error::stale("initiative"));
            }
            tx.record(&Change { actor, action: "champion", entity: Entity::Request, entity_id: Some(s.request_id),
                summary: "Set the initiative's champion and reviews".into(), before: None, after: Some(json!(s)) }).await?;
            Ok(())
        })
    }

    /// Adds a due review, with its notices, unless the initiative has one for that point after
    /// delivery already. Returns the new review's id.
    pub async fn add_review(
        &self,
        request_id: i64,
        after_days: i64,
        due_day: i64,
        notices: &[Notice],
    ) -> Result<Option<i64>, Error> {
        let now = now_ms();
        tx!(self, tx => {
            let added: Vec<Id> = tx.rows(
                "INSERT INTO value_reviews (request_id, after_days, due_day, state, created_at)
                 VALUES ($1, $2, $3, 'due', $4) ON CONFLICT DO NOTHING RETURNING id",
                &args![request_id, after_days, due_day, now],
            ).await?;
            let Some(id) = added.first().map(|a| a.id) else { return Ok(None) };
            tx.notify(now, notices).await?;
            Ok(Some(id))
        })
    }

    pub async fn reviews_of(&self, request_id: i64) -> Result<Vec<Review>, Error> {
        self.rows(
            format!("SELECT {REVIEW_COLUMNS} FROM value_reviews WHERE request_id = $1 ORDER BY due_day, id"),
            vec![Arg::I(request_id)],
        )
        .await
    }

    pub async fn get_review(&self, request_id: i64, id: i64) -> Result<Review, Error> {
        self.first(
            format!("SELECT {REVIEW_COLUMNS} FROM value_reviews WHERE id = $1 AND request_id = $2"),
            vec![Arg::I(id), Arg::I(request_id)],
        )
        .await?
        .ok_or_else(|| Error::not_found("The review"))
    }

    /// Decides a due review once: confirmed or disputed, with what was measured, the note and
    /// who decided; told to `notices`. A review decided meanwhile → 409.
    #[allow(clippy::too_many_arguments)]
    pub async fn decide_review(
        &self,
        actor: &Actor,
        review: &Review,
        state: ReviewState,
        result: &str,
        note: &str,
        person_id: Option<i64>,
        notices: &[Notice],
    ) -> Result<(), Error> {
        let now = now_ms();
        tx!(self, tx => {
            let done = tx.execute(
                "UPDATE value_reviews SET state = $1, result = $2, note = $3, decided_by_id = $4, decided_by_name = $5,
                    decided_at = $6 WHERE id = $7 AND state = 'due'",
                &args![state.as_str(), result, note, person_id, &actor.name, now, review.id],
            ).await?;
            if done == 0 {
                return Err(Error::conflict("This review was decided meanwhile: it is decided once."));
            }
            tx.notify(now, notices).await?;
            tx.record(&Change { actor, action: state.as_str(), entity: Entity::Request, entity_id: Some(review.request_id),
                summary: format!("Value review {}", state.label().to_lowercase()), before: None,
                after: Some(json!({"review_id": review.id, "note": note})) }).await?;
            Ok(())
        })
    }

    /// The latest value receipts (confirmed reviews), newest first.
    pub async fn receipts(&self, limit: i64) -> Result<Vec<Receipt>, Error> {
        self.rows(
            "SELECT v.id AS review_id, v.request_id, r.title, r.unit_id, v.state, v.decided_by_name, v.decided_at,
                v.note, v.result
             FROM value_reviews v JOIN requests r ON r.id = v.request_id
             WHERE v.state = 'confirmed' ORDER BY v.decided_at DESC, v.id DESC LIMIT $1"
                .into(),
            vec![Arg::I(limit)],
        )
        .await
    }

    /// The reviews decided (confirmed or disputed) from `from` to `to` (epoch ms), oldest first.
    pub async fn decided_between(&self, from: i64, to: i64) -> Result<Vec<Receipt>, Error> {
        self.rows(
            "SELECT v.id AS review_id, v.request_id, r.title, r.unit_id, v.state, v.decided_by_name, v.decided_at,
                v.note, v.result
             FROM value_reviews v JOIN requests r ON r.id = v.request_id
             WHERE v.state <> 'due' AND v.decided_at BETWEEN $1 AND $2 ORDER BY v.decided_at, v.id"
                .into(),
            vec![Arg::I(from), Arg::I(to)],
        )
        .await
    }
}

#[derive(Deserialize, sqlx::FromRow)]
struct Told {
    id: i64,
    told_status: String,
}

#[derive(Deserialize, sqlx::FromRow)]
struct Championed {
    request_id: i64,
    champion_id: i64,
}

impl Db {
    /// Each target's status as its sponsor and champion were last told of it ("" for never).
    pub async fn told_statuses(&self) -> Result<Vec<(i64, String)>, Error> {
        let rows: Vec<Told> = self.rows("SELECT id, told_status FROM value_targets".into(), vec![]).await?;
        Ok(rows.into_iter().map(|t| (t.id, t.told_status)).collect())
    }

    /// Every initiative's champion: request id → person id.
    pub async fn all_champions(&self) -> Result<std::collections::HashMap<i64, i64>, Error> {
        let rows: Vec<Championed> = self
            .rows("SELECT request_id, champion_id FROM initiatives WHERE champion_id IS NOT NULL".into(), vec![])
            .await?;
        Ok(rows.into_iter().map(|c| (c.request_id, c.champion_id)).collect())
    }

    /// Remembers the statuses told, with the notices that told them, in one transaction.
    pub async fn record_told(&self, changes: &[(i64, String)], notices: &[Notice]) -> Result<(), Error> {
        if changes.is_empty() && notices.is_empty() {
            return Ok(());
        }
        let now = now_ms();
        tx!(self, tx => {
            for (id, status) in changes {
                tx.execute("UPDATE value_targets SET told_status = $1 WHERE id = $2", &args![status, *id]).await?;
            }
            tx.notify(now, notices).await?;
            Ok(())
        })
    }
}
