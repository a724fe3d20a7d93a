//! Sharing decisions and disclosures. A decision, its people, entries and recipients, its
//! disclosures (when nothing waits for the Caldicott Guardian) and its audit events are written
//! in one transaction. The decision's free text (rationale, consent and family details,
//! justification, the Guardian's reason) is sealed with the data key of its first person.

use harbour_domain::{
    ConfirmedCategories, ConsentPosition, DataCategory, Decision, DecisionId, DecisionStatus, DisclosedEntry,
    DisclosedPerson, DisclosureId, EntryField, FamilyPosition, GuardianRuling, OrgId, PersonField, PersonId, Rationale,
    RecipientMatch, Urgency,
};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::accounts::parse_id;
use crate::audit::AuditEvent;
use crate::cases::person_key;
use crate::time::{self, parse_date};
use crate::{Store, StoreError};

#[derive(Serialize, Deserialize)]
struct SealedDecision {
    consent: ConsentPosition,
    family: FamilyPosition,
    rationale: Rationale,
    whole_record_justification: Option<String>,
    guardian_reason: Option<String>,
    /// Categories confirmed for entries the scan found untagged content in: which entries
    /// hold health or offence information is itself sensitive, so it is sealed.
    #[serde(default)]
    confirmed_categories: Vec<ConfirmedCategories>,
}

/// What one organisation received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisclosureRecord {
    pub id: DisclosureId,
    pub decision_id: DecisionId,
    pub org_id: OrgId,
    pub disclosed_at: jiff::Timestamp,
    pub expires_on: Option<Date>,
}

impl DisclosureRecord {
    /// Whether the recipient may still see it on `on`.
    pub fn active(&self, on: Date) -> bool {
        self.expires_on.is_none_or(|e| on < e)
    }
}

fn join<T>(items: &[T], code: impl Fn(&T) -> &'static str) -> String {
    items.iter().map(code).collect::<Vec<_>>().join(",")
}

fn split<T>(s: &str, parse: impl Fn(&str) -> Option<T>) -> Result<Vec<T>, StoreError> {
    s.split(',')
        .filter(|x| !x.is_empty())
        .map(|x| parse(x).ok_or_else(|| StoreError::Corrupt(format!("unknown code {x:?}"))))
        .collect()
}

fn opt_date(r: &AnyRow, col: &str) -> Result<Option<Date>, StoreError> {
    let v: Option<String> = r.try_get(col)?;
    v.as_deref().map(parse_date).transpose()
}

fn disclosure_from_row(r: &AnyRow) -> Result<DisclosureRecord, StoreError> {
    Ok(DisclosureRecord {
        id: parse_id(&r.try_get::<String, _>("id")?)?,
        decision_id: parse_id(&r.try_get::<String, _>("decision_id")?)?,
        org_id: parse_id(&r.try_get::<String, _>("org_id")?)?,
        disclosed_at: time::parse_ts(&r.try_get::<String, _>("disclosed_at")?)?,
        expires_on: opt_date(r, "expires_on")?,
    })
}

const DISCLOSURE_COLUMNS: &str = "d.id, d.decision_id, d.org_id, d.disclosed_at, d.expires_on";

impl Store {
    fn seal_decision(&self, key: &crate::keys::PersonKey, d: &Decision) -> Result<Vec<u8>, StoreError> {
        let sealed = SealedDecision {
            consent: d.consent.clone(),
            family: d.family.clone(),
            rationale: d.rationale.clone(),
            whole_record_justification: d.whole_record_justification.clone(),
            guardian_reason: d.guardian.as_ref().map(|g| g.reason.clone()),
            confirmed_categories: d.confirmed_categories.clone(),
        };
        key.seal(&format!("decision:{}", d.id), &serde_json::to_vec(&sealed).expect("serialisable"))
    }

