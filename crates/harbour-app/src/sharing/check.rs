//! Checking a proposed sharing decision from end to end before anything is written (issues 5
//! and 11): the notice it names (`check_share`: its scope, named recipients, categories,
//! bases, fixed data sets, conditions, grounds and the family), the agreement it relies on
//! (which can only narrow the notice), the consents it cites (checked, not claimed), the
//! special-category scan of what is shared, and the authorizer's `disclose` rule for each
//! person and recipient.
//!
//! A refused attempt is itself a record an auditor looks for: [`App::decide`] writes a
//! ledger entry for each person and recipient naming the clause that refused, and nothing else.

use std::collections::{BTreeSet, HashMap};

use harbour_domain::{
    Agreement, ConsentPosition, DataCategory, Decision, DecisionId, DecisionStatus, DisclosedEntry, DisclosedPerson,
    Entry, EntryField, NewDecision, OrgId, Organisation, PersonField, PersonId, RecipientMatch, RecordClass,
};
use harbour_policy::pack::sharing::{check_share, ProposedShare};
use harbour_policy::pack::PolicyPack;
use harbour_policy::{Action, Resource};
use harbour_store::{AccessFacts, AuditEvent, Outcome};
use jiff::civil::Date;

use crate::error::{AppError, AppResult};
use crate::sharing::{disclosed_event, Prepared};
use crate::Actor;
use crate::App;

/// Clause ids for refusals by Harbour's own sharing rules rather than a notice's.
const SCAN_CLAUSE: &str = "harbour/sharing/special-category-scan";
const NO_ACCESS_CLAUSE: &str = "harbour/sharing/needs-access-to-the-record";
const CONFIDENTIAL_ADDRESS_CLAUSE: &str = "harbour/sharing/confidential-address";

fn refused(detail: String, clause: String, recipient: Option<OrgId>) -> AppError {
    AppError::NoticeRefused { detail, clause, recipient }
}

impl App {
    pub(crate) fn notice(&self, id: &str) -> AppResult<&PolicyPack> {
        self.notices
            .iter()
            .find(|p| p.id() == id)
            .ok_or_else(|| AppError::UnknownReference(format!("no notice {id:?} is in force")))
    }

    async fn organisation_ref(&self, id: OrgId) -> AppResult<Organisation> {
        self.store
            .organisation(id)
            .await
            .map_err(|_| AppError::UnknownReference(format!("organisation {id} does not exist")))
    }

    /// Records a decision (disclosing it unless it waits for the Caldicott Guardian). A
    /// refusal by a notice, an agreement, a consent, the scan or the authorizer writes one
    /// ledger entry per person and recipient, naming the clause, and nothing else.
    pub async fn decide(&self, actor: &Actor, new: NewDecision) -> AppResult<Decision> {
        let prepared = self.prepare_logged(actor, new).await?;
        self.store.insert_decision(&prepared.decision, &prepared.events).await?;
        Ok(prepared.decision)
    }

    /// `prepare_decision`, with a refusal written to the ledger.
    pub(crate) async fn prepare_logged(&self, actor: &Actor, new: NewDecision) -> AppResult<Prepared> {
        let people = new.people.clone();
        let recipients = new.recipients.clone();
        let purpose = format!("sharing: {}", new.purpose);
        match self.prepare_decision(actor, new).await {
            Ok(p) => Ok(p),
            Err(e) => {
                self.log_refusal(actor, &e, &people, &recipients, &purpose).await?;
                Err(e)
            }
        }
    }

