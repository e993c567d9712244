use crate::intake::lifecycle::*;
use crate::org::{Role, Side};
use crate::Error;

use ActionKind as K;
use Status as S;

const REASON: &str = "Fits this quarter's plan and budget.";

fn action(kind: ActionKind) -> Action {
    Action::from_form(kind.as_str(), REASON).expect("every kind has a form code")
}

/// The whole machine, written out by hand: (from, action, to, who).
const TABLE: &[(Status, ActionKind, Status, Actor)] = &[
    (S::Draft, K::Submit, S::Submitted, Actor::Business),
    (S::Draft, K::Withdraw, S::Withdrawn, Actor::Business),
    (S::Submitted, K::Withdraw, S::Withdrawn, Actor::Business),
    (S::InAssessment, K::Withdraw, S::Withdrawn, Actor::Business),
    (S::Approved, K::Withdraw, S::Withdrawn, Actor::Business),
    (S::Deferred, K::Withdraw, S::Withdrawn, Actor::Business),
    (S::Submitted, K::StartAssessment, S::InAssessment, Actor::It),
    (S::Submitted, K::SendBack, S::Draft, Actor::It),
    (S::InAssessment, K::SendBack, S::Draft, Actor::It),
    (S::InAssessment, K::Approve, S::Approved, Actor::It),
    (S::InAssessment, K::Decline, S::Declined, Actor::It),
    (S::InAssessment, K::Defer, S::Deferred, Actor::It),
    (S::Deferred, K::Reopen, S::Submitted, Actor::Either),
    (S::Withdrawn, K::Reopen, S::Draft, Actor::Either),
    (S::Withdrawn, K::Close, S::Closed, Actor::Either),
    (S::Approved, K::StartDelivery, S::InDelivery, Actor::It),
    (S::InDelivery, K::MarkDelivered, S::Delivered, Actor::It),
    (S::Delivered, K::StartValueReview, S::ValueReview, Actor::Either),
    (S::ValueReview, K::Close, S::Closed, Actor::Either),
    (S::Declined, K::Close, S::Closed, Actor::Either),
    (S::Deferred, K::Close, S::Closed, Actor::Either),
];

fn lookup(from: Status, kind: ActionKind) -> Option<(Status, Actor)> {
    TABLE.iter().find(|(f, k, _, _)| *f == from && *k == kind).map(|(_, _, to, who)| (*to, *who))
}

fn role_allowed(who: Actor, role: Role) -> bool {
    match role {
        Role::Admin => true,
        Role::Viewer => false,
        Role::Business => who != Actor::It,
        Role::It => who != Actor::Business,
    }
}

#[test]
fn every_transition_is_allowed_or_refused_as_the_table_says() {
    let mut allowed = 0;
    for from in Status::ALL {
        for kind in ActionKind::ALL {
            for role in Role::ALL {
                let got = transition(from, &action(kind), role, true);
                let who = kind.actor();
                match (lookup(from, kind), got) {
                    (Some((to, w)), Ok(next)) => {
                        assert_eq!(w, who);
                        assert!(role_allowed(who, role), "{from:?} {kind:?} {role:?}");
                        assert_eq!(next, to);
                        allowed += 1;
                    }
                    (_, Err(Error::Forbidden(msg))) => {
                        assert!(!role_allowed(who, role), "{from:?} {kind:?} {role:?}");
                        if role == Role::Viewer {
                            assert_eq!(msg, "Viewers can read requests but not change them.");
                        } else {
                            assert!(msg.starts_with("Only "), "{msg}");
                        }
                    }
                    (None, Err(Error::Conflict { message, field })) => {
                        assert!(role_allowed(who, role));
                        assert_eq!(field, None);
                        assert!(message.ends_with('.'), "{message}");
                        assert!(message.len() > 30, "{message}");
                    }
                    (expected, got) => {
                        panic!("{from:?} {kind:?} {role:?}: expected {expected:?}, got {got:?}")
                    }
                }
            }
        }
    }
    // One-side transitions succeed for admin and that side; "either" ones for admin and both.
    let either = TABLE.iter().filter(|t| t.3 == Actor::Either).count();
    assert_eq!(allowed, (TABLE.len() - either) * 2 + either * 3);
}

