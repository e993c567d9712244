//! The life of a request, as a state machine:
//!
//! draft → submitted → in assessment → approved / declined / deferred → in delivery → delivered
//! → value review → closed
//!
//! plus the side roads: IT may send a request back to draft for more information, the business
//! may withdraw a request until delivery starts, and a deferred request may be reopened.
//! [`transition`] is the only way to move; [`allowed_actions`] tells pages which buttons to show.

use serde::{Deserialize, Serialize};

use crate::org::{Role, Side};
use crate::Error;

/// Shortest reason accepted for a decision or for sending a request back.
pub const MIN_REASON_CHARS: usize = 10;
/// Longest reason accepted.
pub const MAX_REASON_CHARS: usize = 4_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Submitted,
    InAssessment,
    Approved,
    Declined,
    Deferred,
    InDelivery,
    Delivered,
    ValueReview,
    Closed,
    /// Its owners no longer need it; they can reopen it as a draft.
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 11] = [
        Status::Draft,
        Status::Submitted,
        Status::InAssessment,
        Status::Approved,
        Status::Declined,
        Status::Deferred,
        Status::InDelivery,
        Status::Delivered,
        Status::ValueReview,
        Status::Closed,
        Status::Withdrawn,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::InAssessment => "in_assessment",
            Status::Approved => "approved",
            Status::Declined => "declined",
            Status::Deferred => "deferred",
            Status::InDelivery => "in_delivery",
            Status::Delivered => "delivered",
            Status::ValueReview => "value_review",
            Status::Closed => "closed",
            Status::Withdrawn => "withdrawn",
        }
    }
    pub fn parse(s: &str) -> Option<Status> {
        let s = s.trim();
        Status::ALL.into_iter().find(|st| st.as_str().eq_ignore_ascii_case(s))
    }
    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "Draft",
            Status::Submitted => "Submitted",
            Status::InAssessment => "In assessment",
            Status::Approved => "Approved",
            Status::Declined => "Declined",
            Status::Deferred => "Deferred",
            Status::InDelivery => "In delivery",
            Status::Delivered => "Delivered",
            Status::ValueReview => "Value review",
            Status::Closed => "Closed",
            Status::Withdrawn => "Withdrawn",
        }
    }
    /// The open queue, which priority ranks: requests waiting for IT, approved or deferred.
    pub const OPEN: [Status; 4] = [Status::Submitted, Status::InAssessment, Status::Approved, Status::Deferred];
    pub fn is_open(self) -> bool {
        Status::OPEN.contains(&self)
    }
    /// One of the three outcomes of an assessment.
    pub fn is_decision(self) -> bool {
        matches!(self, Status::Approved | Status::Declined | Status::Deferred)
    }
    /// Nothing more can happen.
    pub fn is_final(self) -> bool {
        self == Status::Closed
    }
    /// What this state means and what comes next, said after a step that led to it.
    pub fn what_next(self) -> &'static str {
        match self {
            Status::Draft => "It is a draft: make it clear, then submit it when it is ready.",
            Status::Submitted => "Submitted: IT will start assessing it, and its author hears when they do.",
            Status::InAssessment => "IT is assessing it. Next comes IT's decision: approve, decline or defer.",
            Status::Approved => "Approved: delivery starts when IT plans the work in.",
            Status::Declined => "Declined: the reason is below for the business. It can now be closed.",
            Status::Deferred => "Deferred: it can be reopened to go back into the queue, or closed.",
            Status::InDelivery => "In delivery: IT marks it delivered when the work is done.",
            Status::Delivered => "Delivered: next, the business reviews whether it brought the value promised.",
            Status::ValueReview => "In its value review: close it once the business has judged the result.",
            Status::Closed => "Closed: nothing more happens to it.",
            Status::Withdrawn => "Withdrawn: its owners can reopen it as a draft, or close it for good.",
        }
    }
    /// The state as the opening of a sentence.
    fn sentence(self) -> &'static str {
        match self {
            Status::Draft => "This request is still a draft",
            Status::Submitted => "This request has been submitted and waits for IT",
            Status::InAssessment => "IT is assessing this request",
            Status::Approved => "This request has been approved",
            Status::Declined => "This request was declined",
            Status::Deferred => "This request was deferred",
            Status::InDelivery => "This request is being delivered",
            Status::Delivered => "This request has been delivered",
            Status::ValueReview => "This request is in its value review",
            Status::Closed => "This request is closed",
            Status::Withdrawn => "This request was withdrawn",
        }
    }
}

