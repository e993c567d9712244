//! The rest of engagement as people meet it: IT's seat at the planning table, embedded
//! technologists, office hours booked in two clicks with a calendar invitation by email, the
//! figures per unit and company-wide, and touchpoints imported from CSV and a calendar file.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::builders::person_by_email;
use crate::mail::wait_for_mail;
use crate::support::*;

fn day(offset: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(offset)).format("%Y-%m-%d").to_string()
}

async fn unit_named(api: &Api, name: &str) -> i64 {
    let (_, units) = api.get("/units").await;
    units.as_array().unwrap().iter().find(|u| u["name"] == name).and_then(|u| u["id"].as_i64()).unwrap()
}

async fn someone_of(api: &Api, unit_id: i64) -> i64 {
    let (_, people) = api.get(&format!("/people?unit_id={unit_id}&per_page=5")).await;
    people["items"][0]["id"].as_i64().unwrap_or_else(|| panic!("{people}"))
}

#[tokio::test]
async fn a_unit_that_plans_without_it_is_losing_touch_and_the_figures_show_it() {
    on_each_demo_db(|app| async move {
        let it = app.api(&app.token(IT_USER).await);
        let retail = unit_named(&it, "Retail Stores").await;
        let (_, losing) = it.get("/engagement/losing-touch").await;
        let listed = losing.as_array().unwrap().iter().find(|u| u["unit_id"] == retail).cloned();
        let listed = listed.unwrap_or_else(|| panic!("the demo's Retail Stores plans without IT: {losing}"));
        assert_eq!(listed["planning_without_it"], true);
        assert_eq!(listed["standing"], "in_touch", "in touch otherwise");

        let (status, figures) = it.get(&format!("/engagement/units/{retail}/stats")).await;
        assert_eq!(status, StatusCode::OK, "{figures}");
        assert_eq!(figures["months"].as_array().unwrap().len(), 12);
        let (sessions, with_it) =
            (figures["planning_sessions"].as_i64().unwrap(), figures["planning_with_it"].as_i64().unwrap());
        assert!(sessions >= 2 && with_it <= sessions - 2, "two without IT: {figures}");
        assert!(figures["median_days_between_contacts"].as_f64().unwrap() > 0.0, "{figures}");
        assert_eq!(figures["units_planning_without_it"], 1);
        assert_eq!(figures["unit_id"], retail);

        // Business people alone may record a planning session, not a lunch; IT alone, neither.
        let joanna = person_by_email(&it, IT_USER).await;
        let store_manager = someone_of(&it, retail).await;
        let session =
            |kind: &str, people: Vec<i64>| json!({"kind": kind, "date": day(0), "people": people, "unit_id": retail});
        let (status, err) = it.post("/touchpoints", session("lunch", vec![store_manager])).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        let (status, err) = it.post("/touchpoints", session("strategy", vec![joanna])).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(err["error"]["fields"]["people"].as_str().unwrap().contains("from the business"), "{err}");

        // A strategy session with IT at the table takes the unit off the list.
        let (status, logged) = it.post("/touchpoints", session("strategy", vec![store_manager, joanna])).await;
        assert_eq!(status, StatusCode::CREATED, "{logged}");
        assert_eq!(logged["it_present"], true);
        let (_, losing) = it.get("/engagement/losing-touch").await;
        assert!(!losing.as_array().unwrap().iter().any(|u| u["unit_id"] == retail), "{losing}");
        let (_, after) = it.get(&format!("/engagement/units/{retail}/stats")).await;
        assert_eq!(after["planning_with_it"].as_i64(), Some(with_it + 1));

        // Supply Chain plans twice without IT: its keepers are told once, by the daily watch.
        let supply = unit_named(&it, "Supply Chain").await;
        let planner = someone_of(&it, supply).await;
        let alone = |kind: &str| json!({"kind": kind, "date": day(0), "people": [planner], "unit_id": supply});
        for kind in ["planning", "strategy"] {
            let (status, logged) = it.post("/touchpoints", alone(kind)).await;
            assert_eq!((status, &logged["it_present"]), (StatusCode::CREATED, &json!(false)), "{logged}");
        }
        let keeper = app.api(&app.token("nadia.petrova@alderbrook.example").await);
        let told = |list: Value| {
            list.as_array()
                .unwrap()
                .iter()
                .filter(|n| {
                    n["text"].as_str().unwrap_or_default().contains("Supply Chain")
                        && n["text"].as_str().unwrap_or_default().contains("without IT")
                })
                .count()
        };
        run_now(&app, bridge::ops::engagement::WATCH).await;
        run_now(&app, bridge::ops::engagement::WATCH).await;
        let (_, notices) = keeper.get("/notifications").await;
        assert_eq!(told(notices.clone()), 1, "once: {notices}");

        let (status, stats) = it.get("/engagement/stats").await;
        assert_eq!(status, StatusCode::OK);
        assert!(stats["company"]["touchpoints"].as_i64().unwrap() > 200, "the demo's year: {}", stats["company"]);
        let share = stats["company"]["planning_with_it_share"].as_f64().unwrap();
        assert!(share > 0.0 && share < 1.0, "{}", stats["company"]);
        assert!(stats["company"]["follow_ups_due"].as_i64().unwrap() > 0);
        let browser = app.signed_in(BUSINESS).await;
        let (status, page) = browser.text("/engagement/stats").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("IT at the planning table") && page.contains("<svg"), "charts with tables");
        let (_, page) = browser.text(&format!("/engagement/units/{retail}")).await;
        assert!(
            page.contains("last two planning or strategy sessions were held without IT")
                || page.contains("Planning sessions with IT")
        );
    })
    .await;
}

