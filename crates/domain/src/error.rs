//! The one error type of Bridge. Every layer speaks it; the web layer shows it two ways
//! (a JSON body with a stable code, or a page with the errors beside the fields).

use std::collections::BTreeMap;

/// Field name → plain-language message, in a stable order.
pub type FieldErrors = BTreeMap<String, String>;

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
            Err(Error::Validation { message: "Please correct the marked fields.".into(), fields })
        }
    }
    pub fn field(field: &str, msg: impl Into<String>) -> Self {
        let msg = msg.into();
        let mut fields = FieldErrors::new();
        fields.insert(field.to_string(), msg.clone());
        Error::Validation { message: msg, fields }
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
