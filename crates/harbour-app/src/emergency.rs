//! Emergency access: opening a record without a legitimate relationship to it, by saying why
//! (see `harbour_domain::emergency`). The opening is a notice's clause (the children's services
//! notice, "Who can see your records — in an emergency…"): the authorizer permits it, and
//! permits reading and recording for as long as it lasts, never sharing. The teams working with
//! the family see each opening of their records, the data protection officer sees every one,
//! and the officer reviews each.

use harbour_domain::{EmergencyAccess, EmergencyAccessId, NewEmergencyAccess, NewEmergencyReview, PersonId};
use harbour_policy::{Action, Resource};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{AppError, AppResult};
use crate::people::resource;
use crate::{Actor, App};

/// How far back the list of openings reaches, besides every opening not yet reviewed.
pub const LIST_DAYS: i64 = 90;

/// One opening as the list shows it: whose record, who opened it, and whether it still lasts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EmergencyAccessView {
    #[serde(flatten)]
    pub access: EmergencyAccess,
    pub person_name: String,
    pub opened_by: String,
    pub reviewed_by_name: Option<String>,
    /// The opening still lets its practitioner read the record.
    pub open_now: bool,
}

impl App {
    /// Opens `person`'s record for the actor, for one shift, because of the emergency they
    /// give. Refused when the notice's clause does not cover them or the record, and when they
    /// may already read it (there is nothing to open).
    pub async fn open_in_emergency(
        &self,
        actor: &Actor,
        person: PersonId,
        new: NewEmergencyAccess,
    ) -> AppResult<EmergencyAccess> {
        if !self.store.person_exists(person).await? {
            return Err(AppError::not_found(&format!("person {person}")));
        }
        let resource = self.person_resource(person, &actor.now).await?;
        let decision = self.authorize(actor, Action::OpenInEmergency, resource.clone(), "emergency.open").await?;
        let new = new.validate()?;
        if self.authz.decide(&actor.principal(), Action::Read, &resource).allowed {
            return Err(AppError::Conflict(
                "You can already see this record: there is nothing to open in an emergency.".into(),
            ));
        }
        let access = EmergencyAccess::open(person, actor.user.id, new, actor.now.instant);
        let event = self.event(actor, "emergency.open", "person", &decision).target(person).about(person);
        self.store.insert_emergency_access(&access, &event).await?;
        Ok(access)
    }

    /// Whether the actor could open `person`'s record in an emergency now: the notice's clause
    /// covers them and the record, and they cannot already read it. What a refused page offers;
    /// nothing is recorded (opening it is).
    pub async fn may_open_in_emergency(&self, actor: &Actor, person: PersonId) -> AppResult<bool> {
        if !self.store.person_exists(person).await? {
            return Ok(false);
        }
        let resource = self.person_resource(person, &actor.now).await?;
        let principal = actor.principal();
        Ok(self.authz.decide(&principal, Action::OpenInEmergency, &resource).allowed
            && !self.authz.decide(&principal, Action::Read, &resource).allowed)
    }

    /// The openings the actor is to know of: every one for the data protection officer; for
    /// anyone else, those of the records they may read (the teams working with the family, and
    /// their own). Not yet reviewed first, then the last [`LIST_DAYS`] days. Each person named
    /// is audited as listed.
    pub async fn emergency_accesses(&self, actor: &Actor) -> AppResult<Vec<EmergencyAccessView>> {
        let reviews = self.authz.decide(&actor.principal(), Action::ReviewEmergencyAccess, &Resource::System);
        let since = actor.now.instant - jiff::SignedDuration::from_hours(24 * LIST_DAYS);
        let all = self.store.emergency_accesses(since).await?;
        let people: Vec<PersonId> = all.iter().map(|a| a.person_id).collect();
        let facts = self.access_facts(&actor.now, &people).await?;
        let (users, _) = self.who_is_who().await?;
        let name_of = |id: &harbour_domain::UserId| users.get(&id.to_string()).map(|(n, _)| n.clone());
        let mut listed = std::collections::HashSet::new();
        let mut out = Vec::new();
        for access in all {
            let read = self.authz.decide(&actor.principal(), Action::Read, &resource(access.person_id, &facts));
            let decision = if reviews.allowed { reviews.clone() } else { read };
            if !decision.allowed {
                continue;
            }
            if listed.insert(access.person_id) {
                let event = self
                    .event(actor, "person.listed", "person", &decision)
                    .target(access.person_id)
                    .about(access.person_id);
                self.store.audit(&event).await?;
            }
            let person_name = self.store.person(access.person_id).await?.full_name();
            out.push(EmergencyAccessView {
                person_name,
                opened_by: name_of(&access.user_id).unwrap_or_else(|| "an account that no longer exists".into()),
                reviewed_by_name: access.review.as_ref().and_then(|r| name_of(&r.reviewed_by)),
                open_now: access.is_open(actor.now.instant),
                access,
            });
        }
        Ok(out)
    }

    /// The data protection officer's review of one opening.
    pub async fn review_emergency_access(
        &self,
        actor: &Actor,
        id: EmergencyAccessId,
        review: NewEmergencyReview,
    ) -> AppResult<EmergencyAccess> {
        let decision =
            self.authorize(actor, Action::ReviewEmergencyAccess, Resource::System, "emergency.review").await?;
        let review = review.validate()?;
        let mut access = self.store.emergency_access(id).await?.ok_or_else(|| AppError::not_found("that opening"))?;
        if access.review.is_some() {
            return Err(AppError::Conflict("This opening has already been reviewed.".into()));
        }
        access.review = Some(harbour_domain::EmergencyReview {
            reviewed_by: actor.user.id,
            reviewed_at: actor.now.instant,
            justified: review.justified,
            note: review.note,
        });
        let event =
            self.event(actor, "emergency.review", "person", &decision).target(access.person_id).about(access.person_id);
        self.store.review_emergency_access(&access, &event).await?;
        Ok(access)
    }
}
