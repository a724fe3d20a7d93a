//! The static tables: organisations, teams, logins, families, names and entry templates.
//! Laid out one row per line, which rustfmt would otherwise spread over many.

use harbour_domain::ControllerRole::{self, Controller, ControllerAndProcessor, Processor};
use harbour_domain::DataCategory as C;
use harbour_domain::EntryKind as K;
use harbour_domain::OrgKind::{self, *};
use harbour_domain::RecordClass::{self as R};
use harbour_domain::Role;

/// (slug, name, kind, controller role, signed up to the Dorset Information Sharing Charter)
pub type OrgRow = (&'static str, &'static str, OrgKind, ControllerRole, bool);

/// The council, then seed 002's "Who we may share your information with" table row by
/// row (commissioned providers, marked * there, are processors and controllers in their
/// own right), with seed 000's partner list merged in where it names the same body.
pub const ORGANISATIONS: &[OrgRow] = &[
    ("bcp-childrens", "BCP Council Children's Services", ChildrensSocialCare, Controller, true),
    // Local Authority
    ("lado", "Local Authority Designated Officer (LADO)", Lado, Controller, true),
    ("bcp-council-services", "BCP Council (other service areas)", CouncilService, Controller, true),
    ("independent-foster-care-agencies", "Independent Foster Care Agencies", FosterCareAgency, ControllerAndProcessor, false),
    ("childrens-homes", "Children's Homes", ChildrensHome, ControllerAndProcessor, false),
    ("semi-independent-accommodation", "Semi-Independent Accommodation Providers", SemiIndependentAccommodation, ControllerAndProcessor, false),
    ("supported-lodgings", "Supported Lodgings Providers", SupportedLodgings, ControllerAndProcessor, false),
    ("residential-special-schools", "Residential Special Schools", ResidentialSpecialSchool, ControllerAndProcessor, false),
    ("secure-accommodation", "Secure Accommodation", SecureAccommodation, ControllerAndProcessor, false),
    ("dorset-county-council-social-care", "Dorset County Council Social Care", ChildrensSocialCare, Controller, true),
    ("borough-of-poole-social-care", "Borough of Poole Social Care", ChildrensSocialCare, Controller, true),
    // Legal ("Police" in both seeds is Dorset Police)
    ("dorset-police", "Dorset Police", PoliceForce, Controller, true),
    ("probation", "Probation Service", Probation, Controller, true),
    ("court-services", "Court Services", CourtService, Controller, false),
    ("legal-services", "Legal Services", LegalServices, Controller, false),
    ("hmcts", "HM Courts and Tribunals Service", CourtService, Controller, false),
    ("british-transport-police", "British Transport Police", PoliceForce, Controller, false),
    ("dorset-youth-offending-service", "Dorset Youth Offending Service", YouthOffendingService, Controller, true),
    ("dbs", "Disclosure and Barring Service (DBS)", BarringService, Controller, false),
    // Children's
    ("cafcass", "CAFCASS", Cafcass, Controller, false),
    ("nspcc", "NSPCC", ChildrensCharity, Controller, false),
    ("cp-is", "Child Protection Information Sharing (CP-IS)", CpIs, Controller, false),
    ("aspire-adoption", "Aspire Adoption", AdoptionAgency, Controller, true),
    ("in-house-care-providers", "In-house Social Care Providers (foster carers and short breaks)", InHouseCareProvider, Controller, true),
    ("pan-dorset-safeguarding", "Pan-Dorset Safeguarding Children Partnership", SafeguardingPartnership, Controller, true),
    ("ymca", "YMCA", ChildrensCharity, Controller, false),
    // Health ("Health" in seed 000 is the National Health Service)
    ("child-health-information-service", "Provide Child Health Information Service", HealthRecordService, Controller, true),
    ("health-visitors", "Health Visitors", HealthProvider, Controller, true),
    ("midwives", "Midwives", HealthProvider, Controller, true),
    ("nhs", "National Health Service", HealthProvider, Controller, true),
    ("gp", "GP / Doctor", HealthProvider, Controller, true),
    ("dorset-care-record", "Dorset Care Record", HealthRecordService, Controller, true),
    ("camhs", "Child and Adolescent Mental Health Service (CAMHS)", MentalHealthService, Controller, true),
    ("hcpc", "Health and Care Professions Council (HCPC)", HealthRegulator, Controller, false),
    ("community-mental-health-team", "Community Mental Health Team", MentalHealthService, Controller, true),
    ("school-nurses", "School Nurses", HealthProvider, Controller, true),
    ("other-health-workers", "Other Health and Mental Health Workers", HealthProvider, Controller, false),
    // Education ("Local authority education services including schools" in seed 000)
    ("academies-and-schools", "Academies and Schools", School, Controller, true),
    ("virtual-school", "BCP Virtual School", VirtualSchool, Controller, true),
    ("early-years-providers", "Early Years Providers", EarlyYearsProvider, Controller, false),
    ("welfare-call", "Welfare Call Ltd", EducationWelfareService, Processor, false),
    ("alternative-provision", "Alternative Provision Suppliers", AlternativeProvision, ControllerAndProcessor, false),
    ("send-transport", "Transport Services (SEND transport)", SendTransport, ControllerAndProcessor, false),
    ("la-education-services", "Local Authority Education Services", LaEducation, Controller, true),
    ("harbourside-academy", "Harbourside Academy", School, Controller, true),
    // Government Departments
    ("dwp", "Department for Work and Pensions (DWP)", GovernmentDepartment, Controller, false),
    ("dfe", "Department for Education (DfE)", GovernmentDepartment, Controller, false),
    ("mhclg", "Ministry of Housing, Communities and Local Government", GovernmentDepartment, Controller, false),
    ("moj", "Ministry of Justice", GovernmentDepartment, Controller, false),
    ("ofsted", "Ofsted", Inspectorate, Controller, false),
    ("home-office", "Home Office", GovernmentDepartment, Controller, false),
    ("hmrc", "HM Revenue and Customs (HMRC)", GovernmentDepartment, Controller, false),
    // Financial and Housing ("Housing Services" is seed 000's local authority housing services)
    ("housing-associations", "Housing Associations", HousingAssociation, Controller, true),
    ("financial-services", "Financial Services", FinancialServices, Controller, false),
    ("la-housing-services", "Local Authority Housing Services", LaHousing, Controller, true),
    // Other services providing support
    ("advocacy-services", "Advocacy Services", AdvocacyService, Controller, false),
    ("other-local-authorities", "Other Local Authorities", OtherLocalAuthority, Controller, false),
    ("share-foundation", "The Share Foundation", VoluntaryOrganisation, Controller, false),
    ("other-voluntary-services", "Other Voluntary Services", VoluntaryOrganisation, Controller, false),
    ("dorset-wiltshire-fire", "Dorset & Wiltshire Fire and Rescue Service", FireAndRescue, Controller, true),
    ("dorset-pledge-partners", "Partner Organisations signed up to the Dorset Pledge", PledgePartner, Controller, true),
    ("diis", "Dorset Intelligence and Insight Service (DiiS)", IntelligenceService, Processor, true),
    ("commissioned-third-parties", "Third Party Organisations commissioned by BCP Council", CommissionedThirdParty, ControllerAndProcessor, false),
    ("dorset-csp", "Dorset Community Safety Partnership", CommunitySafetyPartnership, Controller, true),
];

