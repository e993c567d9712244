//! Charts drawn on the server as SVG with `plotters` (its SVG backend: scales, axes, ticks and
//! series come from the crate, not from hand-placed shapes). Each chart is an `<svg role="img">`
//! with a title as its text alternative, and every point or bar carries its value in a `<title>`
//! that shows on hover; the page shows the same numbers as a table.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

/// The site's colours (static/site.css): ink, a quiet grid, and the series.
const INK: RGBColor = RGBColor(0x1d, 0x2b, 0x24);
const GRID: RGBColor = RGBColor(0xe3, 0xe8, 0xe5);
const SERIES: [RGBColor; 3] = [RGBColor(0x2f, 0x6f, 0x4f), RGBColor(0xb0, 0x6a, 0x12), RGBColor(0x4a, 0x5a, 0xa8)];
const WIDTH: u32 = 720;

/// A measured value on a day (days since 1970), with what its hover says.
pub struct Point {
    pub day: i64,
    pub value: f64,
    pub label: String,
}

/// A level across the chart: a baseline, a target, a band's bound.
pub struct Level {
    pub value: f64,
    pub label: String,
    /// Targets dashed in the second colour; baselines dotted in ink.
    pub is_target: bool,
}

/// A day marked by a vertical line: the delivery, the start of the benefit.
pub struct Mark {
    pub day: i64,
    pub label: String,
}

/// A KPI over time.
pub struct LineChart<'a> {
    /// The text alternative: what the chart shows, read by screen readers.
    pub title: String,
    pub points: &'a [Point],
    pub levels: &'a [Level],
    pub marks: &'a [Mark],
    /// The first and last day shown (the points may not reach them).
    pub from: i64,
    pub to: i64,
    pub format_value: &'a dyn Fn(f64) -> String,
}

/// A category with one value per series.
pub struct Bar {
    pub label: String,
    pub values: Vec<f64>,
}

/// Horizontal bars, a group per category.
pub struct BarChart<'a> {
    pub title: String,
    pub series: &'a [&'a str],
    pub bars: &'a [Bar],
    pub format_value: &'a dyn Fn(f64) -> String,
}

fn day_label(day: i64) -> String {
    bridge_domain::intake::parse::Date::from_days(day).to_string().get(..7).unwrap_or_default().to_string()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Replaces plotters' fixed-size `<svg>` opening with one that scales to its container and names
/// itself, and adds the hover shapes before the end.
fn finish(svg: String, height: u32, title: &str, overlay: &[String]) -> String {
    let body_start = svg.find('>').map(|i| i + 1).unwrap_or(0);
    let body_end = svg.rfind("</svg>").unwrap_or(svg.len());
    let mut out = String::with_capacity(svg.len() + overlay.iter().map(String::len).sum::<usize>() + 300);
    out.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" \
         preserveAspectRatio=\"xMinYMin meet\" role=\"img\" class=\"chart-svg\"><title>{}</title>",
        escape(title)
    ));
    out.push_str(&svg[body_start..body_end]);
    for o in overlay {
        out.push_str(o);
    }
    out.push_str("</svg>");
    out
}

/// The value range to show: every point and level, with a little room, never empty.
fn value_range(points: &[Point], levels: &[Level]) -> (f64, f64) {
    let values = points.iter().map(|p| p.value).chain(levels.iter().map(|l| l.value));
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.08).max(hi.abs().max(1.0) * 0.02);
    (lo - pad, hi + pad)
}

