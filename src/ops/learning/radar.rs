//! The technology radar's use cases: the radar as it is or was on any date (with what changed
//! since an edition), saving an entry (its explanation checked for words the business may not
//! know before it is published), editions, quadrant names, and the common CSV in and out.

use std::collections::HashMap;
use std::sync::Arc;

use bridge_domain::audit::Entity;
use bridge_domain::csv_file::RowError;
use bridge_domain::language::FindingKind;
use bridge_domain::learning::radar::{
    read_csv, validate_entry, write_csv, Change, EntryInput, EntryLookups, Ring, ValidEntry,
};
use bridge_domain::Error;
use serde::Serialize;

use super::super::directory::Directory;
use super::super::engagement::PersonRef;
use super::super::Caller;
use crate::ops::cache::Versioned;
use crate::store::learning::radar::{EditionRow, EntryRow, EntryWrite, Link, MoveRow, QuadrantRow};
use crate::store::{now_ms, Db};

/// Everything the radar is drawn from, kept until an entry, a move, an edition or a quadrant
/// changes.
pub struct RadarModel {
    pub quadrants: Vec<QuadrantRow>,
    pub entries: Vec<EntryRow>,
    /// The oldest first.
    pub moves: Vec<MoveRow>,
    pub editions: Vec<EditionRow>,
    /// Events, requests and units per entry.
    links: [HashMap<i64, Vec<i64>>; 3],
}

pub struct RadarCache(Versioned<RadarModel>);

impl Default for RadarCache {
    fn default() -> Self {
        RadarCache(Versioned::new(&[Entity::RadarEntry]))
    }
}

impl RadarCache {
    pub fn invalidate(&self) {
        self.0.invalidate();
    }

    pub async fn get(&self, db: &Db) -> Result<Arc<RadarModel>, Error> {
        self.0
            .get(db, || async {
                let (quadrants, entries, moves, editions, links) = tokio::try_join!(
                    db.quadrants(),
                    db.radar_entries(),
                    db.radar_moves(),
                    db.radar_editions(),
                    db.radar_links()
                )?;
                let group = |links: &[Link]| {
                    let mut by: HashMap<i64, Vec<i64>> = HashMap::new();
                    for l in links {
                        by.entry(l.entry_id).or_default().push(l.other_id);
                    }
                    by
                };
                let links = [group(&links[0]), group(&links[1]), group(&links[2])];
                Ok(RadarModel { quadrants, entries, moves, editions, links })
            })
            .await
    }
}

/// A blip on the radar.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Blip {
    /// Its number on the drawing and in the list.
    pub number: usize,
    pub entry_id: i64,
    pub name: String,
    pub quadrant_id: i64,
    /// adopt, trial, assess or hold
    pub ring: &'static str,
    /// new, moved_in, moved_out or unchanged since the edition compared with
    pub change: &'static str,
    pub change_label: &'static str,
    pub business_use: String,
}

/// The radar on a day, compared with an earlier edition.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RadarView {
    /// `YYYY-MM-DD`: the day it shows.
    pub as_of: String,
    /// The edition it is compared with, if any ("what changed since").
    pub since: Option<EditionRow>,
    pub quadrants: Vec<QuadrantRow>,
    /// By quadrant, ring and name: their numbers follow this order.
    pub blips: Vec<Blip>,
    pub editions: Vec<EditionRow>,
    /// Entries not published yet (their explanations still need plain words), for IT.
    pub drafts: Vec<DraftRef>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DraftRef {
    pub id: i64,
    pub name: String,
}

/// Where each entry stood at `at` (its latest move by then): (ring, quadrant).
fn standing_at(moves: &[MoveRow], at: i64) -> HashMap<i64, (Ring, i64)> {
    let mut out = HashMap::new();
    for m in moves.iter().take_while(|m| m.at <= at) {
        if let Some(r) = Ring::parse(&m.to_ring) {
            out.insert(m.entry_id, (r, m.quadrant_id));
        }
    }
    out
}

