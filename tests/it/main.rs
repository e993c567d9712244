//! Bridge's integration tests: one binary, real HTTP against a real server on a real database.
//! Every test runs on SQLite, and again on PostgreSQL when `BRIDGE_TEST_POSTGRES_URL` is set.

mod builders;
mod support;

mod api;
mod cli;
mod directory_pages;
mod durability;
mod engagement;
mod engagement_more;
mod intake;
mod jobs;
mod language;
mod learning;
mod mail;
mod ops;
mod permissions;
mod security;
mod servers;
mod session;
mod sso;
mod value;
mod value_pages;
mod value_reviews;
mod value_targets;
mod webhooks;
