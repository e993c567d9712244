//! The technology radar: quadrants, entries, their moves, editions and links.

use bridge_domain::audit::{Actor, Entity};
use bridge_domain::learning::radar::ValidEntry;
use bridge_domain::Error;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::super::audit::Change;
use super::super::{args, now_ms, tx, unique_as, Arg, Db, Tx};

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct QuadrantRow {
    pub id: i64,
    /// 0 top right, 1 top left, 2 bottom left, 3 bottom right.
    pub position: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow)]
pub struct EntryRow {
    pub id: i64,
    pub name: String,
    pub quadrant_id: i64,
    pub ring: String,
    pub business_use: String,
    pub examples: String,
    pub owner_id: Option<i64>,
    pub explorer_id: Option<i64>,
    pub showcase_event_id: Option<i64>,
    pub published_at: Option<i64>,
    pub version: i64,
}

const ENTRY: &str = "id, name, quadrant_id, ring, business_use, examples, owner_id, explorer_id, showcase_event_id,
    published_at, version";

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct MoveRow {
    pub id: i64,
    pub entry_id: i64,
    /// None: it came onto the radar.
    pub from_ring: Option<String>,
    pub to_ring: String,
    pub quadrant_id: i64,
    /// Milliseconds since 1970 UTC.
    pub at: i64,
    pub reason: String,
    pub by_name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct EditionRow {
    pub id: i64,
    pub name: String,
    pub at: i64,
}

/// An entry's link to an event, a request or a business unit.
#[derive(Debug, Clone, Copy, Deserialize, sqlx::FromRow)]
pub struct Link {
    pub entry_id: i64,
    pub other_id: i64,
}

/// The tables of an entry's links: (table, column).
const LINKS: [(&str, &str); 3] =
    [("radar_entry_events", "event_id"), ("radar_entry_requests", "request_id"), ("radar_entry_units", "unit_id")];

/// An entry to write, and how: new, or a change of the entry `id` read at `version`.
#[derive(Debug, Clone)]
pub struct EntryWrite {
    pub entry: ValidEntry,
    pub published: bool,
    /// Some((id, version)): a change.
    pub existing: Option<(i64, i64)>,
    /// The ring (and quadrant) it leaves, when this write moves it; None for a new entry.
    pub moved_from: Option<Option<String>>,
    /// When the move happened (ms); now unless written as history.
    pub at: i64,
}

impl Tx<'_> {
    async fn write_entry(&mut self, actor: &Actor, w: &EntryWrite) -> Result<i64, Error> {
        let e = &w.entry;
        let now = now_ms();
        let published = w.published.then_some(now);
        // $1..$10: the entry's fields, the same for a new entry and a change.
        let fields = args![
            &e.name,
            e.name.to_lowercase(),
            e.quadrant_id,
            e.ring.as_str(),
            &e.business_use,
            &e.examples,
            e.owner_id,
            e.explorer_id,
            e.showcase_event_id,
            published
        ]
        .to_vec();
        let taken = || unique_as("name", "There is an entry of this name on the radar already.".into());
        let id = match w.existing {
            None => {
                let mut values = fields;
                values.push(Arg::I(now));
                self.number(
                    "INSERT INTO radar_entries (name, name_key, quadrant_id, ring, business_use, examples, owner_id,
                        explorer_id, showcase_event_id, published_at, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
                    &values,
                )
                .await
                .map_err(taken())?
            }
            Some((id, version)) => {
                let mut values = fields;
                values.extend([Arg::I(now), Arg::I(id), Arg::I(version)]);
                let changed = self
                    .execute(
                        "UPDATE radar_entries SET name = $1, name_key = $2, quadrant_id = $3, ring = $4,
                            business_use = $5, examples = $6, owner_id = $7, explorer_id = $8,
                            showcase_event_id = $9,
                            published_at = CASE WHEN $10 IS NULL THEN NULL ELSE COALESCE(published_at, $10) END,
                            updated_at = $11,
                            version = version + 1
                         WHERE id = $12 AND version = $13",
                        &values,
                    )
                    .await
                    .map_err(taken())?;
                if changed == 0 {
                    return Err(Error::stale("radar entry"));
                }
                for (table, _) in LINKS {
                    self.execute(&format!("DELETE FROM {table} WHERE entry_id = $1"), &args![id]).await?;
                }
                id
            }
        };
        for ((table, column), ids) in LINKS.iter().zip([&e.event_ids, &e.request_ids, &e.unit_ids]) {
            let rows: Vec<Vec<Arg>> = ids.iter().map(|o| vec![Arg::I(id), Arg::I(*o)]).collect();
            self.insert_many(table, &["entry_id", column], &rows).await?;
        }
        if let Some(from) = &w.moved_from {
            self.execute(
                "INSERT INTO radar_moves (entry_id, from_ring, to_ring, quadrant_id, at, reason, by_name)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &args![id, from.as_deref(), e.ring.as_str(), e.quadrant_id, w.at, &e.reason, actor.name.as_str()],
            )
            .await?;
        }
        Ok(id)
    }
}

