//! The technology radar's pages: the radar on any day with what changed since an edition (the
//! drawing and the same entries as a list), an entry's page with its history and links, adding
//! and changing entries, editions, quadrant names, and the CSV in and out.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use bridge_domain::csv_file::RowError;
use bridge_domain::intake::parse::Date;
use bridge_domain::learning::radar::{EntryInput, Ring};
use bridge_domain::{Error, FieldErrors};
use serde::Deserialize;

use super::super::{error_page, find_person, form_outcome, person_choice, render, Layout, Opt, OrPage, PageResult};
use crate::ops::learning::radar::{self, Blip, EntryView, RadarImport, RadarView};
use crate::store::learning::EventFilter;
use crate::web::auth::{CsrfForm, CurrentUser, PageUser};
use crate::web::AppState;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RadarQuery {
    /// `YYYY-MM-DD`: the radar as it was that day.
    on: String,
    /// An edition's id: what changed since it.
    since: String,
    done: String,
}

/// A quadrant with its rings' blips, for the list beside the drawing.
struct QuadrantList {
    name: String,
    /// Its place on the drawing (its colour there).
    position: i64,
    rings: Vec<(&'static str, &'static str, Vec<Blip>)>,
}

#[derive(Template)]
#[template(path = "learning/radar.html")]
struct RadarPage {
    layout: Layout,
    csrf: String,
    view: RadarView,
    drawing: String,
    lists: Vec<QuadrantList>,
    edition_options: Vec<Opt>,
    on: String,
    keeper: bool,
    is_admin: bool,
    errors: FieldErrors,
}

fn keeper(user: &CurrentUser) -> bool {
    user.role.is_it_or_admin()
}

async fn radar_page(state: &AppState, user: &CurrentUser, q: RadarQuery, error: Option<Error>) -> PageResult {
    let (errors, _, status) = form_outcome(error).map_err(|e| error_page(user, e))?;
    let model = state.radar.get(&state.db).await.or_page(user)?;
    let day = match q.on.trim() {
        "" => None,
        d => Some(Date::parse(d).ok_or_else(|| error_page(user, Error::field("on", "Give the day as YYYY-MM-DD.")))?),
    };
    let view = radar::radar_at(&model, day, super::super::opt_id(&q.since));
    let lists = view
        .quadrants
        .iter()
        .map(|quadrant| QuadrantList {
            name: quadrant.name.clone(),
            position: quadrant.position.clamp(0, 3),
            rings: Ring::ALL
                .iter()
                .map(|r| {
                    let blips =
                        view.blips.iter().filter(|b| b.quadrant_id == quadrant.id && b.ring == r.as_str()).cloned();
                    (r.label(), r.meaning(), blips.collect())
                })
                .collect(),
        })
        .collect();
    let since = view.since.as_ref().map(|e| e.id.to_string()).unwrap_or_default();
    let editions =
        view.editions.iter().rev().map(|e| (e.id.to_string(), format!("{} ({})", e.name, super::super::date(e.at))));
    let flash = match q.done.as_str() {
        "saved" => Some("The entry is saved.".to_string()),
        "edition" => Some("This is now an edition: later changes show as changes since it.".to_string()),
        "quadrants" => Some("The quadrants' names are saved.".to_string()),
        _ => None,
    };
    let mut response = render(&RadarPage {
        layout: Layout::new("Technology radar", user, "learning").with_flash(flash),
        csrf: user.csrf.clone(),
        drawing: super::radar_svg::draw(&view),
        lists,
        edition_options: Opt::with_none("No comparison", editions, &since),
        on: if q.on.is_empty() { view.as_of.clone() } else { q.on.clone() },
        keeper: keeper(user),
        is_admin: user.role.is_admin(),
        errors,
        view,
    });
    *response.status_mut() = status;
    Ok(response)
}

pub async fn page(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<RadarQuery>) -> PageResult {
    radar_page(&state, &user, q, None).await
}

#[derive(Template)]
#[template(path = "learning/radar_entry.html")]
struct EntryPage {
    layout: Layout,
    e: EntryView,
    business_use_html: String,
    keeper: bool,
}

