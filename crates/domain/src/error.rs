//! The one error type of Bridge. Every layer speaks it; the web layer shows it two ways
//! (a JSON body with a stable code, or a page with the errors beside the fields).

use std::collections::BTreeMap;

/// Field name → plain-language message, in a stable order.
pub type FieldErrors = BTreeMap<String, String>;

/// The message of a validation error whose fields say it all.
const FIELDS_MESSAGE: &str = "Please correct the marked fields.";

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0} was not found")]
    NotFound(String),
    /// The person is signed in (or no sign-in is needed) but may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// No valid session or token.
    #[error("{0}")]
    Unauthorized(String),
    /// A clash with what exists: a duplicate, a stale version, a step not allowed from this state.
    #[error("{message}")]
    Conflict { message: String, field: Option<String> },
    /// A save made against a version someone else has replaced since it was read: nothing was
    /// changed. A kind of conflict (409), told apart so pages can keep the input and offer to save again.
    #[error(
        "Someone else changed this {what} after you opened it. Reload to see their changes, then apply yours again."
    )]
    Stale { what: String },
    /// Input that breaks a rule; each message belongs beside its field.
    #[error("{message}")]
    Validation { message: String, fields: FieldErrors },
    #[error("{0}")]
    TooLarge(String),
    /// Something broke that is not the caller's fault. The detail is logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn not_found(what: impl Into<String>) -> Self {
        Error::NotFound(what.into())
    }
    pub fn forbidden(msg: impl Into<String>) -> Self {
        Error::Forbidden(msg.into())
    }
    pub fn conflict(msg: impl Into<String>) -> Self {
        Error::Conflict { message: msg.into(), field: None }
    }
    pub fn conflict_on(field: impl Into<String>, msg: impl Into<String>) -> Self {
        Error::Conflict { message: msg.into(), field: Some(field.into()) }
    }
    pub fn stale(what: impl Into<String>) -> Self {
        Error::Stale { what: what.into() }
    }
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        Error::Internal(detail.to_string())
    }
    /// A validation error from collected field errors; `Ok(())` when there are none.
    pub fn check(fields: FieldErrors) -> Result<(), Error> {
        if fields.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation { message: FIELDS_MESSAGE.into(), fields })
        }
    }
    pub fn field(field: &str, msg: impl Into<String>) -> Self {
        let msg = msg.into();
        let mut fields = FieldErrors::new();
        fields.insert(field.to_string(), msg.clone());
        Error::Validation { message: msg, fields }
    }
    /// What a form shows above its fields: the message, unless it only says "correct the marked
    /// fields" (the fields say that) or repeats one field's message. `None` for other kinds.
    pub fn summary(&self) -> Option<&str> {
        match self {
            Error::Validation { message, fields } => {
                let only_points_at_fields = message == FIELDS_MESSAGE || fields.values().any(|m| m == message);
                (!only_points_at_fields).then_some(message.as_str())
            }
            _ => None,
        }
    }
    /// The stable, snake_case code the API answers with.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFound(_) => "not_found",
            Error::Forbidden(_) => "forbidden",
            Error::Unauthorized(_) => "unauthorized",
            Error::Conflict { .. } => "conflict",
            Error::Stale { .. } => "stale",
            Error::Validation { .. } => "validation_failed",
            Error::TooLarge(_) => "too_large",
            Error::Internal(_) => "internal",
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_shows_a_summary_only_when_it_says_more_than_the_fields() {
        let mut fields = FieldErrors::new();
        fields.insert("title".into(), "Give the request a title.".into());
        assert_eq!(Error::check(fields.clone()).unwrap_err().summary(), None);
        assert_eq!(Error::field("title", "Give the request a title.").summary(), None);
        let own = Error::Validation { message: "Saved as a draft, not submitted.".into(), fields };
        assert_eq!(own.summary(), Some("Saved as a draft, not submitted."));
        assert_eq!(Error::conflict("Closed.").summary(), None);
    }
}
