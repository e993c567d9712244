//! The forms a glossary name is found in (plurals, letter case) and the word-boundary rules a
//! match must pass.

use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::MatchKind;

use super::checker::Target;

pub(super) fn build_automaton(patterns: &[String]) -> Option<NFA> {
    NFA::builder().match_kind(MatchKind::Standard).ascii_case_insensitive(true).prefilter(false).build(patterns).ok()
}

/// Letters, digits (any script) and `_` make up words. Same as
/// `c.is_alphanumeric() || c == '_'`, with table-free answers for ASCII, Latin letters with
/// accents and general punctuation (dashes, curly quotes), which European text is full of.
pub(crate) fn is_word_char(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' | '_' => true,
        '\0'..='\u{BF}' => c.is_alphanumeric(), // ª, ², µ, º, ¹, ¼… are letters or numbers
        '\u{C0}'..='\u{24F}' => c != '\u{D7}' && c != '\u{F7}', // all letters but × and ÷
        '\u{2000}'..='\u{206F}' => false,       // spaces, dashes, quotes, bullets
        _ => c.is_alphanumeric(),
    }
}

pub(super) fn is_cased(c: char) -> bool {
    c.is_uppercase() || c.is_lowercase()
}

/// Which chars of `form` must match exactly: all of them when the form has at least two
/// letters and no lowercase letter ("API", "P&L", "CI/CD", "B2B"); otherwise those of each
/// all-capitals word with at least two letters ("API" in "API gateway"). `None` when nothing
/// must match exactly.
pub(super) fn exact_mask(form: &str) -> Option<Box<[bool]>> {
    let chars: Vec<char> = form.chars().collect();
    let letters = chars.iter().filter(|c| is_cased(**c)).count();
    if letters >= 2 && !chars.iter().any(|c| c.is_lowercase()) {
        return Some(vec![true; chars.len()].into_boxed_slice());
    }
    let mut mask = vec![false; chars.len()];
    let mut any = false;
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_alphanumeric() {
            i += 1;
            continue;
        }
        let s = i;
        while i < chars.len() && chars[i].is_alphanumeric() {
            i += 1;
        }
        let word = &chars[s..i];
        let letters = word.iter().filter(|c| is_cased(**c)).count();
        if letters >= 2 && !word.iter().any(|c| c.is_lowercase()) {
            mask[s..i].fill(true);
            any = true;
        }
    }
    any.then(|| mask.into_boxed_slice())
}

/// The name itself plus, for a word ending in consonant + "y", its "-ies" plural
/// ("dependency" → "dependencies").
pub(super) fn forms_of(name: &str) -> Vec<String> {
    let mut forms = vec![name.to_string()];
    let b = name.as_bytes();
    if b.len() >= 3 && b[b.len() - 1] == b'y' && b[b.len() - 2].is_ascii_alphabetic() {
        let prev = b[b.len() - 2].to_ascii_lowercase();
        if !matches!(prev, b'a' | b'e' | b'i' | b'o' | b'u') {
            forms.push(format!("{}ies", &name[..name.len() - 1]));
        }
    }
    forms
}

/// The automaton ignores case for ASCII letters only. For forms with other cased letters
/// ("café"), add lowercase, uppercase and capitalised spellings so those are found too; the
/// match is then confirmed char by char in [`form_matches`].
pub(super) fn case_variants(form: &str, all_exact: bool) -> Vec<String> {
    let mut out = vec![form.to_string()];
    if all_exact || !form.chars().any(|c| !c.is_ascii() && is_cased(c)) {
        return out;
    }
    let lower = form.to_lowercase();
    let mut chars = lower.chars();
    if let Some(first) = chars.next() {
        out.push(first.to_uppercase().chain(chars).collect());
    }
    out.push(form.to_uppercase());
    out.push(lower);
    out
}

