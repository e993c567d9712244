//! Business units, IT teams and people.

use bridge_domain::audit::{Actor, Entity};
use bridge_domain::org::import::ResolvedPerson;
use bridge_domain::org::{clashes, keep_an_admin, Side, ValidPerson};
use bridge_domain::Error;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::audit::Change;
use super::{args, now_ms, tx, unique_as, Arg, Db};

/// A business unit or an IT team: the two kinds of group share one shape.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Group {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub version: i64,
    pub people: i64,
}

/// Which table a [`Group`] lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupKind {
    Unit,
    Team,
}

impl GroupKind {
    fn table(self) -> &'static str {
        match self {
            GroupKind::Unit => "units",
            GroupKind::Team => "teams",
        }
    }
    fn person_column(self) -> &'static str {
        match self {
            GroupKind::Unit => "unit_id",
            GroupKind::Team => "team_id",
        }
    }
    pub fn entity(self) -> Entity {
        match self {
            GroupKind::Unit => Entity::Unit,
            GroupKind::Team => Entity::Team,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            GroupKind::Unit => "business unit",
            GroupKind::Team => "IT team",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub email: String,
    /// business or it
    #[sqlx(try_from = "String")]
    #[schema(value_type = String)]
    pub side: Side,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
    pub title: String,
    pub manager_id: Option<i64>,
    pub manager_name: Option<String>,
    /// The account's role, when the person can sign in.
    pub role: Option<String>,
    /// When an administrator archived the person (removed them from the directory), if they did.
    pub archived_at: Option<i64>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Person {
    /// The unit or team the person belongs to, whichever applies.
    pub fn group_name(&self) -> &str {
        self.unit_name.as_deref().or(self.team_name.as_deref()).unwrap_or("")
    }
}

#[derive(Debug, Clone, Default)]
pub struct PeopleFilter {
    pub q: String,
    pub side: String,
    /// An account role (admin, it, business, viewer), `none` for people who cannot sign in, or empty.
    pub role: String,
    pub unit_id: Option<i64>,
    pub team_id: Option<i64>,
}

/// A business unit or IT team by name, as [`Db::group_names`] reads them.
#[derive(Deserialize, sqlx::FromRow)]
struct GroupName {
    kind: String,
    id: i64,
    name: String,
}

#[derive(Deserialize, sqlx::FromRow)]
struct EmailId {
    email: String,
    id: i64,
}

const PERSON_SELECT: &str = "SELECT p.id, p.name, p.email, p.side, p.unit_id, u.name AS unit_name,
        p.team_id, t.name AS team_name, p.title, p.manager_id, m.name AS manager_name, a.role,
        p.archived_at, p.version, p.created_at, p.updated_at
     FROM people p
     LEFT JOIN units u ON u.id = p.unit_id
     LEFT JOIN teams t ON t.id = p.team_id
     LEFT JOIN people m ON m.id = p.manager_id
     LEFT JOIN accounts a ON a.person_id = p.id";

fn person_json(p: &ValidPerson) -> serde_json::Value {
    json!({"name": p.name, "email": p.email, "side": p.side.as_str(), "title": p.title,
           "unit_id": p.unit_id, "team_id": p.team_id, "manager_id": p.manager_id})
}

fn person_row_json(p: &Person) -> serde_json::Value {
    json!({"name": p.name, "email": p.email, "side": p.side, "title": p.title,
           "unit_id": p.unit_id, "team_id": p.team_id, "manager_id": p.manager_id})
}

impl Db {
    pub async fn list_groups(&self, kind: GroupKind) -> Result<Vec<Group>, Error> {
        let sql = format!(
            "SELECT g.id, g.name, g.description, g.version,
                (SELECT COUNT(*) FROM people p WHERE p.{col} = g.id) AS people
             FROM {table} g ORDER BY g.name",
            col = kind.person_column(),
            table = kind.table()
        );
        self.rows(sql, vec![]).await
    }

    pub async fn get_group(&self, kind: GroupKind, id: i64) -> Result<Group, Error> {
        let sql = format!(
            "SELECT g.id, g.name, g.description, g.version,
                (SELECT COUNT(*) FROM people p WHERE p.{col} = g.id) AS people
             FROM {table} g WHERE g.id = $1",
            col = kind.person_column(),
            table = kind.table()
        );
        self.first(sql, vec![Arg::I(id)]).await?.ok_or_else(|| Error::not_found(format!("The {}", kind.label())))
    }

    pub async fn create_group(
        &self,
        actor: &Actor,
        kind: GroupKind,
        name: &str,
        description: &str,
    ) -> Result<i64, Error> {
        let sql =
            format!("INSERT INTO {} (name, description, created_at) VALUES ($1, $2, $3) RETURNING id", kind.table());
        let clash = clashes::group_name_taken(kind.label(), name);
        tx!(self, tx => {
            let id = tx.number(&sql, &args![name, description, now_ms()]).await.map_err(unique_as("name", clash))?;
            tx.record(&Change { actor, action: "create", entity: kind.entity(), entity_id: Some(id),
                summary: format!("Created {} {name}", kind.label()), before: None,
                after: Some(json!({"name": name, "description": description})) }).await?;
            Ok(id)
        })
    }

    pub async fn update_group(
        &self,
        actor: &Actor,
        kind: GroupKind,
        id: i64,
        version: i64,
        name: &str,
        description: &str,
    ) -> Result<(), Error> {
        let before = self.get_group(kind, id).await?;
        let sql = format!(
            "UPDATE {} SET name = $1, description = $2, version = version + 1 WHERE id = $3 AND version = $4",
            kind.table()
        );
        let clash = clashes::group_name_taken(kind.label(), name);
        tx!(self, tx => {
            let done = tx.execute(&sql, &args![name, description, id, version]).await.map_err(unique_as("name", clash))?;
            if done == 0 {
                return Err(Error::stale(kind.label()));
            }
            tx.record(&Change { actor, action: "update", entity: kind.entity(), entity_id: Some(id),
                summary: format!("Changed {} {name}", kind.label()),
                before: Some(json!({"name": before.name, "description": before.description})),
                after: Some(json!({"name": name, "description": description})) }).await?;
            Ok(())
        })
    }

    pub async fn delete_group(&self, actor: &Actor, kind: GroupKind, id: i64) -> Result<(), Error> {
        let before = self.get_group(kind, id).await?;
        let sql = format!("DELETE FROM {} WHERE id = $1", kind.table());
        tx!(self, tx => {
            tx.execute(&sql, &args![id]).await?;
            tx.record(&Change { actor, action: "delete", entity: kind.entity(), entity_id: Some(id),
                summary: format!("Removed {} {}", kind.label(), before.name),
                before: Some(json!({"name": before.name, "description": before.description})), after: None }).await?;
            Ok(())
        })
    }

    /// Everyone in the directory (not archived), by name: what the in-memory directory is built from.
    pub async fn all_people(&self) -> Result<Vec<Person>, Error> {
        let sql = format!("{PERSON_SELECT} WHERE p.archived_at IS NULL ORDER BY p.name, p.id");
        self.rows(sql, vec![]).await
    }

    /// The people an administrator archived, most recent first.
    pub async fn archived_people(&self) -> Result<Vec<Person>, Error> {
        let sql = format!("{PERSON_SELECT} WHERE p.archived_at IS NOT NULL ORDER BY p.archived_at DESC, p.id");
        self.rows(sql, vec![]).await
    }

    pub async fn count_people(&self) -> Result<i64, Error> {
        self.count("SELECT COUNT(*) FROM people".into(), vec![]).await
    }

    /// Ids and names of every business unit and IT team, for filters and forms: one cheap query.
    pub async fn group_names(&self) -> Result<(Vec<(i64, String)>, Vec<(i64, String)>), Error> {
        let rows: Vec<GroupName> = self
            .rows(
                "SELECT 'unit' AS kind, id, name FROM units UNION ALL SELECT 'team' AS kind, id, name FROM teams ORDER BY 3"
                    .into(),
                vec![],
            )
            .await?;
        let (units, teams): (Vec<_>, Vec<_>) = rows.into_iter().partition(|g| g.kind == "unit");
        let strip = |v: Vec<GroupName>| v.into_iter().map(|g| (g.id, g.name)).collect();
        Ok((strip(units), strip(teams)))
    }

    pub async fn get_person(&self, id: i64) -> Result<Person, Error> {
        let sql = format!("{PERSON_SELECT} WHERE p.id = $1");
        self.first(sql, vec![Arg::I(id)]).await?.ok_or_else(|| Error::not_found("The person"))
    }

    pub async fn find_person_by_email(&self, email: &str) -> Result<Option<Person>, Error> {
        let sql = format!("{PERSON_SELECT} WHERE p.email = $1");
        self.first(sql, vec![Arg::S(email.into())]).await
    }

    /// People who report to `manager_id`.
    pub async fn reports_of(&self, manager_id: i64) -> Result<Vec<Person>, Error> {
        let sql = format!("{PERSON_SELECT} WHERE p.manager_id = $1 ORDER BY p.name");
        self.rows(sql, vec![Arg::I(manager_id)]).await
    }

    /// Checks that the unit, team and manager a person points at exist, with an error per field.
    async fn check_person_refs(&self, p: &ValidPerson, id: Option<i64>) -> Result<(), Error> {
        let mut fields = bridge_domain::FieldErrors::new();
        if let Some(unit) = p.unit_id {
            if self.get_group(GroupKind::Unit, unit).await.is_err() {
                fields.insert("unit_id".into(), "Choose a business unit from the list.".into());
            }
        }
        if let Some(team) = p.team_id {
            if self.get_group(GroupKind::Team, team).await.is_err() {
                fields.insert("team_id".into(), "Choose an IT team from the list.".into());
            }
        }
        if let Some(manager) = p.manager_id {
            if Some(manager) == id {
                fields.insert("manager_id".into(), "A person cannot be their own manager.".into());
            } else if self.get_person(manager).await.is_err() {
                fields.insert("manager_id".into(), "Choose a manager from the directory.".into());
            }
        }
        Error::check(fields)
    }

    pub async fn create_person(&self, actor: &Actor, p: &ValidPerson) -> Result<i64, Error> {
        self.check_person_refs(p, None).await?;
        let now = now_ms();
        tx!(self, tx => {
            let id = tx.number(
                "INSERT INTO people (name, email, side, unit_id, team_id, title, manager_id, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
                &args![&p.name, &p.email, p.side.as_str(), p.unit_id, p.team_id, &p.title, p.manager_id, now],
            ).await.map_err(unique_as("email", clashes::email_taken(&p.email)))?;
            tx.record(&Change { actor, action: "create", entity: Entity::Person, entity_id: Some(id),
                summary: format!("Added {} to the directory", p.name), before: None, after: Some(person_json(p)) }).await?;
            Ok(id)
        })
    }

    pub async fn update_person(&self, actor: &Actor, id: i64, version: i64, p: &ValidPerson) -> Result<(), Error> {
        let before = self.get_person(id).await?;
        self.check_person_refs(p, Some(id)).await?;
        tx!(self, tx => {
            let done = tx.execute(
                "UPDATE people SET name = $1, email = $2, side = $3, unit_id = $4, team_id = $5, title = $6,
                    manager_id = $7, updated_at = $8, version = version + 1
                 WHERE id = $9 AND version = $10",
                &args![&p.name, &p.email, p.side.as_str(), p.unit_id, p.team_id, &p.title, p.manager_id, now_ms(), id,
                    version],
            ).await.map_err(unique_as("email", clashes::email_taken(&p.email)))?;
            if done == 0 {
                return Err(Error::stale("person"));
            }
            tx.record(&Change { actor, action: "update", entity: Entity::Person, entity_id: Some(id),
                summary: format!("Changed {}", p.name), before: Some(person_row_json(&before)), after: Some(person_json(p)) }).await?;
            Ok(())
        })
    }

    /// Archives a person: hidden from the directory, their account (if any) disabled and signed
    /// out, and everything they wrote or did kept. Refused for the last administrator.
    pub async fn archive_person(&self, actor: &Actor, id: i64) -> Result<(), Error> {
        let before = self.get_person(id).await?;
        let now = now_ms();
        tx!(self, tx => {
            let done = tx.execute(
                "UPDATE people SET archived_at = $1, updated_at = $1, version = version + 1 WHERE id = $2 AND archived_at IS NULL",
                &args![now, id],
            ).await?;
            if done == 0 {
                return Ok(());
            }
            // Disabled at the same instant as the archive, so a restore re-enables only what the archive disabled.
            tx.execute(
                "UPDATE accounts SET disabled_at = $1, version = version + 1 WHERE person_id = $2 AND disabled_at IS NULL",
                &args![now, id],
            ).await?;
            tx.execute("DELETE FROM sessions WHERE account_id IN (SELECT id FROM accounts WHERE person_id = $1)", &args![id])
                .await?;
            let admins = tx.number(super::accounts::ACTIVE_ADMINS, &[]).await?;
            keep_an_admin(admins)?;
            tx.record(&Change { actor, action: "archive", entity: Entity::Person, entity_id: Some(id),
                summary: format!("Archived {} (removed from the directory)", before.name),
                before: Some(person_row_json(&before)), after: None }).await?;
            Ok(())
        })
    }

    /// Brings an archived person back, with the account the archive disabled.
    pub async fn restore_person(&self, actor: &Actor, id: i64) -> Result<(), Error> {
        let before = self.get_person(id).await?;
        let Some(archived_at) = before.archived_at else { return Ok(()) };
        tx!(self, tx => {
            tx.execute("UPDATE people SET archived_at = NULL, updated_at = $1, version = version + 1 WHERE id = $2",
                &args![now_ms(), id]).await?;
            tx.execute(
                "UPDATE accounts SET disabled_at = NULL, version = version + 1 WHERE person_id = $1 AND disabled_at = $2",
                &args![id, archived_at],
            ).await?;
            tx.record(&Change { actor, action: "restore", entity: Entity::Person, entity_id: Some(id),
                summary: format!("Restored {} to the directory", before.name), before: None,
                after: Some(person_row_json(&before)) }).await?;
            Ok(())
        })
    }

    /// Lower-cased name → id, for resolving names in an import.
    pub async fn group_ids(&self, kind: GroupKind) -> Result<std::collections::HashMap<String, i64>, Error> {
        Ok(self.list_groups(kind).await?.into_iter().map(|g| (g.name.to_lowercase(), g.id)).collect())
    }

    /// Email → id of everyone in the directory.
    pub async fn email_ids(&self) -> Result<std::collections::HashMap<String, i64>, Error> {
        let rows: Vec<EmailId> = self.rows("SELECT email, id FROM people".into(), vec![]).await?;
        Ok(rows.into_iter().map(|r| (r.email, r.id)).collect())
    }

    /// Writes resolved import rows in one transaction: all of them or none. Existing emails are
    /// updated, new ones added; managers are linked once everyone exists.
    pub async fn import_people(&self, actor: &Actor, rows: &[ResolvedPerson]) -> Result<ImportOutcome, Error> {
        let now = now_ms();
        tx!(self, tx => {
            let mut ids = std::collections::HashMap::new();
            let (mut added, mut updated) = (0, 0);
            for r in rows {
                let id: i64 = match r.existing_id {
                    Some(id) => {
                        tx.execute(
                            "UPDATE people SET name = $1, side = $2, unit_id = $3, team_id = $4, title = $5,
                                updated_at = $6, version = version + 1 WHERE id = $7",
                            &args![&r.name, r.side.as_str(), r.unit_id, r.team_id, &r.title, now, id],
                        ).await?;
                        updated += 1;
                        id
                    }
                    None => {
                        added += 1;
                        tx.number(
                            "INSERT INTO people (name, email, side, unit_id, team_id, title, created_at, updated_at)
                                VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
                            &args![&r.name, &r.email, r.side.as_str(), r.unit_id, r.team_id, &r.title, now],
                        ).await.map_err(unique_as("email", clashes::email_taken(&r.email)))?
                    }
                };
                ids.insert(r.email.clone(), id);
            }
            for r in rows {
                let manager = match (&r.manager_email, r.manager_id) {
                    (_, Some(m)) => Some(m),
                    (Some(email), None) => ids.get(email).copied(),
                    (None, None) => None,
                };
                if let Some(m) = manager {
                    tx.execute("UPDATE people SET manager_id = $1 WHERE id = $2", &args![m, ids[&r.email]]).await?;
                }
            }
            let emails: Vec<&str> = rows.iter().map(|r| r.email.as_str()).collect();
            tx.record(&Change { actor, action: "import", entity: Entity::Person, entity_id: None,
                summary: format!("Imported people: {added} added, {updated} updated"), before: None,
                after: Some(json!({"emails": emails})) }).await?;
            Ok(ImportOutcome { added, updated })
        })
    }
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct ImportOutcome {
    pub added: usize,
    pub updated: usize,
}
