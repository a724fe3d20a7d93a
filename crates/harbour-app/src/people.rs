//! The case service: every use of case data passes through here. Each operation asks the
//! authorizer first, refuses (and records the refusal) when it says no, and records what was
//! done in the audit trail together with the policies that allowed it.
//!
//! It knows the store and the authorizer, never HTTP requests or responses.

use std::collections::HashMap;

use harbour_domain::{
    episode::check_dates, Eligibility, Entry, Episode, EpisodeClosure, EpisodeId, NewEntry, NewEpisode, NewPerson,
    NewRelationship, Person, PersonId, Relationship, RelationshipKind, Source,
};
use harbour_policy::{Action, Decision, Resource};
use harbour_store::{AccessFacts, AuditEvent, Outcome, PersonQuery};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{AppError, AppResult};
use crate::Actor;
use crate::App;

/// A team keeps access to a closed episode's records for this many days after closure, so
/// the worker can finish the closing summary and answer follow-up.
const ACCESS_AFTER_CLOSURE_DAYS: i64 = 90;

/// A line in search results.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonSummary {
    pub id: PersonId,
    pub given_name: String,
    pub family_name: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub date_of_birth: Option<jiff::civil::Date>,
    #[schema(value_type = Option<String>)]
    pub nhs_number: Option<String>,
}

/// The other person in a relationship, named only if the reader may see their record.
#[derive(Debug, Serialize, ToSchema)]
pub struct RelatedPerson {
    pub id: PersonId,
    pub name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RelationshipView {
    pub id: harbour_domain::RelationshipId,
    /// How the other person stands to this one, e.g. "parent/carer (with parental responsibility)".
    pub description: String,
    pub relationship: RelationshipKind,
    /// `from` when this person is the parent, household member or perpetrator.
    pub direction: &'static str,
    pub other: RelatedPerson,
}

/// Everything on a person's page.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonRecord {
    pub person: Person,
    pub eligibility: Eligibility,
    pub episodes: Vec<Episode>,
    pub relationships: Vec<RelationshipView>,
    /// Why the reader may see this record.
    pub access: String,
    /// The address is marked "do not disclose": it is kept out of every share, subject access
    /// bundle, export and report.
    pub address_confidential: bool,
    /// Only [`App::person_record`] makes one, so holding one proves the read was authorized and
    /// audited: the reads made on its strength ([`App::record_consents`],
    /// [`App::record_retention`]) need no check of their own.
    #[serde(skip)]
    #[schema(ignore)]
    _read: ReadProof,
}

/// See [`PersonRecord`]: a value nothing outside this module can make.
#[derive(Debug)]
struct ReadProof(());

fn summary(p: &Person) -> PersonSummary {
    PersonSummary {
        id: p.id,
        given_name: p.given_name.clone(),
        family_name: p.family_name.clone(),
        date_of_birth: p.date_of_birth,
        nhs_number: p.nhs_number.as_ref().map(ToString::to_string),
    }
}

/// Audit actions that mean someone saw (part of) a person's record.
const LOOKS: &[&str] = &["person.read", "person.listed", "entries.read", "episode.read", "entry.form"];

/// The authorizer's view of a person's record.
pub(crate) fn resource(id: PersonId, facts: &HashMap<PersonId, AccessFacts>) -> Resource {
    let f = facts.get(&id);
    Resource::Person {
        id,
        teams: f.map(|f| f.teams.iter().copied().collect()).unwrap_or_default(),
        classes: f.map(|f| f.classes.iter().copied().collect()).unwrap_or_default(),
        restricted: f.is_some_and(|f| f.restricted),
        emergency: f.map(|f| f.emergency.iter().copied().collect()).unwrap_or_default(),
    }
}

/// Episodes closed on or after this day still give their team access (see
/// [`ACCESS_AFTER_CLOSURE_DAYS`]).
pub(crate) fn closed_since(today: jiff::civil::Date) -> jiff::civil::Date {
    today.checked_sub(jiff::Span::new().days(ACCESS_AFTER_CLOSURE_DAYS)).unwrap_or(today)
}

impl App {
    pub(crate) fn event(&self, actor: &Actor, action: &str, kind: &'static str, decision: &Decision) -> AuditEvent {
        let purpose = actor.purpose();
        AuditEvent::new(action, kind)
            .by(actor.user.id, actor.user.org_id)
            .purpose(purpose)
            .policies(decision.policy_ids.clone())
    }

