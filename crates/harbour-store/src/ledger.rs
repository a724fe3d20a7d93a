//! The ledger behind the audit trail: audit events are sequenced into an RFC 9162 Merkle tree
//! by one committer task per process, in batches (group commit), and each batch ends with a
//! signed tree head, all in one transaction. Callers wait until their event is in a committed
//! batch, so an acknowledged action is never missing from the ledger; events committed before
//! a crash but not yet sequenced are sequenced when the committer next starts.
//!
//! Leaves are the canonical JSON of the event with its index (so moving an event to another
//! position changes its hash). They hold ids and metadata only, never record content, so the
//! ledger outlives the deletion of the records it mentions.

use std::collections::HashMap;
use std::sync::Arc;

use harbour_ledger::{
    closed_subtrees, leaf_hash, node_hash, Hash, LedgerError, MemoryTree, SignedTreeHead, Subtrees, TreeHead,
    TreeSigner,
};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, Row};
use tokio::sync::{mpsc, oneshot};

use crate::audit::AuditRecord;
use crate::{Backend, Store, StoreError};

type Waiter = oneshot::Sender<Result<(), String>>;

/// The running committer.
pub(crate) struct LedgerHandle {
    kick: mpsc::UnboundedSender<Waiter>,
    public_key: String,
}

/// The canonical form of an entry: field order fixed, index included.
#[derive(Serialize)]
struct Leaf<'a> {
    index: u64,
    at: &'a str,
    actor_id: Option<&'a str>,
    actor_org: Option<&'a str>,
    action: &'a str,
    target_kind: &'a str,
    target_id: Option<&'a str>,
    person_id: Option<&'a str>,
    purpose: Option<&'a str>,
    outcome: &'a str,
    policy_ids: &'a [String],
}

/// The bytes of the leaf for an audit record at `index`.
pub fn leaf_bytes(index: u64, r: &AuditRecord) -> Vec<u8> {
    serde_json::to_vec(&Leaf {
        index,
        at: &r.at,
        actor_id: r.actor_id.as_deref(),
        actor_org: r.actor_org.as_deref(),
        action: &r.action,
        target_kind: &r.target_kind,
        target_id: r.target_id.as_deref(),
        person_id: r.person_id.as_deref(),
        purpose: r.purpose.as_deref(),
        outcome: &r.outcome,
        policy_ids: &r.policy_ids,
    })
    .expect("leaf serialises")
}

fn to_hash(bytes: Vec<u8>) -> Result<Hash, StoreError> {
    bytes.try_into().map_err(|_| StoreError::Corrupt("a ledger hash is not 32 bytes".into()))
}

async fn node(conn: &mut AnyConnection, level: u32, idx: u64) -> Result<Hash, StoreError> {
    let bytes: Vec<u8> = sqlx::query_scalar("SELECT hash FROM ledger_nodes WHERE level = $1 AND idx = $2")
        .bind(i64::from(level))
        .bind(idx as i64)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("ledger node {level}/{idx} is missing")))?;
    to_hash(bytes)
}

/// Subtree hashes fetched ahead for one proof or root: the proof code is run once to learn
/// which subtrees it needs, they are read in one go, and it is run again over them.
struct Prefetched(HashMap<(u32, u64), Hash>);

struct Recorder(std::cell::RefCell<Vec<(u32, u64)>>);

impl Subtrees for Recorder {
    fn subtree(&self, level: u32, index: u64) -> Result<Hash, LedgerError> {
        self.0.borrow_mut().push((level, index));
        Ok([0; 32])
    }
}

impl Subtrees for Prefetched {
    fn subtree(&self, level: u32, index: u64) -> Result<Hash, LedgerError> {
        self.0.get(&(level, index)).copied().ok_or(LedgerError::Missing { level, index, reason: "not fetched".into() })
    }
}

