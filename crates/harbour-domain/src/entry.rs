//! Entries: what happened, when and where, and who told us.

use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{optional_text, required_text};
use crate::{DomainError, EntryId, EpisodeId, OrgId, PersonId, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Contact,
    Meeting,
    Assessment,
    Plan,
    ProfessionalOpinion,
    InformationReceived,
    Note,
}

impl EntryKind {
    pub const ALL: [EntryKind; 7] = [
        EntryKind::Contact,
        EntryKind::Meeting,
        EntryKind::Assessment,
        EntryKind::Plan,
        EntryKind::ProfessionalOpinion,
        EntryKind::InformationReceived,
        EntryKind::Note,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EntryKind::Contact => "contact",
            EntryKind::Meeting => "meeting",
            EntryKind::Assessment => "assessment",
            EntryKind::Plan => "plan",
            EntryKind::ProfessionalOpinion => "professional_opinion",
            EntryKind::InformationReceived => "information_received",
            EntryKind::Note => "note",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EntryKind::Contact => "Contact",
            EntryKind::Meeting => "Meeting",
            EntryKind::Assessment => "Assessment",
            EntryKind::Plan => "Plan",
            EntryKind::ProfessionalOpinion => "Professional opinion",
            EntryKind::InformationReceived => "Information received",
            EntryKind::Note => "Note",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// What an entry's information is about. The special categories are those of UK GDPR
/// Art 9(1) as seed 002 lists them; criminal-offence data (Art 10, including allegations)
/// is kept apart because it needs its own Schedule 1 condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DataCategory {
    PersonalDetails,
    Family,
    AssessmentAndPlans,
    AdviceAndGuidance,
    AdoptionAndFostering,
    ChildProtection,
    ChildSexualExploitation,
    EducationAndEarlyYears,
    SpecialEducationalNeeds,
    // Special categories (UK GDPR Art 9(1)); seed 002 "Special category personal information".
    SexualityOrSexualHealth,
    ReligiousOrPhilosophicalBeliefs,
    Ethnicity,
    PhysicalOrMentalHealth,
    TradeUnionMembership,
    PoliticalOpinions,
    GeneticOrBiometric,
    // Seed 002 lists "criminal history" with the special categories; in law it is Art 10 data.
    CriminalOffence,
}

impl DataCategory {
    pub const ALL: [DataCategory; 17] = [
        DataCategory::PersonalDetails,
        DataCategory::Family,
        DataCategory::AssessmentAndPlans,
        DataCategory::AdviceAndGuidance,
        DataCategory::AdoptionAndFostering,
        DataCategory::ChildProtection,
        DataCategory::ChildSexualExploitation,
        DataCategory::EducationAndEarlyYears,
        DataCategory::SpecialEducationalNeeds,
        DataCategory::SexualityOrSexualHealth,
        DataCategory::ReligiousOrPhilosophicalBeliefs,
        DataCategory::Ethnicity,
        DataCategory::PhysicalOrMentalHealth,
        DataCategory::TradeUnionMembership,
        DataCategory::PoliticalOpinions,
        DataCategory::GeneticOrBiometric,
        DataCategory::CriminalOffence,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DataCategory::PersonalDetails => "personal_details",
            DataCategory::Family => "family",
            DataCategory::AssessmentAndPlans => "assessment_and_plans",
            DataCategory::AdviceAndGuidance => "advice_and_guidance",
            DataCategory::AdoptionAndFostering => "adoption_and_fostering",
            DataCategory::ChildProtection => "child_protection",
            DataCategory::ChildSexualExploitation => "child_sexual_exploitation",
            DataCategory::EducationAndEarlyYears => "education_and_early_years",
            DataCategory::SpecialEducationalNeeds => "special_educational_needs",
            DataCategory::SexualityOrSexualHealth => "sexuality_or_sexual_health",
            DataCategory::ReligiousOrPhilosophicalBeliefs => "religious_or_philosophical_beliefs",
            DataCategory::Ethnicity => "ethnicity",
            DataCategory::PhysicalOrMentalHealth => "physical_or_mental_health",
            DataCategory::TradeUnionMembership => "trade_union_membership",
            DataCategory::PoliticalOpinions => "political_opinions",
            DataCategory::GeneticOrBiometric => "genetic_or_biometric",
            DataCategory::CriminalOffence => "criminal_offence",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DataCategory::PersonalDetails => "Personal details",
            DataCategory::Family => "Family",
            DataCategory::AssessmentAndPlans => "Assessments and plans",
            DataCategory::AdviceAndGuidance => "Information, advice and guidance",
            DataCategory::AdoptionAndFostering => "Adoption and fostering",
            DataCategory::ChildProtection => "Child protection",
            DataCategory::ChildSexualExploitation => "Child sexual exploitation",
            DataCategory::EducationAndEarlyYears => "Early years and education",
            DataCategory::SpecialEducationalNeeds => "Special educational needs and disability",
            DataCategory::SexualityOrSexualHealth => "Sexuality or sexual health (special category)",
            DataCategory::ReligiousOrPhilosophicalBeliefs => {
                "Religious, spiritual or philosophical beliefs (special category)"
            }
            DataCategory::Ethnicity => "Ethnicity (special category)",
            DataCategory::PhysicalOrMentalHealth => "Physical or mental health (special category)",
            DataCategory::TradeUnionMembership => "Trade union membership (special category)",
            DataCategory::PoliticalOpinions => "Political opinions (special category)",
            DataCategory::GeneticOrBiometric => "Genetic or biometric data (special category)",
            DataCategory::CriminalOffence => "Criminal offence data (Art 10)",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    /// UK GDPR Art 9(1): needs an Art 9(2) condition as well as an Art 6 basis.
    pub fn is_special(self) -> bool {
        matches!(
            self,
            DataCategory::SexualityOrSexualHealth
                | DataCategory::ReligiousOrPhilosophicalBeliefs
                | DataCategory::Ethnicity
                | DataCategory::PhysicalOrMentalHealth
                | DataCategory::TradeUnionMembership
                | DataCategory::PoliticalOpinions
                | DataCategory::GeneticOrBiometric
        )
    }

    /// UK GDPR Art 10 / DPA 2018 s11(2): offences and allegations of offences.
    pub fn is_criminal_offence(self) -> bool {
        self == DataCategory::CriminalOffence
    }
}

/// Who gave us the information in an entry. Every entry has one (seed 004: "what other
/// people that you know have given to us", "what other services … have given us",
/// "professional opinion of staff").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Source {
    /// A person Harbour holds a record about (the child, a parent, a neighbour …).
    Person { person_id: PersonId },
    /// A partner organisation.
    Organisation { organisation_id: OrgId },
    /// A member of staff's own observation or opinion.
    Staff { user_id: UserId },
}

impl Source {
    pub fn kind_code(&self) -> &'static str {
        match self {
            Source::Person { .. } => "person",
            Source::Organisation { .. } => "organisation",
            Source::Staff { .. } => "staff",
        }
    }

