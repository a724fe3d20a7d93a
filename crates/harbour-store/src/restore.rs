//! Restores that keep the ledger and the destruction log.
//!
//! A backup of the database holds the ledger (the audit trail, its subtree hashes and signed
//! tree heads) and the destruction log as they were when it was taken. Putting it back as it is
//! would rewind both: every entry logged since, destructions included, would vanish, and a
//! witness's saved tree head would then prove the honest restore a truncation. So a restore
//! carries them over: before the backup replaces the database, the ledger and the destruction
//! log are copied out of the database as it is (a *ledger copy*, a small SQLite file of ids and
//! hashes with no case data), and after the backup is in place what it lacks is re-appended,
//! byte for byte (each event keeps its sequence number and leaf index, each subtree hash and
//! signed head is copied as signed), so every earlier tree head still verifies and is proved
//! consistent with the new one. Then the restore itself is logged (`backup.restore`, naming how
//! many entries the backup's ledger held) and the files destroyed since the backup are dropped.
//!
//! Why re-append rather than a separate ledger database: audit events are appended in the same
//! transaction as the write they describe (a committed write is never unlogged), which a second
//! SQLite file cannot give (transactions across attached WAL databases are not atomic) and a
//! PostgreSQL `pg_dump` would not keep apart anyway (`pg_restore --clean` rewinds every table).
//! Carrying the ledger over keeps that guarantee and works the same on both databases.
//!
//! Re-appending refuses, changing nothing, unless the backup's ledger is an earlier state of the
//! copied one (their signed heads at the shorter length have the same root, and every event they
//! share is identical), and unless the result verifies: every entry rehashed, every head's
//! signature and root checked, inside the transaction that writes it.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use harbour_domain::PersonId;
use harbour_ledger::{TreeSigner, VerifyingKey};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::{AnyConnection, AnyPool, ConnectOptions, Row};

use crate::audit::AuditEvent;
use crate::keys::{create_private_file, load_ledger_signer};
use crate::ledger::{tree_size, verify_on};
use crate::{Backend, Keyring, Store, StoreError};

/// Written in every copy, so a file of another kind is refused.
const FORMAT: &str = "harbour-ledger-copy-v1";
/// Rows read per query when copying.
const PAGE: i64 = 1000;

#[derive(Clone, Copy)]
enum Kind {
    Text,
    Int,
    Blob,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Cell {
    Text(Option<String>),
    Int(Option<i64>),
    Blob(Option<Vec<u8>>),
}

/// A table copied between the database and a ledger copy, column by column.
struct Table {
    name: &'static str,
    columns: &'static [(&'static str, Kind)],
}

const AUDIT: Table = Table {
    name: "audit_events",
    columns: &[
        ("seq", Kind::Int),
        ("at", Kind::Text),
        ("actor_id", Kind::Text),
        ("actor_org", Kind::Text),
        ("action", Kind::Text),
        ("target_kind", Kind::Text),
        ("target_id", Kind::Text),
        ("person_id", Kind::Text),
        ("purpose", Kind::Text),
        ("outcome", Kind::Text),
        ("policy_ids", Kind::Text),
        ("leaf_index", Kind::Int),
    ],
};
/// Where `leaf_index` is in [`AUDIT`]'s columns (the rest is the event as logged).
const LEAF: usize = 11;

const NODES: Table =
    Table { name: "ledger_nodes", columns: &[("level", Kind::Int), ("idx", Kind::Int), ("hash", Kind::Blob)] };

const HEADS: Table = Table {
    name: "ledger_heads",
    columns: &[
        ("tree_size", Kind::Int),
        ("timestamp_ms", Kind::Int),
        ("root_hash", Kind::Blob),
        ("signature", Kind::Blob),
    ],
};

const DESTRUCTIONS: Table = Table {
    name: "destruction_log",
    columns: &[
        ("id", Kind::Text),
        ("certificate", Kind::Text),
        ("record_kind", Kind::Text),
        ("record_class", Kind::Text),
        ("record_id", Kind::Text),
        ("retention_class", Kind::Text),
        ("trigger_date", Kind::Text),
        ("disposal_date", Kind::Text),
        ("destroyed_at", Kind::Text),
        ("authorised_by", Kind::Text),
        ("approval_seq", Kind::Int),
        ("method", Kind::Text),
    ],
};

