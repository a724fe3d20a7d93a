//! Intake: police domestic abuse notifications (seed 000, in the manner of Operation
//! Encompass) and partners' information requests (seed 001). A notification is triaged by the
//! hub (children matched or created, a domestic abuse episode opened for each, with the
//! police account and a minimal notice for the school), then shared with each child's school
//! through the ordinary sharing decision before the start of the next school day.

use harbour_domain::{
    ConsentPosition, DataCategory, DisclosedEntry, DisclosedPerson, Entry, EntryField, EntryKind, Episode, EpisodeId,
    FamilyPosition, Holiday, InformationRequest, NewDecision, NewEntry, NewNotification, NewRequest, Notification,
    NotificationId, NotificationStatus, OrgKind, PersonField, PersonId, Rationale, RecordClass, RequestId, Role,
    SchoolCalendar, Source, Triage, Urgency,
};
use harbour_policy::Action;
use harbour_store::{AuditEvent, Receipt, TriagedChild};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{AppError, AppResult};
use crate::Actor;
use crate::App;

/// The notice domestic abuse notifications are shared under, and its terms for the school.
pub const DA_NOTICE: &str = "domestic-abuse-sharing";
const DA_PURPOSE: &str = "keep-safe";
const DA_STATUTE: &str = "children-act-2004-s10";

/// A notification with whether it missed the school-day deadline.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationView {
    #[serde(flatten)]
    pub notification: Notification,
    pub missed_deadline: bool,
}

/// The hub's decision to tell each child's school: everything else (recipient, the minimal
/// notice, basis, statute) follows from the notification and the notice.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShareWithSchools {
    pub consent: ConsentPosition,
    #[serde(default)]
    pub without_consent_ground: Option<String>,
    pub family: FamilyPosition,
    pub rationale: Rationale,
}

/// The school's notice (Operation Encompass, rules.md rule 30): the police reference, when and
/// where, whether the child was there, the child's voice where recorded, a short account, and
/// what the school is asked to do. Never the police account itself.
fn school_notice(n: &Notification, child: &harbour_domain::NotificationChild) -> String {
    let c = &child.named;
    let name = &c.given_name;
    let when = n.incident_at.strftime("%-d %B %Y at %H:%M");
    let present = if c.present {
        format!("{name} was present.")
    } else {
        format!("{name} was not present but lives in the household.")
    };
    let voice = match &c.voice {
        Some(v) => format!("What {name} said or how they seemed: {v}"),
        None => format!("The officers did not record {name}'s voice."),
    };
    format!(
        "Police reference {}. Incident on {when}, at {}. {present} {voice} What happened: {}          Please be alert to {name}'s wellbeing in school and offer support; contact the hub with any concerns.",
        n.police_reference, n.location, n.summary_for_school
    )
}

/// Which notifications or requests someone may see.
enum Scope {
    All,
    /// Their own organisation's (a police force's notifications, a partner's requests).
    Organisation(harbour_domain::OrgId),
    /// Only about people whose records they may read.
    Readable,
}

/// Where notifications are shown: the pages of those who watch the deadlines (the hub, team
/// managers, the data protection officer), or the pages of the force that sent them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationDesk {
    Hub,
    Force,
}

impl NotificationDesk {
    fn action(self) -> Action {
        match self {
            NotificationDesk::Hub => Action::ReadNotifications,
            NotificationDesk::Force => Action::SubmitNotification,
        }
    }
}

fn view(n: Notification, now: jiff::Timestamp) -> NotificationView {
    NotificationView { missed_deadline: n.missed_deadline(now), notification: n }
}

impl App {
    pub async fn school_calendar(&self) -> AppResult<SchoolCalendar> {
        Ok(SchoolCalendar::new(self.store.holidays().await?))
    }

    pub async fn submit_notification(&self, actor: &Actor, new: NewNotification) -> AppResult<NotificationView> {
        let authz = self.authorize_system(actor, Action::SubmitNotification, "notification.submit").await?;
        let new = new.validate(actor.now.local)?;
        let received_at = actor.now.instant;
        let deadline = self.school_calendar().await?.deadline(harbour_domain::uk_local(received_at));
        let id = NotificationId::new();
        let event = self.event(actor, "notification.submit", "notification", &authz).target(id);
        let receipt = Receipt { id, police_org: actor.user.org_id, submitted_by: actor.user.id, received_at, deadline };
        self.store.insert_notification(&new, &receipt, &event).await?;
        Ok(view(self.store.notification(id).await?, actor.now.instant))
    }

