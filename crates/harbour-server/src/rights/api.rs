//! The rights register over the API (the data protection officer's).

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use harbour_app::rights::{Extension, RequestPerson, RightsRequestView, RightsSummary, StatusChange};
use harbour_app::rights_effects::{EntryCorrection, EntryVersionView, RestrictionChange};
use harbour_app::subject_access::{RedactionDecisions, ReleaseTo, ReleaseView, ReviewView};
use harbour_domain::{ChildView, NewObjectionDecision, NewRightsRequest, RightsRequestId};

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
        .route("/rights-requests/{id}/person", post(link_person))
        .route("/rights-requests/{id}/child-view", post(child_view))
        .route("/rights-requests/{id}/collate", post(collate))
        .route("/rights-requests/{id}/restriction", post(restriction))
        .route("/rights-requests/{id}/objection", post(objection))
        .route("/rights-requests/{id}/rectify", post(rectify))
        .route("/rights-requests/{id}/review", get(review).post(decide))
        .route("/rights-requests/{id}/release", get(release_record).post(release))
        .route("/rights-requests/{id}/bundle.pdf", get(bundle_pdf))
        .route("/rights-requests/{id}/bundle.html", get(bundle_html))
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

#[utoipa::path(post, path = "/api/v1/rights-requests/{id}/collate", tag = "rights", params(("id" = RightsRequestId, Path)),
    responses((status = 200, body = ReviewView,
        description = "everything held about the subject, item by item, with the redactions proposed and the Art 15 information; \
                       decisions already made on unchanged items are kept"),
        (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "the request is not in progress or in review"),
        (status = 422, body = Problem, description = "not a subject access request, or it names no record")))]
pub async fn collate(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<RightsRequestId>,
) -> ApiResult<Json<ReviewView>> {
    Ok(Json(state.collate(&actor, id).await?))
}

#[utoipa::path(get, path = "/api/v1/rights-requests/{id}/review", tag = "rights", params(("id" = RightsRequestId, Path)),
    responses((status = 200, body = ReviewView, description = "the review: items, redactions with reasons, the bundle as it would be released"),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn review(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<RightsRequestId>,
) -> ApiResult<Json<ReviewView>> {
    Ok(Json(state.review(&actor, id).await?))
}

#[utoipa::path(post, path = "/api/v1/rights-requests/{id}/review", tag = "rights", params(("id" = RightsRequestId, Path)),
    request_body = RedactionDecisions,
    responses((status = 200, body = ReviewView, description = "decided; any approval is set aside"),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem, description = "no such item or redaction, a stretch outside the text, or releasing a proposal without saying why")))]
pub async fn decide(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<RightsRequestId>,
    ApiJson(d): ApiJson<RedactionDecisions>,
) -> ApiResult<Json<ReviewView>> {
    Ok(Json(state.decide_redactions(&actor, id, d).await?))
}

#[utoipa::path(post, path = "/api/v1/rights-requests/{id}/release", tag = "rights", params(("id" = RightsRequestId, Path)),
    request_body = ReleaseTo,
    responses((status = 200, body = ReleaseView, description = "released: the bundle made, kept, and its record's SHA-256 in the ledger"),
        (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "not approved, or the file changed since it was reviewed"),
        (status = 422, body = Problem)))]
pub async fn release(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<RightsRequestId>,
    ApiJson(to): ApiJson<ReleaseTo>,
) -> ApiResult<Json<ReleaseView>> {
    Ok(Json(state.release(&actor, id, to).await?))
}

