//! Bridge: where a company's IT organisation and its business leaders work together.
//!
//! Layers, each knowing only the one below: `web` (pages and JSON API) → `ops` (use cases shared
//! with the command line) and `bridge_domain` (pure rules) → `store` (all SQL).

// Page handlers return `Result<Response, Response>`: the error is a rendered page, and boxing it
// would only add noise at every call.
#![allow(clippy::result_large_err)]

pub mod cli;
pub mod config;
pub mod demo;
pub mod ops;
pub mod secrets;
pub mod store;
pub mod web;