    /// Who may see notifications (issue 12 narrowed it): the hub and the DPO see all; a team
    /// manager those about children whose records their team may read; a police user their
    /// own force's.
    async fn notification_scope(&self, actor: &Actor, action: &str) -> AppResult<Scope> {
        let p = actor.principal();
        if self.authz.decide(&p, Action::ReadNotifications, &harbour_policy::Resource::System).allowed {
            return Ok(if actor.user.role == Role::TeamManager { Scope::Readable } else { Scope::All });
        }
        self.authorize_system(actor, Action::SubmitNotification, action).await?;
        Ok(Scope::Organisation(actor.user.org_id))
    }

    /// A notification as the actor may see it: for `Scope::Readable`, only the children whose
    /// records they may read (none: not at all).
    async fn scoped(&self, actor: &Actor, scope: &Scope, mut n: Notification) -> AppResult<Option<Notification>> {
        match scope {
            Scope::All => Ok(Some(n)),
            Scope::Organisation(org) => Ok((*org == n.police_org).then_some(n)),
            Scope::Readable => {
                let people: Vec<PersonId> = n.children.iter().filter_map(|c| c.person_id).collect();
                let facts = self.access_facts(&actor.now, &people).await?;
                let principal = actor.principal();
                n.children.retain(|c| {
                    c.person_id.is_some_and(|p| {
                        self.authz.decide(&principal, Action::Read, &crate::people::resource(p, &facts)).allowed
                    })
                });
                Ok((!n.children.is_empty()).then_some(n))
            }
        }
    }

    /// Logs that the actor saw a notification, against each child shown.
    async fn log_notification(&self, actor: &Actor, action: &str, n: &Notification) -> AppResult<()> {
        let event = AuditEvent::new(action, "notification").by(actor.user.id, actor.user.org_id).target(n.id);
        let events: Vec<AuditEvent> = match n.children.iter().filter_map(|c| c.person_id).collect::<Vec<_>>() {
            people if people.is_empty() => vec![event],
            people => people.into_iter().map(|p| event.clone().about(p)).collect(),
        };
        self.store.audit_all(&events).await?;
        Ok(())
    }

    pub async fn notifications(&self, actor: &Actor, missed_only: bool) -> AppResult<Vec<NotificationView>> {
        let scope = self.notification_scope(actor, "notification.list").await?;
        let force = match scope {
            Scope::Organisation(org) => Some(org),
            _ => None,
        };
        let mut out = Vec::new();
        for n in self.store.notifications(force).await? {
            let Some(n) = self.scoped(actor, &scope, n).await? else { continue };
            let v = view(n, actor.now.instant);
            if !missed_only || v.missed_deadline {
                self.log_notification(actor, "notification.listed", &v.notification).await?;
                out.push(v);
            }
        }
        let event = AuditEvent::new("notification.list", "system").by(actor.user.id, actor.user.org_id);
        self.store.audit(&event).await?;
        Ok(out)
    }

    /// Notifications as one desk shows them: the hub's pages (the dashboard and the triage
    /// page) only to those who watch the deadlines, a force's own pages only to its officers.
    /// Each refusal is recorded as any other.
    pub async fn notifications_at(
        &self,
        actor: &Actor,
        desk: NotificationDesk,
        missed_only: bool,
    ) -> AppResult<Vec<NotificationView>> {
        self.authorize_system(actor, desk.action(), "notification.list").await?;
        self.notifications(actor, missed_only).await
    }

    /// One notification as one desk shows it (see [`App::notifications_at`]).
    pub async fn notification_at(
        &self,
        actor: &Actor,
        desk: NotificationDesk,
        id: NotificationId,
    ) -> AppResult<NotificationView> {
        self.authorize_system(actor, desk.action(), "notification.read").await?;
        self.notification(actor, id).await
    }

    pub async fn notification(&self, actor: &Actor, id: NotificationId) -> AppResult<NotificationView> {
        let scope = self.notification_scope(actor, "notification.read").await?;
        let n = self.store.notification(id).await?;
        let Some(n) = self.scoped(actor, &scope, n).await? else {
            return Err(AppError::not_found(&format!("domestic abuse notification {id}")));
        };
        self.log_notification(actor, "notification.read", &n).await?;
        Ok(view(n, actor.now.instant))
    }

