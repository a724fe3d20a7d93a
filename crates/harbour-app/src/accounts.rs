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

use harbour_domain::{Organisation, Role, TeamId, User, UserId};
use harbour_policy::Action;
use serde::Deserialize;
use utoipa::ToSchema;

use harbour_store::{AuditEvent, Store};

use crate::actor::{digest, hash_password, new_token};
use crate::error::{AppError, AppResult};
use crate::Actor;
use crate::App;

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
    pub async fn accounts(&self, actor: &Actor) -> AppResult<Vec<User>> {
        let may = [Action::ManageUsers, Action::ApproveAccounts].into_iter().any(|a| self.may(actor, a));
        if !may {
            self.authorize_system(actor, Action::ManageUsers, "user.list").await?;
        }
        Ok(self.store.users().await?)
    }

    /// Creates an account; one that can read records waits for the data protection officer.
    pub async fn create_account(&self, actor: &Actor, new: NewUser) -> AppResult<User> {
        let decision = self.authorize_system(actor, Action::ManageUsers, "user.create").await?;
        let org =
            self.store.organisation_by_slug(&new.organisation).await.map_err(|_| {
                AppError::UnknownReference(format!("organisation {:?} does not exist", new.organisation))
            })?;
        let awaiting = new.role.reads_records();
        let (user, hash) = account(&self.store, new, &org, awaiting).await?;
        let event = self.event(actor, "user.create", "user", &decision).target(user.id);
        self.store.insert_user(&user, hash.as_deref(), &event).await?;
        Ok(user)
    }

    /// The data protection officer approves (activates) or refuses an account waiting for it.
    /// Nobody approves an account they asked for.
    pub async fn decide_account(&self, actor: &Actor, id: UserId, approve: bool) -> AppResult<User> {
        let action = if approve { "user.approve" } else { "user.reject" };
        let decision = self.authorize_system(actor, Action::ApproveAccounts, action).await?;
        let mut user = self.store.user(id).await?;
        if !user.awaiting_approval {
            return Err(AppError::Conflict(format!("account {} is not waiting for approval", user.username)));
        }
        if self.store.approval_requested_by(id).await? == Some(actor.user.id) {
            return Err(AppError::Forbidden {
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

/// The one way an account is made, whoever asks: the username and password rules, the display
/// name, the role fitting the organisation and the team belonging to it. Returns the account
/// and its password's hash. `awaiting` accounts are inactive until approved.
async fn account(store: &Store, new: NewUser, org: &Organisation, awaiting: bool) -> AppResult<(User, Option<String>)> {
    harbour_domain::check_username(&new.username)?;
    if let Some(password) = &new.password {
        harbour_domain::check_password(password)?;
    }
    if let Some(team) = new.team_id {
        let teams = store.teams().await?;
        if !teams.iter().any(|t| t.id == team && t.org_id == org.id) {
            return Err(AppError::UnknownReference(format!("team {team} is not a team of {}", org.slug)));
        }
    }
    let user = new_user(&new.username, &new.display_name, org, new.team_id, new.role, awaiting)?;
    Ok((user, new.password.as_deref().map(hash_password)))
}

/// An account as the rule makes it: a username of the allowed characters, a display name, a
/// role that fits the organisation. Every account is made through here: by an administrator
/// (the API), the installer (the command line) and the demo data set.
pub(crate) fn new_user(
    username: &str,
    display_name: &str,
    org: &Organisation,
    team_id: Option<harbour_domain::TeamId>,
    role: Role,
    awaiting: bool,
) -> AppResult<User> {
    harbour_domain::check_username(username)?;
    role.fits(org)?;
    Ok(User {
        id: UserId::new(),
        username: username.to_string(),
        display_name: harbour_domain::required_text("display name", display_name, 100)?,
        org_id: org.id,
        team_id,
        role,
        active: !awaiting,
        awaiting_approval: awaiting,
    })
}

/// Adds an account from the command line. The command line is the installer's (it needs the
/// data directory and its keys), so the account needs no second person; every other rule of
/// [`App::create_account`] applies. `team` is a team's name in the organisation.
pub async fn install_account(
    store: &Store,
    username: &str,
    display_name: &str,
    organisation: &str,
    team: Option<&str>,
    role: Role,
    password: Option<String>,
) -> AppResult<(User, Organisation)> {
    let org = store
        .organisation_by_slug(organisation)
        .await
        .map_err(|_| AppError::UnknownReference(format!("no organisation {organisation:?}")))?;
    let team_id = match team {
        None => None,
        Some(name) => Some(
            store
                .teams()
                .await?
                .into_iter()
                .find(|t| t.org_id == org.id && t.name.eq_ignore_ascii_case(name))
                .ok_or_else(|| AppError::UnknownReference(format!("{} has no team {name:?}", org.slug)))?
                .id,
        ),
    };
    let new = NewUser {
        username: username.to_string(),
        display_name: display_name.to_string(),
        organisation: organisation.to_string(),
        team_id,
        role,
        password,
    };
    let (user, hash) = account(store, new, &org, false).await?;
    let event = AuditEvent::new("user.create", "user").target(user.id);
    store.insert_user(&user, hash.as_deref(), &event).await?;
    Ok((user, org))
}

/// Issues an API bearer token for an account from the command line; returns it (shown once,
/// only its digest is stored).
pub async fn issue_token(store: &Store, user: &User) -> AppResult<String> {
    let token = new_token();
    let event = AuditEvent::new("token.issue", "user").target(user.id);
    store.insert_token(user.id, &digest(&token), &event).await?;
    Ok(token)
}
