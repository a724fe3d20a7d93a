//! Sharing decisions and disclosures (issue 5). A decision is checked against the notice it
//! names (`check_share`), any agreement it relies on, and the authorizer's `disclose` rule for
//! each person and recipient; a refusal writes nothing and names the clause. Decisions the
//! notice reserves to the Caldicott Guardian wait in the Guardian's queue; nothing is
//! disclosed until approved. Recipients see exactly the disclosed entries and fields.

pub mod check;
pub mod view;

use std::collections::{BTreeSet, HashMap};

use harbour_domain::{
    DataCategory, Decision, DecisionId, DecisionStatus, DisclosureId, Entry, EntryField, FamilyPosition,
    GuardianRuling, OrgId, PersonField, PersonId,
};
use harbour_policy::{Action, Resource};
use harbour_store::{AuditEvent, DisclosureRecord, Outcome};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{AppError, AppResult};
use crate::sharing::view::{view, DecisionView, Sight};
use crate::Actor;
use crate::App;

/// A decision ready to record: checked, with its audit events.
pub struct Prepared {
    pub decision: Decision,
    pub events: Vec<AuditEvent>,
}

/// What the Guardian says.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Ruling {
    pub approve: bool,
    /// Required when rejecting.
    #[serde(default)]
    pub reason: Option<String>,
}

/// A person's details as a recipient sees them: only the disclosed fields are present.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceivedPerson {
    pub person_id: PersonId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Date)]
    pub date_of_birth: Option<jiff::civil::Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nhs_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upn: Option<String>,
}

/// An entry as a recipient sees it: only the disclosed fields are present.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReceivedEntry {
    pub entry_id: harbour_domain::EntryId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occurred_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A line of an organisation's "received" inbox.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceivedSummary {
    pub disclosure_id: DisclosureId,
    #[schema(value_type = String)]
    pub disclosed_at: jiff::Timestamp,
    #[schema(value_type = Option<String>, format = Date)]
    pub expires_on: Option<jiff::civil::Date>,
    pub notice: String,
    pub purpose: String,
    pub urgency: String,
    pub people: usize,
    pub entries: usize,
    /// The organisation that shared it.
    pub from: String,
    /// Who there decided to share it.
    pub shared_by: String,
    /// The names of the people it is about, where their name was shared (only then).
    pub names: Vec<String>,
}

/// What one organisation received, exactly.
#[derive(Debug, Serialize, ToSchema)]
pub struct Received {
    pub disclosure_id: DisclosureId,
    #[schema(value_type = String)]
    pub disclosed_at: jiff::Timestamp,
    #[schema(value_type = Option<String>, format = Date)]
    pub expires_on: Option<jiff::civil::Date>,
    pub from: String,
    pub notice: String,
    /// The purpose, in the notice's words.
    pub purpose: String,
    pub basis: String,
    pub categories: Vec<DataCategory>,
    pub people: Vec<ReceivedPerson>,
    pub entries: Vec<ReceivedEntry>,
}

/// One line of a person's disclosure log.
#[derive(Debug, Serialize, ToSchema)]
pub struct DisclosureLogLine {
    pub disclosure_id: DisclosureId,
    pub decision_id: DecisionId,
    pub recipient: String,
    #[schema(value_type = String)]
    pub disclosed_at: jiff::Timestamp,
    #[schema(value_type = Option<String>, format = Date)]
    pub expires_on: Option<jiff::civil::Date>,
    pub notice: String,
    pub purpose: String,
    pub basis: String,
    pub condition: Option<String>,
    pub categories: Vec<DataCategory>,
    /// What was shared: each entry's subject and the fields disclosed.
    pub shared: Vec<String>,
    pub family: FamilyPosition,
}

fn uk_fields(fields: &[EntryField]) -> String {
    fields.iter().map(|f| f.code()).collect::<Vec<_>>().join(", ")
}

impl App {
    async fn refuse(&self, actor: &Actor, action: &str, about: PersonId, why: &str) -> AppResult<AppError> {
        let event = AuditEvent::new(action, "sharing_decision")
            .by(actor.user.id, actor.user.org_id)
            .about(about)
            .outcome(Outcome::Denied);
        self.store.audit(&event).await?;
        Ok(AppError::Forbidden { explanation: format!("refused: {why}"), policy_ids: Vec::new() })
    }

