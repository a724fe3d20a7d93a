//! The staff accounts pages: `/users` lists every account (to the administrator and the data
//! protection officer), `/users/new` is the administrator's form to create one, and the data
//! protection officer approves or refuses an account waiting for a second person from the list.
//! Each goes through the use cases the API calls, so the same rules, refusals and audit apply:
//! an administrator cannot approve any account, their own or one they asked for.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::Form;
use harbour_app::accounts::NewUser;
use harbour_app::AppError;
use harbour_domain::{DomainError, Role, TeamId, User, UserId};
use harbour_policy::Action;
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

use crate::auth::Actor;
use crate::error::ApiError;
use crate::pages::{message, page, sentence, FormErrors};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users", get(list).post(create))
        .route("/users/new", get(new_form))
        .route("/users/{id}/{decision}", post(decide))
}

/// What the list page confirms after a save: the account created, approved or refused.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Done {
    created: Option<String>,
    approved: Option<String>,
    refused: Option<String>,
}

/// The roles whose accounts wait for the data protection officer, in words.
fn approval_roles() -> String {
    let roles: Vec<&str> = Role::ALL.into_iter().filter(|r| r.reads_records()).map(Role::label).collect();
    match roles.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => roles.concat(),
    }
}

#[derive(Serialize)]
struct Line {
    id: String,
    display_name: String,
    username: String,
    role: &'static str,
    organisation: String,
    team: Option<String>,
    status: &'static str,
    status_class: &'static str,
    awaiting: bool,
}

fn status(u: &User) -> (&'static str, &'static str) {
    if u.awaiting_approval {
        ("Awaiting approval", "waiting")
    } else if u.active {
        ("Active", "open")
    } else {
        ("Cannot sign in", "closed")
    }
}

async fn list(
    State(state): State<AppState>,
    actor: Actor,
    done: Result<Query<Done>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let done = done.map(|Query(d)| d).unwrap_or_default();
    let result = async {
        let users = state.accounts(&actor).await?;
        let orgs: BTreeMap<_, _> = state.organisation_list().await?.into_iter().map(|o| (o.id, o.name)).collect();
        let teams = state.team_names().await?;
        Ok::<_, ApiError>((users, orgs, teams))
    }
    .await;
    let (mut users, orgs, teams) = match result {
        Ok(x) => x,
        Err(e) => return message(&state, &actor, e),
    };
    users.sort_by_key(|u| (!u.awaiting_approval, u.display_name.to_lowercase()));
    let find = |id: &Option<String>| id.as_deref().and_then(|id| users.iter().find(|u| u.id.to_string() == id));
    let done = if let Some(u) = find(&done.created) {
        let text = if u.awaiting_approval {
            "It cannot be used until the data protection officer approves it.".to_string()
        } else {
            "It can be used now.".to_string()
        };
        Some(context! { heading => format!("Account created for {} ({})", u.display_name, u.username), text })
    } else if let Some(u) = find(&done.approved) {
        Some(context! {
            heading => format!("{}'s account is approved", u.display_name),
            text => "They can sign in now.",
        })
    } else {
        find(&done.refused).map(|u| {
            context! {
                heading => format!("{}'s account is refused", u.display_name),
                text => "It stays closed: they cannot sign in.",
            }
        })
    };
    let waiting = users.iter().filter(|u| u.awaiting_approval).count();
    let lines: Vec<Line> = users
        .iter()
        .map(|u| {
            let (status, status_class) = status(u);
            Line {
                id: u.id.to_string(),
                display_name: u.display_name.clone(),
                username: u.username.clone(),
                role: u.role.label(),
                organisation: orgs.get(&u.org_id).cloned().unwrap_or_default(),
                team: u.team_id.and_then(|t| teams.get(&t).cloned()),
                status,
                status_class,
                awaiting: u.awaiting_approval,
            }
        })
        .collect();
    let ctx = context! { users => lines, waiting, done, approval_roles => approval_roles() };
    page(&state, &actor, StatusCode::OK, "users.html", ctx)
}

/// The form as typed, shown again with what is wrong (never the password).
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct UserForm {
    #[serde(skip_serializing)]
    csrf_token: String,
    display_name: String,
    username: String,
    organisation: String,
    team: String,
    role: String,
    #[serde(skip_serializing)]
    password: String,
}

async fn new_form(State(state): State<AppState>, actor: Actor) -> Response {
    // Only someone who may create accounts gets the form; the use case checks again on saving.
    if let Err(e) = state.authorize_system(&actor, Action::ManageUsers, "user.form").await {
        return message(&state, &actor, e);
    }
    show_form(&state, &actor, StatusCode::OK, &UserForm::default(), &FormErrors::default()).await
}

async fn show_form(state: &AppState, actor: &Actor, status: StatusCode, f: &UserForm, errors: &FormErrors) -> Response {
    let result = async {
        let mut orgs = state.organisations(actor).await?;
        // The council's children's services first: most accounts are its staff.
        orgs.sort_by_key(|o| (!o.operator, o.name.to_lowercase()));
        let teams = state.teams(actor).await?;
        let groups: Vec<Value> = orgs
            .iter()
            .filter_map(|o| {
                let mut ts: Vec<_> = teams.iter().filter(|t| t.org_id == o.id).collect();
                ts.sort_by_key(|t| t.name.to_lowercase());
                let ts: Vec<Value> =
                    ts.iter().map(|t| context! { id => t.id.to_string(), name => t.name.clone() }).collect();
                (!ts.is_empty()).then(|| context! { organisation => o.name.clone(), teams => ts })
            })
            .collect();
        let organisations: Vec<Value> =
            orgs.iter().map(|o| context! { slug => o.slug.clone(), name => o.name.clone() }).collect();
        Ok::<_, ApiError>((organisations, groups))
    }
    .await;
    let (organisations, teams) = match result {
        Ok(x) => x,
        Err(e) => return message(state, actor, e),
    };
    let roles: Vec<Value> = Role::ALL.iter().map(|r| context! { code => r.code(), label => r.label() }).collect();
    let ctx = context! {
        f, organisations, teams, roles, errors => errors.value(), approval_roles => approval_roles(),
    };
    page(state, actor, status, "user_form.html", ctx)
}

