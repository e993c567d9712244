//! Validating what a business user wrote: every field checked, every problem beside its field.

use super::super::parse::{money_to_input, parse_currency, parse_money, parse_number, Date};
use crate::{Error, FieldErrors};

use super::*;

/// Trims and checks the length of a free-text field.
fn text(fields: &mut FieldErrors, name: &str, value: &str, max: usize) -> String {
    let v = value.trim();
    if v.chars().count() > max {
        fields.insert(name.into(), format!("Keep this under {} characters.", thousands(max)));
    }
    v.to_string()
}

fn thousands(n: usize) -> String {
    super::super::parse::format_number(n as f64)
}

/// An optional number: empty → `None`; malformed → a field error.
fn opt_number(fields: &mut FieldErrors, name: impl FnOnce() -> String, v: &str) -> Option<f64> {
    if v.trim().is_empty() {
        return None;
    }
    match parse_number(v) {
        Ok(n) => Some(n),
        Err(e) => {
            fields.insert(name(), e.message().into());
            None
        }
    }
}

/// An optional, non-negative amount of money in cents: empty → `None`.
fn opt_money(fields: &mut FieldErrors, name: &str, v: &str) -> Option<i64> {
    if v.trim().is_empty() {
        return None;
    }
    match parse_money(v) {
        Ok(c) if c < 0 => {
            fields.insert(name.into(), "A budget cannot be negative.".into());
            None
        }
        Ok(c) => Some(c),
        Err(e) => {
            fields.insert(name.into(), e.message().into());
            None
        }
    }
}

/// An optional date that must be today or later.
fn opt_future_date(fields: &mut FieldErrors, name: impl FnOnce() -> String, v: &str, today: Date) -> Option<String> {
    if v.trim().is_empty() {
        return None;
    }
    match Date::parse(v) {
        None => {
            fields.insert(name(), "Enter the date as YYYY-MM-DD, for example 2030-06-30.".into());
            None
        }
        Some(d) if d < today => {
            fields.insert(name(), format!("This date has passed; choose today ({today}) or a later date."));
            None
        }
        Some(d) => Some(d.to_string()),
    }
}

fn valid_id(fields: &mut FieldErrors, name: impl FnOnce() -> String, id: Option<i64>) -> Option<i64> {
    match id {
        Some(i) if i <= 0 => {
            fields.insert(name(), "Choose an entry from the list.".into());
            None
        }
        other => other,
    }
}

fn currency(fields: &mut FieldErrors, v: &str) -> String {
    if v.trim().is_empty() {
        fields.insert("budget_currency".into(), "Choose the currency, for example EUR.".into());
        return String::new();
    }
    parse_currency(v).unwrap_or_else(|| {
        fields.insert("budget_currency".into(), "Use a three-letter currency code such as EUR, USD or GBP.".into());
        String::new()
    })
}

fn budget(fields: &mut FieldErrors, input: &RequestInput) -> Option<Budget> {
    let filled = |s: &str| !s.trim().is_empty();
    let kind = input.budget_kind.trim();
    let kind = if kind.is_empty() {
        if filled(&input.budget_amount) {
            "amount"
        } else if filled(&input.budget_min) || filled(&input.budget_max) {
            "range"
        } else if filled(&input.budget_unknown_reason) {
            "unknown"
        } else {
            return None;
        }
    } else {
        kind
    };
    if kind.eq_ignore_ascii_case("amount") {
        let amount = opt_money(fields, "budget_amount", &input.budget_amount);
        if !filled(&input.budget_amount) {
            return None;
        }
        let currency = currency(fields, &input.budget_currency);
        Some(Budget::Amount { amount_cents: amount?, currency })
    } else if kind.eq_ignore_ascii_case("range") {
        let (has_min, has_max) = (filled(&input.budget_min), filled(&input.budget_max));
        if !has_min && !has_max {
            return None;
        }
        let min = opt_money(fields, "budget_min", &input.budget_min);
        let max = opt_money(fields, "budget_max", &input.budget_max);
        if !has_min {
            fields.insert("budget_min".into(), "Enter the lower end of the range too.".into());
        }
        if !has_max {
            fields.insert("budget_max".into(), "Enter the upper end of the range too.".into());
        }
        let currency = currency(fields, &input.budget_currency);
        let (min, max) = (min?, max?);
        if min > max {
            fields.insert("budget_min".into(), "The lower end of the range is above the upper end.".into());
            return None;
        }
        Some(Budget::Range { min_cents: min, max_cents: max, currency })
    } else if kind.eq_ignore_ascii_case("unknown") {
        let reason = text(fields, "budget_unknown_reason", &input.budget_unknown_reason, MAX_TEXT_CHARS);
        Some(Budget::Unknown { reason })
    } else {
        fields.insert("budget_kind".into(), "Choose an amount, a range, or \u{201c}not yet known\u{201d}.".into());
        None
    }
}

