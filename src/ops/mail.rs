//! Email: notifications sent at once and daily or weekly digests, each as plain text and HTML in
//! the pages' words, with a one-click unsubscribe link. Every message goes out from a background
//! job (`ops::jobs`), so a mail server that is down delays mail and loses none.

use std::sync::Arc;

use askama::Template;
use base64::Engine;
use bridge_domain::jobs::{Schedule, DEFAULT_MAX_ATTEMPTS};
use bridge_domain::notify::{Delivery, NoticeKind};
use bridge_domain::Error;
use hmac::{Hmac, Mac};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sha2::Sha256;

use super::jobs::{Handlers, JobResult};
use crate::store::jobs::NewJob;
use crate::store::notifications::{Addressed, EMAIL_JOB};
use crate::store::{now_ms, Db};

/// The scheduled jobs that start each digest, and the job that mails one person's digest.
pub const DAILY_DIGESTS: &str = "email.digests.daily";
pub const WEEKLY_DIGESTS: &str = "email.digests.weekly";
pub const DIGEST_JOB: &str = "email.digest";
const DAILY: Schedule = Schedule::Daily { hour: 7 };
const WEEKLY: Schedule = Schedule::Weekly { weekday: 0, hour: 7 };

/// Where mail goes and what it says it is from.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    base_url: String,
}

impl Mailer {
    /// Reads the settings; an error names the setting that is wrong.
    pub fn new(smtp_url: &str, from: &str, base_url: &str) -> anyhow::Result<Mailer> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&lettre_url(smtp_url)?)
            .map_err(|e| anyhow::anyhow!("BRIDGE_SMTP_URL is not a mail server address Bridge can use: {e}"))?
            .build();
        let from: Mailbox = from.parse().map_err(|e| {
            anyhow::anyhow!("BRIDGE_MAIL_FROM {from:?} is not an email address (e.g. Bridge <bridge@example.com>): {e}")
        })?;
        let base = base_url.trim_end_matches('/');
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            anyhow::bail!("BRIDGE_BASE_URL {base_url:?} must start with http:// or https:// (links in email use it)");
        }
        Ok(Mailer { transport, from, base_url: base.to_string() })
    }

    async fn send(
        &self,
        to: &Addressee<'_>,
        subject: &str,
        text: String,
        html: String,
        unsubscribe: &str,
    ) -> JobResult {
        let to_box = Mailbox::new(
            Some(to.name.to_string()),
            to.email.parse().map_err(|e| format!("The address {} is not valid: {e}", to.email))?,
        );
        let message = Message::builder()
            .from(self.from.clone())
            .to(to_box)
            .subject(subject)
            // RFC 8058: mail programs offer "unsubscribe" and post to the link themselves.
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{unsubscribe}>"),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".into(),
            ))
            .multipart(MultiPart::alternative_plain_html(text, html))
            .map_err(|e| format!("The message could not be built: {e}"))?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| format!("The mail server refused it: {e}"))
    }

    /// A calendar invitation: a plain-text message with the event as its `text/calendar` part
    /// (which calendars offer to add) and as an `invite.ics` attachment (for the rest). Sent
    /// whatever the person chose for notifications: it is the booking they made or host.
    pub async fn send_invitation(&self, name: &str, email: &str, subject: &str, text: &str, ics: &str) -> JobResult {
        use lettre::message::header::ContentType;
        use lettre::message::{Attachment, SinglePart};
        let to = Mailbox::new(
            Some(name.to_string()),
            email.parse().map_err(|e| format!("The address {email} is not valid: {e}"))?,
        );
        let method = if ics.contains("METHOD:CANCEL") { "CANCEL" } else { "REQUEST" };
        let calendar = ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}"))
            .map_err(|e| format!("The calendar type could not be built: {e}"))?;
        let body = MultiPart::mixed()
            .multipart(
                MultiPart::alternative()
                    .singlepart(SinglePart::plain(text.to_string()))
                    .singlepart(SinglePart::builder().header(calendar.clone()).body(ics.to_string())),
            )
            .singlepart(Attachment::new("invite.ics".into()).body(ics.to_string(), calendar));
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .multipart(body)
            .map_err(|e| format!("The message could not be built: {e}"))?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| format!("The mail server refused it: {e}"))
    }
}

