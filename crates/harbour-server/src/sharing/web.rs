//! Sharing pages: the share wizard (which says why Harbour would refuse before the
//! practitioner submits), a decision, the Caldicott Guardian's queue, the partner inbox and the
//! notification-due list. (The domestic abuse notification pages are intake's.)

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::Form;
use harbour_domain::{
    ConfirmedCategories, ConsentPosition, DataCategory, DecisionId, DisclosedEntry, DisclosedPerson, DisclosureId,
    EntryField, FamilyPosition, NewDecision, PersonField, PersonId, Rationale, Urgency,
};
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

use crate::auth::Actor;
use crate::error::ApiError;
use crate::pages::{message, page};
use crate::AppState;
use harbour_app::sharing::Ruling;
use harbour_app::AppError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/people/{id}/share", get(wizard).post(submit))
        .route("/people/{id}/share/check", post(check))
        .route("/sharing-decisions/{id}", get(decision_page))
        .route("/sharing-decisions/{id}/guardian", post(rule))
        .route("/guardian", get(guardian_page))
        .route("/received", get(inbox))
        .route("/received/{id}", get(received_page))
        .route("/notifications-due", get(due_page))
        .route("/notifications-due/{id}/told", post(record_told))
}

#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
struct ShareForm {
    csrf_token: String,
    notice: String,
    recipient: Vec<String>,
    purpose: String,
    basis: String,
    condition: String,
    statute: String,
    agreement: String,
    entry: Vec<String>,
    fields: Vec<String>,
    person_fields: Vec<String>,
    whole_record: String,
    consent: String,
    consent_detail: String,
    /// The recorded consents relied on, when consent was given.
    consent_id: Vec<String>,
    /// `entry_id:category` pairs the practitioner confirms an entry holds.
    confirm: Vec<String>,
    ground: String,
    family: String,
    told_who: String,
    told_when: String,
    told_how: String,
    exemption: String,
    review_on: String,
    necessary: String,
    proportionate: String,
    relevant: String,
    adequate: String,
    accurate: String,
    timely: String,
    secure: String,
    urgency: String,
    expires_on: String,
}

