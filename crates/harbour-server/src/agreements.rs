//! Personal Information Sharing Agreements over the API: the data protection officer records
//! them; everyone can see them and whether each can be relied on today.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use harbour_domain::{Agreement, AgreementId, NewAgreement};
use harbour_policy::Action;
use harbour_store::AuditEvent;
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::{ApiJson, ApiPath};
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult, Problem};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/agreements", get(list).post(create)).route("/agreements/{id}", get(show))
}

/// An agreement with what it means today.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementView {
    #[serde(flatten)]
    pub agreement: Agreement,
    /// Whether sharing can rely on it today.
    pub in_force: bool,
    /// Why not, when it cannot.
    pub not_in_force_because: Option<String>,
    pub review_due: bool,
}

fn view(a: Agreement) -> AgreementView {
    let today = harbour_domain::today_uk();
    let why = a.in_force(today).err().map(|e| e.to_string());
    AgreementView { in_force: why.is_none(), not_in_force_because: why, review_due: a.review_due(today), agreement: a }
}

#[utoipa::path(get, path = "/api/v1/agreements", tag = "directory",
    responses((status = 200, body = Vec<AgreementView>)))]
pub async fn list(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Vec<AgreementView>>> {
    state.authorize_system(&actor, Action::ReadDirectory, "agreement.list").await?;
    Ok(Json(state.store.agreements().await?.into_iter().map(view).collect()))
}

#[utoipa::path(get, path = "/api/v1/agreements/{id}", tag = "directory", params(("id" = AgreementId, Path)),
    responses((status = 200, body = AgreementView), (status = 404, body = Problem)))]
pub async fn show(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<AgreementId>,
) -> ApiResult<Json<AgreementView>> {
    state.authorize_system(&actor, Action::ReadDirectory, "agreement.read").await?;
    Ok(Json(view(state.store.agreement(id).await?)))
}

#[utoipa::path(post, path = "/api/v1/agreements", tag = "directory", request_body = NewAgreement,
    responses((status = 201, body = AgreementView,
        headers(("Location" = String, description = "where it is read: /api/v1/agreements/{id}"))), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(new): ApiJson<NewAgreement>,
) -> ApiResult<crate::api::CreatedAt<AgreementView>> {
    let decision = state.authorize_system(&actor, Action::ManageAgreements, "agreement.create").await?;
    let agreement = new.validate()?;
    for party in &agreement.parties {
        if state.store.organisation(*party).await.is_err() {
            return Err(ApiError::UnknownReference(format!("organisation {party} does not exist")));
        }
    }
    let event = AuditEvent::new("agreement.create", "agreement")
        .by(actor.user.id, actor.user.org_id)
        .target(agreement.id)
        .policies(decision.policy_ids);
    state.store.insert_agreement(&agreement, &event).await?;
    Ok(crate::api::created_at(format!("/api/v1/agreements/{}", agreement.id), view(agreement)))
}