    async fn log_refusal(
        &self,
        actor: &Actor,
        error: &AppError,
        people: &[PersonId],
        recipients: &[OrgId],
        purpose: &str,
    ) -> AppResult<()> {
        let (clauses, only) = match error {
            AppError::NoticeRefused { clause, recipient, .. } => (vec![clause.clone()], *recipient),
            // Nothing permitted it: the sharer may not read the record (no working relationship).
            AppError::Forbidden { policy_ids, .. } if policy_ids.is_empty() => (vec![NO_ACCESS_CLAUSE.into()], None),
            AppError::Forbidden { policy_ids, .. } => (policy_ids.clone(), None),
            _ => return Ok(()),
        };
        let mut events = Vec::new();
        for person in people {
            if !self.store.person_exists(*person).await? {
                continue;
            }
            for org in recipients.iter().filter(|o| only.is_none_or(|r| r == **o)) {
                events.push(
                    AuditEvent::new("sharing.refused", "organisation")
                        .by(actor.user.id, actor.user.org_id)
                        .target(org)
                        .about(*person)
                        .purpose(purpose)
                        .outcome(Outcome::Denied)
                        .policies(clauses.clone()),
                );
            }
        }
        self.store.audit_all(&events).await?;
        Ok(())
    }

    /// Checks a proposed decision from end to end without writing anything.
    /// A person whose address is marked "do not disclose" cannot have it shared: not as a
    /// field, not within their whole record.
    async fn check_confidential_addresses(&self, new: &NewDecision) -> AppResult<()> {
        let flagged = self.store.confidential_addresses(&new.people).await?;
        let address_of_flagged = new
            .person_fields
            .iter()
            .any(|p| flagged.contains(&p.person_id) && p.fields.contains(&harbour_domain::PersonField::Address));
        if address_of_flagged || (new.whole_record_justification.is_some() && !flagged.is_empty()) {
            return Err(refused(
                "a person in this share has their address marked \"do not disclose\": share without the address \
                 (choose the fields, not the whole record)"
                    .into(),
                CONFIDENTIAL_ADDRESS_CLAUSE.into(),
                None,
            ));
        }
        Ok(())
    }

    pub async fn prepare_decision(&self, actor: &Actor, new: NewDecision) -> AppResult<Prepared> {
        let on = actor.now.today();
        let new = new.validate(on)?;
        let pack = self.notice(&new.notice)?;
        let facts = self.check_sharer(actor, &new.people).await?;
        let recipients = self.recipients_of(actor, &new.recipients).await?;
        self.check_request(&new).await?;
        self.check_confidential_addresses(&new).await?;
        let agreement = self.agreement_named(new.agreement_id).await?;
        let shared = self.what_is_shared(&new).await?;
        let consent = self.check_consents(&new, &recipients, on).await?;
        // The notices that govern each person's record: the classes of every episode of
        // theirs or a relative's, however long ago it closed (a record closed years ago is still
        // held under its notice until it is destroyed).
        let held = self.store.access_facts(&new.people, Date::constant(1, 1, 1), actor.now.instant).await?;
        let classes_of = |p: &PersonId| -> Vec<RecordClass> {
            held.get(p).map(|f| f.classes.iter().copied().collect()).unwrap_or_default()
        };
        let first = recipients.first().ok_or(harbour_domain::DomainError::Empty { field: "recipients" })?;
        let proposal = ProposedShare {
            recipient: first,
            agreement: None,
            categories: shared.categories.clone(),
            record_classes: shared.classes.clone(),
            people: new.people.iter().map(|p| (*p, classes_of(p))).collect(),
            person_fields: shared.person_field_union.clone(),
            entry_fields: shared.entry_field_union.clone(),
            whole_record: new.whole_record_justification.is_some(),
            purpose: new.purpose.clone(),
            statute: new.statute.clone(),
            basis: new.basis.clone(),
            condition: new.condition.clone(),
            consent: consent.clone(),
            without_consent_ground: new.without_consent_ground.clone(),
            family: new.family.clone(),
            on,
            expires_on: new.expires_on,
        };
        let verdict = check_recipients(pack, &recipients, agreement.as_ref(), proposal)?;
        // Who may share: the authorizer, for each person and recipient, under this notice. The
        // working relationship is today's; the notices are those the record is held under.
        let people: Vec<Resource> = new
            .people
            .iter()
            .map(|p| {
                let teams = facts.get(p).map(|f| f.teams.iter().copied().collect()).unwrap_or_default();
                let restricted = facts.get(p).is_some_and(|f| f.restricted);
                // An emergency opening lets its holder read and record, never share.
                Resource::Person { id: *p, teams, classes: classes_of(p), restricted, emergency: vec![] }
            })
            .collect();
        let policy_ids =
            self.authorize_disclosure(actor, pack, &people, &recipients, &shared.categories, &new.basis)?;
        let decision = decision_from(new, pack, verdict, shared, consent, actor);
        let events = decision_events(&decision, actor, &policy_ids.into_iter().collect::<Vec<_>>());
        Ok(Prepared { decision, events })
    }

