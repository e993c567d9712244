//! Learning's use cases: planning events (one, or a series), reading them in the reader's own
//! time zone, registering with a waiting list that moves up by itself, ticking who came,
//! what was shown afterwards, and feedback from those who came.

use std::collections::HashMap;

use bridge_domain::language::Finding;
use bridge_domain::learning::{
    check_open, parse_zone, validate_event, validate_feedback, validate_materials, when_in, Audience, EventInput,
    EventKind, FeedbackInput, LocalTime, Material, MaterialsInput, Place,
};
use bridge_domain::notify::NoticeKind;
use bridge_domain::Error;
use chrono_tz::Tz;
use serde::Serialize;

use super::directory::Directory;
use super::engagement::PersonRef;
use super::Caller;
use crate::store::learning::{EventFilter, EventRow, RegistrationRow};
use crate::store::{now_ms, Db, Page};

mod calendar;
pub mod principles;
pub mod radar;
pub mod stats;
mod watch;

pub use calendar::*;
pub use watch::{handlers, watch, WATCH};

/// An event as its reader sees it: its time in the reader's zone (or its own when they chose
/// none), and the reader's own place.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EventView {
    pub id: i64,
    /// The first session's id when it is one of a series.
    pub series_id: Option<i64>,
    pub kind: String,
    pub kind_label: &'static str,
    pub title: String,
    pub description: String,
    /// business, it or everyone
    pub audience: String,
    pub audience_label: &'static str,
    /// Milliseconds since 1970 UTC.
    pub starts_at: i64,
    pub ends_at: i64,
    /// The zone it was set in.
    pub time_zone: String,
    /// When, in words, in the reader's zone.
    pub when: String,
    /// `YYYY-MM-DD`, `HH:MM` and `HH:MM` in the event's own zone (as its form takes them).
    pub date: String,
    pub start: String,
    pub end: String,
    pub end_date: String,
    pub place: String,
    pub link: String,
    pub host: Option<PersonRef>,
    pub speakers: Vec<PersonRef>,
    /// None: no limit.
    pub capacity: Option<i64>,
    pub registered: i64,
    pub waiting: i64,
    pub attended: i64,
    pub places_left: Option<i64>,
    /// Links to what was shown: `{"title", "url"}`.
    #[schema(value_type = Vec<Object>)]
    pub materials: Vec<Material>,
    pub recording_url: String,
    pub cancelled: bool,
    /// It has begun (registration is closed) / it is over.
    pub started: bool,
    pub over: bool,
    /// The reader's registration: registered or waiting; None when they have none.
    pub your_place: Option<&'static str>,
    pub you_attended: bool,
    /// The reader hosts or speaks: they tick who came and add what was shown.
    pub yours: bool,
    pub version: i64,
}

fn person_ref(directory: &Directory, id: i64) -> Option<PersonRef> {
    directory.person(id).map(|p| PersonRef { id, name: p.name.clone(), side: p.side.as_str() })
}

/// The zone a reader reads times in: their own choice, else the event's.
pub fn reader_zone(chosen: Option<&str>) -> Option<Tz> {
    chosen.and_then(parse_zone)
}

pub fn view(
    directory: &Directory,
    row: &EventRow,
    speakers: &[i64],
    mine: Option<&RegistrationRow>,
    reader: &Caller,
    zone: Option<Tz>,
    now: i64,
) -> EventView {
    let own_zone = parse_zone(&row.time_zone).unwrap_or(chrono_tz::UTC);
    let (from, until) = (LocalTime::of(row.starts_at, own_zone), LocalTime::of(row.ends_at, own_zone));
    let kind = EventKind::parse(&row.kind).unwrap_or(EventKind::Workshop);
    let audience = Audience::parse(&row.audience).unwrap_or(Audience::Everyone);
    let mine = mine.filter(|r| r.state != Place::Cancelled.as_str());
    EventView {
        id: row.id,
        series_id: row.series_id,
        kind: row.kind.clone(),
        kind_label: kind.label(),
        title: row.title.clone(),
        description: row.description.clone(),
        audience: row.audience.clone(),
        audience_label: audience.label(),
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        time_zone: row.time_zone.clone(),
        when: when_in(row.starts_at, row.ends_at, zone.unwrap_or(own_zone)),
        date: from.date.to_string(),
        start: from.clock(),
        end: until.clock(),
        end_date: if until.date == from.date { String::new() } else { until.date.to_string() },
        place: row.place.clone(),
        link: row.link.clone(),
        host: person_ref(directory, row.host_id),
        speakers: speakers.iter().filter_map(|p| person_ref(directory, *p)).collect(),
        capacity: row.capacity,
        registered: row.registered,
        waiting: row.waiting,
        attended: row.attended,
        places_left: row.capacity.map(|c| (c - row.registered).max(0)),
        materials: row.materials(),
        recording_url: row.recording_url.clone(),
        cancelled: row.cancelled_at.is_some(),
        started: row.starts_at <= now,
        over: row.ends_at <= now,
        your_place: mine.and_then(|r| Place::parse(&r.state)).map(Place::as_str),
        you_attended: mine.is_some_and(|r| r.attended == 1),
        yours: reader.person_id.is_some_and(|p| p == row.host_id || speakers.contains(&p)),
        version: row.version,
    }
}

