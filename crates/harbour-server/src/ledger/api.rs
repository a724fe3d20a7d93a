//! The ledger over the API: signed tree heads and proofs (hashes only, to anyone signed in),
//! entries and recent events (to those who audit), a person's access log.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use harbour_app::ledger::AccessLogLine;
use harbour_app::AuditRecord;
use harbour_domain::PersonId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Actor;
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiPath, ApiQuery};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/ledger/sth", get(sth))
        .route("/ledger/proofs/inclusion", get(inclusion))
        .route("/ledger/proofs/consistency", get(consistency))
        .route("/ledger/entries/{index}", get(entry))
        .route("/people/{id}/access-log", get(access_log))
        .route("/audit", get(recent_audit))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// How many of the most recent events (1–1000, default 100).
    pub limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditParams),
    responses((status = 200, body = Vec<AuditRecord>), (status = 403, body = Problem)))]
pub async fn recent_audit(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(params): ApiQuery<AuditParams>,
) -> ApiResult<Json<Vec<AuditRecord>>> {
    Ok(Json(state.recent_audit(&actor, params.limit.unwrap_or(100)).await?))
}

/// A signed tree head (RFC 9162 style): keep it to check later that the log only grew.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TreeHeadView {
    pub tree_size: u64,
    pub timestamp_ms: u64,
    /// Base64 SHA-256 root hash.
    pub root_hash: String,
    /// Base64 Ed25519 signature over `"harbour-sth-v1" || tree_size || timestamp_ms || root_hash`
    /// (sizes as 8-byte big-endian integers).
    pub signature: String,
    /// Base64 Ed25519 public key.
    pub public_key: String,
}

impl From<harbour_ledger::SignedTreeHead> for TreeHeadView {
    fn from(s: harbour_ledger::SignedTreeHead) -> Self {
        Self {
            tree_size: s.tree_size,
            timestamp_ms: s.timestamp_ms,
            root_hash: s.root_hash,
            signature: s.signature,
            public_key: s.public_key,
        }
    }
}

fn b64(hashes: &[[u8; 32]]) -> Vec<String> {
    hashes.iter().map(|h| STANDARD.encode(h)).collect()
}

#[utoipa::path(get, path = "/api/v1/ledger/sth", tag = "ledger",
    responses((status = 200, body = TreeHeadView), (status = 404, body = Problem)))]
pub async fn sth(State(state): State<AppState>, _actor: Actor) -> ApiResult<Json<TreeHeadView>> {
    Ok(Json(state.tree_head().await?.into()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InclusionParams {
    /// The entry's leaf index.
    pub index: u64,
    /// The size of the tree (a signed tree head's `tree_size`).
    pub tree_size: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InclusionProof {
    pub index: u64,
    pub tree_size: u64,
    /// Base64 leaf hash, SHA-256(0x00 || entry).
    pub leaf_hash: String,
    /// Base64 hashes of the audit path, RFC 9162 §2.1.3.
    pub audit_path: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/ledger/proofs/inclusion", tag = "ledger", params(InclusionParams),
    responses((status = 200, body = InclusionProof), (status = 409, body = Problem)))]
pub async fn inclusion(
    State(state): State<AppState>,
    _actor: Actor,
    ApiQuery(p): ApiQuery<InclusionParams>,
) -> ApiResult<Json<InclusionProof>> {
    let (leaf, path) = state.inclusion_proof(p.index, p.tree_size).await?;
    Ok(Json(InclusionProof {
        index: p.index,
        tree_size: p.tree_size,
        leaf_hash: STANDARD.encode(leaf),
        audit_path: b64(&path),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConsistencyParams {
    pub first: u64,
    pub second: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsistencyProof {
    pub first: u64,
    pub second: u64,
    /// Base64 hashes, RFC 9162 §2.1.4.
    pub proof: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/ledger/proofs/consistency", tag = "ledger", params(ConsistencyParams),
    responses((status = 200, body = ConsistencyProof), (status = 409, body = Problem)))]
pub async fn consistency(
    State(state): State<AppState>,
    _actor: Actor,
    ApiQuery(p): ApiQuery<ConsistencyParams>,
) -> ApiResult<Json<ConsistencyProof>> {
    let proof = state.consistency_proof(p.first, p.second).await?;
    Ok(Json(ConsistencyProof { first: p.first, second: p.second, proof: b64(&proof) }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerEntry {
    pub index: u64,
    /// The exact bytes hashed into the leaf (canonical JSON), as text.
    pub leaf: String,
    pub event: harbour_app::AuditRecord,
}

#[utoipa::path(get, path = "/api/v1/ledger/entries/{index}", tag = "ledger", params(("index" = u64, Path)),
    responses((status = 200, body = LedgerEntry), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn entry(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(index): ApiPath<u64>,
) -> ApiResult<Json<LedgerEntry>> {
    let found = state.ledger_entry(&actor, index).await?;
    Ok(Json(LedgerEntry { index: found.index, leaf: found.leaf, event: found.event }))
}

#[utoipa::path(get, path = "/api/v1/people/{id}/access-log", tag = "ledger", params(("id" = PersonId, Path)),
    responses((status = 200, body = Vec<AccessLogLine>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn access_log(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<PersonId>,
) -> ApiResult<Json<Vec<AccessLogLine>>> {
    Ok(Json(state.access_log(&actor, id).await?))
}
