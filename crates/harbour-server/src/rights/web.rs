//! The public subject access page: anyone may ask, without signing in. The form carries its
//! own CSRF token (a cookie scoped to the page); an address may send a few requests an hour;
//! and the answer is the same whoever asks and whatever Harbour holds (nothing is looked up).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use axum_extra::extract::{CookieJar, Form};
use harbour_app::rights::{PublicAnswer, RequestPerson, RightsRequestView, StatusChange};
use harbour_app::subject_access::{RedactionDecision, RedactionDecisions, ReleaseTo, ReviewItemView};
use harbour_app::Now;
use harbour_domain::{
    ChildView, NewRedaction, NewRightsRequest, PersonId, PublicRequest, RedactionReason, Requester, Right,
    RightsRequestId, RightsStatus,
};
use minijinja::context;
use serde::{Deserialize, Serialize};

use crate::auth::{self, Actor, ClientAddress};
use crate::error::ApiError;
use crate::pages::{cookie, message, page, render};
use crate::AppState;

const CSRF_COOKIE: &str = "harbour_request_csrf";

pub fn routes() -> Router<AppState> {
    Router::new().route("/subject-access", get(form).post(submit))
}

/// The form as typed, kept to show again with a message.
#[derive(Debug, Default, Deserialize, Serialize)]
struct RequestForm {
    #[serde(default)]
    your_name: String,
    #[serde(default)]
    requester: String,
    #[serde(default)]
    subject_name: String,
    #[serde(default)]
    subject_date_of_birth: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    detail: String,
    #[serde(default)]
    csrf_token: String,
}

fn show(state: &AppState, status: StatusCode, jar: CookieJar, form: &RequestForm, message: &str) -> Response {
    let token = jar.get(CSRF_COOKIE).map(|c| c.value().to_string()).unwrap_or_else(auth::new_secret);
    let jar = jar.add(cookie(state, CSRF_COOKIE, token.clone(), "/subject-access"));
    (jar, render(state, status, "subject_access.html", context! { csrf => token, form, message })).into_response()
}

async fn form(State(state): State<AppState>, jar: CookieJar) -> Response {
    show(&state, StatusCode::OK, jar, &RequestForm::default(), "")
}