/// The radar as it was at the end of `day` (today when None), compared with the edition
/// `since` (else the latest edition before that day).
pub fn radar_at(model: &RadarModel, day: Option<bridge_domain::intake::parse::Date>, since: Option<i64>) -> RadarView {
    let end_of = |d: bridge_domain::intake::parse::Date| (d.days() + 1) * 86_400_000 - 1;
    let at = day.map_or(now_ms(), end_of);
    let before = match since {
        Some(id) => model.editions.iter().find(|e| e.id == id),
        None => model.editions.iter().rev().find(|e| e.at < at),
    };
    let now = standing_at(&model.moves, at);
    let then = before.map(|e| standing_at(&model.moves, e.at)).unwrap_or_default();
    let position: HashMap<i64, i64> = model.quadrants.iter().map(|q| (q.id, q.position)).collect();
    let mut placed: Vec<(&EntryRow, Ring, i64)> = model
        .entries
        .iter()
        .filter(|e| e.published_at.is_some())
        .filter_map(|e| now.get(&e.id).map(|(ring, quadrant)| (e, *ring, *quadrant)))
        .collect();
    placed.sort_by_key(|(e, ring, quadrant)| (position.get(quadrant).copied(), *ring, e.name.to_lowercase()));
    let blips = placed
        .iter()
        .enumerate()
        .map(|(i, (e, ring, quadrant))| {
            let change = match before {
                None => Change::Unchanged,
                Some(_) => Change::of(then.get(&e.id).map(|t| t.0), *ring),
            };
            Blip {
                number: i + 1,
                entry_id: e.id,
                name: e.name.clone(),
                quadrant_id: *quadrant,
                ring: ring.as_str(),
                change: change.as_str(),
                change_label: change.label(),
                business_use: e.business_use.clone(),
            }
        })
        .collect();
    RadarView {
        as_of: bridge_domain::intake::parse::Date::from_days(at.div_euclid(86_400_000)).to_string(),
        since: before.cloned(),
        quadrants: model.quadrants.clone(),
        blips,
        editions: model.editions.clone(),
        drafts: model
            .entries
            .iter()
            .filter(|e| e.published_at.is_none())
            .map(|e| DraftRef { id: e.id, name: e.name.clone() })
            .collect(),
    }
}

/// One move as an entry's history shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MoveView {
    /// `YYYY-MM-DD`
    pub day: String,
    pub from_ring: Option<String>,
    pub to_ring: String,
    pub quadrant: String,
    pub reason: String,
    pub by: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Named {
    pub id: i64,
    pub name: String,
}

/// An entry with everything it is linked to and its history, the newest move first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EntryView {
    pub id: i64,
    pub name: String,
    pub quadrant: QuadrantRow,
    pub ring: String,
    pub ring_label: &'static str,
    pub ring_meaning: &'static str,
    pub business_use: String,
    pub examples: String,
    pub owner: Option<PersonRef>,
    pub explorer: Option<PersonRef>,
    pub showcase: Option<Named>,
    pub published: bool,
    pub events: Vec<Named>,
    pub requests: Vec<Named>,
    pub units: Vec<Named>,
    pub history: Vec<MoveView>,
    pub version: i64,
}

fn person_ref(directory: &Directory, id: Option<i64>) -> Option<PersonRef> {
    let p = directory.person(id?)?;
    Some(PersonRef { id: p.id, name: p.name.clone(), side: p.side.as_str() })
}

pub async fn entry(db: &Db, directory: &Directory, model: &RadarModel, id: i64) -> Result<EntryView, Error> {
    let e = model.entries.iter().find(|e| e.id == id).ok_or_else(|| Error::not_found("The radar entry"))?;
    let quadrant = |q: i64| model.quadrants.iter().find(|x| x.id == q).cloned();
    let links = |k: usize| model.links[k].get(&id).cloned().unwrap_or_default();
    let mut events = Vec::new();
    let event_ids: Vec<i64> = links(0).into_iter().chain(e.showcase_event_id).collect();
    for row in db.events_by_id(&event_ids).await? {
        events.push(Named { id: row.id, name: row.title });
    }
    let showcase = e.showcase_event_id.and_then(|s| events.iter().find(|n| n.id == s).cloned());
    events.retain(|n| links(0).contains(&n.id));
    let mut requests = Vec::new();
    for r in links(1) {
        if let Ok(found) = db.get_request(r).await {
            requests.push(Named { id: r, name: found.body.title });
        }
    }
    let units = links(2)
        .into_iter()
        .filter_map(|u| directory.unit_name(u).map(|n| Named { id: u, name: n.to_string() }))
        .collect();
    let ring = Ring::parse(&e.ring).unwrap_or(Ring::Assess);
    let history = model
        .moves
        .iter()
        .rev()
        .filter(|m| m.entry_id == id)
        .map(|m| MoveView {
            day: bridge_domain::intake::parse::Date::from_days(m.at.div_euclid(86_400_000)).to_string(),
            from_ring: m.from_ring.clone(),
            to_ring: m.to_ring.clone(),
            quadrant: quadrant(m.quadrant_id).map(|q| q.name).unwrap_or_default(),
            reason: m.reason.clone(),
            by: m.by_name.clone(),
        })
        .collect();
    Ok(EntryView {
        id,
        name: e.name.clone(),
        quadrant: quadrant(e.quadrant_id).ok_or_else(|| Error::internal("an entry without its quadrant"))?,
        ring: e.ring.clone(),
        ring_label: ring.label(),
        ring_meaning: ring.meaning(),
        business_use: e.business_use.clone(),
        examples: e.examples.clone(),
        owner: person_ref(directory, e.owner_id),
        explorer: person_ref(directory, e.explorer_id),
        showcase,
        published: e.published_at.is_some(),
        events,
        requests,
        units,
        history,
        version: e.version,
    })
}

