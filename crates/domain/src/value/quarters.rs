//! A target split by quarter: the value planned at each quarter's end (typed by hand, or else a
//! straight line from the baseline when the benefit starts to the target on its date), the value
//! measured, and the difference.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Target, TargetKind, Unit};
use crate::intake::parse::{parse_number, Date};
use crate::{Error, FieldErrors};

/// The values planned by hand for some of a target's quarters, by quarter ("2026-Q3"); the
/// others follow the straight line.
pub type QuarterPlan = BTreeMap<String, f64>;

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
    /// "2026-Q3": the quarter in a plan and in the API.
    pub key: String,
    /// "2026 Q3".
    pub label: String,
    /// The plan for it was typed by hand (not the straight line).
    pub typed: bool,
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

/// The quarters from the baseline's to the target date's, at most 40, each with its plan (from
/// `plan` where typed) and the latest of `measurements` (day, value; oldest first) inside it.
pub fn by_quarter(t: &Target, plan: &QuarterPlan, measurements: &[(Date, f64)]) -> Vec<Quarter> {
    let mut out = Vec::new();
    let mut start = quarter_start(t.baseline_date);
    while start <= t.target_date && out.len() < 40 {
        let next = next_quarter(start);
        let last = Date::from_days(next.days() - 1);
        let actual = measurements.iter().rev().find(|(d, _)| *d >= start && *d <= last).map(|(_, v)| *v);
        let s = start.to_string();
        let q = (s[5..7].parse::<u32>().unwrap_or(1) - 1) / 3 + 1;
        let key = format!("{}-Q{q}", &s[..4]);
        let typed = plan.get(&key).copied();
        let planned = typed.unwrap_or_else(|| planned_at(t, last.min(t.target_date)));
        out.push(Quarter {
            label: format!("{} Q{q}", &s[..4]),
            key,
            typed: typed.is_some(),
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

/// Checks a plan typed for a target's quarters (quarter → value as typed; an empty value keeps
/// the straight line): each quarter one of the target's, each value a number its KPI's `unit`
/// allows. Problems are named by quarter.
pub fn validate_plan(t: &Target, unit: Unit, typed: &BTreeMap<String, String>) -> Result<QuarterPlan, Error> {
    let quarters: Vec<String> = by_quarter(t, &QuarterPlan::new(), &[]).into_iter().map(|q| q.key).collect();
    let mut errors = FieldErrors::new();
    let mut plan = QuarterPlan::new();
    for (key, value) in typed {
        let key = key.trim().to_uppercase();
        if !quarters.contains(&key) {
            let span = match (quarters.first(), quarters.last()) {
                (Some(a), Some(b)) => format!("from {a} to {b}"),
                _ => "none".into(),
            };
            errors.insert(key, format!("Not one of the target's quarters ({span}); write them as 2027-Q1."));
            continue;
        }
        if value.trim().is_empty() {
            continue;
        }
        match parse_number(value)
            .map_err(|_| "Enter a number, such as 1200 or 4.5.")
            .and_then(|n| unit.check(n).map(|()| n))
        {
            Ok(n) => {
                plan.insert(key, n);
            }
            Err(msg) => {
                errors.insert(key, msg.into());
            }
        }
    }
    Error::check(errors)?;
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    /// From 100 to 200 in 2026, the benefit starting in July.
    fn rising() -> Target {
        Target {
            baseline: 100.0,
            baseline_date: d("2026-01-15"),
            kind: TargetKind::IncreaseTo { value: 200.0 },
            target_date: d("2026-12-31"),
            benefit_start: d("2026-07-01"),
        }
    }

    #[test]
    fn the_plan_is_a_straight_line_from_the_benefit_start() {
        let t = rising();
        assert_eq!(planned_at(&t, d("2026-03-31")), 100.0, "nothing before the benefit starts");
        assert!((planned_at(&t, d("2026-09-30")) - 149.73).abs() < 0.01, "91 of 183 days: 100 + 100 × 91 / 183");
        assert_eq!(planned_at(&t, d("2027-03-31")), 200.0);
        let measured = [(d("2026-02-01"), 101.0), (d("2026-03-30"), 103.0), (d("2026-08-01"), 140.0)];
        let rows = by_quarter(&t, &QuarterPlan::new(), &measured);
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

    #[test]
    fn a_plan_typed_by_hand_replaces_the_straight_line_for_its_quarters() {
        let t = rising();
        let typed = BTreeMap::from([("2026-q3".to_string(), "120".to_string()), ("2026-Q4".to_string(), " ".into())]);
        let plan = validate_plan(&t, Unit::Count, &typed).unwrap();
        assert_eq!(plan, QuarterPlan::from([("2026-Q3".to_string(), 120.0)]), "an empty value keeps the line");
        let rows = by_quarter(&t, &plan, &[(d("2026-09-01"), 130.0)]);
        assert_eq!((rows[2].key.as_str(), rows[2].planned, rows[2].typed), ("2026-Q3", 120.0, true));
        assert_eq!(rows[2].variance, Some(10.0));
        assert_eq!((rows[3].planned, rows[3].typed), (200.0, false));

        let bad = BTreeMap::from([("2027-Q1".to_string(), "5".to_string()), ("2026-Q2".to_string(), "lots".into())]);
        let Err(Error::Validation { fields, .. }) = validate_plan(&t, Unit::Count, &bad) else { panic!("refused") };
        assert!(fields["2027-Q1"].contains("from 2026-Q1 to 2026-Q4"), "{fields:?}");
        assert!(fields["2026-Q2"].contains("number"));
        let share = BTreeMap::from([("2026-Q3".to_string(), "140".to_string())]);
        assert!(validate_plan(&t, Unit::Percent, &share).is_err(), "a percent above 100 is refused");
    }
}