    /// The agreement a decision relies on, which must exist.
    async fn agreement_named(&self, id: Option<harbour_domain::AgreementId>) -> AppResult<Option<Agreement>> {
        let Some(id) = id else { return Ok(None) };
        let agreement = self
            .store
            .agreement(id)
            .await
            .map_err(|_| AppError::UnknownReference(format!("agreement {id} does not exist")))?;
        Ok(Some(agreement))
    }

    /// The authorizer's answer to disclosing each person's record to each recipient under the
    /// notice: the policies that allowed it all, or the first refusal.
    fn authorize_disclosure(
        &self,
        actor: &Actor,
        pack: &PolicyPack,
        people: &[Resource],
        recipients: &[Organisation],
        categories: &[harbour_domain::DataCategory],
        basis: &str,
    ) -> AppResult<BTreeSet<String>> {
        let principal = actor.principal();
        let mut policy_ids: BTreeSet<String> = BTreeSet::new();
        for resource in people {
            for org in recipients {
                let action = Action::Disclose {
                    notice: pack.id().to_string(),
                    recipient: org.slug.clone(),
                    kind: org.kind,
                    categories: categories.to_vec(),
                    basis: basis.to_string(),
                };
                let d = self.authz.decide(&principal, action, resource);
                if !d.allowed {
                    return Err(AppError::Forbidden { explanation: d.explanation, policy_ids: d.policy_ids });
                }
                policy_ids.extend(d.policy_ids);
            }
        }
        Ok(policy_ids)
    }

    /// The people must exist, and whoever shares must be able to read each record: nothing
    /// later (entries, the scan's findings) is said to anyone who may not see it. Returns the
    /// records' access facts (today's working relationships).
    async fn check_sharer(&self, actor: &Actor, people: &[PersonId]) -> AppResult<HashMap<PersonId, AccessFacts>> {
        for p in people {
            if !self.store.person_exists(*p).await? {
                return Err(AppError::UnknownReference(format!("person {p} does not exist")));
            }
        }
        let facts = self.access_facts(&actor.now, people).await?;
        let principal = actor.principal();
        for p in people {
            let d = self.authz.decide(&principal, Action::Read, &crate::people::resource(*p, &facts));
            if !d.allowed {
                return Err(AppError::Forbidden { explanation: d.explanation, policy_ids: d.policy_ids });
            }
        }
        Ok(facts)
    }

    /// The recipient organisations: they must exist, and are never the sharer's own.
    async fn recipients_of(&self, actor: &Actor, ids: &[OrgId]) -> AppResult<Vec<Organisation>> {
        let mut recipients = Vec::new();
        for id in ids {
            let org = self.organisation_ref(*id).await?;
            if org.id == actor.user.org_id {
                return Err(AppError::Unprocessable(format!(
                    "{} is your own organisation; sharing is with others",
                    org.name
                )));
            }
            recipients.push(org);
        }
        Ok(recipients)
    }

