//! The retention sweep over 1M and 10M synthetic people (one episode each) on SQLite: its time
//! and peak memory, as a ratio to a baseline measured in the same run: reading the same rows
//! out of the database, page by page, and doing nothing with them. The dry run's ratio is what
//! assessing every file costs on top of reading it; the first real sweep adds writing every
//! due file into the queue; the next (the daily run) finds the queue right and writes nothing. The peak memory shows the sweep holds one page at a time.
//!
//! Half the files are closed complaints from 2010 (due), a quarter open child-in-need episodes
//! (pending), a quarter closed child protection plans (not yet due); every hundredth person
//! also has a relative, whose file the child's episode keeps.
//!
//! Run: `scripts/bench` (or `cargo bench -p harbour-app --bench sweep -- 1000000`).
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::time::Instant;

use harbour_app::{App, Now};
use harbour_store::{Keyring, Store};

/// The process's peak resident memory since the last reset, in MiB.
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

/// Resets the peak to the current resident size (Linux: write 5 to clear_refs).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

async fn fill(store: &Store, n: usize) {
    let pool = store.pool();
    sqlx::query(
        "INSERT INTO organisations (id, slug, name, category, controller_role, charter_signatory, created_at) \
         VALUES ('00000000-0000-4000-8000-000000000001', 'bench', 'Bench', 'local_authority', 'controller', 1, '2026-01-01')",
    )
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO teams (id, org_id, name) VALUES ('00000000-0000-4000-8000-000000000002', \
         '00000000-0000-4000-8000-000000000001', 'Bench team')",
    )
    .execute(pool)
    .await
    .unwrap();
    const BATCH: usize = 400;
    let team = "'00000000-0000-4000-8000-000000000002'";
    let mut done = 0;
    while done < n {
        let m = BATCH.min(n - done);
        let mut people = Vec::with_capacity(m);
        let mut episodes = Vec::with_capacity(m);
        let mut relatives = Vec::new();
        let mut relations = Vec::new();
        for i in done..done + m {
            let pid = format!("{:08x}-0000-4000-8000-{:012x}", i / 65536, i);
            let dob = format!("{:04}-{:02}-{:02}", 1995 + i % 25, 1 + i % 12, 1 + i % 28);
            people
                .push(format!("('{pid}', '', '', '', '{dob}', 'unknown', 0, 0, x'00', '2026-01-01T00:00:00.000000Z')"));
            let (class, retention, closed) = match i % 4 {
                0 | 1 => ("complaint", "bcp-childrens-services/complaints", "'2010-06-30'"),
                2 => ("child_in_need", "bcp-childrens-services/all-other-records", "NULL"),
                _ => ("child_protection_plan", "bcp-childrens-services/child-protection-plan", "'2020-06-30'"),
            };
            episodes.push(format!(
                "('{:08x}-0000-4000-9000-{:012x}', '{pid}', '{class}', '2009-01-01', {closed}, {team}, '{retention}', \
                 '2026-01-01T00:00:00.000000Z')",
                i / 65536,
                i
            ));
            if i % 100 == 0 {
                let rid = format!("{:08x}-0000-4000-a000-{:012x}", i / 65536, i);
                relatives.push(format!(
                    "('{rid}', '', '', '', NULL, 'unknown', 0, 0, x'00', '2026-01-01T00:00:00.000000Z')"
                ));
                relations.push(format!(
                    "('{:08x}-0000-4000-b000-{:012x}', '{rid}', '{pid}', 'sibling', '2026-01-01T00:00:00.000000Z')",
                    i / 65536,
                    i
                ));
            }
        }
        let mut tx = pool.begin().await.unwrap();
        for (table, cols, rows) in [
            ("persons", "id, given_name, family_name, search_name, date_of_birth, gender, care_experienced, disability, sealed, created_at", &people),
            ("persons", "id, given_name, family_name, search_name, date_of_birth, gender, care_experienced, disability, sealed, created_at", &relatives),
            ("episodes", "id, person_id, record_class, opened_on, closed_on, team_id, retention_class, created_at", &episodes),
            ("relationships", "id, from_person, to_person, kind, created_at", &relations),
        ] {
            if rows.is_empty() {
                continue;
            }
            sqlx::query(&format!("INSERT INTO {table} ({cols}) VALUES {}", rows.join(", ")))
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        done += m;
    }
}

async fn run(n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let keys = Keyring::from_master([7; 32]);
    let store = Store::open(&Store::sqlite_url(dir.path()), keys).await.unwrap();
    let start = Instant::now();
    fill(&store, n).await;
    let filled = start.elapsed();
    let state = App::from_store(store.clone(), Now::read().today()).await.unwrap();
    let as_of = jiff::civil::date(2026, 12, 1);

    reset_peak();
    let base_rss = peak_mib();
    let start = Instant::now();
    let mut rows = 0u64;
    let mut after = None;
    loop {
        let page = store.sweep_page(after, 5_000).await.unwrap();
        let Some(last) = page.last else { break };
        rows += page.rows.len() as u64;
        after = Some(last);
    }
    let scan = start.elapsed().as_secs_f64();
    let scan_peak = peak_mib() - base_rss;

    let measure = async |dry_run: bool| {
        reset_peak();
        let base_rss = peak_mib();
        let start = Instant::now();
        let report = state.sweep(None, as_of, dry_run, |_| {}).await.unwrap();
        (start.elapsed().as_secs_f64(), peak_mib() - base_rss, report)
    };
    let (dry, dry_peak, report) = measure(true).await;
    // The first real sweep writes every due file into the queue.
    let (sweep, sweep_peak, written) = measure(false).await;
    // The daily run after it: everything is where it should be, so nothing is written.
    let (again, again_peak, steady) = measure(false).await;
    assert_eq!((steady.queued.count, steady.left.count), (0, 0));
    // Open episodes keep their files whatever their date: only the closed complaints are due.
    let expected_due = (0..n).filter(|i| i % 4 < 2).count() + n.div_ceil(100);
    assert_eq!(report.counts.due as usize, expected_due, "the sweep found every due file");
    assert_eq!(written.queued.count as usize, expected_due, "the sweep queued every due file");
    println!(
        "{n:>10} people ({rows} rows, filled in {:.0?}): scan {scan:.2}s; dry run {dry:.2}s = {:.2}× the scan; \
         first sweep (queueing {} files) {sweep:.2}s = {:.2}× the scan; peak memory above the start: \
         scan {scan_peak:.1} MiB, dry run {dry_peak:.1} MiB, sweep {sweep_peak:.1} MiB, next sweep \
         {again_peak:.1} MiB; next sweep (nothing to change) {again:.2}s = {:.2}× the scan; pending {}, not yet {}",
        filled,
        dry / scan,
        written.queued.count,
        sweep / scan,
        again / scan,
        report.counts.pending,
        report.counts.not_yet
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![1_000_000, 10_000_000] } else { sizes };
    for n in sizes {
        run(n).await;
    }
}