    pub fn id_string(&self) -> String {
        match self {
            Source::Person { person_id } => person_id.to_string(),
            Source::Organisation { organisation_id } => organisation_id.to_string(),
            Source::Staff { user_id } => user_id.to_string(),
        }
    }

    pub fn from_parts(kind: &str, id: &str) -> Option<Self> {
        Some(match kind {
            "person" => Source::Person { person_id: id.parse().ok()? },
            "organisation" => Source::Organisation { organisation_id: id.parse().ok()? },
            "staff" => Source::Staff { user_id: id.parse().ok()? },
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Entry {
    pub id: EntryId,
    pub episode_id: EpisodeId,
    pub kind: EntryKind,
    /// When it happened (UK local time).
    #[schema(value_type = String, example = "2026-11-20T10:30:00", pattern = "^[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?$")]
    pub occurred_at: DateTime,
    /// Where it happened.
    pub location: Option<String>,
    /// What it was about.
    pub subject: String,
    /// What happened.
    pub detail: String,
    pub source: Source,
    pub categories: Vec<DataCategory>,
    pub recorded_by: UserId,
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: jiff::Timestamp,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEntry {
    pub kind: EntryKind,
    #[schema(value_type = String, example = "2026-11-20T10:30:00", pattern = "^[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?$")]
    pub occurred_at: DateTime,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub location: Option<String>,
    #[schema(max_length = 200)]
    pub subject: String,
    #[schema(max_length = 20000)]
    pub detail: String,
    pub source: Source,
    #[serde(default)]
    pub categories: Vec<DataCategory>,
}

impl NewEntry {
    /// Checks the entry's text and time; it must not be in the future nor before the episode.
    pub fn validate(
        self,
        episode_id: EpisodeId,
        episode_opened: jiff::civil::Date,
        recorded_by: UserId,
        now: jiff::Timestamp,
    ) -> Result<Entry, DomainError> {
        if self.occurred_at > crate::uk_local(now) {
            return Err(DomainError::DateInFuture { what: "entry", date: self.occurred_at.date() });
        }
        if self.occurred_at.date() < episode_opened {
            return Err(DomainError::EntryBeforeEpisode { at: self.occurred_at.to_string(), opened: episode_opened });
        }
        let mut categories = self.categories;
        categories.sort();
        categories.dedup();
        Ok(Entry {
            id: EntryId::new(),
            episode_id,
            kind: self.kind,
            occurred_at: self.occurred_at,
            location: optional_text("location", self.location.as_deref(), 200)?,
            subject: required_text("subject", &self.subject, 200)?,
            detail: required_text("detail", &self.detail, 20_000)?,
            source: self.source,
            categories,
            recorded_by,
            recorded_at: now,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for c in DataCategory::ALL {
            assert_eq!(DataCategory::from_code(c.code()), Some(c));
        }
        for k in EntryKind::ALL {
            assert_eq!(EntryKind::from_code(k.code()), Some(k));
        }
    }

    #[test]
    fn special_and_criminal_categories_are_told_apart() {
        let special: Vec<_> = DataCategory::ALL.into_iter().filter(|c| c.is_special()).collect();
        assert_eq!(special.len(), 7);
        assert!(!DataCategory::CriminalOffence.is_special());
        assert!(DataCategory::CriminalOffence.is_criminal_offence());
    }
}
