//! The http layer: pages and the JSON API over the same domain and store. Thin by rule: parse,
//! authorise, call the domain and the store, render. No SQL here.

pub mod api;
pub mod auth;
pub mod charts;
pub mod error;
pub mod format;
pub mod frame;
pub mod guard;
pub mod metrics;
pub mod pages;
pub mod routes;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::config::Config;
use crate::store::Db;

/// Everything a request handler may use. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub metrics: Arc<metrics::Metrics>,
    /// The jargon checker, rebuilt only when the glossary changes.
    pub glossary: Arc<crate::ops::language::Glossary>,
    /// Recent session and token look-ups (one second).
    pub auth_cache: Arc<auth::AuthCache>,
    /// The people directory in memory, rebuilt when it changes.
    pub directory: Arc<crate::ops::directory::DirectoryCache>,
    /// The intake settings (submission threshold, priority weights) in memory.
    pub intake_settings: Arc<crate::ops::intake::SettingsCache>,
    /// How every initiative's targets stand, rebuilt when value or requests change.
    pub portfolio: Arc<crate::ops::value::portfolio::PortfolioCache>,
    /// Engagement's figures and its relationship map as drawn, rebuilt when contacts change.
    pub engagement_figures: Arc<crate::ops::engagement::FiguresCache>,
    pub relationship_map: Arc<crate::web::pages::engagement::MapPageCache>,
    /// Each unit's standing and what its page lists, rebuilt when engagement changes.
    pub engagement: Arc<crate::ops::engagement::ModelCache>,
    /// The technology radar's entries, moves and editions, rebuilt when the radar changes.
    pub radar: Arc<crate::ops::learning::radar::RadarCache>,
    /// People's calendar feeds as last written.
    pub feeds: Arc<crate::ops::learning::FeedCache>,
    /// Adds background jobs and wakes this server's worker for them.
    pub jobs: crate::ops::jobs::Jobs,
    /// The OpenID provider, when single sign-on is set up.
    pub sso: Option<Arc<crate::ops::sso::Sso>>,
}

impl AppState {
    /// After this server recorded contacts: its engagement read models look again at once
    /// (other servers' within a second).
    pub fn contacts_changed(&self) {
        self.engagement_figures.invalidate();
        self.relationship_map.invalidate();
        self.engagement.invalidate();
    }

    pub fn new(db: Db, config: Config) -> AppState {
        AppState {
            db,
            config: Arc::new(config),
            metrics: Arc::new(metrics::Metrics::default()),
            glossary: Arc::new(crate::ops::language::Glossary::default()),
            auth_cache: Arc::new(auth::AuthCache::default()),
            directory: Arc::new(crate::ops::directory::DirectoryCache::default()),
            intake_settings: Arc::new(crate::ops::intake::SettingsCache::default()),
            portfolio: Arc::new(crate::ops::value::portfolio::PortfolioCache::default()),
            engagement_figures: Arc::default(),
            relationship_map: Arc::default(),
            engagement: Arc::default(),
            radar: Arc::default(),
            feeds: Arc::default(),
            jobs: crate::ops::jobs::Jobs::default(),
            sso: None,
        }
    }

    /// With single sign-on through `sso`.
    pub fn with_sso(mut self, sso: Option<Arc<crate::ops::sso::Sso>>) -> AppState {
        self.sso = sso;
        self
    }

    /// How every initiative's targets stand today.
    pub async fn value_portfolio(&self) -> Result<Arc<crate::ops::value::portfolio::Portfolio>, bridge_domain::Error> {
        let directory = self.directory.get(&self.db).await?;
        self.portfolio.get(&self.db, &directory, crate::ops::value::today()).await
    }

    /// After a request that may have changed data: this server's caches look again at once.
    pub fn after_change(&self) {
        self.auth_cache.clear();
        self.read_models_changed();
    }

    /// After a change that cannot have changed anyone's sign-in: the read models look again.
    pub fn read_models_changed(&self) {
        self.directory.invalidate();
        self.glossary.invalidate();
        self.intake_settings.invalidate();
        self.portfolio.invalidate();
        self.radar.invalidate();
        self.feeds.invalidate();
        self.contacts_changed();
    }

    /// Engagement's read model today (see `ops::engagement::ModelCache`).
    pub async fn engagement_model(
        &self,
        directory: &crate::ops::directory::Directory,
    ) -> Result<Arc<crate::ops::engagement::EngagementModel>, bridge_domain::Error> {
        self.engagement.get(&self.db, directory).await
    }
}

const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                   frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

/// Every route outside the API: pages, health, metrics and static assets.
pub fn site_routes() -> routes::Routes {
    pages::routes()
        .get("/healthz", || async { "ok" })
        .get("/readyz", readyz)
        .get("/metrics", metrics::render)
        .get("/static/{*path}", pages::assets::serve)
}

/// The whole application: pages, API, health and static assets, with the shared layers.
pub fn router(state: AppState) -> Router {
    let max_body = state.config.max_body_bytes;
    site_routes()
        .into_router()
        .merge(api::router())
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::load_user))
        .layer(axum::middleware::from_fn_with_state(state.clone(), guard::check_request))
        .layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .with_state(state)
}

async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match tokio::time::timeout(Duration::from_secs(2), state.db.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready"),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}

/// Serves until `shutdown` completes, then lets requests in flight finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let app = router(state);
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await?;
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
