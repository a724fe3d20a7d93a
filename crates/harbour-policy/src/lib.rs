//! Harbour's authorization: the privacy notices as policy packs ([`pack`]), compiled with the
//! base rules into one Cedar policy set that is validated against the schema when the
//! authorizer is built, and decisions that say which notice clause allowed them and why.
//!
//! Deny is the default. Callers describe who is asking ([`Principal`]), what they want to do
//! ([`Action`]) and to what ([`Resource`]); this crate builds the Cedar entities, asks Cedar,
//! and returns a [`Decision`] to record in the audit trail. It does no IO.

pub mod pack;

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use cedar_policy::{
    Authorizer as CedarAuthorizer, Context, Decision as CedarDecision, Entities, Entity, EntityId, EntityTypeName,
    EntityUid, Policy, PolicyId, PolicySet, Request, RestrictedExpression, Schema, ValidationMode, Validator,
};
use harbour_domain::{DataCategory, OrgId, OrgKind, PersonId, RecordClass, Role, TeamId, UserId};

const SCHEMA: &str = include_str!("../policies/harbour.cedarschema");
const BASE: &str = include_str!("../policies/base.cedar");

/// The policy packs shipped with Harbour: (file name, TOML source).
pub const BUILT_IN_PACKS: &[(&str, &str)] = &[
    ("bcp-childrens-services.toml", include_str!("../../../packs/bcp-childrens-services.toml")),
    ("domestic-abuse-sharing.toml", include_str!("../../../packs/domestic-abuse-sharing.toml")),
    ("cse-sharing.toml", include_str!("../../../packs/cse-sharing.toml")),
    ("dorset-csp-dhr.toml", include_str!("../../../packs/dorset-csp-dhr.toml")),
    ("childrens-support-safeguarding.toml", include_str!("../../../packs/childrens-support-safeguarding.toml")),
];

/// Parses and checks the built-in packs.
pub fn built_in_packs() -> Result<Vec<pack::PolicyPack>, pack::PackErrors> {
    BUILT_IN_PACKS.iter().map(|(file, src)| pack::load(file, src)).collect()
}

#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("the Cedar schema does not parse: {0}")]
    Schema(String),
    #[error("the Cedar policies do not parse: {0}")]
    Parse(String),
    #[error("policy is missing its @id annotation: {0}")]
    MissingId(String),
    #[error("the Cedar policies do not validate against the schema: {0}")]
    Validation(String),
    #[error("a built-in policy pack is invalid:\n{0}")]
    Pack(#[from] pack::PackErrors),
}

/// Who is asking.
#[derive(Debug, Clone)]
pub struct Principal {
    pub id: UserId,
    pub role: Role,
    pub org: OrgId,
    pub org_kind: OrgKind,
    pub teams: Vec<TeamId>,
    pub active: bool,
}

/// What they want to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Read,
    Write,
    CreatePerson,
    ManageUsers,
    ManageDirectory,
    ManageAgreements,
    ReadDirectory,
    ReadAudit,
    ReadPersonAudit,
    /// Open a person's record in an emergency, without a legitimate relationship to it.
    OpenInEmergency,
    /// Review the openings of records in an emergency.
    ReviewEmergencyAccess,
    /// Share a person's information, under the notice `notice` (a pack id), with the
    /// organisation whose directory slug is `recipient` and whose kind is `kind`, under the
    /// Art 6 basis `basis` (e.g. "6(1)(e)").
    Disclose {
        notice: String,
        recipient: String,
        kind: OrgKind,
        categories: Vec<DataCategory>,
        basis: String,
    },
    ReadDisclosure,
    RuleOnSharing,
    SubmitNotification,
    TriageNotification,
    ReadNotifications,
    SubmitRequest,
    ReadRequests,
    /// Run the retention schedule: holds, the review queue, approving destruction.
    ManageRetention,
    /// Approve (or refuse) an account that can read records, created by an administrator.
    ApproveAccounts,
    /// Keep the register of requests under the rights (subject access and the others).
    ManageRights,
    /// Take data out for statistics or analysis.
    Export {
        anonymised: bool,
    },
}

