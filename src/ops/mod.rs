//! Use cases shared by the web layer and the command line: each validates with the domain, then
//! writes through the store, so a page, the API and the CLI behave the same.

pub mod accounts;
pub mod cache;
pub mod comments;
pub mod contact;
pub mod directory;
pub mod engagement;
pub mod intake;
pub mod jobs;
pub mod language;
pub mod learning;
pub mod mail;
pub mod notify;
pub mod sso;
pub mod value;
pub mod webhooks;

use bridge_domain::audit::Actor;
use bridge_domain::org::Role;
use bridge_domain::Error;

use crate::store::Db;

/// Who is asking, as the use cases need it: the role and person the rules look at, and how the
/// change appears in the audit log. Pages, the API and the command line each build one.
#[derive(Debug, Clone)]
pub struct Caller {
    pub role: Role,
    /// The caller's own entry in the directory; `None` for the command line.
    pub person_id: Option<i64>,
    pub actor: Actor,
}

impl Caller {
    /// The command line: whoever runs it on the server administers Bridge.
    pub fn cli() -> Caller {
        Caller { role: Role::Admin, person_id: None, actor: Actor::cli() }
    }

    /// Viewers read; everyone else may change things.
    pub fn require_write(&self) -> Result<(), Error> {
        if self.role.can_write() {
            Ok(())
        } else {
            Err(Error::forbidden(
                "Your account can view Bridge but not change it. Ask an administrator if you need more.",
            ))
        }
    }

    pub fn require_admin(&self) -> Result<(), Error> {
        if self.role.is_admin() {
            Ok(())
        } else {
            Err(Error::forbidden("Only administrators can do this."))
        }
    }

    /// IT people and administrators only; `why` says to others what is IT's.
    pub fn require_it_or_admin(&self, why: &str) -> Result<(), Error> {
        match self.role.is_it_or_admin() {
            true => Ok(()),
            false => Err(Error::forbidden(why)),
        }
    }

    /// Whether `person_id` is the caller's own entry.
    pub fn is(&self, person_id: i64) -> bool {
        self.person_id == Some(person_id)
    }
}

/// A key that signs links (`key` names it in the settings): made once per database, so every
/// server agrees.
pub async fn server_secret(db: &Db, key: &str) -> Result<Vec<u8>, Error> {
    if let Some(s) = db.get_setting(key).await? {
        return Ok(s.into_bytes());
    }
    Ok(db.setting_or_insert(key, &crate::secrets::new_secret("")).await?.into_bytes())
}

/// Brings a database up to date: migrations, then the starter glossary on first start.
pub async fn prepare(db: &Db) -> anyhow::Result<()> {
    db.migrate().await.map_err(|e| anyhow::anyhow!("cannot migrate the database: {e}"))?;
    language::seed(db).await.map_err(|e| anyhow::anyhow!("cannot load the starter glossary: {e}"))?;
    Ok(())
}
