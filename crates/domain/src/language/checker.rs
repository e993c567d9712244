//! The jargon checker: finds glossary terms and unknown acronyms in a text.
//!
//! One Aho-Corasick automaton holds every name (term and alias) of every approved term, built
//! once in [`Checker::new`] whenever the glossary changes; nothing is rebuilt per check.
//!
//! A check first marks which bytes of the text belong to words (a bit mask built 8 bytes at a
//! time; only blocks with non-ASCII chars are decoded char by char), then visits each word
//! start. A glossary match must start where a word starts, and the word there must be the first
//! word of some name (or its plural): a 128 KiB hashed set of first words rejects most words
//! before the automaton is touched. Where it passes, the automaton is walked (anchored) and the
//! longest match that passes the case and word-boundary rules is kept. Words of 2 to 7 bytes
//! with capitals are read as possible unknown acronyms. Char offsets are counted only over the
//! text between one finding and the next, and findings share the glossary's text (`Arc`) and
//! point into the checked text instead of copying it.
//!
//! Measured choice (10,000 terms, 1 MB of text, see `benches/language.rs`): running a DFA over
//! every byte (overlapping or leftmost-longest search) cost about 10 ms for the automaton alone,
//! with 26 MB of tables and about 80 ms to build; walking an anchored DFA from word starts was no
//! better (cache misses). A contiguous NFA (about 1.4 MB, built in about 40 ms) walked only from
//! word starts that pass the first-word filter is the fastest of these.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::Anchored;
use serde::Serialize;

use super::forms::{
    acronym_stem, build_automaton, case_variants, exact_mask, form_matches, forms_of, is_word_char, word_end,
    UNKNOWN_STOPLIST,
};
use super::scan::{CharCounter, FirstWords, WordMask};
use super::GlossaryEntry;
use super::TermStatus;
use crate::org::Side;
use crate::Error;

/// The largest text (in bytes of UTF-8) [`check_limited`] accepts: 2 MiB.
pub const MAX_CHECK_BYTES: usize = 2 * 1024 * 1024;

/// What the checker needs to know about one approved glossary term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckerTerm {
    /// The store's id, echoed in [`Finding::term_id`].
    pub id: i64,
    pub term: String,
    pub aliases: Vec<String>,
    pub side: Side,
    pub definition: String,
}

/// Whether a finding is a glossary term or probable jargon the glossary does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingKind {
    Known,
    Unknown,
}

/// One term found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    /// First character of the match, counted in Unicode scalar values (chars) from the start.
    pub start: usize,
    /// One past the last character of the match (exclusive), in chars.
    pub end: usize,
    /// Byte offset of `start` in the UTF-8 text.
    pub byte_start: usize,
    /// Byte offset of `end` in the UTF-8 text.
    pub byte_end: usize,
    found: Found,
}

/// What a finding found. A glossary term is shared with the checker, so a finding copies
/// nothing (checking long texts spends its time on search, not on allocation).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Found {
    Known(Arc<KnownTerm>),
    /// An unknown acronym, without a plural "s".
    Unknown(Box<str>),
}

/// A glossary term as the checker keeps it and findings share it.
#[derive(Debug, PartialEq, Eq)]
struct KnownTerm {
    id: i64,
    term: Box<str>,
    definition: Box<str>,
}

impl Finding {
    /// The canonical glossary term, or for an unknown acronym the acronym itself (without a
    /// plural "s").
    pub fn term(&self) -> &str {
        match &self.found {
            Found::Known(k) => &k.term,
            Found::Unknown(acronym) => acronym,
        }
    }

    /// The store id of the glossary term; `None` for unknown acronyms.
    pub fn term_id(&self) -> Option<i64> {
        match &self.found {
            Found::Known(k) => Some(k.id),
            Found::Unknown(_) => None,
        }
    }

    /// The plain-language definition; `None` for unknown acronyms.
    pub fn definition(&self) -> Option<&str> {
        match &self.found {
            Found::Known(k) => Some(&k.definition),
            Found::Unknown(_) => None,
        }
    }

