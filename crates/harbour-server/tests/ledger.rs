//! The tamper-evident ledger: proofs checked by a verifier written here from RFC 9162 (not the
//! code under test), tampering of each kind detected, and "who has looked at this record".
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod common;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use common::{json, TestApp};
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::Connection;

// ---- an independent RFC 9162 verifier -----------------------------------------------------

fn h(parts: &[&[u8]]) -> [u8; 32] {
    let mut d = Sha256::new();
    for p in parts {
        d.update(p);
    }
    d.finalize().into()
}

fn unb64(s: &Value) -> [u8; 32] {
    STANDARD.decode(s.as_str().unwrap()).unwrap().try_into().unwrap()
}

/// RFC 9162 §2.1.3.2.
fn check_inclusion(leaf: [u8; 32], index: u64, size: u64, path: &[[u8; 32]], root: [u8; 32]) -> bool {
    if index >= size {
        return false;
    }
    let (mut f, mut s, mut r) = (index, size - 1, leaf);
    for p in path {
        if s == 0 {
            return false;
        }
        if f % 2 == 1 || f == s {
            r = h(&[&[1], p, &r]);
            while f % 2 == 0 && f != 0 {
                f /= 2;
                s /= 2;
            }
        } else {
            r = h(&[&[1], &r, p]);
        }
        f /= 2;
        s /= 2;
    }
    s == 0 && r == root
}

/// RFC 9162 §2.1.4.2.
fn check_consistency(m: u64, n: u64, old: [u8; 32], new: [u8; 32], proof: &[[u8; 32]]) -> bool {
    if m == n {
        return proof.is_empty() && old == new;
    }
    let mut p = proof.to_vec();
    if m.is_power_of_two() {
        p.insert(0, old);
    }
    if p.is_empty() {
        return false;
    }
    let (mut f, mut s) = (m - 1, n - 1);
    while f % 2 == 1 {
        f /= 2;
        s /= 2;
    }
    let (mut fr, mut sr) = (p[0], p[0]);
    for c in &p[1..] {
        if s == 0 {
            return false;
        }
        if f % 2 == 1 || f == s {
            fr = h(&[&[1], c, &fr]);
            sr = h(&[&[1], c, &sr]);
            while f % 2 == 0 && f != 0 {
                f /= 2;
                s /= 2;
            }
        } else {
            sr = h(&[&[1], &sr, c]);
        }
        f /= 2;
        s /= 2;
    }
    fr == old && sr == new && s == 0
}

fn check_signature(sth: &Value) {
    use ed25519_dalek::{Signature, Verifier, VerifyingKey};
    let mut msg = b"harbour-sth-v1".to_vec();
    msg.extend_from_slice(&sth["tree_size"].as_u64().unwrap().to_be_bytes());
    msg.extend_from_slice(&sth["timestamp_ms"].as_u64().unwrap().to_be_bytes());
    msg.extend_from_slice(&unb64(&sth["root_hash"]));
    let key = VerifyingKey::from_bytes(&unb64(&sth["public_key"])).unwrap();
    let sig: [u8; 64] = STANDARD.decode(sth["signature"].as_str().unwrap()).unwrap().try_into().unwrap();
    key.verify(&msg, &Signature::from_bytes(&sig)).expect("the tree head's signature verifies");
}

fn hashes(v: &Value) -> Vec<[u8; 32]> {
    v.as_array().unwrap().iter().map(unb64).collect()
}

// ---- helpers ------------------------------------------------------------------------------

/// Some activity: sw.demo reads several records, police.demo is refused one.
async fn activity(app: &TestApp, rounds: usize) -> String {
    let sw = app.token("sw.demo").await;
    let child = app.allocated_child("sw.demo").await.0.id.to_string();
    for _ in 0..rounds {
        json(app.get(&format!("/api/v1/people/{child}"), &sw).await, 200).await;
    }
    let police = app.token("police.demo").await;
    json(app.get(&format!("/api/v1/people/{child}"), &police).await, 403).await;
    child
}

async fn sth(app: &TestApp) -> Value {
    let token = app.token("auditor.demo").await;
    let head = json(app.get("/api/v1/ledger/sth", &token).await, 200).await;
    check_signature(&head);
    head
}

async fn sql(app: &TestApp, statements: &[&str]) {
    let mut conn = sqlx::AnyConnection::connect(&app.database_url).await.unwrap();
    for s in statements {
        sqlx::query(s).execute(&mut conn).await.unwrap_or_else(|e| panic!("{s}: {e}"));
    }
    conn.close().await.unwrap();
}

