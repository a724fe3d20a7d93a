//! Proof and verification cost at 1M and 10M entries, in memory, against a baseline measured
//! in the same run: the time to SHA-256 one leaf. (Custom harness: the figures wanted are
//! per-proof percentiles and whole-tree throughput, which criterion and divan do not report.)
//!
//! Run: `cargo bench -p harbour-ledger --bench proofs` (or `scripts/bench`).
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::hint::black_box;
use std::time::{Duration, Instant};

use harbour_ledger::{
    consistency_proof, inclusion_proof, leaf_hash, root, verify_consistency, verify_inclusion, MemoryTree,
};

fn entry(i: u64) -> Vec<u8> {
    format!(r#"{{"index":{i},"at":"2026-11-23T10:00:00.000000Z","actor_id":"3f0c0a9e-2d4b-4b7a-9c1e-5d7f8a6b2c10","action":"person.read","target_kind":"person","outcome":"allowed","policy_ids":["bcp-childrens-services/v3/access/allocated-team"]}}"#).into_bytes()
}

fn p50(mut d: Vec<Duration>) -> Duration {
    d.sort();
    d[d.len() / 2]
}

fn main() {
    let sizes: Vec<u64> = std::env::var("HARBOUR_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000_000, 10_000_000]);
    println!(
        "{:>12} {:>14} {:>14} {:>16} {:>16} {:>14}",
        "entries", "leaf hash", "build+verify", "verify (ent/s)", "inclusion p50", "consist. p50"
    );
    for n in sizes {
        // Baseline: hashing the entries alone.
        let start = Instant::now();
        for i in 0..n {
            black_box(leaf_hash(&entry(i)));
        }
        let hash_only = start.elapsed();
        // Verification = recompute every leaf and the whole tree, as `harbour ledger verify` does.
        let start = Instant::now();
        let mut tree = MemoryTree::new();
        for i in 0..n {
            tree.push(leaf_hash(&entry(i)));
        }
        let r = tree.root();
        let verify = start.elapsed();
        let mut rng = 0x2545F4914F6CDD1Du64;
        let mut next = move || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        let mut inc = Vec::new();
        let mut con = Vec::new();
        for _ in 0..2_000 {
            let i = next() % n;
            let t = Instant::now();
            let proof = inclusion_proof(&tree, i, n).unwrap();
            inc.push(t.elapsed());
            assert!(verify_inclusion(&tree.subtree_leaf(i), i, n, &proof, &r));
            let m = 1 + next() % n;
            let t = Instant::now();
            let proof = consistency_proof(&tree, m, n).unwrap();
            con.push(t.elapsed());
            assert!(verify_consistency(m, n, &root(&tree, m).unwrap(), &r, &proof));
        }
        let per_leaf = hash_only.as_secs_f64() / n as f64;
        println!(
            "{n:>12} {:>14.2?} {:>14.2?} {:>16.0} {:>16.2?} {:>14.2?}",
            Duration::from_secs_f64(per_leaf),
            verify,
            n as f64 / verify.as_secs_f64(),
            p50(inc.clone()),
            p50(con.clone()),
        );
        println!(
            "{:>12} ratios: verify / hashing alone {:.2}x; inclusion proof = {:.1} leaf hashes; consistency proof = {:.1} leaf hashes",
            "",
            verify.as_secs_f64() / hash_only.as_secs_f64(),
            p50(inc).as_secs_f64() / per_leaf,
            p50(con).as_secs_f64() / per_leaf,
        );
    }
}
