//! Office hours: open-door time that IT leaders and relationship managers publish, booked by
//! business people in two clicks; both get a calendar invitation by email, and a slot that was
//! held becomes a touchpoint (the daily watch turns yesterday's into them).

use std::sync::Arc;

use bridge_domain::engagement::{
    clock, validate_office_hours, Invitation, OfficeHoursInput, Participant, TouchpointKind, ValidTouchpoint,
    MAX_TOPIC_CHARS,
};
use bridge_domain::intake::parse::Date;
use bridge_domain::notify::NoticeKind;
use bridge_domain::org::{Role, Side};
use bridge_domain::Error;
use serde::Serialize;

use super::{person_ref, PersonRef};
use crate::ops::directory::Directory;
use crate::ops::jobs::{Handlers, JobResult};
use crate::ops::mail::Mailer;
use crate::ops::{contact, Caller};
use crate::store::engagement::{BookingRow, OfficeHoursRow, PersonSide, Slot, INVITE_JOB};
use crate::store::Db;

/// How far ahead slots are offered.
pub const DAYS_AHEAD: i64 = 21;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SlotView {
    /// `YYYY-MM-DD`
    pub date: String,
    /// Monday … Sunday
    pub weekday: &'static str,
    /// `HH:MM`, local time
    pub start: String,
    pub end: String,
    pub start_minute: u32,
    pub booked: bool,
    /// The booking, when the reader made it or hosts it (else hidden: who booked is theirs).
    pub booking_id: Option<i64>,
    pub booked_by: Option<PersonRef>,
    pub topic: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OfficeHoursView {
    pub id: i64,
    pub host: PersonRef,
    /// "Tuesdays 14:00–16:00, 30 minutes each"
    pub when: String,
    pub place: String,
    /// `YYYY-MM-DD`
    pub from: String,
    pub until: Option<String>,
    /// The reader keeps these hours (or is an admin): they may end them.
    #[serde(skip)]
    pub yours: bool,
    /// The slots of the next three weeks.
    pub slots: Vec<SlotView>,
}

/// Who may publish office hours for `host_id`: IT people and relationship managers for
/// themselves, admins for anyone.
async fn may_host(db: &Db, caller: &Caller, host_id: i64) -> Result<(), Error> {
    caller.require_write()?;
    if caller.role == Role::Admin {
        return Ok(());
    }
    if caller.person_id != Some(host_id) {
        return Err(Error::forbidden("You can publish your own office hours; an administrator can publish anyone's."));
    }
    let keeps_a_unit = db.unit_engagement().await?.iter().any(|u| u.relationship_manager_id == Some(host_id));
    if caller.role == Role::It || keeps_a_unit {
        return Ok(());
    }
    Err(Error::forbidden("IT leaders and relationship managers publish office hours."))
}

/// Publishes office hours; the host is the caller unless an admin names another.
pub async fn publish_office_hours(
    db: &Db,
    directory: &Directory,
    caller: &Caller,
    host_id: Option<i64>,
    input: &OfficeHoursInput,
) -> Result<i64, Error> {
    let host =
        host_id.or(caller.person_id).ok_or_else(|| Error::field("host_id", "Choose who keeps the office hours."))?;
    if directory.person(host).is_none() {
        return Err(Error::field("host_id", "There is no such person in the directory."));
    }
    may_host(db, caller, host).await?;
    db.create_office_hours(&caller.actor, host, &validate_office_hours(input)?).await
}

pub async fn end_office_hours(db: &Db, caller: &Caller, id: i64) -> Result<(), Error> {
    let hours = db.get_office_hours(id).await?;
    may_host(db, caller, hours.host_id).await?;
    db.end_office_hours(&caller.actor, id).await
}

/// The office hours offered, each with its slots from today over the next three weeks.
pub async fn office_hours(db: &Db, directory: &Directory, caller: &Caller) -> Result<Vec<OfficeHoursView>, Error> {
    let today = contact::today();
    let (hours, bookings) = tokio::try_join!(db.office_hours(false), db.bookings_between(today, today + DAYS_AHEAD))?;
    Ok(hours.iter().filter_map(|h| view(directory, caller, h, &bookings, today)).collect())
}

pub async fn one_office_hours(
    db: &Db,
    directory: &Directory,
    caller: &Caller,
    id: i64,
) -> Result<OfficeHoursView, Error> {
    let today = contact::today();
    let hours = db.get_office_hours(id).await?;
    let bookings = db.bookings_between(today, today + DAYS_AHEAD).await?;
    view(directory, caller, &hours, &bookings, today).ok_or_else(|| Error::not_found("The office hours"))
}

fn view(
    directory: &Directory,
    caller: &Caller,
    row: &OfficeHoursRow,
    bookings: &[BookingRow],
    today: i64,
) -> Option<OfficeHoursView> {
    let host = person_ref(directory, row.host_id)?;
    let rule = row.hours();
    let hosts = caller.person_id == Some(row.host_id) || caller.role == Role::Admin;
    let mut slots = Vec::new();
    for day in today..=today + DAYS_AHEAD {
        let date = Date::from_days(day);
        if !rule.kept_on(date) {
            continue;
        }
        for start in rule.slot_starts() {
            let booking = bookings
                .iter()
                .find(|b| b.office_hours_id == row.id && b.day == day && b.start_minute == i64::from(start));
            let visible = booking.filter(|b| hosts || caller.person_id == Some(b.booker_id));
            slots.push(SlotView {
                date: date.to_string(),
                weekday: bridge_domain::engagement::WEEKDAYS[rule.weekday as usize],
                start: clock(start),
                end: clock(start + rule.slot_minutes),
                start_minute: start,
                booked: booking.is_some(),
                booking_id: visible.map(|b| b.id),
                booked_by: visible.and_then(|b| person_ref(directory, b.booker_id)),
                topic: visible.map(|b| b.topic.clone()),
            });
        }
    }
    Some(OfficeHoursView {
        id: row.id,
        host,
        when: rule.describe(),
        place: rule.place.clone(),
        from: rule.from.to_string(),
        until: rule.until.map(|u| u.to_string()),
        yours: hosts,
        slots,
    })
}

/// Books a slot for the caller: a day from today on that the hours keep, a slot's start, not
/// their own hours. A slot taken already → 409. Returns the booking's id.
pub async fn book(
    db: &Db,
    directory: &Directory,
    caller: &Caller,
    office_hours_id: i64,
    date: &str,
    start_minute: u32,
    topic: &str,
) -> Result<i64, Error> {
    caller.require_write()?;
    let booker = caller.person_id.ok_or_else(|| Error::forbidden("Only people in the directory book office hours."))?;
    let hours = db.get_office_hours(office_hours_id).await?;
    if hours.ended_at.is_some() {
        return Err(Error::conflict("These office hours are no longer offered."));
    }
    if hours.host_id == booker {
        return Err(Error::field("slot", "These are your own office hours."));
    }
    let day = Date::parse(date.trim()).ok_or_else(|| Error::field("date", "Enter the date as YYYY-MM-DD."))?;
    let today = contact::today();
    if day.days() < today || day.days() > today + DAYS_AHEAD || !hours.hours().is_slot(day, start_minute) {
        return Err(Error::field("slot", "That is not a slot of these office hours: choose one from the list."));
    }
    let topic = topic.trim();
    if topic.chars().count() > MAX_TOPIC_CHARS {
        return Err(Error::field("topic", format!("Keep it to {MAX_TOPIC_CHARS} characters.")));
    }
    let who = directory.person(booker).map_or("Someone", |p| p.name.as_str());
    let about = if topic.is_empty() { String::new() } else { format!(": “{topic}”") };
    let text = format!("{who} booked your office hours on {day} at {}{about}.", clock(start_minute));
    let notice = crate::ops::notify::to_person(
        db,
        Some(hours.host_id),
        &caller.actor,
        NoticeKind::WaitingForMe,
        text,
        String::new(),
    )
    .await?;
    let slot = Slot { office_hours_id, day: day.days(), start_minute: i64::from(start_minute) };
    db.book_slot(&caller.actor, slot, booker, topic, notice, true).await
}

/// Cancels a booking not held yet: its booker, the host, or an admin.
pub async fn cancel_booking(db: &Db, caller: &Caller, booking_id: i64) -> Result<(), Error> {
    caller.require_write()?;
    let booking = db.get_booking(booking_id).await?;
    let hours = db.get_office_hours(booking.office_hours_id).await?;
    let involved = caller.person_id.is_some_and(|p| p == booking.booker_id || p == hours.host_id);
    if !involved && caller.role != Role::Admin {
        return Err(Error::forbidden("The person who booked it and the host cancel a booking."));
    }
    db.cancel_booking(&caller.actor, booking_id).await
}

/// Turns the bookings held before today into touchpoints (office drop-ins between host and
/// booker, with the booker's unit); returns how many.
pub async fn hold_past_bookings(db: &Db, directory: &Directory) -> Result<usize, Error> {
    let actor = bridge_domain::audit::Actor::system("office hours");
    let mut held = 0;
    for b in db.held_bookings(contact::today()).await? {
        let hours = db.get_office_hours(b.office_hours_id).await?;
        let people: Vec<&crate::store::org::Person> =
            [hours.host_id, b.booker_id].iter().filter_map(|id| directory.person(*id)).collect();
        let business_unit = people.iter().find(|p| p.side == Side::Business).and_then(|p| p.unit_id);
        let note = match b.topic.as_str() {
            "" => "Office hours".to_string(),
            topic => format!("Office hours: {topic}"),
        };
        let t = ValidTouchpoint {
            kind: TouchpointKind::DropIn,
            date: Date::from_days(b.day),
            people: people.iter().map(|p| Participant { id: p.id, side: p.side, unit_id: p.unit_id }).collect(),
            unit_id: business_unit,
            note,
            private: false,
            follow_ups: vec![],
        };
        let sides: Vec<PersonSide> = people.iter().map(|p| PersonSide::from(*p)).collect();
        let contacts = contact::pairs(&sides, business_unit, b.day);
        match db.hold_booking(&actor, b.id, &t, &contacts).await {
            Ok(_) => held += 1,
            // Another server held it first, or it was cancelled meanwhile.
            Err(Error::Conflict { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(held)
}

/// The invitation job: with a mail server, both host and booker get the calendar invitation;
/// without one there is nothing to send (the host was told in the app).
pub fn handlers(h: Handlers, db: Db, mailer: Option<Arc<Mailer>>) -> Handlers {
    h.on(INVITE_JOB, move |job| {
        let (db, mailer) = (db.clone(), mailer.clone());
        async move {
            let Some(mailer) = mailer else { return Ok(()) };
            send_invitations(&db, &mailer, &job.payload).await
        }
    })
}

async fn send_invitations(db: &Db, mailer: &Mailer, payload: &str) -> JobResult {
    let id = serde_json::from_str::<serde_json::Value>(payload)
        .ok()
        .and_then(|v| v["booking_id"].as_i64())
        .ok_or("The job names no booking.")?;
    let booking = db.get_booking(id).await.map_err(|e| e.to_string())?;
    let hours = db.get_office_hours(booking.office_hours_id).await.map_err(|e| e.to_string())?;
    let directory = crate::ops::directory::DirectoryCache::default().get(db).await.map_err(|e| e.to_string())?;
    let (Some(host), Some(booker)) = (directory.person(hours.host_id), directory.person(booking.booker_id)) else {
        return Ok(());
    };
    let date = Date::from_days(booking.day);
    let start = booking.start_minute as u32;
    let summary = format!("Office hours: {} and {}", host.name, booker.name);
    let description = match booking.topic.as_str() {
        "" => format!("{} booked {}'s office hours in Bridge.", booker.name, host.name),
        topic => format!("{} booked {}'s office hours in Bridge to talk about: {topic}", booker.name, host.name),
    };
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let uid = format!("office-hours-booking-{id}@bridge");
    let ics = Invitation {
        uid: &uid,
        date,
        start_minute: start,
        minutes: hours.slot_minutes as u32,
        summary: &summary,
        description: &description,
        place: &hours.place,
        organizer: (&host.name, &host.email),
        attendee: (&booker.name, &booker.email),
        stamp: &stamp,
        cancelled: booking.cancelled_at.is_some(),
    }
    .to_ics();
    let text = format!(
        "{description}\n\nWhen: {date} at {}–{}\nWhere: {}\n\nThe invitation is attached: open it to add it to your calendar.",
        clock(start),
        clock(start + hours.slot_minutes as u32),
        hours.place
    );
    for person in [host, booker] {
        mailer.send_invitation(&person.name, &person.email, &summary, &text, &ics).await?;
    }
    Ok(())
}
