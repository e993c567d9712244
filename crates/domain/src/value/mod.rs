//! Value: KPIs in the business's own numbers, targets set on them when a request is approved,
//! and the rules that say how far a target has come and whether it is on track. Every rule is
//! a pure function; `docs/value.md` writes them down in words. KPIs and measurements as typed
//! are checked in `kpi`, targets in `target`.

mod csv;
mod kpi;
mod money;
mod quarters;
mod review;
mod target;

pub use self::csv::*;
pub use kpi::*;
pub use money::*;
pub use quarters::*;
pub use review::*;
pub use target::*;

use serde::{Deserialize, Serialize};

use crate::intake::parse::Date;

/// A KPI's value in its unit, for people to read: "EUR 12,400", "4.2%", "1,250", "3.5 days",
/// "7.1", "Yes" (at most one decimal).
pub fn format_value(unit: &str, currency: Option<&str>, v: f64) -> String {
    let n = crate::intake::parse::format_number((v * 10.0).round() / 10.0);
    match unit {
        "money" => format!("{} {n}", currency.unwrap_or("")).trim().to_string(),
        "percent" => format!("{n}%"),
        "duration" => format!("{n} days"),
        "yes_no" => (if v >= 0.5 { "Yes" } else { "No" }).to_string(),
        _ => n,
    }
}

/// What a target asks, in words: "Increase to 4.5%", "Stay from 2 to 4 days".
pub fn goal_words(kind: TargetKind, unit: &str, currency: Option<&str>) -> String {
    let f = |v: f64| format_value(unit, currency, v);
    match kind {
        TargetKind::IncreaseTo { value } => format!("Increase to {}", f(value)),
        TargetKind::DecreaseTo { value } => format!("Decrease to {}", f(value)),
        TargetKind::AtLeast { value } => format!("Stay at or above {}", f(value)),
        TargetKind::AtMost { value } => format!("Stay at or below {}", f(value)),
        TargetKind::Band { low, high } => format!("Stay from {} to {}", f(low), f(high)),
    }
}

/// What a KPI counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// An amount of money in the KPI's currency.
    Money,
    Percent,
    Count,
    /// Days.
    Duration,
    /// A score, such as a satisfaction score out of 10.
    Score,
    /// Yes (1) or no (0).
    YesNo,
}

impl Unit {
    pub const ALL: [Unit; 6] = [Unit::Money, Unit::Percent, Unit::Count, Unit::Duration, Unit::Score, Unit::YesNo];

    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Money => "money",
            Unit::Percent => "percent",
            Unit::Count => "count",
            Unit::Duration => "duration",
            Unit::Score => "score",
            Unit::YesNo => "yes_no",
        }
    }

    pub fn parse(s: &str) -> Option<Unit> {
        Unit::ALL.into_iter().find(|u| u.as_str() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Unit::Money => "Money",
            Unit::Percent => "Percent",
            Unit::Count => "Count",
            Unit::Duration => "Days",
            Unit::Score => "Score",
            Unit::YesNo => "Yes or no",
        }
    }

    /// Whether a value fits the unit: a percent from 0 to 100, a count or duration not below 0,
    /// yes/no as 0 or 1.
    pub fn check(self, v: f64) -> Result<(), &'static str> {
        match self {
            _ if !v.is_finite() => Err("Enter a number."),
            Unit::Percent if !(0.0..=100.0).contains(&v) => Err("A percentage is from 0 to 100."),
            Unit::Count | Unit::Duration if v < 0.0 => Err("This cannot be below 0."),
            Unit::YesNo if v != 0.0 && v != 1.0 => Err("Use 1 for yes or 0 for no."),
            _ => Ok(()),
        }
    }
}

/// Which way is good for a KPI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
    /// Good inside a band (set per target).
    InsideBand,
}

