//! People's pages: find a person (or see one's caseload), the person's record, who has looked at
//! it, and the new-entry form. They work without JavaScript; every form carries a CSRF token.

mod chronology;
mod episodes;
mod fields;
mod new_person;
mod relationships;

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::Form;
use harbour_app::people::PersonRecord;
use harbour_app::AppError;
use harbour_domain::{DataCategory, EntryKind, EpisodeId, NewEntry, PersonId, Source};
use harbour_policy::Action;
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

use super::api::SearchParams;
use crate::auth::Actor;
use crate::error::ApiError;
use crate::pages::{message, other_organisations, page, person_id};
use crate::AppState;
use fields::uk;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/people", get(search_page))
        .route("/people/{id}", get(person_page))
        .route("/people/{id}/access-log", get(access_log_page))
        .route("/episodes/{id}/entries/new", get(entry_form))
        .route("/episodes/{id}/entries", post(create_entry))
        .route("/entries/{id}/tag", post(tag_entry))
        .route("/people/{id}/address-confidential", post(address_confidential))
        .merge(new_person::routes())
        .merge(episodes::routes())
        .merge(relationships::routes())
        .merge(chronology::routes())
}

#[derive(Deserialize, Serialize, Default)]
struct SearchForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    dob: String,
    #[serde(default)]
    identifier: String,
}

async fn search_page(State(state): State<AppState>, actor: Actor, Query(q): Query<SearchForm>) -> Response {
    let searched = !(q.name.trim().is_empty() && q.dob.trim().is_empty() && q.identifier.trim().is_empty());
    let mut results = Vec::new();
    let mut msg = String::new();
    if searched {
        let params = SearchParams {
            name: Some(q.name.clone()),
            dob: Some(q.dob.clone()),
            identifier: Some(q.identifier.clone()),
            limit: Some(100),
        };
        match params.into_query() {
            Ok(query) => match state.search_people(&actor, query).await {
                Ok(r) => results = r,
                Err(e) => return message(&state, &actor, e),
            },
            Err(e) => msg = e.problem().detail,
        }
    }
    let caseload = if searched {
        Vec::new()
    } else {
        match state.caseload(&actor).await {
            Ok(list) => list
                .into_iter()
                .map(|(p, ep)| context! { p, record_class => ep.record_class.label(), opened_on => ep.opened_on.to_string() })
                .collect(),
            Err(e) => return message(&state, &actor, e),
        }
    };
    let status = if msg.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let ctx = context! { q, results, caseload, searched => searched && msg.is_empty(), message => msg };
    page(&state, &actor, status, "search.html", ctx)
}

#[derive(Serialize)]
struct EntryView {
    id: String,
    kind: &'static str,
    occurred_at: String,
    location: Option<String>,
    subject: String,
    detail: String,
    source: String,
    categories: Vec<&'static str>,
    /// Special-category or offence content Harbour found that the entry is not tagged with.
    suggested: Vec<harbour_app::sensitive::Suggestion>,
}

#[derive(Serialize)]
struct EpisodeView {
    id: String,
    label: &'static str,
    opened_on: String,
    closed_on: Option<String>,
    team: String,
    /// The retention row it is kept under and its disposal date, in words.
    retention: String,
    entries: Vec<EntryView>,
}

/// What the person's page confirms after a save on one of the record's forms.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Done {
    done: String,
}

async fn person_page(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    done: Result<Query<Done>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let done = match done.map(|Query(d)| d).unwrap_or_default().done.as_str() {
        "person-added" => Some("Person added"),
        "episode-opened" => Some("Episode opened"),
        "episode-closed" => Some("Episode closed"),
        "relationship-added" => Some("Relationship added"),
        "emergency-opened" => Some("Record opened in an emergency. The team working with the family and the Data Protection Officer have been told."),
        _ => None,
    };
    match person_view(&state, &actor, &id).await {
        Ok(ctx) => page(&state, &actor, StatusCode::OK, "person.html", context! { done, ..ctx }),
        // A practitioner refused a record may be able to open it in an emergency.
        Err(e) => crate::pages::refused_record(&state, &actor, &id, e).await,
    }
}

