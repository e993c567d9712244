//! Language: the shared glossary and the jargon checker.
//!
//! Everything here is pure: the store keeps glossary entries, the web layer shows them, and
//! this module holds the rules.
//!
//! * [`validate_term`] turns raw form input into a [`GlossaryEntry`] (or field errors), and
//!   [`find_clashes`] / [`ensure_no_clash`] find a term or alias already used by another entry.
//! * [`Checker`] is built once from the approved terms (whenever the glossary changes) and finds
//!   glossary terms and unknown acronyms in any text; [`check_limited`] adds the size limit.
//! * [`annotate_html`] turns a text and its findings into escaped HTML that explains each term.
//! * [`export_csv`] / [`import_csv`] move the glossary in and out as CSV, and
//!   [`starter_glossary`] is the glossary Bridge ships with.
//!
//! See `docs/language.md` for the rules in plain words.

mod annotate;
mod checker;
mod csv_io;
mod forms;
mod scan;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::org::Side;
use crate::{Error, FieldErrors};

pub use annotate::{annotate_html, escape_html_into};
pub use checker::{check_limited, Checker, CheckerTerm, Finding, FindingKind, MAX_CHECK_BYTES};
pub use csv_io::{export_csv, import_csv, RowError, CSV_COLUMNS};

/// Longest term, alias, related term or owner name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest definition or example, in characters.
pub const MAX_TEXT_CHARS: usize = 1_000;
/// Most aliases (and most related terms) one entry may have.
pub const MAX_LIST_ITEMS: usize = 20;

/// Whether a term is still a suggestion or part of the shared vocabulary. Only approved terms
/// are given to the [`Checker`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TermStatus {
    Proposed,
    Approved,
}

impl TermStatus {
    pub const ALL: [TermStatus; 2] = [TermStatus::Proposed, TermStatus::Approved];

    pub fn as_str(self) -> &'static str {
        match self {
            TermStatus::Proposed => "proposed",
            TermStatus::Approved => "approved",
        }
    }

    /// Parses "proposed" or "approved" (any case, surrounding spaces ignored).
    pub fn parse(s: &str) -> Option<TermStatus> {
        let s = s.trim();
        TermStatus::ALL.into_iter().find(|t| t.as_str().eq_ignore_ascii_case(s))
    }

    pub fn label(self) -> &'static str {
        match self {
            TermStatus::Proposed => "Proposed",
            TermStatus::Approved => "Approved",
        }
    }
}

/// One glossary entry, as validated by [`validate_term`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlossaryEntry {
    /// The canonical name, e.g. "API" or "run-rate".
    pub term: String,
    /// Other names for the same thing, e.g. "application programming interface".
    pub aliases: Vec<String>,
    /// The side that uses the term; its definition is written for the other side.
    pub side: Side,
    /// A plain-language explanation for a reader from the other side.
    pub definition: String,
    /// A sentence that shows the term in use (may be empty).
    pub example: String,
    /// Names of related terms (may be empty).
    pub related: Vec<String>,
    /// Who looks after the entry (free text, may be empty).
    pub owner: String,
    pub status: TermStatus,
}

impl GlossaryEntry {
    /// The term followed by its aliases: every name the entry is known by.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.term.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// What the [`Checker`] needs from this entry, under the store's id.
    pub fn to_checker_term(&self, id: i64) -> CheckerTerm {
        CheckerTerm {
            id,
            term: self.term.clone(),
            aliases: self.aliases.clone(),
            side: self.side,
            definition: self.definition.clone(),
        }
    }
}

/// Raw form (or CSV row) input for a glossary entry. Lists are comma- or semicolon-separated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TermInput {
    pub term: String,
    pub aliases: String,
    pub side: String,
    pub definition: String,
    pub example: String,
    pub related: String,
    pub owner: String,
    /// "proposed" or "approved"; empty means proposed.
    pub status: String,
}

impl From<&GlossaryEntry> for TermInput {
    fn from(e: &GlossaryEntry) -> Self {
        TermInput {
            term: e.term.clone(),
            aliases: e.aliases.join("; "),
            side: e.side.as_str().to_string(),
            definition: e.definition.clone(),
            example: e.example.clone(),
            related: e.related.join("; "),
            owner: e.owner.clone(),
            status: e.status.as_str().to_string(),
        }
    }
}

