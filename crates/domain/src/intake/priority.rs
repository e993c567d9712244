//! Priority: a WSJF-style score (weighted shortest job first).
//!
//! score = (w_bv·business value + w_tc·time criticality + w_rr·risk reduction) / (w_js·job size)
//!
//! The business side rates business value and time criticality; IT rates risk reduction and job
//! size. Each is on the scale 1, 2, 3, 5, 8, 13, 20. The weights are set by an admin.

use std::cmp::Ordering;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::parse::format_number;
use crate::org::{Role, Side};
use crate::{Error, FieldErrors};

/// The values a component may take.
pub const SCALE: [u32; 7] = [1, 2, 3, 5, 8, 13, 20];

/// Lowest weight an admin may set: smaller ones would say nothing more and overflow scores.
pub const MIN_WEIGHT: f64 = 0.1;
/// Highest weight an admin may set.
pub const MAX_WEIGHT: f64 = 10.0;

pub fn is_on_scale(v: u32) -> bool {
    SCALE.contains(&v)
}

/// One input to the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Component {
    BusinessValue,
    TimeCriticality,
    RiskReduction,
    JobSize,
}

impl Component {
    pub const ALL: [Component; 4] =
        [Component::BusinessValue, Component::TimeCriticality, Component::RiskReduction, Component::JobSize];
    /// The form field name.
    pub fn as_str(self) -> &'static str {
        match self {
            Component::BusinessValue => "business_value",
            Component::TimeCriticality => "time_criticality",
            Component::RiskReduction => "risk_reduction",
            Component::JobSize => "job_size",
        }
    }
    /// Lower case, for use inside sentences.
    pub fn label(self) -> &'static str {
        match self {
            Component::BusinessValue => "business value",
            Component::TimeCriticality => "time criticality",
            Component::RiskReduction => "risk reduction",
            Component::JobSize => "job size",
        }
    }
    /// Which side rates this component.
    pub fn set_by(self) -> Side {
        match self {
            Component::BusinessValue | Component::TimeCriticality => Side::Business,
            Component::RiskReduction | Component::JobSize => Side::It,
        }
    }
    /// Whether an account with `role` may set this component. Admins may set all.
    pub fn can_be_set_by(self, role: Role) -> bool {
        match role {
            Role::Admin => true,
            Role::Viewer => false,
            Role::Business => self.set_by() == Side::Business,
            Role::It => self.set_by() == Side::It,
        }
    }
}

/// The four ratings; `None` until the side responsible has set it.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct PriorityInput {
    pub business_value: Option<u32>,
    pub time_criticality: Option<u32>,
    pub risk_reduction: Option<u32>,
    pub job_size: Option<u32>,
}

impl PriorityInput {
    pub fn get(&self, c: Component) -> Option<u32> {
        match c {
            Component::BusinessValue => self.business_value,
            Component::TimeCriticality => self.time_criticality,
            Component::RiskReduction => self.risk_reduction,
            Component::JobSize => self.job_size,
        }
    }
    fn slot(&mut self, c: Component) -> &mut Option<u32> {
        match c {
            Component::BusinessValue => &mut self.business_value,
            Component::TimeCriticality => &mut self.time_criticality,
            Component::RiskReduction => &mut self.risk_reduction,
            Component::JobSize => &mut self.job_size,
        }
    }
}

/// Checks every value that is set is on the scale.
pub fn validate_priority(input: &PriorityInput) -> Result<(), Error> {
    let mut f = FieldErrors::new();
    for c in Component::ALL {
        if let Some(v) = input.get(c) {
            if !is_on_scale(v) {
                f.insert(c.as_str().into(), "Choose one of 1, 2, 3, 5, 8, 13 or 20.".into());
            }
        }
    }
    Error::check(f)
}

