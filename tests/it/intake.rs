//! Intake through HTTP: requests, clarity, lifecycle, roles, concurrency, assessment, priority,
//! conversation, revisions, search, import and response times, on every database.

use bridge_domain::intake::Status;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::builders::{self, clear_request, person};
use crate::support::*;

async fn create(api: &Api, body: Value) -> Value {
    let (status, created) = api.post("/requests", body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created
}

async fn act(api: &Api, id: i64, action: &str, reason: &str) -> (StatusCode, Value) {
    api.post(&format!("/requests/{id}/transitions"), json!({"action": action, "reason": reason})).await
}

#[tokio::test]
async fn intake_drafts_report_field_errors_and_clarity_hints() {
    on_each_demo_db(|app| async move {
        let api = app.api(&app.token(BUSINESS).await);
        let (status, body) = api
            .post(
                "/requests",
                json!({"title": "Returns", "metrics": [{"name": "Errors", "baseline": "a lot", "target": "5", "target_date": "2020-01-01"}],
                       "budget_kind": "amount", "budget_amount": "-5", "budget_currency": "EUR",
                       "stakeholders": [{"person_id": 99999999, "role": "subject_expert"}]}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let fields = &body["error"]["fields"];
        for f in ["metrics[0].baseline", "metrics[0].target_date", "budget_amount"] {
            assert!(fields[f].is_string(), "{f} has an error: {body}");
        }
        // Well-formed but naming someone who does not exist.
        let (status, body) =
            api.post("/requests", json!({"title": "Returns", "stakeholders": [{"person_id": 99999999, "role": "subject_expert"}]})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["stakeholders[0].person_id"].is_string(), "{body}");

        let draft = create(&api, json!({"title": "Returns"})).await;
        assert_eq!(draft["status"], "draft");
        assert!(draft["clarity_detail"]["score"].as_u64().unwrap() < 70);
        assert!(!draft["clarity_detail"]["hints"].as_array().unwrap().is_empty());
        let (status, score) = api.post("/requests/clarity", clear_request(&api, "x y z").await).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(score["score"], 100, "{score}");
    })
    .await;
}

#[tokio::test]
async fn intake_submit_needs_the_threshold_which_an_admin_sets() {
    on_each_demo_db(|app| async move {
        let api = app.api(&app.token(BUSINESS).await);
        let admin = app.api(&app.token(ADMIN).await);
        let mut body = clear_request(&api, "Same-day refunds for online returns").await;
        body["metrics"] = json!([]);
        body["goals"] = json!("");
        let draft = create(&api, body).await;
        let id = draft["id"].as_i64().unwrap();
        let score = draft["clarity_detail"]["score"].as_i64().unwrap();
        assert!(score < 70, "score {score}");
        let (status, err) = act(&api, id, "submit", "").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert_eq!(error_code(&err), "validation_failed");
        assert!(!err["error"]["fields"].as_object().unwrap().is_empty(), "each gap is named by its field: {err}");

        let (status, _) = admin.put("/intake/settings", json!({"submit_threshold": 101, "weights": {}})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, _) = api.put("/intake/settings", json!({"submit_threshold": 10, "weights": {}})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, s) = admin
            .put("/intake/settings", json!({"submit_threshold": score, "weights": {"business_value": 1.0, "time_criticality": 1.0, "risk_reduction": 1.0, "job_size": 1.0}}))
            .await;
        assert_eq!(status, StatusCode::OK, "{s}");
        let (status, view) = act(&api, id, "submit", "").await;
        assert_eq!(status, StatusCode::OK, "{view}");
        assert_eq!(view["status"], "submitted");
    })
    .await;
}

#[tokio::test]
async fn intake_lifecycle_runs_end_to_end_and_refuses_wrong_steps() {
    on_each_demo_db(|app| async move {
        let business = app.api(&app.token(BUSINESS).await);
        let it = app.api(&app.token(IT_USER).await);
        let viewer = app.api(&app.token(VIEWER).await);
        let id = create(&business, clear_request(&business, "Same-day refunds").await).await["id"].as_i64().unwrap();

        let (status, err) = act(&it, id, "approve", "Good value for the stores.").await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(error_code(&err), "conflict", "a draft cannot be approved: {err}");
        assert_eq!(act(&viewer, id, "submit", "").await.0, StatusCode::FORBIDDEN);
        assert_eq!(act(&business, id, "submit", "").await.0, StatusCode::OK);
        assert_eq!(act(&business, id, "start_assessment", "").await.0, StatusCode::FORBIDDEN);
        assert_eq!(act(&it, id, "start_assessment", "").await.0, StatusCode::OK);
        let (status, err) = act(&business, id, "approve", "We like it a lot.").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{err}");
        let (status, err) = act(&it, id, "approve", "ok").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(err["error"]["fields"]["reason"].is_string());
        let reason = "Saves 26 hours a week in stores; fits the returns platform.";
        let (status, err) = act(&it, id, "approve", reason).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "no assessment yet: {err}");
        assert!(err["error"]["fields"]["without_assessment"].as_str().unwrap().contains("Assess the request"));
        let (status, view) = it
            .post(
                &format!("/requests/{id}/transitions"),
                json!({"action": "approve", "reason": reason, "without_assessment": true}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{view}");
        assert!(view["decided_at"].is_i64() && view["first_response_at"].is_i64());
        for a in ["start_delivery", "mark_delivered", "start_value_review", "close"] {
            let (status, v) = act(&it, id, a, "").await;
            assert_eq!(status, StatusCode::OK, "{a}: {v}");
        }
        let (status, err) = act(&business, id, "reopen", "").await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(error_code(&err), "conflict", "a closed request cannot be reopened: {err}");
        let (_, events) = it.get(&format!("/requests/{id}/events")).await;
        let events = events.as_array().unwrap();
        assert_eq!(events.len(), 7);
        assert_eq!(events[2]["to_status"], "approved");
        assert!(events[2]["reason"].as_str().unwrap().contains("26 hours"));
        assert!(events.iter().all(|e| e["actor_name"].is_string() && e["at"].is_i64()));

        let (_, stats) = viewer.get("/intake/stats").await;
        let all = stats.as_array().unwrap().last().unwrap().clone();
        assert_eq!(all["unit"], "All business units");
        assert!(all["first_response"]["count"].as_u64().unwrap() >= 1, "{all}");
        assert!(all["decision"]["median"].is_string());
    })
    .await;
}

#[tokio::test]
async fn intake_stale_saves_conflict_and_later_edits_are_revisions() {
    on_each_demo_db(|app| async move {
        let api = app.api(&app.token(BUSINESS).await);
        let viewer = app.api(&app.token(VIEWER).await);
        let mut body = clear_request(&api, "Same-day refunds").await;
        let draft = create(&api, body.clone()).await;
        let id = draft["id"].as_i64().unwrap();
        body["version"] = draft["version"].clone();
        body["title"] = json!("Same-day refunds in every store");
        let (status, saved) = api.put(&format!("/requests/{id}"), body.clone()).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        body["title"] = json!("Overwritten");
        let (status, err) = api.put(&format!("/requests/{id}"), body.clone()).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(error_code(&err), "stale");
        assert_eq!(viewer.put(&format!("/requests/{id}"), body.clone()).await.0, StatusCode::FORBIDDEN);

        // Drafts keep no revisions; after submission every change does.
        assert_eq!(api.get(&format!("/requests/{id}/revisions")).await.1.as_array().unwrap().len(), 0);
        let (_, v) = act(&api, id, "submit", "").await;
        body["version"] = v["version"].clone();
        body["title"] = json!("Same-day refunds in every store");
        body["problem"] = json!("Store staff re-key 400 online returns a week by hand, 30 hours of till time.");
        let (status, _) = api.put(&format!("/requests/{id}"), body).await;
        assert_eq!(status, StatusCode::OK);
        let (_, revisions) = viewer.get(&format!("/requests/{id}/revisions")).await;
        let r = &revisions[0];
        assert_eq!(r["summary"], "Changed the problem");
        assert!(r["actor_name"].as_str().unwrap().contains("Rajesh"));
        assert!(r["after_json"].as_str().unwrap().contains("400 online returns"));
    })
    .await;
}

#[tokio::test]
async fn intake_assessment_priority_and_reranking() {
    on_each_demo_db(|app| async move {
        let business = app.api(&app.token(BUSINESS).await);
        let it = app.api(&app.token(IT_USER).await);
        let admin = app.api(&app.token(ADMIN).await);
        let a = create(&business, clear_request(&business, "Alpha returns").await).await["id"].as_i64().unwrap();
        let b = create(&business, clear_request(&business, "Beta returns").await).await["id"].as_i64().unwrap();
        for id in [a, b] {
            act(&business, id, "submit", "").await;
        }
        let assessment = json!({
            // Numbers as text (as forms send them) or as JSON numbers.
            "effort_min_days": "20", "effort_max_days": 35, "one_off_cost": "12000", "running_cost_per_year": 3000,
            "currency": "EUR",
            "security": {"level": "high", "note": "Order data would leave the EU unless we pick the EU region."},
            "compliance": {"level": "low", "note": ""}, "operations": {"level": "low", "note": ""},
            "architecture": {"level": "medium", "note": "A second returns tool beside the ERP."},
            "dependencies": "The ERP upgrade in March",
            "options": [{"name": "Buy SaaS", "cost": 20000, "weeks": "6", "tradeoffs": "Less control over the roadmap"}],
            "recommended_option": "Buy SaaS", "recommendation": "Faster and cheaper."
        });
        assert_eq!(business.put(&format!("/requests/{a}/assessment"), assessment.clone()).await.0, StatusCode::FORBIDDEN);
        let (status, view) = it.put(&format!("/requests/{a}/assessment"), assessment.clone()).await;
        assert_eq!(status, StatusCode::OK, "{view}");
        let summary = view["summary"].as_array().unwrap();
        assert!(summary.iter().any(|s| s.as_str().unwrap().contains("IT estimates 20 to 35 person-days")));
        let (status, _) = it.put(&format!("/requests/{a}/assessment"), assessment).await;
        assert_eq!(status, StatusCode::CONFLICT, "a second first-version save is stale");

        // Each side rates its own components only.
        let (status, _) = business.put(&format!("/requests/{a}/priority"), json!({"job_size": 5})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        business.put(&format!("/requests/{a}/priority"), json!({"business_value": 13, "time_criticality": 1})).await;
        business.put(&format!("/requests/{b}/priority"), json!({"business_value": 1, "time_criticality": 13})).await;
        let (status, bad) = it.put(&format!("/requests/{a}/priority"), json!({"risk_reduction": 4})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        it.put(&format!("/requests/{a}/priority"), json!({"risk_reduction": 1, "job_size": 5})).await;
        let (_, p) = it.put(&format!("/requests/{b}/priority"), json!({"risk_reduction": 1, "job_size": 5})).await;
        assert!(p["explanation"].as_str().unwrap().contains("Priority score"), "{p}");

        let order = |list: Value| -> Vec<i64> {
            list["items"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).filter(|i| *i == a || *i == b).collect()
        };
        let (_, list) = it.get("/requests?status=submitted&sort=priority").await;
        assert_eq!(order(list), vec![a, b], "equal scores: earlier submission first");
        let (status, _) = admin
            .put("/intake/settings", json!({"submit_threshold": 70, "weights": {"business_value": 1, "time_criticality": 3, "risk_reduction": 1, "job_size": 1}}))
            .await;
        assert_eq!(status, StatusCode::OK);
        let (_, list) = it.get("/requests?status=submitted&sort=priority").await;
        assert_eq!(order(list), vec![b, a], "time criticality now counts three times");
        let (_, vb) = it.get(&format!("/requests/{b}")).await;
        let (_, va) = it.get(&format!("/requests/{a}")).await;
        assert!(vb["priority_detail"]["position"].as_i64().unwrap() < va["priority_detail"]["position"].as_i64().unwrap());
        assert!(vb["priority_detail"]["explanation"].as_str().unwrap().starts_with("This request is "), "{vb}");
    })
    .await;
}

#[tokio::test]
async fn intake_mentions_notify_and_search_filters_and_pages() {
    on_each_demo_db(|app| async move {
        let business = app.api(&app.token(BUSINESS).await);
        let it = app.api(&app.token(IT_USER).await);
        let id = create(&business, clear_request(&business, "Kayak rental booking online").await).await["id"]
            .as_i64()
            .unwrap();
        let (_, me) = it.get("/me").await;
        let (status, c) = business
            .post(
                &format!("/requests/{id}/comments"),
                json!({"body": format!("@{} could you look at the booking flow?", me["name"].as_str().unwrap())}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{c}");
        assert_eq!(c["notified"], 1);
        let (_, notes) = it.get("/notifications").await;
        assert!(notes[0]["text"].as_str().unwrap().contains("mentioned you"), "{notes}");
        let (_, marked) = it.post("/notifications/read", json!({})).await;
        assert_eq!(marked["marked"], 1);
        let (status, _) = it.post(&format!("/requests/{id}/comments"), json!({"body": "Yes, this week."})).await;
        assert_eq!(status, StatusCode::CREATED);
        let (_, notes) = business.get("/notifications").await;
        assert!(notes[0]["text"].as_str().unwrap().contains("wrote on your request"), "{notes}");
        let (status, _) = business.post(&format!("/requests/{id}/comments"), json!({"body": "  "})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, err) = business
            .post(&format!("/requests/{id}/comments"), json!({"body": "@Joana Wisniewska can you help?"}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a misspelt mention is not sent silently");
        assert!(err["error"]["fields"]["body"].as_str().unwrap().contains("Nobody called “@Joana”"), "{err}");

        let (_, found) = it.get("/requests?q=kayak").await;
        assert!(found["items"].as_array().unwrap().iter().any(|r| r["id"] == id), "{found}");
        let (_, found) = it.get("/requests?q=kaya").await;
        assert!(found["items"].as_array().unwrap().iter().any(|r| r["id"] == id), "prefix search");
        let (_, found) = it.get("/requests?q=kayaks%20store").await;
        assert!(found["items"].as_array().unwrap().iter().any(|r| r["id"] == id), "other forms of the words: {found}");
        // Search within a status follows the request through its lifecycle.
        let has = |v: &Value| v["items"].as_array().unwrap().iter().any(|r| r["id"] == id);
        assert!(has(&it.get("/requests?q=kayak&status=draft").await.1));
        assert_eq!(act(&business, id, "submit", "").await.0, StatusCode::OK);
        assert!(!has(&it.get("/requests?q=kayak&status=draft").await.1));
        let (_, found) = it.get("/requests?q=kayak&status=submitted").await;
        assert!(has(&found) && found["total"].as_i64().unwrap() >= 1, "{found}");
        // The open queue (its own index on SQLite) follows the request in and out.
        let (_, found) = it.get("/requests?q=kayak&status=open").await;
        assert!(has(&found) && found["total"].as_i64().unwrap() >= 1, "{found}");
        assert_eq!(act(&it, id, "start_assessment", "").await.0, StatusCode::OK);
        assert!(has(&it.get("/requests?q=kayak&status=open").await.1), "still open in assessment");
        assert_eq!(act(&it, id, "decline", "Not this year: the booking partner covers it.").await.0, StatusCode::OK);
        assert!(!has(&it.get("/requests?q=kayak&status=open").await.1), "declined leaves the open queue");
        assert!(has(&it.get("/requests?q=kayak").await.1), "and is still found among all");
        assert!(has(&it.get("/requests?q=kayak&status=declined").await.1));
        let (_, none) = it.get("/requests?q=zzzznotthere").await;
        assert_eq!(none["total"], 0);
        let (_, drafts) = it.get("/requests?status=draft&min_clarity=90").await;
        assert!(drafts["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "draft" && r["clarity"].as_i64().unwrap() >= 90));
        let (_, open) = it.get("/requests?status=open&per_page=200").await;
        let open = open["items"].as_array().unwrap();
        assert!(!open.is_empty());
        assert!(open
            .iter()
            .all(|r| ["submitted", "in_assessment", "approved", "deferred"].contains(&r["status"].as_str().unwrap())));
        let (status, body) = it.get("/requests?status=nonsense").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

        let doc: Value = reqwest::get(app.url("/api/v1/openapi.json")).await.unwrap().json().await.unwrap();
        for path in [
            "/api/v1/requests",
            "/api/v1/requests/{id}/transitions",
            "/api/v1/requests/import",
            "/api/v1/intake/stats",
            "/api/v1/notifications",
        ] {
            assert!(doc["paths"][path].is_object(), "{path} is in the OpenAPI document");
        }
        let (_, all) = it.get("/requests?per_page=5").await;
        let total = all["total"].as_i64().unwrap();
        assert!(total >= 35, "the demo has about 40 requests: {total}");
        assert_eq!(all["items"].as_array().unwrap().len(), 5);
        let (_, last) = it.get(&format!("/requests?per_page=5&page={}", (total + 4) / 5)).await;
        assert_eq!(last["items"].as_array().unwrap().len() as i64, total - 5 * ((total + 4) / 5 - 1));
    })
    .await;
}

#[tokio::test]
async fn intake_jira_import_is_all_or_nothing() {
    on_each_demo_db(|app| async move {
        let api = app.api(&app.token(BUSINESS).await);
        let bad = "Issue key,Summary,Description,Reporter,Created,Status,Priority\n\
                   SHOP-1,Faster checkout,Cart drops 12%,rajesh.menon@alderbrook.example,05/Mar/24 2:30 PM,To Do,High\n\
                   SHOP-2,,No title,rajesh.menon@alderbrook.example,2024-03-05,Done,Low\n\
                   SHOP-3,Tills,Old tills,Nobody Known,2024-03-05,Done,Low\n";
        let (status, err) = api.post_raw("/requests/import", "text/csv", bad.as_bytes().to_vec()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(err["error"]["fields"]["line 3"].is_string());
        assert!(err["error"]["fields"]["line 4"].as_str().unwrap().contains("Nobody Known"));
        let (_, found) = api.get("/requests?q=checkout").await;
        assert_eq!(found["total"], 0, "nothing was imported");
        let good = "Issue key,Summary,Description,Reporter,Created,Status,Priority\n\
                    SHOP-1,Faster checkout,Cart drops 12%,Rajesh Menon,05/Mar/24 2:30 PM,To Do,High\n";
        let (status, ok) = api.post_raw("/requests/import", "text/csv", good.as_bytes().to_vec()).await;
        assert_eq!(status, StatusCode::CREATED, "{ok}");
        assert_eq!(
            (ok["created"].as_i64(), ok["updated"].as_i64(), ok["skipped"].as_i64()),
            (Some(1), Some(0), Some(0))
        );
        let imported = app.db.imported_requests(ok["import_id"].as_i64().unwrap()).await.unwrap();
        let id = imported[0].id;
        let (_, r) = api.get(&format!("/requests/{id}")).await;
        assert_eq!(r["status"], "draft");
        assert!(r["source"].as_str().unwrap().contains("SHOP-1"));
        assert!(r["sponsor_name"].as_str().unwrap().contains("Rajesh"));

        // The same file again adds nothing; a changed issue updates its draft.
        let (_, again) = api.post_raw("/requests/import", "text/csv", good.as_bytes().to_vec()).await;
        assert_eq!((again["created"].as_i64(), again["skipped"].as_i64()), (Some(0), Some(1)), "{again}");
        let changed = good.replace("Cart drops 12%", "Cart drops 15% at peak");
        let (_, updated) = api.post_raw("/requests/import", "text/csv", changed.into_bytes()).await;
        assert_eq!((updated["created"].as_i64(), updated["updated"].as_i64()), (Some(0), Some(1)), "{updated}");
        let (_, r) = api.get(&format!("/requests/{id}")).await;
        assert!(r["body"]["problem"].as_str().unwrap().contains("15%"), "{r}");
        let (_, found) = api.get("/requests?q=checkout").await;
        assert_eq!(found["total"], 1, "one draft per Jira issue");
    })
    .await;
}

#[tokio::test]
async fn a_jira_import_is_previewed_then_shows_its_requests_and_an_admin_can_undo_it() {
    on_each_demo_db(|app| async move {
        let b = app.signed_in(BUSINESS).await;
        let csv = "Issue key,Summary,Description,Reporter\nOPS-7,Dock door sensors,Doors left open,\nOPS-8,Yard map,Lost trailers,\n";
        let form = reqwest::multipart::Form::new()
            .text("_csrf", b.csrf.clone())
            .part("file", reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("jira.csv"));
        let r = b.client.post(app.url("/requests/import")).multipart(form).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let page = r.text().await.unwrap();
        assert!(page.contains("What this import will do") && page.contains("Dock door sensors"), "a preview first");
        let (_, found) = app.api(&app.token(BUSINESS).await).get("/requests?q=sensors").await;
        assert_eq!(found["total"], 0, "nothing imported by the preview");
        let file = hidden_value(&page, "file").unwrap();
        let r = b.post_form("/requests/import/confirm", &[("file", &file)]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let result = r.headers()["location"].to_str().unwrap().to_string();
        let (_, page) = b.text(&result).await;
        assert!(page.contains("2 new drafts") && page.contains("Yard map") && page.contains("OPS-8"), "{page}");
        assert!(!page.contains("Undo this import"), "only administrators undo");

        let admin = app.signed_in(ADMIN).await;
        let r = admin.post_form(&format!("{result}/undo"), &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, page) = admin.text(&result).await;
        assert!(page.contains("was undone") && !page.contains("Yard map"), "{page}");
    })
    .await;
}

/// The id in a redirect to `/requests/{id}…`.
fn redirected_id(r: &reqwest::Response) -> i64 {
    let loc = r.headers()["location"].to_str().unwrap();
    loc.trim_start_matches("/requests/").split(['?', '#']).next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn intake_pages_keep_input_show_errors_and_coach() {
    on_each_demo_db(|app| async move {
        let b = app.signed_in(BUSINESS).await;
        let (status, page) = b.text("/requests/new").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("How clear is it?") && page.contains("/static/intake.js"));
        let r = b
            .post_form(
                "/requests",
                &[
                    ("title", "Returns by hand"),
                    ("metric_name", "Errors"),
                    ("metric_baseline", "a lot"),
                    ("metric_target_date", "2020-01-01"),
                    ("budget_kind", "amount"),
                    ("budget_amount", "-5"),
                    ("budget_currency", "EUR"),
                    ("sh_person", "99999999"),
                    ("sh_role", "subject_expert"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("value=\"a lot\"") && page.contains("value=\"Returns by hand\""), "input kept");
        for f in ["metrics[0].baseline", "metrics[0].target_date", "budget_amount"] {
            assert!(page.contains(&format!("id=\"f-{f}-error\"")), "error beside {f}");
        }
        // The list above the form follows the form: the metric before the budget.
        let summary = page.split("Please correct the marked fields.").nth(1).unwrap().split("</ul>").next().unwrap();
        let (metric, budget) =
            (summary.find("#f-metrics[0].baseline").unwrap(), summary.find("#f-budget_amount").unwrap());
        assert!(metric < budget, "{summary}");

        // A refused submission says so once; what is missing is listed and marked, not repeated.
        let r = b.post_form("/requests", &[("title", "Shelf gaps"), ("intent", "submit")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("Saved as a draft, not submitted yet"));
        assert_eq!(page.matches("Name a sponsor before submitting").count(), 2, "in the list and beside the field");
        let summary = page.split("Please correct the marked fields.").nth(1).unwrap().split("</ul>").next().unwrap();
        assert!(summary.find("#f-sponsor").unwrap() < summary.find("#f-regulatory").unwrap(), "{summary}");
        // "Add another metric" re-renders with one more row and saves nothing.
        let r = b
            .post_form("/requests", &[("title", "Returns by hand"), ("metric_name", "Errors"), ("add", "metric")])
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.text().await.unwrap().contains("Metric 2"));
        // The clarity fragment, as the script asks for it.
        let r = b.post_form("/requests/clarity", &[("title", "Returns")]).await;
        let html = r.text().await.unwrap();
        assert!(html.contains("Clarity") && html.contains("of 100"), "{html}");

        let r = b.post_form("/requests", &[("title", "Returns by hand"), ("intent", "save")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let id = redirected_id(&r);
        let (_, page) = b.text(&format!("/requests/{id}")).await;
        assert!(page.contains("Clarity: ") && page.contains("Name a sponsor"), "hints on the request page");
        let r = b.post_form(&format!("/requests/{id}/transition"), &[("action", "submit")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("70 is needed"));
    })
    .await;
}

#[tokio::test]
async fn intake_pages_stale_save_keeps_typed_text_and_roles_are_checked() {
    on_each_demo_db(|app| async move {
        let b = app.signed_in(BUSINESS).await;
        let api = app.api(&app.token(BUSINESS).await);
        let created = create(&api, clear_request(&api, "Same-day refunds").await).await;
        let id = created["id"].as_i64().unwrap();
        let (_, edit) = b.text(&format!("/requests/{id}/edit")).await;
        let version = hidden_value(&edit, "version").unwrap();
        let mut body = clear_request(&api, "Changed elsewhere").await;
        body["version"] = created["version"].clone();
        assert_eq!(api.put(&format!("/requests/{id}"), body).await.0, StatusCode::OK);
        let r =
            b.post_form(&format!("/requests/{id}"), &[("title", "My careful new title"), ("version", &version)]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        let page = r.text().await.unwrap();
        assert!(page.contains("Someone else saved this request") && page.contains("My careful new title"));

        let viewer = app.signed_in(VIEWER).await;
        assert_eq!(viewer.get("/requests/new").await.status(), StatusCode::FORBIDDEN);
        assert_eq!(viewer.get("/intake/settings").await.status(), StatusCode::FORBIDDEN);
        let (status, page) = viewer.text(&format!("/requests/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!page.contains("name=\"action\""), "viewers see no action buttons");
        api.post(&format!("/requests/{id}/transitions"), json!({"action": "submit"})).await;
        let it = app.signed_in(IT_USER).await;
        let r = it
            .post_form(&format!("/requests/{id}/transition"), &[("action", "approve"), ("reason", "Looks fine")])
            .await;
        assert_eq!(r.status(), StatusCode::CONFLICT, "approve before assessment starts");
        assert!(r.text().await.unwrap().contains("start the assessment before"));
        let r = b.post_form(&format!("/requests/{id}/transition"), &[("action", "start_assessment")]).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn intake_pages_queue_request_assessment_stats_and_notifications() {
    on_each_demo_db(|app| async move {
        let it = app.signed_in(IT_USER).await;
        let b = app.signed_in(BUSINESS).await;
        let (status, page) = it.text("/requests?status=submitted&sort=priority").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Why this score") && page.contains("Cost of delay"));
        let (_, page) = it.text("/requests?q=kayaks").await;
        assert!(page.contains("Rental booking for kayaks"), "full-text search on the page");
        let (_, page) = it.text("/intake/stats").await;
        assert!(page.contains("<svg") && page.contains("All business units"));
        assert_eq!(it.get("/requests/import").await.status(), StatusCode::OK);

        // The demo has decided requests with assessments in plain language.
        let api = app.api(&app.token(IT_USER).await);
        let (_, approved) = api.get("/requests?status=approved&per_page=1").await;
        let id = approved["items"][0]["id"].as_i64().unwrap();
        let (_, page) = b.text(&format!("/requests/{id}")).await;
        assert!(page.contains("IT estimates") && page.contains("Decision: Approved"), "plain summary and decision");
        let r = it
            .post_form(
                &format!("/requests/{id}/assess"),
                &[("effort_min_days", "ten"), ("option_name", "Buy"), ("version", "1")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("value=\"ten\"") && page.contains("f-effort_min_days-error"));

        // A mention on the page notifies the IT user; the header shows it.
        let r = b
            .post_form(
                &format!("/requests/{id}/comments"),
                &[("body", "@Joanna Wiśniewska can we start before March?")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, home) = it.text("/").await;
        assert!(
            home.contains("waiting for IT&#39;s first response") || home.contains("waiting for IT's first response")
        );
        assert!(home.contains("badge count\">1<"), "unread count in the header");
        assert!(home.contains("mentioned you"), "listed on the home page");
        let r = it.post_form("/notifications/read", &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, home) = it.text("/").await;
        assert!(!home.contains("badge count"));

        let admin = app.signed_in(ADMIN).await;
        let r = admin
            .post_form(
                "/intake/settings",
                &[
                    ("submit_threshold", "abc"),
                    ("business_value", "0"),
                    ("time_criticality", "1"),
                    ("risk_reduction", "1"),
                    ("job_size", "1"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("f-submit_threshold-error") && page.contains("f-business_value-error"));
        let r = admin
            .post_form(
                "/intake/settings",
                &[
                    ("submit_threshold", "60"),
                    ("business_value", "2"),
                    ("time_criticality", "1"),
                    ("risk_reduction", "1"),
                    ("job_size", "1"),
                    ("default_currency", "EUR"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(api.get("/intake/settings").await.1["submit_threshold"], 60);
    })
    .await;
}

#[tokio::test]
async fn intake_api_accepts_numbers_as_json_numbers() {
    on_each_demo_db(|app| async move {
        let api = app.api(&app.token(BUSINESS).await);
        let mut body = clear_request(&api, "Numbers as numbers").await;
        body["metrics"][0]["baseline"] = json!(28);
        body["metrics"][0]["target"] = json!(2.5);
        body["budget_amount"] = json!(45000);
        let created = create(&api, body.clone()).await;
        let metric = &created["body"]["metrics"][0];
        assert_eq!((metric["baseline"].as_f64(), metric["target"].as_f64()), (Some(28.0), Some(2.5)), "{created}");
        assert_eq!(
            created["clarity_detail"]["score"],
            create(&api, clear_request(&api, "Same as text").await).await["clarity_detail"]["score"]
        );
        // Anything else is still a clear error, never a half-read request.
        body["budget_amount"] = json!(true);
        let (status, err) = api.post("/requests", body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert_eq!(error_code(&err), "bad_request", "{err}");
    })
    .await;
}

/// A list names each request's unit and sponsor as the directory has them now, and still names a
/// sponsor who has since been archived.
#[tokio::test]
async fn lists_name_units_and_sponsors_even_archived_ones() {
    on_each_demo_db(|app| async move {
        let admin = app.api(&app.token(ADMIN).await);
        let (status, unit) = admin.post("/units", json!({"name": "Harbour Operations", "description": ""})).await;
        assert_eq!(status, StatusCode::CREATED, "{unit}");
        let (status, sponsor) = admin
            .post(
                "/people",
                json!({"name": "Ines Harbour", "email": "ines.harbour@alderbrook.example", "side": "business"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{sponsor}");
        let body = json!({"title": "Quayside crane schedule", "problem": "Crane bookings live in a shared spreadsheet.",
            "business_unit_id": unit["id"], "sponsor_id": sponsor["id"]});
        let (status, created) = admin.post("/requests", body).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let listed = || async { admin.get("/requests?q=quayside").await.1["items"][0].clone() };
        let row = listed().await;
        assert_eq!(row["unit_name"], "Harbour Operations");
        assert_eq!(row["sponsor_name"], "Ines Harbour");

        let rename = json!({"name": "Port Operations", "description": "", "version": unit["version"]});
        assert_eq!(admin.put(&format!("/units/{}", unit["id"]), rename).await.0, StatusCode::OK);
        assert_eq!(listed().await["unit_name"], "Port Operations", "a new name shows at once");

        assert_eq!(admin.delete(&format!("/people/{}", sponsor["id"])).await, StatusCode::NO_CONTENT);
        assert_eq!(listed().await["sponsor_name"], "Ines Harbour", "an archived sponsor keeps their name on requests");
    })
    .await;
}

#[tokio::test]
async fn withdrawing_takes_a_reason_and_can_be_undone_and_declining_is_confirmed() {
    on_each_demo_db(|app| async move {
        let author = person_id(&app, BUSINESS).await;
        let id = builders::request().status(Status::Submitted).by(author).create(&app.db).await;
        let mut b = app.signed_in(BUSINESS).await;
        let (_, page) = b.text(&format!("/requests/{id}")).await;
        assert!(page.contains("Withdraw this request…"), "withdrawing opens to its confirmation");
        let r = b
            .post_form(
                &format!("/requests/{id}/transition"),
                &[("action", "withdraw"), ("confirm", "yes"), ("reason", "")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "a reason is needed");
        let r = b
            .post_form(
                &format!("/requests/{id}/transition"),
                &[("action", "withdraw"), ("confirm", "yes"), ("reason", "The supplier now does this for us.")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, page) = b.text(&format!("/requests/{id}?done=moved")).await;
        assert!(page.contains("Withdrawn: its owners can reopen it as a draft"), "says what comes next");
        let r = b.post_form(&format!("/requests/{id}/transition"), &[("action", "reopen")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(app.db.get_request(id).await.unwrap().status(), Status::Draft, "reopened as a draft");
        b.refresh_csrf("/").await;

        let decided = builders::request().status(Status::InAssessment).by(author).create(&app.db).await;
        let it = app.signed_in(IT_USER).await;
        let (_, page) = it.text(&format!("/requests/{decided}")).await;
        assert_eq!(page.matches("name=\"reason\"").count(), 1, "one reason box for every decision");
        let decline = [("action", "decline"), ("reason", "Another team already builds this.")];
        let r = it.post_form(&format!("/requests/{decided}/transition"), &decline).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("Tick the box to confirm"), "declining is confirmed first");
        assert!(page.contains("Another team already builds this."), "the reason is kept");
        let mut confirmed = decline.to_vec();
        confirmed.push(("confirm", "yes"));
        let r = it.post_form(&format!("/requests/{decided}/transition"), &confirmed).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(app.db.get_request(decided).await.unwrap().status(), Status::Declined);
    })
    .await;
}

#[tokio::test]
async fn it_owns_requests_and_people_find_their_own() {
    on_each_demo_db(|app| async move {
        let author = person_id(&app, BUSINESS).await;
        let joanna = person_id(&app, IT_USER).await;
        let id =
            builders::request().title("Loading bay cameras").status(Status::Submitted).by(author).create(&app.db).await;
        let draft = builders::request().title("Loading bay lights").by(author).create(&app.db).await;
        let it = app.api(&app.token(IT_USER).await);
        let business = app.api(&app.token(BUSINESS).await);

        let (status, _) = business.put(&format!("/requests/{id}/owner"), json!({"owner_id": joanna})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "the business side does not pick IT's owner");
        let (status, err) = it.put(&format!("/requests/{id}/owner"), json!({"owner_id": author})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(err["error"]["fields"]["owner_id"].as_str().unwrap().contains("not on IT's side"));
        let (status, view) = it.put(&format!("/requests/{id}/owner"), json!({"owner_id": joanna})).await;
        assert_eq!(status, StatusCode::OK, "{view}");
        assert_eq!(view["owner_id"], joanna);

        let (_, owned) = it.get(&format!("/requests?status=all&owner_id={joanna}")).await;
        assert!(owned["items"].as_array().unwrap().iter().any(|r| r["id"] == id && r["owner_name"].is_string()));
        let (_, unowned) = it.get("/requests?status=all&unowned=true").await;
        assert!(!unowned["items"].as_array().unwrap().iter().any(|r| r["id"] == id));
        let (_, mine) = business.get("/requests?status=all&mine=true&per_page=100").await;
        let ids: Vec<i64> = mine["items"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
        assert!(ids.contains(&id) && ids.contains(&draft), "written by them, drafts included");

        // On the pages: IT picks the owner; the business person's own list starts with their drafts.
        let page_it = app.signed_in(IT_USER).await;
        let r = page_it.post_form(&format!("/requests/{draft}/owner"), &[("owner_id", &joanna.to_string())]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, page) = page_it.text(&format!("/requests/{draft}")).await;
        assert!(page.contains("IT owner: Joanna"), "shown on the request");
        let b = app.signed_in(BUSINESS).await;
        let (_, page) = b.text("/requests?mine=1").await;
        assert!(page.contains("Loading bay lights") && page.contains("Loading bay cameras"));
        let (_, page) = b.text("/requests?owner=none&status=all").await;
        assert!(!page.contains("Loading bay cameras"), "owned requests are not in 'nobody yet'");
    })
    .await;
}

#[tokio::test]
async fn writers_see_similar_requests_and_it_closes_duplicates_telling_both_authors() {
    on_each_demo_db(|app| async move {
        let author = person_id(&app, BUSINESS).await;
        let other = person("Ines Okoro").create(&app.db).await;
        let original = builders::request()
            .title("Forklift battery monitoring")
            .status(Status::Submitted)
            .by(other)
            .create(&app.db)
            .await;
        let b = app.signed_in(BUSINESS).await;
        let r = b.post_form("/requests/clarity", &[("title", "Monitoring forklift batteries in the warehouse")]).await;
        let html = r.text().await.unwrap();
        assert!(html.contains("Already asked?") && html.contains("Forklift battery monitoring"), "{html}");

        let copy =
            builders::request().title("Forklift batteries").status(Status::Submitted).by(author).create(&app.db).await;
        let it = app.api(&app.token(IT_USER).await);
        let business = app.api(&app.token(BUSINESS).await);
        let (status, _) = business.post(&format!("/requests/{copy}/duplicate"), json!({"of": original})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, err) = it.post(&format!("/requests/{copy}/duplicate"), json!({"of": copy})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        let (status, view) = it.post(&format!("/requests/{copy}/duplicate"), json!({"of": original})).await;
        assert_eq!(status, StatusCode::OK, "{view}");
        assert_eq!(view["status"], "closed");
        assert_eq!(view["duplicate_of"], original);
        let (status, _) = it.post(&format!("/requests/{copy}/duplicate"), json!({"of": original})).await;
        assert_eq!(status, StatusCode::CONFLICT, "already closed");

        let (_, notes) = business.get("/notifications").await;
        assert!(notes.as_array().unwrap().iter().any(|n| n["text"]
            .as_str()
            .unwrap()
            .contains("closed it as the same as")
            && n["link"] == format!("/requests/{original}")));
        let (_, page) = b.text(&format!("/requests/{copy}")).await;
        assert!(page.contains(&format!("href=\"/requests/{original}\"")), "the closed request links to the other");
    })
    .await;
}

#[tokio::test]
async fn searches_forgive_misspelt_words_and_say_what_they_searched_for() {
    on_each_demo_db(|app| async move {
        let business = app.api(&app.token(BUSINESS).await);
        let id = create(&business, clear_request(&business, "Pallet reconciliation for the warehouses").await).await
            ["id"]
            .as_i64()
            .unwrap();
        let has = |v: &Value| v["items"].as_array().unwrap().iter().any(|r| r["id"] == id);

        // Exact words need no correction, and the answer says none was made.
        let (_, found) = business.get("/requests?q=pallet%20reconciliation").await;
        assert!(has(&found) && found.get("searched_for").is_none(), "{found}");
        // One letter wrong, a letter missing, two letters swapped: still found, and said so.
        let (_, found) = business.get("/requests?q=pallett%20reconcilation").await;
        assert!(has(&found), "{found}");
        assert_eq!(found["searched_for"], "pallet reconciliation");
        let (_, found) = business.get("/requests?q=plalet&status=draft").await;
        assert!(has(&found) && found["searched_for"] == "pallet", "{found}");
        // Too far from any word: nothing, and no pretend correction.
        let (_, none) = business.get("/requests?q=pxxxxt").await;
        assert_eq!(none["total"], 0);
        assert!(none.get("searched_for").is_none(), "{none}");
        // An edit brings its new words into the vocabulary.
        let (_, mut body) = business.get(&format!("/requests/{id}")).await;
        let mut edit = clear_request(&business, "Pallet reconciliation with the hauliers").await;
        edit["version"] = body["version"].take();
        let (status, saved) = business.put(&format!("/requests/{id}"), edit).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        let (_, found) = business.get("/requests?q=hauleirs").await;
        assert!(has(&found) && found["searched_for"] == "hauliers", "{found}");

        // The queue page and the header search say what they took the words for.
        let page = app.signed_in(BUSINESS).await;
        let (_, html) = page.text("/requests?status=all&q=pallett").await;
        assert!(html.contains("No match for “pallett”, so these are the results for “pallet”."), "{html}");
        assert!(html.contains("Pallet reconciliation with the hauliers"));
        let (_, html) = page.text("/search?q=pallett").await;
        assert!(html.contains("results for “pallet”") && html.contains("Pallet reconciliation"), "{html}");
        // People's names too: "Wisniewksa" is Joanna Wiśniewska with two letters swapped.
        let (_, html) = page.text("/search?q=Wisniewksa").await;
        assert!(html.contains("Joanna Wiśniewska") && html.contains("results for “wiśniewska”"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn amounts_without_a_currency_take_the_organisations_default() {
    on_each_demo_db(|app| async move {
        let admin = app.api(&app.token(ADMIN).await);
        let business = app.api(&app.token(BUSINESS).await);
        let (_, settings) = admin.get("/intake/settings").await;
        assert_eq!(settings["default_currency"], "EUR", "{settings}");
        let mut change = settings.clone();
        change["default_currency"] = json!("pounds");
        let (status, err) = admin.put("/intake/settings", change.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(err["error"]["fields"]["default_currency"].is_string(), "{err}");
        change["default_currency"] = json!("gbp");
        let (status, saved) = admin.put("/intake/settings", change).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert_eq!(saved["default_currency"], "GBP");
        // Leaving it out of a change keeps it.
        let (_, saved) =
            admin.put("/intake/settings", json!({"submit_threshold": 70, "weights": settings["weights"]})).await;
        assert_eq!(saved["default_currency"], "GBP", "{saved}");

        let mut body = clear_request(&business, "Loyalty card for garden centres").await;
        body["budget_currency"] = json!("");
        let created = create(&business, body).await;
        let (_, view) = business.get(&format!("/requests/{}", created["id"])).await;
        assert!(view["body"]["budget"].to_string().contains("GBP"), "{view}");
        let mut typed = clear_request(&business, "Loyalty card for the cafés").await;
        typed["budget_currency"] = json!("USD");
        let created = create(&business, typed).await;
        let (_, view) = business.get(&format!("/requests/{}", created["id"])).await;
        assert!(view["body"]["budget"].to_string().contains("USD"), "a currency typed stays: {view}");

        // The page form says which currency an empty field means, and the settings page changes it.
        let b = app.signed_in(BUSINESS).await;
        let (_, html) = b.text("/requests/new").await;
        assert!(html.contains("Currency (left empty: GBP)"), "{html}");
        let a = app.signed_in(ADMIN).await;
        let (_, html) = a.text("/intake/settings").await;
        assert!(html.contains("value=\"GBP\""));
    })
    .await;
}

#[tokio::test]
async fn mentions_are_suggested_checked_and_highlighted_and_writers_correct_their_own_messages() {
    on_each_demo_db(|app| async move {
        let business = app.api(&app.token(BUSINESS).await);
        let it = app.api(&app.token(IT_USER).await);
        let admin = app.api(&app.token(ADMIN).await);
        let id = create(&business, clear_request(&business, "Gift cards sold at the tills").await).await["id"]
            .as_i64()
            .unwrap();

        // Before sending: who would be told, or that a name matches nobody.
        let (_, check) = business.post("/mentions/check", json!({"body": "@Joana can you look?"})).await;
        assert_eq!(check["unknown"], json!(["Joana"]), "{check}");
        let (_, check) = business.post("/mentions/check", json!({"body": "@joanna wiśniewska can you look?"})).await;
        assert_eq!(check["notified"], json!(["Joanna Wiśniewska"]), "{check}");
        let b = app.signed_in(BUSINESS).await;
        let (status, found) = b.text("/mentions/suggest?q=wiś").await;
        assert_eq!(status, StatusCode::OK);
        assert!(found.contains("Joanna Wiśniewska"), "{found}");
        let r = b.post_form("/mentions/check", &[("body", "Hello @Joanna Wiśniewska and @Rajesh Menon")]).await;
        let line: Value = r.json().await.unwrap();
        assert_eq!(line["text"], "Joanna Wiśniewska and Rajesh Menon will be notified.", "{line}");

        let (status, sent) = business
            .post(&format!("/requests/{id}/comments"), json!({"body": "Thanks @Joanna Wiśniewska for looking."}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{sent}");
        let cid = sent["id"].as_i64().unwrap();
        let (_, html) = b.text(&format!("/requests/{id}")).await;
        assert!(html.contains(r#"<strong class="mention">@Joanna Wiśniewska</strong>"#), "mentions are highlighted");
        assert!(html.contains(r#"aria-current="step">Draft"#), "the progress line marks where the request is");
        assert!(html.contains(&format!("/requests/{id}/comments/{cid}/edit")), "its writer may correct it");
        // The mentioned person finds the request among theirs.
        let (_, mine) = it.get("/requests?mine=true&per_page=200").await;
        assert!(mine["items"].as_array().unwrap().iter().any(|r| r["id"] == id), "mentioned: {mine}");

        // Only its writer corrects it; a correction tells only the people it newly mentions.
        let path = format!("/requests/{id}/comments/{cid}");
        let (status, _) = it.put(&path, json!({"body": "Mine now"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, err) = business.put(&path, json!({"body": "Thanks @Joanna Wisniewsk"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        let (status, fixed) =
            business.put(&path, json!({"body": "Thanks @Joanna Wiśniewska and @Nkechi Adeyemi for looking."})).await;
        assert_eq!(status, StatusCode::OK, "{fixed}");
        assert_eq!(fixed["notified"], 1, "only the newly mentioned: {fixed}");
        assert!(fixed["comment"]["edited_at"].is_i64());
        let (_, notes) = admin.get("/notifications").await;
        assert!(notes[0]["text"].as_str().unwrap().contains("mentioned you"), "{notes}");
        let (_, html) = b.text(&format!("/requests/{id}")).await;
        assert!(html.contains("Earlier wording") && html.contains("Thanks @Joanna Wiśniewska for looking."), "{html}");

        // Removing asks first, then the conversation says it was removed and shows no words.
        let (status, form) = b.text(&format!("{path}/edit")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(form.contains("Remove the message") && form.contains("Nkechi Adeyemi"));
        let r = b.post_form(&format!("{path}/remove"), &[]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let r = b.post_form(&format!("{path}/remove"), &[("confirm", "yes")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, html) = b.text(&format!("/requests/{id}")).await;
        assert!(html.contains("removed this message") && !html.contains("for looking."), "{html}");
        assert_eq!(business.delete(&path).await, StatusCode::CONFLICT, "already removed");

        // After the correction window, a message stays as it is.
        let (_, sent) = business.post(&format!("/requests/{id}/comments"), json!({"body": "An older thought."})).await;
        let old = sent["id"].as_i64().unwrap();
        app.db.execute("UPDATE comments SET at = at - 1200000 WHERE id = $1", &[old.into()]).await.unwrap();
        let (status, err) = business.put(&format!("/requests/{id}/comments/{old}"), json!({"body": "New"})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{err}");
        assert!(err["error"]["message"].as_str().unwrap().contains("15 minutes"), "{err}");
        let (_, html) = b.text(&format!("/requests/{id}")).await;
        assert!(!html.contains(&format!("/comments/{old}/edit")), "no correction link once too late");
    })
    .await;
}

#[tokio::test]
async fn a_broad_search_by_newest_pages_through_the_matches_in_order() {
    on_each_demo_db(|app| async move {
        use bridge::store::intake::SeedRequest;
        let today = bridge::ops::intake::today();
        let seeds: Vec<SeedRequest> = (0..250)
            .map(|n| {
                let input = bridge_domain::intake::RequestInput {
                    title: format!("Snowshoe rental {n}"),
                    problem: "Stores turn away snowshoe renters every weekend.".into(),
                    ..Default::default()
                };
                let body = bridge_domain::intake::validate_request(&input, &today).unwrap();
                SeedRequest::draft(body, None, bridge::store::now_ms())
            })
            .collect();
        let mut ids = app.db.seed_requests(&bridge_domain::audit::Actor::cli(), &seeds).await.unwrap();
        ids.sort_unstable_by(|a, b| b.cmp(a));
        let api = app.api(&app.token(IT_USER).await);
        let (_, page2) = api.get("/requests?q=snowshoe&status=all&sort=newest&per_page=20&page=2").await;
        let got: Vec<i64> = page2["items"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
        assert_eq!(got, ids[20..40], "newest first, the second page");
        assert_eq!(page2["total"], 250);
        let (_, oldest) = api.get("/requests?q=snowshoe&status=all&sort=oldest&per_page=3").await;
        let got: Vec<i64> = oldest["items"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
        assert_eq!(got, [ids[249], ids[248], ids[247]]);
        let (_, html) = app.signed_in(BUSINESS).await.text("/search?q=snowshoe").await;
        assert!(html.contains("Requests (250, newest first)") && html.contains("Snowshoe rental 249"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn a_business_users_default_queue_includes_their_own_drafts() {
    on_each_demo_db(|app| async move {
        let me = person_id(&app, BUSINESS).await;
        builders::request().title("Gift wrapping at the tills").by(me).create(&app.db).await;
        builders::request().title("Someone else's draft about wrapping").create(&app.db).await;
        let (_, queue) = app.signed_in(BUSINESS).await.text("/requests").await;
        assert!(queue.contains("Gift wrapping at the tills"), "own draft in the default queue");
        assert!(!queue.contains("Someone else's draft"), "nobody else's drafts");
        let (_, searched) = app.signed_in(BUSINESS).await.text("/requests?q=wrapping").await;
        assert!(searched.contains("Gift wrapping at the tills") && !searched.contains("Someone else"), "{searched}");
        let (_, it_queue) = app.signed_in(IT_USER).await.text("/requests").await;
        assert!(!it_queue.contains("Gift wrapping at the tills"), "IT's queue is the open requests");
        let (_, open_only) = app.signed_in(BUSINESS).await.text("/requests?status=open").await;
        assert!(!open_only.contains("Gift wrapping at the tills"), "choosing Open shows only open ones");
    })
    .await;
}