    /// Asks the authorizer; a refusal is recorded and returned as `Forbidden`.
    pub(crate) async fn authorize(
        &self,
        actor: &Actor,
        action: Action,
        resource: Resource,
        audit_action: &str,
    ) -> AppResult<Decision> {
        let decision = self.authz.decide(&actor.principal(), action, &resource);
        if !decision.allowed {
            let mut event = self.event(actor, audit_action, "person", &decision).outcome(Outcome::Denied);
            if let Resource::Person { id, .. } = resource {
                event = event.target(id).about(id);
            } else {
                event.target_kind = "system";
            }
            self.store.audit(&event).await?;
            return Err(AppError::Forbidden { explanation: decision.explanation, policy_ids: decision.policy_ids });
        }
        Ok(decision)
    }

    /// What decides who may see these people's records now: the teams with a legitimate
    /// relationship (episodes open, or closed within the access window), the record classes,
    /// a restriction, and the staff whose emergency opening still lasts.
    pub(crate) async fn access_facts(
        &self,
        now: &crate::clock::Now,
        people: &[PersonId],
    ) -> AppResult<HashMap<PersonId, AccessFacts>> {
        Ok(self.store.access_facts(people, closed_since(now.today()), now.instant).await?)
    }

    pub(crate) async fn person_resource(&self, id: PersonId, now: &crate::clock::Now) -> AppResult<Resource> {
        let facts = self.access_facts(now, &[id]).await?;
        Ok(resource(id, &facts))
    }

    /// Checks `action` on a person's record, which must exist.
    pub async fn authorize_person(
        &self,
        actor: &Actor,
        action: Action,
        id: PersonId,
        audit_action: &str,
    ) -> AppResult<Decision> {
        if !self.store.person_exists(id).await? {
            return Err(AppError::not_found(&format!("person {id}")));
        }
        let resource = self.person_resource(id, &actor.now).await?;
        self.authorize(actor, action, resource, audit_action).await
    }

    pub async fn authorize_system(&self, actor: &Actor, action: Action, audit_action: &str) -> AppResult<Decision> {
        self.authorize(actor, action, Resource::System, audit_action).await
    }

    /// People matching the query whose records the actor may read. Each one listed is audited.
    pub async fn search_people(&self, actor: &Actor, query: PersonQuery) -> AppResult<Vec<PersonSummary>> {
        let found = self.store.search_people(&query).await?;
        let ids: Vec<PersonId> = found.iter().map(|p| p.id).collect();
        let facts = self.access_facts(&actor.now, &ids).await?;
        let mut out = Vec::new();
        for p in &found {
            let resource = resource(p.id, &facts);
            let decision = self.authz.decide(&actor.principal(), Action::Read, &resource);
            if decision.allowed {
                let event = self.event(actor, "person.listed", "person", &decision).target(p.id).about(p.id);
                self.store.audit(&event).await?;
                out.push(summary(p));
            }
        }
        Ok(out)
    }

    /// The open episodes allocated to the actor's team, with the people they are about:
    /// what a practitioner sees first. Each person listed is audited.
    pub async fn caseload(&self, actor: &Actor) -> AppResult<Vec<(PersonSummary, Episode)>> {
        let Some(team) = actor.user.team_id else { return Ok(Vec::new()) };
        let episodes = self.store.open_episodes_of_team(team).await?;
        let ids: Vec<PersonId> = episodes.iter().map(|e| e.person_id).collect();
        let facts = self.access_facts(&actor.now, &ids).await?;
        let mut out = Vec::new();
        for ep in episodes {
            let resource = resource(ep.person_id, &facts);
            let decision = self.authz.decide(&actor.principal(), Action::Read, &resource);
            if decision.allowed {
                let person = self.store.person(ep.person_id).await?;
                let event = self.event(actor, "person.listed", "person", &decision).target(person.id).about(person.id);
                self.store.audit(&event).await?;
                out.push((summary(&person), ep));
            }
        }
        Ok(out)
    }