impl Direction {
    pub const ALL: [Direction; 3] = [Direction::HigherIsBetter, Direction::LowerIsBetter, Direction::InsideBand];

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::HigherIsBetter => "higher",
            Direction::LowerIsBetter => "lower",
            Direction::InsideBand => "band",
        }
    }

    pub fn parse(s: &str) -> Option<Direction> {
        Direction::ALL.into_iter().find(|d| d.as_str() == s.trim())
    }
}

/// What a target asks of its KPI.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TargetKind {
    /// Rise from the baseline to `value` by the target date.
    IncreaseTo { value: f64 },
    /// Fall from the baseline to `value` by the target date.
    DecreaseTo { value: f64 },
    /// Stay at `value` or above.
    AtLeast { value: f64 },
    /// Stay at `value` or below.
    AtMost { value: f64 },
    /// Stay from `low` to `high`.
    Band { low: f64, high: f64 },
}

impl TargetKind {
    /// Whether `v` meets the target (for a rise or fall: has reached it).
    pub fn met_by(self, v: f64) -> bool {
        match self {
            TargetKind::IncreaseTo { value } | TargetKind::AtLeast { value } => v >= value,
            TargetKind::DecreaseTo { value } | TargetKind::AtMost { value } => v <= value,
            TargetKind::Band { low, high } => (low..=high).contains(&v),
        }
    }
}

/// How a target stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetStatus {
    /// No measurement since the baseline yet.
    NotMeasured,
    OnTrack,
    AtRisk,
    OffTrack,
    Achieved,
    Missed,
}

impl TargetStatus {
    pub fn label(self) -> &'static str {
        match self {
            TargetStatus::NotMeasured => "Not measured yet",
            TargetStatus::OnTrack => "On track",
            TargetStatus::AtRisk => "At risk",
            TargetStatus::OffTrack => "Off track",
            TargetStatus::Achieved => "Achieved",
            TargetStatus::Missed => "Missed",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TargetStatus::NotMeasured => "not_measured",
            TargetStatus::OnTrack => "on_track",
            TargetStatus::AtRisk => "at_risk",
            TargetStatus::OffTrack => "off_track",
            TargetStatus::Achieved => "achieved",
            TargetStatus::Missed => "missed",
        }
    }
}

/// A target as the rules need it: where it starts, what it asks, and by when.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    pub baseline: f64,
    pub baseline_date: Date,
    pub kind: TargetKind,
    pub target_date: Date,
    /// When the benefit is expected to start (delivery, a date, or after a delay): the clock of
    /// "time elapsed" starts here. Before it, a target cannot be behind.
    pub benefit_start: Date,
}

/// How far a rise or fall has come: (latest − baseline) / (target − baseline). `None` for a
/// target that asks to stay somewhere (no distance to travel) and for one whose target equals its
/// baseline (nothing to travel either: never a division by zero).
pub fn progress(t: &Target, latest: f64) -> Option<f64> {
    let goal = match t.kind {
        TargetKind::IncreaseTo { value } | TargetKind::DecreaseTo { value } => value,
        _ => return None,
    };
    let distance = goal - t.baseline;
    if distance.abs() < f64::EPSILON * goal.abs().max(1.0) {
        return None;
    }
    Some((latest - t.baseline) / distance)
}

/// Share of the time from benefit start to target date that has passed on `today`, 0 to 1.
pub fn elapsed(t: &Target, today: Date) -> f64 {
    // Before the benefit starts no time has passed, even when it starts on the target date.
    if today <= t.benefit_start {
        return 0.0;
    }
    let span = t.target_date.days() - t.benefit_start.days();
    if span <= 0 {
        return 1.0;
    }
    ((today.days() - t.benefit_start.days()) as f64 / span as f64).clamp(0.0, 1.0)
}

/// How much behind the time elapsed a rise or fall may be and still be on track, and, beyond
/// that, how much and still only at risk (shares of the whole distance).
pub const ON_TRACK_SLACK: f64 = 0.10;
pub const AT_RISK_SLACK: f64 = 0.30;
/// How close to the bound (as a share of the bound) a "stay" target that is not met counts as
/// at risk rather than off track.
pub const STAY_NEAR: f64 = 0.05;