/// `smtp://…` means STARTTLS required (the promise); `?tls=none` turns encryption off for a
/// mail server on the same machine; `smtps://` is TLS from the start.
fn lettre_url(url: &str) -> anyhow::Result<String> {
    let url = url.trim();
    if url.starts_with("smtps://") {
        return Ok(url.to_string());
    }
    if !url.starts_with("smtp://") {
        anyhow::bail!("BRIDGE_SMTP_URL must start with smtp:// (STARTTLS) or smtps:// (TLS), e.g. smtp://user:pass@mail.example.com:587");
    }
    if let Some(plain) = url.strip_suffix("?tls=none") {
        return Ok(plain.to_string());
    }
    if url.contains("tls=") {
        return Ok(url.to_string());
    }
    Ok(format!("{url}{}tls=required", if url.contains('?') { "&" } else { "?" }))
}

struct Addressee<'a> {
    name: &'a str,
    email: &'a str,
}

#[derive(Template)]
#[template(path = "email/notification.txt")]
struct NotificationText<'a> {
    name: &'a str,
    text: &'a str,
    link: &'a str,
    unsubscribe: &'a str,
    kind_label: &'a str,
}

#[derive(Template)]
#[template(path = "email/notification.html")]
struct NotificationHtml<'a> {
    name: &'a str,
    text: &'a str,
    link: &'a str,
    unsubscribe: &'a str,
    kind_label: &'a str,
}

struct DigestLine {
    text: String,
    link: String,
}

#[derive(Template)]
#[template(path = "email/digest.txt")]
struct DigestText<'a> {
    name: &'a str,
    period: &'a str,
    lines: &'a [DigestLine],
    settings: &'a str,
    unsubscribe: &'a str,
}

#[derive(Template)]
#[template(path = "email/digest.html")]
struct DigestHtml<'a> {
    name: &'a str,
    period: &'a str,
    lines: &'a [DigestLine],
    settings: &'a str,
    unsubscribe: &'a str,
}

/// The email handlers: with no mail server set, email jobs finish without sending (the
/// notifications are in the app) and digests are not made.
pub fn handlers(handlers: Handlers, db: Db, mailer: Option<Arc<Mailer>>) -> Handlers {
    let Some(mailer) = mailer else {
        return handlers.on(EMAIL_JOB, |_| async { Ok(()) });
    };
    let (db1, m1) = (db.clone(), mailer.clone());
    let (db2, db3, db4, m4) = (db.clone(), db.clone(), db.clone(), mailer);
    handlers
        .on(EMAIL_JOB, move |job| {
            let (db, mailer) = (db1.clone(), m1.clone());
            async move { send_notification(&db, &mailer, &job.payload).await }
        })
        .on(DAILY_DIGESTS, move |job| {
            let db = db2.clone();
            async move { plan_digests(&db, Delivery::Daily, period_start(&job)).await.map_err(|e| e.to_string()) }
        })
        .on(WEEKLY_DIGESTS, move |job| {
            let db = db3.clone();
            async move { plan_digests(&db, Delivery::Weekly, period_start(&job)).await.map_err(|e| e.to_string()) }
        })
        .on(DIGEST_JOB, move |job| {
            let (db, mailer) = (db4.clone(), m4.clone());
            async move { send_digest(&db, &mailer, &job.payload).await }
        })
        .every(DAILY, DAILY_DIGESTS)
        .every(WEEKLY, WEEKLY_DIGESTS)
}

