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
    let unit = |name: &str| units.get(&name.to_lowercase()).copied();
    planning_without_it(db, &actor, &people, unit("Retail Stores"), today).await?;
    embeddings(db, &actor, &it, unit("Supply Chain"), unit("Finance"), today).await?;
    office_hours(
        db,
        &actor,
        by_email("joanna.wisniewska"),
        by_email("imran.qureshi"),
        by_email("rajesh.menon"),
        by_email("sofia.lindqvist"),
        today,
    )
    .await?;
    // Two in three of the follow-ups due so far were done, most of them in time.
    db.execute(
        "UPDATE follow_ups SET done_at = (due_day - (id % 5) + 2) * 86400000 WHERE due_day < $1 AND id % 3 <> 0",
        &[today.days().into()],
    )
    .await?;
    // Its keepers knew of the drift and were reminded of the late follow-ups already.
    crate::ops::engagement::watch(db, false).await.map(|_| ())
}

/// Retail Stores planned its last two sessions without IT: it is on the losing-touch list
/// although in touch otherwise.
async fn planning_without_it(
    db: &Db,
    actor: &Actor,
    people: &[crate::store::org::Person],
    unit_id: Option<i64>,
    today: Date,
) -> Result<(), Error> {
    let Some(unit_id) = unit_id else { return Ok(()) };
    let staff: Vec<Participant> = people
        .iter()
        .filter(|p| p.side == Side::Business && p.unit_id == Some(unit_id))
        .take(3)
        .map(|p| Participant { id: p.id, side: p.side, unit_id: p.unit_id })
        .collect();
    let sessions: Vec<NewTouchpoint> = [(TouchpointKind::Planning, 3), (TouchpointKind::Strategy, 1)]
        .into_iter()
        .map(|(kind, ago)| NewTouchpoint {
            by: staff.first().map(|p| p.id),
            touchpoint: ValidTouchpoint {
                kind,
                date: Date::from_days(today.days() - ago),
                people: staff.clone(),
                unit_id: Some(unit_id),
                note: "Next year's store plan, among the store managers.".into(),
                private: false,
                follow_ups: vec![],
            },
            contacts: vec![],
            import_key: None,
        })
        .collect();
    db.add_touchpoints(actor, &sessions).await.map(|_| ())
}

/// Two people from IT with the business: one embedded in Supply Chain, one back from a rotation
/// in Finance.
async fn embeddings(
    db: &Db,
    actor: &Actor,
    it: &[&crate::store::org::Person],
    supply_chain: Option<i64>,
    finance: Option<i64>,
    today: Date,
) -> Result<(), Error> {
    use bridge_domain::engagement::{EmbeddingKind, ValidEmbedding};
    let plans = [
        (
            supply_chain,
            3,
            EmbeddingKind::Embedded,
            200,
            None,
            "Builds the warehouse systems' changes from inside the team",
        ),
        (
            finance,
            5,
            EmbeddingKind::Rotation,
            150,
            Some(60),
            "Learned how the month-end close works, for the new ledger",
        ),
    ];
    for (unit_id, person, kind, from, until, purpose) in plans {
        let (Some(unit_id), Some(person)) = (unit_id, it.get(person)) else { continue };
        let e = ValidEmbedding {
            person_id: person.id,
            unit_id,
            kind,
            from: Date::from_days(today.days() - from),
            until: until.map(|u| Date::from_days(today.days() - u)),
            purpose: purpose.into(),
        };
        db.create_embedding(actor, &e).await?;
    }
    Ok(())
}

