//! Learning events and their registrations. Each event keeps its counts of places taken,
//! people waiting and people who came, changed in the transaction of the registration that
//! changes them: a place is taken by raising `registered` while it is below `capacity`, one
//! statement that two people asking at once cannot both pass.

use bridge_domain::audit::{Actor, Entity};
use bridge_domain::learning::{Material, Place, ValidEvent};
use bridge_domain::Error;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::audit::Change;
use super::notifications::Notice;
use super::{args, id_list, now_ms, tx, Arg, Db};

mod feeds;
pub mod principles;
pub mod radar;
pub mod stats;
pub use feeds::*;

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct EventRow {
    pub id: i64,
    pub series_id: Option<i64>,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub audience: String,
    /// Milliseconds since 1970 UTC.
    pub starts_at: i64,
    pub ends_at: i64,
    pub time_zone: String,
    pub place: String,
    pub link: String,
    pub host_id: i64,
    pub capacity: Option<i64>,
    pub registered: i64,
    pub waiting: i64,
    pub attended: i64,
    /// JSON: [{"title", "url"}]
    pub materials: String,
    pub recording_url: String,
    pub cancelled_at: Option<i64>,
    pub version: i64,
}

impl EventRow {
    pub fn materials(&self) -> Vec<Material> {
        serde_json::from_str(&self.materials).unwrap_or_default()
    }
}

const EVENT: &str = "id, series_id, kind, title, description, audience, starts_at, ends_at, time_zone, place, link,
    host_id, capacity, registered, waiting, attended, materials, recording_url, cancelled_at, version";

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct RegistrationRow {
    pub id: i64,
    pub event_id: i64,
    pub person_id: i64,
    /// registered, waiting or cancelled
    pub state: String,
    pub asked_at: i64,
    pub attended: i64,
}

const REGISTRATION: &str = "id, event_id, person_id, state, asked_at, attended";

#[derive(Deserialize, sqlx::FromRow)]
struct EventId {
    id: i64,
}

#[derive(Debug, Clone, Copy, Deserialize, sqlx::FromRow)]
pub struct Speaker {
    pub event_id: i64,
    pub person_id: i64,
}

/// Which events to list: those still to come (the soonest first) or those past (the latest
/// first), of one kind or all.
#[derive(Debug, Clone, Copy, Default)]
pub struct EventFilter<'a> {
    pub past: bool,
    pub kind: Option<&'a str>,
}

impl Tx<'_> {
    async fn insert_speakers(&mut self, event_id: i64, speakers: &[i64]) -> Result<(), super::Failure> {
        let rows: Vec<Vec<Arg>> = speakers.iter().map(|p| vec![Arg::I(event_id), Arg::I(*p)]).collect();
        self.insert_many("event_speakers", &["event_id", "person_id"], &rows).await
    }
}

use super::Tx;

impl Db {
    /// Writes an event, or each session of a series (which then shares the first one's id as
    /// its series): together. Returns the ids, the first session's first.
    pub async fn create_events(&self, actor: &Actor, e: &ValidEvent) -> Result<Vec<i64>, Error> {
        let now = now_ms();
        tx!(self, tx => {
            let mut ids = Vec::new();
            for (starts, ends) in &e.sessions {
                let series = ids.first().copied().or((e.sessions.len() > 1).then_some(0));
                let id = tx.number(
                    "INSERT INTO events (series_id, kind, title, description, audience, starts_at, ends_at, time_zone,
                        place, link, host_id, capacity, created_by_name, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
                    &args![series, e.kind.as_str(), &e.title, &e.description, e.audience.as_str(), *starts, *ends,
                        &e.time_zone, &e.place, &e.link, e.host_id, e.capacity, actor.name.as_str(), now],
                ).await?;
                tx.insert_speakers(id, &e.speakers).await?;
                ids.push(id);
            }
            if ids.len() > 1 {
                tx.execute("UPDATE events SET series_id = $1 WHERE id = $1", &args![ids[0]]).await?;
            }
            tx.record(&Change { actor, action: "create", entity: Entity::Event, entity_id: ids.first().copied(),
                summary: format!("Planned {} “{}”", match ids.len() { 1 => "an event".to_string(), n => format!("{n} sessions of") }, e.title),
                before: None, after: Some(json!({"kind": e.kind.as_str(), "sessions": ids.len()})) }).await?;
            Ok(ids)
        })
    }