    /// The words as written in `text` (the checked text), e.g. "APIs" or "API's"; empty when
    /// `text` is another text that does not have them at this finding's offsets.
    pub fn matched<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.byte_start..self.byte_end).unwrap_or_default()
    }
}

/// One written form of a glossary name. Several forms (from different case variants or, in a
/// broken glossary, different terms) can share one automaton pattern.
pub(super) struct Target {
    /// Index into `Checker::terms`.
    pub(super) term: u32,
    /// The term's side, here so that terms the reader knows are passed without reading them.
    pub(super) side: Side,
    /// The form as written in the glossary (or its "-ies" plural).
    pub(super) form: Box<str>,
    /// Per char of `form`: must this char match exactly (it belongs to an all-capitals word)?
    /// `None` when the whole form matches ignoring case.
    pub(super) exact: Option<Box<[bool]>>,
    /// The last word is all capitals, so a plural is only a lowercase "s" ("APIs", not "APIes").
    pub(super) caps_end: bool,
    /// False when the automaton's match (equal ignoring ASCII case) already proves the form:
    /// an ASCII form with no exact-case part. Saves reading the form on every match.
    pub(super) verify: bool,
}

/// Where an automaton pattern's targets are. Most patterns have a single target that needs no
/// check beyond the automaton's match; that one is kept here, so a match reads nothing else.
#[derive(Clone, Copy)]
struct PatternTargets {
    from: u32,
    to: u32,
    simple: Option<Best>,
}

impl PatternTargets {
    /// The pattern whose targets are `list`, laid out from index `from` of `Checker::targets`.
    fn of(list: &[Target], from: usize) -> PatternTargets {
        let simple = match list {
            [t] if !t.verify => Some(Best { end: 0, term: t.term, side: t.side, caps_end: t.caps_end }),
            _ => None,
        };
        let index = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
        PatternTargets { from: index(from), to: index(from + list.len()), simple }
    }
}

/// A glossary match: where it ends (after any plural or possessive) and whose it is.
#[derive(Clone, Copy)]
struct Best {
    end: usize,
    term: u32,
    side: Side,
    /// The target's rule for plurals (see `Target::caps_end`).
    caps_end: bool,
}

/// Finds glossary terms and unknown acronyms in text. Build it once per glossary version and
/// share it (it is `Send + Sync`; put it behind an `Arc`).
pub struct Checker {
    /// The automaton over every (ASCII-lower-cased) name; `None` when there are no names.
    nfa: Option<NFA>,
    /// Filter: walks start at a word only if it is (or is a plural of) a name's first word.
    first_words: FirstWords,
    /// The first bytes of names that begin with a char that is not a word char (".NET",
    /// "@mention"), ASCII-lower-cased; `None` when there are no such names. Only at those bytes
    /// are walks started at punctuation.
    punct_start: Option<Box<[bool; 256]>>,
    /// Every target, grouped by automaton pattern.
    targets: Vec<Target>,
    /// Per automaton pattern id: where its targets are.
    patterns: Vec<PatternTargets>,
    terms: Vec<Arc<KnownTerm>>,
    /// Every glossary name that looks like an acronym, exactly as written: never "unknown".
    caps_names: HashSet<Box<str>>,
}

impl fmt::Debug for Checker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Checker")
            .field("terms", &self.terms.len())
            .field("patterns", &self.patterns.len())
            .field("automaton_bytes", &self.nfa.as_ref().map_or(0, |a| a.memory_usage()))
            .finish()
    }
}

