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

/// What a search took misspelt words for: "No match for “kajak”, so these are the results for
/// “kayak”."
pub fn correction(c: &bridge_domain::search::Correction) -> String {
    let quoted =
        |words: Vec<&str>, joiner: &str| words.iter().map(|w| format!("“{w}”")).collect::<Vec<_>>().join(joiner);
    let typed = quoted(c.replaced.iter().map(|(t, _)| t.as_str()).collect(), " or ");
    let taken = quoted(c.replaced.iter().map(|(_, b)| b.as_str()).collect(), " and ");
    format!("No match for {typed}, so these are the results for {taken}.")
}

/// Who a message will tell, before it is sent: "Joanna Wiśniewska and Rajesh Menon will be
/// notified." or "Nobody is called “@Joana”: …". Empty when it mentions nobody.
pub fn telling(named: &[String], unknown: &[String]) -> String {
    if let Some(word) = unknown.first() {
        return format!(
            "Nobody is called “@{word}”: write their full name as in the directory or their email after the @."
        );
    }
    match named {
        [] => String::new(),
        [one] => format!("{one} will be notified."),
        [rest @ .., last] => format!("{} and {last} will be notified.", rest.join(", ")),
    }
}

/// A KPI's value in its unit: "EUR 12,400", "4.2%", "1,250", "3.5 days", "7.1", "Yes".
pub fn measured(unit: &str, currency: Option<&str>, v: f64) -> String {
    bridge_domain::value::format_value(unit, currency, v)
}

/// A share as a whole percentage: 0.456 → "46%".
pub fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}