async fn with_subtrees<T>(
    conn: &mut AnyConnection,
    f: impl Fn(&dyn Subtrees) -> Result<T, LedgerError>,
) -> Result<T, StoreError> {
    let rec = Recorder(Default::default());
    f(&rec).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let mut map = HashMap::new();
    for (level, idx) in rec.0.into_inner() {
        if let std::collections::hash_map::Entry::Vacant(v) = map.entry((level, idx)) {
            v.insert(node(conn, level, idx).await?);
        }
    }
    f(&Prefetched(map)).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The number of sequenced entries: one more than the highest leaf index (an index lookup,
/// not a count, so it stays cheap at millions of entries).
pub(crate) async fn tree_size(conn: &mut AnyConnection) -> Result<u64, StoreError> {
    let top: Option<i64> =
        sqlx::query_scalar("SELECT MAX(idx) FROM ledger_nodes WHERE level = 0").fetch_one(&mut *conn).await?;
    Ok(top.map_or(0, |t| t as u64 + 1))
}

fn now_ms() -> u64 {
    jiff::Timestamp::now().as_millisecond().max(0) as u64
}

/// Sequences every unsequenced event and signs the new head, in one transaction.
async fn commit_batch(pool: &AnyPool, backend: Backend, signer: &TreeSigner) -> Result<u64, StoreError> {
    let mut tx = pool.begin().await?;
    if backend == Backend::Postgres {
        // One committer at a time, even with several Harbour processes on one database.
        sqlx::query("SELECT pg_advisory_xact_lock(916203)").execute(&mut *tx).await?;
    }
    let rows = sqlx::query(&format!(
        "SELECT {} FROM audit_events WHERE leaf_index IS NULL ORDER BY seq",
        crate::audit::COLUMNS
    ))
    .fetch_all(&mut *tx)
    .await?;
    if rows.is_empty() {
        tx.commit().await?;
        return Ok(0);
    }
    let start = tree_size(&mut tx).await?;
    // Every new subtree's left half is either new in this batch or one of the complete
    // subtrees that make up the tree so far (its "frontier"): read those, compute the rest in
    // memory, and write the batch in a few multi-row statements.
    let mut nodes: HashMap<(u32, u64), Hash> = HashMap::new();
    for (level, idx) in frontier(start) {
        nodes.insert((level, idx), node(&mut tx, level, idx).await?);
    }
    let mut new_nodes: Vec<(u32, u64, Hash)> = Vec::with_capacity(rows.len() * 2);
    let mut indices: Vec<(i64, i64)> = Vec::with_capacity(rows.len());
    for (k, row) in rows.iter().enumerate() {
        let index = start + k as u64;
        let record = crate::audit::record_from_row(row)?;
        let leaf = leaf_hash(&leaf_bytes(index, &record));
        indices.push((record.seq, index as i64));
        nodes.insert((0, index), leaf);
        new_nodes.push((0, index, leaf));
        for (level, idx) in closed_subtrees(index) {
            let left = nodes[&(level - 1, 2 * idx)];
            let right = nodes[&(level - 1, 2 * idx + 1)];
            let hash = node_hash(&left, &right);
            nodes.insert((level, idx), hash);
            new_nodes.push((level, idx, hash));
        }
    }
    for chunk in indices.chunks(BATCH_ROWS) {
        let cases: String = (0..chunk.len()).map(|i| format!(" WHEN ${} THEN ${}", 2 * i + 1, 2 * i + 2)).collect();
        let list: Vec<String> = (0..chunk.len()).map(|i| format!("${}", 2 * i + 1)).collect();
        let sql =
            format!("UPDATE audit_events SET leaf_index = CASE seq{cases} END WHERE seq IN ({})", list.join(", "));
        let mut q = sqlx::query(&sql);
        for (seq, index) in chunk {
            q = q.bind(*seq).bind(*index);
        }
        q.execute(&mut *tx).await?;
    }
    for chunk in new_nodes.chunks(BATCH_ROWS) {
        let values: Vec<String> =
            (0..chunk.len()).map(|i| format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3)).collect();
        let sql = format!("INSERT INTO ledger_nodes (level, idx, hash) VALUES {}", values.join(", "));
        let mut q = sqlx::query(&sql);
        for (level, idx, hash) in chunk {
            q = q.bind(i64::from(*level)).bind(*idx as i64).bind(hash.to_vec());
        }
        q.execute(&mut *tx).await?;
    }
    let size = start + rows.len() as u64;
    let root = harbour_ledger::root(&Prefetched(nodes), size).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let head = signer.sign(TreeHead { tree_size: size, timestamp_ms: now_ms(), root_hash: root });
    insert_head(&mut tx, &head).await?;
    tx.commit().await?;
    Ok(rows.len() as u64)
}

/// Rows per multi-row statement (well under both databases' parameter limits).
const BATCH_ROWS: usize = 200;

/// The complete subtrees that make up a tree of `size` leaves, largest first.
fn frontier(size: u64) -> Vec<(u32, u64)> {
    let mut out = Vec::new();
    let mut offset = 0u64;
    for level in (0..64u32).rev() {
        if size & (1u64 << level) != 0 {
            out.push((level, offset >> level));
            offset += 1u64 << level;
        }
    }
    out
}

async fn insert_head(conn: &mut AnyConnection, sth: &SignedTreeHead) -> Result<(), StoreError> {
    let head = sth.head().map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let sig = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &sth.signature)
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    sqlx::query("INSERT INTO ledger_heads (tree_size, timestamp_ms, root_hash, signature) VALUES ($1, $2, $3, $4)")
        .bind(head.tree_size as i64)
        .bind(head.timestamp_ms as i64)
        .bind(head.root_hash.to_vec())
        .bind(sig)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

fn head_from_row(r: &AnyRow, public_key: &str) -> Result<SignedTreeHead, StoreError> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    Ok(SignedTreeHead {
        tree_size: r.try_get::<i64, _>("tree_size")? as u64,
        timestamp_ms: r.try_get::<i64, _>("timestamp_ms")? as u64,
        root_hash: b64.encode(r.try_get::<Vec<u8>, _>("root_hash")?),
        signature: b64.encode(r.try_get::<Vec<u8>, _>("signature")?),
        public_key: public_key.to_string(),
    })
}

