//! Engagement's use cases: logging touchpoints (their contacts go to the shared signal in the
//! same transaction), reading them with private notes kept to their participants, each unit's
//! cadence and how it stands, and the losing-touch list.

use std::collections::HashMap;

use bridge_domain::engagement::{
    default_cadence, standing, validate_cadence, validate_touchpoint, Cadence, Participant, Standing, TouchpointInput,
    TouchpointKind, ValidTouchpoint,
};
use bridge_domain::intake::parse::Date;
use bridge_domain::org::Side;
use bridge_domain::Error;
use serde::{Deserialize, Serialize};

use super::directory::Directory;
use super::{contact, Caller};

mod embeddings;
mod import;
mod model;
mod office_hours;
mod stats;

use crate::store::engagement::{
    month_of, PersonSide, StandingTurn, TouchpointFilter, TouchpointRow, UnitEngagementRow,
};
use crate::store::notifications::Notice;
use crate::store::Db;
pub use embeddings::*;
pub use import::{import_calendar, import_csv, ImportReport, SkippedMeeting, CSV_COLUMNS};
pub use model::{unit_engagement, EngagementModel, ModelCache, UnitEngagement, UNIT_LATEST};
pub use office_hours::{
    book, cancel_booking, end_office_hours, handlers as office_hours_handlers, hold_past_bookings, office_hours,
    one_office_hours, publish_office_hours, OfficeHoursView, SlotView, DAYS_AHEAD,
};
pub use stats::*;

/// Checks a touchpoint against the directory and the rules, writing nothing.
pub fn check_touchpoint(directory: &Directory, input: &TouchpointInput) -> Result<ValidTouchpoint, Error> {
    let found: Vec<Participant> = input
        .people
        .iter()
        .filter_map(|id| directory.person(*id))
        .map(|p| Participant { id: p.id, side: p.side, unit_id: p.unit_id })
        .collect();
    let t = validate_touchpoint(input, &found, |id| directory.person(id).is_some(), Date::from_days(contact::today()))?;
    if t.unit_id.is_some_and(|u| directory.unit_name(u).is_none()) {
        return Err(Error::field("unit_id", "There is no such business unit."));
    }
    Ok(t)
}

/// Logs a touchpoint (anyone who may write): checked, then written with its people, follow-ups
/// and contacts. Returns it as stored.
pub async fn log_touchpoint(
    db: &Db,
    directory: &Directory,
    caller: &Caller,
    input: &TouchpointInput,
) -> Result<TouchpointRow, Error> {
    caller.require_write()?;
    let t = check_touchpoint(directory, input)?;
    let sides: Vec<PersonSide> = t.people.iter().filter_map(|p| directory.person(p.id)).map(PersonSide::from).collect();
    let contacts = contact::pairs(&sides, t.unit_id, t.date.days());
    db.create_touchpoint(&caller.actor, caller.person_id, &t, &contacts, None).await
}

/// A person as a touchpoint names them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonRef {
    pub id: i64,
    pub name: String,
    /// business or it
    pub side: &'static str,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FollowUpView {
    pub id: i64,
    pub text: String,
    pub owner: Option<PersonRef>,
    /// `YYYY-MM-DD`
    pub due: String,
    pub done: bool,
    /// Not done and past its day.
    pub overdue: bool,
    /// The reader owns it or took part: they may mark it done.
    #[serde(skip)]
    pub yours: bool,
}

/// A touchpoint as its reader sees it: who met whom is for everyone; a private note only for
/// its participants.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TouchpointView {
    pub id: i64,
    /// chat, lunch, drop_in, meeting, planning, strategy, demo or other
    pub kind: String,
    pub kind_label: &'static str,
    /// `YYYY-MM-DD`
    pub date: String,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub people: Vec<PersonRef>,
    /// `None` when the note is private and the reader did not take part.
    pub note: Option<String>,
    pub private: bool,
    /// False for a planning or strategy session the business held without IT.
    pub it_present: bool,
    pub follow_ups: Vec<FollowUpView>,
    pub logged_by: String,
}

fn person_ref(directory: &Directory, id: i64) -> Option<PersonRef> {
    directory.person(id).map(|p| PersonRef { id, name: p.name.clone(), side: p.side.as_str() })
}

