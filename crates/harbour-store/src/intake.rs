//! Intake: police domestic abuse notifications, partners' information requests, and the school
//! calendar their deadlines are worked out on. Notifications and requests arrive before anyone
//! has matched them to a person, so each is sealed with a data key of its own (`record:<id>` in the key vault).

use harbour_domain::{
    Decision, Entry, Episode, Holiday, InformationRequest, NamedChild, NewNotification, NewRequest, Notification,
    NotificationChild, NotificationId, NotificationStatus, OrgId, Person, PersonId, RequestId, RequestSubject, TeamId,
    UserId,
};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::accounts::parse_id;
use crate::audit::AuditEvent;
use crate::cases::insert_episode_in;
use crate::keys::PersonKey;
use crate::sharing::DisclosureRecord;
use crate::time::{self, parse_date};
use crate::{Store, StoreError};

#[derive(Serialize, Deserialize)]
struct SealedNotification {
    police_reference: String,
    incident_at: jiff::civil::DateTime,
    account: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    summary_for_school: String,
    children: Vec<NamedChild>,
}

#[derive(Serialize, Deserialize)]
struct SealedRequest {
    about: RequestSubject,
    detail: String,
}

/// Who sent a notification, when it arrived, and when the schools must know.
#[derive(Debug, Clone, Copy)]
pub struct Receipt {
    pub id: NotificationId,
    pub police_org: OrgId,
    pub submitted_by: UserId,
    pub received_at: jiff::Timestamp,
    pub deadline: jiff::civil::DateTime,
}

/// What triage writes for one child: a new person (if the hub created one), the episode and
/// entries opened for the notification, and the child's school.
pub struct TriagedChild {
    pub new_person: Option<Person>,
    pub person_id: PersonId,
    pub school_id: OrgId,
    pub episode: Episode,
    pub entries: Vec<Entry>,
    /// The entry that is the minimal notice for the school.
    pub school_notice: harbour_domain::EntryId,
}

pub(crate) async fn record_key(store: &Store, id: &str) -> Result<PersonKey, StoreError> {
    let wrapped = store
        .vault
        .get(&format!("record:{id}"))
        .await?
        .ok_or_else(|| StoreError::Keys(format!("no data key for record {id}")))?;
    store.keys.unwrap_person_key(id, &wrapped)
}

pub(crate) async fn new_record_key(store: &Store, id: &str) -> Result<PersonKey, StoreError> {
    let (key, wrapped) = store.keys.new_person_key(id)?;
    store.vault.put(&format!("record:{id}"), &wrapped).await?;
    Ok(key)
}

fn opt_ts(r: &AnyRow, col: &str) -> Result<Option<jiff::Timestamp>, StoreError> {
    let v: Option<String> = r.try_get(col)?;
    v.as_deref().map(time::parse_ts).transpose()
}

impl Store {
    /// Records a police notification with its deadline.
    pub async fn insert_notification(
        &self,
        n: &NewNotification,
        receipt: &Receipt,
        event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let Receipt { id, police_org, submitted_by, received_at, deadline } = *receipt;
        let mut tx = self.write().await?;
        let key = new_record_key(self, &id.to_string()).await?;
        let sealed = SealedNotification {
            police_reference: n.police_reference.clone(),
            incident_at: n.incident_at,
            account: n.account.clone(),
            location: n.location.clone(),
            summary_for_school: n.summary_for_school.clone(),
            children: n.children.clone(),
        };
        let sealed = key.seal(&format!("notification:{id}"), &serde_json::to_vec(&sealed).expect("serialisable"))?;
        sqlx::query(
            "INSERT INTO da_notifications (id, police_org, submitted_by, received_at, deadline, sealed, status) \
             VALUES ($1, $2, $3, $4, $5, $6, 'received')",
        )
        .bind(id.to_string())
        .bind(police_org.to_string())
        .bind(submitted_by.to_string())
        .bind(time::format_ts(received_at))
        .bind(deadline.to_string())
        .bind(sealed)
        .execute(&mut *tx)
        .await?;
        for idx in 0..n.children.len() {
            sqlx::query("INSERT INTO da_notification_children (notification_id, idx) VALUES ($1, $2)")
                .bind(id.to_string())
                .bind(idx as i64)
                .execute(&mut *tx)
                .await?;
        }
        tx.audit(event).await?;
        tx.commit().await
    }

