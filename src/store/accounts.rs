//! Accounts, sessions, personal API tokens and the failed-sign-in counter.
//! Secrets (session and API tokens) are stored only as SHA-256 hashes.

use bridge_domain::audit::{Actor, Entity};
use bridge_domain::org::clashes::has_an_account;
use bridge_domain::org::{keep_an_admin, Role, Side};
use bridge_domain::Error;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::audit::Change;
use super::{args, now_ms, tx, Arg, Db};

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Account {
    pub id: i64,
    pub person_id: i64,
    pub name: String,
    pub email: String,
    #[sqlx(try_from = "String")]
    #[schema(value_type = String)]
    pub role: Role,
    pub disabled_at: Option<i64>,
    pub created_at: i64,
    pub version: i64,
}

/// Who is signed in, as loaded for every request.
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct SignedIn {
    pub account_id: i64,
    pub person_id: i64,
    pub name: String,
    pub email: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    #[sqlx(try_from = "String")]
    pub side: Side,
    /// The session's CSRF token; empty for API tokens, which need none.
    pub csrf: String,
    /// Unread notifications, for the page header (0 for API tokens).
    pub unread: i64,
    /// The zone they read times in (IANA name), when they chose one.
    pub time_zone: Option<String>,
}

/// A token look-up: the signed-in person plus what is needed to note the token's use.
#[derive(sqlx::FromRow, serde::Deserialize)]
struct TokenHit {
    #[sqlx(flatten)]
    #[serde(flatten)]
    user: SignedIn,
    token_id: i64,
    last_used_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ApiToken {
    pub id: i64,
    pub account_id: i64,
    pub owner_name: String,
    pub label: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, sqlx::FromRow)]
pub struct LoginRecord {
    pub account_id: i64,
    pub password_hash: String,
    pub disabled_at: Option<i64>,
}

/// The columns of an [`ApiToken`], for its two reads.
const TOKEN_SELECT: &str =
    "SELECT t.id, t.account_id, p.name AS owner_name, t.label, t.created_at, t.expires_at, t.last_used_at, t.revoked_at
     FROM api_tokens t JOIN accounts a ON a.id = t.account_id JOIN people p ON p.id = a.person_id";

const ACCOUNT_SELECT: &str = "SELECT a.id, a.person_id, p.name, p.email, a.role, a.disabled_at, a.created_at, a.version
     FROM accounts a JOIN people p ON p.id = a.person_id";

/// How long a session lasts from sign-in.
pub const SESSION_TTL_MS: i64 = 12 * 60 * 60 * 1000;
/// Last-used times of API tokens are written at most this often, to keep reads cheap.
const TOKEN_TOUCH_MS: i64 = 5 * 60 * 1000;

/// Administrators who can sign in: counted inside a change's transaction, so two admins removing
/// each other at once cannot leave none.
pub(super) const ACTIVE_ADMINS: &str = "SELECT COUNT(*) FROM accounts a JOIN people p ON p.id = a.person_id
     WHERE a.role = 'admin' AND a.disabled_at IS NULL AND p.archived_at IS NULL";

impl Db {
    pub async fn count_accounts(&self) -> Result<i64, Error> {
        self.count("SELECT COUNT(*) FROM accounts".into(), vec![]).await
    }

    pub async fn list_accounts(&self) -> Result<Vec<Account>, Error> {
        self.rows(format!("{ACCOUNT_SELECT} ORDER BY p.name"), vec![]).await
    }

    pub async fn get_account(&self, id: i64) -> Result<Account, Error> {
        self.first(format!("{ACCOUNT_SELECT} WHERE a.id = $1"), vec![Arg::I(id)])
            .await?
            .ok_or_else(|| Error::not_found("The account"))
    }

    pub async fn find_account_by_email(&self, email: &str) -> Result<Option<Account>, Error> {
        self.first(format!("{ACCOUNT_SELECT} WHERE p.email = $1"), vec![Arg::S(email.into())]).await
    }

    pub async fn login_record(&self, email: &str) -> Result<Option<LoginRecord>, Error> {
        self.first(
            "SELECT a.id AS account_id, a.password_hash, a.disabled_at FROM accounts a JOIN people p ON p.id = a.person_id
             WHERE p.email = $1"
                .into(),
            vec![Arg::S(email.into())],
        )
        .await
    }