/// IT and administrators keep the radar.
pub const KEPT_BY_IT: &str = "The radar is kept by IT: only IT people and administrators change it.";

fn require_keeper(caller: &Caller) -> Result<(), Error> {
    caller.require_it_or_admin(KEPT_BY_IT)
}

/// The words in an explanation the business may not know (probable jargon the glossary lacks).
pub(super) async fn unknown_words(
    glossary: &super::super::language::Glossary,
    db: &Db,
    text: &str,
) -> Result<Vec<String>, Error> {
    let findings = glossary.check(db, text, bridge_domain::org::Side::Business).await?;
    let mut words: Vec<String> =
        findings.iter().filter(|f| f.kind == FindingKind::Unknown).map(|f| f.matched(text).to_string()).collect();
    words.sort();
    words.dedup();
    Ok(words)
}

async fn checked(
    db: &Db,
    directory: &Directory,
    model: &RadarModel,
    input: &EntryInput,
    current: Option<&EntryRow>,
) -> Result<(ValidEntry, Option<Option<String>>), Error> {
    let ring = Ring::parse(&input.ring);
    let moved = current
        .is_none_or(|c| Some(c.ring.as_str()) != ring.map(Ring::as_str) || Some(c.quadrant_id) != input.quadrant_id);
    let events: Vec<i64> = input.event_ids.iter().chain(input.showcase_event_id.iter()).copied().collect();
    let found: Vec<i64> =
        db.events_by_id(&events).await?.into_iter().filter(|e| e.cancelled_at.is_none()).map(|e| e.id).collect();
    let quadrant = |q: i64| model.quadrants.iter().any(|x| x.id == q);
    let person = |p: i64| directory.person(p).is_some();
    let event = |e: i64| found.contains(&e);
    let look = EntryLookups { quadrant: &quadrant, person: &person, event: &event };
    let entry = validate_entry(input, moved, &look)?;
    if input.unit_ids.iter().any(|u| directory.unit_name(*u).is_none()) {
        return Err(Error::field("unit_ids", "One of the business units does not exist."));
    }
    let from = moved.then(|| current.map(|c| c.ring.clone()));
    Ok((entry, from))
}

/// Saves an entry (new, or a change of `existing` read at its version) — IT and admins. Its
/// explanation must be in words the business knows before it is published: with `draft` it is
/// kept unpublished whatever it says. Returns its id.
#[allow(clippy::too_many_arguments)]
pub async fn save_entry(
    db: &Db,
    directory: &Directory,
    glossary: &super::super::language::Glossary,
    radar: &RadarCache,
    caller: &Caller,
    existing: Option<(i64, i64)>,
    input: &EntryInput,
    draft: bool,
) -> Result<i64, Error> {
    require_keeper(caller)?;
    let model = radar.get(db).await?;
    let current = match existing {
        Some((id, _)) => {
            Some(model.entries.iter().find(|e| e.id == id).ok_or_else(|| Error::not_found("The radar entry"))?)
        }
        None => None,
    };
    let (entry, moved_from) = checked(db, directory, &model, input, current).await?;
    let unknown = unknown_words(glossary, db, &entry.business_use).await?;
    if !draft && !unknown.is_empty() {
        return Err(Error::field(
            "business_use",
            format!(
                "Before it is published, say these in plain words (or add them to the glossary): {}. Or save it as a draft.",
                unknown.join(", ")
            ),
        ));
    }
    let write = EntryWrite { entry, published: !draft, existing, moved_from, at: now_ms() };
    let ids = db.write_radar_entries(&caller.actor, &[write], "Saved a radar entry").await?;
    radar.invalidate();
    Ok(ids[0])
}

/// Marks today as an edition (IT and admins): the radar then shows what changed since.
pub async fn add_edition(db: &Db, radar: &RadarCache, caller: &Caller, name: &str) -> Result<i64, Error> {
    require_keeper(caller)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(Error::field(
            "name",
            "Please name the edition (for example “Spring 2027”) in under 80 characters.",
        ));
    }
    let id = db.add_radar_edition(&caller.actor, name, now_ms()).await?;
    radar.invalidate();
    Ok(id)
}

/// Renames a quadrant (admins).
pub async fn rename_quadrant(db: &Db, radar: &RadarCache, caller: &Caller, id: i64, name: &str) -> Result<(), Error> {
    caller.require_admin()?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(Error::field("name", "Please give the quadrant a name of at most 60 characters."));
    }
    db.rename_quadrant(&caller.actor, id, name).await?;
    radar.invalidate();
    Ok(())
}

