//! The clarity score: 0–100 points from a fixed rubric, with one plain-language hint per gap.
//!
//! The rubric is documented, element by element, in `docs/intake.md`; the weights live in
//! [`Element::weight`] and the credit rules in the `score_*` functions below. Scoring is pure,
//! regex-free and allocates only for the hints it returns.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::parse::{has_number, word_count};
use super::request::{Budget, Metric, Regulatory, RegulatoryArea, ValidRequest};
use crate::{Error, FieldErrors};

/// The clarity a request needs before it can be submitted, unless an admin sets another.
pub const DEFAULT_SUBMIT_THRESHOLD: u8 = 70;

/// Words a problem statement needs for full length credit.
pub const PROBLEM_FULL_WORDS: usize = 15;
/// Words the goals need for full credit.
pub const GOALS_FULL_WORDS: usize = 8;

/// One element of the rubric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Element {
    Title,
    Problem,
    Goals,
    Metrics,
    Budget,
    People,
    Regulatory,
    Timing,
    Tradeoffs,
}

impl Element {
    pub const ALL: [Element; 9] = [
        Element::Title,
        Element::Problem,
        Element::Goals,
        Element::Metrics,
        Element::Budget,
        Element::People,
        Element::Regulatory,
        Element::Timing,
        Element::Tradeoffs,
    ];

    /// The most points the element can earn. The weights add up to 100.
    pub const fn weight(self) -> u8 {
        match self {
            Element::Title => 5,
            Element::Problem => 20,
            Element::Goals => 10,
            Element::Metrics => 25,
            Element::Budget => 10,
            Element::People => 10,
            Element::Regulatory => 10,
            Element::Timing => 5,
            Element::Tradeoffs => 5,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Element::Title => "title",
            Element::Problem => "problem",
            Element::Goals => "goals",
            Element::Metrics => "metrics",
            Element::Budget => "budget",
            Element::People => "people",
            Element::Regulatory => "regulatory",
            Element::Timing => "timing",
            Element::Tradeoffs => "tradeoffs",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Element::Title => "Title",
            Element::Problem => "Problem or opportunity",
            Element::Goals => "Business goals",
            Element::Metrics => "Success metrics",
            Element::Budget => "Budget",
            Element::People => "Sponsor and stakeholders",
            Element::Regulatory => "Regulatory considerations",
            Element::Timing => "Desired date",
            Element::Tradeoffs => "Trade-offs",
        }
    }
}

/// Points earned by one element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElementScore {
    pub element: Element,
    pub points: u8,
    pub max: u8,
}

/// A gap and what to do about it, attached to the form field it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hint {
    pub element: Element,
    /// The form field, e.g. `problem` or `metrics[0].baseline`.
    pub field: String,
    pub text: String,
}

/// The clarity of a request: the total, each element's points, and the hints for every gap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clarity {
    /// 0–100; the sum of the element points.
    pub score: u8,
    /// One entry per [`Element`], in [`Element::ALL`] order.
    pub elements: [ElementScore; 9],
    /// One per gap, in form order. Empty when the score is 100.
    pub hints: Vec<Hint>,
}

impl Clarity {
    pub fn points(&self, element: Element) -> u8 {
        self.elements.iter().find(|e| e.element == element).map_or(0, |e| e.points)
    }
}

/// Collects points and hints for one element.
struct Scorer<'a> {
    element: Element,
    points: u32,
    hints: &'a mut Vec<Hint>,
}

impl Scorer<'_> {
    fn earn(&mut self, points: u32) {
        self.points += points;
    }
    fn hint(&mut self, field: impl Into<String>, text: impl Into<String>) {
        self.hints.push(Hint { element: self.element, field: field.into(), text: text.into() });
    }
}

/// Text quoted in a hint, shortened so a pasted paragraph does not become the hint.
fn quote(s: &str, max_chars: usize) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty() && s.chars().count() <= max_chars).then_some(s)
}

