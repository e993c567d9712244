//! Engagement pages: staying in touch (how each business unit stands against its cadence, and
//! the latest touchpoints), logging a touchpoint in a few seconds, on a phone too (people and
//! unit chosen by typing a few letters), and a unit's cadence (admins).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use bridge_domain::engagement::{FollowUpInput, TouchpointInput, TouchpointKind};
use bridge_domain::intake::parse::Date;
use bridge_domain::org::Side;
use bridge_domain::{Error, FieldErrors};
use serde::Deserialize;

use super::{error_page, find_person, form_outcome, person_choice, render, Layout, Opt, OrPage, PageResult};
use crate::ops::directory::Directory;
use crate::ops::engagement::{self, CadenceInput, TouchpointView, UnitStanding};
use crate::store::engagement::TouchpointFilter;
use crate::web::auth::{CsrfForm, CurrentUser, PageUser};
use crate::web::routes::Routes;
use crate::web::AppState;

mod map;
mod more;
mod office_hours;

pub use map::MapPageCache;

pub fn routes() -> Routes {
    Routes::new()
        .get("/engagement", page)
        .get("/engagement/map", map::map)
        .get("/engagement/units/{id}", unit_page)
        .get("/touchpoints/new", new_form)
        .post("/touchpoints", create)
        .get("/engagement/units/{id}/cadence", cadence_form)
        .post("/engagement/units/{id}/cadence", save_cadence)
        .post("/follow-ups/{id}", finish_follow_up)
        .get("/engagement/stats", more::stats)
        .get("/engagement/units/{id}/embeddings/new", more::embedding_form)
        .post("/engagement/units/{id}/embeddings", more::add_embedding)
        .get("/touchpoints/import", more::import_form)
        .post("/touchpoints/import", more::import)
        .get("/office-hours", office_hours::list)
        .get("/office-hours/new", office_hours::new_form)
        .post("/office-hours", office_hours::publish)
        .get("/office-hours/{id}/book", office_hours::book_form)
        .post("/office-hours/{id}/book", office_hours::book)
        .post("/office-hours/{id}/end", office_hours::end)
        .post("/bookings/{id}/cancel", office_hours::cancel)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FollowUpForm {
    /// `yes` to mark it done, anything else to open it again.
    done: String,
}

pub async fn finish_follow_up(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<FollowUpForm>,
) -> PageResult {
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    engagement::finish_follow_up(&state.db, &directory, &user.caller(), id, form.done == "yes").await.or_page(&user)?;
    Ok(Redirect::to("/engagement?done=follow_up#touchpoints-h").into_response())
}

#[derive(Template)]
#[template(path = "engagement/unit.html")]
struct UnitPage {
    layout: Layout,
    csrf: String,
    unit: engagement::UnitEngagement,
    chart: String,
    team_names: std::collections::HashMap<i64, String>,
    is_admin: bool,
    figures: engagement::EngagementFigures,
    can_embed: bool,
}

/// A business unit's engagement: standing and cadence, contacts month by month, the IT teams it
/// was in touch with, follow-ups still open, and its latest touchpoints.
pub async fn unit_page(State(state): State<AppState>, PageUser(user): PageUser, Path(id): Path<i64>) -> PageResult {
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let caller = user.caller();
    let model = state.engagement_model(&directory).await.or_page(&user)?;
    let unit = engagement::unit_engagement(&state.db, &directory, &model, &caller, id).await.or_page(&user)?;
    let bars: Vec<crate::web::charts::Bar> = unit
        .months
        .iter()
        .map(|m| crate::web::charts::Bar { label: m.month.clone(), values: vec![m.contacts as f64] })
        .collect();
    let chart = crate::web::charts::bar_chart(&crate::web::charts::BarChart {
        title: format!("Contacts between {} and IT, month by month over the last year", unit.standing.unit_name),
        series: &["Contacts"],
        bars: &bars,
        format_value: &|v| format!("{v:.0}"),
    });
    let mut team_names: std::collections::HashMap<i64, String> = directory.teams.iter().cloned().collect();
    team_names.insert(0, "No team".into());
    let all_figures = state.engagement_figures.get(&state.db, &directory).await.or_page(&user)?;
    let figures = all_figures.2.iter().find(|u| u.unit_id == Some(id)).cloned();
    let figures = figures.ok_or_else(|| error_page(&user, Error::not_found("The business unit")))?;
    Ok(render(&UnitPage {
        figures,
        can_embed: matches!(user.role, bridge_domain::org::Role::Admin | bridge_domain::org::Role::It),
        layout: Layout::new(format!("{} and IT", unit.standing.unit_name), &user, "engagement"),
        csrf: user.csrf.clone(),
        chart,
        team_names,
        is_admin: user.role.is_admin(),
        unit,
    }))
}

/// How many touchpoints a page lists.
const PER_PAGE: i64 = 30;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    /// Touchpoints before this one (the "older" link).
    before: Option<i64>,
    /// Only this business unit's touchpoints.
    unit: Option<i64>,
    done: String,
}

