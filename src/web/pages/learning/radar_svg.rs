//! The radar drawn as SVG: four quadrants, four rings (adopt at the centre), a numbered blip
//! per entry linking to its page; a triangle pointing in or out for an entry that moved since
//! the edition compared with, a ringed circle for a new one. The same entries are listed beside
//! it as text, for screen readers and for print.

use std::collections::HashMap;
use std::f64::consts::PI;
use std::fmt::Write;

use bridge_domain::language::escape_html_into;
use bridge_domain::learning::radar::{blip_spot, Ring};

use crate::ops::learning::radar::RadarView;

const SIZE: f64 = 640.0;
const CENTRE: f64 = SIZE / 2.0;
/// The rings' outer radii, adopt to hold.
const RINGS: [f64; 4] = [120.0, 195.0, 255.0, 305.0];
/// One colour per quadrant (by position), dark enough for white numbers on them.
pub const COLOURS: [&str; 4] = ["#1f6f8b", "#7a4fa0", "#2e7d4f", "#a3541c"];

fn text(out: &mut String, s: &str) {
    escape_html_into(out, s);
}

/// The angle where a quadrant starts (screen coordinates: y grows downwards).
fn start_angle(position: i64) -> f64 {
    match position {
        0 => -PI / 2.0,
        1 => -PI,
        2 => PI / 2.0,
        _ => 0.0,
    }
}

pub fn draw(view: &RadarView) -> String {
    let position: HashMap<i64, i64> = view.quadrants.iter().map(|q| (q.id, q.position)).collect();
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg class="radar" viewBox="0 0 {SIZE} {SIZE}" role="img" aria-labelledby="radar-title"><title id="radar-title">The technology radar on {}: {} entries. The list below holds the same.</title>"#,
        view.as_of,
        view.blips.len()
    );
    for (i, r) in RINGS.iter().enumerate().rev() {
        let fill = ["#eef3f7", "#f3f6f9", "#f7f9fb", "#fbfcfd"][i];
        let _ = write!(out, r##"<circle cx="{CENTRE}" cy="{CENTRE}" r="{r}" fill="{fill}" stroke="#c9d3dc"/>"##);
    }
    let _ = write!(
        out,
        r##"<line x1="{CENTRE}" y1="10" x2="{CENTRE}" y2="{}" stroke="#9fb0bf"/><line x1="10" y1="{CENTRE}" x2="{}" y2="{CENTRE}" stroke="#9fb0bf"/>"##,
        SIZE - 10.0,
        SIZE - 10.0
    );
    for (i, ring) in Ring::ALL.iter().enumerate() {
        let inner = if i == 0 { 0.0 } else { RINGS[i - 1] };
        let _ = write!(
            out,
            r##"<text x="{}" y="{}" class="ring-label">{}</text>"##,
            CENTRE + 4.0,
            CENTRE - (inner + RINGS[i]) / 2.0,
            ring.label()
        );
    }
    for q in &view.quadrants {
        let (x, y, anchor) = match q.position {
            0 => (SIZE - 8.0, 22.0, "end"),
            1 => (8.0, 22.0, "start"),
            2 => (8.0, SIZE - 10.0, "start"),
            _ => (SIZE - 8.0, SIZE - 10.0, "end"),
        };
        let colour = COLOURS[q.position.clamp(0, 3) as usize];
        let _ = write!(out, r#"<text x="{x}" y="{y}" text-anchor="{anchor}" class="quadrant-label" fill="{colour}">"#);
        text(&mut out, &q.name);
        out.push_str("</text>");
    }
    // The blips of each quadrant and ring, spread in their cell.
    let mut cells: HashMap<(i64, &str), Vec<usize>> = HashMap::new();
    for (i, b) in view.blips.iter().enumerate() {
        cells.entry((position.get(&b.quadrant_id).copied().unwrap_or(0), b.ring)).or_default().push(i);
    }
    for ((pos, ring), members) in &cells {
        let r = Ring::parse(ring).unwrap_or(Ring::Hold).index();
        let (inner, outer) = (if r == 0 { 35.0 } else { RINGS[r - 1] }, RINGS[r]);
        for (k, i) in members.iter().enumerate() {
            let b = &view.blips[*i];
            let (a, d) = blip_spot(k, members.len());
            let angle = start_angle(*pos) + (0.06 + 0.88 * a) * PI / 2.0;
            let radius = inner + (0.18 + 0.64 * d) * (outer - inner);
            let (x, y) = (CENTRE + radius * angle.cos(), CENTRE + radius * angle.sin());
            let colour = COLOURS[(*pos).clamp(0, 3) as usize];
            let _ = write!(out, r#"<a href="/radar/entries/{}"><title>{}. "#, b.entry_id, b.number);
            text(&mut out, &b.name);
            let _ = write!(out, " — {}", Ring::parse(b.ring).map_or("", Ring::label));
            if !b.change_label.is_empty() {
                let _ = write!(out, ", {}", b.change_label.to_lowercase());
            }
            out.push_str("</title>");
            match b.change {
                "moved_in" => {
                    let _ = write!(
                        out,
                        r#"<path d="M{x:.1} {:.1} L{:.1} {:.1} L{:.1} {:.1} Z" fill="{colour}"/>"#,
                        y - 14.0,
                        x + 13.0,
                        y + 9.0,
                        x - 13.0,
                        y + 9.0
                    );
                }
                "moved_out" => {
                    let _ = write!(
                        out,
                        r#"<path d="M{x:.1} {:.1} L{:.1} {:.1} L{:.1} {:.1} Z" fill="{colour}"/>"#,
                        y + 14.0,
                        x + 13.0,
                        y - 9.0,
                        x - 13.0,
                        y - 9.0
                    );
                }
                "new" => {
                    let _ = write!(
                        out,
                        r#"<circle cx="{x:.1}" cy="{y:.1}" r="12" fill="none" stroke="{colour}" stroke-width="2"/><circle cx="{x:.1}" cy="{y:.1}" r="8.5" fill="{colour}"/>"#
                    );
                }
                _ => {
                    let _ = write!(out, r#"<circle cx="{x:.1}" cy="{y:.1}" r="9" fill="{colour}"/>"#);
                }
            }
            // A triangle's middle is nearer its wide side.
            let dy = match b.change {
                "moved_in" => 5.5,
                "moved_out" => 1.5,
                _ => 3.5,
            };
            let _ = write!(out, r#"<text x="{x:.1}" y="{:.1}" class="blip-number">{}</text></a>"#, y + dy, b.number);
        }
    }
    out.push_str("</svg>");
    out
}
