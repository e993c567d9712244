//! The demo's learning: a year of events of every kind (and the next two months') with
//! registrations, who came and their feedback; one upcoming session full with a waiting list.
//! `generate` makes the benchmark's many events.

use bridge_domain::audit::Actor;
use bridge_domain::learning::{Audience, EventKind, Place, ValidEvent};
use bridge_domain::org::Side;
use bridge_domain::Error;

use crate::store::learning::{NewEvent, NewRegistration};
use crate::store::org::Person;
use crate::store::Db;

const DAY_MS: i64 = 86_400_000;

/// (kind, title, what it is about, for whom, places)
const EVENTS: [(EventKind, &str, &str, Audience, Option<i64>); 16] = [
    (EventKind::BrownBag, "What the stock reports can tell a store manager",
        "A lunchtime walk through the new stock reports: which numbers to look at on a Monday morning, and how to spot a shelf running empty before it does.", Audience::Everyone, Some(30)),
    (EventKind::BrownBag, "How we keep customer data safe, in twenty minutes",
        "Why IT asks for two-step sign-in and who may see what, told through three real near-misses. Bring your questions.", Audience::Business, None),
    (EventKind::Hackathon, "Winter hackathon: fewer clicks for the stores",
        "Two days to build small things that save store staff time. Teams mix store, office and IT people; ideas welcome from anyone.", Audience::Everyone, Some(60)),
    (EventKind::Showcase, "Innovation showcase: picking routes with machine learning",
        "The warehouse team and IT show a trial that plans picking routes, what it saved in a month, and what it got wrong.", Audience::Everyone, Some(80)),
    (EventKind::DataCentreTour, "Inside our data centre",
        "See where the tills, the website and the stock system actually run, and what happens when the power fails.", Audience::Business, Some(12)),
    (EventKind::OperationsCentreTour, "A morning in the operations centre",
        "Sit with the people who watch the systems around the clock and see how an outage is handled, minute by minute.", Audience::Business, Some(8)),
    (EventKind::LabTour, "The innovation lab: try the new handheld scanners",
        "Hands on with the scanners and the shelf-edge labels the stores will get next year.", Audience::Everyone, Some(15)),
    (EventKind::Training, "Reading the sales dashboard",
        "An hour to get comfortable with the sales dashboard: filters, comparisons with last year, and exporting what you need.", Audience::Business, Some(20)),
    (EventKind::Workshop, "Mapping the month-end close together",
        "Finance and IT draw the close step by step and mark what slows it down, so the next changes go where they help most.", Audience::Everyone, Some(16)),
    (EventKind::BrownBag, "Cloud costs without the jargon",
        "What we pay for computing each month, why it moves, and what each business unit can do about its part.", Audience::Business, None),
    (EventKind::Training, "Writing a request IT can act on",
        "How to describe a problem and its value so that IT can weigh it fast: three good requests taken apart.", Audience::Business, Some(25)),
    (EventKind::Showcase, "Showcase: the new returns process online",
        "E-commerce and IT show the new returns flow and the first month's figures: fewer calls, faster refunds.", Audience::Everyone, None),
    (EventKind::Workshop, "How the business plans its year (for IT)",
        "Business leaders explain how budgets and priorities are set, so IT can bring ideas at the right moment.", Audience::It, Some(30)),
    (EventKind::BrownBag, "Why IT says no to some apps",
        "The principles behind IT's answers about new apps: security, support and cost, each with an example from last year.", Audience::Business, None),
    (EventKind::LabTour, "Voice ordering in the lab",
        "Try ordering stock by voice and tell us where it would help or get in the way.", Audience::Everyone, Some(10)),
    (EventKind::Training, "Spreadsheets to dashboards",
        "Turn the weekly spreadsheet into a dashboard that updates itself. Bring your laptop.", Audience::Business, Some(18)),
];

const COMMENTS: [&str; 6] = [
    "Clear and practical: I will use it on Monday.",
    "Good, but it ran over; a break halfway would help.",
    "Finally understood why this matters to us.",
    "More examples from the stores, please.",
    "The hands-on part was the best bit.",
    "",
];

/// A small, fixed sequence of numbers: the same demo every time.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }
}