impl Action {
    pub fn code(&self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Write => "write",
            Action::CreatePerson => "create_person",
            Action::ManageUsers => "manage_users",
            Action::ManageDirectory => "manage_directory",
            Action::ManageAgreements => "manage_agreements",
            Action::ReadDirectory => "read_directory",
            Action::ReadAudit => "read_audit",
            Action::ReadPersonAudit => "read_person_audit",
            Action::OpenInEmergency => "open_in_emergency",
            Action::ReviewEmergencyAccess => "review_emergency_access",
            Action::Disclose { .. } => "disclose",
            Action::ReadDisclosure => "read_disclosure",
            Action::RuleOnSharing => "rule_on_sharing",
            Action::SubmitNotification => "submit_notification",
            Action::TriageNotification => "triage_notification",
            Action::ReadNotifications => "read_notifications",
            Action::SubmitRequest => "submit_request",
            Action::ReadRequests => "read_requests",
            Action::ManageRetention => "manage_retention",
            Action::ApproveAccounts => "approve_accounts",
            Action::ManageRights => "manage_rights",
            Action::Export { .. } => "export",
        }
    }

    fn context(&self) -> Result<Context, String> {
        let pairs: Vec<(String, RestrictedExpression)> = match self {
            Action::Disclose { notice, recipient, kind, categories, basis } => vec![
                ("notice".into(), RestrictedExpression::new_string(notice.clone())),
                ("recipient".into(), RestrictedExpression::new_string(recipient.clone())),
                ("recipient_kind".into(), RestrictedExpression::new_string(kind.code().into())),
                (
                    "categories".into(),
                    RestrictedExpression::new_set(
                        categories.iter().map(|c| RestrictedExpression::new_string(c.code().into())),
                    ),
                ),
                ("basis".into(), RestrictedExpression::new_string(basis.clone())),
            ],
            Action::Export { anonymised } => {
                vec![("anonymised".into(), RestrictedExpression::new_bool(*anonymised))]
            }
            _ => return Ok(Context::empty()),
        };
        Context::from_pairs(pairs).map_err(|e| e.to_string())
    }
}

/// What it is done to.
#[derive(Debug, Clone)]
pub enum Resource {
    /// A person's record, with the teams that have a legitimate relationship to it and the
    /// record classes of the episodes that give them one; `restricted` while the person's
    /// request to restrict its processing (UK GDPR Art 18) stands; `emergency` holds the
    /// staff whose opening of it in an emergency still lasts.
    Person { id: PersonId, teams: Vec<TeamId>, classes: Vec<RecordClass>, restricted: bool, emergency: Vec<UserId> },
    /// The system as a whole.
    System,
    /// What was disclosed to `recipient`; `active` until it expires.
    Disclosure { id: harbour_domain::DisclosureId, recipient: OrgId, active: bool },
}

/// The outcome of one authorization request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    /// The policies that determined the decision (permits when allowed, forbids when a
    /// forbid refused it; empty when nothing permitted it).
    pub policy_ids: Vec<String>,
    /// A sentence for the user: which rule allowed or refused, or that no rule permits it.
    pub explanation: String,
    /// The policy packs (id@version) whose clauses determined the decision.
    pub pack_versions: Vec<String>,
}

/// The compiled, validated policy set.
pub struct Authorizer {
    policies: PolicySet,
    schema: Schema,
    reasons: HashMap<String, String>,
    /// For policies compiled from a pack: the pack and version.
    packs: HashMap<String, String>,
    cedar: CedarAuthorizer,
}

fn type_name(name: &str) -> EntityTypeName {
    EntityTypeName::from_str(name).expect("entity type names in this file are valid")
}

fn uid(kind: &str, id: impl ToString) -> EntityUid {
    EntityUid::from_type_name_and_id(type_name(kind), EntityId::new(id.to_string()))
}

fn team_set(teams: &[TeamId]) -> RestrictedExpression {
    RestrictedExpression::new_set(teams.iter().map(|t| RestrictedExpression::new_entity_uid(uid("Harbour::Team", t))))
}

impl Authorizer {
    /// The base rules and every built-in policy pack.
    pub fn built_in() -> Result<Self, PolicyError> {
        Self::from_packs(&built_in_packs()?)
    }

    /// The base rules and the given packs' clauses.
    pub fn from_packs(packs: &[pack::PolicyPack]) -> Result<Self, PolicyError> {
        let compiled: Vec<pack::CompiledPack> = packs.iter().map(pack::compile).collect();
        let mut sources: Vec<&str> = vec![BASE];
        sources.extend(compiled.iter().map(|c| c.policies.as_str()));
        let mut authz = Self::from_sources(SCHEMA, &sources)?;
        for c in &compiled {
            for (id, clause) in &c.clauses {
                authz.packs.insert(id.clone(), format!("{}@{}", clause.pack_id, clause.version));
            }
        }
        Ok(authz)
    }