/// The radar today as the radar tools' common CSV; `is_new` is true for entries that came onto
/// it since the latest edition.
pub fn export_csv(model: &RadarModel) -> String {
    let view = radar_at(model, None, None);
    let quadrant: HashMap<i64, &str> = model.quadrants.iter().map(|q| (q.id, q.name.as_str())).collect();
    let rows: Vec<(String, Ring, String, bool, String)> = view
        .blips
        .iter()
        .map(|b| {
            let ring = Ring::parse(b.ring).unwrap_or(Ring::Assess);
            let q = quadrant.get(&b.quadrant_id).copied().unwrap_or_default().to_string();
            (b.name.clone(), ring, q, b.change == Change::New.as_str(), b.business_use.clone())
        })
        .collect();
    write_csv(&rows)
}

/// What an import did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RadarImport {
    pub added: usize,
    pub changed: usize,
    /// Entries kept as drafts: their descriptions have words the business may not know.
    pub drafts: Vec<String>,
}

/// Imports the common CSV (IT and admins): every row or none. A name on the radar already is
/// changed (a move when its ring or quadrant differs); a move into trial or assess needs the
/// `explorer` (an email) and `showcase` (an event's number) columns.
pub async fn import_csv(
    db: &Db,
    directory: &Directory,
    glossary: &super::super::language::Glossary,
    radar: &RadarCache,
    caller: &Caller,
    data: &[u8],
) -> Result<Result<RadarImport, Vec<RowError>>, Error> {
    require_keeper(caller)?;
    let (rows, mut errors) = match read_csv(data) {
        Ok(read) => read,
        Err(errors) => return Ok(Err(errors)),
    };
    let model = radar.get(db).await?;
    let mut writes = Vec::new();
    let mut drafts = Vec::new();
    for row in &rows {
        let Some(quadrant) = model.quadrants.iter().find(|q| q.name.eq_ignore_ascii_case(row.quadrant.trim())) else {
            let names: Vec<&str> = model.quadrants.iter().map(|q| q.name.as_str()).collect();
            errors.push(RowError::new(
                row.line,
                format!("the quadrant “{}” is not one of: {}", row.quadrant, names.join(", ")),
            ));
            continue;
        };
        let explorer = match row.explorer.trim() {
            "" => None,
            email => match directory.people.iter().find(|p| p.email.eq_ignore_ascii_case(email)) {
                Some(p) => Some(p.id),
                None => {
                    errors.push(RowError::new(row.line, format!("no one in the directory has the email {email}")));
                    continue;
                }
            },
        };
        let current = model.entries.iter().find(|e| e.name.eq_ignore_ascii_case(&row.name));
        let input = EntryInput {
            name: row.name.clone(),
            quadrant_id: Some(quadrant.id),
            ring: row.ring.as_str().into(),
            business_use: row.description.clone(),
            examples: current.map(|c| c.examples.clone()).unwrap_or_default(),
            owner_id: current.and_then(|c| c.owner_id),
            explorer_id: explorer.or(current.and_then(|c| c.explorer_id)),
            showcase_event_id: row.showcase.or(current.and_then(|c| c.showcase_event_id)),
            reason: "Imported".into(),
            unit_ids: current.map(|c| model.links[2].get(&c.id).cloned().unwrap_or_default()).unwrap_or_default(),
            request_ids: current.map(|c| model.links[1].get(&c.id).cloned().unwrap_or_default()).unwrap_or_default(),
            event_ids: current.map(|c| model.links[0].get(&c.id).cloned().unwrap_or_default()).unwrap_or_default(),
        };
        match checked(db, directory, &model, &input, current).await {
            Ok((entry, moved_from)) => {
                let unknown = unknown_words(glossary, db, &entry.business_use).await?;
                if !unknown.is_empty() {
                    drafts.push(entry.name.clone());
                }
                let existing = current.map(|c| (c.id, c.version));
                writes.push(EntryWrite { entry, published: unknown.is_empty(), existing, moved_from, at: now_ms() });
            }
            Err(Error::Validation { fields, .. }) => {
                let said: Vec<String> = fields.values().cloned().collect();
                errors.push(RowError::new(row.line, said.join(" ")));
            }
            Err(e) => return Err(e),
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Ok(Err(errors));
    }
    let added = writes.iter().filter(|w| w.existing.is_none()).count();
    let summary = format!("Imported {} radar entries", writes.len());
    db.write_radar_entries(&caller.actor, &writes, &summary).await?;
    radar.invalidate();
    Ok(Ok(RadarImport { added, changed: writes.len() - added, drafts }))
}