/// An event on `day` (days from today, local 12:30 London time but for tours and hackathons),
/// with registrations drawn from `people`; past ones have who came and feedback.
fn event(n: usize, day: i64, now: i64, hosts: &[&Person], people: &[&Person], dice: &mut Dice) -> NewEvent {
    let (kind, title, description, audience, capacity) = EVENTS[n % EVENTS.len()];
    let london = bridge_domain::learning::parse_zone("Europe/London").unwrap_or(chrono_tz::UTC);
    // On a weekday: a Saturday or Sunday moves to the Monday.
    let mut date = bridge_domain::intake::parse::Date::from_days(now.div_euclid(DAY_MS) + day);
    while bridge_domain::engagement::weekday_of(date) >= 5 {
        date = bridge_domain::intake::parse::Date::from_days(date.days() + 1);
    }
    let (start, minutes) = match kind {
        EventKind::Hackathon => (9 * 60, 8 * 60),
        EventKind::DataCentreTour | EventKind::OperationsCentreTour => (10 * 60, 120),
        EventKind::Workshop | EventKind::Training => (14 * 60, 90),
        _ => (12 * 60 + 30, 60),
    };
    let starts = bridge_domain::learning::instant(date, start, london).unwrap_or(now + day * DAY_MS);
    let host = hosts[n % hosts.len()];
    let past = starts < now;
    let wanted = 6 + dice.roll(capacity.map_or(30, |c| (c as usize + 6).min(40)));
    let mut registrations = Vec::new();
    let mut feedback = Vec::new();
    for k in 0..wanted {
        let person = people[(n * 7 + k * 13 + dice.roll(5)) % people.len()];
        if person.id == host.id || registrations.iter().any(|r: &NewRegistration| r.person_id == person.id) {
            continue;
        }
        let place = match capacity {
            Some(c) if registrations.iter().filter(|r| r.place == Place::Registered).count() as i64 >= c => {
                Place::Waiting
            }
            _ => Place::Registered,
        };
        let attended = past && place == Place::Registered && dice.roll(5) > 0;
        if attended && dice.roll(3) > 0 {
            let comment = COMMENTS[dice.roll(COMMENTS.len())].to_string();
            feedback.push((person.id, 3 + dice.roll(3) as i64, comment));
        }
        let asked_at = starts - (20 - k as i64).max(1) * DAY_MS / 2;
        registrations.push(NewRegistration { person_id: person.id, place, asked_at, attended });
    }
    NewEvent {
        event: ValidEvent {
            kind,
            title: title.to_string(),
            description: description.to_string(),
            audience,
            time_zone: "Europe/London".into(),
            place: match kind {
                EventKind::DataCentreTour => "Data centre, Wakefield (meet at reception)".into(),
                EventKind::OperationsCentreTour => "Operations centre, 4th floor, Leeds".into(),
                EventKind::LabTour => "Innovation lab, ground floor, Leeds".into(),
                _ => "Room 3.12, Leeds office".into(),
            },
            link: if matches!(kind, EventKind::BrownBag) {
                "https://meet.alderbrook.example/brown-bag".into()
            } else {
                String::new()
            },
            host_id: host.id,
            speakers: hosts.iter().filter(|h| h.id != host.id).take(n % 2).map(|h| h.id).collect(),
            capacity,
            sessions: vec![(starts, starts + minutes as i64 * 60_000)],
        },
        registrations,
        feedback,
        told: past,
    }
}

pub async fn load(db: &Db) -> Result<(), Error> {
    let people = db.all_people().await?;
    let hosts: Vec<&Person> = ["joanna.wisniewska", "imran.qureshi", "daniel.levy", "rachel.kim", "nadia.petrova"]
        .iter()
        .filter_map(|local| people.iter().find(|p| p.email.split('@').next() == Some(local)))
        .collect();
    let everyone: Vec<&Person> = people.iter().collect();
    if hosts.is_empty() || everyone.is_empty() {
        return Ok(());
    }
    let now = crate::store::now_ms();
    let mut dice = Dice(2026);
    // Every eight days or so over the past year, and the next two months.
    let events: Vec<NewEvent> =
        (0..54).map(|n| event(n, -365 + n as i64 * 8, now, &hosts, &everyone, &mut dice)).collect();
    db.add_events(&Actor::system("demo loader"), &events).await?;
    Ok(())
}

/// Adds `n` events over five years (two years back, three ahead) with about `per_event`
/// registrations each, among everyone in the directory: the benchmark's organisation.
pub async fn generate(db: &Db, n: usize, per_event: usize) -> Result<usize, Error> {
    let people = db.all_people().await?;
    let everyone: Vec<&Person> = people.iter().collect();
    let hosts: Vec<&Person> = people.iter().filter(|p| p.side == Side::It).take(200).collect();
    if hosts.is_empty() {
        return Err(Error::field("events", "Add people to the directory first (bridge demo --touchpoints does)."));
    }
    // Joanna (whom the benchmark signs in as) is registered for 500 of them: her feed's size.
    let joanna = people.iter().find(|p| p.email.starts_with("joanna.wisniewska@")).map(|p| p.id);
    let every = (n / 500).max(1);
    let now = crate::store::now_ms();
    let mut dice = Dice(n as u64);
    let mut written = 0;
    for start in (0..n).step_by(2_000) {
        let batch: Vec<NewEvent> = (start..(start + 2_000).min(n))
            .map(|i| {
                let day = -730 + (i as i64 * 1825 / n.max(1) as i64);
                let mut e = event(i, day, now, &hosts, &everyone, &mut dice);
                e.event.capacity = None;
                let mut seen = std::collections::HashSet::new();
                e.registrations = (0..per_event)
                    .map(|k| everyone[(i * 31 + k * 17 + dice.roll(7)) % everyone.len()])
                    .chain(joanna.filter(|_| i % every == 0).and_then(|j| people.iter().find(|p| p.id == j)))
                    .filter(|p| seen.insert(p.id))
                    .map(|p| NewRegistration {
                        person_id: p.id,
                        place: Place::Registered,
                        asked_at: now,
                        attended: false,
                    })
                    .collect();
                e.feedback.clear();
                e
            })
            .collect();
        written += db.add_events(&Actor::system("event generator"), &batch).await?;
    }
    Ok(written)
}
