//! What every page shares: the templates, the signed-in layout, the message page for an error,
//! cookies, the sign-in form (which the authentication middleware answers with), the static
//! assets, and the small helpers pages use to read ids and offer organisations.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::CookieJar;
use harbour_domain::PersonId;
use harbour_policy::pack;
use jiff::civil::{Date, DateTime, Time};
use minijinja::{context, Environment, Value};

use crate::auth::{self, Actor, LOGIN_CSRF_COOKIE};
use crate::error::ApiError;
use crate::AppState;

/// What every page needs: the root, the style sheets, the script and the page for an address
/// that has none.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/static/harbour.css", get(css))
        .route("/static/htmx.min.js", get(htmx))
        .route("/static/notice.css", get(notice_css))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
}

/// Where a signed-in user lands (`/`, and after signing in): their own work. A police officer
/// who only sends domestic abuse notifications lands on their force's notifications, not on an
/// empty search for people.
async fn home(State(state): State<AppState>, actor: Actor) -> Redirect {
    // Each role lands on its day's work.
    let can = state.can(&actor);
    let landing = if can.work_cases {
        "/people"
    } else if can.submit_notifications {
        "/da-notifications/sent"
    } else if can.rule_on_sharing {
        "/guardian"
    } else if can.manage_retention {
        "/retention"
    } else if can.manage_rights {
        "/rights"
    } else if can.manage_users {
        "/users"
    } else if can.read_access_log {
        "/audit"
    } else {
        "/received"
    };
    Redirect::to(landing)
}

const CSS: &str = include_str!("../static/harbour.css");

const HTMX: &str = include_str!("../static/vendor/htmx-2.0.11.min.js");

pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    for (name, src) in [
        ("base.html", include_str!("../templates/base.html")),
        ("login.html", include_str!("../templates/login.html")),
        ("search.html", include_str!("../templates/search.html")),
        ("person.html", include_str!("../templates/person.html")),
        ("retention.html", include_str!("../templates/retention.html")),
        ("retention_confirm.html", include_str!("../templates/retention_confirm.html")),
        ("retention_done.html", include_str!("../templates/retention_done.html")),
        ("certificate.html", include_str!("../templates/certificate.html")),
        ("entry_form.html", include_str!("../templates/entry_form.html")),
        ("message.html", include_str!("../templates/message.html")),
        ("access_log.html", include_str!("../templates/access_log.html")),
        ("share.html", include_str!("../templates/share.html")),
        ("decision.html", include_str!("../templates/decision.html")),
        ("guardian.html", include_str!("../templates/guardian.html")),
        ("received.html", include_str!("../templates/received.html")),
        ("received_one.html", include_str!("../templates/received_one.html")),
        ("notifications_due.html", include_str!("../templates/notifications_due.html")),
        ("da_dashboard.html", include_str!("../templates/da_dashboard.html")),
        ("da_fields.html", include_str!("../templates/da_fields.html")),
        ("da_new.html", include_str!("../templates/da_new.html")),
        ("da_check.html", include_str!("../templates/da_check.html")),
        ("da_sent.html", include_str!("../templates/da_sent.html")),
        ("da_sent_list.html", include_str!("../templates/da_sent_list.html")),
        ("da_triage.html", include_str!("../templates/da_triage.html")),
        ("nhs_numbers.html", include_str!("../templates/nhs_numbers.html")),
        ("subject_access.html", include_str!("../templates/subject_access.html")),
        ("rights.html", include_str!("../templates/rights.html")),
        ("rights_request.html", include_str!("../templates/rights_request.html")),
        ("error_summary.html", include_str!("../templates/error_summary.html")),
        ("users.html", include_str!("../templates/users.html")),
        ("user_form.html", include_str!("../templates/user_form.html")),
        ("organisations.html", include_str!("../templates/organisations.html")),
        ("organisation_form.html", include_str!("../templates/organisation_form.html")),
        ("agreements.html", include_str!("../templates/agreements.html")),
        ("agreement.html", include_str!("../templates/agreement.html")),
        ("agreement_form.html", include_str!("../templates/agreement_form.html")),
        ("person_new.html", include_str!("../templates/person_new.html")),
        ("episode_new.html", include_str!("../templates/episode_new.html")),
        ("episode_close.html", include_str!("../templates/episode_close.html")),
        ("relationship_new.html", include_str!("../templates/relationship_new.html")),
        ("chronology.html", include_str!("../templates/chronology.html")),
        ("emergency_open.html", include_str!("../templates/emergency_open.html")),
        ("emergency_list.html", include_str!("../templates/emergency_list.html")),
        ("audit.html", include_str!("../templates/audit.html")),
    ] {
        env.add_template(name, src).expect("built-in templates parse");
    }
    env.add_filter("ukdate", ukdate);
    env.add_filter("ukdatetime", ukdatetime);
    env
}

