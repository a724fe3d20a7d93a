//! The effects of the rights other than access (issue 14): a person's record restricted, and an
//! entry corrected with its earlier versions kept.

use harbour_domain::{EntryId, PersonId, RightsRequestId, UserId};
use sqlx::Row;

use crate::accounts::parse_id;
use crate::audit::AuditEvent;
use crate::cases::{person_key, SealedEntry};
use crate::time;
use crate::{Store, StoreError};

/// An earlier version of a corrected entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryVersion {
    pub version: i64,
    pub location: Option<String>,
    pub subject: String,
    pub detail: String,
    pub replaced_at: jiff::Timestamp,
    pub replaced_by: UserId,
    pub request_id: Option<RightsRequestId>,
}

/// What replaces an entry's text.
#[derive(Debug, Clone)]
pub struct Correction {
    pub location: Option<String>,
    pub subject: String,
    pub detail: String,
}

fn seal_err(e: serde_json::Error) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

impl Store {
    /// Restricts a person's record under a request, or lifts the restriction.
    pub async fn set_restriction(
        &self,
        person: PersonId,
        request: Option<RightsRequestId>,
        by: UserId,
        event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM person_restrictions WHERE person_id = $1")
            .bind(person.to_string())
            .execute(&mut *tx)
            .await?;
        if let Some(r) = request {
            sqlx::query(
                "INSERT INTO person_restrictions (person_id, request_id, set_by, set_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(person.to_string())
            .bind(r.to_string())
            .bind(by.to_string())
            .bind(time::now())
            .execute(&mut *tx)
            .await?;
        }
        tx.audit(event).await?;
        tx.commit().await
    }

    /// The request a person's record is restricted under, if it is.
    pub async fn restriction(&self, person: PersonId) -> Result<Option<RightsRequestId>, StoreError> {
        let id: Option<String> = sqlx::query_scalar("SELECT request_id FROM person_restrictions WHERE person_id = $1")
            .bind(person.to_string())
            .fetch_optional(&self.pool)
            .await?;
        id.as_deref().map(parse_id).transpose()
    }

    /// Replaces an entry's text, keeping the text it had as its next earlier version, with
    /// the event, in one transaction.
    pub async fn correct_entry(
        &self,
        entry: EntryId,
        correction: &Correction,
        by: UserId,
        request: Option<RightsRequestId>,
        event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let id = entry.to_string();
        let row = sqlx::query(
            "SELECT e.sealed, ep.person_id FROM entries e JOIN episodes ep ON ep.id = e.episode_id WHERE e.id = $1",
        )
        .bind(&id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound { what: "entry", id: id.clone() })?;
        let key = person_key(self, &row.try_get::<String, _>("person_id")?).await?;
        let was = key.open(&format!("entry:{id}"), &row.try_get::<Vec<u8>, _>("sealed")?)?;
        let mut tx = self.write().await?;
        let version: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM entry_versions WHERE entry_id = $1")
            .bind(&id)
            .fetch_one(&mut *tx)
            .await?;
        let version = version + 1;
        sqlx::query(
            "INSERT INTO entry_versions (entry_id, version, sealed, replaced_at, replaced_by, request_id) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(version)
        .bind(key.seal(&format!("entry-version:{id}:{version}"), &was)?)
        .bind(time::now())
        .bind(by.to_string())
        .bind(request.map(|r| r.to_string()))
        .execute(&mut *tx)
        .await?;
        let now = SealedEntry {
            location: correction.location.clone(),
            subject: correction.subject.clone(),
            detail: correction.detail.clone(),
        };
        let sealed = key.seal(&format!("entry:{id}"), &serde_json::to_vec(&now).map_err(seal_err)?)?;
        sqlx::query("UPDATE entries SET sealed = $1 WHERE id = $2").bind(sealed).bind(&id).execute(&mut *tx).await?;
        tx.audit(event).await?;
        tx.commit().await
    }

    /// An entry's earlier versions, oldest first.
    pub async fn entry_versions(&self, entry: EntryId) -> Result<Vec<EntryVersion>, StoreError> {
        Ok(self.versions_where("v.entry_id = $1", &entry.to_string()).await?.into_iter().map(|(_, v)| v).collect())
    }

    /// The earlier versions of every corrected entry of a person's, by entry, oldest first.
    pub async fn entry_versions_of_person(
        &self,
        person: PersonId,
    ) -> Result<std::collections::HashMap<EntryId, Vec<EntryVersion>>, StoreError> {
        let mut out: std::collections::HashMap<EntryId, Vec<EntryVersion>> = std::collections::HashMap::new();
        for (entry, v) in self.versions_where("ep.person_id = $1", &person.to_string()).await? {
            out.entry(entry).or_default().push(v);
        }
        Ok(out)
    }

    async fn versions_where(&self, clause: &str, value: &str) -> Result<Vec<(EntryId, EntryVersion)>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT v.entry_id, v.version, v.sealed, v.replaced_at, v.replaced_by, v.request_id, ep.person_id \
             FROM entry_versions v JOIN entries e ON e.id = v.entry_id JOIN episodes ep ON ep.id = e.episode_id \
             WHERE {clause} ORDER BY v.entry_id, v.version"
        ))
        .bind(value)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let key = person_key(self, &r.try_get::<String, _>("person_id")?).await?;
            let id: String = r.try_get("entry_id")?;
            let version: i64 = r.try_get("version")?;
            let opened = key.open(&format!("entry-version:{id}:{version}"), &r.try_get::<Vec<u8>, _>("sealed")?)?;
            let s: SealedEntry = serde_json::from_slice(&opened).map_err(seal_err)?;
            let v = EntryVersion {
                version,
                location: s.location,
                subject: s.subject,
                detail: s.detail,
                replaced_at: time::parse_ts(&r.try_get::<String, _>("replaced_at")?)?,
                replaced_by: parse_id(&r.try_get::<String, _>("replaced_by")?)?,
                request_id: r.try_get::<Option<String>, _>("request_id")?.as_deref().map(parse_id).transpose()?,
            };
            out.push((parse_id(&id)?, v));
        }
        Ok(out)
    }
}
