//! The organisation directory: business units, IT teams, people, accounts and roles.

pub mod demo;
pub mod import;

use serde::{Deserialize, Serialize};

use crate::{Error, FieldErrors};

/// Which side of the partnership a person (or a glossary term) belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Business,
    It,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Business => "business",
            Side::It => "it",
        }
    }
    pub fn parse(s: &str) -> Option<Side> {
        match s.trim().to_ascii_lowercase().as_str() {
            "business" => Some(Side::Business),
            "it" => Some(Side::It),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Side::Business => "Business",
            Side::It => "IT",
        }
    }
    pub fn other(self) -> Side {
        match self {
            Side::Business => Side::It,
            Side::It => Side::Business,
        }
    }
}

/// What an account may do. Ordered from most to least power only for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Manages accounts, settings and everything else.
    Admin,
    /// IT staff: assess, decide, run events.
    It,
    /// Business staff: request, sponsor, judge value.
    Business,
    /// Reads everything, changes nothing.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::It, Role::Business, Role::Viewer];
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::It => "it",
            Role::Business => "business",
            Role::Viewer => "viewer",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim().to_ascii_lowercase())
    }
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::It => "IT",
            Role::Business => "Business",
            Role::Viewer => "Viewer",
        }
    }
    pub fn can_write(self) -> bool {
        self != Role::Viewer
    }
    pub fn is_admin(self) -> bool {
        self == Role::Admin
    }
    /// IT people and administrators: who keeps what is IT's to keep (the radar, principles).
    pub fn is_it_or_admin(self) -> bool {
        matches!(self, Role::It | Role::Admin)
    }
}

/// Input for creating or editing a person, as typed by a user or read from a CSV row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PersonInput {
    pub name: String,
    pub email: String,
    /// "business" or "it".
    pub side: String,
    pub title: String,
    /// Business unit (for business people), by id.
    pub unit_id: Option<i64>,
    /// IT team (for IT people), by id.
    pub team_id: Option<i64>,
    pub manager_id: Option<i64>,
}

/// A person after validation: trimmed, email lower-cased, side parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidPerson {
    pub name: String,
    pub email: String,
    pub side: Side,
    pub title: String,
    pub unit_id: Option<i64>,
    pub team_id: Option<i64>,
    pub manager_id: Option<i64>,
}

/// A deliberately simple email check: one `@`, something before it, a dot after it, no spaces.
pub fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email.chars().any(char::is_whitespace)
        && email.len() <= 254
}

pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub fn validate_person(input: &PersonInput) -> Result<ValidPerson, Error> {
    let mut fields = FieldErrors::new();
    let name = input.name.trim().to_string();
    if name.is_empty() {
        fields.insert("name".into(), "Enter the person's name.".into());
    } else if name.chars().count() > 200 {
        fields.insert("name".into(), "Keep the name under 200 characters.".into());
    }
    let email = normalise_email(&input.email);
    if email.is_empty() {
        fields.insert("email".into(), "Enter an email address.".into());
    } else if !is_plausible_email(&email) {
        fields.insert("email".into(), "Enter an email address like name@example.com.".into());
    }
    let side = Side::parse(&input.side);
    if side.is_none() {
        fields.insert("side".into(), "Choose business or IT.".into());
    }
    let title = input.title.trim().to_string();
    if title.chars().count() > 200 {
        fields.insert("title".into(), "Keep the title under 200 characters.".into());
    }
    Error::check(fields)?;
    Ok(ValidPerson {
        name,
        email,
        side: side.expect("checked above"),
        title,
        unit_id: input.unit_id,
        team_id: input.team_id,
        manager_id: input.manager_id,
    })
}

/// Validates the name of a business unit or IT team.
pub fn validate_group_name(name: &str) -> Result<String, Error> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::field("name", "Enter a name."));
    }
    if name.chars().count() > 120 {
        return Err(Error::field("name", "Keep the name under 120 characters."));
    }
    Ok(name.to_string())
}

