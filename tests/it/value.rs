//! Value through HTTP: KPIs and their measurements, on every database.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::*;

fn revenue() -> Value {
    json!({
        "name": "Web shop takings",
        "definition": "Money taken through the web shop each month, after returns.",
        "unit": "money", "currency": "eur", "benefit": "revenue", "direction": "higher",
        "frequency": "monthly", "source": "Finance BI, monthly revenue report",
    })
}

#[tokio::test]
async fn kpis_are_kept_and_checked() {
    on_each_demo_db(|app| async move {
        let business = app.api(&app.token(BUSINESS).await);
        let viewer = app.api(&app.token(VIEWER).await);
        let (status, _) = viewer.post("/kpis", revenue()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, err) = business.post("/kpis", json!({"unit": "money"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        for field in ["name", "definition", "currency", "benefit", "direction", "frequency"] {
            assert!(err["error"]["fields"][field].is_string(), "{field}: {err}");
        }
        let (status, kpi) = business.post("/kpis", revenue()).await;
        assert_eq!(status, StatusCode::CREATED, "{kpi}");
        assert_eq!(kpi["currency"], "EUR");
        let (status, err) = business.post("/kpis", revenue()).await;
        assert_eq!(status, StatusCode::CONFLICT, "one name, one KPI: {err}");
        let id = kpi["id"].as_i64().unwrap();
        let mut change = revenue();
        change["source"] = json!("Finance BI");
        let (status, _) = business.put(&format!("/kpis/{id}"), change.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "needs the version");
        change["version"] = kpi["version"].clone();
        let (status, saved) = business.put(&format!("/kpis/{id}"), change.clone()).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert_eq!(saved["source"], "Finance BI");
        let (status, _) = business.put(&format!("/kpis/{id}"), change).await;
        assert_eq!(status, StatusCode::CONFLICT, "stale version");
        let (_, all) = viewer.get("/kpis").await;
        assert!(all.as_array().unwrap().iter().any(|k| k["id"] == id));
    })
    .await;
}

#[tokio::test]
async fn measurements_are_checked_all_or_none_idempotent_and_corrected_explicitly() {
    on_each_demo_db(|app| async move {
        let bi = app.api(&app.token(IT_USER).await);
        let (_, kpi) = bi.post("/kpis", revenue()).await;
        let path = format!("/kpis/{}/measurements", kpi["id"]);
        let batch = json!({"measurements": [
            {"date": "2026-09-30", "value": 120500, "key": "rev-2026-09"},
            {"date": "2026-10-31", "value": "131,250.50", "key": "rev-2026-10", "note": "Autumn sale"},
        ]});
        let (status, done) = bi.post(&path, batch.clone()).await;
        assert_eq!(status, StatusCode::OK, "{done}");
        assert_eq!(done, json!({"added": 2, "corrected": 0, "unchanged": 0}));
        // The nightly job sends the same rows again: nothing changes.
        let (_, again) = bi.post(&path, batch).await;
        assert_eq!(again, json!({"added": 0, "corrected": 0, "unchanged": 2}));

        // Bad rows: each named, and none of the call is written.
        let (status, err) = bi
            .post(
                &path,
                json!({"measurements": [
                    {"date": "2026-11-30", "value": 1},
                    {"date": "30/11/2026", "value": "lots"},
                    {"date": "2026-11-29", "value": 5, "currency": "USD"},
                    {"date": "2999-01-01", "value": 5},
                ]}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        let fields = &err["error"]["fields"];
        assert!(fields["measurements[1].date"].is_string() && fields["measurements[1].value"].is_string(), "{err}");
        assert_eq!(fields["measurements[2].currency"], "This KPI is measured in EUR.");
        assert!(fields["measurements[3].date"].is_string());
        let (_, list) = bi.get(&path).await;
        assert_eq!(list.as_array().unwrap().len(), 2, "nothing half-written: {list}");

        // A second value for a day is refused unless it is a correction, which keeps the first.
        let (status, err) = bi.post(&path, json!({"measurements": [{"date": "2026-10-31", "value": 130000}]})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{err}");
        assert!(err["error"]["message"].as_str().unwrap().contains("2026-10-31 already has a value"), "{err}");
        let (_, fixed) = bi
            .post(&path, json!({"measurements": [{"date": "2026-10-31", "value": 130000, "correction": true}]}))
            .await;
        assert_eq!(fixed["corrected"], 1, "{fixed}");
        let (_, list) = bi.get(&path).await;
        let values: Vec<f64> = list.as_array().unwrap().iter().map(|m| m["value"].as_f64().unwrap()).collect();
        assert_eq!(values, [120500.0, 130000.0]);
        let (_, history) = bi.get(&format!("{path}?history=true")).await;
        assert_eq!(history.as_array().unwrap().len(), 3, "the corrected value stays in the history");
        assert!(history.as_array().unwrap().iter().any(|m| m["value"] == 131250.5 && m["replaced_at"].is_i64()));
        let (_, window) = bi.get(&format!("{path}?from=2026-10-01&to=2026-10-31")).await;
        assert_eq!(window.as_array().unwrap().len(), 1);
        let (status, _) = bi.get(&format!("{path}?from=October")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        let viewer = app.api(&app.token(VIEWER).await);
        let (status, _) = viewer.post(&path, json!({"measurements": [{"date": "2026-11-30", "value": 1}]})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn approved_requests_get_targets_on_kpis_that_say_how_they_stand() {
    on_each_demo_db(|app| async move {
        let it = app.api(&app.token(IT_USER).await);
        let (_, kpi) = it
            .post(
                "/kpis",
                json!({
                    "name": "Orders fixed by hand", "definition": "Share of orders that need fixing by hand.",
                    "unit": "percent", "benefit": "cost_saving", "direction": "lower", "frequency": "weekly",
                }),
            )
            .await;
        let targets = format!("/kpis/{}/targets", kpi["id"]);
        let (_, approved) = it.get("/requests?status=approved&per_page=1").await;
        let request = approved["items"][0]["id"].as_i64().unwrap();
        let (_, r) = it.get(&format!("/requests/{request}")).await;
        let metric = r["body"]["metrics"][0]["name"].as_str().unwrap().to_string();
        let promise = json!({
            "request_id": request, "metric": metric, "baseline": "4", "baseline_date": "2026-06-01",
            "kind": "decrease_to", "value": 2, "target_date": "2027-06-01",
        });

        // Before approval there is no initiative to hold to a target.
        let (_, drafts) = it.get("/requests?status=draft&per_page=1").await;
        let mut early = promise.clone();
        early["request_id"] = drafts["items"][0]["id"].clone();
        let (status, _) = it.post(&targets, early).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let mut unknown = promise.clone();
        unknown["metric"] = json!("Something it never promised");
        let (status, _) = it.post(&targets, unknown).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let mut wrong = promise.clone();
        wrong["value"] = json!(6);
        let (status, err) = it.post(&targets, wrong).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err["error"]["fields"]["value"], "A decrease ends below its baseline.");

        let (status, set) = it.post(&targets, promise.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "{set}");
        assert_eq!(set["status"], "not_measured");
        let (status, _) = it.post(&targets, promise).await;
        assert_eq!(status, StatusCode::CONFLICT, "one target per success metric");
        let (_, initiative) = it.get(&format!("/requests/{request}/targets")).await;
        assert_eq!(initiative["targets"].as_array().unwrap().len(), 1, "{initiative}");
        assert!(!initiative["not_measured"].as_array().unwrap().iter().any(|m| m == &json!(metric)));

        // A target set by hand counts from its baseline: half the time gone, half the way: on track.
        let (status, by_hand) = it
            .post(
                &targets,
                json!({"baseline": 4, "baseline_date": "2026-06-01", "kind": "decrease_to",
                "value": 2, "target_date": "2027-06-01"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{by_hand}");
        let (_, _) = it
            .post(
                &format!("/kpis/{}/measurements", kpi["id"]),
                json!({"measurements": [{"date": "2026-11-30", "value": 3}]}),
            )
            .await;
        let (_, all) = it.get(&targets).await;
        let hand = all.as_array().unwrap().iter().find(|t| t["id"] == by_hand["id"]).unwrap();
        assert_eq!(hand["progress"], 0.5, "{hand}");
        assert_eq!(hand["status"], "on_track");
        assert_eq!(hand["latest_date"], "2026-11-30");
        // Rising error rates turn it red.
        let (_, _) = it
            .post(
                &format!("/kpis/{}/measurements", kpi["id"]),
                json!({"measurements": [{"date": "2026-12-01", "value": 4.5}]}),
            )
            .await;
        let (_, all) = it.get(&targets).await;
        let hand = all.as_array().unwrap().iter().find(|t| t["id"] == by_hand["id"]).unwrap();
        assert_eq!(hand["status"], "off_track", "{hand}");
    })
    .await;
}

#[tokio::test]
async fn the_demo_has_kpis_with_two_years_of_numbers_and_initiatives_with_targets() {
    on_each_demo_db(|app| async move {
        let viewer = app.api(&app.token(VIEWER).await);
        let (_, kpis) = viewer.get("/kpis").await;
        let names: Vec<&str> = kpis.as_array().unwrap().iter().map(|k| k["name"].as_str().unwrap()).collect();
        assert!(names.contains(&"Online revenue") && names.contains(&"Order error rate"), "{names:?}");
        let revenue = kpis.as_array().unwrap().iter().find(|k| k["name"] == "Online revenue").unwrap();
        let (_, measured) = viewer.get(&format!("/kpis/{}/measurements", revenue["id"])).await;
        assert_eq!(measured.as_array().unwrap().len(), 24);
        let (_, targets) = viewer.get(&format!("/kpis/{}/targets", revenue["id"])).await;
        let first = &targets[0];
        assert!(first["request_id"].is_i64() && first["status"].is_string() && first["progress"].is_f64(), "{targets}");

        // Initiatives in every state, each target on the KPI of its metric's name, and reviews
        // where the lifecycle says: due or decided in a value review, still to come as jobs.
        let (_, all) = viewer.get("/initiatives?per_page=200").await;
        let items = all["items"].as_array().unwrap();
        let statuses: std::collections::BTreeSet<&str> = items.iter().map(|i| i["overall"].as_str().unwrap()).collect();
        for s in ["not_measured", "on_track", "at_risk", "off_track", "achieved", "missed"] {
            assert!(statuses.contains(s), "an initiative {s}: {statuses:?}");
        }
        for t in items.iter().flat_map(|i| i["targets"].as_array().unwrap()) {
            assert_eq!(t["kpi_name"], t["target"]["metric"], "{t}");
        }
        for i in items {
            let (_, reviews) = viewer.get(&format!("/initiatives/{}/reviews", i["request_id"])).await;
            let reviews = reviews.as_array().unwrap().clone();
            match i["status"].as_str().unwrap() {
                "value_review" | "closed" => assert!(!reviews.is_empty(), "{i}"),
                _ => assert!(reviews.is_empty(), "no review before one falls due: {i}"),
            }
        }
        let (_, receipts) = viewer.get("/receipts").await;
        assert!(receipts.as_array().unwrap().len() >= 3, "{receipts}");
        let admin = app.api(&app.token(ADMIN).await);
        let (_, jobs) = admin.get("/jobs?state=queued&per_page=100").await;
        assert!(jobs.to_string().contains("value.review_due"), "the delivered ones' reviews wait as jobs: {jobs}");
    })
    .await;
}