fn blank(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn date(s: &str, what: &str) -> Result<jiff::civil::Date, String> {
    s.trim().parse().map_err(|_| format!("Give {what} as a date."))
}

fn parse_form(person: PersonId, f: &ShareForm) -> Result<NewDecision, String> {
    fn ids<T: std::str::FromStr>(v: &[String], what: &str) -> Result<Vec<T>, String> {
        v.iter().map(|s| s.parse().map_err(|_| format!("Unknown {what} {s:?}."))).collect()
    }
    let fields: Vec<EntryField> = f.fields.iter().filter_map(|c| EntryField::from_code(c)).collect();
    let entries = ids::<harbour_domain::EntryId>(&f.entry, "entry")?
        .into_iter()
        .map(|entry_id| DisclosedEntry { entry_id, fields: fields.clone() })
        .collect();
    let pf: Vec<PersonField> = f.person_fields.iter().filter_map(|c| PersonField::from_code(c)).collect();
    let consent = match f.consent.as_str() {
        "given" => ConsentPosition::Given { consent_ids: ids(&f.consent_id, "consent")?, from: None },
        "refused" => ConsentPosition::Refused { from: f.consent_detail.clone() },
        "not_sought" => ConsentPosition::NotSought { reason: f.consent_detail.clone() },
        _ => return Err("Say whether consent was given, refused or not sought.".into()),
    };
    let family = match f.family.as_str() {
        "told" => FamilyPosition::Told {
            who: f.told_who.clone(),
            when: date(&f.told_when, "when the family was told")?,
            how: f.told_how.clone(),
        },
        "exempt" => FamilyPosition::Exempt {
            exemption: f.exemption.clone(),
            review_on: date(&f.review_on, "the date to review the exemption")?,
        },
        _ => return Err("Say whether the family has been told, or why not.".into()),
    };
    let mut confirmed: Vec<ConfirmedCategories> = Vec::new();
    for pair in &f.confirm {
        let (entry, category) = pair.split_once(':').ok_or_else(|| format!("Unknown confirmation {pair:?}."))?;
        let entry_id: harbour_domain::EntryId = entry.parse().map_err(|_| format!("Unknown entry {entry:?}."))?;
        let category = DataCategory::from_code(category).ok_or_else(|| format!("Unknown category {category:?}."))?;
        match confirmed.iter_mut().find(|c| c.entry_id == entry_id) {
            Some(c) => c.categories.push(category),
            None => confirmed.push(ConfirmedCategories { entry_id, categories: vec![category] }),
        }
    }
    Ok(NewDecision {
        notice: f.notice.clone(),
        people: vec![person],
        request_id: None,
        recipients: ids(&f.recipient, "organisation")?,
        purpose: f.purpose.clone(),
        basis: f.basis.clone(),
        condition: blank(&f.condition),
        statute: f.statute.clone(),
        agreement_id: blank(&f.agreement)
            .map(|a| a.parse().map_err(|_| "Unknown agreement.".to_string()))
            .transpose()?,
        entries,
        person_fields: if pf.is_empty() { vec![] } else { vec![DisclosedPerson { person_id: person, fields: pf }] },
        whole_record_justification: blank(&f.whole_record),
        consent,
        without_consent_ground: blank(&f.ground),
        family,
        rationale: Rationale {
            necessary: f.necessary.clone(),
            proportionate: f.proportionate.clone(),
            relevant: f.relevant.clone(),
            adequate: f.adequate.clone(),
            accurate: f.accurate.clone(),
            timely: f.timely.clone(),
            secure: f.secure.clone(),
        },
        urgency: Urgency::from_code(&f.urgency).unwrap_or(Urgency::Routine),
        expires_on: blank(&f.expires_on).map(|d| date(&d, "the expiry")).transpose()?,
        confirmed_categories: confirmed,
    })
}

async fn wizard(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> Response {
    let f = ShareForm {
        notice: "bcp-childrens-services".into(),
        basis: "6(1)(e)".into(),
        fields: vec!["subject".into(), "occurred_at".into()],
        person_fields: vec!["name".into(), "date_of_birth".into()],
        consent: "given".into(),
        family: "told".into(),
        told_when: actor.now.today().to_string(),
        urgency: "routine".into(),
        ..Default::default()
    };
    render_wizard(&state, &actor, &id, f, StatusCode::OK, "").await
}

/// The choices each notice in force offers the form: its purposes, bases, statutes,
/// conditions, grounds for sharing without consent and exemptions from telling the family.
fn notice_choices(state: &AppState) -> Vec<Value> {
    state
        .notices()
        .iter()
        .map(|n| {
            let ids = |v: Vec<(String, String)>| -> Vec<Value> {
                v.into_iter().map(|(id, text)| context! { id, text }).collect()
            };
            context! {
                id => n.id(), title => n.pack.title.clone(),
                purposes => ids(n.purposes.iter().map(|p| (p.id.get_ref().clone(), p.text.clone())).collect()),
                // The Article 6 bases the notice names, by article (what a decision cites).
                bases => ids(n.lawful_bases.iter().filter(|b| b.article.starts_with("6(")).map(|b| (b.article.clone(), format!("Art {} — {}", b.article, b.text))).collect()),
                statutes => ids(n.statutes.iter().map(|p| (p.id.get_ref().clone(), p.text.clone())).collect()),
                conditions => ids(n.conditions.iter().map(|p| (p.id.get_ref().clone(), format!("Art {} — {}", p.article, p.text))).collect()),
                grounds => ids(n.sharing.without_consent.iter().map(|p| (p.id.get_ref().clone(), p.text.clone())).collect()),
                exemptions => ids(n.telling_the_family.exemptions.iter().map(|p| (p.id.get_ref().clone(), p.text.clone())).collect()),
            }
        })
        .collect()
}

async fn render_wizard(
    state: &AppState,
    actor: &Actor,
    id: &str,
    f: ShareForm,
    status: StatusCode,
    msg: &str,
) -> Response {
    let result = async {
        let pid = crate::pages::person_id(id)?;
        let record = state.person_record(actor, pid).await?;
        let entries = state.person_entries(actor, pid).await?;
        let orgs = crate::pages::other_organisations(state, actor).await?;
        let notices = notice_choices(state);
        let agreements: Vec<Value> = state
            .agreements(actor)
            .await?
            .into_iter()
            .map(|a| a.agreement)
            .map(|a| context! { id => a.id.to_string(), reference => a.reference, title => a.title })
            .collect();
        let entries: Vec<Value> = entries
            .iter()
            .map(|e| {
                // What the scan finds that the entry is not tagged with, to confirm if shared.
                let found: Vec<Value> = harbour_app::sensitive::untagged(e)
                    .into_iter()
                    .map(|s| context! {
                        value => format!("{}:{}", e.id, s.category.code()),
                        text => format!("{} ({})", s.label, s.words.join(", ")),
                    })
                    .collect();
                context! {
                    id => e.id.to_string(), subject => e.subject.clone(), date => e.occurred_at.date().to_string(),
                    categories => e.categories.iter().map(|c| c.label()).collect::<Vec<_>>().join(", "), found,
                }
            })
            .collect();
        let consents: Vec<Value> = state
            .consents(actor, pid)
            .await?
            .consents
            .into_iter()
            .map(|c| {
                let state = match &c.withdrawn {
                    Some(w) => format!("withdrawn on {}", w.withdrawn_on),
                    None => "standing".to_string(),
                };
                context! { id => c.id.to_string(), service => c.service, given_by => c.given_by, given_on => c.given_on.to_string(), state }
            })
            .collect();
        let entry_fields: Vec<&str> = EntryField::ALL.iter().map(|f| f.code()).collect();
        let person_fields: Vec<&str> = PersonField::ALL.iter().map(|f| f.code()).collect();
        Ok::<Value, ApiError>(context! {
            person => record.person, orgs, notices, agreements, entries, consents, entry_fields, person_fields, f, message => msg,
            urgencies => Urgency::ALL.iter().map(|u| u.code()).collect::<Vec<_>>(),
        })
    }
    .await;
    match result {
        Ok(ctx) => page(state, actor, status, "share.html", ctx),
        Err(e) => message(state, actor, e),
    }
}

/// What the system would say, without recording anything (the wizard's "Check" button).
async fn check(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Form(f): Form<ShareForm>,
) -> Response {
    if let Err(e) = actor.check_csrf(&f.csrf_token) {
        return e.into_response();
    }
    let Ok(pid) = id.parse::<PersonId>() else { return ApiError::not_found("no such person").into_response() };
    let verdict = match parse_form(pid, &f) {
        Err(msg) => (false, msg),
        Ok(new) => match state.prepare_decision(&actor, new).await {
            Ok(p) if p.decision.needs_guardian => {
                (true, "Harbour would accept this. It will wait for the Caldicott Guardian's approval before anything is disclosed.".to_string())
            }
            Ok(p) => (true, format!("Harbour would accept this, relying on: {}.", p.decision.clauses.join("; "))),
            Err(e) => (false, e.to_string()),
        },
    };
    let class = if verdict.0 { "ok" } else { "error" };
    Html(format!(
        "<p class=\"{class}\" role=\"status\" id=\"verdict\">{}</p>",
        harbour_policy::pack::escape(&verdict.1)
    ))
    .into_response()
}

async fn submit(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Form(f): Form<ShareForm>,
) -> Response {
    if let Err(e) = actor.check_csrf(&f.csrf_token) {
        return message(&state, &actor, e);
    }
    let Ok(pid) = id.parse::<PersonId>() else {
        return message(&state, &actor, ApiError::not_found("There is no such person."));
    };
    let new = match parse_form(pid, &f) {
        Ok(n) => n,
        Err(msg) => return render_wizard(&state, &actor, &id, f, StatusCode::UNPROCESSABLE_ENTITY, &msg).await,
    };
    match state.decide(&actor, new).await {
        Ok(d) => Redirect::to(&format!("/sharing-decisions/{}", d.id)).into_response(),
        Err(e) if !matches!(e, AppError::Forbidden { .. } | AppError::Internal(_) | AppError::Unavailable(_)) => {
            let msg = e.to_string();
            render_wizard(&state, &actor, &id, f, StatusCode::UNPROCESSABLE_ENTITY, &msg).await
        }
        Err(e) => message(&state, &actor, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DecisionQuery {
    /// Set on the way back from the Guardian's ruling: the page says what it did.
    ruled: Option<u8>,
}

async fn decision_page(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<DecisionQuery>,
) -> Response {
    let ruled = q.ruled == Some(1);
    let result = async {
        let id: DecisionId = id.parse().map_err(|_| ApiError::not_found("There is no such decision."))?;
        let d = state.decision(&actor, id).await?;
        let names = state.organisation_names().await?;
        let orgs: Vec<String> = {
            let mut v = Vec::new();
            for o in &d.decision.recipients {
                v.push(names.get(&o.to_string()).cloned().unwrap_or_else(|| o.to_string()));
            }
            v
        };
        let may_rule = state.may(&actor, harbour_policy::Action::RuleOnSharing);
        Ok::<Value, ApiError>(context! { d, recipients => orgs, may_rule, ruled })
    }
    .await;
    match result {
        Ok(ctx) => page(&state, &actor, StatusCode::OK, "decision.html", ctx),
        Err(e) => message(&state, &actor, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RuleForm {
    csrf_token: String,
    approve: String,
    reason: String,
}

async fn rule(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Form(f): Form<RuleForm>,
) -> Response {
    if let Err(e) = actor.check_csrf(&f.csrf_token) {
        return message(&state, &actor, e);
    }
    let Ok(id) = id.parse::<DecisionId>() else {
        return message(&state, &actor, ApiError::not_found("There is no such decision."));
    };
    let ruling = Ruling { approve: f.approve == "yes", reason: blank(&f.reason) };
    match state.rule(&actor, id, ruling).await {
        Ok(_) => Redirect::to(&format!("/sharing-decisions/{id}?ruled=1")).into_response(),
        Err(e) => message(&state, &actor, e),
    }
}

async fn guardian_page(State(state): State<AppState>, actor: Actor) -> Response {
    match state.guardian_queue(&actor).await {
        Ok(queue) => page(&state, &actor, StatusCode::OK, "guardian.html", context! { queue }),
        Err(e) => message(&state, &actor, e),
    }
}

async fn inbox(State(state): State<AppState>, actor: Actor) -> Response {
    match state.received(&actor).await {
        Ok(items) => page(&state, &actor, StatusCode::OK, "received.html", context! { items }),
        Err(e) => message(&state, &actor, e),
    }
}

async fn received_page(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<DisclosureId>() else {
        return message(&state, &actor, ApiError::not_found("There is no such disclosure."));
    };
    match state.received_one(&actor, id).await {
        Ok(r) => page(&state, &actor, StatusCode::OK, "received_one.html", context! { r }),
        Err(e) => message(&state, &actor, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DueQuery {
    /// Set on the way back from recording that a family was told.
    told: Option<u8>,
}

async fn due_page(
    State(state): State<AppState>,
    actor: Actor,
    axum::extract::Query(q): axum::extract::Query<DueQuery>,
) -> Response {
    match state.notifications_due_named(&actor).await {
        Ok(due) => {
            let due: Vec<Value> = due.into_iter().map(|(d, names)| context! { d, names }).collect();
            let may_record = state.can(&actor).work_cases;
            let told = q.told == Some(1);
            let today = actor.now.today().to_string();
            page(&state, &actor, StatusCode::OK, "notifications_due.html", context! { due, may_record, told, today })
        }
        Err(e) => message(&state, &actor, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ToldForm {
    csrf_token: String,
    who: String,
    when: String,
    how: String,
}

/// Records, from the families-to-tell list, that the family has now been told.
async fn record_told(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Form(f): Form<ToldForm>,
) -> Response {
    let result = async {
        actor.check_csrf(&f.csrf_token)?;
        let id: DecisionId = id.parse().map_err(|_| ApiError::not_found("There is no such decision."))?;
        let when =
            f.when.trim().parse().map_err(|_| ApiError::bad_request("Give the day the family was told as a date."))?;
        let position = harbour_domain::FamilyPosition::Told { who: f.who.clone(), when, how: f.how.clone() };
        state.update_family(&actor, id, position).await.map_err(ApiError::from)
    }
    .await;
    match result {
        Ok(_) => Redirect::to("/notifications-due?told=1").into_response(),
        Err(e) => message(&state, &actor, e),
    }
}
