//! The jargon checker: finds glossary terms and unknown acronyms in a text.
//!
//! One Aho-Corasick automaton holds every name (term and alias) of every approved term, built
//! once in [`Checker::new`] whenever the glossary changes; nothing is rebuilt per check.
//!
//! A check is one pass over the text. A glossary match must start where a word starts, so the
//! pass walks the automaton (anchored) only from positions that follow a non-word char and whose
//! next bytes can begin a name (a 24 KiB prefix filter rejects most words first); at each such
//! position it keeps the longest match that passes the case and word-boundary rules, then skips
//! past it. The same pass collects words that look like unknown acronyms (only words starting
//! with a capital or digit are read closely; others are skipped in a tight loop), and char
//! offsets are counted only over the text between one finding and the next.
//!
//! Measured choice (10,000 terms, 1 MB of text, see `benches/language.rs`): running a DFA over
//! every byte (overlapping or leftmost-longest search) cost about 10 ms for the automaton alone,
//! with 26 MB of tables and about 80 ms to build; walking an anchored DFA from word starts was no
//! better (cache misses). A contiguous NFA (about 1.4 MB, built in about 40 ms) walked from
//! word starts behind the prefix filter is the fastest of these.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::{Anchored, MatchKind};
use serde::Serialize;

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The canonical glossary term, or for an unknown acronym the acronym itself (without a
    /// plural "s").
    pub term: Arc<str>,
    /// The text as written, e.g. "APIs" or "API's".
    pub matched: String,
    /// The store id of the glossary term; `None` for unknown acronyms.
    pub term_id: Option<i64>,
    /// First character of the match, counted in Unicode scalar values (chars) from the start.
    pub start: usize,
    /// One past the last character of the match (exclusive), in chars.
    pub end: usize,
    /// Byte offset of `start` in the UTF-8 text (for Rust callers; not serialised).
    #[serde(skip)]
    pub byte_start: usize,
    /// Byte offset of `end` in the UTF-8 text (for Rust callers; not serialised).
    #[serde(skip)]
    pub byte_end: usize,
    pub kind: FindingKind,
    /// The plain-language definition; `None` for unknown acronyms. Shared with the checker, so a
    /// finding does not copy it.
    pub definition: Option<Arc<str>>,
}

/// A term as the checker keeps it.
struct Term {
    id: i64,
    term: Arc<str>,
    side: Side,
    definition: Arc<str>,
}

/// One written form of a glossary name. Several forms (from different case variants or, in a
/// broken glossary, different terms) can share one automaton pattern.
struct Target {
    /// Index into `Checker::terms`.
    term: u32,
    /// The form as written in the glossary (or its "-ies" plural).
    form: Box<str>,
    /// Per char of `form`: must this char match exactly (it belongs to an all-capitals word)?
    /// `None` when the whole form matches ignoring case.
    exact: Option<Box<[bool]>>,
    /// The last word is all capitals, so a plural is only a lowercase "s" ("APIs", not "APIes").
    caps_end: bool,
    /// False when the automaton's match (equal ignoring ASCII case) already proves the form:
    /// an ASCII form with no exact-case part. Saves reading the form on every match.
    verify: bool,
}

/// Finds glossary terms and unknown acronyms in text. Build it once per glossary version and
/// share it (it is `Send + Sync`; put it behind an `Arc`).
pub struct Checker {
    /// The automaton over every (ASCII-lower-cased) name; `None` when there are no names.
    nfa: Option<NFA>,
    /// Prefix filter: walks start only where the text's next bytes can begin a name.
    prefixes: Prefixes,
    /// Does any name begin with a char that is not a word char (".NET", "@mention")? Only
    /// then are walks started at punctuation.
    punct_start: bool,
    /// Every target, grouped by automaton pattern.
    targets: Vec<Target>,
    /// Per automaton pattern id: its range in `targets`.
    pattern_targets: Vec<(u32, u32)>,
    terms: Vec<Term>,
    /// Every glossary name that looks like an acronym, exactly as written: never "unknown".
    caps_names: HashSet<Box<str>>,
}

