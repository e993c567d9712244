//! Outgoing webhooks against a real HTTP receiver in the test process, which checks each plain
//! JSON delivery's signature as docs/operations.md tells a receiver to: a decision reaches a
//! signed JSON endpoint and a Slack one; a receiver answering 500 or too slowly is tried again
//! without holding up the request; the admin pages keep bad input and send a test.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode as AxumStatus};
use bridge::ops::webhooks::sign;
use bridge::store::now_ms;
use bridge_domain::intake::Status;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::builders;
use crate::support::*;

/// What the receiver got: the `Bridge-Event` header, whether the signature checked out (for plain
/// JSON), and the body.
#[derive(Debug, Clone)]
struct Received {
    event: String,
    signed_ok: Option<bool>,
    body: Value,
}

/// An HTTP server that keeps what is posted to it and answers with the next of `answers`
/// (then 200); an answer of 0 waits longer than the tests' webhook timeout before answering 200.
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    async fn start(secret: Arc<Mutex<String>>, answers: Vec<u16>) -> Receiver {
        let got: Arc<Mutex<Vec<Received>>> = Arc::default();
        let answers = Arc::new(Mutex::new(answers));
        let kept = got.clone();
        let app = axum::Router::new().fallback(move |headers: HeaderMap, body: String| {
            let (kept, answers, secret) = (kept.clone(), answers.clone(), secret.clone());
            async move {
                let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(String::from);
                let signed_ok = header("bridge-signature").map(|sig| {
                    let timestamp = header("bridge-timestamp").unwrap_or_default();
                    let fresh = timestamp.parse::<i64>().is_ok_and(|t| (now_ms() / 1000 - t).abs() < 300);
                    let expected = format!("v1={}", sign(&secret.lock().unwrap(), &timestamp, &body));
                    fresh && sig == expected
                });
                let answer = {
                    let mut a = answers.lock().unwrap();
                    if a.is_empty() {
                        200
                    } else {
                        a.remove(0)
                    }
                };
                let body = serde_json::from_str(&body).unwrap_or(Value::Null);
                kept.lock().unwrap().push(Received {
                    event: header("bridge-event").unwrap_or_default(),
                    signed_ok,
                    body,
                });
                if answer == 0 {
                    tokio::time::sleep(WEBHOOK_TIMEOUT * 3).await;
                }
                let status = if answer == 0 { 200 } else { answer };
                (AxumStatus::from_u16(status).unwrap(), "receiver says hello")
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Receiver { url, got }
    }

    fn got(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    async fn wait_for(&self, count: usize) -> Vec<Received> {
        for _ in 0..300 {
            let got = self.got();
            if got.len() >= count {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("the receiver got {} of {count} messages", self.got().len());
    }
}

/// The endpoint's deliveries once `done` says they have settled.
async fn deliveries_when(admin: &Api, endpoint: i64, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    for _ in 0..300 {
        let (status, page) = admin.get(&format!("/webhooks/{endpoint}/deliveries")).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let items = page["items"].as_array().cloned().unwrap_or_default();
        if done(&items) {
            return items;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the deliveries of endpoint {endpoint} did not settle");
}

/// Makes the delivery that waits for its next try due now, once its job is back in the queue
/// (the log shows the failed try a moment before the worker requeues the job); answers how many
/// there were.
async fn due_again(db: &bridge::store::Db) -> u64 {
    for _ in 0..300 {
        let sql = "UPDATE jobs SET run_at = 0 WHERE kind = 'webhook.delivery' AND state = 'queued'";
        let n = db.execute(sql, &[]).await.unwrap();
        if n > 0 {
            return n;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    0
}

/// A submitted request with a title unique to the test, and the IT user's API.
async fn submitted_request(app: &TestApp, title: &str) -> (i64, Api) {
    let author = person_id(app, BUSINESS).await;
    let id = builders::request().title(title).status(Status::Submitted).by(author).create(&app.db).await;
    (id, app.api(&app.token(IT_USER).await))
}

#[tokio::test]
async fn a_decision_reaches_a_signed_json_endpoint_and_a_slack_channel() {
    on_each_demo_db(|app| async move {
        let secret = Arc::new(Mutex::new(String::new()));
        let json_receiver = Receiver::start(secret.clone(), vec![]).await;
        let slack_receiver = Receiver::start(Arc::default(), vec![]).await;
        let admin = app.api(&app.token(ADMIN).await);
        let (status, endpoint) = admin
            .post(
                "/webhooks",
                json!({"name": "Portfolio system", "url": json_receiver.url, "format": "json",
                "events": ["request.decided", "request.delivered"]}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{endpoint}");
        *secret.lock().unwrap() = endpoint["secret"].as_str().unwrap().to_string();
        assert!(endpoint["secret"].as_str().unwrap().starts_with("whsec_"));
        let (status, slack) = admin
            .post(
                "/webhooks",
                json!({"name": "#it-requests", "url": slack_receiver.url, "format": "slack",
                "events": ["request.decided"]}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{slack}");

        let title = format!("Route planning {}", now_ms());
        let (id, it) = submitted_request(&app, &title).await;
        let (status, body) =
            it.post(&format!("/requests/{id}/transitions"), json!({"action": "start_assessment"})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = it
            .post(
                &format!("/requests/{id}/transitions"),
                json!({"action": "approve", "reason": "Saves a van a day.", "without_assessment": true}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");

        let got = json_receiver.wait_for(1).await;
        assert_eq!(got.len(), 1, "starting the assessment is not an event the endpoint chose: {got:?}");
        let m = &got[0];
        assert_eq!(m.event, "request.decided");
        assert_eq!(m.signed_ok, Some(true), "the signature checks out with the endpoint's secret");
        assert_eq!(m.body["event"], "request.decided");
        assert_eq!(m.body["request"]["id"], id);
        assert_eq!(m.body["request"]["title"], title.as_str());
        assert_eq!(m.body["request"]["status"], "approved");
        assert_eq!(m.body["request"]["reason"], "Saves a van a day.");
        assert_eq!(m.body["url"], format!("http://bridge.test/requests/{id}"));
        assert!(m.body["text"].as_str().unwrap().contains("approved by Joanna"), "{}", m.body);

        let slack_got = slack_receiver.wait_for(1).await;
        assert_eq!(slack_got[0].signed_ok, None, "Slack messages carry no signature headers");
        assert!(slack_got[0].body["text"].as_str().unwrap().contains(&title));
        assert_eq!(slack_got[0].body["blocks"][1]["elements"][0]["url"], format!("http://bridge.test/requests/{id}"));

        let log = deliveries_when(&admin, endpoint["id"].as_i64().unwrap(), |d| {
            d.first().is_some_and(|d| d["state"] == "delivered")
        })
        .await;
        assert_eq!(log.len(), 1);
        assert_eq!(log[0]["status_code"], 200);
        assert_eq!(log[0]["attempts"], 1);
        assert_eq!(log[0]["event"], "request.decided");
    })
    .await;
}

#[tokio::test]
async fn a_failing_or_slow_receiver_is_tried_again_and_never_holds_up_the_request() {
    on_each_demo_db(|mut app| async move {
        // First a 500, then no answer in time, then 200.
        let receiver = Receiver::start(Arc::default(), vec![500, 0]).await;
        let admin = app.api(&app.token(ADMIN).await);
        let (status, endpoint) = admin
            .post(
                "/webhooks",
                json!({"name": "Teams: IT leadership", "url": receiver.url, "format": "teams",
                "events": ["request.submitted", "request.decided"]}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{endpoint}");
        let endpoint_id = endpoint["id"].as_i64().unwrap();

        // No worker runs: the decision is recorded and answered without waiting for the receiver.
        app.stop_worker().await;
        let (id, it) = submitted_request(&app, &format!("Shelf labels {}", now_ms())).await;
        it.post(&format!("/requests/{id}/transitions"), json!({"action": "start_assessment"})).await;
        let (status, body) =
            it.post(&format!("/requests/{id}/transitions"), json!({"action": "defer", "reason": "After peak."})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (_, page) = admin.get(&format!("/webhooks/{endpoint_id}/deliveries")).await;
        assert_eq!(page["items"][0]["state"], "pending");

        let worker = app.another_server().await;
        let log = deliveries_when(&admin, endpoint_id, |d| d.first().is_some_and(|d| d["state"] == "retrying")).await;
        assert_eq!(log[0]["status_code"], 500);
        assert!(log[0]["error"].as_str().unwrap().contains("receiver says hello"), "{}", log[0]);
        assert_eq!(due_again(&app.db).await, 1, "the delivery waits to be tried again");

        let log = deliveries_when(&admin, endpoint_id, |d| {
            d.first().is_some_and(|d| d["attempts"] == 2 && d["state"] == "retrying")
        })
        .await;
        assert!(log[0]["status_code"].is_null());
        assert!(log[0]["error"].as_str().unwrap().contains("did not answer within"), "{}", log[0]);

        due_again(&app.db).await;
        let log = deliveries_when(&admin, endpoint_id, |d| d.first().is_some_and(|d| d["state"] == "delivered")).await;
        assert_eq!(log[0]["attempts"], 3);
        let got = receiver.wait_for(3).await;
        let card = &got.last().unwrap().body["attachments"][0];
        assert_eq!(card["contentType"], "application/vnd.microsoft.card.adaptive");
        assert!(card["content"]["body"][0]["text"].as_str().unwrap().contains("deferred"), "{card}");
        drop(worker);
    })
    .await;
}

#[tokio::test]
async fn the_admin_pages_keep_bad_input_and_send_a_test() {
    on_each_demo_db(|app| async move {
        let receiver = Receiver::start(Arc::default(), vec![]).await;
        let browser = app.signed_in(ADMIN).await;
        let r = browser
            .post_form(
                "/admin/webhooks",
                &[("name", "Ops channel"), ("url", "hooks.example.com/x"), ("format", "slack"), ("active", "on")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("value=\"Ops channel\""), "the name is kept");
        assert!(page.contains("value=\"hooks.example.com/x\""), "the address is kept");
        assert!(page.contains("starts with https://"), "the address's problem is named");
        assert!(page.contains("Choose at least one event"), "the missing events are named");

        let r = browser
            .post_form(
                "/admin/webhooks",
                &[
                    ("name", "Ops channel"),
                    ("url", &receiver.url),
                    ("format", "json"),
                    ("events", "request.submitted"),
                    ("events", "request.delivered"),
                    ("active", "on"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "on to the endpoint's page");
        let location = r.headers()["location"].to_str().unwrap();
        let endpoint_page = location.split('?').next().unwrap().to_string();
        assert!(endpoint_page.starts_with("/admin/webhooks/"), "{endpoint_page}");
        let (_, html) = browser.text(&endpoint_page).await;
        assert!(html.contains("whsec_"), "the signing secret is shown");

        let r = browser.post_form(&format!("{endpoint_page}/test"), &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let got = receiver.wait_for(1).await;
        assert_eq!(got[0].event, "test");
        assert!(got[0].body["text"].as_str().unwrap().contains("A test from Bridge"));
        for _ in 0..300 {
            let (_, html) = browser.text(&endpoint_page).await;
            if html.contains("HTTP 200") {
                assert!(html.contains("A test message"), "the log names the event");
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("the test delivery never showed as delivered on the page");
    })
    .await;
}
