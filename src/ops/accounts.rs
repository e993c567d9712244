//! Accounts and personal API tokens: who may sign in, with which role, and how.

use bridge_domain::audit::Actor;
use bridge_domain::org::{validate_password, Role};
use bridge_domain::Error;

use super::Caller;
use crate::secrets;
use crate::store::accounts::ApiToken;
use crate::store::Db;

/// Gives the person with `email` an account (admins).
pub async fn create_account(db: &Db, caller: &Caller, email: &str, role: &str, password: String) -> Result<i64, Error> {
    caller.require_admin()?;
    let mut fields = bridge_domain::FieldErrors::new();
    let role = Role::parse(role);
    if role.is_none() {
        fields.insert("role".into(), "Choose a role: admin, it, business or viewer.".into());
    }
    if let Err(Error::Validation { fields: f, .. }) = validate_password(&password) {
        fields.extend(f);
    }
    let person = db.find_person_by_email(email).await?;
    if person.is_none() {
        fields.insert("email".into(), format!("No one with the email {email} is in the directory. Add them first."));
    }
    Error::check(fields)?;
    let hash = secrets::hash_password(password).await?;
    db.create_account(&caller.actor, person.expect("checked").id, role.expect("checked"), &hash).await
}

/// Creates a personal API token and returns the secret, which is shown once and stored only hashed.
pub async fn create_token(
    db: &Db,
    actor: &Actor,
    account_id: i64,
    label: &str,
    expires_in_days: Option<i64>,
) -> Result<String, Error> {
    let label = label.trim();
    if label.is_empty() {
        return Err(Error::field("label", "Say what the token is for, so you can recognise it later."));
    }
    if label.chars().count() > 100 {
        return Err(Error::field("label", "Keep the name under 100 characters."));
    }
    let expires_at = match expires_in_days {
        None => None,
        Some(d) if (1..=3650).contains(&d) => Some(crate::store::now_ms() + d * 24 * 3600 * 1000),
        Some(_) => {
            return Err(Error::field(
                "expires_in_days",
                "Choose between 1 and 3650 days, or leave it out for no expiry.",
            ))
        }
    };
    let secret = secrets::new_secret("brg_");
    db.create_token(actor, account_id, label, &secrets::secret_hash(&secret), expires_at).await?;
    Ok(secret)
}

/// Changes an account's role or disables it (admins), against the version read. Nobody takes
/// their own administrator rights away or disables themselves.
pub async fn change_account(
    db: &Db,
    caller: &Caller,
    id: i64,
    role: &str,
    version: i64,
    disabled: bool,
) -> Result<(), Error> {
    caller.require_admin()?;
    let role =
        Role::parse(role).ok_or_else(|| Error::field("role", "Choose a role: admin, it, business or viewer."))?;
    if caller.actor.account_id == Some(id) && (disabled || role != Role::Admin) {
        return Err(Error::field(
            "role",
            "You cannot remove your own administrator rights or disable yourself; ask another administrator.",
        ));
    }
    db.update_account(&caller.actor, id, version, role, disabled).await
}

/// Sets a new password for an account (admins).
pub async fn set_password(db: &Db, caller: &Caller, id: i64, password: String) -> Result<(), Error> {
    caller.require_admin()?;
    validate_password(&password)?;
    let hash = secrets::hash_password(password).await?;
    db.set_password(&caller.actor, id, &hash, None).await
}

/// Changes the caller's own password once their current one checks out; their other sessions end
/// (`keep_session` is the one they are in). An account that signs in only through single sign-on
/// has no password to change.
pub async fn change_own_password(
    db: &Db,
    caller: &Caller,
    email: &str,
    current: String,
    new: String,
    keep_session: Option<&str>,
) -> Result<(), Error> {
    let account_id =
        caller.actor.account_id.ok_or_else(|| Error::forbidden("Only people with an account have a password."))?;
    let record = db.login_record(email).await?.filter(|r| r.account_id == account_id);
    let hash = record.map(|r| r.password_hash).filter(|h| !h.is_empty());
    if hash.is_none() {
        return Err(Error::field(
            "current_password",
            "Your account signs in through single sign-on and has no Bridge password to change.",
        ));
    }
    if !secrets::verify_password(current, hash).await {
        return Err(Error::field("current_password", "This is not your current password."));
    }
    validate_password(&new).map_err(|_| Error::field("new_password", "Use between 10 and 256 characters."))?;
    let hash = secrets::hash_password(new).await?;
    db.set_password(&caller.actor, account_id, &hash, keep_session).await
}

/// Revokes a token: the caller's own, or anyone's for admins. It stops working at once.
/// Returns the token as it was.
pub async fn revoke_token(db: &Db, caller: &Caller, id: i64) -> Result<ApiToken, Error> {
    let token = db.get_token(id).await?;
    if caller.actor.account_id != Some(token.account_id) {
        caller.require_admin()?;
    }
    db.revoke_token(&caller.actor, id).await?;
    Ok(token)
}

/// Sets the zone a person reads times in, by its IANA name ("Europe/London"); empty for each
/// event's own. A preference of one's own, as notification choices are: viewers too.
pub async fn set_time_zone(db: &Db, account_id: i64, zone: &str) -> Result<(), Error> {
    let zone = match zone.trim() {
        "" => None,
        name => Some(bridge_domain::learning::parse_zone(name).ok_or_else(|| {
            Error::field("time_zone", "Please choose a time zone from the list (for example Europe/London).")
        })?),
    };
    db.set_time_zone(account_id, zone.map(|z| z.name())).await
}
