//! Sharing pages: the share wizard (which says why Harbour would refuse before the
//! practitioner submits), a decision, the Caldicott Guardian's queue, the partner inbox and the
//! notification-due list. (The domestic abuse notification pages are intake's.)

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::Form;
use harbour_domain::{
    ConfirmedCategories, ConsentPosition, DataCategory, DecisionId, DisclosedEntry, DisclosedPerson, DisclosureId,
    DomainError, EntryField, EntryId, FamilyPosition, NewDecision, OrgId, PersonField, PersonId, Rationale, Urgency,
};
use harbour_policy::pack::PolicyPack;
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

use crate::auth::Actor;
use crate::error::ApiError;
use crate::pages::{message, page, FormErrors};
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

/// The share form as the browser posts it: every answer as typed, so that a form with
/// problems comes back with everything kept.
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
    /// The recorded consents relied on, when consent was given.
    consent_id: Vec<String>,
    refused_by: String,
    not_sought_why: String,
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

/// A date as a date field sends it (2026-11-07), or as people type it where the browser has
/// no date picker (7/11/2026, 7 11 2026).
fn parse_date(s: &str) -> Option<jiff::civil::Date> {
    let s = s.trim();
    if let Ok(d) = s.parse() {
        return Some(d);
    }
    let parts: Vec<&str> = s.split(['/', ' ', '-', '.']).filter(|p| !p.is_empty()).collect();
    let [day, month, year] = parts[..] else { return None };
    jiff::civil::Date::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?).ok()
}

/// The seven golden rules: the field, and what to say when it is left empty.
const RULES: [(&str, &str); 7] = [
    ("necessary", "Say why sharing is necessary"),
    ("proportionate", "Say why sharing is proportionate"),
    ("relevant", "Say why the information is relevant"),
    ("adequate", "Say why it is adequate"),
    ("accurate", "Say why it is accurate"),
    ("timely", "Say why it is timely"),
    ("secure", "Say how it will be shared securely"),
];

/// The domain's names for the decision's fields (`DomainError` and `NewDecision::validate`),
/// the form's field each is, and the field in words.
const DOMAIN_FIELDS: [(&str, &str, &str); 20] = [
    ("recipients", "recipient", "Who receives it"),
    ("notice", "change-notice", "The privacy notice"),
    ("purpose", "purpose", "The purpose"),
    ("basis", "basis", "The lawful basis"),
    ("statute", "statute", "The law"),
    ("condition", "condition", "The condition"),
    ("ground for sharing without consent", "ground", "The ground for sharing without consent"),
    ("whole-record justification", "whole_record", "Why the whole record is needed"),
    ("consent refused by", "refused_by", "Who refused consent"),
    ("why consent was not sought", "not_sought_why", "Why consent was not sought"),
    ("who in the family was told", "told_who", "Who in the family was told"),
    ("how the family was told", "told_how", "How the family was told"),
    ("exemption", "exemption", "The exemption"),
    ("rationale: why sharing is necessary", "necessary", "Why sharing is necessary"),
    ("rationale: why it is proportionate", "proportionate", "Why sharing is proportionate"),
    ("rationale: why it is relevant", "relevant", "Why the information is relevant"),
    ("rationale: why it is adequate", "adequate", "Why it is adequate"),
    ("rationale: why it is accurate", "accurate", "Why it is accurate"),
    ("rationale: why it is timely", "timely", "Why it is timely"),
    ("rationale: how it is shared securely", "secure", "How it will be shared securely"),
];

/// One of the notice's choices: empty is `missing`, anything the notice does not offer is
/// a problem too (a form posted from elsewhere).
fn choice(errors: &mut FormErrors, field: &'static str, value: &str, offered: &[String], missing: &str) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.add(field, missing);
    } else if !offered.iter().any(|o| o == value) {
        errors.add(field, format!("{missing} from the list"));
    }
    value.to_string()
}

/// The notice's choices by id, in its order.
struct Offered {
    purposes: Vec<String>,
    bases: Vec<String>,
    conditions: Vec<String>,
    statutes: Vec<String>,
    grounds: Vec<String>,
    exemptions: Vec<String>,
}

impl Offered {
    fn of(pack: &PolicyPack) -> Offered {
        Offered {
            purposes: pack.purposes.iter().map(|p| p.id.get_ref().clone()).collect(),
            bases: article_6_bases(pack).map(|b| b.article.clone()).collect(),
            conditions: pack.conditions.iter().map(|c| c.id.get_ref().clone()).collect(),
            statutes: pack.statutes.iter().map(|s| s.id.get_ref().clone()).collect(),
            grounds: pack.sharing.without_consent.iter().map(|g| g.id.get_ref().clone()).collect(),
            exemptions: pack.telling_the_family.exemptions.iter().map(|x| x.id.get_ref().clone()).collect(),
        }
    }
}

