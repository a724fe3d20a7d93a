//! The key vault: every data key (one per person, one per record about no one yet), wrapped by
//! the master key, kept apart from the data in `<data dir>/keys/vault.db` (or wherever the
//! deployment names with `--vault`).
//!
//! Keeping the keys out of the database is what makes destruction reach backups: a backup of
//! the database holds sealed fields but no keys, so once a person's key is shredded here no copy
//! of their sealed fields, in any backup or log, can be opened again, and Harbour's restore
//! drops the rows of anyone whose key is gone. The vault itself runs with `secure_delete` and
//! its write-ahead log is truncated after each shred, so the key leaves no copy in its files.
//! The vault is backed up on its own, and such backups should be short-lived.

use std::path::Path;
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{ConnectOptions, SqlitePool};

use crate::{time, StoreError};

#[derive(Clone)]
pub struct KeyVault {
    pool: SqlitePool,
}

impl std::fmt::Debug for KeyVault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyVault(..)")
    }
}

impl KeyVault {
    /// Opens (creating if missing) the vault file; `None` keeps it in memory (tests, benches).
    pub async fn open(path: Option<&Path>) -> Result<Self, StoreError> {
        if let Some(p) = path {
            // Created for the owner only before SQLite opens it (its log files take its mode).
            match crate::keys::create_private_file(p) {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e.into()),
            }
        }
        let options = match path {
            Some(p) => {
                SqliteConnectOptions::new().filename(p).create_if_missing(true).journal_mode(SqliteJournalMode::Wal)
            }
            None => SqliteConnectOptions::from_str("sqlite::memory:")?,
        }
        .pragma("secure_delete", "ON")
        .busy_timeout(std::time::Duration::from_secs(5))
        .disable_statement_logging();
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await?;
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS data_keys (id TEXT PRIMARY KEY, wrapped_key BLOB NOT NULL, created_at TEXT NOT NULL)",
        )
        .execute(&pool)
        .await?;
        Ok(Self { pool })
    }

    /// Stores a wrapped key under `id` (`person:<uuid>` or `record:<uuid>`).
    pub(crate) async fn put(&self, id: &str, wrapped: &[u8]) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO data_keys (id, wrapped_key, created_at) VALUES (?, ?, ?)")
            .bind(id)
            .bind(wrapped)
            .bind(time::now())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub(crate) async fn get(&self, id: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(sqlx::query_scalar("SELECT wrapped_key FROM data_keys WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    pub(crate) async fn contains(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self.get(id).await?.is_some())
    }

    /// Destroys a key: the row is deleted (its bytes zeroed) and the write-ahead log truncated.
    pub(crate) async fn shred(&self, id: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM data_keys WHERE id = ?").bind(id).execute(&self.pool).await?;
        let (busy, _, _): (i64, i64, i64) =
            sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(&self.pool).await?;
        if busy != 0 {
            return Err(StoreError::Keys("the key vault's log could not be truncated".into()));
        }
        Ok(())
    }

    /// One key, any (to check the master key opens the vault).
    pub(crate) async fn sample(&self) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        Ok(sqlx::query_as("SELECT id, wrapped_key FROM data_keys ORDER BY id LIMIT 1")
            .fetch_optional(&self.pool)
            .await?)
    }

    /// How many keys the vault holds.
    pub async fn count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM data_keys").fetch_one(&self.pool).await?)
    }
}