/// A KPI's measurements as a line with a dot per value, its baselines and targets as levels and
/// its key days as vertical marks.
pub fn line_chart(c: &LineChart) -> String {
    const HEIGHT: u32 = 320;
    let (lo, hi) = value_range(c.points, c.levels);
    let (from, to) = (c.from.min(c.to), c.to.max(c.from + 1));
    let mut svg = String::new();
    let mut overlay = Vec::new();
    let drawn = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(84)
            .build_cartesian_2d(from..to, lo..hi)?;
        chart
            .configure_mesh()
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .axis_style(INK.mix(0.6))
            .label_style(("sans-serif", 13).into_font().color(&INK))
            .x_labels(7)
            .y_labels(6)
            .x_label_formatter(&|d| day_label(*d))
            .y_label_formatter(&|v| (c.format_value)(*v))
            .draw()?;
        for level in c.levels {
            let style = if level.is_target { SERIES[1].stroke_width(2) } else { INK.mix(0.7).stroke_width(1) };
            chart.draw_series(DashedLineSeries::new(
                [(from, level.value), (to, level.value)],
                if level.is_target { 8 } else { 3 },
                4,
                style,
            ))?;
            let (x, y) = chart.backend_coord(&(from, level.value));
            let (x2, _) = chart.backend_coord(&(to, level.value));
            overlay.push(format!(
                "<line x1=\"{x}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\" stroke=\"transparent\" stroke-width=\"8\"><title>{}</title></line>",
                escape(&level.label)
            ));
        }
        for mark in c.marks.iter().filter(|m| (from..=to).contains(&m.day)) {
            chart.draw_series(DashedLineSeries::new(
                [(mark.day, lo), (mark.day, hi)],
                5,
                4,
                SERIES[2].stroke_width(2),
            ))?;
            let (x, y) = chart.backend_coord(&(mark.day, hi));
            let (_, y2) = chart.backend_coord(&(mark.day, lo));
            overlay.push(format!(
                "<line x1=\"{x}\" y1=\"{y}\" x2=\"{x}\" y2=\"{y2}\" stroke=\"transparent\" stroke-width=\"8\"><title>{}</title></line>",
                escape(&mark.label)
            ));
        }
        chart.draw_series(LineSeries::new(c.points.iter().map(|p| (p.day, p.value)), SERIES[0].stroke_width(2)))?;
        // Dots only while they stay apart; the hover shapes are there for every point.
        if c.points.len() <= 120 {
            chart.draw_series(c.points.iter().map(|p| Circle::new((p.day, p.value), 3, SERIES[0].filled())))?;
        }
        for p in c.points {
            let (x, y) = chart.backend_coord(&(p.day, p.value));
            overlay.push(format!(
                "<circle cx=\"{x}\" cy=\"{y}\" r=\"6\" fill=\"transparent\"><title>{}</title></circle>",
                escape(&p.label)
            ));
        }
        root.present()?;
        Ok(())
    })();
    if let Err(e) = drawn {
        tracing::warn!(error = %e, "a chart could not be drawn");
    }
    finish(svg, HEIGHT, &c.title, &overlay)
}

