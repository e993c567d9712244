//! Comments on any subject (a request today), with the notifications their mentions cause and
//! the audit entry, written together. Who is mentioned and what they are told is `ops::comments`'.

use bridge_domain::audit::{Actor, Entity};
use bridge_domain::conversation::Mentionable;
use bridge_domain::Error;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::audit::Change;
use super::notifications::Notice;
use super::{args, like_pattern, tx, Arg, Db, Tx};

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
    pub fn parse(s: &str) -> Option<Subject> {
        (s == "request").then_some(Subject::Request)
    }

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
    /// Empty once removed.
    pub body: String,
    /// When its writer last corrected it.
    pub edited_at: Option<i64>,
    /// When its writer removed it.
    pub removed_at: Option<i64>,
}

/// What a comment said before a correction or its removal.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct CommentVersion {
    pub comment_id: i64,
    /// When it was replaced.
    pub at: i64,
    pub body: String,
}

/// A correction or removal of a comment, checked by the caller against the comment as read.
pub struct CommentChange<'a> {
    pub subject: Subject,
    pub subject_id: i64,
    pub comment_id: i64,
    /// The text as read: the change applies only if it is still the text.
    pub before: &'a str,
    /// `None`: removed.
    pub after: Option<&'a str>,
    /// People the new text mentions.
    pub mentions: &'a [i64],
    pub at: i64,
    pub summary: String,
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
    /// People it mentions.
    pub mentions: &'a [i64],
    pub at: i64,
    /// The audit log's line, e.g. "Commented on Faster tills".
    pub summary: String,
}

const COMMENT_COLUMNS: &str =
    "id, subject, subject_id, at, author_id, author_name, author_side, body, edited_at, removed_at";

impl Db {
    pub async fn get_comment(&self, id: i64) -> Result<Comment, Error> {
        self.first(format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE id = $1"), vec![Arg::I(id)])
            .await?
            .ok_or_else(|| Error::not_found("The message"))
    }

    /// Earlier versions of a subject's comments, oldest first.
    pub async fn comment_versions(&self, subject: Subject, subject_id: i64) -> Result<Vec<CommentVersion>, Error> {
        self.rows(
            "SELECT v.comment_id, v.at, v.body FROM comment_versions v JOIN comments c ON c.id = v.comment_id
             WHERE c.subject = $1 AND c.subject_id = $2 ORDER BY v.id"
                .into(),
            vec![Arg::S(subject.as_str().into()), Arg::I(subject_id)],
        )
        .await
    }

    pub async fn list_comments(&self, subject: Subject, subject_id: i64) -> Result<Vec<Comment>, Error> {
        self.rows(
            format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE subject = $1 AND subject_id = $2 ORDER BY id"),
            vec![Arg::S(subject.as_str().into()), Arg::I(subject_id)],
        )
        .await
    }

    /// The newest comments whose text contains `text` (ignoring case): candidates for "where a
    /// term is used", which the caller confirms with the checker.
    pub async fn comments_containing(&self, text: &str, limit: i64) -> Result<Vec<Comment>, Error> {
        self.rows(
            format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE lower(body) LIKE $1 ESCAPE '\\' ORDER BY id DESC LIMIT $2")
            ,
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
            tx.mentions(c.subject, c.subject_id, id, c.mentions).await?;
            tx.record(&Change { actor, action: "comment", entity: c.subject.entity(), entity_id: Some(c.subject_id),
                summary: c.summary.clone(), before: None,
                after: Some(json!({"comment_id": id, "body": c.body})) }).await?;
            Ok(id)
        })
    }
}

impl Db {
    /// Corrects or removes a comment, keeping what it said, with the notifications `notices`
    /// makes and the audit entry, in one transaction; stale when the text changed since it was read.
    pub async fn change_comment(&self, actor: &Actor, c: &CommentChange<'_>, notices: &[Notice]) -> Result<(), Error> {
        let (body, edited_at, removed_at) = match c.after {
            Some(text) => (text, Some(c.at), None),
            None => ("", None, Some(c.at)),
        };
        tx!(self, tx => {
            let done = tx.execute(
                "UPDATE comments SET body = $1, edited_at = COALESCE($2, edited_at), removed_at = $3
                 WHERE id = $4 AND body = $5 AND removed_at IS NULL",
                &args![body, edited_at, removed_at, c.comment_id, c.before],
            ).await?;
            if done == 0 {
                return Err(Error::stale("message"));
            }
            tx.execute("INSERT INTO comment_versions (comment_id, at, body) VALUES ($1, $2, $3)",
                &args![c.comment_id, c.at, c.before]).await?;
            tx.execute("DELETE FROM comment_mentions WHERE comment_id = $1", &args![c.comment_id]).await?;
            tx.mentions(c.subject, c.subject_id, c.comment_id, c.mentions).await?;
            tx.notify(c.at, notices).await?;
            let action = if c.after.is_some() { "edit_comment" } else { "remove_comment" };
            tx.record(&Change { actor, action, entity: c.subject.entity(), entity_id: Some(c.subject_id),
                summary: c.summary.clone(), before: Some(json!({"comment_id": c.comment_id, "body": c.before})),
                after: Some(json!({"comment_id": c.comment_id, "body": body})) }).await?;
            Ok(())
        })
    }
}

impl Tx<'_> {
    /// Notes whom a comment mentions, for "my requests" (mentioned there).
    async fn mentions(
        &mut self,
        subject: Subject,
        subject_id: i64,
        comment_id: i64,
        people: &[i64],
    ) -> Result<(), Error> {
        for person in people {
            self.execute(
                "INSERT INTO comment_mentions (comment_id, subject, subject_id, person_id) VALUES ($1, $2, $3, $4)
                 ON CONFLICT DO NOTHING",
                &args![comment_id, subject.as_str(), subject_id, *person],
            )
            .await?;
        }
        Ok(())
    }
}
