//! Notifications: the kinds a person hears about and how each reaches them.

use serde::{Deserialize, Serialize};

/// What a notification is about; each person chooses a [`Delivery`] per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// Someone @mentioned you.
    Mention,
    /// News on requests you wrote: a decision, an assessment, a new message.
    MyRequests,
    /// Something that waits for you to act: a request to assess (IT), a request sent back to you.
    WaitingForMe,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 3] = [NoticeKind::Mention, NoticeKind::MyRequests, NoticeKind::WaitingForMe];
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Mention => "mention",
            NoticeKind::MyRequests => "my_requests",
            NoticeKind::WaitingForMe => "waiting_for_me",
        }
    }
    pub fn parse(s: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            NoticeKind::Mention => "When someone mentions you",
            NoticeKind::MyRequests => "News on your requests (decisions, assessments, messages)",
            NoticeKind::WaitingForMe => "Things waiting for you (new requests to assess, requests sent back to you)",
        }
    }
    /// How a person hears of this kind until they choose: at once, except the stream of work
    /// waiting, which comes as one email a day.
    pub fn default_delivery(self) -> Delivery {
        match self {
            NoticeKind::WaitingForMe => Delivery::Daily,
            _ => Delivery::Email,
        }
    }
}

/// How notifications of one kind reach a person. Every notification is in the app too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// Only in Bridge.
    InApp,
    /// An email at once.
    Email,
    /// One email a day listing them.
    Daily,
    /// One email a week listing them.
    Weekly,
}

impl Delivery {
    pub const ALL: [Delivery; 4] = [Delivery::InApp, Delivery::Email, Delivery::Daily, Delivery::Weekly];
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::InApp => "in_app",
            Delivery::Email => "email",
            Delivery::Daily => "daily",
            Delivery::Weekly => "weekly",
        }
    }
    pub fn parse(s: &str) -> Option<Delivery> {
        Delivery::ALL.into_iter().find(|d| d.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Delivery::InApp => "In Bridge only",
            Delivery::Email => "An email at once",
            Delivery::Daily => "A daily email digest",
            Delivery::Weekly => "A weekly email digest (Mondays)",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back() {
        for k in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(k.as_str()), Some(k));
        }
        for d in Delivery::ALL {
            assert_eq!(Delivery::parse(d.as_str()), Some(d));
        }
        assert_eq!(Delivery::parse("sms"), None);
    }
}
