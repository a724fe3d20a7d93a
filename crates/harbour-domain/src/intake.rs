//! Intake: police domestic abuse notifications to the hub (seed 000) and information requests
//! from partners (seed 001: "prevention, disruption and detection").

use jiff::civil::{Date, DateTime};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{optional_text, required_line, required_text};
use crate::{DecisionId, DomainError, EntryId, NewPerson, NotificationId, OrgId, PersonId, RequestId, UserId};

/// A child as the police named them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NamedChild {
    #[schema(max_length = 100)]
    pub given_name: String,
    #[schema(max_length = 100)]
    pub family_name: String,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub date_of_birth: Option<Date>,
    /// The school, if the police know it.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub school: Option<String>,
    /// Whether the child was present at the incident (Operation Encompass covers children
    /// of the household who were not there too).
    #[serde(default = "present")]
    pub present: bool,
    /// What the child said or how they seemed, where the officers recorded it ("the child's
    /// voice").
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub voice: Option<String>,
}

fn present() -> bool {
    true
}

/// A notification as the police submit it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewNotification {
    #[schema(max_length = 100)]
    pub police_reference: String,
    /// When the incident happened, UK local time.
    #[schema(value_type = String, example = "2026-11-22T23:40:00", pattern = "^[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?$")]
    pub incident_at: DateTime,
    /// What happened, as the police record it.
    #[schema(max_length = 4000)]
    pub account: String,
    /// Where it happened (the address or place the officers attended).
    #[serde(default)]
    #[schema(max_length = 300)]
    pub location: String,
    /// A short account for the school's designated safeguarding lead: what they need to
    /// support the child, and no more (no offences, arrests or health details).
    #[serde(default)]
    #[schema(max_length = 600)]
    pub summary_for_school: String,
    /// The children of the household.
    pub children: Vec<NamedChild>,
}

