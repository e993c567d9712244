//! Builders for the fixtures tests share: a person on a side, a request in a given state. They write straight to the store, so a test sets up what it needs
//! in one line and the suite stays fast as areas are added.

use bridge::store::intake::SeedRequest;
use bridge::store::{now_ms, Db};
use bridge_domain::audit::Actor;
use bridge_domain::intake::{validate_request, RequestInput, Status};
use bridge_domain::org::{validate_person, PersonInput, Side};

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
