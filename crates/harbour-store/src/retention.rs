//! Retention: legal holds, the rows a sweep reads, the review queue and destruction.
//!
//! Disposal dates are not stored: they are computed from an episode's retention class and its
//! trigger dates whenever they are needed, so reopening a case or correcting a closing date
//! moves the date with no second write to forget. Destruction removes a person's whole file in
//! one transaction, destroys their data key (so every sealed copy, in backups too, is
//! unreadable) and, on SQLite, truncates the write-ahead log with `secure_delete` on, so the
//! database files keep no copy of the removed rows.

use std::collections::HashMap;

use harbour_domain::{CertificateId, EpisodeId, HoldId, HoldScope, LegalHold, PersonId, RecordClass, UserId};
use jiff::civil::Date;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use utoipa::ToSchema;

use crate::accounts::parse_id;
use crate::audit::{self, AuditEvent};
use crate::cases::optional_date;
use crate::time::{self, parse_date};
use crate::{Backend, Store, StoreError};

/// One episode that keeps a person's file (their own, or a related person's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SweepEpisode {
    pub id: EpisodeId,
    /// The person the episode is about (the file's own person, or a relative).
    pub subject: PersonId,
    pub record_class: RecordClass,
    pub retention_class: Option<String>,
    /// The date of birth of the person the episode is about.
    pub subject_dob: Option<Date>,
    /// Their date of death, if recorded (the looked-after floor counts from it).
    pub subject_died: Option<Date>,
    pub opened_on: Date,
    pub closed_on: Option<Date>,
    pub left_school_on: Option<Date>,
    pub published_on: Option<Date>,
}

/// A row of the sweep: a person, and one episode keeping their file (None if none does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SweepRow {
    pub person: PersonId,
    pub episode: Option<SweepEpisode>,
}

/// How many queue rows one statement writes.
const QUEUE_WRITE_BATCH: usize = 500;

/// One page of a sweep (see [`Store::sweep_page`]).
#[derive(Debug, Default)]
pub struct SweepPage {
    /// The page's last person, to ask for the next page after (None: the sweep is over).
    pub last: Option<PersonId>,
    pub rows: Vec<SweepRow>,
    /// The queue's reviews of the page's people.
    pub reviews: HashMap<PersonId, Review>,
}

/// A person's place in the records manager's queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Review {
    pub person_id: PersonId,
    #[schema(value_type = String, format = Date)]
    pub due_on: Date,
    #[schema(value_type = String, format = Date)]
    pub queued_on: Date,
    /// due, deferred or held.
    pub status: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub deferred_until: Option<Date>,
    pub reason: Option<String>,
}

/// What a sweep wants the queue to say about a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueChange {
    Due {
        person: PersonId,
        due_on: Date,
    },
    Held {
        person: PersonId,
        due_on: Date,
        reason: String,
    },
    /// No longer due (a case reopened, a closing date corrected): leaves the queue.
    Leave {
        person: PersonId,
    },
}

/// One line of the destruction log. It holds no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DestructionRecord {
    /// `episode` or `person`.
    pub record_kind: String,
    /// The episode's record class, or `person` for the person's own details.
    pub record_class: String,
    pub record_id: String,
    pub retention_class: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub trigger_date: Option<Date>,
    #[schema(value_type = String, format = Date)]
    pub disposal_date: Date,
}

/// A destruction as logged, with the ledger entry of its approval once sequenced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Destruction {
    pub certificate: CertificateId,
    pub destroyed_at: String,
    pub authorised_by: UserId,
    pub approval_seq: i64,
    pub ledger_index: Option<i64>,
    pub method: String,
    pub records: Vec<DestructionRecord>,
}

/// How a file is destroyed, as written in the log and on the certificate.
pub const METHOD: &str = "rows deleted with the database's secure delete; the person's data key destroyed, \
     so sealed copies in logs and backups cannot be opened";

