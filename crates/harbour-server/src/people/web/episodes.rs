//! Opening an episode from a person's page (`/people/{id}/episodes/new`) and closing one
//! (`/episodes/{id}/close`, a confirmation that says how long the record is then kept). Each
//! form names every problem beside its field and writes nothing until all are put right; the use
//! cases authorize, apply the domain's rules again and audit.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use axum_extra::extract::Form;
use harbour_app::people::PersonRecord;
use harbour_app::AppError;
use harbour_domain::{DomainError, Eligibility, Episode, EpisodeClosure, EpisodeId, NewEpisode, RecordClass, TeamId};
use harbour_policy::Action;
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

use super::fields::{date_parts, text_problem, uk, DateBoxes};
use crate::auth::Actor;
use crate::error::ApiError;
use crate::pages::{message, page, person_id, sentence, FormErrors};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/people/{id}/episodes/new", get(open_form).post(open))
        .route("/episodes/{id}/close", get(close_form).post(close))
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct OpenForm {
    #[serde(skip_serializing)]
    csrf_token: String,
    record_class: String,
    #[serde(rename = "opened-day")]
    opened_day: String,
    #[serde(rename = "opened-month")]
    opened_month: String,
    #[serde(rename = "opened-year")]
    opened_year: String,
    team: String,
    eligibility_override: String,
}

