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

/// Someone who can be @mentioned: a person with an account that can sign in.
#[derive(Debug, Clone, PartialEq)]
pub struct Mentionable {
    pub person_id: i64,
    pub account_id: i64,
    pub name: String,
    pub email: String,
}

/// The accounts a comment mentions, in the order first found. The rule: `@` followed by a
/// person's full name as in the directory (`@Rajesh Menon`, any letter case) or by their email
/// (`@rajesh.menon@alderbrook.example`), not followed by a letter or digit. Pass people longest
/// name first, so `@Ana Maria Ruiz` is not taken for `@Ana Maria`.
pub fn mentioned_accounts(body: &str, people: &[Mentionable]) -> Vec<i64> {
    let lower = body.to_lowercase();
    let mut found = Vec::new();
    for p in people {
        for needle in [format!("@{}", p.name.to_lowercase()), format!("@{}", p.email.to_lowercase())] {
            let mut from = 0;
            while let Some(pos) = lower[from..].find(&needle) {
                let end = from + pos + needle.len();
                if !lower[end..].chars().next().is_some_and(char::is_alphanumeric) {
                    if !found.contains(&p.account_id) {
                        found.push(p.account_id);
                    }
                    break;
                }
                from = end;
            }
        }
    }
    found
}

/// The @-words of a comment that mention nobody: `@` at the start of a word, followed by a letter,
/// where no one's name or email follows. Each is the word after the `@`, as written, once.
pub fn unknown_mentions(body: &str, people: &[Mentionable]) -> Vec<String> {
    let lower = body.to_lowercase();
    let mut unknown = Vec::new();
    for (at, _) in lower.match_indices('@') {
        let starts_word = !lower[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '.');
        let rest = &lower[at + 1..];
        if !starts_word || !rest.chars().next().is_some_and(char::is_alphabetic) {
            continue;
        }
        let known = people.iter().any(|p| {
            [p.name.to_lowercase(), p.email.to_lowercase()].iter().any(|n| {
                rest.starts_with(n.as_str()) && !rest[n.len()..].chars().next().is_some_and(char::is_alphanumeric)
            })
        });
        if !known {
            let word: String = body[at + 1..].chars().take_while(|c| c.is_alphanumeric() || *c == '.').collect();
            let word = word.trim_end_matches('.').to_string();
            if !unknown.contains(&word) {
                unknown.push(word);
            }
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
    fn a_comment_is_trimmed_and_must_say_something() {
        assert_eq!(validate_comment("  hi \n").unwrap(), "hi");
        assert!(validate_comment(" \n ").is_err());
        assert!(validate_comment(&"x".repeat(MAX_COMMENT_CHARS + 1)).is_err());
    }
}
