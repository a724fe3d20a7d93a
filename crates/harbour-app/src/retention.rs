//! Retention and disposal (seed 002's schedule, seed 003's DHR minutes rule): each episode's
//! disposal date, legal holds, the sweep that fills the records manager's review queue, and
//! destruction, which only ever follows an approval recorded in the ledger.

use std::collections::{HashMap, HashSet};

use harbour_domain::{
    CertificateId, Episode, EpisodeClosure, EpisodeId, HoldId, HoldScope, LegalHold, NewHold, PersonId, RecordClass,
};
use harbour_policy::Action;
use harbour_retention::{assess, Disposal, Facts, RecordDue, Sweep, SweepCounts, Verdict};
use harbour_store::{AuditEvent, Destruction, DestructionRecord, QueueChange, Review, SweepEpisode};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{AppError, AppResult};
use crate::Actor;
use crate::App;

/// An episode's retention: its class, the row's period and the date it may be disposed of.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EpisodeRetention {
    pub episode_id: EpisodeId,
    pub record_class: RecordClass,
    /// NOTICE/ROW, or None for an episode not yet given one.
    pub retention_class: Option<String>,
    /// The row's period in the notice's words.
    pub period: Option<String>,
    pub disposal: Disposal,
    /// The statutory floor that set the disposal date, in words with its source, when the
    /// law's minimum is later than the row's date (rules.md rule 31).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statutory_floor: Option<String>,
}

/// A person's file under the schedule: each record that keeps it, and the verdict today.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonRetention {
    pub person_id: PersonId,
    pub records: Vec<EpisodeRetention>,
    pub verdict: Verdict,
}

/// What a sweep found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SweepReport {
    #[schema(value_type = String, format = Date)]
    pub as_of: Date,
    pub dry_run: bool,
    pub counts: SweepCounts,
    /// Episodes given their record class's default retention class first.
    pub classified: usize,
    /// People newly due, or due again after a deferral or a hold ended.
    pub queued: Moves,
    /// People found due but held.
    pub held: Moves,
    /// People who left the queue (no longer due).
    pub left: Moves,
}

/// How many people a sweep moved one way, and the ids of the first of them (in id order):
/// enough to check a small sweep by eye without a report the size of the county.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Moves {
    pub count: u64,
    /// The first [`MOVES_LISTED`] of them.
    pub people: Vec<PersonId>,
}

/// How many people a sweep report lists for each move.
pub const MOVES_LISTED: usize = 100;

impl Moves {
    fn add(&mut self, person: PersonId) {
        self.count += 1;
        if self.people.len() < MOVES_LISTED {
            self.people.push(person);
        }
    }
}

/// How many people a sweep reads at a time.
const SWEEP_PAGE: u32 = 5_000;

/// What the queue should do about a person, given the sweep's verdict and their review (if
/// they are in the queue). The queue's rules, in one place: a due file enters the queue, or
/// has its date brought up to date; a deferral stands until its date; a held file is marked
/// held with the holds' ids; a file no longer due leaves. None: the queue is right as it is.
fn queue_change(person: PersonId, review: Option<&Review>, verdict: Verdict, as_of: Date) -> Option<QueueChange> {
    match verdict {
        Verdict::Due { due_on } => {
            let standing = review.is_some_and(|r| {
                (r.status == "due" && r.due_on == due_on)
                    || (r.status == "deferred" && r.deferred_until.is_some_and(|until| until > as_of))
            });
            (!standing).then_some(QueueChange::Due { person, due_on })
        }
        Verdict::Held { due_on, holds } => {
            let reason = format!("held by {}", holds.join(", "));
            let standing = review.is_some_and(|r| {
                r.status == "held" && r.due_on == due_on && r.reason.as_deref() == Some(reason.as_str())
            });
            (!standing).then_some(QueueChange::Held { person, due_on, reason })
        }
        _ => review.is_some().then_some(QueueChange::Leave { person }),
    }
}

/// Which page of the queue to show.
#[derive(Debug, Clone, Copy, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct QueuePageRequest {
    /// How many files to skip (default 0).
    #[param(maximum = 9_223_372_036_854_775_807_u64)]
    pub offset: Option<u64>,
    /// How many files to show (default 100, at most 1,000).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
}

/// The queue's default page size, and its largest.
pub const QUEUE_PAGE: u32 = 100;
pub const QUEUE_PAGE_MAX: u32 = 1_000;

