//! Calendars: an .ics file per event, each person's feed (the events they registered for,
//! their office-hours bookings and the follow-ups they own) behind a secret address they can
//! reset, and the organisation's feed of every event. Written with the `icalendar` crate:
//! instants in UTC, which every calendar client shows in its own zone.

use base64::Engine;
use bridge_domain::intake::parse::Date;
use bridge_domain::Error;
use chrono::{DateTime, NaiveDate, Utc};
use hmac::{Hmac, Mac};
use icalendar::{Calendar, Component, EventLike, EventStatus};
use sha2::Sha256;

use super::super::directory::Directory;
use crate::store::learning::EventRow;
use crate::store::{now_ms, Db};

const FEED_SECRET: &str = "secret.calendar";
/// How far back a feed reaches: calendars keep what they saw, a feed need not repeat a year.
const FEED_PAST_MS: i64 = 30 * 86_400_000;

fn instant(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

fn naive_day(day: i64) -> NaiveDate {
    let d = Date::from_days(day);
    NaiveDate::from_ymd_opt(i32::from(d.year()), u32::from(d.month()), u32::from(d.day())).unwrap_or_default()
}

/// One event as a calendar entry; `base_url` makes its link absolute.
fn entry(e: &EventRow, base_url: &str, tentative: bool) -> icalendar::Event {
    let link = format!("{base_url}/events/{}", e.id);
    let mut description = e.description.clone();
    if !e.link.is_empty() {
        description.push_str(&format!("\n\nJoin: {}", e.link));
    }
    description.push_str(&format!("\n\nIn Bridge: {link}"));
    let status = match (e.cancelled_at.is_some(), tentative) {
        (true, _) => EventStatus::Cancelled,
        (false, true) => EventStatus::Tentative,
        (false, false) => EventStatus::Confirmed,
    };
    icalendar::Event::new()
        .uid(&format!("event-{}@bridge", e.id))
        .summary(&e.title)
        .description(&description)
        .starts(instant(e.starts_at))
        .ends(instant(e.ends_at))
        .location(if e.place.is_empty() { &e.link } else { &e.place })
        .status(status)
        .add_property("URL", &link)
        .add_property("SEQUENCE", e.version.to_string())
        .done()
}

/// The .ics file of one event.
pub fn event_ics(e: &EventRow, base_url: &str) -> String {
    let mut cal = Calendar::new();
    cal.name(&e.title).push(entry(e, base_url, false));
    cal.done().to_string()
}

/// The organisation's feed: every event from a month ago on.
pub async fn organisation_feed(db: &Db, base_url: &str) -> Result<String, Error> {
    let events = db.public_events(now_ms() - FEED_PAST_MS).await?;
    let mut cal = Calendar::new();
    cal.name("Bridge: events");
    for e in &events {
        cal.push(entry(e, base_url, false));
    }
    Ok(cal.done().to_string())
}

fn feed_mac(secret: &[u8], person_id: i64, generation: i64) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(format!("calendar:{person_id}:{generation}").as_bytes());
    mac
}

/// A person's feed address (its path): the person, the generation and their signature.
pub async fn feed_path(db: &Db, person_id: i64) -> Result<String, Error> {
    let (secret, generation) =
        tokio::try_join!(super::super::server_secret(db, FEED_SECRET), db.feed_generation(person_id))?;
    let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(feed_mac(&secret, person_id, generation).finalize().into_bytes());
    Ok(format!("/calendar/{person_id}.{generation}.{sig}.ics"))
}

/// Makes a person's feed address new; the old one stops working. Returns the new path.
pub async fn reset_feed(db: &Db, person_id: i64) -> Result<String, Error> {
    db.reset_feed(person_id).await?;
    feed_path(db, person_id).await
}

/// Whose feed an address's code (`person.generation.signature`) opens: a reset or forged code
/// opens none.
pub async fn feed_owner(db: &Db, code: &str) -> Result<i64, Error> {
    let refused = || Error::not_found("This calendar address (it may have been reset)");
    let mut parts = code.strip_suffix(".ics").unwrap_or(code).splitn(3, '.');
    let (Some(person), Some(generation), Some(sig)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(refused());
    };
    let (person, generation): (i64, i64) =
        (person.parse().map_err(|_| refused())?, generation.parse().map_err(|_| refused())?);
    let given = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(sig).map_err(|_| refused())?;
    let (secret, current) = tokio::try_join!(super::super::server_secret(db, FEED_SECRET), db.feed_generation(person))?;
    // verify_slice compares in constant time.
    feed_mac(&secret, person, generation).verify_slice(&given).map_err(|_| refused())?;
    if generation != current {
        return Err(refused());
    }
    Ok(person)
}

