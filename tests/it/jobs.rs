//! Background jobs through the real worker: run once, retried with backoff, listed when failed
//! and retried by an administrator, shared by two servers, finished or put back on shutdown, and
//! taken back from a server that died.

use std::time::Duration;

use bridge::ops::jobs::Worker;
use bridge::store::jobs::NewJob;
use bridge::store::now_ms;
use bridge_domain::jobs::{JobState, Schedule};
use reqwest::StatusCode;
use serde_json::json;

use crate::support::*;

/// Waits up to five seconds for `check` to hold.
async fn eventually<F, Fut>(what: &str, check: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..250 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("timed out waiting until {what}");
}

fn recorded(tag: &str) -> Vec<i64> {
    RECORDED.lock().unwrap().iter().filter(|(t, _)| t == tag).map(|(_, id)| *id).collect()
}

fn job(kind: &str, payload: serde_json::Value, max_attempts: i64) -> NewJob {
    NewJob { kind: kind.into(), payload: payload.to_string(), run_at: now_ms(), max_attempts }
}

fn unique_tag(name: &str) -> String {
    format!("{name}-{}-{}", std::process::id(), now_ms())
}

#[tokio::test]
async fn a_job_runs_once_and_leaves_the_queue() {
    on_each_demo_db(|app| async move {
        let tag = unique_tag("once");
        let id = app.state.jobs.add(&app.db, "test.record", json!({"tag": tag}), None).await.unwrap();
        eventually("the job ran", || async { recorded(&tag) == vec![id] }).await;
        eventually("the job left the queue", || async { app.db.get_job(id).await.is_err() }).await;
        let admin = app.api(&app.token(ADMIN).await);
        let (status, size) = admin.get("/job-queue").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(size["running"], 0, "{size}");
    })
    .await;
}

#[tokio::test]
async fn a_failing_job_backs_off_then_is_listed_and_an_admin_retries_it() {
    on_each_demo_db(|app| async move {
        let id = app.db.enqueue(&job("test.fail", json!({}), 2)).await.unwrap();
        app.state.jobs.wake.notify_one();
        eventually("the first attempt failed", || async {
            let j = app.db.get_job(id).await.unwrap();
            j.state == JobState::Queued && j.attempts == 1
        })
        .await;
        let j = app.db.get_job(id).await.unwrap();
        assert_eq!(j.last_error, "The receiving end said no.");
        assert!(j.run_at > now_ms() + 5_000, "the retry waits (about 10 s after the first failure)");

        // Skip the wait; the second attempt is the last.
        app.db.execute("UPDATE jobs SET run_at = 0 WHERE id = $1", &[id.into()]).await.unwrap();
        eventually("the job failed for good", || async { app.db.get_job(id).await.unwrap().state == JobState::Failed })
            .await;

        let admin = app.api(&app.token(ADMIN).await);
        let (status, failed) = admin.get("/jobs?state=failed").await;
        assert_eq!(status, StatusCode::OK);
        let listed = failed["items"].as_array().unwrap().iter().find(|j| j["id"] == id).expect("listed").clone();
        assert_eq!(listed["attempts"], 2);
        assert_eq!(listed["last_error"], "The receiving end said no.");
        assert_eq!(admin.get("/jobs?state=finished").await.0, StatusCode::UNPROCESSABLE_ENTITY);
        let it = app.api(&app.token(IT_USER).await);
        assert_eq!(it.get("/jobs").await.0, StatusCode::FORBIDDEN);
        assert_eq!(it.post(&format!("/jobs/{id}/retry"), json!({})).await.0, StatusCode::FORBIDDEN);

        // The page lists it with its error and a retry button that works.
        let browser = app.signed_in(ADMIN).await;
        let (status, page) = browser.text("/admin/jobs").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("The receiving end said no."), "{page}");
        assert!(page.contains(&format!("(test.fail #{id})")), "the kind's code beside its words");
        assert!(page.contains(&format!("action=\"/admin/jobs/{id}/retry\"")));
        let r = browser.post_form(&format!("/admin/jobs/{id}/retry"), &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        eventually("the retried job was tried again", || async {
            let j = app.db.get_job(id).await.unwrap();
            j.state == JobState::Queued && j.attempts == 1
        })
        .await;
        assert_eq!(
            admin.post(&format!("/jobs/{id}/retry"), json!({})).await.0,
            StatusCode::CONFLICT,
            "only failed jobs"
        );
        let (_, audit) = admin.get("/audit?entity=job").await;
        assert!(audit["items"][0]["summary"].as_str().unwrap().contains("Retried the test.fail job"), "{audit}");

        let metrics = browser.text("/metrics").await.1;
        assert!(metrics.contains("bridge_jobs{state=\"queued\"}"), "{metrics}");
        assert!(metrics.contains("bridge_job_runs_total{outcome=\"failed\"} 1"), "{metrics}");
        assert!(metrics.contains("bridge_job_latency_seconds_count"));
    })
    .await;
}

