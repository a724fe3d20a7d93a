//! What is learned about a person after they are recorded: their death (the looked-after floor
//! counts from it, rules.md rule 31), their NHS number corrected or checked against the NHS's
//! records (CP-IS, rule 29), and the list of children whose number CP-IS cannot use.

use std::collections::BTreeMap;

use harbour_domain::{Episode, NhsNumber, NhsVerification, Person, PersonId};
use jiff::civil::Date;

use crate::audit::AuditEvent;
use crate::cases::{episode_from_row, person_key, SealedPerson};
use crate::{Store, StoreError};

/// The record classes CP-IS shares (rules.md rule 29): child protection plans and looked-after
/// children.
const CP_IS_CLASSES: &str = "('child_protection_plan', 'looked_after')";

impl Store {
    /// Records (or corrects) a person's date of death. Their disposal dates follow, being
    /// computed from it whenever they are asked for.
    pub async fn record_death(&self, id: PersonId, died: Date, audit_event: &AuditEvent) -> Result<(), StoreError> {
        let update = sqlx::query("UPDATE persons SET date_of_death = $1 WHERE id = $2")
            .bind(died.to_string())
            .bind(id.to_string());
        self.update_one(update, || format!("person {id} does not exist"), audit_event).await
    }

    /// Sets a person's NHS number (sealed with their key, with its search index) and who
    /// verified it, in one transaction with its audit event.
    pub async fn set_nhs_number(
        &self,
        id: PersonId,
        number: Option<&NhsNumber>,
        verified: Option<NhsVerification>,
        audit_event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let pid = id.to_string();
        let key = person_key(self, &pid).await?;
        let context = format!("person:{pid}");
        let mut tx = self.write().await?;
        let sealed: Vec<u8> = sqlx::query_scalar("SELECT sealed FROM persons WHERE id = $1")
            .bind(&pid)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::not_found("person", id))?;
        let mut details: SealedPerson =
            serde_json::from_slice(&key.open(&context, &sealed)?).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        details.nhs_number = number.cloned();
        let clear = serde_json::to_vec(&details).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        sqlx::query(
            "UPDATE persons SET sealed = $1, nhs_index = $2, nhs_verified_on = $3, nhs_verified_by = $4 WHERE id = $5",
        )
        .bind(key.seal(&context, &clear)?)
        .bind(number.map(|n| self.keys.blind_index("nhs", n.digits())))
        .bind(verified.map(|v| v.verified_on.to_string()))
        .bind(verified.map(|v| v.verified_by.to_string()))
        .bind(&pid)
        .execute(&mut *tx)
        .await?;
        tx.audit(audit_event).await?;
        tx.commit().await
    }

    /// People with a child protection plan or looked-after episode open, or closed on or after
    /// `closed_since`, whose NHS number is missing or not verified, each with those episodes
    /// (oldest first), in name order.
    pub async fn nhs_numbers_to_correct(&self, closed_since: Date) -> Result<Vec<(Person, Vec<Episode>)>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT e.* FROM episodes e JOIN persons p ON p.id = e.person_id \
             WHERE e.record_class IN {CP_IS_CLASSES} AND (e.closed_on IS NULL OR e.closed_on >= $1) \
               AND (p.nhs_index IS NULL OR p.nhs_verified_on IS NULL) \
             ORDER BY e.person_id, e.opened_on, e.id"
        ))
        .bind(closed_since.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut episodes: BTreeMap<PersonId, Vec<Episode>> = BTreeMap::new();
        for r in &rows {
            let ep = episode_from_row(r)?;
            episodes.entry(ep.person_id).or_default().push(ep);
        }
        let ids: Vec<PersonId> = episodes.keys().copied().collect();
        let mut people = self.people(&ids).await?;
        people.sort_by_cached_key(|p| (p.family_name.to_lowercase(), p.given_name.to_lowercase(), p.id));
        Ok(people
            .into_iter()
            .map(|p| {
                let eps = episodes.remove(&p.id).unwrap_or_default();
                (p, eps)
            })
            .collect())
    }
}