impl Checker {
    /// Builds the automaton from the approved terms (the caller leaves proposed terms out).
    /// Empty names and names without a letter or digit are ignored. Building never fails: in
    /// the (practically impossible) case that the automaton cannot be built, the checker finds
    /// unknown acronyms only.
    pub fn new(entries: &[CheckerTerm]) -> Checker {
        let mut keys: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut targets: Vec<Vec<Target>> = Vec::new();
        let mut terms = Vec::with_capacity(entries.len());
        let mut caps_names = HashSet::new();

        for (index, entry) in entries.iter().enumerate() {
            let Ok(ti) = u32::try_from(index) else { break };
            terms.push(Arc::new(KnownTerm {
                id: entry.id,
                term: entry.term.as_str().into(),
                definition: entry.definition.as_str().into(),
            }));
            for name in std::iter::once(&entry.term).chain(&entry.aliases) {
                let name = name.trim();
                if !name.chars().any(char::is_alphanumeric) {
                    continue;
                }
                if acronym_stem(name).is_some() {
                    caps_names.insert(Box::from(name));
                }
                for form in forms_of(name) {
                    let exact = exact_mask(&form);
                    let all_exact = exact.as_ref().is_some_and(|m| m.iter().all(|&b| b));
                    let last_word_char = form.chars().enumerate().filter(|(_, c)| c.is_alphanumeric()).last();
                    let caps_end = match (&exact, last_word_char) {
                        (Some(m), Some((last, _))) => m[last],
                        _ => false,
                    };
                    let form: Box<str> = form.into();
                    for variant in case_variants(&form, all_exact) {
                        let key = variant.to_ascii_lowercase();
                        let slot = match keys.get(&key) {
                            Some(&slot) => slot,
                            None => {
                                keys.insert(key.clone(), patterns.len());
                                patterns.push(key);
                                targets.push(Vec::new());
                                patterns.len() - 1
                            }
                        };
                        let list = &mut targets[slot];
                        if !list.iter().any(|t| t.term == ti && t.form == form) {
                            list.push(Target {
                                term: ti,
                                side: entry.side,
                                verify: exact.is_some() || !form.is_ascii(),
                                form: form.clone(),
                                exact: exact.clone(),
                                caps_end,
                            });
                        }
                    }
                }
            }
        }
        // Where two forms share a pattern, try the stricter (exact-case) one first. Then lay all
        // targets out in one array, so a match costs one lookup.
        let mut pattern_list = Vec::with_capacity(targets.len());
        let mut flat = Vec::with_capacity(targets.len());
        for mut list in targets {
            list.sort_by_key(|t| (t.exact.is_none(), t.term));
            pattern_list.push(PatternTargets::of(&list, flat.len()));
            flat.extend(list);
        }
        let mut first_words = FirstWords::new();
        let mut punct_start: Option<Box<[bool; 256]>> = None;
        for p in &patterns {
            match p.chars().next() {
                Some(c) if !is_word_char(c) => {
                    punct_start.get_or_insert_with(|| Box::new([false; 256]))[usize::from(p.as_bytes()[0])] = true;
                }
                _ => first_words.add(p),
            }
        }
        let nfa = if patterns.is_empty() { None } else { build_automaton(&patterns) };
        Checker { nfa, first_words, punct_start, targets: flat, patterns: pattern_list, terms, caps_names }
    }

