//! Money: what an initiative's money targets have brought so far, what it has cost, its return on
//! investment and when it pays back. Pure rules; `docs/value.md` says them in words.

use serde::Serialize;

use crate::intake::parse::Date;

/// What a target on a money KPI has brought to date: for each measurement since the benefit
/// started, how much better it was than the baseline (a cost is better when it falls: a KPI
/// where lower is better, or a target to decrease or stay at most), added up. `count` and `sum` are of those measurements.
pub fn realised(lower_is_better: bool, baseline: f64, count: i64, sum: f64) -> f64 {
    let gain = sum - baseline * count as f64;
    // `+ 0.0` turns a negative zero into zero, so nothing reads "-0".
    (if lower_is_better { -gain } else { gain }) + 0.0
}

/// What an initiative costs, in its currency's units: once, and each year it runs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Cost {
    pub one_off: f64,
    pub per_year: f64,
}

impl Cost {
    /// The cost on `day`: the one-off cost and the running cost since delivery (none before).
    pub fn to(&self, delivered: Option<Date>, day: Date) -> f64 {
        let years = delivered.map(|d| (day.days() - d.days()).max(0) as f64 / 365.0).unwrap_or(0.0);
        self.one_off + self.per_year * years
    }
}

/// Return on investment of realised money against cost: (value − cost) / cost; `None` without a
/// cost.
pub fn roi(realised: f64, cost: f64) -> Option<f64> {
    (cost > 0.0).then(|| (realised - cost) / cost)
}

/// When an initiative's value passes its cost.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", content = "date", rename_all = "snake_case")]
pub enum Payback {
    /// The value realised is already above the cost to date.
    Reached,
    /// At the pace since the benefit started, it will be on this day.
    Expected(Date),
    /// Not at this pace: the value grows no faster than the running cost, or nothing is realised.
    NotInSight,
}

impl Payback {
    pub fn describe(&self) -> String {
        match self {
            Payback::Reached => "Paid back".into(),
            Payback::Expected(d) => format!("Expected to pay back by {d}"),
            Payback::NotInSight => "No payback in sight at this pace".into(),
        }
    }
}

/// The payback day: now when `realised` is above the cost to date; else where the value's pace
/// since `started` (realised per day) meets the cost's line (one-off, then the running cost per
/// day from delivery). Projected no further than 30 years.
pub fn payback(realised: f64, cost: &Cost, started: Date, delivered: Option<Date>, today: Date) -> Payback {
    if realised > 0.0 && realised >= cost.to(delivered, today) {
        return Payback::Reached;
    }
    let days = (today.days() - started.days()) as f64;
    if days <= 0.0 || realised <= 0.0 {
        return Payback::NotInSight;
    }
    let pace = realised / days;
    let running = cost.per_year / 365.0;
    if pace <= running {
        return Payback::NotInSight;
    }
    // realised + pace·(t − today) = one_off + running·(t − delivered), solved for t.
    let from = delivered.unwrap_or(today).days() as f64;
    let t = (cost.one_off - running * from - realised + pace * today.days() as f64) / (pace - running);
    let t = t.ceil().max(today.days() as f64 + 1.0);
    if t - today.days() as f64 > 30.0 * 365.0 {
        return Payback::NotInSight;
    }
    Payback::Expected(Date::from_days(t as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn roi_needs_a_cost() {
        assert_eq!(roi(150_000.0, 100_000.0), Some(0.5));
        assert_eq!(roi(150_000.0, 0.0), None);
    }

    #[test]
    fn realised_adds_up_the_gains_on_the_baseline() {
        // Three months of revenue at 110, 120, 130 on a baseline of 100: 60 gained.
        assert_eq!(realised(false, 100.0, 3, 360.0), 60.0);
        // Cost to serve falling from 50 to 40 and 45: 15 saved.
        assert_eq!(realised(true, 50.0, 2, 85.0), 15.0);
        assert_eq!(realised(false, 100.0, 0, 0.0), 0.0);
    }

    #[test]
    fn cost_runs_from_delivery() {
        let c = Cost { one_off: 1000.0, per_year: 365.0 };
        assert_eq!(c.to(None, d("2026-06-01")), 1000.0);
        assert_eq!(c.to(Some(d("2026-01-01")), d("2026-01-11")), 1010.0);
        assert_eq!(c.to(Some(d("2026-02-01")), d("2026-01-11")), 1000.0, "nothing runs before delivery");
    }

    #[test]
    fn payback_is_reached_expected_or_not_in_sight() {
        let c = Cost { one_off: 1000.0, per_year: 0.0 };
        let start = d("2026-01-01");
        assert_eq!(payback(1200.0, &c, start, Some(start), d("2026-03-01")), Payback::Reached);
        // 500 in 100 days: 5 a day, 500 more to go → 100 days on.
        let today = Date::from_days(start.days() + 100);
        assert_eq!(
            payback(500.0, &c, start, Some(start), today),
            Payback::Expected(Date::from_days(today.days() + 100))
        );
        assert_eq!(payback(0.0, &c, start, Some(start), today), Payback::NotInSight);
        // A running cost above the pace never pays back.
        let dear = Cost { one_off: 1000.0, per_year: 365.0 * 6.0 };
        assert_eq!(payback(500.0, &dear, start, Some(start), today), Payback::NotInSight);
        assert_eq!(payback(500.0, &c, today, Some(start), today), Payback::NotInSight, "no time has passed");
    }
}
