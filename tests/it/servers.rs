//! Several servers on one database: sessions, the directory and the glossary are shared, and each
//! server's memory catches up within a second.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::support::*;

const CATCH_UP: Duration = Duration::from_millis(1100);

#[tokio::test]
async fn two_servers_share_sessions_and_data() {
    on_each_demo_db(|a| async move {
        let b = a.another_server().await;
        // Signed in on A, known on B.
        let mut on_a = a.browser();
        let r = on_a.login(IT_USER, DEMO_PASSWORD).await;
        let set_cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
        let session = set_cookie.split(';').next().unwrap().to_string();
        on_a.refresh_csrf("/").await;
        let plain = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let on_b = || plain.get(b.url("/")).header("cookie", session.clone()).send();
        let (status, page) = {
            let r = on_b().await.unwrap();
            (r.status(), r.text().await.unwrap())
        };
        assert_eq!(status, StatusCode::OK, "the session is valid on the other server");
        assert!(page.contains("Joanna"));

        // A change through A shows in B's lists.
        let api_a = a.api(&a.token(ADMIN).await);
        let api_b = b.api(&b.token(IT_USER).await);
        assert_eq!(api_b.get("/people?q=quinn").await.1["total"], 0);
        let (status, _) = api_a.post("/people", json!({"name": "Quinn Harper", "email": "quinn.harper@alderbrook.example", "side": "it"})).await;
        assert_eq!(status, StatusCode::CREATED);
        tokio::time::sleep(CATCH_UP).await;
        assert_eq!(api_b.get("/people?q=quinn").await.1["total"], 1);

        // A glossary term approved through A is used by B's checker.
        let (status, _) = api_a.post("/glossary", json!({"term": "Plinth", "side": "it", "status": "approved", "definition": "The shared service that prints shipping labels for every warehouse."})).await;
        assert_eq!(status, StatusCode::CREATED);
        tokio::time::sleep(CATCH_UP).await;
        let (_, found) = api_b.post("/language/check", json!({"text": "Plinth is slow today.", "reader": "business"})).await;
        assert_eq!(found["findings"][0]["term"], "Plinth");

        // Signing out on A ends the session on B too.
        assert_eq!(on_b().await.unwrap().status(), StatusCode::OK);
        assert_eq!(on_a.post_form("/logout", &[]).await.status(), StatusCode::SEE_OTHER);
        tokio::time::sleep(CATCH_UP).await;
        assert_eq!(on_b().await.unwrap().status(), StatusCode::SEE_OTHER, "the old cookie no longer works on B");
    })
    .await;
}