    /// A checker from glossary entries: approved entries only, each with its index in `entries`
    /// as id. Handy for the starter glossary and tests; the store passes its own ids to `new`.
    pub fn from_glossary(entries: &[GlossaryEntry]) -> Checker {
        let terms: Vec<CheckerTerm> = entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.status == TermStatus::Approved)
            .map(|(i, e)| e.to_checker_term(i64::try_from(i).unwrap_or(i64::MAX)))
            .collect();
        Checker::new(&terms)
    }

    /// The number of terms the checker knows.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Finds, in text order and never overlapping:
    ///
    /// * glossary terms from the other side than `reader` ([`FindingKind::Known`]): whole
    ///   words only, the longest name at a position winning, words ignoring case, all-capitals
    ///   words exactly, with plural "s"/"es" and possessive "'s"/"’s";
    /// * probable jargon the glossary does not know ([`FindingKind::Unknown`]): words of 2 to 6
    ///   capital letters or digits with at least two capitals (optionally with a plural "s"),
    ///   not in the stop list and not a glossary name.
    ///
    /// Terms of the reader's own side are recognised (so their words are not flagged as
    /// unknown and shorter terms inside them are not reported) but not reported.
    pub fn check(&self, text: &str, reader: Side) -> Vec<Finding> {
        let bytes = text.as_bytes();
        let n = bytes.len();
        // Room for one finding per ~256 bytes (about one per 40 words) up front, so long texts
        // do not spend their time re-growing the list.
        let mut findings = Vec::with_capacity(n / 256);
        let mut chars = CharCounter::default();
        let mut covered = 0; // byte end of the last glossary match
        let words = WordMask::new(text);
        let mut carry = 0; // is the last byte of the previous block part of a word?
        for (block, &m) in words.bits.iter().enumerate() {
            let after_non_word = !((m << 1) | carry);
            carry = m >> 63;
            // Word starts, and (only if some name begins with punctuation, like ".NET")
            // non-word chars that follow a non-word char.
            let mut candidates = m & after_non_word;
            if self.punct_start.is_some() {
                candidates |= !m & after_non_word;
            }
            while candidates != 0 {
                let i = block * 64 + candidates.trailing_zeros() as usize;
                candidates &= candidates - 1;
                if i >= n {
                    break;
                }
                if m & (1 << (i % 64)) == 0 {
                    // Only where some name's first byte is (never inside a char: names start
                    // at char boundaries).
                    let first = usize::from(bytes[i].to_ascii_lowercase());
                    if i >= covered && self.punct_start.as_ref().is_some_and(|starts| starts[first]) {
                        covered = self.match_at(text, i, covered, reader, &mut chars, &mut findings);
                    }
                    continue;
                }
                let end = words.word_end(i, n);
                let word = &bytes[i..end];
                if i >= covered && self.first_words.may_begin(bytes, i, end, || words.next_word_end(end, n)) {
                    covered = self.match_at(text, i, covered, reader, &mut chars, &mut findings);
                }
                // An unknown acronym is 2-6 ASCII capitals or digits, with an optional "s".
                if word.len() <= 7
                    && i >= covered
                    && (word[0].is_ascii_uppercase() || word[0].is_ascii_digit())
                    && word.iter().filter(|b| b.is_ascii_uppercase()).count() >= 2
                {
                    self.unknown_word(text, i, end, &mut chars, &mut findings);
                }
            }
        }
        findings
    }

    /// Looks for a glossary match at byte `i`; records it (if the reader needs it) and returns
    /// the new end of the covered text.
    fn match_at(
        &self,
        text: &str,
        i: usize,
        covered: usize,
        reader: Side,
        chars: &mut CharCounter,
        findings: &mut Vec<Finding>,
    ) -> usize {
        let Some(best) = self.longest_at(text, i) else { return covered };
        if best.side != reader {
            if let Some(term) = self.terms.get(best.term as usize) {
                findings.push(Finding {
                    kind: FindingKind::Known,
                    start: chars.at(text, i),
                    end: chars.at(text, best.end),
                    byte_start: i,
                    byte_end: best.end,
                    found: Found::Known(term.clone()),
                });
            }
        }
        best.end
    }

    /// The longest glossary match starting at byte `start` that passes the case and boundary
    /// rules. The caller has checked that `start` follows a non-word char. Ties go to the
    /// earlier glossary entry.
    fn longest_at(&self, text: &str, start: usize) -> Option<Best> {
        let nfa = self.nfa.as_ref()?;
        let mut sid = nfa.start_state(Anchored::Yes).ok()?;
        let mut best: Option<Best> = None;
        let rest = text.as_bytes().get(start..)?;
        for (j, &b) in rest.iter().enumerate() {
            sid = nfa.next_state(Anchored::Yes, sid, b);
            if !nfa.is_special(sid) {
                continue;
            }
            if nfa.is_dead(sid) {
                break;
            }
            if !nfa.is_match(sid) {
                continue;
            }
            let end = start + j + 1;
            for k in 0..nfa.match_len(sid) {
                let pid = nfa.match_pattern(sid, k);
                // A state also reports names that are suffixes of the path walked; only those
                // starting at `start` count here.
                if nfa.pattern_len(pid) != j + 1 {
                    continue;
                }
                let Some(p) = self.patterns.get(pid.as_usize()) else { continue };
                let found = if let Some(simple) = p.simple {
                    word_end(text, end, simple.caps_end).map(|word_end| Best { end: word_end, ..simple })
                } else {
                    self.first_target_at(text, start, end, p)
                };
                if let Some(found) = found {
                    if best.is_none_or(|b| found.end > b.end || (found.end == b.end && found.term < b.term)) {
                        best = Some(found);
                    }
                }
            }
        }
        best
    }

    /// The first of a pattern's targets that the text `text[start..end]` spells, with its end.
    fn first_target_at(&self, text: &str, start: usize, end: usize, p: &PatternTargets) -> Option<Best> {
        let hay = text.get(start..end)?;
        let targets = self.targets.get(p.from as usize..p.to as usize)?;
        targets.iter().find_map(|t| {
            if t.verify && !form_matches(hay, t) {
                return None;
            }
            word_end(text, end, t.caps_end).map(|word_end| Best {
                end: word_end,
                term: t.term,
                side: t.side,
                caps_end: t.caps_end,
            })
        })
    }

    /// Records the word `text[start..end]` as an unknown acronym if it looks like one and is
    /// not a glossary name or a stop word. The caller has checked that it is not inside a
    /// glossary match.
    fn unknown_word(&self, text: &str, start: usize, end: usize, chars: &mut CharCounter, findings: &mut Vec<Finding>) {
        let Some(matched) = text.get(start..end) else { return };
        let Some(stem_len) = acronym_stem(matched) else { return };
        let stem = &matched[..stem_len];
        if UNKNOWN_STOPLIST.binary_search(&stem).is_ok()
            || self.caps_names.contains(stem)
            || stem.strip_suffix('S').is_some_and(|s| self.caps_names.contains(s))
        {
            return;
        }
        let start_char = chars.at(text, start);
        let end_char = chars.at(text, end);
        findings.push(Finding {
            kind: FindingKind::Unknown,
            start: start_char,
            end: end_char,
            byte_start: start,
            byte_end: end,
            found: Found::Unknown(stem.into()),
        });
    }
}