    /// The Caldicott Guardian's queue: decisions waiting for approval, oldest first, each as
    /// the Guardian may see it, and logged against each person shown.
    pub async fn guardian_queue(&self, actor: &Actor) -> AppResult<Vec<DecisionView>> {
        let decision = self.authorize_system(actor, Action::RuleOnSharing, "sharing.queue.read").await?;
        let mut queue = self.store.decisions_in(DecisionStatus::AwaitingGuardian).await?;
        queue.reverse();
        let mut out = Vec::new();
        for d in &queue {
            let Some((sight, authz)) = self.sight_of(actor, d).await? else { continue };
            out.push(view(d, &sight, &self.entry_people(d).await?));
            self.log_shown(actor, "sharing.queue.read", &authz, d.id, d, &sight).await?;
        }
        let event = self.event(actor, "sharing.queue.read", "system", &decision);
        self.store.audit(&event).await?;
        Ok(out)
    }

    pub async fn rule(&self, actor: &Actor, id: DecisionId, ruling: Ruling) -> AppResult<Decision> {
        let authz = self.authorize_system(actor, Action::RuleOnSharing, "sharing.rule").await?;
        let d = self.store.decision(id).await?;
        if d.status != DecisionStatus::AwaitingGuardian {
            return Err(AppError::Conflict(format!("sharing decision {id} is not waiting for the Guardian")));
        }
        let reason = harbour_domain::optional_text("reason", ruling.reason.as_deref(), 4000)?;
        // Approving is a decision to disclose as much as rejecting is one not to: the Guardian
        // gives the reason for either (rules.md rule 24: log question, advice, decision,
        // rationale, date).
        let reason = match (ruling.approve, reason) {
            (false, None) => {
                return Err(harbour_domain::DomainError::Empty { field: "the reason for rejecting" }.into());
            }
            (true, None) => {
                return Err(harbour_domain::DomainError::Empty { field: "the reason for approving" }.into());
            }
            (_, Some(r)) => r,
        };
        let ruling = GuardianRuling { by: actor.user.id, at: actor.now.instant, approved: ruling.approve, reason };
        let action = if ruling.approved { "sharing.approve" } else { "sharing.reject" };
        let mut ruled = d.clone();
        ruled.status = if ruling.approved { DecisionStatus::Disclosed } else { DecisionStatus::Rejected };
        ruled.guardian = Some(ruling.clone());
        let mut events = Vec::new();
        for p in &d.people {
            events.push(self.event(actor, action, "sharing_decision", &authz).target(id).about(*p));
            if ruling.approved {
                events.push(disclosed_event(&ruled, *p, actor, &authz.policy_ids));
            }
        }
        self.store.rule_on_decision(&d, &ruling, &events).await?;
        Ok(ruled)
    }

    /// Records that the family has now been told, or renews an exemption (checked against the
    /// notice's review interval from today).
    pub async fn update_family(&self, actor: &Actor, id: DecisionId, family: FamilyPosition) -> AppResult<Decision> {
        let d = self.store.decision(id).await?;
        // Whoever records it must be able to write every record the decision is about.
        let mut authz = None;
        for p in &d.people {
            authz = Some(self.authorize_person(actor, Action::Write, *p, "sharing.family").await?);
        }
        let authz = authz.ok_or_else(|| AppError::Internal(format!("sharing decision {id} names nobody")))?;
        let on = actor.now.today();
        let family = match family {
            FamilyPosition::Told { who, when, how } => {
                if when > on {
                    return Err(harbour_domain::DomainError::DateInFuture { what: "family told", date: when }.into());
                }
                FamilyPosition::Told {
                    who: harbour_domain::required_text("who in the family was told", &who, 200)?,
                    when,
                    how: harbour_domain::required_text("how the family was told", &how, 200)?,
                }
            }
            FamilyPosition::Exempt { exemption, review_on } => {
                let pack = self.notice(&d.notice)?;
                let Some(e) = pack.telling_the_family.exemptions.iter().find(|e| e.id.get_ref() == &exemption) else {
                    return Err(AppError::SharingRefused(format!(
                        "{}: {exemption:?} is not one of the notice's reasons for not telling the family",
                        pack.pack.short_name
                    )));
                };
                let latest = on + jiff::Span::new().days(i64::from(e.review_days));
                if review_on <= on || review_on > latest {
                    return Err(AppError::SharingRefused(format!(
                        "{}: the exemption {exemption:?} must be reviewed again within {} days, by {latest}",
                        pack.pack.short_name, e.review_days
                    )));
                }
                FamilyPosition::Exempt { exemption, review_on }
            }
        };
        let events: Vec<AuditEvent> = d
            .people
            .iter()
            .map(|p| self.event(actor, "sharing.family", "sharing_decision", &authz).target(id).about(*p))
            .collect();
        self.store.update_family(&d, family.clone(), &events).await?;
        Ok(Decision { family, ..d })
    }