pub fn view(directory: &Directory, row: &TouchpointRow, reader: Option<i64>, today: i64) -> TouchpointView {
    let private = row.private != 0;
    let took_part = reader.is_some_and(|r| row.people.contains(&r));
    let kind = TouchpointKind::parse(&row.kind).unwrap_or(TouchpointKind::Other);
    TouchpointView {
        id: row.id,
        kind: kind.as_str().to_string(),
        kind_label: kind.label(),
        date: Date::from_days(row.day).to_string(),
        unit_id: row.unit_id,
        unit_name: row.unit_id.and_then(|u| directory.unit_name(u)).map(str::to_string),
        people: row.people.iter().filter_map(|id| person_ref(directory, *id)).collect(),
        note: (!private || took_part).then(|| row.note.clone()),
        private,
        it_present: row.it_present != 0,
        follow_ups: row
            .follow_ups
            .iter()
            .map(|f| FollowUpView {
                id: f.id,
                text: f.text.clone(),
                owner: f.owner_id.and_then(|o| person_ref(directory, o)),
                due: Date::from_days(f.due_day).to_string(),
                done: f.done_at.is_some(),
                overdue: f.done_at.is_none() && f.due_day < today,
                yours: took_part || (reader.is_some() && f.owner_id == reader),
            })
            .collect(),
        logged_by: row.created_by_name.clone(),
    }
}

/// Touchpoints, the newest first, `limit` of them before the touchpoint `before`.
pub async fn touchpoints(
    db: &Db,
    directory: &Directory,
    caller: &Caller,
    filter: TouchpointFilter,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<TouchpointView>, Error> {
    let rows = db.list_touchpoints(filter, before, limit).await?;
    let today = contact::today();
    Ok(rows.iter().map(|r| view(directory, r, caller.person_id, today)).collect())
}

/// How a business unit stands against its stay-in-touch cadence today.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitStanding {
    pub unit_id: i64,
    pub unit_name: String,
    pub ideal_days: u32,
    pub max_days: u32,
    /// An admin set the cadence (else it is the default from the unit's size and open requests).
    pub cadence_set: bool,
    /// `YYYY-MM-DD` of the last contact between the unit and IT, if any.
    pub last_contact: Option<String>,
    pub days_since: Option<i64>,
    /// Contacts (pairs of people in touch) this month and the two before.
    pub recent_contacts: i64,
    /// in_touch, amber (past the ideal) or red (past the maximum, or never)
    pub standing: &'static str,
    pub standing_label: &'static str,
    pub relationship_manager: Option<PersonRef>,
    pub it_lead: Option<PersonRef>,
    /// The unit's last two planning or strategy sessions were held without IT: it is on the
    /// losing-touch list whatever its contacts.
    pub planning_without_it: bool,
    /// The version of the unit's settings to send back with a change (0: none set yet).
    pub version: i64,
    #[serde(skip)]
    pub state: Standing,
}

impl UnitStanding {
    /// The unit's standing in a sentence, for the home page and the notices.
    pub fn sentence(&self) -> String {
        let contact = match self.days_since {
            Some(d) => format!(
                "{}: {} — the last contact with IT was {d} days ago (ideally every {} days, at most {}).",
                self.unit_name,
                self.standing_label.to_lowercase(),
                self.ideal_days,
                self.max_days
            ),
            None => format!("{}: no contact with IT is recorded yet.", self.unit_name),
        };
        match self.planning_without_it {
            true => format!("{contact} Its last two planning sessions were held without IT."),
            false => contact,
        }
    }

    /// Past its ideal or maximum, or planning without IT: its keepers should act.
    pub fn losing_touch(&self) -> bool {
        self.state != Standing::InTouch || self.planning_without_it
    }
}