    pub async fn create_account(
        &self,
        actor: &Actor,
        person_id: i64,
        role: Role,
        password_hash: &str,
    ) -> Result<i64, Error> {
        let person = self.get_person(person_id).await?;
        tx!(self, tx => {
            let id = tx.number(
                "INSERT INTO accounts (person_id, role, password_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                &args![person_id, role.as_str(), password_hash, now_ms()],
            ).await.map_err(super::unique_as("person_id", has_an_account(&person.name)))?;
            tx.record(&Change { actor, action: "create", entity: Entity::Account, entity_id: Some(id),
                summary: format!("Gave {} an account with the role {}", person.name, role.label()),
                before: None, after: Some(json!({"person_id": person_id, "role": role.as_str()})) }).await?;
            Ok(id)
        })
    }

    /// Changes an account's role and whether it may sign in. A new role or disabling ends its
    /// sessions (the person signs in again with what they may now do); the last administrator who
    /// can sign in keeps that role.
    pub async fn update_account(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        role: Role,
        disabled: bool,
    ) -> Result<(), Error> {
        let before = self.get_account(id).await?;
        let disabled_at = match (disabled, before.disabled_at) {
            (true, Some(at)) => Some(at),
            (true, None) => Some(now_ms()),
            (false, _) => None,
        };
        let role_changed = before.role != role;
        tx!(self, tx => {
            let done = tx.execute(
                "UPDATE accounts SET role = $1, disabled_at = $2, version = version + 1 WHERE id = $3 AND version = $4",
                &args![role.as_str(), disabled_at, id, version],
            ).await?;
            if done == 0 {
                return Err(Error::stale("account"));
            }
            keep_an_admin(tx.number(ACTIVE_ADMINS, &[]).await?)?;
            if disabled || role_changed {
                tx.execute("DELETE FROM sessions WHERE account_id = $1", &args![id]).await?;
            }
            tx.record(&Change { actor, action: "update", entity: Entity::Account, entity_id: Some(id),
                summary: format!("Changed the account of {}", before.name),
                before: Some(json!({"role": before.role, "disabled": before.disabled_at.is_some()})),
                after: Some(json!({"role": role.as_str(), "disabled": disabled})) }).await?;
            Ok(())
        })
    }

    /// Sets a new password hash and signs the account out everywhere but `keep_session` (the
    /// session a person changed their own password in).
    pub async fn set_password(
        &self,
        actor: &Actor,
        id: i64,
        password_hash: &str,
        keep_session: Option<&str>,
    ) -> Result<(), Error> {
        let account = self.get_account(id).await?;
        let summary = if actor.account_id == Some(id) {
            format!("{} changed their password", account.name)
        } else {
            format!("Set a new password for {}", account.name)
        };
        tx!(self, tx => {
            tx.execute("UPDATE accounts SET password_hash = $1, version = version + 1 WHERE id = $2", &args![password_hash, id])
                .await?;
            tx.execute("DELETE FROM sessions WHERE account_id = $1 AND token_hash <> $2",
                &args![id, keep_session.unwrap_or("")]).await?;
            tx.record(&Change { actor, action: "password", entity: Entity::Account, entity_id: Some(id),
                summary, before: None, after: None }).await?;
            Ok(())
        })
    }

    /// A new session; one made through single sign-on keeps the provider's ID token, for signing
    /// out there too.
    pub async fn create_session(
        &self,
        account_id: i64,
        token_hash: &str,
        csrf: &str,
        sso_id_token: Option<&str>,
    ) -> Result<(), Error> {
        let now = now_ms();
        self.execute(
            "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, expires_at, sso_id_token)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &args![token_hash, account_id, csrf, now, now + SESSION_TTL_MS, sso_id_token.map(str::to_string)],
        )
        .await
        .map(|_| ())
    }

    /// The person behind a live session of an enabled account.
    /// The zone an account reads times in (None: each event's own).
    pub async fn set_time_zone(&self, account_id: i64, zone: Option<&str>) -> Result<(), Error> {
        self.execute("UPDATE accounts SET time_zone = $1 WHERE id = $2", &args![zone, account_id]).await.map(|_| ())
    }

    pub async fn session_user(&self, token_hash: &str) -> Result<Option<SignedIn>, Error> {
        self.first(
            "SELECT a.id AS account_id, a.person_id, p.name, p.email, a.role, p.side, s.csrf_token AS csrf, a.time_zone,
                (SELECT COUNT(*) FROM notifications n WHERE n.account_id = a.id AND n.read_at IS NULL) AS unread
             FROM sessions s JOIN accounts a ON a.id = s.account_id JOIN people p ON p.id = a.person_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.disabled_at IS NULL"
                .into(),
            vec![Arg::S(token_hash.into()), Arg::I(now_ms())],
        )
        .await
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), Error> {
        self.execute("DELETE FROM sessions WHERE token_hash = $1", &args![token_hash]).await.map(|_| ())
    }

    pub async fn delete_expired_sessions(&self) -> Result<u64, Error> {
        self.execute("DELETE FROM sessions WHERE expires_at <= $1", &args![now_ms()]).await
    }

