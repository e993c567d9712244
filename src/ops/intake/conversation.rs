//! The conversation on a request: both sides write, @mentions are told, the author hears of all;
//! writers correct or remove their own message for a short while.

use bridge_domain::engagement::ContactSource;
use bridge_domain::Error;

use crate::ops::{comments, notify, Caller};
use crate::store::comments::{Comment, CommentVersion, Subject};
use crate::store::intake::Request;
use crate::store::Db;

/// The request as its conversation's topic, with the account of its author (who hears of all).
async fn topic_of<'r>(db: &Db, req: &'r Request) -> Result<comments::Topic<'r>, Error> {
    Ok(comments::Topic {
        subject: Subject::Request,
        subject_id: req.summary.id,
        title: &req.summary.title,
        link: notify::request_link(req.summary.id),
        owner_account: notify::account_of(db, req.author_id).await?,
    })
}

/// Adds a comment to the request; returns its id and how many people were told.
pub async fn comment(db: &Db, caller: &Caller, side: &str, id: i64, body: &str) -> Result<(i64, usize), Error> {
    caller.require_write()?;
    let req = db.get_request(id).await?;
    let (comment_id, told) = comments::add(db, caller, side, &topic_of(db, &req).await?, body).await?;
    // A message is a contact with the request's people on the other side.
    let others = if side == "it" { [req.author_id, req.summary.sponsor_id] } else { [req.summary.owner_id, None] };
    let people: Vec<i64> = caller.person_id.into_iter().chain(others.into_iter().flatten()).collect();
    crate::ops::contact::record(db, ContactSource::Comment, comment_id, &people).await?;
    Ok((comment_id, told))
}

/// Corrects (`Some` text) or removes (`None`) the caller's own message on the request; returns
/// how many people a correction newly mentions were told.
pub async fn correct_comment(
    db: &Db,
    caller: &Caller,
    id: i64,
    comment_id: i64,
    body: Option<&str>,
) -> Result<usize, Error> {
    caller.require_write()?;
    let req = db.get_request(id).await?;
    comments::correct(db, caller, &topic_of(db, &req).await?, comment_id, body).await
}

/// Whether the caller may correct or remove the message now (the same checks as
/// [`correct_comment`], changing nothing).
pub async fn may_correct(db: &Db, caller: &Caller, id: i64, comment_id: i64) -> Result<(), Error> {
    comments::correctable_message(db, caller, Subject::Request, id, comment_id).await.map(|_| ())
}

/// The request's comments, oldest first.
pub async fn comments_of(db: &Db, id: i64) -> Result<Vec<Comment>, Error> {
    db.get_request(id).await?;
    db.list_comments(Subject::Request, id).await
}

/// What the request's corrected and removed comments said before, oldest first.
pub async fn earlier_versions(db: &Db, id: i64) -> Result<Vec<CommentVersion>, Error> {
    db.comment_versions(Subject::Request, id).await
}
