//! Subject access (issue 14): collate everything held about the subject, review the proposed
//! redactions, have a second person approve, and release a bundle (PDF and HTML) from which
//! the withheld text is absent. Every step is the data protection officer's and is in the
//! ledger, about the subject.
//!
//! The review never copies the file's text: it keeps each item's digest and its redactions.
//! The bundle is made from the file as it stands at release, and only if every item is still
//! the text that was reviewed and approved.

mod bundle;
mod collate;

use std::collections::{HashMap, HashSet};

use harbour_domain::{
    parts, NewRedaction, Part, PersonId, Redaction, RedactionOrigin, RedactionReason, Right, RightsRequest,
    RightsRequestId, RightsStatus, UserId,
};
use harbour_policy::Action;
use harbour_store::StoredReview;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use bundle::{Art15Section, ReleaseMethod, ReleaseRecord, ReleaseTo, ReleaseView, ReleasedItem};
pub use collate::{Item, ItemKind};
use collate::{Names, People, Proposer};

use crate::{Actor, App, AppError, AppResult};

/// What a review keeps of an item: the digest of the text reviewed and the redactions.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ItemReview {
    key: String,
    digest: String,
    redactions: Vec<Redaction>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct ReviewBody {
    items: Vec<ItemReview>,
}

/// An item on the review screen.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewItemView {
    pub key: String,
    pub kind: ItemKind,
    pub heading: String,
    pub meta: Vec<String>,
    pub text: String,
    /// Each with its reason, where it came from and whether it is withheld.
    pub redactions: Vec<Redaction>,
    /// The item changed since it was reviewed: its decisions were set aside and Harbour's
    /// proposals stand until it is reviewed again.
    pub changed: bool,
    /// The item as it would be released.
    pub released: Vec<Part>,
}

/// How many stretches are withheld for a reason.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Withheld {
    pub reason: RedactionReason,
    pub label: &'static str,
    pub count: usize,
}

/// The review screen: every item with its redactions, and the Art 15 information.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewView {
    pub request_id: RightsRequestId,
    pub person_id: PersonId,
    pub status: RightsStatus,
    pub reviewed_by: Option<String>,
    pub approved_by: Option<String>,
    pub items: Vec<ReviewItemView>,
    pub withheld: Vec<Withheld>,
    pub art15: Vec<Art15Section>,
}

