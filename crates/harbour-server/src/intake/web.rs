//! Domestic abuse notifications in the browser (Operation Encompass, seed 000). The police
//! officer's journey: the form (`/da-notifications/new`), a check of the answers, the
//! confirmation, and the list of what their force has sent (their landing page). The hub's: the
//! dashboard of deadlines (`/da-notifications`) and the triage page of one notification
//! (`/da-notifications/{id}`), where the children are matched to records and each child's
//! school is told. Every form works without JavaScript, carries the session's CSRF token, and
//! goes through the same use cases as the API.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::Form;
use harbour_app::intake::{NotificationDesk, NotificationView, ShareWithSchools, DA_NOTICE};
use harbour_app::{AppError, PersonQuery};
use harbour_domain::{
    ConsentPosition, FamilyPosition, Gender, NamedChild, NewNotification, NewPerson, NotificationId,
    NotificationStatus, OrgKind, Organisation, Rationale, Triage, TriageChild,
};
use harbour_policy::Action;
use jiff::civil::{Date, DateTime, Time};
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

use crate::auth::Actor;
use crate::error::ApiError;
use crate::pages::{clock, message, page, uk_date, uk_instant, uk_when};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/da-notifications", get(dashboard))
        .route("/da-notifications/new", get(new_form).post(check_answers))
        .route("/da-notifications/new/submit", post(submit))
        .route("/da-notifications/sent", get(sent_list))
        .route("/da-notifications/{id}", get(triage_page))
        .route("/da-notifications/{id}/sent", get(confirmation))
        .route("/da-notifications/{id}/triage", post(triage))
        .route("/da-notifications/{id}/share", post(share))
}

/// The most children one notification may name (as the domain allows).
const MAX_CHILDREN: usize = 20;

// Words for dates and times are the pages' (crate::pages: uk_date, clock, uk_when, uk_instant).

/// The deadline as the hub reads it: "8:30am on Monday 9 November 2026 (UK time)".
fn deadline_words(deadline: DateTime) -> String {
    format!("{} on {} (UK time)", clock(deadline.time()), deadline.date().strftime("%A %-d %B %Y"))
}

/// How long is left before the deadline (or how long it is overdue), in words, and whether it
/// has passed.
fn time_left(now: jiff::Timestamp, deadline: DateTime) -> (String, bool) {
    let due = deadline.to_zoned(harbour_domain::uk_time_zone()).map(|z| z.timestamp()).unwrap_or(now);
    let seconds = due.as_second() - now.as_second();
    let minutes = seconds.abs() / 60;
    let (days, hours, mins) = (minutes / 1440, (minutes % 1440) / 60, minutes % 60);
    let unit = |n: i64, one: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {one}s") };
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(unit(days, "day"));
    }
    if hours > 0 {
        parts.push(unit(hours, "hour"));
    }
    if days == 0 && mins > 0 {
        parts.push(unit(mins, "minute"));
    }
    let span = if parts.is_empty() { "less than a minute".to_string() } else { parts.join(" ") };
    if seconds >= 0 {
        (format!("{span} left"), false)
    } else {
        (format!("overdue by {span}"), true)
    }
}

/// The state of a notification in words, for the hub and for the police.
fn status_words(n: &NotificationView) -> &'static str {
    match n.notification.status {
        NotificationStatus::Received => "Not yet triaged",
        NotificationStatus::Triaged => "Triaged, school not yet told",
        NotificationStatus::Shared if n.notification.children.len() == 1 => "School told",
        NotificationStatus::Shared => "Schools told",
    }
}

fn child_name(c: &NamedChild) -> String {
    format!("{} {}", c.given_name, c.family_name)
}

fn children_names(n: &NotificationView) -> String {
    n.notification.children.iter().map(|c| child_name(&c.named)).collect::<Vec<_>>().join(", ")
}

