//! Engagement: contact between the two sides made visible. Touchpoints (a chat, a lunch, a
//! strategy session) logged in seconds, and each business unit's stay-in-touch cadence — an
//! ideal and a maximum number of days between contacts — which any contact resets, wherever
//! Bridge records it.

mod cadence;
mod embedding;
mod office_hours;
mod stats;
mod touchpoint;

pub use cadence::*;
pub use embedding::*;
pub use office_hours::*;
pub use stats::*;
pub use touchpoint::*;

/// Where a contact between the two sides was recorded: the shared "contact" signal that the
/// cadences (and later the health index) read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactSource {
    Touchpoint,
    /// A message on a request between its business people and IT.
    Comment,
    /// A step on a request that one side took for the other (a decision, sending back).
    Decision,
}

impl ContactSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactSource::Touchpoint => "touchpoint",
            ContactSource::Comment => "comment",
            ContactSource::Decision => "decision",
        }
    }

    pub fn parse(s: &str) -> Option<ContactSource> {
        [ContactSource::Touchpoint, ContactSource::Comment, ContactSource::Decision]
            .into_iter()
            .find(|c| c.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ContactSource::Touchpoint => "Touchpoint",
            ContactSource::Comment => "Message on a request",
            ContactSource::Decision => "Decision on a request",
        }
    }
}