fn regulatory(fields: &mut FieldErrors, input: &RequestInput) -> Regulatory {
    let mut none = false;
    let mut areas: Vec<RegulatoryArea> = Vec::new();
    for code in input.regulatory.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        if code.eq_ignore_ascii_case(REGULATORY_NONE) {
            none = true;
        } else if let Some(a) = RegulatoryArea::parse(code) {
            if !areas.contains(&a) {
                areas.push(a);
            }
        } else {
            fields.insert(
                "regulatory".into(),
                format!("\u{201c}{code}\u{201d} is not one of the regulatory considerations."),
            );
            return Regulatory::Unanswered;
        }
    }
    let other = text(fields, "regulatory_other", &input.regulatory_other, MAX_SHORT_CHARS);
    if !other.is_empty() && !areas.contains(&RegulatoryArea::Other) {
        areas.push(RegulatoryArea::Other);
    }
    if none && !areas.is_empty() {
        fields.insert(
            "regulatory".into(),
            "You ticked \u{201c}none apply\u{201d} and also named considerations: choose one or \
             the other."
                .into(),
        );
        return Regulatory::Unanswered;
    }
    if none {
        return Regulatory::NoneApply;
    }
    if areas.is_empty() {
        return Regulatory::Unanswered;
    }
    areas.sort();
    Regulatory::Applies { areas, other }
}

fn tradeoffs(fields: &mut FieldErrors, input: &RequestInput) -> Vec<Tradeoff> {
    let mut ranked = Vec::with_capacity(3);
    for code in input.tradeoffs.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        match Tradeoff::parse(code) {
            Some(t) if !ranked.contains(&t) => ranked.push(t),
            Some(_) => {
                fields.insert("tradeoffs".into(), "Rank each of scope, time and cost only once.".into());
                return Vec::new();
            }
            None => {
                fields.insert("tradeoffs".into(), format!("\u{201c}{code}\u{201d} is not scope, time or cost."));
                return Vec::new();
            }
        }
    }
    if ranked.len() == 2 {
        // Two ranked: the third can only be last.
        if let Some(last) = Tradeoff::ALL.into_iter().find(|t| !ranked.contains(t)) {
            ranked.push(last);
        }
    }
    ranked
}

