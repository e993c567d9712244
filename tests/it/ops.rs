//! Operations: health, readiness, metrics, security headers, error pages, assets.

use reqwest::StatusCode;

use crate::support::*;

#[tokio::test]
async fn health_readiness_and_metrics() {
    on_each_db(|app| async move {
        assert_eq!(reqwest::get(app.url("/healthz")).await.unwrap().status(), StatusCode::OK);
        assert_eq!(reqwest::get(app.url("/readyz")).await.unwrap().status(), StatusCode::OK);
        reqwest::get(app.url("/login")).await.unwrap();
        let metrics = reqwest::get(app.url("/metrics")).await.unwrap().text().await.unwrap();
        assert!(
            metrics.contains("bridge_http_requests_total{method=\"GET\",route=\"/login\",status=\"200\"} 1"),
            "{metrics}"
        );
        assert!(metrics
            .contains("bridge_http_request_duration_seconds_bucket{method=\"GET\",route=\"/login\",le=\"+Inf\"} 1"));
        assert!(metrics.contains("bridge_db_connections{"));
        // Readiness fails once the database is gone.
        app.db.close().await;
        assert_eq!(reqwest::get(app.url("/readyz")).await.unwrap().status(), StatusCode::SERVICE_UNAVAILABLE);
    })
    .await;
}

#[tokio::test]
async fn pages_carry_security_headers() {
    on_each_db(|app| async move {
        let r = reqwest::get(app.url("/login")).await.unwrap();
        let h = r.headers();
        assert!(h["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "same-origin");
    })
    .await;
}

#[tokio::test]
async fn unknown_pages_get_a_404_page() {
    on_each_demo_db(|app| async move {
        let r = reqwest::get(app.url("/no-such-page")).await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert!(r.text().await.unwrap().contains("Not found"));
        let b = app.signed_in(BUSINESS).await;
        let (status, page) = b.text("/people/999999").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(page.contains("Sign out"), "the signed-in frame stays");
    })
    .await;
}

#[tokio::test]
async fn assets_are_served_from_the_binary() {
    on_each_db(|app| async move {
        let r = reqwest::get(app.url("/static/bridge.css")).await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/css"));
        assert_eq!(reqwest::get(app.url("/static/nope.js")).await.unwrap().status(), StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn home_explains_every_area() {
    on_each_demo_db(|app| async move {
        let b = app.signed_in(BUSINESS).await;
        let (_, home) = b.text("/").await;
        for area in ["Intake", "Value", "Language", "Engagement", "Learning", "Recognition", "Pulse"] {
            assert!(home.contains(area), "{area} is on the home page");
        }
        assert!(home.contains("60 people"));
        assert!(home.contains("<main"));
    })
    .await;
}

#[tokio::test]
async fn templates_use_no_inline_styles_or_scripts_that_the_csp_would_block() {
    // The CSP forbids inline styles and scripts; a page that used them would break silently.
    let mut dirs = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/templates"))];
    let mut seen = 0;
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            // Email is not served under the CSP, and mail programs ignore style sheets: its
            // templates style inline.
            if path.is_dir() && !path.ends_with("email") {
                dirs.push(path);
                continue;
            }
            if path.is_dir() {
                continue;
            }
            seen += 1;
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(!text.contains("style=\""), "{} has an inline style", path.display());
            assert!(
                !text.contains("<script>") && !text.contains("onclick="),
                "{} has an inline script",
                path.display()
            );
        }
    }
    assert!(seen > 30, "every template was read ({seen})");
}