// The accounts that approved destructions, with their organisations and teams: a certificate
// names who authorised it, and a restore may predate the account. No password comes with them.
const ORGANISATIONS: Table = Table {
    name: "organisations",
    columns: &[
        ("id", Kind::Text),
        ("slug", Kind::Text),
        ("name", Kind::Text),
        ("category", Kind::Text),
        ("controller_role", Kind::Text),
        ("charter_signatory", Kind::Int),
        ("created_at", Kind::Text),
        ("kind", Kind::Text),
    ],
};

const TEAMS: Table =
    Table { name: "teams", columns: &[("id", Kind::Text), ("org_id", Kind::Text), ("name", Kind::Text)] };

const USERS: Table = Table {
    name: "users",
    columns: &[
        ("id", Kind::Text),
        ("username", Kind::Text),
        ("display_name", Kind::Text),
        ("org_id", Kind::Text),
        ("team_id", Kind::Text),
        ("role", Kind::Text),
        ("active", Kind::Int),
        ("created_at", Kind::Text),
    ],
};

impl Table {
    fn select(&self) -> String {
        self.columns.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", ")
    }

    fn create(&self) -> String {
        let cols: Vec<String> = self
            .columns
            .iter()
            .map(|(c, k)| {
                let ty = match k {
                    Kind::Text => "TEXT",
                    Kind::Int => "INTEGER",
                    Kind::Blob => "BLOB",
                };
                format!("{c} {ty}")
            })
            .collect();
        format!("CREATE TABLE {} ({})", self.name, cols.join(", "))
    }

    fn read(&self, row: &AnyRow) -> Result<Vec<Cell>, StoreError> {
        self.columns
            .iter()
            .enumerate()
            .map(|(i, (_, kind))| {
                Ok(match kind {
                    Kind::Text => Cell::Text(row.try_get(i)?),
                    Kind::Int => Cell::Int(row.try_get(i)?),
                    Kind::Blob => Cell::Blob(row.try_get(i)?),
                })
            })
            .collect()
    }

    /// Inserts rows as they are, in multi-row statements.
    async fn insert(&self, conn: &mut AnyConnection, rows: &[Vec<Cell>]) -> Result<(), StoreError> {
        let width = self.columns.len();
        // Well under SQLite's and PostgreSQL's limits on parameters per statement.
        for chunk in rows.chunks(400 / width) {
            let values: Vec<String> = (0..chunk.len())
                .map(|r| {
                    let params: Vec<String> = (0..width).map(|c| format!("${}", r * width + c + 1)).collect();
                    format!("({})", params.join(", "))
                })
                .collect();
            let sql = format!("INSERT INTO {} ({}) VALUES {}", self.name, self.select(), values.join(", "));
            let mut q = sqlx::query(&sql);
            for row in chunk {
                for cell in row {
                    q = match cell.clone() {
                        Cell::Text(v) => q.bind(v),
                        Cell::Int(v) => q.bind(v),
                        Cell::Blob(v) => q.bind(v),
                    };
                }
            }
            q.execute(&mut *conn).await?;
        }
        Ok(())
    }
}

fn int(cell: &Cell) -> Option<i64> {
    match cell {
        Cell::Int(v) => *v,
        _ => None,
    }
}

fn text(cell: &Cell) -> Option<&str> {
    match cell {
        Cell::Text(v) => v.as_deref(),
        _ => None,
    }
}

/// The rows of a table matching a clause, read a page at a time in the order of one of its
/// integer columns, so a copy of millions of entries never sits in memory at once.
struct Pages<'t> {
    table: &'t Table,
    key: usize,
    clause: &'static str,
    binds: Vec<i64>,
    after: Option<i64>,
    done: bool,
}

impl<'t> Pages<'t> {
    fn new(table: &'t Table, key: usize, clause: &'static str, binds: Vec<i64>) -> Self {
        Self { table, key, clause, binds, after: None, done: false }
    }

