//! Starts Bridge on a fresh database and gives tests clients that speak HTTP to it.

use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};

use std::sync::Mutex;
use std::time::Duration;

use bridge::config::Config;
use bridge::ops::jobs::{Handlers, Worker, WorkerConfig};
use bridge::store::Db;
use bridge::web::AppState;
use reqwest::redirect::Policy;
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

pub const DEMO_PASSWORD: &str = "bridge-demo-2026";
pub const ADMIN: &str = "nkechi.adeyemi@alderbrook.example";
pub const IT_USER: &str = "joanna.wisniewska@alderbrook.example";
pub const BUSINESS: &str = "rajesh.menon@alderbrook.example";
pub const VIEWER: &str = "ana.ribeiro@alderbrook.example";

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub struct TestApp {
    pub base: String,
    pub db: Db,
    pub database_url: String,
    /// The server's state: its job handle, caches.
    pub state: AppState,
    /// Tells this server's job worker to stop (see [`TestApp::stop_worker`]).
    stop: tokio::sync::watch::Sender<bool>,
    worker: Option<tokio::task::JoinHandle<()>>,
    _cleanup: Option<PgDrop>,
}

/// The job worker's settings in tests: quick to notice jobs, quick to stop.
pub fn test_worker_config() -> WorkerConfig {
    WorkerConfig {
        poll: Duration::from_millis(50),
        grace: Duration::from_millis(800),
        requeue_every: Duration::from_millis(200),
        ..WorkerConfig::default()
    }
}

/// How long the tests' servers wait for a webhook receiver.
pub const WEBHOOK_TIMEOUT: Duration = Duration::from_millis(700);

/// Which job ids each `test.record` tag saw run, across every server of the test process.
pub static RECORDED: Mutex<Vec<(String, i64)>> = Mutex::new(Vec::new());

/// The mail server the tests send to (`scripts/test-services.sh` starts one and sets this), and the
/// folder where it keeps what it received.
pub fn test_mailer() -> Option<std::sync::Arc<bridge::ops::mail::Mailer>> {
    let url = std::env::var("BRIDGE_TEST_SMTP_URL").ok()?;
    Some(std::sync::Arc::new(
        bridge::ops::mail::Mailer::new(&url, "Bridge <bridge@alderbrook.example>", "http://bridge.test").unwrap(),
    ))
}

/// The standard and mail handlers and three for tests: `test.fail` always fails; `test.slow`
/// sleeps for its payload's `ms`; `test.record` notes its payload's `tag` and the job id in
/// [`RECORDED`].
pub fn test_handlers(db: &Db) -> Handlers {
    bridge::ops::jobs::area_handlers(db, test_mailer(), "http://bridge.test", WEBHOOK_TIMEOUT)
        .on("test.fail", |_| async { Err("The receiving end said no.".to_string()) })
        .on("test.slow", |job| async move {
            let ms = serde_json::from_str::<Value>(&job.payload).ok().and_then(|v| v["ms"].as_u64()).unwrap_or(100);
            tokio::time::sleep(Duration::from_millis(ms)).await;
            Ok(())
        })
        .on("test.record", |job| async move {
            let tag =
                serde_json::from_str::<Value>(&job.payload).ok().and_then(|v| v["tag"].as_str().map(String::from));
            RECORDED.lock().unwrap().push((tag.unwrap_or_default(), job.id));
            Ok(())
        })
}

/// The tests' OpenID provider (`BRIDGE_TEST_OIDC_ISSUER`).
pub fn oidc_issuer() -> String {
    std::env::var("BRIDGE_TEST_OIDC_ISSUER")
        .expect("run the tests with scripts/test.sh, which starts an OpenID provider (BRIDGE_TEST_OIDC_ISSUER)")
}

