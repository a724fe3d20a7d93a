//! The sharing API: decisions, the Caldicott Guardian's queue, the recipients' inbox, each
//! person's disclosure log, the notification-due list, domestic abuse notifications,
//! information requests, the school calendar, and the directory's update and delete.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use harbour_domain::{
    Decision, DecisionId, DisclosureId, FamilyPosition, Holiday, InformationRequest, NewDecision, NewNotification,
    NewOrganisation, NewRequest, NotificationId, OrgId, Organisation, PersonId, RequestId, Triage,
};
use harbour_policy::Action;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::{created_at, ApiJson, ApiPath, ApiQuery, Created, CreatedAt};
use crate::auth::Actor;
use crate::error::{ApiResult, Problem};
use crate::intake::{NotificationView, ShareWithSchools};
use crate::sharing::{DisclosureLogLine, Received, ReceivedSummary, Ruling};
use crate::sharing_view::DecisionView;
use crate::AppState;

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
        .route("/da-notifications", get(notifications).post(submit_notification))
        .route("/da-notifications/{id}", get(notification))
        .route("/da-notifications/{id}/triage", post(triage))
        .route("/da-notifications/{id}/share", post(share_with_schools))
        .route("/information-requests", get(requests).post(submit_request))
        .route("/information-requests/{id}", get(request))
        .route("/school-holidays", get(holidays).post(add_holiday))
        .route("/organisations/{id}", put(update_organisation).delete(delete_organisation))
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

#[utoipa::path(get, path = "/api/v1/school-holidays", tag = "directory",
    responses((status = 200, body = Vec<Holiday>)))]
pub async fn holidays(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Vec<Holiday>>> {
    state.authorize_system(&actor, Action::ReadDirectory, "calendar.read").await?;
    Ok(Json(state.store.holidays().await?))
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
    let decision = state.authorize_system(&actor, Action::ManageDirectory, "organisation.update").await?;
    crate::api::check_slug(&new.slug)?;
    // Whether it runs Harbour is not the directory's to change.
    let operator = state.store.organisation(id).await?.operator;
    let org = harbour_domain::Organisation { operator, ..new.into_organisation(id)? };
    let event = state.event(&actor, "organisation.update", "organisation", &decision).target(id);
    state.store.update_organisation(&org, &event).await?;
    Ok(Json(org))
}

#[utoipa::path(delete, path = "/api/v1/organisations/{id}", tag = "directory", params(("id" = OrgId, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete_organisation(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<OrgId>,
) -> ApiResult<StatusCode> {
    let decision = state.authorize_system(&actor, Action::ManageDirectory, "organisation.delete").await?;
    let event = state.event(&actor, "organisation.delete", "organisation", &decision).target(id);
    state.store.delete_organisation(id, &event).await?;
    Ok(StatusCode::NO_CONTENT)
}
