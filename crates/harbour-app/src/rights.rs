//! The register of requests under the rights (issue 14): subject access, rectification,
//! restriction and objection. The data protection officer records each request (by letter,
//! email, phone or in person), moves it along its path and extends it when it is complex; each
//! step is in the ledger, and each answer shows the day it is due as the regulator counts it.

use harbour_domain::{
    ChildView, NewRightsRequest, PersonId, PublicRequest, Requester, Right, RightsRequest, RightsRequestId,
    RightsStatus, SarDeadline, CHILD_COMPETENCE_AGE,
};
use harbour_policy::Action;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{Actor, App, AppError, AppResult};

/// A request with its deadline as things stand.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RightsRequestView {
    #[serde(flatten)]
    pub request: RightsRequest,
    pub deadline: SarDeadline,
    /// Days from today to the day it is due (negative once overdue). While the request waits
    /// for identity or clarification the clock is stopped: the day is set again, a month on
    /// from the day what was asked for arrives.
    pub days_left: i32,
    /// Waiting for the identity or clarification asked for.
    pub paused: bool,
    /// Open and past its day.
    pub overdue: bool,
}

/// A request moved on.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    pub status: RightsStatus,
    /// The day the identity or clarification asked for arrived (needed to leave waiting).
    #[schema(value_type = Option<String>, format = Date)]
    pub confirmed_on: Option<Date>,
    /// Why: what was asked for when waiting, the exemption when refusing.
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// A complex request extended by two further months.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Extension {
    /// Why it is complex (told to the requester within the first month).
    #[schema(max_length = 2000)]
    pub reason: String,
}

/// The record a request is about, found by the data protection officer.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestPerson {
    pub person_id: PersonId,
}

/// What the public page answers: the same for everyone, whatever Harbour holds.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicReceipt {
    pub reference: RightsRequestId,
    #[schema(value_type = String, format = Date)]
    pub received_on: Date,
    /// The latest day of the answer, if identity need not be confirmed first.
    #[schema(value_type = String, format = Date)]
    pub due_on: Date,
}

/// The public page's outcome.
#[derive(Debug, Clone)]
pub enum PublicAnswer {
    Received(PublicReceipt),
    /// Too many requests from this address (or from everyone) in the last hour.
    Throttled,
}

/// Requests the public page takes from one address in an hour, and from everyone.
const PUBLIC_PER_ADDRESS_PER_HOUR: i64 = 3;
const PUBLIC_PER_HOUR: i64 = 200;

/// A child's age in whole years on `on`.
pub(crate) fn age_on(dob: Date, on: Date) -> i16 {
    let years = on.year() - dob.year();
    if (on.month(), on.day()) < (dob.month(), dob.day()) {
        years - 1
    } else {
        years
    }
}

/// The register at a glance: what is open, paused, overdue or due this week, and how many of
/// the answered requests were answered on time.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RightsSummary {
    pub open: usize,
    /// Waiting for identity or clarification (the clock stopped).
    pub paused: usize,
    pub overdue: usize,
    /// Open, not paused, and due within the next seven days.
    pub due_within_a_week: usize,
    /// Released or refused.
    pub answered: usize,
    /// Answered on or before the day they were due.
    pub answered_on_time: usize,
    /// `answered_on_time / answered`, when anything has been answered.
    pub on_time_rate: Option<f64>,
}

fn summary(views: &[RightsRequestView]) -> RightsSummary {
    let open: Vec<&RightsRequestView> = views.iter().filter(|v| v.request.status.is_open()).collect();
    let answered: Vec<&RightsRequestView> =
        views.iter().filter(|v| matches!(v.request.status, RightsStatus::Released | RightsStatus::Refused)).collect();
    let on_time = answered.iter().filter(|v| v.request.closed_on.is_some_and(|c| c <= v.deadline.due_on)).count();
    RightsSummary {
        open: open.len(),
        paused: open.iter().filter(|v| v.paused).count(),
        overdue: open.iter().filter(|v| v.overdue).count(),
        due_within_a_week: open.iter().filter(|v| !v.paused && (0..=7).contains(&v.days_left)).count(),
        answered: answered.len(),
        answered_on_time: on_time,
        on_time_rate: (!answered.is_empty()).then(|| on_time as f64 / answered.len() as f64),
    }
}

pub(crate) fn view(request: RightsRequest, today: Date) -> RightsRequestView {
    let deadline = request.deadline(&[]);
    let days_left = (deadline.due_on - today).get_days();
    let paused = request.status == RightsStatus::Waiting;
    let overdue = request.status.is_open() && !paused && deadline.due_on < today;
    RightsRequestView { request, deadline, days_left, paused, overdue }
}

