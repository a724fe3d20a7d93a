//! The policy pack format: one privacy notice as data. `docs/policy-packs.md` explains each
//! field; the same pack renders the public notice and compiles into Cedar policies.
//!
//! Fields that point at something else (another entry's id, a Harbour code) are `Spanned`, so
//! a bad reference is reported at its line and column.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use toml::Spanned;

/// The sections of a rendered notice, in order, with Harbour's default headings.
pub const SECTION_KEYS: &[(&str, &str)] = &[
    ("introduction", "About this notice"),
    ("controller", "Who we are"),
    ("purposes", "What we use your information for"),
    ("categories", "The information we hold"),
    ("lawful_bases", "Our lawful basis"),
    ("statutes", "The law we rely on"),
    ("recipients", "Who we may share your information with"),
    ("sharing", "Sharing without your consent"),
    ("telling_the_family", "Telling you when we share"),
    ("consent", "Consent"),
    ("retention", "How long we keep information"),
    ("rights", "Your rights"),
    ("caldicott", "Caldicott Guardian"),
];

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyPack {
    pub pack: PackMeta,
    /// What the notice governs. Its sharing clauses decide only for these records.
    #[serde(default)]
    pub scope: Scope,
    pub controller: Controller,
    /// The notice's own heading for a section, by section key (see `SECTION_KEYS`); a
    /// section without one gets Harbour's default heading.
    #[serde(default)]
    pub headings: BTreeMap<String, Spanned<String>>,
    /// Paragraphs shown under a section's heading before its list, by section key.
    #[serde(default)]
    pub leads: BTreeMap<String, Vec<String>>,
    /// The notice's opening paragraphs, as published.
    #[serde(default)]
    pub introduction: Vec<String>,
    pub purposes: Vec<Purpose>,
    pub categories: Vec<Category>,
    pub lawful_bases: Vec<LawfulBasis>,
    #[serde(default)]
    pub conditions: Vec<Condition>,
    #[serde(default)]
    pub statutes: Vec<Statute>,
    #[serde(default)]
    pub recipients: Vec<RecipientGroup>,
    #[serde(default)]
    pub sharing: Sharing,
    pub telling_the_family: TellingTheFamily,
    #[serde(default)]
    pub consent: ConsentRules,
    #[serde(default)]
    pub retention: Vec<Spanned<RetentionRule>>,
    #[serde(default)]
    pub rights: Vec<Right>,
    pub caldicott: Option<Caldicott>,
    #[serde(default)]
    pub guardian_approval: Vec<GuardianRule>,
    #[serde(default)]
    pub access: Vec<AccessRule>,
    /// Anything else the notice says, in its own words, under its own headings.
    #[serde(default)]
    pub sections: Vec<FreeSection>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PackMeta {
    /// Stable id, used in URLs (`/privacy/<id>`) and policy ids: a–z, 0–9 and '-'.
    pub id: Spanned<String>,
    pub title: String,
    /// Increases with every change; recorded with every decision the pack drives.
    pub version: u32,
    /// The date this version takes effect (YYYY-MM-DD).
    pub effective_from: Spanned<String>,
    /// Where the text comes from (e.g. the seed notice's file name and date).
    pub source: String,
    /// Short name used in decision explanations, e.g. "BCP Children's Services notice".
    pub short_name: String,
}

/// The processing a notice is about: case records (of some record classes, or all), or the
/// records of Domestic Homicide Reviews (Domestic Abuse Related Death Reviews). A notice's
/// sharing clauses apply only to its own records.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// `case_records` (the default) or `reviews`.
    #[serde(default = "case_records")]
    pub records: Spanned<String>,
    /// For case records: the Harbour record classes the notice covers; empty means every
    /// class. A person's record is held under the notice when they (or someone related to
    /// them) have an episode of one of these classes.
    #[serde(default)]
    pub record_classes: Vec<Spanned<String>>,
}

fn case_records() -> Spanned<String> {
    Spanned::new(0..0, "case_records".to_string())
}

impl Default for Scope {
    fn default() -> Self {
        Scope { records: case_records(), record_classes: Vec::new() }
    }
}

