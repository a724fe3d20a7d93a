//! The JSON API under `/api/v1`. Handlers parse the request, call the service and shape the
//! answer; errors become problem bodies through [`ApiError`].

use axum::extract::{FromRequest, FromRequestParts, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use harbour_domain::{
    Entry, Episode, EpisodeClosure, EpisodeId, NewEntry, NewEpisode, NewOrganisation, NewPerson, NewRelationship,
    Organisation, Person, PersonId, Relationship, Team, User,
};
use harbour_policy::Action;
use harbour_store::{AuditEvent, AuditRecord, PersonQuery};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Actor;
use crate::error::{ApiError, ApiResult, Problem};
use crate::service::{PersonRecord, PersonSummary, RelationshipView};
use crate::AppState;

/// JSON body whose rejections (malformed, wrong types, unknown fields, too large) are problems.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(crate::openapi::document))
        .route("/me", get(me))
        .route("/people", get(search_people).post(create_person))
        .route("/people/{id}", get(get_person))
        .route("/people/{id}/relationships", get(list_relationships).post(add_relationship))
        .route("/people/{id}/episodes", get(list_episodes).post(open_episode))
        .route("/people/{id}/entries", get(person_entries))
        .route("/episodes/{id}", get(get_episode))
        .route("/episodes/{id}/close", post(close_episode))
        .route("/episodes/{id}/entries", get(list_entries).post(add_entry))
        .route("/entries/{id}/categories", post(tag_entry))
        .route("/organisations", get(list_organisations).post(create_organisation))
        .route("/teams", get(list_teams))
        .route("/audit", get(recent_audit))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

async fn not_found() -> ApiError {
    ApiError::NotFound("no such API endpoint".into())
}

/// A 201 answer.
pub(crate) type Created<T> = (StatusCode, Json<T>);

/// A 201 answer that says where the new resource is read (`Location`).
pub(crate) type CreatedAt<T> = (StatusCode, [(axum::http::header::HeaderName, String); 1], Json<T>);

pub(crate) fn created_at<T>(path: String, body: T) -> CreatedAt<T> {
    (StatusCode::CREATED, [(axum::http::header::LOCATION, path)], Json(body))
}

/// The signed-in user, their organisation and team.
#[derive(serde::Serialize, ToSchema)]
pub struct Me {
    pub user: User,
    pub organisation: Organisation,
}

#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, body = Me), (status = 401, body = Problem)))]
pub async fn me(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Me>> {
    let organisation = state.store.organisation(actor.user.org_id).await?;
    Ok(Json(Me { user: actor.user, organisation }))
}

/// The most people one search returns.
const SEARCH_LIMIT_MAX: i64 = 200;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words that must all appear in the name.
    pub name: Option<String>,
    /// Date of birth, YYYY-MM-DD.
    #[param(format = Date)]
    pub dob: Option<String>,
    /// NHS number, unique pupil number or local id.
    pub identifier: Option<String>,
    /// At most this many results (1–200, default 50).
    #[param(minimum = 1, maximum = 200)] // = SEARCH_LIMIT_MAX
    pub limit: Option<i64>,
}

impl SearchParams {
    pub fn into_query(self) -> ApiResult<PersonQuery> {
        let blank = |s: Option<String>| s.filter(|v| !v.trim().is_empty());
        let dob = blank(self.dob)
            .map(|d| {
                d.trim()
                    .parse()
                    .map_err(|_| ApiError::BadRequest(format!("date of birth {d:?} is not a date (YYYY-MM-DD)")))
            })
            .transpose()?;
        let q = PersonQuery {
            name: blank(self.name),
            date_of_birth: dob,
            identifier: blank(self.identifier),
            limit: self.limit.unwrap_or(50).clamp(1, SEARCH_LIMIT_MAX),
        };
        if q.name.is_none() && q.date_of_birth.is_none() && q.identifier.is_none() {
            return Err(ApiError::Unprocessable("give a name, a date of birth or an identifier to search for".into()));
        }
        Ok(q)
    }
}

#[utoipa::path(get, path = "/api/v1/people", tag = "people", params(SearchParams),
    responses((status = 200, body = Vec<PersonSummary>), (status = 400, body = Problem)))]
