//! Email through a real SMTP server (aiosmtpd, started by scripts/test-services.sh, which keeps
//! what it receives in a maildir): a mention emailed at once with its link and one-click
//! unsubscribe, a daily digest, settings, and a mail server that is down.

use std::time::Duration;

use bridge::ops::jobs::Worker;
use bridge::ops::mail::{Mailer, DAILY_DIGESTS};
use bridge::store::jobs::NewJob;
use bridge::store::notifications::EMAIL_JOB;
use bridge::store::now_ms;
use bridge_domain::intake::Status;
use bridge_domain::jobs::JobState;
use reqwest::StatusCode;
use serde_json::json;

use crate::builders;
use crate::support::*;

/// Every message the test mail server received that mentions `marker`.
pub fn received(marker: &str) -> Vec<String> {
    let dir =
        std::env::var("BRIDGE_TEST_MAILDIR").expect("run the tests with scripts/test.sh, which starts a mail server");
    let mut found = Vec::new();
    for sub in ["new", "cur"] {
        for entry in std::fs::read_dir(std::path::Path::new(&dir).join(sub)).into_iter().flatten().flatten() {
            if let Ok(text) = std::fs::read_to_string(entry.path()) {
                if text.contains(marker) {
                    found.push(text);
                }
            }
        }
    }
    found
}

