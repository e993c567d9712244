//! The `bridge` command: serve, migrate, admin, token, demo, import.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use bridge_domain::audit::Actor;
use bridge_domain::org::normalise_email;
use clap::{Parser, Subcommand, ValueEnum};

use crate::config::{Config, FileConfig, DEFAULT_DATABASE, DEFAULT_LISTEN, DEFAULT_MAX_BODY_BYTES};
use crate::ops::jobs::{Worker, WorkerConfig};
use crate::store::Db;

/// Bridge: where IT and the business work together.
///
/// Options come from flags, then BRIDGE_* environment variables, then a TOML file (--config, or
/// bridge.toml in the working directory when present), then defaults.
#[derive(Parser, Debug)]
#[command(name = "bridge", version, about, long_about)]
pub struct Cli {
    /// Database URL: sqlite://PATH (created when missing) or postgres://USER:PASS@HOST/DB [default: sqlite://bridge.db]
    #[arg(long, global = true, env = "BRIDGE_DATABASE_URL")]
    database: Option<String>,
    /// TOML file with keys database, listen, log_format, secure_cookies, max_body_bytes, worker,
    /// smtp_url, mail_from, base_url, oidc_issuer, oidc_client_id, oidc_client_secret, oidc_name,
    /// oidc_trust_email
    #[arg(long, global = true, env = "BRIDGE_CONFIG")]
    config: Option<PathBuf>,
    /// Log format [default: text]
    #[arg(long, global = true, env = "BRIDGE_LOG_FORMAT", value_enum)]
    log_format: Option<LogFormat>,
    #[command(subcommand)]
    command: Command,
}

/// Single sign-on settings of `serve`.
#[derive(clap::Args, Debug)]
struct SsoArgs {
    /// OpenID provider's issuer URL, e.g. https://login.example.com/realms/acme (turns single sign-on on)
    #[arg(long, env = "BRIDGE_OIDC_ISSUER")]
    oidc_issuer: Option<String>,
    /// Client id Bridge is registered with at the provider
    #[arg(long, env = "BRIDGE_OIDC_CLIENT_ID")]
    oidc_client_id: Option<String>,
    /// Client secret Bridge is registered with at the provider
    #[arg(long, env = "BRIDGE_OIDC_CLIENT_SECRET", hide_env_values = true)]
    oidc_client_secret: Option<String>,
    /// Name on the sign-in button: "Sign in with NAME" [default: single sign-on]
    #[arg(long, env = "BRIDGE_OIDC_NAME")]
    oidc_name: Option<String>,
    /// Count an email the provider does not mark verified or unverified as verified (Entra ID never sends the claim)
    #[arg(long, env = "BRIDGE_OIDC_TRUST_EMAIL")]
    oidc_trust_email: bool,
}