    /// Builds an authorizer from a schema and policy sources; every policy needs an `@id`.
    /// Fails unless every policy validates against the schema in strict mode.
    pub fn from_sources(schema_src: &str, policy_srcs: &[&str]) -> Result<Self, PolicyError> {
        let (schema, _warnings) =
            Schema::from_cedarschema_str(schema_src).map_err(|e| PolicyError::Schema(e.to_string()))?;
        let mut policies = PolicySet::new();
        let mut reasons = HashMap::new();
        for src in policy_srcs {
            let parsed = PolicySet::from_str(src).map_err(|e| PolicyError::Parse(e.to_string()))?;
            for p in parsed.policies() {
                let id = p.annotation("id").ok_or_else(|| PolicyError::MissingId(p.to_string()))?.to_string();
                let reason = p.annotation("clause").or(p.annotation("reason")).unwrap_or(&id).to_string();
                reasons.insert(id.clone(), reason);
                let renamed: Policy = p.new_id(PolicyId::new(&id));
                policies.add(renamed).map_err(|e| PolicyError::Parse(e.to_string()))?;
            }
        }
        let result = Validator::new(schema.clone()).validate(&policies, ValidationMode::Strict);
        if !result.validation_passed() {
            let errors: Vec<String> = result.validation_errors().map(|e| e.to_string()).collect();
            return Err(PolicyError::Validation(errors.join("; ")));
        }
        Ok(Self { policies, schema, reasons, packs: HashMap::new(), cedar: CedarAuthorizer::new() })
    }

