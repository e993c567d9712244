//! IT's assessment of a request: effort, cost, how it rates against IT's own priorities, the
//! options considered and the recommendation — and the same in plain sentences for business
//! readers.

use serde::{Deserialize, Serialize};

use super::parse::{format_money, format_number, parse_currency, parse_money, parse_number};
use super::request::MAX_TEXT_CHARS;
use crate::{Error, FieldErrors};

/// Most options one assessment may compare.
pub const MAX_OPTIONS: usize = 10;

/// How much an IT priority worries IT about this request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Concern {
    Low,
    Medium,
    High,
}

impl Concern {
    pub const ALL: [Concern; 3] = [Concern::Low, Concern::Medium, Concern::High];
    pub fn as_str(self) -> &'static str {
        match self {
            Concern::Low => "low",
            Concern::Medium => "medium",
            Concern::High => "high",
        }
    }
    pub fn parse(s: &str) -> Option<Concern> {
        let s = s.trim();
        Concern::ALL.into_iter().find(|c| c.as_str().eq_ignore_ascii_case(s))
    }
    pub fn label(self) -> &'static str {
        match self {
            Concern::Low => "Low concern",
            Concern::Medium => "Medium concern",
            Concern::High => "High concern",
        }
    }
    /// As it reads inside a sentence: "a high concern".
    pub fn phrase(self) -> &'static str {
        match self {
            Concern::Low => "a low concern",
            Concern::Medium => "a medium concern",
            Concern::High => "a high concern",
        }
    }
}

/// IT's standing priorities, each rated on every assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItPriority {
    Security,
    Compliance,
    Operations,
    Architecture,
}

impl ItPriority {
    pub const ALL: [ItPriority; 4] =
        [ItPriority::Security, ItPriority::Compliance, ItPriority::Operations, ItPriority::Architecture];
    /// The form field prefix: `security.level`, `security.note`, …
    pub fn as_str(self) -> &'static str {
        match self {
            ItPriority::Security => "security",
            ItPriority::Compliance => "compliance",
            ItPriority::Operations => "operations",
            ItPriority::Architecture => "architecture",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ItPriority::Security => "Security",
            ItPriority::Compliance => "Compliance",
            ItPriority::Operations => "Availability and operations",
            ItPriority::Architecture => "Architecture fit",
        }
    }
}

/// A rating as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RatingInput {
    /// `low`, `medium` or `high`.
    pub level: String,
    pub note: String,
}

/// One option as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct OptionInput {
    pub name: String,
    /// Money in the assessment's currency.
    #[serde(deserialize_with = "crate::intake::parse::text_or_number")]
    pub cost: String,
    /// Calendar weeks to deliver.
    #[serde(deserialize_with = "crate::intake::parse::text_or_number")]
    pub weeks: String,
    pub tradeoffs: String,
}

/// The assessment form. Money fields share one currency.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct AssessmentInput {
    #[serde(deserialize_with = "crate::intake::parse::text_or_number")]
    pub effort_min_days: String,
    #[serde(deserialize_with = "crate::intake::parse::text_or_number")]
    pub effort_max_days: String,
    #[serde(deserialize_with = "crate::intake::parse::text_or_number")]
    pub one_off_cost: String,
    #[serde(deserialize_with = "crate::intake::parse::text_or_number")]
    pub running_cost_per_year: String,
    pub currency: String,
    pub security: RatingInput,
    pub compliance: RatingInput,
    pub operations: RatingInput,
    pub architecture: RatingInput,
    pub dependencies: String,
    pub options: Vec<OptionInput>,
    /// The recommended option's name.
    pub recommended_option: String,
    pub recommendation: String,
    /// The ids of IT's principles behind the ratings (see learning's principles).
    pub principles: Vec<i64>,
}

impl AssessmentInput {
    /// Costs typed without a currency are in the organisation's default currency.
    pub fn with_default_currency(mut self, currency: &str) -> Self {
        if self.currency.trim().is_empty() {
            self.currency = currency.to_string();
        }
        self
    }

