//! Sign-in, sign-out, sessions, CSRF, lockout and roles on pages.

use reqwest::StatusCode;

use crate::builders;
use crate::support::*;

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_answer() {
    on_each_demo_db(|app| async move {
        let mut b = app.browser();
        let wrong = b.login(ADMIN, "not the password").await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        let wrong_text = wrong.text().await.unwrap();
        let unknown = b.login("nobody@alderbrook.example", "not the password").await;
        assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
        let unknown_text = unknown.text().await.unwrap();
        let message = "That email and password do not match an account.";
        assert!(wrong_text.contains(message) && unknown_text.contains(message));
        // The email typed is kept in the form.
        assert!(wrong_text.contains(&format!("value=\"{ADMIN}\"")));
    })
    .await;
}

#[tokio::test]
async fn sign_in_sets_a_safe_cookie_and_sign_out_ends_the_session() {
    on_each_demo_db(|app| async move {
        let mut b = app.browser();
        let r = b.login(ADMIN, DEMO_PASSWORD).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let cookie = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|c| c.starts_with("bridge_session="))
            .unwrap();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        b.refresh_csrf("/").await;
        let (status, home) = b.text("/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(home.contains("Hello, Nkechi"));

        // Sign-out needs the CSRF token.
        let forged = b.client.post(format!("{}/logout", b.base)).form(&[("_csrf", "forged")]).send().await.unwrap();
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        assert_eq!(b.get("/").await.status(), StatusCode::OK);

        let out = b.post_form("/logout", &[]).await;
        assert_eq!(out.status(), StatusCode::SEE_OTHER);
        let after = b.get("/").await;
        assert_eq!(after.status(), StatusCode::SEE_OTHER);
        assert!(after.headers()["location"].to_str().unwrap().starts_with("/login"));
    })
    .await;
}

#[tokio::test]
async fn repeated_failures_pause_sign_in_even_with_the_right_password() {
    on_each_demo_db(|app| async move {
        let mut b = app.browser();
        for _ in 0..5 {
            assert_eq!(b.login(BUSINESS, "guess guess guess").await.status(), StatusCode::UNAUTHORIZED);
        }
        let locked = b.login(BUSINESS, DEMO_PASSWORD).await;
        assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(locked.text().await.unwrap().contains("Too many failed sign-ins"));
        // Another account is not affected.
        assert_eq!(b.login(IT_USER, DEMO_PASSWORD).await.status(), StatusCode::SEE_OTHER);
    })
    .await;
}