/// A person's calendar: the events they have a place at (or wait for: tentative), their
/// office-hours bookings, and the follow-ups they own on their day.
pub async fn personal_feed(db: &Db, directory: &Directory, person_id: i64, base_url: &str) -> Result<String, Error> {
    let since = now_ms() - FEED_PAST_MS;
    let since_day = since.div_euclid(86_400_000);
    let (events, bookings, follow_ups) = tokio::try_join!(
        db.feed_events(person_id, since),
        db.feed_bookings(person_id, since_day),
        db.feed_follow_ups(person_id, since_day)
    )?;
    let name = directory.person_name(person_id).unwrap_or("you");
    let mut cal = Calendar::new();
    cal.name(&format!("Bridge: {name}"));
    for (e, state) in &events {
        cal.push(entry(e, base_url, state == "waiting"));
    }
    for b in &bookings {
        // Office hours keep the organisation's local time: floating times, as the host set them.
        let day = naive_day(b.day);
        let at = |minute: i64| day.and_hms_opt(0, 0, 0).unwrap_or_default() + chrono::Duration::minutes(minute);
        let other = if b.host_id == person_id { b.booker_id } else { b.host_id };
        let with = directory.person_name(other).unwrap_or("someone");
        let topic = if b.topic.is_empty() { String::new() } else { format!(": {}", b.topic) };
        cal.push(
            icalendar::Event::new()
                .uid(&format!("booking-{}@bridge", b.id))
                .summary(&format!("Office hours with {with}{topic}"))
                .starts(at(b.start_minute))
                .ends(at(b.start_minute + b.slot_minutes))
                .location(&b.place)
                .add_property("URL", format!("{base_url}/office-hours"))
                .done(),
        );
    }
    for f in &follow_ups {
        let done = if f.done_at.is_some() { " (done)" } else { "" };
        cal.push(
            icalendar::Event::new()
                .uid(&format!("follow-up-{}@bridge", f.id))
                .summary(&format!("Follow-up{done}: {}", f.text))
                .all_day(naive_day(f.due_day))
                .add_property("URL", format!("{base_url}/engagement"))
                .done(),
        );
    }
    Ok(cal.done().to_string())
}

/// Each person's feed as last written, kept until events, office hours, touchpoints (their
/// follow-ups) or the directory change, or the day turns: a calendar client asking again costs
/// one comparison of numbers.
#[derive(Default)]
pub struct FeedCache {
    feeds: std::sync::Mutex<std::collections::HashMap<i64, std::sync::Arc<Feed>>>,
}

/// One person's feed: the day it was written and its text.
type Feed = crate::ops::cache::Versioned<(i64, String)>;

/// Feeds kept at most; past it, all are dropped and written again as asked.
const FEEDS_KEPT: usize = 10_000;

impl FeedCache {
    /// After this server changed something: every feed is written again when next asked.
    pub fn invalidate(&self) {
        self.feeds.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    pub async fn get(
        &self,
        db: &Db,
        directory: &Directory,
        person_id: i64,
        base_url: &str,
    ) -> Result<std::sync::Arc<(i64, String)>, Error> {
        use bridge_domain::audit::Entity;
        let feed = {
            let mut feeds = self.feeds.lock().unwrap_or_else(|e| e.into_inner());
            if feeds.len() >= FEEDS_KEPT {
                feeds.clear();
            }
            feeds
                .entry(person_id)
                .or_insert_with(|| {
                    std::sync::Arc::new(crate::ops::cache::Versioned::new(&[
                        Entity::Event,
                        Entity::OfficeHours,
                        Entity::Touchpoint,
                        Entity::Person,
                    ]))
                })
                .clone()
        };
        let today = now_ms().div_euclid(86_400_000);
        feed.get_valid(
            db,
            |built| built.0 == today,
            || async { Ok((today, personal_feed(db, directory, person_id, base_url).await?)) },
        )
        .await
    }
}