/// The Article 6 bases a notice names (what a decision cites; Article 9 and 10 conditions
/// are its `conditions`).
fn article_6_bases(pack: &PolicyPack) -> impl Iterator<Item = &harbour_policy::pack::LawfulBasis> {
    pack.lawful_bases.iter().filter(|b| b.article.starts_with("6("))
}

/// Reads the form against the chosen notice. Every answer that is missing, or is not one the
/// notice offers, is a problem in plain words against its field — all of them at once, in the
/// order of the form. Only a complete form becomes a decision to put to Harbour's rules.
fn parse_form(
    person: PersonId,
    pack: &PolicyPack,
    f: &ShareForm,
    today: jiff::civil::Date,
) -> Result<NewDecision, FormErrors> {
    let offered = Offered::of(pack);
    let mut errors = FormErrors::default();
    let recipients: Vec<OrgId> = f.recipient.iter().filter_map(|s| s.parse().ok()).collect();
    if f.recipient.is_empty() {
        errors.add("recipient", "Choose who receives it");
    } else if recipients.len() != f.recipient.len() {
        errors.add("recipient", "Choose who receives it from the list");
    }
    let purpose = choice(&mut errors, "purpose", &f.purpose, &offered.purposes, "Choose why you are sharing it");
    let basis = choice(&mut errors, "basis", &f.basis, &offered.bases, "Choose the lawful basis");
    let condition = blank(&f.condition);
    if condition.as_ref().is_some_and(|c| !offered.conditions.contains(c)) {
        errors.add("condition", "Choose the condition from the list");
    }
    let statute = choice(&mut errors, "statute", &f.statute, &offered.statutes, "Choose the law that allows it");
    let agreement_id = blank(&f.agreement).and_then(|a| {
        let id = a.parse().ok();
        if id.is_none() {
            errors.add("agreement", "Choose the agreement from the list");
        }
        id
    });
    let (entries, person_fields, confirmed) = what_is_shared(person, f, &mut errors);
    let whole_record = blank(&f.whole_record);
    let consent = consent_position(f, &mut errors);
    let ground = match &consent {
        Some(ConsentPosition::Given { .. }) | None => None,
        Some(_) => Some(choice(
            &mut errors,
            "ground",
            &f.ground,
            &offered.grounds,
            "Choose the ground for sharing without consent",
        )),
    };
    let family = family_position(f, &offered, today, &mut errors);
    let rationale = golden_rules(f, &mut errors);
    let expires_on = expiry(f, today, &mut errors);
    let (Some(consent), Some(family), true) = (consent, family, errors.is_empty()) else { return Err(errors) };
    Ok(NewDecision {
        notice: pack.id().to_string(),
        people: vec![person],
        request_id: None,
        recipients,
        purpose,
        basis,
        condition,
        statute,
        agreement_id,
        entries,
        person_fields,
        whole_record_justification: whole_record,
        consent,
        without_consent_ground: ground,
        family,
        rationale,
        urgency: Urgency::from_code(&f.urgency).unwrap_or(Urgency::Routine),
        expires_on,
        confirmed_categories: confirmed,
    })
}

/// The seven golden rules, each answered.
fn golden_rules(f: &ShareForm, errors: &mut FormErrors) -> Rationale {
    for (field, missing) in RULES {
        if blank(rule_text(f, field)).is_none() {
            errors.add(field, missing);
        }
    }
    Rationale {
        necessary: f.necessary.clone(),
        proportionate: f.proportionate.clone(),
        relevant: f.relevant.clone(),
        adequate: f.adequate.clone(),
        accurate: f.accurate.clone(),
        timely: f.timely.clone(),
        secure: f.secure.clone(),
    }
}

/// The day the recipients lose access, if one is given: after today.
fn expiry(f: &ShareForm, today: jiff::civil::Date, errors: &mut FormErrors) -> Option<jiff::civil::Date> {
    let typed = blank(&f.expires_on)?;
    match parse_date(&typed) {
        None => {
            errors.add("expires_on", "Give the date access ends as a date, for example 31 3 2027");
            None
        }
        Some(d) if d <= today => {
            errors.add("expires_on", "The date access ends must be after today");
            None
        }
        Some(d) => Some(d),
    }
}

fn rule_text<'a>(f: &'a ShareForm, field: &str) -> &'a str {
    match field {
        "necessary" => &f.necessary,
        "proportionate" => &f.proportionate,
        "relevant" => &f.relevant,
        "adequate" => &f.adequate,
        "accurate" => &f.accurate,
        "timely" => &f.timely,
        _ => &f.secure,
    }
}

