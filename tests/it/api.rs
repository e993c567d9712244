//! The JSON API: tokens, errors, pagination, concurrency, roles, import, audit, OpenAPI.

use reqwest::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn requests_without_a_valid_token_get_401() {
    on_each_demo_db(|app| async move {
        let (status, body) = app.api("brg_not-a-real-token").get("/people").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(error_code(&body), "unauthorized");
        let r = reqwest::get(app.url("/api/v1/people")).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    })
    .await;
}

#[tokio::test]
async fn expired_and_revoked_tokens_stop_working() {
    on_each_demo_db(|app| async move {
        let token = app.token(IT_USER).await;
        let api = app.api(&token);
        assert_eq!(api.get("/me").await.1["email"], IT_USER);
        let (status, created) = api.post("/tokens", json!({"label": "short-lived", "expires_in_days": 1})).await;
        assert_eq!(status, StatusCode::CREATED);
        let short = app.api(created["token"].as_str().unwrap());
        assert_eq!(short.get("/me").await.0, StatusCode::OK);
        // Move its expiry into the past, as time would.
        app.db.execute("UPDATE api_tokens SET expires_at = 1 WHERE label = 'short-lived'", &[]).await.unwrap();
        // A server trusts a credential it checked for up to a second (see docs/architecture.md).
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        assert_eq!(short.get("/me").await.0, StatusCode::UNAUTHORIZED);

        let (_, tokens) = api.get("/tokens").await;
        let id = tokens.as_array().unwrap().iter().find(|t| t["label"] == "tests").unwrap()["id"].as_i64().unwrap();
        assert_eq!(api.delete(&format!("/tokens/{id}")).await, StatusCode::NO_CONTENT);
        assert_eq!(api.get("/me").await.0, StatusCode::UNAUTHORIZED);
    })
    .await;
}

#[tokio::test]
async fn people_list_is_paginated_and_filtered() {
    on_each_demo_db(|app| async move {
        let api = app.api(&app.token(VIEWER).await);
        let (status, page1) = api.get("/people?per_page=25").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(page1["total"], 60);
        assert_eq!(page1["items"].as_array().unwrap().len(), 25);
        let (_, page3) = api.get("/people?per_page=25&page=3").await;
        assert_eq!(page3["items"].as_array().unwrap().len(), 10);
        assert_eq!(page3["page"], 3);
        let (_, it) = api.get("/people?side=it&per_page=200").await;
        assert!(it["items"].as_array().unwrap().iter().all(|p| p["side"] == "it"));
        let (status, body) = api.get("/people?page=abc").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(error_code(&body), "bad_request");
    })
    .await;
}

