//! Single sign-on through a real, certified OpenID provider (oidc-provider, started by
//! scripts/test-services.sh), driven through the whole browser flow: Bridge's sign-in page → the
//! provider's sign-in and consent pages → Bridge's callback → signed in; and sign-out at the
//! provider. The provider signs anyone in as the login they type, with that login as a verified
//! email (an unverified one when it starts with "unverified").

use bridge::store::now_ms;
use reqwest::redirect::Policy;
use reqwest::{Client, StatusCode};
use serde_json::json;

use crate::support::*;

/// A browser: one cookie jar for Bridge and the provider, redirects seen one at a time.
struct SsoBrowser {
    client: Client,
    bridge: String,
}

impl SsoBrowser {
    fn new(app: &TestApp) -> SsoBrowser {
        SsoBrowser {
            client: Client::builder().cookie_store(true).redirect(Policy::none()).build().unwrap(),
            bridge: app.base.clone(),
        }
    }

    fn absolute(&self, location: &str) -> String {
        if location.starts_with("http") {
            location.to_string()
        } else if location.starts_with("/interaction")
            || location.starts_with("/auth")
            || location.starts_with("/session")
        {
            format!("{}{location}", oidc_issuer())
        } else {
            format!("{}{location}", self.bridge)
        }
    }

