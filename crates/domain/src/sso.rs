//! Single sign-on rules: who may still sign in with a password, whether the provider's people get
//! an account on their first sign-in, and how a person the provider vouches for is matched.

use crate::org::Role;
use crate::Error;

/// Who may sign in with a password once single sign-on is set up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordSignIn {
    Everyone,
    /// Only this administrator's account: the way in when the provider is down ("break glass").
    OnlyBreakGlass(i64),
}

impl PasswordSignIn {
    /// As kept in the settings: `everyone`, or `break_glass:<account id>`.
    pub fn as_code(self) -> String {
        match self {
            PasswordSignIn::Everyone => "everyone".into(),
            PasswordSignIn::OnlyBreakGlass(id) => format!("break_glass:{id}"),
        }
    }
    /// A code as a form or the API sends it; `None` when it is not one.
    pub fn from_code(code: &str) -> Option<PasswordSignIn> {
        match code.trim() {
            "everyone" => Some(PasswordSignIn::Everyone),
            other => other.strip_prefix("break_glass:")?.parse().ok().map(PasswordSignIn::OnlyBreakGlass),
        }
    }
    /// A stored setting: anything unreadable is `Everyone`, as a broken setting must not lock
    /// everybody out.
    pub fn parse(code: &str) -> PasswordSignIn {
        PasswordSignIn::from_code(code).unwrap_or(PasswordSignIn::Everyone)
    }
    pub fn allows(self, account_id: i64) -> bool {
        match self {
            PasswordSignIn::Everyone => true,
            PasswordSignIn::OnlyBreakGlass(id) => id == account_id,
        }
    }
}

/// What happens when someone the provider vouches for has no Bridge account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewAccounts {
    /// They are told to ask an administrator.
    Refused,
    /// They get an account with this role (and an entry in the directory when they have none).
    WithRole(Role),
}

impl NewAccounts {
    /// As kept in the settings: `off` or a role code.
    pub fn as_code(self) -> &'static str {
        match self {
            NewAccounts::Refused => "off",
            NewAccounts::WithRole(r) => r.as_str(),
        }
    }
    /// A code as a form or the API sends it; `None` when it is not one.
    pub fn from_code(code: &str) -> Option<NewAccounts> {
        match code.trim() {
            "off" => Some(NewAccounts::Refused),
            other => Role::parse(other).map(NewAccounts::WithRole),
        }
    }
    /// A stored setting: anything unreadable is `Refused`.
    pub fn parse(code: &str) -> NewAccounts {
        NewAccounts::from_code(code).unwrap_or(NewAccounts::Refused)
    }
}

/// What the provider said about the person, from the ID token (or its user-info endpoint).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// `<issuer> <subject>`: stable for one person at one provider.
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
}

/// Why a sign-in through the provider did not let the person in, in words for them.
pub fn unverified_email(email: &str) -> Error {
    Error::forbidden(format!(
        "Your sign-in service has not verified the email {email}, so Bridge cannot tell which account is yours. \
         Verify it there, or ask an administrator."
    ))
}

pub fn no_email() -> Error {
    Error::forbidden(
        "Your sign-in service did not tell Bridge your email, so Bridge cannot find your account. Ask an administrator \
         to let Bridge read the email (the \"email\" scope).",
    )
}

pub fn no_account(email: &str) -> Error {
    Error::forbidden(format!(
        "There is no Bridge account for {email}. Ask an administrator to give you one; then sign in again."
    ))
}

/// The email to match an account by: the provider's, only once it says the email is verified.
pub fn email_to_match(identity: &Identity) -> Result<String, Error> {
    let email = identity.email.as_deref().map(crate::org::normalise_email).filter(|e| !e.is_empty());
    match email {
        None => Err(no_email()),
        Some(e) if !identity.email_verified => Err(unverified_email(&e)),
        Some(e) => Ok(e),
    }
}

/// A name for a new directory entry: the provider's, else the email's local part in words.
pub fn name_for(identity: &Identity, email: &str) -> String {
    if let Some(name) = identity.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        return name.to_string();
    }
    let local = email.split('@').next().unwrap_or(email);
    local
        .split(['.', '_', '-'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(email: Option<&str>, verified: bool) -> Identity {
        Identity {
            subject: "https://idp x".into(),
            email: email.map(String::from),
            email_verified: verified,
            name: None,
        }
    }

    #[test]
    fn only_a_verified_email_is_matched() {
        assert_eq!(email_to_match(&identity(Some(" Ana@Example.com "), true)).unwrap(), "ana@example.com");
        assert!(email_to_match(&identity(Some("ana@example.com"), false)).is_err());
        assert!(email_to_match(&identity(None, true)).is_err());
    }

    #[test]
    fn settings_read_back_and_a_broken_one_locks_nobody_out() {
        assert_eq!(
            PasswordSignIn::parse(&PasswordSignIn::OnlyBreakGlass(7).as_code()),
            PasswordSignIn::OnlyBreakGlass(7)
        );
        assert_eq!(PasswordSignIn::parse("break_glass:x"), PasswordSignIn::Everyone);
        assert!(PasswordSignIn::OnlyBreakGlass(7).allows(7));
        assert!(!PasswordSignIn::OnlyBreakGlass(7).allows(8));
        assert_eq!(NewAccounts::parse("viewer"), NewAccounts::WithRole(Role::Viewer));
        assert_eq!(NewAccounts::parse("off"), NewAccounts::Refused);
    }

    #[test]
    fn a_new_person_is_named_by_the_provider_or_their_email() {
        assert_eq!(name_for(&identity(Some("x"), true), "grace.o-hara@example.com"), "Grace O Hara");
        let named = Identity { name: Some("Grace O'Hara".into()), ..identity(None, true) };
        assert_eq!(name_for(&named, "g@example.com"), "Grace O'Hara");
    }
}
