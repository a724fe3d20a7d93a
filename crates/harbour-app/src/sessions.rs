//! Signing in and out, and finding who holds a session or a bearer token. A sign-in attempt is
//! first reserved against the limits of its username and of its client address in one step in
//! the database, so parallel attempts cannot get more passwords checked than the limit.

use harbour_store::{AuditEvent, LoginLimits, Outcome};

use crate::actor::{digest, new_secret, verify_password};
use crate::{Actor, App, AppError, AppResult, Now};

/// How long a web session lasts: one working day.
pub const SESSION_HOURS: i64 = 10;
/// Failed sign-ins allowed for one username within the throttle window.
pub const MAX_FAILURES: i64 = 5;
/// Failed sign-ins allowed from one client address (whatever the usernames) within the window.
/// Higher than the per-username limit: an office behind one address shares it.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
pub const THROTTLE_MINUTES: i64 = 15;

/// An Argon2id hash of a random string, checked against when the username is unknown.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Kx4aJ6mz2ffcaX7O7tdMEm4Uf3ox5yIu8G0ej5yOe3Q";

/// Why a sign-in did not open a session.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// The username or password is not right (which one is not said).
    #[error("the username or password is not right")]
    Refused,
    #[error("too many failed sign-in attempts; try again in {minutes} minutes")]
    Throttled { minutes: i64 },
    #[error(transparent)]
    Other(#[from] AppError),
}

impl From<harbour_store::StoreError> for SignInError {
    fn from(e: harbour_store::StoreError) -> Self {
        SignInError::Other(e.into())
    }
}

/// A session: the secret for the browser's cookie, and the CSRF token its forms carry.
#[derive(Debug, Clone)]
pub struct SessionCredentials {
    pub actor: Actor,
    pub csrf_token: String,
}

impl App {
    /// Checks the password and opens a session; returns the session's secret (only its digest
    /// is stored). `address` is the client's, as the throttle counts it. Demo accounts
    /// (`*.demo`) sign in only when `demo` is on.
    pub async fn sign_in(
        &self,
        username: &str,
        password: &str,
        address: &str,
        demo: bool,
        now: Now,
    ) -> Result<String, SignInError> {
        let username = username.trim().to_lowercase();
        if harbour_domain::check_username(&username).is_err() {
            // No account can have this name (the rule is public), so there is nothing to check
            // or count, and nothing of it goes into the database.
            return Err(SignInError::Refused);
        }
        let limits = LoginLimits {
            per_username: MAX_FAILURES,
            per_address: MAX_FAILURES_PER_ADDRESS,
            since: now.instant - jiff::SignedDuration::from_mins(THROTTLE_MINUTES),
        };
        if self.store.reserve_login_attempt(&username, address, &limits).await?.is_some() {
            let event = AuditEvent::new("login.throttled", "user").target(&username).outcome(Outcome::Denied);
            self.store.audit(&event).await?;
            return Err(SignInError::Throttled { minutes: THROTTLE_MINUTES });
        }
        let creds = self.store.credentials(&username).await?;
        let demo_account_outside_demo = !demo && username.ends_with(".demo");
        let verified = match &creds {
            Some(c) if c.user.active && !demo_account_outside_demo => {
                c.password_hash.as_deref().is_some_and(|h| verify_password(h, password))
            }
            _ => {
                // Spend the same effort as a real check so timing does not reveal usernames.
                let _ = verify_password(DUMMY_HASH, password);
                false
            }
        };
        let Some(user) = creds.filter(|_| verified).map(|c| c.user) else {
            // The reserved attempt stays recorded: it is the failure.
            let event = AuditEvent::new("login.failed", "user").target(&username).outcome(Outcome::Denied);
            self.store.audit(&event).await?;
            return Err(SignInError::Refused);
        };
        self.store.clear_login_failures(&username).await?;
        let session_id = new_secret();
        let expires = now.instant + jiff::SignedDuration::from_hours(SESSION_HOURS);
        self.store.insert_session(&digest(&session_id), user.id, &new_secret(), expires).await?;
        self.store.audit(&AuditEvent::new("login", "user").by(user.id, user.org_id).target(user.id)).await?;
        Ok(session_id)
    }

    /// Ends a session (if the secret names one) and records the sign-out.
    pub async fn sign_out(&self, actor: &Actor, session_secret: Option<&str>) -> AppResult<()> {
        if let Some(secret) = session_secret {
            self.store.delete_session(&digest(secret)).await?;
        }
        // The session is gone whether or not this is recorded: a sign-out never fails for it.
        let _ = self.store.audit(&AuditEvent::new("logout", "user").by(actor.user.id, actor.user.org_id)).await;
        Ok(())
    }

    /// Who holds this bearer token, if anyone.
    pub async fn token_holder(&self, token: &str, purpose: Option<String>, now: Now) -> AppResult<Option<Actor>> {
        let Some(user) = self.store.user_by_token(&digest(token.trim())).await? else { return Ok(None) };
        let org_kind = self.store.organisation(user.org_id).await?.kind;
        Ok(Some(Actor { user, now, org_kind, purpose }))
    }

    /// Who holds this session, if it is open, with its CSRF token.
    pub async fn session_holder(
        &self,
        session_secret: &str,
        purpose: Option<String>,
        now: Now,
    ) -> AppResult<Option<SessionCredentials>> {
        let Some(s) = self.store.session(&digest(session_secret)).await? else { return Ok(None) };
        let org_kind = self.store.organisation(s.user.org_id).await?.kind;
        Ok(Some(SessionCredentials { actor: Actor { user: s.user, now, org_kind, purpose }, csrf_token: s.csrf_token }))
    }
}