/// Views of these rows for a reader: their speakers and the reader's registrations in two
/// queries.
async fn views(
    db: &Db,
    directory: &Directory,
    caller: &Caller,
    zone: Option<Tz>,
    rows: &[EventRow],
) -> Result<Vec<EventView>, Error> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let (speakers, mine) = tokio::try_join!(db.speakers(&ids), async {
        match caller.person_id {
            Some(p) => db.registrations_of(p, &ids).await,
            None => Ok(vec![]),
        }
    })?;
    let mut by_event: HashMap<i64, Vec<i64>> = HashMap::new();
    for s in speakers {
        by_event.entry(s.event_id).or_default().push(s.person_id);
    }
    let mine: HashMap<i64, RegistrationRow> = mine.into_iter().map(|r| (r.event_id, r)).collect();
    let now = now_ms();
    Ok(rows
        .iter()
        .map(|r| {
            let speakers = by_event.get(&r.id).map(Vec::as_slice).unwrap_or(&[]);
            view(directory, r, speakers, mine.get(&r.id), caller, zone, now)
        })
        .collect())
}

/// A page of events still to come (the soonest first) or past (the latest first).
pub async fn events(
    db: &Db,
    directory: &Directory,
    caller: &Caller,
    zone: Option<Tz>,
    filter: EventFilter<'_>,
    page: Page,
) -> Result<(Vec<EventView>, i64), Error> {
    if let Some(k) = filter.kind {
        EventKind::parse(k).ok_or_else(|| Error::field("kind", "There is no such kind of event."))?;
    }
    // To the minute: the count of a minute ago still answers (store::counts keeps totals by
    // their query's arguments), and an event over within the minute still shows.
    let minute = now_ms() / 60_000 * 60_000;
    let (rows, total) = db.list_events(filter, minute, page).await?;
    Ok((views(db, directory, caller, zone, &rows).await?, total))
}

pub async fn event(
    db: &Db,
    directory: &Directory,
    caller: &Caller,
    zone: Option<Tz>,
    id: i64,
) -> Result<EventView, Error> {
    let row = db.get_event(id).await?;
    let mut found = views(db, directory, caller, zone, std::slice::from_ref(&row)).await?;
    found.pop().ok_or_else(|| Error::not_found("The event"))
}

/// Who runs an event — changes it, ticks who came, adds what was shown, reads its feedback:
/// its host, its speakers, and administrators.
pub fn runs(caller: &Caller, event: &EventView) -> bool {
    caller.role.is_admin() || event.yours
}

pub const RUN_BY_HOSTS: &str = "Only the event's host, its speakers and administrators can do this.";

pub fn require_runs(caller: &Caller, event: &EventView) -> Result<(), Error> {
    caller.require_write()?;
    match runs(caller, event) {
        true => Ok(()),
        false => Err(Error::forbidden(RUN_BY_HOSTS)),
    }
}

/// A planned event and what the jargon checker found in its description for its audience.
#[derive(Debug, Clone)]
pub struct Planned {
    /// The first session's id, then the series' others.
    pub ids: Vec<i64>,
    /// Words the audience may not know, with the plain words to use (see the glossary).
    pub findings: Vec<Finding>,
}

fn check(
    directory: &Directory,
    caller: &Caller,
    input: &EventInput,
    now: Option<i64>,
) -> Result<bridge_domain::learning::ValidEvent, Error> {
    let host = caller.person_id.ok_or_else(|| Error::forbidden("Events are planned by people in the directory."))?;
    validate_event(input, now, host, |id| directory.person(id).is_some())
}

/// Plans an event, or a series of them (IT people and administrators; business people may
/// plan workshops and trainings of their own too): anyone who may write.
pub async fn plan_event(
    db: &Db,
    directory: &Directory,
    glossary: &super::language::Glossary,
    caller: &Caller,
    input: &EventInput,
) -> Result<Planned, Error> {
    caller.require_write()?;
    let e = check(directory, caller, input, Some(now_ms()))?;
    let findings = glossary.check(db, &e.description, e.audience.reader()).await?;
    let ids = db.create_events(&caller.actor, &e).await?;
    Ok(Planned { ids, findings })
}

