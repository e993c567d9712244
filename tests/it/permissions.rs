//! Every route's permissions, as `docs/permissions.md` writes them down: each API operation of the
//! OpenAPI document and each page route the server registers is tried as every role and as
//! nobody, with the author/sponsor/owner variants, and must answer what the table says. A refused
//! write must change nothing. A route without a row in the table fails the test.

use std::collections::{BTreeSet, HashMap};

use bridge::store::Db;
use bridge_domain::audit::Actor;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::builders::{self, person};
use crate::support::*;
use bridge_domain::intake::Status;

const DOC: &str = include_str!("../../docs/permissions.md");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cell {
    Yes,
    No,
    Own,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Who {
    Admin,
    It,
    Business,
    Viewer,
    Nobody,
}

const EVERYONE: [Who; 5] = [Who::Admin, Who::It, Who::Business, Who::Viewer, Who::Nobody];

impl Who {
    fn email(self) -> Option<&'static str> {
        match self {
            Who::Admin => Some(ADMIN),
            Who::It => Some(IT_USER),
            Who::Business => Some(BUSINESS),
            Who::Viewer => Some(VIEWER),
            Who::Nobody => None,
        }
    }
}

struct Row {
    method: String,
    path: String,
    cells: HashMap<Who, Cell>,
}

/// The rows of the tables in `docs/permissions.md`: `| \`METHOD /path\` | admin | it | business | viewer | nobody |`.
fn documented() -> Vec<Row> {
    DOC.lines()
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('|').map(str::trim).collect();
            let route = cols.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            let (method, path) = route.split_once(' ')?;
            let cells = EVERYONE
                .iter()
                .zip(&cols[2..7])
                .map(|(who, c)| {
                    let cell = match *c {
                        "yes" => Cell::Yes,
                        "no" => Cell::No,
                        "own" => Cell::Own,
                        other => panic!("unknown cell {other:?} in {line}"),
                    };
                    (*who, cell)
                })
                .collect();
            Some(Row { method: method.into(), path: path.into(), cells })
        })
        .collect()
}

/// One signed-in person: their page session, their API token, their entry and account.
struct Person {
    browser: Browser,
    api: Api,
    person_id: i64,
    account_id: i64,
}

/// The things a route's `{id}` points at: made new for each route, so a destructive call on one
/// route leaves the others their own.
struct Fixtures {
    person: i64,
    job: i64,
    webhook: i64,
    import: i64,
    unit: i64,
    team: i64,
    term: i64,
    account: i64,
    request_by_other: i64,
    request_by: HashMap<Who, i64>,
    /// A message by each role on their own request, and one by someone else on theirs.
    comment_by: HashMap<Who, i64>,
    comment_by_other: i64,
    kpi: i64,
    /// A value review waiting on each role's own request, and one on someone else's.
    review_by: HashMap<Who, i64>,
    review_by_other: i64,
    target: i64,
    touchpoint: i64,
    follow_up_by: HashMap<Who, i64>,
    follow_up_by_other: i64,
    embedding: i64,
    /// Office hours kept by the probe person, and a booking of them by each role and by the probe.
    office_hours: i64,
    booking_by: HashMap<Who, i64>,
    booking_by_other: i64,
    /// An event under way hosted by each role (who also came), and one hosted by the probe.
    event_by: HashMap<Who, i64>,
    event_by_other: i64,
    radar_entry: i64,
    quadrant: i64,
    principle: i64,
    question: i64,
    token_of: HashMap<Who, i64>,
}