/// Validates a request for saving. `today` is `YYYY-MM-DD` from the caller's clock.
///
/// Rejects only what is malformed: an empty title, over-long text, numbers that are not
/// numbers, dates that are not dates or have passed, negative budgets, a range with its ends
/// reversed, unknown codes, contradictory answers. Missing parts are allowed (drafts); the
/// clarity rubric and [`super::clarity::check_submit`] deal with those.
pub fn validate_request(input: &RequestInput, today: &str) -> Result<ValidRequest, Error> {
    let today =
        Date::parse(today).ok_or_else(|| Error::internal(format!("today is not a YYYY-MM-DD date: {today:?}")))?;
    let mut f = FieldErrors::new();

    let title = input.title.trim().to_string();
    if title.is_empty() {
        f.insert("title".into(), "Give the request a title.".into());
    } else if title.chars().count() > MAX_TITLE_CHARS {
        f.insert("title".into(), format!("Keep the title under {MAX_TITLE_CHARS} characters."));
    }
    let problem = text(&mut f, "problem", &input.problem, MAX_TEXT_CHARS);
    let goals = text(&mut f, "goals", &input.goals, MAX_TEXT_CHARS);

    let mut metrics = Vec::new();
    for (i, m) in input.metrics.iter().enumerate() {
        let blank = [&m.name, &m.unit, &m.baseline, &m.target, &m.target_date].iter().all(|s| s.trim().is_empty());
        if blank {
            continue; // forms send empty rows
        }
        let name = text(&mut f, &format!("metrics[{i}].name"), &m.name, MAX_SHORT_CHARS);
        let unit = text(&mut f, &format!("metrics[{i}].unit"), &m.unit, MAX_SHORT_CHARS);
        let baseline = opt_number(&mut f, || format!("metrics[{i}].baseline"), &m.baseline);
        let target = opt_number(&mut f, || format!("metrics[{i}].target"), &m.target);
        let target_date = opt_future_date(&mut f, || format!("metrics[{i}].target_date"), &m.target_date, today);
        metrics.push(Metric { name, unit, baseline, target, target_date });
    }
    if metrics.len() > MAX_METRICS {
        f.insert("metrics".into(), format!("List at most {MAX_METRICS} success metrics."));
    }

    let budget = budget(&mut f, input);

    let sponsor_id = valid_id(&mut f, || "sponsor_id".into(), input.sponsor_id);
    let mut stakeholders: Vec<Stakeholder> = Vec::new();
    for (i, s) in input.stakeholders.iter().enumerate() {
        let role_text = s.role.trim();
        if s.person_id.is_none() && role_text.is_empty() {
            continue; // an empty row
        }
        let person = valid_id(&mut f, || format!("stakeholders[{i}].person_id"), s.person_id);
        if s.person_id.is_none() {
            f.insert(format!("stakeholders[{i}].person_id"), "Choose the person.".into());
        }
        let role = StakeholderRole::parse(role_text);
        if role.is_none() {
            f.insert(
                format!("stakeholders[{i}].role"),
                "Choose a role: decision maker, user representative, subject expert or \
                 compliance contact."
                    .into(),
            );
        }
        if let (Some(person_id), Some(role)) = (person, role) {
            let st = Stakeholder { person_id, role };
            if !stakeholders.contains(&st) {
                stakeholders.push(st);
            }
        }
    }
    if stakeholders.len() > MAX_STAKEHOLDERS {
        f.insert("stakeholders".into(), format!("List at most {MAX_STAKEHOLDERS} people."));
    }

    let regulatory = regulatory(&mut f, input);
    let desired_date = opt_future_date(&mut f, || "desired_date".into(), &input.desired_date, today);
    let if_missed = text(&mut f, "if_missed", &input.if_missed, MAX_TEXT_CHARS);
    let tradeoffs = tradeoffs(&mut f, input);
    let business_unit_id = valid_id(&mut f, || "business_unit_id".into(), input.business_unit_id);

    Error::check(f)?;
    Ok(ValidRequest {
        title,
        problem,
        goals,
        metrics,
        budget,
        sponsor_id,
        stakeholders,
        regulatory,
        desired_date,
        if_missed,
        tradeoffs,
        business_unit_id,
    })
}

impl From<&ValidRequest> for RequestInput {
    /// The form, filled in again from a stored request (for editing a draft).
    fn from(r: &ValidRequest) -> Self {
        let num = |v: Option<f64>| v.map(|n| n.to_string()).unwrap_or_default();
        let mut input = RequestInput {
            title: r.title.clone(),
            problem: r.problem.clone(),
            goals: r.goals.clone(),
            metrics: r
                .metrics
                .iter()
                .map(|m| MetricInput {
                    name: m.name.clone(),
                    unit: m.unit.clone(),
                    baseline: num(m.baseline),
                    target: num(m.target),
                    target_date: m.target_date.clone().unwrap_or_default(),
                })
                .collect(),
            sponsor_id: r.sponsor_id,
            stakeholders: r
                .stakeholders
                .iter()
                .map(|s| StakeholderInput { person_id: Some(s.person_id), role: s.role.as_str().into() })
                .collect(),
            desired_date: r.desired_date.clone().unwrap_or_default(),
            if_missed: r.if_missed.clone(),
            tradeoffs: r.tradeoffs.iter().map(|t| t.as_str().to_string()).collect(),
            business_unit_id: r.business_unit_id,
            ..Default::default()
        };
        match &r.budget {
            None => {}
            Some(Budget::Amount { amount_cents, currency }) => {
                input.budget_kind = "amount".into();
                input.budget_amount = money_to_input(*amount_cents);
                input.budget_currency = currency.clone();
            }
            Some(Budget::Range { min_cents, max_cents, currency }) => {
                input.budget_kind = "range".into();
                input.budget_min = money_to_input(*min_cents);
                input.budget_max = money_to_input(*max_cents);
                input.budget_currency = currency.clone();
            }
            Some(Budget::Unknown { reason }) => {
                input.budget_kind = "unknown".into();
                input.budget_unknown_reason = reason.clone();
            }
        }
        match &r.regulatory {
            Regulatory::Unanswered => {}
            Regulatory::NoneApply => input.regulatory = vec![REGULATORY_NONE.to_string()],
            Regulatory::Applies { areas, other } => {
                input.regulatory = areas.iter().map(|a| a.as_str().to_string()).collect();
                input.regulatory_other = other.clone();
            }
        }
        input
    }
}