#[tokio::test]
async fn forms_without_the_csrf_token_are_refused() {
    on_each_demo_db(|app| async move {
        let b = app.signed_in(ADMIN).await;
        let r = b
            .client
            .post(format!("{}/units", b.base))
            .form(&[("name", "Legal"), ("description", "")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert!(!b.text("/units").await.1.contains("Legal"));
        let ok = b.post_form("/units", &[("name", "Legal"), ("description", "Contracts")]).await;
        assert_eq!(ok.status(), StatusCode::SEE_OTHER);
        assert!(b.text("/units").await.1.contains("Legal"));
    })
    .await;
}

#[tokio::test]
async fn the_login_form_itself_is_csrf_protected() {
    on_each_demo_db(|app| async move {
        let b = app.browser();
        let r = b
            .client
            .post(app.url("/login"))
            .form(&[("email", ADMIN), ("password", DEMO_PASSWORD), ("_csrf", "made-up")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn roles_are_enforced_on_pages() {
    on_each_demo_db(|app| async move {
        let viewer = app.signed_in(VIEWER).await;
        assert_eq!(viewer.get("/people").await.status(), StatusCode::OK);
        let (status, page) = viewer.text("/people/new").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(page.contains("Not allowed") && page.contains("Only administrators"));
        let r = viewer.post_form("/units", &[("name", "Sneaky"), ("description", "")]).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert_eq!(viewer.get("/admin/accounts").await.status(), StatusCode::FORBIDDEN);

        let business = app.signed_in(BUSINESS).await;
        assert_eq!(business.get("/admin/audit").await.status(), StatusCode::FORBIDDEN);
        assert_eq!(business.get("/people/new").await.status(), StatusCode::FORBIDDEN, "only admins add people");
        // Only admins see the Admin link.
        assert!(!business.text("/").await.1.contains("href=\"/admin/accounts\""));
        let admin = app.signed_in(ADMIN).await;
        assert!(admin.text("/").await.1.contains("href=\"/admin/accounts\""));
    })
    .await;
}

#[tokio::test]
async fn a_disabled_account_is_signed_out_and_cannot_sign_in() {
    on_each_demo_db(|app| async move {
        let victim = app.signed_in(IT_USER).await;
        let admin = app.signed_in(ADMIN).await;
        let account = app.db.find_account_by_email(IT_USER).await.unwrap().unwrap();
        let r = admin
            .post_form(
                &format!("/admin/accounts/{}", account.id),
                &[("role", "it"), ("disabled", "on"), ("version", &account.version.to_string())],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(victim.get("/").await.status(), StatusCode::SEE_OTHER);
        let mut again = app.browser();
        assert_eq!(again.login(IT_USER, DEMO_PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    })
    .await;
}

#[tokio::test]
async fn admins_create_accounts_that_can_sign_in() {
    on_each_demo_db(|app| async move {
        let admin = app.signed_in(ADMIN).await;
        let email = "lena.fischer@alderbrook.example";
        // Someone not in the directory: error beside the email field, input kept.
        let (status, page) = {
            let r = admin
                .post_form(
                    "/admin/accounts",
                    &[("email", "ghost@alderbrook.example"), ("role", "it"), ("password", "long enough pw")],
                )
                .await;
            (r.status(), r.text().await.unwrap())
        };
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("is in the directory") && page.contains("value=\"ghost@alderbrook.example\""));
        // Too short a password.
        let r = admin.post_form("/admin/accounts", &[("email", email), ("role", "it"), ("password", "short")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

        let person = app.db.find_person_by_email(email).await.unwrap();
        if person.is_none() {
            builders::person("Lena Fischer").it().email(email).create(&app.db).await;
        }
        let r = admin
            .post_form("/admin/accounts", &[("email", email), ("role", "it"), ("password", "a fine password")])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{:?}", r.text().await);
        let mut lena = app.browser();
        assert_eq!(lena.login(email, "a fine password").await.status(), StatusCode::SEE_OTHER);
        // A second account for the same person is a conflict.
        let r = admin
            .post_form("/admin/accounts", &[("email", email), ("role", "it"), ("password", "a fine password")])
            .await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
    })
    .await;
}

#[tokio::test]
async fn people_change_their_own_name_and_password_on_their_settings_page() {
    on_each_demo_db(|app| async move {
        let mut here = app.signed_in(BUSINESS).await;
        let elsewhere = app.signed_in(BUSINESS).await;
        let (status, page) = here.text("/settings").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Choose what reaches you by email") && page.contains("Your API tokens"));
        assert!(!page.contains(">My API tokens<"), "tokens moved out of the header");

        let r = here.post_form("/settings/name", &[("name", "Rajesh K. Menon"), ("title", "Head of Stores")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, page) = here.text("/settings").await;
        assert!(page.contains("value=\"Rajesh K. Menon\""));
        let r = here.post_form("/settings/name", &[("name", ""), ("title", "Head of Stores")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

        let wrong = [
            ("current_password", "not it at all"),
            ("new_password", "a new long password"),
            ("repeat_password", "a new long password"),
        ];
        let r = here.post_form("/settings/password", &wrong).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("not your current password"));
        let differ = [
            ("current_password", DEMO_PASSWORD),
            ("new_password", "a new long password"),
            ("repeat_password", "another one"),
        ];
        assert_eq!(here.post_form("/settings/password", &differ).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let good = [
            ("current_password", DEMO_PASSWORD),
            ("new_password", "a new long password"),
            ("repeat_password", "a new long password"),
        ];
        let r = here.post_form("/settings/password", &good).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(here.get("/settings").await.status(), StatusCode::OK, "still signed in here");
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        assert_eq!(elsewhere.get("/settings").await.status(), StatusCode::SEE_OTHER, "signed out elsewhere");
        let mut again = app.browser();
        assert_eq!(again.login(BUSINESS, "a new long password").await.status(), StatusCode::SEE_OTHER);
        here.refresh_csrf("/").await;
    })
    .await;
}
