//! Personal Information Sharing Agreements.

use harbour_domain::{Agreement, AgreementId, DataCategory};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::accounts::parse_id;
use crate::audit::AuditEvent;
use crate::time::{self, parse_date};
use crate::{Store, StoreError};

impl Store {
    /// Records an agreement and its parties (which must all exist) in one transaction.
    pub async fn insert_agreement(&self, a: &Agreement, audit_event: &AuditEvent) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO agreements (id, reference, title, purposes, categories, lawful_bases, starts_on, ends_on, \
             review_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(a.id.to_string())
        .bind(&a.reference)
        .bind(&a.title)
        .bind(serde_json::to_string(&a.purposes).expect("strings serialise"))
        .bind(a.categories.iter().map(|c| c.code()).collect::<Vec<_>>().join(","))
        .bind(a.lawful_bases.join(","))
        .bind(a.starts_on.to_string())
        .bind(a.ends_on.map(|d| d.to_string()))
        .bind(a.review_on.to_string())
        .bind(time::now())
        .execute(&mut *tx)
        .await?;
        for party in &a.parties {
            sqlx::query("INSERT INTO agreement_parties (agreement_id, org_id) VALUES ($1, $2)")
                .bind(a.id.to_string())
                .bind(party.to_string())
                .execute(&mut *tx)
                .await?;
        }
        tx.audit(audit_event).await?;
        tx.commit().await
    }

    async fn agreement_from_row(&self, r: &AnyRow) -> Result<Agreement, StoreError> {
        let id: String = r.try_get("id")?;
        let parties: Vec<String> =
            sqlx::query_scalar("SELECT org_id FROM agreement_parties WHERE agreement_id = $1 ORDER BY org_id")
                .bind(&id)
                .fetch_all(&self.pool)
                .await?;
        let purposes: String = r.try_get("purposes")?;
        let categories: String = r.try_get("categories")?;
        let bases: String = r.try_get("lawful_bases")?;
        let ends: Option<String> = r.try_get("ends_on")?;
        Ok(Agreement {
            id: parse_id::<AgreementId>(&id)?,
            reference: r.try_get("reference")?,
            title: r.try_get("title")?,
            parties: parties.iter().map(|p| parse_id(p)).collect::<Result<_, _>>()?,
            purposes: serde_json::from_str(&purposes).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            categories: categories
                .split(',')
                .filter(|c| !c.is_empty())
                .map(|c| DataCategory::from_code(c).ok_or_else(|| StoreError::Corrupt(format!("category {c:?}"))))
                .collect::<Result<_, _>>()?,
            lawful_bases: bases.split(',').filter(|b| !b.is_empty()).map(String::from).collect(),
            starts_on: parse_date(&r.try_get::<String, _>("starts_on")?)?,
            ends_on: ends.as_deref().map(parse_date).transpose()?,
            review_on: parse_date(&r.try_get::<String, _>("review_on")?)?,
        })
    }

    pub async fn agreements(&self) -> Result<Vec<Agreement>, StoreError> {
        let rows = sqlx::query("SELECT * FROM agreements ORDER BY reference").fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.agreement_from_row(r).await?);
        }
        Ok(out)
    }

    pub async fn agreement(&self, id: AgreementId) -> Result<Agreement, StoreError> {
        let row = sqlx::query("SELECT * FROM agreements WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found("agreement", id))?;
        self.agreement_from_row(&row).await
    }
}