fn hold_from_row(r: &AnyRow) -> Result<LegalHold, StoreError> {
    let scope: String = r.try_get("scope")?;
    let scope = match scope.as_str() {
        "record_class" => {
            let c: String = r.try_get("record_class")?;
            HoldScope::RecordClass {
                record_class: RecordClass::from_code(&c)
                    .ok_or_else(|| StoreError::Corrupt(format!("record class {c:?}")))?,
            }
        }
        "person" => HoldScope::Person { person_id: parse_id(&r.try_get::<String, _>("person_id")?)? },
        "episode" => HoldScope::Episode { episode_id: parse_id(&r.try_get::<String, _>("episode_id")?)? },
        other => return Err(StoreError::Corrupt(format!("hold scope {other:?}"))),
    };
    Ok(LegalHold {
        id: parse_id(&r.try_get::<String, _>("id")?)?,
        scope,
        reason: r.try_get("reason")?,
        authorised_by: r.try_get("authorised_by")?,
        starts_on: parse_date(&r.try_get::<String, _>("starts_on")?)?,
        ends_on: optional_date(r, "ends_on")?,
    })
}

fn review_from_row(r: &AnyRow) -> Result<Review, StoreError> {
    Ok(Review {
        person_id: parse_id(&r.try_get::<String, _>("person_id")?)?,
        due_on: parse_date(&r.try_get::<String, _>("due_on")?)?,
        queued_on: parse_date(&r.try_get::<String, _>("queued_on")?)?,
        status: r.try_get("status")?,
        deferred_until: optional_date(r, "deferred_until")?,
        reason: r.try_get("reason")?,
    })
}

fn sweep_row(r: &AnyRow) -> Result<SweepRow, StoreError> {
    let person = parse_id(&r.try_get::<String, _>("pid")?)?;
    let episode: Option<String> = r.try_get("eid")?;
    let Some(eid) = episode else { return Ok(SweepRow { person, episode: None }) };
    let class: String = r.try_get("record_class")?;
    Ok(SweepRow {
        person,
        episode: Some(SweepEpisode {
            id: parse_id(&eid)?,
            subject: parse_id(&r.try_get::<String, _>("subject")?)?,
            record_class: RecordClass::from_code(&class)
                .ok_or_else(|| StoreError::Corrupt(format!("record class {class:?}")))?,
            retention_class: r.try_get("retention_class")?,
            subject_dob: optional_date(r, "dob")?,
            subject_died: optional_date(r, "died")?,
            opened_on: parse_date(&r.try_get::<String, _>("opened_on")?)?,
            closed_on: optional_date(r, "closed_on")?,
            left_school_on: optional_date(r, "left_school_on")?,
            published_on: optional_date(r, "published_on")?,
        }),
    })
}

const SWEEP_COLUMNS: &str =
    "e.id AS eid, e.person_id AS subject, e.record_class, e.retention_class, o.date_of_birth AS dob, \
     o.date_of_death AS died, e.opened_on, e.closed_on, e.left_school_on, e.published_on";