async fn fixtures(app: &TestApp, people: &HashMap<Who, Person>, n: usize) -> Fixtures {
    let db = &app.db;
    let cli = Actor::cli();
    let person = person(&format!("Probe Person {n}")).create(db).await;
    let name = format!("Probe {n}");
    let unit = db.create_group(&cli, bridge::store::org::GroupKind::Unit, &name, "").await.unwrap();
    let team = db.create_group(&cli, bridge::store::org::GroupKind::Team, &name, "").await.unwrap();
    let entry = bridge_domain::language::validate_term(&bridge_domain::language::TermInput {
        term: format!("Probeterm{n}"),
        side: "it".into(),
        definition: "A word used only by the permission test.".into(),
        ..Default::default()
    })
    .unwrap();
    let term = db.create_term(&cli, &entry).await.unwrap();
    let mut request_by = HashMap::new();
    let mut token_of = HashMap::new();
    for who in [Who::Admin, Who::It, Who::Business, Who::Viewer] {
        let p = &people[&who];
        request_by.insert(who, builders::request().status(Status::Submitted).by(p.person_id).create(db).await);
        bridge::ops::accounts::create_token(db, &cli, p.account_id, "probe", None).await.unwrap();
        let newest = db.list_tokens(Some(p.account_id)).await.unwrap().into_iter().map(|t| t.id).max().unwrap();
        token_of.insert(who, newest);
    }
    let request_by_other = builders::request().status(Status::Submitted).by(person).create(db).await;
    let comment = |on: i64, by: i64| async move {
        let c = bridge::store::comments::NewComment {
            subject: bridge::store::comments::Subject::Request,
            subject_id: on,
            author_id: Some(by),
            author_side: "business",
            body: "A probe message.",
            mentions: &[],
            at: bridge::store::now_ms(),
            summary: "Probe".into(),
        };
        db.add_comment(&Actor::cli(), &c, |_| vec![]).await.unwrap()
    };
    let mut comment_by = HashMap::new();
    for who in [Who::Admin, Who::It, Who::Business, Who::Viewer] {
        comment_by.insert(who, comment(request_by[&who], people[&who].person_id).await);
    }
    let comment_by_other = comment(request_by_other, person).await;
    let kpi_input = bridge_domain::value::KpiInput {
        name: format!("Probe KPI {n}"),
        definition: "A number only the permission test keeps.".into(),
        unit: "count".into(),
        benefit: "other".into(),
        direction: "higher".into(),
        frequency: "monthly".into(),
        ..Default::default()
    };
    let kpi = db.create_kpi(&cli, &bridge_domain::value::validate_kpi(&kpi_input).unwrap()).await.unwrap();
    let target_input = bridge_domain::value::TargetInput {
        baseline: "10".into(),
        baseline_date: "2026-01-01".into(),
        kind: "increase_to".into(),
        value: "20".into(),
        target_date: "2027-01-01".into(),
        benefit_start: "delivery".into(),
        ..Default::default()
    };
    let target = bridge_domain::value::validate_target(&target_input, bridge_domain::value::Unit::Count).unwrap();
    let target = db.create_target(&cli, &db.get_kpi(kpi).await.unwrap(), None, &target).await.unwrap();
    // The probe person was added just now: the directory looks again.
    app.state.directory.invalidate();
    let directory = app.state.directory.get(db).await.unwrap();
    let probe = bridge_domain::engagement::TouchpointInput {
        kind: "chat".into(),
        date: "2026-01-05".into(),
        people: vec![people[&Who::Business].person_id, people[&Who::It].person_id],
        ..Default::default()
    };
    let touchpoint =
        bridge::ops::engagement::log_touchpoint(db, &directory, &bridge::ops::Caller::cli(), &probe).await.unwrap().id;
    // A follow-up on a touchpoint between two people: for "own", one of them is the caller.
    let follow_up = |people: Vec<i64>| {
        let directory = &directory;
        async move {
            let input = bridge_domain::engagement::TouchpointInput {
                kind: "chat".into(),
                date: "2026-01-05".into(),
                follow_ups: vec![bridge_domain::engagement::FollowUpInput {
                    text: "Probe".into(),
                    owner_id: Some(people[0]),
                    due: "2026-02-01".into(),
                }],
                people,
                ..Default::default()
            };
            let cli = bridge::ops::Caller::cli();
            let id = bridge::ops::engagement::log_touchpoint(db, directory, &cli, &input).await.unwrap().id;
            db.get_touchpoint(id).await.unwrap().follow_ups[0].id
        }
    };
    let admin_person = people[&Who::Admin].person_id;
    let mut follow_up_by = HashMap::new();
    follow_up_by.insert(Who::Business, follow_up(vec![people[&Who::Business].person_id, admin_person]).await);
    follow_up_by.insert(Who::It, follow_up(vec![people[&Who::It].person_id, person]).await);
    let follow_up_by_other = follow_up(vec![person, admin_person]).await;
    let it_person = people[&Who::It].person_id;
    let embedding = bridge_domain::engagement::ValidEmbedding {
        person_id: it_person,
        unit_id: unit,
        kind: bridge_domain::engagement::EmbeddingKind::Embedded,
        from: bridge_domain::intake::parse::Date::parse("2026-01-05").unwrap(),
        until: None,
        purpose: "Probe".into(),
    };
    let embedding = db.create_embedding(&cli, &embedding).await.unwrap();
    let hours = bridge_domain::engagement::OfficeHours {
        weekday: 0,
        start_minute: 600,
        end_minute: 900,
        slot_minutes: 30,
        place: "Probe room".into(),
        from: bridge_domain::intake::parse::Date::parse("2026-01-05").unwrap(),
        until: None,
    };
    let office_hours = db.create_office_hours(&cli, person, &hours).await.unwrap();
    let cli_ref = &cli;
    let book = |booker: i64, k: i64| async move {
        let slot =
            bridge::store::engagement::Slot { office_hours_id: office_hours, day: 40_000 + k, start_minute: 600 };
        db.book_slot(cli_ref, slot, booker, "", None, false).await.unwrap()
    };
    let mut booking_by = HashMap::new();
    for (k, who) in [Who::Admin, Who::It, Who::Business, Who::Viewer].into_iter().enumerate() {
        booking_by.insert(who, book(people[&who].person_id, k as i64).await);
    }
    let booking_by_other = book(person, 9).await;
    let event = |host: i64| async move {
        let now = bridge::store::now_ms();
        let e = bridge_domain::learning::ValidEvent {
            kind: bridge_domain::learning::EventKind::BrownBag,
            title: "Probe event".into(),
            description: "Probe".into(),
            audience: bridge_domain::learning::Audience::Everyone,
            time_zone: "UTC".into(),
            place: "Probe room".into(),
            link: String::new(),
            host_id: host,
            speakers: vec![],
            capacity: None,
            sessions: vec![(now - 3_600_000, now + 3_600_000)],
        };
        let id = db.create_events(cli_ref, &e).await.unwrap()[0];
        db.check_in(cli_ref, id, host, true).await.unwrap();
        id
    };
    let mut event_by = HashMap::new();
    for who in [Who::Admin, Who::It, Who::Business, Who::Viewer] {
        event_by.insert(who, event(people[&who].person_id).await);
    }
    let event_by_other = event(person).await;
    let quadrant = db.quadrants().await.unwrap()[0].id;
    let entry = bridge_domain::learning::radar::ValidEntry {
        name: format!("Probe technology {n}"),
        quadrant_id: quadrant,
        ring: bridge_domain::learning::radar::Ring::Adopt,
        business_use: "Probe".into(),
        examples: String::new(),
        owner_id: None,
        explorer_id: None,
        showcase_event_id: None,
        reason: "Probe".into(),
        unit_ids: vec![],
        request_ids: vec![],
        event_ids: vec![],
    };
    let write = bridge::store::learning::radar::EntryWrite {
        entry,
        published: true,
        existing: None,
        moved_from: Some(None),
        at: bridge::store::now_ms(),
    };
    let radar_entry = db.write_radar_entries(&cli, &[write], "Probe").await.unwrap()[0];
    let principle = bridge_domain::learning::principles::ValidPrinciple {
        title: format!("Probe principle {n}"),
        kind: bridge_domain::learning::principles::PrincipleKind::Security,
        statement: "Probe".into(),
        why_it_matters: "Probe".into(),
        example: "Probe".into(),
    };
    let principle = db.save_principle(&cli, None, &principle).await.unwrap();
    let question = db.ask(&cli, principle, person, "Probe?").await.unwrap();
    let review = |on: i64| async move { db.add_review(on, 30, 20_000, &[]).await.unwrap().unwrap() };
    let mut review_by = HashMap::new();
    for who in [Who::Admin, Who::It, Who::Business, Who::Viewer] {
        review_by.insert(who, review(request_by[&who]).await);
    }
    let review_by_other = review(request_by_other).await;
    // A job that failed for good, for the jobs routes (due far ahead: no worker takes it first).
    let new_job = bridge::store::jobs::NewJob {
        kind: "test.fail".into(),
        payload: "{}".into(),
        run_at: i64::MAX / 2,
        max_attempts: 1,
    };
    let job = db.enqueue(&new_job).await.unwrap();
    db.execute("UPDATE jobs SET state = 'failed', attempts = 1 WHERE id = $1", &[job.into()]).await.unwrap();
    // An endpoint switched off, at an address where nothing listens.
    let input = bridge_domain::webhooks::EndpointInput {
        name: format!("Probe hook {n}"),
        url: "http://127.0.0.1:9/hook".into(),
        format: "json".into(),
        events: vec!["request.submitted".into()],
        active: false,
    };
    let webhook = db.create_endpoint(&cli, &input.check().unwrap(), "whsec_probe").await.unwrap();
    let import = db.record_import(&cli, "Jira", &[], &[], 0).await.unwrap();
    Fixtures {
        job,
        webhook,
        import,
        person,
        unit,
        team,
        term,
        account: people[&Who::Viewer].account_id,
        request_by_other,
        request_by,
        comment_by,
        comment_by_other,
        kpi,
        review_by,
        review_by_other,
        target,
        touchpoint,
        follow_up_by,
        follow_up_by_other,
        embedding,
        office_hours,
        booking_by,
        booking_by_other,
        event_by,
        event_by_other,
        radar_entry,
        quadrant,
        principle,
        question,
        token_of,
    }
}