#[test]
fn refusals_say_why_in_plain_words() {
    let conflict = |from, kind, role| match transition(from, &action(kind), role, true) {
        Err(Error::Conflict { message, .. }) => message,
        other => panic!("expected a conflict, got {other:?}"),
    };
    assert_eq!(
        conflict(S::Draft, K::StartAssessment, Role::It),
        "This request is still a draft: submit it before IT can assess it."
    );
    assert_eq!(
        conflict(S::Draft, K::Approve, Role::It),
        "This request is still a draft: submit it before IT can assess it."
    );
    assert_eq!(
        conflict(S::Submitted, K::Decline, Role::It),
        "IT has not started assessing this request yet: start the assessment before deciding."
    );
    assert_eq!(conflict(S::Submitted, K::Submit, Role::Business), "This request has already been submitted.");
    assert_eq!(conflict(S::InAssessment, K::StartAssessment, Role::It), "IT is already assessing this request.");
    assert_eq!(
        conflict(S::Deferred, K::Submit, Role::Business),
        "This request was deferred: reopen it to put it back in the queue."
    );
    assert!(conflict(S::Approved, K::Decline, Role::It).starts_with("This request has already been decided."));
    assert_eq!(
        conflict(S::Delivered, K::Close, Role::Business),
        "This request has been delivered: start the value review before closing it, so the \
         business can judge whether it paid off."
    );
    assert!(conflict(S::InDelivery, K::Withdraw, Role::Business).starts_with("Delivery has already started"));
    assert_eq!(conflict(S::Closed, K::Reopen, Role::It), "This request is closed: nothing more can happen to it.");
    // The general form: the state, then the rule.
    assert_eq!(
        conflict(S::Draft, K::StartDelivery, Role::It),
        "This request is still a draft: delivery can start only once the request is approved."
    );
    assert_eq!(
        conflict(S::Declined, K::Reopen, Role::Business),
        "This request was declined: only a deferred or withdrawn request can be reopened."
    );
    assert_eq!(
        conflict(S::InDelivery, K::StartValueReview, Role::Business),
        "This request is being delivered: a value review can start only once the request is \
         delivered."
    );
    assert_eq!(
        conflict(S::Approved, K::MarkDelivered, Role::It),
        "This request has been approved: only a request in delivery can be marked delivered."
    );
    assert_eq!(
        conflict(S::InAssessment, K::Close, Role::Admin),
        "IT is assessing this request: a request can be closed after its value review, or once \
         it is declined, deferred or withdrawn."
    );
}

#[test]
fn refusals_by_role_name_the_side() {
    let forbidden = |from, kind, role| match transition(from, &action(kind), role, true) {
        Err(Error::Forbidden(message)) => message,
        other => panic!("expected forbidden, got {other:?}"),
    };
    assert_eq!(forbidden(S::Draft, K::Submit, Role::It), "Only the business side can submit a request.");
    assert_eq!(forbidden(S::Submitted, K::StartAssessment, Role::Business), "Only IT can start an assessment.");
    assert_eq!(forbidden(S::InAssessment, K::Approve, Role::Business), "Only IT can approve a request.");
    // The role is checked before the state.
    assert_eq!(forbidden(S::Closed, K::Approve, Role::Business), "Only IT can approve a request.");
    assert_eq!(forbidden(S::ValueReview, K::Close, Role::Viewer), "Viewers can read requests but not change them.");
}

#[test]
fn decisions_need_a_reason_of_ten_characters() {
    for kind in [K::Approve, K::Decline, K::Defer, K::SendBack] {
        for short in ["", "   ", "ok", "too short"] {
            let a = Action::from_form(kind.as_str(), short).unwrap();
            let f = super::field_errors(transition(S::InAssessment, &a, Role::It, true));
            assert_eq!(
                f["reason"],
                "Write a reason for the business of at least 10 characters: it is what they will \
                 read.",
                "{kind:?} {short:?}"
            );
        }
        let a = Action::from_form(kind.as_str(), "  ten chars!  ").unwrap();
        assert!(transition(S::InAssessment, &a, Role::It, true).is_ok());
        let a = Action::from_form(kind.as_str(), &"x".repeat(4_001)).unwrap();
        assert!(transition(S::InAssessment, &a, Role::It, true).is_err());
    }
    // A state conflict comes before the reason.
    let a = Action::Approve { reason: String::new() };
    assert!(matches!(transition(S::Draft, &a, Role::It, true), Err(Error::Conflict { .. })));
    assert_eq!(a.reason(), Some(""));
    assert_eq!(Action::Submit.reason(), None);
}