impl Scope {
    /// Whether the notice governs Domestic Homicide Review records rather than case records.
    pub fn reviews(&self) -> bool {
        self.records.get_ref() == "reviews"
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Controller {
    pub name: String,
    pub contact: String,
    #[serde(default)]
    pub data_protection_officer: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    pub id: Spanned<String>,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CategoryKind {
    Ordinary,
    /// UK GDPR Art 9(1): needs an Art 9(2) condition (and for 9(2)(g) a Schedule 1 one).
    Special,
    /// UK GDPR Art 10: needs a Schedule 1 condition or official authority.
    Criminal,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: Spanned<String>,
    pub text: String,
    pub kind: CategoryKind,
    /// The Harbour data-category codes this category covers (see `DataCategory`).
    #[serde(default)]
    pub harbour: Vec<Spanned<String>>,
    /// Ids of `conditions` that make processing this category lawful; required for special
    /// and criminal categories.
    #[serde(default)]
    pub conditions: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LawfulBasis {
    pub id: Spanned<String>,
    /// e.g. "6(1)(e)".
    pub article: String,
    pub text: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub id: Spanned<String>,
    /// The Art 9(2) (or Art 10) provision, e.g. "9(2)(g)".
    pub article: String,
    /// The DPA 2018 Schedule 1 paragraph, e.g. "Part 2 para 18", where one is needed.
    #[serde(default)]
    pub schedule1: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Statute {
    pub id: Spanned<String>,
    pub text: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RecipientGroup {
    pub id: Spanned<String>,
    /// The notice's heading for the group, e.g. "Health".
    pub heading: String,
    /// The kinds of organisation the entry covers (`OrgKind` codes, e.g. "police_force"):
    /// every organisation of these kinds may receive under it.
    #[serde(default)]
    pub kinds: Vec<Spanned<String>>,
    /// Organisations the entry names one by one, by directory slug
    /// (e.g. "dorset-county-council-social-care").
    #[serde(default)]
    pub organisations: Vec<Spanned<String>>,
    /// The services named under the heading; at least one.
    pub services: Vec<String>,
    /// controller, processor or controller_and_processor.
    #[serde(default = "controller")]
    pub role: Spanned<String>,
    /// Ids of `categories` this group may receive; empty means every non-special category.
    #[serde(default)]
    pub categories: Vec<Spanned<String>>,
    /// Ids of `lawful_bases` sharing with this group relies on; empty means any of the pack's.
    #[serde(default)]
    pub bases: Vec<Spanned<String>>,
    /// The services exactly as the notice prints them, where that differs from the list.
    #[serde(default)]
    pub published: Option<String>,
    /// A note the notice attaches to the group (e.g. about commissioned providers).
    #[serde(default)]
    pub note: Option<String>,
    /// How many days a recipient keeps access to what it receives; none means until the
    /// decision says otherwise.
    #[serde(default)]
    pub access_days: Option<u32>,
    /// Fixed minimum data sets: organisations of these kinds (or named) receive no more
    /// than the set, whatever the group may otherwise receive.
    #[serde(default)]
    pub data_sets: Vec<DataSet>,
}

/// What some of a recipient group's organisations may receive, at most (e.g. CP-IS: the
/// child, the plan and its dates; never a worker's analysis or an address).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DataSet {
    pub id: Spanned<String>,
    /// What the set is, in words, shown in the notice under the group.
    pub text: String,
    /// The organisations it applies to: kinds (a subset of the group's) and/or slugs.
    #[serde(default)]
    pub kinds: Vec<Spanned<String>>,
    #[serde(default)]
    pub organisations: Vec<Spanned<String>>,
    /// The person fields (`PersonField` codes) they may receive.
    #[serde(default)]
    pub person_fields: Vec<Spanned<String>>,
    /// The entry fields (`EntryField` codes) they may receive; empty means no entries.
    #[serde(default)]
    pub entry_fields: Vec<Spanned<String>>,
    /// Ids of `categories` they may receive (within the group's); empty means the group's.
    #[serde(default)]
    pub categories: Vec<Spanned<String>>,
    /// How the set was read from the notice and the law.
    #[serde(default)]
    pub reading: Option<String>,
}

fn controller() -> Spanned<String> {
    Spanned::new(0..0, "controller".to_string())
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Sharing {
    /// What the notice says about sharing, in its words.
    #[serde(default)]
    pub statements: Vec<String>,
    /// Grounds on which the notice says information is shared without consent.
    #[serde(default)]
    pub without_consent: Vec<Ground>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Ground {
    pub id: Spanned<String>,
    pub text: String,
    /// The legal provision behind it, e.g. "DPA 2018 Sch 2 para 2".
    #[serde(default)]
    pub reference: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TellingTheFamily {
    /// The promise, in the notice's words.
    pub statement: String,
    /// When the family is not told; each exemption is reviewed after `review_days`.
    pub exemptions: Vec<Exemption>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Exemption {
    pub id: Spanned<String>,
    pub text: String,
    pub review_days: u32,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentRules {
    #[serde(default)]
    pub statements: Vec<String>,
    /// Processing where consent is not the basis (e.g. s47 Children Act 1989 enquiries).
    #[serde(default)]
    pub not_needed_for: Vec<String>,
    /// What withdrawing consent does not stop.
    #[serde(default)]
    pub withdrawal_does_not_stop: Vec<String>,
    #[serde(default)]
    pub how_to_withdraw: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionRule {
    pub id: Spanned<String>,
    /// The records the row covers, in the notice's words.
    pub text: String,
    /// The period in the notice's words, e.g. "Date of case closure +35 years".
    pub period: String,
    /// date_of_birth, case_closure, leaving_school, creation or publication.
    pub trigger: Option<Spanned<String>>,
    pub years: Option<u32>,
    /// Kept permanently: the row has no period and its records are never disposed of.
    #[serde(default)]
    pub permanent: bool,
    /// Harbour record classes kept under this row.
    #[serde(default)]
    pub record_classes: Vec<Spanned<String>>,
    /// How an ambiguous row was read, and why.
    #[serde(default)]
    pub reading: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Right {
    pub id: Spanned<String>,
    pub text: String,
    #[serde(default)]
    pub how: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Caldicott {
    pub text: Vec<String>,
    pub guardian: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GuardianRule {
    pub id: Spanned<String>,
    pub text: String,
    /// Ids of `categories` whose disclosure needs the Guardian's approval.
    pub categories: Vec<Spanned<String>>,
    /// Only when shared without consent.
    #[serde(default)]
    pub without_consent: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AccessRule {
    pub id: Spanned<String>,
    /// The heading shown in explanations, e.g. "Who can see your records — your worker's team".
    pub clause: String,
    /// Harbour role codes.
    pub roles: Vec<Spanned<String>>,
    /// read, write or export.
    pub actions: Vec<Spanned<String>>,
    /// allocated (a team with a legitimate relationship), any, or panel (DHR panel members).
    pub scope: Spanned<String>,
    /// Only records of people with an episode (theirs or a relative's) of these Harbour
    /// record classes; empty means every record.
    #[serde(default)]
    pub record_classes: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FreeSection {
    pub heading: String,
    #[serde(default)]
    pub paragraphs: Vec<String>,
    #[serde(default)]
    pub items: Vec<String>,
}