/// Every business unit's standing, the furthest out of touch first.
pub async fn standings(db: &Db, directory: &Directory) -> Result<Vec<UnitStanding>, Error> {
    let today = contact::today();
    let (settings, contacts, open, latest) = tokio::try_join!(
        db.unit_engagement(),
        db.unit_contacts(month_of(today) - 2),
        db.requests_by_unit(&bridge_domain::engagement::COUNTED_OPEN),
        db.latest_sessions()
    )?;
    let without_it = planning_without_it(&latest);
    let settings: HashMap<i64, UnitEngagementRow> = settings.into_iter().map(|s| (s.unit_id, s)).collect();
    let contacts: HashMap<i64, _> = contacts.into_iter().map(|c| (c.unit_id, c)).collect();
    let open: HashMap<i64, i64> = open.into_iter().collect();
    let mut people: HashMap<i64, usize> = HashMap::new();
    for p in directory.people.iter().filter(|p| p.side == Side::Business) {
        if let Some(u) = p.unit_id {
            *people.entry(u).or_default() += 1;
        }
    }
    let mut out: Vec<UnitStanding> = directory
        .units
        .iter()
        .map(|(id, name)| {
            let set = settings.get(id);
            let chosen =
                set.and_then(|s| Some(Cadence { ideal_days: s.ideal_days? as u32, max_days: s.max_days? as u32 }));
            let cadence = chosen.unwrap_or_else(|| {
                default_cadence(people.get(id).copied().unwrap_or(0), open.get(id).copied().unwrap_or(0) as usize)
            });
            let last = contacts.get(id).and_then(|c| c.last_day);
            let state = standing(cadence, last.map(Date::from_days), Date::from_days(today));
            UnitStanding {
                unit_id: *id,
                unit_name: name.clone(),
                ideal_days: cadence.ideal_days,
                max_days: cadence.max_days,
                cadence_set: chosen.is_some(),
                last_contact: last.map(|d| Date::from_days(d).to_string()),
                days_since: last.map(|d| today - d),
                recent_contacts: contacts.get(id).and_then(|c| c.recent).unwrap_or(0),
                standing: state.as_str(),
                standing_label: state.label(),
                relationship_manager: set
                    .and_then(|s| s.relationship_manager_id)
                    .and_then(|p| person_ref(directory, p)),
                it_lead: set.and_then(|s| s.it_lead_id).and_then(|p| person_ref(directory, p)),
                planning_without_it: without_it.get(id).copied().unwrap_or(false),
                version: set.map_or(0, |s| s.version),
                state,
            }
        })
        .collect();
    out.sort_by_key(|s| {
        (s.state, !s.planning_without_it, std::cmp::Reverse(s.days_since.unwrap_or(i64::MAX)), s.unit_name.clone())
    });
    Ok(out)
}

/// The units past their ideal (amber) or maximum (red) or planning without IT, the furthest
/// out first; for `person`, only those they keep in touch with (as relationship manager or IT
/// lead).
pub fn losing_touch(standings: &[UnitStanding], person: Option<i64>) -> Vec<UnitStanding> {
    let keeps = |s: &UnitStanding| {
        person
            .is_none_or(|p| [&s.relationship_manager, &s.it_lead].iter().any(|r| r.as_ref().is_some_and(|r| r.id == p)))
    };
    standings.iter().filter(|s| s.losing_touch() && keeps(s)).cloned().collect()
}

/// A unit's cadence and its people, as sent.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CadenceInput {
    /// Days; both empty for the default from the unit's size and open requests.
    #[serde(deserialize_with = "bridge_domain::intake::parse::text_or_number")]
    pub ideal_days: String,
    #[serde(deserialize_with = "bridge_domain::intake::parse::text_or_number")]
    pub max_days: String,
    /// Who keeps in touch with the unit: its relationship manager and IT's lead for it.
    pub relationship_manager_id: Option<i64>,
    pub it_lead_id: Option<i64>,
    /// The version read (0 when nothing was set yet).
    pub version: i64,
}

/// Sets a unit's cadence and who keeps in touch with it (admins).
pub async fn set_cadence(
    db: &Db,
    directory: &Directory,
    caller: &Caller,
    unit_id: i64,
    input: &CadenceInput,
) -> Result<(), Error> {
    caller.require_admin()?;
    if directory.unit_name(unit_id).is_none() {
        return Err(Error::not_found("The business unit"));
    }
    let cadence = if input.ideal_days.trim().is_empty() && input.max_days.trim().is_empty() {
        None
    } else {
        Some(validate_cadence(&input.ideal_days, &input.max_days)?)
    };
    let mut f = bridge_domain::FieldErrors::new();
    if input.relationship_manager_id.is_some_and(|p| directory.person(p).is_none()) {
        f.insert("relationship_manager_id".into(), "There is no such person in the directory.".into());
    }
    if input.it_lead_id.is_some_and(|p| directory.person(p).is_none_or(|p| p.side != Side::It)) {
        f.insert("it_lead_id".into(), "Choose someone from IT.".into());
    }
    Error::check(f)?;
    let row = UnitEngagementRow {
        unit_id,
        ideal_days: cadence.map(|c| i64::from(c.ideal_days)),
        max_days: cadence.map(|c| i64::from(c.max_days)),
        relationship_manager_id: input.relationship_manager_id,
        it_lead_id: input.it_lead_id,
        told_standing: None,
        version: input.version,
    };
    db.save_unit_engagement(&caller.actor, &row).await
}