    async fn notification_from_row(&self, conn: &mut AnyConnection, r: &AnyRow) -> Result<Notification, StoreError> {
        let id: String = r.try_get("id")?;
        let key = record_key(self, &id).await?;
        let sealed: Vec<u8> = r.try_get("sealed")?;
        let opened: SealedNotification = serde_json::from_slice(&key.open(&format!("notification:{id}"), &sealed)?)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let rows = sqlx::query(
            "SELECT idx, person_id, school_id, entry_id, decision_id FROM da_notification_children \
             WHERE notification_id = $1 ORDER BY idx",
        )
        .bind(&id)
        .fetch_all(&mut *conn)
        .await?;
        let mut children = Vec::new();
        for (named, c) in opened.children.into_iter().zip(&rows) {
            let get = |col: &str| -> Result<Option<String>, StoreError> { Ok(c.try_get::<Option<String>, _>(col)?) };
            children.push(NotificationChild {
                named,
                person_id: get("person_id")?.as_deref().map(parse_id).transpose()?,
                school_id: get("school_id")?.as_deref().map(parse_id).transpose()?,
                entry_id: get("entry_id")?.as_deref().map(parse_id).transpose()?,
                decision_id: get("decision_id")?.as_deref().map(parse_id).transpose()?,
            });
        }
        let status: String = r.try_get("status")?;
        let deadline: String = r.try_get("deadline")?;
        let triaged_by: Option<String> = r.try_get("triaged_by")?;
        Ok(Notification {
            id: parse_id(&id)?,
            police_org: parse_id(&r.try_get::<String, _>("police_org")?)?,
            submitted_by: parse_id(&r.try_get::<String, _>("submitted_by")?)?,
            received_at: time::parse_ts(&r.try_get::<String, _>("received_at")?)?,
            deadline: deadline.parse().map_err(|e| StoreError::Corrupt(format!("deadline {deadline:?}: {e}")))?,
            police_reference: opened.police_reference,
            incident_at: opened.incident_at,
            account: opened.account,
            location: opened.location,
            summary_for_school: opened.summary_for_school,
            children,
            status: NotificationStatus::from_code(&status)
                .ok_or_else(|| StoreError::Corrupt(format!("notification status {status:?}")))?,
            triaged_by: triaged_by.as_deref().map(parse_id).transpose()?,
            triaged_at: opt_ts(r, "triaged_at")?,
            shared_at: opt_ts(r, "shared_at")?,
        })
    }

    pub async fn notification(&self, id: NotificationId) -> Result<Notification, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let row = sqlx::query("SELECT * FROM da_notifications WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| StoreError::not_found("domestic abuse notification", id))?;
        self.notification_from_row(&mut conn, &row).await
    }