/// Checks raw input and builds the entry, or answers with every field error at once.
///
/// Rules: the term is required; aliases and related terms are split on commas and semicolons,
/// trimmed, de-duplicated (ignoring case) and never equal to the term; the side must be
/// "business" or "it"; the definition is required and must explain the term in at least three
/// meaningful words besides the term itself; the status is "proposed" (the default when empty)
/// or "approved". Names are at most [`MAX_NAME_CHARS`] characters, the definition and example
/// at most [`MAX_TEXT_CHARS`], and each list at most [`MAX_LIST_ITEMS`] items.
pub fn validate_term(input: &TermInput) -> Result<GlossaryEntry, Error> {
    let mut errors = FieldErrors::new();
    let mut fail = |field: &str, msg: &str| {
        errors.entry(field.to_string()).or_insert_with(|| msg.to_string());
    };

    let term = input.term.trim();
    if term.is_empty() {
        fail("term", "Enter the term.");
    } else if term.chars().count() > MAX_NAME_CHARS {
        fail("term", "Keep the term to 100 characters or fewer.");
    } else if !term.chars().any(char::is_alphanumeric) {
        fail("term", "The term needs at least one letter or digit.");
    }

    let aliases = split_list(&input.aliases, term);
    if aliases.len() > MAX_LIST_ITEMS {
        fail("aliases", "Give at most 20 aliases.");
    } else if aliases.iter().any(|a| a.chars().count() > MAX_NAME_CHARS) {
        fail("aliases", "Keep each alias to 100 characters or fewer.");
    } else if aliases.iter().any(|a| !a.chars().any(char::is_alphanumeric)) {
        fail("aliases", "Each alias needs at least one letter or digit.");
    }

    let side = Side::parse(&input.side);
    if side.is_none() {
        fail("side", "Choose the side that uses the term: business or IT.");
    }

    let definition = input.definition.trim();
    if definition.is_empty() {
        fail("definition", "Write a plain-language definition.");
    } else if definition.chars().count() > MAX_TEXT_CHARS {
        fail("definition", "Keep the definition to 1,000 characters or fewer.");
    } else if !term.is_empty() {
        let names: Vec<&str> = std::iter::once(term).chain(aliases.iter().map(String::as_str)).collect();
        if let Some(msg) = self_definition_problem(definition, &names) {
            fail("definition", msg);
        }
    }

    let example = input.example.trim();
    if example.chars().count() > MAX_TEXT_CHARS {
        fail("example", "Keep the example to 1,000 characters or fewer.");
    }

    let related = split_list(&input.related, term);
    if related.len() > MAX_LIST_ITEMS {
        fail("related", "Give at most 20 related terms.");
    } else if related.iter().any(|r| r.chars().count() > MAX_NAME_CHARS) {
        fail("related", "Keep each related term to 100 characters or fewer.");
    }

    let owner = input.owner.trim();
    if owner.chars().count() > MAX_NAME_CHARS {
        fail("owner", "Keep the owner to 100 characters or fewer.");
    }

    let status =
        if input.status.trim().is_empty() { Some(TermStatus::Proposed) } else { TermStatus::parse(&input.status) };
    if status.is_none() {
        fail("status", "The status must be proposed or approved.");
    }

    Error::check(errors)?;
    match (side, status) {
        (Some(side), Some(status)) => Ok(GlossaryEntry {
            term: term.to_string(),
            aliases,
            side,
            definition: definition.to_string(),
            example: example.to_string(),
            related,
            owner: owner.to_string(),
            status,
        }),
        // Unreachable: a missing side or status was recorded as a field error above.
        _ => Err(Error::field("side", "Choose the side that uses the term: business or IT.")),
    }
}

/// Splits a comma/semicolon list: trimmed, empties dropped, duplicates (ignoring case) and
/// items equal to `term` (ignoring case) removed, first spelling kept. Stops one item past
/// [`MAX_LIST_ITEMS`] (enough to report the list as too long) so huge input stays cheap.
fn split_list(raw: &str, term: &str) -> Vec<String> {
    let term_key = term.to_lowercase();
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for item in raw.split([',', ';']) {
        if out.len() > MAX_LIST_ITEMS {
            break;
        }
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let key = item.to_lowercase();
        if key == term_key || seen.contains(&key) {
            continue;
        }
        seen.push(key);
        out.push(item.to_string());
    }
    out
}

/// Words that carry no explanation on their own; they do not count towards the three
/// meaningful words a definition needs.
const FILLER_WORDS: &[&str] = &[
    "a", "also", "an", "and", "any", "are", "as", "at", "be", "by", "called", "etc", "for", "in", "is", "it", "its",
    "kind", "mean", "meaning", "means", "of", "on", "or", "refer", "refers", "so", "some", "sort", "stuff", "that",
    "the", "these", "thing", "things", "this", "those", "to", "type", "was", "what", "which", "with",
];

