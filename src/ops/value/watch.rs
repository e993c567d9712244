//! The daily watch of targets: a target that turned at risk or off track since its sponsor and
//! champion were last told is news for both (in the app, and by email or in their digest as each
//! chose). It runs at 06:00 UTC, before the daily digests.

use std::collections::HashMap;

use bridge_domain::audit::Actor;
use bridge_domain::jobs::Schedule;
use bridge_domain::notify::NoticeKind;
use bridge_domain::value::TargetStatus;
use bridge_domain::Error;

use super::portfolio::build;
use crate::ops::directory::DirectoryCache;
use crate::ops::jobs::Handlers;
use crate::ops::notify;
use crate::store::Db;

/// The job that watches every target once a day.
pub const WATCH: &str = "value.watch";
const DAILY: Schedule = Schedule::Daily { hour: 6 };

pub fn handlers(h: Handlers, db: Db) -> Handlers {
    h.every(DAILY, WATCH).on(WATCH, move |_| {
        let db = db.clone();
        async move { watch(&db).await.map(|_| ()).map_err(|e| e.to_string()) }
    })
}

/// Compares every target's status with the one last told, tells the turns for the worse, and
/// remembers the new ones. Returns how many notices it wrote.
pub async fn watch(db: &Db) -> Result<usize, Error> {
    let directory = DirectoryCache::default().get(db).await?;
    let portfolio = build(db, &directory, super::today()).await?;
    let told: HashMap<i64, String> = db.told_statuses().await?.into_iter().collect();
    let actor = Actor::system("value watch");
    let settings = db.all_champions().await?;
    let mut changes = Vec::new();
    let mut notices = Vec::new();
    for i in &portfolio.initiatives {
        for t in &i.targets {
            if told.get(&t.id).map(String::as_str) == Some(t.status) {
                continue;
            }
            changes.push((t.id, t.status.to_string()));
            if !matches!(t.state, TargetStatus::AtRisk | TargetStatus::OffTrack) {
                continue;
            }
            let latest = t
                .latest_value
                .map(|v| bridge_domain::value::format_value(t.unit, t.currency.as_deref(), v))
                .unwrap_or_default();
            let text = format!(
                "“{}” of “{}” is {}: {} is at {latest}; the target is to {}.",
                t.target.metric,
                i.title,
                t.status_label.to_lowercase(),
                t.kpi_name,
                bridge_domain::text::lowercase_first(&bridge_domain::value::goal_words(
                    t.target.kind,
                    t.unit,
                    t.currency.as_deref()
                ))
            );
            let link = format!("{}#value-h", notify::request_link(i.request_id));
            let champion = settings.get(&i.request_id).copied();
            let mut told_here = Vec::new();
            for person in [i.sponsor_id, champion] {
                if let Some(n) =
                    notify::to_person(db, person, &actor, NoticeKind::MyRequests, text.clone(), link.clone()).await?
                {
                    if !told_here.contains(&n.account_id) {
                        told_here.push(n.account_id);
                        notices.push(n);
                    }
                }
            }
        }
    }
    let written = notices.len();
    db.record_told(&changes, &notices).await?;
    Ok(written)
}
