//! Emergency access in the browser: the form that opens a record a practitioner does not work
//! on (offered where the record is refused), and the list of openings — the teams' alert and
//! the data protection officer's review.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::Form;
use harbour_app::AppError;
use harbour_domain::{EmergencyAccessId, NewEmergencyAccess, NewEmergencyReview, EMERGENCY_ACCESS_HOURS};
use minijinja::context;
use serde::Deserialize;

use crate::auth::Actor;
use crate::error::ApiError;
use crate::pages::{message, page, person_id};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/people/{id}/emergency-access", get(form).post(open))
        .route("/emergency-access", get(list))
        .route("/emergency-access/{id}/review", post(review))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OpenForm {
    csrf_token: String,
    reason: String,
}

/// The form, or the page saying why it is not offered. The record's name is not shown: the
/// practitioner may not read it until they open it.
async fn show_form(
    state: &AppState,
    actor: &Actor,
    id: &str,
    status: StatusCode,
    reason: &str,
    error: &str,
) -> Response {
    let result = async {
        let person = person_id(id)?;
        if !state.may_open_in_emergency(actor, person).await? {
            return Err(ApiError::from(AppError::Forbidden {
                explanation:
                    "You cannot open this record in an emergency: either you can already see it, or no notice \
                              clause lets your role open records in an emergency."
                        .into(),
                policy_ids: Vec::new(),
            }));
        }
        Ok(context! { person_id => person.to_string(), reason, error, hours => EMERGENCY_ACCESS_HOURS })
    }
    .await;
    match result {
        Ok(ctx) => page(state, actor, status, "emergency_open.html", ctx),
        Err(e) => message(state, actor, e),
    }
}

async fn form(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> Response {
    show_form(&state, &actor, &id, StatusCode::OK, "", "").await
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
    let person = match person_id(&id) {
        Ok(p) => p,
        Err(e) => return message(&state, &actor, e),
    };
    if f.reason.trim().is_empty() {
        let error = "Say why the record must be opened now";
        return show_form(&state, &actor, &id, StatusCode::UNPROCESSABLE_ENTITY, &f.reason, error).await;
    }
    match state.open_in_emergency(&actor, person, NewEmergencyAccess { reason: f.reason.clone() }).await {
        Ok(_) => Redirect::to(&format!("/people/{person}?done=emergency-opened")).into_response(),
        Err(AppError::Invalid(e)) => {
            show_form(&state, &actor, &id, StatusCode::UNPROCESSABLE_ENTITY, &f.reason, &e.to_string()).await
        }
        Err(e) => message(&state, &actor, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    /// Set on the way back from a review.
    reviewed: Option<u8>,
}

async fn list(State(state): State<AppState>, actor: Actor, Query(q): Query<ListQuery>) -> Response {
    show_list(&state, &actor, StatusCode::OK, q.reviewed == Some(1), None).await
}

/// The list; `error` is a review that could not be recorded: the opening's id and why.
async fn show_list(
    state: &AppState,
    actor: &Actor,
    status: StatusCode,
    reviewed: bool,
    error: Option<(String, String)>,
) -> Response {
    match state.emergency_accesses(actor).await {
        Ok(openings) => {
            let to_review = openings.iter().filter(|o| o.access.review.is_none()).count();
            let (error_id, error) = error.unzip();
            let ctx = context! { openings, to_review, reviewed, error_id, error, hours => EMERGENCY_ACCESS_HOURS };
            page(state, actor, status, "emergency_list.html", ctx)
        }
        Err(e) => message(state, actor, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ReviewForm {
    csrf_token: String,
    justified: String,
    note: String,
}

async fn review(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Form(f): Form<ReviewForm>,
) -> Response {
    if let Err(e) = actor.check_csrf(&f.csrf_token) {
        return message(&state, &actor, e);
    }
    let Ok(access) = id.parse::<EmergencyAccessId>() else {
        return message(&state, &actor, ApiError::not_found("There is no such opening."));
    };
    let justified = match f.justified.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            let error = Some((id, "Say whether the opening was justified".to_string()));
            return show_list(&state, &actor, StatusCode::UNPROCESSABLE_ENTITY, false, error).await;
        }
    };
    let note = Some(f.note.clone()).filter(|n| !n.trim().is_empty());
    match state.review_emergency_access(&actor, access, NewEmergencyReview { justified, note }).await {
        Ok(_) => Redirect::to("/emergency-access?reviewed=1").into_response(),
        Err(AppError::Invalid(_)) => {
            let error = Some((id, "Say what was wrong with the opening".to_string()));
            show_list(&state, &actor, StatusCode::UNPROCESSABLE_ENTITY, false, error).await
        }
        Err(e) => message(&state, &actor, e),
    }
}