    /// Exactly what is shared (the whole record spelt out), and what it carries: its record
    /// classes and data categories, including what the scan found and the practitioner
    /// confirmed.
    async fn what_is_shared(&self, new: &NewDecision) -> AppResult<Shared> {
        let (entries, person_fields) = if new.whole_record_justification.is_some() {
            let mut items = Vec::new();
            for p in &new.people {
                for e in self.store.entries_of_person(*p).await? {
                    items.push(DisclosedEntry { entry_id: e.id, fields: EntryField::ALL.to_vec() });
                }
            }
            let people = new
                .people
                .iter()
                .map(|p| DisclosedPerson { person_id: *p, fields: PersonField::ALL.to_vec() })
                .collect();
            (items, people)
        } else {
            (new.entries.clone(), new.person_fields.clone())
        };
        let ids: Vec<_> = entries.iter().map(|e| e.entry_id).collect();
        let found = self.store.entries_with_context(&ids).await?;
        if let Some(missing) = ids.iter().find(|id| !found.iter().any(|(e, _, _)| e.id == **id)) {
            return Err(AppError::UnknownReference(format!("entry {missing} does not exist")));
        }
        let mut categories: BTreeSet<DataCategory> = BTreeSet::new();
        let mut classes: BTreeSet<RecordClass> = BTreeSet::new();
        for (e, person, class) in &found {
            if !new.people.contains(person) {
                return Err(AppError::Unprocessable(format!(
                    "entry {} is about someone the decision does not name; add them to the people or leave it out",
                    e.id
                )));
            }
            categories.extend(e.categories.iter().copied());
            classes.insert(*class);
        }
        categories.extend(scan_shared(&found, &entries, &new.confirmed_categories)?);
        if !person_fields.is_empty() {
            categories.insert(DataCategory::PersonalDetails);
        }
        let entry_field_union: BTreeSet<EntryField> = entries.iter().flat_map(|e| e.fields.iter().copied()).collect();
        let person_field_union: BTreeSet<PersonField> =
            person_fields.iter().flat_map(|p| p.fields.iter().copied()).collect();
        Ok(Shared {
            entries,
            person_fields,
            categories: categories.into_iter().collect(),
            classes: classes.into_iter().collect(),
            entry_field_union: entry_field_union.into_iter().collect(),
            person_field_union: person_field_union.into_iter().collect(),
        })
    }

    /// An answer to an information request goes to whoever asked, under the same notice.
    async fn check_request(&self, new: &NewDecision) -> AppResult<()> {
        let Some(rid) = new.request_id else { return Ok(()) };
        let req = self
            .store
            .request(rid)
            .await
            .map_err(|_| AppError::UnknownReference(format!("information request {rid} does not exist")))?;
        if req.status != "open" {
            return Err(AppError::Conflict(format!("information request {rid} has already been answered")));
        }
        if !new.recipients.contains(&req.from_org) {
            return Err(AppError::Unprocessable(
                "an answer to an information request goes to the organisation that asked".into(),
            ));
        }
        if req.notice != new.notice {
            return Err(AppError::Unprocessable(format!(
                "the request was made under {:?}; answer it under the same notice",
                req.notice
            )));
        }
        Ok(())
    }

