//! The request page: the request in plain words, its assessment, priority breakdown, lifecycle
//! actions, conversation, revisions and history.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use bridge_domain::conversation::correctable;
use bridge_domain::intake::priority::SCALE;
use bridge_domain::intake::{clarity, plain_summary, ActionKind, Budget, Component, Status, ValidRequest};
use bridge_domain::org::Role;
use bridge_domain::text::capitalise;
use bridge_domain::Error;

use super::comments::{message_html, CommentView};
use crate::ops::intake::conversation::{comments_of, earlier_versions};
use crate::ops::intake::priority::priority_view;
use crate::ops::intake::{actions_for, can_edit};
use crate::store::intake::{Request, RequestEvent};
use crate::store::now_ms;
use crate::store::org::GroupKind;
use crate::web::auth::{CurrentUser, PageUser};
use crate::web::error::status_of;
use crate::web::pages::{date, datetime, render, DoneQuery, Layout, Opt, OrPage, PageResult};
use crate::web::AppState;

pub struct ActionButton {
    pub kind: &'static str,
    pub label: &'static str,
    /// It ends or refuses the request: it is confirmed first and looks like it.
    pub confirm: bool,
    /// Chosen last time (the form came back with a problem).
    pub chosen: bool,
}

/// What the page offers next: steps taken with one button, and the steps that carry a reason,
/// chosen in one form with one reason box.
#[derive(Default)]
pub struct NextSteps {
    pub buttons: Vec<ActionButton>,
    /// IT's decisions and sending back, as choices of the one form.
    pub decisions: Vec<ActionButton>,
    /// The business side's withdrawal, with its own reason and confirmation.
    pub withdraw: bool,
    /// Approving is offered with no assessment yet: it needs "without an assessment" ticked.
    pub approve_unassessed: bool,
    /// Declining is offered: it needs confirming.
    pub decline_offered: bool,
    /// The decision form's reason and problems, when it came back.
    pub reason: String,
    pub reason_error: Option<String>,
    pub confirm_error: Option<String>,
    pub basis_error: Option<String>,
    /// Approving is offered: a target for each success metric that has none yet.
    pub targets: Vec<crate::web::pages::value::ApprovalTarget>,
    /// The withdrawal form's, when it came back.
    pub withdrawing: bool,
    pub withdraw_reason: String,
    pub withdraw_error: Option<String>,
}

impl NextSteps {
    pub fn is_empty(&self) -> bool {
        self.buttons.is_empty() && self.decisions.is_empty() && !self.withdraw
    }
}

pub struct PriorityRow {
    pub field: &'static str,
    pub label: String,
    pub set_by: &'static str,
    pub value: String,
    pub weight: String,
    pub editable: bool,
    pub options: Vec<Opt>,
}

pub struct RevisionView {
    pub at: i64,
    pub actor_name: String,
    pub summary: String,
    pub changes: Vec<(String, String, String)>,
}

pub struct EventView {
    pub at: i64,
    pub actor_name: String,
    pub action: String,
    pub from: &'static str,
    pub to: &'static str,
    pub reason: String,
}

#[derive(Default)]
pub struct PageProblem {
    pub message: Option<String>,
    pub action: String,
    pub reason: String,
    pub reason_error: Option<String>,
    /// A step that needed confirming was not confirmed.
    pub confirm_error: Option<String>,
    /// An approval without an assessment that did not say so.
    pub basis_error: Option<String>,
    pub comment: String,
    pub comment_error: Option<String>,
    pub status: Option<StatusCode>,
    /// Every field's problem, such as the approval's targets' (`t0_value`).
    pub fields: bridge_domain::FieldErrors,
    /// The targets sent with an approval that came back.
    pub targets: Vec<crate::ops::value::targets::MetricTarget>,
}

