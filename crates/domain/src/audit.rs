//! Who did a change and to what, for the audit log.

use serde::Serialize;

/// The channel a change came through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    Web,
    Api,
    Cli,
    System,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Web => "web",
            Via::Api => "api",
            Via::Cli => "cli",
            Via::System => "system",
        }
    }
}

/// The person (or the system) behind a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub account_id: Option<i64>,
    pub name: String,
    pub via: Via,
}

impl Actor {
    pub fn system(what: &str) -> Actor {
        Actor { account_id: None, name: what.to_string(), via: Via::System }
    }
    pub fn cli() -> Actor {
        Actor { account_id: None, name: "command line".into(), via: Via::Cli }
    }
}

/// What a change is about: the audit log's `entity` column, and the counter that tells each
/// server's read models (`ops::cache`) that their copy is stale. A new area adds its entities here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    Person,
    Unit,
    Team,
    Account,
    Token,
    GlossaryTerm,
    Request,
    IntakeSettings,
    Job,
    WebhookEndpoint,
    SignInSettings,
    Kpi,
    Touchpoint,
    /// A unit's stay-in-touch cadence and the people who keep it.
    UnitEngagement,
    /// Someone from IT embedded with, or on rotation in, a business unit.
    Embedding,
    OfficeHours,
    /// A learning event, its registrations, attendance and feedback.
    Event,
    /// The technology radar: its entries, moves, quadrants and editions.
    RadarEntry,
    /// One of IT's principles, its "understood" marks and questions.
    Principle,
}

impl Entity {
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Person => "person",
            Entity::Unit => "unit",
            Entity::Team => "team",
            Entity::Account => "account",
            Entity::Token => "token",
            Entity::GlossaryTerm => "glossary_term",
            Entity::Request => "request",
            Entity::IntakeSettings => "intake_settings",
            Entity::Job => "job",
            Entity::WebhookEndpoint => "webhook_endpoint",
            Entity::SignInSettings => "sign_in_settings",
            Entity::Kpi => "kpi",
            Entity::Touchpoint => "touchpoint",
            Entity::UnitEngagement => "unit_engagement",
            Entity::Embedding => "embedding",
            Entity::OfficeHours => "office_hours",
            Entity::Event => "event",
            Entity::RadarEntry => "radar_entry",
            Entity::Principle => "principle",
        }
    }
}