    async fn insert_disclosures(
        &self,
        conn: &mut AnyConnection,
        d: &Decision,
    ) -> Result<Vec<DisclosureRecord>, StoreError> {
        let mut out = Vec::new();
        for org in &d.recipients {
            let rec = DisclosureRecord {
                id: DisclosureId::new(),
                decision_id: d.id,
                org_id: *org,
                disclosed_at: jiff::Timestamp::now(),
                expires_on: d.expires_on,
            };
            sqlx::query(
                "INSERT INTO disclosures (id, decision_id, org_id, disclosed_at, expires_on) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(rec.id.to_string())
            .bind(d.id.to_string())
            .bind(org.to_string())
            .bind(time::format_ts(rec.disclosed_at))
            .bind(rec.expires_on.map(|e| e.to_string()))
            .execute(&mut *conn)
            .await?;
            out.push(rec);
        }
        Ok(out)
    }

    /// Records a decision (and, if it is disclosed, one disclosure per recipient), marks the
    /// information request it answers, and appends `events` — all in one transaction.
    pub async fn insert_decision(
        &self,
        d: &Decision,
        events: &[AuditEvent],
    ) -> Result<Vec<DisclosureRecord>, StoreError> {
        let mut tx = self.write().await?;
        let out = self.insert_decision_in(&mut tx, d).await?;
        for e in events {
            tx.audit(e).await?;
        }
        tx.commit().await?;
        Ok(out)
    }

    pub(crate) async fn insert_decision_in(
        &self,
        conn: &mut AnyConnection,
        d: &Decision,
    ) -> Result<Vec<DisclosureRecord>, StoreError> {
        let subject = d.people.first().ok_or_else(|| StoreError::Conflict("a decision needs a person".into()))?;
        self.insert_decision_row(conn, d, subject).await?;
        Self::insert_decision_parts(conn, d).await?;
        if let Some(request) = d.request_id {
            let done =
                sqlx::query("UPDATE information_requests SET status = 'answered' WHERE id = $1 AND status = 'open'")
                    .bind(request.to_string())
                    .execute(&mut *conn)
                    .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(format!("information request {request} is not open")));
            }
        }
        if d.status == DecisionStatus::Disclosed {
            self.insert_disclosures(conn, d).await
        } else {
            Ok(Vec::new())
        }
    }

    /// Writes the decision's own row, its free text sealed with the data key of `subject` (its
    /// first person).
    async fn insert_decision_row(
        &self,
        conn: &mut AnyConnection,
        d: &Decision,
        subject: &PersonId,
    ) -> Result<(), StoreError> {
        let key = person_key(self, &subject.to_string()).await?;
        let (position, exemption, review_on) = match &d.family {
            FamilyPosition::Told { .. } => ("told", None, None),
            FamilyPosition::Exempt { exemption, review_on } => {
                ("exempt", Some(exemption.clone()), Some(review_on.to_string()))
            }
        };
        sqlx::query(
            "INSERT INTO sharing_decisions (id, notice, notice_version, status, subject_id, request_id, purpose, basis, \
             condition_id, statute, agreement_id, categories, consent, without_consent_ground, family_position, \
             exemption, review_on, urgency, expires_on, whole_record, needs_guardian, clauses, sealed, decided_by, \
             decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
             $19, $20, $21, $22, $23, $24, $25)",
        )
        .bind(d.id.to_string())
        .bind(&d.notice)
        .bind(i64::from(d.notice_version))
        .bind(d.status.code())
        .bind(subject.to_string())
        .bind(d.request_id.map(|r| r.to_string()))
        .bind(&d.purpose)
        .bind(&d.basis)
        .bind(d.condition.clone())
        .bind(&d.statute)
        .bind(d.agreement_id.map(|a| a.to_string()))
        .bind(join(&d.categories, |c| c.code()))
        .bind(d.consent.code())
        .bind(d.without_consent_ground.clone())
        .bind(position)
        .bind(exemption)
        .bind(review_on)
        .bind(d.urgency.code())
        .bind(d.expires_on.map(|e| e.to_string()))
        .bind(i64::from(d.whole_record_justification.is_some()))
        .bind(i64::from(d.needs_guardian))
        .bind(serde_json::to_string(&d.clauses).expect("strings serialise"))
        .bind(self.seal_decision(&key, d)?)
        .bind(d.decided_by.to_string())
        .bind(time::format_ts(d.decided_at))
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// Writes the decision's people (with the fields shared about each), entries and recipients
    /// (with the agreement clause each was matched on).
    async fn insert_decision_parts(conn: &mut AnyConnection, d: &Decision) -> Result<(), StoreError> {
        for p in &d.people {
            let fields =
                d.person_fields.iter().find(|f| f.person_id == *p).map(|f| f.fields.clone()).unwrap_or_default();
            sqlx::query("INSERT INTO decision_people (decision_id, person_id, fields) VALUES ($1, $2, $3)")
                .bind(d.id.to_string())
                .bind(p.to_string())
                .bind(join(&fields, |f| f.code()))
                .execute(&mut *conn)
                .await?;
        }
        for e in &d.entries {
            sqlx::query("INSERT INTO decision_entries (decision_id, entry_id, fields) VALUES ($1, $2, $3)")
                .bind(d.id.to_string())
                .bind(e.entry_id.to_string())
                .bind(join(&e.fields, |f| f.code()))
                .execute(&mut *conn)
                .await?;
        }
        for org in &d.recipients {
            let matched = d.recipient_matches.iter().find(|m| m.organisation == *org);
            sqlx::query(
                "INSERT INTO decision_recipients (decision_id, org_id, entry, clause, reason) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(d.id.to_string())
            .bind(org.to_string())
            .bind(matched.map(|m| m.entry.clone()))
            .bind(matched.map(|m| m.clause.clone()))
            .bind(matched.map(|m| m.reason.clone()))
            .execute(&mut *conn)
            .await?;
        }
        Ok(())
    }

    async fn decision_from_row(&self, conn: &mut AnyConnection, r: &AnyRow) -> Result<Decision, StoreError> {
        let id: String = r.try_get("id")?;
        let subject: String = r.try_get("subject_id")?;
        let key = person_key(self, &subject).await?;
        let sealed: Vec<u8> = r.try_get("sealed")?;
        let opened: SealedDecision = serde_json::from_slice(&key.open(&format!("decision:{id}"), &sealed)?)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let (people, person_fields) = Self::decision_people(conn, &id, &subject).await?;
        let entries = Self::decision_entries(conn, &id).await?;
        let (recipients, recipient_matches) = Self::decision_recipients(conn, &id).await?;
        let status: String = r.try_get("status")?;
        let urgency: String = r.try_get("urgency")?;
        let clauses: String = r.try_get("clauses")?;
        let guardian = Self::guardian_from_row(r, &opened)?;
        let agreement: Option<String> = r.try_get("agreement_id")?;
        let request: Option<String> = r.try_get("request_id")?;
        Ok(Decision {
            id: parse_id(&id)?,
            notice: r.try_get("notice")?,
            notice_version: u32::try_from(r.try_get::<i64, _>("notice_version")?)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            status: DecisionStatus::from_code(&status)
                .ok_or_else(|| StoreError::Corrupt(format!("status {status}")))?,
            people,
            request_id: request.as_deref().map(parse_id).transpose()?,
            recipients,
            purpose: r.try_get("purpose")?,
            basis: r.try_get("basis")?,
            condition: r.try_get("condition_id")?,
            statute: r.try_get("statute")?,
            agreement_id: agreement.as_deref().map(parse_id).transpose()?,
            entries,
            person_fields,
            whole_record_justification: opened.whole_record_justification,
            categories: split(&r.try_get::<String, _>("categories")?, DataCategory::from_code)?,
            consent: opened.consent,
            without_consent_ground: r.try_get("without_consent_ground")?,
            family: opened.family,
            rationale: opened.rationale,
            urgency: Urgency::from_code(&urgency).ok_or_else(|| StoreError::Corrupt(format!("urgency {urgency}")))?,
            expires_on: opt_date(r, "expires_on")?,
            clauses: serde_json::from_str(&clauses).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            recipient_matches,
            confirmed_categories: opened.confirmed_categories,
            needs_guardian: r.try_get::<i64, _>("needs_guardian")? != 0,
            guardian,
            decided_by: parse_id(&r.try_get::<String, _>("decided_by")?)?,
            decided_at: time::parse_ts(&r.try_get::<String, _>("decided_at")?)?,
        })
    }

    /// A decision's people, `subject` (the first person, whose key seals the text) first, and
    /// the fields shared about those with any.
    async fn decision_people(
        conn: &mut AnyConnection,
        id: &str,
        subject: &str,
    ) -> Result<(Vec<PersonId>, Vec<DisclosedPerson>), StoreError> {
        let people_rows = sqlx::query("SELECT person_id, fields FROM decision_people WHERE decision_id = $1")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
        let mut people: Vec<PersonId> = Vec::new();
        let mut person_fields = Vec::new();
        for pr in &people_rows {
            let pid: PersonId = parse_id(&pr.try_get::<String, _>("person_id")?)?;
            let fields = split(&pr.try_get::<String, _>("fields")?, PersonField::from_code)?;
            if !fields.is_empty() {
                person_fields.push(DisclosedPerson { person_id: pid, fields });
            }
            people.push(pid);
        }
        // The first person (whose key seals the text) comes first.
        let subject_id: PersonId = parse_id(subject)?;
        people.sort_by_key(|p| (*p != subject_id, *p));
        Ok((people, person_fields))
    }

    /// A decision's entries, with the fields shared from each.
    async fn decision_entries(conn: &mut AnyConnection, id: &str) -> Result<Vec<DisclosedEntry>, StoreError> {
        sqlx::query("SELECT entry_id, fields FROM decision_entries WHERE decision_id = $1 ORDER BY entry_id")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|er| {
                Ok(DisclosedEntry {
                    entry_id: parse_id(&er.try_get::<String, _>("entry_id")?)?,
                    fields: split(&er.try_get::<String, _>("fields")?, EntryField::from_code)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()
    }

    /// A decision's recipients, and the agreement clause each was matched on, where one was.
    async fn decision_recipients(
        conn: &mut AnyConnection,
        id: &str,
    ) -> Result<(Vec<OrgId>, Vec<RecipientMatch>), StoreError> {
        let recipient_rows = sqlx::query(
            "SELECT org_id, entry, clause, reason FROM decision_recipients WHERE decision_id = $1 ORDER BY org_id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let mut recipients: Vec<OrgId> = Vec::new();
        let mut recipient_matches = Vec::new();
        for rr in &recipient_rows {
            let org: OrgId = parse_id(&rr.try_get::<String, _>("org_id")?)?;
            recipients.push(org);
            let (entry, clause, reason): (Option<String>, Option<String>, Option<String>) =
                (rr.try_get("entry")?, rr.try_get("clause")?, rr.try_get("reason")?);
            if let (Some(entry), Some(clause), Some(reason)) = (entry, clause, reason) {
                recipient_matches.push(RecipientMatch { organisation: org, entry, clause, reason });
            }
        }
        Ok((recipients, recipient_matches))
    }

    /// The Caldicott Guardian's ruling recorded on a decision's row, if there is one; its reason is
    /// in the decision's sealed text (`opened`).
    fn guardian_from_row(r: &AnyRow, opened: &SealedDecision) -> Result<Option<GuardianRuling>, StoreError> {
        let guardian_by: Option<String> = r.try_get("guardian_by")?;
        let guardian = match guardian_by {
            Some(by) => Some(GuardianRuling {
                by: parse_id(&by)?,
                at: time::parse_ts(&r.try_get::<String, _>("guardian_at")?)?,
                approved: r.try_get::<Option<i64>, _>("guardian_approved")?.unwrap_or(0) != 0,
                reason: opened.guardian_reason.clone().unwrap_or_default(),
            }),
            None => None,
        };
        Ok(guardian)
    }

    pub async fn decision(&self, id: DecisionId) -> Result<Decision, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let row = sqlx::query("SELECT * FROM sharing_decisions WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| StoreError::not_found("sharing decision", id))?;
        self.decision_from_row(&mut conn, &row).await
    }

    async fn decisions_where(&self, clause: &str, binds: &[String]) -> Result<Vec<Decision>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let sql = format!("SELECT * FROM sharing_decisions WHERE {clause} ORDER BY decided_at DESC, id");
        let mut q = sqlx::query(&sql);
        for b in binds {
            q = q.bind(b.clone());
        }
        let rows = q.fetch_all(&mut *conn).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.decision_from_row(&mut conn, r).await?);
        }
        Ok(out)
    }

    /// Decisions in a status, newest first.
    pub async fn decisions_in(&self, status: DecisionStatus) -> Result<Vec<Decision>, StoreError> {
        self.decisions_where("status = $1", &[status.code().to_string()]).await
    }

    /// Every decision about a person, newest first.
    pub async fn decisions_about(&self, person: PersonId) -> Result<Vec<Decision>, StoreError> {
        self.decisions_where(
            "id IN (SELECT decision_id FROM decision_people WHERE person_id = $1)",
            &[person.to_string()],
        )
        .await
    }

    /// Decisions whose family was not told and whose exemption is due for review on or before `on`
    /// (rejected decisions shared nothing, so they are left out).
    pub async fn notifications_due(&self, on: Date) -> Result<Vec<Decision>, StoreError> {
        self.decisions_where(
            "family_position = 'exempt' AND review_on <= $1 AND status <> 'rejected'",
            &[on.to_string()],
        )
        .await
    }

    /// The Guardian's ruling on a waiting decision: approval discloses it to every recipient.
    /// Fails with a conflict if the decision no longer waits.
    pub async fn rule_on_decision(
        &self,
        d: &Decision,
        ruling: &GuardianRuling,
        events: &[AuditEvent],
    ) -> Result<Vec<DisclosureRecord>, StoreError> {
        let mut ruled = d.clone();
        ruled.guardian = Some(ruling.clone());
        ruled.status = if ruling.approved { DecisionStatus::Disclosed } else { DecisionStatus::Rejected };
        let mut tx = self.write().await?;
        let key = person_key(self, &d.people[0].to_string()).await?;
        let done = sqlx::query(
            "UPDATE sharing_decisions SET status = $1, guardian_by = $2, guardian_at = $3, guardian_approved = $4, \
             sealed = $5 WHERE id = $6 AND status = 'awaiting_guardian'",
        )
        .bind(ruled.status.code())
        .bind(ruling.by.to_string())
        .bind(time::format_ts(ruling.at))
        .bind(i64::from(ruling.approved))
        .bind(self.seal_decision(&key, &ruled)?)
        .bind(d.id.to_string())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict(format!("sharing decision {} is not waiting for the Guardian", d.id)));
        }
        let out = if ruling.approved { self.insert_disclosures(&mut tx, &ruled).await? } else { Vec::new() };
        for e in events {
            tx.audit(e).await?;
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Records that the family has now been told, or a renewed exemption.
    pub async fn update_family(
        &self,
        d: &Decision,
        family: FamilyPosition,
        events: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut updated = d.clone();
        updated.family = family;
        let (position, exemption, review_on) = match &updated.family {
            FamilyPosition::Told { .. } => ("told", None, None),
            FamilyPosition::Exempt { exemption, review_on } => {
                ("exempt", Some(exemption.clone()), Some(review_on.to_string()))
            }
        };
        let mut tx = self.write().await?;
        let key = person_key(self, &d.people[0].to_string()).await?;
        sqlx::query(
            "UPDATE sharing_decisions SET family_position = $1, exemption = $2, review_on = $3, sealed = $4 WHERE id = $5",
        )
        .bind(position)
        .bind(exemption)
        .bind(review_on)
        .bind(self.seal_decision(&key, &updated)?)
        .bind(d.id.to_string())
        .execute(&mut *tx)
        .await?;
        for e in events {
            tx.audit(e).await?;
        }
        tx.commit().await
    }

    /// What an organisation has received, newest first (expired ones included; callers decide).
    pub async fn disclosures_to(&self, org: OrgId) -> Result<Vec<DisclosureRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {DISCLOSURE_COLUMNS} FROM disclosures d WHERE d.org_id = $1 ORDER BY d.disclosed_at DESC, d.id"
        ))
        .bind(org.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(disclosure_from_row).collect()
    }

    pub async fn disclosure(&self, id: DisclosureId) -> Result<DisclosureRecord, StoreError> {
        let row = sqlx::query(&format!("SELECT {DISCLOSURE_COLUMNS} FROM disclosures d WHERE d.id = $1"))
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found("disclosure", id))?;
        disclosure_from_row(&row)
    }

    /// Every disclosure of a decision about `person`, oldest first: the person's disclosure log.
    pub async fn disclosures_about(&self, person: PersonId) -> Result<Vec<DisclosureRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {DISCLOSURE_COLUMNS} FROM disclosures d JOIN decision_people p ON p.decision_id = d.decision_id \
             WHERE p.person_id = $1 ORDER BY d.disclosed_at, d.id"
        ))
        .bind(person.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(disclosure_from_row).collect()
    }
}