/// Grouped horizontal bars: a row per category, a bar per series, the value at the bar's end.
pub fn bar_chart(c: &BarChart) -> String {
    const ROW: u32 = 44;
    let n = c.bars.len().max(1) as u32;
    let height = n * ROW + 58;
    let max = c.bars.iter().flat_map(|b| b.values.iter().copied()).fold(0.0f64, f64::max).max(1.0) * 1.25;
    let min = c.bars.iter().flat_map(|b| b.values.iter().copied()).fold(0.0f64, f64::min) * 1.25;
    let mut svg = String::new();
    let mut overlay = Vec::new();
    let labels: Vec<&str> = c.bars.iter().map(|b| b.label.as_str()).collect();
    let drawn = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .margin_bottom(28)
            .x_label_area_size(26)
            .y_label_area_size(170)
            .build_cartesian_2d(min..max, (0..n).into_segmented())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .axis_style(INK.mix(0.6))
            .label_style(("sans-serif", 13).into_font().color(&INK))
            .x_labels(5)
            .x_label_formatter(&|v| (c.format_value)(*v))
            .y_label_formatter(&|s| match s {
                // Rows count upwards: the first category is the top row.
                SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
                    n.checked_sub(i + 1).and_then(|at| labels.get(at as usize)).map(|l| short(l)).unwrap_or_default()
                }
                SegmentValue::Last => String::new(),
            })
            .draw()?;
        let series = c.series.len().max(1) as u32;
        let band = (ROW - 12) / series;
        for (i, bar) in c.bars.iter().enumerate() {
            // The y axis runs upwards: the first category goes in the top row.
            let row = n - 1 - i as u32;
            for (s, value) in bar.values.iter().enumerate() {
                let s = s as u32;
                let corners = [(0.0, SegmentValue::Exact(row + 1)), (*value, SegmentValue::Exact(row))];
                let mut rect = Rectangle::new(corners, SERIES[s as usize % 3].filled());
                rect.set_margin(6 + s * band, ROW - 6 - (s + 1) * band, 0, 0);
                chart.draw_series(std::iter::once(rect))?;
                let (x0, top) = chart.backend_coord(&(0.0f64.min(*value), SegmentValue::Exact(row + 1)));
                let (x1, _) = chart.backend_coord(&(0.0f64.max(*value), SegmentValue::Exact(row + 1)));
                let y = top + 6 + (s * band) as i32;
                let name = c.series.get(s as usize).copied().unwrap_or_default();
                let text = (c.format_value)(*value);
                overlay.push(format!(
                    "<rect x=\"{x0}\" y=\"{y}\" width=\"{}\" height=\"{band}\" fill=\"transparent\"><title>{}</title></rect>\
                     <text x=\"{}\" y=\"{}\" font-size=\"12\" font-family=\"sans-serif\" fill=\"#1d2b24\">{}</text>",
                    (x1 - x0).max(2),
                    escape(&format!("{}, {name}: {text}", bar.label)),
                    x1 + 4,
                    y + band as i32 - 3,
                    escape(&text)
                ));
            }
        }
        // The legend, along the bottom.
        let mut x = 180;
        for (s, name) in c.series.iter().enumerate() {
            let RGBColor(r, g, b) = SERIES[s % 3];
            overlay.push(format!(
                "<rect x=\"{x}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"#{r:02x}{g:02x}{b:02x}\"></rect>\
                 <text x=\"{}\" y=\"{}\" font-size=\"13\" font-family=\"sans-serif\" fill=\"#1d2b24\">{}</text>",
                height - 14,
                x + 16,
                height - 3,
                escape(name)
            ));
            x += 30 + 8 * name.chars().count() as i32;
        }
        root.present()?;
        Ok(())
    })();
    if let Err(e) = drawn {
        tracing::warn!(error = %e, "a chart could not be drawn");
    }
    finish(svg, height, &c.title, &overlay)
}

/// A heat map's cell: how warm it is (0 cold to 1 warm), the short text in it, and its hover.
pub type Cell = (f64, String, String);

/// A grid of rows against columns, each cell shaded by how warm it is (`None`: empty), with a
/// short text in it and a longer one on hover.
pub struct HeatMap<'a> {
    pub title: String,
    pub rows: &'a [String],
    pub columns: &'a [String],
    /// `cells[row][column]`: (warmth, text in the cell, hover).
    pub cells: &'a [Vec<Option<Cell>>],
}