pub const BCP: &str = "bcp-childrens";
pub const AI1: &str = "Assessment and Intervention 1";
pub const AI2: &str = "Assessment and Intervention 2";
pub const CIC: &str = "Children in Care";
pub const MASH: &str = "MASH";
pub const EARLY_HELP_TEAM: &str = "Early Help";
pub const IG: &str = "Information Governance";

/// (organisation slug, team name); team names are unique across organisations.
pub const TEAMS: &[(&str, &str)] = &[
    (BCP, AI1), (BCP, AI2), (BCP, CIC), (BCP, MASH), (BCP, EARLY_HELP_TEAM), (BCP, IG),
    ("dorset-police", "Public Protection"),
    ("harbourside-academy", "Safeguarding"),
    ("dorset-csp", "DHR Panel"),
];

/// School holidays and closures for the domestic abuse notification deadline (a synthetic
/// calendar in the shape of a local authority's 2026–27 term dates). Bank holidays (Good
/// Friday, the early May bank holiday, ...) are built into the school-day calendar and are not
/// listed.
pub const SCHOOL_HOLIDAYS: &[(&str, &str, &str)] = &[
    ("October half term", "2026-10-26", "2026-10-30"),
    ("Christmas holidays", "2026-12-21", "2027-01-01"),
    ("February half term", "2027-02-15", "2027-02-19"),
    ("Easter holidays", "2027-03-29", "2027-04-09"),
    ("May half term", "2027-05-31", "2027-06-04"),
    ("Summer holidays", "2027-07-23", "2027-09-01"),
];