/// Changes an event against the version read (its host, speakers or administrators). More
/// places move people up from the waiting list.
pub async fn change_event(
    db: &Db,
    directory: &Directory,
    glossary: &super::language::Glossary,
    caller: &Caller,
    id: i64,
    version: i64,
    input: &EventInput,
) -> Result<Vec<Finding>, Error> {
    let before = event(db, directory, caller, None, id).await?;
    require_runs(caller, &before)?;
    let mut input = input.clone();
    // A change keeps the event where it is in its series.
    input.repeat_weeks.clear();
    let e = check(directory, caller, &input, None)?;
    let findings = glossary.check(db, &e.description, e.audience.reader()).await?;
    db.update_event(&caller.actor, id, version, &e).await?;
    fill_places(db, &caller.actor, id).await?;
    Ok(findings)
}

/// Calls an event off, telling everyone with a place or waiting.
pub async fn call_off(db: &Db, directory: &Directory, caller: &Caller, id: i64) -> Result<(), Error> {
    let e = event(db, directory, caller, None, id).await?;
    require_runs(caller, &e)?;
    let people: Vec<i64> = db.registrations(id).await?.iter().map(|r| r.person_id).collect();
    let text = format!("“{}” on {} was called off.", e.title, e.when);
    let notices =
        super::notify::to_people(db, &people, &caller.actor, NoticeKind::WaitingForMe, &text, &format!("/events/{id}"))
            .await?;
    db.cancel_event(&caller.actor, id, &notices).await
}

/// Registers the caller: a place while there is one, else the waiting list (not an error).
/// Returns it, and the event as it stands after (read before, its counts moved on).
pub async fn register(db: &Db, caller: &Caller, id: i64) -> Result<(Place, EventRow), Error> {
    caller.require_write()?;
    let person = caller.person_id.ok_or_else(|| Error::forbidden("Only people in the directory can register."))?;
    let mut row = db.get_event(id).await?;
    check_open(row.starts_at, row.cancelled_at.is_some(), now_ms())?;
    let place = db.register(&caller.actor, id, person).await?;
    match place {
        Place::Registered => row.registered += 1,
        _ => row.waiting += 1,
    }
    Ok((place, row))
}

/// The event a caller has just registered for, as they see it (one query: its speakers).
pub async fn registered_view(
    db: &Db,
    directory: &Directory,
    caller: &Caller,
    zone: Option<Tz>,
    row: &EventRow,
    place: Place,
) -> Result<EventView, Error> {
    let speakers: Vec<i64> = db.speakers(&[row.id]).await?.into_iter().map(|s| s.person_id).collect();
    let mine = RegistrationRow {
        id: 0,
        event_id: row.id,
        person_id: caller.person_id.unwrap_or(0),
        state: place.as_str().to_string(),
        asked_at: now_ms(),
        attended: 0,
    };
    Ok(view(directory, row, &speakers, Some(&mine), caller, zone, now_ms()))
}

/// Cancels the caller's registration; a place given up goes to the first on the waiting list,
/// who is told.
pub async fn unregister(db: &Db, caller: &Caller, id: i64) -> Result<(), Error> {
    caller.require_write()?;
    let person = caller.person_id.ok_or_else(|| Error::forbidden("Only people in the directory can register."))?;
    let row = db.get_event(id).await?;
    check_open(row.starts_at, row.cancelled_at.is_some(), now_ms())?;
    if db.cancel_registration(&caller.actor, id, person).await? == Place::Registered {
        fill_places(db, &caller.actor, id).await?;
    }
    Ok(())
}

