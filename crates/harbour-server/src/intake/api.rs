//! Police domestic abuse notifications and partners' information requests over the API.

use crate::auth::Actor;
use crate::error::{ApiResult, Problem};
use crate::extract::{created_at, ApiJson, ApiPath, ApiQuery, CreatedAt};
use crate::AppState;
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use harbour_app::intake::{NotificationView, ShareWithSchools};
use harbour_domain::{InformationRequest, NewNotification, NewRequest, NotificationId, RequestId, Triage};
use serde::Deserialize;
use utoipa::IntoParams;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/da-notifications", get(notifications).post(submit_notification))
        .route("/da-notifications/{id}", get(notification))
        .route("/da-notifications/{id}/triage", post(triage))
        .route("/da-notifications/{id}/share", post(share_with_schools))
        .route("/information-requests", get(requests).post(submit_request))
        .route("/information-requests/{id}", get(request))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationFilter {
    /// Only notifications whose schools were told (or are still not told) after the deadline.
    #[serde(default)]
    pub missed: bool,
}

#[utoipa::path(get, path = "/api/v1/da-notifications", tag = "intake", params(NotificationFilter),
    responses((status = 200, body = Vec<NotificationView>), (status = 403, body = Problem)))]
pub async fn notifications(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(filter): ApiQuery<NotificationFilter>,
) -> ApiResult<Json<Vec<NotificationView>>> {
    Ok(Json(state.notifications(&actor, filter.missed).await?))
}

#[utoipa::path(post, path = "/api/v1/da-notifications", tag = "intake", request_body = NewNotification,
    responses((status = 201, body = NotificationView,
        headers(("Location" = String, description = "where it is read: /api/v1/da-notifications/{id}"))), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn submit_notification(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(new): ApiJson<NewNotification>,
) -> ApiResult<CreatedAt<NotificationView>> {
    let n = state.submit_notification(&actor, new).await?;
    Ok(created_at(format!("/api/v1/da-notifications/{}", n.notification.id), n))
}

#[utoipa::path(get, path = "/api/v1/da-notifications/{id}", tag = "intake", params(("id" = NotificationId, Path)),
    responses((status = 200, body = NotificationView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn notification(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<NotificationId>,
) -> ApiResult<Json<NotificationView>> {
    Ok(Json(state.notification(&actor, id).await?))
}

#[utoipa::path(post, path = "/api/v1/da-notifications/{id}/triage", tag = "intake", params(("id" = NotificationId, Path)),
    request_body = Triage,
    responses((status = 200, body = NotificationView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn triage(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<NotificationId>,
    ApiJson(t): ApiJson<Triage>,
) -> ApiResult<Json<NotificationView>> {
    Ok(Json(state.triage(&actor, id, t).await?))
}

#[utoipa::path(post, path = "/api/v1/da-notifications/{id}/share", tag = "intake", params(("id" = NotificationId, Path)),
    request_body = ShareWithSchools,
    responses((status = 200, body = NotificationView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn share_with_schools(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<NotificationId>,
    ApiJson(share): ApiJson<ShareWithSchools>,
) -> ApiResult<Json<NotificationView>> {
    Ok(Json(state.share_with_schools(&actor, id, share).await?))
}

#[utoipa::path(get, path = "/api/v1/information-requests", tag = "intake",
    responses((status = 200, body = Vec<InformationRequest>), (status = 403, body = Problem)))]
pub async fn requests(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Vec<InformationRequest>>> {
    Ok(Json(state.requests(&actor).await?))
}

#[utoipa::path(post, path = "/api/v1/information-requests", tag = "intake", request_body = NewRequest,
    responses((status = 201, body = InformationRequest,
        headers(("Location" = String, description = "where it is read: /api/v1/information-requests/{id}"))), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn submit_request(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(new): ApiJson<NewRequest>,
) -> ApiResult<CreatedAt<InformationRequest>> {
    let request = state.submit_request(&actor, new).await?;
    Ok(created_at(format!("/api/v1/information-requests/{}", request.id), request))
}

#[utoipa::path(get, path = "/api/v1/information-requests/{id}", tag = "intake", params(("id" = RequestId, Path)),
    responses((status = 200, body = InformationRequest), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn request(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<RequestId>,
) -> ApiResult<Json<InformationRequest>> {
    Ok(Json(state.request(&actor, id).await?))
}
