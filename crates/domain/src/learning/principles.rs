//! IT's principles explained: governance, security, compliance, standards and architecture
//! principles, each with why it matters to the business in plain words and an example. An IT
//! assessment cites those behind its ratings; business readers mark one understood or ask.

use serde::{Deserialize, Serialize};

use super::text;
use crate::{Error, FieldErrors};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrincipleKind {
    Governance,
    Security,
    Compliance,
    Standards,
    Architecture,
}

impl PrincipleKind {
    pub const ALL: [PrincipleKind; 5] = [
        PrincipleKind::Governance,
        PrincipleKind::Security,
        PrincipleKind::Compliance,
        PrincipleKind::Standards,
        PrincipleKind::Architecture,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PrincipleKind::Governance => "governance",
            PrincipleKind::Security => "security",
            PrincipleKind::Compliance => "compliance",
            PrincipleKind::Standards => "standards",
            PrincipleKind::Architecture => "architecture",
        }
    }

    pub fn parse(s: &str) -> Option<PrincipleKind> {
        PrincipleKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            PrincipleKind::Governance => "Governance",
            PrincipleKind::Security => "Security",
            PrincipleKind::Compliance => "Compliance",
            PrincipleKind::Standards => "Standards",
            PrincipleKind::Architecture => "Architecture",
        }
    }

    /// The assessment rating a principle of this kind stands behind (security, compliance,
    /// operations or architecture), if one.
    pub fn rating(self) -> Option<&'static str> {
        match self {
            PrincipleKind::Security => Some("security"),
            PrincipleKind::Compliance => Some("compliance"),
            PrincipleKind::Architecture | PrincipleKind::Standards => Some("architecture"),
            PrincipleKind::Governance => None,
        }
    }
}

/// A principle as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PrincipleInput {
    pub title: String,
    /// governance, security, compliance, standards or architecture
    pub kind: String,
    /// The principle itself, as IT states it.
    pub statement: String,
    /// Why it matters to the business, in plain words.
    pub why_it_matters: String,
    /// An example the business will recognise.
    pub example: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidPrinciple {
    pub title: String,
    pub kind: PrincipleKind,
    pub statement: String,
    pub why_it_matters: String,
    pub example: String,
}

pub fn validate_principle(input: &PrincipleInput) -> Result<ValidPrinciple, Error> {
    let mut fields = FieldErrors::new();
    let title = text(&mut fields, "title", &input.title, 120, true);
    let kind = PrincipleKind::parse(&input.kind);
    if kind.is_none() {
        fields.insert(
            "kind".into(),
            "Please choose: governance, security, compliance, standards or architecture.".into(),
        );
    }
    let statement = text(&mut fields, "statement", &input.statement, 1_000, true);
    let why_it_matters = text(&mut fields, "why_it_matters", &input.why_it_matters, 2_000, true);
    let example = text(&mut fields, "example", &input.example, 2_000, true);
    Error::check(fields)?;
    let kind = kind.ok_or_else(|| Error::internal("a principle passed its checks without a kind"))?;
    Ok(ValidPrinciple { title, kind, statement, why_it_matters, example })
}

/// A question or its answer: 1 to 2,000 characters.
pub fn validate_question(text_in: &str, field: &str) -> Result<String, Error> {
    let mut fields = FieldErrors::new();
    let t = text(&mut fields, field, text_in, 2_000, true);
    Error::check(fields)?;
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_principle_needs_its_why_and_an_example() {
        let ok = PrincipleInput {
            title: "Buy before we build".into(),
            kind: "architecture".into(),
            statement: "We use a product that exists before we write our own.".into(),
            why_it_matters: "You get it sooner and someone else keeps it working.".into(),
            example: "The new payroll came in three months instead of a year.".into(),
        };
        let p = validate_principle(&ok).unwrap();
        assert_eq!((p.kind, p.kind.rating()), (PrincipleKind::Architecture, Some("architecture")));
        let mut bad = ok.clone();
        bad.why_it_matters.clear();
        bad.kind = "vibes".into();
        match validate_principle(&bad).unwrap_err() {
            Error::Validation { fields, .. } => {
                assert!(fields.contains_key("why_it_matters") && fields.contains_key("kind"))
            }
            other => panic!("{other:?}"),
        }
        assert!(validate_question("  ", "question").is_err());
        assert_eq!(PrincipleKind::Governance.rating(), None);
    }
}