/// What the dashboard and the police's list say about the deadline of one notification.
fn deadline_line(n: &NotificationView) -> String {
    let by = deadline_words(n.notification.deadline);
    match (n.notification.status, n.notification.shared_at) {
        (NotificationStatus::Shared, Some(at)) if n.missed_deadline => {
            format!("{} late, on {} (due by {by})", status_words(n), uk_instant(at))
        }
        (NotificationStatus::Shared, Some(at)) => format!("{} on time, on {}", status_words(n), uk_instant(at)),
        (NotificationStatus::Triaged, _) => format!("Triaged, school not yet told, due by {by}"),
        _ => format!("Not yet triaged, due by {by}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Forms: the answers as posted (name → value), the errors, and the fields they belong to.

/// A problem with an answer: the field's id (the error summary links to it) and what to do.
#[derive(Debug, Clone, Serialize)]
struct FieldError {
    field: String,
    text: String,
}

#[derive(Debug, Default)]
struct Answers {
    values: BTreeMap<String, String>,
    errors: Vec<FieldError>,
}

impl Answers {
    fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut values = BTreeMap::new();
        for (k, v) in pairs {
            if !matches!(k.as_str(), "csrf_token" | "action") {
                values.insert(k.clone(), v.clone());
            }
        }
        Answers { values, errors: Vec::new() }
    }

    fn get(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or("")
    }

    fn set(&mut self, name: &str, value: impl Into<String>) {
        self.values.insert(name.to_string(), value.into());
    }

    fn error(&mut self, field: &str, text: impl Into<String>) {
        self.errors.push(FieldError { field: field.to_string(), text: text.into() });
    }

    /// The errors by field, for the message beside each field.
    fn by_field(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for e in &self.errors {
            out.entry(e.field.clone()).or_insert_with(|| e.text.clone());
        }
        out
    }

    /// A required text answer, checked as the domain checks it, or the error for its field.
    fn text(&mut self, field: &str, what: &'static str, max: usize, one_line: bool, missing: &str) -> Option<String> {
        let value = self.get(field).to_string();
        let checked = if one_line {
            harbour_domain::required_line(what, &value, max)
        } else {
            harbour_domain::required_text(what, &value, max)
        };
        match checked {
            Ok(v) => Some(v),
            Err(e) => {
                self.error(field, text_problem(e, what, max, missing));
                None
            }
        }
    }

    /// An optional text answer (blank is `None`).
    fn optional(&mut self, field: &str, what: &'static str, max: usize) -> Option<String> {
        let value = self.get(field).to_string();
        match harbour_domain::optional_text(what, Some(&value), max) {
            Ok(v) => v,
            Err(e) => {
                self.error(field, text_problem(e, what, max, ""));
                None
            }
        }
    }

    /// A date in three fields (`{prefix}-day`, `-month`, `-year`): `Ok(None)` when all are empty.
    fn date(&mut self, prefix: &str, what: &str, required: bool) -> Result<Option<Date>, ()> {
        let day = self.get(&format!("{prefix}-day")).trim().to_string();
        let month = self.get(&format!("{prefix}-month")).trim().to_string();
        let year = self.get(&format!("{prefix}-year")).trim().to_string();
        if day.is_empty() && month.is_empty() && year.is_empty() {
            if required {
                self.error(&format!("{prefix}-day"), format!("Enter {what}"));
                return Err(());
            }
            return Ok(None);
        }
        for (part, value) in [("day", &day), ("month", &month), ("year", &year)] {
            if value.is_empty() {
                self.error(&format!("{prefix}-{part}"), format!("{} must include a {part}", capitalise(what)));
                return Err(());
            }
        }
        let number = |s: &str| s.parse::<i16>().ok();
        let parsed = match (number(&day), number(&month), number(&year)) {
            (Some(d), Some(m), Some(y)) if year.len() == 4 => {
                i8::try_from(d).ok().zip(i8::try_from(m).ok()).and_then(|(d, m)| Date::new(y, m, d).ok())
            }
            _ => None,
        };
        match parsed {
            Some(d) => Ok(Some(d)),
            None => {
                self.error(&format!("{prefix}-day"), format!("{} must be a real date", capitalise(what)));
                Err(())
            }
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A domain's refusal of a text answer, in words for the person at the form.
fn text_problem(e: harbour_domain::DomainError, what: &str, max: usize, missing: &str) -> String {
    use harbour_domain::DomainError as E;
    match e {
        E::Empty { .. } | E::NothingVisible { .. } if !missing.is_empty() => missing.to_string(),
        E::Empty { .. } | E::NothingVisible { .. } => format!("Enter {what}"),
        E::TooLong { .. } => format!("{} must be {max} characters or fewer", capitalise(what)),
        E::ForbiddenCharacter { what: found, .. } => format!("{} must not contain {found}", capitalise(what)),
        other => capitalise(&other.to_string()),
    }
}

/// A time as people write it: "23:40", "2340", "11:40pm", "11.40 pm", "9pm", "midday",
/// "midnight".
fn parse_time(s: &str) -> Option<Time> {
    let t: String = s.trim().to_lowercase().chars().filter(|c| !c.is_whitespace()).collect();
    match t.as_str() {
        "midday" | "noon" | "12noon" => return Time::new(12, 0, 0, 0).ok(),
        "midnight" | "12midnight" => return Time::new(0, 0, 0, 0).ok(),
        _ => {}
    }
    if !t.is_ascii() {
        return None;
    }
    let (body, pm) = match (t.strip_suffix("am"), t.strip_suffix("pm")) {
        (Some(b), _) => (b, Some(false)),
        (_, Some(b)) => (b, Some(true)),
        _ => (t.as_str(), None),
    };
    let (h, m) = match body.split_once([':', '.']) {
        Some((h, m)) if m.len() == 2 => (h, m),
        Some(_) => return None,
        None if pm.is_some() => (body, "00"),
        None if body.len() == 4 => (body.get(..2)?, body.get(2..)?),
        None => return None,
    };
    if h.is_empty() || h.len() > 2 {
        return None;
    }
    let (h, m): (i8, i8) = (h.parse().ok()?, m.parse().ok()?);
    let h = match pm {
        Some(_) if !(1..=12).contains(&h) => return None,
        Some(pm) => h % 12 + if pm { 12 } else { 0 },
        None => h,
    };
    Time::new(h, m, 0, 0).ok()
}

/// The posted form as name/value pairs, in order (field names carry a child's number).
type Pairs = Vec<(String, String)>;

fn posted<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
}

fn gender_label(g: Gender) -> &'static str {
    match g {
        Gender::Female => "Female",
        Gender::Male => "Male",
        Gender::NonBinary => "Non-binary",
        Gender::NotStated => "Not stated",
        Gender::Unknown => "Not known",
    }
}

// ---------------------------------------------------------------------------------------------
// The police officer: the form, the check of the answers, the confirmation, their list.

/// The fields of one child on the notification form.
const CHILD_FIELDS: [&str; 8] =
    ["given-name", "family-name", "dob-day", "dob-month", "dob-year", "school", "present", "voice"];

/// How many children the form has room for.
fn child_count(a: &Answers) -> usize {
    let said = a.get("children").parse::<usize>().unwrap_or(1);
    let seen = a
        .values
        .keys()
        .filter_map(|k| k.strip_prefix("child-")?.split_once('-')?.0.parse::<usize>().ok())
        .max()
        .unwrap_or(1);
    said.max(seen).clamp(1, MAX_CHILDREN)
}

fn child_blank(a: &Answers, i: usize) -> bool {
    CHILD_FIELDS.iter().all(|f| a.get(&format!("child-{i}-{f}")).trim().is_empty())
}

/// Removes child `gone`, moving the later children up one place.
fn remove_child(a: &mut Answers, gone: usize, count: usize) {
    for i in gone..count {
        for f in CHILD_FIELDS {
            let next = a.get(&format!("child-{}-{f}", i + 1)).to_string();
            a.set(&format!("child-{i}-{f}"), next);
        }
    }
    for f in CHILD_FIELDS {
        a.values.remove(&format!("child-{count}-{f}"));
    }
    a.set("children", (count - 1).max(1).to_string());
}

/// Reads the notification form: the notification, or every problem with it (`a.errors`).
fn read_notification(a: &mut Answers, now: DateTime) -> Option<NewNotification> {
    let police_reference = a.text("police-reference", "the police reference", 100, true, "Enter the police reference");
    let date = a.date("incident", "the date of the incident", true).ok().flatten();
    let time = match a.get("incident-time").trim() {
        "" => {
            a.error("incident-time", "Enter the time of the incident");
            None
        }
        t => match parse_time(t) {
            Some(t) => Some(t),
            None => {
                a.error("incident-time", "Enter the time of the incident as, for example, 23:40 or 11:40pm");
                None
            }
        },
    };
    let incident_at = date.zip(time).map(|(d, t)| d.to_datetime(t));
    if incident_at.is_some_and(|at| at > now) {
        a.error("incident-day", "The date and time of the incident must be in the past");
    }
    let location = a.text("location", "where the incident happened", 300, false, "Enter where the incident happened");
    let account = a.text("account", "what happened", 4000, false, "Enter what happened");
    let summary =
        a.text("summary-for-school", "the summary for the school", 600, false, "Enter a summary for the school");
    let count = child_count(a);
    let mut children = Vec::new();
    for i in 1..=count {
        // An extra child's fields left empty are not a child.
        if i > 1 && child_blank(a, i) {
            continue;
        }
        let field = |f: &str| format!("child-{i}-{f}");
        let given =
            a.text(&field("given-name"), "the child's first name", 100, true, &format!("Enter child {i}'s first name"));
        let family =
            a.text(&field("family-name"), "the child's last name", 100, true, &format!("Enter child {i}'s last name"));
        let dob = a.date(&field("dob"), &format!("child {i}'s date of birth"), false);
        if let Ok(Some(d)) = dob {
            if d > now.date() {
                a.error(&field("dob-day"), format!("Child {i}'s date of birth must be in the past"));
            }
        }
        let school = a.optional(&field("school"), "the school", 200);
        let present = match a.get(&field("present")) {
            "yes" => Some(true),
            "no" => Some(false),
            _ => {
                a.error(&field("present"), format!("Select whether child {i} was there"));
                None
            }
        };
        let voice = a.optional(&field("voice"), "what the child said or how they seemed", 1000);
        if let (Some(given_name), Some(family_name), Ok(date_of_birth), Some(present)) = (given, family, dob, present) {
            children.push(NamedChild { given_name, family_name, date_of_birth, school, present, voice });
        }
    }
    if !a.errors.is_empty() {
        return None;
    }
    Some(NewNotification {
        police_reference: police_reference?,
        incident_at: incident_at?,
        account: account?,
        location: location?,
        summary_for_school: summary?,
        children,
    })
}

/// Only police officers send notifications: anyone else is told so (nothing is read).
fn may_submit(state: &AppState, actor: &Actor) -> Result<(), ApiError> {
    if state.may(actor, Action::SubmitNotification) {
        Ok(())
    } else {
        Err(ApiError::from(AppError::Forbidden {
            explanation: "Only police officers send domestic abuse notifications to the hub.".into(),
            policy_ids: vec![],
        }))
    }
}

fn render_form(state: &AppState, actor: &Actor, a: &Answers, status: StatusCode, focus: &str) -> Response {
    let ctx = context! {
        v => &a.values, errors => &a.errors, err => a.by_field(), children => child_count(a), focus,
        max_children => MAX_CHILDREN,
    };
    page(state, actor, status, "da_new.html", ctx)
}

async fn new_form(State(state): State<AppState>, actor: Actor) -> Response {
    if let Err(e) = may_submit(&state, &actor) {
        return message(&state, &actor, e);
    }
    let mut a = Answers::default();
    a.set("children", "1");
    render_form(&state, &actor, &a, StatusCode::OK, "")
}

/// One row of "check your answers".
#[derive(Serialize)]
struct Row {
    key: String,
    value: String,
    /// The field "Change" goes back to.
    field: String,
}

fn answer_rows(n: &NewNotification) -> (Vec<Row>, Vec<(String, Vec<Row>)>) {
    let row = |key: &str, value: String, field: &str| Row { key: key.into(), value, field: field.into() };
    let incident = vec![
        row("Police reference", n.police_reference.clone(), "police-reference"),
        row("When it happened", uk_when(n.incident_at), "incident-day"),
        row("Where it happened", n.location.clone(), "location"),
        row("What happened", n.account.clone(), "account"),
        row("Summary for the school", n.summary_for_school.clone(), "summary-for-school"),
    ];
    let children = n
        .children
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let i = i + 1;
            let f = |name: &str| format!("child-{i}-{name}");
            (
                format!("Child {i}: {}", child_name(c)),
                vec![
                    row("Name", child_name(c), &f("given-name")),
                    row(
                        "Date of birth",
                        c.date_of_birth.map(uk_date).unwrap_or_else(|| "Not known".into()),
                        &f("dob-day"),
                    ),
                    row("School", c.school.clone().unwrap_or_else(|| "Not known".into()), &f("school")),
                    row(
                        "Was the child there?",
                        if c.present { "Yes".into() } else { "No, but lives in the household".into() },
                        &f("present"),
                    ),
                    row(
                        "What the child said or how they seemed",
                        c.voice.clone().unwrap_or_else(|| "Not recorded".into()),
                        &f("voice"),
                    ),
                ],
            )
        })
        .collect();
    (incident, children)
}

/// The form's "Continue" (to check the answers), "Add another child", "Remove", or "Change"
/// from the check page.
async fn check_answers(State(state): State<AppState>, actor: Actor, Form(pairs): Form<Pairs>) -> Response {
    if let Err(e) = actor.check_csrf(posted(&pairs, "csrf_token")) {
        return message(&state, &actor, e);
    }
    if let Err(e) = may_submit(&state, &actor) {
        return message(&state, &actor, e);
    }
    let mut a = Answers::from_pairs(&pairs);
    let count = child_count(&a);
    let action = posted(&pairs, "action");
    if action == "add-child" {
        a.set("children", (count + 1).min(MAX_CHILDREN).to_string());
        let focus = format!("child-{}-given-name", (count + 1).min(MAX_CHILDREN));
        return render_form(&state, &actor, &a, StatusCode::OK, &focus);
    }
    if let Some(gone) = action.strip_prefix("remove-child-").and_then(|n| n.parse::<usize>().ok()) {
        if (1..=count).contains(&gone) && count > 1 {
            remove_child(&mut a, gone, count);
        }
        return render_form(&state, &actor, &a, StatusCode::OK, "");
    }
    if let Some(field) = action.strip_prefix("change:") {
        let focus = field.to_string();
        return render_form(&state, &actor, &a, StatusCode::OK, &focus);
    }
    a.set("children", count.to_string());
    match read_notification(&mut a, actor.now.local) {
        Some(n) => {
            let (incident, children) = answer_rows(&n);
            let ctx = context! { v => &a.values, incident, children_rows => children };
            page(&state, &actor, StatusCode::OK, "da_check.html", ctx)
        }
        None => render_form(&state, &actor, &a, StatusCode::UNPROCESSABLE_ENTITY, ""),
    }
}

/// "Send the notification", from the check page.
async fn submit(State(state): State<AppState>, actor: Actor, Form(pairs): Form<Pairs>) -> Response {
    if let Err(e) = actor.check_csrf(posted(&pairs, "csrf_token")) {
        return message(&state, &actor, e);
    }
    let mut a = Answers::from_pairs(&pairs);
    let Some(new) = read_notification(&mut a, actor.now.local) else {
        return render_form(&state, &actor, &a, StatusCode::UNPROCESSABLE_ENTITY, "");
    };
    match state.submit_notification(&actor, new).await {
        Ok(n) => Redirect::to(&format!("/da-notifications/{}/sent", n.notification.id)).into_response(),
        Err(e @ (AppError::Invalid(_) | AppError::Unprocessable(_))) => {
            a.error("notification-form", capitalise(&e.to_string()));
            render_form(&state, &actor, &a, StatusCode::UNPROCESSABLE_ENTITY, "")
        }
        Err(e) => message(&state, &actor, e),
    }
}

/// The police's view of one notification they sent: the confirmation after sending it, and
/// where it has got to since.
async fn confirmation(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> Response {
    let result = async {
        let id = notification_id(&id)?;
        let n = state.notification_at(&actor, NotificationDesk::Force, id).await?;
        Ok::<Value, ApiError>(police_view(&n, &actor))
    }
    .await;
    match result {
        Ok(ctx) => page(&state, &actor, StatusCode::OK, "da_sent.html", ctx),
        Err(e) => message(&state, &actor, e),
    }
}

/// What the police see of a notification: what they sent and how far the hub has got.
fn police_view(n: &NotificationView, actor: &Actor) -> Value {
    let (left, overdue) = time_left(actor.now.instant, n.notification.deadline);
    let progress = match n.notification.status {
        NotificationStatus::Received => "Waiting for the hub".to_string(),
        NotificationStatus::Triaged => "The hub has opened the children's records; the school is not told yet".into(),
        NotificationStatus::Shared => deadline_line(n),
    };
    context! {
        id => n.notification.id.to_string(),
        police_reference => n.notification.police_reference.clone(),
        received => uk_instant(n.notification.received_at),
        incident => uk_when(n.notification.incident_at),
        deadline => deadline_words(n.notification.deadline),
        left, overdue, progress,
        shared => n.notification.status == NotificationStatus::Shared,
        children => n.notification.children.iter().map(|c| child_name(&c.named)).collect::<Vec<_>>(),
    }
}

/// The police officer's landing page: what their force has sent, and a way to send another.
async fn sent_list(State(state): State<AppState>, actor: Actor) -> Response {
    let result = async {
        let mut list = state.notifications_at(&actor, NotificationDesk::Force, false).await?;
        list.sort_by_key(|n| std::cmp::Reverse(n.notification.received_at));
        let names = state.organisation_names().await?;
        let force = names.get(&actor.user.org_id.to_string()).cloned().unwrap_or_default();
        let items: Vec<Value> = list
            .iter()
            .map(|n| {
                context! {
                    id => n.notification.id.to_string(),
                    police_reference => n.notification.police_reference.clone(),
                    received => uk_instant(n.notification.received_at),
                    children => children_names(n),
                    deadline => deadline_line(n),
                    missed => n.missed_deadline,
                    done => n.notification.status == NotificationStatus::Shared,
                }
            })
            .collect();
        Ok::<Value, ApiError>(context! { items, force })
    }
    .await;
    match result {
        Ok(ctx) => page(&state, &actor, StatusCode::OK, "da_sent_list.html", ctx),
        Err(e) => message(&state, &actor, e),
    }
}

// ---------------------------------------------------------------------------------------------
// The hub: the dashboard and the triage page.

fn notification_id(id: &str) -> Result<NotificationId, ApiError> {
    id.parse().map_err(|_| ApiError::not_found("There is no such domestic abuse notification."))
}

async fn dashboard(State(state): State<AppState>, actor: Actor) -> Response {
    match state.notifications_at(&actor, NotificationDesk::Hub, false).await {
        Ok(list) => {
            let missed = list.iter().filter(|n| n.missed_deadline).count();
            let waiting = list.iter().filter(|n| n.notification.status == NotificationStatus::Received).count();
            let items: Vec<Value> = list
                .iter()
                .map(|n| {
                    context! {
                        id => n.notification.id.to_string(),
                        police_reference => n.notification.police_reference.clone(),
                        received => uk_instant(n.notification.received_at),
                        children => children_names(n),
                        deadline => deadline_line(n),
                        missed => n.missed_deadline,
                        done => n.notification.status == NotificationStatus::Shared,
                    }
                })
                .collect();
            page(&state, &actor, StatusCode::OK, "da_dashboard.html", context! { items, missed, waiting })
        }
        Err(e) => message(&state, &actor, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Done {
    done: String,
}

async fn triage_page(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Response {
    let id = match notification_id(&id) {
        Ok(id) => id,
        Err(e) => return message(&state, &actor, e),
    };
    render_triage(&state, &actor, id, Answers::default(), StatusCode::OK, &done.done).await
}

/// Schools (and the council's education service, for a child educated at home) a child's
/// notice can go to.
fn is_school(kind: OrgKind) -> bool {
    matches!(kind, OrgKind::School | OrgKind::VirtualSchool | OrgKind::LaEducation)
}

/// The standard reasons for telling a school under Operation Encompass: the hub reads and
/// changes them when a notification is different.
const REASONS: [(&str, &str, &str); 7] = [
    (
        "necessary",
        "Why sharing is necessary",
        "The school needs to know so that it can support the child and keep them safe during the school day.",
    ),
    (
        "proportionate",
        "Why it is proportionate",
        "Only the Operation Encompass notice is shared: the police reference, when and where, whether the child was there, the child's voice and a short summary. Never the police account.",
    ),
    ("relevant", "Why it is relevant", "It concerns the child's wellbeing in school after a domestic abuse incident at home."),
    ("adequate", "Why it is adequate", "It is enough for the designated safeguarding lead to offer support."),
    ("accurate", "Why it is accurate", "It is taken from the police notification received by the hub."),
    ("timely", "Why it is timely", "The school is told before the start of the next school day."),
    ("secure", "How it is shared securely", "Through Harbour: the school's staff sign in to read it, and its access ends after 28 days."),
];

/// Records that may be this child, for the hub to choose from (each one listed is authorized
/// and recorded by the search).
async fn possible_matches(state: &AppState, actor: &Actor, named: &NamedChild) -> Result<Vec<Value>, ApiError> {
    let query = PersonQuery { name: Some(child_name(named)), date_of_birth: None, identifier: None, limit: 10 };
    Ok(state
        .search_people(actor, query)
        .await?
        .into_iter()
        .map(|p| {
            context! {
                id => p.id.to_string(),
                name => format!("{} {}", p.given_name, p.family_name),
                born => p.date_of_birth.map(uk_date),
            }
        })
        .collect())
}

/// The triage form as it first appears for child `i`: the police's details for a new record,
/// "new" when no record has the name, and the school the police named, if Harbour knows it.
fn triage_defaults(a: &mut Answers, i: usize, named: &NamedChild, no_matches: bool, schools: &[Organisation]) {
    let f = |name: &str| format!("child-{i}-{name}");
    if no_matches {
        a.set(&f("record"), "new");
    }
    a.set(&f("given-name"), named.given_name.clone());
    a.set(&f("family-name"), named.family_name.clone());
    if let Some(d) = named.date_of_birth {
        a.set(&f("dob-day"), d.day().to_string());
        a.set(&f("dob-month"), d.month().to_string());
        a.set(&f("dob-year"), d.year().to_string());
    }
    let said = named.school.as_deref().unwrap_or("").trim().to_lowercase();
    if let Some(s) = schools.iter().find(|s| !said.is_empty() && s.name.to_lowercase() == said) {
        a.set(&f("school"), s.id.to_string());
    }
}

/// "Tell the school" as it first appears: consent not sought, the ground of a risk of harm,
/// a review four weeks on if the family is not told, and the standard reasons.
fn share_defaults(a: &mut Answers, today: Date) {
    a.set("consent", "not_sought");
    a.set(
        "consent-reason",
        "Operation Encompass: the school is told so that it can support the child; asking the family first could put the child at risk.",
    );
    a.set("ground", "risk-of-harm");
    let review = today + jiff::Span::new().days(28);
    a.set("review-day", review.day().to_string());
    a.set("review-month", review.month().to_string());
    a.set("review-year", review.year().to_string());
    for (key, _, text) in REASONS {
        a.set(&format!("rationale-{key}"), text);
    }
}

/// The domestic abuse notice's grounds for sharing without consent and its reasons for not
/// telling the family, in its own words.
fn share_choices(state: &AppState) -> (Vec<Value>, Vec<Value>) {
    let Some(pack) = state.notices().iter().find(|p| p.id() == DA_NOTICE) else { return (vec![], vec![]) };
    let grounds = pack
        .sharing
        .without_consent
        .iter()
        .map(|g| context! { id => g.id.get_ref().clone(), text => capitalise(&g.text) })
        .collect();
    let exemptions = pack
        .telling_the_family
        .exemptions
        .iter()
        .map(|e| context! { id => e.id.get_ref().clone(), text => e.text.clone(), days => e.review_days })
        .collect();
    (grounds, exemptions)
}

/// The triage page: the notification as the hub may see it, and the form its state asks for
/// (triage, then telling the school), with the answers and errors of a refused post.
async fn render_triage(
    state: &AppState,
    actor: &Actor,
    id: NotificationId,
    mut a: Answers,
    status: StatusCode,
    done: &str,
) -> Response {
    let result = async {
        let n = state.notification_at(actor, NotificationDesk::Hub, id).await?;
        let names = state.organisation_names().await?;
        let name_of = |id: String| names.get(&id).cloned().unwrap_or_default();
        let schools: Vec<_> = state.organisation_list().await?.into_iter().filter(|o| is_school(o.kind)).collect();
        let may_triage = state.may(actor, Action::TriageNotification);
        let to_triage = may_triage && n.notification.status == NotificationStatus::Received;
        let to_share = may_triage && n.notification.status == NotificationStatus::Triaged;
        let fresh = a.values.is_empty();
        let mut children = Vec::new();
        for (i, c) in n.notification.children.iter().enumerate() {
            let named = &c.named;
            let matches = if to_triage { possible_matches(state, actor, named).await? } else { Vec::new() };
            if fresh && to_triage {
                triage_defaults(&mut a, i + 1, named, matches.is_empty(), &schools);
            }
            children.push(context! {
                number => i + 1,
                name => child_name(named),
                born => named.date_of_birth.map(uk_date),
                school_said => named.school.clone(),
                present => named.present,
                voice => named.voice.clone(),
                person_id => c.person_id.map(|p| p.to_string()),
                school => c.school_id.map(|s| name_of(s.to_string())),
                decision_id => c.decision_id.map(|d| d.to_string()),
                matches,
            });
        }
        if fresh && to_triage {
            a.set("summary-for-school", n.notification.summary_for_school.clone());
        }
        if fresh && to_share {
            share_defaults(&mut a, actor.now.today());
        }
        let (grounds, exemptions) = share_choices(state);
        let (left, overdue) = time_left(actor.now.instant, n.notification.deadline);
        let schools: Vec<Value> =
            schools.iter().map(|s| context! { id => s.id.to_string(), name => s.name.clone() }).collect();
        let reasons: Vec<Value> =
            REASONS.iter().map(|(key, label, _)| context! { key => *key, label => *label }).collect();
        let genders: Vec<Value> =
            Gender::ALL.iter().map(|g| context! { id => g.as_str(), text => gender_label(*g) }).collect();
        Ok::<Value, ApiError>(context! {
            id => n.notification.id.to_string(),
            police_reference => n.notification.police_reference.clone(),
            status_code => n.notification.status.code(),
            status => status_words(&n),
            received => uk_instant(n.notification.received_at),
            incident => uk_when(n.notification.incident_at),
            location => n.notification.location.clone(),
            account => n.notification.account.clone(),
            summary_for_school => n.notification.summary_for_school.clone(),
            deadline => deadline_words(n.notification.deadline),
            left, overdue,
            missed => n.missed_deadline,
            shared_at => n.notification.shared_at.map(uk_instant),
            triaged_at => n.notification.triaged_at.map(uk_instant),
            triaged_by => n.notification.triaged_by.map(|u| name_of(u.to_string())),
            submitted_by => name_of(n.notification.submitted_by.to_string()),
            force => name_of(n.notification.police_org.to_string()),
            children, schools, grounds, exemptions, reasons, genders, to_triage, to_share, done,
            today => uk_date(actor.now.today()),
            v => &a.values, errors => &a.errors, err => a.by_field(),
        })
    }
    .await;
    match result {
        Ok(ctx) => page(state, actor, status, "da_triage.html", ctx),
        Err(e) => message(state, actor, e),
    }
}

/// Reads the triage form: one line per child, in the notification's order.
fn read_triage(a: &mut Answers, children: usize, today: Date) -> Option<Triage> {
    let mut lines = Vec::new();
    for i in 1..=children {
        let f = |name: &str| format!("child-{i}-{name}");
        let school = match a.get(&f("school")).parse() {
            Ok(s) => Some(s),
            Err(_) => {
                a.error(&f("school"), format!("Select child {i}'s school"));
                None
            }
        };
        let record = a.get(&f("record")).to_string();
        let (person_id, new_person) = match record.as_str() {
            "" => {
                a.error(&f("record"), format!("Select child {i}'s record, or say that Harbour does not know them yet"));
                (None, None)
            }
            "new" => {
                let given =
                    a.text(&f("given-name"), "the first name", 100, true, &format!("Enter child {i}'s first name"));
                let family =
                    a.text(&f("family-name"), "the last name", 100, true, &format!("Enter child {i}'s last name"));
                let dob = a.date(&f("dob"), &format!("child {i}'s date of birth"), false);
                if let Ok(Some(d)) = dob {
                    if d > today {
                        a.error(&f("dob-day"), format!("Child {i}'s date of birth must be in the past"));
                    }
                }
                let gender = match Gender::parse(a.get(&f("gender"))) {
                    Some(g) => Some(g),
                    None => {
                        a.error(&f("gender"), format!("Select child {i}'s gender"));
                        None
                    }
                };
                let person = match (given, family, dob, gender) {
                    (Some(given_name), Some(family_name), Ok(date_of_birth), Some(gender)) => Some(NewPerson {
                        given_name,
                        family_name,
                        date_of_birth,
                        gender,
                        address: None,
                        nhs_number: None,
                        upn: None,
                        local_id: None,
                        care_experienced: false,
                        disability: false,
                    }),
                    _ => None,
                };
                (None, person)
            }
            existing => match existing.parse() {
                Ok(p) => (Some(p), None),
                Err(_) => {
                    a.error(&f("record"), format!("Select child {i}'s record again"));
                    (None, None)
                }
            },
        };
        if let Some(school_id) = school {
            if person_id.is_some() || new_person.is_some() {
                lines.push(TriageChild { person_id, new_person, school_id });
            }
        }
    }
    let summary =
        a.text("summary-for-school", "the summary for the school", 600, false, "Enter the summary for the school");
    if !a.errors.is_empty() {
        return None;
    }
    Some(Triage { children: lines, summary_for_school: summary })
}

/// Where a use case's refusal of a form belongs: beside the form it refused, unless it is not
/// about the answers (not allowed, not found, a fault), which gets the message page.
fn answer_problem(e: &AppError) -> bool {
    matches!(
        e,
        AppError::Invalid(_)
            | AppError::Unprocessable(_)
            | AppError::UnknownReference(_)
            | AppError::SharingRefused(_)
            | AppError::NoticeRefused { .. }
    )
}

async fn triage(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    if let Err(e) = actor.check_csrf(posted(&pairs, "csrf_token")) {
        return message(&state, &actor, e);
    }
    let id = match notification_id(&id) {
        Ok(id) => id,
        Err(e) => return message(&state, &actor, e),
    };
    // How many children the notification names, as the hub may see it.
    let n = match state.notification_at(&actor, NotificationDesk::Hub, id).await {
        Ok(n) => n,
        Err(e) => return message(&state, &actor, e),
    };
    let mut a = Answers::from_pairs(&pairs);
    let Some(mut t) = read_triage(&mut a, n.notification.children.len(), actor.now.today()) else {
        return render_triage(&state, &actor, id, a, StatusCode::UNPROCESSABLE_ENTITY, "").await;
    };
    // The police's summary stands unless the hub rewrote it.
    if t.summary_for_school.as_deref() == Some(n.notification.summary_for_school.trim()) {
        t.summary_for_school = None;
    }
    match state.triage(&actor, id, t).await {
        Ok(_) => Redirect::to(&format!("/da-notifications/{id}?done=triaged#done")).into_response(),
        Err(e) if answer_problem(&e) => {
            let field = if matches!(e, AppError::SharingRefused(_)) { "summary-for-school" } else { "triage-form" };
            a.error(field, capitalise(&e.to_string()));
            render_triage(&state, &actor, id, a, StatusCode::UNPROCESSABLE_ENTITY, "").await
        }
        Err(e) => message(&state, &actor, e),
    }
}

/// Reads "tell the school": the consent position, the ground, telling the family, the reasons.
fn read_share(a: &mut Answers, today: Date) -> Option<ShareWithSchools> {
    let consent = match a.get("consent") {
        "not_sought" => a
            .text("consent-reason", "why consent was not sought", 4000, false, "Enter why consent was not sought")
            .map(|reason| ConsentPosition::NotSought { reason }),
        "refused" => a
            .text("consent-from", "who refused consent", 200, false, "Enter who refused consent")
            .map(|from| ConsentPosition::Refused { from }),
        _ => {
            a.error("consent", "Select whether consent was sought");
            None
        }
    };
    let ground = match a.get("ground").trim() {
        "" => {
            a.error("ground", "Select the reason for sharing without consent");
            None
        }
        g => Some(g.to_string()),
    };
    let family = match a.get("family") {
        "told" => {
            let who = a.text("told-who", "who in the family was told", 200, false, "Enter who in the family was told");
            let when = a.date("told", "the date the family was told", true).ok().flatten();
            if when.is_some_and(|d| d > today) {
                a.error("told-day", "The date the family was told must be today or in the past");
            }
            let how = a.text("told-how", "how the family was told", 200, false, "Enter how the family was told");
            match (who, when, how) {
                (Some(who), Some(when), Some(how)) => Some(FamilyPosition::Told { who, when, how }),
                _ => None,
            }
        }
        "exempt" => {
            let exemption = match a.get("exemption").trim() {
                "" => {
                    a.error("exemption", "Select why the family is not told");
                    None
                }
                e => Some(e.to_string()),
            };
            let review_on = a.date("review", "the date to review not telling the family", true).ok().flatten();
            if review_on.is_some_and(|d| d <= today) {
                a.error("review-day", "The date to review not telling the family must be in the future");
            }
            exemption.zip(review_on).map(|(exemption, review_on)| FamilyPosition::Exempt { exemption, review_on })
        }
        _ => {
            a.error("family", "Select whether the family has been told");
            None
        }
    };
    let mut reasons = BTreeMap::new();
    for (key, label, _) in REASONS {
        let field = format!("rationale-{key}");
        let missing = format!("Enter {}", label.to_lowercase());
        if let Some(text) = a.text(&field, "this reason", 4000, false, &missing) {
            reasons.insert(key, text);
        }
    }
    if !a.errors.is_empty() {
        return None;
    }
    let mut reason = |k: &str| reasons.remove(k).unwrap_or_default();
    Some(ShareWithSchools {
        consent: consent?,
        without_consent_ground: ground,
        family: family?,
        rationale: Rationale {
            necessary: reason("necessary"),
            proportionate: reason("proportionate"),
            relevant: reason("relevant"),
            adequate: reason("adequate"),
            accurate: reason("accurate"),
            timely: reason("timely"),
            secure: reason("secure"),
        },
    })
}

async fn share(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    if let Err(e) = actor.check_csrf(posted(&pairs, "csrf_token")) {
        return message(&state, &actor, e);
    }
    let id = match notification_id(&id) {
        Ok(id) => id,
        Err(e) => return message(&state, &actor, e),
    };
    let mut a = Answers::from_pairs(&pairs);
    let Some(share) = read_share(&mut a, actor.now.today()) else {
        return render_triage(&state, &actor, id, a, StatusCode::UNPROCESSABLE_ENTITY, "").await;
    };
    match state.share_with_schools(&actor, id, share).await {
        Ok(_) => Redirect::to(&format!("/da-notifications/{id}?done=shared#done")).into_response(),
        Err(e) if answer_problem(&e) => {
            a.error("share-form", capitalise(&e.to_string()));
            render_triage(&state, &actor, id, a, StatusCode::UNPROCESSABLE_ENTITY, "").await
        }
        Err(e) => message(&state, &actor, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    #[test]
    fn times_are_read_as_people_write_them() {
        for (s, want) in [
            ("23:40", time(23, 40, 0, 0)),
            ("2340", time(23, 40, 0, 0)),
            ("11:40pm", time(23, 40, 0, 0)),
            ("11.40 PM", time(23, 40, 0, 0)),
            ("9pm", time(21, 0, 0, 0)),
            ("12am", time(0, 0, 0, 0)),
            ("12:15pm", time(12, 15, 0, 0)),
            ("midday", time(12, 0, 0, 0)),
            ("midnight", time(0, 0, 0, 0)),
            ("7:05", time(7, 5, 0, 0)),
        ] {
            assert_eq!(parse_time(s), Some(want), "{s}");
        }
        for s in ["", "25:00", "13pm", "0am", "7:5", "abc", "١١:٤٠", "12345"] {
            assert_eq!(parse_time(s), None, "{s}");
        }
    }

    #[test]
    fn times_and_dates_are_written_the_uk_way() {
        assert_eq!(clock(time(8, 30, 0, 0)), "8:30am");
        assert_eq!(clock(time(23, 0, 0, 0)), "11pm");
        assert_eq!(clock(time(0, 0, 0, 0)), "midnight");
        assert_eq!(clock(time(12, 0, 0, 0)), "midday");
        assert_eq!(clock(time(0, 5, 0, 0)), "12:05am");
        assert_eq!(uk_when(date(2024, 11, 7).at(23, 40, 0, 0)), "7 November 2024 at 11:40pm (UK time)");
        assert_eq!(deadline_words(date(2026, 11, 9).at(8, 30, 0, 0)), "8:30am on Monday 9 November 2026 (UK time)");
    }

    #[test]
    fn the_time_left_is_in_words_and_says_when_it_has_passed() {
        // 1 July 2026 is in British Summer Time: 08:30 in London is 07:30 UTC.
        let deadline = date(2026, 7, 1).at(8, 30, 0, 0);
        let at = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
        assert_eq!(time_left(at("2026-07-01T05:00:00Z"), deadline), ("2 hours 30 minutes left".into(), false));
        assert_eq!(time_left(at("2026-06-29T06:30:00Z"), deadline), ("2 days 1 hour left".into(), false));
        assert_eq!(time_left(at("2026-07-01T07:31:00Z"), deadline), ("overdue by 1 minute".into(), true));
    }
}
