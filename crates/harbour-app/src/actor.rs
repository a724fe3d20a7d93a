//! Who is asking, and the secrets that prove it: Argon2 password hashes, random session ids and
//! bearer tokens (stored only as SHA-256 digests).

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use harbour_domain::{OrgKind, Role, User};
use harbour_policy::Principal;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::Now;

/// Who asks a use case, and when: the signed-in member of staff, and the moment their request
/// came in. The clock is read once, where the request or command arrives (see
/// [`Now::read`]); the use case and everything below it take the time from here, so one
/// operation sees one moment and a test can ask at any moment it likes.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: User,
    /// When the actor asks.
    pub now: Now,
    /// What the user's organisation is (police forces are `police_force`, schools `school`).
    pub org_kind: OrgKind,
    /// Why the user is doing this, when they said; recorded in the audit trail. Without it the
    /// role's usual purpose is recorded.
    pub purpose: Option<String>,
}

impl Actor {
    pub fn principal(&self) -> Principal {
        Principal {
            id: self.user.id,
            role: self.user.role,
            org: self.user.org_id,
            org_kind: self.org_kind,
            teams: self.user.team_id.into_iter().collect(),
            active: self.user.active,
        }
    }

    /// The purpose recorded for what the actor does.
    pub fn purpose(&self) -> String {
        self.purpose.clone().unwrap_or_else(|| usual_purpose(self.user.role).to_string())
    }
}

/// What a role normally uses records for; recorded when the user states no purpose.
pub fn usual_purpose(role: Role) -> &'static str {
    match role {
        Role::Practitioner | Role::TeamManager => "case work with the child and family",
        Role::Hub => "triage of a contact or referral",
        Role::Dpo => "information governance",
        Role::CaldicottGuardian => "Caldicott Guardian review",
        Role::RecordsManager => "records management",
        Role::PartnerPractitioner => "partnership working",
        Role::DhrPanel => "domestic homicide review",
        Role::Auditor => "audit",
        Role::Admin => "administration",
    }
}

/// An Argon2id hash (PHC string) of a password, with a random salt.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        // Argon2 with default parameters and a generated salt does not fail; if it ever did,
        // a hash nothing verifies against keeps the account closed.
        .unwrap_or_default()
}

pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok()).unwrap_or(false)
}

/// 256 random bits, URL-safe base64: session ids, bearer tokens, CSRF tokens.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A new API bearer token (shown once; only its digest is stored).
pub fn new_token() -> String {
    format!("hbr_{}", new_secret())
}

/// The SHA-256 digest (hex) under which a secret is stored.
pub fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// What the pages offer an actor: links and forms. Each flag is what the authorizer says for a
/// system-wide action where there is one; the rest follow the roles whose work it is. The
/// use case behind each link or form checks again, and records, when it is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Can {
    /// The Caldicott Guardian's queue.
    pub rule_on_sharing: bool,
    /// The retention review queue and destruction.
    pub manage_retention: bool,
    /// Families to tell about a disclosure.
    pub tell_families: bool,
    /// The domestic abuse notifications and their deadlines.
    pub read_notifications: bool,
    /// The list of NHS numbers CP-IS cannot use.
    pub correct_nhs_numbers: bool,
    /// Case work on a record: share from it, record or withdraw consent, tag its entries.
    pub work_cases: bool,
    /// Add a person (a child or someone in their life) to Harbour.
    pub create_people: bool,
    /// Who has looked at a record.
    pub read_access_log: bool,
    /// The register of requests under the rights, and subject access.
    pub manage_rights: bool,
    /// Staff accounts: list them and create one (the administrator's work).
    pub manage_users: bool,
    /// Approve or refuse an account waiting for a second person (the data protection officer's).
    pub approve_accounts: bool,
    /// The directory of organisations: add, change, delete.
    pub manage_organisations: bool,
    /// Information sharing agreements: record one.
    pub manage_agreements: bool,
    /// Send the hub a domestic abuse notification, and follow the ones the force has sent.
    pub submit_notifications: bool,
    /// Triage a domestic abuse notification and tell each child's school.
    pub triage_notifications: bool,
    /// Review every opening of a record in an emergency (the data protection officer's).
    pub review_emergency_access: bool,
    /// The openings in an emergency of the records one works on.
    pub see_emergency_access: bool,
    /// Finding people: for the roles some notice lets read case records (partners, auditors and
    /// administrators read none, so a search would only ever be empty for them).
    pub find_people: bool,
}

impl crate::App {
    pub fn can(&self, actor: &Actor) -> Can {
        can(&self.authz, actor)
    }
}

/// Whether the authorizer lets the actor take a system-wide action (see [`crate::App::may`]).
pub(crate) fn may(authz: &harbour_policy::Authorizer, actor: &Actor, action: harbour_policy::Action) -> bool {
    authz.decide(&actor.principal(), action, &harbour_policy::Resource::System).allowed
}

