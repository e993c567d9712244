//! Prometheus metrics kept in the process: requests and latency by route, and the database pool.
//! Counters are per process by nature; Prometheus scrapes each server and adds them up.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::atomic::Ordering;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use crate::ops::jobs::LATENCY_BUCKETS;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Default)]
struct RouteStats {
    /// status code → count
    by_status: HashMap<u16, u64>,
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum_secs: f64,
}

/// route → method → stats. Nested so that a known route and method are found without allocating.
#[derive(Default)]
pub struct Metrics {
    routes: Mutex<HashMap<String, HashMap<String, RouteStats>>>,
}

impl Metrics {
    fn observe(&self, method: &str, route: &str, status: u16, secs: f64) {
        let mut routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        if !routes.contains_key(route) {
            routes.insert(route.to_string(), HashMap::new());
        }
        let by_method = routes.get_mut(route).expect("inserted above");
        if !by_method.contains_key(method) {
            by_method.insert(method.to_string(), RouteStats::default());
        }
        let stats = by_method.get_mut(method).expect("inserted above");
        *stats.by_status.entry(status).or_default() += 1;
        stats.count += 1;
        stats.sum_secs += secs;
        if let Some(i) = BUCKETS.iter().position(|b| secs <= *b) {
            stats.buckets[i] += 1;
        }
    }
}

/// Middleware: times every request and files it under its route pattern (not the raw path, so
/// `/people/1` and `/people/2` count together and the label set stays small).
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().as_str().to_string();
    let route =
        req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string()).unwrap_or_else(|| "unmatched".into());
    let response = next.run(req).await;
    state.metrics.observe(&method, &route, response.status().as_u16(), start.elapsed().as_secs_f64());
    response
}

pub async fn render(State(state): State<AppState>) -> impl IntoResponse {
    // Read before the route table is locked: no lock is held across a query.
    let mut jobs = String::new();
    write_job_metrics(&mut jobs, &state).await;
    let mut out = String::new();
    out.push_str("# HELP bridge_http_requests_total HTTP requests by method, route and status.\n");
    out.push_str("# TYPE bridge_http_requests_total counter\n");
    let nested = state.metrics.routes.lock().unwrap_or_else(|e| e.into_inner());
    let mut routes: HashMap<(&str, &str), &RouteStats> = HashMap::new();
    for (route, by_method) in nested.iter() {
        for (method, stats) in by_method {
            routes.insert((method.as_str(), route.as_str()), stats);
        }
    }
    let mut keys: Vec<_> = routes.keys().copied().collect();
    keys.sort();
    for key in &keys {
        let s = routes[key];
        let mut statuses: Vec<_> = s.by_status.iter().collect();
        statuses.sort();
        for (status, n) in statuses {
            let _ = writeln!(
                out,
                "bridge_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {n}",
                key.0,
                escape(key.1)
            );
        }
    }
    out.push_str("# HELP bridge_http_request_duration_seconds Time to answer, by method and route.\n");
    out.push_str("# TYPE bridge_http_request_duration_seconds histogram\n");
    for key in &keys {
        let s = routes[key];
        let labels = format!("method=\"{}\",route=\"{}\",", key.0, escape(key.1));
        write_histogram(
            &mut out,
            "bridge_http_request_duration_seconds",
            &labels,
            &BUCKETS,
            &s.buckets,
            s.count,
            s.sum_secs,
        );
    }
    drop(routes);
    drop(nested);
    let (size, idle) = state.db.pool_stats();
    out.push_str("# HELP bridge_db_connections Open database connections.\n# TYPE bridge_db_connections gauge\n");
    let _ = writeln!(out, "bridge_db_connections{{database=\"{}\"}} {size}", state.db.kind());
    out.push_str(
        "# HELP bridge_db_connections_idle Idle database connections.\n# TYPE bridge_db_connections_idle gauge\n",
    );
    let _ = writeln!(out, "bridge_db_connections_idle{{database=\"{}\"}} {idle}", state.db.kind());
    out.push_str(&jobs);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out)
}

/// The queue as the database has it (the same for every server) and what this server's worker did.
async fn write_job_metrics(out: &mut String, state: &AppState) {
    if let Ok(q) = state.db.queue_size().await {
        out.push_str(
            "# HELP bridge_jobs Background jobs by state (due: queued and due now).\n# TYPE bridge_jobs gauge\n",
        );
        for (name, n) in [("queued", q.queued), ("due", q.due), ("running", q.running), ("failed", q.failed)] {
            let _ = writeln!(out, "bridge_jobs{{state=\"{name}\"}} {n}");
        }
        out.push_str("# HELP bridge_jobs_oldest_due_seconds How long the oldest due job has waited.\n");
        out.push_str("# TYPE bridge_jobs_oldest_due_seconds gauge\n");
        let _ = writeln!(out, "bridge_jobs_oldest_due_seconds {}", q.oldest_due_ms as f64 / 1000.0);
    }
    let stats = &state.jobs.stats;
    out.push_str(
        "# HELP bridge_job_runs_total Jobs this server ran, by outcome.\n# TYPE bridge_job_runs_total counter\n",
    );
    for (outcome, n) in [("succeeded", &stats.succeeded), ("retried", &stats.retried), ("failed", &stats.failed)] {
        let _ = writeln!(out, "bridge_job_runs_total{{outcome=\"{outcome}\"}} {}", n.load(Ordering::Relaxed));
    }
    out.push_str("# HELP bridge_job_latency_seconds From a job being due to this server starting it.\n");
    out.push_str("# TYPE bridge_job_latency_seconds histogram\n");
    let l = stats.latency();
    write_histogram(out, "bridge_job_latency_seconds", "", &LATENCY_BUCKETS, &l.buckets, l.count, l.sum_secs);
}

/// One histogram's lines; `labels` is empty or ends in a comma.
fn write_histogram(out: &mut String, name: &str, labels: &str, bounds: &[f64], buckets: &[u64], count: u64, sum: f64) {
    let mut cumulative = 0;
    for (bound, n) in bounds.iter().zip(buckets) {
        cumulative += n;
        let _ = writeln!(out, "{name}_bucket{{{labels}le=\"{bound}\"}} {cumulative}");
    }
    let _ = writeln!(out, "{name}_bucket{{{labels}le=\"+Inf\"}} {count}");
    let plain = labels.trim_end_matches(',');
    let _ = writeln!(out, "{name}_sum{{{plain}}} {sum}");
    let _ = writeln!(out, "{name}_count{{{plain}}} {count}");
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}