#[utoipa::path(get, path = "/api/v1/rights-requests/{id}/release", tag = "rights", params(("id" = RightsRequestId, Path)),
    responses((status = 200, body = ReleaseView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn release_record(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<RightsRequestId>,
) -> ApiResult<Json<ReleaseView>> {
    Ok(Json(state.release_record(&actor, id).await?))
}

#[utoipa::path(get, path = "/api/v1/rights-requests/{id}/bundle.pdf", tag = "rights", params(("id" = RightsRequestId, Path)),
    responses((status = 200, body = Vec<u8>, content_type = "application/pdf", description = "the released bundle, byte for byte"),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn bundle_pdf(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<RightsRequestId>,
) -> ApiResult<impl IntoResponse> {
    let pdf = state.release_pdf(&actor, id).await?;
    let disposition = format!("attachment; filename=\"subject-access-{id}.pdf\"");
    Ok(([(header::CONTENT_TYPE, "application/pdf".to_string()), (header::CONTENT_DISPOSITION, disposition)], pdf))
}

#[utoipa::path(get, path = "/api/v1/rights-requests/{id}/bundle.html", tag = "rights", params(("id" = RightsRequestId, Path)),
    responses((status = 200, body = String, content_type = "text/html", description = "the accessible HTML copy of the released bundle"),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn bundle_html(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<RightsRequestId>,
) -> ApiResult<impl IntoResponse> {
    let html = state.release_html(&actor, id).await?;
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html))
}

#[utoipa::path(post, path = "/api/v1/rights-requests/{id}/person", tag = "rights", params(("id" = RightsRequestId, Path)),
    request_body = RequestPerson,
    responses((status = 200, body = RightsRequestView, description = "the request now names the person's file (and holds it)"),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem, description = "no such person")))]
pub async fn link_person(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<RightsRequestId>,
    ApiJson(link): ApiJson<RequestPerson>,
) -> ApiResult<Json<RightsRequestView>> {
    Ok(Json(state.link_rights_request(&actor, id, link).await?))
}

#[utoipa::path(post, path = "/api/v1/rights-requests/{id}/child-view", tag = "rights", params(("id" = RightsRequestId, Path)),
    request_body = ChildView,
    responses((status = 200, body = RightsRequestView,
        description = "recorded: a competent child who does not agree stops the parent's request"),
        (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "not an open request by a parent"), (status = 422, body = Problem)))]
pub async fn child_view(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<RightsRequestId>,
    ApiJson(child): ApiJson<ChildView>,
) -> ApiResult<Json<RightsRequestView>> {
    Ok(Json(state.record_child_view(&actor, id, child).await?))
}

#[utoipa::path(post, path = "/api/v1/rights-requests/{id}/restriction", tag = "rights", params(("id" = RightsRequestId, Path)),
    request_body = RestrictionChange,
    responses((status = 200, body = RightsRequestView,
        description = "restricted (the record is stored and nothing else: every read, write and share refused) or lifted"),
        (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "the request is answered (a restriction can still be lifted)"),
        (status = 422, body = Problem, description = "not a restriction request, or it names no record")))]
pub async fn restriction(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<RightsRequestId>,
    ApiJson(change): ApiJson<RestrictionChange>,
) -> ApiResult<Json<RightsRequestView>> {
    Ok(Json(state.restrict(&actor, id, change).await?))
}

#[utoipa::path(post, path = "/api/v1/rights-requests/{id}/objection", tag = "rights", params(("id" = RightsRequestId, Path)),
    request_body = NewObjectionDecision,
    responses((status = 200, body = RightsRequestView, description = "decided with its reason; upheld, the record is restricted"),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem, description = "not an objection, no record named, or no reason")))]
pub async fn objection(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<RightsRequestId>,
    ApiJson(decision): ApiJson<NewObjectionDecision>,
) -> ApiResult<Json<RightsRequestView>> {
    Ok(Json(state.decide_objection(&actor, id, decision).await?))
}

#[utoipa::path(post, path = "/api/v1/rights-requests/{id}/rectify", tag = "rights", params(("id" = RightsRequestId, Path)),
    request_body = EntryCorrection,
    responses((status = 200, body = Vec<EntryVersionView>, description = "corrected: the entry's earlier versions, the one just replaced last"),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem, description = "not a rectification request, or not an entry of the record it names")))]
pub async fn rectify(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<RightsRequestId>,
    ApiJson(c): ApiJson<EntryCorrection>,
) -> ApiResult<Json<Vec<EntryVersionView>>> {
    Ok(Json(state.rectify(&actor, id, c).await?))
}
