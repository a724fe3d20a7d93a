//! The register of requests under the rights (issue 14): subject access, rectification,
//! restriction and objection. The data protection officer records each request (by letter,
//! email, phone or in person), moves it along its path and extends it when it is complex; each
//! step is in the ledger, and each answer shows the day it is due as the regulator counts it.

use harbour_domain::{NewRightsRequest, RightsRequest, RightsRequestId, RightsStatus, SarDeadline};
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

fn view(request: RightsRequest, today: Date) -> RightsRequestView {
    let deadline = request.deadline(&[]);
    let days_left = (deadline.due_on - today).get_days();
    let paused = request.status == RightsStatus::Waiting;
    let overdue = request.status.is_open() && !paused && deadline.due_on < today;
    RightsRequestView { request, deadline, days_left, paused, overdue }
}

impl App {
    /// The ledger event for a step of a request, about the person it names, if any.
    fn request_event(
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
            recorded_by: actor.user.id,
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
        request.move_to(change.status, change.confirmed_on, change.note.as_deref(), today)?;
        let action = format!("rights.{}", change.status.code());
        let event = self.request_event(actor, &action, &decision, &request);
        self.store.update_rights_request(&request, was, &event).await?;
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
