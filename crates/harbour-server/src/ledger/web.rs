//! The audit trail's page, for the auditor and the data protection officer: the latest events
//! in words, each record's by id with a link to its access log.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use minijinja::context;
use serde::Deserialize;

use crate::auth::Actor;
use crate::pages::{message, page};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/audit", get(audit_page))
}

/// The page sizes offered.
const SIZES: [i64; 3] = [100, 250, 1000];

#[derive(Deserialize, Default)]
#[serde(default)]
struct AuditQuery {
    limit: Option<i64>,
}

async fn audit_page(
    State(state): State<AppState>,
    actor: Actor,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let limit = query.ok().and_then(|Query(q)| q.limit).filter(|l| SIZES.contains(l)).unwrap_or(SIZES[0]);
    match state.audit_lines(&actor, limit).await {
        Ok(lines) => page(&state, &actor, StatusCode::OK, "audit.html", context! { lines, limit, sizes => SIZES }),
        Err(e) => message(&state, &actor, e),
    }
}