/// Registers a client for the server at `base` with the tests' provider (dynamic client
/// registration), and sets single sign-on up with it as `serve` would.
async fn test_sso(base: &str) -> bridge::ops::sso::Sso {
    let issuer = oidc_issuer();
    let client: Value = Client::new()
        .post(format!("{issuer}/reg"))
        .json(&serde_json::json!({
            "redirect_uris": [format!("{base}/login/sso/callback")],
            "post_logout_redirect_uris": [format!("{base}/login")],
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let config = bridge::ops::sso::SsoConfig {
        issuer,
        client_id: client["client_id"].as_str().unwrap().into(),
        client_secret: client["client_secret"].as_str().unwrap().into(),
        name: "Alderbrook SSO".into(),
        trust_email: false,
    };
    bridge::ops::sso::Sso::discover(config, base).await.unwrap()
}

/// Drops a per-test PostgreSQL database when the test ends.
struct PgDrop {
    admin_url: String,
    name: String,
}

impl Drop for PgDrop {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        // A separate runtime on a thread of its own, not waited for: DROP DATABASE waits until every
        // backend of the cluster has seen its signal, and a backend writing to this test's own
        // connections would wait for this test's runtime, which a join here would keep frozen
        // (up to a minute a test). The last test's database may outlive the test process.
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async move {
                if let Ok(pool) = sqlx::PgPool::connect(&admin_url).await {
                    let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                        .execute(&pool)
                        .await;
                }
            });
        });
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The databases every test runs on.
pub fn backends() -> Vec<Backend> {
    let mut v = vec![Backend::Sqlite];
    if std::env::var("BRIDGE_TEST_POSTGRES_URL").is_ok_and(|u| !u.is_empty()) {
        v.push(Backend::Postgres);
    }
    v
}

/// Runs `test` once per database, each time on a new, empty, migrated database.
pub async fn on_each_db<F, Fut>(test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    for backend in backends() {
        test(TestApp::start(backend, false).await).await;
    }
}

/// Like [`on_each_db`], with the demo organisation loaded.
pub async fn on_each_demo_db<F, Fut>(test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    for backend in backends() {
        test(TestApp::start(backend, true).await).await;
    }
}

impl TestApp {
    pub async fn start(backend: Backend, demo: bool) -> TestApp {
        TestApp::start_with(backend, demo, false).await
    }

    /// With single sign-on through the tests' OpenID provider (`scripts/test-services.sh` starts
    /// it), where this server registers a client of its own.
    pub async fn start_with(backend: Backend, demo: bool, sso: bool) -> TestApp {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let unique = format!(
            "{}_{}_{n}",
            std::process::id(),
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_micros()
        );
        let (database_url, cleanup) = match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join("bridge-tests");
                std::fs::create_dir_all(&dir).unwrap();
                (format!("sqlite://{}", dir.join(format!("t{unique}.db")).display()), None)
            }
            Backend::Postgres => {
                let admin_url = std::env::var("BRIDGE_TEST_POSTGRES_URL").unwrap();
                let name = format!("bridge_t{unique}");
                let pool = sqlx::PgPool::connect(&admin_url).await.expect("connect to BRIDGE_TEST_POSTGRES_URL");
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&pool).await.unwrap();
                pool.close().await;
                let url = replace_db_name(&admin_url, &name);
                (url, Some(PgDrop { admin_url, name }))
            }
        };
        let db = Db::connect(&database_url).await.unwrap();
        bridge::ops::prepare(&db).await.unwrap();
        if demo {
            bridge::demo::load(&db).await.unwrap().expect("demo loads into an empty database");
        }
        TestApp::serve(db, database_url, cleanup, sso).await
    }

    /// A second server on the same database, with its own memory and job worker, as behind a
    /// load balancer.
    pub async fn another_server(&self) -> TestApp {
        TestApp::serve(Db::connect(&self.database_url).await.unwrap(), self.database_url.clone(), None, false).await
    }

    async fn serve(db: Db, database_url: String, cleanup: Option<PgDrop>, sso: bool) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let config = Config {
            database: database_url.clone(),
            max_body_bytes: 256 * 1024,
            smtp_url: std::env::var("BRIDGE_TEST_SMTP_URL").ok(),
            base_url: base.clone(),
            ..Config::default()
        };
        let sso = match sso {
            true => Some(std::sync::Arc::new(test_sso(&base).await)),
            false => None,
        };
        let state = AppState::new(db.clone(), config).with_sso(sso);
        let app = bridge::web::router(state.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let (stop, stopping) = tokio::sync::watch::channel(false);
        let worker = Worker::new(db.clone(), test_handlers(&db), test_worker_config(), state.jobs.clone());
        let worker = Some(tokio::spawn(worker.run(stopping)));
        TestApp { base, db, database_url, state, stop, worker, _cleanup: cleanup }
    }

    /// Stops this server's job worker as a shutdown would, and waits until it has.
    pub async fn stop_worker(&mut self) {
        let _ = self.stop.send(true);
        if let Some(worker) = self.worker.take() {
            worker.await.unwrap();
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A browser-like client: keeps cookies, does not follow redirects (so tests see them).
    pub fn browser(&self) -> Browser {
        Browser {
            client: Client::builder().cookie_store(true).redirect(Policy::none()).build().unwrap(),
            base: self.base.clone(),
            csrf: String::new(),
        }
    }

    /// A browser signed in as `email` with the demo password.
    pub async fn signed_in(&self, email: &str) -> Browser {
        let mut b = self.browser();
        let r = b.login(email, DEMO_PASSWORD).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "sign-in as {email} failed");
        b.refresh_csrf("/").await;
        b
    }

    /// A fresh API token for `email`, made as the command line does.
    pub async fn token(&self, email: &str) -> String {
        let account = self.db.find_account_by_email(email).await.unwrap().expect("account exists");
        bridge::ops::accounts::create_token(&self.db, &bridge_domain::audit::Actor::cli(), account.id, "tests", None)
            .await
            .unwrap()
    }

    pub fn api(&self, token: &str) -> Api {
        Api { client: Client::new(), base: format!("{}/api/v1", self.base), token: token.to_string() }
    }
}

