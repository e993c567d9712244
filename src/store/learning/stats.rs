//! What learning's figures are added up from: attendance by person (with their unit and side,
//! and whether IT led the event), events by kind and month, feedback by kind, who gave events.

use bridge_domain::Error;
use serde::Deserialize;

use super::super::{Arg, Db};

/// One person's attendance of one kind of event in a month, as counted.
#[derive(Debug, Clone, Deserialize, sqlx::FromRow)]
pub struct Attendance {
    pub person_id: i64,
    pub kind: String,
    /// The event's start (ms), for its month.
    pub starts_at: i64,
    /// 1: an IT person hosted it.
    pub it_led: i64,
}

#[derive(Debug, Clone, Deserialize, sqlx::FromRow)]
pub struct KindFeedback {
    pub kind: String,
    pub responses: i64,
    pub rating_sum: i64,
}

#[derive(Debug, Clone, Deserialize, sqlx::FromRow)]
pub struct Given {
    pub person_id: i64,
    pub events: i64,
}

/// The arguments of a period: a start bound for the index (an event lasts a week at most), the
/// period's start and its end.
fn window(since: i64, until: i64) -> Vec<Arg> {
    vec![Arg::I(since - bridge_domain::learning::MAX_EVENT_MS), Arg::I(since), Arg::I(until)]
}

impl Db {
    /// Every attendance at events that ended between `since` and `until`.
    pub async fn attendance(&self, since: i64, until: i64) -> Result<Vec<Attendance>, Error> {
        self.rows(
            "SELECT r.person_id, e.kind, e.starts_at,
                CAST(CASE WHEN h.side = 'it' THEN 1 ELSE 0 END AS BIGINT) AS it_led
             FROM events e JOIN registrations r ON r.event_id = e.id JOIN people h ON h.id = e.host_id
             WHERE e.starts_at > $1 AND e.ends_at > $2 AND e.ends_at <= $3 AND r.attended = 1 AND e.cancelled_at IS NULL"
                .into(),
            window(since, until),
        )
        .await
    }

    /// Feedback on events that ended between `since` and `until`, by kind of event.
    pub async fn feedback_by_kind(&self, since: i64, until: i64) -> Result<Vec<KindFeedback>, Error> {
        self.rows(
            "SELECT e.kind, COUNT(*) AS responses, CAST(SUM(f.rating) AS BIGINT) AS rating_sum
             FROM event_feedback f JOIN events e ON e.id = f.event_id
             WHERE e.starts_at > $1 AND e.ends_at > $2 AND e.ends_at <= $3 GROUP BY e.kind"
                .into(),
            window(since, until),
        )
        .await
    }

    /// Who hosted or spoke at events that ended between `since` and `until`, and how often.
    pub async fn events_given(&self, since: i64, until: i64) -> Result<Vec<Given>, Error> {
        self.rows(
            "SELECT person_id, COUNT(*) AS events FROM (
                SELECT e.host_id AS person_id FROM events e
                WHERE e.starts_at > $1 AND e.ends_at > $2 AND e.ends_at <= $3 AND e.cancelled_at IS NULL
                UNION ALL
                SELECT s.person_id FROM event_speakers s JOIN events e ON e.id = s.event_id
                WHERE e.starts_at > $1 AND e.ends_at > $2 AND e.ends_at <= $3 AND e.cancelled_at IS NULL AND s.person_id <> e.host_id
             ) given GROUP BY person_id"
                .into(),
            window(since, until),
        )
        .await
    }
}
