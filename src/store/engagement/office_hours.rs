//! Office hours and their bookings; a held booking becomes a touchpoint.

use bridge_domain::audit::{Actor, Entity};
use bridge_domain::engagement::{OfficeHours, ValidTouchpoint};
use bridge_domain::jobs::DEFAULT_MAX_ATTEMPTS;
use bridge_domain::Error;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::super::audit::Change;
use super::super::jobs::NewJob;
use super::super::notifications::Notice;
use super::super::{args, now_ms, tx, unique_as, Arg, Db};
use super::NewContact;

/// The job that mails a booking's calendar invitation to both of them.
pub const INVITE_JOB: &str = "office_hours.invite";

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct OfficeHoursRow {
    pub id: i64,
    pub host_id: i64,
    pub weekday: i64,
    pub start_minute: i64,
    pub end_minute: i64,
    pub slot_minutes: i64,
    pub place: String,
    pub from_day: i64,
    pub until_day: Option<i64>,
    pub ended_at: Option<i64>,
}

impl OfficeHoursRow {
    /// The rule it keeps (a row written by Bridge always holds one).
    pub fn hours(&self) -> OfficeHours {
        use bridge_domain::intake::parse::Date;
        OfficeHours {
            weekday: self.weekday as u8,
            start_minute: self.start_minute as u32,
            end_minute: self.end_minute as u32,
            slot_minutes: self.slot_minutes.max(1) as u32,
            place: self.place.clone(),
            from: Date::from_days(self.from_day),
            until: self.until_day.map(Date::from_days),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct BookingRow {
    pub id: i64,
    pub office_hours_id: i64,
    /// Days since 1970.
    pub day: i64,
    pub start_minute: i64,
    pub booker_id: i64,
    pub topic: String,
    pub cancelled_at: Option<i64>,
    pub touchpoint_id: Option<i64>,
}

/// A slot to book: which office hours, the day and the minute it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub office_hours_id: i64,
    pub day: i64,
    pub start_minute: i64,
}

const HOURS: &str =
    "id, host_id, weekday, start_minute, end_minute, slot_minutes, place, from_day, until_day, ended_at";
const BOOKING: &str = "id, office_hours_id, day, start_minute, booker_id, topic, cancelled_at, touchpoint_id";

impl Db {
    pub async fn create_office_hours(&self, actor: &Actor, host_id: i64, h: &OfficeHours) -> Result<i64, Error> {
        tx!(self, tx => {
            let id = tx.number(
                "INSERT INTO office_hours (host_id, weekday, start_minute, end_minute, slot_minutes, place, from_day,
                    until_day, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                &args![host_id, i64::from(h.weekday), i64::from(h.start_minute), i64::from(h.end_minute),
                    i64::from(h.slot_minutes), &h.place, h.from.days(), h.until.map(|u| u.days()), now_ms()],
            ).await?;
            tx.record(&Change { actor, action: "create", entity: Entity::OfficeHours, entity_id: Some(id),
                summary: format!("Offered office hours: {}", h.describe()), before: None,
                after: Some(json!({"host_id": host_id, "hours": h})) }).await?;
            Ok(id)
        })
    }

    /// Stops offering office hours (the bookings made stay).
    pub async fn end_office_hours(&self, actor: &Actor, id: i64) -> Result<(), Error> {
        tx!(self, tx => {
            let changed = tx.execute("UPDATE office_hours SET ended_at = $1 WHERE id = $2 AND ended_at IS NULL",
                &args![now_ms(), id]).await?;
            if changed == 1 {
                tx.record(&Change { actor, action: "end", entity: Entity::OfficeHours, entity_id: Some(id),
                    summary: "Stopped offering office hours".into(), before: None, after: None }).await?;
            }
            Ok(())
        })
    }

    /// Office hours still offered, or (`all`) also those ended.
    pub async fn office_hours(&self, all: bool) -> Result<Vec<OfficeHoursRow>, Error> {
        let only = if all { "" } else { "WHERE ended_at IS NULL" };
        self.rows(format!("SELECT {HOURS} FROM office_hours {only} ORDER BY weekday, start_minute, id"), vec![]).await
    }

    pub async fn get_office_hours(&self, id: i64) -> Result<OfficeHoursRow, Error> {
        self.first(format!("SELECT {HOURS} FROM office_hours WHERE id = $1"), vec![Arg::I(id)])
            .await?
            .ok_or_else(|| Error::not_found("The office hours"))
    }

    /// The bookings not cancelled from `from_day` to `until_day`.
    pub async fn bookings_between(&self, from_day: i64, until_day: i64) -> Result<Vec<BookingRow>, Error> {
        self.rows(
            format!(
                "SELECT {BOOKING} FROM office_hour_bookings WHERE day >= $1 AND day <= $2 AND cancelled_at IS NULL
                 ORDER BY day, start_minute"
            ),
            vec![Arg::I(from_day), Arg::I(until_day)],
        )
        .await
    }

    pub async fn get_booking(&self, id: i64) -> Result<BookingRow, Error> {
        self.first(format!("SELECT {BOOKING} FROM office_hour_bookings WHERE id = $1"), vec![Arg::I(id)])
            .await?
            .ok_or_else(|| Error::not_found("The booking"))
    }

    /// Books a slot, tells its host, and (with `invite`) queues the calendar invitation:
    /// together. A slot booked already → 409 (the database's unique index decides between two
    /// at once). The demo's bookings invite nobody.
    pub async fn book_slot(
        &self,
        actor: &Actor,
        slot: Slot,
        booker_id: i64,
        topic: &str,
        host_notice: Option<Notice>,
        invite: bool,
    ) -> Result<i64, Error> {
        let now = now_ms();
        tx!(self, tx => {
            let id = tx.number(
                "INSERT INTO office_hour_bookings (office_hours_id, day, start_minute, booker_id, topic, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                &args![slot.office_hours_id, slot.day, slot.start_minute, booker_id, topic, now],
            ).await.map_err(unique_as("slot", "Someone has just booked this slot. Choose another one.".into()))?;
            let mut notices: Vec<Notice> = host_notice.iter().cloned().collect();
            for n in notices.iter_mut() {
                n.link = format!("/office-hours#booking-{id}");
            }
            tx.notify(now, &notices).await?;
            if invite {
                tx.enqueue(&NewJob { kind: INVITE_JOB.into(), payload: json!({"booking_id": id}).to_string(),
                    run_at: now, max_attempts: DEFAULT_MAX_ATTEMPTS }).await?;
            }
            tx.record(&Change { actor, action: "book", entity: Entity::OfficeHours, entity_id: Some(slot.office_hours_id),
                summary: "Booked a slot of office hours".into(), before: None,
                after: Some(json!({"booking_id": id, "day": slot.day, "start_minute": slot.start_minute})) }).await?;
            Ok(id)
        })
    }

    pub async fn cancel_booking(&self, actor: &Actor, id: i64) -> Result<(), Error> {
        tx!(self, tx => {
            let changed = tx.execute(
                "UPDATE office_hour_bookings SET cancelled_at = $1 WHERE id = $2 AND cancelled_at IS NULL AND touchpoint_id IS NULL",
                &args![now_ms(), id]).await?;
            if changed == 1 {
                // The calendars hear of it too.
                tx.enqueue(&NewJob { kind: INVITE_JOB.into(), payload: json!({"booking_id": id}).to_string(),
                    run_at: now_ms(), max_attempts: DEFAULT_MAX_ATTEMPTS }).await?;
                tx.record(&Change { actor, action: "cancel", entity: Entity::OfficeHours, entity_id: None,
                    summary: "Cancelled a booking of office hours".into(), before: None,
                    after: Some(json!({"booking_id": id})) }).await?;
            }
            Ok(())
        })
    }

    /// Bookings held before `day` (not cancelled) that are not touchpoints yet.
    pub async fn held_bookings(&self, day: i64) -> Result<Vec<BookingRow>, Error> {
        self.rows(
            format!(
                "SELECT {BOOKING} FROM office_hour_bookings WHERE day < $1 AND cancelled_at IS NULL
                 AND touchpoint_id IS NULL ORDER BY day, id LIMIT 1000"
            ),
            vec![Arg::I(day)],
        )
        .await
    }

    /// Turns a held booking into its touchpoint, once: a second run, or a booking cancelled
    /// meanwhile, is a conflict and writes nothing.
    pub async fn hold_booking(
        &self,
        actor: &Actor,
        booking_id: i64,
        t: &ValidTouchpoint,
        contacts: &[NewContact],
    ) -> Result<i64, Error> {
        tx!(self, tx => {
            let key = format!("office-hours-{booking_id}");
            let id = tx.insert_touchpoint(actor, None, t, contacts, Some(&key)).await?.id;
            let held = tx.execute(
                "UPDATE office_hour_bookings SET touchpoint_id = $1
                 WHERE id = $2 AND touchpoint_id IS NULL AND cancelled_at IS NULL",
                &args![id, booking_id]).await?;
            if held == 0 {
                return Err(Error::conflict("The booking was cancelled or is a touchpoint already."));
            }
            tx.record(&Change { actor, action: "create", entity: Entity::Touchpoint, entity_id: Some(id),
                summary: "Office hours held".into(), before: None, after: Some(json!({"booking_id": booking_id})) }).await?;
            Ok(id)
        })
    }
}