#[derive(Template)]
#[template(path = "engagement/index.html")]
struct EngagementPage {
    layout: Layout,
    csrf: String,
    units: Vec<UnitStanding>,
    touchpoints: Vec<TouchpointView>,
    older: Option<i64>,
    /// The unit whose touchpoints are listed (id, name), when one is chosen.
    unit: Option<(i64, String)>,
    can_log: bool,
    is_admin: bool,
}

pub async fn page(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<PageQuery>) -> PageResult {
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let units = state.engagement_model(&directory).await.or_page(&user)?.standings.clone();
    let caller = user.caller();
    let touchpoints = engagement::touchpoints(
        &state.db,
        &directory,
        &caller,
        TouchpointFilter { unit_id: q.unit, person_id: None },
        q.before,
        PER_PAGE,
    )
    .await
    .or_page(&user)?;
    let older = (touchpoints.len() as i64 == PER_PAGE).then(|| touchpoints.last().map(|t| t.id)).flatten();
    let flash = match q.done.as_str() {
        "logged" => Some("Logged. The unit's stay-in-touch clock starts again from its date.".to_string()),
        "cadence" => Some("The unit's cadence is saved.".to_string()),
        "follow_up" => Some("The follow-up is updated.".to_string()),
        _ => None,
    };
    Ok(render(&EngagementPage {
        layout: Layout::new("Staying in touch", &user, "engagement").with_flash(flash),
        csrf: user.csrf.clone(),
        units,
        touchpoints,
        older,
        unit: q.unit.and_then(|u| directory.unit_name(u).map(|n| (u, n.to_string()))),
        can_log: user.role.can_write(),
        is_admin: user.role.is_admin(),
    }))
}

/// The touchpoint form as typed: up to three people from each side, each chosen by typing.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct TouchpointForm {
    kind: String,
    date: String,
    business_1: String,
    business_2: String,
    business_3: String,
    it_1: String,
    it_2: String,
    it_3: String,
    unit: String,
    note: String,
    private: String,
    follow_text: String,
    follow_owner: String,
    follow_due: String,
}