/// Does the text `hay` (already equal to a pattern ignoring ASCII case) spell `t.form` under the
/// case rules?
pub(super) fn form_matches(hay: &str, t: &Target) -> bool {
    if hay == &*t.form {
        return true;
    }
    let mut h = hay.chars();
    for (i, p) in t.form.chars().enumerate() {
        let Some(c) = h.next() else { return false };
        if c == p {
            continue;
        }
        if t.exact.as_ref().is_some_and(|m| m.get(i).copied().unwrap_or(true)) {
            return false;
        }
        let same = if c.is_ascii() && p.is_ascii() {
            c.eq_ignore_ascii_case(&p)
        } else {
            c.to_lowercase().eq(p.to_lowercase())
        };
        if !same {
            return false;
        }
    }
    h.next().is_none()
}

/// True when the text at `rest` does not continue a word.
pub(super) fn boundary(rest: &str) -> bool {
    !rest.chars().next().is_some_and(is_word_char)
}

/// Where a match ending at byte `end` really ends: after a possessive ("'s", "’s") or plural
/// ("s", "es"; only a lowercase "s" after an all-capitals word) when that ends the word, at
/// `end` when the word ends there, or `None` when the match is inside a longer word.
pub(super) fn word_end(text: &str, end: usize, caps_end: bool) -> Option<usize> {
    let rest = text.get(end..)?;
    for apostrophe in ["'", "’"] {
        if let Some(after) = rest.strip_prefix(apostrophe) {
            if let Some(after_s) = after.strip_prefix(['s', 'S']) {
                if boundary(after_s) {
                    return Some(end + apostrophe.len() + 1);
                }
            }
        }
    }
    let plurals: &[&str] = if caps_end { &["s"] } else { &["es", "s"] };
    for suffix in plurals {
        let Some(head) = rest.get(..suffix.len()) else { continue };
        let fits = if caps_end { head == *suffix } else { head.eq_ignore_ascii_case(suffix) };
        if fits && boundary(&rest[suffix.len()..]) {
            return Some(end + suffix.len());
        }
    }
    boundary(rest).then_some(end)
}

/// Common all-capitals words that are not jargon worth explaining: everyday abbreviations,
/// titles, places, currencies, time zones and English words written in capitals for emphasis.
/// Sorted (checked by a test) for binary search.
pub(crate) const UNKNOWN_STOPLIST: &[&str] = &[
    "AD", "ALL", "AM", "AND", "ANY", "ARE", "AS", "ASAP", "AT", "BC", "BE", "BUT", "BY", "CAN", "CC", "CEO", "CET",
    "CFO", "CIO", "COO", "CTO", "CV", "DIY", "DO", "DON", "DR", "EST", "ETA", "EU", "EUR", "FAQ", "FOR", "FYI", "GBP",
    "GMT", "HAS", "HR", "ID", "IF", "II", "III", "IN", "IS", "IT", "IV", "JPY", "MR", "MRS", "MS", "MUST", "MY", "NB",
    "NEW", "NO", "NOT", "NOTE", "NOW", "OF", "OK", "OKAY", "ON", "OR", "PC", "PDF", "PM", "PS", "PST", "RSVP", "SO",
    "STOP", "TBC", "TBD", "THE", "TO", "TODO", "TV", "UK", "UN", "UP", "URGENT", "URL", "US", "USA", "USB", "USD",
    "UTC", "VAT", "VI", "VIP", "WE", "WHY", "YES", "YOU",
];

/// `Some(stem length in bytes)` when `word` looks like an acronym: 2–6 chars that are ASCII
/// capitals or digits with at least two capitals, optionally followed by a plural "s".
pub(crate) fn acronym_stem(word: &str) -> Option<usize> {
    let stem = word.strip_suffix('s').unwrap_or(word);
    let ok = (2..=6).contains(&stem.len())
        && stem.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && stem.bytes().filter(u8::is_ascii_uppercase).count() >= 2;
    ok.then_some(stem.len())
}
