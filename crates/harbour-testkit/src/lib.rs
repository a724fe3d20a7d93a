//! Test support: a fresh PostgreSQL database per test on the throwaway server that
//! `scripts/test` starts and names in `HARBOUR_TEST_PG_URL`. Without that variable the
//! PostgreSQL tests fail (they never skip silently): run the suite with `scripts/test`.

use sqlx::Connection;

/// Creates an empty database on the test server and returns its URL.
pub async fn fresh_postgres_database() -> String {
    let admin = std::env::var("HARBOUR_TEST_PG_URL")
        .expect("HARBOUR_TEST_PG_URL is not set: run the suite with scripts/test, which starts a throwaway PostgreSQL");
    sqlx::any::install_default_drivers();
    let name = format!("harbour_test_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::AnyConnection::connect(&admin).await.expect("connect to the test PostgreSQL server");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create a test database");
    let _ = conn.close().await;
    let (prefix, _) = admin.rsplit_once('/').expect("the URL names a database");
    format!("{prefix}/{name}")
}
