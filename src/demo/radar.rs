//! The demo's technology radar: forty entries in plain words, with their moves over four
//! editions in the past year, explorers and showcases for what is on trial or being assessed,
//! and the business units that use each.

use bridge_domain::audit::Actor;
use bridge_domain::learning::radar::{Ring, ValidEntry};
use bridge_domain::Error;

use crate::store::learning::radar::EntryWrite;
use crate::store::org::GroupKind;
use crate::store::Db;

const DAY_MS: i64 = 86_400_000;
/// The editions, in days before today.
const EDITIONS: [(&str, i64); 4] =
    [("Winter 2026", 330), ("Spring 2026", 240), ("Summer 2026", 150), ("Autumn 2026", 60)];

use Ring::{Adopt as A, Assess as S, Hold as H, Trial as T};

/// An entry's moves, as (days ago, ring), the first bringing it onto the radar.
type Moves = &'static [(i64, Ring)];

/// (name, quadrant position, moves, what it lets the business do, units that use it)
const ENTRIES: [(&str, i64, Moves, &str, &[&str]); 40] = [
    (
        "Pair work with the business",
        0,
        &[(360, T), (200, A)],
        "IT and a business team work side by side on a change, so what is built is what the team needs.",
        &["Finance", "Supply Chain"],
    ),
    (
        "Small releases every week",
        0,
        &[(360, A)],
        "Changes reach the stores in small steps each week, so problems are small and quickly put right.",
        &["Retail Stores"],
    ),
    (
        "Value reviews after delivery",
        0,
        &[(300, S), (120, T)],
        "A few months after a change, the sponsor and IT check whether it brought what was promised.",
        &["Executive Office"],
    ),
    (
        "Trying ideas with a paper mock-up",
        0,
        &[(360, A)],
        "A drawing of the new screen is shown to staff before anything is built, which saves weeks.",
        &[],
    ),
    (
        "Office hours with IT leaders",
        0,
        &[(260, T), (90, A)],
        "A weekly hour when anyone can book time with an IT leader about a problem or an idea.",
        &["Customer Service"],
    ),
    (
        "Forecasting demand with past sales",
        0,
        &[(280, S), (100, T)],
        "Uses last years' sales and the weather to order the right stock before busy weeks.",
        &["Supply Chain", "Retail Stores"],
    ),
    (
        "Big yearly upgrades",
        0,
        &[(360, T), (250, H)],
        "Changing everything at once every year: we stopped because stores lost days to it.",
        &[],
    ),
    (
        "Customer journey maps",
        0,
        &[(200, S)],
        "A picture of every step a customer takes, to see where they give up.",
        &["E-commerce"],
    ),
    (
        "Keeping a record of decisions",
        0,
        &[(340, A)],
        "Every big decision is written down with its reasons, so nobody has to guess later.",
        &[],
    ),
    (
        "Designing with accessibility first",
        0,
        &[(150, T)],
        "Screens that work for people who use a keyboard, a screen reader or a phone.",
        &["E-commerce"],
    ),
    (
        "Shared spreadsheets for planning",
        1,
        &[(360, A), (90, H)],
        "Plans kept in spreadsheets emailed around: we are moving them to shared dashboards.",
        &["Finance"],
    ),
    (
        "Sales dashboard",
        1,
        &[(360, T), (240, A)],
        "Today's sales by store and product on one page, compared with last year.",
        &["Retail Stores", "Finance"],
    ),
    (
        "Handheld scanners for stock",
        1,
        &[(220, S), (80, T)],
        "Store staff count and move stock with a scanner instead of paper lists.",
        &["Retail Stores"],
    ),
    ("Team chat", 1, &[(360, A)], "Quick messages between teams and stores instead of long email chains.", &[]),
    (
        "Voice ordering",
        1,
        &[(120, S)],
        "Ordering stock by speaking to a phone while on the shop floor.",
        &["Retail Stores"],
    ),
    (
        "Online forms for requests",
        1,
        &[(300, A)],
        "Asking IT, HR or facilities for something through one simple form that says where it is.",
        &[],
    ),
    (
        "Video calls with customers",
        1,
        &[(280, T), (160, A)],
        "Customer service sees the customer and the product on a call, and solves it the first time.",
        &["Customer Service"],
    ),
    (
        "Reading receipts automatically",
        1,
        &[(180, S), (40, T)],
        "Supplier invoices are read and checked by the computer; people look only at the odd ones.",
        &["Finance"],
    ),
    (
        "Personal spreadsheets with macros",
        1,
        &[(330, H)],
        "Hidden formulas only one person understands: we help move them to supported tools.",
        &[],
    ),
    (
        "Shelf-edge electronic labels",
        1,
        &[(100, S)],
        "Prices on the shelf change at once with the system, so the till and the shelf agree.",
        &["Retail Stores"],
    ),
    (
        "Computing rented by the hour",
        2,
        &[(360, T), (230, A)],
        "We pay for computing when we use it, so busy days do not need machines bought for them.",
        &[],
    ),
    (
        "Our own data centre",
        2,
        &[(360, A), (60, H)],
        "We keep what runs there, but new systems go to rented computing instead.",
        &[],
    ),
    (
        "One place for customer data",
        2,
        &[(300, S), (130, T)],
        "One view of each customer across stores, website and service, kept safe.",
        &["E-commerce", "Customer Service"],
    ),
    (
        "The stock system",
        2,
        &[(360, A)],
        "Knows what is in every store and warehouse, and what is on its way.",
        &["Supply Chain", "Retail Stores"],
    ),
    ("The online shop", 2, &[(360, A)], "Where customers buy online and choose to collect in store.", &["E-commerce"]),
    (
        "Single sign-on",
        2,
        &[(320, T), (200, A)],
        "One sign-in for every work system, and one place to switch it off when someone leaves.",
        &[],
    ),
    (
        "The old till system",
        2,
        &[(360, H)],
        "Still runs the tills in older stores until they all move to the new ones.",
        &["Retail Stores"],
    ),
    (
        "Self-service reports",
        2,
        &[(250, S), (70, T)],
        "Business teams build their own reports from checked data without waiting for IT.",
        &["Finance", "Marketing"],
    ),
    (
        "Two-step sign-in",
        2,
        &[(360, T), (260, A)],
        "A code on the phone as well as the password, so a stolen password is not enough.",
        &[],
    ),
    (
        "Messages to customers' phones",
        2,
        &[(160, S)],
        "Tells customers when their order is ready to collect.",
        &["E-commerce", "Marketing"],
    ),
    (
        "Low-code app builder",
        3,
        &[(270, S), (110, T)],
        "Business teams make simple apps, like a checklist or a booking form, with IT's help.",
        &["Customer Service"],
    ),
    (
        "Spreadsheet formulas in reports",
        3,
        &[(360, A)],
        "The formulas finance already knows, used in the shared reports too.",
        &["Finance"],
    ),
    (
        "Chatbots for common questions",
        3,
        &[(200, S)],
        "Answers customers' most common questions at any hour and hands over to a person.",
        &["Customer Service"],
    ),
    (
        "Standard website building blocks",
        3,
        &[(340, A)],
        "Parts of the website made once and reused, so pages look the same and load fast.",
        &["E-commerce"],
    ),
    (
        "Old website templates",
        3,
        &[(360, A), (170, H)],
        "The first online shop's pages: replaced step by step with the new building blocks.",
        &["E-commerce"],
    ),
    (
        "Route planning for deliveries",
        3,
        &[(140, S), (30, T)],
        "Plans the day's van routes so more deliveries fit in fewer miles.",
        &["Supply Chain"],
    ),
    (
        "Automatic checks of every change",
        3,
        &[(360, T), (220, A)],
        "Every change to a system is tested by the computer before it reaches a store.",
        &[],
    ),
    (
        "Data kept for seven years",
        3,
        &[(300, A)],
        "What the law asks us to keep, kept safely and found fast when asked.",
        &["Finance"],
    ),
    (
        "Picture search for products",
        3,
        &[(80, S)],
        "Customers find a product by taking a photo of it.",
        &["E-commerce"],
    ),
    (
        "Desktop-only internal tools",
        3,
        &[(260, H)],
        "Tools that only work at a desk: new ones must work on a phone in the store too.",
        &["Retail Stores"],
    ),
];

