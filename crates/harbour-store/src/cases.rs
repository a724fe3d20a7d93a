//! Case records: people, relationships, episodes and entries. Sensitive fields are sealed with
//! the person's data key before they reach the database and opened after they leave it.

use std::collections::{HashMap, HashSet};

use harbour_domain::{
    Address, DataCategory, Entry, EntryKind, Episode, EpisodeId, Gender, NhsNumber, NhsVerification, Person, PersonId,
    RecordClass, Relationship, RelationshipKind, Source, TeamId, Upn, UserId,
};
use jiff::civil::Date;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::accounts::parse_id;
use crate::audit::AuditEvent;
use crate::keys::PersonKey;
use crate::time::{self, parse_date};
use crate::{Store, StoreError};

/// What links teams to a person's record (see [`Store::access_facts`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessFacts {
    pub teams: HashSet<TeamId>,
    pub classes: HashSet<RecordClass>,
    /// The record is restricted (UK GDPR Art 18): stored, and nothing else.
    pub restricted: bool,
    /// Staff whose opening of the record in an emergency still lasts.
    pub emergency: HashSet<UserId>,
}

/// A search for people. Every given part must match.
#[derive(Debug, Clone, Default)]
pub struct PersonQuery {
    /// Words that must all appear in the person's name (case-insensitive).
    pub name: Option<String>,
    pub date_of_birth: Option<Date>,
    /// An NHS number, unique pupil number or local id, matched exactly.
    pub identifier: Option<String>,
    pub limit: i64,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct SealedPerson {
    /// None in rows sealed before names were (their names are moved in when the store opens).
    #[serde(default)]
    given_name: Option<String>,
    #[serde(default)]
    family_name: Option<String>,
    address: Option<Address>,
    pub(crate) nhs_number: Option<NhsNumber>,
    upn: Option<Upn>,
    local_id: Option<String>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct SealedEntry {
    pub(crate) location: Option<String>,
    pub(crate) subject: String,
    pub(crate) detail: String,
}

pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// A name from a row: its clear column while it has one (a row written before names were
/// sealed, until [`Store::seal_names`] moves it), else the sealed one.
fn clear_or_sealed(clear: String, sealed: Option<String>) -> String {
    if clear.is_empty() {
        sealed.unwrap_or_default()
    } else {
        clear
    }
}

/// How many matches of a search are opened and sorted by name, at most.
const SEARCH_OPENED: usize = 2_000;

/// Records a person's name search tokens.
pub(crate) async fn insert_name_tokens(
    conn: &mut AnyConnection,
    id: &str,
    tokens: &[String],
) -> Result<(), StoreError> {
    if tokens.is_empty() {
        return Ok(());
    }
    let values: Vec<String> = (0..tokens.len()).map(|i| format!("($1, ${})", i + 2)).collect();
    let sql = format!("INSERT INTO person_name_tokens (person_id, token) VALUES {}", values.join(", "));
    let mut q = sqlx::query(&sql).bind(id);
    for token in tokens {
        q = q.bind(token);
    }
    q.execute(&mut *conn).await?;
    Ok(())
}

pub(crate) async fn person_key(store: &Store, id: &str) -> Result<PersonKey, StoreError> {
    let wrapped = store
        .vault
        .get(&format!("person:{id}"))
        .await?
        .ok_or_else(|| StoreError::Keys(format!("no data key for person {id}")))?;
    store.keys.unwrap_person_key(id, &wrapped)
}

impl Store {
    fn identifier_indexes(&self, raw: &str) -> Vec<String> {
        let compact: String = raw.split_whitespace().collect::<String>();
        let mut out = vec![self.keys.blind_index("local", &compact.to_uppercase())];
        if let Ok(n) = NhsNumber::parse(&compact) {
            out.push(self.keys.blind_index("nhs", n.digits()));
        }
        if let Ok(u) = Upn::parse(&compact) {
            out.push(self.keys.blind_index("upn", u.as_str()));
        }
        out
    }

    /// Seals the names of people recorded before names were sealed (those migration 0008
    /// listed in `names_to_seal`): each such row's names move into its sealed details, the clear columns are emptied and its
    /// search tokens written, then the database is scrubbed so the clear names leave its
    /// files. A person whose key is gone is left for `drop_files_without_keys`. Returns how
    /// many were sealed.
    pub async fn seal_names(&self) -> Result<usize, StoreError> {
        let rows = sqlx::query(
            "SELECT p.id, p.given_name, p.family_name, p.sealed FROM names_to_seal n JOIN persons p ON p.id = n.person_id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut sealed_count = 0;
        for r in &rows {
            let id: String = r.try_get("id")?;
            let Some(wrapped) = self.vault.get(&format!("person:{id}")).await? else { continue };
            let key = self.keys.unwrap_person_key(&id, &wrapped)?;
            let context = format!("person:{id}");
            let mut details: SealedPerson =
                serde_json::from_slice(&key.open(&context, &r.try_get::<Vec<u8>, _>("sealed")?)?)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            // The clear columns hold the name as it was last written.
            let given = clear_or_sealed(r.try_get("given_name")?, details.given_name.take());
            let family = clear_or_sealed(r.try_get("family_name")?, details.family_name.take());
            details.given_name = Some(given.clone());
            details.family_name = Some(family.clone());
            let blob = key.seal(&context, &serde_json::to_vec(&details).expect("serialisable"))?;
            let mut tx = self.pool.begin().await?;
            sqlx::query(
                "UPDATE persons SET sealed = $1, given_name = '', family_name = '', search_name = '' WHERE id = $2",
            )
            .bind(blob)
            .bind(&id)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM person_name_tokens WHERE person_id = $1").bind(&id).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM names_to_seal WHERE person_id = $1").bind(&id).execute(&mut *tx).await?;
            insert_name_tokens(&mut tx, &id, &self.keys.name_tokens(&format!("{given} {family}"))).await?;
            tx.commit().await?;
            sealed_count += 1;
        }
        if sealed_count > 0 {
            self.scrub().await?;
        }
        Ok(sealed_count)
    }

    /// Records a new person with a fresh data key. `created_by_team` keeps the person
    /// visible to the creating team until an episode or relationship gives access.
    pub async fn insert_person(
        &self,
        p: &Person,
        created_by_team: Option<TeamId>,
        audit_event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        self.insert_person_in(&mut tx, p, created_by_team).await?;
        tx.audit(audit_event).await?;
        tx.commit().await
    }

    /// Inserts a person and their new data key on `conn` (inside the caller's transaction).
    pub(crate) async fn insert_person_in(
        &self,
        conn: &mut AnyConnection,
        p: &Person,
        created_by_team: Option<TeamId>,
    ) -> Result<(), StoreError> {
        let id = p.id.to_string();
        let (key, wrapped) = self.keys.new_person_key(&id)?;
        let sealed = SealedPerson {
            given_name: Some(p.given_name.clone()),
            family_name: Some(p.family_name.clone()),
            address: p.address.clone(),
            nhs_number: p.nhs_number.clone(),
            upn: p.upn.clone(),
            local_id: p.local_id.clone(),
        };
        let sealed = key.seal(&format!("person:{id}"), &serde_json::to_vec(&sealed).expect("serialisable"))?;
        // The name is sealed; the old name columns stay empty (see migration 0008).
        sqlx::query(
            "INSERT INTO persons (id, given_name, family_name, search_name, date_of_birth, gender, \
             care_experienced, disability, sealed, nhs_index, upn_index, local_id_index, created_by_team, created_at, \
             date_of_death, nhs_verified_on, nhs_verified_by) \
             VALUES ($1, '', '', '', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(&id)
        .bind(p.date_of_birth.map(|d| d.to_string()))
        .bind(p.gender.as_str())
        .bind(i64::from(p.care_experienced))
        .bind(i64::from(p.disability))
        .bind(sealed)
        .bind(p.nhs_number.as_ref().map(|n| self.keys.blind_index("nhs", n.digits())))
        .bind(p.upn.as_ref().map(|u| self.keys.blind_index("upn", u.as_str())))
        .bind(p.local_id.as_ref().map(|l| self.keys.blind_index("local", &l.to_uppercase())))
        .bind(created_by_team.map(|t| t.to_string()))
        .bind(time::now())
        .bind(p.date_of_death.map(|d| d.to_string()))
        .bind(p.nhs_number_verified.map(|v| v.verified_on.to_string()))
        .bind(p.nhs_number_verified.map(|v| v.verified_by.to_string()))
        .execute(&mut *conn)
        .await?;
        insert_name_tokens(conn, &id, &self.keys.name_tokens(&format!("{} {}", p.given_name, p.family_name))).await?;
        // The key goes to the vault first: if the row then fails to commit, an unused key is
        // left, never a row without its key.
        self.vault.put(&format!("person:{id}"), &wrapped).await?;
        Ok(())
    }

    async fn person_from_row(&self, r: &AnyRow) -> Result<Person, StoreError> {
        let id: String = r.try_get("id")?;
        let key = person_key(self, &id).await?;
        let sealed: Vec<u8> = r.try_get("sealed")?;
        let opened: SealedPerson = serde_json::from_slice(&key.open(&format!("person:{id}"), &sealed)?)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let gender: String = r.try_get("gender")?;
        let dob: Option<String> = r.try_get("date_of_birth")?;
        Ok(Person {
            id: parse_id(&id)?,
            given_name: clear_or_sealed(r.try_get("given_name")?, opened.given_name),
            family_name: clear_or_sealed(r.try_get("family_name")?, opened.family_name),
            date_of_birth: dob.as_deref().map(parse_date).transpose()?,
            gender: Gender::parse(&gender).ok_or_else(|| StoreError::Corrupt(format!("gender {gender:?}")))?,
            address: opened.address,
            nhs_number: opened.nhs_number,
            upn: opened.upn,
            local_id: opened.local_id,
            care_experienced: r.try_get::<i64, _>("care_experienced")? != 0,
            disability: r.try_get::<i64, _>("disability")? != 0,
            date_of_death: optional_date(r, "date_of_death")?,
            nhs_number_verified: nhs_verification(r)?,
        })
    }

    /// These people, in one query (those that do not exist are left out).
    pub async fn people(&self, ids: &[PersonId]) -> Result<Vec<Person>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!("SELECT * FROM persons WHERE id IN ({})", placeholders(1, ids.len()));
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(id.to_string());
        }
        let rows = q.fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.person_from_row(r).await?);
        }
        Ok(out)
    }

    pub async fn person(&self, id: PersonId) -> Result<Person, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let row = sqlx::query("SELECT * FROM persons WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| StoreError::not_found("person", id))?;
        self.person_from_row(&row).await
    }

    pub async fn person_exists(&self, id: PersonId) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM persons WHERE id = $1")
            .bind(id.to_string())
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    /// People matching every part of the query, ordered by family then given name.
    pub async fn search_people(&self, q: &PersonQuery) -> Result<Vec<Person>, StoreError> {
        let mut clauses = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        if let Some(name) = &q.name {
            for word in crate::keys::name_words(name).iter().take(5) {
                binds.push(self.keys.name_token(word));
                clauses
                    .push(format!("id IN (SELECT person_id FROM person_name_tokens WHERE token = ${})", binds.len()));
            }
        }
        if let Some(dob) = q.date_of_birth {
            binds.push(dob.to_string());
            clauses.push(format!("date_of_birth = ${}", binds.len()));
        }
        if let Some(ident) = q.identifier.as_deref().filter(|s| !s.trim().is_empty()) {
            let idx = self.identifier_indexes(ident);
            let first = binds.len() + 1;
            let ph = placeholders(first, idx.len());
            clauses.push(format!("(nhs_index IN ({ph}) OR upn_index IN ({ph}) OR local_id_index IN ({ph}))"));
            binds.extend(idx);
        }
        if clauses.is_empty() {
            return Ok(Vec::new());
        }
        // Names are sealed, so matches are opened and put in name order here; at most
        // SEARCH_OPENED of them (a search that broad is refined, not read through).
        let sql = format!("SELECT * FROM persons WHERE {} ORDER BY id LIMIT {SEARCH_OPENED}", clauses.join(" AND "));
        let mut conn = self.pool.acquire().await?;
        let mut query = sqlx::query(&sql);
        for b in &binds {
            query = query.bind(b.as_str());
        }
        let rows = query.fetch_all(&mut *conn).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.person_from_row(r).await?);
        }
        out.sort_by_cached_key(|p| (p.family_name.to_lowercase(), p.given_name.to_lowercase(), p.id));
        out.truncate(usize::try_from(q.limit.clamp(1, 500)).unwrap_or(500));
        Ok(out)
    }

    /// For each person, what gives a team a legitimate relationship to their record: the teams
    /// with an episode for them, or for someone related to them, that is open or closed on or
    /// after `closed_since`, with those episodes' record classes; and the team that recorded them.
    pub async fn access_facts(
        &self,
        people: &[PersonId],
        closed_since: Date,
        now: Timestamp,
    ) -> Result<HashMap<PersonId, AccessFacts>, StoreError> {
        let mut out: HashMap<PersonId, AccessFacts> = people.iter().map(|p| (*p, AccessFacts::default())).collect();
        if people.is_empty() {
            return Ok(out);
        }
        let ph = placeholders(3, people.len());
        let live = "(e.closed_on IS NULL OR e.closed_on >= $1)";
        let sql = format!(
            "SELECT e.person_id AS pid, e.team_id AS tid, e.record_class AS class FROM episodes e \
               WHERE e.person_id IN ({ph}) AND {live} \
             UNION SELECT r.from_person, e.team_id, e.record_class FROM relationships r \
               JOIN episodes e ON e.person_id = r.to_person WHERE r.from_person IN ({ph}) AND {live} \
             UNION SELECT r.to_person, e.team_id, e.record_class FROM relationships r \
               JOIN episodes e ON e.person_id = r.from_person WHERE r.to_person IN ({ph}) AND {live} \
             UNION SELECT id, created_by_team, NULL FROM persons WHERE id IN ({ph}) AND created_by_team IS NOT NULL \
             UNION SELECT person_id, NULL, 'restricted' FROM person_restrictions WHERE person_id IN ({ph}) \
             UNION SELECT person_id, user_id, 'emergency' FROM emergency_access \
               WHERE person_id IN ({ph}) AND expires_at > $2"
        );
        let mut query = sqlx::query(&sql).bind(closed_since.to_string()).bind(time::format_ts(now));
        for p in people {
            query = query.bind(p.to_string());
        }
        for r in query.fetch_all(&self.pool).await? {
            let pid: PersonId = parse_id(&r.try_get::<String, _>(0)?)?;
            let facts = out.entry(pid).or_default();
            let class = r.try_get::<Option<String>, _>(2)?;
            if class.as_deref() == Some("emergency") {
                // An emergency opening's row: the second column is who opened it.
                facts.emergency.insert(parse_id(&r.try_get::<String, _>(1)?)?);
                continue;
            }
            let Some(team) = r.try_get::<Option<String>, _>(1)? else {
                // The restriction's row: no team, the class column says what it is.
                facts.restricted |= class.as_deref() == Some("restricted");
                continue;
            };
            facts.teams.insert(parse_id(&team)?);
            if let Some(class) = class {
                let class = RecordClass::from_code(&class)
                    .ok_or_else(|| StoreError::Corrupt(format!("record class {class:?}")))?;
                facts.classes.insert(class);
            }
        }
        Ok(out)
    }

    pub async fn insert_relationship(&self, rel: &Relationship, audit_event: &AuditEvent) -> Result<(), StoreError> {
        let insert = sqlx::query(
            "INSERT INTO relationships (id, from_person, to_person, kind, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(rel.id.to_string())
        .bind(rel.from.to_string())
        .bind(rel.to.to_string())
        .bind(rel.kind.code())
        .bind(time::now());
        self.execute_audited(insert, audit_event).await
    }

    /// Relationships in which the person stands on either side.
    pub async fn relationships_of(&self, person: PersonId) -> Result<Vec<Relationship>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, from_person, to_person, kind FROM relationships \
             WHERE from_person = $1 OR to_person = $1 ORDER BY created_at, id",
        )
        .bind(person.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                Ok(Relationship {
                    id: parse_id(&r.try_get::<String, _>("id")?)?,
                    from: parse_id(&r.try_get::<String, _>("from_person")?)?,
                    to: parse_id(&r.try_get::<String, _>("to_person")?)?,
                    kind: RelationshipKind::from_code(&kind)
                        .ok_or_else(|| StoreError::Corrupt(format!("relationship kind {kind:?}")))?,
                })
            })
            .collect()
    }

    pub async fn insert_episode(&self, ep: &Episode, audit_event: &AuditEvent) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        insert_episode_in(&mut tx, ep).await?;
        tx.audit(audit_event).await?;
        tx.commit().await
    }

    /// Records the closing date of an open episode.
    pub async fn close_episode(&self, id: EpisodeId, on: Date, audit_event: &AuditEvent) -> Result<(), StoreError> {
        let update = sqlx::query("UPDATE episodes SET closed_on = $1 WHERE id = $2 AND closed_on IS NULL")
            .bind(on.to_string())
            .bind(id.to_string());
        self.update_one(update, || format!("episode {id} is not open"), audit_event).await
    }

    /// Reopens a closed episode (`closed_on` None) or corrects its closing date. Its disposal
    /// date follows, being computed from these dates whenever it is asked for.
    pub async fn amend_closure(
        &self,
        id: EpisodeId,
        closed_on: Option<Date>,
        audit_event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let update = sqlx::query("UPDATE episodes SET closed_on = $1 WHERE id = $2 AND closed_on IS NOT NULL")
            .bind(closed_on.map(|d| d.to_string()))
            .bind(id.to_string());
        self.update_one(update, || format!("episode {id} is not closed"), audit_event).await
    }

    pub async fn episode(&self, id: EpisodeId) -> Result<Episode, StoreError> {
        let row = sqlx::query("SELECT * FROM episodes WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found("episode", id))?;
        episode_from_row(&row)
    }

    /// Open episodes allocated to a team, oldest first: the team's caseload.
    pub async fn open_episodes_of_team(&self, team: TeamId) -> Result<Vec<Episode>, StoreError> {
        let rows =
            sqlx::query("SELECT * FROM episodes WHERE team_id = $1 AND closed_on IS NULL ORDER BY opened_on, id")
                .bind(team.to_string())
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(episode_from_row).collect()
    }

    pub async fn episodes_of(&self, person: PersonId) -> Result<Vec<Episode>, StoreError> {
        let rows = sqlx::query("SELECT * FROM episodes WHERE person_id = $1 ORDER BY opened_on DESC, id")
            .bind(person.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(episode_from_row).collect()
    }

    /// Records an entry, its text sealed with the key of `subject`, the episode's person.
    pub async fn insert_entry(&self, e: &Entry, subject: PersonId, audit_event: &AuditEvent) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        self.insert_entry_in(&mut tx, e, subject).await?;
        tx.audit(audit_event).await?;
        tx.commit().await
    }

    /// Sets an entry's categories (the caller only ever adds to them), with its audit event.
    pub async fn tag_entry(
        &self,
        id: harbour_domain::EntryId,
        categories: &[harbour_domain::DataCategory],
        audit_event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let codes: Vec<&str> = categories.iter().map(|c| c.code()).collect();
        let update =
            sqlx::query("UPDATE entries SET categories = $1 WHERE id = $2").bind(codes.join(",")).bind(id.to_string());
        self.update_one(update, || format!("entry {id} does not exist"), audit_event).await
    }

    pub(crate) async fn insert_entry_in(
        &self,
        conn: &mut AnyConnection,
        e: &Entry,
        subject: PersonId,
    ) -> Result<(), StoreError> {
        let id = e.id.to_string();
        let key = person_key(self, &subject.to_string()).await?;
        let sealed = SealedEntry { location: e.location.clone(), subject: e.subject.clone(), detail: e.detail.clone() };
        let sealed = key.seal(&format!("entry:{id}"), &serde_json::to_vec(&sealed).expect("serialisable"))?;
        sqlx::query(
            "INSERT INTO entries (id, episode_id, kind, occurred_at, sealed, source_kind, source_id, categories, \
             recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&id)
        .bind(e.episode_id.to_string())
        .bind(e.kind.code())
        .bind(e.occurred_at.to_string())
        .bind(sealed)
        .bind(e.source.kind_code())
        .bind(e.source.id_string())
        .bind(e.categories.iter().map(|c| c.code()).collect::<Vec<_>>().join(","))
        .bind(e.recorded_by.to_string())
        .bind(time::format_ts(e.recorded_at))
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// Entries of one episode, most recent first.
    pub async fn entries_of_episode(&self, episode: EpisodeId) -> Result<Vec<Entry>, StoreError> {
        self.entries_where("e.episode_id = $1", &episode.to_string()).await
    }

    /// Entries of every episode of one person, most recent first.
    pub async fn entries_of_person(&self, person: PersonId) -> Result<Vec<Entry>, StoreError> {
        self.entries_where("ep.person_id = $1", &person.to_string()).await
    }

    /// The given entries, each with its person and its episode's record class (missing ids
    /// are left out).
    pub async fn entries_with_context(
        &self,
        ids: &[harbour_domain::EntryId],
    ) -> Result<Vec<(Entry, PersonId, RecordClass)>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.pool.acquire().await?;
        let sql = format!(
            "SELECT e.*, ep.person_id, ep.record_class FROM entries e JOIN episodes ep ON ep.id = e.episode_id \
             WHERE e.id IN ({}) ORDER BY e.occurred_at DESC, e.recorded_at DESC",
            placeholders(1, ids.len())
        );
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(id.to_string());
        }
        let rows = q.fetch_all(&mut *conn).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let pid: String = r.try_get("person_id")?;
            let key = person_key(self, &pid).await?;
            let class: String = r.try_get("record_class")?;
            let class =
                RecordClass::from_code(&class).ok_or_else(|| StoreError::Corrupt(format!("record class {class:?}")))?;
            out.push((entry_from_row(r, &key)?, parse_id(&pid)?, class));
        }
        Ok(out)
    }

    async fn entries_where(&self, clause: &str, value: &str) -> Result<Vec<Entry>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let rows = sqlx::query(&format!(
            "SELECT e.*, ep.person_id FROM entries e JOIN episodes ep ON ep.id = e.episode_id \
             WHERE {clause} ORDER BY e.occurred_at DESC, e.recorded_at DESC"
        ))
        .bind(value)
        .fetch_all(&mut *conn)
        .await?;
        let mut keys: HashMap<String, PersonKey> = HashMap::new();
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let pid: String = r.try_get("person_id")?;
            if !keys.contains_key(&pid) {
                let k = person_key(self, &pid).await?;
                keys.insert(pid.clone(), k);
            }
            out.push(entry_from_row(r, &keys[&pid])?);
        }
        Ok(out)
    }
}

