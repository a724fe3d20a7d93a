//! What the other rights do (issue 14), each under a request in the register, by the data
//! protection officer, with the request's deadline and ledger trail:
//!
//! - **restriction** (UK GDPR Art 18): the person's record is stored and nothing else; the
//!   authorizer refuses every read, write and share of it (policy
//!   `restricted-records-are-only-stored`) until the officer lifts it;
//! - **objection** (Art 21): recorded with the decision and its reason; an upheld objection
//!   restricts the record (the processing stops) until it is erased or reconsidered;
//! - **rectification** (Art 16): a correction is a new version of the entry; the earlier text
//!   is kept, sealed, marked with when, by whom and under which request it was replaced.

use harbour_domain::{
    optional_text, required_text, EntryId, NewObjectionDecision, PersonId, Right, RightsRequest, RightsRequestId,
    UserId,
};
use harbour_policy::{Action, Decision};
use harbour_store::Correction;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::rights::{view, RightsRequestView};
use crate::{Actor, App, AppError, AppResult};

/// Restrict the record a request names, or lift the restriction.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RestrictionChange {
    pub restricted: bool,
}

/// A correction of an entry of the record a rectification request names.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryCorrection {
    pub entry_id: EntryId,
    #[schema(max_length = 200)]
    pub subject: String,
    #[schema(max_length = 20000)]
    pub detail: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub location: Option<String>,
}

/// An earlier version of a corrected entry.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntryVersionView {
    pub version: i64,
    pub location: Option<String>,
    pub subject: String,
    pub detail: String,
    #[schema(value_type = String)]
    pub replaced_at: jiff::Timestamp,
    pub replaced_by: UserId,
    /// The rectification request it was corrected under (absent if none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<RightsRequestId>,
}

impl App {
    /// An open request under `right` that names a record, for the officer.
    async fn effect_request(
        &self,
        actor: &Actor,
        id: RightsRequestId,
        right: Right,
        audit: &str,
    ) -> AppResult<(RightsRequest, PersonId, Decision)> {
        let decision = self.authorize_system(actor, Action::ManageRights, audit).await?;
        let request = self.store.rights_request(id).await?;
        if request.right != right {
            return Err(AppError::Unprocessable(format!(
                "this is a request under the right of {}, not {}",
                request.right.code(),
                right.code()
            )));
        }
        let person = request.person_id.ok_or_else(|| {
            AppError::Unprocessable("the request names no record: link it to the person's record first".into())
        })?;
        Ok((request, person, decision))
    }

    /// Restricts the record a restriction request names, or lifts the restriction (which may
    /// be done after the request is answered: when the accuracy has been checked, say).
    pub async fn restrict(
        &self,
        actor: &Actor,
        id: RightsRequestId,
        change: RestrictionChange,
    ) -> AppResult<RightsRequestView> {
        let action = if change.restricted { "rights.restrict" } else { "rights.restriction_lifted" };
        let (request, person, decision) = self.effect_request(actor, id, Right::Restriction, action).await?;
        if change.restricted && !request.status.is_open() {
            return Err(AppError::Conflict(format!("request {id} is {}", request.status.code())));
        }
        let event = self.request_event(actor, action, &decision, &request);
        self.store.set_restriction(person, change.restricted.then_some(id), actor.user.id, &event).await?;
        Ok(view(request, actor.now.today()))
    }

    /// Decides an objection; an upheld one restricts the record.
    pub async fn decide_objection(
        &self,
        actor: &Actor,
        id: RightsRequestId,
        new: NewObjectionDecision,
    ) -> AppResult<RightsRequestView> {
        let (mut request, person, decision) =
            self.effect_request(actor, id, Right::Objection, "rights.objection").await?;
        if !request.status.is_open() {
            return Err(AppError::Conflict(format!("request {id} is {}", request.status.code())));
        }
        let objection = new.validate(actor.now.today())?;
        let upheld = objection.upheld;
        request.objection = Some(objection);
        let action = if upheld { "rights.objection.upheld" } else { "rights.objection.not_upheld" };
        let event = self.request_event(actor, action, &decision, &request);
        self.store.update_rights_request(&request, request.status, &event).await?;
        if upheld {
            let event = self.request_event(actor, "rights.restrict", &decision, &request);
            self.store.set_restriction(person, Some(id), actor.user.id, &event).await?;
        }
        Ok(view(request, actor.now.today()))
    }

    /// Corrects an entry of the record a rectification request names: the entry takes the new
    /// text and the earlier one is kept as its previous version.
    pub async fn rectify(
        &self,
        actor: &Actor,
        id: RightsRequestId,
        c: EntryCorrection,
    ) -> AppResult<Vec<EntryVersionView>> {
        let (request, person, decision) =
            self.effect_request(actor, id, Right::Rectification, "rights.rectify").await?;
        if !request.status.is_open() {
            return Err(AppError::Conflict(format!("request {id} is {}", request.status.code())));
        }
        let found = self.store.entries_with_context(&[c.entry_id]).await?.into_iter().next();
        if found.as_ref().is_none_or(|(_, p, _)| *p != person) {
            return Err(AppError::Unprocessable(format!(
                "entry {} is not an entry of the record this request names",
                c.entry_id
            )));
        }
        let correction = Correction {
            location: optional_text("location", c.location.as_deref(), 200)?,
            subject: required_text("subject", &c.subject, 200)?,
            detail: required_text("detail", &c.detail, 20_000)?,
        };
        let event = self.request_event(actor, "rights.rectify", &decision, &request).target(c.entry_id);
        self.store.correct_entry(c.entry_id, &correction, actor.user.id, Some(id), &event).await?;
        Ok(self.store.entry_versions(c.entry_id).await?.into_iter().map(version_view).collect())
    }

    /// A corrected entry's earlier versions, for anyone who may read the record.
    pub async fn entry_versions(&self, actor: &Actor, entry: EntryId) -> AppResult<Vec<EntryVersionView>> {
        let Some((_, person, _)) = self.store.entries_with_context(&[entry]).await?.into_iter().next() else {
            return Err(AppError::NotFound(format!("entry {entry} does not exist")));
        };
        let decision = self.authorize_person(actor, Action::Read, person, "entry.versions.read").await?;
        let versions = self.store.entry_versions(entry).await?.into_iter().map(version_view).collect();
        let event = self.event(actor, "entry.versions.read", "entry", &decision).target(entry).about(person);
        self.store.audit(&event).await?;
        Ok(versions)
    }
}

fn version_view(v: harbour_store::EntryVersion) -> EntryVersionView {
    EntryVersionView {
        version: v.version,
        location: v.location,
        subject: v.subject,
        detail: v.detail,
        replaced_at: v.replaced_at,
        replaced_by: v.replaced_by,
        request_id: v.request_id,
    }
}
