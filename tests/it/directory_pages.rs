//! The directory as people use it in the browser: browse, search, add, edit, import.

use reqwest::StatusCode;

use crate::support::*;

#[tokio::test]
async fn people_page_lists_searches_and_filters() {
    on_each_demo_db(|app| async move {
        let b = app.signed_in(BUSINESS).await;
        let (status, all) = b.text("/people").await;
        assert_eq!(status, StatusCode::OK);
        assert!(all.contains("60 people"), "demo has 60 people");
        let (_, found) = b.text("/people?q=nkechi").await;
        assert!(found.contains("1 person") && found.contains("Nkechi Adeyemi"));
        let (_, it) = b.text("/people?side=it").await;
        assert!(!it.contains("Sofia Lindqvist") && it.contains("Nkechi Adeyemi"));
        // LIKE wildcards typed by a person are matched literally.
        let (_, none) = b.text("/people?q=%25").await;
        assert!(none.contains("0 people"));
    })
    .await;
}

#[tokio::test]
async fn adding_a_person_with_errors_keeps_the_input_and_marks_fields() {
    on_each_demo_db(|app| async move {
        let b = app.signed_in(ADMIN).await;
        let r = b
            .post_form(
                "/people",
                &[("name", "Zoe Quartermaine"), ("email", "zoe@"), ("side", ""), ("title", "Analyst")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(
            page.contains("value=\"Zoe Quartermaine\"")
                && page.contains("value=\"zoe@\"")
                && page.contains("value=\"Analyst\"")
        );
        assert!(page.contains("aria-invalid=\"true\""));
        assert!(page.contains("Enter an email address like name@example.com."));
        assert!(page.contains("Choose business or IT."));

        // Duplicate email: 409 with the message beside the email field.
        let r = b.post_form("/people", &[("name", "Copy"), ("email", ADMIN), ("side", "it")]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r
            .text()
            .await
            .unwrap()
            .contains(&format!("Someone with the email {ADMIN} is already in the directory.")));

        let r = b
            .post_form(
                "/people",
                &[
                    ("name", "Zoe Quartermaine"),
                    ("email", "zoe.quartermaine@alderbrook.example"),
                    ("side", "business"),
                    ("title", "Analyst"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let location = r.headers()["location"].to_str().unwrap().to_string();
        let (status, page) = b.text(&location).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Zoe Quartermaine") && page.contains("Analyst"));
    })
    .await;
}

#[tokio::test]
async fn a_stale_edit_is_refused_and_keeps_what_was_typed() {
    on_each_demo_db(|app| async move {
        let b = app.signed_in(ADMIN).await;
        let person = app.db.find_person_by_email(BUSINESS).await.unwrap().unwrap();
        let path = format!("/people/{}", person.id);
        let v = person.version.to_string();
        let base = [("name", "Rajesh Menon"), ("email", BUSINESS), ("side", "business")];
        let first = [&base[..], &[("title", "Chief Operating Officer"), ("version", v.as_str())]].concat();
        assert_eq!(b.post_form(&path, &first).await.status(), StatusCode::SEE_OTHER);
        let second = [&base[..], &[("title", "COO and friend of IT"), ("version", v.as_str())]].concat();
        let r = b.post_form(&path, &second).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        let page = r.text().await.unwrap();
        assert!(page.contains("Someone else changed this person"));
        assert!(page.contains("value=\"COO and friend of IT\""));
        assert_eq!(app.db.get_person(person.id).await.unwrap().title, "Chief Operating Officer");
    })
    .await;
}

#[tokio::test]
async fn csv_upload_is_all_or_nothing_with_an_error_per_row() {
    on_each_demo_db(|app| async move {
        let b = app.signed_in(ADMIN).await;
        let bad = "name,email,side,unit,team,title,manager_email\n\
                   Good Person,good.person@alderbrook.example,business,Finance,,Analyst,\n\
                   ,missing.name@alderbrook.example,business,Finance,,,\n\
                   Bad Email,bad@,it,,Data & Analytics,,\n\
                   Nowhere,nowhere@alderbrook.example,business,Atlantis,,,\n";
        let upload = |csv: &'static str| {
            let form = reqwest::multipart::Form::new()
                .text("_csrf", b.csrf.clone())
                .part("file", reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("people.csv"));
            b.client.post(app.url("/people/import")).multipart(form).send()
        };
        let r = upload(bad).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("Nothing was imported"));
        for line in ["Line 3:", "Line 4:", "Line 5:"] {
            assert!(page.contains(line), "{line} is reported");
        }
        assert!(!page.contains("Line 2:"));
        assert!(app.db.find_person_by_email("good.person@alderbrook.example").await.unwrap().is_none());

        let good = "name,email,side,unit,team,title,manager_email\n\
                    Good Person,good.person@alderbrook.example,business,Finance,,Analyst,rajesh.menon@alderbrook.example\n\
                    New Lead,new.lead@alderbrook.example,it,,Data & Analytics,Lead,\n";
        let r = upload(good).await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, list) = b.text(r.headers()["location"].to_str().unwrap()).await;
        assert!(list.contains("Imported: 2 added, 0 updated."));
        let p = app.db.find_person_by_email("good.person@alderbrook.example").await.unwrap().unwrap();
        assert_eq!(p.manager_name.as_deref(), Some("Rajesh Menon"));
        assert_eq!(p.unit_name.as_deref(), Some("Finance"));
    })
    .await;
}

#[tokio::test]
async fn units_and_teams_are_managed_on_their_pages() {
    on_each_demo_db(|app| async move {
        let b = app.signed_in(ADMIN).await;
        let (_, teams) = b.text("/teams").await;
        assert!(teams.contains("Data &#38; Analytics"));
        let r = b.post_form("/units", &[("name", "Finance"), ("description", "dup")]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r.text().await.unwrap().contains("already exists."));
        let r = b.post_form("/units", &[("name", "  "), ("description", "")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("Enter a name."));
    })
    .await;
}

#[tokio::test]
async fn the_audit_page_shows_who_changed_what() {
    on_each_demo_db(|app| async move {
        let b = app.signed_in(ADMIN).await;
        assert_eq!(
            b.post_form("/teams", &[("name", "Quality Engineering"), ("description", "Tests things")]).await.status(),
            StatusCode::SEE_OTHER
        );
        let (status, page) = b.text("/admin/audit").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Created IT team Quality Engineering"));
        assert!(page.contains("Nkechi Adeyemi"));
    })
    .await;
}

#[tokio::test]
async fn personal_tokens_are_shown_once_and_can_be_revoked() {
    on_each_demo_db(|app| async move {
        let b = app.signed_in(VIEWER).await;
        let r = b.post_form("/tokens", &[("label", "")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let r = b.post_form("/tokens", &[("label", "Report script")]).await;
        assert_eq!(r.status(), StatusCode::OK);
        let page = r.text().await.unwrap();
        let start = page.find("brg_").expect("the new token is shown");
        let token: String =
            page[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect();
        let api = app.api(&token);
        assert_eq!(api.get("/me").await.0, StatusCode::OK);
        // Viewer tokens read but cannot write.
        let (status, body) = api.post("/units", serde_json::json!({"name": "X"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(error_code(&body), "forbidden");
        // The list no longer shows the secret.
        assert!(!b.text("/tokens").await.1.contains(&token));
        let id = app.db.list_tokens(None).await.unwrap().into_iter().find(|t| t.label == "Report script").unwrap().id;
        assert_eq!(b.post_form(&format!("/tokens/{id}/revoke"), &[]).await.status(), StatusCode::SEE_OTHER);
        assert_eq!(api.get("/me").await.0, StatusCode::UNAUTHORIZED);
    })
    .await;
}

#[tokio::test]
async fn one_search_finds_requests_terms_and_people_and_people_filter_by_role() {
    on_each_demo_db(|app| async move {
        let b = app.signed_in(BUSINESS).await;
        let (status, page) = b.text("/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("action=\"/search\""), "a search box in the header");
        let (status, page) = b.text("/search?q=Joanna").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("People (1)") && page.contains("Joanna"), "people found");
        let (_, page) = b.text("/search?q=churn").await;
        assert!(page.contains("Glossary terms (") && !page.contains("Glossary terms (0)"), "terms found");
        let (_, page) = b.text("/search?q=").await;
        assert!(!page.contains("People ("), "nothing searched for, nothing listed");

        let (_, page) = b.text("/people?role=admin").await;
        assert!(page.contains("Nkechi") && !page.contains("Rajesh Menon</a>"), "only administrators");
        let (_, page) = b.text("/people?role=none").await;
        assert!(!page.contains("Nkechi"), "only people without an account");
        let admin = app.api(&app.token(ADMIN).await);
        let (_, list) = admin.get("/people?role=viewer").await;
        assert!(list["items"].as_array().unwrap().iter().all(|p| p["role"] == "viewer"), "{list}");

        let (_, page) = b.text("/requests?status=all").await;
        assert!(page.contains("sort=title") && page.contains("sort=clarity"), "column headers sort");
    })
    .await;
}