/// Who may take an action (besides admins, who may take all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    Business,
    It,
    Either,
}

impl Actor {
    pub fn allows(self, role: Role) -> bool {
        match role {
            Role::Admin => true,
            Role::Viewer => false,
            Role::Business => matches!(self, Actor::Business | Actor::Either),
            Role::It => matches!(self, Actor::It | Actor::Either),
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Actor::Business => "Business",
            Actor::It => "IT",
            Actor::Either => "Business or IT",
        }
    }
}

/// An action without its payload: what a button stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    Submit,
    Withdraw,
    StartAssessment,
    SendBack,
    Approve,
    Decline,
    Defer,
    Reopen,
    StartDelivery,
    MarkDelivered,
    StartValueReview,
    Close,
}

impl ActionKind {
    pub const ALL: [ActionKind; 12] = [
        ActionKind::Submit,
        ActionKind::Withdraw,
        ActionKind::StartAssessment,
        ActionKind::SendBack,
        ActionKind::Approve,
        ActionKind::Decline,
        ActionKind::Defer,
        ActionKind::Reopen,
        ActionKind::StartDelivery,
        ActionKind::MarkDelivered,
        ActionKind::StartValueReview,
        ActionKind::Close,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Submit => "submit",
            ActionKind::Withdraw => "withdraw",
            ActionKind::StartAssessment => "start_assessment",
            ActionKind::SendBack => "send_back",
            ActionKind::Approve => "approve",
            ActionKind::Decline => "decline",
            ActionKind::Defer => "defer",
            ActionKind::Reopen => "reopen",
            ActionKind::StartDelivery => "start_delivery",
            ActionKind::MarkDelivered => "mark_delivered",
            ActionKind::StartValueReview => "start_value_review",
            ActionKind::Close => "close",
        }
    }
    pub fn parse(s: &str) -> Option<ActionKind> {
        let s = s.trim();
        ActionKind::ALL.into_iter().find(|a| a.as_str().eq_ignore_ascii_case(s))
    }
    /// The button text.
    pub fn label(self) -> &'static str {
        match self {
            ActionKind::Submit => "Submit",
            ActionKind::Withdraw => "Withdraw",
            ActionKind::StartAssessment => "Start assessment",
            ActionKind::SendBack => "Send back for more information",
            ActionKind::Approve => "Approve",
            ActionKind::Decline => "Decline",
            ActionKind::Defer => "Defer",
            ActionKind::Reopen => "Reopen",
            ActionKind::StartDelivery => "Start delivery",
            ActionKind::MarkDelivered => "Mark delivered",
            ActionKind::StartValueReview => "Start value review",
            ActionKind::Close => "Close",
        }
    }
    /// Who may take it (admins always may).
    pub fn actor(self) -> Actor {
        match self {
            ActionKind::Submit | ActionKind::Withdraw => Actor::Business,
            ActionKind::StartAssessment
            | ActionKind::SendBack
            | ActionKind::Approve
            | ActionKind::Decline
            | ActionKind::Defer
            | ActionKind::StartDelivery
            | ActionKind::MarkDelivered => Actor::It,
            ActionKind::Reopen | ActionKind::StartValueReview | ActionKind::Close => Actor::Either,
        }
    }
    /// Whether the action carries a reason: written for the business by IT, or for IT by the
    /// business when it withdraws a request.
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            ActionKind::SendBack | ActionKind::Approve | ActionKind::Decline | ActionKind::Defer | ActionKind::Withdraw
        )
    }
    /// A step whose effect people should confirm first: it ends or refuses the request.
    pub fn needs_confirmation(self) -> bool {
        matches!(self, ActionKind::Withdraw | ActionKind::Decline | ActionKind::Close)
    }
    /// One of approve, decline, defer.
    pub fn is_decision(self) -> bool {
        matches!(self, ActionKind::Approve | ActionKind::Decline | ActionKind::Defer)
    }
    /// The states this action may be taken from.
    pub fn from_states(self) -> &'static [Status] {
        use Status::*;
        match self {
            ActionKind::Submit => &[Draft],
            ActionKind::Withdraw => &[Draft, Submitted, InAssessment, Approved, Deferred],
            ActionKind::StartAssessment => &[Submitted],
            ActionKind::SendBack => &[Submitted, InAssessment],
            ActionKind::Approve | ActionKind::Decline | ActionKind::Defer => &[InAssessment],
            ActionKind::Reopen => &[Deferred, Withdrawn],
            ActionKind::StartDelivery => &[Approved],
            ActionKind::MarkDelivered => &[InDelivery],
            ActionKind::StartValueReview => &[Delivered],
            ActionKind::Close => &[Declined, Deferred, ValueReview, Withdrawn],
        }
    }
    /// The state the action leads to from `from`: a withdrawn request reopens as a draft, to be
    /// checked and submitted again; a deferred one goes back to the queue.
    pub fn leads_to(self, from: Status) -> Status {
        match self {
            ActionKind::Reopen if from == Status::Withdrawn => Status::Draft,
            _ => self.to_state(),
        }
    }
    /// The state the action leads to (from any state but those [`ActionKind::leads_to`] names).
    pub fn to_state(self) -> Status {
        match self {
            ActionKind::Submit | ActionKind::Reopen => Status::Submitted,
            ActionKind::Withdraw => Status::Withdrawn,
            ActionKind::Close => Status::Closed,
            ActionKind::StartAssessment => Status::InAssessment,
            ActionKind::SendBack => Status::Draft,
            ActionKind::Approve => Status::Approved,
            ActionKind::Decline => Status::Declined,
            ActionKind::Defer => Status::Deferred,
            ActionKind::StartDelivery => Status::InDelivery,
            ActionKind::MarkDelivered => Status::Delivered,
            ActionKind::StartValueReview => Status::ValueReview,
        }
    }
    /// As it reads after "can": "start an assessment".
    fn verb_phrase(self) -> &'static str {
        match self {
            ActionKind::Submit => "submit a request",
            ActionKind::Withdraw => "withdraw a request",
            ActionKind::StartAssessment => "start an assessment",
            ActionKind::SendBack => "send a request back for more information",
            ActionKind::Approve => "approve a request",
            ActionKind::Decline => "decline a request",
            ActionKind::Defer => "defer a request",
            ActionKind::Reopen => "reopen a request",
            ActionKind::StartDelivery => "start delivery",
            ActionKind::MarkDelivered => "mark a request delivered",
            ActionKind::StartValueReview => "start a value review",
            ActionKind::Close => "close a request",
        }
    }
    /// The general rule, used when refusing from a state that has no more specific message.
    fn rule(self) -> &'static str {
        match self {
            ActionKind::Submit => "only a draft can be submitted",
            ActionKind::Withdraw => "a request can be withdrawn only until its delivery starts",
            ActionKind::StartAssessment => "an assessment can start only once the request is submitted",
            ActionKind::SendBack => "a request can be sent back only while it waits for or is in assessment",
            ActionKind::Approve | ActionKind::Decline | ActionKind::Defer => {
                "a decision can be made only while IT is assessing the request"
            }
            ActionKind::Reopen => "only a deferred or withdrawn request can be reopened",
            ActionKind::StartDelivery => "delivery can start only once the request is approved",
            ActionKind::MarkDelivered => "only a request in delivery can be marked delivered",
            ActionKind::StartValueReview => "a value review can start only once the request is delivered",
            ActionKind::Close => {
                "a request can be closed after its value review, or once it is declined, deferred \
                 or withdrawn"
            }
        }
    }
}

