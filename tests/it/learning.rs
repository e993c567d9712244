//! Learning events as people meet them: planned in one zone and read in another, a waiting
//! list that moves up by itself, who came ticked on the day, feedback only from them,
//! reminders the day before, and calendars (an event's file, a personal feed that can be
//! reset, the organisation's feed).

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::*;

const SOFIA: &str = "sofia.lindqvist@alderbrook.example";
const GARETH: &str = "gareth.pryce@alderbrook.example";

/// A day `offset` days from today, as London's calendar has it.
fn day(offset: i64) -> String {
    let london: chrono_tz::Tz = "Europe/London".parse().unwrap();
    (chrono::Utc::now().with_timezone(&london) + chrono::Duration::days(offset)).format("%Y-%m-%d").to_string()
}

fn brown_bag(capacity: &str) -> Value {
    json!({
        "kind": "brown_bag",
        "title": "What the new stock reports tell a store manager",
        "description": "A lunchtime look at the reports, with time for questions.",
        "audience": "everyone",
        "date": day(7), "start": "12:30", "end": "13:30", "time_zone": "Europe/London",
        "place": "Room 3.12, Leeds office",
        "capacity": capacity,
    })
}

fn notices_with(list: &Value, words: &str) -> usize {
    list.as_array().unwrap().iter().filter(|n| n["text"].as_str().unwrap_or("").contains(words)).count()
}

