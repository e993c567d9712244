//! Who hears about what: every area builds its notifications here, and the store records them in
//! the transaction of the change, with an email job for each that its reader wants emailed at once
//! (`ops::mail` sends them; digests collect the others).

use std::collections::HashSet;

use bridge_domain::audit::Actor;
use bridge_domain::notify::{Delivery, NoticeKind};
use bridge_domain::Error;

use crate::store::notifications::Notice;
use crate::store::Db;

/// A notice for the account of `person_id`, unless that person has no account that can sign in or
/// is the one who made the change (nobody is told about their own step).
pub async fn to_person(
    db: &Db,
    person_id: Option<i64>,
    actor: &Actor,
    kind: NoticeKind,
    text: String,
    link: String,
) -> Result<Option<Notice>, Error> {
    let Some(account_id) = account_of(db, person_id).await?.filter(|a| Some(*a) != actor.account_id) else {
        return Ok(None);
    };
    let email = emailed_at_once(db, &[(account_id, kind)]).await?.contains(&(account_id, kind));
    Ok(Some(Notice { account_id, kind, text, link, email }))
}

/// The same notice for each of `accounts` but the actor's, with one look-up of who wants it emailed.
pub async fn to_accounts(
    db: &Db,
    accounts: &[i64],
    actor: &Actor,
    kind: NoticeKind,
    text: &str,
    link: &str,
) -> Result<Vec<Notice>, Error> {
    let told: Vec<(i64, NoticeKind)> =
        accounts.iter().filter(|a| Some(**a) != actor.account_id).map(|a| (*a, kind)).collect();
    let emailed = emailed_at_once(db, &told).await?;
    Ok(told
        .into_iter()
        .map(|key| Notice {
            account_id: key.0,
            kind,
            text: text.to_string(),
            link: link.to_string(),
            email: emailed.contains(&key),
        })
        .collect())
}

/// The same notice for each of these people who can sign in, but the actor.
pub async fn to_people(
    db: &Db,
    people: &[i64],
    actor: &Actor,
    kind: NoticeKind,
    text: &str,
    link: &str,
) -> Result<Vec<Notice>, Error> {
    let accounts = db.accounts_of_people(people).await?;
    to_accounts(db, &accounts, actor, kind, text, link).await
}

/// Which of these (account, kind) pairs want their notifications emailed at once: one query for all.
pub async fn emailed_at_once(db: &Db, wanted: &[(i64, NoticeKind)]) -> Result<HashSet<(i64, NoticeKind)>, Error> {
    let accounts: Vec<i64> = wanted.iter().map(|(a, _)| *a).collect();
    let chosen = db.delivery_choices(&accounts).await?;
    Ok(wanted
        .iter()
        .copied()
        .filter(|key| chosen.get(key).copied().unwrap_or(key.1.default_delivery()) == Delivery::Email)
        .collect())
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

/// How the caller hears of each kind of notification.
pub async fn settings(db: &Db, caller: &super::Caller) -> Result<Vec<(NoticeKind, Delivery)>, Error> {
    let account = caller
        .actor
        .account_id
        .ok_or_else(|| Error::forbidden("Only people with an account have notification settings."))?;
    let chosen = db.delivery_choices(&[account]).await?;
    Ok(NoticeKind::ALL
        .iter()
        .map(|k| (*k, chosen.get(&(account, *k)).copied().unwrap_or(k.default_delivery())))
        .collect())
}

/// Saves the caller's choices, given as (kind code, delivery code) pairs; a code Bridge does not
/// know is a field error and nothing is saved.
pub async fn save_settings(db: &Db, caller: &super::Caller, choices: &[(String, String)]) -> Result<(), Error> {
    let account = caller
        .actor
        .account_id
        .ok_or_else(|| Error::forbidden("Only people with an account have notification settings."))?;
    let mut fields = bridge_domain::FieldErrors::new();
    let mut valid = Vec::new();
    for (kind, delivery) in choices {
        match (NoticeKind::parse(kind), Delivery::parse(delivery)) {
            (Some(k), Some(d)) => valid.push((k, d)),
            (None, _) => {
                fields.insert(kind.clone(), "Bridge has no notifications of this kind.".into());
            }
            (Some(_), None) => {
                fields.insert(
                    kind.clone(),
                    "Choose in Bridge only, an email at once, a daily or a weekly digest.".into(),
                );
            }
        }
    }
    Error::check(fields)?;
    for (k, d) in valid {
        db.set_delivery(account, k, d).await?;
    }
    Ok(())
}
