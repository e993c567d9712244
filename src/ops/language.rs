//! The glossary's checker, built once per glossary version and shared, and the use cases around it.

use std::sync::Arc;

use bridge_domain::audit::Entity;
use bridge_domain::language::{
    annotate_html, check_limited, validate_term, Checker, Finding, FindingKind, GlossaryEntry, TermInput, TermStatus,
};
use bridge_domain::org::Side;
use bridge_domain::Error;

use super::cache::Versioned;
use super::Caller;
use crate::store::Db;

/// The checker for the approved glossary, rebuilt only when the glossary changes, never per request.
pub struct Glossary(Versioned<Checker>);

impl Default for Glossary {
    fn default() -> Self {
        Glossary(Versioned::new(&[Entity::GlossaryTerm]))
    }
}

impl Glossary {
    pub async fn checker(&self, db: &Db) -> Result<Arc<Checker>, Error> {
        self.0
            .get(db, || async {
                let approved: Vec<_> = db
                    .all_terms()
                    .await?
                    .iter()
                    .filter(|t| t.status == TermStatus::Approved.as_str())
                    .map(|t| t.entry().to_checker_term(t.id))
                    .collect();
                tokio::task::spawn_blocking(move || Checker::new(&approved)).await.map_err(Error::internal)
            })
            .await
    }

    pub fn invalidate(&self) {
        self.0.invalidate();
    }

    /// Checks text written for `reader`, and counts the unknown jargon found for the glossary's backlog.
    pub async fn check(&self, db: &Db, text: &str, reader: Side) -> Result<Vec<Finding>, Error> {
        let checker = self.checker(db).await?;
        let findings = check_limited(&checker, text, reader)?;
        let mut unknown: Vec<String> =
            findings.iter().filter(|f| f.kind == FindingKind::Unknown).map(|f| f.term().to_string()).collect();
        unknown.sort();
        unknown.dedup();
        db.flag_unknown(&unknown).await?;
        Ok(findings)
    }

    /// Text as HTML for a reader, with known terms marked and explained. Never fails: when the
    /// glossary cannot be read, the text is shown plain.
    pub async fn annotate(&self, db: &Db, text: &str, reader: Side) -> String {
        match self.checker(db).await {
            Ok(checker) => annotate_html(text, &checker.check(text, reader)),
            Err(e) => {
                tracing::warn!(error = %e, "glossary unavailable; showing text without annotations");
                annotate_html(text, &[])
            }
        }
    }
}

/// Loads the starter glossary into a new database.
pub async fn seed(db: &Db) -> Result<bool, Error> {
    db.seed_glossary(&bridge_domain::language::starter_glossary()).await
}

/// Proposes a term (or, with status approved, adds it); anyone who may write. A name another
/// term uses is a conflict naming the clash.
pub async fn propose_term(db: &Db, caller: &Caller, input: &TermInput) -> Result<i64, Error> {
    caller.require_write()?;
    db.create_term(&caller.actor, &validate_term(input)?).await
}

/// Changes a term against the version read (stale otherwise).
pub async fn edit_term(
    db: &Db,
    caller: &Caller,
    id: i64,
    version: Option<i64>,
    input: &TermInput,
) -> Result<(), Error> {
    caller.require_write()?;
    let entry = validate_term(input)?;
    let version = version.ok_or_else(|| Error::field("version", "Send the version you read."))?;
    db.update_term(&caller.actor, id, version, &entry).await
}

/// Approves a proposed term as it stands, against the version read (the current one if none).
pub async fn approve_term(db: &Db, caller: &Caller, id: i64, version: Option<i64>) -> Result<(), Error> {
    caller.require_write()?;
    let term = db.get_term(id).await?;
    let mut entry = term.entry();
    entry.status = TermStatus::Approved;
    db.update_term(&caller.actor, id, version.unwrap_or(term.version), &entry).await
}

/// Removes a term from the glossary (admins).
pub async fn remove_term(db: &Db, caller: &Caller, id: i64) -> Result<(), Error> {
    caller.require_admin()?;
    db.delete_term(&caller.actor, id).await
}

/// Imports glossary entries after checking they do not clash among themselves; anyone who may
/// write. Returns how many were added and updated.
pub async fn import(db: &Db, caller: &Caller, entries: &[GlossaryEntry]) -> Result<(usize, usize), Error> {
    caller.require_write()?;
    let actor = &caller.actor;
    let clashes = bridge_domain::language::find_clashes(entries);
    if let Some(c) = clashes.first() {
        return Err(Error::conflict_on("term", c.message()));
    }
    db.import_terms(actor, entries).await
}

/// Where a term appears in Bridge: (link, title) of up to ten requests whose title or problem
/// uses one of its names, found with the requests' full-text search, then up to ten comments that
/// use it (found by their text, confirmed by the jargon checker, so "rapid" is no use of "API").
pub async fn uses(
    db: &Db,
    glossary: &Glossary,
    term: &crate::store::language::Term,
) -> Result<Vec<(String, String)>, Error> {
    let names: Vec<&String> = std::iter::once(&term.term).chain(term.aliases.iter()).take(5).collect();
    let mut found: Vec<(String, String)> = Vec::new();
    for name in &names {
        let filter = crate::store::intake::RequestFilter { q: name.to_string(), ..Default::default() };
        let (rows, _) = db.list_requests(&filter, crate::store::Page::new(Some(1), Some(10))).await?;
        for r in rows {
            let href = format!("/requests/{}", r.id);
            if found.len() < 10 && !found.iter().any(|(h, _)| *h == href) {
                found.push((href, r.title));
            }
        }
    }
    // A term is reported to readers of the other side, so check as one of them.
    let reader = Side::parse(&term.side).unwrap_or(Side::It).other();
    let checker = glossary.checker(db).await?;
    let mut comments = 0;
    for name in &names {
        for c in db.comments_containing(name, 20).await? {
            let href = format!("{}#comment-{}", super::notify::request_link(c.subject_id), c.id);
            let uses_term = checker.check(&c.body, reader).iter().any(|f| f.term_id() == Some(term.id));
            if comments < 10 && uses_term && !found.iter().any(|(h, _)| *h == href) {
                let title = db.get_request(c.subject_id).await?.summary.title;
                found.push((href, format!("A comment on \u{201c}{title}\u{201d}")));
                comments += 1;
            }
        }
    }
    Ok(found)
}