/// What is shared: the entries ticked with the fields ticked of each, the person's details
/// ticked, or the whole record with its reason — one or the other, and something. The scan's
/// findings count only for entries that are shared.
fn what_is_shared(
    person: PersonId,
    f: &ShareForm,
    errors: &mut FormErrors,
) -> (Vec<DisclosedEntry>, Vec<DisclosedPerson>, Vec<ConfirmedCategories>) {
    let ids: Vec<EntryId> = f.entry.iter().filter_map(|s| s.parse().ok()).collect();
    if ids.len() != f.entry.len() {
        errors.add("entry", "Tick entries from the list");
    }
    let fields: Vec<EntryField> = f.fields.iter().filter_map(|c| EntryField::from_code(c)).collect();
    let pf: Vec<PersonField> = f.person_fields.iter().filter_map(|c| PersonField::from_code(c)).collect();
    let whole = blank(&f.whole_record).is_some();
    if whole && !ids.is_empty() {
        errors.add("whole_record", "Either tick entries or say why the whole record is needed, not both");
    } else if !whole && ids.is_empty() && pf.is_empty() {
        errors.add("entry", "Tick at least one entry or detail to share, or say why the whole record is needed");
    }
    if !ids.is_empty() && fields.is_empty() {
        errors.add("fields", "Choose which parts of each entry to share");
    }
    let mut confirmed: Vec<ConfirmedCategories> = Vec::new();
    for pair in &f.confirm {
        let parsed =
            pair.split_once(':').and_then(|(e, c)| Some((e.parse::<EntryId>().ok()?, DataCategory::from_code(c)?)));
        let Some((entry_id, category)) = parsed else {
            errors.add("entry", "Tick entries from the list");
            continue;
        };
        if !whole && !ids.contains(&entry_id) {
            continue;
        }
        match confirmed.iter_mut().find(|c| c.entry_id == entry_id) {
            Some(c) => c.categories.push(category),
            None => confirmed.push(ConfirmedCategories { entry_id, categories: vec![category] }),
        }
    }
    let entries = ids.into_iter().map(|entry_id| DisclosedEntry { entry_id, fields: fields.clone() }).collect();
    let person_fields = if pf.is_empty() { vec![] } else { vec![DisclosedPerson { person_id: person, fields: pf }] };
    (entries, person_fields, confirmed)
}

/// Consent given (citing the recorded consents), refused (by whom) or not sought (why).
fn consent_position(f: &ShareForm, errors: &mut FormErrors) -> Option<ConsentPosition> {
    match f.consent.as_str() {
        "given" => {
            let ids: Vec<_> = f.consent_id.iter().filter_map(|s| s.parse().ok()).collect();
            if ids.is_empty() || ids.len() != f.consent_id.len() {
                errors.add("consent_id", "Tick the recorded consent you rely on");
            }
            Some(ConsentPosition::Given { consent_ids: ids, from: None })
        }
        "refused" => {
            if blank(&f.refused_by).is_none() {
                errors.add("refused_by", "Say who refused consent");
            }
            Some(ConsentPosition::Refused { from: f.refused_by.clone() })
        }
        "not_sought" => {
            if blank(&f.not_sought_why).is_none() {
                errors.add("not_sought_why", "Say why consent was not sought");
            }
            Some(ConsentPosition::NotSought { reason: f.not_sought_why.clone() })
        }
        _ => {
            errors.add("consent", "Say whether consent was given, refused or not sought");
            None
        }
    }
}

/// The family told (who, when, how) or not, under one of the notice's exemptions with a day
/// to review it.
fn family_position(
    f: &ShareForm,
    offered: &Offered,
    today: jiff::civil::Date,
    errors: &mut FormErrors,
) -> Option<FamilyPosition> {
    match f.family.as_str() {
        "told" => {
            if blank(&f.told_who).is_none() {
                errors.add("told_who", "Say who in the family was told");
            }
            let when = match (blank(&f.told_when), parse_date(&f.told_when)) {
                (None, _) => {
                    errors.add("told_when", "Give the date the family was told");
                    None
                }
                (Some(_), None) => {
                    errors.add("told_when", "Give the date the family was told as a date, for example 7 11 2026");
                    None
                }
                (_, Some(d)) if d > today => {
                    errors.add("told_when", "The date the family was told must be today or before");
                    None
                }
                (_, Some(d)) => Some(d),
            };
            if blank(&f.told_how).is_none() {
                errors.add("told_how", "Say how the family was told");
            }
            when.map(|when| FamilyPosition::Told { who: f.told_who.clone(), when, how: f.told_how.clone() })
        }
        "exempt" => {
            let review = parse_date(&f.review_on);
            if blank(&f.exemption).is_none() && review.is_none() {
                errors.add("exemption", "Choose the exemption and the date to review it");
                return None;
            }
            let exemption = choice(errors, "exemption", &f.exemption, &offered.exemptions, "Choose the exemption");
            match (blank(&f.review_on), review) {
                (None, _) => errors.add("review_on", "Give the date to review the exemption"),
                (Some(_), None) => {
                    errors.add("review_on", "Give the date to review the exemption as a date, for example 7 2 2027")
                }
                _ => {}
            }
            review.map(|review_on| FamilyPosition::Exempt { exemption, review_on })
        }
        _ => {
            errors.add("family", "Say whether the family has been told, or why not");
            None
        }
    }
}

