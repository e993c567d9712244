//! The "contact between the two sides" signal, shared by every area: a touchpoint, a message on
//! a request, a decision (and later an event attended together, a kudos) each record with one
//! call who from the business and who from IT were in touch. The cadences read it (and later the
//! health index).

use bridge_domain::engagement::ContactSource;
use bridge_domain::org::Side;
use bridge_domain::Error;

use crate::store::engagement::{NewContact, PersonSide};
use crate::store::Db;

/// The contacts between `people` on `day`: each business person with each IT person among
/// them, kept under `unit_id` when the contact was with a unit (else the business person's own)
/// and the IT person's team.
pub fn pairs(people: &[PersonSide], unit_id: Option<i64>, day: i64) -> Vec<NewContact> {
    let mut out = Vec::new();
    for b in people.iter().filter(|p| p.side() == Some(Side::Business)) {
        for i in people.iter().filter(|p| p.side() == Some(Side::It)) {
            let contact = NewContact {
                day,
                business_id: b.id,
                it_id: i.id,
                unit_id: unit_id.or(b.unit_id).unwrap_or(0),
                team_id: i.team_id.unwrap_or(0),
            };
            if !out.contains(&contact) {
                out.push(contact);
            }
        }
    }
    out
}

/// Records that `people` were in touch through the `source` thing `source_id` today; recording
/// the same thing again adds nothing. People of one side only, or not in the directory, make no
/// contact.
pub async fn record(db: &Db, source: ContactSource, source_id: i64, people: &[i64]) -> Result<(), Error> {
    let contacts = pairs(&db.people_sides(people).await?, None, today());
    if contacts.is_empty() {
        return Ok(());
    }
    db.record_contacts(source, source_id, &contacts).await
}

/// Today, as days since 1970 (UTC): the rules' today (`ops::value::today`).
pub fn today() -> i64 {
    super::value::today().days()
}
