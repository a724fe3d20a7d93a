//! The rights register over the API (the data protection officer's).

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use harbour_app::rights::{Extension, RightsRequestView, RightsSummary, StatusChange};
use harbour_domain::{NewRightsRequest, RightsRequestId};

use crate::auth::Actor;
use crate::error::{ApiResult, Problem};
use crate::extract::{created_at, ApiJson, ApiPath, CreatedAt};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/rights-requests", get(list).post(record))
        .route("/rights-dashboard", get(dashboard))
        .route("/rights-requests/{id}", get(show))
        .route("/rights-requests/{id}/status", post(move_on))
        .route("/rights-requests/{id}/extend", post(extend))
}

#[utoipa::path(get, path = "/api/v1/rights-requests", tag = "rights",
    responses((status = 200, body = Vec<RightsRequestView>,
        description = "the register: open requests soonest due first, with days left, paused and overdue; then the answered"),
        (status = 403, body = Problem)))]
pub async fn list(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Vec<RightsRequestView>>> {
    Ok(Json(state.rights_requests(&actor).await?))
}

#[utoipa::path(get, path = "/api/v1/rights-dashboard", tag = "rights",
    responses((status = 200, body = RightsSummary,
        description = "counts only: open, paused, overdue, due within a week, answered and answered on time"),
        (status = 403, body = Problem)))]
pub async fn dashboard(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<RightsSummary>> {
    Ok(Json(state.rights_summary(&actor).await?))
}

#[utoipa::path(post, path = "/api/v1/rights-requests", tag = "rights", request_body = NewRightsRequest,
    responses((status = 201, body = RightsRequestView, description = "recorded, with the day the answer is due",
        headers(("Location" = String, description = "where it is read: /api/v1/rights-requests/{id}"))),
        (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn record(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(new): ApiJson<NewRightsRequest>,
) -> ApiResult<CreatedAt<RightsRequestView>> {
    let view = state.record_rights_request(&actor, new).await?;
    Ok(created_at(format!("/api/v1/rights-requests/{}", view.request.id), view))
}

#[utoipa::path(get, path = "/api/v1/rights-requests/{id}", tag = "rights", params(("id" = RightsRequestId, Path)),
    responses((status = 200, body = RightsRequestView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn show(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<RightsRequestId>,
) -> ApiResult<Json<RightsRequestView>> {
    Ok(Json(state.rights_request(&actor, id).await?))
}

#[utoipa::path(post, path = "/api/v1/rights-requests/{id}/status", tag = "rights", params(("id" = RightsRequestId, Path)),
    request_body = StatusChange,
    responses((status = 200, body = RightsRequestView, description = "moved on; waiting stops the clock, the confirmation restarts it"),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem, description = "a move the request's path does not allow, or a refusal without its exemption")))]
pub async fn move_on(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<RightsRequestId>,
    ApiJson(change): ApiJson<StatusChange>,
) -> ApiResult<Json<RightsRequestView>> {
    Ok(Json(state.move_rights_request(&actor, id, change).await?))
}

#[utoipa::path(post, path = "/api/v1/rights-requests/{id}/extend", tag = "rights", params(("id" = RightsRequestId, Path)),
    request_body = Extension,
    responses((status = 200, body = RightsRequestView, description = "extended by two further months"),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem, description = "after the first month, already extended, or answered")))]
pub async fn extend(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<RightsRequestId>,
    ApiJson(extension): ApiJson<Extension>,
) -> ApiResult<Json<RightsRequestView>> {
    Ok(Json(state.extend_rights_request(&actor, id, extension).await?))
}