/// Harbour's answer to a complete form, where it is no: the problem against the field it is
/// about. The domain's messages name fields as a developer would ("consent refused by must
/// not be empty"); they are said here in the form's words. A notice's refusal is the policy's
/// verdict and is shown as it is, without the notice's id and the lists of codes it ends with.
/// Faults of Harbour's own (the database, a bug) are not the form's problem.
fn refusal(pack: &PolicyPack, e: AppError) -> Result<FormErrors, AppError> {
    let mut errors = FormErrors::default();
    match e {
        AppError::Invalid(d) => {
            let (field, text) = domain_problem(&d);
            errors.add(field, text);
        }
        AppError::NoticeRefused { detail, clause, .. } => {
            let field = if detail.contains("the expiry must be") { "expires_on" } else { clause_field(&clause) };
            errors.add(field, plain(pack, &detail));
        }
        AppError::Forbidden { explanation, .. } => {
            errors.add("recipient", format!("Harbour would refuse this: {}", plain(pack, &explanation)));
        }
        AppError::SharingRefused(m)
        | AppError::Unprocessable(m)
        | AppError::UnknownReference(m)
        | AppError::Conflict(m)
        | AppError::BadRequest(m) => {
            let field = if m.starts_with("entry") {
                "entry"
            } else if m.starts_with("consent") {
                "consent_id"
            } else if m.starts_with("agreement") {
                "agreement"
            } else {
                "recipient"
            };
            errors.add(field, plain(pack, &m));
        }
        other => return Err(other),
    }
    Ok(errors)
}

/// The form's field a refusing clause is about (the clause ids of `Refusal::clause_id` and of
/// Harbour's own sharing rules).
fn clause_field(clause: &str) -> &'static str {
    let part = clause.split_once("/v").and_then(|(_, rest)| rest.split_once('/')).map_or("", |(_, part)| part);
    match part {
        "recipients" => "recipient",
        "purposes" => "purpose",
        "statutes" => "statute",
        "conditions" => "condition",
        "lawful_bases" => "basis",
        "agreement" => "agreement",
        "sharing/without_consent" => "ground",
        "telling_the_family" => "exemption",
        "scope" => "change-notice",
        _ if clause.starts_with("harbour/sharing/consent") => "consent_id",
        _ if clause.ends_with("confidential-address") => "person_fields",
        _ => "entry",
    }
}

/// A domain rule's message against the form's field, in the form's words.
fn domain_problem(d: &DomainError) -> (&'static str, String) {
    let named = |field: &str| {
        DOMAIN_FIELDS
            .iter()
            .find(|(name, _, _)| *name == field)
            .map_or(("recipient", "The answer"), |(_, id, w)| (*id, *w))
    };
    match d {
        DomainError::Empty { field } => {
            let (id, words) = named(field);
            (id, format!("{words}: give an answer"))
        }
        DomainError::TooLong { field, max } => {
            let (id, words) = named(field);
            (id, format!("{words} must be {max} characters or fewer"))
        }
        DomainError::ForbiddenCharacter { field, what, .. } => {
            let (id, words) = named(field);
            (id, format!("{words} contains {what}, which cannot be kept: type it again"))
        }
        DomainError::NothingVisible { field } => {
            let (id, words) = named(field);
            (id, format!("{words} has nothing that shows: write it out"))
        }
        DomainError::DateInFuture { .. } => {
            ("told_when", "The date the family was told must be today or before".into())
        }
        DomainError::ExpiryNotAfterToday { .. } => ("expires_on", "The date access ends must be after today".into()),
        DomainError::ConsentNotCited => ("consent_id", "Tick the recorded consent you rely on".into()),
        DomainError::NothingToShare => {
            ("entry", "Tick at least one entry or detail to share, or say why the whole record is needed".into())
        }
        DomainError::WholeRecordAndItems => {
            ("whole_record", "Either tick entries or say why the whole record is needed, not both".into())
        }
        DomainError::NothingOfEntry { .. } => ("fields", "Choose which parts of each entry to share".into()),
        DomainError::ConfirmedEntryNotShared { .. } => {
            ("entry", "Confirm what Harbour found only for entries you share".into())
        }
        other => ("recipient", crate::pages::sentence(&other.to_string())),
    }
}