    async fn next(&mut self, conn: &mut AnyConnection) -> Result<Option<Vec<Vec<Cell>>>, StoreError> {
        if self.done {
            return Ok(None);
        }
        let key = self.table.columns[self.key].0;
        let n = self.binds.len();
        let after = match self.after {
            Some(_) => format!(" AND {key} > ${}", n + 1),
            None => String::new(),
        };
        let sql = format!(
            "SELECT {} FROM {} WHERE ({}){after} ORDER BY {key} LIMIT {PAGE}",
            self.table.select(),
            self.table.name,
            self.clause
        );
        let mut q = sqlx::query(&sql);
        for b in &self.binds {
            q = q.bind(*b);
        }
        if let Some(after) = self.after {
            q = q.bind(after);
        }
        let rows = q.fetch_all(&mut *conn).await?;
        let page: Vec<Vec<Cell>> = rows.iter().map(|r| self.table.read(r)).collect::<Result<_, _>>()?;
        self.done = (page.len() as i64) < PAGE;
        match page.last().and_then(|r| int(&r[self.key])) {
            Some(last) => {
                self.after = Some(last);
                Ok(Some(page))
            }
            None => {
                self.done = true;
                Ok(None)
            }
        }
    }
}

/// Every row of a table keyed by text (`id`), whose ids are in `ids` (all of them if None).
async fn rows_by_id(
    conn: &mut AnyConnection,
    table: &Table,
    ids: Option<&[String]>,
) -> Result<Vec<Vec<Cell>>, StoreError> {
    let mut out = Vec::new();
    match ids {
        None => {
            let sql = format!("SELECT {} FROM {} ORDER BY id", table.select(), table.name);
            for r in sqlx::query(&sql).fetch_all(&mut *conn).await? {
                out.push(table.read(&r)?);
            }
        }
        Some(ids) => {
            for chunk in ids.chunks(200) {
                let list: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
                let sql = format!("SELECT {} FROM {} WHERE id IN ({})", table.select(), table.name, list.join(", "));
                let mut q = sqlx::query(&sql);
                for id in chunk {
                    q = q.bind(id.clone());
                }
                for r in q.fetch_all(&mut *conn).await? {
                    out.push(table.read(&r)?);
                }
            }
        }
    }
    Ok(out)
}

async fn ids_of(conn: &mut AnyConnection, table: &str) -> Result<HashSet<String>, StoreError> {
    Ok(sqlx::query_scalar(&format!("SELECT id FROM {table}")).fetch_all(&mut *conn).await?.into_iter().collect())
}

async fn open_copy(path: &Path, write: bool) -> Result<AnyPool, StoreError> {
    sqlx::any::install_default_drivers();
    let url = format!("sqlite://{}?mode={}", path.display(), if write { "rw" } else { "ro" });
    let options = url.parse::<AnyConnectOptions>()?.disable_statement_logging();
    Ok(AnyPoolOptions::new().max_connections(1).connect_with(options).await?)
}

async fn meta(conn: &mut AnyConnection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT value FROM copy_meta WHERE key = $1").bind(key).fetch_optional(&mut *conn).await?)
}

/// What a ledger copy holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerCopy {
    /// Entries in the ledger when it was copied.
    pub tree_size: u64,
    /// The first entry copied (entries before it are in the backup it will be re-appended to).
    pub from: u64,
    /// Lines of the destruction log (all of them).
    pub destruction_records: u64,
}

/// What re-appending a ledger copy added to a restored database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Carried {
    /// Entries the copied ledger held.
    pub copy_tree_size: u64,
    /// Ledger entries the backup lacked, re-appended.
    pub entries: u64,
    /// Signed tree heads re-appended.
    pub heads: u64,
    /// Destruction log lines the backup lacked, re-appended, and their certificates.
    pub destruction_records: u64,
    pub certificates: u64,
}

/// The outcome of a restore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    /// Entries in the backup's own ledger (the `backup.restore` entry names it).
    pub backup_tree_size: u64,
    /// What was carried over from the ledger before the restore; None if there was nothing to
    /// carry it from (the entries logged after the backup was taken are then not in the ledger).
    pub carried: Option<Carried>,
    /// Files dropped because they were destroyed since the backup was taken.
    pub dropped: Vec<PersonId>,
    /// The ledger entry (leaf index) that records the restore.
    pub entry: u64,
    /// Entries in the ledger after the restore, its own entries included; it verifies.
    pub tree_size: u64,
}