// ---------------------------------------------------------------------------------------------
// Words for dates and times: UK dates ("7 November 2024"), 12-hour clock times, labelled.

pub fn uk_date(d: Date) -> String {
    d.strftime("%-d %B %Y").to_string()
}

/// "8:30am", "11pm", "midday", "midnight".
pub fn clock(t: Time) -> String {
    match (t.hour(), t.minute()) {
        (0, 0) => "midnight".into(),
        (12, 0) => "midday".into(),
        (h, m) => {
            let (h12, half) = match h {
                0 => (12, "am"),
                1..=11 => (h, "am"),
                12 => (12, "pm"),
                _ => (h - 12, "pm"),
            };
            if m == 0 {
                format!("{h12}{half}")
            } else {
                format!("{h12}:{m:02}{half}")
            }
        }
    }
}

/// "7 November 2024 at 11:40pm (UK time)", for a UK local date and time.
pub fn uk_when(at: DateTime) -> String {
    format!("{} at {} (UK time)", uk_date(at.date()), clock(at.time()))
}

pub fn uk_instant(at: jiff::Timestamp) -> String {
    uk_when(harbour_domain::uk_local(at))
}

/// An instant in UK local time, labelled: "7 November 2024 at 11:40pm (UK time)". Anything
/// that is not a timestamp is shown as it came.
pub fn ukdatetime(value: String) -> String {
    match value.parse::<jiff::Timestamp>() {
        Ok(at) => uk_instant(at),
        Err(_) => value,
    }
}

/// A date as people in the UK write it: "7 November 2024". Takes a date or the date part of a
/// timestamp ("2024-11-07", "2024-11-07T09:30:00Z"); anything else is shown as it came.
pub fn ukdate(value: String) -> String {
    match value.get(..10).and_then(|d| d.parse::<jiff::civil::Date>().ok()) {
        Some(d) => d.strftime("%-d %B %Y").to_string(),
        None => value,
    }
}

async fn css() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "max-age=3600")], CSS)
}

async fn htmx() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "max-age=86400")], HTMX)
}

async fn notice_css() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "max-age=3600")], pack::NOTICE_CSS)
}

pub fn render(state: &AppState, status: StatusCode, name: &str, ctx: Value) -> Response {
    match state.pages.get_template(name).and_then(|t| t.render(ctx)) {
        Ok(html) => (status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response(),
        Err(e) => ApiError::internal(format!("template {name}: {e}")).into_response(),
    }
}

/// Renders a page inside the signed-in layout.
pub fn page(state: &AppState, actor: &Actor, status: StatusCode, name: &str, ctx: Value) -> Response {
    let base = context! {
        me => &actor.user, role_label => actor.user.role.label(), csrf_token => actor.csrf_token(), can => state.can(actor),
    };
    render(state, status, name, context! { ..base, ..ctx })
}

pub fn message(state: &AppState, actor: &Actor, err: impl Into<ApiError>) -> Response {
    let err = err.into();
    let heading = match err.status() {
        StatusCode::FORBIDDEN => "You cannot see this",
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::INTERNAL_SERVER_ERROR => "Something went wrong",
        StatusCode::SERVICE_UNAVAILABLE => "Harbour is unavailable for a moment",
        _ => "That did not work",
    };
    err.log();
    let text = err.problem().detail;
    let mut resp = page(state, actor, err.status(), "message.html", context! { heading, message => text });
    err.add_headers(resp.headers_mut());
    resp
}

pub async fn page_not_found(State(state): State<AppState>, actor: Option<Actor>) -> Response {
    let err = ApiError::not_found("There is no page at this address.");
    match actor {
        Some(actor) => message(&state, &actor, err),
        None => err.into_response(),
    }
}

pub fn cookie(state: &AppState, name: &'static str, value: String, path: &'static str) -> Cookie<'static> {
    Cookie::build((name, value))
        .path(path)
        .http_only(true)
        .secure(state.config.secure_cookies)
        .same_site(SameSite::Strict)
        .build()
}