/// A refusal as a sentence for the practitioner: without the notice's id, which the page
/// already names, and without the lists of codes the ledger keeps.
fn plain(pack: &PolicyPack, text: &str) -> String {
    let mut out = text.replace(&format!("{}: ", pack.id()), "").replace(&format!("{}: ", pack.pack.short_name), "");
    while let Some(start) = out.find(" ([").or_else(|| out.find(" ({")) {
        let Some(len) = out[start..].find("])").or_else(|| out[start..].find("})")) else { break };
        out.replace_range(start..start + len + 2, "");
    }
    crate::pages::sentence(&out)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WizardQuery {
    /// The notice chosen on the first page.
    notice: Option<String>,
    /// Set by the first page's form, so that Continue with no notice chosen is a problem.
    asked: Option<String>,
    /// The notice chosen before, when the practitioner comes back to change it.
    current: Option<String>,
}

/// The notices a case record can be shared under. A notice for Domestic Homicide Reviews
/// governs no case record, so it is never offered (and its id is not found here).
fn case_notices(state: &AppState) -> impl Iterator<Item = &PolicyPack> {
    state.notices().iter().filter(|p| !p.scope.reviews())
}

fn case_notice<'a>(state: &'a AppState, id: &str) -> Result<&'a PolicyPack, ApiError> {
    case_notices(state)
        .find(|p| p.id() == id.trim())
        .ok_or_else(|| ApiError::not_found("There is no privacy notice with that name for sharing case records."))
}

/// The share wizard: first which notice the sharing falls under, then the form for that
/// notice only (`?notice=<id>`).
async fn wizard(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<WizardQuery>,
) -> Response {
    let Some(notice) = q.notice.as_deref().filter(|n| !n.trim().is_empty()) else {
        let mut errors = FormErrors::default();
        if q.asked.is_some() {
            errors.add("notice", "Choose the privacy notice this sharing falls under");
        }
        let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
        return notice_question(&state, &actor, &id, q.current.as_deref().unwrap_or(""), errors, status).await;
    };
    let pack = match case_notice(&state, notice) {
        Ok(p) => p,
        Err(e) => return message(&state, &actor, e),
    };
    let f = ShareForm {
        notice: pack.id().to_string(),
        // Article 6(1)(e), the public task, is what a council's sharing usually rests on.
        basis: article_6_bases(pack).find(|b| b.article == "6(1)(e)").map(|b| b.article.clone()).unwrap_or_default(),
        fields: vec!["subject".into(), "occurred_at".into()],
        person_fields: vec!["name".into(), "date_of_birth".into()],
        family: "told".into(),
        told_when: actor.now.today().to_string(),
        urgency: "routine".into(),
        ..Default::default()
    };
    render_wizard(&state, &actor, &id, pack, f, StatusCode::OK, Said::Nothing).await
}

/// The person whose information is shared, read as the actor may read it, and only by
/// someone who may do case work on their record.
async fn sharer_of(state: &AppState, actor: &Actor, id: &str) -> Result<harbour_app::people::PersonRecord, ApiError> {
    let pid = crate::pages::person_id(id)?;
    let record = state.person_record(actor, pid).await?;
    may_share(state, actor, id).await?;
    Ok(record)
}

/// Sharing from a record is case work on it: the wizard is for those who may write to the
/// record (who may disclose to whom is then the decision's own check).
async fn may_share(state: &AppState, actor: &Actor, id: &str) -> Result<PersonId, ApiError> {
    let pid = crate::pages::person_id(id)?;
    state.authorize_person(actor, harbour_policy::Action::Write, pid, "sharing.form").await?;
    Ok(pid)
}

/// The first question: which privacy notice the sharing falls under.
async fn notice_question(
    state: &AppState,
    actor: &Actor,
    id: &str,
    current: &str,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let record = match sharer_of(state, actor, id).await {
        Ok(r) => r,
        Err(e) => return message(state, actor, e),
    };
    let notices: Vec<Value> = case_notices(state)
        .map(|p| {
            let classes: Vec<&str> = p
                .record_classes()
                .iter()
                .filter_map(|c| harbour_domain::RecordClass::from_code(c))
                .map(|c| c.label())
                .collect();
            let covers = if classes.is_empty() {
                "Covers every kind of case record.".to_string()
            } else {
                format!("Covers only these records: {}.", classes.join(", "))
            };
            context! { id => p.id(), title => p.pack.title.clone(), covers }
        })
        .collect();
    let ctx = context! { step => "notice", person => record.person, notices, current, errors => errors.value() };
    page(state, actor, status, "share.html", ctx)
}

