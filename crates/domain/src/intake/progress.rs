//! A request's lifecycle as the progress line of its page: the road, where it is, where it turned.

use super::lifecycle::Status;

/// The road a request travels when all goes well, as the request page's progress line shows it.
pub const ROAD: [Status; 8] = [
    Status::Draft,
    Status::Submitted,
    Status::InAssessment,
    Status::Approved,
    Status::InDelivery,
    Status::Delivered,
    Status::ValueReview,
    Status::Closed,
];

/// A step of the progress line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub status: Status,
    /// `done`, `current` or `ahead`.
    pub state: &'static str,
}

/// The progress line of a request now in `current` that has been in `visited` (oldest first,
/// its first status included): the road's steps passed, the current one and those ahead; a
/// request that turned off the road (declined, deferred, withdrawn) shows the road up to where
/// it turned, then the turn (and its closing, when closed after it).
pub fn progress(current: Status, visited: &[Status]) -> Vec<Step> {
    let on_road = |s: Status| ROAD.iter().position(|r| *r == s);
    let step = |status, state| Step { status, state };
    let before_closing = visited.iter().rev().find(|s| **s != Status::Closed).copied();
    let turn = match current {
        Status::Closed => before_closing.filter(|s| on_road(*s).is_none()),
        s if on_road(s).is_none() => Some(s),
        _ => None,
    };
    match turn {
        None => {
            let here = on_road(current).unwrap_or(0);
            ROAD.iter()
                .enumerate()
                .map(|(i, s)| {
                    step(
                        *s,
                        if i < here {
                            "done"
                        } else if i == here {
                            "current"
                        } else {
                            "ahead"
                        },
                    )
                })
                .collect()
        }
        Some(turn) => {
            let reached =
                visited.iter().filter(|s| **s != Status::Closed).filter_map(|s| on_road(*s)).max().unwrap_or(0);
            let mut steps: Vec<Step> = ROAD[..=reached].iter().map(|s| step(*s, "done")).collect();
            if current == Status::Closed {
                steps.push(step(turn, "done"));
                steps.push(step(Status::Closed, "current"));
            } else {
                steps.push(step(turn, "current"));
            }
            steps
        }
    }
}