    /// Clicks "Sign in with …" and signs in at the provider as `login`; answers the address the
    /// provider sends the browser back to (Bridge's callback), not yet visited.
    async fn to_callback(&self, login: &str) -> String {
        let page = self.client.get(format!("{}/login", self.bridge)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Sign in with Alderbrook SSO"), "the sign-in page offers single sign-on");
        let r = self.client.get(format!("{}/login/sso?next=/requests", self.bridge)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let mut url = self.absolute(r.headers()["location"].to_str().unwrap());
        assert!(url.starts_with(&oidc_issuer()), "off to the provider: {url}");
        assert!(url.contains("code_challenge_method=S256") && url.contains("nonce="), "PKCE and a nonce: {url}");
        for _ in 0..12 {
            if url.starts_with(&self.bridge) {
                return url;
            }
            let r = self.client.get(&url).send().await.unwrap();
            if r.status().is_redirection() {
                url = self.absolute(r.headers()["location"].to_str().unwrap());
                continue;
            }
            // One of the provider's pages: its sign-in form, or its consent form.
            let html = r.text().await.unwrap();
            let action = html.split("action=\"").nth(1).and_then(|s| s.split('"').next()).expect("a form").to_string();
            let prompt = hidden_value(&html, "prompt").unwrap_or_default();
            let mut fields = vec![("prompt", prompt.clone())];
            if prompt == "login" {
                fields.push(("login", login.to_string()));
                fields.push(("password", "anything".into()));
            }
            let r = self.client.post(self.absolute(&action)).form(&fields).send().await.unwrap();
            assert!(r.status().is_redirection(), "the provider moves on after its {prompt} form");
            url = self.absolute(r.headers()["location"].to_str().unwrap());
        }
        panic!("the provider never sent the browser back to Bridge");
    }

    async fn get(&self, url: &str) -> reqwest::Response {
        self.client.get(url).send().await.unwrap()
    }

    async fn page(&self, path: &str) -> (StatusCode, String) {
        let r = self.get(&format!("{}{path}", self.bridge)).await;
        (r.status(), r.text().await.unwrap())
    }
}

/// The state a callback address carries.
fn state_of(callback: &str) -> String {
    callback.split("state=").nth(1).unwrap().split('&').next().unwrap().to_string()
}

#[tokio::test]
async fn a_person_signs_in_with_the_provider_is_matched_by_verified_email_and_signs_out_there_too() {
    for backend in backends() {
        let app = TestApp::start_with(backend, true, true).await;
        let browser = SsoBrowser::new(&app);
        let callback = browser.to_callback(IT_USER).await;
        assert!(callback.contains("code=") && callback.contains("iss="), "{callback}");
        let r = browser.get(&callback).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(r.headers()["location"], "/requests", "on to the page asked for");
        let (status, html) = browser.page("/requests").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Joanna"), "signed in as the demo's IT person");
        let account = app.db.find_account_by_email(IT_USER).await.unwrap().unwrap();
        let linked = app.db.login_record_by_subject(&format!("{} {IT_USER}", oidc_issuer())).await.unwrap();
        assert_eq!(linked.map(|r| r.account_id), Some(account.id), "the account is linked to the provider's subject");

        // Signing out of Bridge signs out at the provider too, then comes back to Bridge's sign-in.
        let csrf = hidden_value(&html, "_csrf").unwrap();
        let r = browser.client.post(format!("{}/logout", app.base)).form(&[("_csrf", csrf)]).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let html = r.text().await.unwrap();
        let end_session = html.split("url=").nth(1).unwrap().split('"').next().unwrap().replace("&#38;", "&");
        assert!(end_session.starts_with(&format!("{}/session/end", oidc_issuer())), "{end_session}");
        assert!(end_session.contains("id_token_hint="), "{end_session}");
        let confirm = browser.get(&end_session).await.text().await.unwrap();
        let action = confirm.split("action=\"").nth(1).and_then(|s| s.split('"').next()).unwrap().to_string();
        let xsrf = hidden_value(&confirm, "xsrf").unwrap();
        let r = browser
            .client
            .post(browser.absolute(&action))
            .form(&[("xsrf", xsrf.as_str()), ("logout", "yes")])
            .send()
            .await
            .unwrap();
        assert!(r.status().is_redirection());
        let mut back = browser.absolute(r.headers()["location"].to_str().unwrap());
        while !back.starts_with(&app.base) {
            let r = browser.get(&back).await;
            let Some(location) = r.headers().get("location").cloned() else {
                panic!("{back} answered {} {}", r.status(), r.text().await.unwrap());
            };
            back = browser.absolute(location.to_str().unwrap());
        }
        assert_eq!(back, format!("{}/login", app.base));
        let (_, html) = browser.page("/requests").await;
        assert!(!html.contains("Joanna"), "signed out of Bridge");
        // Signed out at the provider too: it asks who you are again.
        let r = browser.get(&format!("{}/login/sso", app.base)).await;
        let r = browser.get(r.headers()["location"].to_str().unwrap()).await;
        let r = browser.get(&browser.absolute(r.headers()["location"].to_str().unwrap())).await;
        assert!(r.text().await.unwrap().contains("name=\"prompt\" value=\"login\""), "the provider's session ended");
    }
}

#[tokio::test]
async fn a_replayed_forged_or_tampered_callback_is_refused_with_a_clear_page() {
    for backend in backends() {
        let app = TestApp::start_with(backend, true, true).await;
        let browser = SsoBrowser::new(&app);
        let callback = browser.to_callback(BUSINESS).await;
        let state = state_of(&callback);

        // Another browser (an attacker's link) without the state cookie: refused, nothing used up.
        let stranger = Client::builder().redirect(Policy::none()).build().unwrap();
        let r = stranger.get(&callback).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert!(r.text().await.unwrap().contains("did not start in this browser"));
        // A state that was changed on the way.
        let forged = callback.replace(&state, "forged-state");
        let r = stranger.get(&forged).header("Cookie", "bridge_sso=forged-state").send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert!(r.text().await.unwrap().contains("already used or is unknown"));

        let r = browser.get(&callback).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "the real browser signs in");
        // The same callback again, with the state cookie copied: the sign-in is used up.
        let r = stranger.get(&callback).header("Cookie", format!("bridge_sso={state}")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        let page = r.text().await.unwrap();
        assert!(page.contains("Sign-in failed") && page.contains("already used"), "{page}");

        // A nonce that is not the one the ID token carries: the token is refused.
        let other = SsoBrowser::new(&app);
        let callback = other.to_callback(BUSINESS).await;
        app.db.execute("UPDATE sso_logins SET nonce = 'not-the-nonce'", &[]).await.unwrap();
        let r = other.get(&callback).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert!(r.text().await.unwrap().contains("could not confirm your sign-in"));
        let (_, html) = other.page("/requests").await;
        assert!(!html.contains("Rajesh"), "not signed in");
    }
}

#[tokio::test]
async fn newcomers_get_an_account_only_when_administrators_allow_it_and_unverified_emails_are_refused() {
    for backend in backends() {
        let app = TestApp::start_with(backend, true, true).await;
        let newcomer = format!("grace.okafor{}@alderbrook.example", now_ms());
        let browser = SsoBrowser::new(&app);
        let r = browser.get(&browser.to_callback(&newcomer).await).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert!(r.text().await.unwrap().contains("There is no Bridge account for"));

        let browser = SsoBrowser::new(&app);
        let r = browser.get(&browser.to_callback("unverified.sam@alderbrook.example").await).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert!(r.text().await.unwrap().contains("has not verified the email"));

        let admin = app.api(&app.token(ADMIN).await);
        let (status, body) =
            admin.put("/sign-in-settings", json!({"password_sign_in": "everyone", "new_accounts": "viewer"})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let browser = SsoBrowser::new(&app);
        let r = browser.get(&browser.to_callback(&newcomer).await).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let account = app.db.find_account_by_email(&newcomer).await.unwrap().expect("an account was made");
        assert_eq!(account.role.as_str(), "viewer");
        assert!(account.name.starts_with("Grace Okafor"), "{}", account.name);
        let (status, _) = browser.page("/requests").await;
        assert_eq!(status, StatusCode::OK);
    }
}

#[tokio::test]
async fn password_sign_in_can_be_turned_off_for_all_but_the_break_glass_administrator() {
    for backend in backends() {
        let app = TestApp::start_with(backend, true, true).await;
        let admin = app.api(&app.token(ADMIN).await);
        let admin_account = app.db.find_account_by_email(ADMIN).await.unwrap().unwrap();
        let it_account = app.db.find_account_by_email(IT_USER).await.unwrap().unwrap();
        let (status, body) = admin
            .put(
                "/sign-in-settings",
                json!({"password_sign_in": format!("break_glass:{}", it_account.id), "new_accounts": "off"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "only an administrator can be the way in: {body}");
        let (status, body) = admin
            .put(
                "/sign-in-settings",
                json!({"password_sign_in": format!("break_glass:{}", admin_account.id), "new_accounts": "off"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");

        let mut b = app.browser();
        let r = b.login(BUSINESS, DEMO_PASSWORD).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        let right = r.text().await.unwrap();
        assert!(right.contains("may sign in with a password"), "{right}");
        let r = b.login(BUSINESS, "a wrong guess").await;
        let wrong = r.text().await.unwrap();
        let message =
            |page: &str| page.split("id=\"login-error\">").nth(1).unwrap().split('<').next().unwrap().to_string();
        assert_eq!(message(&right), message(&wrong), "a right password is not told from a wrong one");
        let page = b.get("/login").await.text().await.unwrap();
        assert!(page.contains("<details"), "the password form is folded away for emergencies");
        let r = b.login(ADMIN, DEMO_PASSWORD).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "the break-glass administrator still signs in");

        // The admin page shows the address to register at the provider.
        let admin_browser = app.signed_in(ADMIN).await;
        let (_, html) = admin_browser.text("/admin/sign-in").await;
        assert!(html.contains(&format!("{}/login/sso/callback", app.base)));
    }
}

#[tokio::test]
async fn without_single_sign_on_passwords_stay_on() {
    on_each_demo_db(|app| async move {
        let admin = app.api(&app.token(ADMIN).await);
        let admin_account = app.db.find_account_by_email(ADMIN).await.unwrap().unwrap();
        let (status, body) = admin
            .put(
                "/sign-in-settings",
                json!({"password_sign_in": format!("break_glass:{}", admin_account.id), "new_accounts": "off"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["fields"]["password_sign_in"].as_str().unwrap().contains("not set up"));
        let (status, body) = admin.put("/sign-in-settings", json!({"password_sign_in": "sometimes"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, _) = app.browser().text("/login/sso").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    })
    .await;
}