async fn access_log_page(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> Response {
    let Ok(person_id) = id.parse::<PersonId>() else {
        return message(&state, &actor, ApiError::not_found("There is no such person."));
    };
    match state.access_log(&actor, person_id).await {
        Ok(lines) => page(&state, &actor, StatusCode::OK, "access_log.html", context! { lines, person_id => id }),
        Err(e) => message(&state, &actor, e),
    }
}

async fn person_view(state: &AppState, actor: &Actor, id: &str) -> Result<Value, ApiError> {
    let id = person_id(id)?;
    let record = state.person_record(actor, id).await?;
    let entries = state.person_entries(actor, id).await?;
    let teams = state.team_names().await?;
    let names = state.organisation_names().await?;
    // Read and audited with the record above.
    let retention = state.record_retention(actor, &record).await?;
    let kept = |ep: EpisodeId| kept_under(&retention, ep);
    let file_disposal = match &retention.verdict {
        harbour_retention::Verdict::NotYet { due_on } => format!("This file is kept until {}.", uk(*due_on)),
        harbour_retention::Verdict::Due { due_on } => format!("This file was due for review on {}.", uk(*due_on)),
        harbour_retention::Verdict::Held { due_on, .. } => {
            format!("This file was due for review on {} and is under a legal hold.", uk(*due_on))
        }
        harbour_retention::Verdict::Pending { trigger, .. } => {
            format!("This file is kept at least until {} and then for the retention period.", trigger.label())
        }
        harbour_retention::Verdict::Never { .. } => "This file is kept permanently.".to_string(),
        harbour_retention::Verdict::Unattached => "No record sets how long this file is kept.".to_string(),
    };
    let episodes: Vec<EpisodeView> = record
        .episodes
        .iter()
        .map(|ep| EpisodeView {
            id: ep.id.to_string(),
            label: ep.record_class.label(),
            opened_on: ep.opened_on.to_string(),
            closed_on: ep.closed_on.map(|d| d.to_string()),
            team: teams.get(&ep.team_id).cloned().unwrap_or_default(),
            retention: kept(ep.id),
            entries: entries
                .iter()
                .filter(|e| e.episode_id == ep.id)
                .map(|e| EntryView {
                    id: e.id.to_string(),
                    kind: e.kind.label(),
                    occurred_at: e.occurred_at.strftime("%-d %b %Y %H:%M").to_string(),
                    location: e.location.clone(),
                    subject: e.subject.clone(),
                    detail: e.detail.clone(),
                    source: describe_source(&e.source, &names, &record),
                    categories: e.categories.iter().map(|c| c.label()).collect(),
                    suggested: harbour_app::sensitive::untagged(e),
                })
                .collect(),
        })
        .collect();
    // Read with the record above (its read is authorized and audited there).
    let consents: Vec<Value> = state
        .record_consents(&record)
        .await?
        .into_iter()
        .map(|c| {
            let covers: Vec<String> = c
                .share_with
                .iter()
                .map(|o| names.get(&o.to_string()).cloned().unwrap_or_else(|| o.to_string()))
                .collect();
            context! { c, covers }
        })
        .collect();
    let orgs = other_organisations(state, actor).await?;
    let does_not_stop: Vec<String> = state.withdrawal_does_not_stop().into_iter().map(|c| c.text).collect();
    let household = relationships::household(&record);
    let gender = record.person.gender.label();
    Ok(context! {
        r => record, gender, household, episodes, file_disposal, consents, orgs, does_not_stop,
        today => actor.now.today().to_string(),
    })
}

/// The retention row an episode is kept under and its disposal date, in words ("" when the
/// file has no such episode).
pub(super) fn kept_under(retention: &harbour_app::retention::PersonRetention, ep: EpisodeId) -> String {
    let Some(r) = retention.records.iter().find(|r| r.episode_id == ep) else { return String::new() };
    let class = r.retention_class.as_deref().unwrap_or("no retention class yet");
    let period = r.period.as_deref().map(|p| format!(" ({p})")).unwrap_or_default();
    let disposal = match r.disposal {
        harbour_retention::Disposal::On { date, floor: None } => format!("may be disposed of from {}", uk(date)),
        harbour_retention::Disposal::On { date, floor: Some(floor) } => {
            format!("may be disposed of from {} ({})", uk(date), floor.describe())
        }
        harbour_retention::Disposal::Pending { trigger } => format!("the period counts from {}", trigger.label()),
        harbour_retention::Disposal::Never => "kept permanently".to_string(),
    };
    format!("Kept under {class}{period}; {disposal}")
}

pub(super) fn describe_source(source: &Source, names: &BTreeMap<String, String>, record: &PersonRecord) -> String {
    match source {
        Source::Person { person_id } if *person_id == record.person.id => record.person.full_name(),
        Source::Person { person_id } => record
            .relationships
            .iter()
            .find(|r| r.other.id == *person_id)
            .and_then(|r| r.other.name.clone())
            .unwrap_or_else(|| "another person".into()),
        Source::Organisation { organisation_id } => {
            names.get(&organisation_id.to_string()).cloned().unwrap_or_else(|| "an organisation".into())
        }
        Source::Staff { user_id } => names.get(&user_id.to_string()).cloned().unwrap_or_else(|| "staff".into()),
    }
}

#[derive(Deserialize, Serialize, Default)]
struct EntryForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    occurred_at: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    detail: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    categories: Vec<String>,
}