/// Title (5): three words or more earn 5, two words 4, one word 2.
fn score_title(r: &ValidRequest, s: &mut Scorer) {
    match word_count(&r.title) {
        0 => s.hint("title", "Give the request a title that says what should change."),
        1 => {
            s.earn(2);
            s.hint(
                "title",
                "Make the title a few words longer so people can tell this request apart from \
                 others.",
            );
        }
        2 => {
            s.earn(4);
            s.hint("title", "Add a word or two to the title, for example what should change.");
        }
        _ => s.earn(5),
    }
}

/// Problem (20): 12 for length (15+ words; 6 for 5–14; 3 for 1–4) and 8 for stating a number.
fn score_problem(r: &ValidRequest, s: &mut Scorer) {
    let words = word_count(&r.problem);
    if words == 0 {
        s.hint("problem", "Describe the problem or opportunity: what hurts, for whom, and how much.");
        return;
    }
    if words >= PROBLEM_FULL_WORDS {
        s.earn(12);
    } else {
        s.earn(if words >= 5 { 6 } else { 3 });
        s.hint(
            "problem",
            format!(
                "Say more about the problem (at least {PROBLEM_FULL_WORDS} words): what hurts, \
                 for whom, and how often."
            ),
        );
    }
    if has_number(&r.problem) {
        s.earn(8);
    } else {
        s.hint(
            "problem",
            "Say how big the problem is with a number, for example hours lost per week, \
             errors per month or customers affected.",
        );
    }
}

/// Goals (10): 8+ words earn 10; 3–7 words earn 6, or 8 when they state a number; one or two
/// words (a vague "efficiency") earn 2.
fn score_goals(r: &ValidRequest, s: &mut Scorer) {
    let words = word_count(&r.goals);
    match words {
        0 => s.hint("goals", "State the business goals: what should be better, for whom, and by how much."),
        1 | 2 => {
            s.earn(2);
            match quote(&r.goals, 40) {
                Some(q) => s.hint(
                    "goals",
                    format!(
                        "Say what \u{2018}{q}\u{2019} means for the business: what should be \
                         better, for whom, and by how much."
                    ),
                ),
                None => s.hint(
                    "goals",
                    "Spell out the business goals: what should be better, for whom, and by how \
                     much.",
                ),
            }
        }
        _ if words < GOALS_FULL_WORDS => {
            if has_number(&r.goals) {
                s.earn(8);
            } else {
                s.earn(6);
            }
            s.hint(
                "goals",
                "Expand the business goals a little: what should be better, for whom, and by \
                 how much.",
            );
        }
        _ => s.earn(10),
    }
}

/// How a metric is called in hints: by its name in quotes, or by its number.
enum MetricLabel<'a> {
    Named(&'a str),
    Numbered(usize),
}

impl std::fmt::Display for MetricLabel<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MetricLabel::Named(n) => write!(f, "\u{2018}{n}\u{2019}"),
            MetricLabel::Numbered(i) => write!(f, "metric {i}"),
        }
    }
}

/// Per-metric quality out of 100: name 10, unit 10, baseline 30, target 30 (0 when it equals the
/// baseline), target date 20.
fn metric_quality(i: usize, m: &Metric, s: &mut Scorer) -> u32 {
    let mut q = 0;
    let label = match quote(&m.name, 60) {
        Some(n) => MetricLabel::Named(n),
        None => MetricLabel::Numbered(i + 1),
    };
    if m.name.trim().is_empty() {
        s.hint(format!("metrics[{i}].name"), format!("Name {label} so everyone knows what is measured."));
    } else {
        q += 10;
    }
    if m.unit.trim().is_empty() {
        s.hint(
            format!("metrics[{i}].unit"),
            format!("Add the unit for {label}, for example %, hours or orders per day."),
        );
    } else {
        q += 10;
    }
    if m.baseline.is_some() {
        q += 30;
    } else {
        s.hint(format!("metrics[{i}].baseline"), format!("Add a baseline for {label} so the change can be measured."));
    }
    match (m.baseline, m.target) {
        (_, None) => s.hint(
            format!("metrics[{i}].target"),
            format!("Add a target for {label} so everyone knows what success looks like."),
        ),
        (Some(b), Some(t)) if b == t => s.hint(
            format!("metrics[{i}].target"),
            format!("The target for {label} equals its baseline: say what value you aim for."),
        ),
        _ => q += 30,
    }
    if m.target_date.is_some() {
        q += 20;
    } else {
        s.hint(format!("metrics[{i}].target_date"), format!("Add a date by which {label} should reach its target."));
    }
    q
}

