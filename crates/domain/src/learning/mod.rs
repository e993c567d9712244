//! Learning: events where IT shows what technology can do and the business learns how IT works
//! (brown bags, hackathons, showcases, tours, trainings, workshops), with registration, a
//! waiting list, attendance and feedback.

mod event;
pub mod principles;
pub mod radar;
mod time;

pub use event::*;
pub use time::*;

use crate::FieldErrors;

/// A text field trimmed, with its problem (empty when required, too long, a control
/// character) noted beside it.
fn text(fields: &mut FieldErrors, name: &str, value: &str, max: usize, required: bool) -> String {
    let v = value.trim();
    if required && v.is_empty() {
        fields.insert(name.into(), "Please fill this in.".into());
    } else if v.chars().count() > max {
        fields.insert(name.into(), format!("Please keep this under {max} characters."));
    } else if crate::text::has_forbidden_control(v) {
        fields.insert(name.into(), crate::text::FORBIDDEN_CONTROL_MESSAGE.into());
    }
    v.to_string()
}
