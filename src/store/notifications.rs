//! In-app notifications: one row per person told, written in the transaction of the change that
//! caused it. What they say and where they link is decided by `ops::notify`, not here.

use std::collections::HashMap;

use bridge_domain::jobs::DEFAULT_MAX_ATTEMPTS;
use bridge_domain::notify::{Delivery, NoticeKind};
use bridge_domain::Error;
use serde::{Deserialize, Serialize};

use super::jobs::NewJob;
use super::{args, now_ms, tx, Arg, Db, Page, Tx};

/// The job that emails one notification (its payload: `{"notification_id": …}`).
pub const EMAIL_JOB: &str = "email.notification";

/// A notification to record for one account.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub account_id: i64,
    pub kind: NoticeKind,
    pub text: String,
    pub link: String,
    /// Also email it at once (the person's choice for this kind, see `ops::notify`).
    pub email: bool,
}

impl Tx<'_> {
    /// Records `notices` at `at`, in the transaction of the change they tell about, with the job
    /// that emails each one that is to be emailed: the mail goes out only if the change commits,
    /// and a mail server that is down delays it without losing it.
    pub async fn notify(&mut self, at: i64, notices: &[Notice]) -> Result<(), Error> {
        for n in notices {
            let id = self
                .number(
                    "INSERT INTO notifications (account_id, at, text, link, kind) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    &args![n.account_id, at, n.text.as_str(), n.link.as_str(), n.kind.as_str()],
                )
                .await?;
            if n.email {
                let job = NewJob {
                    kind: EMAIL_JOB.into(),
                    payload: serde_json::json!({ "notification_id": id }).to_string(),
                    run_at: at,
                    max_attempts: DEFAULT_MAX_ATTEMPTS,
                };
                self.enqueue(&job).await?;
            }
        }
        Ok(())
    }
}

/// A notification with whom it is for, as an email needs it.
#[derive(Debug, Clone, Deserialize, sqlx::FromRow)]
pub struct Addressed {
    pub id: i64,
    pub account_id: i64,
    pub at: i64,
    pub text: String,
    pub link: String,
    #[sqlx(try_from = "String")]
    pub kind: NoticeKind,
    pub name: String,
    pub email: String,
    /// The reader's choice for this kind now, if they made one.
    pub delivery: Option<String>,
}

const ADDRESSED: &str = "SELECT n.id, n.account_id, n.at, n.text, n.link, n.kind, p.name, p.email,
        (SELECT d.delivery FROM notification_prefs d WHERE d.account_id = n.account_id AND d.kind = n.kind) AS delivery
     FROM notifications n JOIN accounts a ON a.id = n.account_id JOIN people p ON p.id = a.person_id";

#[derive(Deserialize, sqlx::FromRow)]
struct Pref {
    account_id: i64,
    kind: String,
    delivery: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Notification {
    pub id: i64,
    pub at: i64,
    pub text: String,
    pub link: String,
    pub read_at: Option<i64>,
    /// mention, my_requests or waiting_for_me
    pub kind: String,
}

impl Db {
    pub async fn list_notifications(&self, account_id: i64, page: Page) -> Result<Vec<Notification>, Error> {
        self.rows(
            "SELECT id, at, text, link, read_at, kind FROM notifications WHERE account_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3"
                .into(),
            vec![Arg::I(account_id), Arg::I(page.limit), Arg::I(page.offset)],
        )
        .await
    }

    /// Marks one notification (or all, with `None`) of this account as read.
    pub async fn mark_read(&self, account_id: i64, id: Option<i64>) -> Result<u64, Error> {
        self.execute(
            "UPDATE notifications SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL AND ($3 = 0 OR id = $3)",
            &args![now_ms(), account_id, id.unwrap_or(0)],
        )
        .await
    }

    /// Records one notification on its own, outside any other change (demo data).
    pub async fn add_notification(&self, notice: &Notice, at: i64) -> Result<(), Error> {
        tx!(self, tx => tx.notify(at, std::slice::from_ref(notice)).await)
    }

    /// One notification with its reader's name and email, for mailing it; `None` when the
    /// account can no longer sign in.
    pub async fn addressed_notification(&self, id: i64) -> Result<Option<Addressed>, Error> {
        self.first(format!("{ADDRESSED} WHERE n.id = $1 AND a.disabled_at IS NULL"), vec![Arg::I(id)]).await
    }