/// A page of the review queue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QueuePage {
    /// How many files the whole queue holds.
    pub total: u64,
    pub offset: u64,
    pub limit: u32,
    pub items: Vec<QueueItem>,
}

/// What approving a file's destruction would destroy, for the records manager to check before
/// approving: whose file it is, each record that keeps it with its dates and retention row, and
/// the day it fell due. Dates and classes only: the records manager needs no case content to
/// see that a file is due, and is given none.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DestructionPreview {
    pub person_id: PersonId,
    pub name: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub date_of_birth: Option<Date>,
    #[schema(value_type = String, format = Date)]
    pub due_on: Date,
    pub records: Vec<PreviewRecord>,
}

/// One record of a file about to be destroyed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PreviewRecord {
    #[serde(flatten)]
    pub retention: EpisodeRetention,
    #[schema(value_type = String, format = Date)]
    pub opened_on: Date,
    #[schema(value_type = Option<String>, format = Date)]
    pub closed_on: Option<Date>,
}

/// One line of the review queue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QueueItem {
    #[serde(flatten)]
    pub review: Review,
    /// The person's name, for the records manager to recognise the file.
    pub name: String,
    pub records: Vec<EpisodeRetention>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Deferral {
    #[schema(value_type = String, format = Date)]
    pub until: Date,
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QueueHold {
    pub reason: String,
    pub authorised_by: String,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub ends_on: Option<Date>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkApproval {
    /// Each file once; at least one.
    #[schema(min_items = 1)]
    pub person_ids: Vec<PersonId>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoldEnd {
    #[schema(value_type = String, format = Date)]
    pub ends_on: Date,
}

fn facts(ep: &SweepEpisode) -> Facts {
    Facts {
        date_of_birth: ep.subject_dob,
        closed: ep.closed_on,
        left_school: ep.left_school_on,
        created: Some(ep.opened_on),
        published: ep.published_on,
        died: ep.subject_died,
    }
}

/// The holds in force, and what to call those that are not legal holds of their own (an open
/// request under the rights holds by the request's id).
struct Holds {
    holds: Vec<LegalHold>,
    labels: HashMap<String, String>,
}

impl Holds {
    /// A held verdict names each hold by its label: "the open access request …" for a request.
    fn label(&self, verdict: Verdict) -> Verdict {
        match verdict {
            Verdict::Held { due_on, holds } => Verdict::Held {
                due_on,
                holds: holds.into_iter().map(|h| self.labels.get(&h).cloned().unwrap_or(h)).collect(),
            },
            other => other,
        }
    }
}

impl App {
    /// The retention class for a new record: the one asked for, or the record class's default.
    pub(crate) fn retention_class_for(&self, class: RecordClass, asked: Option<&str>) -> AppResult<String> {
        Ok(self.retention.assign(class, asked.map(str::trim).filter(|s| !s.is_empty()))?.key())
    }

    /// An episode's disposal date: its row's, or the statutory floor for its record class
    /// when that is later. An episode without a class, or whose class no notice in force has
    /// any more, is never disposed of until someone gives it one.
    fn episode_retention(&self, ep: &SweepEpisode) -> EpisodeRetention {
        let class = ep.retention_class.as_deref().and_then(|k| self.retention.class(k).ok());
        let disposal = class.map_or(Disposal::Never, |c| c.disposal_of(ep.record_class, &facts(ep)));
        EpisodeRetention {
            episode_id: ep.id,
            record_class: ep.record_class,
            retention_class: ep.retention_class.clone(),
            period: class.map(|c| c.period.clone()),
            disposal,
            statutory_floor: disposal.floor().map(|f| f.describe()),
        }
    }

    fn record_due(&self, ep: &SweepEpisode) -> RecordDue {
        RecordDue {
            episode: ep.id,
            record_class: ep.record_class,
            disposal: self.episode_retention(ep).disposal,
            open: ep.closed_on.is_none(),
        }
    }

    async fn file(&self, person: PersonId, as_of: Date) -> AppResult<(Vec<SweepEpisode>, Verdict)> {
        let file = self.store.file_of(person).await?;
        let records: Vec<RecordDue> = file.iter().map(|e| self.record_due(e)).collect();
        let holds = self.all_holds().await?;
        Ok((file, holds.label(assess(person, &records, &holds.holds, as_of))))
    }

    /// The legal holds, and one for each open request under the rights that names a person:
    /// nothing of their file may be destroyed while the request is open (issue 14).
    async fn all_holds(&self) -> AppResult<Holds> {
        let mut holds = self.store.holds().await?;
        let mut labels = HashMap::new();
        for r in self.store.open_rights_requests().await? {
            let id: HoldId =
                r.id.to_string()
                    .parse()
                    .map_err(|_| AppError::Internal(format!("request id {} is not an id", r.id)))?;
            labels.insert(id.to_string(), format!("the open {} request {}", r.right.code(), r.id));
            holds.push(LegalHold {
                id,
                scope: HoldScope::Person { person_id: r.person_id },
                reason: "a request under the rights is open".into(),
                authorised_by: "the data protection officer".into(),
                starts_on: r.received_on,
                ends_on: None,
            });
        }
        Ok(Holds { holds, labels })
    }

    /// A person's retention, for anyone who may read their record.
    pub async fn person_retention(&self, actor: &Actor, person: PersonId) -> AppResult<PersonRetention> {
        let decision = self.authorize_person(actor, Action::Read, person, "retention.read").await?;
        let retention = self.retention_of(person, actor.now.today()).await?;
        let event = self.event(actor, "retention.read", "person", &decision).target(person).about(person);
        self.store.audit(&event).await?;
        Ok(retention)
    }

    /// A person's retention, for a caller that has already authorized and audited the read
    /// (the record page, a consent withdrawal).
    pub(crate) async fn retention_of(&self, person: PersonId, today: Date) -> AppResult<PersonRetention> {
        let (file, verdict) = self.file(person, today).await?;
        Ok(PersonRetention {
            person_id: person,
            records: file.iter().filter(|e| e.subject == person).map(|e| self.episode_retention(e)).collect(),
            verdict,
        })
    }

    /// Reopens a closed episode: its period stops running until it closes again.
    pub async fn reopen_episode(&self, actor: &Actor, id: EpisodeId) -> AppResult<Episode> {
        let (mut episode, decision) = self.episode_for(actor, id, Action::Write, "episode.reopen").await?;
        if episode.closed_on.is_none() {
            return Err(harbour_domain::DomainError::EpisodeNotClosed.into());
        }
        let event = self.event(actor, "episode.reopen", "episode", &decision).target(id).about(episode.person_id);
        self.store.amend_closure(id, None, &event).await?;
        episode.closed_on = None;
        Ok(episode)
    }

    /// Corrects a closed episode's closing date; its disposal date moves with it.
    pub async fn correct_closure(&self, actor: &Actor, id: EpisodeId, closure: EpisodeClosure) -> AppResult<Episode> {
        let (mut episode, decision) = self.episode_for(actor, id, Action::Write, "episode.closure.correct").await?;
        if episode.closed_on.is_none() {
            return Err(harbour_domain::DomainError::EpisodeNotClosed.into());
        }
        harbour_domain::episode::check_dates(episode.opened_on, Some(closure.closed_on), actor.now.today())?;
        let event =
            self.event(actor, "episode.closure.correct", "episode", &decision).target(id).about(episode.person_id);
        self.store.amend_closure(id, Some(closure.closed_on), &event).await?;
        episode.closed_on = Some(closure.closed_on);
        Ok(episode)
    }

    /// Gives episodes recorded before retention classes their record class's default.
    /// Returns how many were classified; classes no notice covers stay unclassified.
    pub async fn classify_unclassified(&self) -> AppResult<usize> {
        let missing = self.store.episodes_without_retention_class().await?;
        let assigned: Vec<(EpisodeId, String)> = missing
            .into_iter()
            .filter_map(|(id, class)| Some((id, self.retention.for_record_class(class)?.key())))
            .collect();
        self.store.assign_retention_classes(&assigned).await?;
        Ok(assigned.len())
    }

    /// Sweeps every file as of `as_of`: due files enter the review queue, held ones are marked
    /// held, files no longer due leave it. It never destroys anything. People are read a page
    /// at a time and each page's queue changes written (with their audit event) before the
    /// next page is read, so memory stays flat. `progress` is called with the number of people
    /// assessed so far. A dry run changes nothing and reports the same.
    pub async fn sweep(
        &self,
        actor: Option<&Actor>,
        as_of: Date,
        dry_run: bool,
        progress: impl FnMut(u64),
    ) -> AppResult<SweepReport> {
        self.sweep_paged(actor, as_of, dry_run, SWEEP_PAGE, progress).await
    }

    /// [`App::sweep`], reading `page_size` people at a time (tests check that any page size
    /// finds the same).
    pub async fn sweep_paged(
        &self,
        actor: Option<&Actor>,
        as_of: Date,
        dry_run: bool,
        page_size: u32,
        mut progress: impl FnMut(u64),
    ) -> AppResult<SweepReport> {
        if page_size == 0 {
            return Err(AppError::BadRequest("a sweep reads at least one person at a time".into()));
        }
        if let Some(actor) = actor {
            self.authorize_system(actor, Action::ManageRetention, "retention.sweep").await?;
        }
        let classified = if dry_run { 0 } else { self.classify_unclassified().await? };
        let holds = self.all_holds().await?;
        let mut sweep = Sweep::new(&holds.holds, as_of);
        let mut report = SweepReport {
            as_of,
            dry_run,
            counts: SweepCounts::default(),
            classified,
            queued: Moves::default(),
            held: Moves::default(),
            left: Moves::default(),
        };
        let mut after = None;
        loop {
            let page = self.store.sweep_page(after, page_size).await?;
            let Some(last) = page.last else { break };
            let mut changes = Vec::new();
            let mut decide = |(person, verdict): (PersonId, Verdict)| {
                let verdict = holds.label(verdict);
                let review = page.reviews.get(&person);
                if matches!(verdict, Verdict::Held { .. }) {
                    report.held.add(person);
                }
                if let Some(change) = queue_change(person, review, verdict, as_of) {
                    match &change {
                        QueueChange::Due { .. } if review.is_none_or(|r| r.status != "due") => {
                            report.queued.add(person)
                        }
                        QueueChange::Leave { .. } => report.left.add(person),
                        _ => {}
                    }
                    changes.push(change);
                }
            };
            for row in &page.rows {
                if let Some(done) = sweep.push(row.person, row.episode.as_ref().map(|e| self.record_due(e))) {
                    decide(done);
                }
            }
            // Pages end between people: the page's last person is complete.
            if let Some(done) = sweep.finish() {
                decide(done);
            }
            if !dry_run {
                let mut event = AuditEvent::new("retention.sweep", "system").purpose("records management");
                if let Some(actor) = actor {
                    event = event.by(actor.user.id, actor.user.org_id);
                }
                self.store.apply_queue_changes(&changes, as_of, &event).await?;
            }
            progress(sweep.counts.people);
            after = Some(last);
        }
        report.counts = sweep.counts;
        Ok(report)
    }

    pub async fn add_hold(&self, actor: &Actor, new: NewHold) -> AppResult<LegalHold> {
        let decision = self.authorize_system(actor, Action::ManageRetention, "hold.create").await?;
        let hold = new.validate()?;
        match hold.scope {
            HoldScope::Person { person_id } if !self.store.person_exists(person_id).await? => {
                return Err(AppError::UnknownReference(format!("person {person_id} does not exist")));
            }
            HoldScope::Episode { episode_id } => {
                self.store
                    .episode(episode_id)
                    .await
                    .map_err(|_| AppError::UnknownReference(format!("episode {episode_id} does not exist")))?;
            }
            _ => {}
        }
        let mut event = self.event(actor, "hold.create", "hold", &decision).target(hold.id);
        if let HoldScope::Person { person_id } = hold.scope {
            event = event.about(person_id);
        }
        self.store.insert_hold(&hold, actor.user.id, &event).await?;
        Ok(hold)
    }

    pub async fn holds(&self, actor: &Actor) -> AppResult<Vec<LegalHold>> {
        self.authorize_system(actor, Action::ManageRetention, "hold.list").await?;
        Ok(self.store.holds().await?)
    }

    pub async fn end_hold(&self, actor: &Actor, id: HoldId, end: HoldEnd) -> AppResult<LegalHold> {
        let decision = self.authorize_system(actor, Action::ManageRetention, "hold.end").await?;
        let hold = self.store.hold(id).await?;
        if end.ends_on < hold.starts_on {
            return Err(harbour_domain::DomainError::HoldEndsBeforeItStarts {
                starts: hold.starts_on,
                ends: end.ends_on,
            }
            .into());
        }
        let event = self.event(actor, "hold.end", "hold", &decision).target(id);
        self.store.end_hold(id, end.ends_on, &event).await?;
        Ok(self.store.hold(id).await?)
    }

    /// A page of the review queue (due, deferred and held files, by due date), with each
    /// file's records and dates, in three queries whatever the page's size.
    pub async fn queue(&self, actor: &Actor, page: QueuePageRequest) -> AppResult<QueuePage> {
        let decision = self.authorize_system(actor, Action::ManageRetention, "retention.queue").await?;
        let limit = page.limit.unwrap_or(QUEUE_PAGE);
        if !(1..=QUEUE_PAGE_MAX).contains(&limit) {
            return Err(AppError::BadRequest(format!("limit must be between 1 and {QUEUE_PAGE_MAX}")));
        }
        let offset = page.offset.unwrap_or(0);
        if i64::try_from(offset).is_err() {
            return Err(AppError::BadRequest(format!("offset must be at most {}", i64::MAX)));
        }
        let (reviews, total) = self.store.reviews(offset, limit).await?;
        let ids: Vec<PersonId> = reviews.iter().map(|r| r.person_id).collect();
        let names: HashMap<PersonId, String> =
            self.store.people(&ids).await?.into_iter().map(|p| (p.id, p.full_name())).collect();
        let mut files = self.store.files_of(&ids).await?;
        let items = reviews
            .into_iter()
            .map(|review| {
                let records = files.remove(&review.person_id).unwrap_or_default();
                QueueItem {
                    name: names.get(&review.person_id).cloned().unwrap_or_default(),
                    records: records.iter().map(|e| self.episode_retention(e)).collect(),
                    review,
                }
            })
            .collect();
        self.store.audit(&self.event(actor, "retention.queue", "system", &decision)).await?;
        Ok(QueuePage { total, offset, limit, items })
    }

    pub async fn defer(&self, actor: &Actor, person: PersonId, d: Deferral) -> AppResult<Review> {
        let decision = self.authorize_system(actor, Action::ManageRetention, "retention.defer").await?;
        let reason = harbour_domain::required_text("reason", &d.reason, 2000)?;
        if d.until <= actor.now.today() {
            return Err(AppError::Unprocessable(format!(
                "a review is deferred to a later day than today, not {}",
                d.until
            )));
        }
        let event = self.event(actor, "retention.defer", "person", &decision).target(person).about(person);
        self.store.defer_review(person, d.until, &reason, actor.user.id, &event).await?;
        self.store.review(person).await?.ok_or_else(|| AppError::not_found(&format!("review of person {person}")))
    }

    /// Holds a file from the queue: a legal hold on the person, and the review marked held.
    pub async fn hold_from_queue(&self, actor: &Actor, person: PersonId, h: QueueHold) -> AppResult<LegalHold> {
        let decision = self.authorize_system(actor, Action::ManageRetention, "hold.create").await?;
        if self.store.review(person).await?.is_none() {
            return Err(AppError::NotFound(format!("person {person} is not in the review queue")));
        }
        let hold = NewHold {
            scope: HoldScope::Person { person_id: person },
            reason: h.reason,
            authorised_by: h.authorised_by,
            starts_on: actor.now.today(),
            ends_on: h.ends_on,
        }
        .validate()?;
        let event = self.event(actor, "hold.create", "hold", &decision).target(hold.id).about(person);
        self.store.hold_review(&hold, actor.user.id, &event).await?;
        Ok(hold)
    }

    /// Checks that a file may be destroyed today: its episodes, and the day it fell due.
    async fn destroyable_file(&self, person: PersonId, today: Date) -> AppResult<(Vec<SweepEpisode>, Date)> {
        let review = self
            .store
            .review(person)
            .await?
            .ok_or_else(|| AppError::Conflict(format!("person {person} is not in the review queue")))?;
        if review.status != "due" {
            return Err(AppError::Conflict(format!("person {person}'s file is {} in the review queue", review.status)));
        }
        let (file, verdict) = self.file(person, today).await?;
        let due_on = match verdict {
            Verdict::Due { due_on } => due_on,
            Verdict::Held { holds, .. } => {
                return Err(AppError::Conflict(format!(
                    "person {person}'s file is under legal hold {}",
                    holds.join(", ")
                )))
            }
            other => {
                return Err(AppError::Conflict(format!(
                    "person {person}'s file is not due for disposal today: {}",
                    serde_json::to_string(&other).unwrap_or_default()
                )))
            }
        };
        Ok((file, due_on))
    }

    /// Checks that a file may be destroyed today and lists what its destruction will log.
    async fn destruction_plan(&self, person: PersonId, today: Date) -> AppResult<Vec<DestructionRecord>> {
        let (file, due_on) = self.destroyable_file(person, today).await?;
        let mut records: Vec<DestructionRecord> = Vec::new();
        for ep in file.iter().filter(|e| e.subject == person) {
            let r = self.episode_retention(ep);
            let trigger = ep.retention_class.as_deref().and_then(|k| self.retention.class(k).ok()).map(|c| c.trigger);
            records.push(DestructionRecord {
                record_kind: "episode".into(),
                record_class: ep.record_class.code().into(),
                record_id: ep.id.to_string(),
                retention_class: ep.retention_class.clone(),
                trigger_date: trigger.and_then(|t| facts(ep).get(t)),
                disposal_date: r.disposal.date().unwrap_or(due_on),
            });
        }
        records.push(DestructionRecord {
            record_kind: "person".into(),
            record_class: "person".into(),
            record_id: person.to_string(),
            retention_class: None,
            trigger_date: None,
            disposal_date: due_on,
        });
        Ok(records)
    }

    /// What approving the file's destruction today would destroy (see [`DestructionPreview`]),
    /// refused as approval would be when the file may not be destroyed today. Logged.
    pub async fn destruction_preview(&self, actor: &Actor, person: PersonId) -> AppResult<DestructionPreview> {
        let decision = self.authorize_system(actor, Action::ManageRetention, "retention.preview").await?;
        let (file, due_on) = self.destroyable_file(person, actor.now.today()).await?;
        let found = self.store.people(&[person]).await?;
        let p = found.first().ok_or_else(|| AppError::not_found(&format!("person {person}")))?;
        let records = file
            .iter()
            .filter(|e| e.subject == person)
            .map(|e| PreviewRecord {
                retention: self.episode_retention(e),
                opened_on: e.opened_on,
                closed_on: e.closed_on,
            })
            .collect();
        let event = self.event(actor, "retention.preview", "person", &decision).target(person).about(person);
        self.store.audit(&event).await?;
        Ok(DestructionPreview {
            person_id: person,
            name: p.full_name(),
            date_of_birth: p.date_of_birth,
            due_on,
            records,
        })
    }

    /// Approves the destruction of one file in the queue and carries it out.
    pub async fn approve(&self, actor: &Actor, person: PersonId) -> AppResult<Destruction> {
        let decision = self.authorize_system(actor, Action::ManageRetention, "retention.approve").await?;
        let records = self.destruction_plan(person, actor.now.today()).await?;
        self.destroy(actor, &decision, person, &records).await
    }

    /// Approves several files at once: every one is checked first, and if any may not be
    /// destroyed nothing is.
    pub async fn approve_all(&self, actor: &Actor, bulk: BulkApproval) -> AppResult<Vec<Destruction>> {
        let decision = self.authorize_system(actor, Action::ManageRetention, "retention.approve").await?;
        if bulk.person_ids.is_empty() {
            return Err(AppError::BadRequest("choose at least one file to approve".into()));
        }
        let unique: HashSet<&PersonId> = bulk.person_ids.iter().collect();
        if unique.len() != bulk.person_ids.len() {
            return Err(AppError::BadRequest("a file is listed twice".into()));
        }
        let mut plans = Vec::new();
        for p in &bulk.person_ids {
            plans.push((*p, self.destruction_plan(*p, actor.now.today()).await?));
        }
        let mut out = Vec::new();
        for (p, records) in plans {
            out.push(self.destroy(actor, &decision, p, &records).await?);
        }
        Ok(out)
    }

    async fn destroy(
        &self,
        actor: &Actor,
        decision: &harbour_policy::Decision,
        person: PersonId,
        records: &[DestructionRecord],
    ) -> AppResult<Destruction> {
        let certificate = CertificateId::new();
        let approval = self.event(actor, "retention.approve", "person", decision).target(certificate).about(person);
        self.store.destroy_file(person, certificate, records, actor.user.id, &approval).await?;
        tracing::info!(%certificate, records = records.len(), "file destroyed after approval");
        Ok(self.store.destruction(certificate).await?)
    }

    pub async fn destructions(&self, actor: &Actor) -> AppResult<Vec<Destruction>> {
        self.authorize_system(actor, Action::ManageRetention, "retention.log").await?;
        Ok(self.store.destructions().await?)
    }

    /// The destruction certificate as plain text: what was destroyed, when, on whose approval
    /// and where that approval sits in the ledger. It names no one.
    pub async fn certificate(&self, actor: &Actor, id: CertificateId) -> AppResult<String> {
        self.authorize_system(actor, Action::ManageRetention, "retention.certificate").await?;
        let d = self.store.destruction(id).await?;
        let who = self.store.user(d.authorised_by).await?;
        Ok(certificate_text(&d, &format!("{} ({})", who.display_name, who.username)))
    }
}

pub fn certificate_text(d: &Destruction, authoriser: &str) -> String {
    let mut out = format!(
        "HARBOUR DESTRUCTION CERTIFICATE\n\nCertificate: {}\nDestroyed at: {}\nAuthorised by: {}\n\
         Approval: audit event {}, ledger entry {}\nMethod: {}\n\nRecords destroyed:\n",
        d.certificate,
        d.destroyed_at,
        authoriser,
        d.approval_seq,
        d.ledger_index.map_or("(not yet sequenced)".to_string(), |i| i.to_string()),
        d.method
    );
    for r in &d.records {
        out.push_str(&format!(
            "  {:<8} {:<28} {}  class {}  trigger {}  disposal {}\n",
            r.record_kind,
            r.record_class,
            r.record_id,
            r.retention_class.as_deref().unwrap_or("-"),
            r.trigger_date.map_or("-".to_string(), |t| t.to_string()),
            r.disposal_date
        ));
    }
    out.push_str("\nThis certificate holds no personal data. Keep it permanently.\n");
    out
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn review(status: &str, due_on: Date, deferred_until: Option<Date>, reason: Option<&str>) -> Review {
        Review {
            person_id: PersonId::new(),
            due_on,
            queued_on: date(2026, 1, 1),
            status: status.into(),
            deferred_until,
            reason: reason.map(String::from),
        }
    }

    #[test]
    fn the_queue_changes_only_when_the_verdict_says_something_new() {
        let p = PersonId::new();
        let today = date(2026, 6, 1);
        let due = Verdict::Due { due_on: date(2022, 5, 31) };
        // New, already due, due with another date.
        assert_eq!(
            queue_change(p, None, due.clone(), today),
            Some(QueueChange::Due { person: p, due_on: date(2022, 5, 31) })
        );
        let queued = review("due", date(2022, 5, 31), None, None);
        assert_eq!(queue_change(p, Some(&queued), due.clone(), today), None);
        let moved = review("due", date(2021, 1, 1), None, None);
        assert!(matches!(queue_change(p, Some(&moved), due.clone(), today), Some(QueueChange::Due { .. })));
        // A deferral stands until its day, then the file is due again.
        let deferred = review("deferred", date(2022, 5, 31), Some(date(2026, 7, 1)), Some("ask legal"));
        assert_eq!(queue_change(p, Some(&deferred), due.clone(), today), None);
        assert!(matches!(
            queue_change(p, Some(&deferred), due.clone(), date(2026, 7, 1)),
            Some(QueueChange::Due { .. })
        ));
        // Held: marked once, again only when the holds change.
        let held = Verdict::Held { due_on: date(2022, 5, 31), holds: vec!["h1".into()] };
        let change = queue_change(p, Some(&queued), held.clone(), today);
        assert_eq!(
            change,
            Some(QueueChange::Held { person: p, due_on: date(2022, 5, 31), reason: "held by h1".into() })
        );
        let marked = review("held", date(2022, 5, 31), None, Some("held by h1"));
        assert_eq!(queue_change(p, Some(&marked), held, today), None);
        let other = Verdict::Held { due_on: date(2022, 5, 31), holds: vec!["h2".into()] };
        assert!(matches!(queue_change(p, Some(&marked), other, today), Some(QueueChange::Held { .. })));
        // No longer due: leaves the queue, if it was there.
        let not_yet = Verdict::NotYet { due_on: date(2030, 1, 1) };
        assert_eq!(queue_change(p, Some(&queued), not_yet.clone(), today), Some(QueueChange::Leave { person: p }));
        assert_eq!(queue_change(p, None, not_yet, today), None);
    }
}