/// The path with its `{…}` filled: with the caller's own thing when `own`, else someone else's.
fn fill(path: &str, f: &Fixtures, people: &HashMap<Who, Person>, who: Who, own: bool) -> String {
    let segments: Vec<&str> = path.split('/').collect();
    let mut out = Vec::new();
    for (i, seg) in segments.iter().enumerate() {
        let value = match *seg {
            "{id}" => match segments[i - 1] {
                "people" if own => people[&who].person_id,
                "people" => f.person,
                "units" => f.unit,
                "teams" => f.team,
                "glossary" => f.term,
                "accounts" => f.account,
                "jobs" => f.job,
                "webhooks" => f.webhook,
                "imports" => f.import,
                "kpis" => f.kpi,
                "targets" => f.target,
                "touchpoints" => f.touchpoint,
                "follow-ups" if own => f.follow_up_by[&who],
                "follow-ups" => f.follow_up_by_other,
                "embeddings" => f.embedding,
                "office-hours" => f.office_hours,
                "bookings" if own => f.booking_by[&who],
                "bookings" => f.booking_by_other,
                "entries" => f.radar_entry,
                "principles" => f.principle,
                "principle-questions" => f.question,
                "quadrants" => f.quadrant,
                "events" if own => f.event_by[&who],
                "events" => f.event_by_other,
                "initiatives" if own => f.request_by[&who],
                "initiatives" => f.request_by_other,
                "requests" if own => f.request_by[&who],
                "requests" => f.request_by_other,
                "tokens" if own => f.token_of[&who],
                // Someone else's: the admin's for the viewer, the viewer's for everyone else.
                "tokens" if who == Who::Viewer => f.token_of[&Who::Admin],
                "tokens" => f.token_of[&Who::Viewer],
                other => panic!("no fixture for {{id}} after {other} in {path}"),
            }
            .to_string(),
            "{comment_id}" if own => f.comment_by[&who].to_string(),
            "{comment_id}" => f.comment_by_other.to_string(),
            "{review_id}" if own => f.review_by[&who].to_string(),
            "{review_id}" => f.review_by_other.to_string(),
            "{target_id}" => f.target.to_string(),
            "{person_id}" => f.person.to_string(),
            "{code}" => "1.0.forged.ics".to_string(),
            "{slug}" => "value".to_string(),
            "{*path}" => "bridge.css".to_string(),
            s => s.to_string(),
        };
        out.push(value);
    }
    out.join("/")
}

