//! The hourly watch of events: reminders the day before to everyone with a place, a request for
//! feedback to those who came once it is over, and places that came free given to those
//! waiting. Each is written once whichever server runs it, and however often.

use bridge_domain::audit::Actor;
use bridge_domain::jobs::Schedule;
use bridge_domain::learning::{parse_zone, when_in};
use bridge_domain::notify::NoticeKind;
use bridge_domain::Error;

use crate::ops::jobs::Handlers;
use crate::store::learning::{EventRow, TellColumn};
use crate::store::{now_ms, Db};

pub const WATCH: &str = "learning.watch";

const DAY_MS: i64 = 86_400_000;

pub fn handlers(h: Handlers, db: Db) -> Handlers {
    h.every(Schedule::Hourly, WATCH).on(WATCH, move |_| {
        let db = db.clone();
        async move { watch(&db).await.map(|_| ()).map_err(|e| e.to_string()) }
    })
}

fn when(e: &EventRow) -> String {
    when_in(e.starts_at, e.ends_at, parse_zone(&e.time_zone).unwrap_or(chrono_tz::UTC))
}

/// Runs the watch once; returns how many notices it wrote.
pub async fn watch(db: &Db) -> Result<usize, Error> {
    let actor = Actor::system("Bridge");
    let now = now_ms();
    let mut written = 0;
    // Each place is reminded once, a place taken after a run too: by event, those not told yet.
    let mut due: std::collections::BTreeMap<i64, Vec<(i64, i64)>> = std::collections::BTreeMap::new();
    for r in db.places_to_remind(now, now + DAY_MS).await? {
        due.entry(r.event_id).or_default().push((r.id, r.person_id));
    }
    for (event_id, places) in due {
        let e = db.get_event(event_id).await?;
        let people: Vec<i64> = places.iter().map(|p| p.1).collect();
        let place = if e.place.is_empty() { e.link.clone() } else { e.place.clone() };
        let text = format!("Tomorrow: “{}”, {} — {place}.", e.title, when(&e));
        let link = format!("/events/{}", e.id);
        let notices =
            crate::ops::notify::to_people(db, &people, &actor, NoticeKind::WaitingForMe, &text, &link).await?;
        let ids: Vec<i64> = places.iter().map(|p| p.0).collect();
        if db.mark_reminded(&ids, &notices).await? {
            written += notices.len();
        }
    }
    // Feedback is asked for within a week of the end (an older event is not asked any more).
    for e in db.events_to_ask(now - 7 * DAY_MS, now).await? {
        let came: Vec<i64> =
            db.registrations(e.id).await?.iter().filter(|r| r.attended == 1).map(|r| r.person_id).collect();
        let text = format!("How was “{}”? Two clicks tell its host what to keep and what to change.", e.title);
        let link = format!("/events/{}#feedback", e.id);
        let notices = crate::ops::notify::to_people(db, &came, &actor, NoticeKind::WaitingForMe, &text, &link).await?;
        if db.mark_event_told(e.id, TellColumn::FeedbackAsked, &notices).await? {
            written += notices.len();
        }
    }
    for id in db.events_with_places_for_waiting(now).await? {
        written += super::fill_places(db, &actor, id).await?;
    }
    Ok(written)
}
