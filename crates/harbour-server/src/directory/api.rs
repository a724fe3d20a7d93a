//! The directory over the API: the signed-in user, organisations, teams and school holidays.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use harbour_domain::{Holiday, NewOrganisation, OrgId, Organisation, Team, User};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Actor;
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath, Created};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .route("/organisations", get(list_organisations).post(create_organisation))
        .route("/organisations/{id}", put(update_organisation).delete(delete_organisation))
        .route("/teams", get(list_teams))
        .route("/school-holidays", get(holidays).post(add_holiday))
}

/// The signed-in user, their organisation and team.
#[derive(Serialize, ToSchema)]
pub struct Me {
    pub user: User,
    pub organisation: Organisation,
}

#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, body = Me), (status = 401, body = Problem)))]
pub async fn me(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Me>> {
    let organisation = state.own_organisation(&actor).await?;
    Ok(Json(Me { user: actor.user.clone(), organisation }))
}

#[utoipa::path(get, path = "/api/v1/organisations", tag = "directory",
    responses((status = 200, body = Vec<Organisation>)))]
pub async fn list_organisations(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Vec<Organisation>>> {
    Ok(Json(state.organisations(&actor).await?))
}

#[utoipa::path(post, path = "/api/v1/organisations", tag = "directory", request_body = NewOrganisation,
    responses((status = 201, body = Organisation), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn create_organisation(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(new): ApiJson<NewOrganisation>,
) -> ApiResult<Created<Organisation>> {
    Ok((StatusCode::CREATED, Json(state.create_organisation(&actor, new).await?)))
}

#[utoipa::path(get, path = "/api/v1/teams", tag = "directory", responses((status = 200, body = Vec<Team>)))]
pub async fn list_teams(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Vec<Team>>> {
    Ok(Json(state.teams(&actor).await?))
}

#[utoipa::path(get, path = "/api/v1/school-holidays", tag = "directory",
    responses((status = 200, body = Vec<Holiday>)))]
pub async fn holidays(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Vec<Holiday>>> {
    Ok(Json(state.holidays(&actor).await?))
}

#[utoipa::path(post, path = "/api/v1/school-holidays", tag = "directory", request_body = Holiday,
    responses((status = 201, body = Holiday), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn add_holiday(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(h): ApiJson<Holiday>,
) -> ApiResult<Created<Holiday>> {
    Ok((StatusCode::CREATED, Json(state.add_holiday(&actor, h).await?)))
}

#[utoipa::path(put, path = "/api/v1/organisations/{id}", tag = "directory", params(("id" = OrgId, Path)),
    request_body = NewOrganisation,
    responses((status = 200, body = Organisation), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update_organisation(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<OrgId>,
    ApiJson(new): ApiJson<NewOrganisation>,
) -> ApiResult<Json<Organisation>> {
    Ok(Json(state.update_organisation(&actor, id, new).await?))
}

#[utoipa::path(delete, path = "/api/v1/organisations/{id}", tag = "directory", params(("id" = OrgId, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete_organisation(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<OrgId>,
) -> ApiResult<StatusCode> {
    state.delete_organisation(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