/// `Err(Error::TooLarge)` when the text is over [`MAX_CHECK_BYTES`], else the findings.
pub fn check_limited(checker: &Checker, text: &str, reader: Side) -> Result<Vec<Finding>, Error> {
    if text.len() > MAX_CHECK_BYTES {
        return Err(Error::TooLarge(format!(
            "The text is too long to check for jargon: the limit is {} MiB.",
            MAX_CHECK_BYTES / (1024 * 1024)
        )));
    }
    Ok(checker.check(text, reader))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bit mask must agree with `is_word_char` for every byte of every char, including
    /// multi-byte chars that straddle a 64-byte block.
    #[test]
    fn word_mask_agrees_with_word_chars() {
        let ascii: String = (0u8..128).map(char::from).collect();
        let mut text = format!("{ascii}{ascii}");
        for pad in 0..70 {
            text.push_str(&"x".repeat(pad % 7));
            text.push_str(" é—’ß🚀a\u{301} Zürich_3 «ok» ");
        }
        let mask = WordMask::new(&text);
        for (i, c) in text.char_indices() {
            for j in i..i + c.len_utf8() {
                let bit = mask.bits[j / 64] >> (j % 64) & 1 == 1;
                assert_eq!(bit, is_word_char(c), "byte {j} of {c:?}");
            }
        }
        let word_at = text.find("Zürich_3").unwrap_or_default();
        assert_eq!(&text[word_at..mask.word_end(word_at, text.len())], "Zürich_3");
    }

    #[test]
    fn first_words_filter_lets_names_and_plurals_through() {
        let mut f = FirstWords::new();
        for pattern in ["api gateway", "latency", "process", "run-rate", "zürich office"] {
            f.add(pattern);
        }
        let may = |text: &str| {
            let first = text.find(|c| !is_word_char(c)).unwrap_or(text.len());
            let mask = WordMask::new(text);
            f.may_begin(text.as_bytes(), 0, first, || mask.next_word_end(first, text.len()))
        };
        for text in ["API Gateway", "api gateways", "Latency", "LATENCYs", "processes", "Processes", "run-rate"] {
            assert!(may(text), "{text}");
        }
        assert!(may("Zürich Office"));
        // Words that only begin longer names need the next word too.
        for text in ["API", "api call", "run", "run rate", "Zürich", "zürich café", "latent"] {
            assert!(!may(text), "{text}");
        }
    }
}