/// Gives free places to those waiting, the first to ask first, each told: until no place is
/// free or no one waits. Safe to run at any time, on any server.
pub async fn fill_places(db: &Db, actor: &bridge_domain::audit::Actor, id: i64) -> Result<usize, Error> {
    let mut moved = 0;
    while let Some(next) = db.first_waiting(id).await? {
        let row = db.get_event(id).await?;
        if row.cancelled_at.is_some() || row.starts_at <= now_ms() {
            break;
        }
        let zone = parse_zone(&row.time_zone).unwrap_or(chrono_tz::UTC);
        let text = format!(
            "A place came free: you now have a place at “{}” on {}.",
            row.title,
            when_in(row.starts_at, row.ends_at, zone)
        );
        // None when they cannot sign in: they get the place without a notice.
        let link = format!("/events/{id}");
        let notice =
            super::notify::to_person(db, Some(next.person_id), actor, NoticeKind::WaitingForMe, text, link).await?;
        match db.move_up(actor, id, next.id, notice).await {
            Ok(true) => moved += 1,
            Ok(false) => break,
            // They cancelled meanwhile: look at the list again.
            Err(Error::Conflict { .. }) => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(moved)
}

/// Someone on an event's list, for its check-in.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Attendee {
    pub person: PersonRef,
    /// registered or waiting
    pub place: String,
    pub attended: bool,
}

/// An event's list: those with a place, then those waiting in order (its host, speakers and
/// administrators).
pub async fn attendees(db: &Db, directory: &Directory, caller: &Caller, id: i64) -> Result<Vec<Attendee>, Error> {
    let e = event(db, directory, caller, None, id).await?;
    require_runs(caller, &e)?;
    let mut list: Vec<Attendee> = db
        .registrations(id)
        .await?
        .into_iter()
        .filter_map(|r| {
            Some(Attendee { person: person_ref(directory, r.person_id)?, place: r.state, attended: r.attended == 1 })
        })
        .collect();
    // Those with a place by name (a list to tick), then the waiting list in its order.
    list.sort_by(|a, b| match (a.place.as_str(), b.place.as_str()) {
        ("registered", "registered") => a.person.name.cmp(&b.person.name),
        ("registered", _) => std::cmp::Ordering::Less,
        (_, "registered") => std::cmp::Ordering::Greater,
        _ => std::cmp::Ordering::Equal,
    });
    Ok(list)
}

/// How long before its start the list can be ticked.
const CHECK_IN_OPENS_MS: i64 = 12 * 3_600_000;

/// Ticks (or unticks) that someone came (its host, speakers or administrators), from the day
/// on; someone who came without registering is added.
pub async fn check_in(
    db: &Db,
    directory: &Directory,
    caller: &Caller,
    id: i64,
    person_id: i64,
    came: bool,
) -> Result<(), Error> {
    let e = event(db, directory, caller, None, id).await?;
    require_runs(caller, &e)?;
    if e.cancelled {
        return Err(Error::conflict("This event was called off."));
    }
    if e.starts_at - CHECK_IN_OPENS_MS > now_ms() {
        return Err(Error::conflict("Who came can be ticked from the day of the event."));
    }
    if directory.person(person_id).is_none() {
        return Err(Error::field("person_id", "There is no such person."));
    }
    db.check_in(&caller.actor, id, person_id, came).await
}

/// Keeps what was shown: links and the recording (host, speakers, administrators).
pub async fn save_materials(
    db: &Db,
    directory: &Directory,
    caller: &Caller,
    id: i64,
    input: &MaterialsInput,
) -> Result<(), Error> {
    let e = event(db, directory, caller, None, id).await?;
    require_runs(caller, &e)?;
    let (links, recording) = validate_materials(input)?;
    db.save_materials(&caller.actor, id, &links, &recording).await
}

/// Feedback from someone who came, once the event has begun (a second replaces the first).
pub async fn give_feedback(
    db: &Db,
    directory: &Directory,
    caller: &Caller,
    id: i64,
    input: &FeedbackInput,
) -> Result<(), Error> {
    caller.require_write()?;
    let e = event(db, directory, caller, None, id).await?;
    let person =
        caller.person_id.ok_or_else(|| Error::forbidden("Only people who attended can give feedback on it."))?;
    let (rating, comment) = validate_feedback(input, e.you_attended)?;
    if !e.started {
        return Err(Error::conflict("Feedback opens when the event begins."));
    }
    db.save_feedback(&caller.actor, id, person, rating, &comment).await
}

/// An event's feedback as its host sees it: the average and each comment (without names:
/// people say more when it is anonymous).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FeedbackSummary {
    pub responses: i64,
    pub average: Option<f64>,
    /// How many gave each rating, 1 to 5.
    pub counts: [i64; 5],
    pub comments: Vec<String>,
}

pub async fn feedback(db: &Db, directory: &Directory, caller: &Caller, id: i64) -> Result<FeedbackSummary, Error> {
    let e = event(db, directory, caller, None, id).await?;
    if !runs(caller, &e) {
        return Err(Error::forbidden("Only the event's host, its speakers and administrators see its feedback."));
    }
    let rows = db.feedback(id).await?;
    let mut counts = [0i64; 5];
    for r in &rows {
        if let Some(c) = usize::try_from(r.rating - 1).ok().and_then(|i| counts.get_mut(i)) {
            *c += 1;
        }
    }
    let n = rows.len() as i64;
    Ok(FeedbackSummary {
        responses: n,
        average: (n > 0).then(|| rows.iter().map(|r| r.rating as f64).sum::<f64>() / n as f64),
        counts,
        comments: rows.into_iter().map(|r| r.comment).filter(|c| !c.is_empty()).collect(),
    })
}