    /// Decisions whose exemption from telling the family is due for review, as the actor may
    /// see each (the parts about people they may read; metadata for the DPO and auditors), each
    /// listing logged against the people shown.
    pub async fn notifications_due(&self, actor: &Actor) -> AppResult<Vec<DecisionView>> {
        let mut out = Vec::new();
        for d in self.store.notifications_due(actor.now.today()).await? {
            let Some((sight, authz)) = self.sight_of(actor, &d).await? else { continue };
            out.push(view(&d, &sight, &self.entry_people(&d).await?));
            self.log_shown(actor, "sharing.listed", &authz, d.id, &d, &sight).await?;
        }
        Ok(out)
    }

    /// [`App::notifications_due`] with the names of the people in each, where the actor may read
    /// every one of their records (a view with nothing withheld, already logged against each);
    /// none for a view of part of a decision or of its metadata (the DPO's, an auditor's).
    pub async fn notifications_due_named(&self, actor: &Actor) -> AppResult<Vec<(DecisionView, Vec<String>)>> {
        let due = self.notifications_due(actor).await?;
        let ids: Vec<PersonId> = due.iter().flat_map(|v| v.decision.people.iter().copied()).collect();
        let names: HashMap<PersonId, String> =
            self.store.people(&ids).await?.into_iter().map(|p| (p.id, p.full_name())).collect();
        Ok(due
            .into_iter()
            .map(|v| {
                let shown = if v.withheld.is_empty() {
                    v.decision.people.iter().filter_map(|p| names.get(p).cloned()).collect()
                } else {
                    Vec::new()
                };
                (v, shown)
            })
            .collect())
    }

    /// The actor's organisation's inbox: disclosures it may still see.
    pub async fn received(&self, actor: &Actor) -> AppResult<Vec<ReceivedSummary>> {
        let principal = actor.principal();
        let mut out = Vec::new();
        for rec in self.store.disclosures_to(actor.user.org_id).await? {
            let resource =
                Resource::Disclosure { id: rec.id, recipient: rec.org_id, active: rec.active(actor.now.today()) };
            if !self.authz.decide(&principal, Action::ReadDisclosure, &resource).allowed {
                continue;
            }
            let d = self.store.decision(rec.decision_id).await?;
            let decider = self.store.user(d.decided_by).await?;
            let from = self.store.organisation(decider.org_id).await?.name;
            // A name is listed only where the disclosure shared it; listing it is a view of
            // what was disclosed about that person, so it is in their access log.
            let mut names = Vec::new();
            for pf in d.person_fields.iter().filter(|pf| pf.fields.contains(&PersonField::Name)) {
                names.push(self.store.person(pf.person_id).await?.full_name());
                let event = AuditEvent::new("disclosure.listed", "disclosure")
                    .by(actor.user.id, actor.user.org_id)
                    .target(rec.id)
                    .about(pf.person_id);
                self.store.audit(&event).await?;
            }
            out.push(ReceivedSummary {
                disclosure_id: rec.id,
                disclosed_at: rec.disclosed_at,
                expires_on: rec.expires_on,
                purpose: self.purpose_text(&d),
                notice: d.notice,
                urgency: d.urgency.code().to_string(),
                people: d.people.len(),
                entries: d.entries.len(),
                from,
                shared_by: decider.display_name,
                names,
            });
        }
        let event = AuditEvent::new("disclosure.list", "system").by(actor.user.id, actor.user.org_id);
        self.store.audit(&event).await?;
        Ok(out)
    }

    fn purpose_text(&self, d: &Decision) -> String {
        self.notices
            .iter()
            .find(|p| p.id() == d.notice)
            .and_then(|p| p.purposes.iter().find(|x| x.id.get_ref() == &d.purpose))
            .map(|x| x.text.clone())
            .unwrap_or_else(|| d.purpose.clone())
    }

