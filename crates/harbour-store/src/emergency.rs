//! Emergency openings of records (see `harbour_domain::emergency`). The reason and the review
//! note can name people: they are sealed with the person's data key, and the rows go with the
//! person's file.

use harbour_domain::{EmergencyAccess, EmergencyAccessId, EmergencyReview, PersonId};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::accounts::parse_id;
use crate::audit::AuditEvent;
use crate::cases::person_key;
use crate::time::{self, parse_ts};
use crate::{Store, StoreError};

#[derive(Serialize, Deserialize)]
struct Sealed {
    reason: String,
    note: Option<String>,
}

const COLUMNS: &str = "id, person_id, user_id, opened_at, expires_at, sealed, reviewed_by, reviewed_at, justified";

impl Store {
    async fn seal_emergency(&self, a: &EmergencyAccess) -> Result<Vec<u8>, StoreError> {
        let key = person_key(self, &a.person_id.to_string()).await?;
        let sealed = Sealed { reason: a.reason.clone(), note: a.review.as_ref().and_then(|r| r.note.clone()) };
        key.seal(&format!("emergency:{}", a.id), &serde_json::to_vec(&sealed).expect("serialisable"))
    }

    async fn emergency_from_row(&self, r: &AnyRow) -> Result<EmergencyAccess, StoreError> {
        let id: String = r.try_get("id")?;
        let person_id: String = r.try_get("person_id")?;
        let key = person_key(self, &person_id).await?;
        let opened: Sealed =
            serde_json::from_slice(&key.open(&format!("emergency:{id}"), &r.try_get::<Vec<u8>, _>("sealed")?)?)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let review = match r.try_get::<Option<String>, _>("reviewed_by")? {
            Some(by) => Some(EmergencyReview {
                reviewed_by: parse_id(&by)?,
                reviewed_at: parse_ts(&r.try_get::<Option<String>, _>("reviewed_at")?.unwrap_or_default())?,
                justified: r.try_get::<Option<i64>, _>("justified")?.unwrap_or(0) != 0,
                note: opened.note,
            }),
            None => None,
        };
        Ok(EmergencyAccess {
            id: parse_id(&id)?,
            person_id: parse_id(&person_id)?,
            user_id: parse_id(&r.try_get::<String, _>("user_id")?)?,
            reason: opened.reason,
            opened_at: parse_ts(&r.try_get::<String, _>("opened_at")?)?,
            expires_at: parse_ts(&r.try_get::<String, _>("expires_at")?)?,
            review,
        })
    }

    /// Records an opening and its audit event together.
    pub async fn insert_emergency_access(
        &self,
        a: &EmergencyAccess,
        audit_event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let insert = sqlx::query(
            "INSERT INTO emergency_access (id, person_id, user_id, opened_at, expires_at, sealed) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(a.id.to_string())
        .bind(a.person_id.to_string())
        .bind(a.user_id.to_string())
        .bind(time::format_ts(a.opened_at))
        .bind(time::format_ts(a.expires_at))
        .bind(self.seal_emergency(a).await?);
        self.execute_audited(insert, audit_event).await
    }

    pub async fn emergency_access(&self, id: EmergencyAccessId) -> Result<Option<EmergencyAccess>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM emergency_access WHERE id = $1"))
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => Ok(Some(self.emergency_from_row(&r).await?)),
            None => Ok(None),
        }
    }

    /// Openings not yet reviewed, and those opened since `since`: the unreviewed first, then
    /// newest first.
    pub async fn emergency_accesses(&self, since: Timestamp) -> Result<Vec<EmergencyAccess>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM emergency_access WHERE reviewed_at IS NULL OR opened_at >= $1 \
             ORDER BY CASE WHEN reviewed_at IS NULL THEN 0 ELSE 1 END, opened_at DESC, id"
        ))
        .bind(time::format_ts(since))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.emergency_from_row(r).await?);
        }
        Ok(out)
    }

    /// The openings of one person's record, newest first.
    pub async fn emergency_accesses_of(&self, person: PersonId) -> Result<Vec<EmergencyAccess>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM emergency_access WHERE person_id = $1 ORDER BY opened_at DESC, id"
        ))
        .bind(person.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.emergency_from_row(r).await?);
        }
        Ok(out)
    }

    /// Records the review of an opening (`reviewed` is the opening with it); refused if it was
    /// reviewed meanwhile.
    pub async fn review_emergency_access(
        &self,
        reviewed: &EmergencyAccess,
        audit_event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let Some(review) = &reviewed.review else {
            return Err(StoreError::Conflict("a review needs its outcome".into()));
        };
        let id = reviewed.id;
        let update = sqlx::query(
            "UPDATE emergency_access SET reviewed_by = $1, reviewed_at = $2, justified = $3, sealed = $4 \
             WHERE id = $5 AND reviewed_at IS NULL",
        )
        .bind(review.reviewed_by.to_string())
        .bind(time::format_ts(review.reviewed_at))
        .bind(i64::from(review.justified))
        .bind(self.seal_emergency(reviewed).await?)
        .bind(id.to_string());
        self.update_one(update, || format!("the opening {id} has already been reviewed"), audit_event).await
    }
}
