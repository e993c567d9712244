//! Adding to a conversation, for every area: the text's rules, who is mentioned, who is told.

use bridge_domain::conversation::{mentioned_accounts, unknown_mentions, validate_comment};
use bridge_domain::notify::NoticeKind;
use bridge_domain::Error;

use super::{notify, Caller};
use crate::store::comments::{NewComment, Subject};
use crate::store::notifications::Notice;
use crate::store::{now_ms, Db};

/// What a comment is on, as the notifications name and link it.
pub struct Topic<'a> {
    pub subject: Subject,
    pub subject_id: i64,
    /// e.g. the request's title.
    pub title: &'a str,
    /// The page of the subject; the comment's anchor is added to it.
    pub link: String,
    /// The account that hears about every new message (a request's author), mentioned or not.
    pub owner_account: Option<i64>,
}

/// Adds a comment by the caller (their name and side) and tells everyone it @mentions and the
/// subject's owner, never the writer. Returns the comment's id and how many were told.
pub async fn add(db: &Db, caller: &Caller, side: &str, topic: &Topic<'_>, body: &str) -> Result<(i64, usize), Error> {
    caller.require_write()?;
    let body = validate_comment(body)?;
    let actor = &caller.actor;
    let people = db.mentionable().await?;
    // A misspelt name would tell nobody without anyone knowing: refused, the text kept.
    if let Some(word) = unknown_mentions(body, &people).first() {
        return Err(Error::field(
            "body",
            format!(
                "Nobody called “@{word}” can be told: write their full name as in the directory or their email \
                 after the @, or remove the @."
            ),
        ));
    }
    let mentioned: Vec<i64> =
        mentioned_accounts(body, &people).into_iter().filter(|a| Some(*a) != actor.account_id).collect();
    let owner = topic.owner_account.filter(|a| Some(*a) != actor.account_id && !mentioned.contains(a));
    let told: Vec<(i64, NoticeKind)> =
        mentioned.iter().map(|a| (*a, NoticeKind::Mention)).chain(owner.map(|a| (a, NoticeKind::MyRequests))).collect();
    let emailed = notify::emailed_at_once(db, &told).await?;
    let notices = |comment_id: i64| -> Vec<Notice> {
        let link = format!("{}#comment-{comment_id}", topic.link);
        let to =
            |account_id: i64, kind, text: String, email| Notice { account_id, kind, text, link: link.clone(), email };
        mentioned
            .iter()
            .map(|a| {
                to(
                    *a,
                    NoticeKind::Mention,
                    format!("{} mentioned you on {}: {}", actor.name, topic.title, quote(body)),
                    emailed.contains(&(*a, NoticeKind::Mention)),
                )
            })
            .chain(owner.map(|a| {
                let text =
                    format!("{} wrote on your {} {}: {}", actor.name, noun(topic.subject), topic.title, quote(body));
                to(a, NoticeKind::MyRequests, text, emailed.contains(&(a, NoticeKind::MyRequests)))
            }))
            .collect()
    };
    let comment = NewComment {
        subject: topic.subject,
        subject_id: topic.subject_id,
        author_id: caller.person_id,
        author_side: side,
        body,
        at: now_ms(),
        summary: format!("Commented on {}", topic.title),
    };
    let id = db.add_comment(actor, &comment, notices).await?;
    Ok((id, mentioned.len() + usize::from(owner.is_some())))
}

/// The start of a message, as a notification quotes it: “Could you say which stores…”.
pub fn quote(text: &str) -> String {
    const SHOWN: usize = 90;
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= SHOWN {
        return format!("“{flat}”");
    }
    let cut: String = flat.chars().take(SHOWN).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head).to_string();
    format!("“{cut}…”")
}

/// The subject in words, as notifications say it: "wrote on your request …".
fn noun(subject: Subject) -> &'static str {
    match subject {
        Subject::Request => "request",
    }
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn a_quote_keeps_a_short_message_and_cuts_a_long_one_at_a_word() {
        assert_eq!(quote("  Which   stores?\n"), "“Which stores?”");
        let long = "word ".repeat(40);
        let q = quote(&long);
        assert!(q.ends_with("…”") && q.chars().count() <= 93 && !q.contains("wor…"), "{q}");
    }
}
