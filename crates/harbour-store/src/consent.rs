//! Consent given to a service and its withdrawal. A withdrawal is an update of the consent's
//! row, never a deletion; the rows go only with the person's whole file. Who gave or withdrew
//! consent, and the note, can name people: they are sealed with the person's data key.

use harbour_domain::{Consent, ConsentId, PersonId, UserId, Withdrawal};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::accounts::parse_id;
use crate::audit::AuditEvent;
use crate::cases::{optional_date, person_key};
use crate::time::{self, parse_date};
use crate::{Store, StoreError};

#[derive(Serialize, Deserialize)]
struct SealedConsent {
    given_by: String,
    withdrawn_by: Option<String>,
    note: Option<String>,
}

impl Store {
    async fn seal_consent(&self, c: &Consent) -> Result<Vec<u8>, StoreError> {
        let key = person_key(self, &c.person_id.to_string()).await?;
        let sealed = SealedConsent {
            given_by: c.given_by.clone(),
            withdrawn_by: c.withdrawn.as_ref().map(|w| w.withdrawn_by.clone()),
            note: c.withdrawn.as_ref().and_then(|w| w.note.clone()),
        };
        key.seal(&format!("consent:{}", c.id), &serde_json::to_vec(&sealed).expect("serialisable"))
    }

    async fn consent_from_row(&self, r: &AnyRow) -> Result<Consent, StoreError> {
        let id: String = r.try_get("id")?;
        let person_id: String = r.try_get("person_id")?;
        let key = person_key(self, &person_id).await?;
        let opened: SealedConsent =
            serde_json::from_slice(&key.open(&format!("consent:{id}"), &r.try_get::<Vec<u8>, _>("sealed")?)?)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let withdrawn = optional_date(r, "withdrawn_on")?.map(|withdrawn_on| Withdrawal {
            withdrawn_on,
            withdrawn_by: opened.withdrawn_by.unwrap_or_default(),
            note: opened.note,
        });
        Ok(Consent {
            id: parse_id(&id)?,
            person_id: parse_id(&person_id)?,
            service: r.try_get("service")?,
            given_by: opened.given_by,
            given_on: parse_date(&r.try_get::<String, _>("given_on")?)?,
            share_with: r
                .try_get::<String, _>("share_with")?
                .split(',')
                .filter(|s| !s.is_empty())
                .map(parse_id)
                .collect::<Result<_, _>>()?,
            withdrawn,
        })
    }

    pub async fn insert_consent(&self, c: &Consent, by: UserId, audit_event: &AuditEvent) -> Result<(), StoreError> {
        let sealed = self.seal_consent(c).await?;
        let insert = sqlx::query(
            "INSERT INTO consents (id, person_id, service, given_on, withdrawn_on, sealed, created_by, created_at, share_with) \
             VALUES ($1, $2, $3, $4, NULL, $5, $6, $7, $8)",
        )
        .bind(c.id.to_string())
        .bind(c.person_id.to_string())
        .bind(&c.service)
        .bind(c.given_on.to_string())
        .bind(sealed)
        .bind(by.to_string())
        .bind(time::now())
        .bind(c.share_with.iter().map(ToString::to_string).collect::<Vec<_>>().join(","));
        self.execute_audited(insert, audit_event).await
    }

    /// A person's consents, oldest first.
    pub async fn consents_of(&self, person: PersonId) -> Result<Vec<Consent>, StoreError> {
        let rows = sqlx::query("SELECT * FROM consents WHERE person_id = $1 ORDER BY given_on, id")
            .bind(person.to_string())
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.consent_from_row(r).await?);
        }
        Ok(out)
    }

    pub async fn consent(&self, id: ConsentId) -> Result<Consent, StoreError> {
        let row = sqlx::query("SELECT * FROM consents WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found("consent", id))?;
        self.consent_from_row(&row).await
    }

    /// Records a withdrawal (`withdrawn` is the consent with it); refused if the consent was
    /// withdrawn meanwhile.
    pub async fn withdraw_consent(&self, withdrawn: &Consent, audit_event: &AuditEvent) -> Result<(), StoreError> {
        let Some(w) = &withdrawn.withdrawn else {
            return Err(StoreError::Conflict("a withdrawal needs its date and who withdrew".into()));
        };
        let id = withdrawn.id;
        let update =
            sqlx::query("UPDATE consents SET withdrawn_on = $1, sealed = $2 WHERE id = $3 AND withdrawn_on IS NULL")
                .bind(w.withdrawn_on.to_string())
                .bind(self.seal_consent(withdrawn).await?)
                .bind(id.to_string());
        self.update_one(update, || format!("consent {id} was already withdrawn"), audit_event).await
    }
}