    pub async fn person_record(&self, actor: &Actor, id: PersonId) -> AppResult<PersonRecord> {
        let decision = self.authorize_person(actor, Action::Read, id, "person.read").await?;
        let person = self.store.person(id).await?;
        let episodes = self.store.episodes_of(id).await?;
        let rels = self.store.relationships_of(id).await?;
        let others: Vec<PersonId> = rels.iter().map(|r| if r.from == id { r.to } else { r.from }).collect();
        let other_facts = self.access_facts(&actor.now, &others).await?;
        let mut names: HashMap<PersonId, Option<String>> = HashMap::new();
        for other in &others {
            let resource = resource(*other, &other_facts);
            let visible = self.authz.decide(&actor.principal(), Action::Read, &resource).allowed;
            let name = if visible { Some(self.store.person(*other).await?.full_name()) } else { None };
            names.insert(*other, name);
        }
        let relationships = rels
            .into_iter()
            .map(|r| {
                let (direction, other) = if r.from == id { ("from", r.to) } else { ("to", r.from) };
                RelationshipView {
                    id: r.id,
                    description: r.kind.label().to_string(),
                    relationship: r.kind,
                    direction,
                    other: RelatedPerson { id: other, name: names.get(&other).cloned().flatten() },
                }
            })
            .collect();
        self.store.audit(&self.event(actor, "person.read", "person", &decision).target(id).about(id)).await?;
        Ok(PersonRecord {
            eligibility: Eligibility::of(&person, actor.now.today()),
            person,
            episodes,
            relationships,
            access: decision.explanation,
            address_confidential: !self.store.confidential_addresses(&[id]).await?.is_empty(),
            _read: ReadProof(()),
        })
    }

    /// Who has looked at or received a person's record: every read, listing and refusal,
    /// newest first, with who, their organisation, when and why.
    pub async fn access_log(&self, actor: &Actor, id: PersonId) -> AppResult<Vec<crate::ledger::AccessLogLine>> {
        let decision = self.authorize_person(actor, Action::ReadPersonAudit, id, "person.access_log.read").await?;
        let (users, orgs) = self.who_is_who().await?;
        let mut lines: Vec<crate::ledger::AccessLogLine> = self
            .store
            .audit_for_person(id)
            .await?
            .into_iter()
            // Every look, every disclosure and every sharing decision about them, every opening
            // in an emergency and its review, and every refusal (of a read, a share or anything
            // else) that names them.
            .filter(|e| {
                LOOKS.contains(&e.action.as_str())
                    || e.action.starts_with("disclosure.")
                    || e.action.starts_with("sharing.")
                    || e.action.starts_with("emergency.")
                    || e.outcome == "denied"
            })
            .map(|e| {
                let (who, org) = e
                    .actor_id
                    .as_ref()
                    .and_then(|a| users.get(a).cloned())
                    .unwrap_or_else(|| ("system".into(), String::new()));
                crate::ledger::AccessLogLine {
                    at: e.at,
                    who,
                    organisation: orgs.get(&org).cloned().unwrap_or_default(),
                    what: crate::ledger::action_words(&e.action),
                    action: e.action,
                    purpose: e.purpose,
                    outcome: e.outcome,
                }
            })
            .collect();
        lines.reverse();
        let event = self.event(actor, "person.access_log.read", "person", &decision).target(id).about(id);
        self.store.audit(&event).await?;
        Ok(lines)
    }

    /// Staff by id (their name and organisation's id), and organisations by id (their name):
    /// for saying who did what.
    pub(crate) async fn who_is_who(&self) -> AppResult<(HashMap<String, (String, String)>, HashMap<String, String>)> {
        let users = self
            .store
            .users()
            .await?
            .into_iter()
            .map(|u| (u.id.to_string(), (u.display_name, u.org_id.to_string())))
            .collect();
        let orgs = self.store.organisations().await?.into_iter().map(|o| (o.id.to_string(), o.name)).collect();
        Ok((users, orgs))
    }

    pub async fn create_person(&self, actor: &Actor, new: NewPerson) -> AppResult<Person> {
        let decision = self.authorize_system(actor, Action::CreatePerson, "person.create").await?;
        let person = new.validate(actor.now.today())?;
        let event = self.event(actor, "person.create", "person", &decision).target(person.id).about(person.id);
        self.store.insert_person(&person, actor.user.team_id, &event).await?;
        Ok(person)
    }

