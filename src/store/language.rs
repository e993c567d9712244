//! The glossary: terms, their names (term and aliases, unique across the glossary), lookups,
//! and the unknown jargon the checker flags.

use bridge_domain::audit::{Actor, Entity};
use bridge_domain::language::{GlossaryEntry, TermStatus};
use bridge_domain::org::Side;
use bridge_domain::Error;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::audit::Change;
use super::{args, like_pattern, now_ms, tx, Arg, Db, Listing, Page, Tx};

/// A glossary term as stored.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Term {
    pub id: i64,
    pub term: String,
    pub aliases: Vec<String>,
    /// The side that uses the term: business or it. Its definition is written for the other side.
    pub side: String,
    pub definition: String,
    pub example: String,
    pub related: Vec<String>,
    pub owner: String,
    /// proposed or approved
    pub status: String,
    /// How often people looked the term up.
    pub lookups: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
}

impl Term {
    pub fn entry(&self) -> GlossaryEntry {
        GlossaryEntry {
            term: self.term.clone(),
            aliases: self.aliases.clone(),
            side: Side::parse(&self.side).unwrap_or(Side::It),
            definition: self.definition.clone(),
            example: self.example.clone(),
            related: self.related.clone(),
            owner: self.owner.clone(),
            status: TermStatus::parse(&self.status).unwrap_or(TermStatus::Proposed),
        }
    }
}

#[derive(Deserialize, sqlx::FromRow)]
struct TermRow {
    id: i64,
    term: String,
    aliases: String,
    side: String,
    definition: String,
    example: String,
    related: String,
    owner: String,
    status: String,
    lookups: i64,
    created_at: i64,
    updated_at: i64,
    version: i64,
}

