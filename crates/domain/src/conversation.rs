//! Comments with @mentions: the rules every area with a conversation shares.

use crate::Error;

pub const MAX_COMMENT_CHARS: usize = 4_000;

/// A comment's text as it is kept: trimmed, not empty, under [`MAX_COMMENT_CHARS`].
pub fn validate_comment(body: &str) -> Result<&str, Error> {
    let body = body.trim();
    if body.is_empty() {
        return Err(Error::field("body", "Write something before sending."));
    }
    if body.chars().count() > MAX_COMMENT_CHARS {
        return Err(Error::field("body", "Keep a comment under 4,000 characters."));
    }
    Ok(body)
}

/// How long after sending its writer may correct or remove a message: long enough to catch a
/// slip, short enough that replies do not come to read something else.
pub const CORRECTION_MINUTES: i64 = 15;

/// Whether `person` may correct or remove a message written by `author` at `at` (epoch ms),
/// `now`. Refusals say why, in the words the page shows.
pub fn check_correction(
    author: Option<i64>,
    person: Option<i64>,
    at: i64,
    removed: bool,
    now: i64,
) -> Result<(), Error> {
    if author.is_none() || author != person {
        return Err(Error::forbidden("Only the person who wrote a message can correct or remove it."));
    }
    if removed {
        return Err(Error::conflict("This message has been removed."));
    }
    if now - at > CORRECTION_MINUTES * 60_000 {
        return Err(Error::conflict(format!(
            "A message can be corrected or removed for {CORRECTION_MINUTES} minutes after it is sent. Write a new one instead."
        )));
    }
    Ok(())
}

/// Whether a message written at `at` can still be corrected `now` (for showing the links).
pub fn correctable(at: i64, now: i64) -> bool {
    now - at <= CORRECTION_MINUTES * 60_000
}

/// Someone who can be @mentioned: a person with an account that can sign in.
#[derive(Debug, Clone, PartialEq)]
pub struct Mentionable {
    pub person_id: i64,
    pub account_id: i64,
    pub name: String,
    pub email: String,
}

/// One `@` in a comment that starts a mention: where it is (bytes of the comment, the `@`
/// included) and whom it names, if anyone.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention<'a> {
    pub range: std::ops::Range<usize>,
    /// `None`: nobody has this name or email; [`Mention::word`] is what was written.
    pub person: Option<&'a Mentionable>,
}

impl Mention<'_> {
    /// For a mention of nobody: the word after the `@`, as written.
    pub fn word<'b>(&self, body: &'b str) -> &'b str {
        &body[self.range.start + 1..self.range.end]
    }
}

/// The byte length of `needle` at the start of `hay`, comparing letters without regard to case,
/// when `hay` starts with it and no letter or digit follows.
fn names_at(hay: &str, needle: &str) -> Option<usize> {
    let mut hay_chars = hay.char_indices();
    for n in needle.chars() {
        let (_, h) = hay_chars.next()?;
        if !h.to_lowercase().eq(n.to_lowercase()) {
            return None;
        }
    }
    let end = hay_chars.next().map_or(hay.len(), |(i, c)| if c.is_alphanumeric() { usize::MAX } else { i });
    (end != usize::MAX).then_some(end)
}

/// Every mention in a comment, in order. The rule: an `@` that starts a word, followed by a
/// letter; it names the person whose full name as in the directory (`@Rajesh Menon`, any letter
/// case) or whose email (`@rajesh.menon@alderbrook.example`) follows, not followed by a letter or
/// digit; the longest such name wins (`@Ana Maria Ruiz` is not `@Ana Maria`). Otherwise it
/// mentions nobody, and covers the word after it.
pub fn mentions<'a>(body: &str, people: &'a [Mentionable]) -> Vec<Mention<'a>> {
    let mut found = Vec::new();
    for (at, _) in body.match_indices('@') {
        let starts_word = !body[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '.');
        let rest = &body[at + 1..];
        if !starts_word || !rest.chars().next().is_some_and(char::is_alphabetic) {
            continue;
        }
        let named = people
            .iter()
            .filter_map(|p| {
                let len = [&p.name, &p.email].iter().filter_map(|n| names_at(rest, n)).max()?;
                Some((len, p))
            })
            .max_by_key(|(len, _)| *len);
        let mention = match named {
            Some((len, p)) => Mention { range: at..at + 1 + len, person: Some(p) },
            None => {
                let word: usize =
                    rest.chars().take_while(|c| c.is_alphanumeric() || *c == '.').map(char::len_utf8).sum::<usize>();
                let word = rest[..word].trim_end_matches('.').len();
                Mention { range: at..at + 1 + word, person: None }
            }
        };
        found.push(mention);
    }
    found
}

