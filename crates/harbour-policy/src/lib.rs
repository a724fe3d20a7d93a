//! Harbour's authorization: a Cedar schema and policy set, validated together when the
//! authorizer is built, and decisions that say which policies determined them and why.
//!
//! Deny is the default. Callers describe who is asking ([`Principal`]), what they want to do
//! ([`Action`]) and to what ([`Resource`]); this crate builds the Cedar entities, asks Cedar,
//! and returns a [`Decision`] to record in the audit trail. It does no IO.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use cedar_policy::{
    Authorizer as CedarAuthorizer, Context, Decision as CedarDecision, Entities, Entity, EntityId, EntityTypeName,
    EntityUid, Policy, PolicyId, PolicySet, Request, RestrictedExpression, Schema, ValidationMode, Validator,
};
use harbour_domain::{OrgId, PersonId, Role, TeamId, UserId};

const SCHEMA: &str = include_str!("../policies/harbour.cedarschema");
const FOUNDATION: &str = include_str!("../policies/foundation.cedar");

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
}

/// Who is asking.
#[derive(Debug, Clone)]
pub struct Principal {
    pub id: UserId,
    pub role: Role,
    pub org: OrgId,
    pub teams: Vec<TeamId>,
    pub active: bool,
}

/// What they want to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    Write,
    CreatePerson,
    ManageUsers,
    ManageDirectory,
    ReadDirectory,
    ReadAudit,
    ReadPersonAudit,
}

impl Action {
    pub fn code(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Write => "write",
            Action::CreatePerson => "create_person",
            Action::ManageUsers => "manage_users",
            Action::ManageDirectory => "manage_directory",
            Action::ReadDirectory => "read_directory",
            Action::ReadAudit => "read_audit",
            Action::ReadPersonAudit => "read_person_audit",
        }
    }
}

/// What it is done to.
#[derive(Debug, Clone)]
pub enum Resource {
    /// A person's record, with the teams that have a legitimate relationship to it.
    Person { id: PersonId, teams: Vec<TeamId> },
    /// The system as a whole.
    System,
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
}

/// The compiled, validated policy set.
pub struct Authorizer {
    policies: PolicySet,
    schema: Schema,
    reasons: HashMap<String, String>,
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
    /// Builds the authorizer from the built-in foundation policies.
    pub fn foundation() -> Result<Self, PolicyError> {
        Self::from_sources(SCHEMA, &[FOUNDATION])
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
                reasons.insert(id.clone(), p.annotation("reason").unwrap_or(&id).to_string());
                let renamed: Policy = p.new_id(PolicyId::new(&id));
                policies.add(renamed).map_err(|e| PolicyError::Parse(e.to_string()))?;
            }
        }
        let result = Validator::new(schema.clone()).validate(&policies, ValidationMode::Strict);
        if !result.validation_passed() {
            let errors: Vec<String> = result.validation_errors().map(|e| e.to_string()).collect();
            return Err(PolicyError::Validation(errors.join("; ")));
        }
        Ok(Self { policies, schema, reasons, cedar: CedarAuthorizer::new() })
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
            ("teams".to_string(), team_set(&p.teams)),
            ("active".to_string(), RestrictedExpression::new_bool(p.active)),
        ]);
        let mut list = vec![
            Entity::new(user_uid.clone(), attrs, HashSet::new()).map_err(|e| e.to_string())?,
            Entity::new_no_attrs(org, HashSet::new()),
        ];
        let mut teams: HashSet<TeamId> = p.teams.iter().copied().collect();
        let resource_uid = match r {
            Resource::Person { id, teams: person_teams } => {
                let ruid = uid("Harbour::Person", id);
                let attrs = HashMap::from([("teams".to_string(), team_set(person_teams))]);
                list.push(Entity::new(ruid.clone(), attrs, HashSet::new()).map_err(|e| e.to_string())?);
                teams.extend(person_teams.iter().copied());
                ruid
            }
            Resource::System => {
                let ruid = uid("Harbour::System", "harbour");
                list.push(Entity::new_no_attrs(ruid.clone(), HashSet::new()));
                ruid
            }
        };
        list.extend(teams.into_iter().map(|t| Entity::new_no_attrs(uid("Harbour::Team", t), HashSet::new())));
        let entities = Entities::from_entities(list, Some(&self.schema)).map_err(|e| e.to_string())?;
        Ok((user_uid, resource_uid, entities))
    }

    /// Decides whether `principal` may do `action` to `resource`.
    pub fn decide(&self, principal: &Principal, action: Action, resource: &Resource) -> Decision {
        let refused = |explanation: String| Decision { allowed: false, policy_ids: Vec::new(), explanation };
        let (puid, ruid, entities) = match self.entities(principal, resource) {
            Ok(x) => x,
            Err(e) => {
                return refused(format!("refused: the request could not be described to the policy engine ({e})"))
            }
        };
        let action_uid = uid("Harbour::Action", action.code());
        let request = match Request::new(puid, action_uid, ruid, Context::empty(), Some(&self.schema)) {
            Ok(r) => r,
            Err(e) => return refused(format!("refused: {action:?} does not apply to this resource ({e})")),
        };
        let response = self.cedar.is_authorized(&request, &self.policies, &entities);
        let mut policy_ids: Vec<String> = response.diagnostics().reason().map(|id| id.to_string()).collect();
        policy_ids.sort();
        let reasons = || policy_ids.iter().map(|id| self.reason(id).unwrap_or(id)).collect::<Vec<_>>().join("; ");
        match response.decision() {
            CedarDecision::Allow => {
                Decision { allowed: true, explanation: format!("allowed: {}", reasons()), policy_ids }
            }
            CedarDecision::Deny if policy_ids.is_empty() => refused(format!(
                "refused: no rule lets a {} {} {}",
                principal.role.label().to_lowercase(),
                action.code().replace('_', " "),
                match resource {
                    Resource::Person { .. } =>
                        "this person's record (no allocated episode gives your team a legitimate relationship to it)",
                    Resource::System => "here",
                }
            )),
            CedarDecision::Deny => {
                Decision { allowed: false, explanation: format!("refused: {}", reasons()), policy_ids }
            }
        }
    }
}

#[cfg(test)]
mod tests;
