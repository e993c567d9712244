//! Typo tolerance for searches: the words Bridge knows (every word written in a request or a
//! glossary name), and the nearest known word for one it does not know ("kajak" → "kayak").
//!
//! Both databases stem words in their full-text indexes ("report" finds "reporting"); a misspelt
//! word stems to nothing they hold. So when a search finds nothing, the store looks up its words,
//! and each one no request or term contains is replaced by the nearest known word, if one is
//! close enough (see [`tolerance`]). The search runs again with the corrected words and the page
//! says so. Candidates share the word's first letter: typos there are rare, and it keeps the
//! look-up to one slice of an index.

use std::collections::{BTreeSet, HashSet};

/// Words shorter than this are neither stored nor corrected: too many words are near them.
pub const MIN_WORD: usize = 3;
/// Longer "words" (pasted codes, URLs) are not stored.
pub const MAX_WORD: usize = 40;

/// The distinct words of a text as the vocabulary keeps them: runs of letters, lower-cased,
/// between [`MIN_WORD`] and [`MAX_WORD`] letters.
pub fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| (MIN_WORD..=MAX_WORD).contains(&w.chars().count()))
        .map(str::to_lowercase)
        .collect()
}

/// The words of a search query, in order, as the full-text searches split it.
pub fn query_words(q: &str) -> Vec<&str> {
    q.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).take(12).collect()
}

/// How many edits a word of this length may be away from the word it is taken for: none under
/// four letters, one up to seven, two from eight.
pub fn tolerance(word: &str) -> usize {
    match word.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Edits (insert, delete, replace, or swap two neighbours) between two words: the optimal string
/// alignment distance, over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows of the table: two back (for swaps), one back, and the one being filled.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (previous[j] + 1).min(current[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            current[j] = d;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// How much longer than the typed word a known word may be and still be taken for it by its
/// start ("kajak" for "kayaks", since searches stem and take the last word as a prefix).
pub const LONGER_BY: usize = 4;

/// The known word nearest to `word` within its [`tolerance`], counting a longer word as near as
/// its start: the fewest edits, then a whole word before a start, then the closest length, then
/// alphabetical order (so the answer never depends on the order of `candidates`).
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    let allowed = tolerance(&word);
    if allowed == 0 {
        return None;
    }
    let len = word.chars().count();
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .filter_map(|c| {
            let c_len = c.chars().count();
            let whole = edit_distance(&word, c);
            let start = if c_len > len && c_len <= len + allowed + LONGER_BY {
                edit_distance(&word, &c.chars().take(len).collect::<String>())
            } else {
                usize::MAX
            };
            let d = whole.min(start);
            (d <= allowed).then_some((d, whole > d, c_len.abs_diff(len), c))
        })
        .min()
        .map(|(_, _, _, c)| c)
}

/// A word of the query that the vocabulary may be asked about: letters only, long enough to be
/// corrected.
pub fn correctable(word: &str) -> bool {
    word.chars().all(char::is_alphabetic) && tolerance(word) > 0
}

/// The candidates a correction of `word` looks among: known words starting with the same letter
/// whose length is within the word's tolerance (or up to [`LONGER_BY`] more, for their start).
/// Returns (first letter, shortest, longest).
pub fn candidate_range(word: &str) -> Option<(String, usize, usize)> {
    let word = word.to_lowercase();
    let first = word.chars().next()?;
    let allowed = tolerance(&word);
    let len = word.chars().count();
    Some((first.to_string(), len.saturating_sub(allowed).max(MIN_WORD), len + allowed + LONGER_BY))
}

/// A search with misspelt words replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// The query to run instead.
    pub query: String,
    /// (as typed, taken as), in the order of the query.
    pub replaced: Vec<(String, String)>,
}

