//! Who is learning: the last twelve months as charts, each with its table.

use askama::Template;
use axum::extract::State;

use super::super::{render, Layout, OrPage, PageResult};
use crate::ops::learning::stats::{self, LearningFigures};
use crate::web::auth::PageUser;
use crate::web::charts::{bar_chart, Bar, BarChart};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "learning/stats.html")]
struct StatsPage {
    layout: Layout,
    f: LearningFigures,
    months_chart: String,
    units_chart: String,
    kinds_chart: String,
}

pub async fn page(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let f = stats::figures(&state.db, &directory).await.or_page(&user)?;
    let count = |v: f64| format!("{v:.0}");
    let months: Vec<Bar> = f
        .months
        .iter()
        .map(|m| Bar { label: m.month.clone(), values: vec![m.attended as f64, m.business_at_it_led as f64] })
        .collect();
    let units: Vec<Bar> = f
        .units
        .iter()
        .map(|u| Bar { label: u.name.clone(), values: vec![u.attended as f64, u.it_led_attended as f64] })
        .collect();
    let kinds: Vec<Bar> = f
        .kinds
        .iter()
        .filter(|k| k.average_rating.is_some())
        .map(|k| Bar { label: k.kind_label.to_string(), values: vec![k.average_rating.unwrap_or(0.0)] })
        .collect();
    Ok(render(&StatsPage {
        layout: Layout::new("Who is learning", &user, "learning"),
        months_chart: bar_chart(&BarChart {
            title: "Attendance month by month".into(),
            series: &["Came to an event", "Business people at sessions IT led"],
            bars: &months,
            format_value: &count,
        }),
        units_chart: bar_chart(&BarChart {
            title: "Attendance by business unit".into(),
            series: &["Came to an event", "At sessions IT led"],
            bars: &units,
            format_value: &count,
        }),
        kinds_chart: bar_chart(&BarChart {
            title: "Feedback by kind of event (average of 1 to 5)".into(),
            series: &["Average rating"],
            bars: &kinds,
            format_value: &|v| format!("{v:.1}"),
        }),
        f,
    }))
}