impl fmt::Debug for Checker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Checker")
            .field("terms", &self.terms.len())
            .field("patterns", &self.pattern_targets.len())
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
            terms.push(Term {
                id: entry.id,
                term: Arc::from(entry.term.as_str()),
                side: entry.side,
                definition: Arc::from(entry.definition.as_str()),
            });
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
        let mut pattern_targets = Vec::with_capacity(targets.len());
        let mut flat = Vec::with_capacity(targets.len());
        for mut list in targets {
            list.sort_by_key(|t| (t.exact.is_none(), t.term));
            let from = u32::try_from(flat.len()).unwrap_or(u32::MAX);
            flat.extend(list);
            pattern_targets.push((from, u32::try_from(flat.len()).unwrap_or(u32::MAX)));
        }
        let mut prefixes = Prefixes::new();
        for p in &patterns {
            prefixes.add(p.as_bytes());
        }
        let punct_start = patterns.iter().any(|p| p.chars().next().is_some_and(|c| !is_word_char(c)));
        let nfa = if patterns.is_empty() { None } else { build_automaton(&patterns) };
        Checker { nfa, prefixes, punct_start, targets: flat, pattern_targets, terms, caps_names }
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
        // Room for one finding per ~400 bytes (about one per 60 words) up front, so long texts
        // do not spend their time re-growing the list.
        let mut findings = Vec::with_capacity(n / 400);
        let mut chars = CharCounter::default();
        let mut covered = 0; // byte end of the last glossary match
        let mut prev_word = false; // is the char before `i` a word char?
        let mut i = 0;
        while i < n {
            let b = bytes[i];
            let (is_word, len) = if b < 0x80 {
                (ASCII_CLASS[usize::from(b)] & WORD != 0, 1)
            } else {
                match text.get(i..).and_then(|s| s.chars().next()) {
                    Some(c) => (is_word_char(c), c.len_utf8()),
                    None => break, // not reachable: `i` is always at a char boundary
                }
            };
            if !is_word {
                // Only a name that begins with punctuation (".NET") can start here.
                if self.punct_start && !prev_word && i >= covered && self.may_start(bytes, i) {
                    covered = self.match_at(text, i, covered, reader, &mut chars, &mut findings);
                }
                prev_word = false;
                i += len;
                continue;
            }
            // A word starts at `i` (the loop below always reads whole words).
            let start = i;
            if i >= covered && self.may_start(bytes, i) {
                covered = self.match_at(text, i, covered, reader, &mut chars, &mut findings);
            }
            i += len;
            if b.is_ascii_uppercase() || b.is_ascii_digit() {
                // Could be an acronym: read it char by char, counting capitals.
                let mut caps = usize::from(b.is_ascii_uppercase());
                let mut count = 1;
                while i < n {
                    let b = bytes[i];
                    if b < 0x80 {
                        let class = ASCII_CLASS[usize::from(b)];
                        if class & WORD == 0 {
                            break;
                        }
                        caps += usize::from(class & UPPER != 0);
                        i += 1;
                    } else {
                        match text.get(i..).and_then(|s| s.chars().next()) {
                            Some(c) if is_word_char(c) => i += c.len_utf8(),
                            _ => break,
                        }
                    }
                    count += 1;
                }
                if caps >= 2 && count <= 7 && start >= covered {
                    self.unknown_word(text, start, i, &mut chars, &mut findings);
                }
            } else {
                // Not an acronym: skip to the end of the word.
                while i < n {
                    let b = bytes[i];
                    if b < 0x80 {
                        if ASCII_CLASS[usize::from(b)] & WORD == 0 {
                            break;
                        }
                        i += 1;
                    } else {
                        match text.get(i..).and_then(|s| s.chars().next()) {
                            Some(c) if is_word_char(c) => i += c.len_utf8(),
                            _ => break,
                        }
                    }
                }
            }
            prev_word = true;
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
        let Some((end, term)) = self.longest_at(text, i) else { return covered };
        let t = &self.terms[term as usize];
        if t.side != reader {
            let start_char = chars.at(text, i);
            let end_char = chars.at(text, end);
            findings.push(Finding {
                term: t.term.clone(),
                matched: text[i..end].to_string(),
                term_id: Some(t.id),
                start: start_char,
                end: end_char,
                byte_start: i,
                byte_end: end,
                kind: FindingKind::Known,
                definition: Some(t.definition.clone()),
            });
        }
        end
    }

    /// Could a name start at byte `i`? (False positives are fine: the walk decides.)
    fn may_start(&self, bytes: &[u8], i: usize) -> bool {
        match bytes.get(i..i + 3) {
            Some(&[b0, b1, b2]) => self.prefixes.may_start(b0, b1, b2),
            _ => true,
        }
    }

    /// The longest glossary match starting at byte `start` that passes the case and boundary
    /// rules, as (byte end including any plural/possessive, term index). The caller has checked
    /// that `start` follows a non-word char. Ties go to the earlier glossary entry.
    fn longest_at(&self, text: &str, start: usize) -> Option<(usize, u32)> {
        let nfa = self.nfa.as_ref()?;
        let mut sid = nfa.start_state(Anchored::Yes).ok()?;
        let mut best: Option<(usize, u32)> = None;
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
                let Some(hay) = text.get(start..end) else { continue };
                let Some(&(from, to)) = self.pattern_targets.get(pid.as_usize()) else { continue };
                let Some(targets) = self.targets.get(from as usize..to as usize) else { continue };
                for t in targets {
                    if t.verify && !form_matches(hay, t) {
                        continue;
                    }
                    if let Some(word_end) = word_end(text, end, t.caps_end) {
                        let better = match best {
                            None => true,
                            Some((e, term)) => word_end > e || (word_end == e && t.term < term),
                        };
                        if better {
                            best = Some((word_end, t.term));
                        }
                        break;
                    }
                }
            }
        }
        best
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
            term: Arc::from(stem),
            matched: matched.to_string(),
            term_id: None,
            start: start_char,
            end: end_char,
            byte_start: start,
            byte_end: end,
            kind: FindingKind::Unknown,
            definition: None,
        });
    }
}

