//! Bridge's domain layer: one module per area, holding types, rules and calculations as plain
//! functions. Nothing here touches a database or the web, so every rule is unit-tested directly.

pub mod audit;
pub mod error;
pub mod intake;
pub mod language;
pub mod org;
pub mod text;

pub use error::{Error, FieldErrors, Result};
