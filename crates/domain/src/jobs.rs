//! Background jobs: when a failed job is tried again, when it has failed for good, and which period
//! a scheduled job belongs to. The queue itself lives in the database (`store::jobs`); the worker
//! that runs it in `ops::jobs`.

use serde::{Deserialize, Serialize};

/// Where a job is in its life. A job that succeeded is removed, so there is no "done".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Waiting for its `run_at`, or to be tried again.
    Queued,
    /// Claimed by a server until its lease runs out.
    Running,
    /// Tried `max_attempts` times; waits for an administrator to retry it.
    Failed,
}

impl JobState {
    pub const ALL: [JobState; 3] = [JobState::Queued, JobState::Running, JobState::Failed];
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Failed => "failed",
        }
    }
    pub fn parse(s: &str) -> Option<JobState> {
        JobState::ALL.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            JobState::Queued => "Waiting",
            JobState::Running => "Running",
            JobState::Failed => "Failed",
        }
    }
}

/// How many times a job is tried before it is listed as failed, unless it says otherwise.
pub const DEFAULT_MAX_ATTEMPTS: i64 = 8;

const FIRST_RETRY_MS: i64 = 10_000;
const LONGEST_RETRY_MS: i64 = 3_600_000;

/// What happens after attempt number `attempt` (from 1) failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Try again this many milliseconds from now.
    RetryIn(i64),
    /// No attempts left.
    GiveUp,
}

/// Exponential backoff: 10 s, 20 s, 40 s … capped at an hour, each spread by ±25% (`jitter` in
/// 0..1) so that jobs that failed together do not all come back together.
pub fn after_failure(attempt: i64, max_attempts: i64, jitter: f64) -> AfterFailure {
    if attempt >= max_attempts {
        return AfterFailure::GiveUp;
    }
    let doublings = (attempt - 1).clamp(0, 20) as u32;
    let base = FIRST_RETRY_MS.saturating_mul(1i64 << doublings).min(LONGEST_RETRY_MS);
    let spread = 0.75 + 0.5 * jitter.clamp(0.0, 1.0);
    AfterFailure::RetryIn((base as f64 * spread) as i64)
}

const DAY_MS: i64 = 86_400_000;
const HOUR_MS: i64 = 3_600_000;
/// 1970-01-01 was a Thursday; weeks start on Monday, four days later.
const FIRST_MONDAY_MS: i64 = 4 * DAY_MS;

/// When a scheduled job runs (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    /// Every hour, on the hour.
    Hourly,
    /// Every day at this hour.
    Daily { hour: i64 },
    /// Every week on this day (0 = Monday) at this hour.
    Weekly { weekday: i64, hour: i64 },
}

impl Schedule {
    /// The start of the latest period that has begun by `now_ms`: the job of that period is due,
    /// and is made once, under the key [`Schedule::key`].
    pub fn latest_start(self, now_ms: i64) -> i64 {
        match self {
            Schedule::Hourly => now_ms.div_euclid(HOUR_MS) * HOUR_MS,
            Schedule::Daily { hour } => {
                let start = now_ms.div_euclid(DAY_MS) * DAY_MS + hour * HOUR_MS;
                if start > now_ms {
                    start - DAY_MS
                } else {
                    start
                }
            }
            Schedule::Weekly { weekday, hour } => {
                let week = 7 * DAY_MS;
                let offset = FIRST_MONDAY_MS + weekday * DAY_MS + hour * HOUR_MS;
                (now_ms - offset).div_euclid(week) * week + offset
            }
        }
    }

    /// The name of one period's run of `kind`: servers that agree on it make the job only once.
    pub fn key(self, kind: &str, now_ms: i64) -> String {
        format!("{kind}@{}", self.latest_start(now_ms))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_an_hour_then_give_up() {
        assert_eq!(after_failure(1, 8, 0.5), AfterFailure::RetryIn(10_000));
        assert_eq!(after_failure(2, 8, 0.5), AfterFailure::RetryIn(20_000));
        assert_eq!(after_failure(3, 8, 0.0), AfterFailure::RetryIn(30_000), "jitter takes off up to a quarter");
        assert_eq!(after_failure(3, 8, 1.0), AfterFailure::RetryIn(50_000), "or adds up to a quarter");
        assert_eq!(after_failure(15, 20, 0.5), AfterFailure::RetryIn(3_600_000), "never more than an hour");
        assert_eq!(after_failure(8, 8, 0.5), AfterFailure::GiveUp);
        assert_eq!(after_failure(1, 1, 0.5), AfterFailure::GiveUp);
    }

    #[test]
    fn each_period_has_one_start_and_key() {
        // 2026-12-01 (a Tuesday) 10:30 UTC.
        let now = 1_796_121_000_000;
        let daily = Schedule::Daily { hour: 7 };
        assert_eq!(daily.latest_start(now), 1_796_108_400_000, "07:00 the same day");
        assert_eq!(
            Schedule::Daily { hour: 12 }.latest_start(now),
            1_796_108_400_000 - 7 * HOUR_MS + 12 * HOUR_MS - DAY_MS
        );
        assert_eq!(daily.key("digest.daily", now), daily.key("digest.daily", now + HOUR_MS), "same day, same key");
        assert_ne!(daily.key("digest.daily", now), daily.key("digest.daily", now + DAY_MS));
        assert_eq!(Schedule::Hourly.latest_start(now), 1_796_119_200_000, "10:00");
        let weekly = Schedule::Weekly { weekday: 0, hour: 7 };
        assert_eq!(weekly.latest_start(now), 1_796_108_400_000 - DAY_MS, "Monday 07:00");
        assert_eq!(
            weekly.latest_start(now - DAY_MS - 4 * HOUR_MS),
            1_796_108_400_000 - 8 * DAY_MS,
            "Monday 06:30 is last week's"
        );
    }
}