fn trusted(app: &TestApp) -> harbour_ledger::VerifyingKey {
    harbour_store::ledger_signer(app.dir.path()).unwrap().public_key()
}

// ---- tests --------------------------------------------------------------------------------

both_backends!(proofs_verify_with_an_independent_verifier, |app: TestApp| async move {
    activity(&app, 3).await;
    let first = sth(&app).await;
    let m = first["tree_size"].as_u64().unwrap();
    assert!(m > 100, "the demo data and the reads are logged");
    let auditor = app.token("auditor.demo").await;
    for index in [0, 1, m / 2, m - 1] {
        let proof =
            json(app.get(&format!("/api/v1/ledger/proofs/inclusion?index={index}&tree_size={m}"), &auditor).await, 200)
                .await;
        let entry = json(app.get(&format!("/api/v1/ledger/entries/{index}"), &auditor).await, 200).await;
        let leaf = h(&[&[0], entry["leaf"].as_str().unwrap().as_bytes()]);
        assert_eq!(leaf, unb64(&proof["leaf_hash"]), "the entry hashes to its leaf");
        assert!(
            check_inclusion(leaf, index, m, &hashes(&proof["audit_path"]), unb64(&first["root_hash"])),
            "entry {index}"
        );
    }
    activity(&app, 2).await;
    let second = sth(&app).await;
    let n = second["tree_size"].as_u64().unwrap();
    assert!(n > m);
    let proof =
        json(app.get(&format!("/api/v1/ledger/proofs/consistency?first={m}&second={n}"), &auditor).await, 200).await;
    let proof = hashes(&proof["proof"]);
    assert!(check_consistency(m, n, unb64(&first["root_hash"]), unb64(&second["root_hash"]), &proof));
    assert!(!check_consistency(m, n, [7; 32], unb64(&second["root_hash"]), &proof), "the verifier can say no");
    json(app.get(&format!("/api/v1/ledger/proofs/inclusion?index={n}&tree_size={n}"), &auditor).await, 409).await;
    json(app.get(&format!("/api/v1/ledger/proofs/consistency?first=1&second={}", n + 100), &auditor).await, 409).await;
    let sw = app.token("sw.demo").await;
    json(app.get("/api/v1/ledger/entries/0", &sw).await, 403).await;
});

both_backends!(an_untouched_ledger_verifies, |app: TestApp| async move {
    activity(&app, 2).await;
    let report = app.store.verify_ledger(&trusted(&app), None).await.unwrap();
    assert_eq!(report.fault, None);
    assert!(report.entries > 100 && report.heads_checked >= 2);
    let other = harbour_ledger::TreeSigner::generate().public_key();
    let forged = app.store.verify_ledger(&other, None).await.unwrap();
    assert!(forged.fault.unwrap().problem.contains("bad signature"), "heads checked against the trusted key");
});

both_backends!(an_altered_entry_is_found, |app: TestApp| async move {
    activity(&app, 2).await;
    sql(&app, &["UPDATE audit_events SET purpose = 'nothing to see' WHERE leaf_index = 5"]).await;
    let fault = app.store.verify_ledger(&trusted(&app), None).await.unwrap().fault.unwrap();
    assert_eq!(fault.index, 5, "{fault:?}");
});

both_backends!(a_deleted_entry_is_found, |app: TestApp| async move {
    activity(&app, 2).await;
    sql(&app, &["DELETE FROM audit_events WHERE leaf_index = 7"]).await;
    let fault = app.store.verify_ledger(&trusted(&app), None).await.unwrap().fault.unwrap();
    assert_eq!(fault.index, 7);
    assert!(fault.problem.contains("missing"));
});

both_backends!(reordered_entries_are_found, |app: TestApp| async move {
    activity(&app, 2).await;
    sql(
        &app,
        &[
            "UPDATE audit_events SET leaf_index = -1 WHERE leaf_index = 3",
            "UPDATE audit_events SET leaf_index = 3 WHERE leaf_index = 4",
            "UPDATE audit_events SET leaf_index = 4 WHERE leaf_index = -1",
        ],
    )
    .await;
    let fault = app.store.verify_ledger(&trusted(&app), None).await.unwrap().fault.unwrap();
    assert_eq!(fault.index, 3);
});