    /// Consent is checked, not claimed (seed 002: "We will only share your details with these
    /// organisations if we have your consent"). Each cited consent must exist, be about one of
    /// the people shared, stand today (not withdrawn) and name every recipient; every person
    /// shared about needs one. Returns the position with who gave the consents filled in.
    async fn check_consents(
        &self,
        new: &NewDecision,
        recipients: &[Organisation],
        on: Date,
    ) -> AppResult<ConsentPosition> {
        let ConsentPosition::Given { consent_ids, .. } = &new.consent else { return Ok(new.consent.clone()) };
        let clause = format!("harbour/sharing/consent/{}", new.notice);
        let mut covered: HashMap<PersonId, Vec<String>> = HashMap::new();
        for id in consent_ids {
            let c = self
                .store
                .consent(*id)
                .await
                .map_err(|_| AppError::UnknownReference(format!("consent {id} does not exist")))?;
            if !new.people.contains(&c.person_id) {
                return Err(AppError::Unprocessable(format!(
                    "consent {id} is about someone the decision does not name"
                )));
            }
            if let Some(w) = c.withdrawn.as_ref().filter(|w| w.withdrawn_on <= on) {
                return Err(refused(
                    format!(
                        "consent to share for \"{}\" was withdrawn on {}; it cannot be relied on. Share only on another \
                         ground the notice gives, without consent",
                        c.service, w.withdrawn_on
                    ),
                    clause,
                    None,
                ));
            }
            if !c.stands_on(on) {
                return Err(refused(
                    format!("consent for \"{}\" is recorded as given on {}, after today", c.service, c.given_on),
                    clause,
                    None,
                ));
            }
            if let Some(org) = recipients.iter().find(|o| !c.covers(o.id)) {
                return Err(refused(
                    format!(
                        "the consent for \"{}\" given on {} does not name {}; it covers sharing only with the \
                         organisations the person agreed to",
                        c.service, c.given_on, org.name
                    ),
                    clause,
                    Some(org.id),
                ));
            }
            covered.entry(c.person_id).or_default().push(c.given_by);
        }
        if let Some(p) = new.people.iter().find(|p| !covered.contains_key(p)) {
            return Err(refused(
                format!("no consent is cited for person {p}; each person shared about needs their own"),
                clause,
                None,
            ));
        }
        let mut from: Vec<String> = covered.into_values().flatten().collect();
        from.sort();
        from.dedup();
        Ok(ConsentPosition::Given { consent_ids: consent_ids.clone(), from: Some(from.join("; ")) })
    }
}

/// What a decision shares, spelt out.
struct Shared {
    entries: Vec<DisclosedEntry>,
    person_fields: Vec<DisclosedPerson>,
    categories: Vec<DataCategory>,
    /// The record classes of the episodes the entries come from.
    classes: Vec<RecordClass>,
    entry_field_union: Vec<EntryField>,
    person_field_union: Vec<PersonField>,
}

/// The decision as it will be recorded: what was proposed, what is shared, and what the notice
/// said (its clauses, the recipients' entries, whether the Guardian must rule, how long
/// access lasts).
fn decision_from(
    new: NewDecision,
    pack: &PolicyPack,
    verdict: NoticeVerdict,
    shared: Shared,
    consent: ConsentPosition,
    actor: &Actor,
) -> Decision {
    Decision {
        id: DecisionId::new(),
        notice: pack.id().to_string(),
        notice_version: pack.pack.version,
        status: if verdict.needs_guardian { DecisionStatus::AwaitingGuardian } else { DecisionStatus::Disclosed },
        people: new.people.clone(),
        request_id: new.request_id,
        recipients: new.recipients.clone(),
        purpose: new.purpose,
        basis: new.basis,
        condition: new.condition,
        statute: new.statute,
        agreement_id: new.agreement_id,
        entries: shared.entries,
        person_fields: shared.person_fields,
        whole_record_justification: new.whole_record_justification,
        categories: shared.categories,
        consent,
        without_consent_ground: new.without_consent_ground,
        family: new.family,
        rationale: new.rationale,
        urgency: new.urgency,
        // Where the notice limits how long a recipient keeps access, the decision expires
        // then (or earlier, if the practitioner said so).
        expires_on: match (new.expires_on, verdict.access_until) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        },
        clauses: verdict.clauses.into_iter().collect(),
        recipient_matches: verdict.matches,
        confirmed_categories: new.confirmed_categories,
        needs_guardian: verdict.needs_guardian,
        guardian: None,
        decided_by: actor.user.id,
        decided_at: actor.now.instant,
    }
}

/// What the notice says about every recipient together.
struct NoticeVerdict {
    clauses: BTreeSet<String>,
    matches: Vec<RecipientMatch>,
    needs_guardian: bool,
    access_until: Option<Date>,
}

