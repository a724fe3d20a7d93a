//! The directory's pages: `/organisations` lists the council and its partners (every member of
//! staff may read the directory), and the administrator adds an organisation, changes one, or
//! deletes one that nothing refers to. Each goes through the use cases the API calls, so the
//! same rules, refusals and audit apply.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::Form;
use harbour_app::AppError;
use harbour_domain::{ControllerRole, NewOrganisation, OrgId, OrgKind, Organisation};
use harbour_policy::Action;
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

use crate::auth::Actor;
use crate::error::ApiError;
use crate::pages::{message, page, sentence, FormErrors};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/organisations", get(list).post(create))
        .route("/organisations/new", get(new_form))
        .route("/organisations/{id}", get(edit_form).post(update))
        .route("/organisations/{id}/delete", post(delete))
}

/// What kind an organisation is, in words and without the article: "Police force".
fn kind_words(kind: OrgKind) -> String {
    let label = kind.label();
    let bare = ["a ", "an ", "the "].iter().find_map(|a| label.strip_prefix(a)).unwrap_or(label);
    let mut chars = bare.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// What the list page confirms after a save.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Done {
    created: Option<String>,
    updated: Option<String>,
    deleted: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    actor: Actor,
    done: Result<Query<Done>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let done = done.map(|Query(d)| d).unwrap_or_default();
    let mut orgs = match state.organisations(&actor).await {
        Ok(o) => o,
        Err(e) => return message(&state, &actor, e),
    };
    orgs.sort_by_key(|o| (!o.operator, o.name.to_lowercase()));
    let find = |id: &Option<String>| id.as_deref().and_then(|id| orgs.iter().find(|o| o.id.to_string() == id));
    let done = if let Some(o) = find(&done.created) {
        Some(context! {
            heading => format!("{} added", o.name),
            text => format!("Kind: {}.", kind_words(o.kind)),
        })
    } else if let Some(o) = find(&done.updated) {
        Some(context! { heading => format!("{} saved", o.name), text => "" })
    } else {
        done.deleted.is_some().then(|| context! { heading => "Organisation deleted", text => "" })
    };
    let organisations: Vec<Value> = orgs
        .iter()
        .map(|o| {
            context! {
                id => o.id.to_string(), slug => o.slug.clone(), name => o.name.clone(), kind => kind_words(o.kind),
                controller_role => o.controller_role.label(), charter_signatory => o.charter_signatory,
                operator => o.operator,
            }
        })
        .collect();
    page(&state, &actor, StatusCode::OK, "organisations.html", context! { organisations, done })
}

/// The form as typed, shown again with what is wrong.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct OrgForm {
    #[serde(skip_serializing)]
    csrf_token: String,
    name: String,
    slug: String,
    kind: String,
    controller_role: String,
    /// A checkbox: present ("yes") when ticked.
    charter_signatory: Option<String>,
}

impl OrgForm {
    fn of(o: &Organisation) -> Self {
        OrgForm {
            csrf_token: String::new(),
            name: o.name.clone(),
            slug: o.slug.clone(),
            kind: o.kind.code().into(),
            controller_role: o.controller_role.code().into(),
            charter_signatory: o.charter_signatory.then(|| "yes".into()),
        }
    }
}

/// The organisation being changed: its id and its name as stored.
struct Editing {
    id: OrgId,
    name: String,
}

fn show_form(
    state: &AppState,
    actor: &Actor,
    status: StatusCode,
    editing: Option<&Editing>,
    f: &OrgForm,
    errors: &FormErrors,
) -> Response {
    let mut kinds: Vec<(String, &str)> = OrgKind::ALL.iter().map(|k| (kind_words(*k), k.code())).collect();
    kinds.sort();
    let kinds: Vec<Value> = kinds.into_iter().map(|(label, code)| context! { code, label }).collect();
    let controller_roles: Vec<Value> = ControllerRole::ALL
        .iter()
        .map(|r| context! { code => r.code(), label => r.label(), meaning => r.meaning() })
        .collect();
    let ctx = context! {
        f, kinds, controller_roles, errors => errors.value(),
        org_id => editing.map(|e| e.id.to_string()), current_name => editing.map(|e| e.name.clone()),
    };
    page(state, actor, status, "organisation_form.html", ctx)
}

async fn new_form(State(state): State<AppState>, actor: Actor) -> Response {
    // Only someone who may change the directory gets the form; the use case checks again.
    if let Err(e) = state.authorize_system(&actor, Action::ManageDirectory, "organisation.form").await {
        return message(&state, &actor, e);
    }
    let f = OrgForm { kind: OrgKind::Unclassified.code().into(), ..OrgForm::default() };
    show_form(&state, &actor, StatusCode::OK, None, &f, &FormErrors::default())
}

/// The organisation at `id`, for the administrator to change.
async fn editing(state: &AppState, actor: &Actor, id: &str) -> Result<(Editing, Organisation), ApiError> {
    state.authorize_system(actor, Action::ManageDirectory, "organisation.form").await?;
    let not_found = || ApiError::not_found("There is no such organisation.");
    let id: OrgId = id.parse().map_err(|_| not_found())?;
    let org = state.organisations(actor).await?.into_iter().find(|o| o.id == id).ok_or_else(not_found)?;
    Ok((Editing { id, name: org.name.clone() }, org))
}

