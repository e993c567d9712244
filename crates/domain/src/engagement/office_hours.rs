//! Office hours: open-door time an IT leader or relationship manager keeps every week (say
//! Tuesdays 14:00–16:00 in room 3.12), cut into slots a business person books.

use serde::{Deserialize, Serialize};

use crate::intake::parse::Date;
use crate::{Error, FieldErrors};

pub const WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
pub const MAX_TOPIC_CHARS: usize = 300;

/// The weekday of a date, 0 for Monday to 6 for Sunday.
pub fn weekday_of(date: Date) -> u8 {
    // 1970-01-01 was a Thursday.
    (date.days() + 3).rem_euclid(7) as u8
}

/// `HH:MM` of minutes after midnight.
pub fn clock(minute: u32) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// Minutes after midnight of `HH:MM`.
pub fn parse_clock(s: &str) -> Option<u32> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60 && m.to_string().len() <= 2).then_some(h * 60 + m)
}

/// Office hours as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OfficeHoursInput {
    /// 0 Monday … 6 Sunday
    #[serde(deserialize_with = "crate::intake::parse::text_or_number")]
    pub weekday: String,
    /// `HH:MM`
    pub start: String,
    /// `HH:MM`
    pub end: String,
    /// Minutes each booking takes: 15 to 120.
    #[serde(deserialize_with = "crate::intake::parse::text_or_number")]
    pub slot_minutes: String,
    /// A room, or a link to a call.
    pub place: String,
    /// `YYYY-MM-DD`: the first week they are offered.
    pub from: String,
    /// `YYYY-MM-DD`; empty: every week until ended.
    pub until: String,
}

/// Checked office hours: every `weekday` from `start_minute` to `end_minute`, in slots.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficeHours {
    pub weekday: u8,
    pub start_minute: u32,
    pub end_minute: u32,
    pub slot_minutes: u32,
    pub place: String,
    pub from: Date,
    pub until: Option<Date>,
}

impl OfficeHours {
    /// Whether they are kept on `date`.
    pub fn kept_on(&self, date: Date) -> bool {
        weekday_of(date) == self.weekday && date >= self.from && self.until.is_none_or(|u| date <= u)
    }

    /// The slots' start minutes on a day they are kept.
    pub fn slot_starts(&self) -> impl Iterator<Item = u32> + '_ {
        (self.start_minute..)
            .step_by(self.slot_minutes as usize)
            .take_while(|s| s + self.slot_minutes <= self.end_minute)
    }

    pub fn is_slot(&self, date: Date, start_minute: u32) -> bool {
        self.kept_on(date) && self.slot_starts().any(|s| s == start_minute)
    }

    /// "Tuesdays 14:00–16:00, 30 minutes each"
    pub fn describe(&self) -> String {
        format!(
            "{}s {}–{}, {} minutes each",
            WEEKDAYS[self.weekday as usize],
            clock(self.start_minute),
            clock(self.end_minute),
            self.slot_minutes
        )
    }
}