impl Store {
    /// Writes a ledger copy to `path` (a new file, mode 0600): the audit events from entry
    /// `from` on and every event not yet sequenced, the subtree hashes and signed heads from
    /// there, the whole destruction log, and the accounts (no passwords) that approved
    /// destructions. It holds ids, hashes and metadata, no case data. Read in one snapshot
    /// (repeatable read on PostgreSQL), so it is consistent while Harbour runs.
    pub async fn export_ledger(&self, path: &Path, from: u64) -> Result<LedgerCopy, StoreError> {
        match create_private_file(path) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(StoreError::Conflict(format!("{} already exists", path.display())));
            }
            Err(e) => return Err(e.into()),
        }
        let written = self.write_copy(path, from).await;
        if written.is_err() {
            let _ = std::fs::remove_file(path);
        }
        written
    }

    async fn write_copy(&self, path: &Path, from: u64) -> Result<LedgerCopy, StoreError> {
        let copy = open_copy(path, true).await?;
        let result = async {
            let mut out = copy.begin().await?;
            Self::create_copy_tables(&mut out).await?;

            let mut src = self.pool.begin().await?;
            if self.backend == Backend::Postgres {
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute(&mut *src).await?;
            }
            let size = tree_size(&mut src).await?;
            let from = from.min(size);
            let from_i = from as i64;

            let mut events = Pages::new(&AUDIT, 0, "leaf_index >= $1 OR leaf_index IS NULL", vec![from_i]);
            while let Some(page) = events.next(&mut src).await? {
                AUDIT.insert(&mut out, &page).await?;
            }
            // The subtrees not wholly inside the first `from` entries.
            Self::copy_subtrees(&mut src, &mut out, from_i).await?;
            let mut heads = Pages::new(&HEADS, 0, "tree_size >= $1", vec![from_i]);
            while let Some(page) = heads.next(&mut src).await? {
                HEADS.insert(&mut out, &page).await?;
            }
            let destruction_records = Self::copy_destructions(&mut src, &mut out).await?;
            src.commit().await?;

            Self::write_copy_meta(&mut out, size, from).await?;
            out.commit().await?;
            Ok(LedgerCopy { tree_size: size, from, destruction_records })
        }
        .await;
        copy.close().await;
        result
    }

    /// Creates a ledger copy's tables (its metadata and the tables it copies) and indexes.
    async fn create_copy_tables(out: &mut AnyConnection) -> Result<(), StoreError> {
        sqlx::query("CREATE TABLE copy_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)").execute(&mut *out).await?;
        for t in [&AUDIT, &NODES, &HEADS, &DESTRUCTIONS, &ORGANISATIONS, &TEAMS, &USERS] {
            sqlx::query(&t.create()).execute(&mut *out).await?;
        }
        sqlx::query("CREATE INDEX copy_audit_leaf ON audit_events (leaf_index)").execute(&mut *out).await?;
        sqlx::query("CREATE UNIQUE INDEX copy_audit_seq ON audit_events (seq)").execute(&mut *out).await?;
        sqlx::query("CREATE UNIQUE INDEX copy_nodes ON ledger_nodes (level, idx)").execute(&mut *out).await?;
        Ok(())
    }

    /// Copies from `src` to `out` the subtree hashes not wholly inside the first `entries`
    /// entries, level by level (a level with none has none above it).
    async fn copy_subtrees(src: &mut AnyConnection, out: &mut AnyConnection, entries: i64) -> Result<(), StoreError> {
        for level in 0..64i64 {
            let mut nodes = Pages::new(&NODES, 1, "level = $1 AND idx >= $2", vec![level, entries >> level]);
            let mut any = false;
            while let Some(page) = nodes.next(&mut *src).await? {
                any = true;
                NODES.insert(&mut *out, &page).await?;
            }
            if !any {
                break;
            }
        }
        Ok(())
    }

    /// Copies the whole destruction log from the database (`src`) to a ledger copy (`out`), with
    /// the accounts that approved destructions and their teams and organisations. Returns how
    /// many lines the log holds.
    async fn copy_destructions(src: &mut AnyConnection, out: &mut AnyConnection) -> Result<u64, StoreError> {
        let destructions = rows_by_id(&mut *src, &DESTRUCTIONS, None).await?;
        DESTRUCTIONS.insert(&mut *out, &destructions).await?;
        let mut users: Vec<String> = destructions.iter().filter_map(|d| text(&d[9]).map(str::to_string)).collect();
        users.sort();
        users.dedup();
        let users = rows_by_id(&mut *src, &USERS, Some(&users)).await?;
        let mut teams: Vec<String> = users.iter().filter_map(|u| text(&u[4]).map(str::to_string)).collect();
        teams.sort();
        teams.dedup();
        let mut orgs: Vec<String> = users.iter().filter_map(|u| text(&u[3]).map(str::to_string)).collect();
        let teams = rows_by_id(&mut *src, &TEAMS, Some(&teams)).await?;
        orgs.extend(teams.iter().filter_map(|t| text(&t[1]).map(str::to_string)));
        orgs.sort();
        orgs.dedup();
        let orgs = rows_by_id(&mut *src, &ORGANISATIONS, Some(&orgs)).await?;
        ORGANISATIONS.insert(&mut *out, &orgs).await?;
        TEAMS.insert(&mut *out, &teams).await?;
        USERS.insert(&mut *out, &users).await?;
        Ok(destructions.len() as u64)
    }

    /// Records in a ledger copy what it is, how many entries the ledger held, the first entry
    /// copied, and when.
    async fn write_copy_meta(out: &mut AnyConnection, size: u64, from: u64) -> Result<(), StoreError> {
        for (key, value) in [
            ("format", FORMAT.to_string()),
            ("tree_size", size.to_string()),
            ("from", from.to_string()),
            ("copied_at", crate::time::now()),
        ] {
            sqlx::query("INSERT INTO copy_meta (key, value) VALUES ($1, $2)")
                .bind(key)
                .bind(value)
                .execute(&mut *out)
                .await?;
        }
        Ok(())
    }

    /// Re-appends to this (restored) database what its ledger and destruction log lack from a
    /// ledger copy taken before the restore, in one transaction that also verifies the result
    /// with `trusted`. Refused, changing nothing, if the file is not a ledger copy, if it starts
    /// after this ledger ends, or if this ledger is not an earlier state of the copied one.
    pub async fn reappend_ledger(&self, path: &Path, trusted: &VerifyingKey) -> Result<Carried, StoreError> {
        if !path.is_file() {
            return Err(StoreError::Conflict(format!("no ledger copy at {}", path.display())));
        }
        let copy = open_copy(path, false).await?;
        let result = self.reappend_from(&copy, path, trusted).await;
        copy.close().await;
        result
    }

    async fn reappend_from(&self, copy: &AnyPool, path: &Path, trusted: &VerifyingKey) -> Result<Carried, StoreError> {
        let mut src = copy.acquire().await?;
        let (a, from) = Self::read_copy_sizes(&mut src, path).await?;

        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            // No ledger committer may sequence events while the ledger is being put back.
            sqlx::query("SELECT pg_advisory_xact_lock(916203)").execute(&mut *tx).await?;
        }
        let b = tree_size(&mut tx).await?;
        Self::check_copy_continues(&mut tx, &mut src, a, b, from).await?;

        let entries = Self::reappend_events(&mut tx, &mut src, b).await?;

        // The subtree hashes not wholly inside the backup's entries, and the later heads.
        Self::copy_subtrees(&mut src, &mut tx, b as i64).await?;
        let mut heads = 0u64;
        let mut later = Pages::new(&HEADS, 0, "tree_size > $1", vec![b as i64]);
        while let Some(page) = later.next(&mut src).await? {
            heads += page.len() as u64;
            HEADS.insert(&mut tx, &page).await?;
        }

        let (destruction_records, certificates) = Self::reappend_destructions(&mut tx, &mut src).await?;

        if self.backend == Backend::Postgres {
            // Events were inserted with their own numbers: the next one must come after them.
            sqlx::query(
                "SELECT setval(pg_get_serial_sequence('audit_events', 'seq'), \
                 (SELECT COALESCE(MAX(seq), 1) FROM audit_events))",
            )
            .execute(&mut *tx)
            .await?;
        }
        let report = verify_on(&mut tx, trusted, None).await?;
        if let Some(f) = report.fault {
            return Err(StoreError::Ledger(format!(
                "with the copy re-appended the ledger would not verify (entry {}: {}); nothing was changed",
                f.index, f.problem
            )));
        }
        tx.commit().await?;
        Ok(Carried { copy_tree_size: a, entries, heads, destruction_records, certificates })
    }

    /// Checks the file at `path` is a ledger copy and reads how many entries the copied ledger
    /// held and the first entry copied.
    async fn read_copy_sizes(src: &mut AnyConnection, path: &Path) -> Result<(u64, u64), StoreError> {
        let not_a_copy = || StoreError::Conflict(format!("{} is not a copy of a Harbour ledger", path.display()));
        let format = meta(&mut *src, "format").await.map_err(|_| not_a_copy())?;
        if format.as_deref() != Some(FORMAT) {
            return Err(not_a_copy());
        }
        let number = |v: Option<String>| v.and_then(|s| s.parse::<u64>().ok()).ok_or_else(not_a_copy);
        let a = number(meta(&mut *src, "tree_size").await?)?;
        let from = number(meta(&mut *src, "from").await?)?;
        Ok((a, from))
    }

    /// Checks the copy (of `a` entries, from entry `from`) continues this ledger (of `b`
    /// entries): it leaves no gap after this ledger's end, and both ledgers agree where they
    /// overlap (the same signed root at the shorter length).
    async fn check_copy_continues(
        tx: &mut AnyConnection,
        src: &mut AnyConnection,
        a: u64,
        b: u64,
        from: u64,
    ) -> Result<(), StoreError> {
        if from > b {
            return Err(StoreError::Conflict(format!(
                "the ledger copy starts at entry {from} but the restored ledger ends at entry {b}: entries between \
                 would be missing; copy the ledger from the database as it was before the restore"
            )));
        }
        // Both ledgers must agree where they overlap: the same signed root at the shorter length.
        let shorter = a.min(b);
        if shorter > 0 {
            let root = "SELECT root_hash FROM ledger_heads WHERE tree_size = $1";
            let here: Option<Vec<u8>> = sqlx::query_scalar(root).bind(shorter as i64).fetch_optional(&mut *tx).await?;
            let there: Option<Vec<u8>> =
                sqlx::query_scalar(root).bind(shorter as i64).fetch_optional(&mut *src).await?;
            if here.is_none() || here != there {
                return Err(StoreError::Conflict(format!(
                    "the restored database's ledger ({b} entries) is not an earlier state of the copied ledger \
                     ({a} entries): their signed tree heads at {shorter} entries differ. Is the copy from this \
                     installation? Nothing was changed"
                )));
            }
        }
        Ok(())
    }

    /// Re-appends the copy's events from entry `b` on, and those it never sequenced: those the
    /// backup lacks are inserted; those it logged before the committer sequenced them get the
    /// leaf index they were given since. Returns how many ledger entries that adds.
    async fn reappend_events(tx: &mut AnyConnection, src: &mut AnyConnection, b: u64) -> Result<u64, StoreError> {
        // Read a page from the copy, then settle it against this database: the copy's file has
        // its own connection, so the two are read and written in turn.
        let mut events = Pages::new(&AUDIT, 0, "leaf_index >= $1 OR leaf_index IS NULL", vec![b as i64]);
        let mut entries = 0u64;
        while let Some(page) = events.next(&mut *src).await? {
            entries += Self::settle_events(tx, page).await?;
        }
        Ok(entries)
    }

    /// Settles one page of the copy's events against this database: inserts those it lacks and
    /// sets the leaf index of those it has unsequenced, refusing if an event differs. Returns
    /// how many ledger entries that adds.
    async fn settle_events(tx: &mut AnyConnection, page: Vec<Vec<Cell>>) -> Result<u64, StoreError> {
        let (Some(lo), Some(hi)) = (page.first().and_then(|r| int(&r[0])), page.last().and_then(|r| int(&r[0]))) else {
            return Ok(0);
        };
        let sql = format!("SELECT {} FROM audit_events WHERE seq >= $1 AND seq <= $2", AUDIT.select());
        let mut have: HashMap<i64, Vec<Cell>> = HashMap::new();
        for r in sqlx::query(&sql).bind(lo).bind(hi).fetch_all(&mut *tx).await? {
            let row = AUDIT.read(&r)?;
            have.insert(int(&row[0]).unwrap_or_default(), row);
        }
        let mut entries = 0u64;
        let mut missing = Vec::new();
        for row in page {
            let seq = int(&row[0]).unwrap_or_default();
            let leaf = int(&row[LEAF]);
            match have.get(&seq) {
                None => {
                    entries += u64::from(leaf.is_some());
                    missing.push(row);
                }
                Some(mine) if mine[..LEAF] != row[..LEAF] => {
                    return Err(StoreError::Conflict(format!(
                        "audit event {seq} differs between the restored database and the ledger copy: they are \
                         not the same ledger. Nothing was changed"
                    )));
                }
                Some(mine) => match (int(&mine[LEAF]), leaf) {
                    (None, Some(index)) => {
                        sqlx::query("UPDATE audit_events SET leaf_index = $1 WHERE seq = $2")
                            .bind(index)
                            .bind(seq)
                            .execute(&mut *tx)
                            .await?;
                        entries += 1;
                    }
                    (Some(x), Some(y)) if x != y => {
                        return Err(StoreError::Conflict(format!(
                            "audit event {seq} is entry {x} in the restored database but entry {y} in the ledger \
                             copy: was Harbour started on the restored database before it was reconciled? \
                             Nothing was changed"
                        )));
                    }
                    _ => {}
                },
            }
        }
        AUDIT.insert(&mut *tx, &missing).await?;
        Ok(entries)
    }

    /// Re-appends the destruction log lines the backup lacks, with the accounts their
    /// certificates name (inactive, without passwords) and their teams and organisations.
    /// Returns how many lines were re-appended and how many certificates they make up.
    async fn reappend_destructions(tx: &mut AnyConnection, src: &mut AnyConnection) -> Result<(u64, u64), StoreError> {
        let known = ids_of(&mut *tx, "destruction_log").await?;
        let lines: Vec<Vec<Cell>> = rows_by_id(&mut *src, &DESTRUCTIONS, None)
            .await?
            .into_iter()
            .filter(|d| text(&d[0]).is_some_and(|id| !known.contains(id)))
            .collect();
        for table in [&ORGANISATIONS, &TEAMS, &USERS] {
            let have = ids_of(&mut *tx, table.name).await?;
            let rows: Vec<Vec<Cell>> = rows_by_id(&mut *src, table, None)
                .await?
                .into_iter()
                .filter(|r| text(&r[0]).is_some_and(|id| !have.contains(id)))
                .map(|mut r| {
                    if table.name == USERS.name {
                        // Brought back to name who authorised a destruction, not to sign in:
                        // no password comes with them, and they stay inactive.
                        r[6] = Cell::Int(Some(0));
                    }
                    r
                })
                .collect();
            table.insert(&mut *tx, &rows).await?;
        }
        DESTRUCTIONS.insert(&mut *tx, &lines).await?;
        let certificates: HashSet<&str> = lines.iter().filter_map(|d| text(&d[1])).collect();
        Ok((lines.len() as u64, certificates.len() as u64))
    }

    /// Finishes a restore of this database from a backup: re-appends the ledger and destruction
    /// log from `copy` (taken before the restore; None if there is none), starts the ledger with
    /// `signer`, logs the restore (`backup.restore`, naming how many entries the backup's ledger
    /// held), drops the files destroyed since the backup was taken, and checks the whole ledger
    /// verifies.
    pub async fn finish_restore(
        &mut self,
        copy: Option<&Path>,
        signer: TreeSigner,
    ) -> Result<RestoreReport, StoreError> {
        let trusted = signer.public_key();
        let backup_tree_size = self.ledger_tree_size().await?;
        let carried = match copy {
            Some(path) => Some(self.reappend_ledger(path, &trusted).await?),
            None => None,
        };
        self.start_ledger(signer).await?;
        let purpose = match &carried {
            Some(c) => format!(
                "database restored from a backup whose ledger held {backup_tree_size} entries; the ledger of {} \
                 entries and the destruction log were kept",
                c.copy_tree_size.max(backup_tree_size)
            ),
            None => format!(
                "database restored from a backup whose ledger held {backup_tree_size} entries; no later ledger \
                 was there to keep"
            ),
        };
        self.audit(&AuditEvent::new("backup.restore", "ledger").target(backup_tree_size).purpose(purpose)).await?;
        let entry: Option<i64> = sqlx::query_scalar(
            "SELECT leaf_index FROM audit_events WHERE action = 'backup.restore' ORDER BY seq DESC LIMIT 1",
        )
        .fetch_one(&self.pool)
        .await?;
        let entry = entry.ok_or_else(|| StoreError::Ledger("the restore was not sequenced into the ledger".into()))?;
        let dropped = self.drop_files_without_keys().await?;
        let report = self.verify_ledger(&trusted, None).await?;
        if let Some(f) = report.fault {
            return Err(StoreError::Ledger(format!(
                "after the restore the ledger does not verify at entry {}: {}",
                f.index, f.problem
            )));
        }
        Ok(RestoreReport { backup_tree_size, carried, dropped, entry: entry as u64, tree_size: report.entries })
    }
}