/// A step in the life of a request, with its payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Business: draft → submitted. The caller checks [`super::clarity::check_submit`] first.
    Submit,
    /// Business: the request is no longer needed (any state before delivery) → withdrawn,
    /// saying why.
    Withdraw { reason: String },
    /// IT: submitted → in assessment.
    StartAssessment,
    /// IT: submitted or in assessment → draft, saying what is missing.
    SendBack { reason: String },
    /// IT: in assessment → approved.
    Approve { reason: String },
    /// IT: in assessment → declined.
    Decline { reason: String },
    /// IT: in assessment → deferred.
    Defer { reason: String },
    /// Either side: deferred → submitted, or withdrawn → draft.
    Reopen,
    /// IT: approved → in delivery.
    StartDelivery,
    /// IT: in delivery → delivered.
    MarkDelivered,
    /// Either side: delivered → value review.
    StartValueReview,
    /// Either side: value review, declined or deferred → closed.
    Close,
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Submit => ActionKind::Submit,
            Action::Withdraw { .. } => ActionKind::Withdraw,
            Action::StartAssessment => ActionKind::StartAssessment,
            Action::SendBack { .. } => ActionKind::SendBack,
            Action::Approve { .. } => ActionKind::Approve,
            Action::Decline { .. } => ActionKind::Decline,
            Action::Defer { .. } => ActionKind::Defer,
            Action::Reopen => ActionKind::Reopen,
            Action::StartDelivery => ActionKind::StartDelivery,
            Action::MarkDelivered => ActionKind::MarkDelivered,
            Action::StartValueReview => ActionKind::StartValueReview,
            Action::Close => ActionKind::Close,
        }
    }
    /// The reason, for actions that carry one.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Action::SendBack { reason }
            | Action::Withdraw { reason }
            | Action::Approve { reason }
            | Action::Decline { reason }
            | Action::Defer { reason } => Some(reason),
            _ => None,
        }
    }
    /// Builds an action from a form: its kind's code and the reason field (ignored by actions
    /// without one).
    pub fn from_form(kind: &str, reason: &str) -> Option<Action> {
        let reason = reason.to_string();
        Some(match ActionKind::parse(kind)? {
            ActionKind::Submit => Action::Submit,
            ActionKind::Withdraw => Action::Withdraw { reason },
            ActionKind::StartAssessment => Action::StartAssessment,
            ActionKind::SendBack => Action::SendBack { reason },
            ActionKind::Approve => Action::Approve { reason },
            ActionKind::Decline => Action::Decline { reason },
            ActionKind::Defer => Action::Defer { reason },
            ActionKind::Reopen => Action::Reopen,
            ActionKind::StartDelivery => Action::StartDelivery,
            ActionKind::MarkDelivered => Action::MarkDelivered,
            ActionKind::StartValueReview => Action::StartValueReview,
            ActionKind::Close => Action::Close,
        })
    }
}

