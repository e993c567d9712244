//! The wait clocks, response-time statistics ("IT answers within 2 days 4 hours, 9 times in 10") and durations
//! in plain words.

use serde::{Deserialize, Serialize};

use super::lifecycle::{is_first_it_response, ActionKind, Status};

/// Count, median and 90th percentile of a set of durations, in seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseStats {
    pub count: usize,
    /// `None` when there are no durations.
    pub median_secs: Option<u64>,
    pub p90_secs: Option<u64>,
}

/// The `p`-th percentile (0–100) of sorted values, interpolating linearly between the two
/// nearest ranks (the method of spreadsheets' PERCENTILE.INC). `None` for no values.
pub fn percentile(sorted: &[u64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let rank = (p.clamp(0.0, 100.0) / 100.0) * last as f64;
    let lo = rank.floor() as usize;
    let hi = rank.ceil() as usize;
    let (a, b) = (sorted[lo] as f64, sorted[hi] as f64);
    Some(a + (b - a) * (rank - lo as f64))
}

/// Median and 90th percentile of `durations` (seconds, any order), rounded to whole seconds.
pub fn response_stats(durations: &[u64]) -> ResponseStats {
    let mut sorted = durations.to_vec();
    sorted.sort_unstable();
    let round = |v: f64| v.round() as u64;
    ResponseStats {
        count: sorted.len(),
        median_secs: percentile(&sorted, 50.0).map(round),
        p90_secs: percentile(&sorted, 90.0).map(round),
    }
}

fn unit(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn two_units(big: u64, big_one: &str, big_many: &str, small: u64, one: &str, many: &str) -> String {
    if small == 0 {
        unit(big, big_one, big_many)
    } else {
        format!("{} {}", unit(big, big_one, big_many), unit(small, one, many))
    }
}

/// A duration in plain words, to the two largest units: "under a minute", "35 minutes",
/// "3 hours 20 minutes", "2 days 4 hours". Rounded to the nearest minute below a day and to the
/// nearest hour from a day on.
pub fn format_duration(secs: u64) -> String {
    const MINUTE: u64 = 60;
    const HOUR: u64 = 60 * MINUTE;
    if secs < MINUTE {
        return "under a minute".to_string();
    }
    let minutes = secs.saturating_add(MINUTE / 2) / MINUTE;
    if minutes < 60 {
        return unit(minutes, "minute", "minutes");
    }
    if minutes < 24 * 60 {
        return two_units(minutes / 60, "hour", "hours", minutes % 60, "minute", "minutes");
    }
    let hours = secs.saturating_add(HOUR / 2) / HOUR;
    two_units(hours / 24, "day", "days", hours % 24, "hour", "hours")
}

/// The clocks response times are measured with: when the request was (last) submitted, when IT
/// first responded, when it was decided. Epoch milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WaitClocks {
    pub submitted_at: Option<i64>,
    pub first_response_at: Option<i64>,
    pub decided_at: Option<i64>,
}

impl WaitClocks {
    /// The clocks after a step from `from` to `to` taken at `at`: a new submission (or a reopened
    /// request) starts a new wait for IT; IT's first response and the first decision are kept.
    pub fn after(self, from: Status, to: Status, kind: ActionKind, at: i64) -> WaitClocks {
        let mut c =
            if to == Status::Submitted { WaitClocks { submitted_at: Some(at), ..Default::default() } } else { self };
        if is_first_it_response(from, kind) && c.first_response_at.is_none() {
            c.first_response_at = Some(at);
        }
        if kind.is_decision() && c.decided_at.is_none() {
            c.decided_at = Some(at);
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resubmission_restarts_the_wait_and_first_responses_are_kept() {
        let c = WaitClocks::default().after(Status::Draft, Status::Submitted, ActionKind::Submit, 10);
        assert_eq!(c, WaitClocks { submitted_at: Some(10), ..Default::default() });
        let c = c.after(Status::Submitted, Status::InAssessment, ActionKind::StartAssessment, 20);
        let c = c.after(Status::InAssessment, Status::Approved, ActionKind::Approve, 30);
        assert_eq!(c, WaitClocks { submitted_at: Some(10), first_response_at: Some(20), decided_at: Some(30) });
        let c = c.after(Status::Deferred, Status::Submitted, ActionKind::Reopen, 40);
        assert_eq!(c, WaitClocks { submitted_at: Some(40), ..Default::default() });
    }
}
