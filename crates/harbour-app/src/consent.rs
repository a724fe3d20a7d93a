//! Consent (seed 002, "Consent"): given to one service, withdrawn at any time. Withdrawal is
//! recorded against the consent and stops what rested on it; it never changes a retention
//! date, closes an episode or removes a record. The answer to a withdrawal says so in the
//! notices' own words, with the person's retention as it stands.

use harbour_domain::{Consent, ConsentId, NewConsent, NewWithdrawal, PersonId};
use harbour_policy::Action;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::AppResult;
use crate::retention::PersonRetention;
use crate::Actor;
use crate::App;

/// A sentence of a notice, with the notice it is from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct NoticeClause {
    pub notice: String,
    pub text: String,
}

/// A person's consents, and what the notices say withdrawal does not stop.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonConsents {
    pub person_id: PersonId,
    pub consents: Vec<Consent>,
    pub withdrawal_does_not_stop: Vec<NoticeClause>,
}

/// A withdrawal recorded: the consent as it now stands, what withdrawal does not stop, and the
/// person's retention (unchanged by it).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WithdrawalOutcome {
    pub consent: Consent,
    pub withdrawal_does_not_stop: Vec<NoticeClause>,
    pub retention: PersonRetention,
}

impl App {
    /// What the notices in force say withdrawing consent does not stop.
    pub fn withdrawal_does_not_stop(&self) -> Vec<NoticeClause> {
        self.notices
            .iter()
            .flat_map(|pack| {
                pack.consent
                    .withdrawal_does_not_stop
                    .iter()
                    .map(|text| NoticeClause { notice: pack.id().to_string(), text: text.clone() })
            })
            .collect()
    }

    pub async fn give_consent(&self, actor: &Actor, person: PersonId, new: NewConsent) -> AppResult<Consent> {
        let decision = self.authorize_person(actor, Action::Write, person, "consent.give").await?;
        let consent = new.validate(person, actor.now.today())?;
        for org in &consent.share_with {
            if self.store.organisation(*org).await.is_err() {
                return Err(crate::error::AppError::UnknownReference(format!("organisation {org} does not exist")));
            }
        }
        let event = self.event(actor, "consent.give", "consent", &decision).target(consent.id).about(person);
        self.store.insert_consent(&consent, actor.user.id, &event).await?;
        Ok(consent)
    }

    pub async fn consents(&self, actor: &Actor, person: PersonId) -> AppResult<PersonConsents> {
        let decision = self.authorize_person(actor, Action::Read, person, "consent.list").await?;
        let consents = self.store.consents_of(person).await?;
        self.store.audit(&self.event(actor, "consent.list", "person", &decision).target(person).about(person)).await?;
        Ok(PersonConsents { person_id: person, consents, withdrawal_does_not_stop: self.withdrawal_does_not_stop() })
    }

    /// Records a withdrawal. It changes the consent and nothing else: the person's retention
    /// is read back afterwards to show it stands as it did.
    pub async fn withdraw_consent(
        &self,
        actor: &Actor,
        id: ConsentId,
        new: NewWithdrawal,
    ) -> AppResult<WithdrawalOutcome> {
        let mut consent = self.store.consent(id).await?;
        let decision = self.authorize_person(actor, Action::Write, consent.person_id, "consent.withdraw").await?;
        let withdrawal = new.validate(&consent, actor.now.today())?;
        let event = self.event(actor, "consent.withdraw", "consent", &decision).target(id).about(consent.person_id);
        consent.withdrawn = Some(withdrawal);
        self.store.withdraw_consent(&consent, &event).await?;
        let retention = self.retention_of(consent.person_id, actor.now.today()).await?;
        Ok(WithdrawalOutcome { consent, withdrawal_does_not_stop: self.withdrawal_does_not_stop(), retention })
    }
}