/// What a route is sent: enough to reach its permission check, as each role would send it.
fn probe_json(path: &str, who: Who) -> Value {
    if path.ends_with("/transitions") {
        return json!({"action": if who == Who::It { "start_assessment" } else { "withdraw" }});
    }
    if path.ends_with("/priority") {
        return if who == Who::It { json!({"risk_reduction": 5}) } else { json!({"business_value": 5}) };
    }
    json!({})
}

fn probe_form(path: &str, who: Who) -> Vec<(&'static str, &'static str)> {
    if path.ends_with("/transition") {
        return vec![("action", if who == Who::It { "start_assessment" } else { "withdraw" })];
    }
    if path.ends_with("/priority") {
        return if who == Who::It { vec![("risk_reduction", "5")] } else { vec![("business_value", "5")] };
    }
    vec![]
}

/// Counts and versions that any write moves: a refused request must leave them all as they were.
async fn fingerprint(db: &Db) -> Vec<i64> {
    let sum_of_versions = |table: &str| format!("SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM {table}");
    let queries = [
        "SELECT COUNT(*) FROM audit_log".to_string(),
        sum_of_versions("people"),
        sum_of_versions("requests"),
        "SELECT COALESCE(MAX(updated_at), 0) FROM requests".to_string(),
        sum_of_versions("glossary_terms"),
        sum_of_versions("units"),
        sum_of_versions("teams"),
        sum_of_versions("accounts"),
        sum_of_versions("kpis"),
        "SELECT COUNT(*) FROM kpi_measurements".to_string(),
        "SELECT COUNT(*) FROM value_targets".to_string(),
        "SELECT COUNT(*) FROM api_tokens WHERE revoked_at IS NULL".to_string(),
        "SELECT COUNT(*) FROM notifications".to_string(),
        "SELECT COUNT(*) FROM comments".to_string(),
        "SELECT COUNT(*) FROM comment_versions".to_string(),
        "SELECT COUNT(*) FROM request_events".to_string(),
    ];
    let mut found = Vec::new();
    for sql in queries {
        found.push(db.count(sql, vec![]).await.unwrap());
    }
    found
}

