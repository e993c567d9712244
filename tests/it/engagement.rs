//! Engagement as people meet it: touchpoints logged on a page and through the API, private
//! notes, every contact (a touchpoint, a message on a request, a decision) resetting its unit's
//! stay-in-touch clock, cadences set by an admin, and the losing-touch list.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::builders::{person_by_email, request};
use crate::support::*;

fn days_ago(n: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::days(n)).format("%Y-%m-%d").to_string()
}

async fn standing_of(api: &Api, unit_id: i64) -> Value {
    let (status, units) = api.get("/engagement/units").await;
    assert_eq!(status, StatusCode::OK, "{units}");
    units.as_array().unwrap().iter().find(|u| u["unit_id"] == unit_id).cloned().unwrap_or_else(|| panic!("{units}"))
}

async fn standing_of_first(api: &Api) -> Value {
    let (_, units) = api.get("/engagement/units").await;
    units[0].clone()
}

#[tokio::test]
async fn touchpoints_need_both_sides_and_reset_their_units_clock() {
    on_each_demo_db(|app| async move {
        let it = app.api(&app.token(IT_USER).await);
        let viewer = app.api(&app.token(VIEWER).await);
        let joanna = person_by_email(&it, IT_USER).await;
        let rajesh = person_by_email(&it, BUSINESS).await;
        let (_, person) = it.get(&format!("/people/{rajesh}")).await;
        let unit = person["unit_id"].as_i64().unwrap();
        let before = standing_of(&it, unit).await;

        let lunch = |people: Vec<i64>, date: String| {
            json!({"kind": "lunch", "date": date, "people": people, "note": "Talked about the spring range.",
                "private": true, "follow_ups": [{"text": "Send the stock figures", "owner_id": joanna, "due": days_ago(-7)}]})
        };
        let (status, err) = it.post("/touchpoints", lunch(vec![joanna], days_ago(3))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(err["error"]["fields"]["people"].as_str().unwrap().contains("add someone from the business"), "{err}");
        let (status, err) = it.post("/touchpoints", lunch(vec![joanna, rajesh], days_ago(-1))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(err["error"]["fields"]["date"].is_string(), "a touchpoint has happened: {err}");
        let (status, err) = it.post("/touchpoints", lunch(vec![joanna, 999_999], days_ago(3))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "unknown people: {err}");
        assert_eq!(viewer.post("/touchpoints", lunch(vec![joanna, rajesh], days_ago(3))).await.0, StatusCode::FORBIDDEN);

        let (status, logged) = it.post("/touchpoints", lunch(vec![joanna, rajesh], days_ago(3))).await;
        assert_eq!(status, StatusCode::CREATED, "{logged}");
        assert_eq!(logged["unit_id"].as_i64(), Some(unit), "the business person's unit: {logged}");
        assert_eq!(logged["note"], "Talked about the spring range.", "a participant reads the note");
        assert_eq!(logged["follow_ups"][0]["overdue"], false, "due next week");
        let (_, seen) = viewer.get(&format!("/touchpoints/{}", logged["id"])).await;
        assert!(seen["note"].is_null() && seen["people"].as_array().unwrap().len() == 2, "who met whom, not the note: {seen}");

        let after = standing_of(&it, unit).await;
        assert_eq!(after["last_contact"], json!(days_ago(3)), "{before} → {after}");
        assert_eq!(after["standing"], "in_touch");
        assert!(after["recent_contacts"].as_i64() > before["recent_contacts"].as_i64(), "{after}");
        let (_, page) = it.get(&format!("/touchpoints?person_id={rajesh}&per_page=5")).await;
        assert_eq!(page["items"][0]["id"], logged["id"], "{page}");
        // Who knows whom, and the map of units against teams.
        let (_, known) = it.get(&format!("/people/{rajesh}/contacts")).await;
        let joanna_known = known.as_array().unwrap().iter().find(|k| k["person"]["id"] == joanna).cloned();
        assert_eq!(joanna_known.map(|k| k["last_contact"].clone()), Some(json!(days_ago(3))), "{known}");
        let (_, map) = it.get("/engagement/map").await;
        let (_, joanna_person) = it.get(&format!("/people/{joanna}")).await;
        let it_team = joanna_person["team_id"].as_i64().unwrap_or(0);
        let entry = map["entries"].as_array().unwrap().iter().find(|e| e["unit_id"] == unit && e["team_id"] == it_team);
        assert!(entry.is_some_and(|e| e["days_since"].as_i64() <= Some(3)), "{map}");
        let b = app.signed_in(VIEWER).await;
        let (_, page) = b.text("/engagement/map").await;
        assert!(page.contains("<svg") && page.contains(" contacts in 12 months, the last on "), "{page}");
        let (_, page) = b.text(&format!("/people/{rajesh}")).await;
        assert!(page.contains("Knows on the other side") && page.contains("Joanna Wiśniewska"), "{page}");
        // The unit's own page: standing, a year month by month, teams, open follow-ups.
        let (status, one) = it.get(&format!("/engagement/units/{unit}")).await;
        assert_eq!(status, StatusCode::OK, "{one}");
        assert_eq!(one["months"].as_array().unwrap().len(), 12);
        let lunch_month = one["months"].as_array().unwrap().iter().find(|m| m["month"] == json!(days_ago(3)[..7])).cloned();
        assert!(lunch_month.is_some_and(|m| m["contacts"].as_i64() >= Some(1)), "the lunch's month: {one}");
        assert!(one["open_follow_ups"].as_array().unwrap().iter().any(|t| t["id"] == logged["id"]), "{one}");
        let (status, page) = b.text(&format!("/engagement/units/{unit}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Contacts over the last year") && page.contains("Send the stock figures"), "{page}");
        assert_eq!(it.get("/engagement/units/999999").await.0, StatusCode::NOT_FOUND);

        // The admin tightens the cadence: three days without contact is now past its maximum.
        let admin = app.api(&app.token(ADMIN).await);
        let path = format!("/engagement/units/{unit}/cadence");
        let version = after["version"].as_i64().unwrap();
        let (status, err) = admin.put(&path, json!({"ideal_days": 30, "max_days": 10, "version": version})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(err["error"]["fields"]["max_days"].is_string(), "{err}");
        let tight = json!({"ideal_days": 1, "max_days": 2, "it_lead_id": joanna, "version": version});
        assert_eq!(it.put(&path, tight.clone()).await.0, StatusCode::FORBIDDEN);
        let (status, set) = admin.put(&path, tight).await;
        assert_eq!(status, StatusCode::OK, "{set}");
        assert_eq!((set["standing"].as_str(), set["cadence_set"].as_bool()), (Some("red"), Some(true)), "{set}");
        let (status, _) = admin.put(&path, json!({"ideal_days": 2, "max_days": 4, "version": version})).await;
        assert_eq!(status, StatusCode::CONFLICT, "against the version read");
        let (_, mine) = it.get("/engagement/losing-touch?mine=true").await;
        let mine: Vec<i64> = mine.as_array().unwrap().iter().map(|u| u["unit_id"].as_i64().unwrap()).collect();
        assert!(mine.contains(&unit), "{mine:?}");
        let (_, all) = it.get("/engagement/losing-touch").await;
        assert!(
            all.as_array().unwrap().iter().all(|u| u["standing"] != "in_touch" || u["planning_without_it"] == true),
            "past a cadence, or planning without IT: {all}"
        );
        let b = app.signed_in(IT_USER).await;
        let (_, home) = b.text("/").await;
        assert!(home.contains("the last contact with IT was 3 days ago"), "on the IT lead's home page: {home}");

        // A message on a request from IT to its business people is a contact today.
        let submitted = bridge_domain::intake::Status::Submitted;
        let id = request().title("Footfall counters for the outlets").status(submitted).by(rajesh).create(&app.db).await;
        let (status, _) = it.post(&format!("/requests/{id}/comments"), json!({"body": "We can start next week."})).await;
        assert_eq!(status, StatusCode::CREATED);
        let now = standing_of(&it, unit).await;
        assert_eq!((now["last_contact"].clone(), now["standing"].as_str()), (json!(days_ago(0)), Some("in_touch")), "{now}");
    })
    .await;
}

#[tokio::test]
async fn a_touchpoint_is_logged_from_a_phone_by_typing_names() {
    on_each_demo_db(|app| async move {
        let b = app.signed_in(IT_USER).await;
        let (status, form) = b.text("/touchpoints/new").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            form.contains(r#"list="business-people""#) && form.contains("<datalist id=\"business-people\">"),
            "{form}"
        );
        assert!(
            form.contains("Joanna Wiśniewska (joanna.wisniewska@alderbrook.example)"),
            "the logger is filled in: {form}"
        );
        let fields = |business: &'static str| {
            vec![
                ("kind", "drop_in"),
                ("date", "2026-11-02"),
                ("it_1", "Joanna Wiśniewska (joanna.wisniewska@alderbrook.example)"),
                ("business_1", business),
                ("note", "Dropped by the stores team."),
                ("follow_text", "Share the rota"),
                ("follow_owner", "rajesh.menon@alderbrook.example"),
                ("follow_due", "2026-11-20"),
            ]
        };
        let r = b.post_form("/touchpoints", &fields("Nobody Atall")).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("f-business_1-error") && page.contains("No one in the directory is called"), "{page}");
        assert!(
            page.contains("value=\"Dropped by the stores team.\"") || page.contains(">Dropped by the stores team.<"),
            "kept: {page}"
        );
        let r = b.post_form("/touchpoints", &fields("Rajesh Menon")).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
        let (_, page) = b.text("/engagement").await;
        assert!(page.contains("Office drop-in") && page.contains("Share the rota"), "{page}");
        assert!(page.contains("Staying in touch") && page.contains("touch-"), "each unit's standing: {page}");

        // An admin sets a unit's cadence on its page; a bad one comes back beside its field.
        let admin = app.signed_in(ADMIN).await;
        let api = app.api(&app.token(ADMIN).await);
        let unit = standing_of_first(&api).await;
        let path = format!("/engagement/units/{}/cadence", unit["unit_id"]);
        let (status, form) = admin.text(&path).await;
        assert_eq!(status, StatusCode::OK, "{form}");
        let version = unit["version"].to_string();
        let r = admin.post_form(&path, &[("ideal_days", "20"), ("max_days", "5"), ("version", &version)]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("f-max_days-error") && page.contains(r#"value="20""#), "{page}");
        let r = admin.post_form(&path, &[("ideal_days", "20"), ("max_days", "40"), ("version", &version)]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, page) = admin.text("/engagement").await;
        assert!(page.contains("every 20 days, at most 40"), "{page}");
        assert_eq!(b.text(&path).await.0, StatusCode::FORBIDDEN, "admins set cadences");

        let viewer = app.signed_in(VIEWER).await;
        assert_eq!(viewer.text("/touchpoints/new").await.0, StatusCode::FORBIDDEN);
        let (status, page) = viewer.text("/engagement").await;
        assert_eq!(status, StatusCode::OK);
        assert!(!page.contains("Log a touchpoint"), "a viewer reads: {page}");
    })
    .await;
}

#[tokio::test]
async fn overdue_follow_ups_and_units_losing_touch_are_told_once() {
    on_each_demo_db(|app| async move {
        let it = app.api(&app.token(IT_USER).await);
        let joanna = person_by_email(&it, IT_USER).await;
        let rajesh = person_by_email(&it, BUSINESS).await;
        let body = json!({"kind": "meeting", "date": days_ago(20), "people": [joanna, rajesh],
            "follow_ups": [{"text": "Send the footfall figures", "owner_id": joanna, "due": days_ago(10)}]});
        let (status, logged) = it.post("/touchpoints", body).await;
        assert_eq!(status, StatusCode::CREATED, "{logged}");
        let follow_up = logged["follow_ups"][0]["id"].as_i64().unwrap();
        assert_eq!(logged["follow_ups"][0]["overdue"], true);

        // Supply Chain, kept by Nadia and in touch, turns red under a tighter cadence.
        let admin = app.api(&app.token(ADMIN).await);
        let (_, units) = admin.get("/engagement/units").await;
        let supply = units.as_array().unwrap().iter().find(|u| u["unit_name"] == "Supply Chain").unwrap().clone();
        assert_eq!(supply["standing"], "in_touch", "{supply}");
        let tight = json!({"ideal_days": 1, "max_days": 1, "relationship_manager_id": supply["relationship_manager"]["id"],
            "it_lead_id": supply["it_lead"]["id"], "version": supply["version"]});
        let (status, set) = admin.put(&format!("/engagement/units/{}/cadence", supply["unit_id"]), tight).await;
        assert_eq!((status, set["standing"].as_str()), (StatusCode::OK, Some("red")), "{set}");

        run_now(&app, "engagement.watch").await;
        run_now(&app, "engagement.watch").await;
        let (_, notices) = it.get("/notifications?per_page=50").await;
        let reminders: Vec<&Value> = notices
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["text"].as_str().unwrap().contains("Send the footfall figures"))
            .collect();
        assert_eq!(reminders.len(), 1, "reminded once: {notices}");
        assert!(reminders[0]["text"].as_str().unwrap().contains(&format!("was due on {}", days_ago(10))));
        let nadia = app.api(&app.token("nadia.petrova@alderbrook.example").await);
        let (_, hers) = nadia.get("/notifications?per_page=50").await;
        let told = |start: &str| hers.as_array().unwrap().iter().filter(|n| n["text"].as_str().unwrap().starts_with(start)).count();
        assert_eq!(told("Supply Chain: out of touch"), 1, "told once of the turn: {hers}");
        assert_eq!(told("Finance: "), 0, "the demo's drift was known already: {hers}");

        let viewer = app.api(&app.token(VIEWER).await);
        let path = format!("/follow-ups/{follow_up}");
        assert_eq!(viewer.put(&path, json!({"done": true})).await.0, StatusCode::FORBIDDEN);
        let amira = person_by_email(&admin, "amira.saleh@alderbrook.example").await;
        let (_, theirs) = admin
            .post(
                "/touchpoints",
                json!({"kind": "chat", "date": days_ago(1), "people": [amira, rajesh],
            "follow_ups": [{"text": "Not Joanna's", "owner_id": amira, "due": days_ago(-3)}]}),
            )
            .await;
        let not_hers = format!("/follow-ups/{}", theirs["follow_ups"][0]["id"]);
        assert_eq!(it.put(&not_hers, json!({"done": true})).await.0, StatusCode::FORBIDDEN, "not hers: {theirs}");
        let (status, done) = it.put(&path, json!({"done": true})).await;
        assert_eq!(status, StatusCode::OK, "{done}");
        assert_eq!((done["done"].as_bool(), done["overdue"].as_bool()), (Some(true), Some(false)));

        let b = app.signed_in(IT_USER).await;
        let (_, page) = b.text("/engagement").await;
        assert!(
            page.contains(&format!(r#"action="/follow-ups/{follow_up}""#)) && page.contains("Not done yet"),
            "{page}"
        );
        let r = b.post_form(&format!("/follow-ups/{follow_up}"), &[("done", "no")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, again) = it.get(&format!("/touchpoints/{}", logged["id"])).await;
        assert_eq!(again["follow_ups"][0]["done"], false, "{again}");
    })
    .await;
}
