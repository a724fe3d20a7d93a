//! Who sees what of a sharing decision (issue 12). A decision can be about several people, and
//! each part of it is about one of them: the person's details, the entries from their record.
//! A reader sees the parts about the people whose records they may read, and the decision's
//! free text (the reasons, who gave consent, who in the family was told) only when they may
//! read everyone in it, since that text can speak of any of them. Someone who may only audit a
//! record (an auditor) sees the decision's metadata: what kind of sharing, under which clause,
//! to whom and when; never content. Each part shown is logged against its person.

use std::collections::{BTreeSet, HashMap};

use harbour_domain::{
    ConsentPosition, Decision, DecisionId, DecisionStatus, EntryId, FamilyPosition, PersonId, Rationale,
};
use harbour_policy::{Action, Decision as Authz, Resource};
use harbour_store::{AuditEvent, Outcome};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{AppError, AppResult};
use crate::Actor;
use crate::App;

/// Put in place of text the reader may not see.
pub const WITHHELD: &str = "(withheld)";

/// A decision as one reader may see it: the decision's fields, with what they may not see
/// left out (people, entries, details) or replaced by "(withheld)" (free text), and a list
/// saying what was withheld and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionView {
    #[serde(flatten)]
    pub decision: Decision,
    /// What this reader is not shown, in words; empty when they see it all.
    pub withheld: Vec<String>,
    /// The decision in words, as far as this reader may see it.
    pub words: DecisionWords,
}

/// A decision's codes in the notice's words, and — for a reader who may see them — whom it is
/// about and exactly what it shares of each record.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct DecisionWords {
    /// The notice's title.
    pub notice: String,
    pub purpose: String,
    pub statute: String,
    pub condition: Option<String>,
    /// The notice's ground for sharing without consent, when it relies on one.
    pub ground: Option<String>,
    /// The notice's exemption from telling the family, when it relies on one.
    pub exemption: Option<String>,
    pub categories: Vec<String>,
    pub urgency: String,
    /// Who decided it, and their organisation.
    pub decided_by: String,
    /// The people it is about whom the reader may see, by name.
    pub people: Vec<NamedPerson>,
    /// What it shares of each entry the reader may see: exactly the fields that go.
    pub entries: Vec<super::ReceivedEntry>,
    /// Of each person's details, what goes (in words).
    pub person_fields: Vec<String>,
}

/// A person a decision is about, for a reader who may see them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NamedPerson {
    pub id: PersonId,
    pub name: String,
}

/// How much of a decision a reader may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sight {
    /// Every person's record: the whole decision.
    Whole,
    /// Some people's records: their parts, and the decision's metadata.
    Part(BTreeSet<PersonId>),
    /// No record, but the audit trail of them (an auditor), or the Guardian's duty: metadata.
    Metadata,
}

/// The decision as `sight` lets a reader see it. `entry_people` says whose record each entry
/// is from.
pub fn view(d: &Decision, sight: &Sight, entry_people: &HashMap<EntryId, PersonId>) -> DecisionView {
    let mut shown = d.clone();
    let mut withheld = Vec::new();
    let readable = |p: &PersonId| match sight {
        Sight::Whole => true,
        Sight::Part(people) => people.contains(p),
        Sight::Metadata => false,
    };
    if *sight == Sight::Whole {
        return DecisionView { decision: shown, withheld, words: DecisionWords::default() };
    }
    // A reader of some of the records sees nothing of the others, not even that they are in
    // it; an auditor sees who and which entries (ids and field names: no content).
    if let Sight::Part(_) = sight {
        let hidden_people = d.people.iter().filter(|p| !readable(p)).count();
        shown.people.retain(|p| readable(p));
        shown.person_fields.retain(|f| readable(&f.person_id));
        shown.entries.retain(|e| entry_people.get(&e.entry_id).is_some_and(readable));
        withheld.push(format!(
            "{hidden_people} of the {} people in it, whose records you may not see, and what it shares about them",
            d.people.len()
        ));
    }
    let w = || WITHHELD.to_string();
    shown.rationale = Rationale {
        necessary: w(),
        proportionate: w(),
        relevant: w(),
        adequate: w(),
        accurate: w(),
        timely: w(),
        secure: w(),
    };
    shown.consent = match &d.consent {
        ConsentPosition::Given { consent_ids, .. } => {
            ConsentPosition::Given { consent_ids: consent_ids.clone(), from: Some(w()) }
        }
        ConsentPosition::Refused { .. } => ConsentPosition::Refused { from: w() },
        ConsentPosition::NotSought { .. } => ConsentPosition::NotSought { reason: w() },
    };
    shown.family = match &d.family {
        FamilyPosition::Told { when, .. } => FamilyPosition::Told { who: w(), when: *when, how: w() },
        exempt @ FamilyPosition::Exempt { .. } => exempt.clone(),
    };
    shown.whole_record_justification = d.whole_record_justification.as_ref().map(|_| w());
    if let Some(g) = shown.guardian.as_mut() {
        g.reason = w();
    }
    shown.confirmed_categories.clear();
    withheld.push(
        "the reasons, who gave or refused consent, who in the family was told and the Caldicott Guardian's reason: \
         they can speak of anyone in the decision"
            .into(),
    );
    DecisionView { decision: shown, withheld, words: DecisionWords::default() }
}

