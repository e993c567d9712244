//! Value reviews and champions. Delivery schedules a review job for each of the initiative's
//! review days (30, 90 and 180 by default); when one falls due the sponsor is told, and confirms
//! (a value receipt) or disputes what was measured, once (the request's writer may too). The
//! first review moves a delivered request to its value review; the last one confirmed closes it.
//! An IT person champions an initiative with a short brief in business words.

use bridge_domain::audit::Actor;
use bridge_domain::notify::NoticeKind;
use bridge_domain::org::{Role, Side};
use bridge_domain::value::{check_brief, check_decision, parse_review_days, ReviewState, DEFAULT_REVIEW_DAYS};
use bridge_domain::Error;
use serde::{Deserialize, Serialize};

use super::portfolio::Initiative;
use crate::ops::jobs::Handlers;
use crate::ops::{notify, Caller};
use crate::store::intake::Request;
use crate::store::jobs::NewJob;
use crate::store::reviews::{InitiativeSettings, Review};
use crate::store::Db;

/// The job that opens a review when it falls due.
pub const REVIEW_DUE: &str = "value.review_due";
const DAY_MS: i64 = 24 * 3600 * 1000;

#[derive(Serialize, Deserialize)]
struct DuePayload {
    request_id: i64,
    after_days: i64,
}

/// The review days an initiative has set, or the defaults.
fn days_of(settings: Option<&InitiativeSettings>) -> Vec<u32> {
    settings.and_then(|s| parse_review_days(&s.review_days).ok()).unwrap_or(DEFAULT_REVIEW_DAYS.to_vec())
}

async fn review_days(db: &Db, request_id: i64) -> Result<Vec<u32>, Error> {
    Ok(days_of(db.initiative_settings(request_id).await?.as_ref()))
}

/// The jobs a delivery at `delivered_at` (epoch ms) schedules: one per review day.
pub async fn jobs_for_delivery(db: &Db, request_id: i64, delivered_at: i64) -> Result<Vec<NewJob>, Error> {
    Ok(review_days(db, request_id)
        .await?
        .into_iter()
        .map(|d| NewJob {
            kind: REVIEW_DUE.into(),
            payload: serde_json::to_string(&DuePayload { request_id, after_days: i64::from(d) }).unwrap_or_default(),
            run_at: delivered_at + i64::from(d) * DAY_MS,
            max_attempts: bridge_domain::jobs::DEFAULT_MAX_ATTEMPTS,
        })
        .collect())
}

fn day_of(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS)
}

/// Opens a due review and tells the sponsor; nothing when it is open already. A delivered
/// request moves on to its value review.
async fn open_review(db: &Db, req: &Request, after_days: i64, actor: &Actor) -> Result<Option<i64>, Error> {
    let text = format!("The value review of “{}” is due: confirm or dispute what was measured.", req.summary.title);
    let link = format!("{}#reviews-h", notify::request_link(req.id()));
    let told: Vec<_> = notify::to_person(db, req.summary.sponsor_id, actor, NoticeKind::WaitingForMe, text, link)
        .await?
        .into_iter()
        .collect();
    let opened = db.add_review(req.id(), after_days, day_of(crate::store::now_ms()), &told).await?;
    // Also when the review was open already: a run that failed after adding it moves it on now.
    if req.status() == bridge_domain::intake::Status::Delivered {
        // Starting the value review is either side's step; the schedule takes it as IT would.
        let schedule = Caller { role: Role::It, person_id: None, actor: actor.clone() };
        let start = bridge_domain::intake::lifecycle::Action::StartValueReview;
        crate::ops::intake::lifecycle::transition_request(db, &schedule, req.id(), &start, false).await?;
    }
    Ok(opened)
}

/// The review job's handler, added to the worker's.
pub fn handlers(h: Handlers, db: Db) -> Handlers {
    h.on(REVIEW_DUE, move |job| {
        let db = db.clone();
        async move {
            let p: DuePayload = serde_json::from_str(&job.payload).map_err(|e| format!("The job's payload: {e}"))?;
            let req = match db.get_request(p.request_id).await {
                Ok(r) => r,
                // The request is gone: there is nothing to review.
                Err(Error::NotFound(_)) => return Ok(()),
                Err(e) => return Err(e.to_string()),
            };
            open_review(&db, &req, p.after_days, &Actor::system("value review schedule"))
                .await
                .map_err(|e| e.to_string())?;
            Ok(())
        }
    })
}

/// The request's business owners: its sponsor and its writer.
fn owns(caller: &Caller, req: &Request) -> bool {
    caller.person_id.is_some() && [req.summary.sponsor_id, req.author_id].contains(&caller.person_id)
}

fn delivered(req: &Request) -> bool {
    use bridge_domain::intake::Status::*;
    matches!(req.status(), Delivered | ValueReview | Closed)
}

