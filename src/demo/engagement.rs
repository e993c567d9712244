//! The demo's engagement: a year of touchpoints between each business unit and IT, who keeps in
//! touch with each unit, and some units drifting out of touch (amber and red on the cadences).

use std::collections::HashMap;

use bridge_domain::audit::Actor;
use bridge_domain::engagement::{Participant, TouchpointKind, ValidFollowUp, ValidTouchpoint};
use bridge_domain::intake::parse::Date;
use bridge_domain::org::Side;
use bridge_domain::Error;

use crate::store::engagement::{NewTouchpoint, PersonSide, UnitEngagementRow};
use crate::store::org::GroupKind;
use crate::store::Db;

/// (unit, relationship manager, IT lead, days between touchpoints, days since the last one).
const UNITS: [(&str, &str, &str, i64, i64); 7] = [
    ("Supply Chain", "nadia.petrova", "imran.qureshi", 8, 3),
    ("E-commerce", "amira.saleh", "daniel.levy", 5, 2),
    ("Executive Office", "joanna.wisniewska", "nkechi.adeyemi", 14, 6),
    ("Retail Stores", "joanna.wisniewska", "ravi.subramanian", 7, 5),
    // Drifting: past the ideal (amber) …
    ("Finance", "nadia.petrova", "rachel.kim", 12, 45),
    ("Customer Service", "joanna.wisniewska", "precious.mwangi", 10, 20),
    // … and past the maximum (red).
    ("Marketing", "amira.saleh", "kofi.boateng", 9, 40),
];

const KINDS: [TouchpointKind; 7] = [
    TouchpointKind::Chat,
    TouchpointKind::Lunch,
    TouchpointKind::DropIn,
    TouchpointKind::Meeting,
    TouchpointKind::Planning,
    TouchpointKind::Demo,
    TouchpointKind::Strategy,
];

const NOTES: [&str; 6] = [
    "Went through what is coming up next quarter and what worries the team most.",
    "Looked at the new screens together; two changes asked for.",
    "Talked about the busy season and where the systems slowed people down.",
    "Shared the latest figures and agreed what to measure next.",
    "Walked the floor to see how the work is done today.",
    "Planned the next steps for the open requests.",
];

pub async fn load(db: &Db, today: Date) -> Result<(), Error> {
    let actor = Actor::system("demo loader");
    let people = db.all_people().await?;
    let by_email = |local: &str| people.iter().find(|p| p.email.split('@').next() == Some(local));
    let units: HashMap<String, i64> =
        db.list_groups(GroupKind::Unit).await?.into_iter().map(|u| (u.name.to_lowercase(), u.id)).collect();
    let it: Vec<_> = people.iter().filter(|p| p.side == Side::It).collect();
    let mut touchpoints = Vec::new();
    for (n, (unit, manager, lead, every, last)) in UNITS.iter().enumerate() {
        let Some(unit_id) = units.get(&unit.to_lowercase()).copied() else { continue };
        let (Some(manager), Some(lead)) = (by_email(manager), by_email(lead)) else { continue };
        let settings = UnitEngagementRow {
            unit_id,
            relationship_manager_id: Some(manager.id),
            it_lead_id: Some(lead.id),
            ..UnitEngagementRow::default()
        };
        db.save_unit_engagement(&actor, &settings).await?;
        let staff: Vec<_> = people.iter().filter(|p| p.side == Side::Business && p.unit_id == Some(unit_id)).collect();
        if staff.is_empty() {
            continue;
        }
        // From a year ago to the last one, every `every` days give or take a couple.
        let mut day = today.days() - 365 + n as i64;
        let mut k = 0usize;
        while day <= today.days() - last {
            let business = staff[k % staff.len()];
            let other = [manager, lead, it[(k * 7 + n) % it.len()]][k % 3];
            let mut chosen = vec![business, other];
            if k.is_multiple_of(4) && staff.len() > 1 {
                chosen.push(staff[(k + 1) % staff.len()]);
            }
            let participants: Vec<Participant> =
                chosen.iter().map(|p| Participant { id: p.id, side: p.side, unit_id: p.unit_id }).collect();
            let recent = today.days() - day < 60;
            let t = ValidTouchpoint {
                kind: KINDS[(k + n) % KINDS.len()],
                date: Date::from_days(day),
                people: participants,
                unit_id: Some(unit_id),
                note: NOTES[(k + n) % NOTES.len()].into(),
                private: k % 6 == 5,
                follow_ups: if recent && k.is_multiple_of(3) {
                    vec![ValidFollowUp {
                        text: "Send round what was agreed".into(),
                        owner_id: other.id,
                        due: Date::from_days(day + 14),
                    }]
                } else {
                    vec![]
                },
            };
            let sides: Vec<PersonSide> = chosen.iter().map(|p| PersonSide::from(*p)).collect();
            let contacts = crate::ops::contact::pairs(&sides, Some(unit_id), day);
            touchpoints.push(NewTouchpoint { by: Some(other.id), touchpoint: t, contacts, import_key: None });
            day += every + (k as i64 % 3) - 1;
            k += 1;
        }
    }
    db.add_touchpoints(&actor, &touchpoints).await?;
    // Its keepers knew of the drift and were reminded of the late follow-ups already.
    crate::ops::engagement::watch(db, false).await.map(|_| ())
}