    /// The hub matches each child (an existing person or a new one), names their school, and
    /// opens a domestic abuse episode with the police account and the school's minimal notice.
    /// Everything is checked before anything is written, and written in one transaction.
    pub async fn triage(&self, actor: &Actor, id: NotificationId, triage: Triage) -> AppResult<NotificationView> {
        let authz = self.authorize_system(actor, Action::TriageNotification, "notification.triage").await?;
        let n = self.store.notification(id).await?;
        if n.status != NotificationStatus::Received {
            return Err(AppError::Conflict(format!("notification {id} has already been triaged")));
        }
        if triage.children.len() != n.children.len() {
            return Err(AppError::Unprocessable(format!(
                "the notification names {} children; give one line for each, in order",
                n.children.len()
            )));
        }
        let Some(team) = actor.user.team_id else {
            return Err(AppError::Unprocessable("you need a team to open the children's episodes".into()));
        };
        let on = actor.now.today();
        let mut n = n;
        if let Some(summary) =
            harbour_domain::optional_text("summary for the school", triage.summary_for_school.as_deref(), 600)?
        {
            n.summary_for_school = summary;
        }
        let mut children = Vec::new();
        let mut events = vec![self.event(actor, "notification.triage", "notification", &authz).target(id)];
        for (line, named) in triage.children.into_iter().zip(&n.children) {
            let (new_person, person_id) = self.triage_person(actor, line.person_id, line.new_person).await?;
            if new_person.is_some() {
                events.push(self.event(actor, "person.create", "person", &authz).target(person_id).about(person_id));
            }
            let school = self.triage_school(line.school_id).await?;
            let opened_on = n.incident_at.date().min(on);
            let episode = Episode {
                id: EpisodeId::new(),
                person_id,
                record_class: RecordClass::DomesticAbuseNotification,
                opened_on,
                closed_on: None,
                team_id: team,
                worker_id: None,
                eligibility_override: None,
                retention_class: Some(self.retention_class_for(RecordClass::DomesticAbuseNotification, None)?),
                left_school_on: None,
                published_on: None,
            };
            let (account, notice) = triage_entries(actor, &n, named, &episode)?;
            events.push(self.event(actor, "episode.create", "episode", &authz).target(episode.id).about(person_id));
            for e in [&account, &notice] {
                events.push(self.event(actor, "entry.create", "entry", &authz).target(e.id).about(person_id));
            }
            events[0] = events[0].clone().about(person_id);
            children.push(TriagedChild {
                new_person,
                person_id,
                school_id: school.id,
                school_notice: notice.id,
                entries: vec![account, notice],
                episode,
            });
        }
        self.store.triage_notification(id, Some(team), actor.user.id, &children, &events).await?;
        Ok(view(self.store.notification(id).await?, actor.now.instant))
    }

    /// The child a triage line names: an existing person (whom the hub must be allowed to
    /// write to, as for any other write) or a new one. Returns the new person, if any, and the id.
    async fn triage_person(
        &self,
        actor: &Actor,
        existing: Option<PersonId>,
        new_person: Option<harbour_domain::NewPerson>,
    ) -> AppResult<(Option<harbour_domain::Person>, PersonId)> {
        match (existing, new_person) {
            (Some(pid), None) => {
                if !self.store.person_exists(pid).await? {
                    return Err(AppError::UnknownReference(format!("person {pid} does not exist")));
                }
                // Opening an episode on an existing record is a write to it: the same
                // per-person check as any other write, whatever the triage permission says.
                let resource = self.person_resource(pid, &actor.now).await?;
                self.authorize(actor, Action::Write, resource, "notification.triage").await?;
                Ok((None, pid))
            }
            (None, Some(np)) => {
                let p = np.validate(actor.now.today())?;
                let pid = p.id;
                Ok((Some(p), pid))
            }
            _ => Err(AppError::Unprocessable(
                "for each child give either person_id (an existing record) or new_person, not both".into(),
            )),
        }
    }

    /// The school a triage line names. Operation Encompass: the child's school, or the
    /// council's education service for a child educated at home.
    async fn triage_school(&self, id: harbour_domain::OrgId) -> AppResult<harbour_domain::Organisation> {
        let school = self
            .store
            .organisation(id)
            .await
            .map_err(|_| AppError::UnknownReference(format!("organisation {id} does not exist")))?;
        if !matches!(school.kind, OrgKind::School | OrgKind::VirtualSchool | OrgKind::LaEducation) {
            return Err(AppError::Unprocessable(format!(
                "{} is {}, not a school or the council's education service",
                school.name,
                school.kind.label()
            )));
        }
        Ok(school)
    }

