//! The register of requests under the rights (issue 14). Names, what is asked and the notes are
//! sealed with the request's own key; the person it is about is kept by id only.

use harbour_domain::{Channel, Requester, Right, RightsRequest, RightsRequestId, RightsStatus};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::accounts::parse_id;
use crate::audit::AuditEvent;
use crate::intake::{new_record_key, record_key};
use crate::time::{self, parse_date};
use crate::{Store, StoreError};

/// What is sealed of a request.
#[derive(Serialize, Deserialize)]
struct Sealed {
    subject_name: String,
    requester_name: String,
    detail: String,
    note: Option<String>,
    extension_reason: Option<String>,
    #[serde(default)]
    child_view: Option<harbour_domain::ChildView>,
    #[serde(default)]
    objection: Option<harbour_domain::ObjectionDecision>,
}

fn sealed_of(r: &RightsRequest) -> Sealed {
    Sealed {
        subject_name: r.subject_name.clone(),
        requester_name: r.requester_name.clone(),
        detail: r.detail.clone(),
        note: r.note.clone(),
        extension_reason: r.extension_reason.clone(),
        child_view: r.child_view.clone(),
        objection: r.objection.clone(),
    }
}

/// A code as the database keeps it (the serde name).
fn code<T: Serialize>(v: &T) -> Result<String, StoreError> {
    match serde_json::to_value(v).map_err(|e| StoreError::Corrupt(e.to_string()))? {
        serde_json::Value::String(s) => Ok(s),
        other => Err(StoreError::Corrupt(format!("not a code: {other}"))),
    }
}

fn from_code<T: for<'de> Deserialize<'de>>(s: String) -> Result<T, StoreError> {
    serde_json::from_value(serde_json::Value::String(s)).map_err(|e| StoreError::Corrupt(e.to_string()))
}

const COLUMNS: &str =
    "id, right_kind, person_id, requester, channel, received_on, confirmed_on, status, sealed, recorded_by, closed_on";

impl Store {
    /// Records a new request, with its audit event.
    pub async fn insert_rights_request(&self, r: &RightsRequest, event: &AuditEvent) -> Result<(), StoreError> {
        let id = r.id.to_string();
        let key = new_record_key(self, &id).await?;
        let sealed = serde_json::to_vec(&sealed_of(r)).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let sealed = key.seal(&format!("rights:{id}"), &sealed)?;
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO rights_requests (id, right_kind, person_id, requester, channel, received_on, confirmed_on, \
             extended, status, sealed, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(&id)
        .bind(code(&r.right)?)
        .bind(r.person_id.map(|p| p.to_string()))
        .bind(code(&r.requester)?)
        .bind(code(&r.channel)?)
        .bind(r.received_on.to_string())
        .bind(r.confirmed_on.map(|d| d.to_string()))
        .bind(i32::from(r.extension_reason.is_some()))
        .bind(r.status.code())
        .bind(sealed)
        .bind(r.recorded_by.map(|u| u.to_string()))
        .bind(time::now())
        .execute(&mut *tx)
        .await?;
        tx.audit(event).await?;
        tx.commit().await
    }

    /// Writes a request's new status, confirmation day, notes, extension, the child's view and
    /// the record it names, with its event. The
    /// update applies only if the status is still `was` (two people moving one request at once:
    /// the second is told).
    pub async fn update_rights_request(
        &self,
        r: &RightsRequest,
        was: RightsStatus,
        event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let id = r.id.to_string();
        let key = record_key(self, &id).await?;
        let sealed = serde_json::to_vec(&sealed_of(r)).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let sealed = key.seal(&format!("rights:{id}"), &sealed)?;
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "UPDATE rights_requests SET status = $1, confirmed_on = $2, extended = $3, sealed = $4, closed_on = $5, \
             person_id = $6 WHERE id = $7 AND status = $8",
        )
        .bind(r.status.code())
        .bind(r.confirmed_on.map(|d| d.to_string()))
        .bind(i32::from(r.extension_reason.is_some()))
        .bind(sealed)
        .bind(r.closed_on.map(|d| d.to_string()))
        .bind(r.person_id.map(|p| p.to_string()))
        .bind(&id)
        .bind(was.code())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict(format!("request {id} changed meanwhile; read it again")));
        }
        tx.audit(event).await?;
        tx.commit().await
    }

    pub async fn rights_request(&self, id: RightsRequestId) -> Result<RightsRequest, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM rights_requests WHERE id = $1"))
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound { what: "request", id: id.to_string() })?;
        self.rights_request_from_row(&row).await
    }

    /// Every request, oldest first.
    pub async fn rights_requests(&self) -> Result<Vec<RightsRequest>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM rights_requests ORDER BY received_on, id"))
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            out.push(self.rights_request_from_row(row).await?);
        }
        Ok(out)
    }

    async fn rights_request_from_row(&self, r: &AnyRow) -> Result<RightsRequest, StoreError> {
        let id: String = r.try_get("id")?;
        let key = record_key(self, &id).await?;
        let sealed: Vec<u8> = r.try_get("sealed")?;
        let s: Sealed = serde_json::from_slice(&key.open(&format!("rights:{id}"), &sealed)?)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let status: String = r.try_get("status")?;
        Ok(RightsRequest {
            id: parse_id(&id)?,
            right: from_code::<Right>(r.try_get("right_kind")?)?,
            person_id: r.try_get::<Option<String>, _>("person_id")?.as_deref().map(parse_id).transpose()?,
            subject_name: s.subject_name,
            requester: from_code::<Requester>(r.try_get("requester")?)?,
            requester_name: s.requester_name,
            channel: from_code::<Channel>(r.try_get("channel")?)?,
            received_on: parse_date(&r.try_get::<String, _>("received_on")?)?,
            confirmed_on: r.try_get::<Option<String>, _>("confirmed_on")?.as_deref().map(parse_date).transpose()?,
            extension_reason: s.extension_reason,
            status: RightsStatus::from_code(&status)
                .ok_or_else(|| StoreError::Corrupt(format!("request {id} has status {status:?}")))?,
            note: s.note,
            detail: s.detail,
            recorded_by: r.try_get::<Option<String>, _>("recorded_by")?.as_deref().map(parse_id).transpose()?,
            child_view: s.child_view,
            objection: s.objection,
            closed_on: r.try_get::<Option<String>, _>("closed_on")?.as_deref().map(parse_date).transpose()?,
        })
    }
}

/// An open request that names a person: what the retention schedule needs to hold their file.
#[derive(Debug, Clone)]
pub struct OpenRightsRequest {
    pub id: RightsRequestId,
    pub right: Right,
    pub person_id: harbour_domain::PersonId,
    pub received_on: jiff::civil::Date,
}

impl Store {
    /// The open requests naming a person (nothing sealed is read).
    pub async fn open_rights_requests(&self) -> Result<Vec<OpenRightsRequest>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, right_kind, person_id, received_on FROM rights_requests \
             WHERE person_id IS NOT NULL AND status NOT IN ('released', 'refused', 'withdrawn') ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OpenRightsRequest {
                    id: parse_id(&r.try_get::<String, _>("id")?)?,
                    right: from_code::<Right>(r.try_get("right_kind")?)?,
                    person_id: parse_id(&r.try_get::<String, _>("person_id")?)?,
                    received_on: parse_date(&r.try_get::<String, _>("received_on")?)?,
                })
            })
            .collect()
    }
}