    /// Links two people. The actor must be able to write both records, so a link can never
    /// be used to reach a record they have no relationship to.
    pub async fn add_relationship(
        &self,
        actor: &Actor,
        from: PersonId,
        new: NewRelationship,
    ) -> AppResult<Relationship> {
        let decision = self.authorize_person(actor, Action::Write, from, "relationship.create").await?;
        if !self.store.person_exists(new.to).await? {
            return Err(AppError::UnknownReference(format!("person {} does not exist", new.to)));
        }
        let resource = self.person_resource(new.to, &actor.now).await?;
        self.authorize(actor, Action::Write, resource, "relationship.create").await?;
        let rel = Relationship::new(from, new.to, new.relationship)?;
        let event = self.event(actor, "relationship.create", "relationship", &decision).target(rel.id).about(from);
        self.store.insert_relationship(&rel, &event).await?;
        Ok(rel)
    }

    pub async fn open_episode(&self, actor: &Actor, person_id: PersonId, new: NewEpisode) -> AppResult<Episode> {
        let decision = self.authorize_person(actor, Action::Write, person_id, "episode.create").await?;
        check_dates(new.opened_on, new.closed_on, actor.now.today())?;
        if !self.store.team_exists(new.team_id).await? {
            return Err(AppError::UnknownReference(format!("team {} does not exist", new.team_id)));
        }
        if let Some(worker) = new.worker_id {
            self.store
                .user(worker)
                .await
                .map_err(|_| AppError::UnknownReference(format!("user {worker} does not exist")))?;
        }
        for (what, date) in [("leaving school", new.left_school_on), ("publication", new.published_on)] {
            if let Some(date) = date.filter(|d| *d > actor.now.today()) {
                return Err(harbour_domain::DomainError::DateInFuture { what, date }.into());
            }
        }
        let person = self.store.person(person_id).await?;
        harbour_domain::episode::check_opened_after_birth(new.opened_on, person.date_of_birth)?;
        let override_reason =
            harbour_domain::optional_text("override reason", new.eligibility_override.as_deref(), 1000)?;
        let eligibility = Eligibility::of(&person, new.opened_on);
        if !eligibility.eligible && override_reason.is_none() {
            return Err(harbour_domain::DomainError::PastEligibility {
                person: person.full_name(),
                upper_age: eligibility.upper_age,
                ended_on: eligibility.ends_on.unwrap_or(new.opened_on),
            }
            .into());
        }
        let episode = Episode {
            id: EpisodeId::new(),
            person_id,
            record_class: new.record_class,
            opened_on: new.opened_on,
            closed_on: new.closed_on,
            team_id: new.team_id,
            worker_id: new.worker_id,
            eligibility_override: if eligibility.eligible { None } else { override_reason },
            retention_class: Some(self.retention_class_for(new.record_class, new.retention_class.as_deref())?),
            left_school_on: new.left_school_on,
            published_on: new.published_on,
        };
        let event = self.event(actor, "episode.create", "episode", &decision).target(episode.id).about(person_id);
        self.store.insert_episode(&episode, &event).await?;
        Ok(episode)
    }

    /// Loads an episode and checks `action` on its person's record.
    pub async fn episode_for(
        &self,
        actor: &Actor,
        id: EpisodeId,
        action: Action,
        audit_action: &str,
    ) -> AppResult<(Episode, Decision)> {
        let episode = self.store.episode(id).await?;
        let decision = self.authorize_person(actor, action, episode.person_id, audit_action).await?;
        Ok((episode, decision))
    }

    pub async fn close_episode(&self, actor: &Actor, id: EpisodeId, closure: EpisodeClosure) -> AppResult<Episode> {
        let (mut episode, decision) = self.episode_for(actor, id, Action::Write, "episode.close").await?;
        episode.close(closure.closed_on, actor.now.today())?;
        let event = self.event(actor, "episode.close", "episode", &decision).target(id).about(episode.person_id);
        self.store.close_episode(id, closure.closed_on, &event).await?;
        Ok(episode)
    }

    pub async fn episode(&self, actor: &Actor, id: EpisodeId) -> AppResult<Episode> {
        let (episode, decision) = self.episode_for(actor, id, Action::Read, "episode.read").await?;
        let event = self.event(actor, "episode.read", "episode", &decision).target(id).about(episode.person_id);
        self.store.audit(&event).await?;
        Ok(episode)
    }