async fn entry_form(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> Response {
    let form = EntryForm {
        kind: "contact".into(),
        occurred_at: actor.now.local.strftime("%Y-%m-%dT%H:%M").to_string(),
        source: format!("staff:{}", actor.user.id),
        ..Default::default()
    };
    render_entry_form(&state, &actor, &id, form, StatusCode::OK, "").await
}

async fn render_entry_form(
    state: &AppState,
    actor: &Actor,
    id: &str,
    f: EntryForm,
    status: StatusCode,
    msg: &str,
) -> Response {
    let result = async {
        let id: EpisodeId = id.parse().map_err(|_| ApiError::not_found("There is no such episode."))?;
        let (episode, _) = state.episode_for(actor, id, Action::Write, "entry.form").await?;
        let record = state.person_record(actor, episode.person_id).await?;
        let mut sources = vec![context! { value => format!("staff:{}", actor.user.id), label => format!("Me ({}) — my own observation or opinion", actor.user.display_name) }];
        sources.push(context! { value => format!("person:{}", record.person.id), label => format!("{} (the person)", record.person.full_name()) });
        for r in record.relationships.iter().filter(|r| r.other.name.is_some()) {
            sources.push(context! { value => format!("person:{}", r.other.id), label => format!("{} ({})", r.other.name.clone().unwrap_or_default(), r.description) });
        }
        for o in state.organisation_list().await? {
            sources.push(context! { value => format!("organisation:{}", o.id), label => o.name });
        }
        let kinds: Vec<Value> = EntryKind::ALL.iter().map(|k| context! { code => k.code(), label => k.label() }).collect();
        let categories: Vec<Value> = DataCategory::ALL.iter().map(|c| context! { code => c.code(), label => c.label() }).collect();
        Ok::<Value, ApiError>(context! {
            person => record.person, episode_id => id.to_string(), episode_label => episode.record_class.label(),
            kinds, categories, sources, f, message => msg,
        })
    }
    .await;
    match result {
        Ok(ctx) => page(state, actor, status, "entry_form.html", ctx),
        Err(e) => message(state, actor, e),
    }
}

fn parse_entry_form(f: &EntryForm) -> Result<NewEntry, String> {
    let kind = EntryKind::from_code(&f.kind).ok_or("Choose the kind of entry.")?;
    let occurred_at = f.occurred_at.parse().map_err(|_| "Give the date and time it happened.".to_string())?;
    let source = f
        .source
        .split_once(':')
        .and_then(|(k, id)| Source::from_parts(k, id))
        .ok_or("Say who gave this information.")?;
    let categories = f
        .categories
        .iter()
        .map(|c| DataCategory::from_code(c).ok_or(format!("Unknown category {c:?}.")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(NewEntry {
        kind,
        occurred_at,
        location: Some(f.location.clone()),
        subject: f.subject.clone(),
        detail: f.detail.clone(),
        source,
        categories,
    })
}

async fn create_entry(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Form(f): Form<EntryForm>,
) -> Response {
    if let Err(e) = actor.check_csrf(&f.csrf_token) {
        return message(&state, &actor, e);
    }
    let new = match parse_entry_form(&f) {
        Ok(n) => n,
        Err(msg) => return render_entry_form(&state, &actor, &id, f, StatusCode::UNPROCESSABLE_ENTITY, &msg).await,
    };
    let Ok(episode_id) = id.parse::<EpisodeId>() else {
        return message(&state, &actor, ApiError::not_found("There is no such episode."));
    };
    match state.add_entry(&actor, episode_id, new).await {
        Ok(entry) => match state.person_of_entry(&entry).await {
            Ok(pid) => Redirect::to(&format!("/people/{pid}#entry-{}", entry.id)).into_response(),
            Err(e) => message(&state, &actor, e),
        },
        Err(e @ (AppError::Invalid(_) | AppError::UnknownReference(_) | AppError::Conflict(_))) => {
            let msg = e.to_string();
            render_entry_form(&state, &actor, &id, f, StatusCode::UNPROCESSABLE_ENTITY, &msg).await
        }
        Err(e) => message(&state, &actor, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TagForm {
    csrf_token: String,
    category: Vec<String>,
}

/// Tags an entry with the categories the scan found (the "Tag it" button on the record).
async fn tag_entry(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Form(f): Form<TagForm>,
) -> Response {
    let result = async {
        actor.check_csrf(&f.csrf_token)?;
        let id: harbour_domain::EntryId = id.parse().map_err(|_| ApiError::not_found("There is no such entry."))?;
        let add = f
            .category
            .iter()
            .map(|c| {
                harbour_domain::DataCategory::from_code(c)
                    .ok_or_else(|| ApiError::bad_request(format!("unknown category {c:?}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let entry = state.tag_entry(&actor, id, add).await?;
        let person = state.person_of_entry(&entry).await?;
        Ok::<_, ApiError>(format!("/people/{person}#entry-{}", entry.id))
    }
    .await;
    match result {
        Ok(to) => Redirect::to(&to).into_response(),
        Err(e) => message(&state, &actor, e),
    }
}

#[derive(Deserialize)]
struct ConfidentialForm {
    csrf_token: String,
    #[serde(default)]
    confidential: String,
}

/// Marks the address "do not disclose", or lifts the mark.
async fn address_confidential(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Form(f): Form<ConfidentialForm>,
) -> Response {
    let result = async {
        actor.check_csrf(&f.csrf_token)?;
        let id = person_id(&id)?;
        let c = harbour_app::person_updates::AddressConfidentiality { confidential: f.confidential == "true" };
        state.set_address_confidential(&actor, id, c).await?;
        Ok::<_, ApiError>(format!("/people/{id}"))
    }
    .await;
    match result {
        Ok(to) => Redirect::to(&to).into_response(),
        Err(e) => message(&state, &actor, e),
    }
}