async fn send_notification(db: &Db, mailer: &Mailer, payload: &str) -> JobResult {
    let id = serde_json::from_str::<serde_json::Value>(payload)
        .ok()
        .and_then(|v| v["notification_id"].as_i64())
        .ok_or("The job names no notification.")?;
    // Gone, or the account can no longer sign in: nothing to send.
    let Some(n) = db.addressed_notification(id).await.map_err(|e| e.to_string())? else { return Ok(()) };
    // The choice as it is now: someone who unsubscribed since gets no email still waiting to go.
    let chosen = n.delivery.as_deref().and_then(Delivery::parse).unwrap_or(n.kind.default_delivery());
    if chosen != Delivery::Email {
        return Ok(());
    }
    let secret = unsubscribe_secret(db).await.map_err(|e| e.to_string())?;
    let link = format!("{}{}", mailer.base_url, n.link);
    let unsubscribe = format!("{}{}", mailer.base_url, unsubscribe_path(&secret, n.account_id, &[n.kind]));
    let (name, text, kind_label) = (n.name.as_str(), n.text.as_str(), n.kind.label());
    let plain = NotificationText { name, text, link: &link, unsubscribe: &unsubscribe, kind_label };
    let html = NotificationHtml { name, text, link: &link, unsubscribe: &unsubscribe, kind_label };
    let (plain, html) = (plain.render().map_err(|e| e.to_string())?, html.render().map_err(|e| e.to_string())?);
    mailer.send(&Addressee { name, email: &n.email }, &n.text, plain, html, &unsubscribe).await
}

/// The start of the period a scheduled job belongs to (in its payload; `run_at` moves on retries).
fn period_start(job: &crate::store::jobs::ClaimedJob) -> i64 {
    serde_json::from_str::<serde_json::Value>(&job.payload)
        .ok()
        .and_then(|v| v["period_start"].as_i64())
        .unwrap_or(job.run_at)
}

/// Makes one digest job per person who chose `delivery` for some kind, for the period before `at`,
/// all in one transaction (a retry never makes anyone's twice).
async fn plan_digests(db: &Db, delivery: Delivery, at: i64) -> Result<(), Error> {
    let length = match delivery {
        Delivery::Weekly => 7 * 86_400_000,
        _ => 86_400_000,
    };
    let jobs: Vec<NewJob> = db
        .chosen_by(delivery)
        .await?
        .into_iter()
        .map(|(account_id, kinds)| {
            let kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
            let payload = serde_json::json!({
                "account_id": account_id, "kinds": kinds, "from": at - length, "to": at, "delivery": delivery.as_str()
            });
            NewJob {
                kind: DIGEST_JOB.into(),
                payload: payload.to_string(),
                run_at: now_ms(),
                max_attempts: DEFAULT_MAX_ATTEMPTS,
            }
        })
        .collect();
    db.enqueue_all(&jobs).await
}

async fn send_digest(db: &Db, mailer: &Mailer, payload: &str) -> JobResult {
    let v: serde_json::Value =
        serde_json::from_str(payload).map_err(|e| format!("The job's payload is not JSON: {e}"))?;
    let (Some(account_id), Some(from), Some(to)) = (v["account_id"].as_i64(), v["from"].as_i64(), v["to"].as_i64())
    else {
        return Err("The job names no account or period.".into());
    };
    let kinds: Vec<NoticeKind> =
        v["kinds"].as_array().into_iter().flatten().filter_map(|k| NoticeKind::parse(k.as_str()?)).collect();
    let weekly = v["delivery"] == "weekly";
    let found: Vec<Addressed> =
        db.notifications_between(account_id, &kinds, from, to).await.map_err(|e| e.to_string())?;
    let Some(first) = found.first() else { return Ok(()) };
    let lines: Vec<DigestLine> = found
        .iter()
        .map(|n| DigestLine { text: n.text.clone(), link: format!("{}{}", mailer.base_url, n.link) })
        .collect();
    let period = if weekly { "this past week" } else { "since yesterday" };
    let settings = format!("{}/notifications/settings", mailer.base_url);
    let name = first.name.as_str();
    let secret = unsubscribe_secret(db).await.map_err(|e| e.to_string())?;
    // The digest's unsubscribe stops every kind it carries.
    let mut carried: Vec<NoticeKind> = found.iter().map(|n| n.kind).collect();
    carried.sort_by_key(|k| k.as_str());
    carried.dedup();
    let unsubscribe = format!("{}{}", mailer.base_url, unsubscribe_path(&secret, account_id, &carried));
    let (lines, settings, unsub) = (lines.as_slice(), settings.as_str(), unsubscribe.as_str());
    let plain = DigestText { name, period, lines, settings, unsubscribe: unsub }.render().map_err(|e| e.to_string())?;
    let html = DigestHtml { name, period, lines, settings, unsubscribe: unsub }.render().map_err(|e| e.to_string())?;
    let subject = format!("Bridge: {} update{} {period}", found.len(), if found.len() == 1 { "" } else { "s" });
    mailer.send(&Addressee { name, email: &first.email }, &subject, plain, html, &unsubscribe).await
}

