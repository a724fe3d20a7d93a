//! Staff accounts (issue 12: an administrator could give themselves access). An account's
//! role must fit its organisation: the council's roles only in the council's children's
//! services (the organisation that runs Harbour), partner roles only in partner organisations,
//! the review panel only in a community safety partnership. An account whose role can read
//! records is created inactive and waits for a second person, the data protection officer, to
//! approve it; both steps are in the ledger. Neither the administrator nor the officer can do
//! it alone: administrators cannot approve, and the officer cannot create accounts.
//!
//! There is no way to change an account's role: a different role is a new account, under the
//! same rules.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use harbour_domain::{Role, TeamId, User, UserId};
use harbour_policy::{Action, Resource};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::api::{ApiJson, ApiPath, Created};
use crate::auth::{hash_password, Actor};
use crate::error::{ApiError, ApiResult, Problem};
use crate::{App, AppState};

/// A new staff account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    /// 2–50 characters of a–z, 0–9, '.', '_' and '-'.
    #[schema(pattern = "^[a-z0-9._-]{2,50}$")]
    pub username: String,
    #[schema(max_length = 100)]
    pub display_name: String,
    /// The organisation's slug.
    pub organisation: String,
    pub team_id: Option<TeamId>,
    pub role: Role,
    /// At least 12 characters; without one the account can use only API tokens.
    #[schema(min_length = 12)]
    pub password: Option<String>,
}

impl App {
    /// The staff accounts, to an administrator or the data protection officer.
    pub async fn accounts(&self, actor: &Actor) -> ApiResult<Vec<User>> {
        let principal = actor.principal();
        let may = [Action::ManageUsers, Action::ApproveAccounts]
            .into_iter()
            .any(|a| self.authz.decide(&principal, a, &Resource::System).allowed);
        if !may {
            self.authorize_system(actor, Action::ManageUsers, "user.list").await?;
        }
        Ok(self.store.users().await?)
    }

    /// Creates an account; one that can read records waits for the data protection officer.
    pub async fn create_account(&self, actor: &Actor, new: NewUser) -> ApiResult<User> {
        let decision = self.authorize_system(actor, Action::ManageUsers, "user.create").await?;
        harbour_domain::check_username(&new.username)?;
        if let Some(password) = &new.password {
            harbour_domain::check_password(password)?;
        }
        let org =
            self.store.organisation_by_slug(&new.organisation).await.map_err(|_| {
                ApiError::UnknownReference(format!("organisation {:?} does not exist", new.organisation))
            })?;
        new.role.fits(&org)?;
        if let Some(team) = new.team_id {
            let teams = self.store.teams().await?;
            if !teams.iter().any(|t| t.id == team && t.org_id == org.id) {
                return Err(ApiError::UnknownReference(format!("team {team} is not a team of {}", org.slug)));
            }
        }
        let awaiting = new.role.reads_records();
        let user = User {
            id: UserId::new(),
            username: new.username,
            display_name: harbour_domain::required_text("display name", &new.display_name, 100)?,
            org_id: org.id,
            team_id: new.team_id,
            role: new.role,
            active: !awaiting,
            awaiting_approval: awaiting,
        };
        let hash = new.password.as_deref().map(hash_password);
        let event = self.event(actor, "user.create", "user", &decision).target(user.id);
        self.store.insert_user(&user, hash.as_deref(), &event).await?;
        Ok(user)
    }

    /// The data protection officer approves (activates) or refuses an account waiting for it.
    /// Nobody approves an account they asked for.
    pub async fn decide_account(&self, actor: &Actor, id: UserId, approve: bool) -> ApiResult<User> {
        let action = if approve { "user.approve" } else { "user.reject" };
        let decision = self.authorize_system(actor, Action::ApproveAccounts, action).await?;
        let mut user = self.store.user(id).await?;
        if !user.awaiting_approval {
            return Err(ApiError::Conflict(format!("account {} is not waiting for approval", user.username)));
        }
        if self.store.approval_requested_by(id).await? == Some(actor.user.id) {
            return Err(ApiError::Forbidden {
                explanation: "refused: a second person approves an account, not the one who asked for it".into(),
                policy_ids: Vec::new(),
            });
        }
        let event = self.event(actor, action, "user", &decision).target(id);
        self.store.decide_approval(id, actor.user.id, approve, &event).await?;
        user.awaiting_approval = false;
        user.active = approve;
        Ok(user)
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users", get(list_users).post(create_user))
        .route("/users/{id}/approve", post(approve_user))
        .route("/users/{id}/reject", post(reject_user))
}

#[utoipa::path(get, path = "/api/v1/users", tag = "accounts",
    responses((status = 200, body = Vec<User>, description = "to administrators and the data protection officer"),
        (status = 403, body = Problem)))]
pub async fn list_users(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Vec<User>>> {
    Ok(Json(state.accounts(&actor).await?))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", request_body = NewUser,
    responses((status = 201, body = User,
        description = "created; an account whose role can read records is inactive (`awaiting_approval`) until the data protection officer approves it"),
        (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_user(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(new): ApiJson<NewUser>,
) -> ApiResult<Created<User>> {
    Ok((StatusCode::CREATED, Json(state.create_account(&actor, new).await?)))
}

#[utoipa::path(post, path = "/api/v1/users/{id}/approve", tag = "accounts", params(("id" = UserId, Path)),
    responses((status = 200, body = User, description = "approved: the account can sign in"),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn approve_user(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<UserId>,
) -> ApiResult<Json<User>> {
    Ok(Json(state.decide_account(&actor, id, true).await?))
}

#[utoipa::path(post, path = "/api/v1/users/{id}/reject", tag = "accounts", params(("id" = UserId, Path)),
    responses((status = 200, body = User, description = "refused: the account stays inactive"),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn reject_user(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<UserId>,
) -> ApiResult<Json<User>> {
    Ok(Json(state.decide_account(&actor, id, false).await?))
}
