//! Champions and value reviews through HTTP: delivery schedules the reviews, a review that falls
//! due tells the sponsor, who confirms (a value receipt) or disputes it, once.

use std::time::Duration;

use bridge::store::jobs::NewJob;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::*;

/// A demo request in delivery, with targets.
async fn in_delivery(api: &Api) -> i64 {
    let (_, all) = api.get("/initiatives?per_page=200").await;
    all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["status"] == "in_delivery" && !i["targets"].as_array().unwrap().is_empty())
        .unwrap_or_else(|| panic!("the demo has a request in delivery with targets: {all}"))["request_id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn it_champions_an_initiative_with_a_brief_in_business_words() {
    on_each_demo_db(|app| async move {
        let it = app.api(&app.token(IT_USER).await);
        let business = app.api(&app.token(BUSINESS).await);
        let id = in_delivery(&it).await;
        let joanna = person_id(&app, IT_USER).await;
        let rajesh = person_id(&app, BUSINESS).await;
        let path = format!("/initiatives/{id}/champion");
        let body = |champion: i64, version: i64| {
            json!({"champion_id": champion, "brief": "An API lets the tills ask for stock at once, so no sale is lost.",
                "review_days": "90, 30", "version": version})
        };
        let (status, _) = business.put(&path, body(joanna, 0)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "IT chooses the champion");
        let (status, err) = it.put(&path, body(rajesh, 0)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a champion is from IT: {err}");
        let mut bad_days = body(joanna, 0);
        bad_days["review_days"] = json!("soon");
        let (status, err) = it.put(&path, bad_days).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(err["error"]["fields"]["review_days"].is_string(), "{err}");
        let (status, _) = it.put(&path, body(joanna, 7)).await;
        assert_eq!(status, StatusCode::CONFLICT, "the demo set a champion: version 1, not 7");
        let (_, current) = it.get(&format!("/initiatives/{id}")).await;
        assert!(current["champion_name"].is_string(), "{current}");
        let (status, saved) = it.put(&path, body(joanna, 1)).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert_eq!(saved["review_days"], "30,90");
        assert!(saved["jargon"].as_array().unwrap().iter().any(|j| j.as_str().unwrap().starts_with("API")), "{saved}");
        let (_, initiative) = it.get(&format!("/initiatives/{id}")).await;
        assert_eq!(initiative["champion_name"], "Joanna Wiśniewska");
        let b = app.signed_in(BUSINESS).await;
        let (_, page) = b.text(&format!("/requests/{id}")).await;
        assert!(page.contains("Joanna Wiśniewska</strong> (IT) champions it"), "{page}");
        assert!(page.contains("tills ask for stock"));
        let (_, portfolio) = b.text("/value").await;
        assert!(portfolio.contains("Champion: Joanna Wiśniewska"));
    })
    .await;
}

#[tokio::test]
async fn delivery_schedules_reviews_the_sponsor_confirms_or_disputes_once() {
    on_each_demo_db(|app| async move {
        let it = app.api(&app.token(IT_USER).await);
        let admin = app.api(&app.token(ADMIN).await);
        let id = in_delivery(&it).await;
        let (status, err) = it.post(&format!("/initiatives/{id}/reviews"), json!({})).await;
        assert_eq!(status, StatusCode::CONFLICT, "a review comes after delivery: {err}");

        let (status, _) = it.post(&format!("/requests/{id}/transitions"), json!({"action": "mark_delivered"})).await;
        assert_eq!(status, StatusCode::OK);
        let (_, jobs) = admin.get("/jobs?state=queued&per_page=200").await;
        let mut due: Vec<i64> = jobs["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|j| {
                j["kind"] == "value.review_due"
                    && j["payload"].as_str().unwrap().contains(&format!("\"request_id\":{id},"))
            })
            .map(|j| {
                ((j["run_at"].as_i64().unwrap() - j["created_at"].as_i64().unwrap()) as f64 / 86_400_000.0).round()
                    as i64
            })
            .collect();
        due.sort_unstable();
        assert_eq!(due, vec![30, 90, 180], "reviews 30, 90 and 180 days after delivery: {jobs}");

        // A review job that comes due (here at once) opens the review and tells the sponsor.
        app.db
            .enqueue(&NewJob {
                kind: "value.review_due".into(),
                payload: json!({"request_id": id, "after_days": 30}).to_string(),
                run_at: 0,
                max_attempts: 3,
            })
            .await
            .unwrap();
        // The job opens the review, then moves the request on to its value review.
        let mut reviews = json!([]);
        let mut status = json!("");
        for _ in 0..100 {
            reviews = it.get(&format!("/initiatives/{id}/reviews")).await.1;
            status = it.get(&format!("/requests/{id}")).await.1["status"].clone();
            if !reviews.as_array().unwrap().is_empty() && status == "value_review" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let review = reviews[0].clone();
        assert_eq!((review["after_days"].as_i64(), review["state"].as_str()), (Some(30), Some("due")), "{reviews}");
        assert_eq!(status, "value_review", "the first review moves the request on");
        let rid = review["id"].as_i64().unwrap();

        // Only the sponsor (or an admin) decides; a dispute says why; a review is decided once.
        let decide = |what: &str| format!("/initiatives/{id}/reviews/{rid}/{what}");
        let (status, _) = it.post(&decide("confirm"), json!({})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, err) = admin.post(&decide("dispute"), json!({"note": "no"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(err["error"]["fields"]["note"].is_string(), "{err}");
        let (status, confirmed) = admin.post(&decide("confirm"), json!({"note": "As in the monthly report."})).await;
        assert_eq!(status, StatusCode::OK, "{confirmed}");
        assert_eq!(confirmed["state"], "confirmed");
        assert!(
            confirmed["result"].as_str().unwrap().contains("\"targets\""),
            "what was measured is kept: {confirmed}"
        );
        let (status, _) = admin.post(&decide("dispute"), json!({"note": "Changed my mind about it."})).await;
        assert_eq!(status, StatusCode::CONFLICT, "decided once");
        let (_, receipts) = it.get("/receipts").await;
        assert!(receipts.as_array().unwrap().iter().any(|r| r["review_id"] == rid), "{receipts}");

        // Another by hand, disputed on the sponsor's page.
        let (status, asked) = it.post(&format!("/initiatives/{id}/reviews"), json!({})).await;
        assert_eq!(status, StatusCode::CREATED, "{asked}");
        let (status, _) = it.post(&format!("/initiatives/{id}/reviews"), json!({})).await;
        assert_eq!(status, StatusCode::CONFLICT, "one waiting at a time");
        let b = app.signed_in(ADMIN).await;
        let page = format!("/requests/{id}/reviews/{}", asked["id"]);
        let (_, html) = b.text(&page).await;
        assert!(html.contains("What was measured") && html.contains("Dispute it"), "{html}");
        let r = b.post_form(&page, &[("decision", "dispute"), ("note", "")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let r =
            b.post_form(&page, &[("decision", "dispute"), ("note", "The new courier cut returns, not this.")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, html) = b.text(&format!("/requests/{id}")).await;
        assert!(html.contains("Disputed") && html.contains("The new courier cut returns"), "{html}");

        // The last scheduled review (180 days), confirmed, closes it.
        app.db
            .enqueue(&NewJob {
                kind: "value.review_due".into(),
                payload: json!({"request_id": id, "after_days": 180}).to_string(),
                run_at: 0,
                max_attempts: 3,
            })
            .await
            .unwrap();
        let mut last = None;
        for _ in 0..100 {
            let (_, all) = it.get(&format!("/initiatives/{id}/reviews")).await;
            last = all.as_array().unwrap().iter().find(|r| r["after_days"] == 180).map(|r| r["id"].as_i64().unwrap());
            if last.is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let last = last.expect("the 180-day review opened");
        let (status, _) = admin.post(&format!("/initiatives/{id}/reviews/{last}/confirm"), json!({})).await;
        assert_eq!(status, StatusCode::OK);
        let (_, r) = it.get(&format!("/requests/{id}")).await;
        assert_eq!(r["status"], "closed", "{r}");
    })
    .await;
}

#[tokio::test]
async fn the_demo_has_receipts_confirmed_and_one_disputed() {
    on_each_demo_db(|app| async move {
        let api = app.api(&app.token(VIEWER).await);
        let (_, receipts) = api.get("/receipts").await;
        assert!(!receipts.as_array().unwrap().is_empty(), "{receipts}");
        let (_, all) = api.get("/initiatives?per_page=200").await;
        let mut disputed = 0;
        for i in all["items"].as_array().unwrap() {
            let (_, reviews) = api.get(&format!("/initiatives/{}/reviews", i["request_id"])).await;
            disputed += reviews.as_array().unwrap().iter().filter(|r| r["state"] == "disputed").count();
        }
        assert_eq!(disputed, 1);
    })
    .await;
}

/// Runs a job of `kind` now and waits until the worker has done it (a job done is removed).
#[tokio::test]
async fn a_target_turning_off_track_tells_its_champion_once() {
    on_each_demo_db(|app| async move {
        let it = app.api(&app.token(IT_USER).await);
        let (id, metric) = crate::value_pages::unmeasured_initiative(&it).await;
        let joanna = person_id(&app, IT_USER).await;
        let (_, current) = it.get(&format!("/initiatives/{id}")).await;
        let version = if current["champion_id"].is_i64() { 1 } else { 0 };
        let (status, _) = it
            .put(
                &format!("/initiatives/{id}/champion"),
                json!({"champion_id": joanna, "brief": "", "version": version}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (_, kpi) = it
            .post(
                "/kpis",
                json!({"name": "Lockers in use", "definition": "Share of the store lockers holding a parcel each week.",
                    "unit": "percent", "benefit": "satisfaction", "direction": "higher", "frequency": "weekly"}),
            )
            .await;
        let kpi_id = kpi["id"].as_i64().unwrap();
        let (status, t) = it
            .post(
                &format!("/kpis/{kpi_id}/targets"),
                json!({"request_id": id, "metric": metric, "baseline": 10, "baseline_date": "2025-12-31",
                    "kind": "increase_to", "value": 20, "target_date": "2027-01-31",
                    "benefit_start": "date", "benefit_date": "2026-01-01"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{t}");
        // It falls instead of rising: off track.
        it.post(&format!("/kpis/{kpi_id}/measurements"), json!({"measurements": [{"date": "2026-11-30", "value": 9}]}))
            .await;
        let notices = |body: serde_json::Value| {
            body.as_array()
                .unwrap()
                .iter()
                .filter(|n| n["text"].as_str().unwrap().contains("is off track: Lockers in use"))
                .count()
        };
        run_now(&app, "value.watch").await;
        let (_, mine) = it.get("/notifications?per_page=100").await;
        assert_eq!(notices(mine.clone()), 1, "the champion is told: {mine}");
        // The next day's watch has nothing new to tell.
        run_now(&app, "value.watch").await;
        let (_, mine) = it.get("/notifications?per_page=100").await;
        assert_eq!(notices(mine), 1, "told once");
    })
    .await;
}
