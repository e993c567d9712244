//! Value: KPIs in the business's own numbers, targets set on them when a request is approved,
//! and the rules that say how far a target has come and whether it is on track. Every rule is
//! a pure function; `docs/value.md` writes them down in words.

use serde::{Deserialize, Serialize};

use crate::intake::parse::{parse_currency, parse_number, Date};
use crate::{Error, FieldErrors};

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

fn near(v: f64, bound: f64) -> TargetStatus {
    if (v - bound).abs() <= STAY_NEAR * bound.abs().max(f64::EPSILON) {
        TargetStatus::AtRisk
    } else {
        TargetStatus::OffTrack
    }
}

/// Return on investment of realised money against cost: (value − cost) / cost; `None` without a
/// cost.
pub fn roi(realised: f64, cost: f64) -> Option<f64> {
    (cost > 0.0).then(|| (realised - cost) / cost)
}

/// A KPI as typed into its form (or sent as JSON).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct KpiInput {
    pub name: String,
    /// What it measures, for the business reader.
    pub definition: String,
    /// `money`, `percent`, `count`, `duration`, `score` or `yes_no`.
    pub unit: String,
    /// With money: the three-letter currency.
    pub currency: String,
    /// `revenue`, `cost_saving`, `retention`, `satisfaction`, `market_share`, `risk` or `other`.
    pub benefit: String,
    /// `higher`, `lower` or `band`.
    pub direction: String,
    pub unit_id: Option<i64>,
    /// How often it is measured, e.g. `monthly`.
    pub frequency: String,
    /// Where the numbers come from, e.g. "Finance BI, weekly revenue report".
    pub source: String,
}

/// The kinds of benefit a KPI stands for; the first two are money.
pub const BENEFITS: [&str; 7] =
    ["revenue", "cost_saving", "retention", "satisfaction", "market_share", "risk", "other"];
pub const FREQUENCIES: [&str; 5] = ["daily", "weekly", "monthly", "quarterly", "yearly"];

/// A checked KPI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kpi {
    pub name: String,
    pub definition: String,
    pub unit: Unit,
    /// Money only.
    pub currency: Option<String>,
    pub benefit: String,
    pub direction: Direction,
    pub unit_id: Option<i64>,
    pub frequency: String,
    pub source: String,
}

pub fn validate_kpi(input: &KpiInput) -> Result<Kpi, Error> {
    let mut f = FieldErrors::new();
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        f.insert("name".into(), "Name the KPI in a few words (up to 120 characters).".into());
    }
    let unit = Unit::parse(&input.unit);
    if unit.is_none() {
        f.insert("unit".into(), "Choose what it counts in: money, percent, count, days, score or yes/no.".into());
    }
    let currency = match unit {
        Some(Unit::Money) => {
            let c = parse_currency(&input.currency);
            if c.is_none() {
                f.insert("currency".into(), "Money needs a three-letter currency such as EUR.".into());
            }
            c
        }
        _ => None,
    };
    let benefit = input.benefit.trim().to_lowercase();
    if !BENEFITS.contains(&benefit.as_str()) {
        f.insert("benefit".into(), "Choose the kind of benefit.".into());
    }
    let direction = Direction::parse(&input.direction);
    if direction.is_none() {
        f.insert("direction".into(), "Choose which way is good: higher, lower or inside a band.".into());
    }
    let frequency = input.frequency.trim().to_lowercase();
    if !FREQUENCIES.contains(&frequency.as_str()) {
        f.insert("frequency".into(), "Choose how often it is measured.".into());
    }
    if input.definition.trim().is_empty() {
        f.insert("definition".into(), "Say what it measures, in words the business uses.".into());
    }
    Error::check(f)?;
    Ok(Kpi {
        name: name.to_string(),
        definition: input.definition.trim().to_string(),
        unit: unit.expect("checked"),
        currency,
        benefit,
        direction: direction.expect("checked"),
        unit_id: input.unit_id,
        frequency,
        source: input.source.trim().to_string(),
    })
}