pub async fn search_people(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> ApiResult<Json<Vec<PersonSummary>>> {
    // The search page sends its empty boxes and Harbour reads them as absent; an API client says
    // exactly what it means, as the document states.
    if params.dob.as_deref().is_some_and(|d| d.trim().is_empty()) {
        return Err(ApiError::BadRequest("dob is empty: leave it out or give a date (YYYY-MM-DD)".into()));
    }
    if params.limit.is_some_and(|l| !(1..=SEARCH_LIMIT_MAX).contains(&l)) {
        return Err(ApiError::BadRequest(format!("limit must be between 1 and {SEARCH_LIMIT_MAX}")));
    }
    Ok(Json(state.search_people(&actor, params.into_query()?).await?))
}

#[utoipa::path(post, path = "/api/v1/people", tag = "people", request_body = NewPerson,
    responses((status = 201, body = Person,
        headers(("Location" = String, description = "where it is read: /api/v1/people/{id}"))), (status = 422, body = Problem), (status = 403, body = Problem)))]
pub async fn create_person(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(new): ApiJson<NewPerson>,
) -> ApiResult<CreatedAt<Person>> {
    let person = state.create_person(&actor, new).await?;
    Ok(created_at(format!("/api/v1/people/{}", person.id), person))
}

#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "people", params(("id" = PersonId, Path)),
    responses((status = 200, body = PersonRecord), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_person(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<PersonId>,
) -> ApiResult<Json<PersonRecord>> {
    Ok(Json(state.person_record(&actor, id).await?))
}

#[utoipa::path(get, path = "/api/v1/people/{id}/relationships", tag = "people", params(("id" = PersonId, Path)),
    responses((status = 200, body = Vec<RelationshipView>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list_relationships(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<PersonId>,
) -> ApiResult<Json<Vec<RelationshipView>>> {
    Ok(Json(state.person_record(&actor, id).await?.relationships))
}

#[utoipa::path(post, path = "/api/v1/people/{id}/relationships", tag = "people", params(("id" = PersonId, Path)),
    request_body = NewRelationship,
    responses((status = 201, body = Relationship), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn add_relationship(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<PersonId>,
    ApiJson(new): ApiJson<NewRelationship>,
) -> ApiResult<Created<Relationship>> {
    Ok((StatusCode::CREATED, Json(state.add_relationship(&actor, id, new).await?)))
}

#[utoipa::path(get, path = "/api/v1/people/{id}/episodes", tag = "episodes", params(("id" = PersonId, Path)),
    responses((status = 200, body = Vec<Episode>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list_episodes(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<PersonId>,
) -> ApiResult<Json<Vec<Episode>>> {
    Ok(Json(state.person_record(&actor, id).await?.episodes))
}

#[utoipa::path(post, path = "/api/v1/people/{id}/episodes", tag = "episodes", params(("id" = PersonId, Path)),
    request_body = NewEpisode,
    responses((status = 201, body = Episode,
        headers(("Location" = String, description = "where it is read: /api/v1/episodes/{id}"))), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn open_episode(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<PersonId>,
    ApiJson(new): ApiJson<NewEpisode>,
) -> ApiResult<CreatedAt<Episode>> {
    let episode = state.open_episode(&actor, id, new).await?;
    Ok(created_at(format!("/api/v1/episodes/{}", episode.id), episode))
}

#[utoipa::path(get, path = "/api/v1/people/{id}/entries", tag = "entries", params(("id" = PersonId, Path)),
    responses((status = 200, body = Vec<Entry>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn person_entries(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<PersonId>,
) -> ApiResult<Json<Vec<Entry>>> {
    Ok(Json(state.person_entries(&actor, id).await?))
}

#[utoipa::path(get, path = "/api/v1/episodes/{id}", tag = "episodes", params(("id" = EpisodeId, Path)),
    responses((status = 200, body = Episode), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_episode(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<EpisodeId>,
) -> ApiResult<Json<Episode>> {
    Ok(Json(state.episode(&actor, id).await?))
}

#[utoipa::path(post, path = "/api/v1/episodes/{id}/close", tag = "episodes", params(("id" = EpisodeId, Path)),
    request_body = EpisodeClosure,
    responses((status = 200, body = Episode), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn close_episode(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<EpisodeId>,
    ApiJson(closure): ApiJson<EpisodeClosure>,
) -> ApiResult<Json<Episode>> {
    Ok(Json(state.close_episode(&actor, id, closure).await?))
}

#[utoipa::path(get, path = "/api/v1/episodes/{id}/entries", tag = "entries", params(("id" = EpisodeId, Path)),
    responses((status = 200, body = Vec<Entry>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list_entries(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<EpisodeId>,
) -> ApiResult<Json<Vec<Entry>>> {
    Ok(Json(state.entries(&actor, id).await?))
}

/// An entry as written, with the special-category or criminal-offence content Harbour found
/// in it that it is not tagged with (and the words that triggered each).
#[derive(Debug, Serialize, ToSchema)]
pub struct WrittenEntry {
    #[serde(flatten)]
    pub entry: Entry,
    pub suggested_categories: Vec<crate::sensitive::Suggestion>,
}

impl From<Entry> for WrittenEntry {
    fn from(entry: Entry) -> Self {
        WrittenEntry { suggested_categories: crate::sensitive::untagged(&entry), entry }
    }
}

#[utoipa::path(post, path = "/api/v1/episodes/{id}/entries", tag = "entries", params(("id" = EpisodeId, Path)),
    request_body = NewEntry,
    responses((status = 201, body = WrittenEntry, description = "the entry, with untagged special-category content Harbour found in it"),
        (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_entry(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<EpisodeId>,
    ApiJson(new): ApiJson<NewEntry>,
) -> ApiResult<Created<WrittenEntry>> {
    Ok((StatusCode::CREATED, Json(state.add_entry(&actor, id, new).await?.into())))
}

/// Categories to add to an entry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryTags {
    pub categories: Vec<harbour_domain::DataCategory>,
}

#[utoipa::path(post, path = "/api/v1/entries/{id}/categories", tag = "entries", params(("id" = harbour_domain::EntryId, Path)),
    request_body = EntryTags,
    responses((status = 200, body = WrittenEntry, description = "the entry with the categories added"),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn tag_entry(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<harbour_domain::EntryId>,
    ApiJson(tags): ApiJson<EntryTags>,
) -> ApiResult<Json<WrittenEntry>> {
    Ok(Json(state.tag_entry(&actor, id, tags.categories).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/organisations", tag = "directory",
    responses((status = 200, body = Vec<Organisation>)))]
pub async fn list_organisations(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Vec<Organisation>>> {
    state.authorize_system(&actor, Action::ReadDirectory, "organisation.list").await?;
    Ok(Json(state.store.organisations().await?))
}

pub(crate) fn check_slug(slug: &str) -> ApiResult<()> {
    let ok = (2..=60).contains(&slug.len())
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(ApiError::BadRequest(format!("slug {slug:?} must be 2–60 characters of a–z, 0–9 and -")))
    }
}

#[utoipa::path(post, path = "/api/v1/organisations", tag = "directory", request_body = NewOrganisation,
    responses((status = 201, body = Organisation), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn create_organisation(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(new): ApiJson<NewOrganisation>,
) -> ApiResult<Created<Organisation>> {
    let decision = state.authorize_system(&actor, Action::ManageDirectory, "organisation.create").await?;
    check_slug(&new.slug)?;
    let org = new.into_organisation(harbour_domain::OrgId::new())?;
    let event = AuditEvent::new("organisation.create", "organisation")
        .by(actor.user.id, actor.user.org_id)
        .target(org.id)
        .policies(decision.policy_ids);
    state.store.insert_organisation(&org, &event).await?;
    Ok((StatusCode::CREATED, Json(org)))
}

#[utoipa::path(get, path = "/api/v1/teams", tag = "directory", responses((status = 200, body = Vec<Team>)))]
pub async fn list_teams(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Vec<Team>>> {
    state.authorize_system(&actor, Action::ReadDirectory, "team.list").await?;
    Ok(Json(state.store.teams().await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// How many of the most recent events (1–1000, default 100).
    pub limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditParams),
    responses((status = 200, body = Vec<AuditRecord>), (status = 403, body = Problem)))]
pub async fn recent_audit(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(params): ApiQuery<AuditParams>,
) -> ApiResult<Json<Vec<AuditRecord>>> {
    state.authorize_system(&actor, Action::ReadAudit, "audit.read").await?;
    Ok(Json(state.store.recent_audit(params.limit.unwrap_or(100).clamp(1, 1000)).await?))
}