/// Where verification found the ledger wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerFault {
    /// The first entry index that is not as it was logged.
    pub index: u64,
    pub problem: String,
}

/// The result of checking the whole ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerReport {
    pub entries: u64,
    pub heads_checked: usize,
    pub fault: Option<LedgerFault>,
}

impl Store {
    /// Starts this process's ledger committer, signing heads with `signer`. Events already
    /// logged but not yet sequenced (e.g. before a crash) are sequenced first.
    pub async fn start_ledger(&mut self, signer: TreeSigner) -> Result<(), StoreError> {
        let signer = Arc::new(signer);
        let public_key =
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, signer.public_key().to_bytes());
        // A key other than the one the ledger was signed with would sign heads no verifier
        // trusts alongside the earlier ones: refuse it before signing anything.
        if let Some(head) = self.latest_tree_head(&public_key).await? {
            if head.verify(&signer.public_key()).is_err() {
                return Err(StoreError::Keys(
                    "the ledger key does not verify this ledger's signed tree heads: supply the key they were \
                     signed with (--ledger-key-file)"
                        .into(),
                ));
            }
        }
        commit_batch(&self.pool, self.backend, &signer).await?;
        let (kick, mut rx) = mpsc::unbounded_channel::<Waiter>();
        let (pool, backend) = (self.pool.clone(), self.backend);
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut waiters = vec![first];
                while let Ok(w) = rx.try_recv() {
                    waiters.push(w);
                }
                let result = commit_batch(&pool, backend, &signer).await.map(|_| ()).map_err(|e| e.to_string());
                if let Err(e) = &result {
                    tracing::error!(error = %e, "ledger batch failed");
                }
                for w in waiters {
                    let _ = w.send(result.clone());
                }
            }
        });
        self.ledger = Some(Arc::new(LedgerHandle { kick, public_key }));
        Ok(())
    }

    /// Waits until everything this caller has logged is sequenced and signed. Without a
    /// running committer (command-line tools) events wait for the next one to start.
    pub(crate) async fn sequenced(&self) -> Result<(), StoreError> {
        let Some(ledger) = &self.ledger else { return Ok(()) };
        let (tx, rx) = oneshot::channel();
        ledger.kick.send(tx).map_err(|_| StoreError::Ledger("the ledger committer has stopped".into()))?;
        rx.await.map_err(|_| StoreError::Ledger("the ledger committer has stopped".into()))?.map_err(StoreError::Ledger)
    }

    /// The base64 public key heads are signed with, once the committer runs.
    pub fn ledger_public_key(&self) -> Option<&str> {
        self.ledger.as_ref().map(|l| l.public_key.as_str())
    }

    /// The latest signed tree head, if anything has been logged.
    pub async fn latest_tree_head(&self, public_key: &str) -> Result<Option<SignedTreeHead>, StoreError> {
        let row = sqlx::query("SELECT * FROM ledger_heads ORDER BY tree_size DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| head_from_row(&r, public_key)).transpose()
    }

    /// RFC 9162 inclusion proof for entry `index` in the tree of `size` entries, with the leaf hash.
    pub async fn inclusion_proof(&self, index: u64, size: u64) -> Result<(Hash, Vec<Hash>), StoreError> {
        let mut conn = self.pool.acquire().await?;
        self.check_size(&mut conn, size).await?;
        if index >= size {
            return Err(StoreError::Conflict(format!("entry {index} is not in a tree of {size} entries")));
        }
        let leaf = node(&mut conn, 0, index).await?;
        let proof = with_subtrees(&mut conn, |s| harbour_ledger::inclusion_proof(s, index, size)).await?;
        Ok((leaf, proof))
    }

    /// RFC 9162 consistency proof between the trees of `old` and `new` entries.
    pub async fn consistency_proof(&self, old: u64, new: u64) -> Result<Vec<Hash>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        self.check_size(&mut conn, new).await?;
        if old == 0 || old > new {
            return Err(StoreError::Conflict(format!("a consistency proof needs 0 < first ({old}) <= second ({new})")));
        }
        with_subtrees(&mut conn, |s| harbour_ledger::consistency_proof(s, old, new)).await
    }

    /// The root hash of the first `size` entries.
    pub async fn ledger_root(&self, size: u64) -> Result<Hash, StoreError> {
        let mut conn = self.pool.acquire().await?;
        self.check_size(&mut conn, size).await?;
        with_subtrees(&mut conn, |s| harbour_ledger::root(s, size)).await
    }

    async fn check_size(&self, conn: &mut AnyConnection, size: u64) -> Result<(), StoreError> {
        let have = tree_size(conn).await?;
        if size > have {
            return Err(StoreError::Conflict(format!("the ledger has {have} entries, not {size}")));
        }
        Ok(())
    }

    /// How many entries the ledger holds (sequenced events).
    pub async fn ledger_tree_size(&self) -> Result<u64, StoreError> {
        let mut conn = self.pool.acquire().await?;
        tree_size(&mut conn).await
    }

    /// The entry at a leaf index.
    pub async fn ledger_entry(&self, index: u64) -> Result<AuditRecord, StoreError> {
        let row = sqlx::query(&format!("SELECT {} FROM audit_events WHERE leaf_index = $1", crate::audit::COLUMNS))
            .bind(index as i64)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found("ledger entry", index))?;
        crate::audit::record_from_row(&row)
    }

    /// Recomputes the whole tree from the entries and checks it against the stored leaf
    /// hashes and every signed tree head (with `trusted`), and optionally against a head
    /// saved earlier by a witness.
    pub async fn verify_ledger(
        &self,
        trusted: &harbour_ledger::VerifyingKey,
        against: Option<&SignedTreeHead>,
    ) -> Result<LedgerReport, StoreError> {
        let mut conn = self.pool.acquire().await?;
        verify_on(&mut conn, trusted, against).await
    }
}