/// Rewrites a query whose words are not all known. `known` holds the query's words (lower-cased)
/// that the vocabulary has; the last word also counts as known when a known word starts with it
/// (`last_is_prefix`), since searches take it as a prefix. `candidates(word)` lists known words
/// near it. `None` when nothing could be corrected.
pub fn correct<'c>(
    q: &str,
    known: &HashSet<String>,
    last_is_prefix: bool,
    candidates: impl Fn(&str) -> &'c [String],
) -> Option<Correction> {
    let words = query_words(q);
    let mut replaced = Vec::new();
    let mut query = Vec::with_capacity(words.len());
    for (i, word) in words.iter().enumerate() {
        let lower = word.to_lowercase();
        let is_last = i + 1 == words.len();
        let is_known = known.contains(&lower) || (is_last && last_is_prefix) || !correctable(word);
        match (!is_known).then(|| nearest(&lower, candidates(&lower).iter().map(String::as_str))).flatten() {
            Some(better) => {
                replaced.push((word.to_string(), better.to_string()));
                query.push(better.to_string());
            }
            None => query.push(word.to_string()),
        }
    }
    (!replaced.is_empty()).then(|| Correction { query: query.join(" "), replaced })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn words_are_lower_cased_runs_of_letters() {
        let w = words("Kayak bookings: 12 double-counted, in Q3 report's end");
        let got: Vec<&str> = w.iter().map(String::as_str).collect();
        assert_eq!(got, ["bookings", "counted", "double", "end", "kayak", "report"]);
    }

    #[test]
    fn edit_distance_counts_each_kind_of_edit() {
        assert_eq!(edit_distance("kayak", "kayak"), 0);
        assert_eq!(edit_distance("kajak", "kayak"), 1);
        assert_eq!(edit_distance("kayk", "kayak"), 1);
        assert_eq!(edit_distance("kayaak", "kayak"), 1);
        assert_eq!(edit_distance("kyaak", "kayak"), 1, "a swap of neighbours is one edit");
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("invoice", "invocie"), 1);
        assert_eq!(edit_distance("reporting", "reprotnig"), 2);
        assert_eq!(edit_distance("café", "cafe"), 1, "characters, not bytes");
    }

    #[test]
    fn nearest_stays_within_the_tolerance() {
        let known = ["kayak", "karaoke", "kayaks", "kettle"];
        assert_eq!(nearest("kajak", known), Some("kayak"));
        assert_eq!(nearest("Kajak", known), Some("kayak"));
        assert_eq!(nearest("kxyxk", known), None, "two edits are too many for five letters");
        assert_eq!(nearest("cat", ["car"]), None, "short words are not corrected");
        assert_eq!(nearest("bookigns", ["bookings", "booking"]), Some("bookings"));
        assert_eq!(nearest("kajak", ["kayaks", "kettle"]), Some("kayaks"), "by the start of a longer word");
        assert_eq!(nearest("kajak", ["kayaks", "kayak"]), Some("kayak"), "a whole word first");
        assert_eq!(nearest("kajak", ["kayaking"]), Some("kayaking"));
        assert_eq!(nearest("kajak", ["kayakingclubhouse"]), None, "not a much longer word");
    }

    #[test]
    fn nearest_prefers_fewest_edits_then_length_then_alphabet() {
        assert_eq!(nearest("stoer", ["store", "steer", "stoker"]), Some("steer"));
        assert_eq!(nearest("stoer", ["stoker", "store"]), Some("store"));
        assert_eq!(nearest("invoise", ["invoice", "invoices"]), Some("invoice"));
    }

    #[test]
    fn correct_replaces_only_unknown_words() {
        let known: HashSet<String> = ["bookings".to_string()].into();
        let near: HashMap<&str, Vec<String>> =
            [("kajak", vec!["kayak".to_string(), "kale".to_string()])].into_iter().collect();
        let empty: Vec<String> = vec![];
        let lookup = |w: &str| near.get(w).map_or(empty.as_slice(), Vec::as_slice);
        let c = correct("kajak bookings", &known, false, lookup).unwrap();
        assert_eq!(c.query, "kayak bookings");
        assert_eq!(c.replaced, [("kajak".to_string(), "kayak".to_string())]);
        assert_eq!(correct("bookings", &known, false, lookup), None);
        assert_eq!(correct("bookings kaj", &known, false, lookup), None, "short words stay");
        assert_eq!(correct("bookings kajak", &known, true, lookup), None, "a known prefix stays");
        assert_eq!(correct("q3 bookings", &known, false, lookup), None, "numbers stay");
        assert_eq!(correct("", &known, false, lookup), None);
    }

    #[test]
    fn candidate_range_follows_the_tolerance() {
        assert_eq!(candidate_range("kajak"), Some(("k".into(), 4, 10)));
        assert_eq!(candidate_range("reprotnig"), Some(("r".into(), 7, 15)));
        assert_eq!(candidate_range("abcd"), Some(("a".into(), 3, 9)));
        assert_eq!(candidate_range(""), None);
    }
}
