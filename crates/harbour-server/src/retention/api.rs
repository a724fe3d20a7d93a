//! The retention API: each person's disposal dates, reopening and correcting episodes' closure,
//! legal holds, the sweep, the records manager's review queue (approve, bulk approve, defer,
//! hold), the destruction log and certificates.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use harbour_app::{Destruction, Review};
use harbour_domain::{CertificateId, Episode, EpisodeClosure, EpisodeId, HoldId, LegalHold, NewHold, PersonId};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::Actor;
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Created};
use crate::AppState;
use harbour_app::retention::{
    BulkApproval, Deferral, HoldEnd, PersonRetention, QueueHold, QueuePage, QueuePageRequest, SweepReport,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/people/{id}/retention", get(person_retention))
        .route("/episodes/{id}/reopen", post(reopen))
        .route("/episodes/{id}/closure", axum::routing::put(correct_closure))
        .route("/legal-holds", get(holds).post(add_hold))
        .route("/legal-holds/{id}/end", post(end_hold))
        .route("/retention/sweep", post(sweep))
        .route("/retention/queue", get(queue))
        .route("/retention/queue/approve", post(approve_all))
        .route("/retention/queue/{id}/approve", post(approve))
        .route("/retention/queue/{id}/defer", post(defer))
        .route("/retention/queue/{id}/hold", post(hold))
        .route("/retention/destructions", get(destructions))
        .route("/retention/destructions/{id}/certificate", get(certificate))
}

#[utoipa::path(get, path = "/api/v1/people/{id}/retention", tag = "retention", params(("id" = PersonId, Path)),
    responses((status = 200, body = PersonRetention, description = "each episode's retention class and disposal date, and the file's verdict today"),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn person_retention(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<PersonId>,
) -> ApiResult<Json<PersonRetention>> {
    Ok(Json(state.person_retention(&actor, id).await?))
}

#[utoipa::path(post, path = "/api/v1/episodes/{id}/reopen", tag = "retention", params(("id" = EpisodeId, Path)),
    responses((status = 200, body = Episode, description = "reopened: its retention period stops until it closes again"),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn reopen(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<EpisodeId>,
) -> ApiResult<Json<Episode>> {
    Ok(Json(state.reopen_episode(&actor, id).await?))
}

#[utoipa::path(put, path = "/api/v1/episodes/{id}/closure", tag = "retention", params(("id" = EpisodeId, Path)),
    request_body = EpisodeClosure,
    responses((status = 200, body = Episode, description = "closing date corrected; the disposal date follows"),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn correct_closure(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<EpisodeId>,
    ApiJson(closure): ApiJson<EpisodeClosure>,
) -> ApiResult<Json<Episode>> {
    Ok(Json(state.correct_closure(&actor, id, closure).await?))
}

#[utoipa::path(get, path = "/api/v1/legal-holds", tag = "retention",
    responses((status = 200, body = [LegalHold]), (status = 403, body = Problem)))]
pub async fn holds(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Vec<LegalHold>>> {
    Ok(Json(state.holds(&actor).await?))
}

#[utoipa::path(post, path = "/api/v1/legal-holds", tag = "retention", request_body = NewHold,
    responses((status = 201, body = LegalHold), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn add_hold(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(new): ApiJson<NewHold>,
) -> ApiResult<Created<LegalHold>> {
    Ok((StatusCode::CREATED, Json(state.add_hold(&actor, new).await?)))
}

#[utoipa::path(post, path = "/api/v1/legal-holds/{id}/end", tag = "retention", params(("id" = HoldId, Path)),
    request_body = HoldEnd,
    responses((status = 200, body = LegalHold), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn end_hold(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<HoldId>,
    ApiJson(end): ApiJson<HoldEnd>,
) -> ApiResult<Json<LegalHold>> {
    Ok(Json(state.end_hold(&actor, id, end).await?))
}

/// A sweep's options.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SweepRequest {
    /// The day to sweep as of (default today).
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub as_of: Option<jiff::civil::Date>,
    /// Report only; change nothing.
    #[serde(default)]
    pub dry_run: bool,
}

#[utoipa::path(post, path = "/api/v1/retention/sweep", tag = "retention", request_body = SweepRequest,
    responses((status = 200, body = SweepReport, description = "due files queued for review; nothing is destroyed"),
        (status = 403, body = Problem)))]
pub async fn sweep(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(req): ApiJson<SweepRequest>,
) -> ApiResult<Json<SweepReport>> {
    Ok(Json(state.sweep(Some(&actor), req.as_of.unwrap_or(actor.now.today()), req.dry_run, |_| {}).await?))
}

#[utoipa::path(get, path = "/api/v1/retention/queue", tag = "retention", params(QueuePageRequest),
    responses((status = 200, body = QueuePage, description = "a page of the queue, by due date, and the queue's size"),
        (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn queue(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(page): ApiQuery<QueuePageRequest>,
) -> ApiResult<Json<QueuePage>> {
    Ok(Json(state.queue(&actor, page).await?))
}

#[utoipa::path(post, path = "/api/v1/retention/queue/{id}/approve", tag = "retention", params(("id" = PersonId, Path)),
    responses((status = 200, body = Destruction, description = "approved, recorded in the ledger, and destroyed"),
        (status = 403, body = Problem), (status = 409, body = Problem, description = "not due, deferred or held")))]
pub async fn approve(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<PersonId>,
) -> ApiResult<Json<Destruction>> {
    Ok(Json(state.approve(&actor, id).await?))
}

#[utoipa::path(post, path = "/api/v1/retention/queue/approve", tag = "retention", request_body = BulkApproval,
    responses((status = 200, body = [Destruction], description = "every file approved and destroyed"),
        (status = 403, body = Problem), (status = 409, body = Problem, description = "one file may not be destroyed: none was")))]
pub async fn approve_all(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(bulk): ApiJson<BulkApproval>,
) -> ApiResult<Json<Vec<Destruction>>> {
    Ok(Json(state.approve_all(&actor, bulk).await?))
}

#[utoipa::path(post, path = "/api/v1/retention/queue/{id}/defer", tag = "retention", params(("id" = PersonId, Path)),
    request_body = Deferral,
    responses((status = 200, body = Review), (status = 400, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn defer(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<PersonId>,
    ApiJson(d): ApiJson<Deferral>,
) -> ApiResult<Json<Review>> {
    Ok(Json(state.defer(&actor, id, d).await?))
}

#[utoipa::path(post, path = "/api/v1/retention/queue/{id}/hold", tag = "retention", params(("id" = PersonId, Path)),
    request_body = QueueHold,
    responses((status = 201, body = LegalHold), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn hold(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<PersonId>,
    ApiJson(h): ApiJson<QueueHold>,
) -> ApiResult<Created<LegalHold>> {
    Ok((StatusCode::CREATED, Json(state.hold_from_queue(&actor, id, h).await?)))
}

#[utoipa::path(get, path = "/api/v1/retention/destructions", tag = "retention",
    responses((status = 200, body = [Destruction]), (status = 403, body = Problem)))]
pub async fn destructions(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Vec<Destruction>>> {
    Ok(Json(state.destructions(&actor).await?))
}

#[utoipa::path(get, path = "/api/v1/retention/destructions/{id}/certificate", tag = "retention",
    params(("id" = CertificateId, Path)),
    responses((status = 200, body = String, content_type = "text/plain", description = "the destruction certificate"),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn certificate(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<CertificateId>,
) -> ApiResult<impl IntoResponse> {
    let text = state.certificate(&actor, id).await?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text))
}