/// Whether `kind` may be taken from `from` at all, whoever asks.
pub fn is_allowed_from(from: Status, kind: ActionKind) -> bool {
    kind.from_states().contains(&from)
}

/// Why `kind` is not possible from `from`, in plain words.
fn refusal(from: Status, kind: ActionKind) -> String {
    use ActionKind as K;
    use Status as S;
    let specific = match (from, kind) {
        (S::Closed, _) => Some("This request is closed: nothing more can happen to it."),
        (S::Draft, K::StartAssessment | K::SendBack | K::Approve | K::Decline | K::Defer) => {
            Some("This request is still a draft: submit it before IT can assess it.")
        }
        (S::Submitted, K::Approve | K::Decline | K::Defer) => Some(
            "IT has not started assessing this request yet: start the assessment before \
             deciding.",
        ),
        (S::Submitted | S::InAssessment, K::Submit) => Some("This request has already been submitted."),
        (S::InAssessment, K::StartAssessment) => Some("IT is already assessing this request."),
        (S::Deferred, K::Submit) => Some("This request was deferred: reopen it to put it back in the queue."),
        (S::Approved | S::Declined | S::Deferred, K::Approve | K::Decline | K::Defer) => Some(
            "This request has already been decided. To change the decision, it has to be \
             assessed again: reopen it if it was deferred, or raise a new request.",
        ),
        (S::Delivered, K::Close) => Some(
            "This request has been delivered: start the value review before closing it, so the \
             business can judge whether it paid off.",
        ),
        (S::InDelivery | S::Delivered | S::ValueReview, K::Withdraw) => Some(
            "Delivery has already started, so this request can no longer be withdrawn; \
             talk to IT about stopping the work.",
        ),
        _ => None,
    };
    match specific {
        Some(s) => s.to_string(),
        None => format!("{}: {}.", from.sentence(), kind.rule()),
    }
}

