//! The conversation on a request: both sides write, @mentions are told, the author hears of all.

use bridge_domain::Error;

use crate::ops::{comments, notify, Caller};
use crate::store::comments::{Comment, Subject};
use crate::store::Db;

/// Adds a comment to the request; returns its id and how many people were told.
pub async fn comment(db: &Db, caller: &Caller, side: &str, id: i64, body: &str) -> Result<(i64, usize), Error> {
    caller.require_write()?;
    let req = db.get_request(id).await?;
    let owner_account = notify::account_of(db, req.author_id).await?;
    let topic = comments::Topic {
        subject: Subject::Request,
        subject_id: id,
        title: &req.summary.title,
        link: notify::request_link(id),
        owner_account,
    };
    comments::add(db, caller, side, &topic, body).await
}

/// The request's comments, oldest first.
pub async fn comments_of(db: &Db, id: i64) -> Result<Vec<Comment>, Error> {
    db.get_request(id).await?;
    db.list_comments(Subject::Request, id).await
}
