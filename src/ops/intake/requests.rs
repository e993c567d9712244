//! Writing and saving requests, their clarity, and the whole request as pages and the API show it.

use std::collections::BTreeSet;

use bridge_domain::intake::revision::revision_summary;
use bridge_domain::intake::{clarity, validate_request, RequestInput, Status, ValidRequest};
use bridge_domain::notify::NoticeKind;
use bridge_domain::org::Role;
use bridge_domain::search::Correction;
use bridge_domain::Error;
use serde::Serialize;
use utoipa::ToSchema;

use super::assessment::AssessmentView;
use super::priority::{priority_view, PriorityView};
use super::{actions_for, can_edit, require_edit, today, Settings};
use crate::ops::directory::DirectoryCache;
use crate::ops::{notify, Caller};
use crate::store::intake::{Request, RequestFilter, RequestSummary, RequestUpdate};
use crate::store::{Db, Page};

#[derive(Serialize, ToSchema)]
pub struct HintView {
    /// The form field the hint belongs to, e.g. `metrics[0].baseline`.
    pub field: String,
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct ClarityView {
    pub score: u8,
    /// The score needed to submit.
    pub threshold: u8,
    pub hints: Vec<HintView>,
}

#[derive(Serialize, ToSchema)]
pub struct RequestView {
    #[serde(flatten)]
    pub request: Request,
    /// The clarity score with its threshold and hints (`clarity` is the score alone, as in lists).
    pub clarity_detail: ClarityView,
    /// The priority with its place in the queue and how it is worked out (`priority` is the score).
    pub priority_detail: PriorityView,
    /// The lifecycle actions you may take now.
    pub allowed_actions: Vec<String>,
    pub can_edit: bool,
    pub assessment: Option<AssessmentView>,
}

/// One page of requests matching `f` and how many match, with the names of their units,
/// sponsors and IT owners from the directory in memory (the store's list leaves them out; see
/// `store::intake::queue`). A sponsor since archived is looked up. A search that finds nothing is
/// tried once more with its misspelt words corrected (`store::search`).
pub async fn list_requests(
    db: &Db,
    directory: &DirectoryCache,
    f: &RequestFilter,
    page: Page,
) -> Result<RequestList, Error> {
    let (mut rows, mut total) = db.list_requests(f, page).await?;
    // Words that found nothing may be misspelt: the nearest known words are tried instead.
    let mut corrected = None;
    if total == 0 && !f.q.trim().is_empty() {
        if let Some(c) = db.correct_search(&f.q).await? {
            let retry = RequestFilter { q: c.query.clone(), ..f.clone() };
            (rows, total) = db.list_requests(&retry, page).await?;
            corrected = (total > 0).then_some(c);
        }
    }
    let dir = directory.get(db).await?;
    let archived: BTreeSet<i64> = rows
        .iter()
        .flat_map(|r| [r.sponsor_id, r.owner_id])
        .flatten()
        .filter(|id| dir.person_name(*id).is_none())
        .collect();
    let archived = db.names_of(&archived).await?;
    for r in &mut rows {
        r.unit_name = r.unit_id.and_then(|id| dir.unit_name(id)).map(str::to_string);
        let name = |id: i64| dir.person_name(id).or(archived.get(&id).map(String::as_str)).map(str::to_string);
        r.sponsor_name = r.sponsor_id.and_then(name);
        r.owner_name = r.owner_id.and_then(name);
    }
    Ok(RequestList { rows, total, corrected })
}

/// One page of requests, how many match, and the corrected words when the typed ones found nothing.
pub struct RequestList {
    pub rows: Vec<RequestSummary>,
    pub total: i64,
    pub corrected: Option<Correction>,
}

/// Sets who owns a request on IT's side (IT and administrators): an IT person in the directory,
/// or nobody. The new owner is told.
pub async fn assign_owner(db: &Db, caller: &Caller, id: i64, owner: Option<i64>) -> Result<(), Error> {
    if !matches!(caller.role, Role::It | Role::Admin) {
        return Err(Error::forbidden("Only IT and administrators choose who owns a request on IT's side."));
    }
    let req = db.get_request(id).await?;
    let owner = match owner {
        None => None,
        Some(p) => {
            let person =
                db.get_person(p).await.map_err(|_| Error::field("owner_id", "Choose someone in the directory."))?;
            if person.side != bridge_domain::org::Side::It || person.archived_at.is_some() {
                return Err(Error::field(
                    "owner_id",
                    format!("{} is not on IT's side: choose someone from IT.", person.name),
                ));
            }
            Some((p, person.name))
        }
    };
    let notices = match &owner {
        Some((p, _)) => {
            let text = format!("{} — {} made you its owner on IT's side", req.summary.title, caller.actor.name);
            notify::to_person(db, Some(*p), &caller.actor, NoticeKind::WaitingForMe, text, notify::request_link(id))
                .await?
                .into_iter()
                .collect()
        }
        None => vec![],
    };
    db.set_request_owner(&caller.actor, id, owner, &notices).await
}

/// Closes a request as the same as request `of` (IT and administrators), from any state but closed
/// or withdrawn; both authors are told, and the page of the closed one links to the other.
pub async fn mark_duplicate(db: &Db, caller: &Caller, id: i64, of: Option<i64>) -> Result<(), Error> {
    if !matches!(caller.role, Role::It | Role::Admin) {
        return Err(Error::forbidden("Only IT and administrators mark a request as a duplicate."));
    }
    let of = of.ok_or_else(|| Error::field("of", "Give the number of the request it repeats, e.g. 42."))?;
    if id == of {
        return Err(Error::field("of", "A request cannot be a duplicate of itself."));
    }
    let req = db.get_request(id).await?;
    let original = db.get_request(of).await.map_err(|_| Error::field("of", format!("There is no request {of}.")))?;
    let from = req.status();
    if matches!(from, Status::Closed | Status::Withdrawn) {
        return Err(Error::conflict("This request is already closed or withdrawn."));
    }
    let (title, other) = (&req.summary.title, &original.summary.title);
    let reason = format!("The same as “{other}” (request {of}): follow that one instead.");
    let actor = &caller.actor;
    let kind = NoticeKind::MyRequests;
    let mut notices: Vec<_> = notify::to_person(
        db,
        req.author_id,
        actor,
        kind,
        format!("{title} — {} closed it as the same as “{other}”, which you can follow", actor.name),
        notify::request_link(of),
    )
    .await?
    .into_iter()
    .collect();
    if original.author_id != req.author_id {
        let text = format!("{other} — “{title}” asked the same and was closed; its author may join you");
        notices.extend(notify::to_person(db, original.author_id, actor, kind, text, notify::request_link(of)).await?);
    }
    db.mark_duplicate(actor, id, of, from, &reason, &notices).await
}

pub async fn check_references(db: &Db, r: &ValidRequest) -> Result<(), Error> {
    let sides = db.sides_of(&bridge_domain::intake::people_named(r)).await?;
    let unit_exists = match r.business_unit_id {
        Some(u) => db.unit_exists(u).await?,
        None => true,
    };
    bridge_domain::intake::check_references(r, &sides, unit_exists)
}

/// Writes a new draft (any clarity): the business side, IT on a business sponsor's behalf, admins.
pub async fn create_request(db: &Db, caller: &Caller, input: &RequestInput) -> Result<i64, Error> {
    caller.require_write()?;
    let input = input.clone().with_default_currency(&db.default_currency().await?);
    let valid = validate_request(&input, &today())?;
    if caller.role == Role::It && valid.sponsor_id.is_none() {
        return Err(Error::field("sponsor_id", "IT writes requests on a business sponsor's behalf: name the sponsor."));
    }
    check_references(db, &valid).await?;
    let summary = format!("Created request {}", valid.title);
    db.create_request(&caller.actor, caller.person_id, &valid, "", summary).await
}

/// Saves a request against the version the caller read (stale otherwise). After the first
/// submission each change is kept as a revision.
pub async fn update_request(
    db: &Db,
    caller: &Caller,
    id: i64,
    version: Option<i64>,
    input: &RequestInput,
) -> Result<(), Error> {
    caller.require_write()?;
    let before = db.get_request(id).await?;
    require_edit(caller, &before)?;
    if before.status().is_final() {
        return Err(Error::conflict("This request is closed: it can no longer be changed."));
    }
    let input = input.clone().with_default_currency(&db.default_currency().await?);
    let valid = validate_request(&input, &today())?;
    let version = version.ok_or_else(|| Error::field("version", "Send the version you read."))?;
    check_references(db, &valid).await?;
    let update = RequestUpdate {
        version,
        before: &before.body,
        after: &valid,
        revision: revision_summary(before.status(), before.summary.submitted_at.is_some(), &before.body, &valid),
        summary: format!("Changed request {}", valid.title),
    };
    db.update_request(&caller.actor, id, &update).await
}

/// The clarity of a request as written, against the submission threshold.
pub fn clarity_view(r: &ValidRequest, threshold: u8) -> ClarityView {
    let c = clarity(r);
    ClarityView {
        score: c.score,
        threshold,
        hints: c.hints.into_iter().map(|h| HintView { field: h.field, text: h.text }).collect(),
    }
}

/// Scores a request for clarity without saving it.
pub fn check_clarity(input: &RequestInput, settings: &Settings) -> Result<ClarityView, Error> {
    let input = input.clone().with_default_currency(&settings.default_currency);
    Ok(clarity_view(&validate_request(&input, &today())?, settings.submit_threshold))
}

/// The whole request as the caller sees it: clarity, priority and its place in the queue, the
/// assessment, and what the caller may do.
pub async fn request_view(db: &Db, settings: &Settings, caller: &Caller, id: i64) -> Result<RequestView, Error> {
    let request = db.get_request(id).await?;
    Ok(RequestView {
        clarity_detail: clarity_view(&request.body, settings.submit_threshold),
        priority_detail: priority_view(db, &settings.weights, &request.summary).await?,
        allowed_actions: actions_for(caller, &request).iter().map(|k| k.as_str().to_string()).collect(),
        can_edit: can_edit(caller, &request),
        assessment: db.get_assessment(id).await?.map(AssessmentView::from),
        request,
    })
}
