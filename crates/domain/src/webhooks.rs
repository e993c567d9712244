//! Outgoing webhooks: which events an endpoint hears of, in which format, and the rules for
//! setting one up. Sending and signing are `ops::webhooks`'.

use serde::{Deserialize, Serialize};

use crate::intake::ActionKind;
use crate::{Error, FieldErrors};

/// Something that happened which other tools may want to hear of. Later areas add theirs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Event {
    RequestSubmitted,
    /// Approved, declined or deferred.
    RequestDecided,
    RequestDelivered,
    /// Sent by an administrator's "Send a test".
    Test,
}

impl Event {
    /// The events an endpoint can choose (the test goes to every endpoint on demand).
    pub const CHOOSABLE: [Event; 3] = [Event::RequestSubmitted, Event::RequestDecided, Event::RequestDelivered];

    pub fn as_str(self) -> &'static str {
        match self {
            Event::RequestSubmitted => "request.submitted",
            Event::RequestDecided => "request.decided",
            Event::RequestDelivered => "request.delivered",
            Event::Test => "test",
        }
    }
    pub fn parse(s: &str) -> Option<Event> {
        Event::CHOOSABLE.into_iter().chain([Event::Test]).find(|e| e.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Event::RequestSubmitted => "A request is submitted",
            Event::RequestDecided => "A request is decided (approved, declined or deferred)",
            Event::RequestDelivered => "A request is delivered",
            Event::Test => "A test message",
        }
    }

    /// The event a lifecycle step raises, if any.
    pub fn of_step(kind: ActionKind) -> Option<Event> {
        match kind {
            ActionKind::Submit => Some(Event::RequestSubmitted),
            ActionKind::Approve | ActionKind::Decline | ActionKind::Defer => Some(Event::RequestDecided),
            ActionKind::MarkDelivered => Some(Event::RequestDelivered),
            _ => None,
        }
    }
}

/// How a delivery's body is shaped for its receiver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// A Slack incoming webhook: `{"text": …, "blocks": …}`.
    Slack,
    /// A Microsoft Teams workflow (or incoming webhook): a message with an Adaptive Card.
    Teams,
    /// Bridge's own JSON, signed with the endpoint's secret.
    Json,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Slack, Format::Teams, Format::Json];
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Slack => "slack",
            Format::Teams => "teams",
            Format::Json => "json",
        }
    }
    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Format::Slack => "Slack (incoming webhook)",
            Format::Teams => "Microsoft Teams (workflow or incoming webhook, Adaptive Card)",
            Format::Json => "Plain JSON, signed",
        }
    }
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Waiting for its first try.
    Pending,
    /// The receiver answered 2xx.
    Delivered,
    /// Failed; tried again later.
    Retrying,
    /// Failed every try (or its endpoint is gone).
    Failed,
}

impl DeliveryState {
    pub const ALL: [DeliveryState; 4] =
        [DeliveryState::Pending, DeliveryState::Delivered, DeliveryState::Retrying, DeliveryState::Failed];
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Retrying => "retrying",
            DeliveryState::Failed => "failed",
        }
    }
    pub fn parse(s: &str) -> Option<DeliveryState> {
        DeliveryState::ALL.into_iter().find(|f| f.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            DeliveryState::Pending => "Waiting",
            DeliveryState::Delivered => "Delivered",
            DeliveryState::Retrying => "Failed, will try again",
            DeliveryState::Failed => "Failed",
        }
    }
}

/// An endpoint as an administrator enters it, checked by [`EndpointInput::check`].
#[derive(Debug, Clone, Default)]
pub struct EndpointInput {
    pub name: String,
    pub url: String,
    pub format: String,
    pub events: Vec<String>,
    pub active: bool,
}

/// An endpoint's settings once checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    pub name: String,
    pub url: String,
    pub format: Format,
    pub events: Vec<Event>,
    pub active: bool,
}

