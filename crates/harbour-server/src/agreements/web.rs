//! The information sharing agreements' pages: `/agreements` lists them and whether each can be
//! relied on today, `/agreements/{id}` shows one, and the data protection officer records a new
//! one with the form at `/agreements/new`. Each goes through the use cases the API calls, so the
//! same rules, refusals and audit apply.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use axum_extra::extract::Form;
use harbour_app::agreements::AgreementView;
use harbour_app::AppError;
use harbour_domain::agreement::LAWFUL_BASES;
use harbour_domain::{AgreementError, AgreementId, DataCategory, DomainError, NewAgreement, OrgId};
use harbour_policy::Action;
use jiff::civil::Date;
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

use crate::auth::Actor;
use crate::error::ApiError;
use crate::pages::{message, page, sentence, FormErrors};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/agreements", get(list).post(create))
        .route("/agreements/new", get(new_form))
        .route("/agreements/{id}", get(show))
}

/// A date as people in the UK write it: "7 November 2024".
fn uk(d: Date) -> String {
    d.strftime("%-d %B %Y").to_string()
}

/// An Article 6 basis in words: "6(1)(e) Public task".
fn basis_words(code: &str) -> String {
    match LAWFUL_BASES.iter().find(|(c, _)| *c == code) {
        Some((c, name)) => format!("{name} — Article {c}"),
        None => code.to_string(),
    }
}

/// An agreement as the pages show it: names, words and UK dates.
fn shown(v: &AgreementView, names: &BTreeMap<OrgId, String>, today: Date) -> Value {
    let a = &v.agreement;
    let status = if v.in_force {
        "In force".to_string()
    } else if today < a.starts_on {
        format!("Not in force yet: starts on {}", uk(a.starts_on))
    } else {
        format!("Not in force: ended on {}", a.ends_on.map(uk).unwrap_or_default())
    };
    let mut parties: Vec<String> = a
        .parties
        .iter()
        .map(|p| names.get(p).cloned().unwrap_or_else(|| "an organisation since deleted".into()))
        .collect();
    parties.sort();
    context! {
        id => a.id.to_string(), reference => a.reference.clone(), title => a.title.clone(), parties,
        purposes => a.purposes.clone(),
        categories => a.categories.iter().map(|c| c.label()).collect::<Vec<_>>(),
        lawful_bases => a.lawful_bases.iter().map(|b| basis_words(b)).collect::<Vec<_>>(),
        starts_on => uk(a.starts_on), ends_on => a.ends_on.map(uk), review_on => uk(a.review_on),
        review_due => v.review_due, in_force => v.in_force, status,
    }
}

async fn names(state: &AppState) -> Result<BTreeMap<OrgId, String>, ApiError> {
    Ok(state.organisation_list().await?.into_iter().map(|o| (o.id, o.name)).collect())
}

