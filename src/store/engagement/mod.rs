//! Engagement: touchpoints with their people and follow-ups, units' cadences, and the shared
//! "contact" signal — one row per pair of people in touch through one recorded thing, added up by
//! unit, team and month as it is written so that reading how units stand costs the same
//! whatever the number of contacts.

use bridge_domain::audit::{Actor, Entity};
use bridge_domain::engagement::{ContactSource, ValidTouchpoint};
use bridge_domain::intake::parse::Date;
use bridge_domain::Error;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::audit::Change;
use super::{args, id_list, now_ms, tx, unique_as, Arg, Db, Failure, Tx};

mod embeddings;
mod follow_ups;
mod office_hours;
mod stats;
mod units;

pub use embeddings::*;
pub use follow_ups::*;
pub use office_hours::*;
pub use stats::*;
pub use units::*;

/// Two people of the two sides in touch on a day, with the business person's unit and the IT
/// person's team (0 for none) that the monthly sums are kept by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewContact {
    pub day: i64,
    pub business_id: i64,
    pub it_id: i64,
    pub unit_id: i64,
    pub team_id: i64,
}

/// A person's side, unit and team, as contacts are kept by them.
#[derive(Debug, Clone, Deserialize, sqlx::FromRow)]
pub struct PersonSide {
    pub id: i64,
    pub side: String,
    pub unit_id: Option<i64>,
    pub team_id: Option<i64>,
}

impl From<&super::org::Person> for PersonSide {
    fn from(p: &super::org::Person) -> PersonSide {
        PersonSide { id: p.id, side: p.side.as_str().into(), unit_id: p.unit_id, team_id: p.team_id }
    }
}

impl PersonSide {
    pub fn side(&self) -> Option<bridge_domain::org::Side> {
        bridge_domain::org::Side::parse(&self.side)
    }
}

/// Months since 1970-01 of a day (days since 1970).
pub fn month_of(day: i64) -> i64 {
    let s = Date::from_days(day).to_string();
    let year: i64 = s[..4].parse().unwrap_or(1970);
    let month: i64 = s[5..7].parse().unwrap_or(1);
    year * 12 + month - 1 - 1970 * 12
}

impl Tx<'_> {
    /// Inserts a touchpoint with its people, follow-ups and contacts (no audit entry: the
    /// caller writes it).
    async fn insert_touchpoint(
        &mut self,
        actor: &Actor,
        created_by_id: Option<i64>,
        t: &ValidTouchpoint,
        contacts: &[NewContact],
        import_key: Option<&str>,
    ) -> Result<TouchpointRow, Error> {
        let now = now_ms();
        let id = self.number(
            "INSERT INTO touchpoints (kind, day, unit_id, note, private, import_key, created_by_id, created_by_name,
                created_at, it_present)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            &args![t.kind.as_str(), t.date.days(), t.unit_id, &t.note, i64::from(t.private), import_key,
                created_by_id, actor.name.as_str(), now, i64::from(t.it_present())],
        ).await.map_err(unique_as("import_key", "This touchpoint was imported already.".into()))?;
        let people: Vec<Vec<Arg>> = t.people.iter().map(|p| vec![Arg::I(id), Arg::I(p.id)]).collect();
        self.insert_many("touchpoint_people", &["touchpoint_id", "person_id"], &people).await?;
        let mut follow_ups = Vec::new();
        for f in &t.follow_ups {
            let follow_up = self
                .number(
                    "INSERT INTO follow_ups (touchpoint_id, text, owner_id, due_day, created_at, unit_id)
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                    &args![id, &f.text, f.owner_id, f.due.days(), now, t.unit_id],
                )
                .await?;
            follow_ups.push(FollowUpRow {
                id: follow_up,
                touchpoint_id: id,
                text: f.text.clone(),
                owner_id: Some(f.owner_id),
                due_day: f.due.days(),
                done_at: None,
            });
        }
        self.add_contacts(ContactSource::Touchpoint, id, contacts).await?;
        Ok(TouchpointRow {
            id,
            kind: t.kind.as_str().to_string(),
            day: t.date.days(),
            unit_id: t.unit_id,
            note: t.note.clone(),
            private: i64::from(t.private),
            it_present: i64::from(t.it_present()),
            created_by_id,
            created_by_name: actor.name.clone(),
            created_at: now,
            people: t.people.iter().map(|p| p.id).collect(),
            follow_ups,
        })
    }

    /// Records contacts from one source (the shared signal): a pair once per source however
    /// often it is recorded, each new one added to its unit's, team's and month's sum.
    pub async fn add_contacts(
        &mut self,
        source: ContactSource,
        source_id: i64,
        contacts: &[NewContact],
    ) -> Result<(), Failure> {
        let now = now_ms();
        for c in contacts {
            let added = self
                .execute(
                    "INSERT INTO contacts (day, business_id, it_id, source, source_id, created_at, unit_id)
                     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                    &args![c.day, c.business_id, c.it_id, source.as_str(), source_id, now, c.unit_id],
                )
                .await?;
            if added == 0 {
                continue;
            }
            self.execute(
                "INSERT INTO contact_days (unit_id, day) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &args![c.unit_id, c.day],
            )
            .await?;
            self.execute(
                "INSERT INTO contact_months (unit_id, team_id, month, contacts, last_day) VALUES ($1, $2, $3, 1, $4)
                 ON CONFLICT (unit_id, team_id, month) DO UPDATE SET contacts = contact_months.contacts + 1,
                    last_day = CASE WHEN excluded.last_day > contact_months.last_day
                               THEN excluded.last_day ELSE contact_months.last_day END",
                &args![c.unit_id, c.team_id, month_of(c.day), c.day],
            )
            .await?;
        }
        Ok(())
    }
}

