//! Embedded technologists: who from IT sits with which unit, shown with the contacts they had
//! with the unit's people while there.

use bridge_domain::engagement::{validate_embedding, EmbeddingInput, EmbeddingKind, ValidEmbedding};
use bridge_domain::intake::parse::Date;
use bridge_domain::Error;
use serde::Serialize;

use super::{person_ref, PersonRef};
use crate::ops::directory::Directory;
use crate::ops::{contact, Caller};
use crate::store::engagement::EmbeddingRow;
use crate::store::Db;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EmbeddingView {
    pub id: i64,
    pub person: PersonRef,
    pub unit_id: i64,
    pub unit_name: String,
    /// embedded or rotation
    pub kind: &'static str,
    pub kind_label: &'static str,
    /// `YYYY-MM-DD`
    pub from: String,
    /// `YYYY-MM-DD`; none: no end set.
    pub until: Option<String>,
    pub purpose: String,
    /// Under way today.
    pub current: bool,
    /// Contacts with the unit's people while there (so far).
    pub contacts: i64,
    pub last_contact: Option<String>,
    pub version: i64,
}

/// IT people and admins place someone from IT with a unit.
fn require_it(caller: &Caller) -> Result<(), Error> {
    caller.require_write()?;
    caller.require_it_or_admin("IT and administrators record who is embedded with a unit.")
}

fn check(directory: &Directory, input: &EmbeddingInput) -> Result<ValidEmbedding, Error> {
    validate_embedding(input, |p| directory.person(p).map(|p| p.side), |u| directory.unit_name(u).is_some())
}

pub async fn add_embedding(
    db: &Db,
    directory: &Directory,
    caller: &Caller,
    input: &EmbeddingInput,
) -> Result<i64, Error> {
    require_it(caller)?;
    db.create_embedding(&caller.actor, &check(directory, input)?).await
}

pub async fn change_embedding(
    db: &Db,
    directory: &Directory,
    caller: &Caller,
    id: i64,
    input: &EmbeddingInput,
    version: i64,
) -> Result<(), Error> {
    require_it(caller)?;
    db.get_embedding(id).await?;
    db.update_embedding(&caller.actor, id, &check(directory, input)?, version).await
}

/// Embeddings of a unit or of a person (or all), the latest first, each with its contacts.
pub async fn embeddings(
    db: &Db,
    directory: &Directory,
    unit_id: Option<i64>,
    person_id: Option<i64>,
) -> Result<Vec<EmbeddingView>, Error> {
    let today = contact::today();
    let mut out = Vec::new();
    for row in db.embeddings(unit_id, person_id).await? {
        let Some(person) = person_ref(directory, row.person_id) else { continue };
        let until = row.until_day.unwrap_or(today).min(today);
        let counted = db.contacts_with_unit(row.person_id, row.unit_id, row.from_day, until).await?;
        out.push(view(directory, &row, person, counted.contacts, counted.last_day, today));
    }
    Ok(out)
}

pub async fn embedding(db: &Db, directory: &Directory, id: i64) -> Result<EmbeddingView, Error> {
    let row = db.get_embedding(id).await?;
    embeddings(db, directory, Some(row.unit_id), None)
        .await?
        .into_iter()
        .find(|e| e.id == id)
        .ok_or_else(|| Error::not_found("The embedding"))
}

fn view(
    directory: &Directory,
    row: &EmbeddingRow,
    person: PersonRef,
    contacts: i64,
    last: Option<i64>,
    today: i64,
) -> EmbeddingView {
    let kind = EmbeddingKind::parse(&row.kind).unwrap_or(EmbeddingKind::Embedded);
    EmbeddingView {
        id: row.id,
        person,
        unit_id: row.unit_id,
        unit_name: directory.unit_name(row.unit_id).unwrap_or("A unit no longer there").to_string(),
        kind: kind.as_str(),
        kind_label: kind.label(),
        from: Date::from_days(row.from_day).to_string(),
        until: row.until_day.map(|d| Date::from_days(d).to_string()),
        purpose: row.purpose.clone(),
        current: row.from_day <= today && row.until_day.is_none_or(|u| u >= today),
        contacts,
        last_contact: last.map(|d| Date::from_days(d).to_string()),
        version: row.version,
    }
}
