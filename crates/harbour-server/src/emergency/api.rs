//! Emergency access over the API: open a record, list the openings, review one.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use harbour_app::emergency::EmergencyAccessView;
use harbour_domain::{EmergencyAccess, EmergencyAccessId, NewEmergencyAccess, NewEmergencyReview, PersonId};

use crate::auth::Actor;
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/people/{id}/emergency-access", post(open))
        .route("/emergency-access", get(list))
        .route("/emergency-access/{id}/review", post(review))
}

#[utoipa::path(post, path = "/api/v1/people/{id}/emergency-access", tag = "emergency access",
    params(("id" = PersonId, Path)), request_body = NewEmergencyAccess,
    responses((status = 201, body = EmergencyAccess, description = "the record is open to you for one shift; the team and the data protection officer are told"),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
pub async fn open(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<PersonId>,
    ApiJson(new): ApiJson<NewEmergencyAccess>,
) -> ApiResult<impl IntoResponse> {
    Ok((StatusCode::CREATED, Json(state.open_in_emergency(&actor, id, new).await?)))
}

#[utoipa::path(get, path = "/api/v1/emergency-access", tag = "emergency access",
    responses((status = 200, body = Vec<EmergencyAccessView>,
        description = "the openings you are to know of: all for the data protection officer, else those of records you may read")))]
pub async fn list(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Vec<EmergencyAccessView>>> {
    Ok(Json(state.emergency_accesses(&actor).await?))
}

#[utoipa::path(post, path = "/api/v1/emergency-access/{id}/review", tag = "emergency access",
    params(("id" = EmergencyAccessId, Path)), request_body = NewEmergencyReview,
    responses((status = 200, body = EmergencyAccess, description = "reviewed"),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
pub async fn review(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<EmergencyAccessId>,
    ApiJson(review): ApiJson<NewEmergencyReview>,
) -> ApiResult<Json<EmergencyAccess>> {
    Ok(Json(state.review_emergency_access(&actor, id, review).await?))
}
