//! Totals of lists, kept for a moment: a list page tells how many rows match, and counting them
//! (up to the cap) cost more than reading the page itself on PostgreSQL. A total is reused while
//! nothing has been written through this server and for at most [`FRESH_FOR`], so a change through
//! this server shows at once and a change through another server within a second (the same
//! promise as the read models of `ops::cache`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bridge_domain::Error;
use tokio::sync::OnceCell;

use super::Arg;

pub const FRESH_FOR: Duration = Duration::from_secs(1);

/// More different lists than this at once and the oldest totals are simply forgotten.
const MAX_KEPT: usize = 1_000;

#[derive(Debug, Default)]
pub struct Counts {
    /// Moves on every write committed through this server.
    writes: AtomicU64,
    kept: Mutex<HashMap<String, Kept>>,
    /// Counts being made now: when a kept total goes stale under many clients, the first counts
    /// and the others wait for its answer instead of all counting at once.
    counting: Mutex<HashMap<String, Arc<OnceCell<i64>>>>,
}

#[derive(Debug, Clone, Copy)]
struct Kept {
    writes: u64,
    at: Instant,
    total: i64,
}

/// Names a count by its query and values.
pub fn key(sql: &str, args: &[Arg]) -> String {
    format!("{sql}\u{0}{args:?}")
}

impl Counts {
    /// Called after every write this server commits.
    pub fn wrote(&self) {
        self.writes.fetch_add(1, Ordering::SeqCst);
    }

    /// The point to count from: pass it to [`Counts::keep`] with the total.
    pub fn now(&self) -> u64 {
        self.writes.load(Ordering::SeqCst)
    }

    /// The kept total for `key`, when still good.
    pub fn get(&self, key: &str) -> Option<i64> {
        let writes = self.now();
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.get(key).filter(|k| k.writes == writes && k.at.elapsed() < FRESH_FOR).map(|k| k.total)
    }

    /// The kept total for `key`, or the one `count` makes, made once however many ask at once.
    pub async fn get_or_count<F, Fut>(&self, key: String, count: F) -> Result<i64, Error>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<i64, Error>>,
    {
        if let Some(n) = self.get(&key) {
            return Ok(n);
        }
        let writes = self.now();
        let cell = {
            let mut counting = self.counting.lock().unwrap_or_else(|e| e.into_inner());
            counting.entry(key.clone()).or_default().clone()
        };
        let result = cell.get_or_try_init(count).await.copied();
        {
            let mut counting = self.counting.lock().unwrap_or_else(|e| e.into_inner());
            if counting.get(&key).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
                counting.remove(&key);
            }
        }
        let total = result?;
        self.keep(key, writes, total);
        Ok(total)
    }

    /// Keeps a total counted after `writes` (from [`Counts::now`]); one counted while a write
    /// landed is never used.
    pub fn keep(&self, key: String, writes: u64, total: i64) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() >= MAX_KEPT {
            kept.clear();
        }
        kept.insert(key, Kept { writes, at: Instant::now(), total });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_or_a_second_makes_a_total_stale() {
        let counts = Counts::default();
        let k = key("SELECT COUNT(*) FROM requests WHERE unit_id = $1", &[Arg::I(3)]);
        assert_eq!(counts.get(&k), None);
        counts.keep(k.clone(), counts.now(), 42);
        assert_eq!(counts.get(&k), Some(42));
        assert_eq!(counts.get(&key("SELECT COUNT(*) FROM requests WHERE unit_id = $1", &[Arg::I(4)])), None);
        counts.wrote();
        assert_eq!(counts.get(&k), None, "a write through this server makes every total stale");

        let before_write = counts.now();
        counts.wrote();
        counts.keep(k.clone(), before_write, 7);
        assert_eq!(counts.get(&k), None, "a total counted while a write landed is not used");

        counts
            .kept
            .lock()
            .unwrap()
            .insert(k.clone(), Kept { writes: counts.now(), at: Instant::now() - FRESH_FOR, total: 9 });
        assert_eq!(counts.get(&k), None, "after a second a total is counted again");
    }

    #[tokio::test]
    async fn many_asking_at_once_count_once() {
        let counts = Arc::new(Counts::default());
        let made = Arc::new(AtomicU64::new(0));
        let asks = (0..16).map(|_| {
            let (counts, made) = (counts.clone(), made.clone());
            tokio::spawn(async move {
                counts
                    .get_or_count("k".into(), || async move {
                        made.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Ok(7)
                    })
                    .await
            })
        });
        for ask in asks.collect::<Vec<_>>() {
            assert_eq!(ask.await.unwrap().unwrap(), 7);
        }
        assert_eq!(made.load(Ordering::SeqCst), 1);
        assert_eq!(counts.get("k"), Some(7), "and the total is kept");
    }
}
