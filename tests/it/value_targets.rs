//! Targets chosen as a request is approved (on its page and through the API), and targets
//! planned by hand, quarter by quarter.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::builders::clear_request;
use crate::support::*;

/// A submitted request (its one metric: "Hours re-keying returns", 28 → 2) that IT is assessing.
async fn request_in_assessment(app: &TestApp, title: &str) -> i64 {
    let business = app.api(&app.token(BUSINESS).await);
    let it = app.api(&app.token(IT_USER).await);
    let (status, created) = business.post("/requests", clear_request(&business, title).await).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();
    for (api, action) in [(&business, "submit"), (&it, "start_assessment")] {
        let (status, view) = api.post(&format!("/requests/{id}/transitions"), json!({"action": action})).await;
        assert_eq!(status, StatusCode::OK, "{action}: {view}");
    }
    id
}

/// The demo's KPI for the hours stores spend re-keying returns.
async fn hours_kpi(api: &Api) -> i64 {
    let (_, kpis) = api.get("/kpis").await;
    let found = kpis.as_array().unwrap().iter().find(|k| k["name"] == "Hours spent re-keying returns");
    found.unwrap_or_else(|| panic!("the demo measures re-keying: {kpis}"))["id"].as_i64().unwrap()
}

#[tokio::test]
async fn success_metrics_get_their_targets_in_the_approval_itself() {
    on_each_demo_db(|app| async move {
        let api = app.api(&app.token(IT_USER).await);
        let kpi = hours_kpi(&api).await;
        let id = request_in_assessment(&app, "Same-day refunds in stores").await;
        let b = app.signed_in(IT_USER).await;
        let (_, page) = b.text(&format!("/requests/{id}")).await;
        assert!(page.contains("If approving: how its success will be measured"), "{page}");
        assert!(page.contains(&format!(r#"<option value="{kpi}" selected>"#)), "the KPI is suggested by name: {page}");
        assert!(page.contains(r#"name="t0_baseline" value="28""#), "filled from the metric: {page}");

        let approve = |value: &'static str, reason: &'static str| {
            vec![
                ("action", "approve".to_string()),
                ("reason", reason.to_string()),
                ("without_assessment", "yes".to_string()),
                ("t0_metric", "Hours re-keying returns".to_string()),
                ("t0_kpi_id", kpi.to_string()),
                ("t0_kind", "decrease_to".to_string()),
                ("t0_baseline", "28".to_string()),
                ("t0_value", value.to_string()),
                ("t0_target_date", crate::builders::future(200)),
                ("t0_benefit_start", "after_delivery".to_string()),
                ("t0_benefit_delay_days", "30".to_string()),
            ]
        };
        let send = |fields: Vec<(&'static str, String)>| {
            let b = &b;
            async move {
                let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                b.post_form(&format!("/requests/{id}/transition"), &pairs).await
            }
        };
        let r = send(approve("lots", "ok")).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("f-t0_value-error") && page.contains("f-reason-error"), "both problems at once: {page}");
        assert!(page.contains(r#"name="t0_value" value="lots""#), "the input is kept: {page}");
        let (_, request) = api.get(&format!("/requests/{id}")).await;
        assert_eq!(request["status"], "in_assessment", "a bad target leaves the request as it was");

        let r = send(approve("2", "The stores save 26 hours a week.")).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
        let (_, initiative) = api.get(&format!("/initiatives/{id}")).await;
        assert_eq!(initiative["status"], "approved", "{initiative}");
        assert_eq!(initiative["not_measured"], json!([]), "{initiative}");
        let target = &initiative["targets"][0];
        assert_eq!((target["kpi_id"].as_i64(), target["target"]["benefit_start"]["days"].as_i64()), (Some(kpi), Some(30)));
        let (_, page) = b.text(&format!("/requests/{id}")).await;
        assert!(!page.contains("If approving"), "{page}");

        // The API takes the same targets with the approval.
        let other = request_in_assessment(&app, "Same-day refunds by post").await;
        let step = |targets: Value, action: &str| {
            json!({"action": action, "reason": "The stores save 26 hours a week.", "without_assessment": true, "targets": targets})
        };
        let target = |metric: &str, value: &str| {
            json!({"kpi_id": kpi, "metric": metric, "baseline": "28", "baseline_date": "2026-01-05", "kind": "decrease_to",
                "value": value, "target_date": crate::builders::future(300)})
        };
        let path = format!("/requests/{other}/transitions");
        let (status, err) = api.post(&path, step(json!([target("Nope", "2")]), "approve")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(err["error"]["fields"]["targets[0].metric"].is_string(), "{err}");
        let (status, err) = api.post(&path, step(json!([target("Hours re-keying returns", "2")]), "defer")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "targets go with an approval: {err}");
        let (_, request) = api.get(&format!("/requests/{other}")).await;
        assert_eq!(request["status"], "in_assessment");
        let (status, view) = api.post(&path, step(json!([target("Hours re-keying returns", "2")]), "approve")).await;
        assert_eq!(status, StatusCode::OK, "{view}");
        let (_, targets) = api.get(&format!("/requests/{other}/targets")).await;
        assert_eq!(targets["targets"][0]["kpi_id"].as_i64(), Some(kpi), "{targets}");
    })
    .await;
}

#[tokio::test]
async fn a_target_is_planned_by_hand_quarter_by_quarter() {
    on_each_demo_db(|app| async move {
        let api = app.api(&app.token(IT_USER).await);
        let (_, all) = api.get("/initiatives?per_page=200").await;
        let initiative = all["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| !i["targets"].as_array().unwrap().is_empty())
            .unwrap()
            .clone();
        let (request, target) = (initiative["request_id"].as_i64().unwrap(), &initiative["targets"][0]);
        let (tid, unit) = (target["id"].as_i64().unwrap(), target["unit"].as_str().unwrap().to_string());
        let (status, quarters) = api.get(&format!("/targets/{tid}/quarters")).await;
        assert_eq!(status, StatusCode::OK, "{quarters}");
        let quarters = quarters.as_array().unwrap().clone();
        assert!(quarters.len() >= 2 && quarters.iter().all(|q| q["typed"] == false), "{quarters:?}");
        let (first, second) = (quarters[0]["key"].as_str().unwrap(), quarters[1]["key"].as_str().unwrap());
        let planned = if unit == "percent" { 42.0 } else { 4242.0 };

        let path = format!("/targets/{tid}/plan");
        let (status, err) = api.put(&path, json!({"quarters": {"1999-Q1": 5, (second): "lots"}})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        let fields = &err["error"]["fields"];
        assert!(fields["1999-Q1"].as_str().unwrap().contains("Not one of the target's quarters"), "{err}");
        assert!(fields[second].is_string(), "{err}");
        let (status, planned_now) = api.put(&path, json!({"quarters": {(first): planned}})).await;
        assert_eq!(status, StatusCode::OK, "{planned_now}");
        assert_eq!(
            (planned_now[0]["planned"].as_f64(), planned_now[0]["typed"].as_bool()),
            (Some(planned), Some(true))
        );
        assert_eq!(planned_now[1]["typed"], false, "the others keep the straight line");
        let viewer = app.api(&app.token(VIEWER).await);
        assert_eq!(viewer.put(&path, json!({"quarters": {}})).await.0, StatusCode::FORBIDDEN);

        // On the page: the plan form, its errors beside the quarter, and the plan on the request.
        let b = app.signed_in(IT_USER).await;
        let form = format!("/requests/{request}/targets/{tid}/plan");
        let (status, page) = b.text(&form).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("On the straight line: ") && page.contains(&format!("value=\"{planned}\"")), "{page}");
        let r = b.post_form(&form, &[(first, "much")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains(&format!("f-{first}-error")) && page.contains("value=\"much\""), "{page}");
        let r = b.post_form(&form, &[(second, &planned.to_string())]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, page) = b.text(&format!("/requests/{request}")).await;
        assert!(page.contains("(by hand)") && page.contains("Plan “"), "{page}");
        let (_, quarters) = api.get(&format!("/targets/{tid}/quarters")).await;
        assert_eq!(
            (quarters[0]["typed"].as_bool(), quarters[1]["typed"].as_bool()),
            (Some(false), Some(true)),
            "{quarters}"
        );
        let (status, _) = b.text(&format!("/requests/{}/targets/{tid}/plan", request + 100000)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "another request's target is not found there");
    })
    .await;
}
