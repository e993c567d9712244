//! Outgoing webhooks: administrators set up endpoints; events are announced with the change that
//! raised them (`store::webhooks`) and sent by a background job, shaped for Slack, Microsoft Teams
//! or as plain JSON signed with the endpoint's secret. A receiver that fails or is slow is tried
//! again with backoff (`ops::jobs`) and never holds up the request that raised the event.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bridge_domain::intake::{ActionKind, Status};
use bridge_domain::webhooks::{DeliveryState, EndpointInput, Event, Format};
use bridge_domain::Error;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

use super::jobs::{Handlers, JobResult};
use super::Caller;
use crate::store::jobs::ClaimedJob;
use crate::store::webhooks::{Attempt, Outgoing, WebhookDelivery, WebhookEndpoint, DELIVERY_JOB};
use crate::store::{now_ms, Db, Page};

/// The headers of a signed delivery: `Bridge-Signature: v1=<hex>` is the HMAC-SHA256, keyed with
/// the endpoint's secret, of `<Bridge-Timestamp>.<body>`.
pub const SIGNATURE_HEADER: &str = "Bridge-Signature";
pub const TIMESTAMP_HEADER: &str = "Bridge-Timestamp";
pub const EVENT_HEADER: &str = "Bridge-Event";
pub const DELIVERY_HEADER: &str = "Bridge-Delivery";

/// How long a receiver may take to answer before the try counts as failed.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// What of a receiver's answer is kept in the delivery log.
const KEPT_ANSWER_CHARS: usize = 300;

pub async fn list(db: &Db, caller: &Caller) -> Result<Vec<WebhookEndpoint>, Error> {
    caller.require_admin()?;
    db.list_endpoints().await
}

pub async fn get(db: &Db, caller: &Caller, id: i64) -> Result<WebhookEndpoint, Error> {
    caller.require_admin()?;
    db.get_endpoint(id).await
}

pub async fn create(db: &Db, caller: &Caller, input: &EndpointInput) -> Result<i64, Error> {
    caller.require_admin()?;
    let endpoint = input.check()?;
    db.create_endpoint(&caller.actor, &endpoint, &new_signing_secret()).await
}

pub async fn update(db: &Db, caller: &Caller, id: i64, input: &EndpointInput) -> Result<(), Error> {
    caller.require_admin()?;
    let endpoint = input.check()?;
    db.update_endpoint(&caller.actor, id, &endpoint).await
}

pub async fn delete(db: &Db, caller: &Caller, id: i64) -> Result<(), Error> {
    caller.require_admin()?;
    db.delete_endpoint(&caller.actor, id).await
}

pub async fn new_secret(db: &Db, caller: &Caller, id: i64) -> Result<(), Error> {
    caller.require_admin()?;
    db.set_endpoint_secret(&caller.actor, id, &new_signing_secret()).await
}

pub async fn deliveries(
    db: &Db,
    caller: &Caller,
    endpoint_id: i64,
    page: Page,
) -> Result<(Vec<WebhookDelivery>, i64), Error> {
    caller.require_admin()?;
    db.get_endpoint(endpoint_id).await?;
    db.list_deliveries(endpoint_id, page).await
}

/// Queues a test message to one endpoint (even one switched off), to check it is set up right.
pub async fn send_test(db: &Db, caller: &Caller, jobs: &super::jobs::Jobs, id: i64) -> Result<i64, Error> {
    caller.require_admin()?;
    let endpoint = db.get_endpoint(id).await?;
    let body = json!({
        "event": Event::Test.as_str(),
        "occurred_at": now_ms(),
        "text": format!("A test from Bridge to “{}”, sent by {}. If you can read this, it works.",
            endpoint.name, caller.actor.name),
        "link": "/admin/webhooks",
    });
    let delivery = db.deliver_to(id, Event::Test, &body).await?;
    jobs.wake.notify_one();
    Ok(delivery)
}

fn new_signing_secret() -> String {
    crate::secrets::new_secret("whsec_")
}

