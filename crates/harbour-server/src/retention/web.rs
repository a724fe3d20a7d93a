//! The records manager's pages: the review queue (approve, bulk approve, defer, hold), running
//! the sweep, and the destruction log with its certificates.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::Form;
use harbour_domain::CertificateId;
use minijinja::context;
use serde::Deserialize;

use crate::auth::Actor;
use crate::error::ApiError;
use crate::pages::{message, page, person_id};
use crate::AppState;
use harbour_app::retention::{BulkApproval, Deferral, QueueHold, QueuePageRequest};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/retention", get(queue_page))
        .route("/retention/sweep", post(sweep))
        .route("/retention/approve", post(approve_all))
        .route("/retention/{id}/confirm", get(confirm_page))
        .route("/retention/destroyed", get(destroyed_page))
        .route("/retention/{id}/{action}", post(person_action))
        .route("/retention/destructions/{id}", get(certificate_page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RetentionForm {
    csrf_token: String,
    person_id: Vec<String>,
    until: String,
    reason: String,
    authorised_by: String,
    /// "yes" when the records manager has ticked that they checked what is to be destroyed.
    confirm: String,
    /// "confirm" when the form is the confirmation page's (not the queue's).
    step: String,
}

/// What the confirmation asks for when the box was not ticked.
const UNCONFIRMED: &str = "Tick the box to say you have checked what will be destroyed";

/// The page that shows what approving destruction would destroy, and asks the records manager
/// to confirm: for one file (`/retention/{id}/confirm`) or the files chosen in the queue.
async fn confirmation(
    state: &AppState,
    actor: &Actor,
    ids: &[harbour_domain::PersonId],
    action: &str,
    error: Option<&str>,
) -> Response {
    let mut files = Vec::new();
    for id in ids {
        match state.destruction_preview(actor, *id).await {
            Ok(f) => files.push(f),
            Err(e) => return message(state, actor, e),
        }
    }
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    page(state, actor, status, "retention_confirm.html", context! { files, action, error })
}

async fn confirm_page(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> Response {
    match person_id(&id) {
        Ok(id) => confirmation(&state, &actor, &[id], &format!("/retention/{id}/approve"), None).await,
        Err(e) => message(&state, &actor, e),
    }
}

async fn queue_page(
    State(state): State<AppState>,
    actor: Actor,
    query: Result<axum::extract::Query<QueuePageRequest>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(axum::extract::Query(request)) = query else {
        return message(&state, &actor, ApiError::bad_request("That is not a page of the queue."));
    };
    let queue = match state.queue(&actor, request).await {
        Ok(q) => q,
        Err(e) => return message(&state, &actor, e),
    };
    let shown_to = queue.offset + queue.items.len() as u64;
    let previous = (queue.offset > 0).then(|| queue.offset.saturating_sub(u64::from(queue.limit)));
    let next = (shown_to < queue.total).then_some(shown_to);
    match state.destructions(&actor).await {
        Ok(destructions) => page(
            &state,
            &actor,
            StatusCode::OK,
            "retention.html",
            context! {
                queue => queue.items, total => queue.total, shown_from => queue.offset + 1, shown_to, previous, next,
                today => actor.now.today().to_string(), destructions,
            },
        ),
        Err(e) => message(&state, &actor, e),
    }
}

/// Parses the form after checking its CSRF token.
fn checked(actor: &Actor, f: &RetentionForm) -> Result<(), ApiError> {
    actor.check_csrf(&f.csrf_token)
}

const QUEUE: &str = "/retention";

/// Where a form goes next: to `Ok(path)`, or the message saying why it was refused.
fn back_to_queue(state: &AppState, actor: &Actor, result: Result<String, ApiError>) -> Response {
    match result {
        Ok(path) => Redirect::to(&path).into_response(),
        Err(e) => message(state, actor, e),
    }
}

async fn sweep(State(state): State<AppState>, actor: Actor, Form(f): Form<RetentionForm>) -> Response {
    let result = async {
        checked(&actor, &f)?;
        state.sweep(Some(&actor), actor.now.today(), false, |_| {}).await.map_err(ApiError::from)
    }
    .await;
    back_to_queue(&state, &actor, result.map(|_| QUEUE.to_string()))
}

/// The files chosen in the queue: first the confirmation listing them, then, confirmed, their
/// destruction (all or none) and the page saying so.
async fn approve_all(State(state): State<AppState>, actor: Actor, Form(f): Form<RetentionForm>) -> Response {
    let ids: Vec<harbour_domain::PersonId> =
        match checked(&actor, &f).and_then(|()| f.person_id.iter().map(|p| person_id(p)).collect()) {
            Ok(ids) => ids,
            Err(e) => return message(&state, &actor, e),
        };
    if ids.is_empty() {
        return message(&state, &actor, ApiError::bad_request("Choose at least one file in the queue first."));
    }
    if f.confirm != "yes" {
        let error = (f.step == "confirm").then_some(UNCONFIRMED);
        return confirmation(&state, &actor, &ids, QUEUE_APPROVE, error).await;
    }
    match state.approve_all(&actor, BulkApproval { person_ids: ids }).await {
        Ok(done) => Redirect::to(&format!("/retention/destroyed?count={}", done.len())).into_response(),
        Err(e) => message(&state, &actor, e),
    }
}

#[derive(Deserialize)]
struct Destroyed {
    count: u32,
}

/// Said after files chosen in the queue were destroyed.
async fn destroyed_page(
    State(state): State<AppState>,
    actor: Actor,
    query: Result<axum::extract::Query<Destroyed>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(axum::extract::Query(Destroyed { count })) = query else {
        return message(&state, &actor, ApiError::bad_request("That is not a count of files."));
    };
    // Only the records manager destroys files, so only they are told it is done.
    if let Err(e) = state.authorize_system(&actor, harbour_policy::Action::ManageRetention, "retention.destroyed").await
    {
        return message(&state, &actor, e);
    }
    page(&state, &actor, StatusCode::OK, "retention_done.html", context! { count })
}

const QUEUE_APPROVE: &str = "/retention/approve";

/// Approve, defer or hold one file in the queue.
async fn person_action(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, action)): Path<(String, String)>,
    Form(f): Form<RetentionForm>,
) -> Response {
    if action == "approve" && f.confirm != "yes" {
        return match checked(&actor, &f).and_then(|()| person_id(&id)) {
            Ok(id) => confirmation(&state, &actor, &[id], &format!("/retention/{id}/approve"), Some(UNCONFIRMED)).await,
            Err(e) => message(&state, &actor, e),
        };
    }
    let result = async {
        checked(&actor, &f)?;
        let id = person_id(&id)?;
        match action.as_str() {
            "approve" => state
                .approve(&actor, id)
                .await
                .map_err(ApiError::from)
                .map(|d| format!("/retention/destructions/{}?destroyed=1", d.certificate)),
            "defer" => {
                let until =
                    f.until.trim().parse().map_err(|_| ApiError::bad_request("Give the new review date as a date."))?;
                state
                    .defer(&actor, id, Deferral { until, reason: f.reason.clone() })
                    .await
                    .map_err(ApiError::from)
                    .map(|_| QUEUE.into())
            }
            "hold" => {
                let h = QueueHold { reason: f.reason.clone(), authorised_by: f.authorised_by.clone(), ends_on: None };
                state.hold_from_queue(&actor, id, h).await.map_err(ApiError::from).map(|_| QUEUE.into())
            }
            _ => Err(ApiError::not_found("There is no such page.")),
        }
    }
    .await;
    back_to_queue(&state, &actor, result)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CertificateQuery {
    /// Set on the way back from destroying the file: the page says it was done.
    destroyed: Option<u8>,
}

async fn certificate_page(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<CertificateQuery>,
) -> Response {
    let Ok(id) = id.parse::<CertificateId>() else {
        return message(&state, &actor, ApiError::not_found("There is no such certificate."));
    };
    let destroyed = q.destroyed == Some(1);
    match state.certificate(&actor, id).await {
        Ok(text) => {
            page(&state, &actor, StatusCode::OK, "certificate.html", context! { text, id => id.to_string(), destroyed })
        }
        Err(e) => message(&state, &actor, e),
    }
}
