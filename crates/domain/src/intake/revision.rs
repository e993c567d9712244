//! What changed between two versions of a request, and when a change is kept as a revision.

use super::request::ValidRequest;
use super::Status;

/// The labels of the fields that differ between two versions of a request, in form order.
pub fn changed_fields(a: &ValidRequest, b: &ValidRequest) -> Vec<&'static str> {
    let checks = [
        (a.title == b.title, "the title"),
        (a.problem == b.problem, "the problem"),
        (a.goals == b.goals, "the goals"),
        (a.metrics == b.metrics, "the success metrics"),
        (a.budget == b.budget, "the budget"),
        (a.sponsor_id == b.sponsor_id, "the sponsor"),
        (a.stakeholders == b.stakeholders, "the stakeholders"),
        (a.regulatory == b.regulatory, "the regulatory considerations"),
        (a.desired_date == b.desired_date, "the desired date"),
        (a.if_missed == b.if_missed, "what happens if the date is missed"),
        (a.tradeoffs == b.tradeoffs, "the trade-offs"),
        (a.business_unit_id == b.business_unit_id, "the business unit"),
    ];
    checks.into_iter().filter(|(same, _)| !same).map(|(_, label)| label).collect()
}

/// "a", "a and b", "a, b and c".
pub fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The revision line a save leaves ("Changed the title and the goals"), or `None` when the save
/// is not kept as one: before the first submission, drafts change freely; after it (even if sent
/// back to draft since), every change is kept so both sides can see what moved.
pub fn revision_summary(
    status: Status,
    ever_submitted: bool,
    before: &ValidRequest,
    after: &ValidRequest,
) -> Option<String> {
    let changed = changed_fields(before, after);
    let kept = (status != Status::Draft || ever_submitted) && !changed.is_empty();
    kept.then(|| format!("Changed {}", and_list(&changed)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_submitted_request_keeps_each_change_a_draft_does_not() {
        let a = ValidRequest { title: "Faster tills".into(), ..Default::default() };
        let b = ValidRequest { title: "Faster tills now".into(), goals: "Shorter queues".into(), ..a.clone() };
        assert_eq!(changed_fields(&a, &b), vec!["the title", "the goals"]);
        assert_eq!(
            revision_summary(Status::Submitted, true, &a, &b).as_deref(),
            Some("Changed the title and the goals")
        );
        assert_eq!(revision_summary(Status::Draft, false, &a, &b), None);
        assert!(revision_summary(Status::Draft, true, &a, &b).is_some());
        assert_eq!(revision_summary(Status::Submitted, true, &a, &a), None);
        assert_eq!(and_list(&["a", "b", "c"]), "a, b and c");
    }
}
