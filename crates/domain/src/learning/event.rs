//! An event as typed, its rules, and what follows from them: a series' dates, who gets a place
//! and who waits, who may give feedback.

use serde::{Deserialize, Serialize};

use super::text;
use super::time::{instant, parse_zone};
use crate::engagement::parse_clock;
use crate::intake::parse::Date;
use crate::{Error, FieldErrors};

pub const MAX_TITLE_CHARS: usize = 150;
pub const MAX_DESCRIPTION_CHARS: usize = 5_000;
pub const MAX_COMMENT_CHARS: usize = 2_000;
/// A series holds at most a year of weekly sessions.
pub const MAX_OCCURRENCES: usize = 52;
const DAY_MS: i64 = 86_400_000;
/// An event lasts a week at most.
pub const MAX_EVENT_MS: i64 = 7 * DAY_MS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    BrownBag,
    Hackathon,
    Showcase,
    DataCentreTour,
    OperationsCentreTour,
    LabTour,
    Training,
    Workshop,
}

impl EventKind {
    pub const ALL: [EventKind; 8] = [
        EventKind::BrownBag,
        EventKind::Hackathon,
        EventKind::Showcase,
        EventKind::DataCentreTour,
        EventKind::OperationsCentreTour,
        EventKind::LabTour,
        EventKind::Training,
        EventKind::Workshop,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::BrownBag => "brown_bag",
            EventKind::Hackathon => "hackathon",
            EventKind::Showcase => "showcase",
            EventKind::DataCentreTour => "data_centre_tour",
            EventKind::OperationsCentreTour => "operations_centre_tour",
            EventKind::LabTour => "lab_tour",
            EventKind::Training => "training",
            EventKind::Workshop => "workshop",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            EventKind::BrownBag => "Brown bag",
            EventKind::Hackathon => "Hackathon",
            EventKind::Showcase => "Innovation showcase",
            EventKind::DataCentreTour => "Data centre tour",
            EventKind::OperationsCentreTour => "Operations centre tour",
            EventKind::LabTour => "Lab tour",
            EventKind::Training => "Training",
            EventKind::Workshop => "Workshop",
        }
    }
}

/// Whom an event is meant for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Business,
    It,
    Everyone,
}

impl Audience {
    pub const ALL: [Audience; 3] = [Audience::Everyone, Audience::Business, Audience::It];

    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Business => "business",
            Audience::It => "it",
            Audience::Everyone => "everyone",
        }
    }

    pub fn parse(s: &str) -> Option<Audience> {
        Audience::ALL.into_iter().find(|a| a.as_str() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Audience::Business => "The business",
            Audience::It => "IT",
            Audience::Everyone => "Everyone",
        }
    }

    /// Whose words the description must be in: IT's own sessions may use IT's; anything the
    /// business will read is checked for the business reader.
    pub fn reader(self) -> crate::org::Side {
        match self {
            Audience::It => crate::org::Side::It,
            Audience::Business | Audience::Everyone => crate::org::Side::Business,
        }
    }
}

/// An event as typed (a form, or the API's JSON).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventInput {
    /// brown_bag, hackathon, showcase, data_centre_tour, operations_centre_tour, lab_tour,
    /// training or workshop
    pub kind: String,
    pub title: String,
    pub description: String,
    /// business, it or everyone
    pub audience: String,
    /// `YYYY-MM-DD`, in `time_zone`
    pub date: String,
    /// `HH:MM`, in `time_zone`
    pub start: String,
    /// `HH:MM`, in `time_zone`
    pub end: String,
    /// `YYYY-MM-DD` when it ends on a later day (a two-day hackathon); empty: the same day.
    pub end_date: String,
    /// The zone the times are in, by its IANA name ("Europe/London").
    pub time_zone: String,
    /// A room or a site's address.
    pub place: String,
    /// A link to join online.
    pub link: String,
    /// Who runs it (a person's id); empty: the one creating it.
    pub host_id: Option<i64>,
    /// Who speaks or shows (people's ids).
    pub speakers: Vec<i64>,
    /// Places; empty for no limit.
    #[serde(deserialize_with = "crate::intake::parse::text_or_number")]
    pub capacity: String,
    /// Repeat every this many weeks (1 to 4); empty or 0: once.
    #[serde(deserialize_with = "crate::intake::parse::text_or_number")]
    pub repeat_weeks: String,
    /// `YYYY-MM-DD`: the last day a repeated session may fall on.
    pub repeat_until: String,
}