/// (username, display name, role, organisation slug, team), in the order `DemoSummary` lists them.
pub const LOGINS: &[(&str, &str, Role, &str, Option<&str>)] = &[
    ("sw.demo", "Sam Walker (demo)", Role::Practitioner, BCP, Some(AI1)),
    ("tm.demo", "Tara Morgan (demo)", Role::TeamManager, BCP, Some(AI1)),
    ("mash.demo", "Max Ashby (demo)", Role::Hub, BCP, Some(MASH)),
    ("dpo.demo", "Dana Price (demo)", Role::Dpo, BCP, Some(IG)),
    ("cg.demo", "Chris Gordon (demo)", Role::CaldicottGuardian, BCP, Some(IG)),
    ("records.demo", "Rowan Ellis (demo)", Role::RecordsManager, BCP, Some(IG)),
    ("auditor.demo", "Ali Reid (demo)", Role::Auditor, BCP, Some(IG)),
    ("admin.demo", "Alex Adams (demo)", Role::Admin, BCP, None),
    ("police.demo", "Pat Oliver (demo)", Role::PartnerPractitioner, "dorset-police", Some("Public Protection")),
    ("school.demo", "Sue Hollis (demo)", Role::PartnerPractitioner, "harbourside-academy", Some("Safeguarding")),
    ("panel.demo", "Pam Nelson (demo)", Role::DhrPanel, "dorset-csp", Some("DHR Panel")),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Abuse {
    Absent,
    /// The mother's partner, who lives in the household, abuses her.
    ByPartner,
    /// The children's father abuses the mother.
    ByFather,
}

pub struct WorkPlan {
    pub class: R,
    pub team: &'static str,
    /// Only the eldest child has this episode.
    pub eldest_only: bool,
}

pub struct FamilyPlan {
    pub children: usize,
    /// The youngest and eldest possible ages, in years.
    pub ages: (i16, i16),
    /// Episodes opened for the children, in order.
    pub work: &'static [WorkPlan],
    pub abuse: Abuse,
    /// An older, care-experienced sibling's age, and whether they have an open episode.
    pub care_leaver: Option<(i16, bool)>,
    pub disabled_eldest: bool,
}

const fn all(class: R, team: &'static str) -> WorkPlan {
    WorkPlan { class, team, eldest_only: false }
}

const fn eldest(class: R, team: &'static str) -> WorkPlan {
    WorkPlan { class, team, eldest_only: true }
}

const fn family(children: usize, ages: (i16, i16), work: &'static [WorkPlan], abuse: Abuse) -> FamilyPlan {
    FamilyPlan { children, ages, work, abuse, care_leaver: None, disabled_eldest: false }
}

const fn with_care_leaver(mut f: FamilyPlan, age: i16, with_episode: bool) -> FamilyPlan {
    f.care_leaver = Some((age, with_episode));
    f
}

const fn disabled(mut f: FamilyPlan) -> FamilyPlan {
    f.disabled_eldest = true;
    f
}

/// 22 families, 48 children; every record class is opened at least twice.
pub const FAMILIES: &[FamilyPlan] = &[
    family(3, (1, 11), &[all(R::DomesticAbuseNotification, MASH), all(R::ChildProtectionPlan, AI1)], Abuse::ByPartner),
    family(2, (3, 9), &[all(R::DomesticAbuseNotification, MASH), all(R::ChildInNeed, AI2)], Abuse::ByFather),
    family(2, (0, 6), &[all(R::DomesticAbuseNotification, MASH)], Abuse::ByPartner),
    family(3, (2, 14), &[all(R::ChildProtectionPlan, AI1)], Abuse::Absent),
    family(2, (5, 12), &[all(R::ChildProtectionPlan, AI2)], Abuse::Absent),
    family(3, (4, 15), &[all(R::ChildInNeed, AI1)], Abuse::Absent),
    family(2, (1, 8), &[all(R::ChildInNeed, AI1)], Abuse::Absent),
    family(3, (0, 10), &[all(R::EarlyHelp, EARLY_HELP_TEAM)], Abuse::Absent),
    family(2, (6, 13), &[all(R::EarlyHelp, EARLY_HELP_TEAM)], Abuse::Absent),
    family(2, (13, 16), &[all(R::ChildInNeed, AI1), eldest(R::ChildSexualExploitation, AI1)], Abuse::Absent),
    family(1, (14, 16), &[all(R::ChildSexualExploitation, AI2)], Abuse::Absent),
    with_care_leaver(family(3, (3, 15), &[all(R::LookedAfter, CIC)], Abuse::Absent), 20, true),
    family(2, (8, 14), &[all(R::Fostering, CIC)], Abuse::Absent),
    with_care_leaver(family(2, (0, 4), &[all(R::LookedAfter, CIC), all(R::Adoption, CIC)], Abuse::Absent), 22, false),
    with_care_leaver(family(1, (1, 3), &[all(R::Adoption, CIC)], Abuse::Absent), 24, false),
    disabled(family(3, (4, 16), &[eldest(R::Send, EARLY_HELP_TEAM)], Abuse::Absent)),
    disabled(family(2, (5, 12), &[eldest(R::Send, EARLY_HELP_TEAM), all(R::ChildInNeed, AI1)], Abuse::Absent)),
    family(2, (6, 15), &[eldest(R::Lado, MASH)], Abuse::Absent),
    family(1, (9, 12), &[eldest(R::Lado, MASH)], Abuse::Absent),
    family(3, (2, 16), &[all(R::ChildInNeed, AI1), eldest(R::Complaint, IG)], Abuse::Absent),
    family(2, (7, 13), &[all(R::EarlyHelp, EARLY_HELP_TEAM), eldest(R::Complaint, IG)], Abuse::Absent),
    family(2, (0, 5), &[all(R::ChildProtectionPlan, AI1)], Abuse::Absent),
];

pub const GIRLS: &[&str] = &[
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Isabella",
    "Sophia",
    "Grace",
    "Freya",
    "Emily",
    "Poppy",
    "Ella",
    "Evie",
    "Charlotte",
    "Daisy",
    "Ruby",
    "Florence",
    "Willow",
    "Phoebe",
    "Millie",
    "Harper",
    "Rosie",
];
pub const BOYS: &[&str] = &[
    "Oliver", "George", "Noah", "Arthur", "Leo", "Harry", "Oscar", "Archie", "Henry", "Theo",
    "Freddie", "Jack", "Charlie", "Finley", "Alfie", "Thomas", "Jacob", "Isaac", "Reggie",
    "Teddy", "Logan", "Riley", "Mason", "Ethan",
];
pub const WOMEN: &[&str] = &[
    "Sarah", "Emma", "Laura", "Rebecca", "Gemma", "Kirsty", "Hayley", "Claire", "Nicola",
    "Stacey", "Lisa", "Joanne", "Donna", "Kelly", "Amy", "Natalie", "Zoe", "Leanne",
];
pub const MEN: &[&str] = &[
    "Daniel", "James", "Lee", "Craig", "Mark", "Paul", "Wayne", "Ryan", "Darren", "Stuart",
    "Kevin", "Gary", "Adam", "Jamie", "Scott", "Dean", "Carl", "Shaun",
];
pub const OLDER_WOMEN: &[&str] = &[
    "Margaret",
    "Susan",
    "Linda",
    "Patricia",
    "Carol",
    "Janet",
    "Christine",
    "Elaine",
    "Sandra",
    "Pauline",
];
pub const SURNAMES: &[&str] = &[
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
    "Wright", "Thompson", "Evans", "White", "Roberts", "Green", "Hall", "Wood", "Jackson",
    "Clarke", "Hughes", "Edwards", "Turner", "Cooper", "Hill", "Ward", "Harris", "Martin",
    "Baker", "Moore", "King", "Lewis", "Allen", "Mitchell", "Carter", "Phillips", "Bennett",
    "Parker", "Collins", "Shaw", "Price",
];
/// Invented street names.
pub const STREETS: &[&str] = &[
    "Harbour View Road",
    "Quayside Close",
    "Saltmarsh Lane",
    "Heron Way",
    "Ferry Approach",
    "Chine Walk",
    "Gull Crescent",
    "Lighthouse Lane",
    "Anchor Close",
    "Tidal Way",
    "Seagrass Road",
    "Compass Court",
    "Driftwood Avenue",
    "Oyster Mews",
    "Mariners Walk",
    "Clifftop Rise",
    "Beacon Gardens",
    "Kestrel Drive",
];
/// Outward codes and post towns; the first `BCP_TOWNS` are in Bournemouth, Christchurch and Poole.
pub const TOWNS: &[(&str, &str)] = &[
    ("BH1", "Bournemouth"),
    ("BH5", "Bournemouth"),
    ("BH6", "Bournemouth"),
    ("BH7", "Bournemouth"),
    ("BH8", "Bournemouth"),
    ("BH9", "Bournemouth"),
    ("BH10", "Bournemouth"),
    ("BH11", "Bournemouth"),
    ("BH12", "Poole"),
    ("BH14", "Poole"),
    ("BH15", "Poole"),
    ("BH17", "Poole"),
    ("BH23", "Christchurch"),
    ("BH18", "Broadstone"),
    ("BH21", "Wimborne"),
    ("DT1", "Dorchester"),
    ("DT4", "Weymouth"),
];
pub const BCP_TOWNS: usize = 13;
/// The letters BS7666 allows in the last two places of a postcode.
pub const INWARD_LETTERS: &str = "ABDEFGHJLNPQRSTUWXYZ";

/// Where an entry's information came from.
#[derive(Debug, Clone, Copy)]
pub enum Src {
    /// The member of staff recording it.
    Staff,
    /// The child's parent (or the young person themselves).
    Family,
    /// A partner organisation, by slug.
    Org(&'static str),
}

/// An entry template; `{child}` is replaced by the child's given name.
pub struct Tpl {
    pub kind: K,
    pub subject: &'static str,
    pub detail: &'static str,
    pub location: Option<&'static str>,
    pub source: Src,
    pub categories: &'static [C],
}

const fn t(
    kind: K,
    subject: &'static str,
    detail: &'static str,
    location: Option<&'static str>,
    source: Src,
    categories: &'static [C],
) -> Tpl {
    Tpl {
        kind,
        subject,
        detail,
        location,
        source,
        categories,
    }
}

const HOME: Option<&str> = Some("Family home");
const PHONE: Option<&str> = Some("Telephone");
const OFFICE: Option<&str> = Some("Children's Services office");
const NOWHERE: Option<&str> = None;

// Each story's first two templates are always used, so every entry kind and every special
// category appears among them somewhere.
pub const EARLY_HELP: &[Tpl] = &[
    t(K::Contact, "Request for early help", "Mother phoned asking for help with {child}'s sleep and behaviour at home; consented to an early help assessment.", PHONE, Src::Family, &[C::AdviceAndGuidance, C::Family]),
    t(K::Assessment, "Early help assessment", "Early help assessment completed at home. Strengths: warm relationships, good school attendance. Needs: routines, parenting support.", HOME, Src::Staff, &[C::AssessmentAndPlans, C::Family]),
    t(K::Plan, "Team around the family plan", "Plan agreed: parenting course (6 sessions), school mentor for {child}, review in 6 weeks.", Some("Family hub"), Src::Staff, &[C::AssessmentAndPlans, C::EducationAndEarlyYears]),
    t(K::InformationReceived, "Update from school", "School reports {child}'s attendance has improved to 96% this half term.", NOWHERE, Src::Org("harbourside-academy"), &[C::EducationAndEarlyYears]),
    t(K::Meeting, "Team around the family review", "Review: routines improving and the family feel more confident. Step down to universal services if sustained.", Some("Family hub"), Src::Staff, &[C::AssessmentAndPlans, C::Family]),
];

pub const CHILD_IN_NEED: &[Tpl] = &[
    t(K::InformationReceived, "Referral from health visitor", "Health visitor concerned about home conditions and missed health appointments for {child}.", NOWHERE, Src::Org("health-visitors"), &[C::Family, C::PhysicalOrMentalHealth]),
    t(K::Assessment, "Child and family assessment", "Assessment concluded {child} is a child in need: parent struggling with low mood; home conditions variable; no immediate safeguarding concerns.", HOME, Src::Staff, &[C::AssessmentAndPlans, C::Family, C::PhysicalOrMentalHealth]),
    t(K::Plan, "Child in need plan", "Plan: parent to see GP about low mood, nursery place to be arranged, visits every 4 weeks, review in 3 months.", OFFICE, Src::Staff, &[C::AssessmentAndPlans, C::EducationAndEarlyYears]),
    t(K::Contact, "Home visit", "Home visit: children seen together; home conditions adequate. {child} showed the worker their bedroom.", HOME, Src::Family, &[C::Family]),
    t(K::Note, "Visit rearranged", "Parent cancelled the planned visit because of illness; rearranged for next week.", NOWHERE, Src::Family, &[C::Family]),
];

pub const CHILD_PROTECTION: &[Tpl] = &[
    t(K::InformationReceived, "Police information", "Police attended the address after a report of shouting; {child} was present. An adult was arrested for criminal damage.", NOWHERE, Src::Org("dorset-police"), &[C::ChildProtection, C::CriminalOffence, C::Family]),
    t(K::Meeting, "Initial child protection conference", "Conference decided {child} should have a child protection plan under the category of neglect. Parents attended with an advocate.", OFFICE, Src::Staff, &[C::AssessmentAndPlans, C::ChildProtection]),
    t(K::Plan, "Child protection plan", "Outline plan: weekly visits, parenting assessment, GP to review parent's medication, core group every 4 weeks.", OFFICE, Src::Staff, &[C::AssessmentAndPlans, C::ChildProtection, C::PhysicalOrMentalHealth]),
    t(K::Contact, "Statutory visit", "Statutory visit: {child} seen alone and said they feel safe at home. Food in the cupboards; house tidy.", HOME, Src::Family, &[C::ChildProtection]),
    t(K::ProfessionalOpinion, "Social worker's analysis", "In my view risks are reducing: parents engaging with services and home conditions consistently adequate. Recommend review at the next conference.", NOWHERE, Src::Staff, &[C::AssessmentAndPlans, C::ChildProtection]),
];

pub const LOOKED_AFTER: &[Tpl] = &[
    t(K::Note, "Child became looked after", "{child} accommodated under section 20 with parental consent and placed with local authority foster carers.", OFFICE, Src::Staff, &[C::AdoptionAndFostering, C::ChildProtection]),
    t(K::InformationReceived, "Initial health assessment", "Looked-after children's nurse completed the initial health assessment: immunisations up to date; dental check requested.", NOWHERE, Src::Org("nhs"), &[C::PhysicalOrMentalHealth]),
    t(K::Meeting, "Looked after review", "First review chaired by the independent reviewing officer; care plan endorsed; family time twice weekly.", Some("Foster home"), Src::Staff, &[C::AdoptionAndFostering, C::AssessmentAndPlans]),
    t(K::InformationReceived, "Personal education plan", "Virtual school confirms the personal education plan is complete; {child} is getting extra reading support.", NOWHERE, Src::Org("virtual-school"), &[C::EducationAndEarlyYears]),
    t(K::Contact, "Family time", "Supervised family time at the contact centre went well; {child} was pleased to see their mother.", Some("Contact centre"), Src::Family, &[C::Family]),
];

pub const EXPLOITATION: &[Tpl] = &[
    t(K::InformationReceived, "Missing from home", "Police report {child} was missing overnight and found in a car with two adult males; exploitation suspected and under investigation.", NOWHERE, Src::Org("dorset-police"), &[C::ChildProtection, C::ChildSexualExploitation, C::CriminalOffence]),
    t(K::InformationReceived, "Sexual health information", "School nurse shares, with {child}'s agreement, that {child} attended a sexual health clinic and mentioned an older 'boyfriend'.", NOWHERE, Src::Org("school-nurses"), &[C::ChildSexualExploitation, C::PhysicalOrMentalHealth, C::SexualityOrSexualHealth]),
    t(K::Assessment, "Exploitation risk assessment", "Exploitation screening tool completed with {child}: risk assessed as significant. Disruption plan to be agreed with police.", OFFICE, Src::Staff, &[C::AssessmentAndPlans, C::ChildSexualExploitation]),
    t(K::Meeting, "Strategy meeting", "Strategy meeting with police, school and health: safety plan agreed, including a trusted adult at school and location checks.", Some("Video call"), Src::Staff, &[C::ChildProtection, C::ChildSexualExploitation]),
    t(K::ProfessionalOpinion, "Worker's view", "{child} is beginning to trust their youth worker but still minimises the risk. Continue weekly direct work.", NOWHERE, Src::Staff, &[C::ChildSexualExploitation]),
];

pub const DOMESTIC_ABUSE: &[Tpl] = &[
    t(K::InformationReceived, "Police domestic abuse notification", "Police attended a domestic incident at the home overnight; {child} was in the house. Adult male arrested on suspicion of assault; risk assessed as medium.", NOWHERE, Src::Org("dorset-police"), &[C::ChildProtection, C::CriminalOffence, C::Family]),
    t(K::ProfessionalOpinion, "MASH screening decision", "Checks with police, health and education completed. In the MASH's view the threshold for a statutory assessment is not met; information shared with school and health visitor.", Some("MASH office"), Src::Staff, &[C::AssessmentAndPlans, C::ChildProtection]),
    t(K::InformationReceived, "GP check", "GP confirms mother attended recently about anxiety; no concerns noted for {child}.", NOWHERE, Src::Org("gp"), &[C::PhysicalOrMentalHealth]),
    t(K::Contact, "Call to mother", "Mother spoken to by phone; safety plan discussed and details of the local domestic abuse service given.", PHONE, Src::Family, &[C::AdviceAndGuidance, C::Family]),
    t(K::Note, "Information shared", "Notification shared with the school's designated safeguarding lead under Operation Encompass.", NOWHERE, Src::Staff, &[C::ChildProtection, C::EducationAndEarlyYears]),
];

pub const LADO: &[Tpl] = &[
    t(K::InformationReceived, "Allegation against a member of staff", "School reports that {child} alleges a staff member grabbed their arm in a corridor. Staff member suspended pending enquiries; police informed.", NOWHERE, Src::Org("harbourside-academy"), &[C::ChildProtection, C::CriminalOffence]),
    t(K::Meeting, "Allegation management meeting", "Meeting with school, police and HR. The staff member's trade union representative will attend interviews. Police will not investigate further.", Some("Video call"), Src::Staff, &[C::ChildProtection, C::TradeUnionMembership]),
    t(K::Contact, "Parent informed", "Parent told about the allegations process and timescales; agreed how updates will be shared.", PHONE, Src::Family, &[C::ChildProtection, C::Family]),
    t(K::ProfessionalOpinion, "LADO outcome", "Allegation unsubstantiated: not enough evidence to prove or disprove it. School to refresh staff training on physical intervention.", NOWHERE, Src::Staff, &[C::ChildProtection]),
    t(K::Note, "Outcome letters sent", "Outcome letters sent to the school and the parent.", NOWHERE, Src::Staff, &[C::ChildProtection]),
];

pub const SEND: &[Tpl] = &[
    t(K::InformationReceived, "CAMHS letter", "CAMHS confirm {child} has a diagnosis of autism with anxiety and recommend a predictable, structured school day.", NOWHERE, Src::Org("camhs"), &[C::PhysicalOrMentalHealth, C::SpecialEducationalNeeds]),
    t(K::Plan, "Education, health and care plan", "EHC plan issued: 1:1 support in class, speech and language therapy, SEND transport to school.", OFFICE, Src::Staff, &[C::AssessmentAndPlans, C::EducationAndEarlyYears, C::SpecialEducationalNeeds]),
    t(K::Contact, "Parent's views", "Parent agrees the plan and asks about short breaks at weekends.", PHONE, Src::Family, &[C::Family, C::SpecialEducationalNeeds]),
    t(K::Assessment, "Short breaks assessment", "Short breaks assessment: family eligible for a monthly weekend break with in-house carers.", HOME, Src::Staff, &[C::AssessmentAndPlans, C::SpecialEducationalNeeds]),
    t(K::Meeting, "Annual review", "Annual review at school: good progress with communication; transport arrangements working well.", Some("Harbourside Academy"), Src::Staff, &[C::EducationAndEarlyYears, C::SpecialEducationalNeeds]),
];

pub const FOSTERING: &[Tpl] = &[
    t(K::Contact, "Private fostering notification", "Mother told us {child} will live with a family friend for four months while she works abroad.", PHONE, Src::Family, &[C::AdoptionAndFostering, C::Family]),
    t(K::Assessment, "Private fostering assessment", "Carers share the family's Catholic faith and take {child} to Mass; carers and child share a mixed White and Black Caribbean heritage. Arrangement suitable.", Some("Carers' home"), Src::Staff, &[C::AdoptionAndFostering, C::Ethnicity, C::ReligiousOrPhilosophicalBeliefs]),
    t(K::InformationReceived, "DBS checks", "Disclosure and Barring Service checks on both carers returned with nothing disclosed.", NOWHERE, Src::Org("dbs"), &[C::AdoptionAndFostering, C::CriminalOffence]),
    t(K::Note, "Visit to the arrangement", "Visited {child} at the carers' home; settled, attending school, speaks to mother by video call weekly.", Some("Carers' home"), Src::Staff, &[C::AdoptionAndFostering]),
    t(K::Meeting, "Arrangement review", "Review with carers and mother: arrangement continues until mother returns next month.", Some("Video call"), Src::Staff, &[C::AdoptionAndFostering, C::Family]),
];

pub const ADOPTION: &[Tpl] = &[
    t(K::Assessment, "Child permanence report", "Child permanence report drafted: {child}'s heritage is White British and Polish; the birth family are Catholic and ask that {child} learns about the faith.", OFFICE, Src::Staff, &[C::AdoptionAndFostering, C::Ethnicity, C::ReligiousOrPhilosophicalBeliefs]),
    t(K::InformationReceived, "DNA test result", "Court-directed DNA test result received: the named man is confirmed as {child}'s biological father.", NOWHERE, Src::Org("court-services"), &[C::AdoptionAndFostering, C::Family, C::GeneticOrBiometric]),
    t(K::Meeting, "Adoption panel", "Adoption panel recommended the match with adopters approved through Aspire Adoption.", OFFICE, Src::Staff, &[C::AdoptionAndFostering]),
    t(K::Plan, "Transition plan", "Introductions over two weeks with the foster carers' support; later-life letter to be written.", Some("Foster home"), Src::Staff, &[C::AdoptionAndFostering, C::AssessmentAndPlans]),
    t(K::InformationReceived, "Adoption support", "Aspire Adoption confirms post-adoption support has been offered to the family.", NOWHERE, Src::Org("aspire-adoption"), &[C::AdoptionAndFostering]),
];

pub const COMPLAINT: &[Tpl] = &[
    t(K::Contact, "Complaint received", "Parent complains that the assessment about {child} was inaccurate and that a worker remarked on their political views during a visit.", PHONE, Src::Family, &[C::AdviceAndGuidance, C::PoliticalOpinions]),
    t(K::Note, "Complaint acknowledged", "Stage 1 complaint logged and acknowledged within 3 working days; investigating manager appointed.", NOWHERE, Src::Staff, &[C::AdviceAndGuidance]),
    t(K::Meeting, "Resolution meeting", "Met the parent to talk through the concerns; agreed which parts of the assessment are disputed.", OFFICE, Src::Staff, &[C::AdviceAndGuidance, C::AssessmentAndPlans]),
    t(K::ProfessionalOpinion, "Investigating manager's findings", "Partly upheld: factual errors in the assessment will be corrected; no evidence found about the remarks alleged.", NOWHERE, Src::Staff, &[C::AdviceAndGuidance, C::AssessmentAndPlans]),
    t(K::Note, "Stage 1 response sent", "Response letter sent explaining the findings and how to ask for stage 2.", NOWHERE, Src::Staff, &[C::AdviceAndGuidance]),
];

pub const CARE_LEAVER: &[Tpl] = &[
    t(K::Meeting, "Pathway plan review", "Pathway plan reviewed with {child}: in supported lodgings, at college part-time, wants help to find a flat.", Some("Supported lodgings"), Src::Staff, &[C::AssessmentAndPlans, C::EducationAndEarlyYears]),
    t(K::Contact, "Call with personal adviser", "{child} phoned their personal adviser about a housing association application; adviser helped complete the form.", PHONE, Src::Family, &[C::AdviceAndGuidance]),
    t(K::InformationReceived, "Housing update", "Housing association confirms {child} is shortlisted for a one-bedroom flat.", NOWHERE, Src::Org("housing-associations"), &[C::AdviceAndGuidance]),
    t(K::Note, "Setting-up-home allowance", "Setting-up-home allowance agreed for furniture and white goods.", NOWHERE, Src::Staff, &[C::AdviceAndGuidance]),
    t(K::ProfessionalOpinion, "Personal adviser's view", "{child} is managing a tenancy budget well and is ready for less frequent contact.", NOWHERE, Src::Staff, &[C::AssessmentAndPlans]),
];

pub const CLOSING_NOTE: Tpl = t(
    K::Note,
    "Episode closed",
    "Closed: agreed outcomes met and the family know how to ask for help again.",
    NOWHERE,
    Src::Staff,
    &[C::AssessmentAndPlans],
);
