//! The figures of engagement that the stats and (later) the health index read.

/// How many planning or strategy sessions running without IT put a unit on the losing-touch
/// list.
pub const PLANNED_WITHOUT_IT_LIMIT: usize = 2;

/// The median number of days between contacts on `days` (days since 1970, in any order, each
/// day counted once); `None` with fewer than two days.
pub fn median_gap(days: &[i64]) -> Option<f64> {
    let mut days = days.to_vec();
    days.sort_unstable();
    days.dedup();
    let mut gaps: Vec<i64> = days.windows(2).map(|w| w[1] - w[0]).collect();
    if gaps.is_empty() {
        return None;
    }
    gaps.sort_unstable();
    let n = gaps.len();
    Some(if n % 2 == 1 { gaps[n / 2] as f64 } else { (gaps[n / 2 - 1] + gaps[n / 2]) as f64 / 2.0 })
}

/// Whether a unit's latest sessions (newest first, `true` where IT took part) are
/// [`PLANNED_WITHOUT_IT_LIMIT`] or more running without IT.
pub fn plans_without_it(latest_sessions: &[bool]) -> bool {
    latest_sessions.len() >= PLANNED_WITHOUT_IT_LIMIT
        && latest_sessions[..PLANNED_WITHOUT_IT_LIMIT].iter().all(|with_it| !with_it)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_gap_counts_each_day_once() {
        assert_eq!(median_gap(&[]), None);
        assert_eq!(median_gap(&[5, 5]), None, "one day");
        assert_eq!(median_gap(&[10, 1, 4, 4]), Some(4.5), "gaps 3 and 6");
        assert_eq!(median_gap(&[0, 1, 3, 10]), Some(2.0), "gaps 1, 2, 7");
    }

    #[test]
    fn two_sessions_running_without_it_are_a_signal() {
        assert!(plans_without_it(&[false, false, true]));
        assert!(!plans_without_it(&[false, true, false]));
        assert!(!plans_without_it(&[false]), "one is not yet a pattern");
    }
}