impl Db {
    pub async fn quadrants(&self) -> Result<Vec<QuadrantRow>, Error> {
        self.rows("SELECT id, position, name FROM radar_quadrants ORDER BY position".into(), vec![]).await
    }

    pub async fn rename_quadrant(&self, actor: &Actor, id: i64, name: &str) -> Result<(), Error> {
        tx!(self, tx => {
            let changed = tx.execute("UPDATE radar_quadrants SET name = $1 WHERE id = $2", &args![name, id]).await?;
            if changed == 0 {
                return Err(Error::not_found("The quadrant"));
            }
            tx.record(&Change { actor, action: "rename", entity: Entity::RadarEntry, entity_id: None,
                summary: format!("Named a radar quadrant “{name}”"), before: None, after: Some(json!({"quadrant_id": id})) }).await?;
            Ok(())
        })
    }

    pub async fn radar_entries(&self) -> Result<Vec<EntryRow>, Error> {
        self.rows(format!("SELECT {ENTRY} FROM radar_entries ORDER BY name_key"), vec![]).await
    }

    pub async fn radar_entry(&self, id: i64) -> Result<EntryRow, Error> {
        self.first(format!("SELECT {ENTRY} FROM radar_entries WHERE id = $1"), vec![Arg::I(id)])
            .await?
            .ok_or_else(|| Error::not_found("The radar entry"))
    }

    /// Every move, the oldest first.
    pub async fn radar_moves(&self) -> Result<Vec<MoveRow>, Error> {
        self.rows(
            "SELECT id, entry_id, from_ring, to_ring, quadrant_id, at, reason, by_name FROM radar_moves ORDER BY at, id"
                .into(),
            vec![],
        )
        .await
    }

    pub async fn radar_editions(&self) -> Result<Vec<EditionRow>, Error> {
        self.rows("SELECT id, name, at FROM radar_editions ORDER BY at".into(), vec![]).await
    }

    /// Every entry's links to events, requests and business units (in that order).
    pub async fn radar_links(&self) -> Result<[Vec<Link>; 3], Error> {
        let read = |(table, column): (&str, &str)| {
            self.rows::<Link>(format!("SELECT entry_id, {column} AS other_id FROM {table}"), vec![])
        };
        let (events, requests, units) = tokio::try_join!(read(LINKS[0]), read(LINKS[1]), read(LINKS[2]))?;
        Ok([events, requests, units])
    }

    /// Writes entries (one, or an import's every row) and their moves, together.
    pub async fn write_radar_entries(
        &self,
        actor: &Actor,
        writes: &[EntryWrite],
        summary: &str,
    ) -> Result<Vec<i64>, Error> {
        tx!(self, tx => {
            let mut ids = Vec::new();
            for w in writes {
                ids.push(tx.write_entry(actor, w).await?);
            }
            tx.record(&Change { actor, action: "save", entity: Entity::RadarEntry, entity_id: ids.first().copied().filter(|_| ids.len() == 1),
                summary: summary.to_string(), before: None, after: Some(json!({"entries": ids.len()})) }).await?;
            Ok(ids)
        })
    }

    /// Marks today as an edition of the radar: "what changed since" compares with it.
    pub async fn add_radar_edition(&self, actor: &Actor, name: &str, at: i64) -> Result<i64, Error> {
        tx!(self, tx => {
            let id = tx.number("INSERT INTO radar_editions (name, at) VALUES ($1, $2) RETURNING id", &args![name, at]).await?;
            tx.record(&Change { actor, action: "edition", entity: Entity::RadarEntry, entity_id: None,
                summary: format!("Published the radar's edition “{name}”"), before: None, after: None }).await?;
            Ok(id)
        })
    }
}