async fn open_form(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> Response {
    let [day, month, year] = date_parts(actor.now.today());
    let f = OpenForm {
        opened_day: day,
        opened_month: month,
        opened_year: year,
        team: actor.user.team_id.map(|t| t.to_string()).unwrap_or_default(),
        ..Default::default()
    };
    match person_to_write(&state, &actor, &id, "episode.form").await {
        Ok(record) => show_open(&state, &actor, StatusCode::OK, &record, &f, &FormErrors::default()).await,
        Err(e) => message(&state, &actor, e),
    }
}

/// The record of the person in the path, once the authorizer lets the actor write to it.
async fn person_to_write(state: &AppState, actor: &Actor, id: &str, audit: &str) -> Result<PersonRecord, ApiError> {
    let id = person_id(id)?;
    state.authorize_person(actor, Action::Write, id, audit).await?;
    Ok(state.person_record(actor, id).await?)
}

async fn show_open(
    state: &AppState,
    actor: &Actor,
    status: StatusCode,
    record: &PersonRecord,
    f: &OpenForm,
    errors: &FormErrors,
) -> Response {
    let teams = match allocatable_teams(state, actor).await {
        Ok(t) => t,
        Err(e) => return message(state, actor, e),
    };
    let classes: Vec<Value> =
        RecordClass::ALL.iter().map(|c| context! { code => c.code(), label => c.label() }).collect();
    let err = errors.value().get_attr("field").unwrap_or_default();
    // Someone past the age for services today needs a reason; so does anyone the form was
    // refused for (an earlier opening date can still be within their years).
    let refused_for_age = err.get_attr("eligibility_override").is_ok_and(|v| !v.is_undefined());
    let ask_reason = !record.eligibility.eligible || !f.eligibility_override.trim().is_empty() || refused_for_age;
    let eligibility = record.eligibility.ends_on.map(|end| {
        format!(
            "Services for {} run to their {}th birthday, {}.",
            record.person.full_name(),
            record.eligibility.upper_age,
            uk(end)
        )
    });
    let ctx = context! {
        person => context! { id => record.person.id.to_string(), name => record.person.full_name() },
        classes, teams, v => f, errors => errors.value(), err, ask_reason, eligibility,
    };
    page(state, actor, status, "episode_new.html", ctx)
}

/// The teams an episode can be allocated to: those of the organisations that run Harbour (the
/// council's children's services), by name.
async fn allocatable_teams(state: &AppState, actor: &Actor) -> Result<Vec<Value>, ApiError> {
    let operators: Vec<_> = state.organisation_list().await?.into_iter().filter(|o| o.operator).map(|o| o.id).collect();
    let mut teams = state.teams(actor).await?;
    if teams.iter().any(|t| operators.contains(&t.org_id)) {
        teams.retain(|t| operators.contains(&t.org_id));
    }
    teams.sort_by_key(|t| t.name.to_lowercase());
    Ok(teams.into_iter().map(|t| context! { id => t.id.to_string(), name => t.name }).collect())
}

/// Reads the form against the person it is for: every problem at once.
fn read_open(f: &OpenForm, record: &PersonRecord, today: jiff::civil::Date) -> Result<NewEpisode, FormErrors> {
    let mut errors = FormErrors::default();
    let record_class = RecordClass::from_code(f.record_class.trim());
    if record_class.is_none() {
        errors.add("record_class", "Select the kind of record the episode is.");
    }
    let boxes = DateBoxes {
        ids: ["opened-day", "opened-month", "opened-year"],
        day: &f.opened_day,
        month: &f.opened_month,
        year: &f.opened_year,
    };
    let opened_on = boxes.read(&mut errors, "the date the episode opened", true);
    let team_id = f.team.trim().parse::<TeamId>().ok();
    if team_id.is_none() {
        errors.add("team", "Select the team the episode is allocated to.");
    }
    let reason = harbour_domain::optional_text("override reason", Some(&f.eligibility_override), 1000)
        .map_err(|e| errors.add("eligibility_override", text_problem(&e, "the reason")))
        .ok()
        .flatten();
    if let Some(opened) = opened_on {
        let refusal = harbour_domain::episode::check_dates(opened, None, today)
            .and_then(|()| harbour_domain::episode::check_opened_after_birth(opened, record.person.date_of_birth));
        if let Err(e) = refusal {
            let (field, text) = open_problem(&e, record);
            errors.add(field, text);
        }
        let eligibility = Eligibility::of(&record.person, opened);
        if !eligibility.eligible && reason.is_none() {
            let e = DomainError::PastEligibility {
                person: record.person.full_name(),
                upper_age: eligibility.upper_age,
                ended_on: eligibility.ends_on.unwrap_or(opened),
            };
            let (field, text) = open_problem(&e, record);
            errors.add(field, text);
        }
    }
    match (record_class, opened_on, team_id) {
        (Some(record_class), Some(opened_on), Some(team_id)) if errors.is_empty() => Ok(NewEpisode {
            record_class,
            opened_on,
            closed_on: None,
            team_id,
            worker_id: None,
            eligibility_override: reason,
            retention_class: None,
            left_school_on: None,
            published_on: None,
        }),
        _ => Err(errors),
    }
}

/// A refusal of an episode's opening, in words beside the field it is about.
fn open_problem(e: &DomainError, record: &PersonRecord) -> (&'static str, String) {
    match e {
        DomainError::DateInFuture { .. } => {
            ("opened-day", "The date the episode opened must be today or in the past.".into())
        }
        DomainError::EpisodeBeforeBirth { dob, .. } => (
            "opened-day",
            format!("The episode cannot open before {} was born, on {}.", record.person.full_name(), uk(*dob)),
        ),
        DomainError::PastEligibility { person, upper_age, ended_on } => (
            "eligibility_override",
            format!(
                "{person} was past the age for services on that date (their {upper_age}th birthday was {}). Give the reason to work with them.",
                uk(*ended_on)
            ),
        ),
        DomainError::Empty { .. }
        | DomainError::TooLong { .. }
        | DomainError::ForbiddenCharacter { .. }
        | DomainError::NothingVisible { .. } => ("eligibility_override", text_problem(e, "the reason")),
        other => ("opened-day", sentence(&other.to_string())),
    }
}

async fn open(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Form(f): Form<OpenForm>,
) -> Response {
    if let Err(e) = actor.check_csrf(&f.csrf_token) {
        return message(&state, &actor, e);
    }
    let record = match person_to_write(&state, &actor, &id, "episode.create").await {
        Ok(r) => r,
        Err(e) => return message(&state, &actor, e),
    };
    let new = match read_open(&f, &record, actor.now.today()) {
        Ok(new) => new,
        Err(errors) => return show_open(&state, &actor, StatusCode::UNPROCESSABLE_ENTITY, &record, &f, &errors).await,
    };
    match state.open_episode(&actor, record.person.id, new).await {
        Ok(ep) => Redirect::to(&format!("/people/{}?done=episode-opened#ep-{}", ep.person_id, ep.id)).into_response(),
        Err(e) => {
            let (field, text) = match &e {
                AppError::Invalid(d) => open_problem(d, &record),
                AppError::UnknownReference(_) => ("team", "Select a team from the list.".to_string()),
                AppError::Retention(_) => (
                    "record_class",
                    "Harbour has no rule for how long to keep this kind of record: ask the records manager."
                        .to_string(),
                ),
                _ => return message(&state, &actor, e),
            };
            let mut errors = FormErrors::default();
            errors.add(field, text);
            show_open(&state, &actor, StatusCode::UNPROCESSABLE_ENTITY, &record, &f, &errors).await
        }
    }
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct CloseForm {
    #[serde(skip_serializing)]
    csrf_token: String,
    #[serde(rename = "closed-day")]
    closed_day: String,
    #[serde(rename = "closed-month")]
    closed_month: String,
    #[serde(rename = "closed-year")]
    closed_year: String,
}

/// The open episode in the path, once the authorizer lets the actor write to its record, and
/// the record.
async fn episode_to_close(
    state: &AppState,
    actor: &Actor,
    id: &str,
    audit: &str,
) -> Result<(Episode, PersonRecord), ApiError> {
    let id: EpisodeId = id.parse().map_err(|_| ApiError::not_found("There is no such episode."))?;
    let (episode, _) = state.episode_for(actor, id, Action::Write, audit).await?;
    if !episode.is_open() {
        return Err(AppError::Conflict("This episode is already closed.".into()).into());
    }
    let record = state.person_record(actor, episode.person_id).await?;
    Ok((episode, record))
}

async fn close_form(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> Response {
    let [day, month, year] = date_parts(actor.now.today());
    let f = CloseForm { closed_day: day, closed_month: month, closed_year: year, ..Default::default() };
    match episode_to_close(&state, &actor, &id, "episode.close.form").await {
        Ok((episode, record)) => {
            show_close(&state, &actor, StatusCode::OK, &episode, &record, &f, &FormErrors::default()).await
        }
        Err(e) => message(&state, &actor, e),
    }
}

async fn show_close(
    state: &AppState,
    actor: &Actor,
    status: StatusCode,
    episode: &Episode,
    record: &PersonRecord,
    f: &CloseForm,
    errors: &FormErrors,
) -> Response {
    let result = async {
        // Read and audited with the record.
        let retention = state.record_retention(actor, record).await?;
        let teams = state.team_names().await?;
        let kept = super::kept_under(&retention, episode.id);
        let disposal = retention.records.iter().find(|r| r.episode_id == episode.id).map(|r| r.disposal);
        Ok::<_, ApiError>((kept, closing_consequence(disposal), teams))
    }
    .await;
    let (retention, consequence, teams) = match result {
        Ok(x) => x,
        Err(e) => return message(state, actor, e),
    };
    let ctx = context! {
        person => context! { id => record.person.id.to_string(), name => record.person.full_name() },
        episode => context! {
            id => episode.id.to_string(), label => episode.record_class.label(), opened_on => uk(episode.opened_on),
            team => teams.get(&episode.team_id).cloned().unwrap_or_default(),
        },
        retention, consequence, v => f, errors => errors.value(), err => errors.value().get_attr("field").unwrap_or_default(),
    };
    page(state, actor, status, "episode_close.html", ctx)
}

async fn close(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Form(f): Form<CloseForm>,
) -> Response {
    if let Err(e) = actor.check_csrf(&f.csrf_token) {
        return message(&state, &actor, e);
    }
    let (episode, record) = match episode_to_close(&state, &actor, &id, "episode.close").await {
        Ok(x) => x,
        Err(e) => return message(&state, &actor, e),
    };
    let mut errors = FormErrors::default();
    let boxes = DateBoxes {
        ids: ["closed-day", "closed-month", "closed-year"],
        day: &f.closed_day,
        month: &f.closed_month,
        year: &f.closed_year,
    };
    let closed_on = boxes.read(&mut errors, "the date the episode closed", true);
    let checked =
        closed_on.map(|on| harbour_domain::episode::check_dates(episode.opened_on, Some(on), actor.now.today()));
    if let Some(Err(e)) = &checked {
        errors.add("closed-day", close_problem(e));
    }
    let Some(closed_on) = closed_on.filter(|_| errors.is_empty()) else {
        return show_close(&state, &actor, StatusCode::UNPROCESSABLE_ENTITY, &episode, &record, &f, &errors).await;
    };
    match state.close_episode(&actor, episode.id, EpisodeClosure { closed_on }).await {
        Ok(ep) => Redirect::to(&format!("/people/{}?done=episode-closed#ep-{}", ep.person_id, ep.id)).into_response(),
        Err(AppError::Invalid(e)) if !matches!(e, DomainError::EpisodeAlreadyClosed) => {
            errors.add("closed-day", close_problem(&e));
            show_close(&state, &actor, StatusCode::UNPROCESSABLE_ENTITY, &episode, &record, &f, &errors).await
        }
        Err(e) => message(&state, &actor, e),
    }
}

/// What closing the episode does to how long its record is kept.
fn closing_consequence(disposal: Option<harbour_retention::Disposal>) -> String {
    use harbour_retention::{Disposal, Trigger};
    match disposal {
        Some(Disposal::Pending { trigger: Trigger::CaseClosure }) => {
            "Its retention period starts on the closing date.".into()
        }
        Some(Disposal::Pending { trigger }) => {
            format!("Closing it does not start its retention period, which counts from {}.", trigger.label())
        }
        Some(Disposal::On { date, .. }) => {
            format!("Closing it does not change how long it is kept: it may be disposed of from {}.", uk(date))
        }
        Some(Disposal::Never) => "Closing it does not change how long it is kept: it is kept permanently.".into(),
        None => String::new(),
    }
}

/// A refusal of a closing date, in words.
fn close_problem(e: &DomainError) -> String {
    match e {
        DomainError::EpisodeClosedBeforeOpened { opened, .. } => {
            format!("The date the episode closed must be the same as or after the day it opened, {}.", uk(*opened))
        }
        DomainError::DateInFuture { .. } => "The date the episode closed must be today or in the past.".into(),
        other => sentence(&other.to_string()),
    }
}
