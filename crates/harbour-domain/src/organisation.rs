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

    pub fn from_code(code: &str) -> Option<Self> {
        [ControllerRole::Controller, ControllerRole::Processor, ControllerRole::ControllerAndProcessor]
            .into_iter()
            .find(|c| c.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Organisation {
    pub id: OrgId,
    /// Short stable name used on the command line (`--org bcp-childrens`).
    pub slug: String,
    pub name: String,
    pub category: OrgCategory,
    pub controller_role: ControllerRole,
    /// Signed up to the Dorset Information Sharing Charter.
    pub charter_signatory: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrganisation {
    pub slug: String,
    pub name: String,
    pub category: OrgCategory,
    pub controller_role: ControllerRole,
    #[serde(default)]
    pub charter_signatory: bool,
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
}