impl App {
    /// The ledger event for a step of a request, about the person it names, if any.
    pub(crate) fn request_event(
        &self,
        actor: &Actor,
        action: &str,
        decision: &harbour_policy::Decision,
        request: &RightsRequest,
    ) -> harbour_store::AuditEvent {
        let event = self.event(actor, action, "rights_request", decision).target(request.id);
        match request.person_id {
            Some(p) => event.about(p),
            None => event,
        }
    }

    /// Records a request as it arrived. A request naming a person's record must name one that
    /// exists.
    pub async fn record_rights_request(&self, actor: &Actor, new: NewRightsRequest) -> AppResult<RightsRequestView> {
        let decision = self.authorize_system(actor, Action::ManageRights, "rights.create").await?;
        let today = actor.now.today();
        let new = new.validate(today)?;
        if let Some(p) = new.person_id {
            if !self.store.person_exists(p).await? {
                return Err(AppError::UnknownReference(format!("person {p} does not exist")));
            }
        }
        let request = RightsRequest {
            id: RightsRequestId::new(),
            right: new.right,
            person_id: new.person_id,
            subject_name: new.subject_name,
            requester: new.requester,
            requester_name: new.requester_name,
            channel: new.channel,
            received_on: new.received_on,
            confirmed_on: None,
            extension_reason: None,
            status: RightsStatus::Received,
            note: None,
            detail: new.detail,
            recorded_by: Some(actor.user.id),
            child_view: None,
            objection: None,
            closed_on: None,
        };
        let event = self.request_event(actor, "rights.create", &decision, &request);
        self.store.insert_rights_request(&request, &event).await?;
        Ok(view(request, today))
    }

    /// The register: open requests first, soonest due first; then the answered ones.
    pub async fn rights_requests(&self, actor: &Actor) -> AppResult<Vec<RightsRequestView>> {
        let decision = self.authorize_system(actor, Action::ManageRights, "rights.list").await?;
        let today = actor.now.today();
        let mut all: Vec<RightsRequestView> =
            self.store.rights_requests().await?.into_iter().map(|r| view(r, today)).collect();
        all.sort_by_key(|v| (!v.request.status.is_open(), v.deadline.due_on));
        self.store.audit(&self.event(actor, "rights.list", "system", &decision)).await?;
        Ok(all)
    }

    /// The register at a glance (no names: counts only).
    pub async fn rights_summary(&self, actor: &Actor) -> AppResult<RightsSummary> {
        self.authorize_system(actor, Action::ManageRights, "rights.summary").await?;
        let today = actor.now.today();
        let views: Vec<RightsRequestView> =
            self.store.rights_requests().await?.into_iter().map(|r| view(r, today)).collect();
        Ok(summary(&views))
    }

    pub async fn rights_request(&self, actor: &Actor, id: RightsRequestId) -> AppResult<RightsRequestView> {
        let decision = self.authorize_system(actor, Action::ManageRights, "rights.read").await?;
        let request = self.store.rights_request(id).await?;
        let event = self.request_event(actor, "rights.read", &decision, &request);
        self.store.audit(&event).await?;
        Ok(view(request, actor.now.today()))
    }

    /// Moves a request along its path (see [`RightsStatus::can_move_to`]).
    pub async fn move_rights_request(
        &self,
        actor: &Actor,
        id: RightsRequestId,
        change: StatusChange,
    ) -> AppResult<RightsRequestView> {
        let decision = self.authorize_system(actor, Action::ManageRights, "rights.status").await?;
        let today = actor.now.today();
        let mut request = self.store.rights_request(id).await?;
        let was = request.status;
        // A subject access request is approved by a second person, of a review still current.
        let approval = match (request.right, change.status) {
            (Right::Access, RightsStatus::Approved) => Some(self.check_approval(actor, &request).await?),
            (Right::Access, RightsStatus::Released) if request.status == RightsStatus::Approved => {
                return Err(AppError::Conflict(
                    "a subject access request is released with its bundle: use release, which makes and records it"
                        .into(),
                ))
            }
            _ => None,
        };
        request.move_to(change.status, change.confirmed_on, change.note.as_deref(), today)?;
        let action = format!("rights.{}", change.status.code());
        let event = self.request_event(actor, &action, &decision, &request);
        match approval {
            Some(_) => self.store.approve_rights_request(&request, was, actor.user.id, &event).await?,
            None => self.store.update_rights_request(&request, was, &event).await?,
        }
        Ok(view(request, today))
    }