#[test]
fn buttons_per_state_and_role() {
    assert_eq!(allowed_actions(S::Draft, Role::Business, true), vec![K::Submit, K::Withdraw]);
    assert_eq!(allowed_actions(S::Draft, Role::It, true), vec![]);
    assert_eq!(allowed_actions(S::Submitted, Role::It, true), vec![K::StartAssessment, K::SendBack]);
    assert_eq!(allowed_actions(S::Submitted, Role::Business, true), vec![K::Withdraw]);
    assert_eq!(allowed_actions(S::InAssessment, Role::It, true), vec![K::SendBack, K::Approve, K::Decline, K::Defer]);
    assert_eq!(allowed_actions(S::Deferred, Role::Business, true), vec![K::Withdraw, K::Reopen, K::Close]);
    assert_eq!(allowed_actions(S::Deferred, Role::It, true), vec![K::Reopen, K::Close]);
    assert_eq!(allowed_actions(S::Approved, Role::It, true), vec![K::StartDelivery]);
    assert_eq!(allowed_actions(S::Delivered, Role::Business, true), vec![K::StartValueReview]);
    assert_eq!(allowed_actions(S::ValueReview, Role::It, true), vec![K::Close]);
    assert_eq!(
        allowed_actions(S::InAssessment, Role::Admin, true),
        vec![K::Withdraw, K::SendBack, K::Approve, K::Decline, K::Defer]
    );
    for s in Status::ALL {
        assert!(allowed_actions(s, Role::Viewer, true).is_empty());
        // Buttons shown are exactly the transitions that succeed.
        for role in Role::ALL {
            for k in ActionKind::ALL {
                let shown = allowed_actions(s, role, true).contains(&k);
                assert_eq!(shown, transition(s, &action(k), role, true).is_ok(), "{s:?} {k:?} {role:?}");
            }
        }
    }
    assert!(allowed_actions(S::Closed, Role::Admin, true).is_empty());
}

#[test]
fn the_happy_path() {
    let steps = [
        (Action::Submit, Role::Business, S::Submitted),
        (Action::StartAssessment, Role::It, S::InAssessment),
        (Action::Approve { reason: REASON.into() }, Role::It, S::Approved),
        (Action::StartDelivery, Role::It, S::InDelivery),
        (Action::MarkDelivered, Role::It, S::Delivered),
        (Action::StartValueReview, Role::Business, S::ValueReview),
        (Action::Close, Role::Business, S::Closed),
    ];
    let mut s = S::Draft;
    for (a, role, expected) in steps {
        s = transition(s, &a, role, true).unwrap();
        assert_eq!(s, expected);
    }
    assert!(s.is_final());
}

#[test]
fn side_roads() {
    let back = Action::SendBack { reason: "Please add a baseline for order errors.".into() };
    assert_eq!(transition(S::InAssessment, &back, Role::It, true).unwrap(), S::Draft);
    let defer = Action::Defer { reason: "No capacity until the ERP upgrade is done.".into() };
    assert_eq!(transition(S::InAssessment, &defer, Role::It, true).unwrap(), S::Deferred);
    assert_eq!(transition(S::Deferred, &Action::Reopen, Role::Business, true).unwrap(), S::Submitted);
    let withdraw = Action::Withdraw { reason: "The supplier now offers this in their product.".into() };
    assert_eq!(transition(S::Approved, &withdraw, Role::Business, true).unwrap(), S::Withdrawn);
    assert!(transition(S::Approved, &Action::Withdraw { reason: "".into() }, Role::Business, true).is_err());
    assert_eq!(transition(S::Withdrawn, &Action::Reopen, Role::Business, true).unwrap(), S::Draft);
}

#[test]
fn approving_rests_on_an_assessment_unless_said_otherwise() {
    assert!(check_approval_basis(K::Approve, false, false).is_err());
    assert!(check_approval_basis(K::Approve, true, false).is_ok());
    assert!(check_approval_basis(K::Approve, false, true).is_ok());
    assert!(check_approval_basis(K::Decline, false, false).is_ok());
}

