//! Sharing decisions over the API: decide, the Caldicott Guardian's ruling, telling the family,
//! the queues, disclosures received and a person's disclosure log.

use crate::auth::Actor;
use crate::error::{ApiResult, Problem};
use crate::extract::{created_at, ApiJson, ApiPath, CreatedAt};
use crate::AppState;
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use harbour_app::sharing::view::DecisionView;
use harbour_app::sharing::{DisclosureLogLine, Received, ReceivedSummary, Ruling};
use harbour_domain::{Decision, DecisionId, DisclosureId, FamilyPosition, NewDecision, PersonId};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sharing-decisions", post(decide))
        .route("/sharing-decisions/{id}", get(show_decision))
        .route("/sharing-decisions/{id}/guardian", post(rule))
        .route("/sharing-decisions/{id}/family", post(family))
        .route("/guardian-queue", get(guardian_queue))
        .route("/notifications-due", get(notifications_due))
        .route("/received", get(received))
        .route("/received/{id}", get(received_one))
        .route("/people/{id}/disclosures", get(disclosure_log))
}

#[utoipa::path(post, path = "/api/v1/sharing-decisions", tag = "sharing", request_body = NewDecision,
    responses((status = 201, body = Decision, description = "recorded; disclosed, or waiting for the Caldicott Guardian",
        headers(("Location" = String, description = "where it is read: /api/v1/sharing-decisions/{id}"))),
        (status = 403, body = Problem), (status = 422, body = Problem, description = "refused: the detail names the notice clause")))]
pub async fn decide(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(new): ApiJson<NewDecision>,
) -> ApiResult<CreatedAt<Decision>> {
    let decision = state.decide(&actor, new).await?;
    Ok(created_at(format!("/api/v1/sharing-decisions/{}", decision.id), decision))
}

#[utoipa::path(get, path = "/api/v1/sharing-decisions/{id}", tag = "sharing", params(("id" = DecisionId, Path)),
    responses((status = 200, body = DecisionView, description = "the decision as the caller may see it: parts about people whose records they may not read left out, free text withheld unless they may read everyone in it, metadata only for auditors"),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn show_decision(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<DecisionId>,
) -> ApiResult<Json<DecisionView>> {
    Ok(Json(state.decision(&actor, id).await?))
}

#[utoipa::path(post, path = "/api/v1/sharing-decisions/{id}/guardian", tag = "sharing", params(("id" = DecisionId, Path)),
    request_body = Ruling,
    responses((status = 200, body = Decision), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn rule(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<DecisionId>,
    ApiJson(ruling): ApiJson<Ruling>,
) -> ApiResult<Json<Decision>> {
    Ok(Json(state.rule(&actor, id, ruling).await?))
}

#[utoipa::path(post, path = "/api/v1/sharing-decisions/{id}/family", tag = "sharing", params(("id" = DecisionId, Path)),
    request_body = FamilyPosition,
    responses((status = 200, body = Decision), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn family(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<DecisionId>,
    ApiJson(position): ApiJson<FamilyPosition>,
) -> ApiResult<Json<Decision>> {
    Ok(Json(state.update_family(&actor, id, position).await?))
}

#[utoipa::path(get, path = "/api/v1/guardian-queue", tag = "sharing",
    responses((status = 200, body = Vec<DecisionView>), (status = 403, body = Problem)))]
pub async fn guardian_queue(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Vec<DecisionView>>> {
    Ok(Json(state.guardian_queue(&actor).await?))
}

#[utoipa::path(get, path = "/api/v1/notifications-due", tag = "sharing",
    responses((status = 200, body = Vec<Decision>, description = "exemptions from telling the family whose review date has come")))]
pub async fn notifications_due(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Vec<DecisionView>>> {
    Ok(Json(state.notifications_due(&actor).await?))
}

#[utoipa::path(get, path = "/api/v1/received", tag = "sharing",
    responses((status = 200, body = Vec<ReceivedSummary>, description = "what was disclosed to your organisation and has not expired")))]
pub async fn received(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Vec<ReceivedSummary>>> {
    Ok(Json(state.received(&actor).await?))
}

#[utoipa::path(get, path = "/api/v1/received/{id}", tag = "sharing", params(("id" = DisclosureId, Path)),
    responses((status = 200, body = Received), (status = 403, body = Problem), (status = 404, body = Problem), (status = 410, body = Problem)))]
pub async fn received_one(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<DisclosureId>,
) -> ApiResult<Json<Received>> {
    Ok(Json(state.received_one(&actor, id).await?))
}

#[utoipa::path(get, path = "/api/v1/people/{id}/disclosures", tag = "sharing", params(("id" = PersonId, Path)),
    responses((status = 200, body = Vec<DisclosureLogLine>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn disclosure_log(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<PersonId>,
) -> ApiResult<Json<Vec<DisclosureLogLine>>> {
    Ok(Json(state.disclosure_log(&actor, id).await?))
}
