//! What subject access adds to the store (issue 14): the "do not disclose address" flag, a
//! request's review (opaque to the store, sealed with the request's key) and its release.

use std::collections::HashSet;

use harbour_domain::{PersonId, RightsRequest, RightsRequestId, RightsStatus, UserId};
use sqlx::Row;

use crate::accounts::parse_id;
use crate::audit::AuditEvent;
use crate::intake::record_key;
use crate::time;
use crate::{Store, StoreError};

/// A request's review as stored: the caller's own serialisation, opened.
#[derive(Debug, Clone)]
pub struct StoredReview {
    pub body: Vec<u8>,
    pub reviewed_by: Option<UserId>,
    pub approved_by: Option<UserId>,
}

/// A released bundle, opened.
#[derive(Debug, Clone)]
pub struct StoredRelease {
    pub record: Vec<u8>,
    pub record_sha256: String,
    pub pdf: Vec<u8>,
    pub html: Vec<u8>,
    pub released_by: UserId,
    pub released_at: jiff::Timestamp,
}

fn opt_user(v: Option<String>) -> Result<Option<UserId>, StoreError> {
    v.as_deref().map(parse_id).transpose()
}

impl Store {
    /// Notes a use of the public request page from `address` at `now`, if it is within the
    /// limits for the last hour (per address, and for everyone together); returns whether it
    /// was. Older notes are deleted.
    pub async fn note_public_request(
        &self,
        address: &str,
        now: jiff::Timestamp,
        per_address: i64,
        overall: i64,
    ) -> Result<bool, StoreError> {
        let hour_ago = time::format_ts(now - jiff::SignedDuration::from_hours(1));
        let mut tx = self.pool.begin().await?;
        // One lock row (the sign-in throttle's table) so concurrent requests, from this process
        // or another, count one after another.
        sqlx::query(
            "INSERT INTO login_throttle (key, touched_at) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET touched_at = excluded.touched_at",
        )
        .bind("public-request-page")
        .bind(time::format_ts(now))
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM public_request_log WHERE at < $1").bind(&hour_ago).execute(&mut *tx).await?;
        let mine: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM public_request_log WHERE address = $1")
            .bind(address)
            .fetch_one(&mut *tx)
            .await?;
        let all: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM public_request_log").fetch_one(&mut *tx).await?;
        if mine >= per_address || all >= overall {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query("INSERT INTO public_request_log (address, at) VALUES ($1, $2)")
            .bind(address)
            .bind(time::format_ts(now))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Marks a person's address "do not disclose", or lifts the mark.
    pub async fn set_address_confidential(
        &self,
        person: PersonId,
        confidential: bool,
        by: UserId,
        event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM address_flags WHERE person_id = $1")
            .bind(person.to_string())
            .execute(&mut *tx)
            .await?;
        if confidential {
            sqlx::query("INSERT INTO address_flags (person_id, set_by, set_at) VALUES ($1, $2, $3)")
                .bind(person.to_string())
                .bind(by.to_string())
                .bind(time::now())
                .execute(&mut *tx)
                .await?;
        }
        tx.audit(event).await?;
        tx.commit().await
    }

    /// Which of these people have their address marked "do not disclose".
    pub async fn confidential_addresses(&self, people: &[PersonId]) -> Result<HashSet<PersonId>, StoreError> {
        let mut out = HashSet::new();
        for chunk in people.chunks(500) {
            let list: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!("SELECT person_id FROM address_flags WHERE person_id IN ({})", list.join(", "));
            let mut q = sqlx::query_scalar::<_, String>(&sql);
            for p in chunk {
                q = q.bind(p.to_string());
            }
            for id in q.fetch_all(&self.pool).await? {
                out.insert(parse_id(&id)?);
            }
        }
        Ok(out)
    }

    /// Writes a request's review (replacing the last), sealed with the request's key.
    pub async fn save_rights_review(
        &self,
        id: RightsRequestId,
        review: &StoredReview,
        event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let rid = id.to_string();
        let sealed = record_key(self, &rid).await?.seal(&format!("rights-review:{rid}"), &review.body)?;
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM rights_reviews WHERE request_id = $1").bind(&rid).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO rights_reviews (request_id, sealed, reviewed_by, approved_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&rid)
        .bind(sealed)
        .bind(review.reviewed_by.map(|u| u.to_string()))
        .bind(review.approved_by.map(|u| u.to_string()))
        .bind(time::now())
        .execute(&mut *tx)
        .await?;
        tx.audit(event).await?;
        tx.commit().await
    }

    /// Moves a request to approved (only if it is still `was`) and records who approved its
    /// review, with the event, in one transaction.
    pub async fn approve_rights_request(
        &self,
        request: &RightsRequest,
        was: RightsStatus,
        approver: UserId,
        event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let rid = request.id.to_string();
        let mut tx = self.write().await?;
        let moved = sqlx::query("UPDATE rights_requests SET status = $1 WHERE id = $2 AND status = $3")
            .bind(request.status.code())
            .bind(&rid)
            .bind(was.code())
            .execute(&mut *tx)
            .await?;
        let approved = sqlx::query("UPDATE rights_reviews SET approved_by = $1 WHERE request_id = $2")
            .bind(approver.to_string())
            .bind(&rid)
            .execute(&mut *tx)
            .await?;
        if moved.rows_affected() != 1 || approved.rows_affected() != 1 {
            return Err(StoreError::Conflict(format!("request {rid} changed meanwhile; read it again")));
        }
        tx.audit(event).await?;
        tx.commit().await
    }

    pub async fn rights_review(&self, id: RightsRequestId) -> Result<Option<StoredReview>, StoreError> {
        let rid = id.to_string();
        let Some(row) =
            sqlx::query("SELECT sealed, reviewed_by, approved_by FROM rights_reviews WHERE request_id = $1")
                .bind(&rid)
                .fetch_optional(&self.pool)
                .await?
        else {
            return Ok(None);
        };
        let sealed: Vec<u8> = row.try_get("sealed")?;
        Ok(Some(StoredReview {
            body: record_key(self, &rid).await?.open(&format!("rights-review:{rid}"), &sealed)?,
            reviewed_by: opt_user(row.try_get("reviewed_by")?)?,
            approved_by: opt_user(row.try_get("approved_by")?)?,
        }))
    }

    /// Records a release: the bundle and its record, the request moved to released (only if
    /// it is still `was`), and the event, in one transaction.
    pub async fn insert_rights_release(
        &self,
        request: &RightsRequest,
        was: RightsStatus,
        release: &StoredRelease,
        event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let rid = request.id.to_string();
        let key = record_key(self, &rid).await?;
        let seal = |what: &str, bytes: &[u8]| key.seal(&format!("rights-{what}:{rid}"), bytes);
        let (record, pdf, html) =
            (seal("record", &release.record)?, seal("pdf", &release.pdf)?, seal("html", &release.html)?);
        let mut tx = self.write().await?;
        let moved = sqlx::query("UPDATE rights_requests SET status = $1, closed_on = $2 WHERE id = $3 AND status = $4")
            .bind(request.status.code())
            .bind(request.closed_on.map(|d| d.to_string()))
            .bind(&rid)
            .bind(was.code())
            .execute(&mut *tx)
            .await?;
        if moved.rows_affected() != 1 {
            return Err(StoreError::Conflict(format!("request {rid} changed meanwhile; read it again")));
        }
        sqlx::query(
            "INSERT INTO rights_releases (request_id, record_sha256, sealed_record, sealed_pdf, sealed_html, released_by, \
             released_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&rid)
        .bind(&release.record_sha256)
        .bind(record)
        .bind(pdf)
        .bind(html)
        .bind(release.released_by.to_string())
        .bind(time::format_ts(release.released_at))
        .execute(&mut *tx)
        .await?;
        tx.audit(event).await?;
        tx.commit().await
    }

    pub async fn rights_release(&self, id: RightsRequestId) -> Result<Option<StoredRelease>, StoreError> {
        let rid = id.to_string();
        let Some(row) = sqlx::query(
            "SELECT record_sha256, sealed_record, sealed_pdf, sealed_html, released_by, released_at \
             FROM rights_releases WHERE request_id = $1",
        )
        .bind(&rid)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let key = record_key(self, &rid).await?;
        let open = |what: &str, col: &str| -> Result<Vec<u8>, StoreError> {
            let sealed: Vec<u8> = row.try_get(col)?;
            key.open(&format!("rights-{what}:{rid}"), &sealed)
        };
        Ok(Some(StoredRelease {
            record: open("record", "sealed_record")?,
            record_sha256: row.try_get("record_sha256")?,
            pdf: open("pdf", "sealed_pdf")?,
            html: open("html", "sealed_html")?,
            released_by: parse_id(&row.try_get::<String, _>("released_by")?)?,
            released_at: time::parse_ts(&row.try_get::<String, _>("released_at")?)?,
        }))
    }
}