#[test]
fn milestones_for_response_times() {
    assert!(is_first_it_response(S::Submitted, K::StartAssessment));
    assert!(is_first_it_response(S::Submitted, K::SendBack));
    assert!(!is_first_it_response(S::Submitted, K::Withdraw));
    assert!(!is_first_it_response(S::InAssessment, K::Approve));
    assert!(!is_first_it_response(S::Deferred, K::Reopen));
    for k in ActionKind::ALL {
        assert_eq!(is_decision(k), matches!(k, K::Approve | K::Decline | K::Defer));
        assert_eq!(k.is_decision(), k.to_state().is_decision());
        assert_eq!(k.needs_confirmation(), matches!(k, K::Withdraw | K::Decline | K::Close));
    }
}

#[test]
fn codes_and_labels() {
    assert_eq!(S::InAssessment.as_str(), "in_assessment");
    assert_eq!(S::InAssessment.label(), "In assessment");
    assert_eq!(S::ValueReview.as_str(), "value_review");
    assert_eq!(S::parse(" In_Assessment "), Some(S::InAssessment));
    assert_eq!(S::parse("assessing"), None);
    for s in Status::ALL {
        assert_eq!(S::parse(s.as_str()), Some(s));
    }
    for k in ActionKind::ALL {
        assert_eq!(K::parse(k.as_str()), Some(k));
        assert_eq!(action(k).kind(), k);
        assert_eq!(k.needs_reason(), action(k).reason().is_some());
    }
    assert_eq!(K::StartAssessment.label(), "Start assessment");
    assert_eq!(Action::from_form("launch", ""), None);
    assert_eq!(waiting_on(S::Submitted), Some(Side::It));
    assert_eq!(waiting_on(S::Draft), Some(Side::Business));
    assert_eq!(waiting_on(S::Closed), None);
}

#[test]
fn business_steps_belong_to_the_requests_owners() {
    // Someone on the business side who neither wrote nor sponsors the request may not take its
    // business steps, nor see their buttons; IT's steps do not depend on ownership.
    for (from, a) in [(S::Draft, Action::Submit), (S::Submitted, action(K::Withdraw)), (S::Deferred, Action::Reopen)] {
        assert!(matches!(transition(from, &a, Role::Business, false), Err(Error::Forbidden(_))), "{from:?}");
        assert!(transition(from, &a, Role::Business, true).is_ok(), "{from:?}");
        assert!(transition(from, &a, Role::Admin, false).is_ok(), "{from:?}");
    }
    assert!(allowed_actions(S::Deferred, Role::Business, false).is_empty());
    assert_eq!(allowed_actions(S::Submitted, Role::It, false), vec![K::StartAssessment, K::SendBack]);
}

#[test]
fn the_progress_line_shows_the_road_and_any_turn_off_it() {
    use crate::intake::progress::{progress, ROAD};
    let states = |steps: Vec<crate::intake::progress::Step>| {
        steps.iter().map(|s| format!("{}:{}", s.status.as_str(), s.state)).collect::<Vec<_>>().join(" ")
    };
    let line = states(progress(Status::InAssessment, &[Status::Draft, Status::Submitted, Status::InAssessment]));
    assert_eq!(
        line,
        "draft:done submitted:done in_assessment:current approved:ahead in_delivery:ahead delivered:ahead \
         value_review:ahead closed:ahead"
    );
    let declined = [Status::Draft, Status::Submitted, Status::InAssessment, Status::Declined];
    assert_eq!(
        states(progress(Status::Declined, &declined)),
        "draft:done submitted:done in_assessment:done declined:current"
    );
    let mut closed = declined.to_vec();
    closed.push(Status::Closed);
    assert_eq!(
        states(progress(Status::Closed, &closed)),
        "draft:done submitted:done in_assessment:done declined:done closed:current"
    );
    assert_eq!(
        states(progress(Status::Withdrawn, &[Status::Draft, Status::Withdrawn])),
        "draft:done withdrawn:current"
    );
    // Deferred, then back in the queue: on the road again.
    let back = [Status::Draft, Status::Submitted, Status::InAssessment, Status::Deferred, Status::Submitted];
    assert!(states(progress(Status::Submitted, &back)).starts_with("draft:done submitted:current in_assessment:ahead"));
    let delivered_then_closed: Vec<Status> = ROAD.to_vec();
    assert!(states(progress(Status::Closed, &delivered_then_closed)).ends_with("value_review:done closed:current"));
}