/// Opens a review now, outside the schedule (IT, the request's owners, admins).
pub async fn ask_review(db: &Db, caller: &Caller, request_id: i64) -> Result<i64, Error> {
    caller.require_write()?;
    let req = db.get_request(request_id).await?;
    if !(owns(caller, &req) || matches!(caller.role, Role::It | Role::Admin)) {
        return Err(Error::Forbidden("IT, the request's sponsor and its writer ask for a value review.".into()));
    }
    if !delivered(&req) {
        return Err(Error::conflict("A value review comes after delivery: this request has not been delivered yet."));
    }
    // A review asked for by hand has no point after delivery; open one at a time.
    if db.reviews_of(request_id).await?.iter().any(|r| r.state() == ReviewState::Due) {
        return Err(Error::conflict("A review of this initiative is waiting for its sponsor already."));
    }
    // Asked for by hand: no point after delivery (0), so the schedule's own reviews still come.
    open_review(db, &req, 0, &caller.actor).await?.ok_or_else(|| Error::conflict("Try again."))
}

/// The sponsor (or an admin) confirms or disputes a due review, with what is measured now kept
/// beside it. Confirmed, it is a value receipt; either way the champion and IT's owner are told.
pub async fn decide(
    db: &Db,
    caller: &Caller,
    initiative: Option<&Initiative>,
    request_id: i64,
    review_id: i64,
    confirm: bool,
    note: &str,
) -> Result<Review, Error> {
    caller.require_write()?;
    let req = db.get_request(request_id).await?;
    let review = db.get_review(request_id, review_id).await?;
    if !(owns(caller, &req) || caller.role == Role::Admin) {
        return Err(Error::Forbidden(
            "The initiative's sponsor or writer confirms or disputes its value review.".into(),
        ));
    }
    let note = check_decision(review.state(), confirm, note)?;
    let state = if confirm { ReviewState::Confirmed } else { ReviewState::Disputed };
    let result = serde_json::to_string(&initiative).map_err(Error::internal)?;
    let settings = db.initiative_settings(request_id).await?;
    let text = format!(
        "{} {} the value review of “{}”{}",
        caller.actor.name,
        state.as_str(),
        req.summary.title,
        if note.is_empty() { ".".to_string() } else { format!(": {note}") }
    );
    let link = format!("{}#reviews-h", notify::request_link(request_id));
    let mut notices = Vec::new();
    for person in [settings.as_ref().and_then(|s| s.champion_id), req.summary.owner_id] {
        notices.extend(
            notify::to_person(db, person, &caller.actor, NoticeKind::MyRequests, text.clone(), link.clone()).await?,
        );
    }
    notices.dedup_by_key(|n| n.account_id);
    db.decide_review(&caller.actor, &review, state, &result, &note, caller.person_id, &notices).await?;
    // The last scheduled review confirmed closes the initiative's value review.
    let last = days_of(settings.as_ref()).last().copied().map(i64::from);
    if confirm && last == Some(review.after_days) && req.status() == bridge_domain::intake::Status::ValueReview {
        let close = bridge_domain::intake::lifecycle::Action::Close;
        crate::ops::intake::lifecycle::transition_request(db, caller, request_id, &close, false).await?;
    }
    db.get_review(request_id, review_id).await
}

/// An initiative's champion, brief and review days as sent.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ChampionInput {
    pub champion_id: Option<i64>,
    pub brief: String,
    /// Days after delivery, e.g. "30, 90, 180"; empty keeps what is set.
    pub review_days: String,
    /// The version read (0 when nothing was set yet).
    pub version: Option<i64>,
}

/// Sets an initiative's champion (an IT person), their brief and its review days (IT, admins).
pub async fn set_champion(db: &Db, caller: &Caller, request_id: i64, input: &ChampionInput) -> Result<(), Error> {
    caller.require_write()?;
    if !matches!(caller.role, Role::It | Role::Admin) {
        return Err(Error::Forbidden("IT chooses an initiative's champion.".into()));
    }
    let req = db.get_request(request_id).await?;
    if !super::is_initiative(req.status()) && !delivered(&req) {
        return Err(Error::conflict("A request is championed once it is approved."));
    }
    if let Some(id) = input.champion_id {
        let person =
            db.get_person(id).await.map_err(|_| Error::field("champion_id", "Choose a person from the directory."))?;
        if person.side != Side::It {
            return Err(Error::field("champion_id", "A champion is someone from IT, who speaks for the technology."));
        }
    }
    let brief = check_brief(&input.brief)?;
    let current = db.initiative_settings(request_id).await?;
    let review_days = if input.review_days.trim().is_empty() {
        current.as_ref().map(|c| c.review_days.clone()).unwrap_or_else(|| "30,90,180".into())
    } else {
        parse_review_days(&input.review_days)?.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
    };
    let version = input.version.ok_or_else(|| Error::field("version", "Send the version you read (0 for none)."))?;
    db.save_initiative_settings(
        &caller.actor,
        &InitiativeSettings { request_id, champion_id: input.champion_id, brief, review_days, version },
    )
    .await
}
