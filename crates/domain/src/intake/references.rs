//! Whether the people and the business unit a request names exist, and the sponsor is on the
//! business side: checked against the directory's facts the caller looked up.

use std::collections::{BTreeSet, HashMap};

use super::request::ValidRequest;
use crate::org::Side;
use crate::{Error, FieldErrors};

/// Everyone a request names: its sponsor and stakeholders.
pub fn people_named(r: &ValidRequest) -> BTreeSet<i64> {
    let mut ids: BTreeSet<i64> = r.stakeholders.iter().map(|s| s.person_id).collect();
    ids.extend(r.sponsor_id);
    ids
}

/// `sides` holds the side of each named person found in the directory; `unit_exists` whether
/// the named business unit is there. Each problem gets a message beside its field.
pub fn check_references(r: &ValidRequest, sides: &HashMap<i64, Side>, unit_exists: bool) -> Result<(), Error> {
    let mut fields = FieldErrors::new();
    if let Some(s) = r.sponsor_id {
        match sides.get(&s) {
            None => {
                fields.insert("sponsor_id".into(), "Choose the sponsor from the directory.".into());
            }
            Some(Side::It) => {
                fields.insert(
                    "sponsor_id".into(),
                    "The sponsor is the business person who owns the outcome: choose someone on the business side."
                        .into(),
                );
            }
            Some(Side::Business) => {}
        }
    }
    for (i, s) in r.stakeholders.iter().enumerate() {
        if !sides.contains_key(&s.person_id) {
            fields.insert(
                format!("stakeholders[{i}].person_id"),
                "This person is not in the directory: choose someone from the list.".into(),
            );
        }
    }
    if r.business_unit_id.is_some() && !unit_exists {
        fields.insert("business_unit_id".into(), "Choose a business unit from the list.".into());
    }
    Error::check(fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::request::{Stakeholder, StakeholderRole};

    #[test]
    fn names_each_missing_reference_and_an_it_sponsor() {
        let r = ValidRequest {
            sponsor_id: Some(1),
            stakeholders: vec![Stakeholder { person_id: 2, role: StakeholderRole::DecisionMaker }],
            business_unit_id: Some(9),
            ..Default::default()
        };
        assert_eq!(people_named(&r), BTreeSet::from([1, 2]));
        let Err(Error::Validation { fields, .. }) = check_references(&r, &HashMap::from([(1, Side::It)]), false) else {
            panic!("expected field errors")
        };
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["business_unit_id", "sponsor_id", "stakeholders[0].person_id"]);
        let sides = HashMap::from([(1, Side::Business), (2, Side::It)]);
        assert!(check_references(&r, &sides, true).is_ok());
    }
}