    /// Exactly what was disclosed to the actor's organisation. Each view is in the ledger,
    /// once per person, so it shows in that person's access log.
    pub async fn received_one(&self, actor: &Actor, id: DisclosureId) -> AppResult<Received> {
        let rec = self.store.disclosure(id).await?;
        let d = self.store.decision(rec.decision_id).await?;
        let resource = Resource::Disclosure { id, recipient: rec.org_id, active: rec.active(actor.now.today()) };
        let authz = self.authz.decide(&actor.principal(), Action::ReadDisclosure, &resource);
        if !authz.allowed {
            for p in &d.people {
                let event = self
                    .event(actor, "disclosure.view", "disclosure", &authz)
                    .target(id)
                    .about(*p)
                    .outcome(Outcome::Denied);
                self.store.audit(&event).await?;
            }
            if rec.org_id == actor.user.org_id {
                return Err(AppError::Gone(format!(
                    "this disclosure expired on {}; your organisation no longer has access",
                    rec.expires_on.map(|e| e.to_string()).unwrap_or_default()
                )));
            }
            return Err(AppError::Forbidden { explanation: authz.explanation, policy_ids: authz.policy_ids });
        }
        let from = self.store.user(d.decided_by).await?;
        let from = self.store.organisation(from.org_id).await?.name;
        let mut people = Vec::new();
        // An address marked "do not disclose" since the decision is not shown either.
        let flagged = self.store.confidential_addresses(&d.people).await?;
        for pf in &d.person_fields {
            let p = self.store.person(pf.person_id).await?;
            let has =
                |f: PersonField| pf.fields.contains(&f) && !(f == PersonField::Address && flagged.contains(&p.id));
            people.push(ReceivedPerson {
                person_id: p.id,
                name: has(PersonField::Name).then(|| p.full_name()),
                date_of_birth: if has(PersonField::DateOfBirth) { p.date_of_birth } else { None },
                gender: has(PersonField::Gender).then(|| p.gender.as_str().to_string()),
                address: if has(PersonField::Address) {
                    p.address.as_ref().map(|a| {
                        let mut lines = a.lines.clone();
                        lines.extend(a.postcode.as_ref().map(|pc| pc.to_string()));
                        lines.join(", ")
                    })
                } else {
                    None
                },
                nhs_number: if has(PersonField::NhsNumber) {
                    p.nhs_number.as_ref().map(|n| n.to_string())
                } else {
                    None
                },
                upn: if has(PersonField::Upn) { p.upn.as_ref().map(|u| u.as_str().to_string()) } else { None },
            });
        }
        let ids: Vec<_> = d.entries.iter().map(|e| e.entry_id).collect();
        let found: HashMap<_, Entry> =
            self.store.entries_with_context(&ids).await?.into_iter().map(|(e, _, _)| (e.id, e)).collect();
        let entries = d
            .entries
            .iter()
            .filter_map(|item| found.get(&item.entry_id).map(|e| received_entry(e, &item.fields)))
            .collect();
        for p in &d.people {
            let event = self.event(actor, "disclosure.view", "disclosure", &authz).target(id).about(*p);
            self.store.audit(&event).await?;
        }
        Ok(Received {
            disclosure_id: id,
            disclosed_at: rec.disclosed_at,
            expires_on: rec.expires_on,
            from,
            purpose: self.purpose_text(&d),
            notice: d.notice,
            basis: d.basis,
            categories: d.categories,
            people,
            entries,
        })
    }

    /// A person's disclosure log: who received what about them, when, why and on what basis.
    pub async fn disclosure_log(&self, actor: &Actor, person: PersonId) -> AppResult<Vec<DisclosureLogLine>> {
        if !self.store.person_exists(person).await? {
            return Err(AppError::not_found(&format!("person {person}")));
        }
        let resource = self.person_resource(person, &actor.now).await?;
        let principal = actor.principal();
        let authz = [Action::Read, Action::ReadPersonAudit]
            .into_iter()
            .map(|a| self.authz.decide(&principal, a, &resource))
            .find(|d| d.allowed);
        let Some(authz) = authz else {
            return Err(self
                .refuse(actor, "disclosure.log.read", person, "you may not see this person's disclosures")
                .await?);
        };
        let orgs: HashMap<OrgId, String> =
            self.store.organisations().await?.into_iter().map(|o| (o.id, o.name)).collect();
        // Entry subjects only for a reader of the record; an auditor sees that something was shared.
        let may_read = self.authz.decide(&principal, Action::Read, &resource).allowed;
        let mut lines = Vec::new();
        let mut decisions: HashMap<DecisionId, (Decision, Sight)> = HashMap::new();
        for rec in self.store.disclosures_about(person).await? {
            if let std::collections::hash_map::Entry::Vacant(slot) = decisions.entry(rec.decision_id) {
                let d = self.store.decision(rec.decision_id).await?;
                let sight = self.sight_of(actor, &d).await?.map_or(Sight::Metadata, |(s, _)| s);
                slot.insert((d, sight));
            }
            let (d, sight) = &decisions[&rec.decision_id];
            lines.push(self.log_line(&rec, d, person, may_read, sight, &orgs).await?);
        }
        let event = self.event(actor, "disclosure.log.read", "person", &authz).target(person).about(person);
        self.store.audit(&event).await?;
        Ok(lines)
    }

