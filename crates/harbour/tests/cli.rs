//! The `harbour` command as an operator uses it: set up, add accounts, issue tokens, serve.
//! Each test runs on SQLite (the data dir's own file) and on a fresh PostgreSQL database.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};

fn harbour(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_harbour")).args(args).env("HARBOUR_LOG", "warn").output().expect("run harbour")
}

fn harbour_with_stdin(args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_harbour"))
        .args(args)
        .env("HARBOUR_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run harbour");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `--data-dir DIR` and, for PostgreSQL, `--database-url URL`.
async fn store_args(postgres: bool, dir: &tempfile::TempDir) -> Vec<String> {
    let mut args = vec!["--data-dir".to_string(), dir.path().display().to_string()];
    if postgres {
        args.push("--database-url".into());
        args.push(harbour_testkit::fresh_postgres_database().await);
    }
    args
}

/// The database URL the `store_args` point at.
fn database_url_of(store: &[String], dir: &tempfile::TempDir) -> String {
    store
        .iter()
        .skip_while(|a| *a != "--database-url")
        .nth(1)
        .cloned()
        .unwrap_or_else(|| harbour_store::Store::sqlite_url(dir.path()))
}

fn with<'a>(head: &[&'a str], store: &'a [String]) -> Vec<&'a str> {
    head.iter().copied().chain(store.iter().map(String::as_str)).collect()
}

async fn accounts_and_tokens(postgres: bool) {
    let dir = tempfile::tempdir().unwrap();
    let store = store_args(postgres, &dir).await;
    let migrated = harbour(&with(&["migrate"], &store));
    assert!(migrated.status.success(), "{}", stderr(&migrated));
    // No organisations yet: adding a user names the missing one and changes nothing.
    let early =
        harbour(&with(&["user", "add", "--org", "bcp-childrens", "--role", "admin", "--name", "early"], &store));
    assert!(!early.status.success());
    assert!(stderr(&early).contains("no organisation \"bcp-childrens\""), "{}", stderr(&early));
    let demo = harbour(&with(&["demo"], &store));
    assert!(demo.status.success(), "{}", stderr(&demo));
    assert!(stdout(&demo).contains("sw.demo"));
    let again = harbour(&with(&["demo"], &store));
    assert!(!again.status.success(), "demo data goes only into an empty database");

    let add = harbour(&with(
        &[
            "user",
            "add",
            "--org",
            "bcp-childrens",
            "--role",
            "practitioner",
            "--name",
            "cli.worker",
            "--team",
            "Assessment and Intervention 1",
            "--token",
        ],
        &store,
    ));
    assert!(add.status.success(), "{}", stderr(&add));
    let out = stdout(&add);
    let token = out.lines().last().unwrap();
    assert!(token.starts_with("hbr_") && token.len() > 40, "the token is the last line: {out}");
    let issued = harbour(&with(&["token", "issue", "--user", "cli.worker"], &store));
    assert!(issued.status.success(), "{}", stderr(&issued));
    let second = stdout(&issued).lines().last().unwrap().to_string();
    assert!(second.starts_with("hbr_") && second != token);

    // A password comes only on standard input, never on the command line.
    let short = harbour_with_stdin(
        &with(
            &["user", "add", "--org", "bcp-childrens", "--role", "dpo", "--name", "pw.user", "--password-stdin"],
            &store,
        ),
        "too short\n",
    );
    assert!(!short.status.success() && stderr(&short).contains("at least 12 characters"));
    let long = harbour_with_stdin(
        &with(
            &["user", "add", "--org", "bcp-childrens", "--role", "dpo", "--name", "pw.user", "--password-stdin"],
            &store,
        ),
        "a long enough passphrase\n",
    );
    assert!(long.status.success(), "{}", stderr(&long));
    let url = database_url_of(&store, &dir);
    let keys = harbour_store::Keyring::load_or_create(dir.path()).unwrap();
    let opened = harbour_store::Store::open(&url, keys).await.unwrap();
    let creds = opened.credentials("pw.user").await.unwrap().unwrap();
    let hash = creds.password_hash.unwrap();
    assert!(hash.starts_with("$argon2id$"));
    assert!(harbour_app::actor::verify_password(&hash, "a long enough passphrase"));
    let with_token = opened.user_by_token(&harbour_app::actor::digest(token)).await.unwrap();
    assert_eq!(with_token.unwrap().username, "cli.worker", "the printed token signs in as the new user");
    opened.close().await;

    for (args, needle) in [
        (vec!["user", "add", "--org", "bcp-childrens", "--role", "wizard", "--name", "x.y"], "unknown role"),
        (
            vec!["user", "add", "--org", "bcp-childrens", "--role", "practitioner", "--name", "cli.worker"],
            "cannot add user",
        ),
        (vec!["user", "add", "--org", "bcp-childrens", "--role", "practitioner", "--name", "Bad Name"], "username"),
        (vec!["token", "issue", "--user", "nobody"], "no user named"),
    ] {
        let o = harbour(&with(&args, &store));
        assert!(!o.status.success(), "{args:?} should fail");
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
    }
}

