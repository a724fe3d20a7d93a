//! Consent on the person's page: record consent given to a service, and record its
//! withdrawal. Both go through the same service calls as the API, so the same checks apply.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use axum_extra::extract::Form;
use harbour_domain::{ConsentId, NewConsent, NewWithdrawal, PersonId};
use jiff::civil::Date;
use serde::Deserialize;

use harbour_app::AppError;

use crate::auth::Actor;
use crate::error::ApiError;
use crate::pages::{message, person_id};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/people/{id}/consents", post(give)).route("/consents/{id}/withdraw", post(withdraw))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ConsentForm {
    csrf_token: String,
    service: String,
    given_by: String,
    given_on: String,
    share_with: Vec<String>,
    withdrawn_on: String,
    withdrawn_by: String,
    note: String,
}

fn date(what: &str, value: &str) -> Result<Date, ApiError> {
    value.trim().parse().map_err(|_| ApiError::bad_request(format!("{what} must be a date (YYYY-MM-DD).")))
}

/// Back to the person's consents, or the message saying why it was refused.
fn back_to(state: &AppState, actor: &Actor, result: Result<PersonId, ApiError>) -> Response {
    match result {
        Ok(person) => Redirect::to(&format!("/people/{person}#consent-h")).into_response(),
        Err(e) => message(state, actor, e),
    }
}

async fn give(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Form(f): Form<ConsentForm>,
) -> Response {
    let result = async {
        actor.check_csrf(&f.csrf_token)?;
        let person = person_id(&id)?;
        let share_with = f
            .share_with
            .iter()
            .map(|o| {
                o.parse().map_err(|_| ApiError::from(AppError::UnknownReference(format!("unknown organisation {o:?}"))))
            })
            .collect::<Result<_, _>>()?;
        let new = NewConsent {
            service: f.service,
            given_by: f.given_by,
            given_on: date("Given on", &f.given_on)?,
            share_with,
        };
        state.give_consent(&actor, person, new).await.map_err(ApiError::from).map(|c| c.person_id)
    }
    .await;
    back_to(&state, &actor, result)
}

async fn withdraw(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Form(f): Form<ConsentForm>,
) -> Response {
    let result = async {
        actor.check_csrf(&f.csrf_token)?;
        let consent: ConsentId = id.parse().map_err(|_| ApiError::not_found("There is no such consent."))?;
        let new = NewWithdrawal {
            withdrawn_on: date("Withdrawn on", &f.withdrawn_on)?,
            withdrawn_by: f.withdrawn_by,
            note: Some(f.note),
        };
        state.withdraw_consent(&actor, consent, new).await.map_err(ApiError::from).map(|o| o.consent.person_id)
    }
    .await;
    back_to(&state, &actor, result)
}
