//! A target split by quarter: the value planned at each quarter's end (a straight line from the
//! baseline when the benefit starts to the target on its date), the value measured, and the
//! difference.

use serde::Serialize;

use super::{Target, TargetKind};
use crate::intake::parse::Date;

/// The value a target plans for `day`: for a rise or fall, the baseline until the benefit
/// starts, then a straight line to the target value on the target date, and the target after;
/// for a target that asks to stay somewhere, its bound (a band's middle).
pub fn planned_at(t: &Target, day: Date) -> f64 {
    match t.kind {
        TargetKind::IncreaseTo { value } | TargetKind::DecreaseTo { value } => {
            let (start, end) = (t.benefit_start.days(), t.target_date.days());
            if day.days() <= start {
                t.baseline
            } else if day.days() >= end || end <= start {
                value
            } else {
                t.baseline + (value - t.baseline) * (day.days() - start) as f64 / (end - start) as f64
            }
        }
        TargetKind::AtLeast { value } | TargetKind::AtMost { value } => value,
        TargetKind::Band { low, high } => (low + high) / 2.0,
    }
}

/// One quarter of a target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quarter {
    /// "2026 Q3".
    pub label: String,
    pub first: Date,
    pub last: Date,
    /// Planned at the quarter's end.
    pub planned: f64,
    /// The quarter's latest measurement, if any.
    pub actual: Option<f64>,
    /// actual − planned.
    pub variance: Option<f64>,
}

/// The first day of the quarter that holds `d`.
fn quarter_start(d: Date) -> Date {
    let s = d.to_string();
    let year: i32 = s[..4].parse().unwrap_or(1970);
    let month: u32 = s[5..7].parse().unwrap_or(1);
    Date::parse(&format!("{year:04}-{:02}-01", (month - 1) / 3 * 3 + 1)).unwrap_or(d)
}

fn next_quarter(start: Date) -> Date {
    let s = start.to_string();
    let year: i32 = s[..4].parse().unwrap_or(1970);
    let month: u32 = s[5..7].parse().unwrap_or(1);
    let (y, m) = if month >= 10 { (year + 1, 1) } else { (year, month + 3) };
    Date::parse(&format!("{y:04}-{m:02}-01")).unwrap_or(start)
}

/// The quarters from the baseline's to the target date's, at most 40, each with its plan and
/// the latest of `measurements` (day, value; oldest first) inside it.
pub fn by_quarter(t: &Target, measurements: &[(Date, f64)]) -> Vec<Quarter> {
    let mut out = Vec::new();
    let mut start = quarter_start(t.baseline_date);
    while start <= t.target_date && out.len() < 40 {
        let next = next_quarter(start);
        let last = Date::from_days(next.days() - 1);
        let actual = measurements.iter().rev().find(|(d, _)| *d >= start && *d <= last).map(|(_, v)| *v);
        let planned = planned_at(t, last.min(t.target_date));
        let s = start.to_string();
        let q = (s[5..7].parse::<u32>().unwrap_or(1) - 1) / 3 + 1;
        out.push(Quarter {
            label: format!("{} Q{q}", &s[..4]),
            first: start,
            last,
            planned,
            actual,
            variance: actual.map(|a| a - planned),
        });
        start = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn the_plan_is_a_straight_line_from_the_benefit_start() {
        let t = Target {
            baseline: 100.0,
            baseline_date: d("2026-01-15"),
            kind: TargetKind::IncreaseTo { value: 200.0 },
            target_date: d("2026-12-31"),
            benefit_start: d("2026-07-01"),
        };
        assert_eq!(planned_at(&t, d("2026-03-31")), 100.0, "nothing before the benefit starts");
        assert!((planned_at(&t, d("2026-09-30")) - 149.73).abs() < 0.01, "91 of 183 days: 100 + 100 × 91 / 183");
        assert_eq!(planned_at(&t, d("2027-03-31")), 200.0);
        let rows = by_quarter(&t, &[(d("2026-02-01"), 101.0), (d("2026-03-30"), 103.0), (d("2026-08-01"), 140.0)]);
        assert_eq!(
            rows.iter().map(|q| q.label.as_str()).collect::<Vec<_>>(),
            ["2026 Q1", "2026 Q2", "2026 Q3", "2026 Q4"]
        );
        assert_eq!((rows[0].actual, rows[0].variance), (Some(103.0), Some(3.0)), "the quarter's latest value");
        assert_eq!(rows[1].actual, None);
        assert_eq!(rows[3].planned, 200.0);
        let band = Target { kind: TargetKind::Band { low: 2.0, high: 4.0 }, ..t };
        assert_eq!(planned_at(&band, d("2026-05-01")), 3.0);
    }
}