async fn edit_form(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> Response {
    match editing(&state, &actor, &id).await {
        Ok((e, org)) => show_form(&state, &actor, StatusCode::OK, Some(&e), &OrgForm::of(&org), &FormErrors::default()),
        Err(e) => message(&state, &actor, e),
    }
}

/// Reads the form: what is missing or not one of the choices offered, and the rule for a
/// short name (the same check the use case makes).
fn read_form(f: &OrgForm) -> Result<NewOrganisation, FormErrors> {
    let mut errors = FormErrors::default();
    if f.name.trim().is_empty() {
        errors.add("name", "Enter the organisation's name.");
    }
    let slug = f.slug.trim();
    if slug.is_empty() {
        errors.add("slug", "Enter a short name.");
    } else if harbour_app::directory::check_slug(slug).is_err() {
        errors.add("slug", "Enter a short name of 2 to 60 characters: lower-case letters, numbers and hyphens.");
    }
    let kind = OrgKind::from_code(f.kind.trim());
    if kind.is_none() {
        errors.add("kind", "Choose what kind of organisation it is.");
    }
    let controller_role = ControllerRole::from_code(f.controller_role.trim());
    if controller_role.is_none() {
        errors.add("controller_role", "Choose whether it is a controller, a processor or both.");
    }
    match (kind, controller_role) {
        (Some(kind), Some(controller_role)) if errors.is_empty() => Ok(NewOrganisation {
            slug: slug.to_string(),
            name: f.name.clone(),
            kind,
            controller_role,
            charter_signatory: f.charter_signatory.is_some(),
        }),
        _ => Err(errors),
    }
}

/// The field a refusal of the use case is about, if it is about one.
fn field_of(e: &AppError, slug: &str) -> Option<(&'static str, String)> {
    match e {
        AppError::BadRequest(_) => {
            Some(("slug", "Enter a short name of 2 to 60 characters: lower-case letters, numbers and hyphens.".into()))
        }
        AppError::Invalid(d) => Some(("name", sentence(&d.to_string()))),
        AppError::Conflict(_) => {
            Some(("slug", format!("Another organisation has the short name {slug}: choose another.")))
        }
        _ => None,
    }
}

/// Saves a new organisation (`editing` is `None`) or the changes to one.
async fn save(state: &AppState, actor: &Actor, editing: Option<Editing>, f: OrgForm) -> Response {
    let new = match read_form(&f) {
        Ok(new) => new,
        Err(errors) => {
            // Only to someone who may change the directory: anyone else is refused, as the use
            // case would refuse them.
            let action = if editing.is_some() { "organisation.update" } else { "organisation.create" };
            if let Err(e) = state.authorize_system(actor, Action::ManageDirectory, action).await {
                return message(state, actor, e);
            }
            return show_form(state, actor, StatusCode::UNPROCESSABLE_ENTITY, editing.as_ref(), &f, &errors);
        }
    };
    let result = match &editing {
        None => state.create_organisation(actor, new).await.map(|o| format!("/organisations?created={}", o.id)),
        Some(e) => {
            state.update_organisation(actor, e.id, new).await.map(|o| format!("/organisations?updated={}", o.id))
        }
    };
    match result {
        Ok(path) => Redirect::to(&path).into_response(),
        Err(e) => match field_of(&e, f.slug.trim()) {
            Some((field, text)) => {
                let mut errors = FormErrors::default();
                errors.add(field, text);
                show_form(state, actor, ApiError::from(e).status(), editing.as_ref(), &f, &errors)
            }
            None => message(state, actor, e),
        },
    }
}

async fn create(State(state): State<AppState>, actor: Actor, Form(f): Form<OrgForm>) -> Response {
    if let Err(e) = actor.check_csrf(&f.csrf_token) {
        return message(&state, &actor, e);
    }
    save(&state, &actor, None, f).await
}

async fn update(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Form(f): Form<OrgForm>,
) -> Response {
    if let Err(e) = actor.check_csrf(&f.csrf_token) {
        return message(&state, &actor, e);
    }
    // The use case decides who may change it; the name is only to head the form again.
    let not_found = || ApiError::not_found("There is no such organisation.");
    let result = async {
        let id: OrgId = id.parse().map_err(|_| not_found())?;
        let org = state.organisation_list().await?.into_iter().find(|o| o.id == id).ok_or_else(not_found)?;
        Ok::<_, ApiError>(Editing { id, name: org.name })
    }
    .await;
    match result {
        Ok(e) => save(&state, &actor, Some(e), f).await,
        Err(e) => message(&state, &actor, e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DeleteForm {
    csrf_token: String,
}

async fn delete(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Form(f): Form<DeleteForm>,
) -> Response {
    if let Err(e) = actor.check_csrf(&f.csrf_token) {
        return message(&state, &actor, e);
    }
    let Ok(org_id) = id.parse::<OrgId>() else {
        return message(&state, &actor, ApiError::not_found("There is no such organisation."));
    };
    match state.delete_organisation(&actor, org_id).await {
        Ok(()) => Redirect::to("/organisations?deleted=1").into_response(),
        // Something refers to it: say what on its page, with the form as it was.
        Err(AppError::Conflict(why)) => match editing(&state, &actor, &id).await {
            Ok((e, org)) => {
                let mut errors = FormErrors::default();
                errors.add("delete", sentence(&why));
                show_form(&state, &actor, StatusCode::CONFLICT, Some(&e), &OrgForm::of(&org), &errors)
            }
            Err(e) => message(&state, &actor, e),
        },
        Err(e) => message(&state, &actor, e),
    }
}
