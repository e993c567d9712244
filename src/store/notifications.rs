//! In-app notifications: one row per person told, written in the transaction of the change that
//! caused it. What they say and where they link is decided by `ops::notify`, not here.

use bridge_domain::Error;
use serde::Serialize;

use super::{db_err, now_ms, read, write, Db, Page};

/// A notification to record for one account.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub account_id: i64,
    pub text: String,
    pub link: String,
}

/// Records `$notices` (an iterator of `&Notice`) at `$at` in the transaction `$ex`.
macro_rules! insert_notices {
    ($ex:expr, $at:expr, $notices:expr) => {{
        for n in $notices {
            let n: &$crate::store::notifications::Notice = n;
            sqlx::query("INSERT INTO notifications (account_id, at, text, link) VALUES ($1, $2, $3, $4)")
                .bind(n.account_id)
                .bind($at)
                .bind(&n.text)
                .bind(&n.link)
                .execute(&mut *$ex)
                .await
                .map_err($crate::store::db_err)?;
        }
        Ok::<(), bridge_domain::Error>(())
    }};
}
pub(crate) use insert_notices;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Notification {
    pub id: i64,
    pub at: i64,
    pub text: String,
    pub link: String,
    pub read_at: Option<i64>,
}

impl Db {
    pub async fn list_notifications(&self, account_id: i64, page: Page) -> Result<Vec<Notification>, Error> {
        read!(self, p => sqlx::query_as::<_, Notification>(
            "SELECT id, at, text, link, read_at FROM notifications WHERE account_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3")
            .bind(account_id).bind(page.limit).bind(page.offset).fetch_all(p).await.map_err(db_err))
    }

    /// Marks one notification (or all, with `None`) of this account as read.
    pub async fn mark_read(&self, account_id: i64, id: Option<i64>) -> Result<u64, Error> {
        write!(self, p => sqlx::query(
            "UPDATE notifications SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL AND ($3 = 0 OR id = $3)")
            .bind(now_ms()).bind(account_id).bind(id.unwrap_or(0))
            .execute(p).await.map(|r| r.rows_affected()).map_err(db_err))
    }

    /// Records one notification on its own, outside any other change (demo data).
    pub async fn add_notification(&self, notice: &Notice, at: i64) -> Result<(), Error> {
        write!(self, p => sqlx::query("INSERT INTO notifications (account_id, at, text, link) VALUES ($1, $2, $3, $4)")
            .bind(notice.account_id).bind(at).bind(&notice.text).bind(&notice.link)
            .execute(p).await.map(|_| ()).map_err(db_err))
    }

    /// The account of a person that can sign in, if any: who hears about what they own.
    pub async fn account_of_person(&self, person_id: i64) -> Result<Option<i64>, Error> {
        read!(self, p => sqlx::query_scalar("SELECT id FROM accounts WHERE person_id = $1 AND disabled_at IS NULL")
            .bind(person_id).fetch_optional(p).await.map_err(db_err))
    }
}
