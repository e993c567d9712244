//! Bridge's domain layer: one module per area, holding types, rules and calculations as plain
//! functions. Nothing here touches a database or the web, so every rule is unit-tested directly.

pub mod audit;
pub mod conversation;
pub mod csv_file;
pub mod engagement;
pub mod error;
pub mod intake;
pub mod jobs;
pub mod language;
pub mod learning;
pub mod notify;
pub mod org;
pub mod search;
pub mod sso;
pub mod text;
pub mod value;
pub mod webhooks;

pub use error::{Error, FieldErrors, Result};

/// `TryFrom<String>` for a code enum with a `parse`, so a database row decodes straight into the
/// enum (`#[sqlx(try_from = "String")]`) and an unknown code is an error, not a silent default.
#[macro_export]
macro_rules! decodes_from_text {
    ($($ty:ty),+) => {$(
        impl TryFrom<String> for $ty {
            type Error = String;
            fn try_from(s: String) -> std::result::Result<Self, String> {
                <$ty>::parse(&s).ok_or_else(|| format!("unknown {} {s:?}", stringify!($ty)))
            }
        }
    )+};
}

decodes_from_text!(
    intake::Status,
    intake::ActionKind,
    jobs::JobState,
    notify::NoticeKind,
    notify::Delivery,
    org::Role,
    org::Side,
    webhooks::Event,
    webhooks::Format,
    webhooks::DeliveryState
);

/// The code, as stored and as forms and CSS classes use it.
macro_rules! displays_code {
    ($($ty:ty),+) => {$(
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )+};
}

displays_code!(intake::Status, org::Role, org::Side);