impl TouchpointForm {
    fn people_fields(&self) -> [(&'static str, &str); 6] {
        [
            ("business_1", &self.business_1),
            ("business_2", &self.business_2),
            ("business_3", &self.business_3),
            ("it_1", &self.it_1),
            ("it_2", &self.it_2),
            ("it_3", &self.it_3),
        ]
    }
}

/// The touchpoint the form describes, and the problems with its people and unit by field.
fn read_form(directory: &Directory, form: &TouchpointForm) -> (TouchpointInput, FieldErrors) {
    let mut errors = FieldErrors::new();
    let mut people = Vec::new();
    for (field, typed) in form.people_fields() {
        if typed.trim().is_empty() {
            continue;
        }
        match find_person(directory, typed) {
            Ok(p) => people.push(p.id),
            Err(e) => {
                errors.insert(field.into(), e);
            }
        }
    }
    let unit_id = match form.unit.trim() {
        "" => None,
        typed => match directory.units.iter().find(|(_, name)| name.eq_ignore_ascii_case(typed)) {
            Some((id, _)) => Some(*id),
            None => {
                errors.insert("unit".into(), format!("There is no business unit called “{typed}”."));
                None
            }
        },
    };
    let owner_id = match form.follow_owner.trim() {
        "" => None,
        typed => match find_person(directory, typed) {
            Ok(p) => Some(p.id),
            Err(e) => {
                errors.insert("follow_owner".into(), e);
                None
            }
        },
    };
    let input = TouchpointInput {
        kind: form.kind.clone(),
        date: form.date.clone(),
        people,
        unit_id,
        note: form.note.clone(),
        private: form.private == "yes",
        follow_ups: vec![FollowUpInput { text: form.follow_text.clone(), owner_id, due: form.follow_due.clone() }],
    };
    (input, errors)
}

/// The form's names for the domain's fields.
fn form_field(field: &str) -> &str {
    match field {
        "follow_ups[0].text" => "follow_text",
        "follow_ups[0].owner_id" => "follow_owner",
        "follow_ups[0].due" => "follow_due",
        "unit_id" => "unit",
        other => other,
    }
}

#[derive(Template)]
#[template(path = "engagement/touchpoint_form.html")]
struct TouchpointFormPage {
    layout: Layout,
    csrf: String,
    form: TouchpointForm,
    kind_options: Vec<Opt>,
    business_people: Vec<String>,
    it_people: Vec<String>,
    units: Vec<String>,
    errors: FieldErrors,
}

async fn form_page(state: &AppState, user: &CurrentUser, form: TouchpointForm, error: Option<Error>) -> PageResult {
    let (errors, _, status) = form_outcome(error).map_err(|e| error_page(user, e))?;
    let errors = errors.into_iter().map(|(k, v)| (form_field(&k).to_string(), v)).collect();
    let directory = state.directory.get(&state.db).await.or_page(user)?;
    let of_side =
        |side: Side| directory.people.iter().filter(|p| p.side == side).map(person_choice).collect::<Vec<_>>();
    let kinds: Vec<(String, String)> =
        TouchpointKind::ALL.iter().map(|k| (k.as_str().to_string(), k.label().to_string())).collect();
    let mut response = render(&TouchpointFormPage {
        layout: Layout::new("Log a touchpoint", user, "engagement"),
        csrf: user.csrf.clone(),
        kind_options: Opt::list(kinds, &form.kind),
        business_people: of_side(Side::Business),
        it_people: of_side(Side::It),
        units: directory.units.iter().map(|(_, n)| n.clone()).collect(),
        form,
        errors,
    });
    *response.status_mut() = status;
    Ok(response)
}

/// The form with today's date and the person logging it among the participants.
pub async fn new_form(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    user.require_write().or_page(&user)?;
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let mut form = TouchpointForm {
        kind: "chat".into(),
        date: Date::from_days(crate::ops::contact::today()).to_string(),
        ..TouchpointForm::default()
    };
    if let Some(me) = directory.person(user.person_id) {
        match me.side {
            Side::Business => form.business_1 = person_choice(me),
            Side::It => form.it_1 = person_choice(me),
        }
    }
    form_page(&state, &user, form, None).await
}

pub async fn create(
    State(state): State<AppState>,
    CsrfForm(PageUser(user), form): CsrfForm<TouchpointForm>,
) -> PageResult {
    user.require_write().or_page(&user)?;
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let (input, mut errors) = read_form(&directory, &form);
    // Every problem at once: the people and unit typed that are not known, and the rest.
    let result = match engagement::check_touchpoint(&directory, &input) {
        Ok(_) if errors.is_empty() => {
            engagement::log_touchpoint(&state.db, &directory, &user.caller(), &input).await.map(|_| ())
        }
        Ok(_) => Error::check(errors),
        Err(Error::Validation { fields, .. }) => {
            for (k, v) in fields {
                errors.entry(k).or_insert(v);
            }
            Error::check(errors)
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => {
            state.contacts_changed();
            Ok(Redirect::to("/engagement?done=logged").into_response())
        }
        Err(e) => form_page(&state, &user, form, Some(e)).await,
    }
}

#[derive(Template)]
#[template(path = "engagement/cadence_form.html")]
struct CadenceFormPage {
    layout: Layout,
    csrf: String,
    unit: UnitStanding,
    ideal_days: String,
    max_days: String,
    manager_options: Vec<Opt>,
    lead_options: Vec<Opt>,
    errors: FieldErrors,
    conflict: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CadenceForm {
    ideal_days: String,
    max_days: String,
    relationship_manager_id: String,
    it_lead_id: String,
    version: String,
}

async fn cadence_page(
    state: &AppState,
    user: &CurrentUser,
    unit_id: i64,
    sent: Option<&CadenceForm>,
    error: Option<Error>,
) -> PageResult {
    let (errors, conflict, status) = form_outcome(error).map_err(|e| error_page(user, e))?;
    let directory = state.directory.get(&state.db).await.or_page(user)?;
    let standings = engagement::standings(&state.db, &directory).await.or_page(user)?;
    let unit = standings.into_iter().find(|s| s.unit_id == unit_id);
    let unit = unit.ok_or_else(|| error_page(user, Error::not_found("The business unit")))?;
    let chosen = |id: Option<i64>| id.map(|i| i.to_string()).unwrap_or_default();
    let (ideal, max, manager, lead) = match sent {
        Some(f) => (f.ideal_days.clone(), f.max_days.clone(), f.relationship_manager_id.clone(), f.it_lead_id.clone()),
        None if unit.cadence_set => (
            unit.ideal_days.to_string(),
            unit.max_days.to_string(),
            chosen(unit.relationship_manager.as_ref().map(|p| p.id)),
            chosen(unit.it_lead.as_ref().map(|p| p.id)),
        ),
        None => (
            String::new(),
            String::new(),
            chosen(unit.relationship_manager.as_ref().map(|p| p.id)),
            chosen(unit.it_lead.as_ref().map(|p| p.id)),
        ),
    };
    let people = |side: Option<Side>| {
        directory
            .people
            .iter()
            .filter(|p| side.is_none_or(|s| p.side == s))
            .map(|p| (p.id.to_string(), p.name.clone()))
            .collect::<Vec<_>>()
    };
    let mut response = render(&CadenceFormPage {
        layout: Layout::new(format!("Cadence for {}", unit.unit_name), user, "engagement"),
        csrf: user.csrf.clone(),
        manager_options: Opt::with_none("Nobody yet", people(None), &manager),
        lead_options: Opt::with_none("Nobody yet", people(Some(Side::It)), &lead),
        ideal_days: ideal,
        max_days: max,
        unit,
        errors,
        conflict,
    });
    *response.status_mut() = status;
    Ok(response)
}

pub async fn cadence_form(State(state): State<AppState>, PageUser(user): PageUser, Path(id): Path<i64>) -> PageResult {
    user.require_admin().or_page(&user)?;
    cadence_page(&state, &user, id, None, None).await
}

pub async fn save_cadence(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<CadenceForm>,
) -> PageResult {
    user.require_admin().or_page(&user)?;
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let input = CadenceInput {
        ideal_days: form.ideal_days.clone(),
        max_days: form.max_days.clone(),
        relationship_manager_id: super::opt_id(&form.relationship_manager_id),
        it_lead_id: super::opt_id(&form.it_lead_id),
        version: form.version.trim().parse().unwrap_or(0),
    };
    match engagement::set_cadence(&state.db, &directory, &user.caller(), id, &input).await {
        Ok(()) => Ok(Redirect::to("/engagement?done=cadence").into_response()),
        Err(e @ Error::NotFound(_)) => Err(error_page(&user, e)),
        Err(e) => cadence_page(&state, &user, id, Some(&form), Some(e)).await,
    }
}

/// Who a touchpoint's people are, for the list: "Ana Ribeiro, Joanna Wiśniewska (IT)".
pub fn people_words(t: &TouchpointView) -> String {
    t.people
        .iter()
        .map(|p| if p.side == "it" { format!("{} (IT)", p.name) } else { p.name.clone() })
        .collect::<Vec<_>>()
        .join(", ")
}