#[derive(Template)]
#[template(path = "intake/request.html")]
struct RequestPage {
    layout: Layout,
    r: Request,
    status_label: &'static str,
    csrf: String,
    problem: PageProblem,
    details: Vec<(&'static str, String)>,
    metrics: Vec<(String, String, String, String, String)>,
    clarity_score: u8,
    threshold: u8,
    hints: Vec<String>,
    priority_text: String,
    priority_rows: Vec<PriorityRow>,
    can_rate: bool,
    assessment: Option<(Vec<String>, String, String)>,
    /// IT's principles the assessment cites, explained for the business.
    principles: Vec<crate::store::learning::principles::PrincipleRow>,
    submitted_text: Option<String>,
    can_assess: bool,
    decision: Option<EventView>,
    next: NextSteps,
    /// IT people to choose the owner from, for IT and administrators.
    owner_options: Option<Vec<Opt>>,
    /// It can still be closed as a duplicate.
    open_for_duplicate: bool,
    /// IT people writing reasons for the business: they get the jargon check's link.
    user_writes_to_other_side: bool,
    can_edit: bool,
    can_comment: bool,
    comments: Vec<CommentView>,
    revisions: Vec<RevisionView>,
    events: Vec<EventView>,
    /// The lifecycle as a progress line.
    progress: Vec<bridge_domain::intake::progress::Step>,
    /// As an initiative: its targets, champion and reviews; the sponsor's and unit's track records.
    value: crate::web::pages::value::RequestValue,
}

/// The request's fields in plain words, in form order.
fn field_texts(
    r: &ValidRequest,
    names: &HashMap<i64, String>,
    units: &HashMap<i64, String>,
) -> Vec<(&'static str, String)> {
    let person = |id: i64| names.get(&id).cloned().unwrap_or_else(|| format!("person {id}"));
    let or_dash = |s: &str| if s.trim().is_empty() { "—".to_string() } else { s.to_string() };
    vec![
        ("Title", r.title.clone()),
        ("Problem or opportunity", or_dash(&r.problem)),
        ("Business goals", or_dash(&r.goals)),
        (
            "Success metrics",
            if r.metrics.is_empty() {
                "—".into()
            } else {
                r.metrics
                    .iter()
                    .map(|m| {
                        let n =
                            |v: Option<f64>| v.map(bridge_domain::intake::parse::format_number).unwrap_or("?".into());
                        format!(
                            "{} ({}): {} → {} by {}",
                            or_dash(&m.name),
                            or_dash(&m.unit),
                            n(m.baseline),
                            n(m.target),
                            m.target_date.clone().unwrap_or("?".into())
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            },
        ),
        ("Budget", r.budget.as_ref().map(Budget::describe).unwrap_or_else(|| "—".into())),
        ("Sponsor", r.sponsor_id.map(person).unwrap_or_else(|| "—".into())),
        (
            "Stakeholders",
            if r.stakeholders.is_empty() {
                "—".into()
            } else {
                r.stakeholders
                    .iter()
                    .map(|s| format!("{} ({})", person(s.person_id), s.role.label().to_lowercase()))
                    .collect::<Vec<_>>()
                    .join("; ")
            },
        ),
        ("Regulatory considerations", r.regulatory.describe()),
        ("Desired date", r.desired_date.clone().unwrap_or_else(|| "—".into())),
        ("If the date is missed", or_dash(&r.if_missed)),
        (
            "Trade-offs, from may give way first to hold firmest",
            if r.tradeoffs.is_empty() {
                "—".into()
            } else {
                r.tradeoffs.iter().map(|t| t.label()).collect::<Vec<_>>().join(" → ")
            },
        ),
        ("Business unit", r.business_unit_id.and_then(|u| units.get(&u).cloned()).unwrap_or_else(|| "—".into())),
    ]
}

fn event_view(e: &RequestEvent) -> EventView {
    EventView {
        at: e.at,
        actor_name: e.actor_name.clone(),
        action: e.action.label().to_string(),
        from: e.from_status.label(),
        to: e.to_status.label(),
        reason: e.reason.clone(),
    }
}

pub(super) async fn request_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    problem: PageProblem,
    flash: Option<String>,
) -> PageResult {
    let r = state.db.get_request(id).await.or_page(user)?;
    let people = state.db.people_brief().await.or_page(user)?;
    let names: HashMap<i64, String> = people.iter().map(|p| (p.id, p.name.clone())).collect();
    let units: HashMap<i64, String> =
        state.db.list_groups(GroupKind::Unit).await.or_page(user)?.into_iter().map(|u| (u.id, u.name)).collect();
    let settings = state.intake_settings.get(&state.db).await.or_page(user)?;
    let (threshold, weights) = (settings.submit_threshold, settings.weights);
    let c = clarity(&r.body);
    let pv = priority_view(&state.db, &weights, &r.summary).await.or_page(user)?;
    let input = r.summary.priority_input();
    let status = r.status();
    let open = !status.is_final();
    let priority_rows: Vec<PriorityRow> = Component::ALL
        .iter()
        .map(|c| {
            let value = input.get(*c);
            let editable = open && c.can_be_set_by(user.role);
            PriorityRow {
                field: c.as_str(),
                label: capitalise(c.label()),
                set_by: c.set_by().label(),
                value: value.map(|v| v.to_string()).unwrap_or_else(|| "not rated".into()),
                weight: bridge_domain::intake::parse::format_number(weights.get(*c)),
                editable,
                options: Opt::with_none(
                    "Not rated",
                    SCALE.iter().map(|v| (v.to_string(), v.to_string())),
                    &value.map(|v| v.to_string()).unwrap_or_default(),
                ),
            }
        })
        .collect();
    let stored = state.db.get_assessment(id).await.or_page(user)?;
    let cited = stored.as_ref().map(|a| a.assessment.principles.clone()).unwrap_or_default();
    let principles: Vec<crate::store::learning::principles::PrincipleRow> = match cited.is_empty() {
        true => vec![],
        false => state.db.principles().await.or_page(user)?.into_iter().filter(|p| cited.contains(&p.id)).collect(),
    };
    let assessment = stored.map(|a| (plain_summary(&a.assessment), a.author_name, datetime(a.updated_at)));
    let events = state.db.request_events(id).await.or_page(user)?;
    let decision = events.iter().rev().find(|e| e.action.is_decision()).map(event_view);
    let visited: Vec<Status> = std::iter::once(Status::Draft).chain(events.iter().map(|e| e.to_status)).collect();
    let progress = bridge_domain::intake::progress::progress(r.status(), &visited);
    let withdrawing = problem.action == ActionKind::Withdraw.as_str();
    let owner_options = matches!(user.role, Role::It | Role::Admin).then(|| {
        let it_people = people.iter().filter(|p| p.side == bridge_domain::org::Side::It);
        super::Opt::with_none(
            "Nobody yet",
            it_people.map(|p| (p.id.to_string(), p.name.clone())),
            &r.summary.owner_id.map(|o| o.to_string()).unwrap_or_default(),
        )
    });
    let mut next = NextSteps { withdrawing, ..NextSteps::default() };
    if withdrawing {
        next.withdraw_reason = problem.reason.clone();
        next.withdraw_error = problem.reason_error.clone();
    } else {
        next.reason = problem.reason.clone();
        next.reason_error = problem.reason_error.clone();
        next.confirm_error = problem.confirm_error.clone();
        next.basis_error = problem.basis_error.clone();
    }
    for k in actions_for(&user.caller(), &r) {
        let chosen = problem.action == k.as_str();
        let button = ActionButton { kind: k.as_str(), label: k.label(), confirm: k.needs_confirmation(), chosen };
        next.approve_unassessed |= k == ActionKind::Approve && assessment.is_none();
        next.decline_offered |= k == ActionKind::Decline;
        match k {
            ActionKind::Withdraw => next.withdraw = true,
            _ if k.needs_reason() => next.decisions.push(button),
            _ => next.buttons.push(button),
        }
    }
    if next.decisions.iter().any(|d| d.kind == ActionKind::Approve.as_str()) {
        next.targets = crate::web::pages::value::approval_targets(state, &r, &problem.targets).await.or_page(user)?;
    }
    let revisions = state
        .db
        .list_revisions(id)
        .await
        .or_page(user)?
        .into_iter()
        .map(|rev| {
            let before: Option<ValidRequest> = serde_json::from_str(&rev.before_json).ok();
            let after: Option<ValidRequest> = serde_json::from_str(&rev.after_json).ok();
            let changes = match (before, after) {
                (Some(b), Some(a)) => field_texts(&b, &names, &units)
                    .into_iter()
                    .zip(field_texts(&a, &names, &units))
                    .filter(|(x, y)| x.1 != y.1)
                    .map(|((label, x), (_, y))| (label.to_string(), x, y))
                    .collect(),
                _ => vec![],
            };
            RevisionView { at: rev.at, actor_name: rev.actor_name, summary: rev.summary, changes }
        })
        .collect();
    let metrics = r
        .body
        .metrics
        .iter()
        .map(|m| {
            let n = |v: Option<f64>| v.map(bridge_domain::intake::parse::format_number).unwrap_or("—".into());
            (m.name.clone(), m.unit.clone(), n(m.baseline), n(m.target), m.target_date.clone().unwrap_or("—".into()))
        })
        .collect();
    let mut details = field_texts(&r.body, &names, &units);
    details.retain(|(label, _)| *label != "Title" && *label != "Success metrics");
    // Text that crosses sides is shown with the glossary's terms marked and explained for this
    // reader: the strings below become HTML (escaped by `annotate_html`).
    let checker = state.glossary.checker(&state.db).await.ok();
    let annotate = |text: &str| {
        let findings = checker.as_ref().map(|c| c.check(text, user.side)).unwrap_or_default();
        bridge_domain::language::annotate_html(text, &findings)
    };
    for (_, value) in details.iter_mut() {
        *value = annotate(value);
    }
    let assessment =
        assessment.map(|(sentences, by, at)| (sentences.iter().map(|s| annotate(s)).collect::<Vec<_>>(), by, at));
    let decision = decision.map(|d| EventView { reason: annotate(&d.reason), ..d });
    let (comments, earlier, people) =
        tokio::try_join!(comments_of(&state.db, id), earlier_versions(&state.db, id), state.db.mentionable())
            .or_page(user)?;
    let now = now_ms();
    let comments = comments
        .into_iter()
        .map(|c| {
            let mine = c.author_id == Some(user.person_id) && user.role != Role::Viewer;
            CommentView {
                html: message_html(&c.body, &people, annotate),
                can_correct: mine && c.removed_at.is_none() && correctable(c.at, now),
                // A removed message's words are not shown again, not even its earlier ones.
                earlier: earlier
                    .iter()
                    .filter(|v| v.comment_id == c.id && c.removed_at.is_none())
                    .map(|v| (datetime(v.at), annotate(&v.body)))
                    .collect(),
                c,
            }
        })
        .collect();
    let value = crate::web::pages::value::RequestValue::load(state, user, &r).await.or_page(user)?;
    let status_code = problem.status;
    let page = RequestPage {
        value,
        layout: Layout::new(r.summary.title.clone(), user, "intake").with_flash(flash),
        status_label: status.label(),
        csrf: user.csrf.clone(),
        details,
        metrics,
        clarity_score: c.score,
        threshold,
        hints: c.hints.into_iter().map(|h| h.text).collect(),
        priority_text: pv.explanation,
        submitted_text: r.summary.submitted_at.map(date),
        can_rate: priority_rows.iter().any(|p| p.editable),
        priority_rows,
        assessment,
        principles,
        can_assess: matches!(user.role, Role::It | Role::Admin) && !matches!(status, Status::Draft | Status::Closed),
        decision,
        user_writes_to_other_side: !next.decisions.is_empty(),
        owner_options,
        open_for_duplicate: !matches!(status, Status::Closed | Status::Withdrawn),
        next,
        can_edit: can_edit(&user.caller(), &r) && open,
        can_comment: user.role.can_write(),
        comments,
        revisions,
        events: events.iter().map(event_view).collect(),
        progress,
        problem,
        r,
    };
    let mut response = render(&page);
    if let Some(s) = status_code {
        *response.status_mut() = s;
    }
    Ok(response)
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    let flash = match q.done.as_str() {
        "saved" => Some("Saved.".to_string()),
        "submitted" => Some("Submitted: IT has been asked to respond.".to_string()),
        // What happened and what comes next, from the status the step led to.
        "moved" => Some(state.db.get_request(id).await.or_page(&user)?.status().what_next().to_string()),
        "rated" => Some("Priority saved; the queue has been re-ranked.".to_string()),
        "planned" => Some("The plan by quarter is saved.".to_string()),
        "owner" => Some("Saved: the owner on IT's side is told.".to_string()),
        "sent0" => Some("Sent. Nobody else was notified: mention someone with @ to tell them.".to_string()),
        sent if sent.starts_with("sent") => {
            let n = sent.trim_start_matches("sent");
            Some(format!("Sent; {n} {} notified.", if n == "1" { "person was" } else { "people were" }))
        }
        "assessed" => Some("Assessment saved; the business side can read it in plain words below.".to_string()),
        "corrected0" => Some("Corrected. Its earlier wording stays in the history.".to_string()),
        told if told.starts_with("corrected") => {
            let n = told.trim_start_matches("corrected");
            Some(format!(
                "Corrected; {n} newly mentioned {} notified.",
                if n == "1" { "person was" } else { "people were" }
            ))
        }
        removed if removed.starts_with("removed") => Some("Your message has been removed.".to_string()),
        _ => None,
    };
    request_page(&state, &user, id, PageProblem::default(), flash).await
}

pub(super) fn problem_from(e: Error) -> PageProblem {
    let status = Some(status_of(&e));
    match e {
        Error::Validation { message, fields } => PageProblem {
            reason_error: fields.get("reason").cloned(),
            confirm_error: fields.get("confirm").cloned(),
            basis_error: fields.get("without_assessment").cloned(),
            comment_error: fields.get("body").cloned(),
            fields,
            message: Some(message),
            status,
            ..Default::default()
        },
        other => PageProblem { message: Some(other.to_string()), status, ..Default::default() },
    }
}
