//! People and the relationships between them.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{optional_text, required_text};
use crate::{DomainError, NhsNumber, PersonId, Postcode, RelationshipId, Upn};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Female,
    Male,
    NonBinary,
    NotStated,
    Unknown,
}

impl Gender {
    pub const ALL: [Gender; 5] = [Gender::Female, Gender::Male, Gender::NonBinary, Gender::NotStated, Gender::Unknown];

    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Female => "female",
            Gender::Male => "male",
            Gender::NonBinary => "non_binary",
            Gender::NotStated => "not_stated",
            Gender::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Address {
    pub lines: Vec<String>,
    #[schema(value_type = Option<String>, example = "BH15 1AA")]
    pub postcode: Option<Postcode>,
}

/// A child, a family member or anyone else Harbour holds a record about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Person {
    pub id: PersonId,
    pub given_name: String,
    pub family_name: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub date_of_birth: Option<Date>,
    pub gender: Gender,
    pub address: Option<Address>,
    #[schema(value_type = Option<String>, example = "943 476 5919")]
    pub nhs_number: Option<NhsNumber>,
    #[schema(value_type = Option<String>)]
    pub upn: Option<Upn>,
    pub local_id: Option<String>,
    /// Care-experienced young people are served to their 25th birthday.
    pub care_experienced: bool,
    /// Disabled young people are served to their 25th birthday.
    pub disability: bool,
}

impl Person {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

/// What is needed to record a new person; `validate` turns it into a `Person`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPerson {
    pub given_name: String,
    pub family_name: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub date_of_birth: Option<Date>,
    pub gender: Gender,
    #[serde(default)]
    pub address: Option<NewAddress>,
    #[serde(default)]
    pub nhs_number: Option<String>,
    #[serde(default)]
    pub upn: Option<String>,
    #[serde(default)]
    pub local_id: Option<String>,
    #[serde(default)]
    pub care_experienced: bool,
    #[serde(default)]
    pub disability: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAddress {
    #[serde(default)]
    pub lines: Vec<String>,
    #[serde(default)]
    pub postcode: Option<String>,
}

impl NewPerson {
    /// Checks every field against the domain's rules, as of `today`.
    pub fn validate(self, today: Date) -> Result<Person, DomainError> {
        if let Some(dob) = self.date_of_birth {
            if dob > today {
                return Err(DomainError::DateOfBirthInFuture { dob });
            }
        }
        let nonblank = |o: Option<String>| o.filter(|s| !s.trim().is_empty());
        let address = match self.address {
            None => None,
            Some(a) => {
                let lines = a
                    .lines
                    .iter()
                    .map(|l| optional_text("address line", Some(l), 200))
                    .collect::<Result<Vec<_>, _>>()?
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>();
                let postcode = nonblank(a.postcode).map(|p| Postcode::parse(&p)).transpose()?;
                (!lines.is_empty() || postcode.is_some()).then_some(Address { lines, postcode })
            }
        };
        Ok(Person {
            id: PersonId::new(),
            given_name: required_text("given name", &self.given_name, 100)?,
            family_name: required_text("family name", &self.family_name, 100)?,
            date_of_birth: self.date_of_birth,
            gender: self.gender,
            address,
            nhs_number: nonblank(self.nhs_number).map(|n| NhsNumber::parse(&n)).transpose()?,
            upn: nonblank(self.upn).map(|n| Upn::parse(&n)).transpose()?,
            local_id: optional_text("local id", self.local_id.as_deref(), 50)?,
            care_experienced: self.care_experienced,
            disability: self.disability,
        })
    }
}

/// How one person stands to another. Directional: `from` is the parent, the household
/// member, or the perpetrator; `to` is the child or the victim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum RelationshipKind {
    /// A parent or carer of the child, with or without parental responsibility.
    ParentCarer {
        parental_responsibility: bool,
    },
    Sibling,
    HouseholdMember,
    /// `from` has harmed or is alleged to have harmed `to`.
    PerpetratorOf,
}

