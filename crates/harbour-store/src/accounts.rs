//! Organisations, teams, staff accounts, API tokens, web sessions and failed logins.
//! Secrets are stored only as hashes: Argon2 for passwords (hashed by the caller), SHA-256
//! for high-entropy random tokens and session ids.

use harbour_domain::{ControllerRole, OrgId, OrgKind, Organisation, Role, Team, TeamId, User, UserId};
use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::AuditEvent;
use crate::{time, Store, StoreError};

/// A user with their stored password hash, for checking a login.
pub struct UserCredentials {
    pub user: User,
    pub password_hash: Option<String>,
}

/// How many failed sign-ins are allowed, and since when they count.
#[derive(Debug, Clone, Copy)]
pub struct LoginLimits {
    pub per_username: i64,
    pub per_address: i64,
    pub since: Timestamp,
}

/// Which limit refused a sign-in attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginThrottled {
    Username,
    Address,
}

/// A live web session.
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: Timestamp,
}

const USER_COLUMNS: &str = "id, username, display_name, org_id, team_id, role, active, awaiting_approval";

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("unknown {what} {value:?}"))
}

pub(crate) fn parse_id<T: std::str::FromStr>(s: &str) -> Result<T, StoreError> {
    s.parse().map_err(|_| StoreError::Corrupt(format!("bad id {s:?}")))
}

fn org_from_row(r: &AnyRow) -> Result<Organisation, StoreError> {
    let kind: String = r.try_get("kind")?;
    let kind = OrgKind::from_code(&kind).ok_or_else(|| corrupt("organisation kind", &kind))?;
    let role: String = r.try_get("controller_role")?;
    Ok(Organisation {
        id: parse_id(&r.try_get::<String, _>("id")?)?,
        slug: r.try_get("slug")?,
        name: r.try_get("name")?,
        kind,
        category: kind.category(),
        controller_role: ControllerRole::from_code(&role).ok_or_else(|| corrupt("controller role", &role))?,
        charter_signatory: r.try_get::<i64, _>("charter_signatory")? != 0,
        operator: r.try_get::<i64, _>("operator")? != 0,
    })
}

fn user_from_row(r: &AnyRow) -> Result<User, StoreError> {
    let role: String = r.try_get("role")?;
    let team: Option<String> = r.try_get("team_id")?;
    Ok(User {
        id: parse_id(&r.try_get::<String, _>("id")?)?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        org_id: parse_id(&r.try_get::<String, _>("org_id")?)?,
        team_id: team.as_deref().map(parse_id).transpose()?,
        role: Role::from_code(&role).ok_or_else(|| corrupt("role", &role))?,
        active: r.try_get::<i64, _>("active")? != 0,
        awaiting_approval: r.try_get::<i64, _>("awaiting_approval")? != 0,
    })
}