pub async fn entry(State(state): State<AppState>, PageUser(user): PageUser, Path(id): Path<i64>) -> PageResult {
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let model = state.radar.get(&state.db).await.or_page(&user)?;
    let e = radar::entry(&state.db, &directory, &model, id).await.or_page(&user)?;
    let business_use_html = state.glossary.annotate(&state.db, &e.business_use, user.side).await;
    Ok(render(&EntryPage {
        layout: Layout::new(e.name.clone(), &user, "learning"),
        business_use_html,
        keeper: keeper(&user),
        e,
    }))
}

/// The entry form as sent: people typed by name, numbers as text.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct EntryForm {
    name: String,
    quadrant_id: String,
    ring: String,
    business_use: String,
    examples: String,
    owner: String,
    explorer: String,
    showcase_event_id: String,
    reason: String,
    /// Business units that use it (repeated field).
    unit_ids: Vec<String>,
    /// Request and event numbers, separated by commas.
    requests: String,
    events: String,
    draft: String,
    version: String,
}

fn numbers(s: &str) -> Result<Vec<i64>, ()> {
    s.split([',', ' ', ';'])
        .filter(|p| !p.trim().is_empty())
        .map(|p| p.trim().trim_start_matches('#').parse().map_err(|_| ()))
        .collect()
}

impl EntryForm {
    fn read(&self, directory: &crate::ops::directory::Directory) -> (EntryInput, FieldErrors) {
        let mut errors = FieldErrors::new();
        let mut person = |field: &str, typed: &str| match typed.trim() {
            "" => None,
            t => match find_person(directory, t) {
                Ok(p) => Some(p.id),
                Err(e) => {
                    errors.insert(field.to_string(), e);
                    None
                }
            },
        };
        let owner_id = person("owner", &self.owner);
        let explorer_id = person("explorer", &self.explorer);
        let mut list = |field: &str, typed: &str| {
            numbers(typed).unwrap_or_else(|_| {
                errors.insert(field.to_string(), "Give numbers separated by commas, for example 12, 40.".into());
                vec![]
            })
        };
        let request_ids = list("requests", &self.requests);
        let event_ids = list("events", &self.events);
        let input = EntryInput {
            name: self.name.clone(),
            quadrant_id: super::super::opt_id(&self.quadrant_id),
            ring: self.ring.clone(),
            business_use: self.business_use.clone(),
            examples: self.examples.clone(),
            owner_id,
            explorer_id,
            showcase_event_id: super::super::opt_id(&self.showcase_event_id),
            reason: self.reason.clone(),
            unit_ids: self.unit_ids.iter().filter_map(|u| super::super::opt_id(u)).collect(),
            request_ids,
            event_ids,
        };
        (input, errors)
    }

    fn of(e: &EntryView) -> EntryForm {
        let joined = |v: &[radar::Named]| v.iter().map(|n| n.id.to_string()).collect::<Vec<_>>().join(", ");
        EntryForm {
            name: e.name.clone(),
            quadrant_id: e.quadrant.id.to_string(),
            ring: e.ring.clone(),
            business_use: e.business_use.clone(),
            examples: e.examples.clone(),
            owner: e.owner.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
            explorer: e.explorer.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
            showcase_event_id: e.showcase.as_ref().map(|s| s.id.to_string()).unwrap_or_default(),
            unit_ids: e.units.iter().map(|u| u.id.to_string()).collect(),
            requests: joined(&e.requests),
            events: joined(&e.events),
            draft: if e.published { String::new() } else { "yes".into() },
            version: e.version.to_string(),
            ..Default::default()
        }
    }
}

#[derive(Template)]
#[template(path = "learning/radar_form.html")]
struct FormPage {
    layout: Layout,
    csrf: String,
    id: Option<i64>,
    form: EntryForm,
    quadrant_options: Vec<Opt>,
    ring_options: Vec<Opt>,
    showcase_options: Vec<Opt>,
    units: Vec<(i64, String, bool)>,
    people: Vec<String>,
    errors: FieldErrors,
    conflict: Option<String>,
}