/// Metrics (25): the average quality of the metrics listed, scaled to 25.
fn score_metrics(r: &ValidRequest, s: &mut Scorer) {
    if r.metrics.is_empty() {
        s.hint(
            "metrics",
            "Add at least one success metric: what you will measure, its value today, the \
             target and the date.",
        );
        return;
    }
    let n = r.metrics.len() as u32;
    let total: u32 = r.metrics.iter().enumerate().map(|(i, m)| metric_quality(i, m, s)).sum();
    let weight = u32::from(Element::Metrics.weight());
    // Rounded to the nearest point.
    s.earn((weight * total + 50 * n) / (100 * n));
}

/// Budget (10): an amount, or a range whose top is at most twice its bottom, earns 10; a wider
/// range 7; "not yet known" with a reason of 3+ words 6, with a shorter or no reason 2.
fn score_budget(r: &ValidRequest, s: &mut Scorer) {
    match &r.budget {
        None => s.hint("budget", "Give a budget: an amount, a range, or say it is not yet known and why."),
        Some(Budget::Amount { .. }) => s.earn(10),
        Some(Budget::Range { min_cents, max_cents, .. }) => {
            if *max_cents <= min_cents.saturating_mul(2) {
                s.earn(10);
            } else {
                s.earn(7);
                s.hint("budget_max", "Narrow the budget range if you can: the top is more than twice the bottom.");
            }
        }
        Some(Budget::Unknown { reason }) => {
            if word_count(reason) >= 3 {
                s.earn(6);
            } else {
                s.earn(2);
                s.hint("budget_unknown_reason", "Say why the budget is not yet known and when it will be.");
            }
        }
    }
}

/// People (10): a sponsor 5, at least one other stakeholder 3, the business unit 2.
fn score_people(r: &ValidRequest, s: &mut Scorer) {
    if r.sponsor_id.is_some() {
        s.earn(5);
    } else {
        s.hint("sponsor_id", "Name a sponsor: the business person who owns the outcome.");
    }
    if r.stakeholders.is_empty() {
        s.hint(
            "stakeholders",
            "Add the other people involved, for example a decision maker or a user \
             representative, so IT knows whom to ask.",
        );
    } else {
        s.earn(3);
    }
    if r.business_unit_id.is_some() {
        s.earn(2);
    } else {
        s.hint("business_unit_id", "Choose the business unit this request is for.");
    }
}

/// Regulatory (10): any answer earns 10, except "other" without saying what (6). Silence is 0.
fn score_regulatory(r: &ValidRequest, s: &mut Scorer) {
    match &r.regulatory {
        Regulatory::Unanswered => s.hint(
            "regulatory",
            "Tick the regulatory considerations that apply, or tick \u{201c}none apply\u{201d}: \
             leaving it blank is not an answer.",
        ),
        Regulatory::NoneApply => s.earn(10),
        Regulatory::Applies { areas, other } => {
            if areas.contains(&RegulatoryArea::Other) && other.trim().is_empty() {
                s.earn(6);
                s.hint("regulatory_other", "Say what the \u{201c}other\u{201d} regulatory consideration is.");
            } else {
                s.earn(10);
            }
        }
    }
}

/// Timing (5): a desired date 3; what happens if it is missed 2 (5+ words) or 1 (shorter).
fn score_timing(r: &ValidRequest, s: &mut Scorer) {
    if r.desired_date.is_some() {
        s.earn(3);
    } else {
        s.hint("desired_date", "Give a desired date, even a rough one, so IT can plan.");
    }
    match word_count(&r.if_missed) {
        0 => s.hint("if_missed", "Say what happens if the date is missed: a fine, lost sales, or nothing much."),
        1..=4 => {
            s.earn(1);
            s.hint("if_missed", "Say a little more about what happens if the date is missed.");
        }
        _ => s.earn(2),
    }
}

