//! Times in zones: an event is set in its organiser's zone ("12:30 in London") and kept as an
//! instant (seconds since 1970 UTC), so each reader sees it in their own zone and every
//! calendar client places it right.

use chrono::{Datelike, LocalResult, NaiveDate, TimeZone, Timelike};
use chrono_tz::Tz;

use crate::engagement::{clock, WEEKDAYS};
use crate::intake::parse::Date;

/// The zone shown when a person chose none.
pub const DEFAULT_ZONE: &str = "UTC";

/// A zone by its IANA name ("Europe/London"), if it is one.
pub fn parse_zone(name: &str) -> Option<Tz> {
    name.trim().parse().ok()
}

/// Every zone's name, for a form's list.
pub fn zone_names() -> impl Iterator<Item = &'static str> {
    chrono_tz::TZ_VARIANTS.iter().map(|z| z.name())
}

/// The instant of a local date and time in a zone. A time the clocks skip (spring forward) is
/// `None`; a time they pass twice (fall back) is its first passing.
pub fn instant(date: Date, minute: u32, zone: Tz) -> Option<i64> {
    let day = NaiveDate::from_ymd_opt(i32::from(date.year()), u32::from(date.month()), u32::from(date.day()))?;
    let local = day.and_hms_opt(minute / 60, minute % 60, 0)?;
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.timestamp_millis()),
        LocalResult::None => None,
    }
}

/// An instant as a zone's clock shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    pub date: Date,
    /// Minutes after midnight.
    pub minute: u32,
}

impl LocalTime {
    pub fn of(at: i64, zone: Tz) -> LocalTime {
        let t = zone.timestamp_millis_opt(at).single().unwrap_or_else(|| zone.timestamp_millis_opt(0).unwrap());
        let date = Date::parse(&format!("{:04}-{:02}-{:02}", t.year(), t.month(), t.day()))
            .unwrap_or_else(|| Date::from_days(at.div_euclid(86_400_000)));
        LocalTime { date, minute: t.hour() * 60 + t.minute() }
    }

    pub fn clock(self) -> String {
        clock(self.minute)
    }

    /// "Friday 11 December 2026".
    pub fn day_name(self) -> String {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let weekday = WEEKDAYS[crate::engagement::weekday_of(self.date) as usize];
        format!("{weekday} {} {} {}", self.date.day(), MONTHS[usize::from(self.date.month() - 1)], self.date.year())
    }
}

/// When something happens, in words for a reader in `zone`: "Friday 11 December 2026,
/// 12:30–13:30 (Europe/London)"; the end's day too when it is another day.
pub fn when_in(starts: i64, ends: i64, zone: Tz) -> String {
    let (from, until) = (LocalTime::of(starts, zone), LocalTime::of(ends, zone));
    let end = match until.date == from.date {
        true => until.clock(),
        false => format!("{}, {}", until.day_name(), until.clock()),
    };
    format!("{}, {}–{end} ({})", from.day_name(), from.clock(), zone.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000;
    const DAY: i64 = 24 * HOUR;

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn an_event_set_in_london_shows_at_the_right_time_in_new_york_and_warsaw() {
        let london = parse_zone("Europe/London").unwrap();
        let at = instant(date("2026-12-11"), 12 * 60 + 30, london).unwrap();
        assert_eq!(at % DAY, (12 * 3600 + 30 * 60) * 1000, "London is on UTC in December");
        let ends = at + HOUR;
        assert_eq!(when_in(at, ends, london), "Friday 11 December 2026, 12:30–13:30 (Europe/London)");
        let new_york = parse_zone("America/New_York").unwrap();
        assert_eq!(when_in(at, ends, new_york), "Friday 11 December 2026, 07:30–08:30 (America/New_York)");
        let warsaw = parse_zone("Europe/Warsaw").unwrap();
        assert_eq!(LocalTime::of(at, warsaw).clock(), "13:30");
        let tokyo = parse_zone("Asia/Tokyo").unwrap();
        assert_eq!(
            when_in(at + 10 * HOUR, at + 12 * HOUR, tokyo),
            "Saturday 12 December 2026, 07:30–09:30 (Asia/Tokyo)"
        );
    }

    #[test]
    fn summer_time_moves_the_instant_and_a_skipped_hour_is_no_time() {
        let london = parse_zone("Europe/London").unwrap();
        let summer = instant(date("2026-07-03"), 12 * 60, london).unwrap();
        assert_eq!(summer % DAY, 11 * HOUR, "British Summer Time is UTC+1");
        assert_eq!(instant(date("2026-03-29"), 60 + 30, london), None, "01:30 is skipped that night");
        assert!(instant(date("2026-10-25"), 60 + 30, london).is_some(), "01:30 twice: the first");
        assert!(parse_zone("Mars/Olympus").is_none());
        assert!(zone_names().any(|z| z == "Europe/London"));
    }
}