/// [`Store::verify_ledger`] on one connection, so a restore can check the ledger it is about to
/// commit inside its own transaction.
pub(crate) async fn verify_on(
    conn: &mut AnyConnection,
    trusted: &harbour_ledger::VerifyingKey,
    against: Option<&SignedTreeHead>,
) -> Result<LedgerReport, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {}, leaf_index FROM audit_events WHERE leaf_index IS NOT NULL ORDER BY leaf_index",
        crate::audit::COLUMNS
    ))
    .fetch_all(&mut *conn)
    .await?;
    let stored: Vec<Vec<u8>> =
        sqlx::query_scalar("SELECT hash FROM ledger_nodes WHERE level = 0 ORDER BY idx").fetch_all(&mut *conn).await?;
    let mut tree = MemoryTree::new();
    let mut report = LedgerReport { entries: rows.len() as u64, heads_checked: 0, fault: None };
    report.fault = check_entries(&rows, &stored, &mut tree)?;
    if report.fault.is_some() {
        return Ok(report);
    }
    let n = tree.len();
    let heads = sqlx::query("SELECT * FROM ledger_heads ORDER BY tree_size").fetch_all(&mut *conn).await?;
    let covered = check_heads(&heads, trusted, &tree, &mut report)?;
    if report.fault.is_some() {
        return Ok(report);
    }
    if let Some(saved) = against {
        report.fault = check_saved_head(saved, trusted, &tree)?;
        if report.fault.is_some() {
            return Ok(report);
        }
    }
    if covered < n {
        report.fault =
            fault(covered, format!("entries {covered}..{n} are not covered by any signed tree head (inserted)"));
        return Ok(report);
    }
    Ok(report)
}