/// The choices the chosen notice offers the form — its purposes, Article 6 bases,
/// conditions, statutes, grounds for sharing without consent and exemptions from telling the
/// family — and nothing of any other notice.
fn notice_choices(pack: &PolicyPack) -> Value {
    let pairs =
        |v: Vec<(String, String)>| -> Vec<Value> { v.into_iter().map(|(id, text)| context! { id, text }).collect() };
    context! {
        id => pack.id(), title => pack.pack.title.clone(),
        purposes => pairs(pack.purposes.iter().map(|p| (p.id.get_ref().clone(), capital(&p.text))).collect()),
        bases => pairs(article_6_bases(pack).map(|b| (b.article.clone(), format!("Article {} — {}", b.article, b.text))).collect()),
        statutes => pairs(pack.statutes.iter().map(|s| (s.id.get_ref().clone(), s.text.clone())).collect()),
        conditions => pairs(pack.conditions.iter().map(|c| (c.id.get_ref().clone(), format!("Article {} — {}", c.article, c.text))).collect()),
        grounds => pairs(pack.sharing.without_consent.iter().map(|g| (g.id.get_ref().clone(), capital(&g.text))).collect()),
        exemptions => pairs(pack.telling_the_family.exemptions.iter().map(|x| {
            let text = format!("{} (review within {} days)", capital(&x.text), x.review_days);
            (x.id.get_ref().clone(), text)
        }).collect()),
    }
}

/// A notice's phrase as a choice of its own: with a capital letter ("protecting children
/// from abuse and harm" completes a sentence in the notice).
fn capital(text: &str) -> String {
    let mut chars = text.trim().chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The organisations the notice names, under its recipients table's headings (never the
/// actor's own), and the names of those it does not name, which receive nothing under it.
async fn recipient_groups(
    state: &AppState,
    actor: &Actor,
    pack: &PolicyPack,
) -> Result<(Vec<Value>, Vec<String>), ApiError> {
    let mut orgs: Vec<harbour_domain::Organisation> =
        state.organisation_list().await?.into_iter().filter(|o| o.id != actor.user.org_id).collect();
    orgs.sort_by(|a, b| a.name.cmp(&b.name));
    let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
    let mut unnamed = Vec::new();
    let mut first = true;
    for group in &pack.recipients {
        let mut named = Vec::new();
        for org in &orgs {
            if pack.recipient_for(org).is_some_and(|(g, _)| g.id.get_ref() == group.id.get_ref()) {
                let field = if first { "recipient".to_string() } else { format!("recipient-{}", org.id) };
                first = false;
                named.push(context! { id => org.id.to_string(), name => org.name.clone(), field });
            }
        }
        if !named.is_empty() {
            groups.push((group.heading.clone(), named));
        }
    }
    for org in &orgs {
        if pack.recipient_for(org).is_none() {
            unnamed.push(org.name.clone());
        }
    }
    Ok((groups.into_iter().map(|(heading, orgs)| context! { heading, orgs }).collect(), unnamed))
}

/// What the form page says above its questions.
enum Said {
    Nothing,
    /// The answers to put right (or Harbour's refusal), each against its field.
    Problems(FormErrors),
    /// What Harbour would do with the complete form (the Check button without JavaScript).
    Verdict(String),
}

async fn render_wizard(
    state: &AppState,
    actor: &Actor,
    id: &str,
    pack: &PolicyPack,
    f: ShareForm,
    status: StatusCode,
    said: Said,
) -> Response {
    let result = async {
        let record = sharer_of(state, actor, id).await?;
        let pid = record.person.id;
        let entries = state.person_entries(actor, pid).await?;
        let (groups, unnamed) = recipient_groups(state, actor, pack).await?;
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
                    Some(w) => format!("Withdrawn on {}", crate::pages::ukdate(w.withdrawn_on.to_string())),
                    None => "Standing".to_string(),
                };
                context! { id => c.id.to_string(), service => c.service, given_by => c.given_by, given_on => c.given_on.to_string(), state }
            })
            .collect();
        let labelled = |v: Vec<(&str, &str)>| -> Vec<Value> {
            v.into_iter().map(|(code, label)| context! { code, label }).collect()
        };
        let entry_fields = labelled(EntryField::ALL.iter().map(|x| (x.code(), x.label())).collect());
        let person_fields = labelled(PersonField::ALL.iter().map(|x| (x.code(), x.label())).collect());
        let urgencies = labelled(Urgency::ALL.iter().map(|x| (x.code(), x.label())).collect());
        let (errors, verdict) = match said {
            Said::Nothing => (FormErrors::default(), None),
            Said::Problems(errors) => (errors, None),
            Said::Verdict(html) => (FormErrors::default(), Some(Value::from_safe_string(html))),
        };
        Ok::<Value, ApiError>(context! {
            step => "form", person => record.person, notice => notice_choices(pack), groups, unnamed, agreements,
            entries, consents, entry_fields, person_fields, urgencies, f, errors => errors.value(), verdict,
        })
    }
    .await;
    match result {
        Ok(ctx) => page(state, actor, status, "share.html", ctx),
        Err(e) => message(state, actor, e),
    }
}

