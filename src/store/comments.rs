//! Comments on any subject (a request today), with the notifications their mentions cause and
//! the audit entry, written together. Who is mentioned and what they are told is `ops::comments`'.

use bridge_domain::audit::{Actor, Entity};
use bridge_domain::conversation::Mentionable;
use bridge_domain::Error;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::audit::Change;
use super::notifications::Notice;
use super::{args, like_pattern, tx, Arg, Db};

/// What a conversation is about. A new area with comments adds its subject here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Request,
}

impl Subject {
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Request => "request",
        }
    }

    /// The entity whose audit trail and change counter a comment on this subject belongs to.
    pub fn entity(self) -> Entity {
        match self {
            Subject::Request => Entity::Request,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Comment {
    pub id: i64,
    /// What the comment is on, e.g. `request`.
    pub subject: String,
    pub subject_id: i64,
    pub at: i64,
    pub author_id: Option<i64>,
    pub author_name: String,
    /// business or it
    pub author_side: String,
    pub body: String,
}

/// A person who can be @mentioned, as [`Db::mentionable`] reads them.
#[derive(Deserialize, sqlx::FromRow)]
struct MentionRow {
    person_id: i64,
    account_id: i64,
    name: String,
    email: String,
}

/// A comment to add, checked by the caller.
pub struct NewComment<'a> {
    pub subject: Subject,
    pub subject_id: i64,
    pub author_id: Option<i64>,
    pub author_side: &'a str,
    pub body: &'a str,
    pub at: i64,
    /// The audit log's line, e.g. "Commented on Faster tills".
    pub summary: String,
}

impl Db {
    pub async fn list_comments(&self, subject: Subject, subject_id: i64) -> Result<Vec<Comment>, Error> {
        self.rows(
            "SELECT id, subject, subject_id, at, author_id, author_name, author_side, body FROM comments
             WHERE subject = $1 AND subject_id = $2 ORDER BY id"
                .into(),
            vec![Arg::S(subject.as_str().into()), Arg::I(subject_id)],
        )
        .await
    }

    /// The newest comments whose text contains `text` (ignoring case): candidates for "where a
    /// term is used", which the caller confirms with the checker.
    pub async fn comments_containing(&self, text: &str, limit: i64) -> Result<Vec<Comment>, Error> {
        self.rows(
            "SELECT id, subject, subject_id, at, author_id, author_name, author_side, body FROM comments
             WHERE lower(body) LIKE $1 ESCAPE '\\' ORDER BY id DESC LIMIT $2"
                .into(),
            vec![Arg::S(like_pattern(text)), Arg::I(limit)],
        )
        .await
    }

    /// People who can be @mentioned: those with an account that can sign in, longest name first.
    pub async fn mentionable(&self) -> Result<Vec<Mentionable>, Error> {
        let rows: Vec<MentionRow> = self
            .rows(
                "SELECT p.id AS person_id, a.id AS account_id, p.name, p.email FROM people p
                 JOIN accounts a ON a.person_id = p.id
                 WHERE a.disabled_at IS NULL ORDER BY length(p.name) DESC"
                    .into(),
                vec![],
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| Mentionable { person_id: r.person_id, account_id: r.account_id, name: r.name, email: r.email })
            .collect())
    }

    /// Adds a comment with the notifications `notices` makes from its id, and the audit entry, in
    /// one transaction. Returns the comment's id.
    pub async fn add_comment<F>(&self, actor: &Actor, c: &NewComment<'_>, notices: F) -> Result<i64, Error>
    where
        F: Fn(i64) -> Vec<Notice>,
    {
        tx!(self, tx => {
            let id = tx.number(
                "INSERT INTO comments (subject, subject_id, at, author_id, author_name, author_side, body)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                &args![c.subject.as_str(), c.subject_id, c.at, c.author_id, &actor.name, c.author_side, c.body],
            ).await?;
            tx.notify(c.at, &notices(id)).await?;
            tx.record(&Change { actor, action: "comment", entity: c.subject.entity(), entity_id: Some(c.subject_id),
                summary: c.summary.clone(), before: None,
                after: Some(json!({"comment_id": id, "body": c.body})) }).await?;
            Ok(id)
        })
    }
}