    /// The ids of every loaded policy.
    pub fn policy_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.reasons.keys().cloned().collect();
        ids.sort();
        ids
    }

    /// The human reason attached to a policy.
    pub fn reason(&self, policy_id: &str) -> Option<&str> {
        self.reasons.get(policy_id).map(String::as_str)
    }

    fn entities(&self, p: &Principal, r: &Resource) -> Result<(EntityUid, EntityUid, Entities), String> {
        let org = uid("Harbour::Organisation", p.org);
        let user_uid = uid("Harbour::User", p.id);
        let attrs = HashMap::from([
            ("role".to_string(), RestrictedExpression::new_string(p.role.code().to_string())),
            ("org".to_string(), RestrictedExpression::new_entity_uid(org.clone())),
            ("org_kind".to_string(), RestrictedExpression::new_string(p.org_kind.code().to_string())),
            ("teams".to_string(), team_set(&p.teams)),
            ("active".to_string(), RestrictedExpression::new_bool(p.active)),
        ]);
        let mut list = vec![
            Entity::new(user_uid.clone(), attrs, HashSet::new()).map_err(|e| e.to_string())?,
            Entity::new_no_attrs(org.clone(), HashSet::new()),
        ];
        let mut teams: HashSet<TeamId> = p.teams.iter().copied().collect();
        let resource_uid = match r {
            Resource::Person { id, teams: person_teams, classes, restricted, emergency } => {
                let ruid = uid("Harbour::Person", id);
                // Review panels come with the Domestic Homicide Review workspace; until then a
                // record belongs to no panel.
                let attrs = HashMap::from([
                    ("teams".to_string(), team_set(person_teams)),
                    (
                        "classes".to_string(),
                        RestrictedExpression::new_set(
                            classes.iter().map(|c| RestrictedExpression::new_string(c.code().to_string())),
                        ),
                    ),
                    ("panels".to_string(), team_set(&[])),
                    ("restricted".to_string(), RestrictedExpression::new_bool(*restricted)),
                    (
                        "emergency".to_string(),
                        RestrictedExpression::new_set(
                            emergency.iter().map(|u| RestrictedExpression::new_entity_uid(uid("Harbour::User", u))),
                        ),
                    ),
                ]);
                list.push(Entity::new(ruid.clone(), attrs, HashSet::new()).map_err(|e| e.to_string())?);
                teams.extend(person_teams.iter().copied());
                ruid
            }
            Resource::System => {
                let ruid = uid("Harbour::System", "harbour");
                list.push(Entity::new_no_attrs(ruid.clone(), HashSet::new()));
                ruid
            }
            Resource::Disclosure { id, recipient, active } => {
                let ruid = uid("Harbour::Disclosure", id);
                let recipient = uid("Harbour::Organisation", recipient);
                let attrs = HashMap::from([
                    ("recipient".to_string(), RestrictedExpression::new_entity_uid(recipient.clone())),
                    ("active".to_string(), RestrictedExpression::new_bool(*active)),
                ]);
                list.push(Entity::new(ruid.clone(), attrs, HashSet::new()).map_err(|e| e.to_string())?);
                if recipient != org {
                    list.push(Entity::new_no_attrs(recipient, HashSet::new()));
                }
                ruid
            }
        };
        list.extend(teams.into_iter().map(|t| Entity::new_no_attrs(uid("Harbour::Team", t), HashSet::new())));
        let entities = Entities::from_entities(list, Some(&self.schema)).map_err(|e| e.to_string())?;
        Ok((user_uid, resource_uid, entities))
    }

    /// Decides whether `principal` may do `action` to `resource`.
    pub fn decide(&self, principal: &Principal, action: Action, resource: &Resource) -> Decision {
        let refused = |explanation: String| Decision {
            allowed: false,
            policy_ids: Vec::new(),
            explanation,
            pack_versions: Vec::new(),
        };
        let (puid, ruid, entities) = match self.entities(principal, resource) {
            Ok(x) => x,
            Err(e) => {
                return refused(format!("refused: the request could not be described to the policy engine ({e})"))
            }
        };
        let context = match action.context() {
            Ok(c) => c,
            Err(e) => return refused(format!("refused: the request's details are not valid ({e})")),
        };
        let action_uid = uid("Harbour::Action", action.code());
        let request = match Request::new(puid, action_uid, ruid, context, Some(&self.schema)) {
            Ok(r) => r,
            Err(e) => return refused(format!("refused: {} does not apply to this resource ({e})", action.code())),
        };
        let response = self.cedar.is_authorized(&request, &self.policies, &entities);
        let mut policy_ids: Vec<String> = response.diagnostics().reason().map(|id| id.to_string()).collect();
        policy_ids.sort();
        let reasons = policy_ids.iter().map(|id| self.reason(id).unwrap_or(id)).collect::<Vec<_>>().join("; ");
        let mut pack_versions: Vec<String> = policy_ids.iter().filter_map(|id| self.packs.get(id).cloned()).collect();
        pack_versions.sort();
        pack_versions.dedup();
        match response.decision() {
            CedarDecision::Allow => {
                Decision { allowed: true, explanation: format!("allowed: {reasons}"), policy_ids, pack_versions }
            }
            CedarDecision::Deny if policy_ids.is_empty() => refused(missing_rule(principal, &action, resource)),
            CedarDecision::Deny => {
                Decision { allowed: false, explanation: format!("refused: {reasons}"), policy_ids, pack_versions }
            }
        }
    }
}

/// Says which rule was missing when nothing permitted a request.
fn missing_rule(principal: &Principal, action: &Action, resource: &Resource) -> String {
    let role = principal.role.label().to_lowercase();
    // "an auditor", "a practitioner".
    let who = if role.starts_with(['a', 'e', 'i', 'o', 'u']) { format!("an {role}") } else { format!("a {role}") };
    match (action, resource) {
        (Action::Disclose { notice, recipient, kind, categories, basis }, _) => {
            let cats: Vec<&str> = categories.iter().map(|c| c.code()).collect();
            format!(
                "refused: no clause of the {notice} notice lists {recipient} ({}) as a recipient of [{}] under Art {basis} for this record",
                kind.label(),
                cats.join(", ")
            )
        }
        (Action::Export { anonymised: false }, _) => {
            "refused: no notice allows exporting identifiable data; statistics and analysis use anonymised data".into()
        }
        (Action::ReadDisclosure, Resource::Disclosure { active: false, .. }) => {
            "refused: this disclosure has expired; the recipient no longer has access".into()
        }
        (Action::ReadDisclosure, _) => "refused: this was not disclosed to your organisation".into(),
        (Action::Read | Action::Write, Resource::Person { .. }) => format!(
            "refused: no notice clause lets {who} {} this person's record (no allocated episode gives your team a legitimate relationship to it)",
            action.code()
        ),
        (Action::OpenInEmergency, _) => {
            format!("refused: no notice clause lets {who} open a record in an emergency")
        }
        _ => format!("refused: no rule lets {who} {} here", action.code().replace('_', " ")),
    }
}

#[cfg(test)]
mod tests;