async fn form_page(
    state: &AppState,
    user: &CurrentUser,
    id: Option<i64>,
    form: EntryForm,
    error: Option<Error>,
) -> PageResult {
    let (mut errors, conflict, status) = form_outcome(error).map_err(|e| error_page(user, e))?;
    for (from, to) in
        [("owner_id", "owner"), ("explorer_id", "explorer"), ("request_ids", "requests"), ("event_ids", "events")]
    {
        if let Some(e) = errors.remove(from) {
            errors.insert(to.into(), e);
        }
    }
    let directory = state.directory.get(&state.db).await.or_page(user)?;
    let model = state.radar.get(&state.db).await.or_page(user)?;
    let quadrants = model.quadrants.iter().map(|q| (q.id.to_string(), q.name.clone()));
    let rings = Ring::ALL.iter().map(|r| (r.as_str().to_string(), format!("{} — {}", r.label(), r.meaning())));
    // The showcases to choose from: the events to come (and the one chosen).
    let caller = user.caller();
    let page = crate::store::Page::new(Some(1), Some(200));
    let (coming, _) =
        crate::ops::learning::events(&state.db, &directory, &caller, user.zone(), EventFilter::default(), page)
            .await
            .or_page(user)?;
    let mut showcases: Vec<(String, String)> =
        coming.iter().map(|e| (e.id.to_string(), format!("{} — {}", e.title, e.date))).collect();
    if let Some(chosen) = super::super::opt_id(&form.showcase_event_id).filter(|c| !coming.iter().any(|e| e.id == *c)) {
        if let Ok(e) = state.db.get_event(chosen).await {
            showcases.insert(0, (chosen.to_string(), e.title));
        }
    }
    let units =
        directory.units.iter().map(|(id, name)| (*id, name.clone(), form.unit_ids.contains(&id.to_string()))).collect();
    let mut response = render(&FormPage {
        layout: Layout::new(if id.is_some() { "Change a radar entry" } else { "Add to the radar" }, user, "learning"),
        csrf: user.csrf.clone(),
        id,
        quadrant_options: Opt::list(quadrants, &form.quadrant_id),
        ring_options: Opt::list(rings, &form.ring),
        showcase_options: Opt::with_none("No showcase planned", showcases, &form.showcase_event_id),
        units,
        people: directory.people.iter().map(person_choice).collect(),
        form,
        errors,
        conflict,
    });
    *response.status_mut() = status;
    Ok(response)
}

fn require_keeper(user: &CurrentUser) -> Result<(), Response> {
    user.caller().require_it_or_admin(radar::KEPT_BY_IT).map_err(|e| error_page(user, e))
}

pub async fn new_form(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    require_keeper(&user)?;
    let model = state.radar.get(&state.db).await.or_page(&user)?;
    let form = EntryForm {
        ring: "assess".into(),
        quadrant_id: model.quadrants.first().map(|q| q.id.to_string()).unwrap_or_default(),
        owner: user.name.clone(),
        ..Default::default()
    };
    form_page(&state, &user, None, form, None).await
}

async fn save(state: &AppState, user: &CurrentUser, id: Option<i64>, form: EntryForm) -> PageResult {
    let directory = state.directory.get(&state.db).await.or_page(user)?;
    let (input, typed) = form.read(&directory);
    let existing = id.map(|i| (i, form.version.trim().parse().unwrap_or(0)));
    let saved = match typed.is_empty() {
        true => {
            radar::save_entry(
                &state.db,
                &directory,
                &state.glossary,
                &state.radar,
                &user.caller(),
                existing,
                &input,
                form.draft == "yes",
            )
            .await
        }
        false => Err(Error::check(typed).err().unwrap_or_else(|| Error::internal("no errors"))),
    };
    match saved {
        Ok(id) => Ok(Redirect::to(&format!("/radar/entries/{id}")).into_response()),
        Err(e @ (Error::Forbidden(_) | Error::NotFound(_))) => Err(error_page(user, e)),
        Err(e) => form_page(state, user, id, form, Some(e)).await,
    }
}

