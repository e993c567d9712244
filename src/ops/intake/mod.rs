//! Intake's use cases, shared by pages, the API and the command line: who may do what to a
//! request, then the domain's rules, then the store, then who is told; and the views both the
//! pages and the API show.
//!
//! * [`requests`]: writing and saving requests, the clarity and the whole request's view;
//! * [`lifecycle`]: moving a request through its states, with the wait clocks;
//! * [`priority`]: the ratings each side sets, and the score's place in the queue;
//! * [`assessment`]: IT's assessment;
//! * [`conversation`]: comments on a request;
//! * [`stats`]: response times;
//! * [`jira`]: importing a Jira export.

pub mod assessment;
pub mod conversation;
pub mod jira;
pub mod lifecycle;
pub mod priority;
pub mod requests;
pub mod stats;

use std::sync::Arc;

use bridge_domain::audit::Entity;
use bridge_domain::intake::lifecycle::allowed_actions;
use bridge_domain::intake::parse::validate_default_currency;
use bridge_domain::intake::{validate_submit_threshold, validate_weights, ActionKind, PriorityWeights};
use bridge_domain::org::Role;
use bridge_domain::Error;

use super::cache::Versioned;
use super::Caller;
use crate::store::intake::Request;
use crate::store::Db;

/// The intake settings an admin sets.
pub type Settings = bridge_domain::intake::IntakeSettings;

/// The intake settings in memory: every queue page and request page needs them, and they change
/// rarely (re-read when an admin changes them on any server, see `ops::cache`).
pub struct SettingsCache(Versioned<Settings>);

impl Default for SettingsCache {
    fn default() -> Self {
        SettingsCache(Versioned::new(&[Entity::IntakeSettings]))
    }
}

impl SettingsCache {
    pub async fn get(&self, db: &Db) -> Result<Arc<Settings>, Error> {
        self.0.get(db, || async { db.intake_settings().await }).await
    }

    pub fn invalidate(&self) {
        self.0.invalidate();
    }
}

/// Changes the clarity needed to submit, the priority weights and the default currency (admins);
/// every request is re-scored with the new weights in the same transaction, so the queue re-ranks
/// at once.
pub async fn save_settings(
    db: &Db,
    caller: &Caller,
    threshold: i64,
    weights: &PriorityWeights,
    default_currency: &str,
) -> Result<(), Error> {
    caller.require_admin()?;
    let submit_threshold = validate_submit_threshold(threshold)?;
    validate_weights(weights)?;
    let default_currency = validate_default_currency(default_currency)?;
    db.set_intake_settings(&caller.actor, &Settings { submit_threshold, weights: *weights, default_currency }).await
}

/// Whether the person wrote or sponsors the request: its owners, whose steps are the business's.
pub fn is_owner(person_id: Option<i64>, r: &Request) -> bool {
    person_id.is_some_and(|p| r.author_id == Some(p) || r.summary.sponsor_id == Some(p))
}

/// Whether the caller may change a request's content: its author, its sponsor, or an admin.
pub fn can_edit(caller: &Caller, r: &Request) -> bool {
    match caller.role {
        Role::Admin => true,
        Role::Viewer => false,
        Role::Business | Role::It => is_owner(caller.person_id, r),
    }
}

pub fn require_edit(caller: &Caller, r: &Request) -> Result<(), Error> {
    if caller.role == Role::Viewer {
        return Err(Error::forbidden("Viewers can read requests but not change them."));
    }
    if !can_edit(caller, r) {
        return Err(Error::forbidden(
            "Only the person who wrote this request, its sponsor or an administrator can change it. Comment instead.",
        ));
    }
    Ok(())
}

/// Assessing is IT's (and admins').
pub fn require_it(caller: &Caller) -> Result<(), Error> {
    match caller.role {
        Role::It | Role::Admin => Ok(()),
        Role::Viewer => Err(Error::forbidden("Viewers can read assessments but not write them.")),
        Role::Business => Err(Error::forbidden("Only IT can assess a request.")),
    }
}

/// The lifecycle steps the caller may take on the request now: what buttons show.
pub fn actions_for(caller: &Caller, r: &Request) -> Vec<ActionKind> {
    allowed_actions(r.status(), caller.role, is_owner(caller.person_id, r))
}

/// Today's date, `YYYY-MM-DD`, UTC: the day validation compares dates with.
pub fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}
