//! Webhook endpoints and their deliveries. A delivery is written in the transaction of the change
//! that raised its event, with the job that sends it, so an event is announced only if the change
//! happened, and a receiver that is down delays it without losing it.

use bridge_domain::audit::{Actor, Entity};
use bridge_domain::jobs::DEFAULT_MAX_ATTEMPTS;
use bridge_domain::webhooks::{events_code, parse_events, DeliveryState, Endpoint, Event, Format};
use bridge_domain::Error;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::audit::Change;
use super::jobs::NewJob;
use super::{args, now_ms, tx, Arg, Db, Id, Listing, Page, Tx};

/// The job that sends one delivery (its payload: `{"delivery_id": …}`).
pub const DELIVERY_JOB: &str = "webhook.delivery";

/// An endpoint as administrators see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WebhookEndpoint {
    pub id: i64,
    pub name: String,
    pub url: String,
    /// slack, teams or json
    #[schema(value_type = String)]
    pub format: Format,
    /// The event codes it hears of, e.g. `request.decided`.
    pub events: Vec<String>,
    /// The key plain JSON deliveries are signed with (see docs/operations.md).
    pub secret: String,
    /// An endpoint switched off is sent nothing.
    pub active: bool,
    pub created_at: i64,
    pub updated_at: i64,
    /// How the latest delivery went (pending, delivered, retrying, failed); none before the first.
    #[schema(value_type = Option<String>)]
    pub last_delivery: Option<DeliveryState>,
}

#[derive(Deserialize, sqlx::FromRow)]
struct EndpointRow {
    id: i64,
    name: String,
    url: String,
    #[sqlx(try_from = "String")]
    format: Format,
    events: String,
    secret: String,
    active: i64,
    created_at: i64,
    updated_at: i64,
    last_delivery: Option<String>,
}

impl From<EndpointRow> for WebhookEndpoint {
    fn from(r: EndpointRow) -> Self {
        WebhookEndpoint {
            id: r.id,
            name: r.name,
            url: r.url,
            format: r.format,
            events: parse_events(&r.events).into_iter().map(|e| e.as_str().to_string()).collect(),
            secret: r.secret,
            active: r.active != 0,
            created_at: r.created_at,
            updated_at: r.updated_at,
            last_delivery: r.last_delivery.as_deref().and_then(DeliveryState::parse),
        }
    }
}

/// One event sent (or to be sent) to one endpoint.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct WebhookDelivery {
    pub id: i64,
    pub endpoint_id: i64,
    /// The event code, e.g. `request.decided`, or `test`.
    pub event: String,
    /// The event as plain JSON (Slack and Teams receive it reshaped).
    pub body: String,
    /// pending, delivered, retrying or failed
    #[sqlx(try_from = "String")]
    #[schema(value_type = String)]
    pub state: DeliveryState,
    pub attempts: i64,
    /// The receiver's HTTP status on the last try; none when it could not be reached.
    pub status_code: Option<i64>,
    /// What went wrong on the last try.
    pub error: String,
    /// How long the last try took.
    pub duration_ms: Option<i64>,
    pub created_at: i64,
    pub attempted_at: Option<i64>,
}

/// A delivery with where and how it goes, as the sending job needs it.
#[derive(Debug, Clone, Deserialize, sqlx::FromRow)]
pub struct Outgoing {
    pub id: i64,
    pub event: String,
    pub body: String,
    pub url: String,
    #[sqlx(try_from = "String")]
    pub format: Format,
    pub secret: String,
    pub active: i64,
}

/// The result of one try, to record on its delivery.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub state: DeliveryState,
    pub status_code: Option<i64>,
    pub error: String,
    pub duration_ms: i64,
    pub at: i64,
}

const ENDPOINT_COLUMNS: &str = "id, name, url, format, events, secret, active, created_at, updated_at,
    (SELECT d.state FROM webhook_deliveries d WHERE d.endpoint_id = webhook_endpoints.id ORDER BY d.id DESC LIMIT 1)
        AS last_delivery";