    /// One sharing decision per child, to that child's school, of the minimal notice only.
    pub async fn share_with_schools(
        &self,
        actor: &Actor,
        id: NotificationId,
        share: ShareWithSchools,
    ) -> AppResult<NotificationView> {
        self.authorize_system(actor, Action::TriageNotification, "notification.share").await?;
        let n = self.store.notification(id).await?;
        if n.status != NotificationStatus::Triaged {
            return Err(AppError::Conflict(format!(
                "notification {id} is not waiting to be shared (it is {})",
                n.status.code()
            )));
        }
        let mut prepared = Vec::new();
        let mut events = Vec::new();
        for (idx, child) in n.children.iter().enumerate() {
            let (Some(person), Some(school), Some(entry)) = (child.person_id, child.school_id, child.entry_id) else {
                return Err(AppError::Conflict(format!("child {} of notification {id} has not been triaged", idx + 1)));
            };
            let decision = NewDecision {
                notice: DA_NOTICE.into(),
                people: vec![person],
                request_id: None,
                recipients: vec![school],
                purpose: DA_PURPOSE.into(),
                basis: "6(1)(e)".into(),
                condition: None,
                statute: DA_STATUTE.into(),
                agreement_id: None,
                entries: vec![DisclosedEntry {
                    entry_id: entry,
                    fields: vec![EntryField::OccurredAt, EntryField::Location, EntryField::Subject, EntryField::Detail],
                }],
                person_fields: vec![DisclosedPerson {
                    person_id: person,
                    fields: vec![PersonField::Name, PersonField::DateOfBirth],
                }],
                whole_record_justification: None,
                consent: share.consent.clone(),
                without_consent_ground: share.without_consent_ground.clone(),
                family: share.family.clone(),
                rationale: share.rationale.clone(),
                urgency: Urgency::Urgent,
                expires_on: None,
                confirmed_categories: vec![],
            };
            let p = self.prepare_logged(actor, decision).await?;
            events.extend(p.events);
            prepared.push((idx, p.decision));
        }
        self.store.share_notification(id, &prepared, &events).await?;
        Ok(view(self.store.notification(id).await?, actor.now.instant))
    }

    pub async fn submit_request(&self, actor: &Actor, new: NewRequest) -> AppResult<InformationRequest> {
        let authz = self.authorize_system(actor, Action::SubmitRequest, "request.submit").await?;
        let new = new.validate(actor.now.today())?;
        let pack = self.notice(&new.notice)?;
        if !pack.purposes.iter().any(|p| p.id.get_ref() == &new.purpose) {
            let allowed: Vec<&String> = pack.purposes.iter().map(|p| p.id.get_ref()).collect();
            return Err(AppError::SharingRefused(format!(
                "{}: purpose {:?} is not one of the notice's purposes ({allowed:?})",
                pack.pack.short_name, new.purpose
            )));
        }
        if let Some(g) = &new.ground {
            if !pack.sharing.without_consent.iter().any(|x| x.id.get_ref() == g) {
                let allowed: Vec<&String> = pack.sharing.without_consent.iter().map(|x| x.id.get_ref()).collect();
                return Err(AppError::SharingRefused(format!(
                    "{}: {g:?} is not one of the notice's grounds for sharing without consent ({allowed:?})",
                    pack.pack.short_name
                )));
            }
        }
        let id = RequestId::new();
        let event = self.event(actor, "request.submit", "information_request", &authz).target(id);
        self.store.insert_request(id, &new, actor.user.org_id, actor.user.id, &event).await?;
        Ok(self.store.request(id).await?)
    }

    /// Who may see partners' requests (issue 12 narrowed it): the hub all of them; practitioners
    /// and team managers those about people whose records they may read; a partner their own
    /// organisation's.
    async fn request_scope(&self, actor: &Actor, action: &str) -> AppResult<Scope> {
        if self.authz.decide(&actor.principal(), Action::ReadRequests, &harbour_policy::Resource::System).allowed {
            return Ok(if actor.user.role == Role::Hub { Scope::All } else { Scope::Readable });
        }
        self.authorize_system(actor, Action::SubmitRequest, action).await?;
        Ok(Scope::Organisation(actor.user.org_id))
    }

