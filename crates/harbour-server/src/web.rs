//! Server-rendered pages that work without JavaScript: sign in, find a person, the person's
//! record, and the new-entry form. Every form carries a CSRF token; cookies are HttpOnly and
//! SameSite=Strict, and Secure unless Harbour serves plain HTTP on loopback.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::{CookieJar, Form};
use harbour_domain::{DataCategory, EntryKind, EpisodeId, NewEntry, PersonId, Source};
use harbour_policy::{pack, Action};
use harbour_store::{AuditEvent, LoginLimits, Outcome};
use minijinja::{context, Environment, Value};
use serde::{Deserialize, Serialize};

use crate::api::SearchParams;
use crate::auth::{self, Actor, LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use crate::error::ApiError;
use crate::service::today;
use crate::AppState;

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
        ("nhs_numbers.html", include_str!("../templates/nhs_numbers.html")),
    ] {
        env.add_template(name, src).expect("built-in templates parse");
    }
    env
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/people") }))
        .route("/static/harbour.css", get(css))
        .route("/static/htmx.min.js", get(htmx))
        .route("/static/notice.css", get(notice_css))
        .route("/privacy", get(privacy_index))
        .route("/privacy/{id}", get(privacy_notice))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/people", get(search_page))
        .route("/people/{id}", get(person_page))
        .route("/people/{id}/access-log", get(access_log_page))
        .route("/episodes/{id}/entries/new", get(entry_form))
        .route("/episodes/{id}/entries", post(create_entry))
        .route("/entries/{id}/tag", post(tag_entry))
        .merge(crate::web_sharing::routes())
        .merge(crate::web_retention::routes())
        .merge(crate::web_consent::routes())
        .merge(crate::web_data_quality::routes())
        .fallback(page_not_found)
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

/// The public list of privacy notices (no sign-in needed).
async fn privacy_index(State(state): State<AppState>) -> Response {
    let mut html = String::from(
        "<!doctype html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Privacy notices</title>\n\
         <link rel=\"stylesheet\" href=\"/static/notice.css\">\n</head>\n<body>\n<main>\n<h1>Privacy notices</h1>\n<ul>\n",
    );
    for n in state.notices.iter() {
        html.push_str(&format!(
            "<li><a href=\"/privacy/{}\">{}</a> — {}</li>\n",
            pack::escape(n.id()),
            pack::escape(&n.pack.title),
            pack::escape(&n.controller.name)
        ));
    }
    html.push_str("</ul>\n</main>\n</body>\n</html>\n");
    Html(html).into_response()
}

/// One privacy notice, rendered from the pack version in force.
async fn privacy_notice(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    match state.notices.iter().find(|n| n.id() == id) {
        Some(n) => Html(pack::render_html_linked(n, "/static/notice.css")).into_response(),
        None => (StatusCode::NOT_FOUND, Html("<!doctype html><title>Not found</title><p>There is no privacy notice with that name. <a href=\"/privacy\">All notices</a></p>")).into_response(),
    }
}