pub fn heat_map(c: &HeatMap) -> String {
    const ROW: u32 = 34;
    let (rows, cols) = (c.rows.len().max(1) as u32, c.columns.len().max(1) as u32);
    let height = rows * ROW + 60;
    let mut svg = String::new();
    let mut overlay = Vec::new();
    let drawn = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)?;
        // Whole cells from 0 to the count on both axes (a segmented axis would add an empty
        // segment at the end); the labels are written at the cells' centres below.
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(170)
            .build_cartesian_2d(0..cols, 0..rows)?;
        // No labels from plotters (asking it for none never returns): they are drawn below.
        chart.configure_mesh().disable_mesh().disable_axes().draw()?;
        let label = |x: i32, y: i32, anchor: &str, text: &str| {
            format!(
                "<text x=\"{x}\" y=\"{y}\" font-size=\"12\" font-family=\"sans-serif\" text-anchor=\"{anchor}\" fill=\"#1d2b24\">{}</text>",
                escape(text)
            )
        };
        // Columns are narrow: a few letters each; the hover and the table name them whole.
        let width = (540 / cols.max(1) / 8).max(3) as usize;
        for (i, name) in c.columns.iter().enumerate() {
            let (x0, y) = chart.backend_coord(&(i as u32, 0));
            let (x1, _) = chart.backend_coord(&(i as u32 + 1, 0));
            overlay.push(label((x0 + x1) / 2, y + 18, "middle", &short_to(name, width)));
        }
        // Rows count upwards: the first row is drawn at the top.
        for (r, name) in c.rows.iter().enumerate() {
            let (x, y0) = chart.backend_coord(&(0, rows - r as u32));
            let (_, y1) = chart.backend_coord(&(0, rows - 1 - r as u32));
            overlay.push(label(x - 8, (y0 + y1) / 2 + 4, "end", &short(name)));
        }
        for (r, row) in c.cells.iter().enumerate() {
            let y = rows - 1 - r as u32;
            for (col, cell) in row.iter().enumerate() {
                let col = col as u32;
                let corners = [(col, y + 1), (col + 1, y)];
                let colour = match cell {
                    Some((warmth, _, _)) => SERIES[0].mix(0.12 + 0.78 * warmth.clamp(0.0, 1.0)),
                    None => GRID.mix(0.5),
                };
                let mut rect = Rectangle::new(corners, colour.filled());
                rect.set_margin(1, 1, 1, 1);
                chart.draw_series(std::iter::once(rect))?;
                if let Some((warmth, text, hover)) = cell {
                    let (x0, y0) = chart.backend_coord(&corners[0]);
                    let (x1, y1) = chart.backend_coord(&corners[1]);
                    let ink = if *warmth > 0.55 { "#ffffff" } else { "#1d2b24" };
                    overlay.push(format!(
                        "<rect x=\"{x0}\" y=\"{y0}\" width=\"{}\" height=\"{}\" fill=\"transparent\"><title>{}</title></rect>\
                         <text x=\"{}\" y=\"{}\" font-size=\"12\" font-family=\"sans-serif\" text-anchor=\"middle\" fill=\"{ink}\">{}</text>",
                        (x1 - x0).max(2),
                        (y1 - y0).max(2),
                        escape(hover),
                        (x0 + x1) / 2,
                        (y0 + y1) / 2 + 4,
                        escape(text)
                    ));
                }
            }
        }
        root.present()?;
        Ok(())
    })();
    if let Err(e) = drawn {
        tracing::warn!(error = %e, "a chart could not be drawn");
    }
    finish(svg, height, &c.title, &overlay)
}

/// A category name short enough for the axis; the table has it whole.
fn short(s: &str) -> String {
    short_to(s, 22)
}

fn short_to(s: &str, chars: usize) -> String {
    if s.chars().count() <= chars {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(chars - 1).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_chart_names_itself_and_every_point() {
        let points: Vec<Point> =
            (0..3).map(|i| Point { day: 20_000 + i * 30, value: i as f64, label: format!("value {i}") }).collect();
        let levels = [Level { value: 4.0, label: "Target 4 & more".into(), is_target: true }];
        let svg = line_chart(&LineChart {
            title: "Sales <per> month".into(),
            points: &points,
            levels: &levels,
            marks: &[],
            from: 20_000,
            to: 20_100,
            format_value: &|v| format!("{v:.0}"),
        });
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("<title>Sales &lt;per&gt; month</title>"));
        assert_eq!(svg.matches("<title>value ").count(), 3);
        assert!(svg.contains("Target 4 &amp; more"));
        assert_eq!(svg.matches("<svg").count(), 1, "plotters' own opening tag is replaced");
    }

    #[test]
    fn a_bar_chart_has_a_bar_per_value() {
        let bars = [
            Bar { label: "Retail".into(), values: vec![10.0, 4.0] },
            Bar { label: "Online".into(), values: vec![0.0, 2.0] },
        ];
        let svg = bar_chart(&BarChart {
            title: "Promised and realised".into(),
            series: &["Promised", "Realised"],
            bars: &bars,
            format_value: &|v| format!("{v:.0}"),
        });
        assert!(svg.contains("<title>Retail, Promised: 10</title>"));
        assert!(svg.contains("<title>Online, Realised: 2</title>"));
    }

    #[test]
    fn a_heat_map_has_a_cell_per_pair_with_its_hover() {
        let rows = ["Retail".to_string(), "Finance".to_string()];
        let columns = ["Data".to_string()];
        let cells = vec![vec![Some((0.9, "12".to_string(), "Retail and Data: 12".to_string()))], vec![None]];
        let svg = heat_map(&HeatMap { title: "Who meets whom".into(), rows: &rows, columns: &columns, cells: &cells });
        assert!(svg.contains("<title>Who meets whom</title>") && svg.contains("<title>Retail and Data: 12</title>"));
        assert_eq!(svg.matches("fill=\"transparent\"").count(), 1, "an empty cell has no hover");
    }
}
