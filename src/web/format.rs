//! Formatting for people to read, shared by every page and template: dates, times and numbers.

use std::borrow::Borrow;

/// A date for people to read, from epoch milliseconds (UTC).
pub fn date(ms: impl Borrow<i64>) -> String {
    chrono::DateTime::from_timestamp_millis(*ms.borrow()).map(|d| d.format("%-d %b %Y").to_string()).unwrap_or_default()
}

pub fn datetime(ms: impl Borrow<i64>) -> String {
    chrono::DateTime::from_timestamp_millis(*ms.borrow())
        .map(|d| d.format("%-d %b %Y %H:%M").to_string())
        .unwrap_or_default()
}

/// A number with thousands separators and at most one decimal: 1234.56 → "1,234.6".
pub fn number(x: f64) -> String {
    bridge_domain::intake::parse::format_number((x * 10.0).round() / 10.0)
}
