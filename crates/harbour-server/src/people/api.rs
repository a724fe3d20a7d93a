//! People and their records over the API: search, create, read, relationships, episodes,
//! entries and their categories, death and NHS number.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use harbour_app::people::{PersonRecord, PersonSummary, RelationshipView};
use harbour_app::person_updates::{AddressConfidentiality, DeathRecorded, NhsNumberView};
use harbour_app::rights_effects::EntryVersionView;
use harbour_app::{AppError, PersonQuery};
use harbour_domain::{
    Entry, Episode, EpisodeClosure, EpisodeId, NewDeath, NewEntry, NewEpisode, NewPerson, NewRelationship,
    NhsNumberUpdate, Person, PersonId, Relationship,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Actor;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{created_at, ApiJson, ApiPath, ApiQuery, Created, CreatedAt};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/people", get(search_people).post(create_person))
        .route("/people/{id}", get(get_person))
        .route("/people/{id}/relationships", get(list_relationships).post(add_relationship))
        .route("/people/{id}/episodes", get(list_episodes).post(open_episode))
        .route("/people/{id}/entries", get(person_entries))
        .route("/people/{id}/death", post(record_death))
        .route("/people/{id}/nhs-number", put(update_nhs_number))
        .route("/people/{id}/address-confidential", put(set_address_confidential))
        .route("/episodes/{id}", get(get_episode))
        .route("/episodes/{id}/close", post(close_episode))
        .route("/episodes/{id}/entries", get(list_entries).post(add_entry))
        .route("/entries/{id}/categories", post(tag_entry))
        .route("/entries/{id}/versions", get(entry_versions))
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
                    .map_err(|_| ApiError::bad_request(format!("date of birth {d:?} is not a date (YYYY-MM-DD)")))
            })
            .transpose()?;
        let q = PersonQuery {
            name: blank(self.name),
            date_of_birth: dob,
            identifier: blank(self.identifier),
            limit: self.limit.unwrap_or(50).clamp(1, SEARCH_LIMIT_MAX),
        };
        if q.name.is_none() && q.date_of_birth.is_none() && q.identifier.is_none() {
            return Err(ApiError::from(AppError::Unprocessable(
                "give a name, a date of birth or an identifier to search for".into(),
            )));
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
        return Err(ApiError::bad_request("dob is empty: leave it out or give a date (YYYY-MM-DD)"));
    }
    if params.limit.is_some_and(|l| !(1..=SEARCH_LIMIT_MAX).contains(&l)) {
        return Err(ApiError::bad_request(format!("limit must be between 1 and {SEARCH_LIMIT_MAX}")));
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
    pub suggested_categories: Vec<harbour_app::sensitive::Suggestion>,
}

impl From<Entry> for WrittenEntry {
    fn from(entry: Entry) -> Self {
        WrittenEntry { suggested_categories: harbour_app::sensitive::untagged(&entry), entry }
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

#[utoipa::path(post, path = "/api/v1/people/{id}/death", tag = "people", params(("id" = PersonId, Path)),
    request_body = NewDeath,
    responses((status = 200, body = DeathRecorded, description = "recorded; the person's retention recomputed with it"),
        (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem, description = "a date in the future or before the date of birth")))]
pub async fn record_death(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<PersonId>,
    ApiJson(new): ApiJson<NewDeath>,
) -> ApiResult<Json<DeathRecorded>> {
    Ok(Json(state.record_death(&actor, id, new).await?))
}

#[utoipa::path(put, path = "/api/v1/people/{id}/nhs-number", tag = "people", params(("id" = PersonId, Path)),
    request_body = NhsNumberUpdate,
    responses((status = 200, body = NhsNumberView,
        description = "the number as it now stands; verified by the caller today if `verified`, unverified if it changed unchecked"),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_nhs_number(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<PersonId>,
    ApiJson(update): ApiJson<NhsNumberUpdate>,
) -> ApiResult<Json<NhsNumberView>> {
    Ok(Json(state.update_nhs_number(&actor, id, update).await?))
}

#[utoipa::path(put, path = "/api/v1/people/{id}/address-confidential", tag = "people", params(("id" = PersonId, Path)),
    request_body = AddressConfidentiality,
    responses((status = 200, body = AddressConfidentiality,
        description = "the address is (or is no longer) kept out of every bundle, share, export and report"),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn set_address_confidential(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<PersonId>,
    ApiJson(c): ApiJson<AddressConfidentiality>,
) -> ApiResult<Json<AddressConfidentiality>> {
    Ok(Json(state.set_address_confidential(&actor, id, c).await?))
}

#[utoipa::path(get, path = "/api/v1/entries/{id}/versions", tag = "entries", params(("id" = harbour_domain::EntryId, Path)),
    responses((status = 200, body = Vec<EntryVersionView>,
        description = "a corrected entry's earlier versions, oldest first, each with when, by whom and under which request it was replaced"),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn entry_versions(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<harbour_domain::EntryId>,
) -> ApiResult<Json<Vec<EntryVersionView>>> {
    Ok(Json(state.entry_versions(&actor, id).await?))
}