/// The people a comment mentions, each once, in the order first found (see [`mentions`]).
pub fn mentioned_people<'a>(body: &str, people: &'a [Mentionable]) -> Vec<&'a Mentionable> {
    let mut found: Vec<&Mentionable> = Vec::new();
    for m in mentions(body, people) {
        if let Some(p) = m.person.filter(|p| !found.iter().any(|f| f.account_id == p.account_id)) {
            found.push(p);
        }
    }
    found
}

/// The accounts a comment mentions, each once, in the order first found.
pub fn mentioned_accounts(body: &str, people: &[Mentionable]) -> Vec<i64> {
    mentioned_people(body, people).into_iter().map(|p| p.account_id).collect()
}

/// The @-words of a comment that mention nobody, each once, as written (see [`mentions`]).
pub fn unknown_mentions(body: &str, people: &[Mentionable]) -> Vec<String> {
    let mut unknown: Vec<String> = Vec::new();
    for m in mentions(body, people).iter().filter(|m| m.person.is_none()) {
        let word = m.word(body).to_string();
        if !unknown.contains(&word) {
            unknown.push(word);
        }
    }
    unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_at_word_that_names_nobody_is_found_and_emails_are_not_mentions() {
        let people = [person(1, "Rajesh Menon", "rajesh.menon@alderbrook.example")];
        assert_eq!(unknown_mentions("@Rajsh please look", &people), vec!["Rajsh"]);
        assert!(unknown_mentions("@rajesh menon, and write to ana@example.com", &people).is_empty());
        assert!(unknown_mentions("@rajesh.menon@alderbrook.example thanks; price @ 5 each", &people).is_empty());
        assert_eq!(unknown_mentions("@Nobody and @Nobody again.", &people), vec!["Nobody"]);
    }

    fn person(account_id: i64, name: &str, email: &str) -> Mentionable {
        Mentionable { person_id: account_id * 10, account_id, name: name.into(), email: email.into() }
    }

    #[test]
    fn finds_names_and_emails_but_not_prefixes_of_longer_words() {
        let people = [person(1, "Ana Maria Ruiz", "ana@x.example"), person(2, "Raj Menon", "raj@x.example")];
        assert_eq!(mentioned_accounts("Thanks @ana maria ruiz and @RAJ@x.example!", &people), vec![1, 2]);
        assert!(mentioned_accounts("@Raj Menonson is someone else", &people).is_empty());
        assert_eq!(mentioned_accounts("@Raj Menonson, and @Raj Menon.", &people), vec![2]);
    }

    #[test]
    fn mentions_cover_the_name_as_written_for_highlighting() {
        let people = [person(1, "Joanna Wiśniewska", "joanna@x.example"), person(2, "Jo Ng", "jo@x.example")];
        let body = "Hi @JOANNA WIŚNIEWSKA and @jo ng, cc @Nobody.";
        let found = mentions(body, &people);
        let spans: Vec<&str> = found.iter().map(|m| &body[m.range.clone()]).collect();
        assert_eq!(spans, ["@JOANNA WIŚNIEWSKA", "@jo ng", "@Nobody"]);
        assert_eq!(found[0].person.map(|p| p.account_id), Some(1));
        assert_eq!(found[2].person, None);
        assert_eq!(found[2].word(body), "Nobody");
    }

    #[test]
    fn only_the_writer_corrects_and_only_for_a_while() {
        let sent = 1_000_000;
        let minute = 60_000;
        assert!(check_correction(Some(7), Some(7), sent, false, sent + 14 * minute).is_ok());
        assert!(matches!(check_correction(Some(7), Some(8), sent, false, sent), Err(Error::Forbidden(_))));
        assert!(matches!(check_correction(None, None, sent, false, sent), Err(Error::Forbidden(_))));
        assert!(matches!(check_correction(Some(7), Some(7), sent, true, sent), Err(Error::Conflict { .. })));
        assert!(matches!(
            check_correction(Some(7), Some(7), sent, false, sent + 16 * minute),
            Err(Error::Conflict { .. })
        ));
        assert!(correctable(sent, sent + 15 * minute) && !correctable(sent, sent + 15 * minute + 1));
    }

    #[test]
    fn a_comment_is_trimmed_and_must_say_something() {
        assert_eq!(validate_comment("  hi \n").unwrap(), "hi");
        assert!(validate_comment(" \n ").is_err());
        assert!(validate_comment(&"x".repeat(MAX_COMMENT_CHARS + 1)).is_err());
    }
}