fn check_reason(reason: &str) -> Result<(), Error> {
    let n = reason.trim().chars().count();
    if n < MIN_REASON_CHARS {
        return Err(Error::field(
            "reason",
            format!(
                "Write a reason for the business of at least {MIN_REASON_CHARS} characters: it is \
                 what they will read."
            ),
        ));
    }
    if n > MAX_REASON_CHARS {
        return Err(Error::field("reason", "Keep the reason under 4,000 characters."));
    }
    Ok(())
}

/// Whether someone with `role` may take `kind` at all, and if not, why. `owner` says whether they
/// wrote or sponsor the request: the business side's steps on a request are its owners' to take.
fn check_role(kind: ActionKind, role: Role, owner: bool) -> Result<(), Error> {
    if kind.actor().allows(role) {
        if role == Role::Business && !owner {
            return Err(Error::forbidden(format!(
                "Only the person who wrote this request, its sponsor or an administrator can {}.",
                kind.verb_phrase()
            )));
        }
        return Ok(());
    }
    if role == Role::Viewer {
        return Err(Error::forbidden("Viewers can read requests but not change them."));
    }
    let who = match kind.actor() {
        Actor::Business => "the business side",
        Actor::It => "IT",
        Actor::Either => "the business side or IT",
    };
    Err(Error::forbidden(format!("Only {who} can {}.", kind.verb_phrase())))
}

/// Moves a request from `from` by `action`, taken by someone with `role`; `owner` when they wrote
/// or sponsor the request.
///
/// Checks, in order: the role (and, for the business side, ownership) allows the action
/// ([`Error::Forbidden`]); the action is possible
/// from this state ([`Error::Conflict`], saying why in plain words); a reason of at least
/// [`MIN_REASON_CHARS`] characters where one is needed ([`Error::Validation`] on `reason`).
pub fn transition(from: Status, action: &Action, role: Role, owner: bool) -> Result<Status, Error> {
    let kind = action.kind();
    check_role(kind, role, owner)?;
    if !is_allowed_from(from, kind) {
        return Err(Error::conflict(refusal(from, kind)));
    }
    if let Some(reason) = action.reason() {
        check_reason(reason)?;
    }
    Ok(kind.leads_to(from))
}

/// Approving commits IT's time and money, so it rests on IT's assessment, unless the person
/// approving says explicitly that they decide without one (their reason says why).
pub fn check_approval_basis(kind: ActionKind, assessed: bool, without_assessment: bool) -> Result<(), Error> {
    if kind == ActionKind::Approve && !assessed && !without_assessment {
        return Err(Error::field(
            "without_assessment",
            "Assess the request before approving it, so the business sees what it takes; or tick “Approve \
             without an assessment” and say why in the reason.",
        ));
    }
    Ok(())
}

/// The actions `role` may take on a request in `status`, in [`ActionKind::ALL`] order; `owner` as
/// for [`transition`].
pub fn allowed_actions(status: Status, role: Role, owner: bool) -> Vec<ActionKind> {
    ActionKind::ALL.into_iter().filter(|k| is_allowed_from(status, *k) && check_role(*k, role, owner).is_ok()).collect()
}

/// Whether this step is IT's first response to a submission: an IT action (starting the
/// assessment or sending it back) on a submitted request. The store records the time of the
/// first such step after each submission, for "time to first IT response".
pub fn is_first_it_response(from: Status, kind: ActionKind) -> bool {
    from == Status::Submitted && kind.actor() == Actor::It
}

/// Whether this step is a decision (approve, decline, defer), for "time to decision".
pub fn is_decision(kind: ActionKind) -> bool {
    kind.is_decision()
}

/// The side the request waits on in `status`, if it clearly waits on one.
pub fn waiting_on(status: Status) -> Option<Side> {
    match status {
        Status::Draft => Some(Side::Business),
        Status::Submitted | Status::InAssessment | Status::Approved | Status::InDelivery => Some(Side::It),
        Status::Delivered | Status::ValueReview => Some(Side::Business),
        Status::Declined | Status::Deferred | Status::Closed | Status::Withdrawn => None,
    }
}