impl EndpointInput {
    /// Every field's problem at once, in words for the form.
    pub fn check(&self) -> Result<Endpoint, Error> {
        let mut errors = FieldErrors::new();
        let name = self.name.trim();
        if name.is_empty() {
            errors.insert("name".into(), "Give the endpoint a name, for example “#it-requests in Slack”.".into());
        } else if name.chars().count() > 100 {
            errors.insert("name".into(), "Keep the name under 100 characters.".into());
        }
        let url = self.url.trim();
        if let Err(problem) = check_url(url) {
            errors.insert("url".into(), problem.into());
        }
        let format = Format::parse(self.format.trim());
        if format.is_none() {
            errors.insert("format".into(), "Choose Slack, Microsoft Teams or plain JSON.".into());
        }
        let mut events = Vec::new();
        for code in &self.events {
            match Event::parse(code.trim()).filter(|e| *e != Event::Test) {
                Some(e) if !events.contains(&e) => events.push(e),
                Some(_) => {}
                None => {
                    errors.insert("events".into(), format!("“{code}” is not an event Bridge sends."));
                }
            }
        }
        if events.is_empty() && !errors.contains_key("events") {
            errors.insert("events".into(), "Choose at least one event to send.".into());
        }
        Error::check(errors)?;
        events.sort_by_key(|e| Event::CHOOSABLE.iter().position(|c| c == e));
        Ok(Endpoint {
            name: name.to_string(),
            url: url.to_string(),
            format: format.unwrap_or(Format::Json),
            events,
            active: self.active,
        })
    }
}

/// An `http://` or `https://` address with a host, no spaces, no password in it.
fn check_url(url: &str) -> Result<(), &'static str> {
    if url.is_empty() {
        return Err("Enter the address Bridge posts to, for example https://hooks.slack.com/services/….");
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("The address starts with https:// (or http:// inside your network).")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("This is not a web address: check it for spaces and a missing host name.");
    }
    if host.contains('@') {
        return Err("Leave the user name and password out of the address; Bridge signs what it sends instead.");
    }
    if url.len() > 2000 {
        return Err("The address is too long (over 2,000 characters).");
    }
    Ok(())
}

/// Joins event codes for storage (`request.submitted,request.decided`).
pub fn events_code(events: &[Event]) -> String {
    events.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(",")
}

/// Reads stored event codes back, skipping any this version no longer sends.
pub fn parse_events(code: &str) -> Vec<Event> {
    code.split(',').filter_map(Event::parse).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> EndpointInput {
        EndpointInput {
            name: " Slack #it ".into(),
            url: "https://hooks.slack.com/services/T/B/X".into(),
            format: "slack".into(),
            events: vec!["request.decided".into(), "request.submitted".into(), "request.decided".into()],
            active: true,
        }
    }

    #[test]
    fn a_good_endpoint_is_trimmed_and_its_events_kept_once_in_order() {
        let e = input().check().unwrap();
        assert_eq!(e.name, "Slack #it");
        assert_eq!(e.events, vec![Event::RequestSubmitted, Event::RequestDecided]);
        assert_eq!(parse_events(&events_code(&e.events)), e.events);
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = EndpointInput {
            name: "".into(),
            url: "ftp://x".into(),
            format: "xml".into(),
            events: vec![],
            active: true,
        };
        let Err(Error::Validation { fields, .. }) = bad.check() else { panic!("accepted") };
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["events", "format", "name", "url"]);
        let test_event = EndpointInput { events: vec!["test".into()], ..input() };
        assert!(test_event.check().is_err(), "the test event is sent on demand, not chosen");
    }

    #[test]
    fn addresses_need_a_scheme_and_host_and_no_credentials() {
        assert!(check_url("http://10.0.0.5:9000/hook").is_ok());
        assert!(check_url("https://").is_err());
        assert!(check_url("https://user:pw@example.com/").is_err());
        assert!(check_url("https://exa mple.com/").is_err());
        assert!(check_url("example.com/hook").is_err());
    }

    #[test]
    fn decisions_and_delivery_raise_events_other_steps_none() {
        assert_eq!(Event::of_step(ActionKind::Approve), Some(Event::RequestDecided));
        assert_eq!(Event::of_step(ActionKind::Defer), Some(Event::RequestDecided));
        assert_eq!(Event::of_step(ActionKind::MarkDelivered), Some(Event::RequestDelivered));
        assert_eq!(Event::of_step(ActionKind::Withdraw), None);
    }
}