/// Applies the ratings `role` sent (`Some` values in `update`) to `current`. A rating belonging
/// to the other side is refused, unless it is unchanged (forms may echo it back).
pub fn apply_priority_update(
    current: &PriorityInput,
    update: &PriorityInput,
    role: Role,
) -> Result<PriorityInput, Error> {
    validate_priority(update)?;
    let mut next = *current;
    for c in Component::ALL {
        let Some(v) = update.get(c) else { continue };
        if current.get(c) == Some(v) {
            continue;
        }
        if !c.can_be_set_by(role) {
            let who = match c.set_by() {
                Side::Business => "the business side",
                Side::It => "IT",
            };
            let msg = if role == Role::Viewer {
                "Viewers can read priorities but not change them.".to_string()
            } else {
                let label = c.label();
                let mut chars = label.chars();
                let first = chars.next().map(|ch| ch.to_uppercase().to_string()).unwrap_or_default();
                format!("{first}{} is rated by {who}.", chars.as_str())
            };
            return Err(Error::forbidden(msg));
        }
        *next.slot(c) = Some(v);
    }
    Ok(next)
}

/// How much each component counts. Set by an admin; all 1.0 by default.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PriorityWeights {
    pub business_value: f64,
    pub time_criticality: f64,
    pub risk_reduction: f64,
    pub job_size: f64,
}

impl Default for PriorityWeights {
    fn default() -> Self {
        PriorityWeights { business_value: 1.0, time_criticality: 1.0, risk_reduction: 1.0, job_size: 1.0 }
    }
}

impl PriorityWeights {
    pub fn get(&self, c: Component) -> f64 {
        match c {
            Component::BusinessValue => self.business_value,
            Component::TimeCriticality => self.time_criticality,
            Component::RiskReduction => self.risk_reduction,
            Component::JobSize => self.job_size,
        }
    }
}

/// Each weight must be from 0.1 to 10.
pub fn validate_weights(w: &PriorityWeights) -> Result<(), Error> {
    let mut f = FieldErrors::new();
    for c in Component::ALL {
        let v = w.get(c);
        if !(v.is_finite() && (MIN_WEIGHT..=MAX_WEIGHT).contains(&v)) {
            f.insert(c.as_str().into(), "Use a weight from 0.1 to 10.".into());
        }
    }
    Error::check(f)
}

/// One component's part in the score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Part {
    pub component: Component,
    pub value: Option<u32>,
    pub weight: f64,
    /// weight × value, when the value is set.
    pub weighted: Option<f64>,
}

/// The score and how it came about, for "why is my request 7th?".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    /// In [`Component::ALL`] order.
    pub parts: [Part; 4],
    /// Sum of the weighted business value, time criticality and risk reduction.
    pub cost_of_delay: Option<f64>,
    /// Weighted job size.
    pub size: Option<f64>,
    /// cost of delay ÷ size; `None` while any rating is missing.
    pub score: Option<f64>,
    /// The ratings not yet set, in [`Component::ALL`] order.
    pub missing: Vec<Component>,
}

impl Breakdown {
    pub fn part(&self, c: Component) -> &Part {
        &self.parts[Component::ALL.iter().position(|x| *x == c).unwrap_or(0)]
    }

    /// Why there is no score yet, in plain words; `None` when there is one.
    pub fn missing_reason(&self) -> Option<String> {
        if self.missing.is_empty() {
            return None;
        }
        let by_side = |side: Side| -> Vec<&'static str> {
            self.missing.iter().filter(|c| c.set_by() == side).map(|c| c.label()).collect()
        };
        let business = by_side(Side::Business);
        let it = by_side(Side::It);
        let mut out = String::from("No priority score yet: ");
        if !business.is_empty() {
            let _ = write!(out, "the business side has not rated {}", and_list(&business));
        }
        if !it.is_empty() {
            if !business.is_empty() {
                out.push_str(", and ");
            }
            let _ = write!(out, "IT has not rated {}", and_list(&it));
        }
        out.push('.');
        Some(out)
    }
}

fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Computes the score and its breakdown.
pub fn breakdown(input: &PriorityInput, weights: &PriorityWeights) -> Breakdown {
    let parts = Component::ALL.map(|c| {
        let value = input.get(c);
        let weight = weights.get(c);
        Part { component: c, value, weight, weighted: value.map(|v| weight * f64::from(v)) }
    });
    let missing: Vec<Component> = parts.iter().filter(|p| p.value.is_none()).map(|p| p.component).collect();
    let numerator = &parts[..3];
    let cost_of_delay = numerator.iter().try_fold(0.0, |acc, p| p.weighted.map(|w| acc + w));
    let size = parts[3].weighted;
    let score = match (cost_of_delay, size) {
        (Some(cod), Some(s)) if s > 0.0 => Some(cod / s),
        _ => None,
    };
    Breakdown { parts, cost_of_delay, size, score, missing }
}

