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

    /// The `limit` most recent audit events as the audit page shows them: who (by name), their
    /// organisation, what in words, and the record it concerned by id only (the trail's
    /// readers see metadata, never content — a name is content).
    pub async fn audit_lines(&self, actor: &Actor, limit: i64) -> AppResult<Vec<AuditLine>> {
        let events = self.recent_audit(actor, limit).await?;
        let (users, orgs) = self.who_is_who().await?;
        Ok(events
            .into_iter()
            .map(|e| {
                let (who, org) = e
                    .actor_id
                    .as_ref()
                    .and_then(|a| users.get(a).cloned())
                    .unwrap_or_else(|| ("Harbour".into(), String::new()));
                AuditLine {
                    seq: e.seq,
                    at: e.at,
                    who,
                    organisation: orgs.get(&org).cloned().unwrap_or_default(),
                    what: action_words(&e.action),
                    action: e.action,
                    person_id: e.person_id,
                    purpose: e.purpose,
                    outcome: e.outcome,
                }
            })
            .collect())
    }
}

/// One event of the audit trail, in words (see [`crate::App::audit_lines`]).
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditLine {
    pub seq: i64,
    pub at: String,
    pub who: String,
    pub organisation: String,
    pub action: String,
    pub what: String,
    /// The record the event concerned, by id.
    pub person_id: Option<String>,
    pub purpose: Option<String>,
    pub outcome: String,
}

/// One time someone looked at or received a person's record.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessLogLine {
    pub at: String,
    pub who: String,
    pub organisation: String,
    /// The ledger's code for what was done, e.g. `person.read`.
    pub action: String,
    /// What was done, in words: "Read the record".
    pub what: String,
    pub purpose: Option<String>,
    pub outcome: String,
}

/// What a ledger action code means, in the words of a person's access log. Codes not listed
/// are shown as their words ("retention.preview" → "Retention preview").
pub fn action_words(code: &str) -> String {
    let known = match code {
        "person.read" => "Read the record",
        "person.listed" => "Saw the name in a list or search",
        "person.create" => "Added the person",
        "person.address_confidential" => "Marked the address \"do not disclose\" (or lifted it)",
        "person.death.record" => "Recorded a death",
        "person.nhs_number.update" | "person.nhs_number.verify" => "Corrected or verified the NHS number",
        "person.access_log.read" => "Read this access log",
        "entries.read" => "Read the entries",
        "entry.create" => "Added an entry",
        "entry.form" => "Opened the form for a new entry",
        "entry.tag" => "Changed what an entry is about",
        "entry.versions.read" => "Read the earlier versions of an entry",
        "episode.create" => "Opened an episode",
        "episode.read" => "Read an episode",
        "episode.close" => "Closed an episode",
        "episode.reopen" => "Reopened an episode",
        "episode.closure.correct" => "Corrected an episode's closing date",
        "relationship.create" => "Added a relationship",
        "consent.give" => "Recorded consent",
        "consent.list" => "Read the consents",
        "consent.withdraw" => "Recorded a withdrawal of consent",
        "sharing.decide" => "Decided to share",
        "sharing.refused" => "Was refused sharing",
        "sharing.read" | "sharing.listed" => "Read a sharing decision",
        "sharing.form" => "Opened the form for sharing",
        "sharing.approve" => "Approved a disclosure (Caldicott Guardian)",
        "sharing.reject" => "Rejected a disclosure (Caldicott Guardian)",
        "sharing.family" => "Recorded whether the family was told",
        "disclosure.create" => "Disclosed to another organisation",
        "disclosure.view" => "Read what was disclosed to their organisation",
        "disclosure.listed" => "Saw the name in their organisation's list of what it received",
        "disclosure.list" | "disclosure.log.read" => "Read the list of what was shared",
        "emergency.open" => "Opened the record in an emergency",
        "emergency.review" => "Reviewed an emergency opening",
        "retention.read" => "Read how long the file is kept",
        "retention.preview" => "Checked the file before destruction",
        "retention.approve" => "Approved the file's destruction",
        "retention.defer" => "Deferred the file's destruction",
        "notification.read" | "notification.listed" => "Read a police notification naming them",
        "notification.triage" => "Triaged a police notification naming them",
        "notification.share" => "Told a school of a police notification",
        "rights.link" => "Linked a request under the rights to the record",
        "rights.collate" => "Collated the record for a subject access request",
        "rights.restrict" => "Restricted the record",
        "rights.restriction_lifted" => "Lifted the restriction",
        "rights.rectify" => "Corrected an entry under a request",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    let words = code.replace(['.', '_'], " ");
    let mut chars = words.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