impl RelationshipKind {
    pub fn label(self) -> &'static str {
        match self {
            RelationshipKind::ParentCarer { parental_responsibility: true } => {
                "parent/carer (with parental responsibility)"
            }
            RelationshipKind::ParentCarer { parental_responsibility: false } => {
                "parent/carer (without parental responsibility)"
            }
            RelationshipKind::Sibling => "sibling",
            RelationshipKind::HouseholdMember => "household member",
            RelationshipKind::PerpetratorOf => "perpetrator (of victim)",
        }
    }

    /// The stored code of the kind.
    pub fn code(self) -> &'static str {
        match self {
            RelationshipKind::ParentCarer { parental_responsibility: true } => "parent_carer_pr",
            RelationshipKind::ParentCarer { parental_responsibility: false } => "parent_carer",
            RelationshipKind::Sibling => "sibling",
            RelationshipKind::HouseholdMember => "household_member",
            RelationshipKind::PerpetratorOf => "perpetrator_of",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "parent_carer_pr" => RelationshipKind::ParentCarer { parental_responsibility: true },
            "parent_carer" => RelationshipKind::ParentCarer { parental_responsibility: false },
            "sibling" => RelationshipKind::Sibling,
            "household_member" => RelationshipKind::HouseholdMember,
            "perpetrator_of" => RelationshipKind::PerpetratorOf,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Relationship {
    pub id: RelationshipId,
    pub from: PersonId,
    pub to: PersonId,
    #[serde(flatten)]
    pub kind: RelationshipKind,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRelationship {
    pub to: PersonId,
    pub relationship: RelationshipKind,
}

impl Relationship {
    pub fn new(from: PersonId, to: PersonId, kind: RelationshipKind) -> Result<Self, DomainError> {
        if from == to {
            return Err(DomainError::SelfRelationship);
        }
        Ok(Self { id: RelationshipId::new(), from, to, kind })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn new_person() -> NewPerson {
        NewPerson {
            given_name: " Ava ".into(),
            family_name: "Example".into(),
            date_of_birth: Some(date(2015, 3, 1)),
            gender: Gender::Female,
            address: Some(NewAddress { lines: vec!["1 Test Street".into()], postcode: Some("bh151aa".into()) }),
            nhs_number: Some("9434765919".into()),
            upn: None,
            local_id: None,
            care_experienced: false,
            disability: false,
        }
    }

    #[test]
    fn a_valid_person_is_normalised() {
        let p = new_person().validate(date(2026, 1, 1)).unwrap();
        assert_eq!(p.given_name, "Ava");
        assert_eq!(p.address.unwrap().postcode.unwrap().as_str(), "BH15 1AA");
    }

    #[test]
    fn a_date_of_birth_in_the_future_is_refused() {
        let mut np = new_person();
        np.date_of_birth = Some(date(2027, 1, 1));
        assert!(matches!(np.validate(date(2026, 1, 1)), Err(DomainError::DateOfBirthInFuture { .. })));
    }

    #[test]
    fn an_invalid_nhs_number_is_refused() {
        let mut np = new_person();
        np.nhs_number = Some("943 476 5918".into());
        assert!(matches!(np.validate(date(2026, 1, 1)), Err(DomainError::InvalidNhsNumber { .. })));
    }

    #[test]
    fn relationship_codes_round_trip() {
        for k in [
            RelationshipKind::ParentCarer { parental_responsibility: true },
            RelationshipKind::ParentCarer { parental_responsibility: false },
            RelationshipKind::Sibling,
            RelationshipKind::HouseholdMember,
            RelationshipKind::PerpetratorOf,
        ] {
            assert_eq!(RelationshipKind::from_code(k.code()), Some(k));
        }
        let id = PersonId::new();
        assert!(Relationship::new(id, id, RelationshipKind::Sibling).is_err());
    }
}