/// Just the score; `None` while a rating is missing.
pub fn score(input: &PriorityInput, weights: &PriorityWeights) -> Option<f64> {
    breakdown(input, weights).score
}

fn weighted_phrase(p: &Part) -> String {
    let v = p.value.unwrap_or(0);
    if (p.weight - 1.0).abs() < 1e-12 {
        format!("{} {v}", p.component.label())
    } else {
        format!(
            "{} {v} \u{00d7} weight {} = {}",
            p.component.label(),
            format_number(p.weight),
            format_number(p.weighted.unwrap_or(0.0))
        )
    }
}

/// The score explained in plain words.
pub fn explain(b: &Breakdown) -> String {
    let (Some(score), Some(cod), Some(size)) = (b.score, b.cost_of_delay, b.size) else {
        return b.missing_reason().unwrap_or_else(|| "No priority score yet.".to_string());
    };
    let mut out = format!(
        "Priority score {}: cost of delay {} divided by job size {}. ",
        format_number(score),
        format_number(cod),
        format_number(size)
    );
    let [bv, tc, rr, js] = &b.parts;
    let _ = write!(
        out,
        "The cost of delay adds up {}, {} and {}. ",
        weighted_phrase(bv),
        weighted_phrase(tc),
        weighted_phrase(rr)
    );
    if (js.weight - 1.0).abs() >= 1e-12 {
        let _ = write!(out, "{}. ", crate::text::capitalise(&weighted_phrase(js)));
    }
    // The biggest contributor to the cost of delay; on a tie, the first in the formula.
    let top =
        [tc, rr].into_iter().fold(
            bv,
            |top, p| {
                if p.weighted.unwrap_or(0.0) > top.weighted.unwrap_or(0.0) {
                    p
                } else {
                    top
                }
            },
        );
    let share = if cod > 0.0 { top.weighted.unwrap_or(0.0) / cod * 100.0 } else { 0.0 };
    let _ = write!(
        out,
        "{} counts most ({}% of the cost of delay)",
        crate::text::capitalise(top.component.label()),
        format_number(share.round())
    );
    let size_v = js.value.unwrap_or(0);
    if size_v >= 13 {
        out.push_str("; the large job size pulls the score down.");
    } else if size_v <= 2 {
        out.push_str("; the small job size lifts the score.");
    } else {
        out.push('.');
    }
    out
}

/// "1st", "2nd", "3rd", "4th", "11th", "21st" …
pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// "Your request is 7th of 12 by priority. Priority score 4.3: …" — `position` counts from 1.
pub fn explain_position(position: usize, total: usize, b: &Breakdown) -> String {
    if b.score.is_none() {
        return format!("{} Requests without a score are listed after those with one.", explain(b));
    }
    format!("This request is {} of {total} by priority. {}", ordinal(position), explain(b))
}

/// Scores are compared at this precision, so sums that differ only by rounding tie.
fn score_key(s: f64) -> i64 {
    (s * 1e6).round() as i64
}

/// Compares two (score, submitted) pairs: higher score first; equal scores by earlier
/// submission; requests without a score last, by earlier submission.
pub fn compare_priority<K: Ord>(a: (Option<f64>, &K), b: (Option<f64>, &K)) -> Ordering {
    match (a.0, b.0) {
        (Some(x), Some(y)) => score_key(y).cmp(&score_key(x)).then_with(|| a.1.cmp(b.1)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.1.cmp(b.1),
    }
}

/// Sorts items by priority (see [`compare_priority`]). `key` gives an item's score and when it
/// was submitted (any ordered value: a timestamp, an RFC 3339 string, a sequence number).
pub fn rank<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> (Option<f64>, K)) {
    items.sort_by(|a, b| {
        let (sa, ka) = key(a);
        let (sb, kb) = key(b);
        compare_priority((sa, &ka), (sb, &kb))
    });
}
