//! Value reviews: after delivery, at set days, the sponsor confirms or disputes what was
//! measured. A confirmed review is a value receipt. And an initiative's champion's brief.

use serde::{Deserialize, Serialize};

use crate::{Error, FieldErrors};

/// When reviews fall due unless an initiative says otherwise: days after delivery.
pub const DEFAULT_REVIEW_DAYS: [u32; 3] = [30, 90, 180];

/// The longest a review may wait after delivery: three years.
pub const MAX_REVIEW_DAY: u32 = 1095;

/// Shortest note that explains a dispute.
pub const MIN_DISPUTE_NOTE: usize = 10;

/// The longest brief a champion writes.
pub const MAX_BRIEF: usize = 2000;

/// Reads "30, 90, 180": up to six days after delivery, each from 1 to 1095, in any order; they
/// come back sorted, each once.
pub fn parse_review_days(s: &str) -> Result<Vec<u32>, Error> {
    let problem =
        || Error::field("review_days", "Give the days after delivery as numbers from 1 to 1095, such as 30, 90, 180.");
    let mut days = Vec::new();
    for part in s.split([',', ' ', ';']).filter(|p| !p.trim().is_empty()) {
        let d: u32 = part.trim().parse().map_err(|_| problem())?;
        if !(1..=MAX_REVIEW_DAY).contains(&d) {
            return Err(problem());
        }
        days.push(d);
    }
    days.sort_unstable();
    days.dedup();
    if days.is_empty() || days.len() > 6 {
        return Err(Error::field("review_days", "Give from one to six days after delivery, such as 30, 90, 180."));
    }
    Ok(days)
}

/// Where a review stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// Waiting for the sponsor.
    Due,
    /// The sponsor agreed with what was measured: a value receipt.
    Confirmed,
    /// The sponsor did not agree, and said why.
    Disputed,
}

impl ReviewState {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Due => "due",
            ReviewState::Confirmed => "confirmed",
            ReviewState::Disputed => "disputed",
        }
    }

    pub fn parse(s: &str) -> Option<ReviewState> {
        [ReviewState::Due, ReviewState::Confirmed, ReviewState::Disputed].into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ReviewState::Due => "Waiting for the sponsor",
            ReviewState::Confirmed => "Confirmed",
            ReviewState::Disputed => "Disputed",
        }
    }
}

/// Checks a sponsor's decision on a review: a review is decided once (409 with what was
/// decided), and a dispute says why. Returns the note trimmed.
pub fn check_decision(state: ReviewState, confirm: bool, note: &str) -> Result<String, Error> {
    if state != ReviewState::Due {
        return Err(Error::conflict(format!(
            "This review was {} already: it is decided once. Write in the conversation to add to it.",
            state.as_str()
        )));
    }
    let note = note.trim();
    if !confirm && note.chars().count() < MIN_DISPUTE_NOTE {
        let mut f = FieldErrors::new();
        f.insert("note".into(), "Say what you see differently, so IT can look at it.".into());
        return Err(Error::Validation { message: "A dispute needs a note.".into(), fields: f });
    }
    Ok(note.to_string())
}

/// Checks a champion's brief: short enough to read at a glance.
pub fn check_brief(brief: &str) -> Result<String, Error> {
    let brief = brief.trim();
    if brief.chars().count() > MAX_BRIEF {
        return Err(Error::field("brief", format!("Keep the brief to {MAX_BRIEF} characters: a few sentences.")));
    }
    Ok(brief.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_days_are_read_sorted_and_bounded() {
        assert_eq!(parse_review_days("180, 30 90,30").unwrap(), vec![30, 90, 180]);
        assert!(parse_review_days("").is_err());
        assert!(parse_review_days("0").is_err());
        assert!(parse_review_days("2000").is_err());
        assert!(parse_review_days("soon").is_err());
        assert!(parse_review_days("1,2,3,4,5,6,7").is_err());
    }

    #[test]
    fn a_review_is_decided_once_and_a_dispute_says_why() {
        assert_eq!(check_decision(ReviewState::Due, true, "").unwrap(), "");
        assert!(matches!(check_decision(ReviewState::Due, false, "no"), Err(Error::Validation { .. })));
        assert_eq!(
            check_decision(ReviewState::Due, false, " Returns rose in May too. ").unwrap(),
            "Returns rose in May too."
        );
        assert!(matches!(check_decision(ReviewState::Disputed, false, "again and again"), Err(Error::Conflict { .. })));
        assert!(matches!(check_decision(ReviewState::Confirmed, true, ""), Err(Error::Conflict { .. })));
    }
}