/// A touchpoint to add with others: who logged it, its contacts, and the key that makes a
/// second import of it add nothing.
#[derive(Debug, Clone)]
pub struct NewTouchpoint {
    pub by: Option<i64>,
    pub touchpoint: ValidTouchpoint,
    pub contacts: Vec<NewContact>,
    pub import_key: Option<String>,
}

#[derive(Deserialize, sqlx::FromRow)]
struct ImportKey {
    import_key: String,
}

/// A touchpoint as stored, with its people (ids) and follow-ups.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct TouchpointRow {
    pub id: i64,
    pub kind: String,
    /// Days since 1970.
    pub day: i64,
    pub unit_id: Option<i64>,
    pub note: String,
    pub private: i64,
    /// 0: a planning or strategy session held without IT.
    pub it_present: i64,
    pub created_by_id: Option<i64>,
    pub created_by_name: String,
    pub created_at: i64,
    #[sqlx(skip)]
    #[serde(default)]
    pub people: Vec<i64>,
    #[sqlx(skip)]
    #[serde(default)]
    pub follow_ups: Vec<FollowUpRow>,
}

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct FollowUpRow {
    pub id: i64,
    pub touchpoint_id: i64,
    pub text: String,
    pub owner_id: Option<i64>,
    pub due_day: i64,
    pub done_at: Option<i64>,
}

#[derive(Deserialize, sqlx::FromRow)]
struct TouchpointId {
    touchpoint_id: i64,
}

#[derive(Deserialize, sqlx::FromRow)]
struct TouchpointPerson {
    touchpoint_id: i64,
    person_id: i64,
}

/// Which touchpoints to list: of a unit, of a person, or all; the newest first.
#[derive(Debug, Clone, Copy, Default)]
pub struct TouchpointFilter {
    pub unit_id: Option<i64>,
    pub person_id: Option<i64>,
}

/// A business unit and an IT team's contacts over some months.
#[derive(Debug, Clone, Copy, Deserialize, sqlx::FromRow)]
pub struct MapCell {
    pub unit_id: i64,
    pub team_id: i64,
    pub contacts: i64,
    pub last_day: i64,
}

/// A unit's contacts in a month (months since 1970-01).
#[derive(Debug, Clone, Copy, Deserialize, sqlx::FromRow)]
pub struct UnitMonth {
    pub unit_id: i64,
    pub month: i64,
    pub contacts: i64,
}

/// Someone on the other side a person was in touch with.
#[derive(Debug, Clone, Copy, Deserialize, sqlx::FromRow)]
pub struct Acquaintance {
    pub person_id: i64,
    pub last_day: i64,
    pub contacts: i64,
}

/// A unit's contacts in the monthly sums: the last day, and how many since a month.
#[derive(Debug, Clone, Copy, Default, Deserialize, sqlx::FromRow)]
pub struct UnitContacts {
    pub unit_id: i64,
    pub last_day: Option<i64>,
    pub recent: Option<i64>,
}

const TOUCHPOINT_COLUMNS: &str =
    "id, kind, day, unit_id, note, private, it_present, created_by_id, created_by_name, created_at";