/// Sends one probe and returns the status and, for redirects, where to.
async fn send(
    app: &TestApp,
    people: &HashMap<Who, Person>,
    method: &str,
    path: &str,
    who: Who,
) -> (StatusCode, String) {
    let method = Method::from_bytes(method.as_bytes()).unwrap();
    let api = path.starts_with("/api/");
    let client = match who {
        Who::Nobody => reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap(),
        _ if api => people[&who].api.client.clone(),
        _ => people[&who].browser.client.clone(),
    };
    if path == "/login" && method == Method::POST {
        // Signing in as a browser does, with the form's cookie-and-field pair, in a new session.
        let mut b = app.browser();
        let r = b.login(VIEWER, DEMO_PASSWORD).await;
        let location = r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        return (r.status(), location);
    }
    let mut req = client.request(method.clone(), app.url(path));
    if api {
        if who != Who::Nobody {
            req = req.bearer_auth(&people[&who].api.token);
        }
        if method != Method::GET && method != Method::DELETE {
            req = req.json(&probe_json(path, who));
        }
    } else if method == Method::POST {
        let csrf = if who == Who::Nobody { String::new() } else { people[&who].browser.csrf.clone() };
        if path.ends_with("/import") {
            let form = reqwest::multipart::Form::new()
                .text("_csrf", csrf)
                .part("file", reqwest::multipart::Part::bytes(b"name,email\n".to_vec()).file_name("x.csv"));
            req = req.multipart(form);
        } else {
            let mut fields = probe_form(path, who);
            fields.push(("_csrf", &csrf));
            req = req.form(&fields);
        }
    }
    let r = req.send().await.unwrap();
    let location = r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    (r.status(), location)
}