/// Passwords: long enough to resist guessing, short enough to hash quickly.
pub fn validate_password(password: &str) -> Result<(), Error> {
    let n = password.chars().count();
    if n < 10 {
        return Err(Error::field("password", "Use at least 10 characters."));
    }
    if n > 256 {
        return Err(Error::field("password", "Use at most 256 characters."));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(is_plausible_email("a.b@example.com"));
        assert!(!is_plausible_email("a.b@example"));
        assert!(!is_plausible_email("@example.com"));
        assert!(!is_plausible_email("a b@example.com"));
        assert!(!is_plausible_email("a@@example.com"));
    }

    #[test]
    fn person_errors_are_per_field() {
        let err = validate_person(&PersonInput { side: "sales".into(), ..Default::default() }).unwrap_err();
        let Error::Validation { fields, .. } = err else { panic!("not validation") };
        assert!(fields.contains_key("name"));
        assert!(fields.contains_key("email"));
        assert!(fields.contains_key("side"));
    }

    #[test]
    fn person_is_normalised() {
        let p = validate_person(&PersonInput {
            name: " Ada ".into(),
            email: " Ada@Example.COM ".into(),
            side: "IT".into(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(p.name, "Ada");
        assert_eq!(p.email, "ada@example.com");
        assert_eq!(p.side, Side::It);
    }

    #[test]
    fn roles_parse() {
        assert_eq!(Role::parse("Admin"), Some(Role::Admin));
        assert_eq!(Role::parse("boss"), None);
        assert!(!Role::Viewer.can_write());
    }
}

/// Whether someone may edit a person's entry at all: administrators anyone's, writers their own
/// (`own_entry`). Which parts they may change is [`check_person_change`]'s.
pub fn may_edit_person(role: Role, own_entry: bool) -> Result<(), Error> {
    if role.is_admin() || (own_entry && role.can_write()) {
        Ok(())
    } else {
        Err(Error::forbidden(
            "Only administrators change other people's entries in the directory. You can change your own name and job title.",
        ))
    }
}

/// Who may change a person's directory entry, and which parts. Administrators change everything.
/// Anyone else who may write changes only their own entry, and only their name and job title: the
/// email is their sign-in, and side, unit, team and manager are what the organisation says, so
/// those stay with the administrators. `before` is the entry as stored, `after` the change asked for.
pub fn check_person_change(
    role: Role,
    own_entry: bool,
    before: &ValidPerson,
    after: &ValidPerson,
) -> Result<(), Error> {
    may_edit_person(role, own_entry)?;
    if role.is_admin() {
        return Ok(());
    }
    let mut fields = FieldErrors::new();
    let admin_only = "Only an administrator can change this. Ask one if it is wrong.";
    if after.email != before.email {
        fields.insert("email".into(), format!("Your email is how you sign in. {admin_only}"));
    }
    if after.side != before.side {
        fields.insert("side".into(), admin_only.into());
    }
    if after.unit_id != before.unit_id {
        fields.insert("unit_id".into(), admin_only.into());
    }
    if after.team_id != before.team_id {
        fields.insert("team_id".into(), admin_only.into());
    }
    if after.manager_id != before.manager_id {
        fields.insert("manager_id".into(), admin_only.into());
    }
    // A field error (not a 403), so the form comes back with the message beside the field.
    Error::check(fields)
}

#[cfg(test)]
mod change_tests {
    use super::*;

    fn person() -> ValidPerson {
        ValidPerson {
            name: "Rajesh Menon".into(),
            email: "rajesh@example.com".into(),
            side: Side::Business,
            title: "Head of Stores".into(),
            unit_id: Some(1),
            team_id: None,
            manager_id: None,
        }
    }

    #[test]
    fn people_change_their_own_name_and_title_only() {
        let before = person();
        let renamed = ValidPerson { name: "Raj Menon".into(), title: "Stores director".into(), ..person() };
        assert!(check_person_change(Role::Business, true, &before, &renamed).is_ok());
        let moved = ValidPerson { email: "other@example.com".into(), unit_id: Some(2), ..person() };
        match check_person_change(Role::It, true, &before, &moved) {
            Err(Error::Validation { fields, .. }) => {
                assert_eq!(fields.keys().collect::<Vec<_>>(), ["email", "unit_id"])
            }
            other => panic!("{other:?}"),
        }
        assert!(check_person_change(Role::Admin, false, &before, &moved).is_ok());
    }

    #[test]
    fn nobody_but_admins_changes_someone_else() {
        let before = person();
        for role in [Role::Business, Role::It, Role::Viewer] {
            assert!(matches!(check_person_change(role, false, &before, &before), Err(Error::Forbidden(_))));
        }
        assert!(check_person_change(Role::Viewer, true, &before, &before).is_err());
    }
}

/// What a person is told when the directory already holds a name or email they chose: the
/// database finds the clash (its unique index), these say it.
pub mod clashes {
    pub fn email_taken(email: &str) -> String {
        format!("Someone with the email {email} is already in the directory.")
    }

    /// `kind` is "business unit" or "IT team".
    pub fn group_name_taken(kind: &str, name: &str) -> String {
        format!("A {kind} named \"{name}\" already exists.")
    }

    pub fn has_an_account(person: &str) -> String {
        format!("{person} already has an account.")
    }
}

/// Bridge must keep at least one administrator who can sign in: `remaining` is how many there
/// would be after a change (an archive, a new role, a disabled account).
pub fn keep_an_admin(remaining: i64) -> Result<(), Error> {
    if remaining > 0 {
        Ok(())
    } else {
        Err(Error::conflict(
            "This is the last administrator who can sign in. Make someone else an administrator first.",
        ))
    }
}
