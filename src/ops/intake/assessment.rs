//! IT's assessment of a request.

use bridge_domain::intake::{plain_summary, validate_assessment, Assessment, AssessmentInput, Status};
use bridge_domain::notify::NoticeKind;
use bridge_domain::Error;
use serde::Serialize;
use utoipa::ToSchema;

use super::require_it;
use crate::ops::{notify, Caller};
use crate::store::intake::{AssessmentSave, StoredAssessment};
use crate::store::Db;

#[derive(Serialize, ToSchema)]
pub struct AssessmentView {
    #[schema(value_type = Object)]
    pub assessment: Assessment,
    /// The assessment in plain sentences for business readers.
    pub summary: Vec<String>,
    pub author_name: String,
    pub updated_at: i64,
    pub version: i64,
}

impl From<StoredAssessment> for AssessmentView {
    fn from(a: StoredAssessment) -> Self {
        AssessmentView {
            summary: plain_summary(&a.assessment),
            assessment: a.assessment,
            author_name: a.author_name,
            updated_at: a.updated_at,
            version: a.version,
        }
    }
}

/// Saves IT's assessment (IT and admins) against the version read (0 for a first one; stale
/// otherwise) and tells the request's author it is ready to read. Returns the new version.
pub async fn save_assessment(
    db: &Db,
    caller: &Caller,
    id: i64,
    version: i64,
    input: &AssessmentInput,
) -> Result<i64, Error> {
    require_it(caller)?;
    let req = db.get_request(id).await?;
    match req.status() {
        Status::Draft => {
            return Err(Error::conflict(
                "This request is still a draft: IT assesses a request once it has been submitted.",
            ))
        }
        Status::Closed => return Err(Error::conflict("This request is closed: its assessment can no longer change.")),
        _ => {}
    }
    let input = &input.clone().with_default_currency(&db.default_currency().await?);
    let assessment = validate_assessment(input)?;
    if !assessment.principles.is_empty() {
        let known: Vec<i64> = db.principles().await?.iter().map(|p| p.id).collect();
        if assessment.principles.iter().any(|p| !known.contains(p)) {
            return Err(Error::field("principles", "One of the principles cited does not exist."));
        }
    }
    let title = &req.summary.title;
    let text = format!("{title} — IT's assessment is ready to read");
    let link = notify::request_link(id);
    let notice = notify::to_person(db, req.author_id, &caller.actor, NoticeKind::MyRequests, text, link).await?;
    let save = AssessmentSave {
        version,
        input,
        assessment: &assessment,
        notices: notice.into_iter().collect(),
        summary: format!("Assessed request {title}"),
    };
    db.save_assessment(&caller.actor, id, &save).await
}

/// The assessment of a request as it is shown; not found when there is none yet.
pub async fn assessment_view(db: &Db, id: i64) -> Result<AssessmentView, Error> {
    db.get_request(id).await?;
    db.get_assessment(id).await?.map(AssessmentView::from).ok_or_else(|| Error::not_found("The assessment"))
}