/// Lower-cased words of `s` (runs of letters and digits).
fn words_lower(s: &str) -> Vec<String> {
    s.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// `Some(message)` when the definition only restates the term: it equals the term (or an
/// alias), or fewer than three meaningful words remain once the term and aliases are removed.
fn self_definition_problem(definition: &str, names: &[&str]) -> Option<&'static str> {
    let def_key = definition.trim_end_matches(['.', '!', '?']).trim().to_lowercase();
    if names.iter().any(|n| n.to_lowercase() == def_key) {
        return Some(
            "The definition only repeats the term. Explain it in plain words for someone \
             from the other side.",
        );
    }
    let mut words = words_lower(definition);
    for name in names {
        let name_words = words_lower(name);
        if name_words.is_empty() {
            continue;
        }
        remove_phrase(&mut words, &name_words);
    }
    let meaningful =
        words.iter().filter(|w| w.chars().count() > 1 && FILLER_WORDS.binary_search(&w.as_str()).is_err()).count();
    if meaningful < 3 {
        return Some(
            "The definition needs at least three words of explanation besides the term \
             itself. Say what it is or does in plain words.",
        );
    }
    None
}

/// Removes every occurrence of the word sequence `phrase` from `words` (the last word may
/// carry a plural "s"/"es").
fn remove_phrase(words: &mut Vec<String>, phrase: &[String]) {
    let n = phrase.len();
    let mut out = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let fits = i + n <= words.len()
            && words[i..i + n].iter().zip(phrase).enumerate().all(|(k, (w, p))| {
                w == p || (k == n - 1 && (w.strip_suffix('s') == Some(p) || w.strip_suffix("es") == Some(p)))
            });
        if fits {
            i += n;
        } else {
            out.push(std::mem::take(&mut words[i]));
            i += 1;
        }
    }
    *words = out;
}

/// A name (term or alias) used by two entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clash {
    /// The clashing name, as written in the second entry.
    pub name: String,
    /// The term of the entry that has the name first.
    pub first: String,
    /// The term of the entry that uses it again.
    pub second: String,
}

impl Clash {
    /// A plain sentence for the person who caused the clash.
    pub fn message(&self) -> String {
        if self.name.to_lowercase() == self.second.to_lowercase() {
            format!("“{}” is already in the glossary as “{}”.", self.name, self.first)
        } else {
            format!("“{}” (an alias of “{}”) is already in the glossary as “{}”.", self.name, self.second, self.first)
        }
    }
}

/// The answer to a name another term of the stored glossary already uses (the store finds it).
pub fn name_taken(name: &str, other_term: &str) -> Error {
    Error::conflict_on(
        "term",
        format!("\u{201c}{name}\u{201d} is already a name of the glossary term \u{201c}{other_term}\u{201d}."),
    )
}

/// Every name (term or alias) that equals, ignoring case, a name of an earlier entry. Each
/// clashing name is reported once per pair of entries, in entry order.
pub fn find_clashes(entries: &[GlossaryEntry]) -> Vec<Clash> {
    let mut owner_of: HashMap<String, usize> = HashMap::new();
    let mut clashes = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let mut mine: Vec<String> = Vec::new();
        for name in entry.names() {
            let key = name.trim().to_lowercase();
            if key.is_empty() || mine.contains(&key) {
                continue;
            }
            match owner_of.get(&key) {
                Some(&j) if j != i => clashes.push(Clash {
                    name: name.to_string(),
                    first: entries[j].term.clone(),
                    second: entry.term.clone(),
                }),
                Some(_) => {}
                None => {
                    owner_of.insert(key.clone(), i);
                }
            }
            mine.push(key);
        }
    }
    clashes
}

/// `Err(Error::Conflict)` naming the first clash between `entry` and the `others` (leave the
/// entry itself out of `others` when updating it). The conflict's field is "term" when the term
/// clashes, else "aliases".
pub fn ensure_no_clash(entry: &GlossaryEntry, others: &[GlossaryEntry]) -> Result<(), Error> {
    for name in entry.names() {
        let key = name.trim().to_lowercase();
        if key.is_empty() {
            continue;
        }
        let Some(other) = others.iter().find(|o| o.names().any(|n| n.trim().to_lowercase() == key)) else {
            continue;
        };
        let clash = Clash { name: name.to_string(), first: other.term.clone(), second: entry.term.clone() };
        let field = if name == entry.term { "term" } else { "aliases" };
        return Err(Error::conflict_on(field, clash.message()));
    }
    Ok(())
}

/// The CSV text of the glossary Bridge ships with.
pub const STARTER_GLOSSARY_CSV: &str = include_str!("../../data/glossary.csv");

/// The glossary Bridge ships with: about 160 approved terms from both sides, each explained for
/// a reader from the other side. (Empty only if the bundled file were broken, which a unit test
/// rules out.)
pub fn starter_glossary() -> Vec<GlossaryEntry> {
    import_csv(STARTER_GLOSSARY_CSV.as_bytes()).unwrap_or_default()
}

#[cfg(test)]
mod tests;