/// Turns byte offsets into char offsets for offsets that only grow, counting only the text
/// between one finding and the next, so a check counts each byte at most once.
#[derive(Default)]
struct CharCounter {
    byte: usize,
    chars: usize,
}

impl CharCounter {
    fn at(&mut self, text: &str, byte: usize) -> usize {
        if byte > self.byte {
            self.chars += text.get(self.byte..byte).map_or(0, |s| s.chars().count());
            self.byte = byte;
        }
        self.chars
    }
}

/// A cheap filter in front of the automaton, ignoring ASCII case like the automaton does: the
/// exact set of 2-byte starts of names shorter than 3 bytes, and a hashed set of the 3-byte
/// starts of longer names. 24 KiB in all, so it stays in the fastest caches, and most words of
/// ordinary text are rejected here without touching the automaton.
struct Prefixes {
    /// Bit `b0 << 8 | b1`: a name of 1 or 2 bytes starts with `b0 b1` (any `b1` for 1 byte).
    short: Box<[u64; 1024]>,
    /// Bit `hash(b0, b1, b2)`: a longer name may start with these 3 bytes.
    long: Box<[u64; 2048]>,
}

impl Prefixes {
    fn new() -> Prefixes {
        Prefixes { short: Box::new([0; 1024]), long: Box::new([0; 2048]) }
    }

    fn pair_bit(b0: u8, b1: u8) -> usize {
        usize::from(b0.to_ascii_lowercase()) << 8 | usize::from(b1.to_ascii_lowercase())
    }

    fn triple_bit(b0: u8, b1: u8, b2: u8) -> usize {
        let key = u32::from(b0.to_ascii_lowercase()) << 16
            | u32::from(b1.to_ascii_lowercase()) << 8
            | u32::from(b2.to_ascii_lowercase());
        (key.wrapping_mul(0x9E37_79B1) >> (32 - 17)) as usize
    }

    fn add(&mut self, name: &[u8]) {
        match *name {
            [] => {}
            [b0] => {
                for b1 in 0..=255u8 {
                    let bit = Self::pair_bit(b0, b1);
                    self.short[bit >> 6] |= 1 << (bit & 63);
                }
            }
            [b0, b1] => {
                let bit = Self::pair_bit(b0, b1);
                self.short[bit >> 6] |= 1 << (bit & 63);
            }
            [b0, b1, b2, ..] => {
                let bit = Self::triple_bit(b0, b1, b2);
                self.long[bit >> 6] |= 1 << (bit & 63);
            }
        }
    }

    fn may_start(&self, b0: u8, b1: u8, b2: u8) -> bool {
        let pair = Self::pair_bit(b0, b1);
        let triple = Self::triple_bit(b0, b1, b2);
        self.short[pair >> 6] & (1 << (pair & 63)) != 0 || self.long[triple >> 6] & (1 << (triple & 63)) != 0
    }
}

/// Class bits of ASCII bytes.
const WORD: u8 = 1;
const UPPER: u8 = 2;

const ASCII_CLASS: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_uppercase() {
            table[b] = WORD | UPPER;
        } else if c.is_ascii_alphanumeric() || c == b'_' {
            table[b] = WORD;
        }
        b += 1;
    }
    table
};

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

fn build_automaton(patterns: &[String]) -> Option<NFA> {
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

fn is_cased(c: char) -> bool {
    c.is_uppercase() || c.is_lowercase()
}

/// Which chars of `form` must match exactly: all of them when the form has at least two
/// letters and no lowercase letter ("API", "P&L", "CI/CD", "B2B"); otherwise those of each
/// all-capitals word with at least two letters ("API" in "API gateway"). `None` when nothing
/// must match exactly.
fn exact_mask(form: &str) -> Option<Box<[bool]>> {
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
fn forms_of(name: &str) -> Vec<String> {
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
fn case_variants(form: &str, all_exact: bool) -> Vec<String> {
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
fn form_matches(hay: &str, t: &Target) -> bool {
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
fn boundary(rest: &str) -> bool {
    !rest.chars().next().is_some_and(is_word_char)
}

/// Where a match ending at byte `end` really ends: after a possessive ("'s", "’s") or plural
/// ("s", "es"; only a lowercase "s" after an all-capitals word) when that ends the word, at
/// `end` when the word ends there, or `None` when the match is inside a longer word.
fn word_end(text: &str, end: usize, caps_end: bool) -> Option<usize> {
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
