//! Adding to a conversation, for every area: the text's rules, who is mentioned, who is told; and
//! a writer's corrections of their own message for a short while.

use std::collections::HashSet;

use bridge_domain::conversation::{
    check_correction, mentioned_people, unknown_mentions, validate_comment, Mentionable,
};
use bridge_domain::notify::NoticeKind;
use bridge_domain::Error;

use super::{notify, Caller};
use crate::store::comments::{Comment, CommentChange, NewComment, Subject};
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

/// A message's text checked against the directory: the people it mentions, or a refusal when an
/// @-word names nobody (a misspelt name would tell nobody without anyone knowing).
fn checked_mentions<'p>(body: &str, people: &'p [Mentionable]) -> Result<Vec<&'p Mentionable>, Error> {
    if let Some(word) = unknown_mentions(body, people).first() {
        return Err(Error::field(
            "body",
            format!(
                "Nobody called “@{word}” can be told: write their full name as in the directory or their email \
                 after the @, or remove the @."
            ),
        ));
    }
    Ok(mentioned_people(body, people))
}

/// Who a message would tell, before it is sent: the people it mentions (by name) and the @-words
/// that name nobody. For the live line under the message box.
pub async fn preview(db: &Db, body: &str) -> Result<(Vec<String>, Vec<String>), Error> {
    let people = db.mentionable().await?;
    let named = mentioned_people(body, &people).into_iter().map(|p| p.name.clone()).collect();
    Ok((named, unknown_mentions(body, &people)))
}

/// The notices telling `accounts` they were mentioned in comment `comment_id`.
fn mention_notices(
    caller: &Caller,
    topic: &Topic<'_>,
    comment_id: i64,
    body: &str,
    accounts: &[i64],
    emailed: &HashSet<(i64, NoticeKind)>,
) -> Vec<Notice> {
    accounts
        .iter()
        .map(|a| Notice {
            account_id: *a,
            kind: NoticeKind::Mention,
            text: format!("{} mentioned you on {}: {}", caller.actor.name, topic.title, quote(body)),
            link: format!("{}#comment-{comment_id}", topic.link),
            email: emailed.contains(&(*a, NoticeKind::Mention)),
        })
        .collect()
}

/// Adds a comment by the caller (their name and side) and tells everyone it @mentions and the
/// subject's owner, never the writer. Returns the comment's id and how many were told.
pub async fn add(db: &Db, caller: &Caller, side: &str, topic: &Topic<'_>, body: &str) -> Result<(i64, usize), Error> {
    caller.require_write()?;
    let body = validate_comment(body)?;
    let actor = &caller.actor;
    let people = db.mentionable().await?;
    let mentioned_persons = checked_mentions(body, &people)?;
    let person_ids: Vec<i64> = mentioned_persons.iter().map(|p| p.person_id).collect();
    let mentioned: Vec<i64> =
        mentioned_persons.iter().map(|p| p.account_id).filter(|a| Some(*a) != actor.account_id).collect();
    let owner = topic.owner_account.filter(|a| Some(*a) != actor.account_id && !mentioned.contains(a));
    let told: Vec<(i64, NoticeKind)> =
        mentioned.iter().map(|a| (*a, NoticeKind::Mention)).chain(owner.map(|a| (a, NoticeKind::MyRequests))).collect();
    let emailed = notify::emailed_at_once(db, &told).await?;
    let notices = |comment_id: i64| -> Vec<Notice> {
        let mut notices = mention_notices(caller, topic, comment_id, body, &mentioned, &emailed);
        notices.extend(owner.map(|a| Notice {
            account_id: a,
            kind: NoticeKind::MyRequests,
            text: format!("{} wrote on your {} {}: {}", actor.name, noun(topic.subject), topic.title, quote(body)),
            link: format!("{}#comment-{comment_id}", topic.link),
            email: emailed.contains(&(a, NoticeKind::MyRequests)),
        }));
        notices
    };
    let comment = NewComment {
        subject: topic.subject,
        subject_id: topic.subject_id,
        author_id: caller.person_id,
        author_side: side,
        body,
        mentions: &person_ids,
        at: now_ms(),
        summary: format!("Commented on {}", topic.title),
    };
    let id = db.add_comment(actor, &comment, notices).await?;
    Ok((id, mentioned.len() + usize::from(owner.is_some())))
}

/// The message, when it is on this subject and the caller may correct or remove it now.
pub async fn correctable_message(
    db: &Db,
    caller: &Caller,
    subject: Subject,
    subject_id: i64,
    comment_id: i64,
) -> Result<Comment, Error> {
    caller.require_write()?;
    let c = db.get_comment(comment_id).await?;
    if c.subject != subject.as_str() || c.subject_id != subject_id {
        return Err(Error::not_found("The message"));
    }
    check_correction(c.author_id, caller.person_id, c.at, c.removed_at.is_some(), now_ms())?;
    Ok(c)
}

/// Corrects (`Some` new text) or removes (`None`) the caller's own message on `topic`, within
/// [`bridge_domain::conversation::CORRECTION_MINUTES`] of sending; what it said is kept. People a
/// correction newly mentions are told. Returns how many were told.
pub async fn correct(
    db: &Db,
    caller: &Caller,
    topic: &Topic<'_>,
    comment_id: i64,
    new_body: Option<&str>,
) -> Result<usize, Error> {
    let c = correctable_message(db, caller, topic.subject, topic.subject_id, comment_id).await?;
    let people = db.mentionable().await?;
    let (after, person_ids, newly) = match new_body {
        Some(text) => {
            let text = validate_comment(text)?;
            let mentioned = checked_mentions(text, &people)?;
            let before: Vec<i64> = mentioned_people(&c.body, &people).iter().map(|p| p.account_id).collect();
            let newly: Vec<i64> = mentioned
                .iter()
                .map(|p| p.account_id)
                .filter(|a| !before.contains(a) && Some(*a) != caller.actor.account_id)
                .collect();
            (Some(text), mentioned.iter().map(|p| p.person_id).collect::<Vec<_>>(), newly)
        }
        None => (None, vec![], vec![]),
    };
    let told: Vec<(i64, NoticeKind)> = newly.iter().map(|a| (*a, NoticeKind::Mention)).collect();
    let emailed = notify::emailed_at_once(db, &told).await?;
    let notices = after.map(|t| mention_notices(caller, topic, comment_id, t, &newly, &emailed)).unwrap_or_default();
    let verb = if after.is_some() { "Corrected a message on" } else { "Removed a message on" };
    let change = CommentChange {
        subject: topic.subject,
        subject_id: topic.subject_id,
        comment_id,
        before: &c.body,
        after,
        mentions: &person_ids,
        at: now_ms(),
        summary: format!("{verb} {}", topic.title),
    };
    db.change_comment(&caller.actor, &change, &notices).await?;
    Ok(notices.len())
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