/// A fault at entry `index`, as verification reports it.
fn fault(index: u64, problem: String) -> Option<LedgerFault> {
    Some(LedgerFault { index, problem })
}

/// Rebuilds the tree in `tree` from the sequenced entries (`rows`, in leaf order), checking each
/// is at its place and hashes to the leaf hash logged for it, and that no leaf hash is left
/// over. Returns the first fault found, if any.
fn check_entries(
    rows: &[AnyRow],
    stored: &[Vec<u8>],
    tree: &mut MemoryTree,
) -> Result<Option<LedgerFault>, StoreError> {
    for (i, row) in rows.iter().enumerate() {
        let i = i as u64;
        let at: i64 = row.try_get("leaf_index")?;
        if at as u64 != i {
            let problem = if (at as u64) > i { "is missing (deleted)" } else { "appears twice (inserted)" };
            return Ok(fault(i, format!("entry {i} {problem}")));
        }
        let leaf = leaf_hash(&leaf_bytes(i, &crate::audit::record_from_row(row)?));
        if stored.get(i as usize).map(Vec::as_slice) != Some(&leaf[..]) {
            return Ok(fault(
                i,
                format!("entry {i} does not match the hash logged for it (altered, moved or inserted)"),
            ));
        }
        tree.push(leaf);
    }
    let n = tree.len();
    if stored.len() as u64 != n {
        return Ok(fault(n, format!("{} leaf hashes are logged but {n} entries remain", stored.len())));
    }
    Ok(None)
}

/// Checks every signed tree head (`heads`, smallest first) against `trusted` and the rebuilt
/// tree, counting in `report` those that pass and setting its fault at the first that does not.
/// Returns how many entries the last head that passed covers.
fn check_heads(
    heads: &[AnyRow],
    trusted: &harbour_ledger::VerifyingKey,
    tree: &MemoryTree,
    report: &mut LedgerReport,
) -> Result<u64, StoreError> {
    let n = tree.len();
    let mut covered = 0u64;
    for row in heads {
        let sth = head_from_row(row, "")?;
        let Ok(head) = sth.verify(trusted) else {
            report.fault = fault(covered, format!("the tree head for {} entries has a bad signature", sth.tree_size));
            return Ok(covered);
        };
        if head.tree_size > n {
            report.fault = fault(
                n,
                format!("a signed tree head covers {} entries but only {n} remain (truncated)", head.tree_size),
            );
            return Ok(covered);
        }
        if harbour_ledger::root(tree, head.tree_size).map_err(|e| StoreError::Corrupt(e.to_string()))? != head.root_hash
        {
            report.fault =
                fault(covered, format!("entries {covered}..{} do not hash to their signed tree head", head.tree_size));
            return Ok(covered);
        }
        covered = head.tree_size;
        report.heads_checked += 1;
    }
    Ok(covered)
}

/// Checks the rebuilt tree against a head saved earlier by a witness: its signature verifies
/// with `trusted`, and the tree is a consistent extension of it. Returns the fault, if any.
fn check_saved_head(
    saved: &SignedTreeHead,
    trusted: &harbour_ledger::VerifyingKey,
    tree: &MemoryTree,
) -> Result<Option<LedgerFault>, StoreError> {
    let n = tree.len();
    let head = match saved.verify(trusted) {
        Ok(h) => h,
        Err(_) => {
            return Ok(fault(0, "the saved tree head's signature does not verify with this ledger's key".into()));
        }
    };
    if head.tree_size > n {
        return Ok(fault(
            n,
            format!("the saved head covers {} entries but the ledger has {n} (truncated)", head.tree_size),
        ));
    }
    let new_root = tree.root();
    let proof = harbour_ledger::consistency_proof(tree, head.tree_size.max(1), n)
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let consistent = head.tree_size == 0
        || harbour_ledger::verify_consistency(head.tree_size, n, &head.root_hash, &new_root, &proof);
    if !consistent {
        return Ok(fault(
            0,
            format!(
                "the ledger is not a consistent extension of the saved head of {} entries (rewritten)",
                head.tree_size
            ),
        ));
    }
    Ok(None)
}
