//! Loads the demo organisation into an empty database, so every area has people to show.

pub mod engagement;
pub mod intake;
pub mod learning;
pub mod principles;
pub mod radar;
pub mod value;

use std::collections::HashMap;

use bridge_domain::audit::Actor;
use bridge_domain::org::demo::{demo_org, DEMO_PASSWORD};
use bridge_domain::org::ValidPerson;
use bridge_domain::Error;

use crate::store::org::GroupKind;
use crate::store::Db;

/// The sign-ins printed after loading: (email, role label).
pub struct DemoLogin {
    pub email: String,
    pub role: &'static str,
}

/// Loads the demo organisation when the directory is empty; returns its logins, or `None` when
/// the database already holds people (nothing is changed then).
pub async fn load(db: &Db) -> Result<Option<Vec<DemoLogin>>, Error> {
    let people = db.count_people().await?;
    if people > 0 || db.count_accounts().await? > 0 {
        return Ok(None);
    }
    let org = demo_org();
    let actor = Actor::system("demo loader");
    let mut units = HashMap::new();
    for u in &org.units {
        units.insert(u.name, db.create_group(&actor, GroupKind::Unit, u.name, u.description).await?);
    }
    let mut teams = HashMap::new();
    for t in &org.teams {
        teams.insert(t.name, db.create_group(&actor, GroupKind::Team, t.name, t.description).await?);
    }
    let mut ids: HashMap<String, i64> = HashMap::new();
    for p in &org.people {
        let person = ValidPerson {
            name: p.name.to_string(),
            email: p.email.clone(),
            side: p.side,
            title: p.title.to_string(),
            unit_id: p.unit.and_then(|u| units.get(u).copied()),
            team_id: p.team.and_then(|t| teams.get(t).copied()),
            manager_id: p.manager_email.as_ref().and_then(|m| ids.get(m).copied()),
        };
        ids.insert(p.email.clone(), db.create_person(&actor, &person).await?);
    }
    // One hash for every demo account: they share the documented demo password anyway.
    let hash = crate::secrets::hash_password(DEMO_PASSWORD.to_string()).await?;
    let mut logins = Vec::new();
    for a in &org.accounts {
        let person_id = ids
            .get(&a.email)
            .copied()
            .ok_or_else(|| Error::internal(format!("demo account {} has no person", a.email)))?;
        db.create_account(&actor, person_id, a.role, &hash).await?;
        logins.push(DemoLogin { email: a.email.clone(), role: a.role.label() });
    }
    db.set_setting("company_name", org.company).await?;
    intake::load(db).await?;
    let today = bridge_domain::intake::parse::Date::parse(&crate::ops::intake::today())
        .ok_or_else(|| Error::internal("today is not a date"))?;
    value::load(db, today).await?;
    engagement::load(db, today).await?;
    learning::load(db).await?;
    radar::load(db).await?;
    principles::load(db).await?;
    Ok(Some(logins))
}

pub fn password() -> &'static str {
    DEMO_PASSWORD
}