fn render(state: &AppState, status: StatusCode, name: &str, ctx: Value) -> Response {
    match state.pages.get_template(name).and_then(|t| t.render(ctx)) {
        Ok(html) => (status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response(),
        Err(e) => ApiError::Internal(format!("template {name}: {e}")).into_response(),
    }
}

/// Renders a page inside the signed-in layout.
pub(crate) fn page(state: &AppState, actor: &Actor, status: StatusCode, name: &str, ctx: Value) -> Response {
    let base = context! { me => &actor.user, role_label => actor.user.role.label(), csrf_token => actor.csrf_token() };
    render(state, status, name, context! { ..base, ..ctx })
}

pub(crate) fn message(state: &AppState, actor: &Actor, err: &ApiError) -> Response {
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

async fn page_not_found(State(state): State<AppState>, actor: Option<Actor>) -> Response {
    let err = ApiError::NotFound("There is no page at this address.".into());
    match actor {
        Some(actor) => message(&state, &actor, &err),
        None => err.into_response(),
    }
}

fn cookie(state: &AppState, name: &'static str, value: String, path: &'static str) -> Cookie<'static> {
    Cookie::build((name, value))
        .path(path)
        .http_only(true)
        .secure(state.config.secure_cookies)
        .same_site(SameSite::Strict)
        .build()
}

fn login_form(state: &AppState, status: StatusCode, jar: CookieJar, next: &str, username: &str, msg: &str) -> Response {
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

#[derive(Deserialize)]
struct NextParam {
    next: Option<String>,
}

async fn login_page(State(state): State<AppState>, jar: CookieJar, Query(q): Query<NextParam>) -> Response {
    login_form(&state, StatusCode::OK, jar, q.next.as_deref().unwrap_or("/people"), "", "")
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    csrf_token: String,
    #[serde(default)]
    next: String,
}

/// Where to go after signing in: `next` if it is a path on this site, else the default page.
///
/// Only a path that starts with one '/' followed by a character other than '/' and '\\' is
/// taken, made only of printable ASCII, with no control character or whitespace even after
/// percent-decoding (browsers drop tabs and line breaks from URLs, so `/\t/evil.example` would
/// become `//evil.example`, another site), and not the sign-in page itself.
pub(crate) fn safe_next(next: &str) -> &str {
    const DEFAULT: &str = "/people";
    let local = |path: &str| {
        let mut chars = path.chars();
        chars.next() == Some('/') && chars.next().is_none_or(|c| c != '/' && c != '\\')
    };
    let decoded = percent_encoding::percent_decode_str(next).decode_utf8_lossy();
    let ok = next.len() <= 2000
        && next.bytes().all(|b| b.is_ascii_graphic())
        && local(next)
        && local(&decoded)
        && !decoded.chars().any(|c| c.is_control() || c.is_whitespace())
        && next.split(['?', '#']).next() != Some("/login");
    if ok {
        next
    } else {
        DEFAULT
    }
}

async fn login(
    State(state): State<AppState>,
    address: auth::ClientAddress,
    jar: CookieJar,
    Form(f): Form<LoginForm>,
) -> Response {
    let expected = jar.get(LOGIN_CSRF_COOKIE).map(|c| c.value().to_string()).unwrap_or_default();
    if expected.is_empty() || !auth::same_secret(&expected, &f.csrf_token) {
        return login_form(
            &state,
            StatusCode::FORBIDDEN,
            jar,
            &f.next,
            &f.username,
            "The form expired. Please sign in again.",
        );
    }
    match try_login(&state, &f, &address).await {
        Ok(session_id) => {
            // A browser-session cookie (no Max-Age); the server ends the session after
            // SESSION_HOURS whatever the browser does.
            let session = cookie(&state, SESSION_COOKIE, session_id, "/");
            let jar = jar.remove(Cookie::build(LOGIN_CSRF_COOKIE).path("/login")).add(session);
            (jar, Redirect::to(safe_next(&f.next))).into_response()
        }
        Err(ApiError::Throttled { minutes }) => {
            let msg = format!("Too many failed attempts. Try again in {minutes} minutes.");
            login_form(&state, StatusCode::TOO_MANY_REQUESTS, jar, &f.next, &f.username, &msg)
        }
        Err(ApiError::Unauthenticated) => login_form(
            &state,
            StatusCode::UNAUTHORIZED,
            jar,
            &f.next,
            &f.username,
            "The username or password is not right.",
        ),
        Err(e) => e.into_response(),
    }
}

/// Checks the password and opens a session; returns its id. The attempt is first reserved
/// against the limits of its username and of its client address in one step in the
/// database, so parallel attempts cannot get more passwords checked than the limit.
async fn try_login(state: &AppState, f: &LoginForm, address: &auth::ClientAddress) -> Result<String, ApiError> {
    let username = f.username.trim().to_lowercase();
    if harbour_domain::check_username(&username).is_err() {
        // No account can have this name (the rule is public), so there is nothing to check
        // or count, and nothing of it goes into the database.
        return Err(ApiError::Unauthenticated);
    }
    let limits = LoginLimits {
        per_username: auth::MAX_FAILURES,
        per_address: auth::MAX_FAILURES_PER_ADDRESS,
        since: jiff::Timestamp::now() - jiff::SignedDuration::from_mins(auth::THROTTLE_MINUTES),
    };
    if state.store.reserve_login_attempt(&username, &address.0, &limits).await?.is_some() {
        let event = AuditEvent::new("login.throttled", "user").target(&username).outcome(Outcome::Denied);
        state.store.audit(&event).await?;
        return Err(ApiError::Throttled { minutes: auth::THROTTLE_MINUTES });
    }
    let creds = state.store.credentials(&username).await?;
    let demo_account_outside_demo = !state.config.demo && username.ends_with(".demo");
    let verified = match &creds {
        Some(c) if c.user.active && !demo_account_outside_demo => {
            c.password_hash.as_deref().is_some_and(|h| auth::verify_password(h, &f.password))
        }
        _ => {
            // Spend the same effort as a real check so timing does not reveal usernames.
            let _ = auth::verify_password(DUMMY_HASH, &f.password);
            false
        }
    };
    let Some(user) = creds.filter(|_| verified).map(|c| c.user) else {
        // The reserved attempt stays recorded: it is the failure.
        let event = AuditEvent::new("login.failed", "user").target(&username).outcome(Outcome::Denied);
        state.store.audit(&event).await?;
        return Err(ApiError::Unauthenticated);
    };
    state.store.clear_login_failures(&username).await?;
    let session_id = auth::new_secret();
    let expires = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(auth::SESSION_HOURS);
    state.store.insert_session(&auth::digest(&session_id), user.id, &auth::new_secret(), expires).await?;
    state.store.audit(&AuditEvent::new("login", "user").by(user.id, user.org_id).target(user.id)).await?;
    Ok(session_id)
}

/// An Argon2id hash of a random string, checked against when the username is unknown.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Kx4aJ6mz2ffcaX7O7tdMEm4Uf3ox5yIu8G0ej5yOe3Q";

#[derive(Deserialize)]
struct CsrfForm {
    csrf_token: String,
}

async fn logout(State(state): State<AppState>, actor: Actor, jar: CookieJar, Form(f): Form<CsrfForm>) -> Response {
    if let Err(e) = actor.check_csrf(&f.csrf_token) {
        return message(&state, &actor, &e);
    }
    if let Some(c) = jar.get(SESSION_COOKIE) {
        if let Err(e) = state.store.delete_session(&auth::digest(c.value())).await {
            return message(&state, &actor, &e.into());
        }
    }
    let _ = state.store.audit(&AuditEvent::new("logout", "user").by(actor.user.id, actor.user.org_id)).await;
    (jar.remove(Cookie::build(SESSION_COOKIE).path("/")), Redirect::to("/login")).into_response()
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
                Err(e) => return message(&state, &actor, &e),
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
            Err(e) => return message(&state, &actor, &e),
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
    suggested: Vec<crate::sensitive::Suggestion>,
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

async fn person_page(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> Response {
    match person_view(&state, &actor, &id).await {
        Ok(ctx) => page(&state, &actor, StatusCode::OK, "person.html", ctx),
        Err(e) => message(&state, &actor, &e),
    }
}

async fn access_log_page(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> Response {
    let Ok(person_id) = id.parse::<PersonId>() else {
        return message(&state, &actor, &ApiError::NotFound("There is no such person.".into()));
    };
    match state.access_log(&actor, person_id).await {
        Ok(lines) => page(&state, &actor, StatusCode::OK, "access_log.html", context! { lines, person_id => id }),
        Err(e) => message(&state, &actor, &e),
    }
}

/// A person's id from a page's path: anything else is a person who does not exist.
pub(crate) fn person_id(id: &str) -> Result<PersonId, ApiError> {
    id.parse().map_err(|_| ApiError::NotFound("There is no such person.".into()))
}

async fn person_view(state: &AppState, actor: &Actor, id: &str) -> Result<Value, ApiError> {
    let id = person_id(id)?;
    let record = state.person_record(actor, id).await?;
    let entries = state.person_entries(actor, id).await?;
    let teams: BTreeMap<_, _> = state.store.teams().await?.into_iter().map(|t| (t.id, t.name)).collect();
    let names = source_names(state).await?;
    // Read and audited with the record above.
    let retention = state.retention_of(id).await?;
    let kept = |ep: EpisodeId| -> String {
        let Some(r) = retention.records.iter().find(|r| r.episode_id == ep) else { return String::new() };
        let class = r.retention_class.as_deref().unwrap_or("no retention class yet");
        let period = r.period.as_deref().map(|p| format!(" ({p})")).unwrap_or_default();
        format!("Kept under {class}{period}; disposal {}", r.disposal)
    };
    let file_disposal = match &retention.verdict {
        harbour_retention::Verdict::NotYet { due_on } => format!("This file is kept until {due_on}."),
        harbour_retention::Verdict::Due { due_on } => format!("This file was due for review on {due_on}."),
        harbour_retention::Verdict::Held { due_on, .. } => {
            format!("This file was due for review on {due_on} and is under a legal hold.")
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
                    suggested: crate::sensitive::untagged(e),
                })
                .collect(),
        })
        .collect();
    // Read with the record above (its read is authorized and audited there).
    let consents: Vec<Value> = state
        .store
        .consents_of(id)
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
    Ok(context! { r => record, episodes, file_disposal, consents, orgs, does_not_stop, today => today().to_string() })
}

/// Every organisation but the user's own, to choose from: who to share with, or whom a
/// consent names.
pub(crate) async fn other_organisations(state: &AppState, actor: &Actor) -> Result<Vec<Value>, ApiError> {
    Ok(state
        .store
        .organisations()
        .await?
        .into_iter()
        .filter(|o| o.id != actor.user.org_id)
        .map(|o| context! { id => o.id.to_string(), name => o.name, kind => o.kind.label() })
        .collect())
}

/// Names of organisations and staff, to say where an entry came from.
async fn source_names(state: &AppState) -> Result<BTreeMap<String, String>, ApiError> {
    let mut names: BTreeMap<String, String> =
        state.store.organisations().await?.into_iter().map(|o| (o.id.to_string(), o.name)).collect();
    names.extend(state.store.users().await?.into_iter().map(|u| (u.id.to_string(), u.display_name)));
    Ok(names)
}

fn describe_source(source: &Source, names: &BTreeMap<String, String>, record: &crate::service::PersonRecord) -> String {
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
    let now =
        jiff::Zoned::now().with_time_zone(jiff::tz::TimeZone::get("Europe/London").unwrap_or(jiff::tz::TimeZone::UTC));
    let form = EntryForm {
        kind: "contact".into(),
        occurred_at: now.strftime("%Y-%m-%dT%H:%M").to_string(),
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
        let id: EpisodeId = id.parse().map_err(|_| ApiError::NotFound("There is no such episode.".into()))?;
        let (episode, _) = state.episode_for(actor, id, Action::Write, "entry.form").await?;
        let record = state.person_record(actor, episode.person_id).await?;
        let mut sources = vec![context! { value => format!("staff:{}", actor.user.id), label => format!("Me ({}) — my own observation or opinion", actor.user.display_name) }];
        sources.push(context! { value => format!("person:{}", record.person.id), label => format!("{} (the person)", record.person.full_name()) });
        for r in record.relationships.iter().filter(|r| r.other.name.is_some()) {
            sources.push(context! { value => format!("person:{}", r.other.id), label => format!("{} ({})", r.other.name.clone().unwrap_or_default(), r.description) });
        }
        for o in state.store.organisations().await? {
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
        Err(e) => message(state, actor, &e),
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
        return message(&state, &actor, &e);
    }
    let new = match parse_entry_form(&f) {
        Ok(n) => n,
        Err(msg) => return render_entry_form(&state, &actor, &id, f, StatusCode::UNPROCESSABLE_ENTITY, &msg).await,
    };
    let Ok(episode_id) = id.parse::<EpisodeId>() else {
        return message(&state, &actor, &ApiError::NotFound("There is no such episode.".into()));
    };
    match state.add_entry(&actor, episode_id, new).await {
        Ok(entry) => {
            let person = state.store.episode(episode_id).await.map(|e| e.person_id);
            match person {
                Ok(pid) => Redirect::to(&format!("/people/{pid}#entry-{}", entry.id)).into_response(),
                Err(e) => message(&state, &actor, &e.into()),
            }
        }
        Err(e @ (ApiError::Invalid(_) | ApiError::UnknownReference(_) | ApiError::Conflict(_))) => {
            let msg = e.problem().detail;
            render_entry_form(&state, &actor, &id, f, StatusCode::UNPROCESSABLE_ENTITY, &msg).await
        }
        Err(e) => message(&state, &actor, &e),
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
        let id: harbour_domain::EntryId =
            id.parse().map_err(|_| ApiError::NotFound("There is no such entry.".into()))?;
        let add = f
            .category
            .iter()
            .map(|c| {
                harbour_domain::DataCategory::from_code(c)
                    .ok_or_else(|| ApiError::BadRequest(format!("unknown category {c:?}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let entry = state.tag_entry(&actor, id, add).await?;
        let (_, person, _) = state
            .store
            .entries_with_context(&[entry.id])
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| ApiError::NotFound("There is no such entry.".into()))?;
        Ok::<_, ApiError>(format!("/people/{person}#entry-{}", entry.id))
    }
    .await;
    match result {
        Ok(to) => Redirect::to(&to).into_response(),
        Err(e) => message(&state, &actor, &e),
    }
}