/// Trade-offs (5): a full ranking of scope, time and cost 5; only the first choice 2.
fn score_tradeoffs(r: &ValidRequest, s: &mut Scorer) {
    match r.tradeoffs.len() {
        0 => s.hint("tradeoffs", "Rank scope, time and cost: which may give way first if something has to?"),
        1 | 2 => {
            s.earn(2);
            s.hint("tradeoffs", "Rank all three of scope, time and cost.");
        }
        _ => s.earn(5),
    }
}

/// Scores a request against the rubric. Works on drafts at any stage of completion.
pub fn clarity(r: &ValidRequest) -> Clarity {
    let mut hints = Vec::new();
    let mut total: u32 = 0;
    let elements = Element::ALL.map(|element| {
        let mut s = Scorer { element, points: 0, hints: &mut hints };
        match element {
            Element::Title => score_title(r, &mut s),
            Element::Problem => score_problem(r, &mut s),
            Element::Goals => score_goals(r, &mut s),
            Element::Metrics => score_metrics(r, &mut s),
            Element::Budget => score_budget(r, &mut s),
            Element::People => score_people(r, &mut s),
            Element::Regulatory => score_regulatory(r, &mut s),
            Element::Timing => score_timing(r, &mut s),
            Element::Tradeoffs => score_tradeoffs(r, &mut s),
        }
        let max = element.weight();
        let points = s.points.min(u32::from(max)) as u8;
        total += u32::from(points);
        ElementScore { element, points, max }
    });
    Clarity { score: total.min(100) as u8, elements, hints }
}

/// Validates the submit threshold an admin sets: a whole number from 0 to 100.
pub fn validate_submit_threshold(value: i64) -> Result<u8, Error> {
    u8::try_from(value)
        .ok()
        .filter(|v| *v <= 100)
        .ok_or_else(|| Error::field("submit_threshold", "Choose a clarity threshold from 0 to 100."))
}

/// Checks a request may be submitted: it has a sponsor, answers the regulatory question, and
/// scores at least `threshold`. Returns the clarity when it may; otherwise a validation error
/// whose message lists what to do and whose fields carry each hint beside its field.
pub fn check_submit(r: &ValidRequest, threshold: u8) -> Result<Clarity, Error> {
    let c = clarity(r);
    let mut fields = FieldErrors::new();
    let mut musts: Vec<&str> = Vec::new();
    if r.sponsor_id.is_none() {
        let msg = "Name a sponsor before submitting: the business person who owns the outcome.";
        fields.insert("sponsor_id".into(), msg.into());
        musts.push(msg);
    }
    if !r.regulatory.is_answered() {
        let msg = "Answer the regulatory question before submitting: tick what applies, or \
                   \u{201c}none apply\u{201d}.";
        fields.insert("regulatory".into(), msg.into());
        musts.push(msg);
    }
    let below = c.score < threshold;
    if musts.is_empty() && !below {
        return Ok(c);
    }
    let mut message = String::new();
    if below {
        let _ =
            write!(message, "This request scores {} of 100 for clarity; {threshold} is needed to submit it.", c.score);
    } else {
        message.push_str("This request is not ready to submit.");
    }
    for m in &musts {
        message.push(' ');
        message.push_str(m);
    }
    if below {
        let must_fields = fields.len();
        let mut first = true;
        for h in &c.hints {
            // The sponsor and regulatory hints repeat a requirement already stated.
            if must_fields > 0 && (h.field == "sponsor_id" || h.field == "regulatory") {
                continue;
            }
            message.push_str(if first { " To make it clearer: " } else { " " });
            first = false;
            message.push_str(&h.text);
            fields
                .entry(h.field.clone())
                .and_modify(|t| {
                    if !t.contains(h.text.as_str()) {
                        t.push(' ');
                        t.push_str(&h.text);
                    }
                })
                .or_insert_with(|| h.text.clone());
        }
    }
    Err(Error::Validation { message, fields })
}