    /// Changes an event (its first session's time only: a series' other sessions keep theirs)
    /// against the version read; stale → 409.
    pub async fn update_event(&self, actor: &Actor, id: i64, version: i64, e: &ValidEvent) -> Result<(), Error> {
        let (starts, ends) = e.sessions.first().copied().ok_or_else(|| Error::internal("an event without a time"))?;
        tx!(self, tx => {
            // A new time: the reminders go out again before it.
            tx.execute("UPDATE registrations SET reminded_at = NULL
                WHERE event_id = $1 AND EXISTS (SELECT 1 FROM events WHERE id = $1 AND starts_at <> $2)",
                &args![id, starts]).await?;
            let changed = tx.execute(
                "UPDATE events SET kind = $1, title = $2, description = $3, audience = $4, starts_at = $5, ends_at = $6,
                    time_zone = $7, place = $8, link = $9, host_id = $10, capacity = $11, version = version + 1
                 WHERE id = $12 AND version = $13",
                &args![e.kind.as_str(), &e.title, &e.description, e.audience.as_str(), starts, ends, &e.time_zone,
                    &e.place, &e.link, e.host_id, e.capacity, id, version],
            ).await?;
            if changed == 0 {
                return Err(Error::stale("event"));
            }
            tx.execute("DELETE FROM event_speakers WHERE event_id = $1", &args![id]).await?;
            tx.insert_speakers(id, &e.speakers).await?;
            tx.record(&Change { actor, action: "update", entity: Entity::Event, entity_id: Some(id),
                summary: format!("Changed the event “{}”", e.title), before: None,
                after: Some(json!({"starts_at": starts, "capacity": e.capacity})) }).await?;
            Ok(())
        })
    }

