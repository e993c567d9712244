//! The holes found by trying Bridge as an attacker would: each stays closed, on every database.

use reqwest::StatusCode;
use serde_json::json;

use crate::builders::{self, person};
use crate::support::*;
use bridge_domain::intake::Status;

#[tokio::test]
async fn only_admins_remove_people_and_removing_archives_them() {
    on_each_demo_db(|app| async move {
        let business = app.api(&app.token(BUSINESS).await);
        let admin_api = app.api(&app.token(ADMIN).await);
        let admin_id = person_id(&app, ADMIN).await;
        let it_id = person_id(&app, IT_USER).await;
        for path in [format!("/people/{admin_id}"), format!("/people/{it_id}")] {
            assert_eq!(business.delete(&path).await, StatusCode::FORBIDDEN);
        }
        let page = app.signed_in(BUSINESS).await;
        assert_eq!(page.post_form(&format!("/people/{admin_id}/delete"), &[]).await.status(), StatusCode::FORBIDDEN);
        assert!(app.db.find_account_by_email(ADMIN).await.unwrap().is_some(), "the admin's account is still there");

        // An admin removes the IT user: archived, signed out, their requests kept, restorable.
        let request = builders::request().status(Status::Submitted).by(it_id).create(&app.db).await;
        let it_page = app.signed_in(IT_USER).await;
        assert_eq!(admin_api.delete(&format!("/people/{it_id}")).await, StatusCode::NO_CONTENT);
        let (_, list) = admin_api.get("/people?q=joanna").await;
        assert_eq!(list["total"], 0, "archived people leave the directory");
        let (status, person) = admin_api.get(&format!("/people/{it_id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(person["archived_at"].is_i64());
        assert_eq!(it_page.get("/").await.status(), StatusCode::SEE_OTHER, "their session ended");
        assert_eq!(app.browser().login(IT_USER, DEMO_PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
        let (status, kept) = admin_api.get(&format!("/requests/{request}")).await;
        assert_eq!(status, StatusCode::OK, "their request is kept");
        assert_eq!(kept["author_id"], it_id);
        let (status, restored) = admin_api.post(&format!("/people/{it_id}/restore"), json!({})).await;
        assert_eq!(status, StatusCode::OK);
        assert!(restored["archived_at"].is_null());
        assert_eq!(app.browser().login(IT_USER, DEMO_PASSWORD).await.status(), StatusCode::SEE_OTHER, "account back");

        // Nobody removes themselves, and the store keeps the last administrator.
        let (status, _) = admin_api.send(reqwest::Method::DELETE, &format!("/people/{admin_id}"), json!(null)).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let cli = bridge_domain::audit::Actor::cli();
        for a in app.db.list_accounts().await.unwrap() {
            if a.role == bridge_domain::org::Role::Admin && a.person_id != admin_id {
                app.db.update_account(&cli, a.id, a.version, bridge_domain::org::Role::It, false).await.unwrap();
            }
        }
        let last = app.db.archive_person(&cli, admin_id).await;
        assert!(matches!(last, Err(bridge_domain::Error::Conflict { .. })), "{last:?}");
        assert!(app.db.get_person(admin_id).await.unwrap().archived_at.is_none());
    })
    .await;
}

#[tokio::test]
async fn people_change_only_their_own_name_and_title() {
    on_each_demo_db(|app| async move {
        let business = app.api(&app.token(BUSINESS).await);
        let admin_id = person_id(&app, ADMIN).await;
        let (_, admin) = business.get(&format!("/people/{admin_id}")).await;
        let mut stolen = admin.clone();
        stolen["email"] = json!("attacker@evil.example");
        let (status, _) = business.put(&format!("/people/{admin_id}"), stolen).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(business.get(&format!("/people/{admin_id}")).await.1["email"], ADMIN);

        let me = person_id(&app, BUSINESS).await;
        let (_, mine) = business.get(&format!("/people/{me}")).await;
        let mut moved = mine.clone();
        moved["email"] = json!("rajesh@elsewhere.example");
        moved["side"] = json!("it");
        let (status, body) = business.put(&format!("/people/{me}"), moved).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["email"].is_string() && body["error"]["fields"]["side"].is_string(), "{body}");
        let mut retitled = mine.clone();
        retitled["title"] = json!("Head of Stores and Returns");
        let (status, body) = business.put(&format!("/people/{me}"), retitled).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["title"], "Head of Stores and Returns");
    })
    .await;
}

#[tokio::test]
async fn the_business_side_steps_on_a_request_are_its_owners() {
    on_each_demo_db(|app| async move {
        let someone_else = person("Someone Else").create(&app.db).await;
        let theirs = builders::request().status(Status::Submitted).by(someone_else).create(&app.db).await;
        let business = app.api(&app.token(BUSINESS).await);
        let (status, body) = business
            .post(
                &format!("/requests/{theirs}/transitions"),
                json!({"action": "withdraw", "reason": "Not needed any more."}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(error_code(&body), "forbidden");
        let (_, request) = business.get(&format!("/requests/{theirs}")).await;
        assert_eq!(request["status"], "submitted");
        assert_eq!(request["allowed_actions"], json!([]), "no buttons for steps they may not take");

        let mine =
            builders::request().status(Status::Submitted).by(person_id(&app, BUSINESS).await).create(&app.db).await;
        let (_, request) = business.get(&format!("/requests/{mine}")).await;
        assert_eq!(request["allowed_actions"], json!(["withdraw"]));
        let withdraw = json!({"action": "withdraw", "reason": "Not needed any more."});
        let (status, body) = business.post(&format!("/requests/{mine}/transitions"), withdraw).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["status"], "withdrawn");
    })
    .await;
}

#[tokio::test]
async fn priority_saves_keep_the_other_sides_ratings_and_a_no_change_save_writes_nothing() {
    on_each_demo_db(|app| async move {
        let request =
            builders::request().status(Status::Submitted).by(person_id(&app, BUSINESS).await).create(&app.db).await;
        let other_server = app.another_server().await;
        let business = app.api(&app.token(BUSINESS).await);
        let it = other_server.api(&other_server.token(IT_USER).await);
        let path = format!("/requests/{request}/priority");
        let scale = [1, 2, 3, 5, 8, 13, 20];
        for round in 0..30 {
            let (b, i) = (scale[round % 7], scale[(round + 3) % 7]);
            let (rb, ri) = tokio::join!(
                business.put(&path, json!({"business_value": b})),
                it.put(&path, json!({"risk_reduction": i, "job_size": 3}))
            );
            assert_eq!((rb.0, ri.0), (StatusCode::OK, StatusCode::OK), "{rb:?} {ri:?}");
            let (_, r) = business.get(&format!("/requests/{request}")).await;
            assert_eq!(
                (r["business_value"].as_i64(), r["risk_reduction"].as_i64()),
                (Some(b), Some(i)),
                "round {round}"
            );
        }

        let audit = app.api(&app.token(ADMIN).await);
        let count = || async { audit.get("/audit?entity=request").await.1["total"].as_i64().unwrap() };
        let before = count().await;
        let updated = business.get(&format!("/requests/{request}")).await.1["updated_at"].clone();
        let (_, r) = business.get(&format!("/requests/{request}")).await;
        let (status, _) = business.put(&path, json!({"business_value": r["business_value"]})).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(count().await, before, "a save that changes nothing is not audited");
        assert_eq!(business.get(&format!("/requests/{request}")).await.1["updated_at"], updated);

        let viewer = app.signed_in(VIEWER).await;
        let r = viewer.post_form(&format!("/requests/{request}/priority"), &[("business_value", "20")]).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert_eq!(count().await, before);
    })
    .await;
}

#[tokio::test]
async fn redirects_stay_on_the_site() {
    on_each_demo_db(|app| async move {
        let b = app.signed_in(BUSINESS).await;
        for next in
            ["/%09/evil.example/", "/%0a/evil.example", "/%5Cevil.example/", "//evil.example", "/%0d%0aSet-Cookie:x=1"]
        {
            let r = b.get(&format!("/login?next={next}")).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "{next}");
            assert_eq!(r.headers()["location"], "/", "{next}");
            for raw in [next.replace("%09", "\t").replace("%0a", "\n").replace("%5C", "\\").replace("%0d%0a", "\r\n")] {
                let r = b.post_form("/notifications/read", &[("next", raw.as_str())]).await;
                assert_eq!(r.status(), StatusCode::SEE_OTHER, "{raw:?}");
                assert_eq!(r.headers()["location"], "/notifications", "{raw:?}");
            }
        }
        let r = b.post_form("/notifications/read", &[("next", "/requests?status=open")]).await;
        assert_eq!(r.headers()["location"], "/requests?status=open");
    })
    .await;
}

#[tokio::test]
async fn control_characters_are_refused_with_a_field_error_everywhere() {
    on_each_demo_db(|app| async move {
        let admin = app.api(&app.token(ADMIN).await);
        let (status, body) = admin
            .post("/people", json!({"name": "Nul\u{0}Person", "email": "nul@alderbrook.example", "side": "it"}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["fields"]["name"].is_string(), "{body}");
        let (status, body) = admin
            .post(
                "/requests",
                json!({"title": "Ok", "metrics": [{"name": "bell\u{7}", "unit": "", "baseline": "", "target": ""}]}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["metrics[0].name"].is_string(), "{body}");
        for read in ["/glossary?q=%00", "/audit?entity=%00", "/people?q=a%00"] {
            let (status, body) = admin.get(read).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{read}: {body}");
            assert_eq!(error_code(&body), "validation_failed");
        }
        let (status, body) =
            admin.post_raw("/people/import", "text/csv", b"name,email,side\nA\0B,ab@x.example,it\n".to_vec()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["line 2"].is_string(), "{body}");
        assert_eq!(admin.get("/people?q=ab@x").await.1["total"], 0, "nothing imported");

        let page = app.signed_in(ADMIN).await;
        let r = page
            .post_form("/people", &[("name", "Esc\u{1b}ape"), ("email", "esc@alderbrook.example"), ("side", "it")])
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let form = reqwest::multipart::Form::new().text("_csrf", page.csrf.clone()).part(
            "file",
            reqwest::multipart::Part::bytes(b"name,email,side\nA\0B,ab@x.example,it\n".to_vec())
                .file_name("people.csv"),
        );
        let r = page.client.post(app.url("/people/import")).multipart(form).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("Line 2"));
    })
    .await;
}

#[tokio::test]
async fn priority_weights_have_a_range() {
    on_each_demo_db(|app| async move {
        let admin = app.api(&app.token(ADMIN).await);
        let w = |x: f64| json!({"submit_threshold": 60, "weights": {"business_value": x, "time_criticality": 1, "risk_reduction": 1, "job_size": 1}});
        for bad in [5e-324, 0.0, 0.09, 10.5] {
            let (status, body) = admin.put("/intake/settings", w(bad)).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
            assert!(body["error"]["fields"]["business_value"].is_string());
        }
        let (status, _) = admin.put("/intake/settings", w(0.1)).await;
        assert_eq!(status, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn writes_from_another_site_are_refused_and_a_role_change_ends_sessions() {
    on_each_demo_db(|app| async move {
        let b = app.signed_in(ADMIN).await;
        let forged = b
            .client
            .post(app.url("/units"))
            .header("origin", "https://evil.example")
            .form(&[("name", "Forged unit"), ("description", ""), ("_csrf", b.csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        let own = b
            .client
            .post(app.url("/units"))
            .header("origin", app.base.as_str())
            .form(&[("name", "Real unit"), ("description", ""), ("_csrf", b.csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(own.status(), StatusCode::SEE_OTHER);
        let (_, units) = app.api(&app.token(ADMIN).await).get("/units").await;
        let names: Vec<&str> = units.as_array().unwrap().iter().filter_map(|u| u["name"].as_str()).collect();
        assert!(names.contains(&"Real unit") && !names.contains(&"Forged unit"));

        // A new role ends the person's sessions: they sign in again with what they may now do.
        let it_page = app.signed_in(IT_USER).await;
        let account = app.db.find_account_by_email(IT_USER).await.unwrap().unwrap();
        let admin = app.api(&app.token(ADMIN).await);
        let (status, _) = admin
            .put(&format!("/accounts/{}", account.id), json!({"role": "viewer", "version": account.version}))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(it_page.get("/").await.status(), StatusCode::SEE_OTHER);
    })
    .await;
}
