//! An initiative's champion (a form for IT) and its value reviews: asking for one, and the
//! sponsor's page to confirm or dispute what was measured.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use bridge_domain::intake::parse::Date;
use bridge_domain::org::Side;
use bridge_domain::value::ReviewState;
use bridge_domain::{Error, FieldErrors};
use serde::Deserialize;

use super::targets::InitiativePanel;
use crate::ops::value::reviews::{self, ChampionInput};
use crate::store::reviews::Review;
use crate::web::auth::{CsrfForm, CurrentUser, PageUser};
use crate::web::pages::{error_page, form_outcome, render, Layout, Opt, OrPage, PageResult};
use crate::web::AppState;

/// A review as the request page lists it.
pub struct ReviewLine {
    pub review: Review,
    pub when: String,
    pub state_label: &'static str,
    pub due: bool,
}

impl ReviewLine {
    pub fn of(review: Review) -> ReviewLine {
        let state = review.state();
        let when = match review.after_days {
            0 => format!("Asked for on {}", Date::from_days(review.due_day)),
            d => format!("{d} days after delivery ({})", Date::from_days(review.due_day)),
        };
        ReviewLine { when, state_label: state.label(), due: state == ReviewState::Due, review }
    }
}

#[derive(Template)]
#[template(path = "value/champion_form.html")]
struct ChampionPage {
    layout: Layout,
    request_id: i64,
    title: String,
    csrf: String,
    people: Vec<Opt>,
    form: ChampionInput,
    errors: FieldErrors,
    conflict: Option<String>,
}

async fn champion_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    form: ChampionInput,
    error: Option<Error>,
) -> PageResult {
    let (errors, conflict, status) = form_outcome(error).map_err(|e| error_page(user, e))?;
    let req = state.db.get_request(id).await.or_page(user)?;
    let directory = state.directory.get(&state.db).await.or_page(user)?;
    let chosen = form.champion_id.map(|c| c.to_string()).unwrap_or_default();
    let it_people = directory.people.iter().filter(|p| p.side == Side::It).map(|p| (p.id.to_string(), p.name.clone()));
    let mut response = render(&ChampionPage {
        layout: Layout::new("Champion and reviews", user, "value"),
        request_id: id,
        title: req.summary.title.clone(),
        csrf: user.csrf.clone(),
        people: Opt::with_none("No champion yet", it_people, &chosen),
        form,
        errors,
        conflict,
    });
    *response.status_mut() = status;
    Ok(response)
}

pub async fn champion_form(State(state): State<AppState>, PageUser(user): PageUser, Path(id): Path<i64>) -> PageResult {
    if !matches!(user.role, bridge_domain::org::Role::It | bridge_domain::org::Role::Admin) {
        return Err(error_page(&user, Error::Forbidden("IT chooses an initiative's champion.".into())));
    }
    let settings = state.db.initiative_settings(id).await.or_page(&user)?;
    let form = match settings {
        Some(s) => ChampionInput {
            champion_id: s.champion_id,
            brief: s.brief,
            review_days: s.review_days.replace(',', ", "),
            version: Some(s.version),
        },
        None => ChampionInput { review_days: "30, 90, 180".into(), version: Some(0), ..ChampionInput::default() },
    };
    champion_page(&state, &user, id, form, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ChampionForm {
    champion_id: String,
    brief: String,
    review_days: String,
    version: String,
}

pub async fn save_champion(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), form): CsrfForm<ChampionForm>,
) -> PageResult {
    let input = ChampionInput {
        champion_id: crate::web::pages::opt_id(&form.champion_id),
        brief: form.brief,
        review_days: form.review_days,
        version: Some(form.version.parse().unwrap_or(0)),
    };
    match reviews::set_champion(&state.db, &user.caller(), id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/requests/{id}#value-h")).into_response()),
        Err(e @ (Error::NotFound(_) | Error::Forbidden(_))) => Err(error_page(&user, e)),
        Err(e) => champion_page(&state, &user, id, input, Some(e)).await,
    }
}

pub async fn ask(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(PageUser(user), _): CsrfForm<Empty>,
) -> PageResult {
    let review = reviews::ask_review(&state.db, &user.caller(), id).await.or_page(&user)?;
    Ok(Redirect::to(&format!("/requests/{id}/reviews/{review}")).into_response())
}

