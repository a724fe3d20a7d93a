//! `harbour retention`: the schedule checked row by row from the command line, and the sweep
//! on SQLite and PostgreSQL (it queues, reports, and never destroys).
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::process::{Command, Output};

fn harbour(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_harbour")).args(args).env("HARBOUR_LOG", "warn").output().expect("run harbour")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn date(args: &[&str]) -> Output {
    let mut all = vec!["retention", "date"];
    all.extend_from_slice(args);
    harbour(&all)
}

#[test]
fn the_schedule_can_be_checked_row_by_row() {
    let bcp = ["--pack", "bcp-childrens-services", "--class"];
    let rows: &[(&str, &[&str], &str)] = &[
        ("child-protection-plan", &["--closed", "2020-03-31"], "2055-03-31"),
        ("looked-after", &["--dob", "2010-07-14"], "2085-07-14"),
        ("all-other-records", &["--dob", "2008-10-02"], "2033-10-02"),
        ("register-of-risk", &["--dob", "1970-06-30"], "2070-06-30"),
        ("child-sexual-exploitation", &["--closed", "2019-02-28"], "2029-02-28"),
        ("admissions", &["--created", "2021-09-01"], "2028-09-01"),
        ("pupils", &["--left-school", "2024-07-19"], "2031-07-19"),
        ("serious-case-reviews", &["--published", "2018-11-20"], "2053-11-20"),
        // Leap days: 29 February + N years is 1 March when the target year has none (issue 11).
        ("child-protection-plan", &["--closed", "2024-02-29"], "2059-03-01"),
        ("looked-after", &["--dob", "2012-02-29"], "2087-03-01"),
        ("register-of-risk", &["--dob", "1996-02-29"], "2096-02-29"),
    ];
    for (class, facts, expect) in rows {
        let mut args: Vec<&str> = bcp.to_vec();
        args.push(class);
        args.extend_from_slice(facts);
        let o = date(&args);
        assert!(o.status.success(), "{class}: {}", err(&o));
        assert_eq!(out(&o), *expect, "{class} {facts:?}");
    }
    // Seed 003: DHR panel minutes, six years after the anonymised report is published.
    let o = date(&["--pack", "dorset-csp-dhr", "--class", "dhr-panel-minutes", "--published", "2025-06-30"]);
    assert_eq!(out(&o), "2031-06-30");
    // Extra dates that are not the row's trigger are ignored.
    let o = date(&[
        "--pack",
        "bcp-childrens-services",
        "--class",
        "looked-after",
        "--dob",
        "2010-01-01",
        "--closed",
        "2020-01-01",
    ]);
    assert_eq!(out(&o), "2085-01-01");
}