const DELIVERY_COLUMNS: &str =
    "id, endpoint_id, event, body, state, attempts, status_code, error, duration_ms, created_at, attempted_at";

/// The job that sends a delivery: events are tried until the receiver takes them; a test once,
/// as its sender waits to see how it went.
fn delivery_job(delivery_id: i64, at: i64, event: Event) -> NewJob {
    NewJob {
        kind: DELIVERY_JOB.into(),
        payload: json!({ "delivery_id": delivery_id }).to_string(),
        run_at: at,
        max_attempts: if event == Event::Test { 1 } else { DEFAULT_MAX_ATTEMPTS },
    }
}

impl Tx<'_> {
    /// Announces `event` (its plain JSON `body`) to every active endpoint that wants it, in the
    /// transaction of the change that raised it: a delivery and its sending job per endpoint.
    pub async fn announce(&mut self, event: Event, at: i64, body: &serde_json::Value) -> Result<(), Error> {
        // Commas around both sides, so `request.decided` never matches inside another code.
        let made: Vec<Id> = self
            .rows(
                "INSERT INTO webhook_deliveries (endpoint_id, event, body, state, created_at)
                 SELECT id, $1, $2, 'pending', $3 FROM webhook_endpoints
                 WHERE active = 1 AND ',' || events || ',' LIKE $4
                 RETURNING id",
                &args![event.as_str(), body.to_string(), at, format!("%,{},%", event.as_str())],
            )
            .await?;
        for d in made {
            self.enqueue(&delivery_job(d.id, at, event)).await?;
        }
        Ok(())
    }
}

