//! The glossary's checker, built once per glossary version and shared, and the use cases around it.

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use bridge_domain::audit::Actor;
use bridge_domain::language::{annotate_html, check_limited, Checker, Finding, FindingKind, GlossaryEntry, TermStatus};
use bridge_domain::org::Side;
use bridge_domain::Error;

use crate::store::Db;

/// How long a server trusts its checker before asking the database whether the glossary changed.
/// Changes made through this server are seen at once; those made through another within this time.
const VERSION_CHECK_EVERY: Duration = Duration::from_secs(1);

struct Built {
    version: i64,
    checker: Arc<Checker>,
}

/// The current checker. The automaton is rebuilt only when the glossary's version (kept in the
/// database, so all servers share it) has moved, never per request.
pub struct Glossary {
    built: RwLock<Option<Built>>,
    last_version_check: Mutex<Option<Instant>>,
}

impl Default for Glossary {
    fn default() -> Self {
        Glossary { built: RwLock::new(None), last_version_check: Mutex::new(None) }
    }
}

impl Glossary {
    /// The checker for the current glossary.
    pub async fn checker(&self, db: &Db) -> Result<Arc<Checker>, Error> {
        let fresh = self
            .last_version_check
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some_and(|t| t.elapsed() < VERSION_CHECK_EVERY);
        if fresh {
            if let Some(b) = self.built.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
                return Ok(b.checker.clone());
            }
        }
        let version = db.glossary_version().await?;
        *self.last_version_check.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
        if let Some(b) = self.built.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
            if b.version == version {
                return Ok(b.checker.clone());
            }
        }
        let terms = db.all_terms().await?;
        let approved: Vec<_> = terms
            .iter()
            .filter(|t| t.status == TermStatus::Approved.as_str())
            .map(|t| t.entry().to_checker_term(t.id))
            .collect();
        let checker =
            Arc::new(tokio::task::spawn_blocking(move || Checker::new(&approved)).await.map_err(Error::internal)?);
        *self.built.write().unwrap_or_else(|e| e.into_inner()) = Some(Built { version, checker: checker.clone() });
        Ok(checker)
    }

    /// Forgets the checker, so the next use rebuilds it: called after this server changes the glossary.
    pub fn invalidate(&self) {
        *self.last_version_check.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// Checks text written for `reader`, and counts the unknown jargon found for the glossary's backlog.
    pub async fn check(&self, db: &Db, text: &str, reader: Side) -> Result<Vec<Finding>, Error> {
        let checker = self.checker(db).await?;
        let findings = check_limited(&checker, text, reader)?;
        let mut unknown: Vec<String> =
            findings.iter().filter(|f| f.kind == FindingKind::Unknown).map(|f| f.term.clone()).collect();
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

/// Imports glossary entries after checking they do not clash among themselves.
pub async fn import(db: &Db, actor: &Actor, entries: &[GlossaryEntry]) -> Result<(usize, usize), Error> {
    let clashes = bridge_domain::language::find_clashes(entries);
    if let Some(c) = clashes.first() {
        return Err(Error::conflict_on("term", c.message()));
    }
    db.import_terms(actor, entries).await
}

/// Where a term appears in Bridge: (link, title) of each text that uses one of its names.
pub async fn uses(_db: &Db, _term: &crate::store::language::Term) -> Result<Vec<(String, String)>, Error> {
    // Requests are the first texts that cross sides; they join here when the intake area lands.
    Ok(Vec::new())
}
