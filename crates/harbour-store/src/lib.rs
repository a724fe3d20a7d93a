//! Harbour's storage: one `Store` over SQLite or PostgreSQL (through sqlx's `Any` driver, with
//! one migrations folder per backend), the repositories for case records, accounts and the
//! audit trail, and the sealing of sensitive fields with per-person data keys.
//!
//! This crate knows nothing of HTTP and makes no access decisions: callers decide who may do
//! what and hand the store an [`AuditEvent`] to append in the same transaction as the write.

mod accounts;
mod agreements;
mod audit;
mod cases;
mod consent;
mod emergency;
mod error;
mod intake;
mod keys;
mod ledger;
mod packs;
pub mod person_file;
mod person_updates;
mod restore;
mod retention;
mod rights;
mod rights_effects;
mod sharing;
mod subject_access;
mod time;
mod vault;

use std::path::Path;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Executor};

pub use accounts::{LoginLimits, LoginThrottled, Session, UserCredentials};
pub use audit::{AuditEvent, AuditRecord, Outcome};
pub use cases::{AccessFacts, PersonQuery};
pub use error::StoreError;
pub use intake::{Receipt, TriagedChild};
pub use keys::{create_private_dir, create_private_file, ledger_signer, load_ledger_signer, Keyring};
pub use ledger::{leaf_bytes, LedgerFault, LedgerReport};
pub use packs::StoredPack;
pub use restore::{restore_sqlite_backup, Carried, LedgerCopy, RestoreReport};
pub use retention::{
    Destruction, DestructionRecord, QueueChange, Review, SweepEpisode, SweepPage, SweepRow,
    METHOD as DESTRUCTION_METHOD,
};
pub use rights::OpenRightsRequest;
pub use rights_effects::{Correction, EntryVersion};
pub use sharing::DisclosureRecord;
pub use subject_access::{StoredRelease, StoredReview};
pub use time::{format_ts, parse_ts};
pub use vault::KeyVault;

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl)
        }
    }
}

/// The file a SQLite URL will create if it is missing (`mode=rwc`), or None: not SQLite, in
/// memory, or not to be created.
fn new_sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let creates = query.split('&').any(|kv| kv == "mode=rwc");
    if !creates || path.is_empty() || path.starts_with(':') || Path::new(path).exists() {
        return None;
    }
    Some(path.into())
}

/// The database plus the keys that seal sensitive fields.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    keys: Keyring,
    /// The data keys, kept apart from the data.
    vault: KeyVault,
    /// This process's ledger committer, once started.
    ledger: Option<std::sync::Arc<ledger::LedgerHandle>>,
}

impl Store {
    /// The SQLite URL for a database file inside `data_dir`, created if missing.
    pub fn sqlite_url(data_dir: &Path) -> String {
        Self::sqlite_file_url(&data_dir.join("harbour.db"))
    }

    /// The SQLite URL for a database file, created if missing.
    pub fn sqlite_file_url(file: &Path) -> String {
        format!("sqlite://{}?mode=rwc", file.display())
    }

    /// Connects, without migrating. SQLite runs in WAL mode with foreign keys on.
    pub async fn connect(url: &str, keys: Keyring) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        if let Some(file) = new_sqlite_file(url) {
            // SQLite would create the file with the umask's mode (often world-readable), and its
            // write-ahead log and shared-memory files take the database file's mode: create it
            // first, empty (SQLite treats an empty file as a new database), for the owner only.
            match keys::create_private_file(&file) {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e.into()),
            }
        }
        let options: AnyConnectOptions = url.parse::<AnyConnectOptions>()?.disable_statement_logging();
        let pool_options = match backend {
            // One connection: SQLite has a single writer, and a deferred transaction that
            // reads before it writes can fail to upgrade when another connection commits.
            Backend::Sqlite => AnyPoolOptions::new().max_connections(1).after_connect(|conn, _| {
                Box::pin(async move {
                    // secure_delete: deleted content is overwritten with zeros, so a destroyed file
                    // leaves no copy in free pages.
                    conn.execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA secure_delete = ON;")
                        .await?;
                    Ok(())
                })
            }),
            // A request waits at most this long for a connection; while the server is down the
            // pool keeps trying to reconnect until then, and the request gets a 503.
            Backend::Postgres => {
                AnyPoolOptions::new().max_connections(8).acquire_timeout(std::time::Duration::from_secs(5))
            }
        };
        let pool = pool_options.connect_with(options).await?;
        if backend == Backend::Sqlite {
            // The journal mode is a property of the file: set once, it stays.
            sqlx::query("PRAGMA journal_mode = WAL").fetch_one(&pool).await?;
        }
        let vault = KeyVault::open(keys.vault_path()).await?;
        Ok(Self { pool, backend, keys, vault, ledger: None })
    }

    /// Connects and applies this backend's migrations.
    pub async fn open(url: &str, keys: Keyring) -> Result<Self, StoreError> {
        let store = Self::connect(url, keys).await?;
        store.migrate().await?;
        store.move_keys_to_vault().await?;
        store.check_master_key().await?;
        store.seal_names().await?;
        Ok(store)
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self.backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&self.pool).await?,
            Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(&self.pool).await?,
        }
        Ok(())
    }

    /// The connection pool, for benchmarks that measure the database's raw rate beside the
    /// store's. Application code goes through the store's methods.
    #[doc(hidden)]
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn keys(&self) -> &Keyring {
        &self.keys
    }

    /// Moves data keys stored in the database by earlier versions (`person_keys`,
    /// `record_keys`) into the vault, so no key stays beside the data it opens.
    async fn move_keys_to_vault(&self) -> Result<(), StoreError> {
        for (table, column, prefix) in [("person_keys", "person_id", "person"), ("record_keys", "record_id", "record")]
        {
            let rows: Vec<(String, Vec<u8>)> =
                sqlx::query_as(&format!("SELECT {column}, wrapped_key FROM {table}")).fetch_all(&self.pool).await?;
            for (id, wrapped) in &rows {
                let key = format!("{prefix}:{id}");
                if !self.vault.contains(&key).await? {
                    self.vault.put(&key, wrapped).await?;
                }
            }
            if !rows.is_empty() {
                sqlx::query(&format!("DELETE FROM {table}")).execute(&self.pool).await?;
            }
        }
        Ok(())
    }

    /// Checks the master key opens the vault's keys, so a wrong key is refused at once rather
    /// than when a record is first read.
    async fn check_master_key(&self) -> Result<(), StoreError> {
        let Some((id, wrapped)) = self.vault.sample().await? else { return Ok(()) };
        let bare = id.split_once(':').map_or(id.as_str(), |(_, rest)| rest);
        self.keys.unwrap_person_key(bare, &wrapped).map(|_| ()).map_err(|_| {
            StoreError::Keys(
                "the master key does not open the data keys in the vault: is it the key this data was written with?"
                    .into(),
            )
        })
    }

    pub fn vault(&self) -> &KeyVault {
        &self.vault
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").fetch_one(&self.pool).await.is_ok()
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Whether any organisation exists yet (demo data is loaded only into an empty store).
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organisations").fetch_one(&self.pool).await?;
        Ok(n == 0)
    }
}