/// The reviewer's decisions on one item.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedactionDecisions {
    /// The item's key (`entry:<id>`, `details`, …).
    pub item: String,
    /// Accept or reject redactions by their place in the item's list.
    #[serde(default)]
    pub decisions: Vec<RedactionDecision>,
    /// Redactions the reviewer adds (an exemption, a name Harbour missed).
    #[serde(default)]
    pub add: Vec<NewRedaction>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedactionDecision {
    #[serde(deserialize_with = "harbour_domain::whole_number")]
    pub index: usize,
    /// Withhold (true) or release (false) the text.
    pub accepted: bool,
    /// Why; required to release text Harbour proposed to withhold.
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// A collation merged with the stored review: decisions kept for unchanged items.
struct Merged {
    items: Vec<(Item, Vec<Redaction>, bool)>,
    art15: Vec<Art15Section>,
}

fn merge(items: Vec<Item>, body: &ReviewBody) -> Vec<(Item, Vec<Redaction>, bool)> {
    let reviewed: HashMap<&str, &ItemReview> = body.items.iter().map(|r| (r.key.as_str(), r)).collect();
    items
        .into_iter()
        .map(|item| match reviewed.get(item.key.as_str()) {
            Some(r) if r.digest == item.digest => {
                let kept = r.redactions.clone();
                (item, kept, false)
            }
            Some(_) => {
                let proposed = item.proposed.clone();
                (item, proposed, true)
            }
            None => {
                let proposed = item.proposed.clone();
                (item, proposed, !body.items.is_empty())
            }
        })
        .collect()
}

fn body_of(items: &[(Item, Vec<Redaction>, bool)]) -> ReviewBody {
    ReviewBody {
        items: items
            .iter()
            .map(|(i, r, _)| ItemReview { key: i.key.clone(), digest: i.digest.clone(), redactions: r.clone() })
            .collect(),
    }
}

fn withheld(items: &[(Item, Vec<Redaction>, bool)]) -> Vec<Withheld> {
    RedactionReason::ALL
        .into_iter()
        .map(|reason| Withheld {
            reason,
            label: reason.label(),
            count: items.iter().flat_map(|(_, r, _)| r).filter(|r| r.accepted && r.reason == reason).count(),
        })
        .filter(|w| w.count > 0)
        .collect()
}

fn decode(stored: &StoredReview) -> AppResult<ReviewBody> {
    serde_json::from_slice(&stored.body).map_err(|e| AppError::Internal(format!("a stored review does not read: {e}")))
}

fn encode(body: &ReviewBody) -> AppResult<Vec<u8>> {
    serde_json::to_vec(body).map_err(|e| AppError::Internal(e.to_string()))
}

/// The request must be a subject access request naming a record, in one of `statuses`.
fn check_request(request: &RightsRequest, statuses: &[RightsStatus]) -> AppResult<PersonId> {
    if request.right != Right::Access {
        return Err(AppError::Unprocessable(format!(
            "this is a request under the right of {}; only subject access requests are collated",
            request.right.code()
        )));
    }
    let Some(person) = request.person_id else {
        return Err(AppError::Unprocessable(
            "the request names no record: find the person and record their id on the request first".into(),
        ));
    };
    if !statuses.contains(&request.status) {
        let allowed: Vec<&str> = statuses.iter().map(|s| s.code()).collect();
        return Err(AppError::Conflict(format!(
            "the request is {}; this step needs it {}",
            request.status.code(),
            allowed.join(" or ")
        )));
    }
    Ok(person)
}

/// Applies the reviewer's decisions to an item's redactions.
fn decide(item: &Item, redactions: &mut Vec<Redaction>, d: RedactionDecisions) -> AppResult<()> {
    for dec in d.decisions {
        let len = redactions.len();
        let r = redactions.get_mut(dec.index).ok_or_else(|| {
            AppError::Unprocessable(format!("item {} has {len} redactions; there is no number {}", item.key, dec.index))
        })?;
        let note = harbour_domain::optional_text("note", dec.note.as_deref(), 2000)?;
        if !dec.accepted && r.origin == RedactionOrigin::Proposed && note.is_none() {
            return Err(AppError::Invalid(harbour_domain::DomainError::Empty {
                field: "note (why text Harbour proposed to withhold may be released)",
            }));
        }
        r.accepted = dec.accepted;
        if note.is_some() {
            r.note = note;
        }
    }
    let chars = item.text.chars().count();
    for add in d.add {
        redactions.push(add.validate(chars)?);
    }
    redactions.sort_by_key(|r| (r.start, r.end));
    Ok(())
}

impl App {
    /// Collates the subject's file as it stands and merges the stored review into it.
    async fn merged(&self, request: &RightsRequest, person: PersonId, today: jiff::civil::Date) -> AppResult<Merged> {
        let (items, _people, art15) = self.collate_file(request, person, today).await?;
        let body = match self.store.rights_review(request.id).await? {
            Some(stored) => decode(&stored)?,
            None => ReviewBody::default(),
        };
        Ok(Merged { items: merge(items, &body), art15 })
    }

    async fn user_name(&self, id: Option<UserId>) -> AppResult<Option<String>> {
        Ok(match id {
            Some(u) => Some(self.store.user(u).await?.display_name),
            None => None,
        })
    }

    async fn review_view(&self, request: &RightsRequest, person: PersonId, merged: Merged) -> AppResult<ReviewView> {
        let stored = self.store.rights_review(request.id).await?;
        let withheld = withheld(&merged.items);
        let items = merged
            .items
            .into_iter()
            .map(|(i, r, changed)| ReviewItemView {
                released: parts(&i.text, &r),
                key: i.key,
                kind: i.kind,
                heading: i.heading,
                meta: i.meta,
                text: i.text,
                redactions: r,
                changed,
            })
            .collect();
        Ok(ReviewView {
            request_id: request.id,
            person_id: person,
            status: request.status,
            reviewed_by: self.user_name(stored.as_ref().and_then(|s| s.reviewed_by)).await?,
            approved_by: self.user_name(stored.as_ref().and_then(|s| s.approved_by)).await?,
            items,
            withheld,
            art15: merged.art15,
        })
    }

    /// Collates the subject's file for review: Harbour's proposals for new or changed items,
    /// the reviewer's decisions kept for the rest.
    pub async fn collate(&self, actor: &Actor, id: RightsRequestId) -> AppResult<ReviewView> {
        let decision = self.authorize_system(actor, Action::ManageRights, "rights.collate").await?;
        let request = self.store.rights_request(id).await?;
        let person = check_request(&request, &[RightsStatus::InProgress, RightsStatus::InReview])?;
        self.check_child_view(&request, person).await?;
        let merged = self.merged(&request, person, actor.now.today()).await?;
        let prior = self.store.rights_review(id).await?;
        let review = StoredReview {
            body: encode(&body_of(&merged.items))?,
            reviewed_by: prior.and_then(|p| p.reviewed_by),
            approved_by: None,
        };
        let event = self.request_event(actor, "rights.collate", &decision, &request);
        self.store.save_rights_review(id, &review, &event).await?;
        self.review_view(&request, person, merged).await
    }

    /// The review screen (collate first).
    pub async fn review(&self, actor: &Actor, id: RightsRequestId) -> AppResult<ReviewView> {
        let decision = self.authorize_system(actor, Action::ManageRights, "rights.review.read").await?;
        let request = self.store.rights_request(id).await?;
        let person = check_request(
            &request,
            &[RightsStatus::InProgress, RightsStatus::InReview, RightsStatus::Approved, RightsStatus::Released],
        )?;
        if self.store.rights_review(id).await?.is_none() {
            return Err(AppError::NotFound(format!("request {id} has not been collated yet")));
        }
        let merged = self.merged(&request, person, actor.now.today()).await?;
        self.store.audit(&self.request_event(actor, "rights.review.read", &decision, &request)).await?;
        self.review_view(&request, person, merged).await
    }

    /// The reviewer accepts, rejects or adds redactions on one item. Any decision sets aside
    /// an approval: the approver approves what was last reviewed.
    pub async fn decide_redactions(
        &self,
        actor: &Actor,
        id: RightsRequestId,
        d: RedactionDecisions,
    ) -> AppResult<ReviewView> {
        let decision = self.authorize_system(actor, Action::ManageRights, "rights.review").await?;
        let request = self.store.rights_request(id).await?;
        let person = check_request(&request, &[RightsStatus::InProgress, RightsStatus::InReview])?;
        if self.store.rights_review(id).await?.is_none() {
            return Err(AppError::Conflict(format!("request {id} has not been collated yet")));
        }
        let mut merged = self.merged(&request, person, actor.now.today()).await?;
        let (item, redactions, changed) = merged
            .items
            .iter_mut()
            .find(|(i, _, _)| i.key == d.item)
            .ok_or_else(|| AppError::Unprocessable(format!("the bundle has no item {}", d.item)))?;
        decide(item, redactions, d)?;
        *changed = false;
        let review = StoredReview {
            body: encode(&body_of(&merged.items))?,
            reviewed_by: Some(actor.user.id),
            approved_by: None,
        };
        let event = self.request_event(actor, "rights.review", &decision, &request);
        self.store.save_rights_review(id, &review, &event).await?;
        self.review_view(&request, person, merged).await
    }

    /// Approval is a second person's: someone other than the last reviewer, of a review whose
    /// every item is still the text reviewed. Called by [`App::move_rights_request`].
    pub(crate) async fn check_approval(&self, actor: &Actor, request: &RightsRequest) -> AppResult<StoredReview> {
        let person = check_request(request, &[RightsStatus::InReview])?;
        let stored = self
            .store
            .rights_review(request.id)
            .await?
            .ok_or_else(|| AppError::Conflict("nothing to approve: collate and review the request first".into()))?;
        match stored.reviewed_by {
            None => return Err(AppError::Conflict("nobody has reviewed the redactions yet".into())),
            Some(r) if r == actor.user.id => {
                return Err(AppError::Forbidden {
                    explanation: "a second person approves: you reviewed this request, so someone else must approve it"
                        .into(),
                    policy_ids: Vec::new(),
                })
            }
            Some(_) => {}
        }
        let merged = self.merged(request, person, actor.now.today()).await?;
        if let Some((item, _, _)) = merged.items.iter().find(|(_, _, changed)| *changed) {
            return Err(AppError::Conflict(format!(
                "{} changed since it was reviewed; review it again before approving",
                item.heading
            )));
        }
        Ok(StoredReview { approved_by: Some(actor.user.id), ..stored })
    }

    /// Partners' information requests about the subject: those a decision about them answered,
    /// and those naming them (the same given and family name, and date of birth where both
    /// give one). Requests are kept by name, not by record, so this is a match, not a link.
    async fn requests_naming(
        &self,
        subject: &harbour_domain::Person,
        decisions: &[harbour_domain::Decision],
    ) -> AppResult<Vec<harbour_domain::InformationRequest>> {
        let answered: HashSet<harbour_domain::RequestId> = decisions.iter().filter_map(|d| d.request_id).collect();
        let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
        Ok(self
            .store
            .requests(None)
            .await?
            .into_iter()
            .filter(|r| {
                let named = same(&r.about.given_name, &subject.given_name)
                    && same(&r.about.family_name, &subject.family_name)
                    && match (r.about.date_of_birth, subject.date_of_birth) {
                        (Some(a), Some(b)) => a == b,
                        _ => true,
                    };
                named || answered.contains(&r.id)
            })
            .collect())
    }

    /// Everyone the file names besides the subject.
    async fn people_of(&self, person: PersonId, mentioned: HashSet<PersonId>) -> AppResult<People> {
        let subject = self.store.person(person).await?;
        let ids: Vec<PersonId> = mentioned.into_iter().filter(|p| *p != person).collect();
        let others: HashMap<PersonId, harbour_domain::Person> =
            self.store.people(&ids).await?.into_iter().map(|p| (p.id, p)).collect();
        let mut all = ids.clone();
        all.push(person);
        let confidential = self.store.confidential_addresses(&all).await?;
        let restricted = self.store.restriction(person).await?.is_some();
        Ok(People { subject, others, confidential, extra_names: Vec::new(), restricted })
    }

    async fn names(&self) -> AppResult<Names> {
        let (users, orgs) = self.who_is_who().await?;
        let teams = self.store.teams().await?.into_iter().map(|t| (t.id.to_string(), t.org_id.to_string())).collect();
        Ok(Names { orgs, users, teams })
    }

    /// Every item of the subject's file, with Harbour's proposals, and the Art 15 information.
    async fn collate_file(
        &self,
        request: &RightsRequest,
        person: PersonId,
        today: jiff::civil::Date,
    ) -> AppResult<(Vec<Item>, People, Vec<Art15Section>)> {
        let rels = self.store.relationships_of(person).await?;
        let decisions = self.store.decisions_about(person).await?;
        let notifications: Vec<harbour_domain::Notification> = self
            .store
            .notifications(None)
            .await?
            .into_iter()
            .filter(|n| n.children.iter().any(|c| c.person_id == Some(person)))
            .collect();
        let mut mentioned: HashSet<PersonId> = rels.iter().flat_map(|r| [r.from, r.to]).collect();
        mentioned.extend(decisions.iter().flat_map(|d| d.people.iter().copied()));
        mentioned.extend(notifications.iter().flat_map(|n| n.children.iter().filter_map(|c| c.person_id)));
        let mut people = self.people_of(person, mentioned).await?;
        for n in &notifications {
            let named = n.children.iter().filter(|c| c.person_id != Some(person));
            people.extra_names.extend(named.map(|c| format!("{} {}", c.named.given_name, c.named.family_name)));
        }
        let names = self.names().await?;
        let retention = self.retention_of(person, today).await?;
        let items = self.items(person, &people, &names, &rels, &decisions, &notifications, &retention).await?;
        let art15 = bundle::art15(self.notices(), &self.store.episodes_of(person).await?, &retention, request);
        Ok((items, people, art15))
    }

    #[allow(clippy::too_many_arguments)] // the file's parts, read once by the caller
    async fn items(
        &self,
        person: PersonId,
        people: &People,
        names: &Names,
        rels: &[harbour_domain::Relationship],
        decisions: &[harbour_domain::Decision],
        notifications: &[harbour_domain::Notification],
        retention: &crate::retention::PersonRetention,
    ) -> AppResult<Vec<Item>> {
        let staff: Vec<String> = names.users.values().map(|(name, _)| name.clone()).collect();
        let proposer = Proposer::new(people, &staff);
        let mut items = vec![collate::details(people, &proposer)];
        if !rels.is_empty() {
            items.push(collate::relationships(rels, people, &proposer));
        }
        let consents = self.store.consents_of(person).await?;
        if !consents.is_empty() {
            items.push(collate::consents(&consents, names, &proposer));
        }
        let by_episode: HashMap<_, _> = retention.records.iter().map(|r| (r.episode_id, r)).collect();
        for e in self.store.episodes_of(person).await? {
            items.push(collate::episode(&e, by_episode.get(&e.id).copied(), names, &proposer));
        }
        let mut entries = self.store.entries_of_person(person).await?;
        entries.sort_by_key(|e| (e.occurred_at, e.id.to_string()));
        let titles: HashMap<_, _> = entries.iter().map(|e| (e.id, e.subject.clone())).collect();
        let versions = self.store.entry_versions_of_person(person).await?;
        for e in &entries {
            let earlier = versions.get(&e.id).map(Vec::as_slice).unwrap_or_default();
            items.push(collate::entry(e, earlier.last().map(|v| v.replaced_at), people, names, &proposer));
            items.extend(earlier.iter().map(|v| collate::entry_version(e, v, names, &proposer)));
        }
        let mut received: HashMap<harbour_domain::DecisionId, Vec<(String, jiff::Timestamp)>> = HashMap::new();
        for d in self.store.disclosures_about(person).await? {
            received.entry(d.decision_id).or_default().push((names.org(d.org_id), d.disclosed_at));
        }
        for d in decisions {
            let got = received.get(&d.id).map(Vec::as_slice).unwrap_or_default();
            items.push(collate::disclosure(d, got, person, &titles, names, &proposer));
        }
        items.extend(notifications.iter().map(|n| collate::notification(n, names, &proposer)));
        for r in self.requests_naming(&people.subject, decisions).await? {
            items.push(collate::information_request(&r, names, &proposer));
        }
        Ok(items)
    }
}