/// Issue 11: the law's floors beat a shorter row, and the second line names the floor.
#[test]
fn the_statutory_floors_are_printed_with_their_source() {
    let lines = |o: &Output| out(o).lines().map(str::to_string).collect::<Vec<_>>();
    let bcp = ["--pack", "bcp-childrens-services", "--class"];
    let cases: &[(&[&str], &str, Option<&str>)] = &[
        // The notice's looked-after row is the 75th birthday: a death before 18 (15 years from
        // it, 2039) does not shorten it.
        (&["looked-after", "--dob", "2010-07-14", "--died", "2024-01-10"], "2085-07-14", None),
        // A shorter row (date of birth + 25) kept for a looked-after record: CPPCR 2010 reg 50.
        (&["child-health-and-disability", "--record-class", "looked_after", "--dob", "2010-07-14"], "2085-07-14",
         Some("statutory floor: until the 75th birthday (Care Planning, Placement and Case Review (England) Regulations 2010, reg 50)")),
        (&["child-health-and-disability", "--record-class", "looked_after", "--dob", "2010-07-14", "--died", "2024-01-10"],
         "2039-01-10", Some("statutory floor: 15 years from the death of a child who died before 18")),
        // Without a record class, the row alone.
        (&["child-health-and-disability", "--dob", "2010-07-14", "--died", "2024-01-10"], "2035-07-14", None),
    ];
    for (args, date_line, floor) in cases {
        let mut all: Vec<&str> = bcp.to_vec();
        all.extend_from_slice(args);
        let o = date(&all);
        assert!(o.status.success(), "{args:?}: {}", err(&o));
        let got = lines(&o);
        assert_eq!(got[0], *date_line, "{args:?}");
        match floor {
            Some(f) => assert!(got.get(1).is_some_and(|l| l.starts_with(f)), "{args:?}: {got:?}"),
            None => assert_eq!(got.len(), 1, "{args:?}: {got:?}"),
        }
    }
    // Adoption Agencies Regulations 2005 reg 41: the law's own row, 100 years from the order.
    let o = date(&["--pack", "statutory", "--class", "adoption", "--closed", "2020-05-01"]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(
        lines(&o),
        [
            "2120-05-01",
            "statutory floor: at least 100 years from the adoption order (Adoption Agencies Regulations 2005, reg 41)"
        ]
    );
    // A floor that needs a date not given says which option gives it.
    let o = date(&[
        "--pack",
        "bcp-childrens-services",
        "--class",
        "admissions",
        "--record-class",
        "looked_after",
        "--created",
        "2020-01-01",
    ]);
    assert!(!o.status.success());
    assert!(err(&o).contains("statutory floor") && err(&o).contains("give --dob"), "{}", err(&o));
    let o = date(&[
        "--pack",
        "bcp-childrens-services",
        "--class",
        "admissions",
        "--record-class",
        "nope",
        "--created",
        "2020-01-01",
    ]);
    assert!(!o.status.success() && err(&o).contains("no record class \"nope\""), "{}", err(&o));
}

#[test]
fn a_permanent_row_prints_never_and_bad_input_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let src = harbour_policy::BUILT_IN_PACKS[0].1.replacen(
        "period = \"Date of birth 100 years\"\ntrigger = \"date_of_birth\"\nyears = 100",
        "period = \"Permanently\"\ntrigger = \"date_of_birth\"\npermanent = true",
        1,
    );
    assert!(src.contains("permanent = true"), "the register row was rewritten");
    let file = dir.path().join("permanent.toml");
    std::fs::write(&file, src).unwrap();
    let o = date(&["--pack", file.to_str().unwrap(), "--class", "register-of-risk", "--dob", "1970-01-01"]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(out(&o), "never");

    let missing =
        date(&["--pack", "bcp-childrens-services", "--class", "child-protection-plan", "--dob", "2010-01-01"]);
    assert!(!missing.status.success());
    assert!(err(&missing).contains("give --closed"), "{}", err(&missing));
    let unknown = date(&["--pack", "bcp-childrens-services", "--class", "nope", "--dob", "2010-01-01"]);
    assert!(!unknown.status.success());
    assert!(err(&unknown).contains("its rows are"), "{}", err(&unknown));
    let no_pack = date(&["--pack", "nope", "--class", "x"]);
    assert!(!no_pack.status.success());
    assert!(err(&no_pack).contains("no notice \"nope\""), "{}", err(&no_pack));
    let bad_date = date(&["--pack", "bcp-childrens-services", "--class", "looked-after", "--dob", "2010-02-30"]);
    assert!(!bad_date.status.success());
    assert!(err(&bad_date).contains("--dob"), "{}", err(&bad_date));
}

async fn sweep(postgres: bool) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = vec!["--data-dir".to_string(), dir.path().display().to_string()];
    if postgres {
        store.push("--database-url".into());
        store.push(harbour_testkit::fresh_postgres_database().await);
    }
    let with = |head: &[&str]| -> Vec<String> { head.iter().map(|s| s.to_string()).chain(store.clone()).collect() };
    let run = |args: Vec<String>| harbour(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(run(with(&["demo"])).status.success());
    // Far enough ahead that the demo's closed complaints and early help are due.
    let dry = run(with(&["retention", "sweep", "--as-of", "2080-01-01", "--dry-run", "--json"]));
    assert!(dry.status.success(), "{}", err(&dry));
    let report: serde_json::Value = serde_json::from_str(&out(&dry)).expect("JSON report");
    let due = report["counts"]["due"].as_u64().unwrap();
    assert!(due > 0, "{report}");
    assert_eq!(report["queued"]["count"].as_u64().unwrap(), due);
    assert_eq!(report["queued"]["people"].as_array().unwrap().len() as u64, due.min(100));
    assert!(report["counts"]["people"].as_u64().unwrap() >= due);
    let again = run(with(&["retention", "sweep", "--as-of", "2080-01-01", "--json"]));
    let swept: serde_json::Value = serde_json::from_str(&out(&again)).unwrap();
    assert_eq!(swept["queued"], report["queued"], "the dry run found what the sweep queued");
    // A second sweep queues nothing new; the plain report says nothing was destroyed.
    let third = run(with(&["retention", "sweep", "--as-of", "2080-01-01"]));
    assert!(out(&third).contains(&format!("{due} due (0 newly queued)")), "{}", out(&third));
    assert!(out(&third).contains("Nothing was destroyed"));
    // Backups: Harbour's own on SQLite (no keys in it), pg_dump on PostgreSQL.
    let backup = dir.path().join("backup.db");
    let path = backup.display().to_string();
    let made = run(with(&["backup", "create", "--out", &path]));
    if postgres {
        assert!(!made.status.success());
        assert!(err(&made).contains("pg_dump"), "{}", err(&made));
        let restore = run(with(&["backup", "restore", &path]));
        assert!(!restore.status.success() && err(&restore).contains("pg_restore"), "{}", err(&restore));
        let reconciled = run(with(&["backup", "reconcile"]));
        assert!(out(&reconciled).contains("0 file(s)"), "{}", err(&reconciled));
    } else {
        assert!(made.status.success(), "{}", err(&made));
        let refused = run(with(&["backup", "restore", &path]));
        assert!(!refused.status.success() && err(&refused).contains("--replace"), "{}", err(&refused));
        let restored = run(with(&["backup", "restore", &path, "--replace"]));
        assert!(restored.status.success(), "{}", err(&restored));
        assert!(out(&restored).contains("0 file(s)"), "{}", out(&restored));
    }
    let bad = run(with(&["retention", "sweep", "--as-of", "someday"]));
    assert!(!bad.status.success());
    let missing = run(with(&["retention", "certificate", "0b0e7d5e-0000-4000-8000-000000000000"]));
    assert!(!missing.status.success());
    assert!(err(&missing).contains("no destruction certificate"), "{}", err(&missing));
}

#[tokio::test]
async fn the_sweep_queues_and_never_destroys_on_sqlite() {
    sweep(false).await;
}

#[tokio::test]
async fn the_sweep_queues_and_never_destroys_on_postgres() {
    sweep(true).await;
}

/// The master key can be supplied from a file kept apart from the data: nothing in the data
/// directory opens the data keys then, and a wrong or malformed key is refused at once.
#[test]
fn a_master_key_supplied_from_elsewhere_is_the_only_key_that_opens_the_data() {
    let data = tempfile::tempdir().unwrap();
    let secrets = tempfile::tempdir().unwrap();
    let key = secrets.path().join("master.hex");
    std::fs::write(&key, format!("{}\n", "5a".repeat(32))).unwrap();
    let dir = data.path().display().to_string();
    let with = |key: &std::path::Path, args: &[&str]| {
        let key = key.display().to_string();
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--data-dir", dir.as_str(), "--master-key-file", key.as_str()]);
        harbour(&all)
    };
    let demo = with(&key, &["demo"]);
    assert!(demo.status.success(), "{}", err(&demo));
    assert!(!data.path().join("keys/master.key").exists(), "no master key was written beside the data");
    assert!(data.path().join("keys/vault.db").exists());
    let sweep = with(&key, &["retention", "sweep", "--dry-run"]);
    assert!(sweep.status.success(), "{}", err(&sweep));
    // Another key does not open this data's keys, and is refused before anything is read.
    let other = secrets.path().join("other.key");
    std::fs::write(&other, [7u8; 32]).unwrap();
    let refused = with(&other, &["retention", "sweep", "--dry-run"]);
    assert!(!refused.status.success());
    assert!(err(&refused).contains("does not open the data keys"), "{}", err(&refused));
    // Without the supplied key, Harbour does not make a new one beside keys it cannot open.
    let plain = harbour(&["retention", "sweep", "--dry-run", "--data-dir", dir.as_str()]);
    assert!(!plain.status.success(), "{}", out(&plain));
    assert!(err(&plain).contains("--master-key-file"), "{}", err(&plain));
    assert!(!data.path().join("keys/master.key").exists());
    // A data directory with a key of its own refuses a different supplied one.
    std::fs::write(data.path().join("keys/master.key"), [9u8; 32]).unwrap();
    let mixed = with(&key, &["retention", "sweep", "--dry-run"]);
    assert!(!mixed.status.success());
    assert!(err(&mixed).contains("different master key"), "{}", err(&mixed));
    // A malformed key file is explained.
    let short = secrets.path().join("short.key");
    std::fs::write(&short, b"too short").unwrap();
    std::fs::remove_file(data.path().join("keys/master.key")).unwrap();
    let bad = with(&short, &["retention", "sweep", "--dry-run"]);
    assert!(!bad.status.success());
    assert!(err(&bad).contains("32 bytes or 64 hexadecimal digits"), "{}", err(&bad));
    let missing = with(&secrets.path().join("nowhere"), &["retention", "sweep", "--dry-run"]);
    assert!(err(&missing).contains("cannot read the master key file"), "{}", err(&missing));
}