#[tokio::test]
async fn a_full_event_puts_people_on_a_waiting_list_that_moves_up_by_itself() {
    on_each_demo_db(|app| async move {
        let it = app.api(&app.token(IT_USER).await);
        let (status, planned) = it.post("/events", brown_bag("2")).await;
        assert_eq!(status, StatusCode::CREATED, "{planned}");
        let id = planned["event"]["id"].as_i64().unwrap();
        assert_eq!(planned["event"]["places_left"], 2);

        let rajesh = app.api(&app.token(BUSINESS).await);
        let sofia = app.api(&app.token(SOFIA).await);
        let gareth = app.api(&app.token(GARETH).await);
        let path = format!("/events/{id}/registration");
        let (status, r) = rajesh.post(&path, json!({})).await;
        assert_eq!((status, &r["place"]), (StatusCode::CREATED, &json!("registered")), "{r}");
        let (status, r) = rajesh.post(&path, json!({})).await;
        assert_eq!(status, StatusCode::CONFLICT, "twice: {r}");
        assert_eq!(error_code(&r), "conflict");
        let (_, r) = sofia.post(&path, json!({})).await;
        assert_eq!(r["place"], "registered");
        let (status, r) = gareth.post(&path, json!({})).await;
        assert_eq!(
            (status, &r["place"]),
            (StatusCode::CREATED, &json!("waiting")),
            "full: the waiting list, not an error"
        );
        assert_eq!((r["event"]["registered"].as_i64(), r["event"]["waiting"].as_i64()), (Some(2), Some(1)));
        assert_eq!(r["event"]["your_place"], "waiting");

        // Sofia gives up her place: Gareth has it, and is told.
        assert_eq!(sofia.delete(&path).await, StatusCode::NO_CONTENT);
        let (_, e) = gareth.get(&format!("/events/{id}")).await;
        assert_eq!(
            (e["your_place"].as_str(), e["registered"].as_i64(), e["waiting"].as_i64()),
            (Some("registered"), Some(2), Some(0))
        );
        let (_, told) = gareth.get("/notifications?per_page=50").await;
        assert_eq!(notices_with(&told, "A place came free"), 1, "{told}");
        assert_eq!(sofia.delete(&path).await, StatusCode::CONFLICT, "not registered any more");

        // Two more places move the next one up too.
        let (_, r) = sofia.post(&path, json!({})).await;
        assert_eq!(r["place"], "waiting");
        let mut change = brown_bag("4");
        change["version"] = e["version"].clone();
        let (status, changed) = it.put(&format!("/events/{id}"), change.clone()).await;
        assert_eq!(status, StatusCode::OK, "{changed}");
        let (_, e) = sofia.get(&format!("/events/{id}")).await;
        assert_eq!(e["your_place"], "registered", "{e}");
        let (status, _) = it.put(&format!("/events/{id}"), change).await;
        assert_eq!(status, StatusCode::CONFLICT, "a stale version");
        let (status, _) = rajesh.put(&format!("/events/{id}"), json!({"version": e["version"]})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "only its host, speakers and admins change it");

        // Calling it off tells everyone with a place.
        let (status, _) = it.post(&format!("/events/{id}/cancel"), json!({})).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (_, told) = rajesh.get("/notifications?per_page=50").await;
        assert_eq!(notices_with(&told, "was called off"), 1, "{told}");
        let (status, r) = gareth.post(&path, json!({})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{r}");
    })
    .await;
}

#[tokio::test]
async fn bad_events_are_refused_beside_their_fields_and_nothing_is_written() {
    on_each_demo_db(|app| async move {
        let it = app.api(&app.token(IT_USER).await);
        let (_, before) = it.get("/events?per_page=200").await;
        let cases = [
            (json!({"date": day(-3)}), "date"),
            (json!({"end": "12:00"}), "end"),
            (json!({"time_zone": "Mars/Olympus"}), "time_zone"),
            (json!({"capacity": "lots"}), "capacity"),
            (json!({"place": "", "link": ""}), "place"),
            (json!({"link": "javascript:alert(1)"}), "link"),
            (json!({"repeat_weeks": "2", "repeat_until": day(1)}), "repeat_until"),
            (json!({"kind": "party"}), "kind"),
            (json!({"speakers": [999999]}), "speakers"),
        ];
        for (change, field) in cases {
            let mut body = brown_bag("");
            for (k, v) in change.as_object().unwrap() {
                body[k] = v.clone();
            }
            let (status, err) = it.post("/events", body).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {err}");
            assert!(err["error"]["fields"][field].is_string(), "{field}: {err}");
        }
        let viewer = app.api(&app.token(VIEWER).await);
        let (status, _) = viewer.post("/events", brown_bag("")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (_, after) = it.get("/events?per_page=200").await;
        assert_eq!(before["total"], after["total"], "nothing half-written");

        // Every other Friday until a date: one event per session, all in the series.
        let mut series = brown_bag("");
        series["repeat_weeks"] = json!("2");
        series["repeat_until"] = json!(day(7 + 14 * 3));
        let (status, planned) = it.post("/events", series).await;
        assert_eq!(status, StatusCode::CREATED, "{planned}");
        assert_eq!(planned["later_sessions"].as_array().unwrap().len(), 3);
        let later = planned["later_sessions"][0].as_i64().unwrap();
        let (_, second) = it.get(&format!("/events/{later}")).await;
        assert_eq!(second["series_id"], planned["event"]["id"]);
        assert_eq!(second["start"], "12:30", "the same local time");
    })
    .await;
}

#[tokio::test]
async fn times_show_in_each_readers_zone_and_calendars_carry_them() {
    on_each_demo_db(|app| async move {
        let it = app.api(&app.token(IT_USER).await);
        let (_, planned) = it.post("/events", brown_bag("")).await;
        let id = planned["event"]["id"].as_i64().unwrap();
        assert!(planned["event"]["when"].as_str().unwrap().ends_with("12:30–13:30 (Europe/London)"), "{planned}");

        let rajesh = app.api(&app.token(BUSINESS).await);
        let (status, err) = rajesh.put("/me/time-zone", json!({"time_zone": "Narnia/Cair_Paravel"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert_eq!(
            rajesh.put("/me/time-zone", json!({"time_zone": "America/New_York"})).await.0,
            StatusCode::NO_CONTENT
        );
        let (_, e) = rajesh.get(&format!("/events/{id}")).await;
        let when = e["when"].as_str().unwrap();
        // London and New York are five hours apart, whatever the season's clocks say.
        let starts = chrono::DateTime::from_timestamp_millis(e["starts_at"].as_i64().unwrap()).unwrap();
        let new_york: chrono_tz::Tz = "America/New_York".parse().unwrap();
        let local = starts.with_timezone(&new_york).format("%H:%M").to_string();
        assert!(when.contains(&format!("{local}–")) && when.ends_with("(America/New_York)"), "{when}");

        // The event's file holds the instant in UTC, which every calendar client places.
        let response = app.browser().get(&format!("/events/{id}/event.ics")).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "the page's file needs a sign-in");
        let response = reqwest::Client::new()
            .get(app.url(&format!("/api/v1/events/{id}/event.ics")))
            .bearer_auth(app.token(BUSINESS).await)
            .send()
            .await
            .unwrap();
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
        let ics = response.text().await.unwrap();
        let stamp = starts.format("DTSTART:%Y%m%dT%H%M%SZ").to_string();
        assert!(ics.contains(&stamp), "{stamp} in {ics}");
        assert!(ics.contains(&format!("UID:event-{id}@bridge")), "{ics}");

        // Rajesh registers; his feed has it, without signing in; a reset address stops working.
        rajesh.post(&format!("/events/{id}/registration"), json!({})).await;
        let (_, address) = rajesh.get("/calendar").await;
        let on_this_server = |v: &Value| {
            let url = v["url"].as_str().unwrap();
            app.url(&url[url.find("/calendar/").unwrap()..])
        };
        let url = on_this_server(&address);
        let feed = reqwest::get(&url).await.unwrap();
        assert_eq!(feed.status(), StatusCode::OK);
        let feed = feed.text().await.unwrap();
        assert!(feed.starts_with("BEGIN:VCALENDAR") && feed.contains(&format!("UID:event-{id}@bridge")), "{feed}");
        let (_, reset) = rajesh.post("/calendar/reset", json!({})).await;
        assert_eq!(reqwest::get(&url).await.unwrap().status(), StatusCode::NOT_FOUND, "the old address");
        let new_url = on_this_server(&reset);
        assert_ne!(new_url, url);
        assert_eq!(reqwest::get(&new_url).await.unwrap().status(), StatusCode::OK);
        let forged = format!("{}x.ics", new_url.trim_end_matches(".ics"));
        assert_eq!(reqwest::get(&forged).await.unwrap().status(), StatusCode::NOT_FOUND);
        let everyone = reqwest::get(app.url("/calendar/events.ics")).await.unwrap().text().await.unwrap();
        assert!(everyone.contains(&format!("UID:event-{id}@bridge")));
    })
    .await;
}

#[tokio::test]
async fn who_came_is_ticked_on_the_day_and_only_they_are_asked_for_feedback() {
    on_each_demo_db(|app| async move {
        let it = app.api(&app.token(IT_USER).await);
        // A showcase tomorrow morning (London): reminders go out the day before.
        let mut showcase = brown_bag("");
        showcase["kind"] = json!("showcase");
        showcase["date"] = json!(day(1));
        let (_, planned) = it.post("/events", showcase).await;
        let id = planned["event"]["id"].as_i64().unwrap();
        let rajesh = app.api(&app.token(BUSINESS).await);
        let sofia = app.api(&app.token(SOFIA).await);
        for who in [&rajesh, &sofia] {
            who.post(&format!("/events/{id}/registration"), json!({})).await;
        }
        let (status, err) = it.put(&format!("/events/{id}/attendees/{}", person_id(&app, BUSINESS).await), json!({"attended": true})).await;
        assert_eq!(status, StatusCode::CONFLICT, "not before the day: {err}");
        run_now(&app, bridge::ops::learning::WATCH).await;
        run_now(&app, bridge::ops::learning::WATCH).await;
        let (_, told) = rajesh.get("/notifications?per_page=50").await;
        assert_eq!(notices_with(&told, "Tomorrow:"), 1, "reminded once, however often the watch runs: {told}");

        // The day comes (the event is moved into the past, as time would): Rajesh came, Sofia did not.
        app.db.execute("UPDATE events SET starts_at = starts_at - 2 * 86400000, ends_at = ends_at - 2 * 86400000 WHERE id = $1",
            &[bridge::store::Arg::I(id)]).await.unwrap();
        let rajesh_id = person_id(&app, BUSINESS).await;
        let tick = |attended: bool| json!({"attended": attended});
        let (status, _) = rajesh.put(&format!("/events/{id}/attendees/{rajesh_id}"), tick(true)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "only the host ticks");
        assert_eq!(it.put(&format!("/events/{id}/attendees/{rajesh_id}"), tick(true)).await.0, StatusCode::NO_CONTENT);
        let gareth = person_id(&app, GARETH).await;
        assert_eq!(it.put(&format!("/events/{id}/attendees/{gareth}"), tick(true)).await.0, StatusCode::NO_CONTENT, "a walk-in");
        let (_, list) = it.get(&format!("/events/{id}/attendees")).await;
        let came: Vec<&str> = list.as_array().unwrap().iter().filter(|a| a["attended"] == true).map(|a| a["person"]["name"].as_str().unwrap()).collect();
        assert_eq!(came.len(), 2, "{list}");

        run_now(&app, bridge::ops::learning::WATCH).await;
        let (_, told) = rajesh.get("/notifications?per_page=50").await;
        assert_eq!(notices_with(&told, "How was"), 1, "{told}");
        let (_, told) = sofia.get("/notifications?per_page=50").await;
        assert_eq!(notices_with(&told, "How was"), 0, "only those who came are asked");

        let (status, _) = sofia.post(&format!("/events/{id}/feedback"), json!({"rating": 5})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "she did not come");
        let (status, err) = rajesh.post(&format!("/events/{id}/feedback"), json!({"rating": 9})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        let (status, _) = rajesh.post(&format!("/events/{id}/feedback"), json!({"rating": "4", "comment": "Clear, and useful for the stores."})).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (_, summary) = it.get(&format!("/events/{id}/feedback")).await;
        assert_eq!((summary["responses"].as_i64(), summary["average"].as_f64()), (Some(1), Some(4.0)), "{summary}");
        assert_eq!(summary["comments"][0], "Clear, and useful for the stores.");
        let (status, _) = rajesh.get(&format!("/events/{id}/feedback")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "the summary is the host's");
        let (status, r) = sofia.post(&format!("/events/{id}/registration"), json!({})).await;
        assert_eq!(status, StatusCode::CONFLICT, "a past event: {r}");

        // What was shown: links and the recording, on the event for everyone.
        let materials = json!({"materials": "Slides https://files.example.com/showcase.pdf", "recording_url": "https://video.example.com/42"});
        let (status, e) = it.put(&format!("/events/{id}/materials"), materials).await;
        assert_eq!(status, StatusCode::OK, "{e}");
        assert_eq!(e["materials"][0]["title"], "Slides");
        let (status, err) = it.put(&format!("/events/{id}/materials"), json!({"materials": "see the wiki"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    })
    .await;
}

#[tokio::test]
async fn an_event_is_planned_registered_for_and_checked_in_through_the_pages() {
    on_each_demo_db(|app| async move {
        let joanna = app.signed_in(IT_USER).await;
        let (status, page) = joanna.text("/events/new").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Plan an event"));
        let fields = [
            ("kind", "workshop"),
            ("title", "Mapping the month-end close"),
            ("description", "We draw the close together and find what slows it."),
            ("audience", "business"),
            ("date", "2020-01-01"),
            ("start", "10:00"),
            ("end", "12:00"),
            ("time_zone", "Europe/London"),
            ("place", "Finance floor"),
            ("host", "Joanna Wiśniewska"),
            ("speaker_1", "Nobody Atall"),
            ("capacity", "12"),
        ];
        let r = joanna.post_form("/events", &fields).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("This is in the past") && page.contains("No one in the directory is called"), "{page}");
        assert!(page.contains("Mapping the month-end close"), "the input is kept");

        let next_week = day(7);
        let mut fields = fields.to_vec();
        fields.retain(|(k, _)| *k != "date" && *k != "speaker_1");
        fields.push(("date", &next_week));
        let r = joanna.post_form("/events", &fields).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let at = r.headers()["location"].to_str().unwrap().to_string();
        let id: i64 = at.trim_start_matches("/events/").split('?').next().unwrap().parse().unwrap();
        let (_, page) = joanna.text(&at).await;
        assert!(page.contains("The event is planned") && page.contains("Tick who came"), "{page}");

        let rajesh = app.signed_in(BUSINESS).await;
        let (_, list) = rajesh.text("/events").await;
        assert!(list.contains("Mapping the month-end close") && list.contains("12 of 12 places left"), "{list}");
        let r = rajesh.post_form(&format!("/events/{id}/register"), &[]).await;
        assert_eq!(r.headers()["location"], format!("/events/{id}?done=registered").as_str());
        let r = rajesh.post_form(&format!("/events/{id}/register"), &[]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT, "twice: told on the page");

        let (status, page) = joanna.text(&format!("/events/{id}/check-in")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Rajesh Menon"), "{page}");
        let (status, _) = rajesh.text(&format!("/events/{id}/check-in")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, page) = rajesh.text("/calendar").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("/calendar/") && page.contains("Make a new address"), "{page}");
    })
    .await;
}

#[tokio::test]
async fn the_radar_keeps_every_move_and_shows_itself_as_it_was_on_any_day() {
    on_each_demo_db(|app| async move {
        let it = app.api(&app.token(IT_USER).await);
        let (status, radar) = it.get("/radar").await;
        assert_eq!(status, StatusCode::OK, "{radar}");
        assert_eq!(radar["blips"].as_array().unwrap().len(), 40, "the demo's forty entries");
        assert_eq!(radar["editions"].as_array().unwrap().len(), 4);
        let tools = radar["quadrants"].as_array().unwrap().iter().find(|q| q["name"] == "Tools").unwrap()["id"].clone();

        // A move into trial needs someone to explore it and a showcase planned to show it.
        let (_, planned) = it.post("/events", {
            let mut e = brown_bag("");
            e["kind"] = json!("showcase");
            e
        }).await;
        let showcase = planned["event"]["id"].clone();
        let entry = json!({"name": "Shelf robots", "quadrant_id": tools, "ring": "trial",
            "business_use": "A robot that walks the aisles at night and lists the empty shelves.", "reason": "Two stores asked"});
        let (status, err) = it.post("/radar/entries", entry.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(err["error"]["fields"]["explorer_id"].is_string() && err["error"]["fields"]["showcase_event_id"].is_string(), "{err}");
        let mut entry = entry;
        entry["explorer_id"] = json!(person_id(&app, IT_USER).await);
        entry["showcase_event_id"] = showcase.clone();
        // Jargon the glossary does not know keeps it off the radar until it is said plainly.
        let mut jargon = entry.clone();
        jargon["business_use"] = json!("Uses LIDAR-SLAM over an MQTT bus with k8s sidecars.");
        let (status, err) = it.post("/radar/entries", jargon.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(err["error"]["fields"]["business_use"].as_str().unwrap().contains("plain words"), "{err}");
        jargon["draft"] = json!(true);
        jargon["name"] = json!("Shelf robots (technical)");
        let (status, draft) = it.post("/radar/entries", jargon).await;
        assert_eq!((status, &draft["published"]), (StatusCode::CREATED, &json!(false)), "{draft}");

        let (status, created) = it.post("/radar/entries", entry.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let id = created["id"].as_i64().unwrap();
        assert_eq!((created["ring"].as_str(), created["published"].as_bool()), (Some("trial"), Some(true)));
        assert_eq!(created["showcase"]["id"], showcase);
        let business = app.api(&app.token(BUSINESS).await);
        let (status, _) = business.post("/radar/entries", entry.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "the radar is IT's to keep");
        let (status, _) = it.post("/radar/entries", entry.clone()).await;
        assert_eq!(status, StatusCode::CONFLICT, "one entry per name");

        // An edition, then a move: the radar says it moved in since; the day before shows it as it was.
        let (status, _) = it.post("/radar/editions", json!({"name": "Test edition"})).await;
        assert_eq!(status, StatusCode::CREATED);
        let mut moved = entry.clone();
        moved["ring"] = json!("adopt");
        moved["reason"] = json!("Proved itself in ten stores");
        moved["version"] = created["version"].clone();
        let (status, after) = it.put(&format!("/radar/entries/{id}"), moved.clone()).await;
        assert_eq!(status, StatusCode::OK, "{after}");
        assert_eq!(after["history"].as_array().unwrap().len(), 2);
        assert_eq!(after["history"][0]["reason"], "Proved itself in ten stores");
        let (status, _) = it.put(&format!("/radar/entries/{id}"), moved).await;
        assert_eq!(status, StatusCode::CONFLICT, "a stale version");
        let (_, now) = it.get("/radar").await;
        let blip = now["blips"].as_array().unwrap().iter().find(|b| b["entry_id"] == id).cloned().unwrap();
        assert_eq!((blip["ring"].as_str(), blip["change"].as_str()), (Some("adopt"), Some("moved_in")), "{blip}");
        let (_, before) = it.get(&format!("/radar?on={}", day(-200))).await;
        assert!(!before["blips"].as_array().unwrap().iter().any(|b| b["entry_id"] == id), "not on the radar then");
        assert!(before["blips"].as_array().unwrap().len() < 40, "the demo's radar was smaller then: {}", before["blips"]);

        // The common CSV out and back in; a bad row imports nothing.
        let csv = reqwest::Client::new().get(app.url("/api/v1/radar.csv")).bearer_auth(app.token(IT_USER).await).send().await.unwrap().text().await.unwrap();
        assert!(csv.starts_with("name,ring,quadrant,isNew,description\n") && csv.contains("Shelf robots,adopt,Tools"), "{csv}");
        let import = |body: &'static str| it.post_raw("/radar/import", "text/csv", body.as_bytes().to_vec());
        let (status, err) = import("name,ring,quadrant,isNew,description\nDrones,adopt,Tools,TRUE,Counts stock from above\nGhosts,sometimes,Tools,FALSE,x\nVR,trial,Nowhere,TRUE,y\nAR,assess,Tools,TRUE,Shows the stock on a phone\n").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        let lines: Vec<&String> = err["error"]["fields"].as_object().unwrap().keys().collect();
        assert_eq!(lines.len(), 3, "lines 3, 4 and 5 (assess without an explorer): {err}");
        let (_, still) = it.get("/radar").await;
        assert!(!still["blips"].as_array().unwrap().iter().any(|b| b["name"] == "Drones"), "nothing half-imported");
        let (status, report) = import("name,ring,quadrant,isNew,description\nDrones,adopt,Tools,TRUE,Counts stock from above\nShelf robots,hold,Tools,FALSE,Not for new stores\n").await;
        assert_eq!(status, StatusCode::OK, "{report}");
        assert_eq!((report["added"].as_i64(), report["changed"].as_i64()), (Some(1), Some(1)));
        let (_, entry) = it.get(&format!("/radar/entries/{id}")).await;
        assert_eq!((entry["ring"].as_str(), entry["history"][0]["reason"].as_str()), (Some("hold"), Some("Imported")));

        // The page draws the same entries and lists them.
        let browser = app.signed_in(BUSINESS).await;
        let (status, page) = browser.text("/radar").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("<svg class=\"radar\"") && page.contains(&format!("href=\"/radar/entries/{id}\"")), "{page}");
        assert!(page.contains("Drones") && !page.contains("Shelf robots (technical)"), "drafts are not on the radar");
        let (status, page) = browser.text(&format!("/radar/entries/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Proved itself in ten stores"), "{page}");
    })
    .await;
}

#[tokio::test]
async fn its_principles_are_explained_understood_asked_about_and_cited_by_assessments() {
    on_each_demo_db(|app| async move {
        let it = app.api(&app.token(IT_USER).await);
        let business = app.api(&app.token(BUSINESS).await);
        let (_, list) = business.get("/principles").await;
        assert_eq!(list.as_array().unwrap().len(), 12, "the demo's twelve");

        let principle = json!({"title": "Backups are tested every month", "kind": "security",
            "statement": "We restore a backup every month to prove it works.",
            "why_it_matters": "If a system is lost, your data comes back within a day.",
            "example": "When a server failed in May, the stock figures were back by lunchtime."});
        assert_eq!(business.post("/principles", principle.clone()).await.0, StatusCode::FORBIDDEN);
        let mut jargon = principle.clone();
        jargon["why_it_matters"] = json!("RPO of 4h via WAL-G to S3 with PITR.");
        let (status, err) = it.post("/principles", jargon).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(err["error"]["fields"]["why_it_matters"].is_string(), "{err}");
        let (status, p) = it.post("/principles", principle).await;
        assert_eq!(status, StatusCode::CREATED, "{p}");
        let id = p["id"].as_i64().unwrap();

        // Rajesh understands it, and asks a question that IT answers: he is told.
        let understood = format!("/principles/{id}/understood");
        assert_eq!(business.put(&understood, json!({"understood": true})).await.0, StatusCode::NO_CONTENT);
        let (_, p) = business.get(&format!("/principles/{id}")).await;
        assert_eq!((p["understood_by"].as_i64(), p["understood_by_me"].as_bool()), (Some(1), Some(true)));
        let (status, err) = business.post(&format!("/principles/{id}/questions"), json!({"question": " "})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        let (status, p) = business
            .post(&format!("/principles/{id}/questions"), json!({"question": "Does this cover the tills?"}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{p}");
        let question = p["questions"][0]["id"].as_i64().unwrap();
        let answer = format!("/principle-questions/{question}/answer");
        assert_eq!(business.put(&answer, json!({"answer": "Yes"})).await.0, StatusCode::FORBIDDEN);
        assert_eq!(
            it.put(&answer, json!({"answer": "Yes: the tills' data is backed up every night."})).await.0,
            StatusCode::NO_CONTENT
        );
        let (_, told) = business.get("/notifications?per_page=50").await;
        assert_eq!(notices_with(&told, "IT answered your question"), 1, "{told}");

        // An assessment cites it; the business reads its explanation beside the assessment.
        let request = crate::builders::clear_request(&business, "Nightly copies of the stock figures").await;
        let (_, created) = business.post("/requests", request).await;
        let rid = created["id"].as_i64().unwrap();
        business.post(&format!("/requests/{rid}/transitions"), json!({"action": "submit"})).await;
        let assessment = json!({
            "effort_min_days": "5", "effort_max_days": "8", "one_off_cost": "2000", "running_cost_per_year": "500",
            "currency": "EUR", "security": {"level": "medium", "note": "Copies must be kept safe."},
            "compliance": {"level": "low", "note": ""}, "operations": {"level": "low", "note": ""},
            "architecture": {"level": "low", "note": ""}, "dependencies": "",
            "options": [{"name": "Use the backup service", "cost": 2000, "weeks": "2", "tradeoffs": "None"}],
            "recommended_option": "Use the backup service", "recommendation": "It is there already.",
            "principles": [999999]});
        let (status, err) = it.put(&format!("/requests/{rid}/assessment"), assessment.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        let mut assessment = assessment;
        assessment["principles"] = json!([id]);
        let (status, saved) = it.put(&format!("/requests/{rid}/assessment"), assessment).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        let browser = app.signed_in(BUSINESS).await;
        let (_, page) = browser.text(&format!("/requests/{rid}")).await;
        assert!(
            page.contains("The principles behind these ratings") && page.contains("your data comes back within a day"),
            "{page}"
        );
        let (status, page) = browser.text("/principles").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Backups are tested every month") && page.contains("You understand this"), "{page}");
    })
    .await;
}

#[tokio::test]
async fn who_is_learning_is_counted_by_month_unit_kind_and_person() {
    on_each_demo_db(|app| async move {
        let viewer = app.api(&app.token(VIEWER).await);
        let (status, f) = viewer.get("/learning/stats").await;
        assert_eq!(status, StatusCode::OK, "{f}");
        assert_eq!(f["months"].as_array().unwrap().len(), 12);
        assert_eq!(f["kinds"].as_array().unwrap().len(), 8);
        let sum = |list: &Value, field: &str| list.as_array().unwrap().iter().map(|x| x[field].as_i64().unwrap()).sum::<i64>();
        let attended = sum(&f["months"], "attended");
        assert!(attended > 50, "the demo's year of attendance: {f}");
        assert_eq!(attended, sum(&f["kinds"], "attended"), "every attendance in one month and one kind");
        assert!(sum(&f["units"], "attended") <= attended, "units count business people only");
        assert!(sum(&f["units"], "it_led_attended") > 0, "business people came to sessions IT led");
        assert!(!f["learners"].as_array().unwrap().is_empty() && !f["presenters"].as_array().unwrap().is_empty());
        let rated = f["kinds"].as_array().unwrap().iter().filter(|k| k["average_rating"].is_number()).count();
        assert!(rated >= 3, "{f}");

        // One more business person at an IT-led session shows in their unit's figures.
        let unit = |f: &Value, id: i64| f["units"].as_array().unwrap().iter().find(|u| u["unit_id"] == id).cloned().unwrap();
        let rajesh = person_id(&app, BUSINESS).await;
        let (_, me) = viewer.get(&format!("/people/{rajesh}")).await;
        let his_unit = me["unit_id"].as_i64().unwrap();
        let before = unit(&f, his_unit);
        let it = app.api(&app.token(IT_USER).await);
        let mut showcase = brown_bag("");
        showcase["date"] = json!(day(1));
        let (_, planned) = it.post("/events", showcase).await;
        let id = planned["event"]["id"].as_i64().unwrap();
        app.db
            .execute("UPDATE events SET starts_at = starts_at - 2 * 86400000, ends_at = ends_at - 2 * 86400000 WHERE id = $1", &[bridge::store::Arg::I(id)])
            .await
            .unwrap();
        assert_eq!(it.put(&format!("/events/{id}/attendees/{rajesh}"), json!({"attended": true})).await.0, StatusCode::NO_CONTENT);
        let (_, after) = viewer.get("/learning/stats").await;
        let after = unit(&after, his_unit);
        assert_eq!(after["attended"].as_i64().unwrap(), before["attended"].as_i64().unwrap() + 1);
        assert_eq!(after["it_led_attended"].as_i64().unwrap(), before["it_led_attended"].as_i64().unwrap() + 1);

        let (status, page) = app.signed_in(VIEWER).await.text("/learning/stats").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Who is learning") && page.contains("<svg"), "{page}");
    })
    .await;
}