/// Marks a follow-up done, or not done again: its owner, the touchpoint's participants, or an
/// admin.
pub async fn finish_follow_up(
    db: &Db,
    directory: &Directory,
    caller: &Caller,
    id: i64,
    done: bool,
) -> Result<FollowUpView, Error> {
    caller.require_write()?;
    let touchpoint = db.touchpoint_of_follow_up(id).await?;
    let follow_up =
        touchpoint.follow_ups.iter().find(|f| f.id == id).ok_or_else(|| Error::not_found("The follow-up"))?;
    let involved = caller.person_id.is_some_and(|p| touchpoint.people.contains(&p) || follow_up.owner_id == Some(p));
    if !involved && caller.role != bridge_domain::org::Role::Admin {
        return Err(Error::Forbidden("Its owner and the people who took part mark a follow-up done.".into()));
    }
    let row = db.set_follow_up_done(&caller.actor, id, done).await?;
    let mut after = touchpoint.clone();
    after.follow_ups = vec![row];
    Ok(view(directory, &after, caller.person_id, contact::today()).follow_ups.remove(0))
}

/// The daily watch of engagement (06:30 UTC, before the daily digests).
pub const WATCH: &str = "engagement.watch";

pub fn handlers(h: crate::ops::jobs::Handlers, db: Db) -> crate::ops::jobs::Handlers {
    h.every(bridge_domain::jobs::Schedule::Daily { hour: 6 }, WATCH).on(WATCH, move |_| {
        let db = db.clone();
        async move { watch(&db, true).await.map(|_| ()).map_err(|e| e.to_string()) }
    })
}

/// Reminds each overdue follow-up's owner once, and tells a unit's relationship manager and IT
/// lead when it has turned amber or red since they were last told (once per turn); each reaches
/// them in the app, and by email or in their digest as they chose ("things waiting for you").
/// Returns how many notices it meant to write (a run that lost a race to another writes fewer).
/// With `tell` false it only remembers (the demo's history: its keepers knew already).
pub async fn watch(db: &Db, tell: bool) -> Result<usize, Error> {
    use bridge_domain::notify::NoticeKind;
    let directory = super::directory::DirectoryCache::default().get(db).await?;
    hold_past_bookings(db, &directory).await?;
    let actor = bridge_domain::audit::Actor::system("engagement watch");
    let mut reminders = Vec::new();
    for f in db.overdue_follow_ups(contact::today()).await? {
        let kind = TouchpointKind::parse(&f.kind).unwrap_or(TouchpointKind::Other).label().to_lowercase();
        let with = f.unit_id.and_then(|u| directory.unit_name(u)).map(|u| format!(" with {u}")).unwrap_or_default();
        let text = format!(
            "Your follow-up “{}” from the {kind}{with} on {} was due on {}.",
            f.text,
            Date::from_days(f.day),
            Date::from_days(f.due_day)
        );
        let link = format!("/engagement?unit={}#touchpoints-h", f.unit_id.unwrap_or(0));
        let notice = match tell {
            true => super::notify::to_person(db, f.owner_id, &actor, NoticeKind::WaitingForMe, text, link).await?,
            false => None,
        };
        reminders.push((f.id, notice.into_iter().collect::<Vec<_>>()));
    }
    let settings: HashMap<i64, Option<String>> =
        db.unit_engagement().await?.into_iter().map(|s| (s.unit_id, s.told_standing)).collect();
    let mut turns = Vec::new();
    for s in standings(db, &directory).await? {
        let told = settings.get(&s.unit_id).cloned().flatten();
        // What its keepers are told of: the standing, and "+without_it" while the unit plans
        // without IT.
        let now = match s.planning_without_it {
            true => format!("{}+without_it", s.standing),
            false => s.standing.to_string(),
        };
        // Unchanged, or never told and nothing amiss: nothing to say, nothing to remember.
        if told.as_deref() == Some(now.as_str()) || (told.is_none() && !s.losing_touch()) {
            continue;
        }
        // Only a turn for the worse is news (red sorts before amber, amber before in touch), or
        // the unit starting to plan without IT.
        let (told_standing, told_without_it) = match told.as_deref().map(|t| t.split_once('+')) {
            Some(Some((standing, _))) => (Standing::parse(standing), true),
            Some(None) => (told.as_deref().and_then(Standing::parse), false),
            None => (None, false),
        };
        let worse = s.state != Standing::InTouch && told_standing.is_none_or(|b| s.state < b);
        let newly_without_it = s.planning_without_it && !told_without_it;
        let mut notices: Vec<Notice> = Vec::new();
        if tell && (worse || newly_without_it) {
            let link = format!("/engagement/units/{}", s.unit_id);
            for person in [s.relationship_manager.as_ref().map(|p| p.id), s.it_lead.as_ref().map(|p| p.id)] {
                let n =
                    super::notify::to_person(db, person, &actor, NoticeKind::WaitingForMe, s.sentence(), link.clone());
                if let Some(n) = n.await? {
                    if !notices.iter().any(|m| m.account_id == n.account_id) {
                        notices.push(n);
                    }
                }
            }
        }
        turns.push(StandingTurn { unit_id: s.unit_id, before: told, now, notices });
    }
    let written =
        reminders.iter().map(|(_, n)| n.len()).sum::<usize>() + turns.iter().map(|t| t.notices.len()).sum::<usize>();
    db.record_engagement_watch(&reminders, &turns).await?;
    Ok(written)
}