/// Files a SQLite restore makes beside the database, removed however it ends.
struct Scratch(Vec<PathBuf>);

impl Drop for Scratch {
    fn drop(&mut self) {
        for p in &self.0 {
            let _ = std::fs::remove_file(p);
        }
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Puts a SQLite backup back as `<data dir>/harbour.db`, keeping the ledger and destruction log.
///
/// The backup is copied beside the database (mode 0600) and finished there: the ledger and
/// destruction log are copied from the database as it is (if there is one; else from
/// `ledger_copy`, if given), re-appended, the restore logged, destroyed files dropped and the
/// ledger verified. Only then does the result replace the database, in one rename. On any
/// failure the database is left as it was (Harbour must not be running on it meanwhile).
///
/// The ledger key is `ledger_key_file`, else `<data dir>/keys/ledger.key`, made only if the
/// ledger to be continued (the database's, else the backup's) has no signed heads.
pub async fn restore_sqlite_backup(
    data_dir: &Path,
    backup: &Path,
    keys: Keyring,
    ledger_key_file: Option<&Path>,
    ledger_copy: Option<&Path>,
) -> Result<RestoreReport, StoreError> {
    let live = data_dir.join("harbour.db");
    let staged = with_suffix(&live, ".restoring");
    let carried_copy = with_suffix(&live, ".ledger-copy");
    let mut scratch = Scratch(Vec::new());
    for p in [&staged, &carried_copy] {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let f = with_suffix(p, suffix);
            // Left by a restore that was interrupted: never part of the database.
            let _ = std::fs::remove_file(&f);
            scratch.0.push(f);
        }
    }
    {
        let mut from = std::fs::File::open(backup)?;
        let mut to = create_private_file(&staged)?;
        std::io::copy(&mut from, &mut to)?;
        to.sync_all()?;
    }
    let mut restored = Store::open(&Store::sqlite_file_url(&staged), keys.clone()).await?;
    let (copy, signer): (Option<PathBuf>, TreeSigner) = if live.exists() {
        if ledger_copy.is_some() {
            return Err(StoreError::Conflict(
                "the database's own ledger is carried over when there is one; a ledger copy is for restoring \
                 where the database is gone"
                    .into(),
            ));
        }
        let mut current = Store::open(&Store::sqlite_url(data_dir), keys).await?;
        let unsigned = current.latest_tree_head("").await?.is_none();
        let signer = load_ledger_signer(data_dir, ledger_key_file, unsigned)?;
        // Sequence and sign what was logged since Harbour last ran, so the copy is complete.
        current.start_ledger(TreeSigner::from_secret(signer.secret())).await?;
        let from = restored.ledger_tree_size().await?;
        let copied = current.export_ledger(&carried_copy, from).await;
        current.scrub().await?;
        current.close().await;
        copied?;
        (Some(carried_copy.clone()), signer)
    } else {
        let unsigned = restored.latest_tree_head("").await?.is_none();
        (ledger_copy.map(Path::to_path_buf), load_ledger_signer(data_dir, ledger_key_file, unsigned)?)
    };
    let report = restored.finish_restore(copy.as_deref(), signer).await?;
    restored.scrub().await?;
    restored.close().await;
    if std::fs::metadata(with_suffix(&staged, "-wal")).is_ok_and(|m| m.len() > 0) {
        return Err(StoreError::Conflict("the restored database's write-ahead log could not be emptied".into()));
    }
    for stale in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(&live, stale));
    }
    std::fs::rename(&staged, &live)?;
    Ok(report)
}
