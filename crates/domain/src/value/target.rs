//! Targets as typed: what a KPI should reach, by when, and when the benefit starts.

use serde::{Deserialize, Serialize};

use super::{Target, TargetKind, Unit};
use crate::intake::parse::{parse_number, Date};
use crate::{Error, FieldErrors};

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
    /// Values planned by hand for some quarters (`validate_plan`); the rest follow the line.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub planned: super::QuarterPlan,
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
        planned: super::QuarterPlan::new(),
    })
}

#[cfg(test)]
mod tests {
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