pub async fn load(db: &Db) -> Result<(), Error> {
    let actor = Actor::system("demo loader");
    let now = crate::store::now_ms();
    let quadrants = db.quadrants().await?;
    let units = db.list_groups(GroupKind::Unit).await?;
    let people = db.all_people().await?;
    let by_email = |local: &str| people.iter().find(|p| p.email.split('@').next() == Some(local)).map(|p| p.id);
    let keepers = ["imran.qureshi", "daniel.levy", "rachel.kim", "kofi.boateng", "precious.mwangi"];
    let showcases: Vec<i64> = db
        .public_events(now)
        .await?
        .iter()
        .filter(|e| matches!(e.kind.as_str(), "showcase" | "lab_tour" | "brown_bag"))
        .map(|e| e.id)
        .collect();
    let past: Vec<i64> =
        db.public_events(now - 365 * DAY_MS).await?.iter().filter(|e| e.ends_at < now).map(|e| e.id).collect();
    let mut writes = Vec::new();
    for (n, (name, position, moves, business_use, used_by)) in ENTRIES.iter().enumerate() {
        let Some(quadrant) = quadrants.iter().find(|q| q.position == *position) else { continue };
        let mut from: Option<String> = None;
        for (k, (days_ago, ring)) in moves.iter().enumerate() {
            let last = k + 1 == moves.len();
            let explorer = ring.needs_explorer().then(|| by_email(keepers[n % keepers.len()])).flatten();
            let showcase = ring.needs_explorer().then(|| showcases.get(n % showcases.len().max(1)).copied()).flatten();
            let entry = ValidEntry {
                name: name.to_string(),
                quadrant_id: quadrant.id,
                ring: *ring,
                business_use: business_use.to_string(),
                examples: String::new(),
                owner_id: by_email(keepers[(n + 2) % keepers.len()]),
                explorer_id: explorer,
                showcase_event_id: showcase,
                reason: match (k, ring) {
                    (0, _) => "Came onto the radar".to_string(),
                    (_, Ring::Adopt) => "Proved itself on real work".to_string(),
                    (_, Ring::Hold) => "Not for new work any more".to_string(),
                    _ => "A business unit asked to try it".to_string(),
                },
                unit_ids: used_by.iter().filter_map(|u| units.iter().find(|g| g.name == *u).map(|g| g.id)).collect(),
                request_ids: vec![],
                event_ids: if last && !past.is_empty() { vec![past[n % past.len()]] } else { vec![] },
            };
            // The first move creates it; later ones change it (its version counts each).
            let existing = (k > 0).then_some((0, k as i64));
            writes.push((entry, existing, from.clone(), now - days_ago * DAY_MS));
            from = Some(ring.as_str().to_string());
        }
    }
    // Write in the order the moves happened, each entry created by its first.
    writes.sort_by_key(|w| w.3);
    let mut ids: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    for (entry, existing, from, at) in writes {
        let existing = match existing {
            None => None,
            Some((_, version)) => ids.get(&entry.name).map(|id| (*id, version)),
        };
        let name = entry.name.clone();
        let write = EntryWrite { entry, published: true, existing, moved_from: Some(from), at };
        let written = db.write_radar_entries(&actor, &[write], "Demo radar entry").await?;
        ids.insert(name, written[0]);
    }
    for (name, days_ago) in EDITIONS {
        db.add_radar_edition(&actor, name, now - days_ago * DAY_MS).await?;
    }
    Ok(())
}