/// The event a lifecycle step raises, as plain JSON, for `store::Tx::announce`.
pub fn request_step_event(
    kind: ActionKind,
    request_id: i64,
    title: &str,
    to: Status,
    reason: &str,
    actor: &str,
    at: i64,
) -> Option<(Event, Value)> {
    let event = Event::of_step(kind)?;
    let verb = match event {
        Event::RequestSubmitted => "submitted".to_string(),
        Event::RequestDelivered => "marked as delivered".to_string(),
        _ => to.label().to_lowercase(),
    };
    let mut text = format!("“{title}” was {verb} by {actor}.");
    if !reason.is_empty() {
        text.push_str(&format!(" Reason: {reason}"));
    }
    let body = json!({
        "event": event.as_str(),
        "occurred_at": at,
        "text": text,
        "link": super::notify::request_link(request_id),
        "request": { "id": request_id, "title": title, "status": to.as_str(), "status_label": to.label(),
            "reason": reason },
        "actor": { "name": actor },
    });
    Some((event, body))
}

/// Adds the job that sends deliveries; links in messages start with `base_url`, and a receiver
/// that takes longer than `timeout` to answer has failed that try.
pub fn handlers(handlers: Handlers, db: Db, base_url: &str, timeout: Duration) -> Handlers {
    let sender = Arc::new(Sender {
        db,
        timeout,
        base_url: base_url.trim_end_matches('/').to_string(),
        client: reqwest::Client::builder()
            .timeout(timeout)
            // A receiver is called at the address given; following redirects would send the body elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Bridge-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("the HTTP client's settings are fixed"),
    });
    handlers.on(DELIVERY_JOB, move |job| {
        let sender = sender.clone();
        async move { sender.deliver(job).await }
    })
}