/// The status of a target on `today`, from its latest measurement (`None`: none since the
/// baseline). The rule (docs/value.md):
/// - no measurement: not measured yet;
/// - on or after the target date: achieved when the latest value meets the target, else missed;
/// - a rise or fall that has reached its target early: achieved;
/// - a rise or fall: on track while its progress is no more than 10 points behind the share of
///   time elapsed since the benefit started, at risk up to 30 points behind, off track beyond
///   (moving the wrong way — a lower-is-better KPI that rises — is off track once any time has
///   passed); a target equal to its baseline is on track while met and off track while not;
/// - a stay target (at least, at most, inside a band): on track while met; at risk when within 5%
///   of its bound; off track beyond.
pub fn status(t: &Target, latest: Option<f64>, today: Date) -> TargetStatus {
    let Some(v) = latest else { return TargetStatus::NotMeasured };
    let met = t.kind.met_by(v);
    if today >= t.target_date {
        return if met { TargetStatus::Achieved } else { TargetStatus::Missed };
    }
    match t.kind {
        TargetKind::IncreaseTo { .. } | TargetKind::DecreaseTo { .. } => {
            let Some(p) = progress(t, v) else {
                return if met { TargetStatus::OnTrack } else { TargetStatus::OffTrack };
            };
            if p >= 1.0 {
                return TargetStatus::Achieved;
            }
            let time = elapsed(t, today);
            if p < 0.0 && time > 0.0 {
                return TargetStatus::OffTrack;
            }
            let behind = time - p;
            if behind <= ON_TRACK_SLACK {
                TargetStatus::OnTrack
            } else if behind <= AT_RISK_SLACK {
                TargetStatus::AtRisk
            } else {
                TargetStatus::OffTrack
            }
        }
        _ if met => TargetStatus::OnTrack,
        TargetKind::AtLeast { value: bound } | TargetKind::AtMost { value: bound } => near(v, bound),
        TargetKind::Band { low, high } => near(v, if v < low { low } else { high }),
    }
}

/// An initiative's status from its targets': the worst of them (off track, then missed, then at
/// risk), else on track while any is still running, achieved when all are, and not measured
/// when none is measured or there are none.
pub fn combined(statuses: impl IntoIterator<Item = TargetStatus>) -> TargetStatus {
    use TargetStatus::*;
    let all: Vec<TargetStatus> = statuses.into_iter().collect();
    let order = [OffTrack, Missed, AtRisk, OnTrack];
    if let Some(s) = order.into_iter().find(|s| all.contains(s)) {
        return s;
    }
    if !all.is_empty() && all.iter().all(|s| *s == Achieved) {
        Achieved
    } else if all.contains(&Achieved) {
        // Some achieved, the rest not measured yet.
        OnTrack
    } else {
        NotMeasured
    }
}