#[tokio::test]
async fn accounts_and_tokens_on_sqlite() {
    accounts_and_tokens(false).await;
}

#[tokio::test]
async fn accounts_and_tokens_on_postgres() {
    accounts_and_tokens(true).await;
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `harbour serve --demo` on a free port and returns it with its URL and output so far.
fn serve_demo(store: &[String]) -> (Server, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_harbour"))
        .args(with(&["serve", "--demo", "--listen", "127.0.0.1:0"], store))
        .env("HARBOUR_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start harbour serve");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = String::new();
    let server = Server(child);
    for line in lines.by_ref() {
        let line = line.unwrap();
        seen.push_str(&line);
        seen.push('\n');
        if let Some(url) = line.strip_prefix("Harbour is running at ") {
            let url = url.trim_end_matches('/').to_string();
            std::thread::spawn(move || lines.for_each(drop));
            return (server, url, seen);
        }
    }
    panic!("harbour serve exited before listening:\n{seen}");
}

async fn serve_with_demo_data(postgres: bool) {
    let dir = tempfile::tempdir().unwrap();
    let store = store_args(postgres, &dir).await;
    let (server, url, printed) = serve_demo(&store);
    for login in [
        "sw.demo",
        "tm.demo",
        "mash.demo",
        "dpo.demo",
        "cg.demo",
        "records.demo",
        "police.demo",
        "school.demo",
        "panel.demo",
        "auditor.demo",
        "admin.demo",
    ] {
        assert!(printed.contains(login), "{login} not listed:\n{printed}");
    }
    assert!(printed.contains("Loaded demo data"));
    let health = reqwest::get(format!("{url}/healthz")).await.unwrap();
    assert_eq!(health.status(), 200);
    let login = reqwest::get(format!("{url}/login")).await.unwrap();
    assert_eq!(login.status(), 200);
    drop(server);
    if !postgres {
        // SQLite file header bytes 18 and 19 are 2 when the database is in WAL mode.
        let header = std::fs::read(dir.path().join("harbour.db")).unwrap();
        assert_eq!((header[18], header[19]), (2, 2), "the SQLite database runs in WAL mode");
        use std::os::unix::fs::PermissionsExt;
        let key = std::fs::metadata(dir.path().join("keys/master.key")).unwrap();
        assert_eq!(key.permissions().mode() & 0o777, 0o600, "only the owner may read the master key");
        assert_eq!(key.len(), 32);
    }
    // A second start finds the data and does not load it twice.
    let (_server, _, printed) = serve_demo(&store);
    assert!(!printed.contains("Loaded demo data"), "{printed}");
    assert!(printed.contains("sw.demo"));
}

#[tokio::test]
async fn serve_demo_on_sqlite() {
    serve_with_demo_data(false).await;
}

#[tokio::test]
async fn serve_demo_on_postgres() {
    serve_with_demo_data(true).await;
}

async fn tamper(store: &[String], dir: &tempfile::TempDir, statement: &str) {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let url = database_url_of(store, dir);
    let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
    sqlx::query(statement).execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
}

async fn ledger_verify_and_witness(postgres: bool) {
    let dir = tempfile::tempdir().unwrap();
    let store = store_args(postgres, &dir).await;
    assert!(harbour(&with(&["demo"], &store)).status.success());
    let sth = harbour(&with(&["ledger", "sth"], &store));
    assert!(sth.status.success(), "{}", stderr(&sth));
    let head: serde_json::Value = serde_json::from_str(&stdout(&sth)).expect("the head is JSON");
    let size = head["tree_size"].as_u64().unwrap();
    assert!(size > 100, "the demo data's events are in the ledger");
    let saved = dir.path().join("sth.json");
    std::fs::write(&saved, stdout(&sth)).unwrap();

    let ok = harbour(&with(&["ledger", "verify"], &store));
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(stdout(&ok).contains(&format!("ledger ok: {size} entries")));
    let witnessed = harbour(&with(&["ledger", "verify", "--against", saved.to_str().unwrap()], &store));
    assert!(witnessed.status.success(), "{}", stderr(&witnessed));

    tamper(&store, &dir, "UPDATE audit_events SET purpose = 'edited' WHERE leaf_index = 42").await;
    let bad = harbour(&with(&["ledger", "verify"], &store));
    assert!(!bad.status.success());
    assert!(stdout(&bad).contains("first bad entry: 42"), "{}", stdout(&bad));
    assert!(stderr(&bad).contains("tampered"));

    // Put it back, then cut the tail of the log and every trace of it: only the saved head shows it.
    let dir2 = tempfile::tempdir().unwrap();
    let store2 = store_args(postgres, &dir2).await;
    assert!(harbour(&with(&["demo"], &store2)).status.success());
    let sth2 = harbour(&with(&["ledger", "sth"], &store2));
    let saved2 = dir2.path().join("sth.json");
    std::fs::write(&saved2, stdout(&sth2)).unwrap();
    let n: u64 = serde_json::from_str::<serde_json::Value>(&stdout(&sth2)).unwrap()["tree_size"].as_u64().unwrap();
    // `ledger sth` signed one head covering everything; the attacker removes it and the last entry.
    tamper(&store2, &dir2, &format!("DELETE FROM audit_events WHERE leaf_index = {}", n - 1)).await;
    tamper(&store2, &dir2, &format!("DELETE FROM ledger_nodes WHERE level = 0 AND idx = {}", n - 1)).await;
    tamper(&store2, &dir2, &format!("DELETE FROM ledger_heads WHERE tree_size = {n}")).await;
    let against = harbour(&with(&["ledger", "verify", "--against", saved2.to_str().unwrap()], &store2));
    assert!(!against.status.success(), "{}", stdout(&against));
    assert!(stderr(&against).contains("truncated"), "{}", stderr(&against));
    let bad_file = dir2.path().join("not-a-head.json");
    std::fs::write(&bad_file, "{}").unwrap();
    let garbage = harbour(&with(&["ledger", "verify", "--against", bad_file.to_str().unwrap()], &store2));
    assert!(!garbage.status.success() && stderr(&garbage).contains("not a signed tree head"));
}

#[tokio::test]
async fn ledger_verify_and_witness_on_sqlite() {
    ledger_verify_and_witness(false).await;
}

#[tokio::test]
async fn ledger_verify_and_witness_on_postgres() {
    ledger_verify_and_witness(true).await;
}

#[test]
fn sar_deadline_prints_the_due_date_and_the_days_it_skips() {
    // Christmas Day 2026 is a Friday; Boxing Day's substitute is Monday 28 December.
    let out = harbour(&["sar", "deadline", "--received", "2026-11-25"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("2026-12-29"));
    assert_eq!(lines.next(), Some("not 2026-12-25: Christmas Day"));
    // The clock starts when the identity arrives; an extension runs three months from then.
    let out = harbour(&["sar", "deadline", "--received", "2026-03-01", "--id-received", "2026-03-10", "--extended"]);
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().next(), Some("2026-06-10"));
    // A day the council is closed moves it on.
    let out = harbour(&["sar", "deadline", "--received", "2026-11-25", "--closed-on", "2026-12-29"]);
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().next(), Some("2026-12-30"));
    // A date that does not exist is refused with a message, not a panic.
    let out = harbour(&["sar", "deadline", "--received", "2026-02-30"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2026-02-30"));
    assert!(out.stdout.is_empty());
}

#[test]
fn redact_reads_json_lines_and_writes_spans_in_characters() {
    let input = concat!(
        r#"{"id": 1, "text": "Zoë (DOB 12/03/2015) lives at 14 Oak Tree Road, BH1 1AA", "known_people": ["Zoë Walker"]}"#,
        "\n",
        r#"{"id": "b", "text": "Home visit on 12/03/2025; nothing else."}"#,
        "\n"
    );
    let out = harbour_with_stdin(&["redact"], input);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], 1);
    assert_eq!(
        lines[0]["spans"],
        serde_json::json!([[0, 3, "NAME"], [9, 19, "DATE_OF_BIRTH"], [30, 46, "ADDRESS"], [48, 55, "POSTCODE"]])
    );
    assert_eq!(lines[1], serde_json::json!({"id": "b", "spans": []}));
    // A line that is not a note: a message naming the line, a failure, and nothing written.
    let out = harbour_with_stdin(&["redact"], "{\"id\": 1, \"text\": \"x\"}\n{\"id\": 2}\n");
    assert!(!out.status.success());
    assert!(stderr(&out).contains("line 2"), "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "nothing is written unless every line can be read");
}
