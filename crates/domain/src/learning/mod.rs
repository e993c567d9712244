//! Learning: events where IT shows what technology can do and the business learns how IT works
//! (brown bags, hackathons, showcases, tours, trainings, workshops), with registration, a
//! waiting list, attendance and feedback.

mod event;
pub mod principles;
pub mod radar;
mod time;

pub use event::*;
pub use time::*;