impl App {
    /// How much of `d` the actor may see, or `None` when nothing (and the authorizer's decision
    /// behind it, for the ledger).
    pub(crate) async fn sight_of(&self, actor: &Actor, d: &Decision) -> AppResult<Option<(Sight, Authz)>> {
        let principal = actor.principal();
        let facts = self.access_facts(&actor.now, &d.people).await?;
        let mut readable = BTreeSet::new();
        let mut allowed: Option<Authz> = None;
        let mut audit: Option<Authz> = None;
        for p in &d.people {
            let resource = crate::people::resource(*p, &facts);
            let read = self.authz.decide(&principal, Action::Read, &resource);
            if read.allowed {
                readable.insert(*p);
                allowed.get_or_insert(read);
            } else if audit.is_none() {
                let a = self.authz.decide(&principal, Action::ReadPersonAudit, &resource);
                if a.allowed {
                    audit = Some(a);
                }
            }
        }
        if let Some(a) = allowed {
            let sight = if readable.len() == d.people.len() { Sight::Whole } else { Sight::Part(readable) };
            return Ok(Some((sight, a)));
        }
        if let Some(a) = audit {
            return Ok(Some((Sight::Metadata, a)));
        }
        // The Guardian rules on a disclosure routed to them only having seen all of it: the
        // people, what would go, the reasons, consent and the family's position (rules.md rule
        // 24). Once ruled, the decision is theirs to see as its metadata again.
        let guardian = self.authz.decide(&principal, Action::RuleOnSharing, &Resource::System);
        let sight = if d.status == DecisionStatus::AwaitingGuardian { Sight::Whole } else { Sight::Metadata };
        Ok(guardian.allowed.then_some((sight, guardian)))
    }

    /// Whose record each of a decision's entries is from.
    pub(crate) async fn entry_people(&self, d: &Decision) -> AppResult<HashMap<EntryId, PersonId>> {
        let ids: Vec<EntryId> = d.entries.iter().map(|e| e.entry_id).collect();
        Ok(self.store.entries_with_context(&ids).await?.into_iter().map(|(e, p, _)| (e.id, p)).collect())
    }

    /// The decision as the actor may see it, each person whose part is shown logged; refused
    /// (and the refusal logged against every person in it) when they may see none of it.
    pub async fn decision(&self, actor: &Actor, id: DecisionId) -> AppResult<DecisionView> {
        let d = self.store.decision(id).await?;
        let Some((sight, authz)) = self.sight_of(actor, &d).await? else {
            let events: Vec<AuditEvent> = d
                .people
                .iter()
                .map(|p| {
                    AuditEvent::new("sharing.read", "sharing_decision")
                        .by(actor.user.id, actor.user.org_id)
                        .target(id)
                        .about(*p)
                        .outcome(Outcome::Denied)
                })
                .collect();
            self.store.audit_all(&events).await?;
            return Err(AppError::Forbidden {
                explanation: "refused: you may not see this sharing decision".into(),
                policy_ids: Vec::new(),
            });
        };
        let mut shown = view(&d, &sight, &self.entry_people(&d).await?);
        shown.words = self.decision_words(&shown.decision, &sight).await?;
        self.log_shown(actor, "sharing.read", &authz, id, &d, &sight).await?;
        Ok(shown)
    }

