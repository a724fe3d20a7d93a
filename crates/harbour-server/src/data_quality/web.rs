//! NHS numbers to correct (rules.md rule 29, issue 11): the children on a plan or in care whose
//! number CP-IS cannot use, for team managers and the hub to put right, with a form on each line
//! to record the number and that it was checked. Both go through the same service calls as the
//! API, so the same checks, refusals and audit apply.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::Form;
use harbour_domain::NhsNumberUpdate;
use minijinja::context;
use serde::Deserialize;

use crate::auth::Actor;
use crate::error::ApiError;
use crate::pages::{message, page, person_id};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/data-quality/nhs-numbers", get(list)).route("/people/{id}/nhs-number", post(update))
}

async fn list(State(state): State<AppState>, actor: Actor) -> Response {
    let result = async {
        let items = state.nhs_numbers_to_correct(&actor).await?;
        let teams: BTreeMap<String, String> =
            state.team_names().await?.into_iter().map(|(id, name)| (id.to_string(), name)).collect();
        Ok::<_, crate::error::ApiError>((items, teams))
    }
    .await;
    match result {
        Ok((items, teams)) => page(&state, &actor, StatusCode::OK, "nhs_numbers.html", context! { items, teams }),
        Err(e) => message(&state, &actor, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NhsForm {
    csrf_token: String,
    nhs_number: String,
    /// A checkbox: present ("yes") when ticked.
    verified: Option<String>,
}

async fn update(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Form(f): Form<NhsForm>,
) -> Response {
    let result = async {
        actor.check_csrf(&f.csrf_token)?;
        let person = person_id(&id)?;
        let update = NhsNumberUpdate { nhs_number: Some(f.nhs_number), verified: f.verified.is_some() };
        state.update_nhs_number(&actor, person, update).await.map_err(ApiError::from)
    }
    .await;
    match result {
        Ok(_) => Redirect::to("/data-quality/nhs-numbers").into_response(),
        Err(e) => message(&state, &actor, e),
    }
}