/// Reads the form: what is missing or not one of the choices offered, and the username and
/// password rules every account follows (the same checks the use case makes).
fn read_form(f: &UserForm) -> Result<NewUser, FormErrors> {
    let mut errors = FormErrors::default();
    if f.display_name.trim().is_empty() {
        errors.add("display_name", "Enter their full name.");
    }
    let username = f.username.trim();
    if username.is_empty() {
        errors.add("username", "Enter a username.");
    } else if harbour_domain::check_username(username).is_err() {
        errors.add(
            "username",
            "Enter a username of 2 to 50 characters: lower-case letters a to z, numbers, full stops, hyphens and underscores.",
        );
    }
    if f.organisation.trim().is_empty() {
        errors.add("organisation", "Choose the organisation they work for.");
    }
    let team = match f.team.trim() {
        "" => None,
        t => match t.parse::<TeamId>() {
            Ok(t) => Some(t),
            Err(_) => {
                errors.add("team", "Choose a team from the list.");
                None
            }
        },
    };
    let role = match f.role.trim() {
        "" => {
            errors.add("role", "Choose their role.");
            None
        }
        r => {
            let role = Role::from_code(r);
            if role.is_none() {
                errors.add("role", "Choose a role from the list.");
            }
            role
        }
    };
    let password = (!f.password.is_empty()).then(|| f.password.clone());
    if let Some(p) = &password {
        if let Err(e) = harbour_domain::check_password(p) {
            errors.add("password", sentence(&e.to_string()));
        }
    }
    match role {
        Some(role) if errors.is_empty() => Ok(NewUser {
            username: username.to_string(),
            display_name: f.display_name.clone(),
            organisation: f.organisation.trim().to_string(),
            team_id: team,
            role,
            password,
        }),
        _ => Err(errors),
    }
}

/// The field a refusal of the use case is about, if it is about one.
fn field_of(e: &AppError) -> Option<(&'static str, String)> {
    match e {
        AppError::Invalid(d) => {
            let field = match d {
                DomainError::InvalidUsername { .. } => "username",
                DomainError::PasswordTooShort { .. } => "password",
                DomainError::RoleDoesNotFit { .. } => "role",
                _ => "display_name",
            };
            Some((field, sentence(&d.to_string())))
        }
        AppError::UnknownReference(m) if m.starts_with("team") => {
            Some(("team", "Choose a team of the organisation chosen, or no team.".into()))
        }
        AppError::UnknownReference(_) => Some(("organisation", "Choose an organisation from the list.".into())),
        AppError::Conflict(_) => Some(("username", "That username is taken: choose another.".into())),
        _ => None,
    }
}

async fn create(State(state): State<AppState>, actor: Actor, Form(f): Form<UserForm>) -> Response {
    if let Err(e) = actor.check_csrf(&f.csrf_token) {
        return message(&state, &actor, e);
    }
    let new = match read_form(&f) {
        Ok(new) => new,
        Err(errors) => {
            // Only to someone who may create accounts: anyone else is refused, as the use case
            // would refuse them.
            if let Err(e) = state.authorize_system(&actor, Action::ManageUsers, "user.create").await {
                return message(&state, &actor, e);
            }
            return show_form(&state, &actor, StatusCode::UNPROCESSABLE_ENTITY, &f, &errors).await;
        }
    };
    match state.create_account(&actor, new).await {
        Ok(user) => Redirect::to(&format!("/users?created={}", user.id)).into_response(),
        Err(e) => match field_of(&e) {
            Some((field, text)) => {
                let status = ApiError::from(e).status();
                let mut errors = FormErrors::default();
                errors.add(field, text);
                show_form(&state, &actor, status, &f, &errors).await
            }
            None => message(&state, &actor, e),
        },
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DecisionForm {
    csrf_token: String,
}

/// The data protection officer approves or refuses an account waiting for a second person.
async fn decide(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, decision)): Path<(String, String)>,
    Form(f): Form<DecisionForm>,
) -> Response {
    if let Err(e) = actor.check_csrf(&f.csrf_token) {
        return message(&state, &actor, e);
    }
    let (Ok(id), Some(approve)) = (
        id.parse::<UserId>(),
        match decision.as_str() {
            "approve" => Some(true),
            "reject" => Some(false),
            _ => None,
        },
    ) else {
        return message(&state, &actor, ApiError::not_found("There is no page at this address."));
    };
    match state.decide_account(&actor, id, approve).await {
        Ok(user) => {
            let done = if approve { "approved" } else { "refused" };
            Redirect::to(&format!("/users?{done}={}", user.id)).into_response()
        }
        // The refusal in plain words: the rule is the use case's (and the authorizer's).
        Err(AppError::Forbidden { policy_ids, .. }) => {
            let explanation = "You cannot approve or refuse this account. A second person decides each account \
                that can read records — the data protection officer, and never the person who asked for it — \
                so that nobody can give themselves or anyone else access alone."
                .to_string();
            message(&state, &actor, AppError::Forbidden { explanation, policy_ids })
        }
        Err(AppError::Conflict(_)) => message(
            &state,
            &actor,
            AppError::Conflict("This account is not waiting for approval: it has already been decided.".into()),
        ),
        Err(e) => message(&state, &actor, e),
    }
}