impl NewNotification {
    pub fn validate(self, now: DateTime) -> Result<Self, DomainError> {
        if self.incident_at > now {
            return Err(DomainError::DateInFuture { what: "incident", date: self.incident_at.date() });
        }
        if self.children.is_empty() {
            return Err(DomainError::Empty { field: "children present" });
        }
        if self.children.len() > 20 {
            return Err(DomainError::TooLong { field: "children present", max: 20 });
        }
        let children = self
            .children
            .into_iter()
            .map(|c| {
                if c.date_of_birth.is_some_and(|d| d > now.date()) {
                    return Err(DomainError::DateOfBirthInFuture { dob: c.date_of_birth.unwrap_or(now.date()) });
                }
                Ok(NamedChild {
                    given_name: required_line("child's given name", &c.given_name, 100)?,
                    family_name: required_line("child's family name", &c.family_name, 100)?,
                    date_of_birth: c.date_of_birth,
                    school: optional_text("school", c.school.as_deref(), 200)?,
                    present: c.present,
                    voice: optional_text("the child's voice", c.voice.as_deref(), 1000)?,
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(NewNotification {
            police_reference: required_line("police reference", &self.police_reference, 100)?,
            incident_at: self.incident_at,
            account: required_text("account of the incident", &self.account, 4000)?,
            location: required_text("where the incident happened", &self.location, 300)?,
            summary_for_school: required_text("summary for the school", &self.summary_for_school, 600)?,
            children,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotificationStatus {
    /// Waiting for the hub.
    Received,
    /// The hub has matched the children and opened their records.
    Triaged,
    /// Each child's school has been told.
    Shared,
}

impl NotificationStatus {
    pub fn code(self) -> &'static str {
        match self {
            NotificationStatus::Received => "received",
            NotificationStatus::Triaged => "triaged",
            NotificationStatus::Shared => "shared",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [NotificationStatus::Received, NotificationStatus::Triaged, NotificationStatus::Shared]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// One child in a notification and what the hub has done for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NotificationChild {
    pub named: NamedChild,
    pub person_id: Option<PersonId>,
    pub school_id: Option<OrgId>,
    /// The minimal notice for the school, as an entry on the child's record.
    pub entry_id: Option<EntryId>,
    pub decision_id: Option<DecisionId>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Notification {
    pub id: NotificationId,
    pub police_org: OrgId,
    pub submitted_by: UserId,
    #[schema(value_type = String)]
    pub received_at: jiff::Timestamp,
    /// The start of the next school day after receipt (UK local time).
    #[schema(value_type = String)]
    pub deadline: DateTime,
    pub police_reference: String,
    #[schema(value_type = String)]
    pub incident_at: DateTime,
    pub account: String,
    /// Where it happened; empty for notifications received before it was asked for.
    #[serde(default)]
    pub location: String,
    /// The short account for the school.
    #[serde(default)]
    pub summary_for_school: String,
    pub children: Vec<NotificationChild>,
    pub status: NotificationStatus,
    pub triaged_by: Option<UserId>,
    #[schema(value_type = Option<String>)]
    pub triaged_at: Option<jiff::Timestamp>,
    #[schema(value_type = Option<String>)]
    pub shared_at: Option<jiff::Timestamp>,
}

impl Notification {
    /// Whether the schools were (or will now be) told after the deadline.
    pub fn missed_deadline(&self, now: jiff::Timestamp) -> bool {
        let done = self.shared_at.unwrap_or(now);
        crate::uk_local(done) > self.deadline
    }
}

/// How the hub matches one child of a notification: an existing person or a new one, and
/// the child's school.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TriageChild {
    #[serde(default)]
    pub person_id: Option<PersonId>,
    #[serde(default)]
    pub new_person: Option<NewPerson>,
    pub school_id: OrgId,
}

/// The hub's triage of a notification, one line per child in the notification's order.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Triage {
    pub children: Vec<TriageChild>,
    /// The hub's own short account for the schools, in place of the police's (for example
    /// when the police's mentions an arrest or a health matter the school must not be told).
    #[serde(default)]
    #[schema(max_length = 600)]
    pub summary_for_school: Option<String>,
}

/// Who a partner's request is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestSubject {
    #[schema(max_length = 100)]
    pub given_name: String,
    #[schema(max_length = 100)]
    pub family_name: String,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub date_of_birth: Option<Date>,
}

/// A partner's request for information, under a notice's purpose and (when the family will
/// not be asked) one of its grounds for sharing without consent.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRequest {
    /// The notice (policy pack id) the request falls under.
    #[schema(max_length = 100)]
    pub notice: String,
    /// The notice's purpose id, e.g. "prevent-disrupt-detect".
    #[schema(max_length = 100)]
    pub purpose: String,
    /// The notice's ground for sharing without consent, e.g. "detect-prevent-crime".
    #[serde(default)]
    #[schema(max_length = 100)]
    pub ground: Option<String>,
    pub about: RequestSubject,
    /// What is asked for and why.
    #[schema(max_length = 4000)]
    pub detail: String,
}

impl NewRequest {
    pub fn validate(self, today: Date) -> Result<Self, DomainError> {
        if self.about.date_of_birth.is_some_and(|d| d > today) {
            return Err(DomainError::DateOfBirthInFuture { dob: self.about.date_of_birth.unwrap_or(today) });
        }
        Ok(NewRequest {
            notice: required_text("notice", &self.notice, 100)?,
            purpose: required_text("purpose", &self.purpose, 100)?,
            ground: optional_text("ground", self.ground.as_deref(), 100)?,
            about: RequestSubject {
                given_name: required_line("given name", &self.about.given_name, 100)?,
                family_name: required_line("family name", &self.about.family_name, 100)?,
                date_of_birth: self.about.date_of_birth,
            },
            detail: required_text("what is asked for", &self.detail, 4000)?,
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InformationRequest {
    pub id: RequestId,
    pub from_org: OrgId,
    pub requested_by: UserId,
    pub notice: String,
    pub purpose: String,
    pub ground: Option<String>,
    pub about: RequestSubject,
    pub detail: String,
    #[schema(value_type = String)]
    pub received_at: jiff::Timestamp,
    /// "open" or "answered".
    pub status: String,
}
