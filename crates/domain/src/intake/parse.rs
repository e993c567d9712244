//! Reading what forms send as text — numbers with thousands commas, money, ISO dates, currency
//! codes — and writing numbers and money back as plain text. No regexes, no allocation on the
//! hot paths used by scoring.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

/// Why a number typed into a form could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberError {
    /// Not digits, or commas in the wrong places.
    NotANumber,
    /// Money with more than two decimals.
    TooManyDecimals,
    /// Too many digits to be a sensible amount.
    TooLarge,
}

impl NumberError {
    /// The plain-language message shown beside the field.
    pub fn message(self) -> &'static str {
        match self {
            NumberError::NotANumber => "Enter a number, like 1200 or 1,200.50 (commas only between thousands).",
            NumberError::TooManyDecimals => "Use at most two decimals for an amount of money.",
            NumberError::TooLarge => "This number is too large.",
        }
    }
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// The parts of a well-formed decimal: sign, integer digits (commas still in), fraction digits.
struct Parts<'a> {
    negative: bool,
    int: &'a str,
    frac: &'a str,
}

/// Longest text accepted as a number (digits, commas, sign and point together).
const MAX_NUMBER_LEN: usize = 40;

/// Numbers must stay below this in size (a thousand million million), so every accepted value
/// also prints back as a number this parser accepts.
pub const MAX_NUMBER: f64 = 1e15;

/// Checks the shape of a decimal: optional sign, integer digits either plain (`1200`) or grouped
/// by commas in threes (`1,200`), then optionally a point and at least one digit.
fn split_number(s: &str) -> Result<Parts<'_>, NumberError> {
    let s = s.trim();
    if s.len() > MAX_NUMBER_LEN {
        return Err(NumberError::TooLarge);
    }
    let (negative, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, f),
        None => (rest, ""),
    };
    if rest.ends_with('.') || (int.is_empty() && frac.is_empty()) {
        return Err(NumberError::NotANumber);
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NumberError::NotANumber);
    }
    if int.contains(',') {
        // Grouped: first group 1–3 digits, every later group exactly 3.
        let mut groups = int.split(',');
        let first = groups.next().unwrap_or("");
        if first.is_empty() || first.len() > 3 || !first.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NumberError::NotANumber);
        }
        for g in groups {
            if g.len() != 3 || !g.bytes().all(|b| b.is_ascii_digit()) {
                return Err(NumberError::NotANumber);
            }
        }
    } else if !int.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NumberError::NotANumber);
    }
    Ok(Parts { negative, int, frac })
}

/// Reads a decimal number such as `1200`, `1,200.50`, `-3.5` or `.5`.
pub fn parse_number(s: &str) -> Result<f64, NumberError> {
    let p = split_number(s)?;
    let mut buf = String::with_capacity(MAX_NUMBER_LEN + 2);
    if p.negative {
        buf.push('-');
    }
    if p.int.is_empty() {
        buf.push('0');
    }
    buf.extend(p.int.chars().filter(|c| *c != ','));
    if !p.frac.is_empty() {
        buf.push('.');
        buf.push_str(p.frac);
    }
    let v: f64 = buf.parse().map_err(|_| NumberError::NotANumber)?;
    if !v.is_finite() || v.abs() >= MAX_NUMBER {
        return Err(NumberError::TooLarge);
    }
    // "-0" is just zero.
    Ok(if v == 0.0 { 0.0 } else { v })
}

/// Largest amount of money accepted, in minor units (a trillion, with cents).
const MAX_MONEY_CENTS: i64 = 100_000_000_000_000;

/// Reads an amount of money into hundredths (cents): `1,200.50` → `120050`. At most two
/// decimals; the sign is kept so the caller can say "cannot be negative" precisely.
pub fn parse_money(s: &str) -> Result<i64, NumberError> {
    let p = split_number(s)?;
    if p.frac.len() > 2 {
        return Err(NumberError::TooManyDecimals);
    }
    let mut units: i64 = 0;
    for b in p.int.bytes().filter(|b| *b != b',') {
        units = units.checked_mul(10).and_then(|u| u.checked_add(i64::from(b - b'0'))).ok_or(NumberError::TooLarge)?;
    }
    let mut cents = units.checked_mul(100).ok_or(NumberError::TooLarge)?;
    let fb = p.frac.as_bytes();
    if let Some(d) = fb.first() {
        cents += i64::from(d - b'0') * 10;
    }
    if let Some(d) = fb.get(1) {
        cents += i64::from(d - b'0');
    }
    if cents > MAX_MONEY_CENTS {
        return Err(NumberError::TooLarge);
    }
    Ok(if p.negative { -cents } else { cents })
}