#[tokio::test]
async fn two_servers_run_each_job_once() {
    on_each_demo_db(|app| async move {
        let other = app.another_server().await;
        let tag = unique_tag("shared");
        let mut ids = Vec::new();
        for _ in 0..300 {
            ids.push(app.db.enqueue(&job("test.record", json!({"tag": tag}), 3)).await.unwrap());
        }
        app.state.jobs.wake.notify_one();
        other.state.jobs.wake.notify_one();
        eventually("every job ran", || async { recorded(&tag).len() >= 300 }).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        let mut ran = recorded(&tag);
        ran.sort();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 300, "no job id was given twice");
        assert_eq!(ran, ids, "each job ran exactly once");
    })
    .await;
}

#[tokio::test]
async fn shutdown_finishes_a_short_job_and_puts_a_long_one_back() {
    on_each_demo_db(|mut app| async move {
        let short = app.state.jobs.add(&app.db, "test.slow", json!({"ms": 300}), None).await.unwrap();
        eventually("the short job started", || async {
            app.db.get_job(short).await.is_ok_and(|j| j.state == JobState::Running)
        })
        .await;
        app.stop_worker().await;
        assert!(app.db.get_job(short).await.is_err(), "it finished within the grace period");

        let mut other = app.another_server().await;
        let long = other.state.jobs.add(&app.db, "test.slow", json!({"ms": 20_000}), None).await.unwrap();
        eventually("the long job started", || async {
            app.db.get_job(long).await.is_ok_and(|j| j.state == JobState::Running)
        })
        .await;
        other.stop_worker().await;
        let j = app.db.get_job(long).await.unwrap();
        assert_eq!(j.state, JobState::Queued, "back in the queue for another server");
        assert_eq!(j.attempts, 0, "the interrupted attempt does not count");
        assert_eq!(j.locked_by, None);
    })
    .await;
}

#[tokio::test]
async fn a_job_held_by_a_server_that_died_is_taken_back() {
    on_each_demo_db(|mut app| async move {
        app.stop_worker().await;
        let tag = unique_tag("orphan");
        let id = app.db.enqueue(&job("test.record", json!({"tag": tag}), 3)).await.unwrap();
        // A server claims it and dies: its lease runs out.
        let claimed = app.db.claim_jobs("gone-server", now_ms() - 1, 10).await.unwrap();
        assert_eq!(claimed.len(), 1);
        let mut other = app.another_server().await;
        eventually("another server ran it", || async { recorded(&tag) == vec![id] }).await;
        // Stopped before the database is dropped: a worker frozen inside a transaction made
        // PostgreSQL's DROP DATABASE wait a minute.
        other.stop_worker().await;
    })
    .await;
}

#[tokio::test]
async fn a_scheduled_job_is_made_once_per_period_by_two_servers() {
    on_each_db(|app| async move {
        let app = app; // the whole app (and its database) lives as long as the test
        let before = recorded("").len();
        let handlers = || test_handlers(&app.db).every(Schedule::Daily { hour: 0 }, "test.record");
        let (stop, stopping) = tokio::sync::watch::channel(false);
        let mut workers = Vec::new();
        for _ in 0..2 {
            let db = bridge::store::Db::connect(&app.database_url).await.unwrap();
            let worker = Worker::new(db, handlers(), test_worker_config(), app.state.jobs.clone());
            workers.push(tokio::spawn(worker.run(stopping.clone())));
        }
        eventually("the day's job ran", || async { recorded("").len() > before }).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let _ = stop.send(true);
        for w in workers {
            w.await.unwrap();
        }
        assert_eq!(recorded("").len(), before + 1, "one job for the day, not one per server");
    })
    .await;
}
