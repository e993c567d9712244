//! Stay-in-touch cadences: how often IT should be in contact with a business unit, and how a
//! unit stands against its cadence on a day.

use serde::{Deserialize, Serialize};

use crate::intake::parse::Date;
use crate::intake::Status;
use crate::{Error, FieldErrors};

/// The longest interval a cadence may ask for, in days.
pub const MAX_INTERVAL_DAYS: u32 = 365;

/// The ideal and the longest number of days between contacts with a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cadence {
    pub ideal_days: u32,
    pub max_days: u32,
}

/// The requests a unit's default cadence counts as open: the open queue (waiting for IT,
/// approved, deferred) and those in delivery.
pub const COUNTED_OPEN: [Status; 5] =
    [Status::Submitted, Status::InAssessment, Status::Approved, Status::Deferred, Status::InDelivery];

/// The cadence a unit has until an admin sets one: tighter for a larger unit and for one with
/// more requests open (more is at stake when contact lapses). A unit of fewer than 20 people with
/// fewer than 3 requests open: every 30 days, at most 60; from 20 people or 3 open requests:
/// every 14 days, at most 30; from 100 people or 8 open requests: every 7 days, at most 21.
pub fn default_cadence(people: usize, open_requests: usize) -> Cadence {
    if people >= 100 || open_requests >= 8 {
        Cadence { ideal_days: 7, max_days: 21 }
    } else if people >= 20 || open_requests >= 3 {
        Cadence { ideal_days: 14, max_days: 30 }
    } else {
        Cadence { ideal_days: 30, max_days: 60 }
    }
}

/// Checks a cadence as typed: whole days from 1 to [`MAX_INTERVAL_DAYS`], the maximum not
/// shorter than the ideal.
pub fn validate_cadence(ideal: &str, max: &str) -> Result<Cadence, Error> {
    let mut f = FieldErrors::new();
    let mut days = |name: &str, v: &str| match v.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_INTERVAL_DAYS).contains(&n) => Some(n),
        _ => {
            f.insert(name.into(), format!("Enter a number of days from 1 to {MAX_INTERVAL_DAYS}."));
            None
        }
    };
    let (ideal, max) = (days("ideal_days", ideal), days("max_days", max));
    if let (Some(i), Some(m)) = (ideal, max) {
        if m < i {
            f.insert("max_days".into(), "The maximum cannot be shorter than the ideal.".into());
        }
    }
    Error::check(f)?;
    Ok(Cadence { ideal_days: ideal.expect("checked"), max_days: max.expect("checked") })
}

/// How a unit stands against its cadence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Past the maximum, or never in contact.
    Red,
    /// Past the ideal.
    Amber,
    InTouch,
}

impl Standing {
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Red => "red",
            Standing::Amber => "amber",
            Standing::InTouch => "in_touch",
        }
    }

    pub fn parse(s: &str) -> Option<Standing> {
        [Standing::Red, Standing::Amber, Standing::InTouch].into_iter().find(|x| x.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Standing::Red => "Out of touch",
            Standing::Amber => "Losing touch",
            Standing::InTouch => "In touch",
        }
    }
}

/// A unit's standing on `today` from its last contact: in touch up to the ideal number of days
/// since, amber past it, red past the maximum or when there was never a contact.
pub fn standing(c: Cadence, last_contact: Option<Date>, today: Date) -> Standing {
    let Some(last) = last_contact else { return Standing::Red };
    let since = today.days() - last.days();
    if since > i64::from(c.max_days) {
        Standing::Red
    } else if since > i64::from(c.ideal_days) {
        Standing::Amber
    } else {
        Standing::InTouch
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn a_unit_turns_amber_past_its_ideal_and_red_past_its_maximum() {
        let c = Cadence { ideal_days: 14, max_days: 30 };
        let today = d("2026-12-01");
        assert_eq!(standing(c, Some(d("2026-11-17")), today), Standing::InTouch, "14 days: still in touch");
        assert_eq!(standing(c, Some(d("2026-11-16")), today), Standing::Amber);
        assert_eq!(standing(c, Some(d("2026-11-01")), today), Standing::Amber, "30 days: not past the maximum");
        assert_eq!(standing(c, Some(d("2026-10-31")), today), Standing::Red);
        assert_eq!(standing(c, None, today), Standing::Red, "never in touch");
    }

    #[test]
    fn cadences_are_checked_and_tighter_for_larger_busier_units() {
        assert_eq!(validate_cadence("14", "30").unwrap(), Cadence { ideal_days: 14, max_days: 30 });
        let Err(Error::Validation { fields, .. }) = validate_cadence("30", "14") else { panic!() };
        assert!(fields["max_days"].contains("shorter than the ideal"));
        let Err(Error::Validation { fields, .. }) = validate_cadence("0", "many") else { panic!() };
        assert_eq!(fields.len(), 2);
        assert_eq!(default_cadence(5, 0), Cadence { ideal_days: 30, max_days: 60 });
        assert_eq!(default_cadence(5, 3).ideal_days, 14);
        assert_eq!(default_cadence(150, 0).ideal_days, 7);
    }
}
