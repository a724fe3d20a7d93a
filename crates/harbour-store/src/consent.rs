//! Consent given to a service and its withdrawal. A withdrawal is an update of the consent's
//! row, never a deletion; the rows go only with the person's whole file.

use harbour_domain::{Consent, ConsentId, PersonId, UserId, Withdrawal};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::accounts::parse_id;
use crate::audit::{self, AuditEvent};
use crate::cases::optional_date;
use crate::time::{self, parse_date};
use crate::{Store, StoreError};

fn consent_from_row(r: &AnyRow) -> Result<Consent, StoreError> {
    let withdrawn = match optional_date(r, "withdrawn_on")? {
        None => None,
        Some(withdrawn_on) => Some(Withdrawal {
            withdrawn_on,
            withdrawn_by: r.try_get::<Option<String>, _>("withdrawn_by")?.unwrap_or_default(),
            note: r.try_get("withdrawal_note")?,
        }),
    };
    Ok(Consent {
        id: parse_id(&r.try_get::<String, _>("id")?)?,
        person_id: parse_id(&r.try_get::<String, _>("person_id")?)?,
        service: r.try_get("service")?,
        given_by: r.try_get("given_by")?,
        given_on: parse_date(&r.try_get::<String, _>("given_on")?)?,
        withdrawn,
    })
}

impl Store {
    pub async fn insert_consent(&self, c: &Consent, by: UserId, audit_event: &AuditEvent) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO consents (id, person_id, service, given_by, given_on, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(c.id.to_string())
        .bind(c.person_id.to_string())
        .bind(&c.service)
        .bind(&c.given_by)
        .bind(c.given_on.to_string())
        .bind(by.to_string())
        .bind(time::now())
        .execute(&mut *tx)
        .await?;
        audit::append(&mut tx, audit_event).await?;
        tx.commit().await?;
        self.sequenced().await
    }

    /// A person's consents, oldest first.
    pub async fn consents_of(&self, person: PersonId) -> Result<Vec<Consent>, StoreError> {
        let rows = sqlx::query("SELECT * FROM consents WHERE person_id = $1 ORDER BY given_on, id")
            .bind(person.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(consent_from_row).collect()
    }

    pub async fn consent(&self, id: ConsentId) -> Result<Consent, StoreError> {
        let row = sqlx::query("SELECT * FROM consents WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found("consent", id))?;
        consent_from_row(&row)
    }

    /// Records a withdrawal; refused if the consent was withdrawn meanwhile.
    pub async fn withdraw_consent(
        &self,
        id: ConsentId,
        w: &Withdrawal,
        audit_event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let update = sqlx::query(
            "UPDATE consents SET withdrawn_on = $1, withdrawn_by = $2, withdrawal_note = $3 \
             WHERE id = $4 AND withdrawn_on IS NULL",
        )
        .bind(w.withdrawn_on.to_string())
        .bind(&w.withdrawn_by)
        .bind(w.note.clone())
        .bind(id.to_string());
        self.update_one(update, || format!("consent {id} was already withdrawn"), audit_event).await
    }
}