    pub async fn create_token(
        &self,
        actor: &Actor,
        account_id: i64,
        label: &str,
        token_hash: &str,
        expires_at: Option<i64>,
    ) -> Result<i64, Error> {
        let account = self.get_account(account_id).await?;
        tx!(self, tx => {
            let id = tx.number(
                "INSERT INTO api_tokens (account_id, label, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                &args![account_id, label, token_hash, now_ms(), expires_at],
            ).await?;
            tx.record(&Change { actor, action: "create", entity: Entity::Token, entity_id: Some(id),
                summary: format!("Created API token \"{label}\" for {}", account.name), before: None,
                after: Some(json!({"label": label, "account_id": account_id, "expires_at": expires_at})) }).await?;
            Ok(id)
        })
    }

    /// The person behind a live, unrevoked API token; notes when it was last used.
    pub async fn token_user(&self, token_hash: &str) -> Result<Option<SignedIn>, Error> {
        let now = now_ms();
        let hit: Option<TokenHit> = self.first(
            "SELECT a.id AS account_id, a.person_id, p.name, p.email, a.role, p.side, '' AS csrf, CAST(0 AS BIGINT) AS unread, a.time_zone, t.id AS token_id, t.last_used_at
             FROM api_tokens t JOIN accounts a ON a.id = t.account_id JOIN people p ON p.id = a.person_id
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2)
               AND a.disabled_at IS NULL".into(),
            vec![Arg::S(token_hash.into()), Arg::I(now)],
        ).await?;
        let Some(hit) = hit else { return Ok(None) };
        if hit.last_used_at.is_none_or(|t| now - t > TOKEN_TOUCH_MS) {
            self.execute("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", &args![now, hit.token_id]).await?;
        }
        Ok(Some(hit.user))
    }

    /// Tokens of one account, or of everyone when `account_id` is `None`.
    pub async fn list_tokens(&self, account_id: Option<i64>) -> Result<Vec<ApiToken>, Error> {
        let sql = format!("{TOKEN_SELECT} WHERE ($1 = 0 OR t.account_id = $1) ORDER BY t.id DESC");
        self.rows(sql, vec![Arg::I(account_id.unwrap_or(0))]).await
    }

    pub async fn get_token(&self, id: i64) -> Result<ApiToken, Error> {
        self.first(format!("{TOKEN_SELECT} WHERE t.id = $1"), vec![Arg::I(id)])
            .await?
            .ok_or_else(|| Error::not_found("The token"))
    }

    pub async fn revoke_token(&self, actor: &Actor, id: i64) -> Result<(), Error> {
        let token = self.get_token(id).await?;
        if token.revoked_at.is_some() {
            return Ok(());
        }
        tx!(self, tx => {
            tx.execute("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2", &args![now_ms(), id]).await?;
            tx.record(&Change { actor, action: "revoke", entity: Entity::Token, entity_id: Some(id),
                summary: format!("Revoked API token \"{}\" of {}", token.label, token.owner_name),
                before: None, after: None }).await?;
            Ok(())
        })
    }

    /// Until when sign-ins for `email` are refused (ms since epoch; 0 when not locked).
    pub async fn locked_until(&self, email: &str) -> Result<i64, Error> {
        #[derive(Deserialize, sqlx::FromRow)]
        struct Lock {
            locked_until: i64,
        }
        let row: Option<Lock> = self
            .first("SELECT locked_until FROM login_failures WHERE email = $1".into(), vec![Arg::S(email.into())])
            .await?;
        Ok(row.map_or(0, |r| r.locked_until))
    }

    /// Counts a failed sign-in; returns the number of failures in a row.
    pub async fn record_login_failure(&self, email: &str, lock_for: impl Fn(i64) -> i64) -> Result<i64, Error> {
        let now = now_ms();
        tx!(self, tx => {
            let failures = tx.number(
                "INSERT INTO login_failures (email, failures, locked_until, updated_at) VALUES ($1, 1, 0, $2)
                 ON CONFLICT (email) DO UPDATE SET failures = login_failures.failures + 1, updated_at = excluded.updated_at
                 RETURNING failures",
                &args![email, now],
            ).await?;
            let lock_ms = lock_for(failures);
            if lock_ms > 0 {
                tx.execute("UPDATE login_failures SET locked_until = $1 WHERE email = $2", &args![now + lock_ms, email])
                    .await?;
            }
            Ok(failures)
        })
    }

    pub async fn clear_login_failures(&self, email: &str) -> Result<(), Error> {
        self.execute("DELETE FROM login_failures WHERE email = $1", &args![email]).await.map(|_| ())
    }
}