async fn submit(
    State(state): State<AppState>,
    address: ClientAddress,
    jar: CookieJar,
    Form(f): Form<RequestForm>,
) -> Response {
    let expected = jar.get(CSRF_COOKIE).map(|c| c.value().to_string()).unwrap_or_default();
    if expected.is_empty() || !auth::same_secret(&expected, &f.csrf_token) {
        return show(&state, StatusCode::FORBIDDEN, jar, &f, "The form expired. Please send it again.");
    }
    let requester = match f.requester.as_str() {
        "subject" => Requester::Subject,
        "parent" => Requester::Parent,
        "representative" => Requester::Representative,
        _ => return show(&state, StatusCode::UNPROCESSABLE_ENTITY, jar, &f, "Say who the information is about."),
    };
    let request = PublicRequest {
        your_name: f.your_name.clone(),
        requester,
        subject_name: f.subject_name.clone(),
        subject_date_of_birth: f.subject_date_of_birth.clone(),
        contact: f.contact.clone(),
        detail: f.detail.clone(),
    };
    match state.submit_public_request(request, &address.0, &Now::read()).await {
        Ok(PublicAnswer::Received(receipt)) => {
            let receipt = context! {
                reference => receipt.reference.to_string(),
                received_on => receipt.received_on.strftime("%-d %B %Y").to_string(),
                due_on => receipt.due_on.strftime("%-d %B %Y").to_string(),
            };
            render(&state, StatusCode::OK, "subject_access.html", context! { receipt })
        }
        Ok(PublicAnswer::Throttled) => show(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            jar,
            &f,
            "Too many requests have been sent from here in the last hour. Please try again later, or write to us.",
        ),
        Err(harbour_app::AppError::Invalid(e)) => {
            let msg = format!("Please check the form: {e}.");
            show(&state, StatusCode::UNPROCESSABLE_ENTITY, jar, &f, &msg)
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}

// The data protection officer's pages: the register, a request, and its review screen.

pub fn staff_routes() -> Router<AppState> {
    Router::new()
        .route("/rights", get(register).post(record))
        .route("/rights/{id}", get(request_page))
        .route("/rights/{id}/{action}", axum::routing::post(request_action))
}

fn request_id(id: &str) -> Result<RightsRequestId, ApiError> {
    id.parse().map_err(|_| ApiError::not_found("There is no such request."))
}

/// A line of the register.
#[derive(Serialize)]
struct RegisterLine {
    id: String,
    subject_name: String,
    right: &'static str,
    requester: String,
    requester_name: String,
    channel: String,
    received_on: String,
    due_on: String,
    days_left: i32,
    status: &'static str,
    open: bool,
    paused: bool,
    overdue: bool,
}

fn code<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn line(v: &RightsRequestView) -> RegisterLine {
    let r = &v.request;
    RegisterLine {
        id: r.id.to_string(),
        subject_name: r.subject_name.clone(),
        right: r.right.code(),
        requester: code(&r.requester),
        requester_name: r.requester_name.clone(),
        channel: code(&r.channel),
        received_on: r.received_on.to_string(),
        due_on: v.deadline.due_on.to_string(),
        days_left: v.days_left,
        status: r.status.code(),
        open: r.status.is_open(),
        paused: v.paused,
        overdue: v.overdue,
    }
}

async fn register(State(state): State<AppState>, actor: Actor) -> Response {
    let result = async {
        let requests: Vec<RegisterLine> = state.rights_requests(&actor).await?.iter().map(line).collect();
        let summary = state.rights_summary(&actor).await?;
        Ok::<_, ApiError>(context! { requests, summary, today => actor.now.today().to_string() })
    }
    .await;
    match result {
        Ok(ctx) => page(&state, &actor, StatusCode::OK, "rights.html", ctx),
        Err(e) => message(&state, &actor, e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StaffForm {
    csrf_token: String,
    right: String,
    channel: String,
    subject_name: String,
    person_id: String,
    requester: String,
    requester_name: String,
    received_on: String,
    detail: String,
    status: String,
    confirmed_on: String,
    note: String,
    competent: String,
    consents: String,
    item: String,
    index: String,
    accepted: String,
    text: String,
    reason: String,
    to: String,
    method: String,
}

/// A form field that must be one of a type's codes.
fn parsed<T: for<'de> Deserialize<'de>>(what: &str, value: &str) -> Result<T, ApiError> {
    serde_json::from_value(serde_json::Value::String(value.to_string()))
        .map_err(|_| ApiError::bad_request(format!("Choose {what} from the list.")))
}

fn date_field(what: &str, value: &str) -> Result<Option<jiff::civil::Date>, ApiError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.parse().map(Some).map_err(|_| ApiError::bad_request(format!("Give {what} as a date.")))
}

fn person_field(value: &str) -> Result<Option<PersonId>, ApiError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.parse().map(Some).map_err(|_| ApiError::bad_request("That is not a record's id."))
}

async fn record(State(state): State<AppState>, actor: Actor, Form(f): Form<StaffForm>) -> Response {
    let result = async {
        actor.check_csrf(&f.csrf_token)?;
        let new = NewRightsRequest {
            right: parsed("the right", &f.right)?,
            person_id: person_field(&f.person_id)?,
            subject_name: f.subject_name.clone(),
            requester: parsed("who asks", &f.requester)?,
            requester_name: f.requester_name.clone(),
            channel: parsed("how it came", &f.channel)?,
            received_on: date_field("the day it arrived", &f.received_on)?
                .ok_or_else(|| ApiError::bad_request("Give the day it arrived."))?,
            detail: f.detail.clone(),
        };
        Ok::<_, ApiError>(format!("/rights/{}", state.record_rights_request(&actor, new).await?.request.id))
    }
    .await;
    go(&state, &actor, result)
}

fn go(state: &AppState, actor: &Actor, result: Result<String, ApiError>) -> Response {
    match result {
        Ok(path) => Redirect::to(&path).into_response(),
        Err(e) => message(state, actor, e),
    }
}

/// A stretch of an item's text on the review screen: plain, or one of its redactions.
#[derive(Serialize)]
struct Marked {
    text: String,
    index: Option<usize>,
    withheld: bool,
    label: &'static str,
}

#[derive(Serialize)]
struct RedactionLine {
    text: String,
    label: &'static str,
    origin: String,
    accepted: bool,
    note: Option<String>,
}

#[derive(Serialize)]
struct ItemOnScreen {
    key: String,
    heading: String,
    meta: Vec<String>,
    changed: bool,
    marked: Vec<Marked>,
    redactions: Vec<RedactionLine>,
}

/// The item's text cut at its redactions (one that overlaps an earlier one is listed below
/// the text, not marked in it).
fn on_screen(item: ReviewItemView) -> ItemOnScreen {
    let chars: Vec<char> = item.text.chars().collect();
    let slice = |a: usize, b: usize| chars[a.min(chars.len())..b.min(chars.len())].iter().collect::<String>();
    let mut marked = Vec::new();
    let mut at = 0;
    for (i, r) in item.redactions.iter().enumerate() {
        if r.start < at {
            continue;
        }
        if r.start > at {
            marked.push(Marked { text: slice(at, r.start), index: None, withheld: false, label: "" });
        }
        marked.push(Marked {
            text: slice(r.start, r.end),
            index: Some(i),
            withheld: r.accepted,
            label: r.reason.label(),
        });
        at = r.end;
    }
    marked.push(Marked { text: slice(at, chars.len()), index: None, withheld: false, label: "" });
    let redactions = item
        .redactions
        .iter()
        .map(|r| RedactionLine {
            text: slice(r.start, r.end),
            label: r.reason.label(),
            origin: code(&r.origin),
            accepted: r.accepted,
            note: r.note.clone(),
        })
        .collect();
    ItemOnScreen { key: item.key, heading: item.heading, meta: item.meta, changed: item.changed, marked, redactions }
}

async fn request_page(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> Response {
    let result = async {
        let id = request_id(&id)?;
        let v = state.rights_request(&actor, id).await?;
        let r = &v.request;
        let collated = matches!(
            r.status,
            RightsStatus::InProgress | RightsStatus::InReview | RightsStatus::Approved | RightsStatus::Released
        ) && r.right == Right::Access
            && r.person_id.is_some();
        let review = if collated { state.review(&actor, id).await.ok() } else { None };
        let editable = matches!(r.status, RightsStatus::InProgress | RightsStatus::InReview);
        let items: Vec<ItemOnScreen> =
            review.as_ref().map(|rv| rv.items.iter().cloned().map(on_screen).collect()).unwrap_or_default();
        let moves: Vec<&str> = MOVES.iter().filter(|m| r.status.can_move_to(**m)).map(|m| m.code()).collect();
        let reasons: Vec<(&str, &str)> = RedactionReason::ALL.iter().map(|x| (x.code(), x.label())).collect();
        Ok::<_, ApiError>(context! {
            r => r, v => &v, open => r.status.is_open(), moves, can_collate => editable && r.right == Right::Access && r.person_id.is_some(),
            review, items, editable, reasons,
        })
    }
    .await;
    match result {
        Ok(ctx) => page(&state, &actor, StatusCode::OK, "rights_request.html", ctx),
        Err(e) => message(&state, &actor, e),
    }
}

const MOVES: [RightsStatus; 7] = [
    RightsStatus::Waiting,
    RightsStatus::InProgress,
    RightsStatus::InReview,
    RightsStatus::Approved,
    RightsStatus::Released,
    RightsStatus::Refused,
    RightsStatus::Withdrawn,
];

/// Every place `needle` occurs in `text`, in characters.
fn occurrences(text: &str, needle: &str) -> Vec<(usize, usize)> {
    let n = needle.chars().count();
    text.match_indices(needle)
        .map(|(b, _)| {
            let start = text[..b].chars().count();
            (start, start + n)
        })
        .collect()
}

async fn withhold(state: &AppState, actor: &Actor, id: RightsRequestId, f: &StaffForm) -> Result<String, ApiError> {
    let needle = f.text.trim();
    let review = state.review(actor, id).await?;
    let item =
        review.items.iter().find(|i| i.key == f.item).ok_or_else(|| ApiError::bad_request("There is no such item."))?;
    let found = if needle.is_empty() { Vec::new() } else { occurrences(&item.text, needle) };
    if found.is_empty() {
        return Err(ApiError::bad_request("That text is not in the item: copy it exactly as it is shown."));
    }
    let reason: RedactionReason = parsed("why", &f.reason)?;
    let note = (!f.note.trim().is_empty()).then(|| f.note.clone());
    let add = found.into_iter().map(|(start, end)| NewRedaction { start, end, reason, note: note.clone() }).collect();
    state.decide_redactions(actor, id, RedactionDecisions { item: f.item.clone(), decisions: Vec::new(), add }).await?;
    Ok(format!("/rights/{id}#review"))
}

async fn request_action(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, action)): Path<(String, String)>,
    Form(f): Form<StaffForm>,
) -> Response {
    let result = async {
        actor.check_csrf(&f.csrf_token)?;
        let id = request_id(&id)?;
        let back = format!("/rights/{id}");
        let note = (!f.note.trim().is_empty()).then(|| f.note.clone());
        match action.as_str() {
            "status" => {
                let change = StatusChange {
                    status: parsed("the status", &f.status)?,
                    confirmed_on: date_field("the day it arrived", &f.confirmed_on)?,
                    note,
                };
                state.move_rights_request(&actor, id, change).await?;
            }
            "person" => {
                let person_id =
                    person_field(&f.person_id)?.ok_or_else(|| ApiError::bad_request("Give the record's id."))?;
                state.link_rights_request(&actor, id, RequestPerson { person_id }).await?;
            }
            "child-view" => {
                let child = ChildView {
                    competent: f.competent == "true",
                    consents: Some(f.consents == "true"),
                    note: f.note.clone(),
                };
                state.record_child_view(&actor, id, child).await?;
            }
            "collate" => {
                state.collate(&actor, id).await?;
                return Ok(format!("{back}#review"));
            }
            "decide" => {
                let index = f.index.parse().map_err(|_| ApiError::bad_request("There is no such redaction."))?;
                let decision = RedactionDecision { index, accepted: f.accepted == "true", note };
                let d = RedactionDecisions { item: f.item.clone(), decisions: vec![decision], add: Vec::new() };
                state.decide_redactions(&actor, id, d).await?;
                return Ok(format!("{back}#review"));
            }
            "withhold" => return withhold(&state, &actor, id, &f).await,
            "release" => {
                let to = ReleaseTo { to: f.to.clone(), method: parsed("how", &f.method)? };
                state.release(&actor, id, to).await?;
            }
            _ => return Err(ApiError::not_found("There is no such page.")),
        }
        Ok::<_, ApiError>(back)
    }
    .await;
    go(&state, &actor, result)
}