/// A checked event: its sessions (one, or a series' dates) as instants.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidEvent {
    pub kind: EventKind,
    pub title: String,
    pub description: String,
    pub audience: Audience,
    pub time_zone: String,
    pub place: String,
    pub link: String,
    pub host_id: i64,
    pub speakers: Vec<i64>,
    pub capacity: Option<i64>,
    /// (starts, ends), milliseconds since 1970 UTC: the first, then the series' later sessions.
    pub sessions: Vec<(i64, i64)>,
}

/// Whether a link is one a browser opens (http or https, with a host).
pub fn is_web_link(s: &str) -> bool {
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/') && !r.chars().any(char::is_whitespace))
}

/// Checks an event. `now` (milliseconds since 1970) refuses a new event in the past; an edit passes
/// `None`. `host` is the one creating it, `exists` tells whether a person is in the directory.
pub fn validate_event(
    input: &EventInput,
    now: Option<i64>,
    host: i64,
    exists: impl Fn(i64) -> bool,
) -> Result<ValidEvent, Error> {
    let mut fields = FieldErrors::new();
    let kind = EventKind::parse(&input.kind);
    if kind.is_none() {
        fields.insert("kind".into(), "Please choose what kind of event this is.".into());
    }
    let title = text(&mut fields, "title", &input.title, MAX_TITLE_CHARS, true);
    let description = text(&mut fields, "description", &input.description, MAX_DESCRIPTION_CHARS, true);
    let audience = Audience::parse(&input.audience);
    if audience.is_none() {
        fields.insert("audience".into(), "Please choose whom it is for.".into());
    }
    let zone = parse_zone(&input.time_zone);
    if zone.is_none() {
        fields
            .insert("time_zone".into(), "Please choose a time zone from the list (for example Europe/London).".into());
    }
    let date = Date::parse(input.date.trim());
    if date.is_none() {
        fields.insert("date".into(), "Please give the day as YYYY-MM-DD.".into());
    }
    let end_date = match input.end_date.trim() {
        "" => date,
        d => {
            let parsed = Date::parse(d);
            if parsed.is_none() {
                fields.insert("end_date".into(), "Please give the day as YYYY-MM-DD, or leave it empty.".into());
            }
            parsed
        }
    };
    let start = parse_clock(&input.start);
    if start.is_none() {
        fields.insert("start".into(), "Please give the time as HH:MM, for example 12:30.".into());
    }
    let end = parse_clock(&input.end);
    if end.is_none() {
        fields.insert("end".into(), "Please give the time as HH:MM, for example 13:30.".into());
    }
    let mut first = None;
    if let (Some(zone), Some(date), Some(end_date), Some(start), Some(end)) = (zone, date, end_date, start, end) {
        let skipped = |field: &str, fields: &mut FieldErrors| {
            let msg = format!("That time does not exist in {} (the clocks go forward then).", zone.name());
            fields.insert(field.to_string(), msg);
        };
        match (instant(date, start, zone), instant(end_date, end, zone)) {
            (None, _) => skipped("start", &mut fields),
            (_, None) => skipped("end", &mut fields),
            (Some(s), Some(e)) if e <= s => {
                fields.insert("end".into(), "The end must be after the start.".into());
            }
            (Some(s), Some(_)) if now.is_some_and(|n| s <= n) => {
                fields.insert("date".into(), "This is in the past: please choose a time still to come.".into());
            }
            (Some(s), Some(e)) if e - s > MAX_EVENT_MS => {
                fields.insert("end".into(), "An event lasts a week at most.".into());
            }
            (Some(s), Some(e)) => first = Some((s, e)),
        }
    }
    let place = text(&mut fields, "place", &input.place, 300, false);
    let link = input.link.trim().to_string();
    if !link.is_empty() && !is_web_link(&link) {
        fields.insert("link".into(), "Please give a link that starts with https://.".into());
    }
    if place.is_empty() && link.is_empty() && !fields.contains_key("place") {
        fields.insert("place".into(), "Please say where it is: a room or a site, or a link to join.".into());
    }
    let host_id = input.host_id.unwrap_or(host);
    if !exists(host_id) {
        fields.insert("host_id".into(), "There is no such person.".into());
    }
    let mut speakers: Vec<i64> = Vec::new();
    for s in &input.speakers {
        if !exists(*s) {
            fields.insert("speakers".into(), "One of the speakers is not in the directory.".into());
        } else if !speakers.contains(s) {
            speakers.push(*s);
        }
    }
    let capacity = match input.capacity.trim() {
        "" => None,
        c => match c.parse::<i64>() {
            Ok(n) if (1..=100_000).contains(&n) => Some(n),
            _ => {
                fields.insert("capacity".into(), "Please give a number of places from 1, or leave it empty.".into());
                None
            }
        },
    };
    let sessions = first.map(|f| series(f, input, zone, &mut fields)).unwrap_or_default();
    Error::check(fields)?;
    let (Some(kind), Some(audience), Some(zone)) = (kind, audience, zone) else {
        return Err(Error::internal("an event passed its checks without a kind, audience or zone"));
    };
    Ok(ValidEvent {
        kind,
        title,
        description,
        audience,
        time_zone: zone.name().to_string(),
        place,
        link,
        host_id,
        speakers,
        capacity,
        sessions,
    })
}

