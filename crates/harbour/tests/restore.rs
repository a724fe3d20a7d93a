//! Issue 12, item 6: a restore is nothing but a restore. After backup → destroy → restore, the
//! destruction certificate and every ledger entry logged since the backup are still there, the
//! restore itself is in the ledger, a witness's saved tree head proves the restored ledger an
//! honest extension, and the destroyed file does not come back. Driven through the `harbour`
//! command and a running `harbour serve`, on SQLite (Harbour's own backup) and on PostgreSQL
//! (pg_dump, `harbour ledger export`, pg_restore, `harbour backup reconcile --ledger`), with the
//! ledger key and the master key kept outside the data directory in the PostgreSQL run.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use serde_json::{json, Value};

fn harbour(args: &[String]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_harbour")).args(args).env("HARBOUR_LOG", "warn").output().expect("run harbour")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ok(o: Output) -> String {
    assert!(o.status.success(), "stdout: {}\nstderr: {}", out(&o), err(&o));
    out(&o)
}

/// The binaries of the PostgreSQL the suite runs (pg_dump, pg_restore).
fn pg_tool(name: &str) -> PathBuf {
    if let Ok(dirs) = std::fs::read_dir("/usr/lib/postgresql") {
        let mut found: Vec<PathBuf> =
            dirs.flatten().map(|d| d.path().join("bin").join(name)).filter(|p| p.is_file()).collect();
        found.sort();
        if let Some(p) = found.pop() {
            return p;
        }
    }
    PathBuf::from(name)
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode() & 0o777
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn serve(store: &[String]) -> (Server, String) {
    let port = free_port();
    let mut args = vec!["serve".to_string(), "--listen".into(), format!("127.0.0.1:{port}")];
    args.extend(store.iter().cloned());
    let child = Command::new(env!("CARGO_BIN_EXE_harbour"))
        .args(&args)
        .env("HARBOUR_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start harbour serve");
    let server = Server(child);
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..300 {
        if reqwest::get(format!("{base}/healthz")).await.is_ok() {
            return (server, base);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("harbour serve did not start");
}

async fn call(method: reqwest::Method, url: &str, token: &str, body: Option<Value>, want: u16) -> Value {
    let mut req = reqwest::Client::new().request(method, url).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    assert_eq!(status, want, "{url}: {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

#[allow(clippy::too_many_lines)] // one restore, step by step, with what each step must show
async fn restore_keeps_the_ledger_and_destructions(postgres: bool) {
    let data = tempfile::tempdir().unwrap();
    let secrets = tempfile::tempdir().unwrap();
    let dir = data.path().join("data");
    let mut store = vec!["--data-dir".to_string(), dir.display().to_string()];
    let mut database_url = None;
    let (master_file, ledger_file) = (secrets.path().join("master.key"), secrets.path().join("ledger.key"));
    if postgres {
        let url = harbour_testkit::fresh_postgres_database().await;
        store.extend(["--database-url".to_string(), url.clone()]);
        database_url = Some(url);
        // Keys kept apart from the data they protect.
        std::fs::write(&master_file, format!("{}\n", "3c".repeat(32))).unwrap();
        std::fs::write(&ledger_file, "5e".repeat(32)).unwrap();
        store.extend(["--master-key-file".to_string(), master_file.display().to_string()]);
        store.extend(["--ledger-key-file".to_string(), ledger_file.display().to_string()]);
    }
    let with = |head: &[&str]| -> Vec<String> { head.iter().map(|s| s.to_string()).chain(store.clone()).collect() };
    ok(harbour(&with(&["demo"])));

    // Files holding case data or keys are for their owner only.
    #[cfg(unix)]
    {
        assert_eq!(mode(&dir), 0o700, "the data directory");
        assert_eq!(mode(&dir.join("keys")), 0o700, "the keys directory");
        assert_eq!(mode(&dir.join("keys/vault.db")), 0o600, "the key vault");
        if postgres {
            for own in ["keys/master.key", "keys/ledger.key", "harbour.db"] {
                assert!(!dir.join(own).exists(), "{own} was written beside the data though a file elsewhere was given");
            }
        } else {
            for f in ["harbour.db", "keys/master.key"] {
                assert_eq!(mode(&dir.join(f)), 0o600, "{f}");
            }
        }
    }

    // A file due for destruction (a complaint closed in 2012), then the backup.
    let team = {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let url = database_url.clone().unwrap_or_else(|| format!("sqlite://{}", dir.join("harbour.db").display()));
        let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
        let id: String = sqlx::query_scalar("SELECT id FROM teams WHERE name = 'Assessment and Intervention 1'")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
        id
    };
    let token =
        |user: &str| ok(harbour(&with(&["token", "issue", "--user", user]))).trim().lines().last().unwrap().to_string();
    let (hub, rm) = (token("mash.demo"), token("records.demo"));
    let (server, base) = serve(&store).await;
    let api = |p: &str| format!("{base}/api/v1{p}");
    use reqwest::Method;
    let person = json!({"given_name": "Thaddeus", "family_name": "Restorecroft", "date_of_birth": "2001-02-03",
        "gender": "male"});
    let pid = call(Method::POST, &api("/people"), &hub, Some(person), 201).await["id"].as_str().unwrap().to_string();
    let episode = json!({"record_class": "complaint", "opened_on": "2011-03-01", "team_id": team});
    let ep = call(Method::POST, &api(&format!("/people/{pid}/episodes")), &hub, Some(episode), 201).await;
    let ep = ep["id"].as_str().unwrap().to_string();
    call(Method::POST, &api(&format!("/episodes/{ep}/close")), &hub, Some(json!({"closed_on": "2012-05-31"})), 200)
        .await;

    let backup = data.path().join("backup");
    if postgres {
        let url = database_url.as_deref().unwrap();
        let dump = Command::new(pg_tool("pg_dump")).args(["-Fc", "-f"]).arg(&backup).arg(url).output().unwrap();
        assert!(dump.status.success(), "pg_dump: {}", err(&dump));
    } else {
        ok(harbour(&with(&["backup", "create", "--out", &backup.display().to_string()])));
        #[cfg(unix)]
        assert_eq!(mode(&backup), 0o600, "a backup holds case data");
    }

    // Destroyed after the backup was taken: a certificate, and entries in the ledger.
    call(Method::POST, &api("/retention/sweep"), &rm, Some(json!({})), 200).await;
    let d = call(Method::POST, &api(&format!("/retention/queue/{pid}/approve")), &rm, Some(json!({})), 200).await;
    let certificate = d["certificate"].as_str().unwrap().to_string();
    let approval = d["ledger_index"].as_u64().expect("the approval is in the ledger");
    call(Method::GET, &api(&format!("/people/{pid}")), &hub, None, 404).await;
    drop(server);

    // A witness keeps the signed tree head from after the destruction.
    let head = ok(harbour(&with(&["ledger", "sth"])));
    let head_file = data.path().join("sth.json");
    std::fs::write(&head_file, &head).unwrap();
    let head: Value = serde_json::from_str(&head).unwrap();
    let size_before = head["tree_size"].as_u64().unwrap();
    assert!(size_before > approval);

    // The restore.
    let restored = if postgres {
        let copy = data.path().join("ledger-copy.db");
        let exported = ok(harbour(&with(&["ledger", "export", "--out", &copy.display().to_string()])));
        assert!(exported.contains(&format!("ledger of {size_before} entries")), "{exported}");
        #[cfg(unix)]
        assert_eq!(mode(&copy), 0o600);
        let url = database_url.as_deref().unwrap();
        let back = Command::new(pg_tool("pg_restore"))
            .args(["--clean", "--if-exists", "--no-owner", "-d", url])
            .arg(&backup)
            .output()
            .unwrap();
        assert!(back.status.success(), "pg_restore: {}", err(&back));
        // Without the ledger copy the restored ledger is shorter: a witness's head calls it a
        // truncation, as it should (before it is reconciled).
        let short = harbour(&with(&["ledger", "verify", "--against", &head_file.display().to_string()]));
        assert!(!short.status.success(), "a rewound ledger passed the witness's head: {}", out(&short));
        // A copy that is not a ledger copy is refused, changing nothing.
        let junk = data.path().join("junk.db");
        std::fs::write(&junk, b"not a ledger").unwrap();
        let refused = harbour(&with(&["backup", "reconcile", "--ledger", &junk.display().to_string()]));
        assert!(!refused.status.success(), "{}", out(&refused));
        ok(harbour(&with(&["backup", "reconcile", "--ledger", &copy.display().to_string()])))
    } else {
        ok(harbour(&with(&["backup", "restore", &backup.display().to_string(), "--replace"])))
    };
    assert!(restored.contains("1 destruction certificate(s) were kept"), "{restored}");
    assert!(restored.contains("1 file(s) destroyed since the backup was taken were dropped"), "{restored}");

    // The ledger: every entry kept, the restore appended, and the witness's head still proves
    // it an honest extension.
    let verified = ok(harbour(&with(&["ledger", "verify", "--against", &head_file.display().to_string()])));
    assert!(verified.contains("consistent"), "{verified}");
    let after: Value = serde_json::from_str(&ok(harbour(&with(&["ledger", "sth"])))).unwrap();
    assert!(after["tree_size"].as_u64().unwrap() > size_before, "{after}");
    // The certificate and the destroyed file.
    let cert = ok(harbour(&with(&["retention", "certificate", &certificate])));
    assert!(cert.contains(&certificate) && cert.contains(&format!("ledger entry {approval}")), "{cert}");
    assert!(!cert.contains("Restorecroft"));
    {
        use sqlx::Connection;
        let url = database_url.clone().unwrap_or_else(|| format!("sqlite://{}", dir.join("harbour.db").display()));
        let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
        let persons: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM persons WHERE id = $1")
            .bind(&pid)
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(persons, 0, "the destroyed file came back with the backup");
        let restores: Vec<(Option<i64>, Option<String>)> =
            sqlx::query_as("SELECT leaf_index, purpose FROM audit_events WHERE action = 'backup.restore'")
                .fetch_all(&mut conn)
                .await
                .unwrap();
        assert_eq!(restores.len(), 1, "{restores:?}");
        assert!(restores[0].0.unwrap() as u64 >= size_before, "the restore is logged after everything kept");
        let approvals: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'retention.approve'")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(approvals, 1, "the approval logged after the backup was kept");
        conn.close().await.unwrap();
    }
    #[cfg(unix)]
    if !postgres {
        assert_eq!(mode(&dir.join("harbour.db")), 0o600, "the restored database");
        assert!(!dir.join("harbour.db.restoring").exists() && !dir.join("harbour.db.ledger-copy").exists());
    }
    // Harbour serves the restored data, and the person stays gone.
    let (_server, base) = serve(&store).await;
    call(Method::GET, &format!("{base}/api/v1/people/{pid}"), &hub, None, 404).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_restore_keeps_the_ledger_and_the_destruction_log() {
    restore_keeps_the_ledger_and_destructions(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_restore_keeps_the_ledger_and_the_destruction_log() {
    restore_keeps_the_ledger_and_destructions(true).await;
}

/// A ledger key other than the one the ledger was signed with is refused before anything is
/// signed, and a ledger with signed heads never gets a new key made for it.
#[test]
fn a_ledger_is_continued_only_with_its_own_key() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().display().to_string();
    let args = |head: &[&str]| -> Vec<String> {
        head.iter().map(|s| s.to_string()).chain(["--data-dir".to_string(), dir.clone()]).collect()
    };
    ok(harbour(&args(&["demo"])));
    ok(harbour(&args(&["ledger", "sth"])));
    let own = data.path().join("keys/ledger.key");
    #[cfg(unix)]
    assert_eq!(mode(&own), 0o600);
    // A different key from elsewhere: refused while the data directory holds its own.
    let other = data.path().join("other.key");
    std::fs::write(&other, [4u8; 32]).unwrap();
    let mut mixed = args(&["ledger", "sth"]);
    mixed.extend(["--ledger-key-file".to_string(), other.display().to_string()]);
    let refused = harbour(&mixed);
    assert!(!refused.status.success() && err(&refused).contains("different ledger key"), "{}", err(&refused));
    // Moved away: the same key from elsewhere works; no key at all is refused, not replaced.
    let moved = data.path().join("moved.key");
    std::fs::rename(&own, &moved).unwrap();
    let mut elsewhere = args(&["ledger", "verify"]);
    elsewhere.extend(["--ledger-key-file".to_string(), moved.display().to_string()]);
    ok(harbour(&elsewhere));
    let none = harbour(&args(&["ledger", "sth"]));
    assert!(!none.status.success() && err(&none).contains("--ledger-key-file"), "{}", err(&none));
    assert!(!own.exists(), "a new ledger key was made for a signed ledger");
    // The wrong key, with none beside the data: its heads would not verify.
    let mut wrong = args(&["ledger", "sth"]);
    wrong.extend(["--ledger-key-file".to_string(), other.display().to_string()]);
    let refused = harbour(&wrong);
    assert!(!refused.status.success() && err(&refused).contains("does not verify"), "{}", err(&refused));
}