/// The notice (and the agreement, for the recipients party to it) for each recipient in turn;
/// `proposal` is the share, its recipient and agreement replaced for each.
fn check_recipients(
    pack: &PolicyPack,
    recipients: &[Organisation],
    agreement: Option<&Agreement>,
    proposal: ProposedShare<'_>,
) -> AppResult<NoticeVerdict> {
    let mut verdict =
        NoticeVerdict { clauses: BTreeSet::new(), matches: Vec::new(), needs_guardian: false, access_until: None };
    for org in recipients {
        if let Some(a) = agreement.filter(|a| !a.parties.contains(&org.id)) {
            return Err(refused(
                format!(
                    "{} is not a party to agreement {}; it cannot be relied on to share with them",
                    org.name, a.reference
                ),
                format!("{}/v{}/agreement", pack.id(), pack.pack.version),
                Some(org.id),
            ));
        }
        let check = check_share(pack, &ProposedShare { recipient: org, agreement, ..proposal.clone() })
            .map_err(|r| refused(format!("sharing with {} refused: {r}", org.name), r.clause_id(pack), Some(org.id)))?;
        verdict.needs_guardian |= check.needs_guardian;
        verdict.clauses.extend(check.clauses);
        verdict.matches.push(check.matched);
        verdict.access_until = match (verdict.access_until, check.access_until) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    Ok(verdict)
}

/// The decision's ledger entries: the decision about each person, and its disclosure when
/// nothing waits for the Caldicott Guardian.
fn decision_events(decision: &Decision, actor: &Actor, policy_ids: &[String]) -> Vec<AuditEvent> {
    let purpose = format!("sharing: {}", decision.purpose);
    let mut events = Vec::new();
    for p in &decision.people {
        events.push(
            AuditEvent::new("sharing.decide", "sharing_decision")
                .by(actor.user.id, actor.user.org_id)
                .target(decision.id)
                .about(*p)
                .purpose(purpose.clone())
                .policies(policy_ids.to_vec()),
        );
        if decision.status == DecisionStatus::Disclosed {
            events.push(disclosed_event(decision, *p, actor, policy_ids));
        }
    }
    events
}

/// Special categories are found as well as tagged: every shared field of every shared entry
/// is scanned; content of a special or criminal-offence category the entry is not tagged with
/// must be confirmed by the practitioner first. Returns the confirmed categories, which count
/// as shared (so the notice's conditions and the Guardian's rules apply to them).
fn scan_shared(
    found: &[(Entry, PersonId, RecordClass)],
    shared: &[DisclosedEntry],
    confirmed: &[harbour_domain::ConfirmedCategories],
) -> AppResult<BTreeSet<DataCategory>> {
    let mut out = BTreeSet::new();
    let mut unconfirmed = Vec::new();
    for (entry, _, _) in found {
        let fields = shared.iter().find(|s| s.entry_id == entry.id).map(|s| s.fields.as_slice()).unwrap_or(&[]);
        let confirmed_here: Vec<DataCategory> =
            confirmed.iter().filter(|c| c.entry_id == entry.id).flat_map(|c| c.categories.iter().copied()).collect();
        out.extend(confirmed_here.iter().copied());
        for finding in crate::sensitive::scan_entry(entry, fields) {
            if entry.categories.contains(&finding.category) || confirmed_here.contains(&finding.category) {
                continue;
            }
            unconfirmed.push(format!(
                "entry \"{}\" ({}) looks like {} ({}) but is not tagged with it",
                entry.subject,
                entry.occurred_at.date(),
                finding.category.label().to_lowercase(),
                finding.words.join(", ")
            ));
        }
    }
    if unconfirmed.is_empty() {
        return Ok(out);
    }
    Err(refused(
        format!(
            "{}. Tag the entry, or confirm the categories for this share (confirmed_categories); the notice's \
             conditions and the Caldicott Guardian's approval then apply to them",
            unconfirmed.join("; ")
        ),
        SCAN_CLAUSE.into(),
        None,
    ))
}