/// What Harbour would say of a complete form: it would accept it, relying on these clauses.
fn accepted_html(guardian: bool, clauses: &[String]) -> String {
    let then = if guardian {
        "It will wait for the Caldicott Guardian's approval before anything is disclosed."
    } else {
        "It would be disclosed as soon as you record it."
    };
    let items: String = clauses.iter().map(|c| format!("<li>{}</li>", harbour_policy::pack::escape(c))).collect();
    format!(
        "<div class=\"banner\" role=\"status\" id=\"verdict\" tabindex=\"-1\"><p><strong>Harbour would accept this.</strong> \
         {then} Nothing is recorded until you choose \u{201c}Record the decision\u{201d}.</p><p>It relies on:</p>\
         <ul class=\"plain\">{items}</ul></div>"
    )
}

/// The problems, for htmx to put beside the Check button: the same list as the page's error
/// summary, each a link to its field.
fn problems_html(errors: &FormErrors) -> String {
    let items: String = errors
        .iter()
        .map(|(field, text)| format!("<li><a href=\"#{field}\">{}</a></li>", harbour_policy::pack::escape(text)))
        .collect();
    format!(
        "<div class=\"error-summary\" role=\"alert\" id=\"verdict\" tabindex=\"-1\"><h2>There is a problem</h2>\
         <ul class=\"plain\">{items}</ul></div>"
    )
}

/// Whether htmx sent the request (it then takes a fragment, not a page).
fn from_htmx(headers: &HeaderMap) -> bool {
    headers.get("hx-request").is_some_and(|v| v == "true")
}

/// What the system would say, without recording anything (the wizard's "Check" button). With
/// htmx only the verdict comes back, beside the button; without JavaScript the whole page,
/// with every answer kept.
async fn check(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<ShareForm>,
) -> Response {
    let htmx = from_htmx(&headers);
    let fail = |e: ApiError| if htmx { e.into_response() } else { message(&state, &actor, e) };
    if let Err(e) = actor.check_csrf(&f.csrf_token) {
        return fail(e);
    }
    let pack = match case_notice(&state, &f.notice) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    let pid = match may_share(&state, &actor, &id).await {
        Ok(pid) => pid,
        Err(e) => return fail(e),
    };
    let said = match parse_form(pid, pack, &f, actor.now.today()) {
        Err(errors) => Said::Problems(errors),
        Ok(new) => match state.prepare_decision(&actor, new).await {
            Ok(p) => Said::Verdict(accepted_html(p.decision.needs_guardian, &p.decision.clauses)),
            Err(e) => match refusal(pack, e) {
                Ok(errors) => Said::Problems(errors),
                Err(e) => return fail(e.into()),
            },
        },
    };
    if htmx {
        return match said {
            Said::Problems(errors) => Html(problems_html(&errors)).into_response(),
            Said::Verdict(html) => Html(html).into_response(),
            Said::Nothing => StatusCode::NO_CONTENT.into_response(),
        };
    }
    render_wizard(&state, &actor, &id, pack, f, StatusCode::OK, said).await
}