    /// Every notification, the earliest deadline first; `from` limits them to one police force.
    pub async fn notifications(&self, from: Option<OrgId>) -> Result<Vec<Notification>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let rows = match from {
            Some(org) => {
                sqlx::query("SELECT * FROM da_notifications WHERE police_org = $1 ORDER BY deadline, id")
                    .bind(org.to_string())
                    .fetch_all(&mut *conn)
                    .await?
            }
            None => sqlx::query("SELECT * FROM da_notifications ORDER BY deadline, id").fetch_all(&mut *conn).await?,
        };
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.notification_from_row(&mut conn, r).await?);
        }
        Ok(out)
    }

    /// The hub's triage, in one transaction: new people, each child's episode and entries,
    /// the links from the notification to them, and the audit events.
    pub async fn triage_notification(
        &self,
        id: NotificationId,
        hub_team: Option<TeamId>,
        triaged_by: UserId,
        children: &[TriagedChild],
        events: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "UPDATE da_notifications SET status = 'triaged', triaged_by = $1, triaged_at = $2 \
             WHERE id = $3 AND status = 'received'",
        )
        .bind(triaged_by.to_string())
        .bind(time::now())
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict(format!("notification {id} has already been triaged")));
        }
        for (idx, c) in children.iter().enumerate() {
            if let Some(p) = &c.new_person {
                self.insert_person_in(&mut tx, p, hub_team).await?;
            }
            insert_episode_in(&mut tx, &c.episode).await?;
            for e in &c.entries {
                self.insert_entry_in(&mut tx, e, c.person_id).await?;
            }
            sqlx::query(
                "UPDATE da_notification_children SET person_id = $1, school_id = $2, entry_id = $3 \
                 WHERE notification_id = $4 AND idx = $5",
            )
            .bind(c.person_id.to_string())
            .bind(c.school_id.to_string())
            .bind(c.school_notice.to_string())
            .bind(id.to_string())
            .bind(idx as i64)
            .execute(&mut *tx)
            .await?;
        }
        for e in events {
            tx.audit(e).await?;
        }
        tx.commit().await
    }

    /// Records the decisions that tell each child's school, in one transaction, and marks
    /// the notification shared when every decision was disclosed at once.
    pub async fn share_notification(
        &self,
        id: NotificationId,
        decisions: &[(usize, Decision)],
        events: &[AuditEvent],
    ) -> Result<Vec<DisclosureRecord>, StoreError> {
        let mut tx = self.write().await?;
        let mut out = Vec::new();
        for (idx, d) in decisions {
            out.extend(self.insert_decision_in(&mut tx, d).await?);
            sqlx::query("UPDATE da_notification_children SET decision_id = $1 WHERE notification_id = $2 AND idx = $3")
                .bind(d.id.to_string())
                .bind(id.to_string())
                .bind(*idx as i64)
                .execute(&mut *tx)
                .await?;
        }
        let all_disclosed = decisions.iter().all(|(_, d)| d.status == harbour_domain::DecisionStatus::Disclosed);
        let done = sqlx::query(
            "UPDATE da_notifications SET status = 'shared', shared_at = $1 WHERE id = $2 AND status = 'triaged'",
        )
        .bind(if all_disclosed { Some(time::now()) } else { None })
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict(format!("notification {id} is not waiting to be shared")));
        }
        for e in events {
            tx.audit(e).await?;
        }
        tx.commit().await?;
        Ok(out)
    }

    pub async fn insert_request(
        &self,
        id: RequestId,
        r: &NewRequest,
        from_org: OrgId,
        requested_by: UserId,
        event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        let key = new_record_key(self, &id.to_string()).await?;
        let sealed = SealedRequest { about: r.about.clone(), detail: r.detail.clone() };
        let sealed = key.seal(&format!("request:{id}"), &serde_json::to_vec(&sealed).expect("serialisable"))?;
        sqlx::query(
            "INSERT INTO information_requests (id, from_org, requested_by, notice, purpose, ground, sealed, \
             received_at, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open')",
        )
        .bind(id.to_string())
        .bind(from_org.to_string())
        .bind(requested_by.to_string())
        .bind(&r.notice)
        .bind(&r.purpose)
        .bind(r.ground.clone())
        .bind(sealed)
        .bind(time::now())
        .execute(&mut *tx)
        .await?;
        tx.audit(event).await?;
        tx.commit().await
    }

    async fn request_from_row(&self, r: &AnyRow) -> Result<InformationRequest, StoreError> {
        let id: String = r.try_get("id")?;
        let key = record_key(self, &id).await?;
        let sealed: Vec<u8> = r.try_get("sealed")?;
        let opened: SealedRequest = serde_json::from_slice(&key.open(&format!("request:{id}"), &sealed)?)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(InformationRequest {
            id: parse_id(&id)?,
            from_org: parse_id(&r.try_get::<String, _>("from_org")?)?,
            requested_by: parse_id(&r.try_get::<String, _>("requested_by")?)?,
            notice: r.try_get("notice")?,
            purpose: r.try_get("purpose")?,
            ground: r.try_get("ground")?,
            about: opened.about,
            detail: opened.detail,
            received_at: time::parse_ts(&r.try_get::<String, _>("received_at")?)?,
            status: r.try_get("status")?,
        })
    }

    pub async fn request(&self, id: RequestId) -> Result<InformationRequest, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let row = sqlx::query("SELECT * FROM information_requests WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| StoreError::not_found("information request", id))?;
        self.request_from_row(&row).await
    }

    /// Requests, oldest first; `from` limits them to one organisation.
    pub async fn requests(&self, from: Option<OrgId>) -> Result<Vec<InformationRequest>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let rows = match from {
            Some(org) => {
                sqlx::query("SELECT * FROM information_requests WHERE from_org = $1 ORDER BY received_at, id")
                    .bind(org.to_string())
                    .fetch_all(&mut *conn)
                    .await?
            }
            None => {
                sqlx::query("SELECT * FROM information_requests ORDER BY received_at, id").fetch_all(&mut *conn).await?
            }
        };
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.request_from_row(r).await?);
        }
        Ok(out)
    }

    pub async fn insert_holiday(&self, h: &Holiday, event: &AuditEvent) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO school_holidays (id, name, starts_on, ends_on, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(&h.name)
        .bind(h.starts_on.to_string())
        .bind(h.ends_on.to_string())
        .bind(time::now())
        .execute(&mut *tx)
        .await?;
        tx.audit(event).await?;
        tx.commit().await
    }

    pub async fn holidays(&self) -> Result<Vec<Holiday>, StoreError> {
        let rows = sqlx::query("SELECT name, starts_on, ends_on FROM school_holidays ORDER BY starts_on, name")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Holiday {
                    name: r.try_get("name")?,
                    starts_on: parse_date(&r.try_get::<String, _>("starts_on")?)?,
                    ends_on: parse_date(&r.try_get::<String, _>("ends_on")?)?,
                })
            })
            .collect()
    }
}