    /// Calls an event off, telling everyone with a place or waiting.
    pub async fn cancel_event(&self, actor: &Actor, id: i64, notices: &[Notice]) -> Result<(), Error> {
        let now = now_ms();
        tx!(self, tx => {
            let changed = tx.execute("UPDATE events SET cancelled_at = $1, version = version + 1
                WHERE id = $2 AND cancelled_at IS NULL", &args![now, id]).await?;
            if changed == 0 {
                return Err(Error::conflict("This event was called off already."));
            }
            tx.notify(now, notices).await?;
            tx.record(&Change { actor, action: "cancel", entity: Entity::Event, entity_id: Some(id),
                summary: "Called an event off".into(), before: None, after: None }).await?;
            Ok(())
        })
    }

    pub async fn save_materials(
        &self,
        actor: &Actor,
        id: i64,
        materials: &[Material],
        recording_url: &str,
    ) -> Result<(), Error> {
        let json = serde_json::to_string(materials).map_err(Error::internal)?;
        tx!(self, tx => {
            let changed = tx.execute("UPDATE events SET materials = $1, recording_url = $2, version = version + 1
                WHERE id = $3", &args![&json, recording_url, id]).await?;
            if changed == 0 {
                return Err(Error::not_found("The event"));
            }
            tx.record(&Change { actor, action: "materials", entity: Entity::Event, entity_id: Some(id),
                summary: "Added what was shown at an event".into(), before: None,
                after: Some(json!({"links": materials.len()})) }).await?;
            Ok(())
        })
    }

    pub async fn get_event(&self, id: i64) -> Result<EventRow, Error> {
        self.first(format!("SELECT {EVENT} FROM events WHERE id = $1"), vec![Arg::I(id)])
            .await?
            .ok_or_else(|| Error::not_found("The event"))
    }

    /// A page of events from `now` on (or before it), `limit` of them after the `after`-th.
    pub async fn list_events(
        &self,
        f: EventFilter<'_>,
        now: i64,
        page: super::Page,
    ) -> Result<(Vec<EventRow>, i64), Error> {
        // Bounded by the start too (an event lasts a week at most), so both read a range of the
        // index on the start instead of walking past every event on the other side of now.
        let (when, order, mut args) = match f.past {
            false => (
                "starts_at > $2 AND ends_at > $1",
                "starts_at, id",
                vec![Arg::I(now), Arg::I(now - bridge_domain::learning::MAX_EVENT_MS)],
            ),
            true => ("starts_at <= $1 AND ends_at <= $1", "starts_at DESC, id DESC", vec![Arg::I(now)]),
        };
        let mut conditions = format!("{when} AND cancelled_at IS NULL");
        if let Some(k) = f.kind {
            args.push(Arg::S(k.to_string()));
            conditions.push_str(&format!(" AND kind = ${}", args.len()));
        }
        let count_args = args.clone();
        let n = args.len();
        args.extend([Arg::I(page.limit), Arg::I(page.offset)]);
        self.page_of(
            super::Listing {
                sql: format!(
                    "SELECT {EVENT} FROM events WHERE {conditions} ORDER BY {order} LIMIT ${} OFFSET ${}",
                    n + 1,
                    n + 2
                ),
                args,
                count_sql: format!("SELECT COUNT(*) FROM events WHERE {conditions}"),
                count_args,
            },
            page,
        )
        .await
    }

    /// The events with these ids.
    pub async fn events_by_id(&self, ids: &[i64]) -> Result<Vec<EventRow>, Error> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        self.rows(format!("SELECT {EVENT} FROM events WHERE id IN ({}) ORDER BY starts_at, id", id_list(ids)), vec![])
            .await
    }

    /// The speakers of these events.
    pub async fn speakers(&self, event_ids: &[i64]) -> Result<Vec<Speaker>, Error> {
        if event_ids.is_empty() {
            return Ok(vec![]);
        }
        let sql = format!("SELECT event_id, person_id FROM event_speakers WHERE event_id IN ({})", id_list(event_ids));
        self.rows(sql, vec![]).await
    }

    /// A person's registrations for these events (whatever their state).
    pub async fn registrations_of(&self, person_id: i64, event_ids: &[i64]) -> Result<Vec<RegistrationRow>, Error> {
        if event_ids.is_empty() {
            return Ok(vec![]);
        }
        let sql = format!(
            "SELECT {REGISTRATION} FROM registrations WHERE person_id = $1 AND event_id IN ({})",
            id_list(event_ids)
        );
        self.rows(sql, vec![Arg::I(person_id)]).await
    }

    /// An event's registrations still standing (with a place, then waiting, in the order they
    /// asked).
    pub async fn registrations(&self, event_id: i64) -> Result<Vec<RegistrationRow>, Error> {
        self.rows(
            format!(
                "SELECT {REGISTRATION} FROM registrations WHERE event_id = $1 AND state <> 'cancelled'
                 ORDER BY state, asked_at, id"
            ),
            vec![Arg::I(event_id)],
        )
        .await
    }

    /// Registers a person: a place while there is one, else the waiting list. Registered or
    /// waiting already → 409; a registration cancelled before asks again at the back.
    pub async fn register(&self, actor: &Actor, event_id: i64, person_id: i64) -> Result<Place, Error> {
        let now = now_ms();
        tx!(self, tx => {
            let took = tx.execute(
                "UPDATE events SET registered = registered + 1
                 WHERE id = $1 AND (capacity IS NULL OR registered < capacity)",
                &args![event_id]).await?;
            let place = if took == 1 { Place::Registered } else { Place::Waiting };
            if place == Place::Waiting {
                tx.execute("UPDATE events SET waiting = waiting + 1 WHERE id = $1", &args![event_id]).await?;
            }
            // New, or asking again after cancelling (at the back of the list); a standing
            // registration is left as it is, and is a conflict.
            let written = tx.execute(
                "INSERT INTO registrations (event_id, person_id, state, asked_at, updated_at) VALUES ($1, $2, $3, $4, $4)
                 ON CONFLICT (event_id, person_id) DO UPDATE SET state = excluded.state, asked_at = excluded.asked_at,
                    updated_at = excluded.updated_at, attended = 0
                 WHERE registrations.state = 'cancelled'",
                &args![event_id, person_id, place.as_str(), now],
            ).await?;
            if written == 0 {
                return Err(Error::conflict("You are registered for this event already."));
            }
            tx.record(&Change { actor, action: "register", entity: Entity::Event, entity_id: Some(event_id),
                summary: match place { Place::Registered => "Registered for an event", _ => "Joined an event's waiting list" }.into(),
                before: None, after: Some(json!({"person_id": person_id, "place": place.as_str()})) }).await?;
            Ok(place)
        })
    }

    /// Cancels a person's registration; returns what they had. Not registered → 409.
    pub async fn cancel_registration(&self, actor: &Actor, event_id: i64, person_id: i64) -> Result<Place, Error> {
        let now = now_ms();
        tx!(self, tx => {
            let had: Option<RegistrationRow> = tx.first(
                &format!("SELECT {REGISTRATION} FROM registrations WHERE event_id = $1 AND person_id = $2"),
                &args![event_id, person_id]).await?;
            let had = had.and_then(|r| Place::parse(&r.state)).filter(|p| *p != Place::Cancelled);
            let Some(had) = had else {
                return Err(Error::conflict("You are not registered for this event."));
            };
            let changed = tx.execute(
                "UPDATE registrations SET state = 'cancelled', updated_at = $1
                 WHERE event_id = $2 AND person_id = $3 AND state = $4",
                &args![now, event_id, person_id, had.as_str()]).await?;
            if changed == 0 {
                return Err(Error::conflict("Your registration changed meanwhile: look again."));
            }
            let counter = match had { Place::Registered => "registered", _ => "waiting" };
            tx.execute(&format!("UPDATE events SET {counter} = {counter} - 1 WHERE id = $1"), &args![event_id]).await?;
            tx.record(&Change { actor, action: "unregister", entity: Entity::Event, entity_id: Some(event_id),
                summary: "Cancelled a registration for an event".into(), before: None,
                after: Some(json!({"person_id": person_id, "had": had.as_str()})) }).await?;
            Ok(had)
        })
    }

    /// The first on an event's waiting list, if any.
    pub async fn first_waiting(&self, event_id: i64) -> Result<Option<RegistrationRow>, Error> {
        self.first(
            format!(
                "SELECT {REGISTRATION} FROM registrations WHERE event_id = $1 AND state = 'waiting'
                 ORDER BY asked_at, id LIMIT 1"
            ),
            vec![Arg::I(event_id)],
        )
        .await
    }

    /// Gives the waiting registration `registration_id` a place if one is free, telling them:
    /// false (and nothing written) when none is free or they are no longer waiting.
    pub async fn move_up(
        &self,
        actor: &Actor,
        event_id: i64,
        registration_id: i64,
        notice: Option<Notice>,
    ) -> Result<bool, Error> {
        let now = now_ms();
        tx!(self, tx => {
            let free = tx.execute(
                "UPDATE events SET registered = registered + 1, waiting = waiting - 1
                 WHERE id = $1 AND (capacity IS NULL OR registered < capacity)", &args![event_id]).await?;
            if free == 0 {
                return Ok(false);
            }
            let moved = tx.execute(
                "UPDATE registrations SET state = 'registered', updated_at = $1 WHERE id = $2 AND state = 'waiting'",
                &args![now, registration_id]).await?;
            if moved == 0 {
                return Err(Error::conflict("no longer waiting"));
            }
            tx.notify(now, &notice.into_iter().collect::<Vec<_>>()).await?;
            tx.record(&Change { actor, action: "move_up", entity: Entity::Event, entity_id: Some(event_id),
                summary: "Gave a place to the first on the waiting list".into(), before: None,
                after: Some(json!({"registration_id": registration_id})) }).await?;
            Ok(true)
        })
    }

    /// Ticks (or unticks) that a person came; someone who came without registering is added.
    pub async fn check_in(&self, actor: &Actor, event_id: i64, person_id: i64, came: bool) -> Result<(), Error> {
        let now = now_ms();
        tx!(self, tx => {
            let had: Option<RegistrationRow> = tx.first(
                &format!("SELECT {REGISTRATION} FROM registrations WHERE event_id = $1 AND person_id = $2"),
                &args![event_id, person_id]).await?;
            match had {
                Some(r) if (r.attended == 1) == came => return Ok(()),
                Some(r) => {
                    tx.execute("UPDATE registrations SET attended = $1, checked_in_at = $2, updated_at = $2 WHERE id = $3",
                        &args![i64::from(came), now, r.id]).await?;
                }
                None if came => {
                    tx.execute("INSERT INTO registrations (event_id, person_id, state, asked_at, updated_at, attended, checked_in_at)
                        VALUES ($1, $2, 'registered', $3, $3, 1, $3)", &args![event_id, person_id, now]).await?;
                    tx.execute("UPDATE events SET registered = registered + 1 WHERE id = $1", &args![event_id]).await?;
                }
                None => return Ok(()),
            }
            let step = if came { "+ 1" } else { "- 1" };
            tx.execute(&format!("UPDATE events SET attended = attended {step} WHERE id = $1"), &args![event_id]).await?;
            tx.record(&Change { actor, action: if came { "check_in" } else { "check_out" }, entity: Entity::Event,
                entity_id: Some(event_id), summary: if came { "Ticked someone as there" } else { "Unticked someone" }.into(),
                before: None, after: Some(json!({"person_id": person_id})) }).await?;
            Ok(())
        })
    }

    /// Keeps a person's feedback on an event (a second time replaces the first).
    pub async fn save_feedback(
        &self,
        actor: &Actor,
        event_id: i64,
        person_id: i64,
        rating: i64,
        comment: &str,
    ) -> Result<(), Error> {
        let now = now_ms();
        tx!(self, tx => {
            tx.execute(
                "INSERT INTO event_feedback (event_id, person_id, rating, comment, created_at) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (event_id, person_id) DO UPDATE SET rating = excluded.rating, comment = excluded.comment,
                    created_at = excluded.created_at",
                &args![event_id, person_id, rating, comment, now]).await?;
            tx.record(&Change { actor, action: "feedback", entity: Entity::Event, entity_id: Some(event_id),
                summary: "Gave feedback on an event".into(), before: None, after: Some(json!({"rating": rating})) }).await?;
            Ok(())
        })
    }

    /// An event's feedback: (rating, comment), the newest first.
    pub async fn feedback(&self, event_id: i64) -> Result<Vec<FeedbackRow>, Error> {
        self.rows(
            "SELECT person_id, rating, comment, created_at FROM event_feedback WHERE event_id = $1 ORDER BY created_at DESC"
                .into(),
            vec![Arg::I(event_id)],
        )
        .await
    }

    /// Places at events starting between `from` and `until` not reminded yet (for the
    /// day-before reminders).
    pub async fn places_to_remind(&self, from: i64, until: i64) -> Result<Vec<RegistrationRow>, Error> {
        let columns: Vec<String> = REGISTRATION.split(", ").map(|c| format!("r.{c}")).collect();
        self.rows(
            format!(
                "SELECT {} FROM registrations r JOIN events e ON e.id = r.event_id
                 WHERE e.starts_at > $1 AND e.starts_at <= $2 AND e.cancelled_at IS NULL
                   AND r.state = 'registered' AND r.reminded_at IS NULL ORDER BY e.starts_at, r.id LIMIT 5000",
                columns.join(", ")
            ),
            vec![Arg::I(from), Arg::I(until)],
        )
        .await
    }

    /// Marks these registrations reminded and writes their notices, once: false (and nothing
    /// written) when another run reminded any of them first.
    pub async fn mark_reminded(&self, registrations: &[i64], notices: &[Notice]) -> Result<bool, Error> {
        let now = now_ms();
        let marked = tx!(self, tx => {
            let marked = tx.execute(&format!("UPDATE registrations SET reminded_at = $1
                WHERE id IN ({}) AND reminded_at IS NULL", id_list(registrations)), &args![now]).await?;
            if marked as usize != registrations.len() {
                return Err(Error::conflict("reminded by another run"));
            }
            tx.notify(now, notices).await?;
            Ok(())
        });
        match marked {
            Ok(()) => Ok(true),
            Err(Error::Conflict { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Events over by `now` (since `since`) whose attendees were not asked for feedback yet.
    pub async fn events_to_ask(&self, since: i64, now: i64) -> Result<Vec<EventRow>, Error> {
        self.rows(
            format!(
                "SELECT {EVENT} FROM events WHERE ends_at > $1 AND ends_at <= $2 AND feedback_asked_at IS NULL
                 AND cancelled_at IS NULL AND attended > 0 ORDER BY ends_at LIMIT 500"
            ),
            vec![Arg::I(since), Arg::I(now)],
        )
        .await
    }

    /// Upcoming events with free places and people waiting (a move-up that did not happen).
    pub async fn events_with_places_for_waiting(&self, now: i64) -> Result<Vec<i64>, Error> {
        let rows: Vec<EventId> = self
            .rows(
                "SELECT id FROM events WHERE starts_at > $1 AND waiting > 0 AND cancelled_at IS NULL
                 AND capacity IS NOT NULL AND registered < capacity LIMIT 500"
                    .into(),
                vec![Arg::I(now)],
            )
            .await?;
        Ok(rows.into_iter().map(|r| r.id).collect())
    }

    /// Marks `column` (feedback_asked_at) of an event and writes its notices,
    /// once: false when another run did it first.
    pub async fn mark_event_told(&self, event_id: i64, column: TellColumn, notices: &[Notice]) -> Result<bool, Error> {
        let now = now_ms();
        let column = column.as_str();
        tx!(self, tx => {
            let marked = tx.execute(&format!("UPDATE events SET {column} = $1 WHERE id = $2 AND {column} IS NULL"),
                &args![now, event_id]).await?;
            if marked == 0 {
                return Ok(false);
            }
            tx.notify(now, notices).await?;
            Ok(true)
        })
    }
}

/// An event written with its registrations and feedback in one go (the demo's year, the
/// benchmark's): its counts follow from them.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub event: ValidEvent,
    pub registrations: Vec<NewRegistration>,
    /// (person, rating, comment)
    pub feedback: Vec<(i64, i64, String)>,
    /// The reminders and feedback requests went out already (for events written as past).
    pub told: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct NewRegistration {
    pub person_id: i64,
    pub place: Place,
    pub asked_at: i64,
    pub attended: bool,
}

impl Db {
    /// Writes events (each with one session) with their registrations and feedback, a thousand
    /// to a transaction, with one audit entry each time. Returns how many were written.
    pub async fn add_events(&self, actor: &Actor, events: &[NewEvent]) -> Result<usize, Error> {
        for chunk in events.chunks(1000) {
            let now = now_ms();
            tx!(self, tx => {
                let mut registrations: Vec<Vec<Arg>> = Vec::new();
                let mut feedback: Vec<Vec<Arg>> = Vec::new();
                for n in chunk {
                    let e = &n.event;
                    let (starts, ends) = e.sessions.first().copied().unwrap_or((now, now));
                    let count = |p: Place| n.registrations.iter().filter(|r| r.place == p).count() as i64;
                    let came = n.registrations.iter().filter(|r| r.attended).count() as i64;
                    let told = n.told.then_some(now);
                    let id = tx.number(
                        "INSERT INTO events (kind, title, description, audience, starts_at, ends_at, time_zone, place, link,
                            host_id, capacity, registered, waiting, attended, feedback_asked_at, created_by_name, created_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
                        &args![e.kind.as_str(), &e.title, &e.description, e.audience.as_str(), starts, ends, &e.time_zone,
                            &e.place, &e.link, e.host_id, e.capacity, count(Place::Registered), count(Place::Waiting), came,
                            told, actor.name.as_str(), now],
                    ).await?;
                    tx.insert_speakers(id, &e.speakers).await?;
                    for r in &n.registrations {
                        registrations.push(vec![Arg::I(id), Arg::I(r.person_id), Arg::S(r.place.as_str().into()),
                            Arg::I(r.asked_at), Arg::I(i64::from(r.attended)), Arg::I(r.asked_at)]);
                    }
                    for (person, rating, comment) in &n.feedback {
                        feedback.push(vec![Arg::I(id), Arg::I(*person), Arg::I(*rating), Arg::S(comment.clone()), Arg::I(ends)]);
                    }
                }
                tx.insert_many("registrations", &["event_id", "person_id", "state", "asked_at", "attended", "updated_at"],
                    &registrations).await?;
                tx.insert_many("event_feedback", &["event_id", "person_id", "rating", "comment", "created_at"], &feedback).await?;
                tx.record(&Change { actor, action: "import", entity: Entity::Event, entity_id: None,
                    summary: format!("Added {} events", chunk.len()), before: None, after: None }).await?;
                Ok(())
            })?;
        }
        Ok(events.len())
    }
}

/// What the watch tells an event's people, once each.
#[derive(Debug, Clone, Copy)]
pub enum TellColumn {
    FeedbackAsked,
}

impl TellColumn {
    fn as_str(self) -> &'static str {
        match self {
            TellColumn::FeedbackAsked => "feedback_asked_at",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct FeedbackRow {
    pub person_id: i64,
    pub rating: i64,
    pub comment: String,
    pub created_at: i64,
}
