use harbour_domain::DomainError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database URL must start with sqlite: or postgres:")]
    UnsupportedUrl,
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// The database cannot be reached or is refusing work for now (connection lost or
    /// refused, no connection free in time, server shutting down, SQLite file locked by
    /// another process): worth retrying later, unlike [`StoreError::Database`].
    #[error("the database is unavailable: {0}")]
    Unavailable(sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("{what} {id} does not exist")]
    NotFound { what: &'static str, id: String },
    #[error("{0}")]
    Conflict(String),
    #[error("key material: {0}")]
    Keys(String),
    #[error("stored data could not be read: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("the ledger could not log this: {0}")]
    Ledger(String),
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Conflict("a record with the same unique value already exists".into())
            }
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                StoreError::Conflict("the record refers to something that does not exist".into())
            }
            _ if unavailable(&e) => StoreError::Unavailable(e),
            _ => StoreError::Database(e),
        }
    }
}

/// Whether an error means the database is out of reach (or busy) rather than that the query
/// was wrong.
fn unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            let code = db.code();
            let code = code.as_deref().unwrap_or("");
            if db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>().is_some() {
                // Class 08: connection exception; 57P01–57P03: the server is shutting down or
                // starting; 53300: too many connections.
                code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "53300")
            } else if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                // SQLITE_BUSY (5) and SQLITE_LOCKED (6), with their extended codes: another
                // process holds the file past the busy timeout.
                code.parse::<i64>().is_ok_and(|c| matches!(c & 0xff, 5 | 6))
            } else {
                false
            }
        }
        _ => false,
    }
}

impl StoreError {
    pub fn not_found(what: &'static str, id: impl ToString) -> Self {
        StoreError::NotFound { what, id: id.to_string() }
    }
}
