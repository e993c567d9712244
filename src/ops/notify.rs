//! Who hears about what: every area builds its notifications here, and the store records them in
//! the transaction of the change. Email and webhooks (issue 10) will go out from here too.

use bridge_domain::audit::Actor;
use bridge_domain::Error;

use crate::store::notifications::Notice;
use crate::store::Db;

/// A notice for the account of `person_id`, unless that person has no account that can sign in or
/// is the one who made the change (nobody is told about their own step).
pub async fn to_person(
    db: &Db,
    person_id: Option<i64>,
    actor: &Actor,
    text: String,
    link: String,
) -> Result<Option<Notice>, Error> {
    let account = account_of(db, person_id).await?;
    Ok(account.filter(|a| Some(*a) != actor.account_id).map(|account_id| Notice { account_id, text, link }))
}

/// The account that can sign in of this person, if there is one: who hears about what they own.
pub async fn account_of(db: &Db, person_id: Option<i64>) -> Result<Option<i64>, Error> {
    match person_id {
        Some(p) => db.account_of_person(p).await,
        None => Ok(None),
    }
}

/// Where a notification about a request takes its reader.
pub fn request_link(id: i64) -> String {
    format!("/requests/{id}")
}
