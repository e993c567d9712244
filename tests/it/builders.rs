//! Builders for the fixtures tests share: a person on a side, a request in a given state. They
//! write straight to the store, so a test sets up what it needs in one line and the suite stays
//! fast as areas are added. A complete request as a person writes it goes through the API.

use bridge::store::intake::SeedRequest;
use bridge::store::{now_ms, Db};
use bridge_domain::audit::Actor;
use bridge_domain::intake::{validate_request, RequestInput, Status};
use bridge_domain::org::{validate_person, PersonInput, Side};
use serde_json::{json, Value};

use crate::support::{Api, BUSINESS, IT_USER};

/// A person to add to the directory.
pub struct NewPerson {
    name: String,
    email: String,
    side: Side,
}

/// A business person called `name`, with an email made from it (`Lena Fischer` →
/// `lena.fischer@alderbrook.example`) and no account.
pub fn person(name: &str) -> NewPerson {
    let email = format!("{}@alderbrook.example", name.to_lowercase().replace(' ', "."));
    NewPerson { name: name.into(), email, side: Side::Business }
}

impl NewPerson {
    pub fn it(mut self) -> Self {
        self.side = Side::It;
        self
    }

    pub fn email(mut self, email: &str) -> Self {
        self.email = email.into();
        self
    }

    /// Adds the person; returns their id.
    pub async fn create(self, db: &Db) -> i64 {
        let input = PersonInput {
            name: self.name,
            email: self.email.clone(),
            side: self.side.to_string(),
            ..Default::default()
        };
        db.create_person(&Actor::cli(), &validate_person(&input).unwrap()).await.unwrap()
    }
}

/// A request to write, with the history its status implies.
pub struct NewRequest {
    title: String,
    status: Status,
    author: Option<i64>,
}

/// A draft titled "Tills freeze at peak", written by nobody in particular.
pub fn request() -> NewRequest {
    NewRequest { title: "Tills freeze at peak".into(), status: Status::Draft, author: None }
}

impl NewRequest {
    pub fn title(mut self, title: &str) -> Self {
        self.title = title.into();
        self
    }

    pub fn status(mut self, status: Status) -> Self {
        self.status = status;
        self
    }

    /// Written by this person (its author, one of its owners).
    pub fn by(mut self, person_id: i64) -> Self {
        self.author = Some(person_id);
        self
    }

    pub async fn create(self, db: &Db) -> i64 {
        let input =
            RequestInput { title: self.title, problem: "Tills freeze at peak hours.".into(), ..Default::default() };
        let body = validate_request(&input, &bridge::ops::intake::today()).unwrap();
        let mut seed = SeedRequest::draft(body, self.author, now_ms());
        seed.status = self.status;
        if self.status != Status::Draft {
            seed.submitted_at = Some(seed.created_at);
        }
        db.seed_requests(&Actor::cli(), &[seed]).await.unwrap()[0]
    }
}

// Requests through the API, as people write them.

/// A person id by email, through the API.
pub async fn person_by_email(api: &Api, email: &str) -> i64 {
    let (_, found) = api.get(&format!("/people?q={email}")).await;
    found["items"][0]["id"].as_i64().unwrap_or_else(|| panic!("{email} is in the directory"))
}

pub fn future(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days)).format("%Y-%m-%d").to_string()
}

/// A complete request that scores 100.
pub async fn clear_request(api: &Api, title: &str) -> Value {
    let sponsor = person_by_email(api, BUSINESS).await;
    let expert = person_by_email(api, IT_USER).await;
    let (_, unit) = api.get(&format!("/people/{sponsor}")).await;
    json!({
        "title": title,
        "problem": "Store staff re-key 340 online returns a week by hand, which costs about 28 hours of till time and delays refunds by four days.",
        "goals": "Refund online returns in stores on the same day, with no re-keying by store staff.",
        "metrics": [{"name": "Hours re-keying returns", "unit": "hours per week", "baseline": "28", "target": "2", "target_date": future(200)}],
        "budget_kind": "amount", "budget_amount": "45000", "budget_currency": "EUR",
        "sponsor_id": sponsor,
        "stakeholders": [{"person_id": expert, "role": "subject_expert"}],
        "regulatory": ["personal_data"],
        "desired_date": future(120),
        "if_missed": "We miss the spring returns peak and keep paying overtime in stores.",
        "tradeoffs": ["scope", "time", "cost"],
        "business_unit_id": unit["unit_id"],
    })
}