/// The sessions of a series: the first, then every `repeat_weeks` weeks at the same local time
/// (so across a change of the clocks too) until `repeat_until`.
fn series(
    first: (i64, i64),
    input: &EventInput,
    zone: Option<chrono_tz::Tz>,
    fields: &mut FieldErrors,
) -> Vec<(i64, i64)> {
    let weeks = match input.repeat_weeks.trim() {
        "" | "0" => return vec![first],
        w => match w.parse::<i64>() {
            Ok(n) if (1..=4).contains(&n) => n,
            _ => {
                fields.insert("repeat_weeks".into(), "Repeat every 1 to 4 weeks, or leave it empty.".into());
                return vec![first];
            }
        },
    };
    let (Some(zone), Some(until)) = (zone, Date::parse(input.repeat_until.trim())) else {
        fields.insert("repeat_until".into(), "Please give the last day of the series as YYYY-MM-DD.".into());
        return vec![first];
    };
    let start = super::LocalTime::of(first.0, zone);
    let end = super::LocalTime::of(first.1, zone);
    if until.days() < start.date.days() {
        fields.insert("repeat_until".into(), "The series must end after its first session.".into());
        return vec![first];
    }
    let mut out = vec![first];
    let mut offset = weeks * 7;
    while start.date.days() + offset <= until.days() {
        let day = |d: Date| Date::from_days(d.days() + offset);
        if out.len() == MAX_OCCURRENCES {
            fields.insert("repeat_until".into(), format!("A series holds at most {MAX_OCCURRENCES} sessions."));
            break;
        }
        // A local time the clocks skip on that day: an hour later, as clocks do.
        let at = |d: Date, minute: u32| instant(d, minute, zone).or_else(|| instant(d, minute + 60, zone));
        if let (Some(s), Some(e)) = (at(day(start.date), start.minute), at(day(end.date), end.minute)) {
            out.push((s, e));
        }
        offset += weeks * 7;
    }
    out
}

/// Where a registration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// Has a place.
    Registered,
    /// On the waiting list, in the order they asked.
    Waiting,
    Cancelled,
}