/// Records the decision and goes to it; a form with problems, or one Harbour refuses, comes
/// back with every answer kept and each problem named (422), and nothing is recorded.
async fn submit(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Form(f): Form<ShareForm>,
) -> Response {
    if let Err(e) = actor.check_csrf(&f.csrf_token) {
        return message(&state, &actor, e);
    }
    let pack = match case_notice(&state, &f.notice) {
        Ok(p) => p,
        Err(e) => return message(&state, &actor, e),
    };
    let Ok(pid) = crate::pages::person_id(&id) else {
        return message(&state, &actor, ApiError::not_found("There is no such person."));
    };
    let new = match parse_form(pid, pack, &f, actor.now.today()) {
        Ok(n) => n,
        Err(errors) => {
            return render_wizard(
                &state,
                &actor,
                &id,
                pack,
                f,
                StatusCode::UNPROCESSABLE_ENTITY,
                Said::Problems(errors),
            )
            .await
        }
    };
    match state.decide(&actor, new).await {
        Ok(d) => Redirect::to(&format!("/sharing-decisions/{}?recorded=1", d.id)).into_response(),
        Err(e) => match refusal(pack, e) {
            Ok(errors) => {
                render_wizard(&state, &actor, &id, pack, f, StatusCode::UNPROCESSABLE_ENTITY, Said::Problems(errors))
                    .await
            }
            Err(e) => message(&state, &actor, e),
        },
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DecisionQuery {
    /// Set on the way back from the Guardian's ruling: the page says what it did.
    ruled: Option<u8>,
    /// Set on the way from the share wizard: the page says the decision was recorded.
    recorded: Option<u8>,
}

async fn decision_page(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<DecisionQuery>,
) -> Response {
    let ruled = q.ruled == Some(1);
    let recorded = q.recorded == Some(1);
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
        Ok::<Value, ApiError>(context! { d, recipients => orgs, may_rule, ruled, recorded })
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

    use super::*;

    /// A decision the domain accepts: consent refused, the family told.
    fn decision() -> NewDecision {
        NewDecision {
            notice: "bcp-childrens-services".into(),
            people: vec![PersonId::new()],
            request_id: None,
            recipients: vec![OrgId::new()],
            purpose: "protecting-children".into(),
            basis: "6(1)(e)".into(),
            condition: None,
            statute: "children-acts-1989-2004".into(),
            agreement_id: None,
            entries: vec![DisclosedEntry { entry_id: EntryId::new(), fields: vec![EntryField::Subject] }],
            person_fields: vec![],
            whole_record_justification: None,
            consent: ConsentPosition::Refused { from: "The father".into() },
            without_consent_ground: Some("child-harm".into()),
            family: FamilyPosition::Told {
                who: "The mother".into(),
                when: jiff::civil::date(2026, 11, 7),
                how: "Home visit".into(),
            },
            rationale: Rationale {
                necessary: "n".into(),
                proportionate: "p".into(),
                relevant: "r".into(),
                adequate: "a".into(),
                accurate: "a".into(),
                timely: "t".into(),
                secure: "s".into(),
            },
            urgency: Urgency::Routine,
            expires_on: None,
            confirmed_categories: vec![],
        }
    }

    #[test]
    fn every_text_the_domain_checks_is_named_against_its_own_field_in_words() {
        // Text made only of a zero-width space: the domain refuses it, naming its field.
        const HIDDEN: &str = "\u{200B}";
        type Spoil = fn(&mut NewDecision);
        let cases: [(&str, Spoil); 17] = [
            ("purpose", |d| d.purpose = HIDDEN.into()),
            ("basis", |d| d.basis = HIDDEN.into()),
            ("condition", |d| d.condition = Some(HIDDEN.into())),
            ("statute", |d| d.statute = HIDDEN.into()),
            ("ground", |d| d.without_consent_ground = Some(HIDDEN.into())),
            ("whole_record", |d| {
                d.entries.clear();
                d.whole_record_justification = Some(HIDDEN.into());
            }),
            ("refused_by", |d| d.consent = ConsentPosition::Refused { from: HIDDEN.into() }),
            ("not_sought_why", |d| d.consent = ConsentPosition::NotSought { reason: HIDDEN.into() }),
            ("told_who", |d| {
                d.family = FamilyPosition::Told {
                    who: HIDDEN.into(),
                    when: jiff::civil::date(2026, 11, 7),
                    how: "Visit".into(),
                }
            }),
            ("told_how", |d| {
                d.family = FamilyPosition::Told {
                    who: "Mother".into(),
                    when: jiff::civil::date(2026, 11, 7),
                    how: HIDDEN.into(),
                }
            }),
            ("exemption", |d| {
                d.family = FamilyPosition::Exempt { exemption: HIDDEN.into(), review_on: jiff::civil::date(2027, 1, 7) }
            }),
            ("necessary", |d| d.rationale.necessary = HIDDEN.into()),
            ("proportionate", |d| d.rationale.proportionate = HIDDEN.into()),
            ("relevant", |d| d.rationale.relevant = HIDDEN.into()),
            ("accurate", |d| d.rationale.accurate = HIDDEN.into()),
            ("timely", |d| d.rationale.timely = HIDDEN.into()),
            ("secure", |d| d.rationale.secure = "x".repeat(4001)),
        ];
        let today = jiff::civil::date(2026, 12, 5);
        assert!(decision().validate(today).is_ok());
        for (field, spoil) in cases {
            let mut d = decision();
            spoil(&mut d);
            let err = d.validate(today).unwrap_err();
            let (id, text) = domain_problem(&err);
            assert_eq!(id, field, "{err}");
            assert!(!text.contains("rationale:") && !text.contains("must not be"), "{text}");
            assert!(text.starts_with(char::is_uppercase), "{text}");
        }
    }

    #[test]
    fn dates_are_read_as_the_date_field_sends_them_or_as_people_type_them() {
        let day = Some(jiff::civil::date(2026, 11, 7));
        for typed in ["2026-11-07", "7/11/2026", "7 11 2026", " 07.11.2026 "] {
            assert_eq!(parse_date(typed), day, "{typed}");
        }
        for bad in ["", "31/2/2026", "tomorrow", "2026-13-01", "7/11"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_refusing_clause_points_at_the_field_it_is_about() {
        for (clause, field) in [
            ("bcp-childrens-services/v3/recipients", "recipient"),
            ("bcp-childrens-services/v3/sharing/without_consent", "ground"),
            ("cse-sharing/v2/telling_the_family", "exemption"),
            ("cse-sharing/v2/lawful_bases", "basis"),
            ("cse-sharing/v2/scope", "change-notice"),
            ("harbour/sharing/consent/cse-sharing", "consent_id"),
            ("harbour/sharing/special-category-scan", "entry"),
            ("harbour/sharing/confidential-address", "person_fields"),
        ] {
            assert_eq!(clause_field(clause), field, "{clause}");
        }
    }
}
