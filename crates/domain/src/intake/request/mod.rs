//! The request a business user writes: the form input (all text, as forms send it), the
//! validated request that gets stored, and the validation between them.
//!
//! Validation is lenient about what is *missing* (a draft may be saved half-written) and strict
//! about what is *malformed* (a number that is not a number, a date that has passed, a negative
//! budget). Whether a request is complete enough to submit is the clarity rubric's job
//! ([`mod@super::clarity`]).

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

/// Longest title accepted, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest free text accepted (problem, goals, reasons…), in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;
/// Longest short text accepted (metric names and units), in characters.
pub const MAX_SHORT_CHARS: usize = 200;
/// Most success metrics on one request.
pub const MAX_METRICS: usize = 20;
/// Most stakeholders (besides the sponsor) on one request.
pub const MAX_STAKEHOLDERS: usize = 50;

/// A request as typed into the form (or sent as JSON). Every field may be absent.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RequestInput {
    pub title: String,
    /// The problem or opportunity: what hurts, for whom, and how much.
    pub problem: String,
    /// The business goals, free text (one per line is fine).
    pub goals: String,
    pub metrics: Vec<MetricInput>,
    /// `amount`, `range` or `unknown`; empty means "infer from what is filled in".
    pub budget_kind: String,
    #[serde(deserialize_with = "crate::intake::parse::text_or_number")]
    pub budget_amount: String,
    #[serde(deserialize_with = "crate::intake::parse::text_or_number")]
    pub budget_min: String,
    #[serde(deserialize_with = "crate::intake::parse::text_or_number")]
    pub budget_max: String,
    /// Three-letter code such as `EUR`.
    pub budget_currency: String,
    /// Why the budget is not yet known (with `budget_kind = "unknown"`).
    pub budget_unknown_reason: String,
    /// The business sponsor (a person id). Required to submit.
    pub sponsor_id: Option<i64>,
    pub stakeholders: Vec<StakeholderInput>,
    /// Ticked regulatory considerations by code (see [`RegulatoryArea::as_str`]), or `none`
    /// for an explicit "none apply".
    pub regulatory: Vec<String>,
    /// What the "other" regulatory consideration is.
    pub regulatory_other: String,
    /// `YYYY-MM-DD`.
    pub desired_date: String,
    /// What happens if the desired date is missed.
    pub if_missed: String,
    /// `scope`, `time`, `cost` ranked from "may give way first" to "hold firmest".
    pub tradeoffs: Vec<String>,
    pub business_unit_id: Option<i64>,
}

impl RequestInput {
    /// An amount or range typed without a currency is in the organisation's default currency.
    pub fn with_default_currency(mut self, currency: &str) -> Self {
        let typed = |s: &str| !s.trim().is_empty();
        let has_money = typed(&self.budget_amount) || typed(&self.budget_min) || typed(&self.budget_max);
        if has_money && !typed(&self.budget_currency) {
            self.budget_currency = currency.to_string();
        }
        self
    }
}

/// One success metric as typed. Numbers are text; they are parsed by validation.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct MetricInput {
    pub name: String,
    pub unit: String,
    #[serde(deserialize_with = "crate::intake::parse::text_or_number")]
    pub baseline: String,
    #[serde(deserialize_with = "crate::intake::parse::text_or_number")]
    pub target: String,
    /// `YYYY-MM-DD`.
    pub target_date: String,
}

/// One stakeholder row as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct StakeholderInput {
    pub person_id: Option<i64>,
    /// See [`StakeholderRole::as_str`].
    pub role: String,
}

/// A request after validation: trimmed, numbers parsed, codes resolved. This is what is stored;
/// metrics, stakeholders, budget and regulatory answer serialize to JSON on their own.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ValidRequest {
    pub title: String,
    pub problem: String,
    pub goals: String,
    pub metrics: Vec<Metric>,
    pub budget: Option<Budget>,
    pub sponsor_id: Option<i64>,
    pub stakeholders: Vec<Stakeholder>,
    pub regulatory: Regulatory,
    /// `YYYY-MM-DD`.
    pub desired_date: Option<String>,
    pub if_missed: String,
    /// Ranked from "may give way first" to "hold firmest"; empty, one, or all three.
    pub tradeoffs: Vec<Tradeoff>,
    pub business_unit_id: Option<i64>,
}

/// A success metric. A draft may leave any part empty; the clarity rubric notices.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    pub name: String,
    pub unit: String,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    /// `YYYY-MM-DD`, today or later when it was saved.
    pub target_date: Option<String>,
}

/// The budget: an amount, a range, or "not yet known" with a reason. Money is in hundredths
/// (cents) of the currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Budget {
    Amount { amount_cents: i64, currency: String },
    Range { min_cents: i64, max_cents: i64, currency: String },
    Unknown { reason: String },
}

impl Budget {
    /// The budget in plain words: "EUR 50,000", "EUR 20,000 to EUR 50,000", "Not yet known".
    pub fn describe(&self) -> String {
        use super::parse::format_money;
        match self {
            Budget::Amount { amount_cents, currency } => format_money(*amount_cents, currency),
            Budget::Range { min_cents, max_cents, currency } => {
                format!("{} to {}", format_money(*min_cents, currency), format_money(*max_cents, currency))
            }
            Budget::Unknown { reason } if reason.is_empty() => "Not yet known".to_string(),
            Budget::Unknown { reason } => format!("Not yet known: {reason}"),
        }
    }
}

