//! What engagement's figures are counted from: touchpoints by unit and day, the days each unit
//! was in touch, follow-ups due, and each unit's latest planning sessions. Each reads an index
//! range of the period asked for, not the whole history.

use bridge_domain::Error;
use serde::Deserialize;

use super::super::{Arg, Db};

/// A unit's touchpoints on a day: all, the planning or strategy sessions, and those with IT.
#[derive(Debug, Clone, Copy, Deserialize, sqlx::FromRow)]
pub struct DayTouchpoints {
    pub unit_id: i64,
    pub day: i64,
    pub touchpoints: i64,
    pub planning: i64,
    pub planning_with_it: i64,
}

/// A unit's follow-ups that were due in a period, and how many were done by their day.
#[derive(Debug, Clone, Copy, Deserialize, sqlx::FromRow)]
pub struct FollowUpCounts {
    pub unit_id: i64,
    pub due: i64,
    pub on_time: i64,
}

#[derive(Debug, Clone, Copy, Deserialize, sqlx::FromRow)]
pub struct UnitDay {
    pub unit_id: i64,
    pub day: i64,
}

/// Whether IT took part in a unit's latest two planning or strategy sessions (`None`: there was
/// no such session).
#[derive(Debug, Clone, Copy, Deserialize, sqlx::FromRow)]
pub struct LatestSessions {
    pub unit_id: i64,
    pub last: Option<i64>,
    pub before_last: Option<i64>,
}

/// `unit_id = $n` for one unit, or every unit's rows.
fn unit_condition(column: &str, unit_id: Option<i64>, args: &mut Vec<Arg>) -> String {
    match unit_id {
        Some(u) => {
            args.push(Arg::I(u));
            format!("{column} = ${}", args.len())
        }
        None => format!("{column} > 0"),
    }
}

impl Db {
    /// Touchpoints by unit and day from `since_day` on, for one unit or all.
    pub async fn touchpoint_days(&self, unit_id: Option<i64>, since_day: i64) -> Result<Vec<DayTouchpoints>, Error> {
        let mut args = vec![Arg::I(since_day)];
        let unit = unit_condition("unit_id", unit_id, &mut args);
        self.rows(
            format!(
                "SELECT unit_id, day, COUNT(*) AS touchpoints,
                    CAST(SUM(CASE WHEN kind IN ('planning', 'strategy') THEN 1 ELSE 0 END) AS BIGINT) AS planning,
                    CAST(SUM(CASE WHEN kind IN ('planning', 'strategy') AND it_present = 1 THEN 1 ELSE 0 END) AS BIGINT)
                        AS planning_with_it
                 FROM touchpoints WHERE {unit} AND day >= $1 GROUP BY unit_id, day"
            ),
            args,
        )
        .await
    }

    /// The days each unit (or one) was in touch with IT from `since_day` on.
    pub async fn contact_days(&self, unit_id: Option<i64>, since_day: i64) -> Result<Vec<UnitDay>, Error> {
        let mut args = vec![Arg::I(since_day)];
        let unit = unit_condition("unit_id", unit_id, &mut args);
        self.rows(format!("SELECT unit_id, day FROM contact_days WHERE {unit} AND day >= $1"), args).await
    }

    /// Follow-ups due from `since_day` to before `until_day`, and those done by the end of their day.
    pub async fn follow_up_counts(
        &self,
        unit_id: Option<i64>,
        since_day: i64,
        until_day: i64,
    ) -> Result<Vec<FollowUpCounts>, Error> {
        let mut args = vec![Arg::I(since_day), Arg::I(until_day)];
        let unit = unit_condition("unit_id", unit_id, &mut args);
        self.rows(
            format!(
                "SELECT unit_id, COUNT(*) AS due,
                    CAST(SUM(CASE WHEN done_at IS NOT NULL AND done_at < (due_day + 1) * 86400000 THEN 1 ELSE 0 END)
                        AS BIGINT) AS on_time
                 FROM follow_ups WHERE {unit} AND due_day >= $1 AND due_day < $2 GROUP BY unit_id"
            ),
            args,
        )
        .await
    }

    /// Each unit's latest two planning or strategy sessions: whether IT took part.
    pub async fn latest_sessions(&self) -> Result<Vec<LatestSessions>, Error> {
        let pick = |offset: u8| {
            format!(
                "(SELECT it_present FROM touchpoints t WHERE t.unit_id = u.id AND t.kind IN ('planning', 'strategy')
                  ORDER BY t.day DESC LIMIT 1 OFFSET {offset})"
            )
        };
        self.rows(
            format!("SELECT u.id AS unit_id, {} AS last, {} AS before_last FROM units u", pick(0), pick(1)),
            vec![],
        )
        .await
    }
}