    /// One line of `person`'s disclosure log: only what the decision shared about them (never
    /// another person's parts), with entry subjects only for a reader of their record, and the
    /// family details only for a reader of everyone the decision is about.
    async fn log_line(
        &self,
        rec: &DisclosureRecord,
        d: &Decision,
        person: PersonId,
        may_read: bool,
        sight: &Sight,
        orgs: &HashMap<OrgId, String>,
    ) -> AppResult<DisclosureLogLine> {
        let ids: Vec<_> = d.entries.iter().map(|e| e.entry_id).collect();
        let found: HashMap<_, Entry> = self
            .store
            .entries_with_context(&ids)
            .await?
            .into_iter()
            .filter(|(_, p, _)| *p == person)
            .map(|(e, _, _)| (e.id, e))
            .collect();
        let mut categories: BTreeSet<DataCategory> = BTreeSet::new();
        let mut shared: Vec<String> = Vec::new();
        if let Some(p) = d.person_fields.iter().find(|p| p.person_id == person) {
            categories.insert(DataCategory::PersonalDetails);
            shared.push(format!("their details: {}", p.fields.iter().map(|f| f.code()).collect::<Vec<_>>().join(", ")));
        }
        for item in &d.entries {
            let Some(e) = found.get(&item.entry_id) else { continue };
            categories.extend(e.categories.iter().copied());
            categories.extend(
                d.confirmed_categories.iter().filter(|c| c.entry_id == e.id).flat_map(|c| c.categories.iter().copied()),
            );
            shared.push(if may_read {
                format!("{} ({}): {}", e.subject, e.occurred_at.date(), uk_fields(&item.fields))
            } else {
                format!("an entry of {}: {}", e.occurred_at.date(), uk_fields(&item.fields))
            });
        }
        let family = if *sight == Sight::Whole && may_read {
            d.family.clone()
        } else {
            view(d, &Sight::Metadata, &HashMap::new()).decision.family
        };
        Ok(DisclosureLogLine {
            disclosure_id: rec.id,
            decision_id: d.id,
            recipient: orgs.get(&rec.org_id).cloned().unwrap_or_else(|| rec.org_id.to_string()),
            disclosed_at: rec.disclosed_at,
            expires_on: rec.expires_on,
            notice: d.notice.clone(),
            purpose: self.purpose_text(d),
            basis: d.basis.clone(),
            condition: d.condition.clone(),
            categories: categories.into_iter().collect(),
            shared,
            family,
        })
    }
}

pub(crate) fn disclosed_event(d: &Decision, person: PersonId, actor: &Actor, policy_ids: &[String]) -> AuditEvent {
    AuditEvent::new("disclosure.create", "sharing_decision")
        .by(actor.user.id, actor.user.org_id)
        .target(d.id)
        .about(person)
        .purpose(format!("sharing: {}", d.purpose))
        .policies(policy_ids.to_vec())
}

pub(crate) fn received_entry(e: &Entry, fields: &[EntryField]) -> ReceivedEntry {
    let has = |f: EntryField| fields.contains(&f);
    ReceivedEntry {
        entry_id: e.id,
        kind: has(EntryField::Kind).then(|| e.kind.label().to_string()),
        occurred_at: has(EntryField::OccurredAt).then(|| e.occurred_at.to_string()),
        location: if has(EntryField::Location) { e.location.clone() } else { None },
        subject: has(EntryField::Subject).then(|| e.subject.clone()),
        detail: has(EntryField::Detail).then(|| e.detail.clone()),
        source: has(EntryField::Source).then(|| format!("{} {}", e.source.kind_code(), e.source.id_string())),
    }
}
