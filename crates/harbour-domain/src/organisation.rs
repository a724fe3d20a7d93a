//! Organisations, teams, staff and their roles.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{OrgId, TeamId, UserId};

/// The sharing table's categories in seed 002 ("Who we may share your information with").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrgCategory {
    LocalAuthority,
    Legal,
    Childrens,
    Health,
    Education,
    GovernmentDepartments,
    FinancialAndHousing,
    OtherServices,
}

impl OrgCategory {
    pub const ALL: [OrgCategory; 8] = [
        OrgCategory::LocalAuthority,
        OrgCategory::Legal,
        OrgCategory::Childrens,
        OrgCategory::Health,
        OrgCategory::Education,
        OrgCategory::GovernmentDepartments,
        OrgCategory::FinancialAndHousing,
        OrgCategory::OtherServices,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OrgCategory::LocalAuthority => "local_authority",
            OrgCategory::Legal => "legal",
            OrgCategory::Childrens => "childrens",
            OrgCategory::Health => "health",
            OrgCategory::Education => "education",
            OrgCategory::GovernmentDepartments => "government_departments",
            OrgCategory::FinancialAndHousing => "financial_and_housing",
            OrgCategory::OtherServices => "other_services",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OrgCategory::LocalAuthority => "Local Authority",
            OrgCategory::Legal => "Legal",
            OrgCategory::Childrens => "Children's",
            OrgCategory::Health => "Health",
            OrgCategory::Education => "Education",
            OrgCategory::GovernmentDepartments => "Government Departments",
            OrgCategory::FinancialAndHousing => "Financial and Housing",
            OrgCategory::OtherServices => "Other services providing support",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// What an organisation is, finely enough that a notice's recipient entries can say exactly
/// which organisations they mean: "Police" in seeds 000 and 001 is a police force, not a court,
/// the probation service or the DBS, though all four sit under seed 002's "Legal" row.
/// Policy packs name kinds (and individual organisations) in `[[recipients]]`; an organisation
/// whose kind no entry names receives nothing under that notice. `Unclassified` matches no
/// entry of any notice: a new organisation receives nothing until someone says what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    ChildrensSocialCare,
    AdultSocialCare,
    Lado,
    CouncilService,
    LaEducation,
    LaHousing,
    FosterCareAgency,
    ChildrensHome,
    SemiIndependentAccommodation,
    SupportedLodgings,
    ResidentialSpecialSchool,
    SecureAccommodation,
    PoliceForce,
    Probation,
    CourtService,
    LegalServices,
    YouthOffendingService,
    BarringService,
    Cafcass,
    ChildrensCharity,
    CpIs,
    AdoptionAgency,
    InHouseCareProvider,
    SafeguardingPartnership,
    HealthProvider,
    MentalHealthService,
    DrugAndAlcoholService,
    HealthRecordService,
    HealthRegulator,
    School,
    VirtualSchool,
    EarlyYearsProvider,
    EducationWelfareService,
    AlternativeProvision,
    SendTransport,
    GovernmentDepartment,
    Inspectorate,
    HousingAssociation,
    FinancialServices,
    AdvocacyService,
    OtherLocalAuthority,
    VoluntaryOrganisation,
    FireAndRescue,
    PledgePartner,
    IntelligenceService,
    CommissionedThirdParty,
    CommunitySafetyPartnership,
    Unclassified,
}

impl OrgKind {
    pub const ALL: [OrgKind; 48] = [
        OrgKind::ChildrensSocialCare,
        OrgKind::AdultSocialCare,
        OrgKind::Lado,
        OrgKind::CouncilService,
        OrgKind::LaEducation,
        OrgKind::LaHousing,
        OrgKind::FosterCareAgency,
        OrgKind::ChildrensHome,
        OrgKind::SemiIndependentAccommodation,
        OrgKind::SupportedLodgings,
        OrgKind::ResidentialSpecialSchool,
        OrgKind::SecureAccommodation,
        OrgKind::PoliceForce,
        OrgKind::Probation,
        OrgKind::CourtService,
        OrgKind::LegalServices,
        OrgKind::YouthOffendingService,
        OrgKind::BarringService,
        OrgKind::Cafcass,
        OrgKind::ChildrensCharity,
        OrgKind::CpIs,
        OrgKind::AdoptionAgency,
        OrgKind::InHouseCareProvider,
        OrgKind::SafeguardingPartnership,
        OrgKind::HealthProvider,
        OrgKind::MentalHealthService,
        OrgKind::DrugAndAlcoholService,
        OrgKind::HealthRecordService,
        OrgKind::HealthRegulator,
        OrgKind::School,
        OrgKind::VirtualSchool,
        OrgKind::EarlyYearsProvider,
        OrgKind::EducationWelfareService,
        OrgKind::AlternativeProvision,
        OrgKind::SendTransport,
        OrgKind::GovernmentDepartment,
        OrgKind::Inspectorate,
        OrgKind::HousingAssociation,
        OrgKind::FinancialServices,
        OrgKind::AdvocacyService,
        OrgKind::OtherLocalAuthority,
        OrgKind::VoluntaryOrganisation,
        OrgKind::FireAndRescue,
        OrgKind::PledgePartner,
        OrgKind::IntelligenceService,
        OrgKind::CommissionedThirdParty,
        OrgKind::CommunitySafetyPartnership,
        OrgKind::Unclassified,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OrgKind::ChildrensSocialCare => "childrens_social_care",
            OrgKind::AdultSocialCare => "adult_social_care",
            OrgKind::Lado => "lado",
            OrgKind::CouncilService => "council_service",
            OrgKind::LaEducation => "la_education",
            OrgKind::LaHousing => "la_housing",
            OrgKind::FosterCareAgency => "foster_care_agency",
            OrgKind::ChildrensHome => "childrens_home",
            OrgKind::SemiIndependentAccommodation => "semi_independent_accommodation",
            OrgKind::SupportedLodgings => "supported_lodgings",
            OrgKind::ResidentialSpecialSchool => "residential_special_school",
            OrgKind::SecureAccommodation => "secure_accommodation",
            OrgKind::PoliceForce => "police_force",
            OrgKind::Probation => "probation",
            OrgKind::CourtService => "court_service",
            OrgKind::LegalServices => "legal_services",
            OrgKind::YouthOffendingService => "youth_offending_service",
            OrgKind::BarringService => "barring_service",
            OrgKind::Cafcass => "cafcass",
            OrgKind::ChildrensCharity => "childrens_charity",
            OrgKind::CpIs => "cp_is",
            OrgKind::AdoptionAgency => "adoption_agency",
            OrgKind::InHouseCareProvider => "in_house_care_provider",
            OrgKind::SafeguardingPartnership => "safeguarding_partnership",
            OrgKind::HealthProvider => "health_provider",
            OrgKind::MentalHealthService => "mental_health_service",
            OrgKind::DrugAndAlcoholService => "drug_and_alcohol_service",
            OrgKind::HealthRecordService => "health_record_service",
            OrgKind::HealthRegulator => "health_regulator",
            OrgKind::School => "school",
            OrgKind::VirtualSchool => "virtual_school",
            OrgKind::EarlyYearsProvider => "early_years_provider",
            OrgKind::EducationWelfareService => "education_welfare_service",
            OrgKind::AlternativeProvision => "alternative_provision",
            OrgKind::SendTransport => "send_transport",
            OrgKind::GovernmentDepartment => "government_department",
            OrgKind::Inspectorate => "inspectorate",
            OrgKind::HousingAssociation => "housing_association",
            OrgKind::FinancialServices => "financial_services",
            OrgKind::AdvocacyService => "advocacy_service",
            OrgKind::OtherLocalAuthority => "other_local_authority",
            OrgKind::VoluntaryOrganisation => "voluntary_organisation",
            OrgKind::FireAndRescue => "fire_and_rescue",
            OrgKind::PledgePartner => "pledge_partner",
            OrgKind::IntelligenceService => "intelligence_service",
            OrgKind::CommissionedThirdParty => "commissioned_third_party",
            OrgKind::CommunitySafetyPartnership => "community_safety_partnership",
            OrgKind::Unclassified => "unclassified",
        }
    }

