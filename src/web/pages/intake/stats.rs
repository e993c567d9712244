//! Response times per business unit, with a bar chart.

use askama::Template;
use axum::extract::State;

use crate::ops::intake::stats::{response_times, UnitStats};
use crate::web::auth::PageUser;
use crate::web::pages::{render, Layout, OrPage, PageResult};
use crate::web::AppState;

pub struct Bar {
    pub label: String,
    pub y: i64,
    pub width: i64,
    pub text: String,
}

#[derive(Template)]
#[template(path = "intake/stats.html")]
struct StatsPage {
    layout: Layout,
    rows: Vec<UnitStats>,
    bars: Vec<Bar>,
    chart_height: i64,
}

pub async fn stats(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    let rows = response_times(&state.db).await.or_page(&user)?;
    let max = rows.iter().filter_map(|r| r.first_response.median_secs).max().unwrap_or(1).max(1);
    let bars: Vec<Bar> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| Bar {
            label: r.unit.clone(),
            y: i as i64 * 28,
            width: (r.first_response.median_secs.unwrap_or(0) as f64 / max as f64 * 380.0).round() as i64,
            text: r.first_response.median.clone().unwrap_or_else(|| "no data".into()),
        })
        .collect();
    let chart_height = bars.len() as i64 * 28 + 4;
    Ok(render(&StatsPage { layout: Layout::new("Response times", &user, "intake"), rows, bars, chart_height }))
}