/// The part a stakeholder (other than the sponsor) plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StakeholderRole {
    DecisionMaker,
    UserRepresentative,
    SubjectExpert,
    ComplianceContact,
}

impl StakeholderRole {
    pub const ALL: [StakeholderRole; 4] = [
        StakeholderRole::DecisionMaker,
        StakeholderRole::UserRepresentative,
        StakeholderRole::SubjectExpert,
        StakeholderRole::ComplianceContact,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            StakeholderRole::DecisionMaker => "decision_maker",
            StakeholderRole::UserRepresentative => "user_representative",
            StakeholderRole::SubjectExpert => "subject_expert",
            StakeholderRole::ComplianceContact => "compliance_contact",
        }
    }
    pub fn parse(s: &str) -> Option<StakeholderRole> {
        let s = s.trim();
        StakeholderRole::ALL.into_iter().find(|r| r.as_str().eq_ignore_ascii_case(s))
    }
    pub fn label(self) -> &'static str {
        match self {
            StakeholderRole::DecisionMaker => "Decision maker",
            StakeholderRole::UserRepresentative => "User representative",
            StakeholderRole::SubjectExpert => "Subject expert",
            StakeholderRole::ComplianceContact => "Compliance contact",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Stakeholder {
    pub person_id: i64,
    pub role: StakeholderRole,
}

/// One box of the regulatory checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegulatoryArea {
    PersonalData,
    FinancialReporting,
    PaymentCards,
    HealthData,
    SectorRules,
    Other,
}

impl RegulatoryArea {
    pub const ALL: [RegulatoryArea; 6] = [
        RegulatoryArea::PersonalData,
        RegulatoryArea::FinancialReporting,
        RegulatoryArea::PaymentCards,
        RegulatoryArea::HealthData,
        RegulatoryArea::SectorRules,
        RegulatoryArea::Other,
    ];
    /// The checklist code. The explicit "none apply" box uses [`REGULATORY_NONE`].
    pub fn as_str(self) -> &'static str {
        match self {
            RegulatoryArea::PersonalData => "personal_data",
            RegulatoryArea::FinancialReporting => "financial_reporting",
            RegulatoryArea::PaymentCards => "payment_cards",
            RegulatoryArea::HealthData => "health_data",
            RegulatoryArea::SectorRules => "sector_rules",
            RegulatoryArea::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<RegulatoryArea> {
        let s = s.trim();
        RegulatoryArea::ALL.into_iter().find(|r| r.as_str().eq_ignore_ascii_case(s))
    }
    pub fn label(self) -> &'static str {
        match self {
            RegulatoryArea::PersonalData => "Personal data and privacy",
            RegulatoryArea::FinancialReporting => "Financial reporting",
            RegulatoryArea::PaymentCards => "Payment cards",
            RegulatoryArea::HealthData => "Health data",
            RegulatoryArea::SectorRules => "Sector rules",
            RegulatoryArea::Other => "Other",
        }
    }
}

/// The checklist code for "none of these apply".
pub const REGULATORY_NONE: &str = "none";

/// The answer to "which regulatory considerations apply?". Silence is not an answer: a draft may
/// stay [`Regulatory::Unanswered`], but it cannot be submitted that way.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum Regulatory {
    #[default]
    Unanswered,
    NoneApply,
    /// The ticked areas in checklist order; `other` describes [`RegulatoryArea::Other`].
    Applies {
        areas: Vec<RegulatoryArea>,
        other: String,
    },
}

impl Regulatory {
    pub fn is_answered(&self) -> bool {
        !matches!(self, Regulatory::Unanswered)
    }
    /// The answer in plain words: "None apply", "Personal data and privacy; Other: PSD2".
    pub fn describe(&self) -> String {
        match self {
            Regulatory::Unanswered => "Not answered yet".to_string(),
            Regulatory::NoneApply => "None apply".to_string(),
            Regulatory::Applies { areas, other } => {
                let mut out = String::new();
                for (i, a) in areas.iter().enumerate() {
                    if i > 0 {
                        out.push_str("; ");
                    }
                    out.push_str(a.label());
                    if *a == RegulatoryArea::Other && !other.is_empty() {
                        let _ = write!(out, ": {other}");
                    }
                }
                out
            }
        }
    }
}

/// What may give way if something has to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tradeoff {
    Scope,
    Time,
    Cost,
}

impl Tradeoff {
    pub const ALL: [Tradeoff; 3] = [Tradeoff::Scope, Tradeoff::Time, Tradeoff::Cost];
    pub fn as_str(self) -> &'static str {
        match self {
            Tradeoff::Scope => "scope",
            Tradeoff::Time => "time",
            Tradeoff::Cost => "cost",
        }
    }
    pub fn parse(s: &str) -> Option<Tradeoff> {
        let s = s.trim();
        Tradeoff::ALL.into_iter().find(|t| t.as_str().eq_ignore_ascii_case(s))
    }
    pub fn label(self) -> &'static str {
        match self {
            Tradeoff::Scope => "Scope",
            Tradeoff::Time => "Time",
            Tradeoff::Cost => "Cost",
        }
    }
}

mod validate;

pub use validate::validate_request;