/// Checks office hours as typed: a weekday, a start before the end with room for one slot of
/// 15 to 120 minutes at least, a place, and the weeks they are offered.
pub fn validate_office_hours(input: &OfficeHoursInput) -> Result<OfficeHours, Error> {
    let mut f = FieldErrors::new();
    let weekday = input.weekday.trim().parse::<u8>().ok().filter(|d| *d < 7);
    if weekday.is_none() {
        f.insert("weekday".into(), "Choose the day of the week.".into());
    }
    let start = parse_clock(&input.start);
    if start.is_none() {
        f.insert("start".into(), "Enter the time they start as HH:MM, e.g. 14:00.".into());
    }
    let end = parse_clock(&input.end);
    if end.is_none() {
        f.insert("end".into(), "Enter the time they end as HH:MM, e.g. 16:00.".into());
    }
    let slot = input.slot_minutes.trim().parse::<u32>().ok().filter(|m| (15..=120).contains(m));
    if slot.is_none() {
        f.insert("slot_minutes".into(), "Enter the minutes a booking takes, from 15 to 120.".into());
    }
    if let (Some(s), Some(e), Some(m)) = (start, end, slot) {
        if e < s + m {
            f.insert("end".into(), "End them after the start, with room for one booking at least.".into());
        }
    }
    let place = input.place.trim().to_string();
    if place.is_empty() {
        f.insert("place".into(), "Say where: a room, or the link to a call.".into());
    } else if place.chars().count() > 300 {
        f.insert("place".into(), "Keep the place to 300 characters.".into());
    }
    let from = Date::parse(input.from.trim());
    if from.is_none() {
        f.insert("from".into(), "Enter the first day they are offered as YYYY-MM-DD.".into());
    }
    let until = match input.until.trim() {
        "" => None,
        s => match Date::parse(s) {
            Some(u) if from.is_none_or(|from| u >= from) => Some(u),
            Some(_) => {
                f.insert("until".into(), "The last day cannot be before the first.".into());
                None
            }
            None => {
                f.insert("until".into(), "Enter the last day as YYYY-MM-DD, or leave it empty.".into());
                None
            }
        },
    };
    Error::check(f)?;
    Ok(OfficeHours {
        weekday: weekday.expect("checked"),
        start_minute: start.expect("checked"),
        end_minute: end.expect("checked"),
        slot_minutes: slot.expect("checked"),
        place,
        from: from.expect("checked"),
        until,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn office_hours_are_kept_weekly_in_slots() {
        assert_eq!(weekday_of(d("2026-12-01")), 1, "a Tuesday");
        assert_eq!(weekday_of(d("1970-01-01")), 3, "a Thursday");
        let input = OfficeHoursInput {
            weekday: "1".into(),
            start: "14:00".into(),
            end: "15:45".into(),
            slot_minutes: "30".into(),
            place: "Room 3.12".into(),
            from: "2026-11-01".into(),
            until: "".into(),
        };
        let h = validate_office_hours(&input).unwrap();
        assert_eq!(h.slot_starts().map(clock).collect::<Vec<_>>(), ["14:00", "14:30", "15:00"], "a slot fits whole");
        assert!(h.is_slot(d("2026-12-01"), 14 * 60 + 30));
        assert!(!h.is_slot(d("2026-12-01"), 14 * 60 + 15), "not a slot's start");
        assert!(!h.is_slot(d("2026-12-02"), 14 * 60), "a Wednesday");
        assert!(!h.is_slot(d("2026-10-27"), 14 * 60), "before they began");
        assert_eq!(h.describe(), "Tuesdays 14:00–15:45, 30 minutes each");

        let bad = OfficeHoursInput {
            weekday: "7".into(),
            start: "25:00".into(),
            slot_minutes: "5".into(),
            place: " ".into(),
            until: "2026-10-01".into(),
            ..input.clone()
        };
        let Error::Validation { fields, .. } = validate_office_hours(&bad).unwrap_err() else { panic!() };
        let names: Vec<&str> = fields.keys().map(String::as_str).collect();
        assert_eq!(names, ["place", "slot_minutes", "start", "until", "weekday"]);
        let short = OfficeHoursInput { end: "14:20".into(), ..input };
        let Error::Validation { fields, .. } = validate_office_hours(&short).unwrap_err() else { panic!() };
        assert!(fields["end"].contains("room for one booking"));
    }
}

/// A calendar invitation for one booked slot (RFC 5545, `METHOD:REQUEST`). Times are the
/// organisation's local wall-clock times, written as "floating" times so that every calendar
/// shows them as given.
pub struct Invitation<'a> {
    /// Stable per booking, so a second invitation updates the first.
    pub uid: &'a str,
    pub date: Date,
    pub start_minute: u32,
    pub minutes: u32,
    pub summary: &'a str,
    pub description: &'a str,
    pub place: &'a str,
    pub organizer: (&'a str, &'a str),
    pub attendee: (&'a str, &'a str),
    /// When it was made, `YYYYMMDDTHHMMSSZ`.
    pub stamp: &'a str,
    /// A cancelled booking: `METHOD:CANCEL`.
    pub cancelled: bool,
}

fn ics_text(s: &str) -> String {
    s.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace('\r', "").replace('\n', "\\n")
}

/// Lines of at most 75 octets, continued with a space (RFC 5545 §3.1).
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

impl Invitation<'_> {
    pub fn to_ics(&self) -> String {
        let at = |minute: u32| {
            let day = Date::from_days(self.date.days() + i64::from(minute / 1440));
            let m = minute % 1440;
            format!("{:04}{:02}{:02}T{:02}{:02}00", day.year(), day.month(), day.day(), m / 60, m % 60)
        };
        let person = |role: &str, (name, email): (&str, &str)| {
            format!("{role};CN=\"{}\":mailto:{email}", name.replace('"', "'"))
        };
        let (method, status) = if self.cancelled { ("CANCEL", "CANCELLED") } else { ("REQUEST", "CONFIRMED") };
        let lines = [
            "BEGIN:VCALENDAR".to_string(),
            "VERSION:2.0".into(),
            "PRODID:-//Bridge//Office hours//EN".into(),
            format!("METHOD:{method}"),
            "BEGIN:VEVENT".into(),
            format!("UID:{}", self.uid),
            format!("DTSTAMP:{}", self.stamp),
            format!("DTSTART:{}", at(self.start_minute)),
            format!("DTEND:{}", at(self.start_minute + self.minutes)),
            format!("SUMMARY:{}", ics_text(self.summary)),
            format!("DESCRIPTION:{}", ics_text(self.description)),
            format!("LOCATION:{}", ics_text(self.place)),
            person("ORGANIZER", self.organizer),
            person("ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED", self.attendee),
            format!("STATUS:{status}"),
            "END:VEVENT".into(),
            "END:VCALENDAR".into(),
        ];
        lines.iter().map(|l| fold(l)).collect()
    }
}

#[cfg(test)]
mod invitation_tests {
    use super::*;

    #[test]
    fn an_invitation_is_a_calendar_event_with_both_people() {
        let long = "Talk about the warehouse scanners, the new stock report; and, while we are at it, the roadmap";
        let inv = Invitation {
            uid: "booking-7@bridge",
            date: Date::parse("2026-12-08").unwrap(),
            start_minute: 14 * 60 + 30,
            minutes: 30,
            summary: "Office hours with Joanna",
            description: long,
            place: "Room 3.12",
            organizer: ("Joanna Wiśniewska", "joanna@example.com"),
            attendee: ("Rajesh Menon", "rajesh@example.com"),
            stamp: "20261201T090000Z",
            cancelled: false,
        };
        let ics = inv.to_ics();
        assert!(ics.contains("METHOD:REQUEST\r\n"));
        assert!(ics.contains("DTSTART:20261208T143000\r\nDTEND:20261208T150000\r\n"));
        assert!(ics.contains("ORGANIZER;CN=\"Joanna Wiśniewska\":mailto:joanna@example.com"));
        assert!(ics.contains("scanners\\, the new stock report\\;"), "text is escaped");
        assert!(ics.lines().all(|l| l.len() <= 75), "lines are folded");
        assert!(ics.contains("\r\n "), "a long line continues");
    }
}