impl Place {
    pub fn as_str(self) -> &'static str {
        match self {
            Place::Registered => "registered",
            Place::Waiting => "waiting",
            Place::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Place> {
        [Place::Registered, Place::Waiting, Place::Cancelled].into_iter().find(|p| p.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Place::Registered => "You have a place",
            Place::Waiting => "On the waiting list",
            Place::Cancelled => "Cancelled",
        }
    }
}

/// Whether someone may still register, or cancel: not once it has begun, nor when it was
/// called off.
pub fn check_open(starts_at: i64, cancelled: bool, now: i64) -> Result<(), Error> {
    if cancelled {
        return Err(Error::conflict("This event was called off."));
    }
    if starts_at <= now {
        return Err(Error::conflict("This event has begun or is over: registration is closed."));
    }
    Ok(())
}

/// Feedback as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FeedbackInput {
    /// 1 (poor) to 5 (excellent)
    #[serde(deserialize_with = "crate::intake::parse::text_or_number")]
    pub rating: String,
    pub comment: String,
}

/// Checks feedback: a rating from 1 to 5 and a short comment, from someone who attended.
pub fn validate_feedback(input: &FeedbackInput, attended: bool) -> Result<(i64, String), Error> {
    if !attended {
        return Err(Error::forbidden("Only people who attended can give feedback on it."));
    }
    let mut fields = FieldErrors::new();
    let rating = match input.rating.trim().parse::<i64>() {
        Ok(r) if (1..=5).contains(&r) => r,
        _ => {
            fields.insert("rating".into(), "Please choose from 1 (poor) to 5 (excellent).".into());
            0
        }
    };
    let comment = text(&mut fields, "comment", &input.comment, MAX_COMMENT_CHARS, false);
    Error::check(fields)?;
    Ok((rating, comment))
}

/// What was shown, after the day: links to slides and notes, one per line ("Slides
/// https://…" or the link alone), and the recording.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MaterialsInput {
    pub materials: String,
    pub recording_url: String,
}

/// A link with what it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Material {
    pub title: String,
    pub url: String,
}