    /// What the kind is, as a phrase: "a police force".
    pub fn label(self) -> &'static str {
        match self {
            OrgKind::ChildrensSocialCare => "a local authority's children's social care",
            OrgKind::AdultSocialCare => "a local authority's adult social care",
            OrgKind::Lado => "the Local Authority Designated Officer",
            OrgKind::CouncilService => "another service area of the council",
            OrgKind::LaEducation => "a local authority's education services",
            OrgKind::LaHousing => "a local authority's housing services",
            OrgKind::FosterCareAgency => "an independent foster care agency",
            OrgKind::ChildrensHome => "a children's home",
            OrgKind::SemiIndependentAccommodation => "a semi-independent accommodation provider",
            OrgKind::SupportedLodgings => "a supported lodgings provider",
            OrgKind::ResidentialSpecialSchool => "a residential special school",
            OrgKind::SecureAccommodation => "a secure accommodation provider",
            OrgKind::PoliceForce => "a police force",
            OrgKind::Probation => "the probation service",
            OrgKind::CourtService => "a court or court service",
            OrgKind::LegalServices => "a legal services provider",
            OrgKind::YouthOffendingService => "a youth offending service",
            OrgKind::BarringService => "the Disclosure and Barring Service",
            OrgKind::Cafcass => "the Children and Family Court Advisory and Support Service",
            OrgKind::ChildrensCharity => "a children's charity",
            OrgKind::CpIs => "the Child Protection Information Sharing service (CP-IS)",
            OrgKind::AdoptionAgency => "an adoption agency",
            OrgKind::InHouseCareProvider => "an in-house provider of social care services",
            OrgKind::SafeguardingPartnership => "a safeguarding children partnership",
            OrgKind::HealthProvider => {
                "a health service providing care (NHS, GP, health visiting, midwifery, school nursing)"
            }
            OrgKind::MentalHealthService => "a mental health service",
            OrgKind::DrugAndAlcoholService => "a drug and alcohol service",
            OrgKind::HealthRecordService => "a shared health record service",
            OrgKind::HealthRegulator => "a regulator of health and care professions",
            OrgKind::School => "a school or academy",
            OrgKind::VirtualSchool => "a virtual school for looked-after children",
            OrgKind::EarlyYearsProvider => "an early years provider",
            OrgKind::EducationWelfareService => "an education welfare service",
            OrgKind::AlternativeProvision => "an alternative provision supplier",
            OrgKind::SendTransport => "a transport service (SEND transport)",
            OrgKind::GovernmentDepartment => "a government department",
            OrgKind::Inspectorate => "an inspectorate",
            OrgKind::HousingAssociation => "a housing association",
            OrgKind::FinancialServices => "a financial services provider",
            OrgKind::AdvocacyService => "an advocacy service",
            OrgKind::OtherLocalAuthority => "another local authority",
            OrgKind::VoluntaryOrganisation => "a voluntary organisation",
            OrgKind::FireAndRescue => "a fire and rescue service",
            OrgKind::PledgePartner => "a partner signed up to the Dorset Pledge",
            OrgKind::IntelligenceService => "an intelligence and insight service",
            OrgKind::CommissionedThirdParty => "a third party commissioned by the council",
            OrgKind::CommunitySafetyPartnership => "a community safety partnership",
            OrgKind::Unclassified => "not yet classified",
        }
    }

    /// The row of seed 002's sharing table the kind belongs under.
    pub fn category(self) -> OrgCategory {
        match self {
            OrgKind::ChildrensSocialCare => OrgCategory::LocalAuthority,
            OrgKind::AdultSocialCare => OrgCategory::LocalAuthority,
            OrgKind::Lado => OrgCategory::LocalAuthority,
            OrgKind::CouncilService => OrgCategory::LocalAuthority,
            OrgKind::LaEducation => OrgCategory::LocalAuthority,
            OrgKind::LaHousing => OrgCategory::LocalAuthority,
            OrgKind::FosterCareAgency => OrgCategory::LocalAuthority,
            OrgKind::ChildrensHome => OrgCategory::LocalAuthority,
            OrgKind::SemiIndependentAccommodation => OrgCategory::LocalAuthority,
            OrgKind::SupportedLodgings => OrgCategory::LocalAuthority,
            OrgKind::ResidentialSpecialSchool => OrgCategory::LocalAuthority,
            OrgKind::SecureAccommodation => OrgCategory::LocalAuthority,
            OrgKind::PoliceForce => OrgCategory::Legal,
            OrgKind::Probation => OrgCategory::Legal,
            OrgKind::CourtService => OrgCategory::Legal,
            OrgKind::LegalServices => OrgCategory::Legal,
            OrgKind::YouthOffendingService => OrgCategory::Legal,
            OrgKind::BarringService => OrgCategory::Legal,
            OrgKind::Cafcass => OrgCategory::Childrens,
            OrgKind::ChildrensCharity => OrgCategory::Childrens,
            OrgKind::CpIs => OrgCategory::Childrens,
            OrgKind::AdoptionAgency => OrgCategory::Childrens,
            OrgKind::InHouseCareProvider => OrgCategory::Childrens,
            OrgKind::SafeguardingPartnership => OrgCategory::Childrens,
            OrgKind::HealthProvider => OrgCategory::Health,
            OrgKind::MentalHealthService => OrgCategory::Health,
            OrgKind::DrugAndAlcoholService => OrgCategory::Health,
            OrgKind::HealthRecordService => OrgCategory::Health,
            OrgKind::HealthRegulator => OrgCategory::Health,
            OrgKind::School => OrgCategory::Education,
            OrgKind::VirtualSchool => OrgCategory::Education,
            OrgKind::EarlyYearsProvider => OrgCategory::Education,
            OrgKind::EducationWelfareService => OrgCategory::Education,
            OrgKind::AlternativeProvision => OrgCategory::Education,
            OrgKind::SendTransport => OrgCategory::Education,
            OrgKind::GovernmentDepartment => OrgCategory::GovernmentDepartments,
            OrgKind::Inspectorate => OrgCategory::GovernmentDepartments,
            OrgKind::HousingAssociation => OrgCategory::FinancialAndHousing,
            OrgKind::FinancialServices => OrgCategory::FinancialAndHousing,
            OrgKind::AdvocacyService => OrgCategory::OtherServices,
            OrgKind::OtherLocalAuthority => OrgCategory::OtherServices,
            OrgKind::VoluntaryOrganisation => OrgCategory::OtherServices,
            OrgKind::FireAndRescue => OrgCategory::OtherServices,
            OrgKind::PledgePartner => OrgCategory::OtherServices,
            OrgKind::IntelligenceService => OrgCategory::OtherServices,
            OrgKind::CommissionedThirdParty => OrgCategory::OtherServices,
            OrgKind::CommunitySafetyPartnership => OrgCategory::OtherServices,
            OrgKind::Unclassified => OrgCategory::OtherServices,
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// Whether an organisation decides why and how data is used (controller), acts on another's
/// instructions (processor), or both — seed 002: commissioned providers are processors and
/// "also … a controller in their own right" for what they collect for themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ControllerRole {
    Controller,
    Processor,
    ControllerAndProcessor,
}

impl ControllerRole {
    pub fn code(self) -> &'static str {
        match self {
            ControllerRole::Controller => "controller",
            ControllerRole::Processor => "processor",
            ControllerRole::ControllerAndProcessor => "controller_and_processor",
        }
    }

    pub const ALL: [ControllerRole; 3] =
        [ControllerRole::Controller, ControllerRole::Processor, ControllerRole::ControllerAndProcessor];

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    /// What the organisation is under data protection law, in words.
    pub fn label(self) -> &'static str {
        match self {
            ControllerRole::Controller => "Controller",
            ControllerRole::Processor => "Processor",
            ControllerRole::ControllerAndProcessor => "Controller and processor",
        }
    }

    /// What that means, in a sentence.
    pub fn meaning(self) -> &'static str {
        match self {
            ControllerRole::Controller => "Decides why and how it uses the information.",
            ControllerRole::Processor => "Uses the information only on another organisation's instructions.",
            ControllerRole::ControllerAndProcessor => {
                "A processor for the council, and a controller for what it collects for itself."
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Organisation {
    pub id: OrgId,
    /// Short stable name used on the command line (`--org bcp-childrens`).
    pub slug: String,
    pub name: String,
    /// What the organisation is; the notices' recipient entries name kinds.
    pub kind: OrgKind,
    /// The row of seed 002's sharing table it sits under (follows from `kind`).
    pub category: OrgCategory,
    pub controller_role: ControllerRole,
    /// Signed up to the Dorset Information Sharing Charter.
    pub charter_signatory: bool,
    /// The council's children's services, which run Harbour: its staff hold the council's
    /// roles; every other organisation is a partner. Set when Harbour is installed (the demo
    /// data, or a database upgrade: the organisation its administrators belong to), never
    /// through the directory API.
    #[serde(default)]
    pub operator: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrganisation {
    /// 2–60 characters of a–z, 0–9 and -.
    #[schema(pattern = "^[a-z0-9-]{2,60}$")]
    pub slug: String,
    #[schema(max_length = 200)]
    pub name: String,
    /// What the organisation is (its category follows from it).
    pub kind: OrgKind,
    pub controller_role: ControllerRole,
    #[serde(default)]
    pub charter_signatory: bool,
}

impl NewOrganisation {
    /// The organisation as it will be stored under `id`; its category follows from its kind.
    pub fn into_organisation(self, id: OrgId) -> Result<Organisation, crate::DomainError> {
        Ok(Organisation {
            id,
            slug: self.slug,
            name: crate::required_text("name", &self.name, 200)?,
            kind: self.kind,
            category: self.kind.category(),
            controller_role: self.controller_role,
            charter_signatory: self.charter_signatory,
            operator: false,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Team {
    pub id: TeamId,
    pub org_id: OrgId,
    pub name: String,
}

/// What a member of staff does; access rules are written per role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Practitioner,
    TeamManager,
    Hub,
    Dpo,
    CaldicottGuardian,
    RecordsManager,
    PartnerPractitioner,
    DhrPanel,
    Auditor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::Practitioner,
        Role::TeamManager,
        Role::Hub,
        Role::Dpo,
        Role::CaldicottGuardian,
        Role::RecordsManager,
        Role::PartnerPractitioner,
        Role::DhrPanel,
        Role::Auditor,
        Role::Admin,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Practitioner => "practitioner",
            Role::TeamManager => "team_manager",
            Role::Hub => "hub",
            Role::Dpo => "dpo",
            Role::CaldicottGuardian => "caldicott_guardian",
            Role::RecordsManager => "records_manager",
            Role::PartnerPractitioner => "partner_practitioner",
            Role::DhrPanel => "dhr_panel",
            Role::Auditor => "auditor",
            Role::Admin => "admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Practitioner => "Practitioner",
            Role::TeamManager => "Team manager",
            Role::Hub => "Hub (MASH)",
            Role::Dpo => "Data protection officer",
            Role::CaldicottGuardian => "Caldicott Guardian",
            Role::RecordsManager => "Records manager",
            Role::PartnerPractitioner => "Partner practitioner",
            Role::DhrPanel => "DHR panel member",
            Role::Auditor => "Auditor",
            Role::Admin => "Administrator",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Whether the role belongs to the council's own staff (the organisation that runs
    /// Harbour) rather than to a partner.
    pub fn is_councils(self) -> bool {
        !matches!(self, Role::PartnerPractitioner | Role::DhrPanel)
    }

    /// Whether an account with this role can read case records (or a review's), so that
    /// creating one needs a second person's approval (the data protection officer's).
    pub fn reads_records(self) -> bool {
        matches!(
            self,
            Role::Practitioner
                | Role::TeamManager
                | Role::Hub
                | Role::Dpo
                | Role::CaldicottGuardian
                | Role::RecordsManager
                | Role::DhrPanel
        )
    }

    /// Whether someone of `org` may hold this role: the council's roles only in the council's
    /// children's services, partner roles only in partner organisations, and the review panel
    /// only in a community safety partnership.
    pub fn fits(self, org: &Organisation) -> Result<(), crate::DomainError> {
        let fits = match self {
            Role::DhrPanel => org.kind == OrgKind::CommunitySafetyPartnership,
            Role::PartnerPractitioner => !org.operator,
            _ => org.operator,
        };
        if fits {
            Ok(())
        } else {
            let wants = match self {
                Role::DhrPanel => "a community safety partnership",
                Role::PartnerPractitioner => "a partner organisation, not the council's children's services",
                _ => "the council's children's services, which run Harbour",
            };
            Err(crate::DomainError::RoleDoesNotFit { role: self.label(), organisation: org.name.clone(), wants })
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub org_id: OrgId,
    pub team_id: Option<TeamId>,
    pub role: Role,
    pub active: bool,
    /// Created by an administrator with a role that can read records, and not yet approved by
    /// the data protection officer: it cannot sign in until then.
    #[serde(default)]
    pub awaiting_approval: bool,
}

/// The fewest characters a password may have.
pub const PASSWORD_MIN_CHARS: usize = 12;

/// A username: 2–50 characters of a–z, 0–9, '.', '_' and '-'. The one rule for every way an
/// account is made (the API, the command line) and for the sign-in form's first check.
pub fn check_username(username: &str) -> Result<(), crate::DomainError> {
    let ok = (2..=50).contains(&username.len())
        && username.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(crate::DomainError::InvalidUsername { username: username.to_string() })
    }
}

/// A password has at least [`PASSWORD_MIN_CHARS`] characters.
pub fn check_password(password: &str) -> Result<(), crate::DomainError> {
    if password.chars().count() < PASSWORD_MIN_CHARS {
        return Err(crate::DomainError::PasswordTooShort { min: PASSWORD_MIN_CHARS });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn usernames_and_passwords_follow_one_rule() {
        for ok in ["ab", "sw.demo", "a_b-c.9", &"x".repeat(50)] {
            assert_eq!(super::check_username(ok), Ok(()), "{ok}");
        }
        for bad in ["a", "", "Ab", "a b", "é.x", "a/b", &"x".repeat(51)] {
            assert!(super::check_username(bad).is_err(), "{bad}");
        }
        assert!(super::check_password("eleven char").is_err());
        assert_eq!(super::check_password("twelve chars"), Ok(()));
        assert_eq!(super::check_password("ééééééééééé\u{e9}"), Ok(()), "characters, not bytes");
    }
}