    /// An account's notifications of `kinds` from `from` (inclusive) to `to`, oldest first: a digest.
    pub async fn notifications_between(
        &self,
        account_id: i64,
        kinds: &[NoticeKind],
        from: i64,
        to: i64,
    ) -> Result<Vec<Addressed>, Error> {
        if kinds.is_empty() {
            return Ok(Vec::new());
        }
        let kinds: Vec<String> = kinds.iter().map(|k| format!("'{}'", k.as_str())).collect();
        // The kinds are the domain's own codes, not anyone's input.
        let sql = format!(
            "{ADDRESSED} WHERE n.account_id = $1 AND n.at >= $2 AND n.at < $3 AND n.kind IN ({}) AND a.disabled_at IS NULL
             ORDER BY n.at, n.id",
            kinds.join(", ")
        );
        self.rows(sql, vec![Arg::I(account_id), Arg::I(from), Arg::I(to)]).await
    }

    /// The deliveries people chose, by account and kind (no entry: the kind's default).
    pub async fn delivery_choices(&self, account_ids: &[i64]) -> Result<HashMap<(i64, NoticeKind), Delivery>, Error> {
        if account_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let list = super::id_list(account_ids);
        let rows: Vec<Pref> = self
            .rows(
                format!("SELECT account_id, kind, delivery FROM notification_prefs WHERE account_id IN ({list})"),
                vec![],
            )
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|p| Some(((p.account_id, NoticeKind::parse(&p.kind)?), Delivery::parse(&p.delivery)?)))
            .collect())
    }

    /// Accounts that chose `delivery` for any kind, with those kinds: who gets a digest.
    pub async fn chosen_by(&self, delivery: Delivery) -> Result<HashMap<i64, Vec<NoticeKind>>, Error> {
        let rows: Vec<Pref> = self
            .rows(
                "SELECT account_id, kind, delivery FROM notification_prefs WHERE delivery = $1".into(),
                vec![Arg::S(delivery.as_str().into())],
            )
            .await?;
        let mut by_account: HashMap<i64, Vec<NoticeKind>> = HashMap::new();
        for p in rows {
            if let Some(kind) = NoticeKind::parse(&p.kind) {
                by_account.entry(p.account_id).or_default().push(kind);
            }
        }
        Ok(by_account)
    }

    /// Sets how `account_id` hears of `kind`.
    pub async fn set_delivery(&self, account_id: i64, kind: NoticeKind, delivery: Delivery) -> Result<(), Error> {
        self.execute(
            "INSERT INTO notification_prefs (account_id, kind, delivery) VALUES ($1, $2, $3)
             ON CONFLICT (account_id, kind) DO UPDATE SET delivery = excluded.delivery",
            &args![account_id, kind.as_str(), delivery.as_str()],
        )
        .await
        .map(|_| ())
    }

    /// The account of a person that can sign in, if any: who hears about what they own.
    /// The accounts (that can sign in) of these people.
    pub async fn accounts_of_people(&self, person_ids: &[i64]) -> Result<Vec<i64>, Error> {
        #[derive(Deserialize, sqlx::FromRow)]
        struct AccountId {
            id: i64,
        }
        let mut out = Vec::new();
        for chunk in person_ids.chunks(1000) {
            let sql = format!(
                "SELECT id FROM accounts WHERE person_id IN ({}) AND disabled_at IS NULL ORDER BY id",
                super::id_list(chunk)
            );
            out.extend(self.rows::<AccountId>(sql, vec![]).await?.into_iter().map(|r| r.id));
        }
        Ok(out)
    }

    pub async fn account_of_person(&self, person_id: i64) -> Result<Option<i64>, Error> {
        #[derive(Deserialize, sqlx::FromRow)]
        struct AccountId {
            id: i64,
        }
        let row: Option<AccountId> = self
            .first(
                "SELECT id FROM accounts WHERE person_id = $1 AND disabled_at IS NULL".into(),
                vec![Arg::I(person_id)],
            )
            .await?;
        Ok(row.map(|r| r.id))
    }

    /// The accounts with `role` that can sign in: who hears of work waiting for that role.
    pub async fn accounts_with_role(&self, role: bridge_domain::org::Role) -> Result<Vec<i64>, Error> {
        #[derive(Deserialize, sqlx::FromRow)]
        struct AccountId {
            id: i64,
        }
        let rows: Vec<AccountId> = self
            .rows(
                "SELECT a.id FROM accounts a JOIN people p ON p.id = a.person_id
                 WHERE a.role = $1 AND a.disabled_at IS NULL AND p.archived_at IS NULL ORDER BY a.id"
                    .into(),
                vec![Arg::S(role.as_str().into())],
            )
            .await?;
        Ok(rows.into_iter().map(|r| r.id).collect())
    }
}