async fn list(State(state): State<AppState>, actor: Actor) -> Response {
    let result = async {
        let views = state.agreements(&actor).await?;
        let names = names(&state).await?;
        let today = actor.now.today();
        Ok::<_, ApiError>(views.iter().map(|v| shown(v, &names, today)).collect::<Vec<_>>())
    }
    .await;
    match result {
        Ok(agreements) => page(&state, &actor, StatusCode::OK, "agreements.html", context! { agreements }),
        Err(e) => message(&state, &actor, e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Shown {
    created: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    query: Result<Query<Shown>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let created = query.is_ok_and(|Query(q)| q.created.is_some());
    let result = async {
        let id: AgreementId = id.parse().map_err(|_| ApiError::not_found("There is no such agreement."))?;
        let view = state.agreement(&actor, id).await?;
        Ok::<_, ApiError>(shown(&view, &names(&state).await?, actor.now.today()))
    }
    .await;
    match result {
        Ok(a) => page(&state, &actor, StatusCode::OK, "agreement.html", context! { a, created }),
        Err(e) => message(&state, &actor, e),
    }
}

/// The form as typed, shown again with what is wrong.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct AgreementForm {
    #[serde(skip_serializing)]
    csrf_token: String,
    reference: String,
    title: String,
    parties: Vec<String>,
    /// One purpose a line.
    purposes: String,
    categories: Vec<String>,
    lawful_bases: Vec<String>,
    starts_on: String,
    ends_on: String,
    review_on: String,
}

async fn new_form(State(state): State<AppState>, actor: Actor) -> Response {
    // Only someone who may record agreements gets the form; the use case checks again.
    if let Err(e) = state.authorize_system(&actor, Action::ManageAgreements, "agreement.form").await {
        return message(&state, &actor, e);
    }
    let f = AgreementForm {
        parties: vec![actor.user.org_id.to_string()],
        starts_on: actor.now.today().to_string(),
        ..AgreementForm::default()
    };
    show_form(&state, &actor, StatusCode::OK, &f, &FormErrors::default()).await
}

async fn show_form(
    state: &AppState,
    actor: &Actor,
    status: StatusCode,
    f: &AgreementForm,
    errors: &FormErrors,
) -> Response {
    let mut orgs = match state.organisation_list().await {
        Ok(o) => o,
        Err(e) => return message(state, actor, e),
    };
    orgs.sort_by_key(|o| (!o.operator, o.name.to_lowercase()));
    let organisations: Vec<Value> =
        orgs.iter().map(|o| context! { id => o.id.to_string(), name => o.name.clone() }).collect();
    let categories: Vec<Value> =
        DataCategory::ALL.iter().map(|c| context! { code => c.code(), label => c.label() }).collect();
    let bases: Vec<Value> =
        LAWFUL_BASES.iter().map(|(code, _)| context! { code, label => basis_words(code) }).collect();
    let ctx = context! { f, organisations, categories, bases, errors => errors.value() };
    page(state, actor, status, "agreement_form.html", ctx)
}

/// A date field: `None` when empty, `Err` when it is not a date.
fn date(value: &str) -> Result<Option<Date>, ()> {
    match value.trim() {
        "" => Ok(None),
        v => v.parse().map(Some).map_err(|_| ()),
    }
}

/// Reads the form: what is missing or not one of the choices offered.
fn read_form(f: &AgreementForm) -> Result<NewAgreement, FormErrors> {
    let mut errors = FormErrors::default();
    if f.reference.trim().is_empty() {
        errors.add("reference", "Enter the agreement's reference.");
    }
    if f.title.trim().is_empty() {
        errors.add("title", "Enter the agreement's title.");
    }
    let parties: Vec<OrgId> = f.parties.iter().filter_map(|p| p.parse().ok()).collect();
    if parties.len() != f.parties.len() {
        errors.add("parties", "Choose the parties from the list.");
    } else if parties.is_empty() {
        errors.add("parties", "Tick the organisations that signed the agreement.");
    }
    let purposes: Vec<String> =
        f.purposes.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
    if purposes.is_empty() {
        errors.add("purposes", "Enter what the information is shared for.");
    }
    let categories: Vec<DataCategory> = f.categories.iter().filter_map(|c| DataCategory::from_code(c)).collect();
    if categories.len() != f.categories.len() {
        errors.add("categories", "Choose the kinds of information from the list.");
    } else if categories.is_empty() {
        errors.add("categories", "Tick at least one kind of information the agreement covers.");
    }
    if f.lawful_bases.is_empty() {
        errors.add("lawful_bases", "Tick the lawful basis the agreement relies on.");
    }
    let starts_on = match date(&f.starts_on) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            errors.add("starts_on", "Enter the day the agreement starts.");
            None
        }
        Err(()) => {
            errors.add("starts_on", "The day the agreement starts must be a real date.");
            None
        }
    };
    let ends_on = date(&f.ends_on).unwrap_or_else(|()| {
        errors.add("ends_on", "The day the agreement ends must be a real date, or leave it empty.");
        None
    });
    let review_on = match date(&f.review_on) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            errors.add("review_on", "Enter the day the agreement is to be reviewed by.");
            None
        }
        Err(()) => {
            errors.add("review_on", "The review date must be a real date.");
            None
        }
    };
    match (starts_on, review_on) {
        (Some(starts_on), Some(review_on)) if errors.is_empty() => Ok(NewAgreement {
            reference: f.reference.clone(),
            title: f.title.clone(),
            parties,
            purposes,
            categories,
            lawful_bases: f.lawful_bases.clone(),
            starts_on,
            ends_on,
            review_on,
        }),
        _ => Err(errors),
    }
}

