//! Durable ledger appends per second at 1, 16 and 64 concurrent writers, on SQLite and on
//! PostgreSQL, as a ratio to the raw INSERT rate of the same database measured in the same
//! run (one durable single-row INSERT per operation, same writer count). Each ledger append
//! is answered only once its entry is sequenced into the Merkle tree and a signed tree head
//! covers it, so the ratio is what tamper evidence costs.
//!
//! PostgreSQL is measured when HARBOUR_TEST_PG_URL names a server (scripts/bench starts a
//! throwaway one). Run: `scripts/bench`.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::sync::Arc;
use std::time::Instant;

use harbour_store::{AuditEvent, Keyring, Store};

const OPS: usize = 1_920;

async fn raw_rate(store: &Store, writers: usize) -> f64 {
    let ddl = match store.backend() {
        harbour_store::Backend::Sqlite => {
            "CREATE TABLE IF NOT EXISTS bench_raw (id INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT NOT NULL)"
        }
        harbour_store::Backend::Postgres => {
            "CREATE TABLE IF NOT EXISTS bench_raw (id BIGSERIAL PRIMARY KEY, payload TEXT NOT NULL)"
        }
    };
    sqlx::query(ddl).execute(store.pool()).await.unwrap();
    let start = Instant::now();
    let tasks: Vec<_> = (0..writers)
        .map(|w| {
            let pool = store.pool().clone();
            tokio::spawn(async move {
                for i in 0..OPS / writers {
                    sqlx::query("INSERT INTO bench_raw (payload) VALUES ($1)")
                        .bind(format!("writer {w} op {i}: person.read of a synthetic record"))
                        .execute(&pool)
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    OPS as f64 / start.elapsed().as_secs_f64()
}

async fn ledger_rate(store: &Arc<Store>, writers: usize) -> f64 {
    let start = Instant::now();
    let tasks: Vec<_> = (0..writers)
        .map(|w| {
            let store = store.clone();
            tokio::spawn(async move {
                for i in 0..OPS / writers {
                    let event =
                        AuditEvent::new("person.read", "person").target(format!("bench-{w}-{i}")).purpose("benchmark");
                    store.audit(&event).await.unwrap();
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    OPS as f64 / start.elapsed().as_secs_f64()
}

async fn run(name: &str, url: &str, dir: &std::path::Path) {
    let mut store = Store::open(url, Keyring::from_master([5; 32])).await.unwrap();
    store.start_ledger(harbour_store::ledger_signer(dir).unwrap()).await.unwrap();
    let store = Arc::new(store);
    for writers in [1, 16, 64] {
        let raw = raw_rate(&store, writers).await;
        let ledger = ledger_rate(&store, writers).await;
        println!(
            "{name:<10} {writers:>3} writers: raw INSERT {raw:>9.0}/s, durable ledger append {ledger:>9.0}/s, ratio {:.2}",
            ledger / raw
        );
    }
    let report = store.verify_ledger(&harbour_store::ledger_signer(dir).unwrap().public_key(), None).await.unwrap();
    assert_eq!(report.fault, None, "the benchmark's ledger verifies");
}

/// Proofs read from the database: a ledger of `n` entries is written directly (leaf and
/// subtree hashes from an in-memory tree), then proofs are served by the store as the API
/// serves them. Baseline: the same proofs from the in-memory tree.
async fn proofs_from_database(name: &str, url: &str, n: u64) {
    use harbour_ledger::{leaf_hash, MemoryTree, Subtrees};
    let store = Store::open(url, Keyring::from_master([5; 32])).await.unwrap();
    let mut tree = MemoryTree::new();
    for i in 0..n {
        tree.push(leaf_hash(format!("entry {i}").as_bytes()));
    }
    let mut tx = store.pool().begin().await.unwrap();
    let mut level = 0u32;
    loop {
        let mut idx = 0u64;
        let mut any = false;
        while let Ok(h) = tree.subtree(level, idx) {
            any = true;
            sqlx::query("INSERT INTO ledger_nodes (level, idx, hash) VALUES ($1, $2, $3)")
                .bind(i64::from(level))
                .bind(idx as i64)
                .bind(h.to_vec())
                .execute(&mut *tx)
                .await
                .unwrap();
            idx += 1;
        }
        if !any {
            break;
        }
        level += 1;
    }
    tx.commit().await.unwrap();
    let mut x = 0x9E3779B97F4A7C15u64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let (mut db, mut mem) = (Vec::new(), Vec::new());
    for _ in 0..200 {
        let (i, m) = (next() % n, 1 + next() % n);
        let t = Instant::now();
        store.inclusion_proof(i, n).await.unwrap();
        store.consistency_proof(m, n).await.unwrap();
        db.push(t.elapsed());
        let t = Instant::now();
        harbour_ledger::inclusion_proof(&tree, i, n).unwrap();
        harbour_ledger::consistency_proof(&tree, m, n).unwrap();
        mem.push(t.elapsed());
    }
    db.sort();
    mem.sort();
    println!(
        "{name:<10} {n} entries: inclusion + consistency proof from the database p50 {:.2?} (p99 {:.2?}), {:.0}x the in-memory tree",
        db[db.len() / 2],
        db[db.len() * 99 / 100],
        db[db.len() / 2].as_secs_f64() / mem[mem.len() / 2].as_secs_f64()
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    println!("{OPS} operations per run; each operation is committed durably before the next starts");
    run("SQLite", &Store::sqlite_url(dir.path()), dir.path()).await;
    let proofs_dir = tempfile::tempdir().unwrap();
    proofs_from_database("SQLite", &Store::sqlite_url(proofs_dir.path()), 1_000_000).await;
    match std::env::var("HARBOUR_TEST_PG_URL") {
        Ok(_) => {
            let url = harbour_testkit::fresh_postgres_database().await;
            let pg_dir = tempfile::tempdir().unwrap();
            run("PostgreSQL", &url, pg_dir.path()).await;
            proofs_from_database("PostgreSQL", &harbour_testkit::fresh_postgres_database().await, 1_000_000).await;
        }
        Err(_) => println!("PostgreSQL: skipped (HARBOUR_TEST_PG_URL not set; scripts/bench sets it)"),
    }
}
