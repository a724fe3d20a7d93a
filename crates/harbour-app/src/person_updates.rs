//! What is learned about a person after they are recorded (issue 11): their death, which moves
//! the looked-after floor (rules.md rule 31), and their NHS number corrected or checked, which
//! CP-IS needs to flag a child on a plan or in care (rule 29); and the list of those children
//! whose number is missing or unchecked.

use harbour_domain::{
    EpisodeId, NewDeath, NhsNumberProblem, NhsNumberUpdate, NhsVerification, Person, PersonId, RecordClass, TeamId,
};
use harbour_policy::Action;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::AppResult;
use crate::people::resource;
use crate::retention::PersonRetention;
use crate::Actor;
use crate::App;

/// CP-IS keeps showing a plan or a care episode for 12 months after it ends (rules.md rule 29),
/// so a child whose episode closed within this many days still needs a verified number.
const CP_IS_AFTER_CLOSURE_DAYS: i64 = 365;

/// A death recorded: the date, and the person's retention as it now stands.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeathRecorded {
    pub person_id: PersonId,
    #[schema(value_type = String, format = Date)]
    pub date_of_death: jiff::civil::Date,
    pub retention: PersonRetention,
}

/// A person's NHS number as it now stands.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NhsNumberView {
    pub person_id: PersonId,
    #[schema(value_type = Option<String>, example = "943 476 5919")]
    pub nhs_number: Option<String>,
    pub nhs_number_verified: Option<NhsVerification>,
}

/// An episode that puts a child on CP-IS.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CpIsEpisode {
    pub episode_id: EpisodeId,
    pub record_class: RecordClass,
    #[schema(value_type = String, format = Date)]
    pub opened_on: jiff::civil::Date,
    #[schema(value_type = Option<String>, format = Date)]
    pub closed_on: Option<jiff::civil::Date>,
    pub team_id: TeamId,
}

/// A child CP-IS cannot flag until their NHS number is recorded or checked.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NhsNumberToCorrect {
    pub person_id: PersonId,
    pub name: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub date_of_birth: Option<jiff::civil::Date>,
    #[schema(value_type = Option<String>)]
    pub nhs_number: Option<String>,
    pub problem: NhsNumberProblem,
    pub episodes: Vec<CpIsEpisode>,
}

fn nhs_view(p: &Person) -> NhsNumberView {
    NhsNumberView {
        person_id: p.id,
        nhs_number: p.nhs_number.as_ref().map(ToString::to_string),
        nhs_number_verified: p.nhs_number_verified,
    }
}

/// Whether a person's address is marked "do not disclose" (a refuge, a place someone must not
/// find): kept out of every subject access bundle, share, export and report.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressConfidentiality {
    pub confidential: bool,
}

impl App {
    /// Marks a person's address "do not disclose", or lifts the mark, by someone who may
    /// write their record.
    pub async fn set_address_confidential(
        &self,
        actor: &Actor,
        id: PersonId,
        c: AddressConfidentiality,
    ) -> AppResult<AddressConfidentiality> {
        let decision = self.authorize_person(actor, Action::Write, id, "person.address_confidential").await?;
        let event = self.event(actor, "person.address_confidential", "person", &decision).target(id).about(id);
        self.store.set_address_confidential(id, c.confidential, actor.user.id, &event).await?;
        Ok(c)
    }

    /// Records (or corrects) a person's date of death, by someone who may write their record.
    /// A date in the future or before the date of birth is refused and changes nothing. The
    /// answer gives the person's retention recomputed with it.
    pub async fn record_death(&self, actor: &Actor, id: PersonId, new: NewDeath) -> AppResult<DeathRecorded> {
        let decision = self.authorize_person(actor, Action::Write, id, "person.death.record").await?;
        let person = self.store.person(id).await?;
        person.check_death(new.date_of_death, actor.now.today())?;
        let event = self.event(actor, "person.death.record", "person", &decision).target(id).about(id);
        self.store.record_death(id, new.date_of_death, &event).await?;
        Ok(DeathRecorded {
            person_id: id,
            date_of_death: new.date_of_death,
            retention: self.retention_of(id, actor.now.today()).await?,
        })
    }

    /// Records, corrects or verifies a person's NHS number (see [`Person::nhs_number_after`]).
    pub async fn update_nhs_number(
        &self,
        actor: &Actor,
        id: PersonId,
        update: NhsNumberUpdate,
    ) -> AppResult<NhsNumberView> {
        let action = if update.verified { "person.nhs_number.verify" } else { "person.nhs_number.update" };
        let decision = self.authorize_person(actor, Action::Write, id, action).await?;
        let mut person = self.store.person(id).await?;
        let (number, verified) = person.nhs_number_after(update, actor.user.id, actor.now.today())?;
        let event = self.event(actor, action, "person", &decision).target(id).about(id);
        self.store.set_nhs_number(id, number.as_ref(), verified, &event).await?;
        (person.nhs_number, person.nhs_number_verified) = (number, verified);
        Ok(nhs_view(&person))
    }

    /// Children with a child protection plan or looked-after episode (open, or ended within
    /// 12 months) whose NHS number is missing or not verified, for correction: only those whose
    /// record the actor may read, each listing audited as a read. Someone who may read no case
    /// records (a partner, an auditor) gets an empty list.
    pub async fn nhs_numbers_to_correct(&self, actor: &Actor) -> AppResult<Vec<NhsNumberToCorrect>> {
        let since = actor
            .now
            .today()
            .checked_sub(jiff::Span::new().days(CP_IS_AFTER_CLOSURE_DAYS))
            .unwrap_or(actor.now.today());
        let found = self.store.nhs_numbers_to_correct(since).await?;
        let ids: Vec<PersonId> = found.iter().map(|(p, _)| p.id).collect();
        let facts = self.access_facts(&actor.now, &ids).await?;
        let mut out = Vec::new();
        for (person, episodes) in found {
            let decision = self.authz.decide(&actor.principal(), Action::Read, &resource(person.id, &facts));
            if !decision.allowed {
                continue;
            }
            let Some(problem) = person.nhs_number_problem() else { continue };
            let event = self.event(actor, "person.listed", "person", &decision).target(person.id).about(person.id);
            self.store.audit(&event).await?;
            out.push(NhsNumberToCorrect {
                person_id: person.id,
                name: person.full_name(),
                date_of_birth: person.date_of_birth,
                nhs_number: person.nhs_number.as_ref().map(ToString::to_string),
                problem,
                episodes: episodes
                    .into_iter()
                    .map(|e| CpIsEpisode {
                        episode_id: e.id,
                        record_class: e.record_class,
                        opened_on: e.opened_on,
                        closed_on: e.closed_on,
                        team_id: e.team_id,
                    })
                    .collect(),
            });
        }
        Ok(out)
    }
}