pub async fn wait_for_mail(marker: &str, count: usize) -> Vec<String> {
    for _ in 0..250 {
        let got = received(marker);
        if got.len() >= count {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("no email with {marker:?} arrived");
}

/// A submitted request by the business user, with a title unique to the test, and the IT user's API.
async fn mention_setup(app: &TestApp, title: &str) -> (i64, Api) {
    let author = person_id(app, BUSINESS).await;
    let id = builders::request().title(title).status(Status::Submitted).by(author).create(&app.db).await;
    (id, app.api(&app.token(IT_USER).await))
}

#[tokio::test]
async fn a_mention_is_emailed_with_its_link_and_one_click_unsubscribe() {
    on_each_demo_db(|app| async move {
        let title = format!("Dock scheduling {}", now_ms());
        let (id, it) = mention_setup(&app, &title).await;
        let (status, _) = it
            .post(&format!("/requests/{id}/comments"), json!({"body": "@Rajesh Menon can you confirm the docks?"}))
            .await;
        assert_eq!(status, StatusCode::CREATED);
        let mail = wait_for_mail(&title, 1).await;
        let m = &mail[0];
        assert!(
            m.contains("To: \"Rajesh Menon\" <rajesh.menon@alderbrook.example>")
                || m.contains("To: Rajesh Menon <rajesh.menon@alderbrook.example>"),
            "{m}"
        );
        assert!(m.contains("From: Bridge <bridge@alderbrook.example>"), "{m}");
        assert!(m.contains("Content-Type: multipart/alternative"), "{m}");
        assert!(m.contains("text/plain") && m.contains("text/html"), "{m}");
        assert!(
            m.contains(&format!("http://bridge.test/requests/{id}#comment-")),
            "the email links to the comment: {m}"
        );
        assert!(m.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), "{m}");
        let unsubscribe = m
            .lines()
            .find_map(|l| l.strip_prefix("List-Unsubscribe: <http://bridge.test"))
            .and_then(|l| l.strip_suffix('>'))
            .expect("an unsubscribe link")
            .to_string();

        // A forged link changes nothing; the real one, posted as a mail program does, stops these emails.
        let client = reqwest::Client::new();
        let forged = unsubscribe.replace("sig=", "sig=AAAA");
        let r = client.post(app.url(&forged)).body("List-Unsubscribe=One-Click").send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = client.get(app.url(&unsubscribe)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Stop these emails?"), "opening the link only asks: {page}");
        let r = client.post(app.url(&unsubscribe)).body("List-Unsubscribe=One-Click").send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.text().await.unwrap().contains("No more of these emails"));

        let (status, _) =
            it.post(&format!("/requests/{id}/comments"), json!({"body": "@Rajesh Menon second ping"})).await;
        assert_eq!(status, StatusCode::CREATED);
        let business = app.api(&app.token(BUSINESS).await);
        let (_, notes) = business.get("/notifications").await;
        assert!(notes[0]["text"].as_str().unwrap().contains("mentioned you"), "still told in the app: {notes}");
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(received(&title).len(), 1, "no second email after unsubscribing");
    })
    .await;
}

#[tokio::test]
async fn a_daily_digest_collects_what_was_not_emailed_at_once() {
    on_each_demo_db(|app| async move {
        let title = format!("Pallet labels {}", now_ms());
        let (id, it) = mention_setup(&app, &title).await;
        // Rajesh chooses a daily digest for mentions on the settings page.
        let rajesh = app.signed_in(BUSINESS).await;
        let (status, page) = rajesh.text("/notifications/settings").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("When someone mentions you"), "{page}");
        let r = rajesh.post_form("/notifications/settings", &[("mention", "daily"), ("my_requests", "email")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let r = rajesh.post_form("/notifications/settings", &[("mention", "hourly")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "an unknown choice is refused");
        let api = app.api(&app.token(BUSINESS).await);
        let (_, choices) = api.get("/notifications/settings").await;
        assert_eq!(
            choices,
            json!([{"kind": "mention", "delivery": "daily"}, {"kind": "my_requests", "delivery": "email"},
                {"kind": "waiting_for_me", "delivery": "daily"}])
        );
        let (status, err) = api.put("/notifications/settings", json!([{"kind": "mention", "delivery": "sms"}])).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error_code(&err), "validation_failed");

        for n in 1..=2 {
            let body = json!({"body": format!("@Rajesh Menon note {n}")});
            assert_eq!(it.post(&format!("/requests/{id}/comments"), body).await.0, StatusCode::CREATED);
        }
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert!(received(&title).is_empty(), "nothing at once");

        // The day's digest run (made by the schedule at 07:00 UTC; here at once).
        let run = NewJob { kind: DAILY_DIGESTS.into(), payload: "{}".into(), run_at: now_ms() + 200, max_attempts: 3 };
        app.db.enqueue(&run).await.unwrap();
        let digest = wait_for_mail(&title, 1).await;
        let d = &digest[0];
        // Both mentions, and the demo's mention of two hours ago: three in one email.
        assert!(d.contains("Subject: Bridge: 3 updates since yesterday"), "{d}");
        assert_eq!(digest.len(), 1, "one email for the day");
        assert!(d.contains("Stop these digests"), "{d}");
        assert!(d.contains("List-Unsubscribe: <http://bridge.test/unsubscribe?account="), "{d}");
        assert!(d.contains("rajesh.menon@alderbrook.example"));
    })
    .await;
}

#[tokio::test]
async fn a_mail_server_that_is_down_delays_mail_and_loses_none() {
    on_each_demo_db(|mut app| async move {
        app.stop_worker().await;
        let title = format!("Freezer alarms {}", now_ms());
        let (id, it) = mention_setup(&app, &title).await;
        let (status, _) =
            it.post(&format!("/requests/{id}/comments"), json!({"body": "@Rajesh Menon alarms again"})).await;
        assert_eq!(status, StatusCode::CREATED, "the comment does not wait for mail");

        // A server whose mail server refuses connections.
        let down = std::sync::Arc::new(
            Mailer::new("smtp://127.0.0.1:9?tls=none", "Bridge <b@alderbrook.example>", "http://bridge.test").unwrap(),
        );
        let handlers = bridge::ops::mail::handlers(bridge::ops::jobs::Handlers::standard(), app.db.clone(), Some(down));
        let (stop, stopping) = tokio::sync::watch::channel(false);
        let worker = tokio::spawn(
            Worker::new(app.db.clone(), handlers, test_worker_config(), app.state.jobs.clone()).run(stopping),
        );
        let mut job = None;
        for _ in 0..250 {
            let (jobs, _) = app.db.list_jobs(None, bridge::store::Page::new(None, None)).await.unwrap();
            job = jobs.into_iter().find(|j| j.kind == EMAIL_JOB && j.attempts == 1 && j.state == JobState::Queued);
            if job.is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let _ = stop.send(true);
        worker.await.unwrap();
        let job = job.expect("the email job failed once and waits to be tried again");
        assert!(job.last_error.starts_with("The mail server refused it"), "{}", job.last_error);
        assert!(received(&title).is_empty());

        // The mail server is back: the next try delivers it.
        app.db.execute("UPDATE jobs SET run_at = 0 WHERE id = $1", &[job.id.into()]).await.unwrap();
        let _back = app.another_server().await;
        wait_for_mail(&title, 1).await;
    })
    .await;
}

#[tokio::test]
async fn work_waiting_reaches_it_people_daily_and_the_author_of_a_request_sent_back() {
    on_each_demo_db(|app| async move {
        let title = format!("Dock sensors {}", now_ms());
        let business = app.api(&app.token(BUSINESS).await);
        let (status, created) = business.post("/requests", builders::clear_request(&business, &title).await).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let id = created["id"].as_i64().unwrap();
        let (status, body) = business.post(&format!("/requests/{id}/transitions"), json!({"action": "submit"})).await;
        assert_eq!(status, StatusCode::OK, "{body}");

        let it = app.api(&app.token(IT_USER).await);
        let (_, notes) = it.get("/notifications").await;
        let waiting = notes.as_array().unwrap().iter().find(|n| n["text"].as_str().unwrap().contains(&title));
        let waiting = waiting.expect("the IT person hears of the new request");
        assert_eq!(waiting["kind"], "waiting_for_me");
        assert!(waiting["text"].as_str().unwrap().starts_with("New request to assess"));
        let (_, settings) = it.get("/notifications/settings").await;
        assert!(settings.as_array().unwrap().contains(&json!({"kind": "waiting_for_me", "delivery": "daily"})));
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(received(&title).is_empty(), "work waiting comes in the daily digest, not at once");

        let (status, body) =
            it.post(&format!("/requests/{id}/transitions"), json!({"action": "start_assessment"})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = it
            .post(&format!("/requests/{id}/transitions"), json!({"action": "send_back", "reason": "Which docks?"}))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (_, notes) = business.get("/notifications").await;
        let back = notes
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["kind"] == "waiting_for_me" && n["text"].as_str().unwrap().contains(&title));
        assert!(back.expect("the author hears it waits for them")["text"].as_str().unwrap().contains("sent it back"));
    })
    .await;
}