impl Db {
    /// The side, unit and team of each of `ids` in the directory (archived people are not).
    pub async fn people_sides(&self, ids: &[i64]) -> Result<Vec<PersonSide>, Error> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        self.rows(
            format!(
                "SELECT id, side, unit_id, team_id FROM people WHERE id IN ({}) AND archived_at IS NULL",
                id_list(ids)
            ),
            vec![],
        )
        .await
    }

    /// Records contacts from one source in a transaction of their own (`Tx::add_contacts`).
    pub async fn record_contacts(
        &self,
        source: ContactSource,
        source_id: i64,
        contacts: &[NewContact],
    ) -> Result<(), Error> {
        tx!(self, tx => {
            tx.add_contacts(source, source_id, contacts).await?;
            Ok(())
        })
    }

    /// Writes a touchpoint, its people and follow-ups, and its contacts, together; answers it
    /// as stored.
    pub async fn create_touchpoint(
        &self,
        actor: &Actor,
        created_by_id: Option<i64>,
        t: &ValidTouchpoint,
        contacts: &[NewContact],
        import_key: Option<&str>,
    ) -> Result<TouchpointRow, Error> {
        tx!(self, tx => {
            let row = tx.insert_touchpoint(actor, created_by_id, t, contacts, import_key).await?;
            let id = row.id;
            tx.record(&Change { actor, action: "create", entity: Entity::Touchpoint, entity_id: Some(id),
                summary: format!("Logged a {} on {}", t.kind.label().to_lowercase(), t.date),
                before: None, after: Some(json!({"people": t.people.iter().map(|p| p.id).collect::<Vec<_>>(),
                    "unit_id": t.unit_id, "follow_ups": t.follow_ups.len()})) }).await?;
            Ok(row)
        })
    }

    /// Writes many touchpoints in one transaction, with one audit entry for them all: the
    /// demo's year, an import. A touchpoint whose import key is there already is left out (an
    /// import run twice adds nothing); returns how many were added.
    pub async fn add_touchpoints(&self, actor: &Actor, touchpoints: &[NewTouchpoint]) -> Result<usize, Error> {
        let keys: Vec<&str> = touchpoints.iter().filter_map(|t| t.import_key.as_deref()).collect();
        let mut there: std::collections::HashSet<String> = std::collections::HashSet::new();
        for chunk in keys.chunks(500) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let found: Vec<ImportKey> = self
                .rows(
                    format!("SELECT import_key FROM touchpoints WHERE import_key IN ({})", marks.join(", ")),
                    chunk.iter().map(|k| Arg::S(k.to_string())).collect(),
                )
                .await?;
            there.extend(found.into_iter().map(|k| k.import_key));
        }
        tx!(self, tx => {
            let mut added = 0;
            for t in touchpoints {
                if let Some(key) = &t.import_key {
                    if !there.insert(key.clone()) {
                        continue;
                    }
                }
                tx.insert_touchpoint(actor, t.by, &t.touchpoint, &t.contacts, t.import_key.as_deref()).await?;
                added += 1;
            }
            if added > 0 {
                tx.record(&Change { actor, action: "import", entity: Entity::Touchpoint, entity_id: None,
                    summary: format!("Added {added} touchpoints"), before: None, after: None }).await?;
            }
            Ok(added)
        })
    }

    /// Up to `limit` touchpoints, the newest first, before the touchpoint `before` (its id), with
    /// their people and follow-ups; reads only the rows it answers with.
    pub async fn list_touchpoints(
        &self,
        f: TouchpointFilter,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<TouchpointRow>, Error> {
        let mut conditions = vec!["1 = 1".to_string()];
        let mut args = vec![];
        if let Some(u) = f.unit_id {
            args.push(Arg::I(u));
            conditions.push(format!("unit_id = ${}", args.len()));
        }
        if let Some(p) = f.person_id {
            args.push(Arg::I(p));
            conditions
                .push(format!("id IN (SELECT touchpoint_id FROM touchpoint_people WHERE person_id = ${})", args.len()));
        }
        if let Some(b) = before {
            args.push(Arg::I(b));
            let n = args.len();
            conditions.push(format!("(day, id) < (SELECT day, id FROM touchpoints WHERE id = ${n})"));
        }
        args.push(Arg::I(limit));
        let sql = format!(
            "SELECT {TOUCHPOINT_COLUMNS} FROM touchpoints WHERE {} ORDER BY day DESC, id DESC LIMIT ${}",
            conditions.join(" AND "),
            args.len()
        );
        let mut rows: Vec<TouchpointRow> = self.rows(sql, args).await?;
        self.attach_details(&mut rows).await?;
        Ok(rows)
    }

    pub async fn get_touchpoint(&self, id: i64) -> Result<TouchpointRow, Error> {
        let sql = format!("SELECT {TOUCHPOINT_COLUMNS} FROM touchpoints WHERE id = $1");
        let mut rows: Vec<TouchpointRow> = self.first(sql, vec![Arg::I(id)]).await?.into_iter().collect();
        self.attach_details(&mut rows).await?;
        rows.pop().ok_or_else(|| Error::not_found("The touchpoint"))
    }

    /// Fills in the touchpoints' people and follow-ups: two reads for all of them.
    async fn attach_details(&self, rows: &mut [TouchpointRow]) -> Result<(), Error> {
        if rows.is_empty() {
            return Ok(());
        }
        let ids = id_list(rows.iter().map(|r| &r.id));
        let people: Vec<TouchpointPerson> = self
            .rows(
                format!("SELECT touchpoint_id, person_id FROM touchpoint_people WHERE touchpoint_id IN ({ids})"),
                vec![],
            )
            .await?;
        let follow_ups: Vec<FollowUpRow> = self
            .rows(
                format!(
                    "SELECT id, touchpoint_id, text, owner_id, due_day, done_at FROM follow_ups
                     WHERE touchpoint_id IN ({ids}) ORDER BY due_day, id"
                ),
                vec![],
            )
            .await?;
        for r in rows.iter_mut() {
            r.people = people.iter().filter(|p| p.touchpoint_id == r.id).map(|p| p.person_id).collect();
            r.follow_ups = follow_ups.iter().filter(|f| f.touchpoint_id == r.id).cloned().collect();
        }
        Ok(())
    }

    /// Each unit's last contact and its contacts in the months from `since_month` on, from the
    /// monthly sums.
    pub async fn unit_contacts(&self, since_month: i64) -> Result<Vec<UnitContacts>, Error> {
        // A seek per unit in each index: the cost follows the number of units, not of contacts.
        self.rows(
            "SELECT u.id AS unit_id,
                (SELECT MAX(d.day) FROM contact_days d WHERE d.unit_id = u.id) AS last_day,
                (SELECT CAST(SUM(m.contacts) AS BIGINT) FROM contact_months m
                 WHERE m.unit_id = u.id AND m.month >= $1) AS recent
             FROM units u"
                .into(),
            vec![Arg::I(since_month)],
        )
        .await
    }

    /// Contacts by business unit and IT team from the month `since_month` on (0: no team), from
    /// the monthly sums; of one unit, or of all.
    pub async fn contact_map(&self, since_month: i64, unit_id: Option<i64>) -> Result<Vec<MapCell>, Error> {
        let mut args = vec![Arg::I(since_month)];
        let unit = match unit_id {
            Some(u) => {
                args.push(Arg::I(u));
                "unit_id = $2"
            }
            None => "unit_id > 0",
        };
        self.rows(
            format!(
                "SELECT unit_id, team_id, CAST(SUM(contacts) AS BIGINT) AS contacts, MAX(last_day) AS last_day
                 FROM contact_months WHERE {unit} AND month >= $1 GROUP BY unit_id, team_id"
            ),
            args,
        )
        .await
    }

    /// Every unit's contacts per month from the month `since_month` on.
    pub async fn months_by_unit(&self, since_month: i64) -> Result<Vec<UnitMonth>, Error> {
        self.rows(
            "SELECT unit_id, month, CAST(SUM(contacts) AS BIGINT) AS contacts FROM contact_months
             WHERE month >= $1 AND unit_id > 0 GROUP BY unit_id, month"
                .into(),
            vec![Arg::I(since_month)],
        )
        .await
    }

    /// The latest 20 touchpoints of a unit that have a follow-up not done yet.
    pub async fn with_open_follow_ups(&self, unit_id: i64) -> Result<Vec<TouchpointRow>, Error> {
        // The ids first, then those touchpoints by key: PostgreSQL otherwise walks every
        // touchpoint by day looking for them.
        let open: Vec<TouchpointId> = self
            .rows(
                "SELECT DISTINCT touchpoint_id FROM follow_ups WHERE unit_id = $1 AND done_at IS NULL".into(),
                vec![Arg::I(unit_id)],
            )
            .await?;
        if open.is_empty() {
            return Ok(vec![]);
        }
        let ids = id_list(open.iter().map(|o| &o.touchpoint_id));
        let sql = format!(
            "SELECT {TOUCHPOINT_COLUMNS} FROM touchpoints WHERE id IN ({ids}) ORDER BY day DESC, id DESC LIMIT 20"
        );
        let mut rows: Vec<TouchpointRow> = self.rows(sql, vec![]).await?;
        self.attach_details(&mut rows).await?;
        Ok(rows)
    }

    /// The people on the other side `person_id` was in touch with: each once, with their last day
    /// and how many contacts, the most recent first.
    pub async fn acquaintances(
        &self,
        person_id: i64,
        side: bridge_domain::org::Side,
    ) -> Result<Vec<Acquaintance>, Error> {
        let (me, other) = match side {
            bridge_domain::org::Side::Business => ("business_id", "it_id"),
            bridge_domain::org::Side::It => ("it_id", "business_id"),
        };
        self.rows(
            format!(
                "SELECT {other} AS person_id, MAX(day) AS last_day, COUNT(*) AS contacts FROM contacts
                 WHERE {me} = $1 GROUP BY {other} ORDER BY MAX(day) DESC LIMIT 200"
            ),
            vec![Arg::I(person_id)],
        )
        .await
    }
}