fn can(authz: &harbour_policy::Authorizer, actor: &Actor) -> Can {
    use harbour_policy::Action;
    let may = |action| may(authz, actor, action);
    let role = actor.user.role;
    let work_cases = matches!(role, Role::Practitioner | Role::TeamManager | Role::Hub);
    Can {
        rule_on_sharing: may(Action::RuleOnSharing),
        manage_retention: may(Action::ManageRetention),
        tell_families: work_cases || role == Role::Dpo,
        read_notifications: may(Action::ReadNotifications),
        correct_nhs_numbers: matches!(role, Role::Hub | Role::TeamManager),
        work_cases,
        create_people: may(Action::CreatePerson),
        // Who reads the audit trail reads a person's part of it (one policy grants both).
        read_access_log: may(Action::ReadAudit),
        manage_rights: may(Action::ManageRights),
        manage_users: may(Action::ManageUsers),
        approve_accounts: may(Action::ApproveAccounts),
        manage_organisations: may(Action::ManageDirectory),
        manage_agreements: may(Action::ManageAgreements),
        submit_notifications: may(Action::SubmitNotification),
        triage_notifications: may(Action::TriageNotification),
        review_emergency_access: may(Action::ReviewEmergencyAccess),
        see_emergency_access: work_cases || may(Action::ReviewEmergencyAccess),
        find_people: !matches!(role, Role::PartnerPractitioner | Role::Auditor | Role::Admin),
    }
}

#[cfg(test)]
mod tests {
    use harbour_domain::{OrgId, UserId};

    use super::*;

    #[test]
    fn the_menu_offers_each_role_its_own_work() {
        let authz = harbour_policy::Authorizer::built_in().unwrap();
        let roles_with = |flag: fn(&Can) -> bool| -> Vec<&str> {
            Role::ALL
                .iter()
                .filter(|role| {
                    let user = User {
                        id: UserId::new(),
                        username: "someone".into(),
                        display_name: "Someone".into(),
                        org_id: OrgId::new(),
                        team_id: None,
                        role: **role,
                        active: true,
                        awaiting_approval: false,
                    };
                    let kind = match **role {
                        Role::DhrPanel => OrgKind::CommunitySafetyPartnership,
                        // A police officer: the partner the notification form is for.
                        Role::PartnerPractitioner => OrgKind::PoliceForce,
                        _ => OrgKind::ChildrensSocialCare,
                    };
                    let actor = Actor { user, now: Now::read(), org_kind: kind, purpose: None };
                    flag(&can(&authz, &actor))
                })
                .map(|r| r.code())
                .collect()
        };
        assert_eq!(roles_with(|c| c.rule_on_sharing), ["caldicott_guardian"]);
        assert_eq!(roles_with(|c| c.manage_retention), ["records_manager"]);
        assert_eq!(roles_with(|c| c.manage_rights), ["dpo"]);
        assert_eq!(roles_with(|c| c.manage_users), ["admin"]);
        assert_eq!(roles_with(|c| c.approve_accounts), ["dpo"]);
        assert_eq!(roles_with(|c| c.manage_organisations), ["admin"]);
        assert_eq!(roles_with(|c| c.manage_agreements), ["dpo"]);
        let mut tell = roles_with(|c| c.tell_families);
        tell.sort_unstable();
        assert_eq!(tell, ["dpo", "hub", "practitioner", "team_manager"]);
        let mut notifications = roles_with(|c| c.read_notifications);
        notifications.sort_unstable();
        assert_eq!(notifications, ["dpo", "hub", "team_manager"]);
        let mut nhs = roles_with(|c| c.correct_nhs_numbers);
        nhs.sort_unstable();
        assert_eq!(nhs, ["hub", "team_manager"]);
        let mut cases = roles_with(|c| c.work_cases);
        cases.sort_unstable();
        assert_eq!(cases, ["hub", "practitioner", "team_manager"]);
        let mut create = roles_with(|c| c.create_people);
        create.sort_unstable();
        assert_eq!(create, ["hub", "practitioner", "team_manager"]);
        let mut log = roles_with(|c| c.read_access_log);
        log.sort_unstable();
        assert_eq!(log, ["auditor", "dpo"]);
        assert_eq!(roles_with(|c| c.submit_notifications), ["partner_practitioner"]);
        assert_eq!(roles_with(|c| c.triage_notifications), ["hub"]);
        // A partner practitioner who is not a police officer (a school's) sends none.
        let teacher = User {
            id: UserId::new(),
            username: "teacher".into(),
            display_name: "Teacher".into(),
            org_id: OrgId::new(),
            team_id: None,
            role: Role::PartnerPractitioner,
            active: true,
            awaiting_approval: false,
        };
        let teacher = Actor { user: teacher, now: Now::read(), org_kind: OrgKind::School, purpose: None };
        assert!(!can(&authz, &teacher).submit_notifications);
    }
}
