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
        let mut tx = self.pool.begin().await?;
        let changed = statement.execute(&mut *tx).await?.rows_affected();
        if let Some(conflict) = one_row_or {
            if changed != 1 {
                return Err(StoreError::Conflict(conflict()));
            }
        }
        append(&mut tx, audit_event).await?;
        tx.commit().await?;
        self.sequenced().await
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
        let mut tx = self.pool.begin().await?;
        for e in events {
            append(&mut tx, e).await?;
        }
        tx.commit().await?;
        self.sequenced().await
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
