//! The glossary and the jargon checker, through pages and the API.

use reqwest::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn the_starter_glossary_is_there_from_the_start() {
    on_each_demo_db(|app| async move {
        let api = app.api(&app.token(VIEWER).await);
        let (status, body) = api.get("/glossary?per_page=1").await;
        assert_eq!(status, StatusCode::OK);
        assert!(body["total"].as_i64().unwrap() >= 150, "{body}");
        let (_, found) = api.get("/glossary?q=latency").await;
        assert!(found["items"].as_array().unwrap().iter().any(|t| t["term"] == "latency"));
    })
    .await;
}

#[tokio::test]
async fn check_finds_the_other_sides_terms_with_character_offsets() {
    on_each_demo_db(|app| async move {
        let api = app.api(&app.token(BUSINESS).await);
        let text = "Café ☕ — the API's latency breaks our SLA and EBITDA, says ZQX.";
        let (status, body) = api.post("/language/check", json!({"text": text, "reader": "business"})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let findings = body["findings"].as_array().unwrap();
        let api_finding = findings.iter().find(|f| f["term"] == "API").expect("API is found");
        assert_eq!(api_finding["kind"], "known");
        assert!(api_finding["definition"].as_str().unwrap().len() > 10);
        let chars: Vec<char> = text.chars().collect();
        let (start, end) =
            (api_finding["start"].as_u64().unwrap() as usize, api_finding["end"].as_u64().unwrap() as usize);
        let matched: String = chars[start..end].iter().collect();
        assert_eq!(matched, api_finding["matched"].as_str().unwrap());
        assert!(matched.starts_with("API"));
        assert!(findings.iter().any(|f| f["term"] == "SLA"));
        // A business reader is not told what business words mean.
        assert!(!findings.iter().any(|f| f["term"] == "EBITDA"));
        let unknown = findings.iter().find(|f| f["kind"] == "unknown").expect("an unknown acronym is flagged");
        assert_eq!(unknown["term"], "ZQX");

        // For IT readers it is the other way round.
        let (_, body) = api.post("/language/check", json!({"text": text, "reader": "it"})).await;
        let findings = body["findings"].as_array().unwrap();
        assert!(findings.iter().any(|f| f["term"] == "EBITDA") && !findings.iter().any(|f| f["term"] == "API"));

        // Unknown words become the glossary's backlog.
        let (_, insight) = api.get("/language/insight").await;
        assert!(
            insight["top_unknown"].as_array().unwrap().iter().any(|u| u["word"] == "ZQX" && u["flagged"] == 2),
            "{insight}"
        );
    })
    .await;
}

#[tokio::test]
async fn check_rejects_bad_input_clearly() {
    on_each_demo_db(|app| async move {
        let api = app.api(&app.token(BUSINESS).await);
        let (status, body) = api.post("/language/check", json!({"text": "hello", "reader": "martians"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["reader"].is_string());
        let (status, body) = api.post("/language/check", json!({"text": "é".repeat(200_000), "reader": "it"})).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(error_code(&body), "too_large");
        let (status, body) =
            api.post("/language/check", json!({"text": "🙂🙂 API\u{301} 日本語 ", "reader": "business"})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    })
    .await;
}

#[tokio::test]
async fn proposing_terms_reports_clashes_and_circular_definitions() {
    on_each_demo_db(|app| async move {
        let api = app.api(&app.token(IT_USER).await);
        let (status, body) = api.post("/glossary", json!({"term": "Application Programming Interface", "side": "it", "definition": "A way for programs to talk to each other, like a waiter."})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(error_code(&body), "conflict");
        assert!(body["error"]["fields"]["term"].is_string(), "the clash is beside the term: {body}");
        let (status, body) = api.post("/glossary", json!({"term": "Blorp", "side": "it", "definition": "Blorp"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["definition"].is_string());
        let (status, body) = api.post("/glossary", json!({"term": "", "side": "it", "definition": ""})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["term"].is_string());

        let viewer = app.api(&app.token(VIEWER).await);
        let (status, _) = viewer.post("/glossary", json!({"term": "Zorbex", "side": "it", "definition": "A made-up tool that nobody uses."})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // A proposed term is not used by the checker; once approved it is, at once.
        let (status, term) = api.post("/glossary", json!({"term": "Zorbex", "aliases": "ZBX", "side": "it", "definition": "The tool that moves orders between the shop and the warehouse."})).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(term["status"], "proposed");
        let check = || api.post("/language/check", json!({"text": "Zorbex is down.", "reader": "business"}));
        assert!(check().await.1["findings"].as_array().unwrap().is_empty());
        let id = term["id"].as_i64().unwrap();
        let (status, approved) = api.put(&format!("/glossary/{id}"), json!({"term": "Zorbex", "aliases": "ZBX", "side": "it", "definition": "The tool that moves orders between the shop and the warehouse.", "status": "approved", "version": 1})).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(approved["aliases"], json!(["ZBX"]));
        let (_, found) = check().await;
        assert_eq!(found["findings"][0]["term"], "Zorbex");
        // Stale version.
        let (status, _) = api.put(&format!("/glossary/{id}"), json!({"term": "Zorbex", "side": "it", "definition": "Something else entirely, for the test.", "version": 1})).await;
        assert_eq!(status, StatusCode::CONFLICT);
        // Only admins remove terms.
        assert_eq!(api.delete(&format!("/glossary/{id}")).await, StatusCode::FORBIDDEN);
        let admin = app.api(&app.token(ADMIN).await);
        assert_eq!(admin.delete(&format!("/glossary/{id}")).await, StatusCode::NO_CONTENT);
    })
    .await;
}

#[tokio::test]
async fn export_then_import_changes_nothing() {
    on_each_demo_db(|app| async move {
        let api = app.api(&app.token(ADMIN).await);
        let (_, exported) = api.get("/glossary/export").await;
        let (status, result) = api.post("/glossary/import", exported.clone()).await;
        assert_eq!(status, StatusCode::OK, "{result}");
        assert_eq!(result, json!({"added": 0, "updated": 0}));

        let b = app.signed_in(ADMIN).await;
        let csv = b.get("/glossary/export.csv").await.text().await.unwrap();
        assert!(csv.starts_with("term,aliases,side,definition,example,related,owner,status"));
        let upload = |data: Vec<u8>| {
            let form = reqwest::multipart::Form::new()
                .text("_csrf", b.csrf.clone())
                .part("file", reqwest::multipart::Part::bytes(data).file_name("glossary.csv"));
            b.client.post(app.url("/glossary/import")).multipart(form).send()
        };
        let r = upload(csv.into_bytes()).await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, after) = api.get("/glossary/export").await;
        assert_eq!(after, exported, "a round trip changes nothing");

        let bad = "term,aliases,side,definition,example,related,owner,status\nGood one,,it,A perfectly fine explanation of a thing.,,,,approved\n,,it,No term here at all.,,,,approved\nOther,,robots,Some words to explain it.,,,,approved\n";
        let r = upload(bad.as_bytes().to_vec()).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("Line 3") && page.contains("Line 4") && !page.contains("Line 2:"));
        assert_eq!(api.get("/glossary?q=Good%20one").await.1["total"], 0);
    })
    .await;
}

#[tokio::test]
async fn glossary_pages_browse_propose_approve_and_check() {
    on_each_demo_db(|app| async move {
        let business = app.signed_in(BUSINESS).await;
        let (status, list) = business.text("/glossary?letter=s").await;
        assert_eq!(status, StatusCode::OK);
        assert!(list.contains("SLA"));
        // Propose with an error: input kept, error beside the field.
        let r = business
            .post_form(
                "/glossary",
                &[
                    ("term", "Run-rate"),
                    ("side", "business"),
                    ("definition", "What a year would bring if this month repeated."),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::CONFLICT, "run-rate is in the starter glossary");
        let r = business
            .post_form("/glossary", &[("term", "Footfall"), ("side", "business"), ("definition", "footfall")])
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("value=\"Footfall\""));
        let r = business
            .post_form(
                "/glossary",
                &[
                    ("term", "Footfall"),
                    ("side", "business"),
                    ("definition", "The number of people who walk into our stores in a period."),
                    ("status", "proposed"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let location = r.headers()["location"].to_str().unwrap().to_string();
        let (_, page) = business.text(&location).await;
        assert!(page.contains("Proposed") && page.contains("walk into our stores"));
        let version = hidden_value(&page, "version").unwrap();
        let it = app.signed_in(IT_USER).await;
        let r = it.post_form(&format!("{location}/approve"), &[("version", &version)]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);

        // IT checks a text for business readers... and business text for IT readers.
        let r = it
            .post_form(
                "/glossary/check",
                &[("text", "Footfall fell, so the API <b>latency</b> matters less."), ("reader", "it")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let page = r.text().await.unwrap();
        assert!(
            page.contains("class=\"term\"") && page.contains("role=\"note\"") && page.contains("walk into our stores")
        );
        assert!(page.contains("&lt;b&gt;"), "the text is escaped");
        assert!(
            page.contains("Terms that will be explained") && page.contains(">Footfall</a>"),
            "the table links the term"
        );
        let (_, page) = it.text(&location).await;
        assert!(page.contains("Looked up"));
        let (_, insight) = it.text("/glossary/insight").await;
        assert!(insight.contains("Footfall") && insight.contains("<svg"));
    })
    .await;
}

#[tokio::test]
async fn a_term_page_shows_the_requests_that_use_it() {
    on_each_demo_db(|app| async move {
        let api = app.api(&app.token(BUSINESS).await);
        let (status, created) = api
            .post("/requests", json!({"title": "Faster stock checks", "problem": "The stock API has high latency at peak times, so store staff wait."}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let id = created["id"].as_i64().unwrap();
        let latency = app.db.find_term("latency").await.unwrap().expect("latency is a starter term");
        let b = app.signed_in(BUSINESS).await;
        let (_, page) = b.text(&format!("/glossary/{}", latency.id)).await;
        assert!(page.contains(&format!("/requests/{id}")) && page.contains("Faster stock checks"), "the request is listed");
        // Conversations count too, when the checker confirms the word (not inside another word).
        let (_, demo) = api.get("/requests?status=submitted&per_page=1").await;
        let other = demo["items"][0]["id"].as_i64().unwrap();
        let (_, said) = api.post(&format!("/requests/{other}/comments"), json!({"body": "Is the latency the problem?"})).await;
        let (_, noise) = api.post(&format!("/requests/{other}/comments"), json!({"body": "Our latencymeter is new."})).await;
        let (_, page) = b.text(&format!("/glossary/{}", latency.id)).await;
        assert!(page.contains(&format!("/requests/{other}#comment-{}", said["id"])), "the comment is listed");
        assert!(!page.contains(&format!("#comment-{}", noise["id"])), "a longer word is not a use");
        // The request page explains IT words to a business reader.
        let (_, request) = b.text(&format!("/requests/{id}")).await;
        assert!(request.contains("class=\"term\""), "terms are marked on the request page");
    })
    .await;
}

#[tokio::test]
async fn the_request_form_warns_about_words_it_may_not_know() {
    on_each_demo_db(|app| async move {
        let b = app.signed_in(BUSINESS).await;
        let r = b
            .post_form(
                "/requests/clarity",
                &[("title", "Lift EBITDA"), ("problem", "Our churn is up and the QZR report is late.")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let fragment = r.text().await.unwrap();
        assert!(fragment.contains("Words IT may not know"), "{fragment}");
        assert!(fragment.contains("EBITDA") && fragment.contains("churn"));
        assert!(fragment.contains("QZR</strong> (not in the glossary)"));
    })
    .await;
}
