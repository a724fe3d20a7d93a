//! Consent over the API: a person's consents, consent given, consent withdrawn.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use harbour_app::consent::{PersonConsents, WithdrawalOutcome};
use harbour_domain::{Consent, ConsentId, NewConsent, NewWithdrawal, PersonId};

use crate::auth::Actor;
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/people/{id}/consents", get(list).post(give)).route("/consents/{id}/withdraw", post(withdraw))
}

#[utoipa::path(get, path = "/api/v1/people/{id}/consents", tag = "consent", params(("id" = PersonId, Path)),
    responses((status = 200, body = PersonConsents, description = "the person's consents, given and withdrawn"),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<PersonId>,
) -> ApiResult<Json<PersonConsents>> {
    Ok(Json(state.consents(&actor, id).await?))
}

#[utoipa::path(post, path = "/api/v1/people/{id}/consents", tag = "consent", params(("id" = PersonId, Path)),
    request_body = NewConsent,
    responses((status = 201, body = Consent, description = "consent recorded"),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn give(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<PersonId>,
    ApiJson(new): ApiJson<NewConsent>,
) -> ApiResult<impl IntoResponse> {
    Ok((StatusCode::CREATED, Json(state.give_consent(&actor, id, new).await?)))
}

#[utoipa::path(post, path = "/api/v1/consents/{id}/withdraw", tag = "consent", params(("id" = ConsentId, Path)),
    request_body = NewWithdrawal,
    responses((status = 200, body = WithdrawalOutcome,
        description = "withdrawn; what withdrawal does not stop, and the person's retention, unchanged by it"),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
pub async fn withdraw(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<ConsentId>,
    ApiJson(new): ApiJson<NewWithdrawal>,
) -> ApiResult<Json<WithdrawalOutcome>> {
    Ok(Json(state.withdraw_consent(&actor, id, new).await?))
}