/// Joanna's and Imran's weekly office hours, one slot held last week (the watch makes it a
/// touchpoint) and one booked ahead.
async fn office_hours(
    db: &Db,
    actor: &Actor,
    joanna: Option<&crate::store::org::Person>,
    imran: Option<&crate::store::org::Person>,
    rajesh: Option<&crate::store::org::Person>,
    sofia: Option<&crate::store::org::Person>,
    today: Date,
) -> Result<(), Error> {
    use crate::store::engagement::Slot;
    use bridge_domain::engagement::{weekday_of, OfficeHours};
    let (Some(joanna), Some(imran)) = (joanna, imran) else { return Ok(()) };
    let started = Date::from_days(today.days() - 60);
    let tuesdays = OfficeHours {
        weekday: 1,
        start_minute: 14 * 60,
        end_minute: 16 * 60,
        slot_minutes: 30,
        place: "Room 3.12, second floor (the IT corner)".into(),
        from: started,
        until: None,
    };
    let thursdays = OfficeHours {
        weekday: 3,
        start_minute: 9 * 60,
        end_minute: 10 * 60,
        slot_minutes: 20,
        place: "Video call: https://meet.example/imran".into(),
        from: started,
        until: None,
    };
    let joanna_hours = db.create_office_hours(actor, joanna.id, &tuesdays).await?;
    db.create_office_hours(actor, imran.id, &thursdays).await?;
    // The Tuesday of last week (held: the watch makes it a touchpoint), and the next one.
    let back = match (i64::from(weekday_of(today)) - 1).rem_euclid(7) {
        0 => 7,
        n => n,
    };
    let last_tuesday = today.days() - back - 7;
    let next_tuesday = last_tuesday + 14;
    let bookings = [
        (rajesh, last_tuesday, 14 * 60, "The new stock report"),
        (sofia, next_tuesday, 15 * 60, "Ideas for the loyalty app"),
    ];
    for (booker, day, start, topic) in bookings {
        let Some(booker) = booker else { continue };
        let slot = Slot { office_hours_id: joanna_hours, day, start_minute: start };
        db.book_slot(actor, slot, booker.id, topic, None, false).await?;
    }
    Ok(())
}

/// Adds an organisation of 60 business units, 40 IT teams and 5,000 people (made up to those
/// numbers) and `n` touchpoints between them over five years, in batches (for benchmarks).
/// Returns how many touchpoints were added.
pub async fn generate(db: &Db, n: usize, today: Date) -> Result<usize, Error> {
    use bridge_domain::org::import::ResolvedPerson;
    let actor = Actor::system("touchpoint generator");
    for (kind, want, prefix) in [(GroupKind::Unit, 60, "Business unit"), (GroupKind::Team, 40, "IT team")] {
        let have = db.list_groups(kind).await?.len();
        for i in have..want {
            db.create_group(&actor, kind, &format!("{prefix} {i}"), "").await?;
        }
    }
    let units: Vec<i64> = db.list_groups(GroupKind::Unit).await?.iter().map(|u| u.id).collect();
    let teams: Vec<i64> = db.list_groups(GroupKind::Team).await?.iter().map(|t| t.id).collect();
    let have = db.all_people().await?.len();
    let rows: Vec<ResolvedPerson> = (have..5_000)
        .map(|i| {
            let it = i % 4 == 0;
            ResolvedPerson {
                line: i,
                existing_id: None,
                name: format!("Generated Person {i}"),
                email: format!("generated.{i}@bench.example"),
                side: if it { Side::It } else { Side::Business },
                title: String::new(),
                unit_id: (!it).then(|| units[i % units.len()]),
                team_id: it.then(|| teams[i % teams.len()]),
                manager_email: None,
                manager_id: None,
            }
        })
        .collect();
    if !rows.is_empty() {
        db.import_people(&actor, &rows).await?;
    }
    let people = db.all_people().await?;
    let business: Vec<&crate::store::org::Person> =
        people.iter().filter(|p| p.side == Side::Business && p.unit_id.is_some()).collect();
    let it: Vec<&crate::store::org::Person> = people.iter().filter(|p| p.side == Side::It).collect();
    let mut seed: u64 = 11;
    let mut next = move || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    let mut done = 0;
    while done < n {
        let batch: Vec<NewTouchpoint> = (0..(n - done).min(5_000))
            .map(|_| {
                let b = business[next() % business.len()];
                let i = it[next() % it.len()];
                let day = today.days() - (next() % (5 * 365)) as i64;
                let kind = KINDS[next() % KINDS.len()];
                let participants = vec![
                    Participant { id: b.id, side: b.side, unit_id: b.unit_id },
                    Participant { id: i.id, side: i.side, unit_id: i.unit_id },
                ];
                let due = Date::from_days(day + 14);
                let touchpoint = ValidTouchpoint {
                    kind,
                    date: Date::from_days(day),
                    people: participants,
                    unit_id: b.unit_id,
                    note: NOTES[next() % NOTES.len()].into(),
                    private: false,
                    follow_ups: if next() % 5 == 0 {
                        vec![ValidFollowUp { text: "Send round what was agreed".into(), owner_id: i.id, due }]
                    } else {
                        vec![]
                    },
                };
                let contacts = crate::ops::contact::pairs(&[PersonSide::from(b), PersonSide::from(i)], b.unit_id, day);
                NewTouchpoint { by: Some(i.id), touchpoint, contacts, import_key: None }
            })
            .collect();
        done += db.add_touchpoints(&actor, &batch).await?;
    }
    Ok(done)
}
