//! The vocabulary behind typo-tolerant search (`bridge_domain::search`): every word written in a
//! request or a glossary name, kept in `search_words` by the writes that bring them (and filled
//! from what was there by migration 0017). Words are never removed: a word nobody uses any more
//! only makes a correction find nothing, as the search it corrects did.

use std::collections::{BTreeSet, HashMap, HashSet};

use bridge_domain::search::{self, Correction};
use bridge_domain::Error;

use super::{Arg, Db, Tx};

/// Words per statement: well under both databases' limits on binds.
const WORDS_PER_INSERT: usize = 400;

/// The first string after every string that starts with `prefix` (in byte order, which the
/// `search_words` column sorts by on both databases): the end of a prefix range.
fn after_prefix(prefix: &str) -> String {
    format!("{prefix}{}", char::MAX)
}

impl Tx<'_> {
    /// Adds the words of these texts to the vocabulary (those it has already are left alone).
    pub(in crate::store) async fn remember_words(&mut self, texts: &[&str]) -> Result<(), Error> {
        let words: BTreeSet<String> = texts.iter().flat_map(|t| search::words(t)).collect();
        let words: Vec<String> = words.into_iter().collect();
        for chunk in words.chunks(WORDS_PER_INSERT) {
            let values = (1..=chunk.len()).map(|i| format!("(${i})")).collect::<Vec<_>>().join(",");
            let args: Vec<Arg> = chunk.iter().map(|w| Arg::S(w.clone())).collect();
            self.execute(&format!("INSERT INTO search_words (word) VALUES {values} ON CONFLICT DO NOTHING"), &args)
                .await?;
        }
        Ok(())
    }
}

#[derive(serde::Deserialize, sqlx::FromRow)]
struct Word {
    word: String,
}

impl Db {
    /// The query with its misspelt words replaced by the nearest known ones, or `None` when every
    /// word is known or none has a near neighbour. For a search that found nothing.
    pub async fn correct_search(&self, q: &str) -> Result<Option<Correction>, Error> {
        let words: Vec<String> = search::query_words(q).iter().map(|w| w.to_lowercase()).collect();
        let asked: Vec<&String> = words.iter().filter(|w| search::correctable(w)).collect();
        if asked.is_empty() {
            return Ok(None);
        }
        let marks = (1..=asked.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(",");
        let known: Vec<Word> = self
            .rows(
                format!("SELECT word FROM search_words WHERE word IN ({marks})"),
                asked.iter().map(|w| Arg::S(w.to_string())).collect(),
            )
            .await?;
        let known: HashSet<String> = known.into_iter().map(|w| w.word).collect();
        let last = words.last().cloned().unwrap_or_default();
        let last_is_prefix = !known.contains(&last)
            && self
                .count(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM search_words WHERE word > $1 AND word < $2 LIMIT 1) p".into(),
                    vec![Arg::S(last.clone()), Arg::S(after_prefix(&last))],
                )
                .await?
                > 0;
        let mut candidates: HashMap<String, Vec<String>> = HashMap::new();
        for word in asked {
            if known.contains(word) || candidates.contains_key(word) {
                continue;
            }
            let Some((first, shortest, longest)) = search::candidate_range(word) else { continue };
            let rows: Vec<Word> = self
                .rows(
                    "SELECT word FROM search_words WHERE word >= $1 AND word < $2 AND length(word) BETWEEN $3 AND $4"
                        .into(),
                    vec![
                        Arg::S(first.clone()),
                        Arg::S(after_prefix(&first)),
                        Arg::I(shortest as i64),
                        Arg::I(longest as i64),
                    ],
                )
                .await?;
            candidates.insert(word.clone(), rows.into_iter().map(|w| w.word).collect());
        }
        let none: Vec<String> = Vec::new();
        Ok(search::correct(q, &known, last_is_prefix, |w| candidates.get(w).map_or(none.as_slice(), Vec::as_slice)))
    }
}