/// Reads a currency code: three letters, returned in capitals (`eur` → `EUR`).
/// The organisation's currency until an administrator chooses another (Admin → Intake settings).
pub const DEFAULT_CURRENCY: &str = "EUR";

/// The organisation's default currency as an administrator typed it.
pub fn validate_default_currency(s: &str) -> crate::Result<String> {
    parse_currency(s).ok_or_else(|| {
        crate::Error::field("default_currency", "Use a three-letter currency code such as EUR, USD or GBP.")
    })
}

pub fn parse_currency(s: &str) -> Option<String> {
    let s = s.trim();
    if s.len() == 3 && s.bytes().all(|b| b.is_ascii_alphabetic()) {
        Some(s.to_ascii_uppercase())
    } else {
        None
    }
}

/// A calendar date, compared in calendar order. Written and read as `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// Reads exactly `YYYY-MM-DD` (surrounding spaces ignored), checking month lengths and
    /// leap years. Years 1000–9999.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.trim().as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u16> {
            b[r].iter().try_fold(0u16, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + u16::from(c - b'0')))
        };
        let year = num(0..4)?;
        let month = num(5..7)?;
        let day = num(8..10)?;
        if year < 1000 || !(1..=12).contains(&month) {
            return None;
        }
        let date = Date { year, month: month as u8, day: day as u8 };
        (day >= 1 && day <= u16::from(date.days_in_month())).then_some(date)
    }

    pub fn year(self) -> u16 {
        self.year
    }
    pub fn month(self) -> u8 {
        self.month
    }
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before), for counting days between dates.
    pub fn days(self) -> i64 {
        // Howard Hinnant's days_from_civil: years counted from March, so February's length
        // only matters at a year's end.
        let (y, m, d) = (i64::from(self.year), i64::from(self.month), i64::from(self.day));
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let year_of_era = y - era * 400;
        let day_of_year = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date `days` after 1970-01-01 (the inverse of [`Date::days`]).
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Date { year: year.clamp(0, 9999) as u16, month: month as u8, day: day as u8 }
    }

    fn is_leap_year(self) -> bool {
        let y = self.year;
        (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
    }

    fn days_in_month(self) -> u8 {
        match self.month {
            2 if self.is_leap_year() => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("not a date (YYYY-MM-DD): {s:?}")))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Writes an unsigned integer with commas between thousands: `1234567` → `1,234,567`.
fn group_thousands(mut n: u64, out: &mut String) {
    let mut digits = [0u8; 20];
    let mut len = 0;
    loop {
        digits[len] = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for i in (0..len).rev() {
        out.push(char::from(digits[i]));
        if i > 0 && i % 3 == 0 {
            out.push(',');
        }
    }
}

/// Money for people: `EUR 12,000` or `EUR 1,200.50` (cents shown only when there are some).
pub fn format_money(cents: i64, currency: &str) -> String {
    let mut out = String::with_capacity(24);
    out.push_str(currency);
    out.push(' ');
    if cents < 0 {
        out.push('-');
    }
    let abs = cents.unsigned_abs();
    group_thousands(abs / 100, &mut out);
    let rest = abs % 100;
    if rest != 0 {
        out.push('.');
        out.push(char::from(b'0' + (rest / 10) as u8));
        out.push(char::from(b'0' + (rest % 10) as u8));
    }
    out
}

/// Money as a form would hold it: `1200.50`, `12000` (no commas, no currency).
pub fn money_to_input(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    if abs.is_multiple_of(100) {
        format!("{sign}{}", abs / 100)
    } else {
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

/// A number for people: rounded to two decimals, trailing zeros dropped, commas between
/// thousands: `20` → `20`, `2.5` → `2.5`, `1234.567` → `1,234.57`.
pub fn format_number(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let hundredths = (x.abs() * 100.0).round();
    if hundredths >= 1e17 {
        return format!("{x}");
    }
    let hundredths = hundredths as u64;
    let mut out = String::with_capacity(16);
    if x < 0.0 && hundredths != 0 {
        out.push('-');
    }
    group_thousands(hundredths / 100, &mut out);
    let frac = hundredths % 100;
    if frac != 0 {
        out.push('.');
        out.push(char::from(b'0' + (frac / 10) as u8));
        if !frac.is_multiple_of(10) {
            out.push(char::from(b'0' + (frac % 10) as u8));
        }
    }
    out
}

/// Number of words (runs of non-space characters). Allocation-free.
pub(crate) fn word_count(s: &str) -> usize {
    if !s.is_ascii() {
        return s.split_whitespace().count();
    }
    // ASCII fast path: count the starts of words.
    let mut words = 0;
    let mut in_word = false;
    for b in s.bytes() {
        let space = b.is_ascii_whitespace() || b == 0x0b;
        if !space && !in_word {
            words += 1;
        }
        in_word = !space;
    }
    words
}

/// Words that state a quantity without digits ("twice as many", "half of our orders").
/// "one" is left out: it is used far more often as a pronoun than as a quantity.
const NUMBER_WORDS: &[&str] = &[
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "billion",
    "dozen",
    "dozens",
    "half",
    "twice",
    "double",
    "triple",
    "percent",
    "quarter",
];

/// True when the text states a quantity: any digit, or a number word such as "twice" or
/// "hundred". Allocation-free.
pub(crate) fn has_number(s: &str) -> bool {
    if s.bytes().any(|b| b.is_ascii_digit()) {
        return true;
    }
    s.split_whitespace().any(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        NUMBER_WORDS.iter().any(|n| n.eq_ignore_ascii_case(w))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_count_from_1970() {
        let d = |s: &str| Date::parse(s).unwrap().days();
        assert_eq!(d("1970-01-01"), 0);
        assert_eq!(d("2000-03-01") - d("2000-02-28"), 2, "2000 is a leap year");
        assert_eq!(d("2026-12-31") - d("2026-01-01"), 364);
        assert_eq!(d("1969-12-31"), -1);
        for s in ["1970-01-01", "2000-02-29", "2026-12-31", "2027-03-01", "1999-12-31"] {
            assert_eq!(Date::from_days(d(s)).to_string(), s);
        }
    }

    #[test]
    fn money_without_a_currency_takes_the_default() {
        use crate::intake::RequestInput;
        let typed = RequestInput { budget_amount: "45,000".into(), ..Default::default() };
        assert_eq!(typed.with_default_currency("GBP").budget_currency, "GBP");
        let range = RequestInput { budget_max: "9".into(), ..Default::default() };
        assert_eq!(range.with_default_currency("GBP").budget_currency, "GBP");
        let chosen = RequestInput { budget_amount: "1".into(), budget_currency: "usd".into(), ..Default::default() };
        assert_eq!(chosen.with_default_currency("GBP").budget_currency, "usd", "a typed currency stays");
        let none = RequestInput::default().with_default_currency("GBP");
        assert_eq!(none.budget_currency, "", "no money, no currency");
        assert_eq!(validate_default_currency(" chf ").unwrap(), "CHF");
        assert!(validate_default_currency("euro").is_err());
    }

    #[test]
    fn numbers_with_and_without_commas() {
        assert_eq!(parse_number("1200"), Ok(1200.0));
        assert_eq!(parse_number("1,200.50"), Ok(1200.5));
        assert_eq!(parse_number(" 1,234,567 "), Ok(1_234_567.0));
        assert_eq!(parse_number("-3.25"), Ok(-3.25));
        assert_eq!(parse_number("+4"), Ok(4.0));
        assert_eq!(parse_number(".5"), Ok(0.5));
        assert_eq!(parse_number("0"), Ok(0.0));
        assert_eq!(parse_number("-0"), Ok(0.0));
    }

    #[test]
    fn malformed_numbers() {
        for bad in [
            "", "abc", "12a", "1,2", "12,00", "1,2000", ",100", "1.", ".", "-", "1.2.3", "1e5", "NaN", "inf", "1 200",
            "1,200,", "€100", "10%",
        ] {
            assert_eq!(parse_number(bad), Err(NumberError::NotANumber), "{bad:?}");
        }
        assert_eq!(parse_number(&"9".repeat(41)), Err(NumberError::TooLarge));
        assert_eq!(parse_number("1,000,000,000,000,000"), Err(NumberError::TooLarge));
        assert_eq!(parse_number("-999,999,999,999,999"), Ok(-999_999_999_999_999.0));
        // Whatever is accepted prints back as something accepted.
        for ok in ["999999999999999.5", ".0000000000000000000000000000000000001", "-0.5"] {
            let v = parse_number(ok).unwrap();
            assert_eq!(parse_number(&v.to_string()), Ok(v), "{ok}");
        }
    }

    #[test]
    fn money_in_cents() {
        assert_eq!(parse_money("1,200.50"), Ok(120_050));
        assert_eq!(parse_money("1200"), Ok(120_000));
        assert_eq!(parse_money("0.5"), Ok(50));
        assert_eq!(parse_money("0.05"), Ok(5));
        assert_eq!(parse_money("-10"), Ok(-1000));
        assert_eq!(parse_money("1.234"), Err(NumberError::TooManyDecimals));
        assert_eq!(parse_money("12,00"), Err(NumberError::NotANumber));
        assert_eq!(parse_money("2,000,000,000,000"), Err(NumberError::TooLarge));
        assert_eq!(parse_money("1,000,000,000,000"), Ok(MAX_MONEY_CENTS));
    }

    #[test]
    fn money_and_numbers_for_people() {
        assert_eq!(format_money(120_050, "EUR"), "EUR 1,200.50");
        assert_eq!(format_money(1_200_000, "USD"), "USD 12,000");
        assert_eq!(format_money(5, "GBP"), "GBP 0.05");
        assert_eq!(format_money(0, "EUR"), "EUR 0");
        assert_eq!(format_money(-150, "EUR"), "EUR -1.50");
        assert_eq!(money_to_input(120_050), "1200.50");
        assert_eq!(money_to_input(120_000), "1200");
        assert_eq!(parse_money(&money_to_input(-7)), Ok(-7));
        assert_eq!(format_number(20.0), "20");
        assert_eq!(format_number(2.5), "2.5");
        assert_eq!(format_number(1234.567), "1,234.57");
        assert_eq!(format_number(-0.001), "0");
        assert_eq!(format_number(-12.05), "-12.05");
        assert_eq!(format_number(1_000_000.0), "1,000,000");
    }

    #[test]
    fn currencies() {
        assert_eq!(parse_currency("EUR").as_deref(), Some("EUR"));
        assert_eq!(parse_currency(" usd ").as_deref(), Some("USD"));
        assert_eq!(parse_currency("EU"), None);
        assert_eq!(parse_currency("EURO"), None);
        assert_eq!(parse_currency("€"), None);
        assert_eq!(parse_currency("E1R"), None);
    }

    #[test]
    fn dates() {
        let d = Date::parse("2025-03-09").unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (2025, 3, 9));
        assert_eq!(d.to_string(), "2025-03-09");
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2000-02-29").is_some());
        assert!(Date::parse("1900-02-29").is_none());
        assert!(Date::parse("2025-04-31").is_none());
        assert!(Date::parse("2025-13-01").is_none());
        assert!(Date::parse("2025-00-10").is_none());
        assert!(Date::parse("2025-01-00").is_none());
        assert!(Date::parse("2025-1-01").is_none());
        assert!(Date::parse("25-01-01").is_none());
        assert!(Date::parse("2025/01/01").is_none());
        assert!(Date::parse("2025-01-01T00:00").is_none());
        assert!(Date::parse("0999-01-01").is_none());
        assert!(Date::parse("2025-01-02") > Date::parse("2024-12-31"));
    }

    #[test]
    fn words_and_quantities() {
        assert_eq!(word_count("  order   errors\ncost us  "), 4);
        assert_eq!(word_count(""), 0);
        assert_eq!(word_count(" a\tb\x0bc\x0cd\re "), 5);
        assert_eq!(word_count("caf\u{e9}\u{a0}cr\u{e8}me br\u{fb}l\u{e9}e"), 3);
        assert!(has_number("we lose 40 orders"));
        assert!(has_number("Twice a week the export fails."));
        assert!(has_number("about a HUNDRED complaints"));
        assert!(!has_number("orders are slow and customers complain"));
        assert!(!has_number("one of our teams is unhappy"));
    }
}

/// Serde helper for number fields that forms send as text: accepts a JSON string as it is, or a
/// JSON number (written back as text, so `1200` and `"1,200"` both reach validation), or `null`
/// (empty). API clients can then send numbers as numbers.
pub fn text_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct TextOrNumber;

    impl Visitor<'_> for TextOrNumber {
        type Value = String;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a number or text")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
            Ok(v)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_unit<E: de::Error>(self) -> Result<String, E> {
            Ok(String::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<String, E> {
            Ok(String::new())
        }
    }

    d.deserialize_any(TextOrNumber)
}