impl From<TermRow> for Term {
    fn from(r: TermRow) -> Term {
        Term {
            id: r.id,
            term: r.term,
            aliases: serde_json::from_str(&r.aliases).unwrap_or_default(),
            side: r.side,
            definition: r.definition,
            example: r.example,
            related: serde_json::from_str(&r.related).unwrap_or_default(),
            owner: r.owner,
            status: r.status,
            lookups: r.lookups,
            created_at: r.created_at,
            updated_at: r.updated_at,
            version: r.version,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct TermFilter {
    pub q: String,
    pub status: String,
    pub side: String,
    /// One lower-case letter, or empty for all.
    pub letter: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct UnknownWord {
    pub word: String,
    pub flagged: i64,
    pub last_seen: i64,
}

const TERM_SELECT: &str =
    "SELECT t.id, t.term, t.aliases, t.side, t.definition, t.example, t.related, t.owner, t.status,
        t.lookups, t.created_at, t.updated_at, t.version FROM glossary_terms t";

const TERM_WHERE: &str =
    " WHERE ($1 = '' OR lower(t.term) LIKE $2 ESCAPE '\\' OR lower(t.definition) LIKE $2 ESCAPE '\\'
        OR EXISTS (SELECT 1 FROM glossary_names n WHERE n.term_id = t.id AND n.name_key LIKE $2 ESCAPE '\\'))
     AND ($3 = '' OR t.status = $3) AND ($4 = '' OR t.side = $4) AND ($5 = '' OR lower(substr(t.term, 1, 1)) = $5)";

/// The key under which a name must be unique: names differ only if they differ ignoring case.
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

fn entry_json(e: &GlossaryEntry) -> serde_json::Value {
    json!({"term": e.term, "aliases": e.aliases, "side": e.side.as_str(), "definition": e.definition,
           "example": e.example, "related": e.related, "owner": e.owner, "status": e.status.as_str()})
}

/// Checks a term's names against the rest of the glossary, then writes them.
async fn write_names(tx: &mut Tx<'_>, id: i64, entry: &GlossaryEntry) -> Result<(), Error> {
    #[derive(serde::Deserialize, sqlx::FromRow)]
    struct Owner {
        term: String,
    }
    tx.execute("DELETE FROM glossary_names WHERE term_id = $1", &args![id]).await?;
    for name in entry.names() {
        let owner: Option<Owner> = tx
            .first(
                "SELECT t.term FROM glossary_names n JOIN glossary_terms t ON t.id = n.term_id WHERE n.name_key = $1",
                &args![name_key(name)],
            )
            .await?;
        if let Some(owner) = owner {
            return Err(bridge_domain::language::name_taken(name, &owner.term));
        }
        tx.execute("INSERT INTO glossary_names (name_key, term_id) VALUES ($1, $2)", &args![name_key(name), id])
            .await?;
    }
    let names: Vec<&str> = entry.names().collect();
    tx.remember_words(&names).await
}

/// The values of a term's columns, `$1`–`$8`, in the order both writes below name them.
fn term_args(e: &GlossaryEntry) -> Vec<Arg> {
    args![
        &e.term,
        e.side.as_str(),
        &e.definition,
        &e.example,
        json!(e.related).to_string(),
        json!(e.aliases).to_string(),
        &e.owner,
        e.status.as_str()
    ]
    .to_vec()
}

/// Adds a term (not its names); answers its id.
async fn insert_term(tx: &mut Tx<'_>, actor: &Actor, e: &GlossaryEntry, now: i64) -> Result<i64, Error> {
    let mut values = term_args(e);
    values.extend(args![actor.account_id, now]);
    Ok(tx
        .number(
            "INSERT INTO glossary_terms (term, side, definition, example, related, aliases, owner, status, created_by, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
            &values,
        )
        .await?)
}

/// Saves a term's columns (not its names), against `version` when given; answers whether it did
/// (a stale version saves nothing).
async fn save_term(tx: &mut Tx<'_>, id: i64, version: Option<i64>, e: &GlossaryEntry, now: i64) -> Result<bool, Error> {
    let mut values = term_args(e);
    values.extend(args![now, id, version.unwrap_or(0)]);
    let done = tx
        .execute(
            "UPDATE glossary_terms SET term = $1, side = $2, definition = $3, example = $4, related = $5, aliases = $6,
                owner = $7, status = $8, updated_at = $9, version = version + 1 WHERE id = $10 AND ($11 = 0 OR version = $11)",
            &values,
        )
        .await?;
    Ok(done > 0)
}

impl Db {
    pub async fn list_terms(&self, f: &TermFilter, page: Page) -> Result<(Vec<Term>, i64), Error> {
        let sql = format!("{TERM_SELECT}{TERM_WHERE} ORDER BY lower(t.term), t.id LIMIT $6 OFFSET $7");
        let count_sql = format!("SELECT COUNT(*) FROM glossary_terms t{TERM_WHERE}");
        let q = f.q.trim();
        let filter = args![q, like_pattern(q), &f.status, &f.side, f.letter.to_lowercase()].to_vec();
        let mut args = filter.clone();
        args.extend([Arg::I(page.limit), Arg::I(page.offset)]);
        let (rows, total): (Vec<TermRow>, i64) =
            self.page_of(Listing { sql, args, count_sql, count_args: filter }, page).await?;
        Ok((rows.into_iter().map(Term::from).collect(), total))
    }

    /// Every term, by name: for export and for building the checker.
    pub async fn all_terms(&self) -> Result<Vec<Term>, Error> {
        let sql = format!("{TERM_SELECT} ORDER BY lower(t.term), t.id");
        let rows: Vec<TermRow> = self.rows(sql, vec![]).await?;
        Ok(rows.into_iter().map(Term::from).collect())
    }

    pub async fn get_term(&self, id: i64) -> Result<Term, Error> {
        let sql = format!("{TERM_SELECT} WHERE t.id = $1");
        let row: Option<TermRow> = self.first(sql, vec![Arg::I(id)]).await?;
        row.map(Term::from).ok_or_else(|| Error::not_found("The glossary term"))
    }

    /// The term one of whose names is `name` (ignoring case).
    pub async fn find_term(&self, name: &str) -> Result<Option<Term>, Error> {
        let sql = format!("{TERM_SELECT} JOIN glossary_names n ON n.term_id = t.id WHERE n.name_key = $1");
        let row: Option<TermRow> = self.first(sql, vec![Arg::S(name_key(name))]).await?;
        Ok(row.map(Term::from))
    }

    pub async fn create_term(&self, actor: &Actor, e: &GlossaryEntry) -> Result<i64, Error> {
        let now = now_ms();
        tx!(self, tx => {
            let id = insert_term(&mut tx, actor, e, now).await?;
            write_names(&mut tx, id, e).await?;
            let verb = if e.status == TermStatus::Approved { "Added" } else { "Proposed" };
            tx.record(&Change { actor, action: "create", entity: Entity::GlossaryTerm, entity_id: Some(id),
                summary: format!("{verb} the glossary term {}", e.term), before: None, after: Some(entry_json(e)) }).await?;
            Ok(id)
        })
    }

    pub async fn update_term(&self, actor: &Actor, id: i64, version: i64, e: &GlossaryEntry) -> Result<(), Error> {
        let before = self.get_term(id).await?;
        tx!(self, tx => {
            if !save_term(&mut tx, id, Some(version), e, now_ms()).await? {
                return Err(Error::stale("glossary term"));
            }
            write_names(&mut tx, id, e).await?;
            let summary = if before.status != e.status.as_str() && e.status == TermStatus::Approved {
                format!("Approved the glossary term {}", e.term)
            } else {
                format!("Changed the glossary term {}", e.term)
            };
            tx.record(&Change { actor, action: "update", entity: Entity::GlossaryTerm, entity_id: Some(id),
                summary, before: Some(entry_json(&before.entry())), after: Some(entry_json(e)) }).await?;
            Ok(())
        })
    }

    pub async fn delete_term(&self, actor: &Actor, id: i64) -> Result<(), Error> {
        let before = self.get_term(id).await?;
        tx!(self, tx => {
            tx.execute("DELETE FROM glossary_names WHERE term_id = $1", &args![id]).await?;
            tx.execute("DELETE FROM glossary_terms WHERE id = $1", &args![id]).await?;
            tx.record(&Change { actor, action: "delete", entity: Entity::GlossaryTerm, entity_id: Some(id),
                summary: format!("Removed the glossary term {}", before.term), before: Some(entry_json(&before.entry())), after: None }).await?;
            Ok(())
        })
    }

    /// Writes a whole imported glossary in one transaction: an entry whose term exists is updated
    /// when it differs (so importing an export changes nothing), others are added.
    pub async fn import_terms(&self, actor: &Actor, entries: &[GlossaryEntry]) -> Result<(usize, usize), Error> {
        let existing: std::collections::HashMap<String, Term> =
            self.all_terms().await?.into_iter().map(|t| (name_key(&t.term), t)).collect();
        let now = now_ms();
        tx!(self, tx => {
            let (mut added, mut updated) = (0, 0);
            for e in entries {
                let id = match existing.get(&name_key(&e.term)) {
                    Some(t) if t.entry() == *e => continue,
                    Some(t) => {
                        save_term(&mut tx, t.id, None, e, now).await?;
                        updated += 1;
                        t.id
                    }
                    None => {
                        added += 1;
                        insert_term(&mut tx, actor, e, now).await?
                    }
                };
                write_names(&mut tx, id, e).await?;
            }
            if added + updated > 0 {
                    tx.record(&Change { actor, action: "import", entity: Entity::GlossaryTerm, entity_id: None,
                    summary: format!("Imported the glossary: {added} added, {updated} changed"), before: None,
                    after: Some(json!({"terms": entries.iter().map(|e| e.term.as_str()).collect::<Vec<_>>()})) }).await?;
            }
            Ok((added, updated))
        })
    }

    /// Loads the starter glossary the first time Bridge starts on a database; never again, so a
    /// glossary that admins have pruned stays pruned.
    pub async fn seed_glossary(&self, entries: &[GlossaryEntry]) -> Result<bool, Error> {
        if self.get_setting("glossary_seeded").await?.is_some() {
            return Ok(false);
        }
        self.import_terms(&Actor::system("starter glossary"), entries).await?;
        self.set_setting("glossary_seeded", "1").await?;
        Ok(true)
    }

    pub async fn count_lookup(&self, id: i64) -> Result<(), Error> {
        self.execute("UPDATE glossary_terms SET lookups = lookups + 1 WHERE id = $1", &args![id]).await.map(|_| ())
    }

    /// Counts each unknown word the checker flagged, for the glossary's backlog.
    pub async fn flag_unknown(&self, words: &[String]) -> Result<(), Error> {
        if words.is_empty() {
            return Ok(());
        }
        let now = now_ms();
        tx!(self, tx => {
            for w in words {
                tx.execute(
                    "INSERT INTO glossary_unknown (word, flagged, last_seen) VALUES ($1, 1, $2)
                     ON CONFLICT (word) DO UPDATE SET flagged = glossary_unknown.flagged + 1, last_seen = excluded.last_seen",
                    &args![w, now],
                ).await?;
            }
            Ok(())
        })
    }

    /// The most looked-up terms.
    pub async fn top_lookups(&self, limit: i64) -> Result<Vec<Term>, Error> {
        let sql = format!("{TERM_SELECT} WHERE t.lookups > 0 ORDER BY t.lookups DESC, lower(t.term) LIMIT $1");
        let rows: Vec<TermRow> = self.rows(sql, vec![Arg::I(limit)]).await?;
        Ok(rows.into_iter().map(Term::from).collect())
    }

    /// The unknown words flagged most often that the glossary still does not know.
    pub async fn top_unknown(&self, limit: i64) -> Result<Vec<UnknownWord>, Error> {
        self.rows(
            "SELECT u.word, u.flagged, u.last_seen FROM glossary_unknown u
             WHERE NOT EXISTS (SELECT 1 FROM glossary_names n WHERE n.name_key = lower(u.word))
             ORDER BY u.flagged DESC, u.word LIMIT $1"
                .into(),
            vec![Arg::I(limit)],
        )
        .await
    }
}
