//! Newtype identifiers, so a person id can never be passed where an episode id is wanted.

use std::fmt;
use std::str::FromStr;

macro_rules! id_type {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
                 serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(transparent)]
        #[schema(value_type = String, format = Uuid)]
        pub struct $name(pub uuid::Uuid);

        impl $name {
            pub fn new() -> Self {
                Self(uuid::Uuid::new_v4())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                uuid::Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(/// A person: child, family member or other individual.
    PersonId);
id_type!(/// A relationship between two people.
    RelationshipId);
id_type!(/// An episode of work with a person under one record class.
    EpisodeId);
id_type!(/// A dated entry in an episode.
    EntryId);
id_type!(/// A partner organisation (or the council itself).
    OrgId);
id_type!(/// A team inside an organisation; episodes are allocated to teams.
    TeamId);
id_type!(/// A staff account.
    UserId);
id_type!(/// A recorded decision to share (or a proposal awaiting the Caldicott Guardian).
    DecisionId);
id_type!(/// What one organisation received under a sharing decision.
    DisclosureId);
id_type!(/// An information request from a partner organisation.
    RequestId);
id_type!(/// A police domestic abuse notification.
    NotificationId);
id_type!(/// A legal hold on records (a class, a person or an episode).
    HoldId);
id_type!(/// A destruction certificate: one approved disposal of a person's file.
    CertificateId);
id_type!(/// Consent a person (or a parent for them) gave to one service.
    ConsentId);
id_type!(/// A request under one of the rights (subject access, rectification, restriction, objection).
    RightsRequestId);
id_type!(/// One opening of a record in an emergency by someone not working with the family.
    EmergencyAccessId);