#[tokio::test]
async fn every_route_answers_as_documented_for_every_role() {
    on_each_demo_db(|app| async move {
        let rows = documented();
        // Every route the server has is in the table, and every row is a route the server has.
        let (_, openapi) = app.api("").get("/openapi.json").await;
        let mut served: BTreeSet<(String, String)> = BTreeSet::new();
        for (path, item) in openapi["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                served.insert((method.to_uppercase(), path.clone()));
            }
        }
        served.insert(("GET".into(), "/api/v1/openapi.json".into()));
        for (method, path) in bridge::web::site_routes().list() {
            served.insert((method.to_string(), path.clone()));
        }
        let table: BTreeSet<(String, String)> = rows.iter().map(|r| (r.method.clone(), r.path.clone())).collect();
        let missing: Vec<_> = served.difference(&table).collect();
        assert!(missing.is_empty(), "routes with no row in docs/permissions.md: {missing:?}");
        let stale: Vec<_> = table.difference(&served).collect();
        assert!(stale.is_empty(), "rows in docs/permissions.md for routes that do not exist: {stale:?}");

        let mut people = HashMap::new();
        for who in [Who::Admin, Who::It, Who::Business, Who::Viewer] {
            let email = who.email().unwrap();
            let account = app.db.find_account_by_email(email).await.unwrap().unwrap();
            people.insert(
                who,
                Person {
                    browser: app.signed_in(email).await,
                    api: app.api(&app.token(email).await),
                    person_id: account.person_id,
                    account_id: account.id,
                },
            );
        }

        let mut wrong = Vec::new();
        for (n, row) in rows.iter().enumerate() {
            let f = fixtures(&app, &people, n).await;
            let api = row.path.starts_with("/api/");
            // The most permissive role goes last, so what it changes cannot hide another's refusal.
            for who in [Who::Nobody, Who::Viewer, Who::Business, Who::It, Who::Admin] {
                let cell = row.cells[&who];
                let variants: &[(bool, bool)] = match cell {
                    Cell::Yes => &[(false, true)],
                    Cell::No => &[(false, false)],
                    Cell::Own => &[(false, false), (true, true)],
                };
                for &(own, allowed) in variants {
                    let path = fill(&row.path, &f, &people, who, own);
                    if row.method == "POST" && (row.path == "/logout" || row.path == "/login") && who != Who::Nobody {
                        // Signing in or out would end the session the other probes use.
                        continue;
                    }
                    let before = fingerprint(&app.db).await;
                    let (status, location) = send(&app, &people, &row.method, &path, who).await;
                    let after = fingerprint(&app.db).await;
                    let what = format!("{} {path} as {who:?}{}", row.method, if own { " (own)" } else { "" });
                    if status.is_server_error() {
                        wrong.push(format!("{what}: {status}"));
                    } else if allowed {
                        if status == StatusCode::FORBIDDEN
                            || status == StatusCode::UNAUTHORIZED
                            || location.starts_with("/login")
                        {
                            wrong.push(format!("{what}: refused ({status} {location}) but the table allows it"));
                        }
                    } else {
                        let refused = match (who, api) {
                            (Who::Nobody, true) => status == StatusCode::UNAUTHORIZED,
                            (Who::Nobody, false) => status == StatusCode::SEE_OTHER && location.starts_with("/login"),
                            _ => status == StatusCode::FORBIDDEN,
                        };
                        if !refused {
                            wrong.push(format!("{what}: answered {status} {location}, but the table refuses it"));
                        } else if before != after {
                            wrong.push(format!("{what}: refused but changed data ({before:?} -> {after:?})"));
                        }
                    }
                }
            }
        }
        assert!(wrong.is_empty(), "{} answers differ from docs/permissions.md:\n{}", wrong.len(), wrong.join("\n"));
    })
    .await;
}