/// The field an agreement's rule is about, and the rule in words.
fn agreement_error(e: &AgreementError) -> (&'static str, String) {
    match e {
        AgreementError::TooFewParties => {
            ("parties", "Tick at least two organisations: an agreement is between two or more parties.".into())
        }
        AgreementError::Missing("purpose") => ("purposes", "Enter what the information is shared for.".into()),
        AgreementError::Missing("data category") => {
            ("categories", "Tick at least one kind of information the agreement covers.".into())
        }
        AgreementError::Missing(_) | AgreementError::UnknownBasis(_) => {
            ("lawful_bases", "Tick the lawful basis the agreement relies on.".into())
        }
        AgreementError::EndsBeforeItStarts { starts, ends } => {
            ("ends_on", format!("The agreement cannot end on {}, before it starts on {}.", uk(*ends), uk(*starts)))
        }
        AgreementError::ReviewOutsideTerm { .. } => {
            ("review_on", "The review date must fall between the day the agreement starts and the day it ends.".into())
        }
        AgreementError::Invalid(d) => {
            let field = match d {
                DomainError::Empty { field }
                | DomainError::TooLong { field, .. }
                | DomainError::ForbiddenCharacter { field, .. }
                | DomainError::NothingVisible { field } => *field,
                _ => "",
            };
            let id = match field {
                "title" => "title",
                "purpose" => "purposes",
                _ => "reference",
            };
            (id, sentence(&d.to_string()))
        }
        other => ("reference", sentence(&other.to_string())),
    }
}

/// The form again with what is wrong with it, to whoever may record an agreement: anyone else
/// is refused, as the use case would refuse them.
async fn form_again(state: &AppState, actor: &Actor, f: &AgreementForm, errors: &FormErrors) -> Response {
    if let Err(e) = state.authorize_system(actor, Action::ManageAgreements, "agreement.create").await {
        return message(state, actor, e);
    }
    show_form(state, actor, StatusCode::UNPROCESSABLE_ENTITY, f, errors).await
}

async fn create(State(state): State<AppState>, actor: Actor, Form(f): Form<AgreementForm>) -> Response {
    if let Err(e) = actor.check_csrf(&f.csrf_token) {
        return message(&state, &actor, e);
    }
    let new = match read_form(&f) {
        Ok(new) => new,
        Err(errors) => return form_again(&state, &actor, &f, &errors).await,
    };
    // The agreement's own rules, checked as the use case checks them, to say which field a
    // refusal is about; the use case checks them again when it records the agreement.
    if let Err(e) = new.clone().validate() {
        let (field, text) = agreement_error(&e);
        let mut errors = FormErrors::default();
        errors.add(field, text);
        return form_again(&state, &actor, &f, &errors).await;
    }
    match state.create_agreement(&actor, new).await {
        Ok(view) => Redirect::to(&format!("/agreements/{}?created=1", view.agreement.id)).into_response(),
        Err(e @ (AppError::UnknownReference(_) | AppError::Conflict(_))) => {
            let mut errors = FormErrors::default();
            match &e {
                AppError::Conflict(_) => {
                    errors.add("reference", "An agreement with this reference is already recorded.")
                }
                _ => errors.add("parties", "Choose the parties from the list: one of them no longer exists."),
            }
            show_form(&state, &actor, ApiError::from(e).status(), &f, &errors).await
        }
        Err(e) => message(&state, &actor, e),
    }
}
