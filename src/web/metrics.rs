//! Prometheus metrics kept in the process: requests and latency by route, and the database pool.
//! Counters are per process by nature; Prometheus scrapes each server and adds them up.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;

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
        let labels = format!("method=\"{}\",route=\"{}\"", key.0, escape(key.1));
        let mut cumulative = 0;
        for (bound, n) in BUCKETS.iter().zip(s.buckets) {
            cumulative += n;
            let _ =
                writeln!(out, "bridge_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {cumulative}");
        }
        let _ = writeln!(out, "bridge_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}", s.count);
        let _ = writeln!(out, "bridge_http_request_duration_seconds_sum{{{labels}}} {}", s.sum_secs);
        let _ = writeln!(out, "bridge_http_request_duration_seconds_count{{{labels}}} {}", s.count);
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
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out)
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}
