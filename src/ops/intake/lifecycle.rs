//! Moving a request through its lifecycle.

use bridge_domain::intake::{check_approval_basis, check_submit, transition, Action, ActionKind, Status, WaitClocks};
use bridge_domain::notify::NoticeKind;
use bridge_domain::org::Role;
use bridge_domain::Error;

use super::{is_owner, requests::check_references};
use crate::ops::{notify, webhooks, Caller};
use crate::store::intake::TransitionRecord;
use crate::store::{now_ms, Db};

/// Whether the caller may take `action` on the request now (role, ownership, state, reason),
/// without taking it: a page checks this before asking to confirm a step.
pub async fn may_take(db: &Db, caller: &Caller, id: i64, action: &Action) -> Result<(), Error> {
    let req = db.get_request(id).await?;
    transition(req.status(), action, caller.role, is_owner(caller.person_id, &req)).map(|_| ())
}

/// An approval rests on IT's assessment unless `without_assessment` (`check_approval_basis`).
pub async fn approval_basis(db: &Db, id: i64, without_assessment: bool) -> Result<(), Error> {
    check_approval_basis(ActionKind::Approve, db.get_assessment(id).await?.is_some(), without_assessment)
}

/// Checks who may take the step (the business side's steps are its author's and sponsor's), that
/// it is possible now, the clarity threshold on submission, that an approval rests on an
/// assessment (unless `without_assessment`); then records it with the wait clocks and tells who
/// needs to know. Returns the new status.
pub async fn transition_request(
    db: &Db,
    caller: &Caller,
    id: i64,
    action: &Action,
    without_assessment: bool,
) -> Result<Status, Error> {
    let req = db.get_request(id).await?;
    let from = req.status();
    let to = transition(from, action, caller.role, is_owner(caller.person_id, &req))?;
    let kind = action.kind();
    if kind == ActionKind::Approve {
        approval_basis(db, id, without_assessment).await?;
    }
    if kind == ActionKind::Submit {
        check_submit(&req.body, db.submit_threshold().await?)?;
        check_references(db, &req.body).await?;
    }
    let at = now_ms();
    let clocks = WaitClocks {
        submitted_at: req.summary.submitted_at,
        first_response_at: req.first_response_at,
        decided_at: req.decided_at,
    }
    .after(from, to, kind, at);
    let actor = &caller.actor;
    let title = &req.summary.title;
    let link = notify::request_link(id);
    let mut notices: Vec<_> = match kind {
        // Sent back: the author has work waiting.
        ActionKind::SendBack => {
            let reason = crate::ops::comments::quote(action.reason().unwrap_or_default());
            let text = format!("{title} — {} sent it back to you to make clearer: {reason}", actor.name);
            notify::to_person(db, req.author_id, actor, NoticeKind::WaitingForMe, text, link.clone()).await?
        }
        _ => {
            let mut text = format!("{title} — {}: {}", actor.name, to.label().to_lowercase());
            if let Some(reason) = action.reason().map(str::trim).filter(|r| !r.is_empty()) {
                text.push_str(&format!(", {}", crate::ops::comments::quote(reason)));
            }
            notify::to_person(db, req.author_id, actor, NoticeKind::MyRequests, text, link.clone()).await?
        }
    }
    .into_iter()
    .collect();
    if kind == ActionKind::Submit {
        // A new request waits for IT's assessment.
        let it_people = db.accounts_with_role(Role::It).await?;
        let text = format!("New request to assess: {title}");
        notices.extend(notify::to_accounts(db, &it_people, actor, NoticeKind::WaitingForMe, &text, &link).await?);
    }
    let reason = action.reason().map(|r| r.trim().to_string()).unwrap_or_default();
    let announce = webhooks::request_step_event(kind, id, title, to, &reason, &actor.name, at);
    // Delivery schedules the value reviews, in the same transaction.
    let jobs =
        if to == Status::Delivered { crate::ops::value::reviews::jobs_for_delivery(db, id, at).await? } else { vec![] };
    // A decision or a request sent back is IT in touch with the request's business people.
    let contacts = if kind.is_decision() || kind == ActionKind::SendBack {
        let people = [caller.person_id, req.author_id, req.summary.sponsor_id];
        let people: Vec<i64> = people.into_iter().flatten().collect();
        crate::ops::contact::pairs(&db.people_sides(&people).await?, req.summary.unit_id, crate::ops::contact::today())
    } else {
        vec![]
    };
    let step = TransitionRecord {
        contacts,
        jobs,
        from,
        to,
        kind,
        reason,
        at,
        submitted_at: clocks.submitted_at,
        first_response_at: clocks.first_response_at,
        decided_at: clocks.decided_at,
        notices,
        announce,
        summary: format!("{title}: {} → {}", from.label(), to.label()),
    };
    db.record_transition(actor, id, &step).await?;
    Ok(to)
}