/// Adds `n` radar entries with `moves` moves between them (each entry's first brings it onto
/// the radar), spread over the last two years with an edition every quarter: the benchmark's
/// radar.
pub async fn generate(db: &Db, n: usize, moves: usize) -> Result<usize, Error> {
    let actor = Actor::system("radar generator");
    let now = crate::store::now_ms();
    let quadrants = db.quadrants().await?;
    let per_entry = (moves / n.max(1)).max(1);
    let span = 730 * DAY_MS;
    let mut written = 0;
    for start in (0..n).step_by(50) {
        let mut writes = Vec::new();
        for i in start..(start + 50).min(n) {
            let quadrant = &quadrants[i % quadrants.len()];
            let mut from: Option<String> = None;
            for k in 0..per_entry {
                // Adopt and hold only (no explorer needed), turn about.
                let ring = if (i + k) % 2 == 0 { Ring::Adopt } else { Ring::Hold };
                let entry = ValidEntry {
                    name: format!("Generated technology {i}"),
                    quadrant_id: quadrant.id,
                    ring,
                    business_use: format!("What generated technology {i} lets the business do."),
                    examples: String::new(),
                    owner_id: None,
                    explorer_id: None,
                    showcase_event_id: None,
                    reason: "Generated".into(),
                    unit_ids: vec![],
                    request_ids: vec![],
                    event_ids: vec![],
                };
                let at = now - span + (span * (k as i64 + 1) / (per_entry as i64 + 1));
                let existing = (k > 0).then_some((0, k as i64));
                writes.push((entry, existing, from.clone(), at));
                from = Some(ring.as_str().to_string());
            }
        }
        // Each entry's first write creates it; the later ones change it in order.
        let mut ids: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
        let (first, later): (Vec<_>, Vec<_>) = writes.into_iter().partition(|w| w.1.is_none());
        let creates: Vec<EntryWrite> = first
            .into_iter()
            .map(|(entry, _, from, at)| EntryWrite {
                entry,
                published: true,
                existing: None,
                moved_from: Some(from),
                at,
            })
            .collect();
        let created = db.write_radar_entries(&actor, &creates, "Generated radar entries").await?;
        for (w, id) in creates.iter().zip(created) {
            ids.insert(w.entry.name.clone(), id);
        }
        let mut changes = Vec::new();
        for (entry, existing, from, at) in later {
            let Some(id) = ids.get(&entry.name).copied() else { continue };
            let version = existing.map_or(1, |e| e.1);
            changes.push(EntryWrite {
                entry,
                published: true,
                existing: Some((id, version)),
                moved_from: Some(from),
                at,
            });
        }
        // Versions count up per entry: write each entry's changes in its own order.
        changes.sort_by_key(|w| (w.existing.map(|e| e.1), w.at));
        db.write_radar_entries(&actor, &changes, "Generated radar moves").await?;
        written += ids.len();
    }
    for q in 0..8 {
        db.add_radar_edition(&actor, &format!("Generated edition {q}"), now - span + span * q / 8).await?;
    }
    Ok(written)
}