pub(crate) async fn insert_episode_in(conn: &mut AnyConnection, ep: &Episode) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO episodes (id, person_id, record_class, opened_on, closed_on, team_id, worker_id, \
         eligibility_override, retention_class, left_school_on, published_on, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(ep.id.to_string())
    .bind(ep.person_id.to_string())
    .bind(ep.record_class.code())
    .bind(ep.opened_on.to_string())
    .bind(ep.closed_on.map(|d| d.to_string()))
    .bind(ep.team_id.to_string())
    .bind(ep.worker_id.map(|w| w.to_string()))
    .bind(ep.eligibility_override.clone())
    .bind(ep.retention_class.clone())
    .bind(ep.left_school_on.map(|d| d.to_string()))
    .bind(ep.published_on.map(|d| d.to_string()))
    .bind(time::now())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(crate) fn episode_from_row(r: &AnyRow) -> Result<Episode, StoreError> {
    let class: String = r.try_get("record_class")?;
    let closed: Option<String> = r.try_get("closed_on")?;
    let worker: Option<String> = r.try_get("worker_id")?;
    Ok(Episode {
        id: parse_id(&r.try_get::<String, _>("id")?)?,
        person_id: parse_id(&r.try_get::<String, _>("person_id")?)?,
        record_class: RecordClass::from_code(&class)
            .ok_or_else(|| StoreError::Corrupt(format!("record class {class:?}")))?,
        opened_on: parse_date(&r.try_get::<String, _>("opened_on")?)?,
        closed_on: closed.as_deref().map(parse_date).transpose()?,
        team_id: parse_id(&r.try_get::<String, _>("team_id")?)?,
        worker_id: worker.as_deref().map(parse_id).transpose()?,
        eligibility_override: r.try_get("eligibility_override")?,
        retention_class: r.try_get("retention_class")?,
        left_school_on: optional_date(r, "left_school_on")?,
        published_on: optional_date(r, "published_on")?,
    })
}

/// Who verified a person's NHS number and when, from their row (both set or neither).
fn nhs_verification(r: &AnyRow) -> Result<Option<NhsVerification>, StoreError> {
    let by: Option<String> = r.try_get("nhs_verified_by")?;
    match (optional_date(r, "nhs_verified_on")?, by) {
        (Some(verified_on), Some(by)) => Ok(Some(NhsVerification { verified_on, verified_by: parse_id(&by)? })),
        _ => Ok(None),
    }
}

pub(crate) fn optional_date(r: &AnyRow, column: &str) -> Result<Option<Date>, StoreError> {
    let v: Option<String> = r.try_get(column)?;
    v.as_deref().map(parse_date).transpose()
}

fn entry_from_row(r: &AnyRow, key: &PersonKey) -> Result<Entry, StoreError> {
    let id: String = r.try_get("id")?;
    let sealed: Vec<u8> = r.try_get("sealed")?;
    let opened: SealedEntry = serde_json::from_slice(&key.open(&format!("entry:{id}"), &sealed)?)
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let kind: String = r.try_get("kind")?;
    let source_kind: String = r.try_get("source_kind")?;
    let source_id: String = r.try_get("source_id")?;
    let categories: String = r.try_get("categories")?;
    let occurred: String = r.try_get("occurred_at")?;
    Ok(Entry {
        id: parse_id(&id)?,
        episode_id: parse_id(&r.try_get::<String, _>("episode_id")?)?,
        kind: EntryKind::from_code(&kind).ok_or_else(|| StoreError::Corrupt(format!("entry kind {kind:?}")))?,
        occurred_at: occurred.parse().map_err(|e| StoreError::Corrupt(format!("{occurred:?}: {e}")))?,
        location: opened.location,
        subject: opened.subject,
        detail: opened.detail,
        source: Source::from_parts(&source_kind, &source_id)
            .ok_or_else(|| StoreError::Corrupt(format!("source {source_kind}:{source_id}")))?,
        categories: categories
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|c| DataCategory::from_code(c).ok_or_else(|| StoreError::Corrupt(format!("category {c:?}"))))
            .collect::<Result<_, _>>()?,
        recorded_by: parse_id(&r.try_get::<String, _>("recorded_by")?)?,
        recorded_at: time::parse_ts(&r.try_get::<String, _>("recorded_at")?)?,
    })
}