impl SsoArgs {
    /// The settings from flags or environment, then the file; `None` when none is given.
    fn merge(self, file: &FileConfig) -> Option<crate::ops::sso::SsoConfig> {
        let pick = |flag: Option<String>, key: &Option<String>| flag.or(key.clone()).filter(|v| !v.trim().is_empty());
        let issuer = pick(self.oidc_issuer, &file.oidc_issuer);
        let client_id = pick(self.oidc_client_id, &file.oidc_client_id);
        let client_secret = pick(self.oidc_client_secret, &file.oidc_client_secret);
        let name = pick(self.oidc_name, &file.oidc_name);
        if issuer.is_none() && client_id.is_none() && client_secret.is_none() {
            return None;
        }
        Some(crate::ops::sso::SsoConfig {
            issuer: issuer.unwrap_or_default(),
            client_id: client_id.unwrap_or_default(),
            client_secret: client_secret.unwrap_or_default(),
            name: name.unwrap_or_default(),
            trust_email: self.oidc_trust_email || file.oidc_trust_email.unwrap_or(false),
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the web server (pages and API), migrating the database first.
    Serve {
        /// Address to listen on [default: 127.0.0.1:8080]
        #[arg(long, env = "BRIDGE_LISTEN")]
        listen: Option<String>,
        /// Load the demo organisation when the database is empty, and print its logins.
        #[arg(long)]
        demo: bool,
        /// Mark cookies Secure: set this when Bridge is reached over HTTPS.
        #[arg(long, env = "BRIDGE_SECURE_COOKIES")]
        secure_cookies: bool,
        /// Largest request body accepted, in bytes [default: 5242880]
        #[arg(long, env = "BRIDGE_MAX_BODY_BYTES")]
        max_body_bytes: Option<usize>,
        /// Do not run background jobs on this server (the other servers on the database still do).
        #[arg(long, env = "BRIDGE_NO_WORKER")]
        no_worker: bool,
        /// Mail server for email: smtp://USER:PASS@HOST:587 (STARTTLS) or smtps://USER:PASS@HOST:465 (TLS)
        #[arg(long, env = "BRIDGE_SMTP_URL")]
        smtp_url: Option<String>,
        /// Sender of Bridge's email [default: Bridge <bridge@localhost>]
        #[arg(long, env = "BRIDGE_MAIL_FROM")]
        mail_from: Option<String>,
        /// Bridge's address for links in email, e.g. https://bridge.example.com [default: http://LISTEN]
        #[arg(long, env = "BRIDGE_BASE_URL")]
        base_url: Option<String>,
        #[command(flatten)]
        sso: SsoArgs,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Manage personal API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Load the demo organisation into an empty database.
    Demo {
        /// Also add this many generated requests (for benchmarks), e.g. 100000.
        #[arg(long)]
        requests: Option<usize>,
        /// Also add this many generated KPIs, with a target for every initiative (for benchmarks).
        #[arg(long)]
        kpis: Option<usize>,
        /// With --kpis: this many daily measurements between them, e.g. 5000000.
        #[arg(long, default_value_t = 0)]
        measurements: usize,
        /// Also add this many generated touchpoints over five years, between 60 units, 40 IT
        /// teams and 5,000 people (for benchmarks), e.g. 2000000.
        #[arg(long)]
        touchpoints: Option<usize>,
        /// Also add this many generated events over five years (for benchmarks), e.g. 20000;
        /// with --touchpoints' 5,000 people to register.
        #[arg(long)]
        events: Option<usize>,
        /// With --events: registrations per event, e.g. 50 (a million for 20,000 events).
        #[arg(long, default_value_t = 50)]
        registrations_per_event: usize,
        /// Also add this many generated radar entries (for benchmarks), e.g. 500.
        #[arg(long)]
        radar_entries: Option<usize>,
        /// With --radar-entries: this many moves between them, e.g. 5000.
        #[arg(long, default_value_t = 5_000)]
        radar_moves: usize,
    },
    /// Import data from files.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// The background job queue.
    Jobs {
        #[command(subcommand)]
        command: JobsCommand,
    },
}

#[derive(Subcommand, Debug)]
enum JobsCommand {
    /// Add jobs that do nothing: checks that the servers' workers take jobs, and measures them.
    AddNoop {
        #[arg(long, default_value_t = 1)]
        count: usize,
        /// Add them one at a time and print how long each took (p50, p99).
        #[arg(long)]
        timed: bool,
    },
    /// How many jobs wait, are due, run and have failed.
    Status,
}

#[derive(Subcommand, Debug)]
enum AdminCommand {
    /// Create an account (adding the person to the directory when needed). The password comes
    /// from BRIDGE_PASSWORD or is asked for.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, it, business or viewer
        #[arg(long, default_value = "admin")]
        role: String,
    },
}

#[derive(Subcommand, Debug)]
enum TokenCommand {
    /// Print a new personal API token for an account.
    Create {
        /// Email of the account
        #[arg(long)]
        email: String,
        /// What the token is for
        #[arg(long)]
        name: String,
        /// Days until the token stops working (default: never)
        #[arg(long)]
        expires_in_days: Option<i64>,
    },
}

#[derive(Subcommand, Debug)]
enum ImportCommand {
    /// Import people from a CSV file (columns name,email,side,unit,team,title,manager_email):
    /// every row or none.
    People { file: PathBuf },
}

pub fn main() -> ExitCode {
    return_large_blocks_to_the_system();
    let cli = Cli::parse();
    let file = match FileConfig::load(cli.config.as_deref()) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let json_logs = match cli.log_format {
        Some(f) => f == LogFormat::Json,
        None => file.log_format.as_deref() == Some("json"),
    };
    init_logging(json_logs);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli, file)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("BRIDGE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn open(database: &str) -> anyhow::Result<Db> {
    let db = Db::connect(database).await?;
    crate::ops::prepare(&db).await?;
    Ok(db)
}

async fn run(cli: Cli, file: FileConfig) -> anyhow::Result<()> {
    let database = cli.database.or(file.database.clone()).unwrap_or_else(|| DEFAULT_DATABASE.into());
    match cli.command {
        Command::Serve {
            listen,
            demo,
            secure_cookies,
            max_body_bytes,
            no_worker,
            smtp_url,
            mail_from,
            base_url,
            sso,
        } => {
            let sso = sso.merge(&file);
            let listen = listen.or(file.listen).unwrap_or_else(|| DEFAULT_LISTEN.into());
            let config = Config {
                database: database.clone(),
                base_url: base_url.or(file.base_url).unwrap_or_else(|| format!("http://{listen}")),
                listen,
                secure_cookies: secure_cookies || file.secure_cookies.unwrap_or(false),
                max_body_bytes: max_body_bytes.or(file.max_body_bytes).unwrap_or(DEFAULT_MAX_BODY_BYTES),
                worker: !no_worker && file.worker.unwrap_or(true),
                smtp_url: smtp_url.or(file.smtp_url).filter(|u| !u.trim().is_empty()),
                mail_from: mail_from.or(file.mail_from).unwrap_or_else(|| crate::config::DEFAULT_MAIL_FROM.into()),
                sso,
            };
            serve(config, demo).await
        }
        Command::Migrate => {
            open(&database).await?;
            println!("Database is up to date.");
            Ok(())
        }
        Command::Admin { command: AdminCommand::Create { email, name, role } } => {
            let db = open(&database).await?;
            let password = match std::env::var("BRIDGE_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    rpassword::prompt_password(format!("Password for {email}: ")).context("cannot read the password")?
                }
            };
            let email = normalise_email(&email);
            let actor = Actor::cli();
            if db.find_person_by_email(&email).await?.is_none() {
                let side = if role == "business" { "business" } else { "it" };
                let person = bridge_domain::org::validate_person(&bridge_domain::org::PersonInput {
                    name,
                    email: email.clone(),
                    side: side.into(),
                    ..Default::default()
                })
                .map_err(describe)?;
                db.create_person(&actor, &person).await.map_err(describe)?;
            }
            crate::ops::accounts::create_account(&db, &crate::ops::Caller::cli(), &email, &role, password)
                .await
                .map_err(describe)?;
            println!("Created a {role} account for {email}. Sign in at the server's address.");
            Ok(())
        }
        Command::Token { command: TokenCommand::Create { email, name, expires_in_days } } => {
            let db = open(&database).await?;
            let email = normalise_email(&email);
            let Some(account) = db.find_account_by_email(&email).await? else {
                bail!("no account has the email {email}");
            };
            let secret = crate::ops::accounts::create_token(&db, &Actor::cli(), account.id, &name, expires_in_days)
                .await
                .map_err(describe)?;
            println!("{secret}");
            Ok(())
        }
        Command::Demo {
            requests,
            kpis,
            measurements,
            touchpoints,
            events,
            registrations_per_event,
            radar_entries,
            radar_moves,
        } => {
            let db = open(&database).await?;
            match crate::demo::load(&db).await? {
                Some(logins) => print_logins(&logins),
                None => println!("The database already holds people; the demo organisation was not loaded."),
            }
            if let Some(n) = requests {
                let started = std::time::Instant::now();
                let added = crate::demo::intake::generate(&db, n).await.map_err(describe)?;
                println!("Generated {added} requests in {:.1} s.", started.elapsed().as_secs_f64());
            }
            if let Some(k) = kpis {
                let started = std::time::Instant::now();
                let today = crate::ops::value::today();
                let added = crate::demo::value::generate(&db, k, measurements, today).await.map_err(describe)?;
                println!(
                    "Generated {added} KPIs, {measurements} measurements and a target per initiative in {:.1} s.",
                    started.elapsed().as_secs_f64()
                );
            }
            if let Some(n) = touchpoints {
                let started = std::time::Instant::now();
                let today = crate::ops::value::today();
                let added = crate::demo::engagement::generate(&db, n, today).await.map_err(describe)?;
                println!("Generated {added} touchpoints in {:.1} s.", started.elapsed().as_secs_f64());
            }
            if let Some(n) = events {
                let started = std::time::Instant::now();
                let added = crate::demo::learning::generate(&db, n, registrations_per_event).await.map_err(describe)?;
                println!(
                    "Generated {added} events with {registrations_per_event} registrations each in {:.1} s.",
                    started.elapsed().as_secs_f64()
                );
            }
            if let Some(n) = radar_entries {
                let started = std::time::Instant::now();
                let added = crate::demo::radar::generate(&db, n, radar_moves).await.map_err(describe)?;
                println!(
                    "Generated {added} radar entries with {radar_moves} moves in {:.1} s.",
                    started.elapsed().as_secs_f64()
                );
            }
            Ok(())
        }
        Command::Jobs { command: JobsCommand::AddNoop { count, timed } } => {
            let db = open(&database).await?;
            add_noop_jobs(&db, count, timed).await.map_err(describe)
        }
        Command::Jobs { command: JobsCommand::Status } => {
            let db = open(&database).await?;
            let q = db.queue_size().await.map_err(describe)?;
            println!(
                "queued {} (due {}), running {}, failed {}; oldest due waited {} ms",
                q.queued, q.due, q.running, q.failed, q.oldest_due_ms
            );
            Ok(())
        }
        Command::Import { command: ImportCommand::People { file } } => {
            let db = open(&database).await?;
            let data = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            match crate::ops::directory::import_people(&db, &crate::ops::Caller::cli(), &data).await? {
                Ok(outcome) => {
                    println!("Imported {}: {} added, {} updated.", file.display(), outcome.added, outcome.updated);
                    Ok(())
                }
                Err(rows) => {
                    for r in &rows {
                        eprintln!("line {}: {}", r.line, r.reason);
                    }
                    bail!("{} rows have problems; nothing was imported", rows.len())
                }
            }
        }
    }
}

/// Adds `count` no-op jobs: in transactions of 5,000, or one by one with `timed`, printing the
/// time each enqueue took (what a request that adds a job pays for it).
async fn add_noop_jobs(db: &Db, count: usize, timed: bool) -> Result<(), bridge_domain::Error> {
    let job = crate::store::jobs::NewJob {
        kind: crate::ops::jobs::NOOP.into(),
        payload: "{}".into(),
        run_at: crate::store::now_ms(),
        max_attempts: bridge_domain::jobs::DEFAULT_MAX_ATTEMPTS,
    };
    if timed {
        let mut took = Vec::with_capacity(count);
        for _ in 0..count {
            let started = std::time::Instant::now();
            db.enqueue(&job).await?;
            took.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        took.sort_by(f64::total_cmp);
        let at = |q: f64| took.get(((took.len() as f64 - 1.0) * q) as usize).copied().unwrap_or(0.0);
        println!("Added {count} jobs one at a time: p50 {:.3} ms, p99 {:.3} ms per job.", at(0.5), at(0.99));
        return Ok(());
    }
    let mut left = count;
    while left > 0 {
        let n = left.min(5_000);
        db.enqueue_all(&vec![job.clone(); n]).await?;
        left -= n;
    }
    println!("Added {count} jobs.");
    Ok(())
}

/// Turns a domain error into one readable line for the terminal, with its field messages.
fn describe(e: bridge_domain::Error) -> anyhow::Error {
    match e {
        bridge_domain::Error::Validation { fields, message } => {
            let details: Vec<String> = fields.iter().map(|(f, m)| format!("{f}: {m}")).collect();
            anyhow::anyhow!("{message} {}", details.join("; "))
        }
        other => anyhow::anyhow!("{other}"),
    }
}

fn print_logins(logins: &[crate::demo::DemoLogin]) {
    println!("Loaded the demo organisation. Sign in with any of these (password: {}):", crate::demo::password());
    for l in logins {
        println!("  {:<40} {}", l.email, l.role);
    }
}

async fn serve(config: Config, demo: bool) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    // A wrong mail setting stops the start with the setting's name, not the first email.
    let mailer = match &config.smtp_url {
        Some(url) => {
            Some(std::sync::Arc::new(crate::ops::mail::Mailer::new(url, &config.mail_from, &config.base_url)?))
        }
        None => None,
    };
    let sso = match &config.sso {
        Some(settings) => {
            if settings.issuer.trim().is_empty() {
                anyhow::bail!("BRIDGE_OIDC_ISSUER is not set: single sign-on needs the provider's issuer URL");
            }
            let sso = crate::ops::sso::Sso::discover(settings.clone(), &config.base_url).await?;
            tracing::info!(issuer = sso.issuer(), callback = sso.callback_url(), "single sign-on is on");
            Some(std::sync::Arc::new(sso))
        }
        None => None,
    };
    let db = open(&config.database).await?;
    if demo {
        match crate::demo::load(&db).await? {
            Some(logins) => print_logins(&logins),
            None => println!(
                "Demo: the database already holds data; sign in with the demo logins (password: {}).",
                crate::demo::password()
            ),
        }
    } else if db.count_accounts().await? == 0 {
        println!("No accounts yet. Create the first administrator with:");
        println!("  BRIDGE_PASSWORD='…' bridge admin create --email you@example.com --name 'Your Name' --role admin");
        println!("or start with demo data: bridge serve --demo");
    }
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let address = listener.local_addr()?;
    tracing::info!(%address, database = db.kind(), ready_ms = started.elapsed().as_millis() as u64, "Bridge is ready");
    println!("Bridge is ready at http://{address}/");
    let run_worker = config.worker;
    let state = crate::web::AppState::new(db.clone(), config).with_sso(sso);
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let worker = run_worker.then(|| {
        let handlers =
            crate::ops::jobs::area_handlers(&db, mailer, &state.config.base_url, crate::ops::webhooks::TIMEOUT);
        let worker = Worker::new(db.clone(), handlers, WorkerConfig::default(), state.jobs.clone());
        tokio::spawn(worker.run(stopping.clone()))
    });
    let cleanup = tokio::spawn({
        let db = db.clone();
        async move {
            loop {
                if let Err(e) = db.delete_expired_sessions().await {
                    tracing::warn!(error = %e, "could not remove expired sessions");
                }
                tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
            }
        }
    });
    let shutdown = async move {
        crate::web::shutdown_signal().await;
        let _ = stop.send(true);
    };
    let result = crate::web::serve(listener, state, shutdown).await;
    // If serving ended another way, the worker stops too: its sender went with `shutdown`.
    cleanup.abort();
    if let Some(worker) = worker {
        // Running jobs get their grace period to finish; the rest go back to the queue.
        let _ = worker.await;
    }
    db.close().await;
    result
}

/// Each password check (argon2id) borrows 19 MiB. glibc's malloc would serve such blocks from
/// mmap at first, then raise its threshold and keep later ones in per-thread heaps, so every
/// blocking thread that ever checked a password held 19 MiB for good (RSS grew by about 20 MB per
/// thread after a few sign-ins). A fixed threshold keeps blocks of 1 MiB and more on mmap, handed
/// back to the system as soon as they are freed.
fn return_large_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes an allocator setting; it is called once, before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}
