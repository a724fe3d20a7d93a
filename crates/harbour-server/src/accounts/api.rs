//! Staff accounts over the API: listed, created by an administrator, approved or refused by the
//! data protection officer.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use harbour_app::accounts::NewUser;
use harbour_domain::{User, UserId};

use crate::auth::Actor;
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath, Created};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users", get(list_users).post(create_user))
        .route("/users/{id}/approve", post(approve_user))
        .route("/users/{id}/reject", post(reject_user))
}

#[utoipa::path(get, path = "/api/v1/users", tag = "accounts",
    responses((status = 200, body = Vec<User>, description = "to administrators and the data protection officer"),
        (status = 403, body = Problem)))]
pub async fn list_users(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Vec<User>>> {
    Ok(Json(state.accounts(&actor).await?))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", request_body = NewUser,
    responses((status = 201, body = User,
        description = "created; an account whose role can read records is inactive (`awaiting_approval`) until the data protection officer approves it"),
        (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_user(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(new): ApiJson<NewUser>,
) -> ApiResult<Created<User>> {
    Ok((StatusCode::CREATED, Json(state.create_account(&actor, new).await?)))
}

#[utoipa::path(post, path = "/api/v1/users/{id}/approve", tag = "accounts", params(("id" = UserId, Path)),
    responses((status = 200, body = User, description = "approved: the account can sign in"),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn approve_user(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<UserId>,
) -> ApiResult<Json<User>> {
    Ok(Json(state.decide_account(&actor, id, true).await?))
}

#[utoipa::path(post, path = "/api/v1/users/{id}/reject", tag = "accounts", params(("id" = UserId, Path)),
    responses((status = 200, body = User, description = "refused: the account stays inactive"),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn reject_user(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<UserId>,
) -> ApiResult<Json<User>> {
    Ok(Json(state.decide_account(&actor, id, false).await?))
}
