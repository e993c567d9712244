//! Calendar feeds: each person's secret address, and what their feed holds (the events they
//! registered for, their office-hours bookings as host or booker, the follow-ups they own).

use bridge_domain::Error;
use serde::Deserialize;

use super::super::{args, now_ms, tx, Arg, Db};
use super::{EventRow, RegistrationRow, EVENT, REGISTRATION};

/// An office-hours booking as a calendar shows it.
#[derive(Debug, Clone, Deserialize, sqlx::FromRow)]
pub struct FeedBooking {
    pub id: i64,
    pub day: i64,
    pub start_minute: i64,
    pub slot_minutes: i64,
    pub place: String,
    pub topic: String,
    pub host_id: i64,
    pub booker_id: i64,
}

/// A follow-up as a calendar shows it: a to-do on its day.
#[derive(Debug, Clone, Deserialize, sqlx::FromRow)]
pub struct FeedFollowUp {
    pub id: i64,
    pub text: String,
    pub due_day: i64,
    pub done_at: Option<i64>,
}

#[derive(Deserialize, sqlx::FromRow)]
struct FeedGeneration {
    generation: i64,
}

impl Db {
    /// The generation of a person's feed address (0 until its first reset).
    pub async fn feed_generation(&self, person_id: i64) -> Result<i64, Error> {
        let sql = "SELECT generation FROM calendar_feeds WHERE person_id = $1".to_string();
        let found: Option<FeedGeneration> = self.first(sql, vec![Arg::I(person_id)]).await?;
        Ok(found.map_or(0, |f| f.generation))
    }

    /// Makes a person's feed address new (the old one stops working); returns its generation.
    pub async fn reset_feed(&self, person_id: i64) -> Result<i64, Error> {
        tx!(self, tx => {
            tx.execute(
                "INSERT INTO calendar_feeds (person_id, generation, reset_at) VALUES ($1, 1, $2)
                 ON CONFLICT (person_id) DO UPDATE SET generation = calendar_feeds.generation + 1, reset_at = excluded.reset_at",
                &args![person_id, now_ms()]).await?;
            let found: Option<FeedGeneration> = tx.first("SELECT generation FROM calendar_feeds WHERE person_id = $1",
                &args![person_id]).await?;
            Ok(found.map_or(0, |f| f.generation))
        })
    }

    /// The events a person has a place for or waits for, ending after `since`, with their
    /// registration's state.
    pub async fn feed_events(&self, person_id: i64, since: i64) -> Result<Vec<(EventRow, String)>, Error> {
        let registrations: Vec<RegistrationRow> = self
            .rows(
                format!("SELECT {REGISTRATION} FROM registrations WHERE person_id = $1 AND state <> 'cancelled'"),
                vec![Arg::I(person_id)],
            )
            .await?;
        let ids: Vec<i64> = registrations.iter().map(|r| r.event_id).collect();
        let state: std::collections::HashMap<i64, String> =
            registrations.into_iter().map(|r| (r.event_id, r.state)).collect();
        let mut events = Vec::new();
        for chunk in ids.chunks(1000) {
            // By key (no ORDER BY, sorted below): ordered, the planner walks every event by its
            // start looking for these.
            let sql =
                format!("SELECT {EVENT} FROM events WHERE id IN ({}) AND ends_at > $1", super::super::id_list(chunk));
            events.extend(self.rows::<EventRow>(sql, vec![Arg::I(since)]).await?);
        }
        events.sort_by_key(|e| (e.starts_at, e.id));
        Ok(events
            .into_iter()
            .map(|e| (state.get(&e.id).cloned().unwrap_or_default(), e))
            .map(|(s, e)| (e, s))
            .collect())
    }

    /// A person's office-hours bookings, as host or booker, from the day `since_day` on.
    pub async fn feed_bookings(&self, person_id: i64, since_day: i64) -> Result<Vec<FeedBooking>, Error> {
        self.rows(
            "SELECT b.id, b.day, b.start_minute, h.slot_minutes, h.place, b.topic, h.host_id, b.booker_id
             FROM office_hour_bookings b JOIN office_hours h ON h.id = b.office_hours_id
             WHERE (b.booker_id = $1 OR h.host_id = $1) AND b.cancelled_at IS NULL AND b.day >= $2
             ORDER BY b.day, b.start_minute LIMIT 1000"
                .into(),
            vec![Arg::I(person_id), Arg::I(since_day)],
        )
        .await
    }

    /// The follow-ups a person owns that are open, or were due from `since_day` on.
    pub async fn feed_follow_ups(&self, person_id: i64, since_day: i64) -> Result<Vec<FeedFollowUp>, Error> {
        self.rows(
            "SELECT id, text, due_day, done_at FROM follow_ups
             WHERE owner_id = $1 AND (done_at IS NULL OR due_day >= $2) ORDER BY due_day LIMIT 1000"
                .into(),
            vec![Arg::I(person_id), Arg::I(since_day)],
        )
        .await
    }

    /// Public events (not called off) from `since` on, for the organisation's feed.
    pub async fn public_events(&self, since: i64) -> Result<Vec<EventRow>, Error> {
        self.rows(
            format!(
                "SELECT {EVENT} FROM events WHERE ends_at > $1 AND cancelled_at IS NULL ORDER BY starts_at LIMIT 2000"
            ),
            vec![Arg::I(since)],
        )
        .await
    }
}
