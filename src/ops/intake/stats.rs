//! Response times: from submission to IT's first response and to the decision, per business unit.

use std::collections::BTreeMap;

use bridge_domain::intake::{format_duration, response_stats};
use bridge_domain::Error;
use serde::Serialize;
use utoipa::ToSchema;

use crate::store::Db;

#[derive(Serialize, ToSchema, Clone)]
pub struct WaitStats {
    pub count: usize,
    pub median_secs: Option<u64>,
    pub p90_secs: Option<u64>,
    /// The median in words, e.g. "2 days 4 hours".
    pub median: Option<String>,
    pub p90: Option<String>,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct UnitStats {
    /// A business unit's name, or "All business units".
    pub unit: String,
    /// From submission to IT's first response (starting the assessment or sending it back).
    pub first_response: WaitStats,
    /// From submission to the decision (approve, decline or defer).
    pub decision: WaitStats,
}

fn wait(durations: &[u64]) -> WaitStats {
    let s = response_stats(durations);
    WaitStats {
        count: s.count,
        median_secs: s.median_secs,
        p90_secs: s.p90_secs,
        median: s.median_secs.map(format_duration),
        p90: s.p90_secs.map(format_duration),
    }
}

/// Response times per business unit and overall (the last row), from every request's latest
/// submission.
pub async fn response_times(db: &Db) -> Result<Vec<UnitStats>, Error> {
    let rows = db.response_times().await?;
    let mut per: BTreeMap<String, (Vec<u64>, Vec<u64>)> = BTreeMap::new();
    let mut all = (Vec::new(), Vec::new());
    for r in rows {
        let Some(sub) = r.submitted_at else { continue };
        let secs = |t: Option<i64>| t.filter(|t| *t >= sub).map(|t| ((t - sub) / 1000) as u64);
        let e = per.entry(r.unit_name).or_default();
        if let Some(s) = secs(r.first_response_at) {
            e.0.push(s);
            all.0.push(s);
        }
        if let Some(s) = secs(r.decided_at) {
            e.1.push(s);
            all.1.push(s);
        }
    }
    let mut out: Vec<UnitStats> = per
        .into_iter()
        .map(|(unit, (f, d))| UnitStats { unit, first_response: wait(&f), decision: wait(&d) })
        .collect();
    out.push(UnitStats { unit: "All business units".into(), first_response: wait(&all.0), decision: wait(&all.1) });
    Ok(out)
}
