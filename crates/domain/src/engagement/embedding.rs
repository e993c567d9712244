//! Embedded technologists: someone from IT sitting with a business unit for a while — an
//! embedding (they work there) or a rotation (a few weeks to learn the business).

use serde::{Deserialize, Serialize};

use crate::intake::parse::Date;
use crate::org::Side;
use crate::{Error, FieldErrors};

pub const MAX_PURPOSE_CHARS: usize = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmbeddingKind {
    Embedded,
    Rotation,
}

impl EmbeddingKind {
    pub const ALL: [EmbeddingKind; 2] = [EmbeddingKind::Embedded, EmbeddingKind::Rotation];

    pub fn as_str(self) -> &'static str {
        match self {
            EmbeddingKind::Embedded => "embedded",
            EmbeddingKind::Rotation => "rotation",
        }
    }

    pub fn parse(s: &str) -> Option<EmbeddingKind> {
        EmbeddingKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            EmbeddingKind::Embedded => "Embedded",
            EmbeddingKind::Rotation => "On rotation",
        }
    }
}

/// An embedding as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmbeddingInput {
    /// Someone from IT.
    pub person_id: Option<i64>,
    pub unit_id: Option<i64>,
    /// embedded or rotation
    pub kind: String,
    /// `YYYY-MM-DD`
    pub from: String,
    /// `YYYY-MM-DD`; empty: no end set yet.
    pub until: String,
    /// What they are there for, in a line.
    pub purpose: String,
}

/// A checked embedding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidEmbedding {
    pub person_id: i64,
    pub unit_id: i64,
    pub kind: EmbeddingKind,
    pub from: Date,
    pub until: Option<Date>,
    pub purpose: String,
}

/// Checks an embedding: a person from IT (`side_of` says each person's side, `None` when the
/// directory has no such person), a unit the directory knows, its kind, dates with the end not
/// before the start, and a purpose.
pub fn validate_embedding(
    input: &EmbeddingInput,
    side_of: impl Fn(i64) -> Option<Side>,
    unit_known: impl Fn(i64) -> bool,
) -> Result<ValidEmbedding, Error> {
    let mut f = FieldErrors::new();
    match input.person_id.map(|p| (p, side_of(p))) {
        None => _ = f.insert("person_id".into(), "Choose who from IT sits with the unit.".into()),
        Some((_, None)) => _ = f.insert("person_id".into(), "There is no such person in the directory.".into()),
        Some((_, Some(Side::Business))) => {
            _ = f.insert("person_id".into(), "Choose someone from IT: they are the ones embedded.".into())
        }
        Some((_, Some(Side::It))) => {}
    }
    match input.unit_id {
        Some(u) if unit_known(u) => {}
        Some(_) => _ = f.insert("unit_id".into(), "There is no such business unit.".into()),
        None => _ = f.insert("unit_id".into(), "Choose the business unit.".into()),
    }
    let kind = EmbeddingKind::parse(input.kind.trim());
    if kind.is_none() {
        f.insert("kind".into(), "Choose embedded or on rotation.".into());
    }
    let from = Date::parse(input.from.trim());
    if from.is_none() {
        f.insert("from".into(), "Enter the first day as YYYY-MM-DD.".into());
    }
    let until = match input.until.trim() {
        "" => None,
        s => match Date::parse(s) {
            None => {
                f.insert("until".into(), "Enter the last day as YYYY-MM-DD, or leave it empty.".into());
                None
            }
            Some(u) if from.is_some_and(|from| u < from) => {
                f.insert("until".into(), "The last day cannot be before the first.".into());
                None
            }
            Some(u) => Some(u),
        },
    };
    let purpose = input.purpose.trim().to_string();
    if purpose.is_empty() {
        f.insert("purpose".into(), "Say in a line what they are there for.".into());
    } else if purpose.chars().count() > MAX_PURPOSE_CHARS {
        f.insert("purpose".into(), format!("Keep it to {MAX_PURPOSE_CHARS} characters."));
    }
    Error::check(f)?;
    Ok(ValidEmbedding {
        person_id: input.person_id.expect("checked"),
        unit_id: input.unit_id.expect("checked"),
        kind: kind.expect("checked"),
        from: from.expect("checked"),
        until,
        purpose,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(e: Error) -> FieldErrors {
        match e {
            Error::Validation { fields, .. } => fields,
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn an_embedding_is_someone_from_it_with_a_unit_for_a_time() {
        let side = |p: i64| match p {
            1 => Some(Side::It),
            2 => Some(Side::Business),
            _ => None,
        };
        let input = EmbeddingInput {
            person_id: Some(1),
            unit_id: Some(7),
            kind: "rotation".into(),
            from: "2026-09-01".into(),
            until: "2026-11-30".into(),
            purpose: "Learn how the warehouse plans its week".into(),
        };
        let e = validate_embedding(&input, side, |u| u == 7).unwrap();
        assert_eq!(e.until, Date::parse("2026-11-30"));
        let open = EmbeddingInput { until: " ".into(), kind: "embedded".into(), ..input.clone() };
        assert_eq!(validate_embedding(&open, side, |u| u == 7).unwrap().until, None);

        let bad = EmbeddingInput {
            person_id: Some(2),
            unit_id: Some(8),
            kind: "visit".into(),
            until: "2026-08-01".into(),
            purpose: "".into(),
            ..input
        };
        let f = fields(validate_embedding(&bad, side, |u| u == 7).unwrap_err());
        let names: Vec<&str> = f.keys().map(String::as_str).collect();
        assert_eq!(names, ["kind", "person_id", "purpose", "unit_id", "until"]);
        assert!(f["person_id"].contains("someone from IT"));
        assert!(f["until"].contains("before the first"));
    }
}