async fn insert_hold_in(conn: &mut AnyConnection, hold: &LegalHold, by: UserId) -> Result<(), StoreError> {
    let (class, person, episode) = match hold.scope {
        HoldScope::RecordClass { record_class } => (Some(record_class.code().to_string()), None, None),
        HoldScope::Person { person_id } => (None, Some(person_id.to_string()), None),
        HoldScope::Episode { episode_id } => (None, None, Some(episode_id.to_string())),
    };
    sqlx::query(
        "INSERT INTO legal_holds (id, scope, record_class, person_id, episode_id, reason, authorised_by, \
         starts_on, ends_on, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(hold.id.to_string())
    .bind(hold.scope.code())
    .bind(class)
    .bind(person)
    .bind(episode)
    .bind(&hold.reason)
    .bind(&hold.authorised_by)
    .bind(hold.starts_on.to_string())
    .bind(hold.ends_on.map(|d| d.to_string()))
    .bind(by.to_string())
    .bind(time::now())
    .execute(conn)
    .await?;
    Ok(())
}

impl Store {
    pub async fn insert_hold(&self, hold: &LegalHold, by: UserId, audit_event: &AuditEvent) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        insert_hold_in(&mut tx, hold, by).await?;
        tx.audit(audit_event).await?;
        tx.commit().await
    }

    /// Every hold, current or ended, oldest first.
    pub async fn holds(&self) -> Result<Vec<LegalHold>, StoreError> {
        let rows = sqlx::query("SELECT * FROM legal_holds ORDER BY starts_on, id").fetch_all(&self.pool).await?;
        rows.iter().map(hold_from_row).collect()
    }

    pub async fn hold(&self, id: HoldId) -> Result<LegalHold, StoreError> {
        let row = sqlx::query("SELECT * FROM legal_holds WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found("legal hold", id))?;
        hold_from_row(&row)
    }

    /// Sets the day a hold ends (the inquiry reported, the litigation settled).
    pub async fn end_hold(&self, id: HoldId, ends_on: Date, audit_event: &AuditEvent) -> Result<(), StoreError> {
        let update = sqlx::query("UPDATE legal_holds SET ends_on = $1 WHERE id = $2 AND starts_on <= $1")
            .bind(ends_on.to_string())
            .bind(id.to_string());
        self.update_one(update, || format!("hold {id} does not exist or starts after {ends_on}"), audit_event).await
    }

    /// Episodes recorded before retention classes: (episode, record class).
    pub async fn episodes_without_retention_class(&self) -> Result<Vec<(EpisodeId, RecordClass)>, StoreError> {
        let rows = sqlx::query("SELECT id, record_class FROM episodes WHERE retention_class IS NULL ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let class: String = r.try_get(1)?;
                Ok((
                    parse_id(&r.try_get::<String, _>(0)?)?,
                    RecordClass::from_code(&class)
                        .ok_or_else(|| StoreError::Corrupt(format!("record class {class:?}")))?,
                ))
            })
            .collect()
    }

    /// Gives episodes their retention class, where they have none yet; each one given is an
    /// audit event (`episode.retention_class.assign`, by the system) in the same transaction.
    pub async fn assign_retention_classes(&self, classes: &[(EpisodeId, String)]) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        let mut assigned = 0;
        for (id, class) in classes {
            let person: Option<String> = sqlx::query_scalar(
                "UPDATE episodes SET retention_class = $1 WHERE id = $2 AND retention_class IS NULL RETURNING person_id",
            )
            .bind(class)
            .bind(id.to_string())
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(person) = person {
                tx.audit(
                    &AuditEvent::new("episode.retention_class.assign", "episode").target(id).about(parse_id(&person)?),
                )
                .await?;
                assigned += 1;
            }
        }
        if assigned == 0 {
            return Ok(()); // nothing changed: the write rolls back empty
        }
        tx.commit().await
    }

    /// How many people the sweep will read.
    pub async fn count_people(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM persons").fetch_one(&self.pool).await?)
    }

    /// One page of the sweep: the first `limit` people after `after` (in id order), each with
    /// every episode that keeps their file (their own, and those of people related to them: a
    /// parent appears in their child's record), grouped by person, and the queue's reviews of
    /// those people. A person with no such episode comes once with none. Paging keeps memory
    /// flat however many people there are, and lets the sweep write each page's queue changes
    /// before it reads the next (SQLite has one connection).
    pub async fn sweep_page(&self, after: Option<PersonId>, limit: u32) -> Result<SweepPage, StoreError> {
        let ids: Vec<String> = match after {
            None => sqlx::query_scalar("SELECT id FROM persons ORDER BY id LIMIT $1").bind(i64::from(limit)),
            Some(after) => sqlx::query_scalar("SELECT id FROM persons WHERE id > $1 ORDER BY id LIMIT $2")
                .bind(after.to_string())
                .bind(i64::from(limit)),
        }
        .fetch_all(&self.pool)
        .await?;
        let (Some(first), Some(last)) = (ids.first(), ids.last()) else {
            return Ok(SweepPage::default());
        };
        let sql = format!(
            "SELECT p.id AS pid, {SWEEP_COLUMNS} FROM persons p \
               LEFT JOIN episodes e ON e.person_id = p.id LEFT JOIN persons o ON o.id = e.person_id \
               WHERE p.id BETWEEN $1 AND $2 \
             UNION ALL SELECT r.from_person AS pid, {SWEEP_COLUMNS} FROM relationships r \
               JOIN episodes e ON e.person_id = r.to_person JOIN persons o ON o.id = e.person_id \
               WHERE r.from_person BETWEEN $1 AND $2 \
             UNION ALL SELECT r.to_person AS pid, {SWEEP_COLUMNS} FROM relationships r \
               JOIN episodes e ON e.person_id = r.from_person JOIN persons o ON o.id = e.person_id \
               WHERE r.to_person BETWEEN $1 AND $2 \
             ORDER BY pid"
        );
        let found = sqlx::query(&sql).bind(first).bind(last).fetch_all(&self.pool).await?;
        let mut rows = Vec::with_capacity(found.len());
        for r in &found {
            let row = sweep_row(r)?;
            // A person with episodes also has the LEFT JOIN's row for each of them, and a
            // person with only related episodes has one empty row besides: drop empty rows of
            // a person already seen (an empty row seen first adds nothing to the person).
            if row.episode.is_none() && rows.last().is_some_and(|l: &SweepRow| l.person == row.person) {
                continue;
            }
            rows.push(row);
        }
        let reviews = sqlx::query("SELECT * FROM retention_reviews WHERE person_id BETWEEN $1 AND $2")
            .bind(first)
            .bind(last)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| review_from_row(r).map(|review| (review.person_id, review)))
            .collect::<Result<_, _>>()?;
        Ok(SweepPage { last: Some(parse_id(last)?), rows, reviews })
    }

    /// The episodes keeping one person's file (as [`Store::sweep_page`] gives them).
    pub async fn file_of(&self, person: PersonId) -> Result<Vec<SweepEpisode>, StoreError> {
        Ok(self.files_of(&[person]).await?.remove(&person).unwrap_or_default())
    }

    /// The episodes keeping each of these people's files, in one query.
    pub async fn files_of(&self, people: &[PersonId]) -> Result<HashMap<PersonId, Vec<SweepEpisode>>, StoreError> {
        let mut files: HashMap<PersonId, Vec<SweepEpisode>> = HashMap::new();
        if people.is_empty() {
            return Ok(files);
        }
        let ids = crate::cases::placeholders(1, people.len());
        let sql = format!(
            "SELECT e.person_id AS pid, {SWEEP_COLUMNS} FROM episodes e JOIN persons o ON o.id = e.person_id \
               WHERE e.person_id IN ({ids}) \
             UNION ALL SELECT r.from_person AS pid, {SWEEP_COLUMNS} FROM relationships r \
               JOIN episodes e ON e.person_id = r.to_person JOIN persons o ON o.id = e.person_id \
               WHERE r.from_person IN ({ids}) \
             UNION ALL SELECT r.to_person AS pid, {SWEEP_COLUMNS} FROM relationships r \
               JOIN episodes e ON e.person_id = r.from_person JOIN persons o ON o.id = e.person_id \
               WHERE r.to_person IN ({ids})"
        );
        let mut q = sqlx::query(&sql);
        for p in people {
            q = q.bind(p.to_string());
        }
        for row in q.fetch_all(&self.pool).await? {
            let row = sweep_row(&row)?;
            if let Some(ep) = row.episode {
                files.entry(row.person).or_default().push(ep);
            }
        }
        Ok(files)
    }

    /// One page of the queue, by due date, and how many the whole queue holds.
    pub async fn reviews(&self, offset: u64, limit: u32) -> Result<(Vec<Review>, u64), StoreError> {
        let offset = i64::try_from(offset).map_err(|_| StoreError::Conflict("offset too large".into()))?;
        let rows = sqlx::query("SELECT * FROM retention_reviews ORDER BY due_on, person_id LIMIT $1 OFFSET $2")
            .bind(i64::from(limit))
            .bind(offset)
            .fetch_all(&self.pool)
            .await?;
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM retention_reviews").fetch_one(&self.pool).await?;
        Ok((rows.iter().map(review_from_row).collect::<Result<_, _>>()?, total.max(0) as u64))
    }

    pub async fn review(&self, person: PersonId) -> Result<Option<Review>, StoreError> {
        let row = sqlx::query("SELECT * FROM retention_reviews WHERE person_id = $1")
            .bind(person.to_string())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(review_from_row).transpose()
    }

    /// Writes a sweep's changes to the queue, as of `as_of`, with the audit event, in one
    /// transaction; nothing is destroyed here. The sweep decides what changes (see the server's
    /// `queue_change`); this only writes it. No changes, no write.
    pub async fn apply_queue_changes(
        &self,
        changes: &[QueueChange],
        as_of: Date,
        audit_event: &AuditEvent,
    ) -> Result<(), StoreError> {
        if changes.is_empty() {
            return Ok(());
        }
        let mut tx = self.write().await?;
        let today = as_of.to_string();
        let mut upserts: Vec<(String, String, &str, Option<&str>)> = Vec::new();
        let mut leaving: Vec<String> = Vec::new();
        for change in changes {
            match change {
                QueueChange::Due { person, due_on } => {
                    upserts.push((person.to_string(), due_on.to_string(), "due", None))
                }
                QueueChange::Held { person, due_on, reason } => {
                    upserts.push((person.to_string(), due_on.to_string(), "held", Some(reason.as_str())))
                }
                QueueChange::Leave { person } => leaving.push(person.to_string()),
            }
        }
        // Many rows a statement: a sweep's first run may queue millions of files.
        for chunk in upserts.chunks(QUEUE_WRITE_BATCH) {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| {
                    let b = i * 4;
                    format!("(${}, ${}, $1, ${}, ${})", b + 2, b + 3, b + 4, b + 5)
                })
                .collect();
            // A file already in the queue keeps the day it was first queued.
            let sql = format!(
                "INSERT INTO retention_reviews (person_id, due_on, queued_on, status, reason) VALUES {} \
                 ON CONFLICT (person_id) DO UPDATE SET due_on = excluded.due_on, status = excluded.status, \
                 reason = excluded.reason, deferred_until = NULL, decided_by = NULL, decided_at = NULL",
                values.join(", ")
            );
            let mut q = sqlx::query(&sql).bind(&today);
            for (person, due_on, status, reason) in chunk {
                q = q.bind(person).bind(due_on).bind(*status).bind(*reason);
            }
            q.execute(&mut *tx).await?;
        }
        for chunk in leaving.chunks(QUEUE_WRITE_BATCH) {
            let sql = format!(
                "DELETE FROM retention_reviews WHERE person_id IN ({})",
                crate::cases::placeholders(1, chunk.len())
            );
            let mut q = sqlx::query(&sql);
            for person in chunk {
                q = q.bind(person);
            }
            q.execute(&mut *tx).await?;
        }
        tx.audit(audit_event).await?;
        tx.commit().await
    }

    /// Defers a due review to `until`, with the reason.
    pub async fn defer_review(
        &self,
        person: PersonId,
        until: Date,
        reason: &str,
        by: UserId,
        audit_event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let update = sqlx::query(
            "UPDATE retention_reviews SET status = 'deferred', deferred_until = $1, reason = $2, decided_by = $3, \
             decided_at = $4 WHERE person_id = $5 AND status = 'due'",
        )
        .bind(until.to_string())
        .bind(reason)
        .bind(by.to_string())
        .bind(time::now())
        .bind(person.to_string());
        self.update_one(update, || format!("person {person} is not due for review"), audit_event).await
    }

    /// Places a hold on a person from the queue: the hold is recorded and the review marked
    /// held, in one transaction with the audit event.
    pub async fn hold_review(&self, hold: &LegalHold, by: UserId, audit_event: &AuditEvent) -> Result<(), StoreError> {
        let HoldScope::Person { person_id } = hold.scope else {
            return Err(StoreError::Conflict("a hold from the queue is on the person".into()));
        };
        let mut tx = self.write().await?;
        insert_hold_in(&mut tx, hold, by).await?;
        let done = sqlx::query(
            "UPDATE retention_reviews SET status = 'held', reason = $1, decided_by = $2, decided_at = $3 \
             WHERE person_id = $4",
        )
        .bind(&hold.reason)
        .bind(by.to_string())
        .bind(time::now())
        .bind(person_id.to_string())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict(format!("person {person_id} is not in the review queue")));
        }
        tx.audit(audit_event).await?;
        tx.commit().await
    }

    /// Destroys a person's whole file, once the records manager has approved it: the approval
    /// is appended to the audit trail (and so the ledger) in the same transaction that deletes
    /// every row about the person, writes the destruction log and destroys their data key.
    /// Refused unless the person is in the queue and due.
    pub async fn destroy_file(
        &self,
        person: PersonId,
        certificate: CertificateId,
        records: &[DestructionRecord],
        by: UserId,
        approval: &AuditEvent,
    ) -> Result<(), StoreError> {
        let pid = person.to_string();
        let mut tx = self.pool.begin().await?;
        let status: Option<String> = sqlx::query_scalar("SELECT status FROM retention_reviews WHERE person_id = $1")
            .bind(&pid)
            .fetch_optional(&mut *tx)
            .await?;
        if status.as_deref() != Some("due") {
            return Err(StoreError::Conflict(format!(
                "person {person} is not due for destruction in the review queue"
            )));
        }
        let seq = audit::append_returning_seq(&mut tx, approval).await?;
        let linked = linked_records(&mut tx, &pid).await?;
        crate::person_file::delete(&mut tx, &pid).await?;
        // Records with keys of their own that were kept for this file alone go with it.
        let disposal = records.iter().map(|r| r.disposal_date).max();
        let file_classes: Vec<(String, Option<String>)> =
            records.iter().map(|r| (r.record_class.clone(), r.retention_class.clone())).collect();
        let mut records = records.to_vec();
        let mut record_keys = Vec::new();
        for (class, id) in dispose_orphans(&mut tx, &linked).await? {
            records.push(DestructionRecord {
                record_kind: "record".into(),
                record_class: class.into(),
                record_id: id.clone(),
                // Kept under the class of the file's own record of the same kind, if any.
                retention_class: file_classes.iter().find(|(c, _)| c == class).and_then(|(_, r)| r.clone()),
                trigger_date: None,
                disposal_date: disposal.unwrap_or_else(|| jiff::civil::date(1970, 1, 1)),
            });
            record_keys.push(format!("record:{id}"));
        }
        let at = time::now();
        for (i, r) in records.iter().enumerate() {
            sqlx::query(
                "INSERT INTO destruction_log (id, certificate, record_kind, record_class, record_id, retention_class, \
                 trigger_date, disposal_date, destroyed_at, authorised_by, approval_seq, method) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(format!("{certificate}-{i}"))
            .bind(certificate.to_string())
            .bind(&r.record_kind)
            .bind(&r.record_class)
            .bind(&r.record_id)
            .bind(r.retention_class.clone())
            .bind(r.trigger_date.map(|d| d.to_string()))
            .bind(r.disposal_date.to_string())
            .bind(&at)
            .bind(by.to_string())
            .bind(seq)
            .bind(METHOD)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        // The key last: once the rows are gone for good, nothing it opens is needed. Should
        // this fail, the key outlives its rows and the next restore or sweep shreds it.
        self.vault.shred(&format!("person:{pid}")).await?;
        for key in &record_keys {
            self.vault.shred(key).await?;
        }
        self.sequenced().await?;
        self.scrub().await
    }

    /// Makes sure deleted rows leave no copy in the database's own files: on SQLite, deleted
    /// content is zeroed (`secure_delete`) and the write-ahead log, which still holds the pages
    /// as they were, is checkpointed and truncated; on PostgreSQL, the tables are vacuumed so
    /// dead row versions are removed.
    pub async fn scrub(&self) -> Result<(), StoreError> {
        match self.backend {
            Backend::Sqlite => {
                let mut conn = self.pool.acquire().await?;
                for _ in 0..50 {
                    let (busy, _, _): (i64, i64, i64) =
                        sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(&mut *conn).await?;
                    if busy == 0 {
                        return Ok(());
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(StoreError::Conflict("the write-ahead log could not be truncated: another reader holds it".into()))
            }
            Backend::Postgres => {
                for table in FILE_TABLES {
                    sqlx::query(&format!("VACUUM {table}")).execute(&self.pool).await?;
                }
                Ok(())
            }
        }
    }

    /// Every destruction with its records, newest first.
    pub async fn destructions(&self) -> Result<Vec<Destruction>, StoreError> {
        self.destructions_where("1 = 1", None).await
    }

    pub async fn destruction(&self, certificate: CertificateId) -> Result<Destruction, StoreError> {
        self.destructions_where("d.certificate = $1", Some(certificate.to_string()))
            .await?
            .pop()
            .ok_or_else(|| StoreError::not_found("destruction certificate", certificate))
    }

    async fn destructions_where(&self, clause: &str, bind: Option<String>) -> Result<Vec<Destruction>, StoreError> {
        let sql = format!(
            "SELECT d.*, a.leaf_index FROM destruction_log d LEFT JOIN audit_events a ON a.seq = d.approval_seq \
             WHERE {clause} ORDER BY d.destroyed_at DESC, d.certificate, d.id"
        );
        let mut q = sqlx::query(&sql);
        if let Some(b) = bind {
            q = q.bind(b);
        }
        let mut out: Vec<Destruction> = Vec::new();
        for r in q.fetch_all(&self.pool).await? {
            let certificate: CertificateId = parse_id(&r.try_get::<String, _>("certificate")?)?;
            let record = DestructionRecord {
                record_kind: r.try_get("record_kind")?,
                record_class: r.try_get("record_class")?,
                record_id: r.try_get("record_id")?,
                retention_class: r.try_get("retention_class")?,
                trigger_date: optional_date(&r, "trigger_date")?,
                disposal_date: parse_date(&r.try_get::<String, _>("disposal_date")?)?,
            };
            match out.last_mut() {
                Some(d) if d.certificate == certificate => d.records.push(record),
                _ => out.push(Destruction {
                    certificate,
                    destroyed_at: r.try_get("destroyed_at")?,
                    authorised_by: parse_id(&r.try_get::<String, _>("authorised_by")?)?,
                    approval_seq: r.try_get("approval_seq")?,
                    ledger_index: r.try_get("leaf_index")?,
                    method: r.try_get("method")?,
                    records: vec![record],
                }),
            }
        }
        Ok(out)
    }
}

/// The tables a person's file lives in (vacuumed after a destruction on PostgreSQL).
const FILE_TABLES: &[&str] = &[
    "persons",
    "person_name_tokens",
    "episodes",
    "entries",
    "relationships",
    "sharing_decisions",
    "decision_people",
    "decision_entries",
    "decision_recipients",
    "disclosures",
    "da_notification_children",
    "da_notifications",
    "information_requests",
    "retention_reviews",
    "consents",
];

/// The records with keys of their own that a person's file keeps: police notifications naming
/// them (as matched at triage) and partners' requests answered by decisions about them.
struct Linked {
    notifications: Vec<String>,
    requests: Vec<String>,
}

async fn linked_records(conn: &mut AnyConnection, pid: &str) -> Result<Linked, StoreError> {
    let notifications =
        sqlx::query_scalar("SELECT DISTINCT notification_id FROM da_notification_children WHERE person_id = $1")
            .bind(pid)
            .fetch_all(&mut *conn)
            .await?;
    let requests = sqlx::query_scalar(
        "SELECT DISTINCT request_id FROM sharing_decisions WHERE subject_id = $1 AND request_id IS NOT NULL",
    )
    .bind(pid)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Linked { notifications, requests })
}

/// Deletes the linked records no other file keeps now: a notification none of whose children
/// is still matched to a person, an answered request no decision answers any more. Returns
/// each one's (record class, id); their keys are shredded after commit.
async fn dispose_orphans(conn: &mut AnyConnection, linked: &Linked) -> Result<Vec<(&'static str, String)>, StoreError> {
    let mut gone = Vec::new();
    for id in &linked.notifications {
        let kept: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM da_notification_children WHERE notification_id = $1 AND person_id IS NOT NULL",
        )
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
        if kept == 0 {
            for sql in [
                "DELETE FROM da_notification_children WHERE notification_id = $1",
                "DELETE FROM da_notifications WHERE id = $1",
            ] {
                sqlx::query(sql).bind(id).execute(&mut *conn).await?;
            }
            gone.push(("domestic_abuse_notification", id.clone()));
        }
    }
    for id in &linked.requests {
        let done = sqlx::query(
            "DELETE FROM information_requests WHERE id = $1 AND status = 'answered' \
             AND NOT EXISTS (SELECT 1 FROM sharing_decisions WHERE request_id = $1)",
        )
        .bind(id)
        .execute(&mut *conn)
        .await?;
        if done.rows_affected() == 1 {
            gone.push(("information_request", id.clone()));
        }
    }
    Ok(gone)
}

impl Store {
    /// Writes a consistent copy of the SQLite database to `path` (`VACUUM INTO`). The copy holds
    /// no data keys: they stay in the vault, so a person destroyed after the copy was taken can
    /// never be read from it again.
    pub async fn backup_into(&self, path: &std::path::Path) -> Result<(), StoreError> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Conflict(
                "take PostgreSQL backups with pg_dump; after pg_restore, `harbour backup reconcile` drops destroyed files"
                    .into(),
            ));
        }
        // The copy holds case data: it is created empty for its owner only (SQLite's VACUUM INTO
        // fills an empty file), which also refuses a file that exists.
        match crate::keys::create_private_file(path) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(StoreError::Conflict(format!("{} already exists", path.display())));
            }
            Err(e) => return Err(e.into()),
        }
        if let Err(e) = sqlx::query("VACUUM INTO $1").bind(path.display().to_string()).execute(&self.pool).await {
            let _ = std::fs::remove_file(path);
            return Err(e.into());
        }
        Ok(())
    }

    /// After a restore: deletes the file of everyone whose data key is no longer in the vault
    /// (destroyed since the backup was taken), so a restore never brings a destroyed person
    /// back. Anyone the destruction log names is dropped too, and their key shredded, even if a
    /// key came back (a backup from before keys moved to the vault holds them). Refuses, dropping
    /// nothing, when the vault holds no key at all but the database holds people: that is the
    /// wrong vault, not everyone destroyed. Returns who was dropped.
    pub async fn drop_files_without_keys(&self) -> Result<Vec<PersonId>, StoreError> {
        let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM persons ORDER BY id").fetch_all(&self.pool).await?;
        if !ids.is_empty() && self.vault.count().await? == 0 {
            return Err(StoreError::Keys(format!(
                "the key vault holds no data keys but the database holds {} people: is it the vault this data \
                 was written with (--vault)? Nothing was dropped",
                ids.len()
            )));
        }
        let destroyed: std::collections::HashSet<String> =
            sqlx::query_scalar("SELECT record_id FROM destruction_log WHERE record_kind IN ('person', 'record')")
                .fetch_all(&self.pool)
                .await?
                .into_iter()
                .collect();
        let mut dropped = Vec::new();
        for id in ids {
            let key = format!("person:{id}");
            if destroyed.contains(&id) {
                if self.vault.contains(&key).await? {
                    self.vault.shred(&key).await?;
                }
            } else if self.vault.contains(&key).await? {
                continue;
            }
            let mut tx = self.pool.begin().await?;
            crate::person_file::delete(&mut tx, &id).await?;
            let event = AuditEvent::new("retention.restore.dropped", "person").target(&id);
            audit::append(&mut tx, &event).await?;
            tx.commit().await?;
            dropped.push(parse_id(&id)?);
        }
        // Records with keys of their own destroyed since (with the file that kept them).
        let mut records_dropped = false;
        for (table, children) in [
            ("da_notifications", Some("DELETE FROM da_notification_children WHERE notification_id = $1")),
            ("information_requests", None),
        ] {
            let ids: Vec<String> =
                sqlx::query_scalar(&format!("SELECT id FROM {table} ORDER BY id")).fetch_all(&self.pool).await?;
            for id in ids {
                let key = format!("record:{id}");
                if destroyed.contains(&id) {
                    if self.vault.contains(&key).await? {
                        self.vault.shred(&key).await?;
                    }
                } else if self.vault.contains(&key).await? {
                    continue;
                }
                let mut tx = self.pool.begin().await?;
                if let Some(sql) = children {
                    sqlx::query(sql).bind(&id).execute(&mut *tx).await?;
                }
                sqlx::query(&format!("DELETE FROM {table} WHERE id = $1")).bind(&id).execute(&mut *tx).await?;
                audit::append(&mut tx, &AuditEvent::new("retention.restore.dropped", "record").target(&id)).await?;
                tx.commit().await?;
                records_dropped = true;
            }
        }
        if !dropped.is_empty() || records_dropped {
            self.sequenced().await?;
            self.scrub().await?;
        }
        Ok(dropped)
    }
}