/// How often and how recently a business unit and an IT team were in touch.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MapEntry {
    pub unit_id: i64,
    /// 0: IT people in no team.
    pub team_id: i64,
    /// Contacts (pairs of people in touch) in the map's months.
    pub contacts: i64,
    /// `YYYY-MM-DD`
    pub last_contact: String,
    pub days_since: i64,
}

/// Business units against IT teams over the last `months` months.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RelationshipMap {
    pub months: i64,
    /// (id, name), by name.
    pub units: Vec<(i64, String)>,
    /// (id, name), by name; id 0 for IT people in no team, when there are contacts with them.
    pub teams: Vec<(i64, String)>,
    pub entries: Vec<MapEntry>,
}

pub(crate) fn map_entry(c: &crate::store::engagement::MapCell, today: i64) -> MapEntry {
    MapEntry {
        unit_id: c.unit_id,
        team_id: c.team_id,
        contacts: c.contacts,
        last_contact: Date::from_days(c.last_day).to_string(),
        days_since: today - c.last_day,
    }
}

/// The relationship map: business units against IT teams, from the monthly sums of contacts
/// (its cost does not grow with the number of contacts).
pub async fn relationship_map(db: &Db, directory: &Directory, months: i64) -> Result<RelationshipMap, Error> {
    let today = contact::today();
    let cells = db.contact_map(month_of(today) - (months - 1), None).await?;
    let mut teams = directory.teams.clone();
    if cells.iter().any(|c| c.team_id == 0) {
        teams.push((0, "No team".into()));
    }
    let entries = cells.iter().map(|c| map_entry(c, today)).collect();
    Ok(RelationshipMap { months, units: directory.units.clone(), teams, entries })
}

/// Someone on the other side a person knows, and how well.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct KnownPerson {
    pub person: PersonRef,
    /// `YYYY-MM-DD` of their last contact.
    pub last_contact: String,
    pub days_since: i64,
    pub contacts: i64,
}

/// Who a person knows on the other side, the most recent first.
pub async fn who_they_know(db: &Db, directory: &Directory, person_id: i64) -> Result<Vec<KnownPerson>, Error> {
    let person = directory.person(person_id).ok_or_else(|| Error::not_found("The person"))?;
    let today = contact::today();
    Ok(db
        .acquaintances(person_id, person.side)
        .await?
        .into_iter()
        .filter_map(|a| {
            Some(KnownPerson {
                person: person_ref(directory, a.person_id)?,
                last_contact: Date::from_days(a.last_day).to_string(),
                days_since: today - a.last_day,
                contacts: a.contacts,
            })
        })
        .collect())
}

/// A month's contacts, for a unit's history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MonthFigure {
    /// `YYYY-MM`
    pub month: String,
    pub contacts: i64,
}
