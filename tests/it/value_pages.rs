//! Value as people and BI tools meet it: KPI pages with charts, recording and importing
//! measurements, the portfolio and its CSV, setting an initiative's targets from its page, and
//! the money an initiative has realised.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::*;

fn upload(b: &Browser, app: &TestApp, path: &str, kpi: Option<&str>, data: &str) -> reqwest::RequestBuilder {
    let mut form = reqwest::multipart::Form::new().text("_csrf", b.csrf.clone());
    if let Some(k) = kpi {
        form = form.text("kpi", k.to_string());
    }
    let form = form.part("file", reqwest::multipart::Part::bytes(data.as_bytes().to_vec()).file_name("m.csv"));
    b.client.post(app.url(path)).multipart(form)
}

#[tokio::test]
async fn kpi_pages_chart_record_and_import_measurements() {
    on_each_demo_db(|app| async move {
        let b = app.signed_in(BUSINESS).await;
        let (status, list) = b.text("/kpis").await;
        assert_eq!(status, StatusCode::OK);
        assert!(list.contains("Online revenue") && list.contains("Add a KPI"), "{list}");

        // A KPI form with gaps comes back with the input kept and the errors beside the fields.
        let r = b.post_form("/kpis", &[("name", "Returns handled in store"), ("unit", "money")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("value=\"Returns handled in store\"") && page.contains("f-currency-error"), "{page}");
        let r = b
            .post_form(
                "/kpis",
                &[
                    ("name", "Returns handled in store"),
                    ("definition", "Online orders returned at a store counter each week."),
                    ("unit", "count"),
                    ("benefit", "satisfaction"),
                    ("direction", "higher"),
                    ("frequency", "weekly"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let path = r.headers()["location"].to_str().unwrap().to_string();
        let id = path.rsplit('/').next().unwrap().to_string();

        let r = b.post_form(&format!("{path}/measurements"), &[("date", "2026-10-05"), ("value", "140")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, page) = b.text(r.headers()["location"].to_str().unwrap()).await;
        assert!(page.contains("Recorded: 1 new"), "{page}");
        assert!(page.contains("<svg") && page.contains("role=\"img\""), "the KPI's chart");
        assert!(page.contains("<title>2026-10-05: 140</title>"), "each point says its value on hover");
        // The same day again is refused unless it says it corrects, and the input is kept.
        let r = b.post_form(&format!("{path}/measurements"), &[("date", "2026-10-05"), ("value", "150")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("already has a value") && page.contains("value=\"150\""), "{page}");
        let r = b
            .post_form(
                &format!("{path}/measurements"),
                &[("date", "2026-10-05"), ("value", "150"), ("correction", "yes")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);

        // A file with bad rows names them by line and writes nothing.
        let bad = "date,value,note\n2026-10-12,151,\n12/10/2026,152,\n2026-10-26,lots,\n";
        let r = upload(&b, &app, "/kpis/import", Some(&id), bad).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("Line 3") && page.contains("Line 4") && !page.contains("Line 2:"), "{page}");
        let api = app.api(&app.token(BUSINESS).await);
        let (_, rows) = api.get(&format!("/kpis/{id}/measurements")).await;
        assert_eq!(rows.as_array().unwrap().len(), 1, "nothing half-imported: {rows}");
        let good = "date,value,note\n2026-10-12,151,\n2026-10-19,155,=1+1\n";
        let r = upload(&b, &app, "/kpis/import", Some(&id), good).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let csv = b.get(&format!("{path}/measurements.csv")).await.text().await.unwrap();
        assert!(csv.starts_with("date,value,note,key,recorded_by\n2026-10-05,150,"), "{csv}");
        assert!(csv.contains("2026-10-19,155,'=1+1"), "a formula-like note is kept harmless: {csv}");

        // The import page takes files naming their KPIs; the API takes the same file as its body.
        let mixed = "kpi,date,value,key\nReturns handled in store,2026-10-26,158,bi-1\nNo such KPI,2026-10-26,1,bi-2\n";
        let r = upload(&b, &app, "/kpis/import", None, mixed).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("Line 3: There is no KPI called “No such KPI”."));
        let body =
            format!("kpi,date,value,key\n{id},2026-10-26,158,bi-1\nReturns handled in store,2026-11-02,160,bi-2\n");
        let (status, done) = api.post_raw("/measurements/import", "text/csv", body.clone().into_bytes()).await;
        assert_eq!(status, StatusCode::OK, "{done}");
        assert_eq!(done, json!({"added": 2, "corrected": 0, "unchanged": 0}));
        let (_, again) = api.post_raw("/measurements/import", "text/csv", body.into_bytes()).await;
        assert_eq!(again, json!({"added": 0, "corrected": 0, "unchanged": 2}), "sent again by key: nothing changes");
        let (status, err) =
            api.post_raw("/measurements/import", "text/csv", b"date,value\n2026-11-09,1\n".to_vec()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(err["error"]["fields"]["line 2"].as_str().unwrap().contains("kpi"), "{err}");

        let viewer = app.signed_in(VIEWER).await;
        let (_, page) = viewer.text(&path).await;
        assert!(!page.contains("Record a measurement"), "a viewer reads, and records nothing");
        let r = viewer.post_form(&format!("{path}/measurements"), &[("date", "2026-11-09"), ("value", "1")]).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    })
    .await;
}

/// An approved request of the demo whose first success metric has no target yet.
pub async fn unmeasured_initiative(api: &Api) -> (i64, String) {
    let (_, all) = api.get("/initiatives?per_page=200").await;
    let i = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["status"] == "approved" && !i["not_measured"].as_array().unwrap().is_empty())
        .unwrap_or_else(|| panic!("the demo has an approved request with a metric not measured yet: {all}"))
        .clone();
    (i["request_id"].as_i64().unwrap(), i["not_measured"][0].as_str().unwrap().to_string())
}

#[tokio::test]
async fn a_success_metric_becomes_a_target_from_the_request_page() {
    on_each_demo_db(|app| async move {
        let api = app.api(&app.token(IT_USER).await);
        let (id, metric) = unmeasured_initiative(&api).await;
        let b = app.signed_in(IT_USER).await;
        let (_, page) = b.text(&format!("/requests/{id}")).await;
        assert!(
            page.contains("Not measured yet") && page.contains(&format!("/requests/{id}/targets/new?metric=")),
            "{page}"
        );
        let (status, form) = b.text(&format!("/requests/{id}/targets/new?metric={}", metric.replace(' ', "%20"))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(form.contains(&format!("value=\"{metric}\"")), "the metric is carried: {form}");

        let fields = |kpi: &str| {
            vec![
                ("kpi_id", kpi.to_string()),
                ("metric", metric.clone()),
                ("baseline", "61".to_string()),
                ("baseline_date", "2026-06-01".to_string()),
                ("kind", "increase_to".to_string()),
                ("value", "70".to_string()),
                ("target_date", "2027-06-30".to_string()),
                ("benefit_start", "delivery".to_string()),
            ]
        };
        let send = |f: Vec<(&'static str, String)>| {
            let b = &b;
            let path = format!("/requests/{id}/targets");
            async move {
                let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
                b.post_form(&path, &pairs).await
            }
        };
        let r = send(fields("")).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("f-kpi_id-error") && page.contains("value=\"70\""), "input kept: {page}");
        let (_, kpis) = api.get("/kpis").await;
        let retention =
            kpis.as_array().unwrap().iter().find(|k| k["name"] == "Customer retention").unwrap()["id"].to_string();
        let r = send(fields(&retention)).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
        let (_, initiative) = api.get(&format!("/initiatives/{id}")).await;
        assert!(!initiative["not_measured"].as_array().unwrap().iter().any(|m| *m == json!(metric)), "{initiative}");
        let target = &initiative["targets"][0];
        assert_eq!(target["kpi_name"], "Customer retention");
        assert_eq!(target["status"], "on_track", "before delivery nothing is behind: {target}");
        let (_, page) = b.text(&format!("/requests/{id}")).await;
        assert!(page.contains("Increase to 70%"), "{page}");
        let r = send(fields(&retention)).await;
        assert_eq!(r.status(), StatusCode::CONFLICT, "one target per metric");
    })
    .await;
}

#[tokio::test]
async fn an_initiative_counts_money_realised_against_its_cost() {
    on_each_demo_db(|app| async move {
        let api = app.api(&app.token(IT_USER).await);
        let (id, metric) = unmeasured_initiative(&api).await;
        let (_, kpi) = api
            .post(
                "/kpis",
                json!({"name": "Store returns revenue", "definition": "Money from exchanges at the returns desk each month.",
                    "unit": "money", "currency": "EUR", "benefit": "revenue", "direction": "higher", "frequency": "monthly"}),
            )
            .await;
        let kpi_id = kpi["id"].as_i64().unwrap();
        let (status, t) = api
            .post(
                &format!("/kpis/{kpi_id}/targets"),
                json!({"request_id": id, "metric": metric, "baseline": 1000, "baseline_date": "2026-01-31",
                    "kind": "increase_to", "value": 3000, "target_date": "2027-12-31",
                    "benefit_start": "date", "benefit_date": "2026-02-01"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{t}");
        let (_, before) = api.get(&format!("/initiatives/{id}")).await;
        let money = &before["money"];
        assert_eq!(money["realised"], 0.0, "{before}");
        let (status, _) = api
            .post(
                &format!("/kpis/{kpi_id}/measurements"),
                json!({"measurements": [
                    {"date": "2026-01-31", "value": 1000},
                    {"date": "2026-02-28", "value": 1500},
                    {"date": "2026-03-31", "value": 2000},
                ]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (_, after) = api.get(&format!("/initiatives/{id}")).await;
        let money: &Value = &after["money"];
        // 500 + 1000 gained on the baseline since the benefit started (the baseline day is not a gain).
        assert_eq!(money["realised"], 1500.0, "{after}");
        let cost = money["cost_to_date"].as_f64().unwrap();
        assert!(cost > 0.0, "the demo's request has a cost: {money}");
        let roi = money["roi"].as_f64().unwrap();
        assert!((roi - (1500.0 - cost) / cost).abs() < 1e-9, "{money}");
        assert_eq!(after["targets"][0]["progress"], 0.5);

        // The portfolio shows it, and its CSV carries the same numbers.
        let b = app.signed_in(BUSINESS).await;
        let (status, page) = b.text("/value").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Value portfolio") && page.contains("<svg") && page.contains("Invested to date"), "{page}");
        let csv = b.get("/value/portfolio.csv").await.text().await.unwrap();
        let line = csv.lines().find(|l| l.starts_with(&format!("{id},"))).unwrap_or_else(|| panic!("{csv}"));
        assert!(line.contains(",1500.00,"), "{line}");
        let (_, unit) = api.get(&format!("/requests/{id}")).await;
        let unit_id = unit["unit_id"].as_i64().unwrap();
        let (_, theirs) = api.get(&format!("/initiatives?unit_id={unit_id}")).await;
        assert!(theirs["items"].as_array().unwrap().iter().all(|i| i["unit_id"] == unit_id));
        let (_, none) = api.get("/initiatives?period=1999").await;
        assert_eq!((none["total"].as_i64(), none["items"].clone()), (Some(0), json!([])));
        let (status, _) = api.get("/initiatives/999999").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn track_records_quarters_and_the_impact_report_carry_the_history() {
    on_each_demo_db(|app| async move {
        let api = app.api(&app.token(BUSINESS).await);
        let (_, all) = api.get("/initiatives?per_page=200").await;
        let i = all["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| !i["targets"].as_array().unwrap().is_empty() && i["sponsor_id"].is_i64())
            .unwrap()
            .clone();
        let (id, sponsor) = (i["request_id"].as_i64().unwrap(), i["sponsor_id"].as_i64().unwrap());
        let (status, record) = api.get(&format!("/track-record?sponsor_id={sponsor}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(record["initiatives"].as_i64().unwrap() >= 1, "{record}");
        let sentence = record["sentence"].as_str().unwrap().to_string();
        assert!(sentence.contains("running") || sentence.contains("achieved"), "{record}");
        let (status, _) = api.get(&format!("/track-record?sponsor_id={sponsor}&unit_id=1")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "one record at a time");
        let (_, none) = api.get("/track-record?team_id=999999").await;
        assert_eq!(none["initiatives"], 0);

        let b = app.signed_in(BUSINESS).await;
        let (_, page) = b.text(&format!("/requests/{id}")).await;
        assert!(page.contains("s track record:</strong>"), "beside the request: {page}");
        assert!(page.contains("planned and measured, by quarter"), "each target split by quarter");
        let (_, queue) = b.text(&format!("/requests?sponsor_id={sponsor}&status=")).await;
        assert!(queue.contains("Record: "), "beside their requests in the queue: {queue}");
        let (_, units) = b.text("/units").await;
        assert!(units.contains("Track record") && units.contains(" running: "), "each unit's record: {units}");
        let (status, _) = b.text("/teams").await;
        assert_eq!(status, StatusCode::OK);

        // The impact report for this quarter has the reviews the demo's sponsors confirmed today.
        let (status, report) = b.text("/value/report").await;
        assert_eq!(status, StatusCode::OK);
        assert!(report.contains("What IT delivered") && report.contains("What it moved"), "{report}");
        assert!(report.contains("confirmed by") && report.contains("Disputed"), "{report}");
        let (_, empty) = b.text("/value/report?period=1999-Q1").await;
        assert!(empty.contains("No value review was confirmed in this period."), "{empty}");

        // A KPI's definition is checked for the business reader: IT's words are explained.
        let (_, kpi) = api
            .post(
                "/kpis",
                json!({"name": "Orders through the API", "definition": "Orders that partners send through our API each week.",
                    "unit": "count", "benefit": "revenue", "direction": "higher", "frequency": "weekly"}),
            )
            .await;
        let (_, page) = b.text(&format!("/kpis/{}", kpi["id"])).await;
        assert!(page.contains(r#"<span class="term" tabindex="0"><span class="term-word">API</span>"#), "{page}");
    })
    .await;
}