both_backends!(an_inserted_entry_is_found, |app: TestApp| async move {
    activity(&app, 1).await;
    let n = app.store.verify_ledger(&trusted(&app), None).await.unwrap().entries;
    // A forger who knows the leaf format appends an entry with its correct leaf hash.
    let record = harbour_store::AuditRecord {
        seq: 0,
        at: "2026-01-01T00:00:00.000000Z".into(),
        actor_id: None,
        actor_org: None,
        action: "person.read".into(),
        target_kind: "person".into(),
        target_id: None,
        person_id: None,
        purpose: Some("forged".into()),
        outcome: "allowed".into(),
        policy_ids: vec![],
    };
    let leaf = h(&[&[0], &harbour_store::leaf_bytes(n, &record)]);
    let hex: String = leaf.iter().map(|b| format!("{b:02x}")).collect();
    let blob = match app.backend {
        common::Backend::Sqlite => format!("X'{hex}'"),
        common::Backend::Postgres => format!("'\\x{hex}'::bytea"),
    };
    sql(
        &app,
        &[
            &format!(
                "INSERT INTO audit_events (at, action, target_kind, purpose, outcome, policy_ids, leaf_index) \
                  VALUES ('2026-01-01T00:00:00.000000Z', 'person.read', 'person', 'forged', 'allowed', '', {n})"
            ),
            &format!("INSERT INTO ledger_nodes (level, idx, hash) VALUES (0, {n}, {blob})"),
        ],
    )
    .await;
    let fault = app.store.verify_ledger(&trusted(&app), None).await.unwrap().fault.unwrap();
    assert_eq!(fault.index, n, "{fault:?}");
});

both_backends!(truncation_is_found_against_a_saved_tree_head, |app: TestApp| async move {
    activity(&app, 3).await;
    let saved: harbour_ledger::SignedTreeHead = serde_json::from_value(sth(&app).await).unwrap();
    let n = saved.tree_size;
    // Someone removes the last three entries and every trace of them, heads included.
    let cut = n - 3;
    sql(
        &app,
        &[
            &format!("DELETE FROM audit_events WHERE leaf_index >= {cut}"),
            &format!("DELETE FROM ledger_nodes WHERE level = 0 AND idx >= {cut}"),
            &format!("DELETE FROM ledger_heads WHERE tree_size > {cut}"),
        ],
    )
    .await;
    let fault = app.store.verify_ledger(&trusted(&app), Some(&saved)).await.unwrap().fault.unwrap();
    assert!(fault.problem.contains("truncated"), "{fault:?}");
    assert_eq!(fault.index, cut);
});

both_backends!(every_concurrent_request_is_in_the_ledger_before_its_answer, |app: TestApp| async move {
    let child = activity(&app, 1).await;
    let sw = app.token("sw.demo").await;
    let heads_before = app.count("ledger_heads").await;
    let url = format!("{}/api/v1/people/{child}", app.base);
    let handles: Vec<_> = (0..24)
        .map(|_| {
            let request = app.client.get(&url).bearer_auth(&sw);
            tokio::spawn(async move { request.send().await.unwrap().status() })
        })
        .collect();
    for h in handles {
        assert_eq!(h.await.unwrap(), 200);
    }
    // Every answered request's event is already sequenced and signed.
    let unsequenced: i64 = {
        let mut conn = sqlx::AnyConnection::connect(&app.database_url).await.unwrap();
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE leaf_index IS NULL")
            .fetch_one(&mut conn)
            .await
            .unwrap()
    };
    assert_eq!(unsequenced, 0);
    let heads_added = app.count("ledger_heads").await - heads_before;
    assert!((1..=24).contains(&heads_added), "at most one head per batch: {heads_added}");
    assert_eq!(app.store.verify_ledger(&trusted(&app), None).await.unwrap().fault, None);
});

both_backends!(the_dpo_sees_who_has_looked_at_a_childs_record, |app: TestApp| async move {
    let child = activity(&app, 1).await;
    let dpo = app.token("dpo.demo").await;
    let log = json(app.get(&format!("/api/v1/people/{child}/access-log"), &dpo).await, 200).await;
    let lines = log.as_array().unwrap();
    assert!(lines.iter().any(|l| l["who"] == "Sam Walker (demo)"
        && l["action"] == "person.read"
        && l["outcome"] == "allowed"
        && l["organisation"] == "BCP Council Children's Services"
        && l["purpose"] == "case work with the child and family"));
    assert!(lines.iter().any(|l| l["organisation"] == "Dorset Police" && l["outcome"] == "denied"));
    let sw = app.token("sw.demo").await;
    json(app.get(&format!("/api/v1/people/{child}/access-log"), &sw).await, 403).await;
});
