//! Read models kept in a server's memory, each tied to the entities it is built from. Every audited
//! change bumps a per-entity counter in the `settings` table inside its own transaction (see
//! `store::audit::record!`), so a server knows its copy is stale by comparing one number, which it
//! reads at most once a second. Changes through this server are seen at once (`invalidate`);
//! changes through another server within a second.

use std::future::Future;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use bridge_domain::audit::Entity;
use bridge_domain::Error;

use crate::store::Db;

const CHECK_EVERY: Duration = Duration::from_secs(1);

pub struct Versioned<T> {
    entities: &'static [Entity],
    built: RwLock<Option<(i64, Arc<T>)>>,
    checked_at: Mutex<Option<Instant>>,
}

impl<T> Versioned<T> {
    pub fn new(entities: &'static [Entity]) -> Self {
        Versioned { entities, built: RwLock::new(None), checked_at: Mutex::new(None) }
    }

    /// The current copy, rebuilt with `build` when the entities have changed since it was made.
    pub async fn get<F, Fut>(&self, db: &Db, build: F) -> Result<Arc<T>, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        self.get_valid(db, |_| true, build).await
    }

    /// Like `get`, and also rebuilt when the copy is no longer `valid` (made on another day).
    pub async fn get_valid<F, Fut>(&self, db: &Db, valid: impl Fn(&T) -> bool, build: F) -> Result<Arc<T>, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        let recently =
            self.checked_at.lock().unwrap_or_else(|e| e.into_inner()).is_some_and(|t| t.elapsed() < CHECK_EVERY);
        if recently {
            if let Some((_, value)) = self.built.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
                if valid(value) {
                    return Ok(value.clone());
                }
            }
        }
        // Read the stamp before the data: a change landing in between makes the next check reload.
        let stamp = db.change_stamp(self.entities).await?;
        *self.checked_at.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
        if let Some((built_at, value)) = self.built.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
            if *built_at == stamp && valid(value) {
                return Ok(value.clone());
            }
        }
        let value = Arc::new(build().await?);
        *self.built.write().unwrap_or_else(|e| e.into_inner()) = Some((stamp, value.clone()));
        Ok(value)
    }

    /// Makes the next `get` compare stamps: called after this server changed something.
    pub fn invalidate(&self) {
        *self.checked_at.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}
