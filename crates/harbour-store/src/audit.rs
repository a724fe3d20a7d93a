//! The audit trail: every read and write of case data, every login and refusal.
//!
//! This module is the one place events are written. The tamper-evident ledger will back the
//! same interface; until then events go to `audit_events`, in the same transaction as the
//! write they describe, so a committed write is never unlogged. Events hold ids and metadata
//! only, never the content of a record.

use harbour_domain::{OrgId, PersonId, UserId};
use serde::Serialize;
use sqlx::{AnyConnection, Row};

use crate::{time, Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Allowed,
    Denied,
    Failed,
}

impl Outcome {
    fn code(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::Denied => "denied",
            Outcome::Failed => "failed",
        }
    }
}

/// One thing that happened, who did it, to what, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub actor: Option<UserId>,
    pub actor_org: Option<OrgId>,
    /// e.g. `person.read`, `entry.create`, `login.failed`.
    pub action: String,
    pub target_kind: &'static str,
    pub target_id: Option<String>,
    /// The person whose record this touches, for "who has looked at this record".
    pub person: Option<PersonId>,
    pub purpose: Option<String>,
    pub outcome: Outcome,
    /// The authorization policies that determined the decision.
    pub policy_ids: Vec<String>,
}

impl AuditEvent {
    pub fn new(action: impl Into<String>, target_kind: &'static str) -> Self {
        Self {
            actor: None,
            actor_org: None,
            action: action.into(),
            target_kind,
            target_id: None,
            person: None,
            purpose: None,
            outcome: Outcome::Allowed,
            policy_ids: Vec::new(),
        }
    }

    pub fn by(mut self, actor: UserId, org: OrgId) -> Self {
        self.actor = Some(actor);
        self.actor_org = Some(org);
        self
    }

    pub fn target(mut self, id: impl ToString) -> Self {
        self.target_id = Some(id.to_string());
        self
    }

    pub fn about(mut self, person: PersonId) -> Self {
        self.person = Some(person);
        self
    }

    pub fn purpose(mut self, purpose: impl Into<String>) -> Self {
        self.purpose = Some(purpose.into());
        self
    }

    pub fn outcome(mut self, outcome: Outcome) -> Self {
        self.outcome = outcome;
        self
    }

    pub fn policies(mut self, ids: Vec<String>) -> Self {
        self.policy_ids = ids;
        self
    }
}

/// An event as stored, with its position in the trail. Absent parts are left out of the JSON
/// (not sent as null), so no client takes a missing person or target for an id.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditRecord {
    pub seq: i64,
    pub at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor_org: Option<String>,
    pub action: String,
    pub target_kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    pub outcome: String,
    pub policy_ids: Vec<String>,
}

/// Appends an event on the given connection (normally inside the writer's transaction).
pub(crate) async fn append(conn: &mut AnyConnection, e: &AuditEvent) -> Result<(), StoreError> {
    append_returning_seq(conn, e).await.map(|_| ())
}

/// Appends an event and returns its place in the trail (its `seq`), so a record can point at
/// the ledger entry that authorised it.
pub(crate) async fn append_returning_seq(conn: &mut AnyConnection, e: &AuditEvent) -> Result<i64, StoreError> {
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO audit_events (at, actor_id, actor_org, action, target_kind, target_id, \
         person_id, purpose, outcome, policy_ids) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING seq",
    )
    .bind(time::now())
    .bind(e.actor.map(|a| a.to_string()))
    .bind(e.actor_org.map(|a| a.to_string()))
    .bind(&e.action)
    .bind(e.target_kind)
    .bind(e.target_id.clone())
    .bind(e.person.map(|p| p.to_string()))
    .bind(e.purpose.clone())
    .bind(e.outcome.code())
    .bind(e.policy_ids.join(","))
    .fetch_one(conn)
    .await?;
    Ok(seq)
}

/// One SQL statement built with `sqlx::query` and its binds.
pub(crate) type Statement<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

impl Store {
    /// Runs one statement and its audit event in one transaction.
    pub(crate) async fn execute_audited(
        &self,
        statement: Statement<'_>,
        audit_event: &AuditEvent,
    ) -> Result<(), StoreError> {
        self.audited(statement, None::<fn() -> String>, audit_event).await
    }

    /// Runs an UPDATE that must change exactly one row, and its audit event, in one
    /// transaction. Nothing is written unless exactly one row changed; then the error is
    /// `conflict()` (the row was missing, or not in the state the update needs).
    pub(crate) async fn update_one(
        &self,
        update: Statement<'_>,
        conflict: impl FnOnce() -> String,
        audit_event: &AuditEvent,
    ) -> Result<(), StoreError> {
        self.audited(update, Some(conflict), audit_event).await
    }

    async fn audited(
        &self,
        statement: Statement<'_>,
        one_row_or: Option<impl FnOnce() -> String>,
        audit_event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        let changed = statement.execute(&mut *tx).await?.rows_affected();
        if let Some(conflict) = one_row_or {
            if changed != 1 {
                return Err(StoreError::Conflict(conflict()));
            }
        }
        tx.audit(audit_event).await?;
        tx.commit().await
    }

    /// Appends an event on its own (for reads, refusals and logins) and waits until the
    /// ledger holds it.
    pub async fn audit(&self, event: &AuditEvent) -> Result<(), StoreError> {
        {
            let mut conn = self.pool.acquire().await?;
            append(&mut conn, event).await?;
        }
        self.sequenced().await
    }