pub async fn create(State(state): State<AppState>, CsrfForm(PageUser(user), form): CsrfForm<EntryForm>) -> PageResult {
    save(&state, &user, None, form).await
}

pub async fn edit_form(State(state): State<AppState>, PageUser(user): PageUser, Path(id): Path<i64>) -> PageResult {
    require_keeper(&user)?;
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let model = state.radar.get(&state.db).await.or_page(&user)?;
    let e = radar::entry(&state.db, &directory, &model, id).await.or_page(&user)?;
    form_page(&state, &user, Some(id), EntryForm::of(&e), None).await
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<EntryForm>,
) -> PageResult {
    save(&state, &user, Some(id), form).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EditionForm {
    name: String,
}

pub async fn add_edition(
    State(state): State<AppState>,
    CsrfForm(PageUser(user), form): CsrfForm<EditionForm>,
) -> PageResult {
    match radar::add_edition(&state.db, &state.radar, &user.caller(), &form.name).await {
        Ok(_) => Ok(Redirect::to("/radar?done=edition").into_response()),
        Err(e @ Error::Validation { .. }) => radar_page(&state, &user, RadarQuery::default(), Some(e)).await,
        Err(e) => Err(error_page(&user, e)),
    }
}

/// The quadrants' names as sent: `q{id}` fields.
pub async fn rename_quadrants(
    State(state): State<AppState>,
    CsrfForm(PageUser(user), form): CsrfForm<std::collections::HashMap<String, String>>,
) -> PageResult {
    user.require_admin().or_page(&user)?;
    for (key, name) in &form {
        let Some(id) = key.strip_prefix('q').and_then(|i| i.parse::<i64>().ok()) else { continue };
        match radar::rename_quadrant(&state.db, &state.radar, &user.caller(), id, name).await {
            Ok(()) => {}
            Err(Error::Validation { fields, .. }) => {
                let message = fields.into_values().next().unwrap_or_default();
                return radar_page(&state, &user, RadarQuery::default(), Some(Error::field(key, message))).await;
            }
            Err(e) => return Err(error_page(&user, e)),
        }
    }
    Ok(Redirect::to("/radar?done=quadrants").into_response())
}

pub async fn export(State(state): State<AppState>, PageUser(user): PageUser) -> Response {
    match state.radar.get(&state.db).await {
        Ok(model) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"radar.csv\""),
            ],
            radar::export_csv(&model),
        )
            .into_response(),
        Err(e) => error_page(&user, e),
    }
}

#[derive(Template)]
#[template(path = "learning/radar_import.html")]
struct ImportPage {
    layout: Layout,
    csrf: String,
    rows: Vec<RowError>,
    report: Option<RadarImport>,
}

pub async fn import_form(PageUser(user): PageUser) -> PageResult {
    require_keeper(&user)?;
    Ok(render(&ImportPage {
        layout: Layout::new("Import a radar", &user, "learning"),
        csrf: user.csrf.clone(),
        rows: vec![],
        report: None,
    }))
}

pub async fn import(State(state): State<AppState>, PageUser(user): PageUser, multipart: Multipart) -> PageResult {
    require_keeper(&user)?;
    let data = super::super::read_upload(multipart, &user.csrf).await.or_page(&user)?;
    let directory = state.directory.get(&state.db).await.or_page(&user)?;
    let outcome = radar::import_csv(&state.db, &directory, &state.glossary, &state.radar, &user.caller(), &data)
        .await
        .or_page(&user)?;
    let (rows, report, status) = match outcome {
        Ok(report) => (vec![], Some(report), axum::http::StatusCode::OK),
        Err(rows) => (rows, None, axum::http::StatusCode::UNPROCESSABLE_ENTITY),
    };
    let mut response = render(&ImportPage {
        layout: Layout::new("Import a radar", &user, "learning"),
        csrf: user.csrf.clone(),
        rows,
        report,
    });
    *response.status_mut() = status;
    Ok(response)
}