    /// Extends a complex request by two further months, within its first month.
    pub async fn extend_rights_request(
        &self,
        actor: &Actor,
        id: RightsRequestId,
        extension: Extension,
    ) -> AppResult<RightsRequestView> {
        let decision = self.authorize_system(actor, Action::ManageRights, "rights.extend").await?;
        let today = actor.now.today();
        let mut request = self.store.rights_request(id).await?;
        let was = request.status;
        request.extend(&extension.reason, today)?;
        let event = self.request_event(actor, "rights.extend", &decision, &request);
        self.store.update_rights_request(&request, was, &event).await?;
        Ok(view(request, today))
    }
}

impl App {
    /// A request made on the public page: recorded as received today on the web, about no
    /// record yet (the data protection officer finds the person once identity is confirmed).
    /// Nothing is looked up, so the answer cannot tell whether Harbour holds anything.
    pub async fn submit_public_request(
        &self,
        form: PublicRequest,
        address: &str,
        now: &crate::Now,
    ) -> AppResult<PublicAnswer> {
        let request = form.into_request(now.today())?;
        let allowed =
            self.store.note_public_request(address, now.instant, PUBLIC_PER_ADDRESS_PER_HOUR, PUBLIC_PER_HOUR).await?;
        if !allowed {
            return Ok(PublicAnswer::Throttled);
        }
        let event = harbour_store::AuditEvent::new("rights.create.public", "rights_request")
            .target(request.id)
            .purpose("a request made on the public subject access page");
        self.store.insert_rights_request(&request, &event).await?;
        Ok(PublicAnswer::Received(PublicReceipt {
            reference: request.id,
            received_on: request.received_on,
            due_on: request.deadline(&[]).due_on,
        }))
    }

    /// Records which person's file a request is about (a request from the public page, or one
    /// whose person was found later).
    pub async fn link_rights_request(
        &self,
        actor: &Actor,
        id: RightsRequestId,
        link: RequestPerson,
    ) -> AppResult<RightsRequestView> {
        let decision = self.authorize_system(actor, Action::ManageRights, "rights.link").await?;
        let mut request = self.store.rights_request(id).await?;
        if !request.status.is_open() {
            return Err(AppError::Conflict(format!("request {id} is {}", request.status.code())));
        }
        if !self.store.person_exists(link.person_id).await? {
            return Err(AppError::UnknownReference(format!("person {} does not exist", link.person_id)));
        }
        request.person_id = Some(link.person_id);
        let event = self.request_event(actor, "rights.link", &decision, &request);
        self.store.update_rights_request(&request, request.status, &event).await?;
        Ok(view(request, actor.now.today()))
    }

    /// Records whether the child of a parent's request can understand their rights, and
    /// whether they agree to the parent having their records.
    pub async fn record_child_view(
        &self,
        actor: &Actor,
        id: RightsRequestId,
        child: ChildView,
    ) -> AppResult<RightsRequestView> {
        let decision = self.authorize_system(actor, Action::ManageRights, "rights.child_view").await?;
        let mut request = self.store.rights_request(id).await?;
        if request.requester != Requester::Parent || !request.status.is_open() {
            return Err(AppError::Conflict("the child's view is recorded on an open request made by a parent".into()));
        }
        request.child_view = Some(child.validate()?);
        let event = self.request_event(actor, "rights.child_view", &decision, &request);
        self.store.update_rights_request(&request, request.status, &event).await?;
        Ok(view(request, actor.now.today()))
    }

    /// A parent may have a child's records only if the child (12 or over on the day of the
    /// request) has been asked and is not competent, or agrees.
    pub(crate) async fn check_child_view(&self, request: &RightsRequest, person: PersonId) -> AppResult<()> {
        if request.requester != Requester::Parent || request.right != Right::Access {
            return Ok(());
        }
        let child = self.store.person(person).await?;
        let Some(dob) = child.date_of_birth else { return Ok(()) };
        if age_on(dob, request.received_on) < CHILD_COMPETENCE_AGE {
            return Ok(());
        }
        match &request.child_view {
            None => Err(AppError::Conflict(format!(
                "the child was {} when the request arrived: record whether they understand their rights and agree \
                 to their parent having their records first",
                age_on(dob, request.received_on)
            ))),
            Some(v) if !v.lets_parent_see() => Err(AppError::Conflict(
                "the child understands their rights and does not agree: refuse the request, naming the exemption"
                    .into(),
            )),
            Some(_) => Ok(()),
        }
    }
}
