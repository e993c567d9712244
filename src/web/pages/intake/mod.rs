//! Intake pages: the ranked queue, the request form with live clarity coaching, the request page
//! (assessment in plain words, priority breakdown, lifecycle actions, conversation, revisions and
//! history), IT's assessment form, the admin settings, response times and Jira import. Everything
//! works without JavaScript; `static/intake.js` only refreshes the clarity panel while someone types.

mod assess;
mod cells;
mod comments;
mod form;
mod import;
mod queue;
mod request;
mod settings;
mod stats;
mod steps;

use bridge_domain::intake::lifecycle::MIN_REASON_CHARS;

use super::Opt;
use crate::web::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/requests", queue::queue)
        .post("/requests", form::create)
        .get("/requests/new", form::new_form)
        .post("/requests/clarity", form::clarity_fragment)
        .get("/requests/import", import::import_form)
        .post("/requests/import", import::preview)
        .post("/requests/import/confirm", import::import)
        .get("/requests/imports/{id}", import::imported)
        .post("/requests/imports/{id}/undo", import::undo)
        .get("/requests/{id}", request::show)
        .post("/requests/{id}", form::update)
        .get("/requests/{id}/edit", form::edit_form)
        .post("/requests/{id}/transition", steps::transition)
        .post("/requests/{id}/priority", steps::set_priority)
        .post("/requests/{id}/owner", steps::set_owner)
        .post("/requests/{id}/duplicate", steps::mark_duplicate)
        .post("/requests/{id}/comments", steps::comment)
        .get("/requests/{id}/comments/{comment_id}/edit", comments::correct_form)
        .post("/requests/{id}/comments/{comment_id}", comments::correct)
        .post("/requests/{id}/comments/{comment_id}/remove", comments::remove)
        .get("/mentions/suggest", comments::suggest)
        .post("/mentions/check", comments::check)
        .get("/requests/{id}/assess", assess::assess_form)
        .post("/requests/{id}/assess", assess::assess)
        .get("/intake/settings", settings::settings_form)
        .post("/intake/settings", settings::save_settings)
        .get("/intake/stats", stats::stats)
}

/// Shortest reason accepted, for the form hint.
pub fn min_reason() -> usize {
    MIN_REASON_CHARS
}
