//! IT's principles explained: read by everyone with how many understood each, kept by IT
//! (their explanations in words the business knows), marked understood, asked about and
//! answered.

use std::collections::HashMap;

use bridge_domain::learning::principles::{validate_principle, validate_question, PrincipleInput, PrincipleKind};
use bridge_domain::notify::NoticeKind;
use bridge_domain::Error;
use serde::Serialize;

use super::super::directory::Directory;
use super::super::engagement::PersonRef;
use super::super::Caller;
use crate::store::learning::principles::QuestionRow;
use crate::store::Db;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QuestionView {
    pub id: i64,
    pub asked_by: Option<PersonRef>,
    pub question: String,
    /// `YYYY-MM-DD`
    pub asked_on: String,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PrincipleView {
    pub id: i64,
    pub title: String,
    /// governance, security, compliance, standards or architecture
    pub kind: String,
    pub kind_label: &'static str,
    pub statement: String,
    pub why_it_matters: String,
    pub example: String,
    /// How many people marked it understood, and whether the reader did.
    pub understood_by: i64,
    pub understood_by_me: bool,
    pub questions: Vec<QuestionView>,
    pub version: i64,
}

fn day(ms: i64) -> String {
    bridge_domain::intake::parse::Date::from_days(ms.div_euclid(86_400_000)).to_string()
}

fn question_view(directory: &Directory, q: QuestionRow) -> QuestionView {
    let asked_by =
        directory.person(q.person_id).map(|p| PersonRef { id: p.id, name: p.name.clone(), side: p.side.as_str() });
    QuestionView {
        id: q.id,
        asked_by,
        question: q.question,
        asked_on: day(q.asked_at),
        answer: q.answer,
        answered_by: q.answered_by_name,
    }
}

/// Every principle by kind, with the reader's mark and the questions asked.
pub async fn principles(db: &Db, directory: &Directory, caller: &Caller) -> Result<Vec<PrincipleView>, Error> {
    let me = caller.person_id.unwrap_or(0);
    let (rows, counts, questions) = tokio::try_join!(db.principles(), db.understood(me), db.questions())?;
    let counts: HashMap<i64, (i64, bool)> =
        counts.into_iter().map(|c| (c.principle_id, (c.people, c.mine > 0))).collect();
    let mut asked: HashMap<i64, Vec<QuestionView>> = HashMap::new();
    for q in questions {
        asked.entry(q.principle_id).or_default().push(question_view(directory, q));
    }
    Ok(rows
        .into_iter()
        .map(|p| {
            let (understood_by, understood_by_me) = counts.get(&p.id).copied().unwrap_or((0, false));
            PrincipleView {
                kind_label: PrincipleKind::parse(&p.kind).map_or("", |k| k.label()),
                questions: asked.remove(&p.id).unwrap_or_default(),
                id: p.id,
                title: p.title,
                kind: p.kind,
                statement: p.statement,
                why_it_matters: p.why_it_matters,
                example: p.example,
                understood_by,
                understood_by_me,
                version: p.version,
            }
        })
        .collect())
}

pub async fn principle(db: &Db, directory: &Directory, caller: &Caller, id: i64) -> Result<PrincipleView, Error> {
    principles(db, directory, caller)
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or_else(|| Error::not_found("The principle"))
}

/// IT and administrators write the principles and answer the questions.
pub const WRITTEN_BY_IT: &str = "IT's principles are written and answered by IT people and administrators.";

fn require_it(caller: &Caller) -> Result<(), Error> {
    caller.require_it_or_admin(WRITTEN_BY_IT)
}

/// Adds or changes a principle (IT and admins): why it matters and its example must be in
/// words the business knows.
pub async fn save_principle(
    db: &Db,
    glossary: &super::super::language::Glossary,
    caller: &Caller,
    existing: Option<(i64, i64)>,
    input: &PrincipleInput,
) -> Result<i64, Error> {
    require_it(caller)?;
    let p = validate_principle(input)?;
    for (field, text) in [("why_it_matters", &p.why_it_matters), ("example", &p.example)] {
        let unknown = super::radar::unknown_words(glossary, db, text).await?;
        if !unknown.is_empty() {
            return Err(Error::field(
                field,
                format!("Say these in plain words (or add them to the glossary): {}.", unknown.join(", ")),
            ));
        }
    }
    db.save_principle(&caller.actor, existing, &p).await
}

/// Marks a principle understood by the caller, or takes the mark back.
pub async fn mark_understood(db: &Db, caller: &Caller, id: i64, yes: bool) -> Result<(), Error> {
    caller.require_write()?;
    let person = caller.person_id.ok_or_else(|| Error::forbidden("Only people in the directory mark principles."))?;
    db.principle(id).await?;
    db.set_understood(&caller.actor, id, person, yes).await
}

/// Asks IT about a principle (anyone who may write).
pub async fn ask(db: &Db, caller: &Caller, id: i64, question: &str) -> Result<i64, Error> {
    caller.require_write()?;
    let person = caller.person_id.ok_or_else(|| Error::forbidden("Only people in the directory ask."))?;
    db.principle(id).await?;
    let question = validate_question(question, "question")?;
    db.ask(&caller.actor, id, person, &question).await
}

/// Answers a question (IT and admins); the one who asked is told.
pub async fn answer(db: &Db, caller: &Caller, question_id: i64, answer: &str) -> Result<(), Error> {
    require_it(caller)?;
    let q = db.question(question_id).await?;
    let answer = validate_question(answer, "answer")?;
    let principle = db.principle(q.principle_id).await?;
    let text = format!("IT answered your question about “{}”.", principle.title);
    let link = format!("/principles#principle-{}", principle.id);
    let notice =
        super::super::notify::to_person(db, Some(q.person_id), &caller.actor, NoticeKind::MyRequests, text, link)
            .await?;
    db.answer(&caller.actor, question_id, &answer, notice).await
}