fn replace_db_name(url: &str, name: &str) -> String {
    let (head, query) = match url.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (url, None),
    };
    let base = match head.rfind('/') {
        Some(i) if head[..i].contains("://") && i > head.find("://").unwrap() + 2 => &head[..i],
        _ => head,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

pub struct Browser {
    pub client: Client,
    pub base: String,
    pub csrf: String,
}

impl Browser {
    pub async fn get(&self, path: &str) -> Response {
        self.client.get(format!("{}{path}", self.base)).send().await.unwrap()
    }

    pub async fn text(&self, path: &str) -> (StatusCode, String) {
        let r = self.get(path).await;
        (r.status(), r.text().await.unwrap())
    }

    /// Posts a form with the page's CSRF token added.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("_csrf", &self.csrf));
        self.client.post(format!("{}{path}", self.base)).form(&all).send().await.unwrap()
    }

    pub async fn login(&mut self, email: &str, password: &str) -> Response {
        let page = self.get("/login").await.text().await.unwrap();
        let csrf = hidden_value(&page, "_csrf").expect("login form has a CSRF field");
        self.client
            .post(format!("{}/login", self.base))
            .form(&[("email", email), ("password", password), ("_csrf", &csrf), ("next", "/")])
            .send()
            .await
            .unwrap()
    }

    /// Reads the session's CSRF token from a page's sign-out form.
    pub async fn refresh_csrf(&mut self, path: &str) {
        let page = self.get(path).await.text().await.unwrap();
        self.csrf = hidden_value(&page, "_csrf").unwrap_or_default();
    }
}

/// The value of the first hidden input called `name` in a page.
pub fn hidden_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}

pub struct Api {
    pub client: Client,
    pub base: String,
    pub token: String,
}

impl Api {
    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let r = self.client.get(format!("{}{path}", self.base)).bearer_auth(&self.token).send().await.unwrap();
        status_json(r).await
    }
    pub async fn send(&self, method: reqwest::Method, path: &str, body: Value) -> (StatusCode, Value) {
        let r = self
            .client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        status_json(r).await
    }
    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(reqwest::Method::POST, path, body).await
    }
    pub async fn put(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(reqwest::Method::PUT, path, body).await
    }
    pub async fn delete(&self, path: &str) -> StatusCode {
        self.client.delete(format!("{}{path}", self.base)).bearer_auth(&self.token).send().await.unwrap().status()
    }
    pub async fn post_raw(&self, path: &str, content_type: &str, body: Vec<u8>) -> (StatusCode, Value) {
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        status_json(r).await
    }
}

async fn status_json(r: Response) -> (StatusCode, Value) {
    let status = r.status();
    let text = r.text().await.unwrap();
    let json = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
    (status, json)
}

/// Asserts the API's error shape and returns the code.
pub fn error_code(body: &Value) -> &str {
    assert!(body["error"]["message"].is_string(), "error has a message: {body}");
    body["error"]["code"].as_str().unwrap_or_else(|| panic!("error has a code: {body}"))
}

/// The id of the person with this email.
pub async fn person_id(app: &TestApp, email: &str) -> i64 {
    app.db.find_person_by_email(email).await.unwrap().expect("person exists").id
}

/// Enqueues a job of `kind` due now and waits until the worker has run it.
pub async fn run_now(app: &TestApp, kind: &str) {
    let admin = app.api(&app.token(ADMIN).await);
    let job = bridge::store::jobs::NewJob { kind: kind.into(), payload: "{}".into(), run_at: 0, max_attempts: 1 };
    let id = app.db.enqueue(&job).await.unwrap();
    for _ in 0..200 {
        let (status, _) = admin.get(&format!("/jobs/{id}")).await;
        if status == StatusCode::NOT_FOUND {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the {kind} job did not run");
}
