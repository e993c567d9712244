//! KPIs and their measurements as typed, checked against the rules of `value`.

use serde::{Deserialize, Serialize};

use super::{Direction, Unit};
use crate::intake::parse::{parse_currency, parse_number, Date};
use crate::{Error, FieldErrors};

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
    use crate::Error;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
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
