//! Personal Information Sharing Agreements over the API: the data protection officer records
//! them; everyone can see them and whether each can be relied on today.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use harbour_app::agreements::AgreementView;
use harbour_domain::{AgreementId, NewAgreement};

use crate::auth::Actor;
use crate::error::{ApiResult, Problem};
use crate::extract::{created_at, ApiJson, ApiPath, CreatedAt};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/agreements", get(list).post(create)).route("/agreements/{id}", get(show))
}

#[utoipa::path(get, path = "/api/v1/agreements", tag = "directory",
    responses((status = 200, body = Vec<AgreementView>)))]
pub async fn list(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Vec<AgreementView>>> {
    Ok(Json(state.agreements(&actor).await?))
}

#[utoipa::path(get, path = "/api/v1/agreements/{id}", tag = "directory", params(("id" = AgreementId, Path)),
    responses((status = 200, body = AgreementView), (status = 404, body = Problem)))]
pub async fn show(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<AgreementId>,
) -> ApiResult<Json<AgreementView>> {
    Ok(Json(state.agreement(&actor, id).await?))
}

#[utoipa::path(post, path = "/api/v1/agreements", tag = "directory", request_body = NewAgreement,
    responses((status = 201, body = AgreementView,
        headers(("Location" = String, description = "where it is read: /api/v1/agreements/{id}"))), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(new): ApiJson<NewAgreement>,
) -> ApiResult<CreatedAt<AgreementView>> {
    let view = state.create_agreement(&actor, new).await?;
    Ok(created_at(format!("/api/v1/agreements/{}", view.agreement.id), view))
}