impl Db {
    pub async fn list_endpoints(&self) -> Result<Vec<WebhookEndpoint>, Error> {
        let rows: Vec<EndpointRow> =
            self.rows(format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints ORDER BY name, id"), vec![]).await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    pub async fn get_endpoint(&self, id: i64) -> Result<WebhookEndpoint, Error> {
        let row: Option<EndpointRow> = self
            .first(format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1"), vec![Arg::I(id)])
            .await?;
        row.map(Into::into).ok_or_else(|| Error::not_found("The webhook endpoint"))
    }

    pub async fn create_endpoint(&self, actor: &Actor, e: &Endpoint, secret: &str) -> Result<i64, Error> {
        let now = now_ms();
        tx!(self, tx => {
            let id = tx.number(
                "INSERT INTO webhook_endpoints (name, url, format, events, secret, active, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
                &args![e.name.as_str(), e.url.as_str(), e.format.as_str(), events_code(&e.events), secret,
                    i64::from(e.active), now],
            ).await?;
            tx.record(&Change { actor, action: "create", entity: Entity::WebhookEndpoint, entity_id: Some(id),
                summary: format!("Added the webhook endpoint {}", e.name), before: None,
                after: Some(endpoint_json(e)) }).await?;
            Ok(id)
        })
    }

    pub async fn update_endpoint(&self, actor: &Actor, id: i64, e: &Endpoint) -> Result<(), Error> {
        let before = self.get_endpoint(id).await?;
        tx!(self, tx => {
            tx.execute(
                "UPDATE webhook_endpoints SET name = $1, url = $2, format = $3, events = $4, active = $5, updated_at = $6
                 WHERE id = $7",
                &args![e.name.as_str(), e.url.as_str(), e.format.as_str(), events_code(&e.events),
                    i64::from(e.active), now_ms(), id],
            ).await?;
            tx.record(&Change { actor, action: "update", entity: Entity::WebhookEndpoint, entity_id: Some(id),
                summary: format!("Changed the webhook endpoint {}", e.name),
                before: Some(json!({"name": before.name, "url": before.url, "format": before.format.as_str(),
                    "events": before.events, "active": before.active})),
                after: Some(endpoint_json(e)) }).await?;
            Ok(())
        })
    }

    /// Removes an endpoint with its delivery log; deliveries still waiting are dropped.
    pub async fn delete_endpoint(&self, actor: &Actor, id: i64) -> Result<(), Error> {
        let before = self.get_endpoint(id).await?;
        tx!(self, tx => {
            tx.execute("DELETE FROM webhook_deliveries WHERE endpoint_id = $1", &args![id]).await?;
            tx.execute("DELETE FROM webhook_endpoints WHERE id = $1", &args![id]).await?;
            tx.record(&Change { actor, action: "delete", entity: Entity::WebhookEndpoint, entity_id: Some(id),
                summary: format!("Removed the webhook endpoint {}", before.name),
                before: Some(json!({"name": before.name, "url": before.url})), after: None }).await?;
            Ok(())
        })
    }

    /// Gives an endpoint a new signing secret; receivers need the new one from now on.
    pub async fn set_endpoint_secret(&self, actor: &Actor, id: i64, secret: &str) -> Result<(), Error> {
        let endpoint = self.get_endpoint(id).await?;
        tx!(self, tx => {
            tx.execute("UPDATE webhook_endpoints SET secret = $1, updated_at = $2 WHERE id = $3",
                &args![secret, now_ms(), id]).await?;
            tx.record(&Change { actor, action: "new_secret", entity: Entity::WebhookEndpoint, entity_id: Some(id),
                summary: format!("Gave the webhook endpoint {} a new secret", endpoint.name),
                before: None, after: None }).await?;
            Ok(())
        })
    }

    /// Queues a delivery of `body` as `event` to one endpoint, active or not ("Send a test").
    pub async fn deliver_to(&self, endpoint_id: i64, event: Event, body: &serde_json::Value) -> Result<i64, Error> {
        let at = now_ms();
        tx!(self, tx => {
            let id = tx.number(
                "INSERT INTO webhook_deliveries (endpoint_id, event, body, state, created_at)
                 VALUES ($1, $2, $3, 'pending', $4) RETURNING id",
                &args![endpoint_id, event.as_str(), body.to_string(), at],
            ).await?;
            tx.enqueue(&delivery_job(id, at, event)).await?;
            Ok(id)
        })
    }

    /// An endpoint's deliveries, the newest first.
    pub async fn list_deliveries(&self, endpoint_id: i64, page: Page) -> Result<(Vec<WebhookDelivery>, i64), Error> {
        self.page_of(
            Listing {
                sql: format!(
                    "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE endpoint_id = $1
                     ORDER BY id DESC LIMIT $2 OFFSET $3"
                ),
                args: vec![Arg::I(endpoint_id), Arg::I(page.limit), Arg::I(page.offset)],
                count_sql: "SELECT COUNT(*) FROM webhook_deliveries WHERE endpoint_id = $1".into(),
                count_args: vec![Arg::I(endpoint_id)],
            },
            page,
        )
        .await
    }

    pub async fn get_delivery(&self, id: i64) -> Result<WebhookDelivery, Error> {
        self.first(format!("SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE id = $1"), vec![Arg::I(id)])
            .await?
            .ok_or_else(|| Error::not_found("The delivery"))
    }

    /// A delivery with its endpoint's address, format and secret; `None` once the endpoint is gone.
    pub async fn outgoing(&self, delivery_id: i64) -> Result<Option<Outgoing>, Error> {
        self.first(
            "SELECT d.id, d.event, d.body, e.url, e.format, e.secret, e.active
             FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = $1"
                .into(),
            vec![Arg::I(delivery_id)],
        )
        .await
    }

    pub async fn record_attempt(&self, delivery_id: i64, a: &Attempt) -> Result<(), Error> {
        self.execute(
            "UPDATE webhook_deliveries SET state = $1, attempts = attempts + 1, status_code = $2, error = $3,
                duration_ms = $4, attempted_at = $5 WHERE id = $6",
            &args![a.state.as_str(), a.status_code, a.error.as_str(), a.duration_ms, a.at, delivery_id],
        )
        .await
        .map(|_| ())
    }
}

fn endpoint_json(e: &Endpoint) -> serde_json::Value {
    json!({"name": e.name, "url": e.url, "format": e.format.as_str(), "events": events_code(&e.events), "active": e.active})
}
