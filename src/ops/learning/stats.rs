//! Who is learning, over the last twelve months: attendance month by month, per business unit
//! (and how often its people came to sessions IT led), per person (events attended and
//! given), and feedback per kind of event. `unit_learning` is the one call the health index
//! reads for a unit.

use std::collections::{HashMap, HashSet};

use bridge_domain::learning::EventKind;
use bridge_domain::org::Side;
use bridge_domain::Error;
use serde::Serialize;

use super::super::directory::Directory;
use super::super::engagement::PersonRef;
use crate::store::{now_ms, Db};

const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MonthAttendance {
    /// `YYYY-MM`
    pub month: String,
    pub attended: i64,
    /// Of which business people at sessions IT led.
    pub business_at_it_led: i64,
}

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct UnitLearning {
    pub unit_id: i64,
    pub name: String,
    /// Attendances by the unit's people.
    pub attended: i64,
    /// Its people who came to at least one event.
    pub people_attending: i64,
    /// Its people (business people in the directory).
    pub people: i64,
    /// Attendances at sessions an IT person led.
    pub it_led_attended: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonLearning {
    pub person: PersonRef,
    pub attended: i64,
    pub given: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct KindFigures {
    pub kind: String,
    pub kind_label: &'static str,
    pub attended: i64,
    pub feedback_responses: i64,
    pub average_rating: Option<f64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LearningFigures {
    pub months: Vec<MonthAttendance>,
    pub units: Vec<UnitLearning>,
    pub kinds: Vec<KindFigures>,
    /// Those who came most, and those who gave most (each the top 20).
    pub learners: Vec<PersonLearning>,
    pub presenters: Vec<PersonLearning>,
}

fn month_of(ms: i64) -> String {
    bridge_domain::intake::parse::Date::from_days(ms.div_euclid(DAY_MS)).to_string()[..7].to_string()
}

fn person_ref(directory: &Directory, id: i64) -> Option<PersonRef> {
    directory.person(id).map(|p| PersonRef { id, name: p.name.clone(), side: p.side.as_str() })
}

/// The figures over the twelve months up to now.
pub async fn figures(db: &Db, directory: &Directory) -> Result<LearningFigures, Error> {
    let now = now_ms();
    // This month and the eleven before, the oldest first: from the first day of the first.
    let today = bridge_domain::intake::parse::Date::from_days(now.div_euclid(DAY_MS));
    let this = i64::from(today.year()) * 12 + i64::from(today.month()) - 1;
    let first = this - 11;
    let first_day = format!("{:04}-{:02}-01", first.div_euclid(12), first.rem_euclid(12) + 1);
    let since = bridge_domain::intake::parse::Date::parse(&first_day).map_or(now - 365 * DAY_MS, |d| d.days() * DAY_MS);
    let (attendance, feedback, given) =
        tokio::try_join!(db.attendance(since, now), db.feedback_by_kind(since, now), db.events_given(since, now))?;
    let mut months: Vec<MonthAttendance> = (this - 11..=this)
        .map(|m| MonthAttendance {
            month: format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1),
            attended: 0,
            business_at_it_led: 0,
        })
        .collect();
    let mut units: HashMap<i64, UnitLearning> = directory
        .units
        .iter()
        .map(|(id, name)| (*id, UnitLearning { unit_id: *id, name: name.clone(), ..Default::default() }))
        .collect();
    for p in directory.people.iter().filter(|p| p.side == Side::Business) {
        if let Some(u) = p.unit_id.and_then(|u| units.get_mut(&u)) {
            u.people += 1;
        }
    }
    let mut attending: HashSet<(i64, i64)> = HashSet::new();
    let mut by_person: HashMap<i64, i64> = HashMap::new();
    let mut by_kind: HashMap<String, i64> = HashMap::new();
    for a in &attendance {
        let person = directory.person(a.person_id);
        let business = person.is_some_and(|p| p.side == Side::Business);
        if let Some(m) = months.iter_mut().find(|m| m.month == month_of(a.starts_at)) {
            m.attended += 1;
            m.business_at_it_led += i64::from(business && a.it_led == 1);
        }
        *by_person.entry(a.person_id).or_default() += 1;
        *by_kind.entry(a.kind.clone()).or_default() += 1;
        if let Some(unit) = person.filter(|_| business).and_then(|p| p.unit_id) {
            if let Some(u) = units.get_mut(&unit) {
                u.attended += 1;
                u.it_led_attended += a.it_led;
                if attending.insert((unit, a.person_id)) {
                    u.people_attending += 1;
                }
            }
        }
    }
    let feedback: HashMap<String, (i64, i64)> =
        feedback.into_iter().map(|f| (f.kind, (f.responses, f.rating_sum))).collect();
    let kinds = EventKind::ALL
        .iter()
        .map(|k| {
            let (responses, sum) = feedback.get(k.as_str()).copied().unwrap_or((0, 0));
            KindFigures {
                kind: k.as_str().to_string(),
                kind_label: k.label(),
                attended: by_kind.get(k.as_str()).copied().unwrap_or(0),
                feedback_responses: responses,
                average_rating: (responses > 0).then(|| sum as f64 / responses as f64),
            }
        })
        .collect();
    let given: HashMap<i64, i64> = given.into_iter().map(|g| (g.person_id, g.events)).collect();
    let top = |counts: &HashMap<i64, i64>| {
        let mut v: Vec<(i64, i64)> = counts.iter().map(|(p, n)| (*p, *n)).collect();
        v.sort_by_key(|(p, n)| (std::cmp::Reverse(*n), *p));
        v.into_iter()
            .take(20)
            .filter_map(|(p, _)| {
                Some(PersonLearning {
                    person: person_ref(directory, p)?,
                    attended: by_person.get(&p).copied().unwrap_or(0),
                    given: given.get(&p).copied().unwrap_or(0),
                })
            })
            .collect::<Vec<_>>()
    };
    let (learners, presenters) = (top(&by_person), top(&given));
    let mut units: Vec<UnitLearning> = units.into_values().collect();
    units.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(LearningFigures { months, units, kinds, learners, presenters })
}

/// One business unit's learning over the last twelve months (for the health index).
pub async fn unit_learning(db: &Db, directory: &Directory, unit_id: i64) -> Result<UnitLearning, Error> {
    figures(db, directory)
        .await?
        .units
        .into_iter()
        .find(|u| u.unit_id == unit_id)
        .ok_or_else(|| Error::not_found("The business unit"))
}
