//! The `bridge` command as an operator uses it.

use std::process::Command;

fn bridge() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_bridge"));
    c.env_remove("BRIDGE_DATABASE_URL").env_remove("BRIDGE_CONFIG").env("BRIDGE_LOG", "error");
    for sso in ["BRIDGE_OIDC_ISSUER", "BRIDGE_OIDC_CLIENT_ID", "BRIDGE_OIDC_CLIENT_SECRET"] {
        c.env_remove(sso);
    }
    c
}

fn temp_db(name: &str) -> String {
    let dir = std::env::temp_dir().join("bridge-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("cli-{name}-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    format!("sqlite://{}", path.display())
}

#[test]
fn an_unreachable_database_gives_one_line_and_a_failure_code() {
    let out = bridge().args(["migrate", "--database", "postgres://nobody:nothing@127.0.0.1:1/none"]).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("error: cannot connect to PostgreSQL"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn a_bad_single_sign_on_setting_stops_serve_at_start_naming_the_setting() {
    let db = temp_db("sso");
    let serve = |extra: &[&str]| {
        let mut args = vec!["serve", "--listen", "127.0.0.1:0", "--database", &db];
        args.extend_from_slice(extra);
        let out = bridge().args(&args).output().unwrap();
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    let err =
        serve(&["--oidc-issuer", "http://127.0.0.1:9", "--oidc-client-id", "bridge", "--oidc-client-secret", "s"]);
    assert!(err.contains("BRIDGE_OIDC_ISSUER") && err.contains("discovery document"), "{err}");
    let err = serve(&["--oidc-issuer", "http://127.0.0.1:9", "--oidc-client-id", "bridge"]);
    assert!(err.contains("BRIDGE_OIDC_CLIENT_SECRET"), "{err}");
    let err = serve(&["--oidc-client-id", "bridge", "--oidc-client-secret", "s"]);
    assert!(err.contains("BRIDGE_OIDC_ISSUER is not set"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn admin_token_demo_and_import_commands_work() {
    let db = temp_db("commands");
    let out = bridge()
        .args([
            "admin",
            "create",
            "--email",
            "Root@Example.com",
            "--name",
            "Root User",
            "--role",
            "admin",
            "--database",
            &db,
        ])
        .env("BRIDGE_PASSWORD", "a strong password")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = bridge()
        .args(["token", "create", "--email", "root@example.com", "--name", "ci", "--database", &db])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).trim().starts_with("brg_"));
    let out = bridge()
        .args(["token", "create", "--email", "ghost@example.com", "--name", "ci", "--database", &db])
        .output()
        .unwrap();
    assert!(!out.status.success());

    // The demo only loads into an empty database.
    let out = bridge().args(["demo", "--database", &db]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("already holds people"));

    let csv = std::env::temp_dir().join(format!("bridge-tests/people-{}.csv", std::process::id()));
    std::fs::write(
        &csv,
        "name,email,side,unit,team,title,manager_email\nAda,ada@example.com,it,,,Engineer,\nBob,bob@,it,,,,\n",
    )
    .unwrap();
    let out = bridge().args(["import", "people", csv.to_str().unwrap(), "--database", &db]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 3"));
    std::fs::write(
        &csv,
        "name,email,side,unit,team,title,manager_email\nAda,ada@example.com,it,,,Engineer,root@example.com\n",
    )
    .unwrap();
    let out = bridge().args(["import", "people", csv.to_str().unwrap(), "--database", &db]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 added"));
}

#[test]
fn demo_loads_into_an_empty_database_and_prints_logins() {
    let db = temp_db("demo");
    let out = bridge().args(["demo", "--database", &db]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("bridge-demo-2026") && text.contains("Administrator") && text.contains("Viewer"));
}

#[test]
fn help_documents_the_commands() {
    let out = bridge().arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for cmd in ["serve", "migrate", "admin", "token", "demo", "import"] {
        assert!(text.contains(cmd), "{cmd} in --help");
    }
    let out = bridge().args(["serve", "--help"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("BRIDGE_LISTEN") && text.contains("--demo"));
}

#[test]
fn serve_starts_answers_and_stops_cleanly_on_sigterm() {
    use std::io::{BufRead, BufReader};
    let db = temp_db("serve");
    let mut child = bridge()
        .args(["serve", "--demo", "--listen", "127.0.0.1:0", "--database", &db])
        .env("BRIDGE_LOG_FORMAT", "json")
        .env("BRIDGE_LOG", "info")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let address = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| l.strip_prefix("Bridge is ready at ").map(|a| a.trim_end_matches('/').to_string()))
        .expect("serve says where it listens");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let status = rt.block_on(async { reqwest::get(format!("{address}/readyz")).await.unwrap().status() });
    assert_eq!(status, reqwest::StatusCode::OK);
    std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "exits cleanly on SIGTERM");
    let logs = String::from_utf8_lossy(&out.stderr);
    let first = logs.lines().next().expect("logs are written");
    let parsed: serde_json::Value = serde_json::from_str(first).expect("BRIDGE_LOG_FORMAT=json writes JSON lines");
    assert!(parsed["fields"]["message"].is_string() || parsed["message"].is_string(), "{first}");
}