#[derive(Deserialize, Default)]
pub struct Empty {}

#[derive(Template)]
#[template(path = "value/review.html")]
struct ReviewPage {
    layout: Layout,
    request_id: i64,
    title: String,
    line: ReviewLine,
    panel: Option<InitiativePanel>,
    may_decide: bool,
    csrf: String,
    note: String,
    errors: FieldErrors,
    conflict: Option<String>,
}

async fn review_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    review_id: i64,
    note: String,
    error: Option<Error>,
) -> PageResult {
    let (errors, conflict, status) = form_outcome(error).map_err(|e| error_page(user, e))?;
    let req = state.db.get_request(id).await.or_page(user)?;
    let review = state.db.get_review(id, review_id).await.or_page(user)?;
    let portfolio = state.value_portfolio().await.or_page(user)?;
    let may_decide = user.role.is_admin()
        || (user.role.can_write() && [req.summary.sponsor_id, req.author_id].contains(&Some(user.person_id)));
    let mut response = render(&ReviewPage {
        layout: Layout::new("Value review", user, "value"),
        request_id: id,
        title: req.summary.title.clone(),
        line: ReviewLine::of(review),
        panel: portfolio.initiative(id).map(InitiativePanel::of),
        may_decide,
        csrf: user.csrf.clone(),
        note,
        errors,
        conflict,
    });
    *response.status_mut() = status;
    Ok(response)
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((id, review_id)): Path<(i64, i64)>,
) -> PageResult {
    review_page(&state, &user, id, review_id, String::new(), None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DecisionForm {
    decision: String,
    note: String,
}

pub async fn decide(
    State(state): State<AppState>,
    Path((id, review_id)): Path<(i64, i64)>,
    CsrfForm(PageUser(user), form): CsrfForm<DecisionForm>,
) -> PageResult {
    let confirm = form.decision == "confirm";
    let portfolio = state.value_portfolio().await.or_page(&user)?;
    match reviews::decide(&state.db, &user.caller(), portfolio.initiative(id), id, review_id, confirm, &form.note).await
    {
        Ok(_) => Ok(Redirect::to(&format!("/requests/{id}#reviews-h")).into_response()),
        Err(e @ (Error::NotFound(_) | Error::Forbidden(_))) => Err(error_page(&user, e)),
        Err(e) => review_page(&state, &user, id, review_id, form.note, Some(e)).await,
    }
}

/// The champion and the reviews, as the request's page shows them.
pub struct ChampionPanel {
    pub champion: Option<String>,
    /// The brief with glossary terms marked and explained for the reader (escaped HTML).
    pub brief_html: String,
    pub reviews: Vec<ReviewLine>,
    /// IT and admins set the champion.
    pub can_champion: bool,
    /// Delivered, with no review waiting: IT, the owners and admins may ask for one.
    pub can_ask: bool,
}

impl ChampionPanel {
    pub async fn load(
        state: &AppState,
        user: &CurrentUser,
        req: &crate::store::intake::Request,
    ) -> Result<ChampionPanel, Error> {
        use bridge_domain::intake::Status::*;
        let id = req.id();
        let settings = state.db.initiative_settings(id).await?;
        let directory = state.directory.get(&state.db).await?;
        let champion =
            settings.as_ref().and_then(|s| s.champion_id).and_then(|c| directory.person_name(c)).map(str::to_string);
        let brief = settings.map(|s| s.brief).unwrap_or_default();
        let checker = state.glossary.checker(&state.db).await?;
        let brief_html = bridge_domain::language::annotate_html(&brief, &checker.check(&brief, user.side));
        let reviews: Vec<ReviewLine> = state.db.reviews_of(id).await?.into_iter().map(ReviewLine::of).collect();
        let owner = [req.summary.sponsor_id, req.author_id].contains(&Some(user.person_id));
        let it = matches!(user.role, bridge_domain::org::Role::It | bridge_domain::org::Role::Admin);
        let delivered = matches!(req.status(), Delivered | ValueReview | Closed);
        Ok(ChampionPanel {
            champion,
            brief_html,
            can_champion: it,
            can_ask: delivered && (it || owner) && !reviews.iter().any(|r| r.due),
            reviews,
        })
    }
}