const SECRET_KEY: &str = "secret.unsubscribe";

/// The key that signs unsubscribe links.
pub async fn unsubscribe_secret(db: &Db) -> Result<Vec<u8>, Error> {
    super::server_secret(db, SECRET_KEY).await
}

/// The kinds an unsubscribe link stops, as its `kind` parameter says them: `mention,my_requests`.
fn kinds_code(kinds: &[NoticeKind]) -> String {
    kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(",")
}

/// HMAC-SHA256 over what an unsubscribe link stops.
fn link_mac(secret: &[u8], account_id: i64, kinds: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(format!("unsubscribe:{account_id}:{kinds}").as_bytes());
    mac
}

/// The signed link that stops emails of `kinds` for `account_id`.
pub fn unsubscribe_path(secret: &[u8], account_id: i64, kinds: &[NoticeKind]) -> String {
    let code = kinds_code(kinds);
    let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(link_mac(secret, account_id, &code).finalize().into_bytes());
    format!("/unsubscribe?account={account_id}&kind={code}&sig={sig}")
}

/// Checks an unsubscribe link; on a good one, emails of its kinds stop (the notifications stay in
/// the app). Answers the kinds.
pub async fn unsubscribe(db: &Db, account_id: i64, kinds: &str, sig: &str) -> Result<Vec<NoticeKind>, Error> {
    let refused = || {
        Error::field(
            "link",
            "This unsubscribe link is not valid. Change what you receive on your notification settings page.",
        )
    };
    let parsed: Vec<NoticeKind> = kinds.split(',').map(NoticeKind::parse).collect::<Option<_>>().ok_or_else(refused)?;
    let secret = unsubscribe_secret(db).await?;
    let given = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(sig).map_err(|_| refused())?;
    // verify_slice compares in constant time.
    link_mac(&secret, account_id, kinds).verify_slice(&given).map_err(|_| refused())?;
    for kind in &parsed {
        db.set_delivery(account_id, *kind, Delivery::InApp).await?;
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    // A runtime: lettre's connection pool starts a task when the transport is built.
    #[tokio::test]
    async fn smtp_urls_mean_starttls_unless_told() {
        assert_eq!(
            lettre_url("smtp://u:p@mail.example.com:587").unwrap(),
            "smtp://u:p@mail.example.com:587?tls=required"
        );
        assert_eq!(lettre_url("smtps://u:p@mail.example.com").unwrap(), "smtps://u:p@mail.example.com");
        assert_eq!(lettre_url("smtp://127.0.0.1:2525?tls=none").unwrap(), "smtp://127.0.0.1:2525");
        assert!(lettre_url("mail.example.com").is_err());
        assert!(Mailer::new("smtp://127.0.0.1:2525", "not an address", "http://x").is_err());
        assert!(Mailer::new("smtp://127.0.0.1:2525", "Bridge <b@example.com>", "bridge.example.com").is_err());
    }
}