#[tokio::test]
async fn creating_people_reports_field_errors_and_duplicates() {
    on_each_demo_db(|app| async move {
        let api = app.api(&app.token(ADMIN).await);
        let (status, body) = api.post("/people", json!({"name": "", "email": "x", "side": "sales"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error_code(&body), "validation_failed");
        for f in ["name", "email", "side"] {
            assert!(body["error"]["fields"][f].is_string(), "field {f} has an error: {body}");
        }
        let (status, body) = api.post("/people", json!({"name": "Twin", "email": BUSINESS.to_uppercase(), "side": "business"})).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(error_code(&body), "conflict");
        assert!(body["error"]["fields"]["email"].as_str().unwrap().contains(BUSINESS));

        let (status, body) = api.post("/people", json!({"name": "Mo Diallo", "email": "mo.diallo@alderbrook.example", "side": "it", "manager_id": 999999})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["manager_id"].is_string());

        let (status, person) = api.post("/people", json!({"name": "Mo Diallo", "email": "Mo.Diallo@alderbrook.example", "side": "it", "title": "Engineer"})).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(person["email"], "mo.diallo@alderbrook.example");
        assert_eq!(person["version"], 1);
    })
    .await;
}

#[tokio::test]
async fn a_stale_version_gets_409_and_changes_nothing() {
    on_each_demo_db(|app| async move {
        let api = app.api(&app.token(ADMIN).await);
        let (_, found) = api.get("/people?q=rajesh").await;
        let p = &found["items"][0];
        let id = p["id"].as_i64().unwrap();
        let body = |title: &str, version: i64| json!({"name": p["name"], "email": p["email"], "side": p["side"], "unit_id": p["unit_id"], "title": title, "version": version});
        let (status, updated) = api.put(&format!("/people/{id}"), body("COO", 1)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(updated["version"], 2);
        let (status, err) = api.put(&format!("/people/{id}"), body("Overwritten", 1)).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(error_code(&err), "stale");
        assert_eq!(api.get(&format!("/people/{id}")).await.1["title"], "COO");
    })
    .await;
}

#[tokio::test]
async fn malformed_and_oversized_bodies_get_clear_errors() {
    on_each_demo_db(|app| async move {
        let api = app.api(&app.token(IT_USER).await);
        let (status, body) = api.post_raw("/units", "application/json", b"{not json".to_vec()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(error_code(&body), "bad_request");
        let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(300 * 1024));
        let (status, body) = api.post_raw("/units", "application/json", huge.into_bytes()).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(error_code(&body), "too_large");
        let (status, body) = api.get("/no/such/route").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(error_code(&body), "not_found");
        let (status, _) = api.get("/people/424242").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn roles_are_enforced_on_the_api() {
    on_each_demo_db(|app| async move {
        let viewer = app.api(&app.token(VIEWER).await);
        assert_eq!(viewer.get("/people").await.0, StatusCode::OK);
        let (status, body) =
            viewer.post("/people", json!({"name": "V", "email": "v@alderbrook.example", "side": "it"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(error_code(&body), "forbidden");
        let business = app.api(&app.token(BUSINESS).await);
        assert_eq!(business.get("/accounts").await.0, StatusCode::FORBIDDEN);
        assert_eq!(business.get("/audit").await.0, StatusCode::FORBIDDEN);
        assert_eq!(
            business.post("/accounts", json!({"email": BUSINESS, "role": "admin", "password": "xxxxxxxxxxxx"})).await.0,
            StatusCode::FORBIDDEN
        );
        let admin = app.api(&app.token(ADMIN).await);
        let (status, accounts) = admin.get("/accounts").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(accounts.as_array().unwrap().len(), 8);
    })
    .await;
}

#[tokio::test]
async fn admins_manage_accounts_through_the_api() {
    on_each_demo_db(|app| async move {
        let admin = app.api(&app.token(ADMIN).await);
        let (_, people) = admin.get("/people?q=aisha").await;
        let email = people["items"][0]["email"].as_str().unwrap().to_string();
        let (status, body) =
            admin.post("/accounts", json!({"email": email, "role": "boss", "password": "short"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["role"].is_string() && body["error"]["fields"]["password"].is_string());
        let (status, account) =
            admin.post("/accounts", json!({"email": email, "role": "business", "password": "a long password"})).await;
        assert_eq!(status, StatusCode::CREATED);
        let id = account["id"].as_i64().unwrap();
        let (status, _) =
            admin.post("/accounts", json!({"email": email, "role": "business", "password": "a long password"})).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (status, changed) = admin.put(&format!("/accounts/{id}"), json!({"role": "viewer", "version": 1})).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(changed["role"], "viewer");
        // An admin cannot demote themselves.
        let me = admin.get("/me").await.1;
        let mine = app.db.get_account(me["account_id"].as_i64().unwrap()).await.unwrap();
        let (status, _) =
            admin.put(&format!("/accounts/{}", mine.id), json!({"role": "viewer", "version": mine.version})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    })
    .await;
}

#[tokio::test]
async fn csv_import_through_the_api_lists_every_bad_line() {
    on_each_demo_db(|app| async move {
        let api = app.api(&app.token(ADMIN).await);
        let csv = "name,email,side,unit,team,title,manager_email\nA,a@alderbrook.example,business,Finance,,,\nB,b@,business,Finance,,,\nC,c@alderbrook.example,robot,,,,\n";
        let (status, body) = api.post_raw("/people/import", "text/csv", csv.as_bytes().to_vec()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields = body["error"]["fields"].as_object().unwrap();
        assert!(fields.contains_key("line 3") && fields.contains_key("line 4") && !fields.contains_key("line 2"), "{body}");
        assert_eq!(api.get("/people").await.1["total"], 60);
        let (status, body) = api.post_raw("/people/import", "text/csv", b"\xff\xfe\x00garbage".to_vec()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let ok = "name,email,side,unit,team,title,manager_email\nA Person,a@alderbrook.example,business,Finance,,,\nRajesh Menon,rajesh.menon@alderbrook.example,business,Executive Office,,Chief Operating Officer,\n";
        let (status, body) = api.post_raw("/people/import", "text/csv", ok.as_bytes().to_vec()).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body, json!({"added": 1, "updated": 1}));
    })
    .await;
}

#[tokio::test]
async fn every_change_is_in_the_audit_log_with_before_and_after() {
    on_each_demo_db(|app| async move {
        let api = app.api(&app.token(ADMIN).await);
        let (_, unit) = api.post("/units", json!({"name": "Legal", "description": "Contracts"})).await;
        let id = unit["id"].as_i64().unwrap();
        let (status, _) = api
            .put(
                &format!("/units/{id}"),
                json!({"name": "Legal & Compliance", "description": "Contracts", "version": 1}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, log) = api.get(&format!("/audit?entity=unit&entity_id={id}")).await;
        assert_eq!(status, StatusCode::OK);
        let items = log["items"].as_array().unwrap();
        assert_eq!(items.len(), 2);
        let update = &items[0];
        assert_eq!(update["action"], "update");
        assert_eq!(update["actor_name"], "Nkechi Adeyemi");
        assert_eq!(update["via"], "api");
        assert!(update["before_json"].as_str().unwrap().contains("\"Legal\""));
        assert!(update["after_json"].as_str().unwrap().contains("Legal & Compliance"));
    })
    .await;
}

#[tokio::test]
async fn openapi_document_describes_the_api() {
    on_each_db(|app| async move {
        let doc: serde_json::Value = reqwest::get(app.url("/api/v1/openapi.json")).await.unwrap().json().await.unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        for path in [
            "/api/v1/people",
            "/api/v1/people/{id}",
            "/api/v1/units",
            "/api/v1/tokens",
            "/api/v1/audit",
            "/api/v1/people/import",
        ] {
            assert!(doc["paths"][path].is_object(), "{path} is documented");
        }
        assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    })
    .await;
}

#[tokio::test]
async fn responses_carry_each_key_once_and_match_their_documented_schema() {
    on_each_demo_db(|app| async move {
        let token = app.token(BUSINESS).await;
        let api = app.api(&token);
        let (_, created) = api.post("/requests", json!({"title": "Returns"})).await;
        let id = created["id"].as_i64().unwrap();
        let raw = reqwest::Client::new()
            .get(app.url(&format!("/api/v1/requests/{id}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        for key in ["\"clarity\":", "\"priority\":", "\"clarity_detail\":", "\"priority_detail\":"] {
            assert_eq!(raw.matches(key).count(), 1, "{key} once in {raw}");
        }
        // The glossary import documents what it answers, not the Jira import's shape.
        let (_, doc) = api.get("/openapi.json").await;
        let schema = doc["paths"]["/api/v1/glossary/import"]["post"]["responses"]["200"]["content"]["application/json"]
            ["schema"]["$ref"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_string();
        let properties = &doc["components"]["schemas"][&schema]["properties"];
        assert!(properties["added"].is_object() && properties["updated"].is_object(), "{schema}: {properties}");
    })
    .await;
}
