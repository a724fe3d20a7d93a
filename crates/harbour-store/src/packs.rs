//! Stored versions of the policy packs. Rows are only ever added: loading different text
//! under a version that exists is refused.

use jiff::civil::Date;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{time, Store, StoreError};

/// One stored version of a pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPack {
    pub pack_id: String,
    pub version: i64,
    pub effective_from: Date,
    pub source: String,
}

fn digest(source: &str) -> String {
    crate::keys::hex_lower(&Sha256::digest(source.as_bytes()))
}

impl Store {
    /// Stores a pack version. Returns false if that exact text is already stored under it;
    /// refuses different text under an existing version.
    pub async fn record_pack_version(
        &self,
        pack_id: &str,
        version: i64,
        effective_from: Date,
        source: &str,
    ) -> Result<bool, StoreError> {
        let wanted = digest(source);
        let existing: Option<String> =
            sqlx::query_scalar("SELECT digest FROM policy_packs WHERE pack_id = $1 AND version = $2")
                .bind(pack_id)
                .bind(version)
                .fetch_optional(&self.pool)
                .await?;
        match existing {
            Some(d) if d == wanted => Ok(false),
            Some(_) => Err(StoreError::Conflict(format!(
                "version {version} of pack {pack_id} is already loaded with different text; a changed notice needs a new version"
            ))),
            None => {
                sqlx::query(
                    "INSERT INTO policy_packs (pack_id, version, effective_from, source, digest, loaded_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(pack_id)
                .bind(version)
                .bind(effective_from.to_string())
                .bind(source)
                .bind(wanted)
                .bind(time::now())
                .execute(&self.pool)
                .await?;
                Ok(true)
            }
        }
    }

    /// Every stored version, by pack then version.
    pub async fn pack_versions(&self) -> Result<Vec<StoredPack>, StoreError> {
        let rows =
            sqlx::query("SELECT pack_id, version, effective_from, source FROM policy_packs ORDER BY pack_id, version")
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                let eff: String = r.try_get("effective_from")?;
                Ok(StoredPack {
                    pack_id: r.try_get("pack_id")?,
                    version: r.try_get("version")?,
                    effective_from: time::parse_date(&eff)?,
                    source: r.try_get("source")?,
                })
            })
            .collect()
    }

    /// For each pack, the latest version in force on `on`.
    pub async fn packs_in_force(&self, on: Date) -> Result<Vec<StoredPack>, StoreError> {
        let mut latest: Vec<StoredPack> = Vec::new();
        for p in self.pack_versions().await?.into_iter().filter(|p| p.effective_from <= on) {
            match latest.last_mut() {
                Some(last) if last.pack_id == p.pack_id => *last = p,
                _ => latest.push(p),
            }
        }
        Ok(latest)
    }
}