pub fn login_form(
    state: &AppState,
    status: StatusCode,
    jar: CookieJar,
    next: &str,
    username: &str,
    msg: &str,
) -> Response {
    // Keep a token the browser already holds: another tab, or a stray request such as the
    // favicon, must not invalidate the form on screen.
    let token = jar.get(LOGIN_CSRF_COOKIE).map(|c| c.value().to_string()).unwrap_or_else(auth::new_secret);
    let jar = jar.add(cookie(state, LOGIN_CSRF_COOKIE, token.clone(), "/login"));
    let ctx = context! { login_csrf => token, next, username, message => msg };
    (jar, render(state, status, "login.html", ctx)).into_response()
}

/// The sign-in form, answered with 401 to a page request that has no session.
pub fn sign_in_required(state: &AppState, headers: &axum::http::HeaderMap, path: &str) -> Response {
    let jar = CookieJar::from_headers(headers);
    login_form(state, StatusCode::UNAUTHORIZED, jar, path, "", "Please sign in to continue.")
}

/// A person's id from a page's path: anything else is a person who does not exist.
/// The page for a refused record: the refusal, and the way to open the record in an emergency
/// when the practitioner may.
pub async fn refused_record(state: &AppState, actor: &Actor, id: &str, err: ApiError) -> Response {
    let may_open = match (err.status(), person_id(id)) {
        (StatusCode::FORBIDDEN, Ok(person)) => state.may_open_in_emergency(actor, person).await.unwrap_or(false),
        _ => false,
    };
    if !may_open {
        return message(state, actor, err);
    }
    err.log();
    let ctx = context! {
        heading => "You cannot see this", message => err.problem().detail,
        emergency_link => format!("/people/{id}/emergency-access"),
    };
    page(state, actor, StatusCode::FORBIDDEN, "message.html", ctx)
}

pub fn person_id(id: &str) -> Result<PersonId, ApiError> {
    id.parse().map_err(|_| ApiError::not_found("There is no such person."))
}

/// Every organisation but the user's own, to choose from: who to share with, or whom a
/// consent names.
pub async fn other_organisations(state: &AppState, actor: &Actor) -> Result<Vec<Value>, ApiError> {
    Ok(state
        .organisation_list()
        .await?
        .into_iter()
        .filter(|o| o.id != actor.user.org_id)
        .map(|o| context! { id => o.id.to_string(), name => o.name, kind => o.kind.label() })
        .collect())
}

/// What is wrong with a form, as the GOV.UK pattern shows it: each problem names the field it
/// is about (the id of its input), in the order of the form. `error_summary.html` lists them at
/// the top of the page, each a link to its field; the form shows each again beside its field
/// (`errors.field.<id>`).
#[derive(Debug, Default)]
pub struct FormErrors(Vec<(&'static str, String)>);

impl FormErrors {
    /// Adds a problem with `field`; a field shows only its first.
    pub fn add(&mut self, field: &'static str, text: impl Into<String>) {
        if !self.0.iter().any(|(f, _)| *f == field) {
            self.0.push((field, text.into()));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Each problem in order: the field's id and what is wrong.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.0.iter().map(|(field, text)| (*field, text.as_str()))
    }

    /// What the templates read: `list` (in order) and `field` (by field id).
    pub fn value(&self) -> Value {
        let list: Vec<Value> = self.0.iter().map(|(field, text)| context! { field, text }).collect();
        let field: std::collections::BTreeMap<&str, &str> = self.0.iter().map(|(f, t)| (*f, t.as_str())).collect();
        context! { list, field }
    }
}

/// A message from the rules ("a password must have …") as a sentence: a capital first letter
/// and a full stop.
pub fn sentence(text: &str) -> String {
    let mut chars = text.trim().chars();
    let mut out: String = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}
