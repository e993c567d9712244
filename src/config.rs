//! Configuration: command-line flags first, then `BRIDGE_*` environment variables (clap reads
//! both), then an optional TOML file, then defaults that work on a laptop.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

pub const DEFAULT_DATABASE: &str = "sqlite://bridge.db";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// Request bodies above this size are refused with 413 (CSV uploads included).
pub const DEFAULT_MAX_BODY_BYTES: usize = 5 * 1024 * 1024;

/// Keys of the optional TOML file; every one may be left out.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database: Option<String>,
    pub listen: Option<String>,
    pub log_format: Option<String>,
    pub secure_cookies: Option<bool>,
    pub max_body_bytes: Option<usize>,
    /// `false` keeps this server from running background jobs (others on the database still do).
    pub worker: Option<bool>,
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
    pub base_url: Option<String>,
    pub oidc_issuer: Option<String>,
    pub oidc_client_id: Option<String>,
    pub oidc_client_secret: Option<String>,
    pub oidc_name: Option<String>,
    pub oidc_trust_email: Option<bool>,
}

impl FileConfig {
    /// Reads `path` when given (it must exist), else `bridge.toml` in the working directory when present.
    pub fn load(path: Option<&Path>) -> anyhow::Result<FileConfig> {
        let (path, required) = match path {
            Some(p) => (p.to_path_buf(), true),
            None => (PathBuf::from("bridge.toml"), false),
        };
        if !required && !path.exists() {
            return Ok(FileConfig::default());
        }
        let text =
            std::fs::read_to_string(&path).with_context(|| format!("cannot read config file {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("config file {} is not valid", path.display()))
    }
}

/// What the server runs with, after merging all sources.
#[derive(Debug, Clone)]
pub struct Config {
    pub database: String,
    pub listen: String,
    /// Mark cookies `Secure` (set when Bridge is served over HTTPS, directly or behind a proxy).
    pub secure_cookies: bool,
    pub max_body_bytes: usize,
    /// Whether this server runs background jobs.
    pub worker: bool,
    /// Where email goes out: `smtp://user:pass@host:587` (STARTTLS) or `smtps://…:465` (TLS); none
    /// keeps notifications in the app.
    pub smtp_url: Option<String>,
    /// The sender of Bridge's email, e.g. `Bridge <bridge@example.com>`.
    pub mail_from: String,
    /// Bridge's address as people reach it, for links in email, e.g. `https://bridge.example.com`.
    pub base_url: String,
    /// Single sign-on through an OpenID provider, when any of its settings is given.
    pub sso: Option<crate::ops::sso::SsoConfig>,
}

pub const DEFAULT_MAIL_FROM: &str = "Bridge <bridge@localhost>";

impl Default for Config {
    fn default() -> Self {
        Config {
            database: DEFAULT_DATABASE.into(),
            listen: DEFAULT_LISTEN.into(),
            secure_cookies: false,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            worker: true,
            smtp_url: None,
            mail_from: DEFAULT_MAIL_FROM.into(),
            base_url: format!("http://{DEFAULT_LISTEN}"),
            sso: None,
        }
    }
}
