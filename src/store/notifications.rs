//! In-app notifications: one row per person told, written in the transaction of the change that
//! caused it. What they say and where they link is decided by `ops::notify`, not here.

use bridge_domain::Error;
use serde::{Deserialize, Serialize};

use super::{args, now_ms, tx, Arg, Db, Page, Tx};

/// A notification to record for one account.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub account_id: i64,
    pub text: String,
    pub link: String,
}

impl Tx<'_> {
    /// Records `notices` at `at`, in the transaction of the change they tell about.
    pub async fn notify(&mut self, at: i64, notices: &[Notice]) -> Result<(), Error> {
        for n in notices {
            self.execute(
                "INSERT INTO notifications (account_id, at, text, link) VALUES ($1, $2, $3, $4)",
                &args![n.account_id, at, n.text.as_str(), n.link.as_str()],
            )
            .await?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Notification {
    pub id: i64,
    pub at: i64,
    pub text: String,
    pub link: String,
    pub read_at: Option<i64>,
}

impl Db {
    pub async fn list_notifications(&self, account_id: i64, page: Page) -> Result<Vec<Notification>, Error> {
        self.rows(
            "SELECT id, at, text, link, read_at FROM notifications WHERE account_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3"
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

    /// The account of a person that can sign in, if any: who hears about what they own.
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
}