/// A measurement as sent: a date, a value as text or number, a note.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct MeasurementInput {
    /// `YYYY-MM-DD`.
    pub date: String,
    #[serde(deserialize_with = "crate::intake::parse::text_or_number")]
    pub value: String,
    pub note: String,
    /// With money: the currency it is in, which must be the KPI's (empty: the KPI's).
    pub currency: String,
}

/// Checks a measurement against its KPI: the date, a number the unit allows, the KPI's currency.
/// `today` bounds the date: a measurement is of what happened, not of the future.
pub fn validate_measurement(kpi: &Kpi, m: &MeasurementInput, today: Date) -> Result<(Date, f64), FieldErrors> {
    let mut f = FieldErrors::new();
    let date = Date::parse(m.date.trim());
    match date {
        None => {
            f.insert("date".into(), "Enter the date as YYYY-MM-DD.".into());
        }
        Some(d) if d > today => {
            f.insert("date".into(), "A measurement is of a day that has come: not after today.".into());
        }
        _ => {}
    }
    let value = match parse_number(&m.value) {
        Ok(v) => match kpi.unit.check(v) {
            Ok(()) => Some(v),
            Err(msg) => {
                f.insert("value".into(), msg.into());
                None
            }
        },
        Err(_) => {
            f.insert("value".into(), "Enter a number, such as 1200 or 4.5.".into());
            None
        }
    };
    if !m.currency.trim().is_empty() {
        let given = parse_currency(&m.currency);
        if kpi.currency.is_none() || given != kpi.currency {
            let want = kpi.currency.as_deref().unwrap_or("no currency");
            f.insert("currency".into(), format!("This KPI is measured in {want}."));
        }
    }
    match (date, value) {
        (Some(d), Some(v)) if f.is_empty() => Ok((d, v)),
        _ => Err(f),
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
        // Before the benefit starts nothing is behind.
        let later = Target { benefit_start: d("2026-09-01"), ..t };
        assert_eq!(status(&later, Some(100.0), d("2026-06-01")), TargetStatus::OnTrack);
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
    fn roi_needs_a_cost() {
        assert_eq!(roi(150_000.0, 100_000.0), Some(0.5));
        assert_eq!(roi(150_000.0, 0.0), None);
    }

    #[test]
    fn a_measurement_fits_its_kpi() {
        let kpi = validate_kpi(&KpiInput {
            name: "Online revenue".into(),
            definition: "Money taken through the web shop each month.".into(),
            unit: "money".into(),
            currency: "eur".into(),
            benefit: "revenue".into(),
            direction: "higher".into(),
            frequency: "monthly".into(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(kpi.currency.as_deref(), Some("EUR"));
        let today = d("2026-12-01");
        let m = |date: &str, value: &str, currency: &str| MeasurementInput {
            date: date.into(),
            value: value.into(),
            currency: currency.into(),
            ..Default::default()
        };
        assert_eq!(validate_measurement(&kpi, &m("2026-11-30", "1,200.5", ""), today), Ok((d("2026-11-30"), 1200.5)));
        assert!(validate_measurement(&kpi, &m("2026-11-30", "lots", ""), today).unwrap_err().contains_key("value"));
        assert!(validate_measurement(&kpi, &m("2026-12-02", "1", ""), today).unwrap_err().contains_key("date"));
        assert!(validate_measurement(&kpi, &m("30/11/2026", "1", ""), today).unwrap_err().contains_key("date"));
        let wrong = validate_measurement(&kpi, &m("2026-11-30", "1", "USD"), today).unwrap_err();
        assert_eq!(wrong["currency"], "This KPI is measured in EUR.");
        let pct = Kpi { unit: Unit::Percent, currency: None, ..kpi };
        assert!(validate_measurement(&pct, &m("2026-11-30", "140", ""), today).unwrap_err().contains_key("value"));
    }

    #[test]
    fn a_kpi_needs_its_parts() {
        let e = validate_kpi(&KpiInput { unit: "money".into(), ..Default::default() }).unwrap_err();
        let Error::Validation { fields, .. } = e else { panic!() };
        for f in ["name", "currency", "benefit", "direction", "frequency", "definition"] {
            assert!(fields.contains_key(f), "{f}");
        }
    }
}

/// When a target's benefit is expected to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "at", rename_all = "snake_case")]
pub enum BenefitStart {
    /// When the initiative is delivered.
    Delivery,
    On {
        date: Date,
    },
    /// This many days after delivery.
    AfterDelivery {
        days: u32,
    },
}

impl BenefitStart {
    /// The day the benefit starts, given the delivery day if there has been one. Before delivery
    /// a benefit tied to it has not started: `None`.
    pub fn day(self, delivered: Option<Date>) -> Option<Date> {
        match self {
            BenefitStart::On { date } => Some(date),
            BenefitStart::Delivery => delivered,
            BenefitStart::AfterDelivery { days } => delivered.map(|d| Date::from_days(d.days() + i64::from(days))),
        }
    }
}

/// A target as typed: on a KPI, perhaps from one of a request's success metrics.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct TargetInput {
    /// The success metric of the request it comes from, by name (empty for a target set by hand).
    pub metric: String,
    #[serde(deserialize_with = "crate::intake::parse::text_or_number")]
    pub baseline: String,
    /// `YYYY-MM-DD`: when the baseline was measured.
    pub baseline_date: String,
    /// `increase_to`, `decrease_to`, `at_least`, `at_most` or `band`.
    pub kind: String,
    #[serde(deserialize_with = "crate::intake::parse::text_or_number")]
    pub value: String,
    /// With `band`: its low and high ends.
    #[serde(deserialize_with = "crate::intake::parse::text_or_number")]
    pub low: String,
    #[serde(deserialize_with = "crate::intake::parse::text_or_number")]
    pub high: String,
    /// `YYYY-MM-DD`.
    pub target_date: String,
    /// `delivery` (default), `date` or `after_delivery`.
    pub benefit_start: String,
    /// With `date`: `YYYY-MM-DD`.
    pub benefit_date: String,
    /// With `after_delivery`: days.
    #[serde(deserialize_with = "crate::intake::parse::text_or_number")]
    pub benefit_delay_days: String,
}

/// A checked target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidTarget {
    pub metric: String,
    pub baseline: f64,
    pub baseline_date: Date,
    pub kind: TargetKind,
    pub target_date: Date,
    pub benefit_start: BenefitStart,
}

impl ValidTarget {
    /// The target for the rules, given the delivery day: a benefit that has not started counts
    /// from the target date (so nothing is behind yet).
    pub fn rules(&self, delivered: Option<Date>) -> Target {
        Target {
            baseline: self.baseline,
            baseline_date: self.baseline_date,
            kind: self.kind,
            target_date: self.target_date,
            benefit_start: self.benefit_start.day(delivered).unwrap_or(self.target_date),
        }
    }
}

/// Checks a target against its KPI's unit.
pub fn validate_target(input: &TargetInput, unit: Unit) -> Result<ValidTarget, Error> {
    let mut f = FieldErrors::new();
    let mut number = |name: &str, v: &str| -> Option<f64> {
        match parse_number(v)
            .map_err(|_| "Enter a number, such as 1200 or 4.5.")
            .and_then(|n| unit.check(n).map(|()| n))
        {
            Ok(n) => Some(n),
            Err(msg) => {
                f.insert(name.into(), msg.into());
                None
            }
        }
    };
    let baseline = number("baseline", &input.baseline);
    let kind = match input.kind.trim() {
        "increase_to" => number("value", &input.value).map(|value| TargetKind::IncreaseTo { value }),
        "decrease_to" => number("value", &input.value).map(|value| TargetKind::DecreaseTo { value }),
        "at_least" => number("value", &input.value).map(|value| TargetKind::AtLeast { value }),
        "at_most" => number("value", &input.value).map(|value| TargetKind::AtMost { value }),
        "band" => match (number("low", &input.low), number("high", &input.high)) {
            (Some(low), Some(high)) if low > high => {
                f.insert("high".into(), "The high end must not be below the low end.".into());
                None
            }
            (Some(low), Some(high)) => Some(TargetKind::Band { low, high }),
            _ => None,
        },
        _ => {
            f.insert("kind".into(), "Choose the kind of target: increase to, decrease to, stay at or above, stay at or below, or stay inside a band.".into());
            None
        }
    };
    match (kind, baseline) {
        (Some(TargetKind::IncreaseTo { value }), Some(b)) if value < b => {
            f.insert("value".into(), "An increase ends above its baseline.".into());
        }
        (Some(TargetKind::DecreaseTo { value }), Some(b)) if value > b => {
            f.insert("value".into(), "A decrease ends below its baseline.".into());
        }
        _ => {}
    }
    let mut date = |name: &str, v: &str| -> Option<Date> {
        let d = Date::parse(v.trim());
        if d.is_none() {
            f.insert(name.into(), "Enter the date as YYYY-MM-DD.".into());
        }
        d
    };
    let baseline_date = date("baseline_date", &input.baseline_date);
    let target_date = date("target_date", &input.target_date);
    let benefit_start = match input.benefit_start.trim() {
        "" | "delivery" => Some(BenefitStart::Delivery),
        "date" => date("benefit_date", &input.benefit_date).map(|date| BenefitStart::On { date }),
        "after_delivery" => match input.benefit_delay_days.trim().parse::<u32>() {
            Ok(days) if days <= 3660 => Some(BenefitStart::AfterDelivery { days }),
            _ => {
                f.insert("benefit_delay_days".into(), "Enter a whole number of days, up to 3660.".into());
                None
            }
        },
        _ => {
            f.insert(
                "benefit_start".into(),
                "Choose when the benefit starts: at delivery, on a date, or some days after delivery.".into(),
            );
            None
        }
    };
    if let (Some(b), Some(t)) = (baseline_date, target_date) {
        if t <= b {
            f.insert("target_date".into(), "The target date comes after the baseline's date.".into());
        }
    }
    Error::check(f)?;
    Ok(ValidTarget {
        metric: input.metric.trim().to_string(),
        baseline: baseline.expect("checked"),
        baseline_date: baseline_date.expect("checked"),
        kind: kind.expect("checked"),
        target_date: target_date.expect("checked"),
        benefit_start: benefit_start.expect("checked"),
    })
}

#[cfg(test)]
mod target_tests {
    use super::*;

    fn input() -> TargetInput {
        TargetInput {
            baseline: "4.0".into(),
            baseline_date: "2026-01-01".into(),
            kind: "decrease_to".into(),
            value: "1.5".into(),
            target_date: "2026-12-31".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_target_is_checked_against_its_unit_and_dates() {
        let t = validate_target(&input(), Unit::Percent).unwrap();
        assert_eq!(t.kind, TargetKind::DecreaseTo { value: 1.5 });
        assert_eq!(t.benefit_start, BenefitStart::Delivery);
        let fields = |i: TargetInput, u: Unit| match validate_target(&i, u) {
            Err(Error::Validation { fields, .. }) => fields,
            other => panic!("{other:?}"),
        };
        let f = fields(TargetInput { value: "120".into(), ..input() }, Unit::Percent);
        assert!(f.contains_key("value"), "a percent over 100: {f:?}");
        let f = fields(TargetInput { value: "5".into(), ..input() }, Unit::Percent);
        assert_eq!(f["value"], "A decrease ends below its baseline.");
        let f = fields(TargetInput { target_date: "2025-12-31".into(), ..input() }, Unit::Percent);
        assert!(f.contains_key("target_date"));
        let band = TargetInput { kind: "band".into(), low: "3".into(), high: "2".into(), ..input() };
        assert!(fields(band, Unit::Percent).contains_key("high"));
        let later = TargetInput { benefit_start: "after_delivery".into(), benefit_delay_days: "30".into(), ..input() };
        let t = validate_target(&later, Unit::Percent).unwrap();
        let delivered = Date::parse("2026-03-01").unwrap();
        assert_eq!(t.benefit_start.day(Some(delivered)), Date::parse("2026-03-31"));
        assert_eq!(t.benefit_start.day(None), None, "not delivered: not started");
        assert_eq!(t.rules(None).benefit_start, t.target_date);
    }
}