    /// The shown decision's codes in its notice's words; its people by name and exactly what
    /// it shares of their entries unless the reader sees only metadata (logged as a look at
    /// the decision by the caller).
    pub(crate) async fn decision_words(&self, shown: &Decision, sight: &Sight) -> AppResult<DecisionWords> {
        let pack = self.notices.iter().find(|p| p.id() == shown.notice);
        let text = |found: Option<String>, code: &str| found.unwrap_or_else(|| code.to_string());
        let decider = self.store.user(shown.decided_by).await?;
        let org = self.store.organisation(decider.org_id).await?.name;
        let mut words = DecisionWords {
            notice: text(pack.map(|p| p.pack.title.clone()), &shown.notice),
            purpose: self.purpose_text(shown),
            statute: text(
                pack.and_then(|p| p.statutes.iter().find(|s| s.id.get_ref() == &shown.statute)).map(|s| s.text.clone()),
                &shown.statute,
            ),
            condition: shown.condition.as_ref().map(|c| {
                text(
                    pack.and_then(|p| p.conditions.iter().find(|x| x.id.get_ref() == c))
                        .map(|x| format!("Art {} — {}", x.article, x.text)),
                    c,
                )
            }),
            ground: shown.without_consent_ground.as_ref().map(|g| {
                text(
                    pack.and_then(|p| p.sharing.without_consent.iter().find(|x| x.id.get_ref() == g))
                        .map(|x| x.text.clone()),
                    g,
                )
            }),
            exemption: match &shown.family {
                FamilyPosition::Exempt { exemption, .. } => Some(text(
                    pack.and_then(|p| p.telling_the_family.exemptions.iter().find(|x| x.id.get_ref() == exemption))
                        .map(|x| x.text.clone()),
                    exemption,
                )),
                FamilyPosition::Told { .. } => None,
            },
            categories: shown.categories.iter().map(|c| c.label().to_string()).collect(),
            urgency: shown.urgency.label().to_string(),
            decided_by: format!("{}, {org}", decider.display_name),
            ..DecisionWords::default()
        };
        if *sight == Sight::Metadata {
            return Ok(words);
        }
        for p in &shown.people {
            words.people.push(NamedPerson { id: *p, name: self.store.person(*p).await?.full_name() });
        }
        let ids: Vec<EntryId> = shown.entries.iter().map(|e| e.entry_id).collect();
        let found: HashMap<EntryId, harbour_domain::Entry> =
            self.store.entries_with_context(&ids).await?.into_iter().map(|(e, _, _)| (e.id, e)).collect();
        words.entries = shown
            .entries
            .iter()
            .filter_map(|item| found.get(&item.entry_id).map(|e| super::received_entry(e, &item.fields)))
            .collect();
        words.person_fields = shown
            .person_fields
            .iter()
            .flat_map(|f| f.fields.iter().map(|x| x.label().to_string()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        Ok(words)
    }

    /// Logs a look at a decision against each person whose part was shown (everyone in it, for
    /// a metadata view: what was shared about them, and with whom, was seen).
    pub(crate) async fn log_shown(
        &self,
        actor: &Actor,
        action: &str,
        authz: &Authz,
        id: DecisionId,
        d: &Decision,
        sight: &Sight,
    ) -> AppResult<()> {
        let events: Vec<AuditEvent> = d
            .people
            .iter()
            .filter(|p| match sight {
                Sight::Part(people) => people.contains(p),
                Sight::Whole | Sight::Metadata => true,
            })
            .map(|p| self.event(actor, action, "sharing_decision", authz).target(id).about(*p))
            .collect();
        self.store.audit_all(&events).await?;
        Ok(())
    }
}