fn near(v: f64, bound: f64) -> TargetStatus {
    if (v - bound).abs() <= STAY_NEAR * bound.abs().max(f64::EPSILON) {
        TargetStatus::AtRisk
    } else {
        TargetStatus::OffTrack
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn rise(baseline: f64, to: f64) -> Target {
        Target {
            baseline,
            baseline_date: d("2026-01-01"),
            kind: TargetKind::IncreaseTo { value: to },
            target_date: d("2026-12-31"),
            benefit_start: d("2026-01-01"),
        }
    }

    #[test]
    fn progress_is_the_share_of_the_distance_travelled() {
        assert_eq!(progress(&rise(100.0, 200.0), 150.0), Some(0.5));
        let fall = Target { kind: TargetKind::DecreaseTo { value: 2.0 }, baseline: 10.0, ..rise(0.0, 0.0) };
        assert_eq!(progress(&fall, 6.0), Some(0.5));
        assert_eq!(progress(&fall, 12.0), Some(-0.25), "a fall that rises goes backwards");
        assert_eq!(progress(&rise(100.0, 100.0), 150.0), None, "target equal to baseline: no ratio");
        let stay = Target { kind: TargetKind::AtLeast { value: 90.0 }, ..rise(80.0, 0.0) };
        assert_eq!(progress(&stay, 95.0), None);
    }

    #[test]
    fn status_compares_progress_with_the_time_elapsed() {
        let t = rise(100.0, 200.0);
        assert_eq!(status(&t, None, d("2026-06-01")), TargetStatus::NotMeasured);
        // Half the year gone (2 July): 45% progress is on track, 30% at risk, 10% off track.
        let mid = d("2026-07-02");
        assert_eq!(status(&t, Some(145.0), mid), TargetStatus::OnTrack);
        assert_eq!(status(&t, Some(130.0), mid), TargetStatus::AtRisk);
        assert_eq!(status(&t, Some(110.0), mid), TargetStatus::OffTrack);
        assert_eq!(status(&t, Some(200.0), mid), TargetStatus::Achieved, "reached early");
        assert_eq!(status(&t, Some(95.0), d("2026-01-10")), TargetStatus::OffTrack, "the wrong way");
        assert_eq!(status(&t, Some(199.0), d("2026-12-31")), TargetStatus::Missed);
        assert_eq!(status(&t, Some(201.0), d("2027-02-01")), TargetStatus::Achieved);
        // Before the benefit starts nothing is behind, even when it starts at the target date
        // (a delivery still to come).
        let later = Target { benefit_start: d("2026-09-01"), ..t };
        assert_eq!(status(&later, Some(100.0), d("2026-06-01")), TargetStatus::OnTrack);
        let undelivered = Target { benefit_start: t.target_date, ..t };
        assert_eq!(status(&undelivered, Some(110.0), d("2026-06-01")), TargetStatus::OnTrack);
    }

    #[test]
    fn lower_is_better_turns_red_when_it_rises() {
        let errors = Target { kind: TargetKind::DecreaseTo { value: 1.0 }, baseline: 4.0, ..rise(0.0, 0.0) };
        assert_eq!(status(&errors, Some(4.5), d("2026-03-01")), TargetStatus::OffTrack);
        assert_eq!(status(&errors, Some(2.4), d("2026-07-02")), TargetStatus::OnTrack);
    }

    #[test]
    fn stay_targets_are_met_near_or_missed() {
        let t = Target { kind: TargetKind::AtLeast { value: 90.0 }, ..rise(92.0, 0.0) };
        assert_eq!(status(&t, Some(91.0), d("2026-05-01")), TargetStatus::OnTrack);
        assert_eq!(status(&t, Some(87.0), d("2026-05-01")), TargetStatus::AtRisk);
        assert_eq!(status(&t, Some(70.0), d("2026-05-01")), TargetStatus::OffTrack);
        let band = Target { kind: TargetKind::Band { low: 2.0, high: 4.0 }, ..t };
        assert_eq!(status(&band, Some(3.0), d("2026-05-01")), TargetStatus::OnTrack);
        assert_eq!(status(&band, Some(4.1), d("2026-05-01")), TargetStatus::AtRisk);
        assert_eq!(status(&band, Some(1.0), d("2026-05-01")), TargetStatus::OffTrack);
        let flat = rise(100.0, 100.0);
        assert_eq!(status(&flat, Some(100.0), d("2026-05-01")), TargetStatus::OnTrack);
        assert_eq!(status(&flat, Some(99.0), d("2026-05-01")), TargetStatus::OffTrack);
    }

    #[test]
    fn an_initiative_is_as_good_as_its_worst_target() {
        use TargetStatus::*;
        assert_eq!(combined([OnTrack, AtRisk, Achieved]), AtRisk);
        assert_eq!(combined([Missed, OffTrack]), OffTrack);
        assert_eq!(combined([Achieved, Achieved]), Achieved);
        assert_eq!(combined([Achieved, NotMeasured]), OnTrack);
        assert_eq!(combined([]), NotMeasured);
    }
}