    pub async fn entries(&self, actor: &Actor, id: EpisodeId) -> AppResult<Vec<Entry>> {
        let (episode, decision) = self.episode_for(actor, id, Action::Read, "entries.read").await?;
        let entries = self.store.entries_of_episode(id).await?;
        let event = self.event(actor, "entries.read", "episode", &decision).target(id).about(episode.person_id);
        self.store.audit(&event).await?;
        Ok(entries)
    }

    /// Every entry about a person (all their episodes), newest first.
    pub async fn person_entries(&self, actor: &Actor, id: PersonId) -> AppResult<Vec<Entry>> {
        let decision = self.authorize_person(actor, Action::Read, id, "entries.read").await?;
        let entries = self.store.entries_of_person(id).await?;
        self.store.audit(&self.event(actor, "entries.read", "person", &decision).target(id).about(id)).await?;
        Ok(entries)
    }

    pub async fn add_entry(&self, actor: &Actor, id: EpisodeId, new: NewEntry) -> AppResult<Entry> {
        let (episode, decision) = self.episode_for(actor, id, Action::Write, "entry.create").await?;
        if !episode.is_open() {
            return Err(AppError::Conflict(format!("episode {id} is closed; entries go on an open episode")));
        }
        self.check_source(&new.source).await?;
        let entry = new.validate(id, episode.opened_on, actor.user.id, actor.now.instant)?;
        let event = self.event(actor, "entry.create", "entry", &decision).target(entry.id).about(episode.person_id);
        self.store.insert_entry(&entry, episode.person_id, &event).await?;
        Ok(entry)
    }

    /// Adds categories to an entry (the practitioner tagging what the scan found). Tags are
    /// only ever added here: taking one away could hide special-category content from the
    /// sharing checks.
    pub async fn tag_entry(
        &self,
        actor: &Actor,
        id: harbour_domain::EntryId,
        add: Vec<harbour_domain::DataCategory>,
    ) -> AppResult<Entry> {
        let Some((mut entry, person, _)) = self.store.entries_with_context(&[id]).await?.into_iter().next() else {
            return Err(AppError::not_found(&format!("entry {id}")));
        };
        let decision = self.authorize_person(actor, Action::Write, person, "entry.tag").await?;
        if add.is_empty() {
            return Err(harbour_domain::DomainError::Empty { field: "categories" }.into());
        }
        entry.categories.extend(add);
        entry.categories.sort();
        entry.categories.dedup();
        let event = self.event(actor, "entry.tag", "entry", &decision).target(id).about(person);
        self.store.tag_entry(id, &entry.categories, &event).await?;
        Ok(entry)
    }

    async fn check_source(&self, source: &Source) -> AppResult<()> {
        let exists = match source {
            Source::Person { person_id } => self.store.person_exists(*person_id).await?,
            Source::Organisation { organisation_id } => self.store.organisation(*organisation_id).await.is_ok(),
            Source::Staff { user_id } => self.store.user(*user_id).await.is_ok(),
        };
        if exists {
            Ok(())
        } else {
            Err(AppError::UnknownReference(format!(
                "the entry's source ({} {}) does not exist",
                source.kind_code(),
                source.id_string()
            )))
        }
    }
}

/// What a person's page shows beside the record: read on the strength of a [`PersonRecord`],
/// which only [`App::person_record`] gives (authorized and audited there), so these reads need
/// no check and no audit event of their own.
impl App {
    /// The person's consents, given and withdrawn.
    pub async fn record_consents(&self, record: &PersonRecord) -> AppResult<Vec<harbour_domain::Consent>> {
        Ok(self.store.consents_of(record.person.id).await?)
    }

    /// The person's retention as it stands today.
    pub async fn record_retention(
        &self,
        actor: &Actor,
        record: &PersonRecord,
    ) -> AppResult<crate::retention::PersonRetention> {
        self.retention_of(record.person.id, actor.now.today()).await
    }

    /// The person an entry (one the caller has just written or tagged) is about.
    pub async fn person_of_entry(&self, entry: &Entry) -> AppResult<PersonId> {
        Ok(self.store.episode(entry.episode_id).await?.person_id)
    }
}

impl App {
    /// Whether the actor may take a system-wide action (not about one person): to decide what
    /// to offer them, such as the Caldicott Guardian's ruling form. The action itself is
    /// checked again, and audited, when they take it.
    pub fn may(&self, actor: &Actor, action: Action) -> bool {
        crate::actor::may(&self.authz, actor, action)
    }
}
