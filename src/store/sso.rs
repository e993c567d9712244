//! Single sign-on: sign-ins under way (state, nonce, PKCE verifier), accounts linked to the
//! provider's subject, sessions that remember their ID token, and the sign-in settings.

use bridge_domain::audit::{Actor, Entity};
use bridge_domain::org::{clashes, Role, ValidPerson};
use bridge_domain::sso::{NewAccounts, PasswordSignIn};
use bridge_domain::Error;
use serde::Deserialize;
use serde_json::json;

use super::accounts::LoginRecord;
use super::audit::Change;
use super::{args, now_ms, tx, unique_as, Arg, Db};

/// How long a sign-in may take at the provider before its callback is refused.
pub const SSO_LOGIN_TTL_MS: i64 = 10 * 60 * 1000;

const PASSWORD_SIGN_IN: &str = "sso.password_sign_in";
const NEW_ACCOUNTS: &str = "sso.new_accounts";

/// A sign-in under way, as its callback takes it back.
#[derive(Debug, Clone, Deserialize, sqlx::FromRow)]
pub struct PendingLogin {
    pub nonce: String,
    pub pkce_verifier: String,
    pub next: String,
    pub created_at: i64,
}

/// Who may sign in how, as administrators set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInSettings {
    pub password: PasswordSignIn,
    pub new_accounts: NewAccounts,
}

impl Db {
    /// Keeps a sign-in under way until its callback, and forgets those left unfinished.
    pub async fn begin_sso_login(
        &self,
        state_hash: &str,
        nonce: &str,
        verifier: &str,
        next: &str,
    ) -> Result<(), Error> {
        let now = now_ms();
        tx!(self, tx => {
            tx.execute("DELETE FROM sso_logins WHERE created_at < $1", &args![now - SSO_LOGIN_TTL_MS]).await?;
            tx.execute(
                "INSERT INTO sso_logins (state_hash, nonce, pkce_verifier, next, created_at) VALUES ($1, $2, $3, $4, $5)",
                &args![state_hash, nonce, verifier, next, now],
            ).await?;
            Ok(())
        })
    }

    /// Takes the sign-in a callback names, once: a second callback with the same state finds none.
    pub async fn take_sso_login(&self, state_hash: &str) -> Result<Option<PendingLogin>, Error> {
        tx!(self, tx => {
            let rows: Vec<PendingLogin> = tx.rows(
                "DELETE FROM sso_logins WHERE state_hash = $1 RETURNING nonce, pkce_verifier, next, created_at",
                &args![state_hash],
            ).await?;
            Ok(rows.into_iter().next())
        })
    }

    /// The account linked to the provider's subject.
    pub async fn login_record_by_subject(&self, subject: &str) -> Result<Option<LoginRecord>, Error> {
        self.first(
            "SELECT id AS account_id, password_hash, disabled_at FROM accounts WHERE sso_subject = $1".into(),
            vec![Arg::S(subject.into())],
        )
        .await
    }

    /// Links an account to the provider's subject (its first sign-in through the provider).
    pub async fn link_sso_subject(&self, actor: &Actor, account_id: i64, subject: &str) -> Result<(), Error> {
        tx!(self, tx => {
            tx.execute("UPDATE accounts SET sso_subject = $1 WHERE id = $2", &args![subject, account_id])
                .await
                .map_err(unique_as("sso_subject", "Another account is already linked to this sign-in.".into()))?;
            tx.record(&Change { actor, action: "link_sso", entity: Entity::Account, entity_id: Some(account_id),
                summary: "Linked the account to its single sign-on identity".into(), before: None,
                after: Some(json!({"sso_subject": subject})) }).await?;
            Ok(())
        })
    }

    /// Gives someone the provider vouches for an account with `role`, linked to `subject`: to
    /// their directory entry `person_id`, or to a new entry made from `person`. No password:
    /// they sign in through the provider.
    pub async fn create_sso_account(
        &self,
        actor: &Actor,
        person_id: Option<i64>,
        person: &ValidPerson,
        role: Role,
        subject: &str,
    ) -> Result<i64, Error> {
        let now = now_ms();
        tx!(self, tx => {
            let person_id = match person_id {
                Some(id) => id,
                None => {
                    let id = tx.number(
                        "INSERT INTO people (name, email, side, title, created_at, updated_at)
                         VALUES ($1, $2, $3, '', $4, $4) RETURNING id",
                        &args![&person.name, &person.email, person.side.as_str(), now],
                    ).await.map_err(unique_as("email", clashes::email_taken(&person.email)))?;
                    tx.record(&Change { actor, action: "create", entity: Entity::Person, entity_id: Some(id),
                        summary: format!("Added {} to the directory at their first single sign-on", person.name),
                        before: None, after: Some(json!({"name": person.name, "email": person.email})) }).await?;
                    id
                }
            };
            let id = tx.number(
                "INSERT INTO accounts (person_id, role, password_hash, created_at, sso_subject)
                 VALUES ($1, $2, '', $3, $4) RETURNING id",
                &args![person_id, role.as_str(), now, subject],
            ).await.map_err(unique_as("email", clashes::has_an_account(&person.name)))?;
            tx.record(&Change { actor, action: "create", entity: Entity::Account, entity_id: Some(id),
                summary: format!("Gave {} an account with the role {} at their first single sign-on", person.name,
                    role.label()),
                before: None, after: Some(json!({"person_id": person_id, "role": role.as_str()})) }).await?;
            Ok(id)
        })
    }

    /// The ID token of a session made through the provider.
    pub async fn session_id_token(&self, token_hash: &str) -> Result<Option<String>, Error> {
        #[derive(Deserialize, sqlx::FromRow)]
        struct Row {
            sso_id_token: Option<String>,
        }
        let row: Option<Row> = self
            .first("SELECT sso_id_token FROM sessions WHERE token_hash = $1".into(), vec![Arg::S(token_hash.into())])
            .await?;
        Ok(row.and_then(|r| r.sso_id_token))
    }

    pub async fn sign_in_settings(&self) -> Result<SignInSettings, Error> {
        Ok(SignInSettings {
            password: PasswordSignIn::parse(&self.get_setting(PASSWORD_SIGN_IN).await?.unwrap_or_default()),
            new_accounts: NewAccounts::parse(&self.get_setting(NEW_ACCOUNTS).await?.unwrap_or_default()),
        })
    }

    pub async fn save_sign_in_settings(&self, actor: &Actor, s: &SignInSettings) -> Result<(), Error> {
        let upsert =
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
        tx!(self, tx => {
            tx.execute(upsert, &args![PASSWORD_SIGN_IN, s.password.as_code()]).await?;
            tx.execute(upsert, &args![NEW_ACCOUNTS, s.new_accounts.as_code()]).await?;
            tx.record(&Change { actor, action: "update", entity: Entity::SignInSettings, entity_id: None,
                summary: "Changed who may sign in how".into(), before: None,
                after: Some(json!({"password_sign_in": s.password.as_code(), "new_accounts": s.new_accounts.as_code()})) })
                .await?;
            Ok(())
        })
    }
}