    /// Appends several events together (one transaction), e.g. a refused share's event for
    /// each person and recipient, and waits until the ledger holds them.
    pub async fn audit_all(&self, events: &[AuditEvent]) -> Result<(), StoreError> {
        if events.is_empty() {
            return Ok(());
        }
        let mut tx = self.write().await?;
        for e in events {
            tx.audit(e).await?;
        }
        tx.commit().await
    }

    /// Every event about one person, oldest first.
    pub async fn audit_for_person(&self, person: harbour_domain::PersonId) -> Result<Vec<AuditRecord>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM audit_events WHERE person_id = $1 ORDER BY seq"))
            .bind(person.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(record_from_row).collect()
    }

    /// The most recent `limit` events, newest first.
    pub async fn recent_audit(&self, limit: i64) -> Result<Vec<AuditRecord>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM audit_events ORDER BY seq DESC LIMIT $1"))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(record_from_row).collect()
    }
}

/// The columns of an audit event, as `record_from_row` reads them.
pub(crate) const COLUMNS: &str =
    "seq, at, actor_id, actor_org, action, target_kind, target_id, person_id, purpose, outcome, policy_ids";

pub(crate) fn record_from_row(r: &sqlx::any::AnyRow) -> Result<AuditRecord, StoreError> {
    let policies: String = r.try_get("policy_ids")?;
    Ok(AuditRecord {
        seq: r.try_get("seq")?,
        at: r.try_get("at")?,
        actor_id: r.try_get("actor_id")?,
        actor_org: r.try_get("actor_org")?,
        action: r.try_get("action")?,
        target_kind: r.try_get("target_kind")?,
        target_id: r.try_get("target_id")?,
        person_id: r.try_get("person_id")?,
        purpose: r.try_get("purpose")?,
        outcome: r.try_get("outcome")?,
        policy_ids: policies.split(',').filter(|s| !s.is_empty()).map(String::from).collect(),
    })
}

/// The one way to change records: a transaction that carries its audit events. Open it with
/// [`Store::write`], run statements on it (`&mut *w` is the connection), add each event with
/// [`Write::audit`], and [`Write::commit`]: the write and its events commit together and the
/// call returns once the ledger holds them. A write with no event is refused at commit (and
/// rolled back), so no change to a record can go unlogged. Dropped without commit, it rolls
/// back.
pub(crate) struct Write<'s> {
    store: &'s Store,
    tx: sqlx::Transaction<'static, sqlx::Any>,
    events: usize,
}

impl Store {
    /// Begins a write (see [`Write`]).
    pub(crate) async fn write(&self) -> Result<Write<'_>, StoreError> {
        Ok(Write { store: self, tx: self.pool.begin().await?, events: 0 })
    }
}

impl Write<'_> {
    /// Appends an audit event in the write's transaction.
    pub(crate) async fn audit(&mut self, event: &AuditEvent) -> Result<(), StoreError> {
        append(&mut self.tx, event).await?;
        self.events += 1;
        Ok(())
    }

    /// Commits the write with its events and waits until the ledger holds them.
    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        if self.events == 0 {
            return Err(StoreError::Ledger("a write must carry its audit event; nothing was written".into()));
        }
        self.tx.commit().await?;
        self.store.sequenced().await
    }
}

impl std::ops::Deref for Write<'_> {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for Write<'_> {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn throttle_rows(store: &Store) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM login_throttle WHERE key = 'probe'")
            .fetch_one(&store.pool)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_write_commits_only_with_its_audit_event() {
        let dir = tempfile::tempdir().unwrap();
        let keys = crate::Keyring::load_or_create(dir.path()).unwrap();
        let store = Store::open(&Store::sqlite_url(dir.path()), keys).await.unwrap();
        let insert = "INSERT INTO login_throttle (key, touched_at) VALUES ('probe', '2026-12-04T00:00:00Z')";

        let mut w = store.write().await.unwrap();
        sqlx::query(insert).execute(&mut *w).await.unwrap();
        let refused = w.commit().await.unwrap_err();
        assert!(refused.to_string().contains("must carry its audit event"), "{refused}");
        assert_eq!(throttle_rows(&store).await, 0, "nothing of an unaudited write is kept");

        let before = store.recent_audit(1000).await.unwrap().len();
        let mut w = store.write().await.unwrap();
        sqlx::query(insert).execute(&mut *w).await.unwrap();
        w.audit(&AuditEvent::new("probe.write", "system")).await.unwrap();
        w.commit().await.unwrap();
        assert_eq!(throttle_rows(&store).await, 1);
        let trail = store.recent_audit(1000).await.unwrap();
        assert_eq!(trail.len(), before + 1);
        assert!(trail.iter().any(|e| e.action == "probe.write"));

        // Dropped without commit: rolled back, event and all.
        let mut w = store.write().await.unwrap();
        sqlx::query("DELETE FROM login_throttle").execute(&mut *w).await.unwrap();
        w.audit(&AuditEvent::new("probe.delete", "system")).await.unwrap();
        drop(w);
        assert_eq!(throttle_rows(&store).await, 1);
        assert!(!store.recent_audit(1000).await.unwrap().iter().any(|e| e.action == "probe.delete"));
        store.close().await;
    }
}