#[tokio::test]
async fn someone_from_it_embedded_with_a_unit_shows_on_both_pages_with_their_contacts() {
    on_each_demo_db(|app| async move {
        let it = app.api(&app.token(IT_USER).await);
        let business = app.api(&app.token(BUSINESS).await);
        let viewer = app.api(&app.token(VIEWER).await);
        let marketing = unit_named(&it, "Marketing").await;
        let marketer = someone_of(&it, marketing).await;
        let imran = person_by_email(&it, "imran.qureshi@alderbrook.example").await;
        let rajesh = person_by_email(&it, BUSINESS).await;
        let body = |person: i64, from: String, until: String| {
            json!({"person_id": person, "unit_id": marketing, "kind": "rotation", "from": from, "until": until,
                "purpose": "Learn how campaigns are planned"})
        };
        let (status, err) = it.post("/embeddings", body(rajesh, day(-10), day(-20))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields = &err["error"]["fields"];
        assert!(
            fields["person_id"].as_str().unwrap().contains("someone from IT") && fields["until"].is_string(),
            "{err}"
        );
        assert_eq!(business.post("/embeddings", body(imran, day(-10), day(30))).await.0, StatusCode::FORBIDDEN);
        assert_eq!(viewer.post("/embeddings", body(imran, day(-10), day(30))).await.0, StatusCode::FORBIDDEN);

        let (status, made) = it.post("/embeddings", body(imran, day(-10), day(30))).await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
        assert_eq!((made["current"].as_bool(), made["contacts"].as_i64()), (Some(true), Some(0)), "{made}");
        let lunch = json!({"kind": "lunch", "date": day(-2), "people": [imran, marketer], "unit_id": marketing});
        assert_eq!(it.post("/touchpoints", lunch).await.0, StatusCode::CREATED);
        let (_, seen) = it.get(&format!("/embeddings/{}", made["id"])).await;
        assert_eq!(seen["contacts"], 1, "their contacts while there are counted: {seen}");
        assert_eq!(seen["last_contact"], json!(day(-2)));

        let mut change = body(imran, day(-10), day(-1));
        change["version"] = json!(made["version"]);
        let (status, ended) = it.put(&format!("/embeddings/{}", made["id"]), change.clone()).await;
        assert_eq!(status, StatusCode::OK, "{ended}");
        assert_eq!(ended["current"], false, "ended yesterday");
        let (status, _) = it.put(&format!("/embeddings/{}", made["id"]), change).await;
        assert_eq!(status, StatusCode::CONFLICT, "a stale version");

        let browser = app.signed_in(IT_USER).await;
        let (_, unit_page) = browser.text(&format!("/engagement/units/{marketing}")).await;
        assert!(unit_page.contains("Embedded from IT") && unit_page.contains("Learn how campaigns are planned"));
        let (_, person_page) = browser.text(&format!("/people/{imran}")).await;
        assert!(person_page.contains("Embedded with the business") && person_page.contains("Marketing"));
        // The page's form keeps what was typed beside its errors.
        let unit_path = format!("/engagement/units/{marketing}/embeddings");
        let sent = browser
            .post_form(
                &unit_path,
                &[
                    ("person_id", &imran.to_string()),
                    ("kind", "embedded"),
                    ("from", "soon"),
                    ("purpose", "Sit with the campaign team"),
                ],
            )
            .await;
        assert_eq!(sent.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = sent.text().await.unwrap();
        assert!(html.contains("Enter the first day") && html.contains("Sit with the campaign team"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn office_hours_are_booked_in_two_clicks_with_an_invitation_and_held_ones_become_touchpoints() {
    on_each_demo_db(|app| async move {
        let it = app.api(&app.token(IT_USER).await);
        let other_business = app.api(&app.token("sofia.lindqvist@alderbrook.example").await);
        let business_api = app.api(&app.token(BUSINESS).await);
        // Published by IT for every day of the week would be odd: today's weekday, so a slot is near.
        let weekday = (chrono::Utc::now().format("%u").to_string().parse::<i64>().unwrap() - 1).to_string();
        let hours = json!({"weekday": weekday, "start": "10:00", "end": "11:00", "slot_minutes": 30,
            "place": "Room 2.04", "from": day(0)});
        let (status, err) = it.post("/office-hours", json!({"weekday": 9, "start": "11:00", "end": "10:00", "slot_minutes": 30, "place": "", "from": day(0)})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields = &err["error"]["fields"];
        assert!(fields["weekday"].is_string() && fields["end"].is_string() && fields["place"].is_string(), "{err}");
        assert_eq!(business_api.post("/office-hours", hours.clone()).await.0, StatusCode::FORBIDDEN, "not a relationship manager");
        let (status, published) = it.post("/office-hours", hours).await;
        assert_eq!(status, StatusCode::CREATED, "{published}");
        let id = published["id"].as_i64().unwrap();
        assert_eq!(published["slots"][0]["start"], "10:00");

        // Click one: the slot's link on the list; click two: "Book" on the page it opens.
        let browser = app.signed_in(BUSINESS).await;
        let (_, list) = browser.text("/office-hours").await;
        let link = format!("/office-hours/{id}/book?date={}&amp;start=10:00", published["slots"][0]["date"].as_str().unwrap());
        assert!(list.contains(&link), "a free slot is a link: {list}");
        let (status, confirm) = browser.text(&link.replace("&amp;", "&")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(confirm.contains("Book office hours with Joanna"));
        let topic = format!("Scanner trouble {}", std::process::id());
        let date = published["slots"][0]["date"].as_str().unwrap().to_string();
        let booked = browser.post_form(&format!("/office-hours/{id}/book"), &[("date", &date), ("start", "10:00"), ("topic", &topic)]).await;
        assert_eq!(booked.status(), StatusCode::SEE_OTHER);
        assert_eq!(booked.headers()["location"], "/office-hours?done=booked");

        // The same slot again: 409, on the API and on the page (the input kept).
        let (status, err) = other_business.post(&format!("/office-hours/{id}/bookings"), json!({"date": date, "start": "10:00"})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{err}");
        assert_eq!(error_code(&err), "conflict");
        let (status, _) = other_business.post(&format!("/office-hours/{id}/bookings"), json!({"date": date, "start": "10:15"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "not a slot's start");
        let (_, mine) = it.get(&format!("/office-hours/{id}")).await;
        assert_eq!(mine["slots"][0]["booked_by"]["name"], "Rajesh Menon", "the host sees who: {mine}");
        let (_, theirs) = other_business.get(&format!("/office-hours/{id}")).await;
        assert!(theirs["slots"][0]["booked"] == true && theirs["slots"][0]["booked_by"].is_null(), "others see it taken: {theirs}");

        if std::env::var("BRIDGE_TEST_MAILDIR").is_ok() {
            let mails = wait_for_mail(&topic, 2).await;
            for m in &mails {
                assert!(m.contains("text/calendar") && m.contains("METHOD:REQUEST") && m.contains("BEGIN:VEVENT"), "{m}");
                assert!(m.contains("invite.ics"));
            }
            assert!(mails.iter().any(|m| m.contains("joanna.wisniewska@")) && mails.iter().any(|m| m.contains("rajesh.menon@")));
        }

        // A slot held yesterday becomes a touchpoint between host and booker with the watch.
        let sofia = person_id(&app, "sofia.lindqvist@alderbrook.example").await;
        let yesterday = chrono::Utc::now().timestamp() / 86_400 - 1;
        let slot = bridge::store::engagement::Slot { office_hours_id: id, day: yesterday, start_minute: 600 };
        let actor = bridge_domain::audit::Actor::system("test");
        app.db.book_slot(&actor, slot, sofia, "Held yesterday", None, false).await.unwrap();
        run_now(&app, bridge::ops::engagement::WATCH).await;
        run_now(&app, bridge::ops::engagement::WATCH).await;
        let (_, page) = it.get(&format!("/touchpoints?person_id={sofia}&per_page=5")).await;
        let held: Vec<&Value> =
            page["items"].as_array().unwrap().iter().filter(|t| t["note"] == "Office hours: Held yesterday").collect();
        assert_eq!(held.len(), 1, "once, however often the watch runs: {page}");
        assert_eq!(held[0]["kind"], "drop_in");
        assert_eq!(held[0]["people"].as_array().unwrap().len(), 2);
    })
    .await;
}

const CALENDAR: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n\
BEGIN:VEVENT\r\nUID:lunch-1@example\r\nDTSTART:{past}T120000Z\r\nSUMMARY:Lunch with the store team\r\n\
ORGANIZER;CN=Joanna:mailto:joanna.wisniewska@alderbrook.example\r\nATTENDEE;CN=Rajesh:mailto:rajesh.menon@alderbrook.example\r\n\
ATTENDEE:mailto:guest@partner.example\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:future-1@example\r\nDTSTART:{future}T090000Z\r\nSUMMARY:Quarterly planning\r\n\
ATTENDEE:mailto:joanna.wisniewska@alderbrook.example\r\nATTENDEE:mailto:rajesh.menon@alderbrook.example\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:internal-1@example\r\nDTSTART;VALUE=DATE:{past}\r\nSUMMARY:IT stand-up\r\n\
ATTENDEE:mailto:joanna.wisniewska@alderbrook.example\r\nATTENDEE:mailto:imran.qureshi@alderbrook.example\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

#[tokio::test]
async fn touchpoints_are_imported_from_csv_and_a_calendar_once() {
    on_each_demo_db(|app| async move {
        let it = app.api(&app.token(IT_USER).await);
        let count = |page: Value| page["items"].as_array().unwrap().len();
        let rajesh = person_by_email(&it, BUSINESS).await;
        let before = count(it.get(&format!("/touchpoints?person_id={rajesh}&per_page=200")).await.1);

        let csv = format!(
            "date,kind,people,note\n{},lunch,rajesh.menon@alderbrook.example;joanna.wisniewska@alderbrook.example,Spring range\n\
             {},Informal chat,rajesh.menon@alderbrook.example;imran.qureshi@alderbrook.example,\n",
            day(-3),
            day(-2)
        );
        let (status, report) = it.post_raw("/touchpoints/import", "text/csv", csv.clone().into_bytes()).await;
        assert_eq!(status, StatusCode::OK, "{report}");
        assert_eq!((report["added"].as_i64(), report["already"].as_i64()), (Some(2), Some(0)));
        let (_, again) = it.post_raw("/touchpoints/import", "text/csv", csv.into_bytes()).await;
        assert_eq!((again["added"].as_i64(), again["already"].as_i64()), (Some(0), Some(2)), "twice adds nothing");

        let bad = format!(
            "date,people\n{},rajesh.menon@alderbrook.example;joanna.wisniewska@alderbrook.example\n\
             {},nobody@nowhere.example;joanna.wisniewska@alderbrook.example\n{},rajesh.menon@alderbrook.example\n",
            day(-4),
            day(-4),
            day(5)
        );
        let (status, err) = it.post_raw("/touchpoints/import", "text/csv", bad.into_bytes()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        let fields = &err["error"]["fields"];
        assert!(fields["line 3"].as_str().unwrap().contains("nobody@nowhere.example"), "{err}");
        assert!(fields["line 4"].is_string(), "a future date, one side only: {err}");
        assert_eq!(count(it.get(&format!("/touchpoints?person_id={rajesh}&per_page=200")).await.1), before + 2, "nothing half-imported");

        let ics = CALENDAR.replace("{past}", &day(-5).replace('-', "")).replace("{future}", &day(9).replace('-', ""));
        let (status, report) = it.post_raw("/touchpoints/import-calendar", "text/calendar", ics.clone().into_bytes()).await;
        assert_eq!(status, StatusCode::OK, "{report}");
        assert_eq!(report["added"], 1, "{report}");
        assert_eq!(report["unknown_people"], json!(["guest@partner.example"]));
        let reasons: Vec<&str> = report["skipped"].as_array().unwrap().iter().map(|s| s["reason"].as_str().unwrap()).collect();
        assert!(reasons.iter().any(|r| r.contains("not happened yet")) && reasons.iter().any(|r| r.contains("both")), "{report}");
        let (_, page) = it.get(&format!("/touchpoints?person_id={rajesh}&per_page=5")).await;
        assert!(page["items"].as_array().unwrap().iter().any(|t| t["kind"] == "lunch" && t["note"] == "Lunch with the store team"), "{page}");
        let (_, again) = it.post_raw("/touchpoints/import-calendar", "text/calendar", ics.into_bytes()).await;
        assert_eq!((again["added"].as_i64(), again["already"].as_i64()), (Some(0), Some(1)));

        let (status, err) = it.post_raw("/touchpoints/import-calendar", "text/calendar", b"BEGIN:VCALENDAR\r\nthis is not".to_vec()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(err["error"]["fields"]["file"].as_str().unwrap().contains("cannot be read"), "{err}");
    })
    .await;
}