/// Headers a delivery carries besides its content type.
type Headers = Vec<(&'static str, String)>;

struct Sender {
    db: Db,
    timeout: Duration,
    base_url: String,
    client: reqwest::Client,
}

impl Sender {
    async fn deliver(&self, job: ClaimedJob) -> JobResult {
        let id = serde_json::from_str::<Value>(&job.payload)
            .ok()
            .and_then(|v| v["delivery_id"].as_i64())
            .ok_or("The job names no delivery.")?;
        // The endpoint was removed since: nothing to send.
        let Some(out) = self.db.outgoing(id).await.map_err(|e| e.to_string())? else { return Ok(()) };
        let last_try = job.attempts >= job.max_attempts;
        if out.active == 0 && out.event != Event::Test.as_str() {
            let skipped = "The endpoint was switched off before this was sent.";
            self.record(id, DeliveryState::Failed, None, skipped.into(), 0).await?;
            return Ok(());
        }
        let (body, headers) = self.shape(&out).map_err(|e| e.to_string())?;
        let started = Instant::now();
        let mut request = self.client.post(&out.url).header("Content-Type", "application/json").body(body);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let answer = request.send().await;
        let took = started.elapsed().as_millis() as i64;
        let failed_state = if last_try { DeliveryState::Failed } else { DeliveryState::Retrying };
        match answer {
            Ok(response) if response.status().is_success() => {
                let code = i64::from(response.status().as_u16());
                self.record(id, DeliveryState::Delivered, Some(code), String::new(), took).await
            }
            Ok(response) => {
                let code = response.status();
                let said: String = response.text().await.unwrap_or_default().chars().take(KEPT_ANSWER_CHARS).collect();
                let error = format!("The receiver answered {code}: {}", said.trim());
                self.record(id, failed_state, Some(i64::from(code.as_u16())), error.clone(), took).await?;
                Err(error)
            }
            Err(e) => {
                let error = if e.is_timeout() {
                    format!("The receiver did not answer within {:.1} seconds.", self.timeout.as_secs_f64())
                } else if e.is_connect() {
                    format!(
                        "Bridge could not connect to the receiver's address (nothing answered there, or a firewall \
                         is in the way). Detail: {}",
                        root_cause(&e)
                    )
                } else {
                    format!("The receiver could not be reached: {}", root_cause(&e))
                };
                self.record(id, failed_state, None, error.clone(), took).await?;
                Err(error)
            }
        }
    }

    async fn record(&self, id: i64, state: DeliveryState, code: Option<i64>, error: String, took: i64) -> JobResult {
        let attempt = Attempt { state, status_code: code, error, duration_ms: took, at: now_ms() };
        self.db.record_attempt(id, &attempt).await.map_err(|e| e.to_string())
    }

    /// The body in the endpoint's format and the headers that go with it.
    fn shape(&self, out: &Outgoing) -> Result<(String, Headers), serde_json::Error> {
        let mut event: Value = serde_json::from_str(&out.body)?;
        let link = event.get("link").and_then(Value::as_str).unwrap_or("/").to_string();
        let url = format!("{}{link}", self.base_url);
        let text = event["text"].as_str().unwrap_or_default().to_string();
        let mut headers = vec![(EVENT_HEADER, out.event.clone()), (DELIVERY_HEADER, out.id.to_string())];
        let body = match out.format {
            Format::Slack => slack_message(&text, &url),
            Format::Teams => teams_message(&text, &url),
            Format::Json => {
                if let Some(map) = event.as_object_mut() {
                    map.remove("link");
                    map.insert("delivery_id".into(), json!(out.id));
                    map.insert("url".into(), json!(url));
                }
                let body = event.to_string();
                let timestamp = (now_ms() / 1000).to_string();
                headers.push((SIGNATURE_HEADER, format!("v1={}", sign(&out.secret, &timestamp, &body))));
                headers.push((TIMESTAMP_HEADER, timestamp));
                return Ok((body, headers));
            }
        };
        Ok((body.to_string(), headers))
    }
}

/// The hex HMAC-SHA256 of `<timestamp>.<body>` keyed with `secret`: what a receiver recomputes.
pub fn sign(secret: &str, timestamp: &str, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// A Slack incoming-webhook message: the text for notifications, a block with a button to open it.
fn slack_message(text: &str, url: &str) -> Value {
    json!({
        "text": format!("{text} {url}"),
        "blocks": [
            { "type": "section", "text": { "type": "mrkdwn", "text": slack_escape(text) } },
            { "type": "actions", "elements": [
                { "type": "button", "text": { "type": "plain_text", "text": "Open in Bridge" }, "url": url }
            ] }
        ]
    })
}

/// Slack reads `&`, `<` and `>` as markup.
fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A Microsoft Teams message carrying an Adaptive Card, as Teams workflows and incoming webhooks take it.
fn teams_message(text: &str, url: &str) -> Value {
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "body": [ { "type": "TextBlock", "text": text, "wrap": true } ],
                "actions": [ { "type": "Action.OpenUrl", "title": "Open in Bridge", "url": url } ]
            }
        }]
    })
}

/// The innermost cause of an HTTP error, which says what actually failed (refused, DNS, TLS).
fn root_cause(e: &dyn std::error::Error) -> String {
    let mut cause = e;
    while let Some(c) = cause.source() {
        cause = c;
    }
    cause.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_the_hmac_of_timestamp_dot_body() {
        // Computed independently: Python's hmac.new(b"whsec_test", b'1700000000.{"event":"test"}', sha256).
        assert_eq!(
            sign("whsec_test", "1700000000", "{\"event\":\"test\"}"),
            "21d2d3606ebbdbf9307ee15e83085df2b83c83dd87cc2e6d2ea6b1cb61afdc3c"
        );
        assert_ne!(sign("a", "1", "x"), sign("a", "2", "x"));
        assert_ne!(sign("a", "1", "x"), sign("b", "1", "x"));
    }

    #[test]
    fn slack_text_is_escaped_but_its_fallback_keeps_the_link() {
        let m = slack_message("a <b> & c", "https://x/requests/1");
        assert_eq!(m["blocks"][0]["text"]["text"], "a &lt;b&gt; &amp; c");
        assert!(m["text"].as_str().unwrap().ends_with("https://x/requests/1"));
    }
}