    pub fn rating(&self, p: ItPriority) -> &RatingInput {
        match p {
            ItPriority::Security => &self.security,
            ItPriority::Compliance => &self.compliance,
            ItPriority::Operations => &self.operations,
            ItPriority::Architecture => &self.architecture,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub level: Concern,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SolutionOption {
    pub name: String,
    pub cost_cents: i64,
    pub weeks: f64,
    pub tradeoffs: String,
}

/// A validated assessment, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub effort_min_days: f64,
    pub effort_max_days: f64,
    pub one_off_cost_cents: i64,
    pub running_cost_per_year_cents: i64,
    /// Three capital letters.
    pub currency: String,
    pub security: Rating,
    pub compliance: Rating,
    pub operations: Rating,
    pub architecture: Rating,
    pub dependencies: String,
    pub options: Vec<SolutionOption>,
    /// Index into `options`.
    pub recommended: usize,
    pub recommendation: String,
    /// IT's principles behind the ratings, by id (none in assessments from before them).
    #[serde(default)]
    pub principles: Vec<i64>,
}

impl Assessment {
    pub fn rating(&self, p: ItPriority) -> &Rating {
        match p {
            ItPriority::Security => &self.security,
            ItPriority::Compliance => &self.compliance,
            ItPriority::Operations => &self.operations,
            ItPriority::Architecture => &self.architecture,
        }
    }
    pub fn recommended_option(&self) -> Option<&SolutionOption> {
        self.options.get(self.recommended)
    }
}

fn non_negative_number(f: &mut FieldErrors, name: &str, v: &str, missing: &str) -> Option<f64> {
    if v.trim().is_empty() {
        f.insert(name.into(), missing.into());
        return None;
    }
    match parse_number(v) {
        Ok(n) if n < 0.0 => {
            f.insert(name.into(), "This cannot be negative.".into());
            None
        }
        Ok(n) => Some(n),
        Err(e) => {
            f.insert(name.into(), e.message().into());
            None
        }
    }
}

fn non_negative_money(f: &mut FieldErrors, name: &str, v: &str, missing: &str) -> Option<i64> {
    if v.trim().is_empty() {
        f.insert(name.into(), missing.into());
        return None;
    }
    match parse_money(v) {
        Ok(c) if c < 0 => {
            f.insert(name.into(), "A cost cannot be negative.".into());
            None
        }
        Ok(c) => Some(c),
        Err(e) => {
            f.insert(name.into(), e.message().into());
            None
        }
    }
}

fn bounded_text(f: &mut FieldErrors, name: &str, v: &str) -> String {
    let v = v.trim();
    if v.chars().count() > MAX_TEXT_CHARS {
        f.insert(name.into(), "Keep this under 10,000 characters.".into());
    }
    v.to_string()
}

/// Validates an assessment. Unlike a request there is no draft mode: everything below is
/// required, except notes on low concerns, the dependencies and each option's trade-offs.
pub fn validate_assessment(input: &AssessmentInput) -> Result<Assessment, Error> {
    let mut f = FieldErrors::new();
    let min = non_negative_number(
        &mut f,
        "effort_min_days",
        &input.effort_min_days,
        "Enter the least effort you expect, in person-days.",
    );
    let max = non_negative_number(
        &mut f,
        "effort_max_days",
        &input.effort_max_days,
        "Enter the most effort you expect, in person-days.",
    );
    if let (Some(lo), Some(hi)) = (min, max) {
        if lo > hi {
            f.insert("effort_min_days".into(), "The lower estimate is above the upper estimate.".into());
        }
    }
    let one_off =
        non_negative_money(&mut f, "one_off_cost", &input.one_off_cost, "Enter the one-off cost (0 if there is none).");
    let running = non_negative_money(
        &mut f,
        "running_cost_per_year",
        &input.running_cost_per_year,
        "Enter the running cost per year (0 if there is none).",
    );
    let currency = parse_currency(&input.currency);
    if currency.is_none() {
        f.insert("currency".into(), "Use a three-letter currency code such as EUR, USD or GBP.".into());
    }

    let mut ratings = Vec::with_capacity(4);
    for p in ItPriority::ALL {
        let r = input.rating(p);
        let level = Concern::parse(&r.level);
        let note = bounded_text(&mut f, &format!("{}.note", p.as_str()), &r.note);
        match level {
            None => {
                f.insert(
                    format!("{}.level", p.as_str()),
                    format!("Rate {}: low, medium or high concern.", p.label().to_lowercase()),
                );
            }
            Some(Concern::Medium | Concern::High) if note.is_empty() => {
                f.insert(
                    format!("{}.note", p.as_str()),
                    "Explain the concern in a sentence the business can follow.".into(),
                );
            }
            Some(_) => {}
        }
        ratings.push(level.map(|level| Rating { level, note }));
    }

    let dependencies = bounded_text(&mut f, "dependencies", &input.dependencies);

    let mut options = Vec::new();
    let mut recommended = None;
    let wanted = input.recommended_option.trim();
    for (i, o) in input.options.iter().enumerate() {
        let blank = [&o.name, &o.cost, &o.weeks, &o.tradeoffs].iter().all(|s| s.trim().is_empty());
        if blank {
            continue;
        }
        let name = o.name.trim().to_string();
        if name.is_empty() {
            f.insert(format!("options[{i}].name"), "Name this option.".into());
        } else if name.chars().count() > 200 {
            f.insert(format!("options[{i}].name"), "Keep the name under 200 characters.".into());
        } else if options.iter().any(|x: &SolutionOption| x.name.eq_ignore_ascii_case(&name)) {
            f.insert(format!("options[{i}].name"), "Two options have this name.".into());
        }
        let cost =
            non_negative_money(&mut f, &format!("options[{i}].cost"), &o.cost, "Enter what this option would cost.");
        let weeks = non_negative_number(
            &mut f,
            &format!("options[{i}].weeks"),
            &o.weeks,
            "Enter how many weeks this option would take.",
        );
        let tradeoffs = bounded_text(&mut f, &format!("options[{i}].tradeoffs"), &o.tradeoffs);
        if !wanted.is_empty() && name.eq_ignore_ascii_case(wanted) && recommended.is_none() {
            recommended = Some(options.len());
        }
        options.push(SolutionOption { name, cost_cents: cost.unwrap_or(0), weeks: weeks.unwrap_or(0.0), tradeoffs });
    }
    if options.is_empty() {
        f.insert("options".into(), "Describe at least one option.".into());
    } else if options.len() > MAX_OPTIONS {
        f.insert("options".into(), format!("Compare at most {MAX_OPTIONS} options."));
    }
    if recommended.is_none() && !options.is_empty() {
        let msg = if wanted.is_empty() {
            "Choose the option IT recommends."
        } else {
            "Choose one of the options listed above."
        };
        f.insert("recommended_option".into(), msg.into());
    }
    let recommendation = bounded_text(&mut f, "recommendation", &input.recommendation);
    if recommendation.is_empty() {
        f.insert(
            "recommendation".into(),
            "Explain the recommendation in a few sentences the business can follow.".into(),
        );
    }

    Error::check(f)?;
    let mut ratings = ratings.into_iter().map(|r| r.expect("checked above"));
    let mut next = || ratings.next().expect("four ratings");
    Ok(Assessment {
        effort_min_days: min.expect("checked above"),
        effort_max_days: max.expect("checked above"),
        one_off_cost_cents: one_off.expect("checked above"),
        running_cost_per_year_cents: running.expect("checked above"),
        currency: currency.expect("checked above"),
        security: next(),
        compliance: next(),
        operations: next(),
        architecture: next(),
        dependencies,
        options,
        recommended: recommended.expect("checked above"),
        recommendation,
        principles: {
            let mut p = input.principles.clone();
            p.sort_unstable();
            p.dedup();
            p
        },
    })
}

fn plural(n: f64, one: &str, many: &str) -> String {
    let s = format_number(n);
    if s == "1" {
        format!("1 {one}")
    } else {
        format!("{s} {many}")
    }
}

/// Ends a sentence with a full stop unless it already ends with punctuation.
fn sentence(mut s: String) -> String {
    if !s.ends_with(['.', '!', '?']) {
        s.push('.');
    }
    s
}

/// The assessment in plain sentences for business readers, one sentence per line.
pub fn plain_summary(a: &Assessment) -> Vec<String> {
    let mut out = Vec::with_capacity(10 + a.options.len());
    let (lo, hi) = (format_number(a.effort_min_days), format_number(a.effort_max_days));
    out.push(if lo == hi {
        format!("IT estimates {} of work.", plural(a.effort_max_days, "person-day", "person-days"))
    } else {
        format!("IT estimates {lo} to {hi} person-days of work.")
    });
    let cur = a.currency.as_str();
    out.push(match (a.one_off_cost_cents, a.running_cost_per_year_cents) {
        (0, 0) => "It would cost nothing extra to build or to run.".to_string(),
        (once, 0) => format!("It would cost {} once, with no running cost afterwards.", format_money(once, cur)),
        (0, yearly) => format!("There is no one-off cost; running it would cost {} a year.", format_money(yearly, cur)),
        (once, yearly) => {
            format!("It would cost {} once, then {} a year to run.", format_money(once, cur), format_money(yearly, cur))
        }
    });
    for p in ItPriority::ALL {
        let r = a.rating(p);
        out.push(if r.note.is_empty() {
            format!("{}: {}.", p.label(), r.level.phrase())
        } else {
            sentence(format!("{}: {} \u{2014} {}", p.label(), r.level.phrase(), r.note))
        });
    }
    if !a.dependencies.is_empty() {
        out.push(sentence(format!("It depends on: {}", a.dependencies)));
    }
    out.push(if a.options.len() == 1 {
        "IT looked at one option.".to_string()
    } else {
        format!("IT compared {} options.", a.options.len())
    });
    for o in &a.options {
        let mut s = format!(
            "\u{2018}{}\u{2019} would cost about {} and take {}",
            o.name,
            format_money(o.cost_cents, cur),
            plural(o.weeks, "week", "weeks")
        );
        if o.tradeoffs.is_empty() {
            s.push('.');
        } else {
            s.push_str("; the trade-off: ");
            s.push_str(&o.tradeoffs);
            s = sentence(s);
        }
        out.push(s);
    }
    if let Some(o) = a.recommended_option() {
        out.push(sentence(format!("IT recommends \u{2018}{}\u{2019}: {}", o.name, a.recommendation)));
    }
    out
}
