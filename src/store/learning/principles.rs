//! IT's principles, who marked each understood, and the questions asked about them.

use bridge_domain::audit::{Actor, Entity};
use bridge_domain::learning::principles::ValidPrinciple;
use bridge_domain::Error;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::super::audit::Change;
use super::super::notifications::Notice;
use super::super::{args, now_ms, tx, Arg, Db};

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct PrincipleRow {
    pub id: i64,
    pub title: String,
    /// governance, security, compliance, standards or architecture
    pub kind: String,
    pub statement: String,
    pub why_it_matters: String,
    pub example: String,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct QuestionRow {
    pub id: i64,
    pub principle_id: i64,
    pub person_id: i64,
    pub question: String,
    pub asked_at: i64,
    pub answer: Option<String>,
    pub answered_by_name: Option<String>,
    pub answered_at: Option<i64>,
}

/// How many marked a principle understood, and whether the reader did.
#[derive(Debug, Clone, Copy, Deserialize, sqlx::FromRow)]
pub struct UnderstoodCount {
    pub principle_id: i64,
    pub people: i64,
    pub mine: i64,
}

const PRINCIPLE: &str = "id, title, kind, statement, why_it_matters, example, version";
const QUESTION: &str = "id, principle_id, person_id, question, asked_at, answer, answered_by_name, answered_at";

impl Db {
    pub async fn principles(&self) -> Result<Vec<PrincipleRow>, Error> {
        self.rows(format!("SELECT {PRINCIPLE} FROM principles ORDER BY kind, title"), vec![]).await
    }

    pub async fn principle(&self, id: i64) -> Result<PrincipleRow, Error> {
        self.first(format!("SELECT {PRINCIPLE} FROM principles WHERE id = $1"), vec![Arg::I(id)])
            .await?
            .ok_or_else(|| Error::not_found("The principle"))
    }

    /// Adds a principle, or changes `existing` (id, version read); stale → 409.
    pub async fn save_principle(
        &self,
        actor: &Actor,
        existing: Option<(i64, i64)>,
        p: &ValidPrinciple,
    ) -> Result<i64, Error> {
        let now = now_ms();
        tx!(self, tx => {
            let id = match existing {
                None => tx.number(
                    "INSERT INTO principles (title, kind, statement, why_it_matters, example, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
                    &args![&p.title, p.kind.as_str(), &p.statement, &p.why_it_matters, &p.example, now]).await?,
                Some((id, version)) => {
                    let changed = tx.execute(
                        "UPDATE principles SET title = $1, kind = $2, statement = $3, why_it_matters = $4, example = $5,
                            updated_at = $6, version = version + 1 WHERE id = $7 AND version = $8",
                        &args![&p.title, p.kind.as_str(), &p.statement, &p.why_it_matters, &p.example, now, id, version]).await?;
                    if changed == 0 {
                        return Err(Error::stale("principle"));
                    }
                    id
                }
            };
            tx.record(&Change { actor, action: if existing.is_some() { "update" } else { "create" }, entity: Entity::Principle,
                entity_id: Some(id), summary: format!("Saved the principle “{}”", p.title), before: None, after: None }).await?;
            Ok(id)
        })
    }

    /// Each principle's "understood" count and whether `person_id` marked it.
    pub async fn understood(&self, person_id: i64) -> Result<Vec<UnderstoodCount>, Error> {
        self.rows(
            "SELECT principle_id, COUNT(*) AS people,
                CAST(SUM(CASE WHEN person_id = $1 THEN 1 ELSE 0 END) AS BIGINT) AS mine
             FROM principle_understood GROUP BY principle_id"
                .into(),
            vec![Arg::I(person_id)],
        )
        .await
    }

    /// Marks (or unmarks) a principle understood by a person.
    pub async fn set_understood(
        &self,
        actor: &Actor,
        principle_id: i64,
        person_id: i64,
        yes: bool,
    ) -> Result<(), Error> {
        tx!(self, tx => {
            let changed = match yes {
                true => tx.execute("INSERT INTO principle_understood (principle_id, person_id, at) VALUES ($1, $2, $3)
                    ON CONFLICT DO NOTHING", &args![principle_id, person_id, now_ms()]).await?,
                false => tx.execute("DELETE FROM principle_understood WHERE principle_id = $1 AND person_id = $2",
                    &args![principle_id, person_id]).await?,
            };
            if changed > 0 {
                tx.record(&Change { actor, action: if yes { "understood" } else { "not_understood" }, entity: Entity::Principle,
                    entity_id: Some(principle_id), summary: "Marked a principle understood".into(), before: None,
                    after: Some(json!({"understood": yes})) }).await?;
            }
            Ok(())
        })
    }

    pub async fn questions(&self) -> Result<Vec<QuestionRow>, Error> {
        self.rows(format!("SELECT {QUESTION} FROM principle_questions ORDER BY asked_at"), vec![]).await
    }

    pub async fn question(&self, id: i64) -> Result<QuestionRow, Error> {
        self.first(format!("SELECT {QUESTION} FROM principle_questions WHERE id = $1"), vec![Arg::I(id)])
            .await?
            .ok_or_else(|| Error::not_found("The question"))
    }

    pub async fn ask(&self, actor: &Actor, principle_id: i64, person_id: i64, question: &str) -> Result<i64, Error> {
        tx!(self, tx => {
            let id = tx.number("INSERT INTO principle_questions (principle_id, person_id, question, asked_at)
                VALUES ($1, $2, $3, $4) RETURNING id", &args![principle_id, person_id, question, now_ms()]).await?;
            tx.record(&Change { actor, action: "ask", entity: Entity::Principle, entity_id: Some(principle_id),
                summary: "Asked about a principle".into(), before: None, after: Some(json!({"question_id": id})) }).await?;
            Ok(id)
        })
    }

    /// Answers a question (a second answer replaces the first), telling the one who asked.
    pub async fn answer(&self, actor: &Actor, id: i64, answer: &str, notice: Option<Notice>) -> Result<(), Error> {
        let now = now_ms();
        tx!(self, tx => {
            let changed = tx.execute("UPDATE principle_questions SET answer = $1, answered_by_name = $2, answered_at = $3
                WHERE id = $4", &args![answer, actor.name.as_str(), now, id]).await?;
            if changed == 0 {
                return Err(Error::not_found("The question"));
            }
            tx.notify(now, &notice.into_iter().collect::<Vec<_>>()).await?;
            tx.record(&Change { actor, action: "answer", entity: Entity::Principle, entity_id: None,
                summary: "Answered a question about a principle".into(), before: None, after: Some(json!({"question_id": id})) }).await?;
            Ok(())
        })
    }
}