pub fn validate_materials(input: &MaterialsInput) -> Result<(Vec<Material>, String), Error> {
    let mut fields = FieldErrors::new();
    let mut out = Vec::new();
    for (n, line) in input.materials.lines().map(str::trim).enumerate().filter(|(_, l)| !l.is_empty()) {
        let (title, url) = match line.rsplit_once(char::is_whitespace) {
            Some((t, u)) => (t.trim(), u),
            None => ("", line),
        };
        if !is_web_link(url) || title.chars().count() > 200 {
            let msg = format!("Line {} needs a link that starts with https:// (a title before it is fine).", n + 1);
            fields.insert("materials".into(), msg);
            break;
        }
        out.push(Material {
            title: if title.is_empty() { url.to_string() } else { title.to_string() },
            url: url.into(),
        });
    }
    if out.len() > 30 {
        fields.insert("materials".into(), "Please give at most 30 links.".into());
    }
    let recording = input.recording_url.trim().to_string();
    if !recording.is_empty() && !is_web_link(&recording) {
        fields.insert("recording_url".into(), "Please give a link that starts with https://.".into());
    }
    Error::check(fields)?;
    Ok((out, recording))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> EventInput {
        EventInput {
            kind: "brown_bag".into(),
            title: "What the new stock system can tell a store manager".into(),
            description: "A lunchtime look at the reports.".into(),
            audience: "everyone".into(),
            date: "2026-12-11".into(),
            start: "12:30".into(),
            end: "13:30".into(),
            time_zone: "Europe/London".into(),
            place: "Room 3.12".into(),
            ..Default::default()
        }
    }

    const NOW: i64 = 1_796_000_000_000; // 2026-11-29

    fn fields(e: Error) -> FieldErrors {
        match e {
            Error::Validation { fields, .. } => fields,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_brown_bag_is_kept_as_an_instant_in_its_zone() {
        let e = validate_event(&input(), Some(NOW), 7, |_| true).unwrap();
        assert_eq!(e.host_id, 7);
        assert_eq!(e.sessions.len(), 1);
        let (s, end) = e.sessions[0];
        assert_eq!(s % DAY_MS, (12 * 3600 + 1800) * 1000);
        assert_eq!(end - s, 3_600_000);
        assert_eq!(e.capacity, None);
    }

    #[test]
    fn bad_input_is_told_beside_each_field() {
        let mut i = input();
        i.end = "12:00".into();
        i.capacity = "none".into();
        i.link = "javascript:alert(1)".into();
        i.time_zone = "Mars/Olympus".into();
        let f = fields(validate_event(&i, Some(NOW), 7, |_| true).unwrap_err());
        assert!(f.contains_key("time_zone") && f.contains_key("capacity") && f.contains_key("link"), "{f:?}");
        let mut i = input();
        i.end = "12:00".into();
        assert!(fields(validate_event(&i, Some(NOW), 7, |_| true).unwrap_err()).contains_key("end"));
        let mut i = input();
        i.date = "2026-01-05".into();
        assert!(fields(validate_event(&i, Some(NOW), 7, |_| true).unwrap_err()).contains_key("date"), "the past");
        assert!(validate_event(&i, None, 7, |_| true).is_ok(), "an edit may be of a past event");
        let mut i = input();
        i.place = String::new();
        assert!(fields(validate_event(&i, Some(NOW), 7, |_| true).unwrap_err()).contains_key("place"));
        i.link = "https://meet.example.com/brown-bag".into();
        assert!(validate_event(&i, Some(NOW), 7, |_| true).is_ok(), "a link is enough");
        assert!(fields(validate_event(&input(), Some(NOW), 7, |_| false).unwrap_err()).contains_key("host_id"));
    }

    #[test]
    fn every_other_friday_keeps_its_local_time_across_the_clocks_change() {
        let mut i = input();
        i.date = "2027-03-05".into();
        i.repeat_weeks = "2".into();
        i.repeat_until = "2027-04-30".into();
        let e = validate_event(&i, Some(NOW), 7, |_| true).unwrap();
        // 5 and 19 March, 2, 16 and 30 April.
        assert_eq!(e.sessions.len(), 5);
        assert_eq!(e.sessions[1].0 - e.sessions[0].0, 14 * DAY_MS);
        // After 28 March London is on summer time: 12:30 local is 11:30 UTC.
        assert_eq!(e.sessions[2].0 % DAY_MS, (11 * 3600 + 1800) * 1000);
        i.repeat_until = "2027-03-01".into();
        assert!(fields(validate_event(&i, Some(NOW), 7, |_| true).unwrap_err()).contains_key("repeat_until"));
        i.repeat_weeks = "9".into();
        assert!(fields(validate_event(&i, Some(NOW), 7, |_| true).unwrap_err()).contains_key("repeat_weeks"));
    }

    #[test]
    fn feedback_is_for_those_who_came_and_materials_are_links() {
        let ok = FeedbackInput { rating: "5".into(), comment: "Clear and useful.".into() };
        assert_eq!(validate_feedback(&ok, true).unwrap(), (5, "Clear and useful.".into()));
        assert!(matches!(validate_feedback(&ok, false), Err(Error::Forbidden(_))));
        let bad = FeedbackInput { rating: "6".into(), ..Default::default() };
        assert!(fields(validate_feedback(&bad, true).unwrap_err()).contains_key("rating"));
        let m = MaterialsInput {
            materials: "Slides https://files.example.com/slides.pdf\nhttps://wiki.example.com/notes\n".into(),
            recording_url: "https://video.example.com/1".into(),
        };
        let (links, rec) = validate_materials(&m).unwrap();
        assert_eq!(links[0], Material { title: "Slides".into(), url: "https://files.example.com/slides.pdf".into() });
        assert_eq!(links[1].title, "https://wiki.example.com/notes");
        assert_eq!(rec, "https://video.example.com/1");
        let bad = MaterialsInput { materials: "see the wiki".into(), ..Default::default() };
        assert!(fields(validate_materials(&bad).unwrap_err()).contains_key("materials"));
        assert!(check_open(NOW + 10, false, NOW).is_ok());
        assert!(check_open(NOW - 10, false, NOW).is_err());
        assert!(check_open(NOW + 10, true, NOW).is_err());
    }
}