impl Store {
    pub async fn insert_organisation(&self, org: &Organisation, audit_event: &AuditEvent) -> Result<(), StoreError> {
        let insert = sqlx::query(
            "INSERT INTO organisations (id, slug, name, kind, category, controller_role, charter_signatory, operator, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(org.id.to_string())
        .bind(&org.slug)
        .bind(&org.name)
        .bind(org.kind.code())
        .bind(org.kind.category().code())
        .bind(org.controller_role.code())
        .bind(i64::from(org.charter_signatory))
        .bind(i64::from(org.operator))
        .bind(time::now());
        self.execute_audited(insert, audit_event).await
    }

    /// Changes an organisation's name, slug, kind (and so category), role and charter status.
    pub async fn update_organisation(&self, org: &Organisation, audit_event: &AuditEvent) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "UPDATE organisations SET slug = $1, name = $2, kind = $3, category = $4, controller_role = $5, \
             charter_signatory = $6 WHERE id = $7",
        )
        .bind(&org.slug)
        .bind(&org.name)
        .bind(org.kind.code())
        .bind(org.kind.category().code())
        .bind(org.controller_role.code())
        .bind(i64::from(org.charter_signatory))
        .bind(org.id.to_string())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::not_found("organisation", org.id));
        }
        tx.audit(audit_event).await?;
        tx.commit().await
    }

    /// Deletes an organisation nothing refers to: no staff, teams, agreements, sharing,
    /// notifications, requests, or entries it is the source of.
    pub async fn delete_organisation(&self, id: OrgId, audit_event: &AuditEvent) -> Result<(), StoreError> {
        let id_s = id.to_string();
        let mut tx = self.write().await?;
        for (table, column, what) in [
            ("users", "org_id", "staff accounts"),
            ("teams", "org_id", "teams"),
            ("agreement_parties", "org_id", "information sharing agreements"),
            ("decision_recipients", "org_id", "sharing decisions"),
            ("disclosures", "org_id", "disclosures"),
            ("da_notifications", "police_org", "domestic abuse notifications"),
            ("da_notification_children", "school_id", "domestic abuse notifications"),
            ("information_requests", "from_org", "information requests"),
            ("entries", "source_id", "case record entries (as their source)"),
        ] {
            let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE {column} = $1"))
                .bind(&id_s)
                .fetch_one(&mut *tx)
                .await?;
            if n > 0 {
                return Err(StoreError::Conflict(format!(
                    "the organisation is referred to by {n} {what}; it cannot be deleted (its history must stay readable)"
                )));
            }
        }
        // Consents name the organisations they let the council share with.
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM consents WHERE share_with LIKE $1")
            .bind(format!("%{id_s}%"))
            .fetch_one(&mut *tx)
            .await?;
        if n > 0 {
            return Err(StoreError::Conflict(format!(
                "the organisation is named by {n} consents; it cannot be deleted (what people agreed to must stay readable)"
            )));
        }
        let done = sqlx::query("DELETE FROM organisations WHERE id = $1").bind(&id_s).execute(&mut *tx).await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::not_found("organisation", id));
        }
        tx.audit(audit_event).await?;
        tx.commit().await
    }

    pub async fn organisations(&self) -> Result<Vec<Organisation>, StoreError> {
        let rows = sqlx::query("SELECT * FROM organisations ORDER BY category, name").fetch_all(&self.pool).await?;
        rows.iter().map(org_from_row).collect()
    }

    pub async fn organisation(&self, id: OrgId) -> Result<Organisation, StoreError> {
        let row = sqlx::query("SELECT * FROM organisations WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found("organisation", id))?;
        org_from_row(&row)
    }

    pub async fn organisation_by_slug(&self, slug: &str) -> Result<Organisation, StoreError> {
        let row = sqlx::query("SELECT * FROM organisations WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found("organisation", slug))?;
        org_from_row(&row)
    }

    pub async fn insert_team(&self, team: &Team) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO teams (id, org_id, name) VALUES ($1, $2, $3)")
            .bind(team.id.to_string())
            .bind(team.org_id.to_string())
            .bind(&team.name)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn teams(&self) -> Result<Vec<Team>, StoreError> {
        let rows = sqlx::query("SELECT id, org_id, name FROM teams ORDER BY name").fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(Team {
                    id: parse_id(&r.try_get::<String, _>("id")?)?,
                    org_id: parse_id(&r.try_get::<String, _>("org_id")?)?,
                    name: r.try_get("name")?,
                })
            })
            .collect()
    }

    pub async fn team_exists(&self, id: TeamId) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM teams WHERE id = $1")
            .bind(id.to_string())
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    /// Adds an account. One `awaiting_approval` records who asked for it (`audit_event`'s actor).
    pub async fn insert_user(
        &self,
        user: &User,
        password_hash: Option<&str>,
        audit_event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO users (id, username, display_name, org_id, team_id, role, active, password_hash, created_at, \
             awaiting_approval, requested_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(user.id.to_string())
        .bind(&user.username)
        .bind(&user.display_name)
        .bind(user.org_id.to_string())
        .bind(user.team_id.map(|t| t.to_string()))
        .bind(user.role.code())
        .bind(i64::from(user.active))
        .bind(password_hash.map(str::to_string))
        .bind(time::now())
        .bind(i64::from(user.awaiting_approval))
        .bind(audit_event.actor.filter(|_| user.awaiting_approval).map(|a| a.to_string()))
        .execute(&mut *tx)
        .await?;
        tx.audit(audit_event).await?;
        tx.commit().await
    }

    /// Who asked for an account that waits for approval.
    pub async fn approval_requested_by(&self, id: UserId) -> Result<Option<UserId>, StoreError> {
        let by: Option<String> = sqlx::query_scalar("SELECT requested_by FROM users WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found("user", id))?;
        by.as_deref().map(parse_id).transpose()
    }

    /// Approves (activates) or rejects an account waiting for approval, with its audit event;
    /// refused if it is not waiting any more.
    pub async fn decide_approval(
        &self,
        id: UserId,
        approver: UserId,
        approve: bool,
        audit_event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let update = sqlx::query(
            "UPDATE users SET awaiting_approval = 0, active = $1, approved_by = $2, approved_at = $3 \
             WHERE id = $4 AND awaiting_approval = 1",
        )
        .bind(i64::from(approve))
        .bind(approve.then(|| approver.to_string()))
        .bind(approve.then(time::now))
        .bind(id.to_string());
        self.update_one(update, || format!("account {id} is not waiting for approval"), audit_event).await
    }

    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows =
            sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY username")).fetch_all(&self.pool).await?;
        rows.iter().map(user_from_row).collect()
    }

    pub async fn user(&self, id: UserId) -> Result<User, StoreError> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found("user", id))?;
        user_from_row(&row)
    }

    pub async fn user_by_username(&self, username: &str) -> Result<User, StoreError> {
        Ok(self.credentials(username).await?.ok_or_else(|| StoreError::not_found("user", username))?.user)
    }

    pub async fn credentials(&self, username: &str) -> Result<Option<UserCredentials>, StoreError> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS}, password_hash FROM users WHERE username = $1"))
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok(UserCredentials { user: user_from_row(&r)?, password_hash: r.try_get("password_hash")? }))
            .transpose()
    }

    pub async fn insert_token(
        &self,
        user: UserId,
        token_hash: &str,
        audit_event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query("INSERT INTO api_tokens (id, user_id, token_hash, created_at) VALUES ($1, $2, $3, $4)")
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(user.to_string())
            .bind(token_hash)
            .bind(time::now())
            .execute(&mut *tx)
            .await?;
        tx.audit(audit_event).await?;
        tx.commit().await
    }

    /// The active user a bearer token belongs to, if the token is live.
    pub async fn user_by_token(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(
            "SELECT u.id, u.username, u.display_name, u.org_id, u.team_id, u.role, u.active, u.awaiting_approval \
             FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = 1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    pub async fn insert_session(
        &self,
        id_hash: &str,
        user: UserId,
        csrf_token: &str,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id_hash)
        .bind(user.to_string())
        .bind(csrf_token)
        .bind(time::now())
        .bind(time::format_ts(expires_at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A session that has not expired, with its active user.
    pub async fn session(&self, id_hash: &str) -> Result<Option<Session>, StoreError> {
        let row = sqlx::query(
            "SELECT u.id, u.username, u.display_name, u.org_id, u.team_id, u.role, u.active, u.awaiting_approval, \
             s.csrf_token, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.active = 1",
        )
        .bind(id_hash)
        .bind(time::now())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(Session {
                user: user_from_row(&r)?,
                csrf_token: r.try_get("csrf_token")?,
                expires_at: time::parse_ts(&r.try_get::<String, _>("expires_at")?)?,
            })
        })
        .transpose()
    }

    pub async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash).execute(&self.pool).await?;
        Ok(())
    }

    /// Reserves a sign-in attempt for `username` from the client `address` before its password
    /// is checked, unless either already has its limit of failures since `limits.since`; in
    /// that case nothing is recorded and the answer says which limit was reached.
    ///
    /// One transaction: it first updates the lock rows of the username and of the address
    /// (`login_throttle`), so concurrent attempts on either — from this process or another —
    /// wait for it; then it counts and records. So however many attempts arrive at once, no
    /// more than the limit are ever checked. A reserved attempt counts as a failure until
    /// [`Store::clear_login_failures`] removes it when the password is right.
    pub async fn reserve_login_attempt(
        &self,
        username: &str,
        address: &str,
        limits: &LoginLimits,
    ) -> Result<Option<LoginThrottled>, StoreError> {
        let now = time::now();
        let since = time::format_ts(limits.since);
        let mut tx = self.pool.begin().await?;
        // Always the username's row before the address's, so two attempts never wait on each
        // other in opposite orders.
        for key in [format!("user:{username}"), format!("address:{address}")] {
            sqlx::query(
                "INSERT INTO login_throttle (key, touched_at) VALUES ($1, $2) \
                 ON CONFLICT (key) DO UPDATE SET touched_at = excluded.touched_at",
            )
            .bind(key)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
        // Failures older than the window no longer count; drop this username's and address's.
        sqlx::query("DELETE FROM login_failures WHERE at <= $1 AND (username = $2 OR address = $3)")
            .bind(&since)
            .bind(username)
            .bind(address)
            .execute(&mut *tx)
            .await?;
        let by_user: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE username = $1 AND at > $2")
            .bind(username)
            .bind(&since)
            .fetch_one(&mut *tx)
            .await?;
        let by_address: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE address = $1 AND at > $2")
            .bind(address)
            .bind(&since)
            .fetch_one(&mut *tx)
            .await?;
        let refused = if by_user >= limits.per_username {
            Some(LoginThrottled::Username)
        } else if by_address >= limits.per_address {
            Some(LoginThrottled::Address)
        } else {
            None
        };
        if refused.is_some() {
            tx.rollback().await?;
            return Ok(refused);
        }
        sqlx::query("INSERT INTO login_failures (username, address, at) VALUES ($1, $2, $3)")
            .bind(username)
            .bind(address)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(None)
    }

    /// Failed (or reserved) sign-in attempts for `username` since `since`.
    pub async fn login_failures_since(&self, username: &str, since: Timestamp) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE username = $1 AND at > $2")
            .bind(username)
            .bind(time::format_ts(since))
            .fetch_one(&self.pool)
            .await?)
    }

    /// Forgets a username's failures (and its reserved attempt) after a successful sign-in.
    /// The client address's other failures stay counted against it.
    pub async fn clear_login_failures(&self, username: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_failures WHERE username = $1").bind(username).execute(&self.pool).await?;
        Ok(())
    }
}
