//! The ledger as its readers see it: signed tree heads and proofs (to any signed-in user: they
//! carry hashes, never content), single entries and recent events (to those who audit), and a
//! person's access log (to whoever may read the person, see [`App::access_log`]).

use harbour_ledger::SignedTreeHead;
use harbour_policy::Action;
use harbour_store::AuditRecord;
use serde::Serialize;
use utoipa::ToSchema;

use crate::{Actor, App, AppError, AppResult};

/// One entry of the ledger: the exact bytes hashed into its leaf, and the event they record.
#[derive(Debug, Clone)]
pub struct LedgerLeaf {
    pub index: u64,
    /// Canonical JSON, as text.
    pub leaf: String,
    pub event: AuditRecord,
}

impl App {
    /// The newest signed tree head.
    pub async fn tree_head(&self) -> AppResult<SignedTreeHead> {
        let key =
            self.store.ledger_public_key().ok_or_else(|| AppError::Internal("the ledger is not running".into()))?;
        self.store.latest_tree_head(key).await?.ok_or_else(|| AppError::NotFound("nothing is logged yet".into()))
    }

    /// The leaf hash and audit path proving entry `index` is in the tree of `tree_size`.
    pub async fn inclusion_proof(&self, index: u64, tree_size: u64) -> AppResult<([u8; 32], Vec<[u8; 32]>)> {
        Ok(self.store.inclusion_proof(index, tree_size).await?)
    }

    /// The hashes proving the tree of `first` entries is a prefix of the tree of `second`.
    pub async fn consistency_proof(&self, first: u64, second: u64) -> AppResult<Vec<[u8; 32]>> {
        Ok(self.store.consistency_proof(first, second).await?)
    }

    pub async fn ledger_entry(&self, actor: &Actor, index: u64) -> AppResult<LedgerLeaf> {
        self.authorize_system(actor, Action::ReadAudit, "ledger.entry.read").await?;
        let event = self.store.ledger_entry(index).await?;
        let leaf = String::from_utf8(harbour_store::leaf_bytes(index, &event))
            .map_err(|_| AppError::Internal("a ledger leaf is not UTF-8".into()))?;
        Ok(LedgerLeaf { index, leaf, event })
    }

    /// The `limit` most recent audit events (1–1000).
    pub async fn recent_audit(&self, actor: &Actor, limit: i64) -> AppResult<Vec<AuditRecord>> {
        self.authorize_system(actor, Action::ReadAudit, "audit.read").await?;
        Ok(self.store.recent_audit(limit.clamp(1, 1000)).await?)
    }
}

/// One time someone looked at or received a person's record.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessLogLine {
    pub at: String,
    pub who: String,
    pub organisation: String,
    pub action: String,
    pub purpose: Option<String>,
    pub outcome: String,
}