    /// Whether the actor may see `r`, and the person it is about (when they saw it because
    /// they work with that person: a person the name and date of birth match whose record
    /// they may read).
    async fn request_in_scope(
        &self,
        actor: &Actor,
        scope: &Scope,
        r: &InformationRequest,
    ) -> AppResult<Option<Option<PersonId>>> {
        match scope {
            Scope::All => Ok(Some(None)),
            Scope::Organisation(org) => Ok((*org == r.from_org).then_some(None)),
            Scope::Readable => {
                let query = harbour_store::PersonQuery {
                    name: Some(format!("{} {}", r.about.given_name, r.about.family_name)),
                    date_of_birth: r.about.date_of_birth,
                    identifier: None,
                    limit: 20,
                };
                let found: Vec<PersonId> = self.store.search_people(&query).await?.iter().map(|p| p.id).collect();
                let facts = self.access_facts(&actor.now, &found).await?;
                let principal = actor.principal();
                Ok(found
                    .into_iter()
                    .find(|p| self.authz.decide(&principal, Action::Read, &crate::people::resource(*p, &facts)).allowed)
                    .map(Some))
            }
        }
    }

    pub async fn requests(&self, actor: &Actor) -> AppResult<Vec<InformationRequest>> {
        let scope = self.request_scope(actor, "request.list").await?;
        let force = match scope {
            Scope::Organisation(org) => Some(org),
            _ => None,
        };
        let mut out = Vec::new();
        for r in self.store.requests(force).await? {
            let Some(about) = self.request_in_scope(actor, &scope, &r).await? else { continue };
            if let Some(p) = about {
                let event = AuditEvent::new("request.listed", "information_request")
                    .by(actor.user.id, actor.user.org_id)
                    .target(r.id)
                    .about(p);
                self.store.audit(&event).await?;
            }
            out.push(r);
        }
        self.store.audit(&AuditEvent::new("request.list", "system").by(actor.user.id, actor.user.org_id)).await?;
        Ok(out)
    }

    pub async fn request(&self, actor: &Actor, id: RequestId) -> AppResult<InformationRequest> {
        let scope = self.request_scope(actor, "request.read").await?;
        let r = self.store.request(id).await?;
        let Some(about) = self.request_in_scope(actor, &scope, &r).await? else {
            return Err(AppError::not_found(&format!("information request {id}")));
        };
        let mut event =
            AuditEvent::new("request.read", "information_request").by(actor.user.id, actor.user.org_id).target(id);
        if let Some(p) = about {
            event = event.about(p);
        }
        self.store.audit(&event).await?;
        Ok(r)
    }

    pub async fn add_holiday(&self, actor: &Actor, h: Holiday) -> AppResult<Holiday> {
        let authz = self.authorize_system(actor, Action::ManageDirectory, "calendar.add").await?;
        let h = h.validate()?;
        let event = self.event(actor, "calendar.add", "system", &authz);
        self.store.insert_holiday(&h, &event).await?;
        Ok(h)
    }
}

/// The two entries a triaged child's episode opens with: the police account, and the notice
/// for the school. The school receives what its designated safeguarding lead needs and no
/// more: a notice that reads as an offence or a health matter is refused, to be rewritten.
fn triage_entries(
    actor: &Actor,
    n: &Notification,
    named: &harbour_domain::NotificationChild,
    episode: &Episode,
) -> AppResult<(Entry, Entry)> {
    let police = Source::Organisation { organisation_id: n.police_org };
    let account = NewEntry {
        kind: EntryKind::InformationReceived,
        occurred_at: n.incident_at,
        location: None,
        subject: format!("Police domestic abuse notification {}", n.police_reference),
        detail: n.account.clone(),
        source: police,
        categories: vec![DataCategory::ChildProtection, DataCategory::CriminalOffence, DataCategory::Family],
    }
    .validate(episode.id, episode.opened_on, actor.user.id, actor.now.instant)?;
    let notice = NewEntry {
        kind: EntryKind::Note,
        occurred_at: n.incident_at,
        location: Some(n.location.clone()).filter(|l| !l.is_empty()),
        subject: format!("Operation Encompass notice for the school (police reference {})", n.police_reference),
        detail: school_notice(n, named),
        source: police,
        categories: vec![DataCategory::PersonalDetails, DataCategory::ChildProtection],
    }
    .validate(episode.id, episode.opened_on, actor.user.id, actor.now.instant)?;
    let found = crate::sensitive::scan_entry(&notice, &EntryField::ALL);
    if !found.is_empty() {
        let what: Vec<String> =
            found.iter().map(|f| format!("{} ({})", f.label.to_lowercase(), f.words.join(", "))).collect();
        return Err(AppError::SharingRefused(format!(
            "the notice for {}'s school would tell the school about {}; schools receive only what their designated safeguarding lead needs. Ask the police for a summary for the school without it",
            named.named.given_name,
            what.join("; ")
        )));
    }
    Ok((account, notice))
}
