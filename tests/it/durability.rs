//! Every write the server acknowledged is still there after the server is killed (`kill -9`) in
//! the middle of a load of writes.

use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn acknowledged_creates_survive_kill_9() {
    on_each_demo_db(|app| async move {
        let token = app.token(ADMIN).await;
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let base = format!("http://127.0.0.1:{port}");
        let mut server = Command::new(env!("CARGO_BIN_EXE_bridge"))
            .args(["serve", "--database", &app.database_url, "--listen", &format!("127.0.0.1:{port}")])
            .env_remove("BRIDGE_CONFIG")
            .env("BRIDGE_LOG", "error")
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let client = reqwest::Client::new();
        let mut ready = false;
        for _ in 0..500 {
            if client.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status().is_success()) {
                ready = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(ready, "the server process started");

        // Eight writers create drafts until the server dies; each keeps the ids it was given.
        let acknowledged = Arc::new(Mutex::new(Vec::<i64>::new()));
        let writers: Vec<_> = (0..8)
            .map(|w| {
                let (client, base, token, acknowledged) =
                    (client.clone(), base.clone(), token.clone(), acknowledged.clone());
                tokio::spawn(async move {
                    for n in 0.. {
                        let body = json!({"title": format!("Durable draft {w}-{n}"), "problem": "Written under load."});
                        let sent =
                            client.post(format!("{base}/api/v1/requests")).bearer_auth(&token).json(&body).send();
                        let Ok(response) = sent.await else { break };
                        if response.status() != StatusCode::CREATED {
                            break;
                        }
                        let Ok(view) = response.json::<serde_json::Value>().await else { break };
                        acknowledged.lock().unwrap().push(view["id"].as_i64().unwrap());
                    }
                })
            })
            .collect();
        while acknowledged.lock().unwrap().len() < 200 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        server.kill().unwrap(); // SIGKILL: no shutdown, no flush
        server.wait().unwrap();
        for w in writers {
            w.await.unwrap();
        }

        let ids = acknowledged.lock().unwrap().clone();
        assert!(ids.len() >= 200);
        for id in &ids {
            let request = app.db.get_request(*id).await;
            assert!(request.is_ok(), "request {id} was acknowledged but is gone after kill -9");
        }
    })
    .await;
}
