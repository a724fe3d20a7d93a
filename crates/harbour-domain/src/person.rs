//! People and the relationships between them.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{optional_line, required_line};
use crate::{DomainError, NhsNumber, PersonId, Postcode, RelationshipId, Upn, UserId};

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

    /// The gender in words, as a page shows it.
    pub fn label(self) -> &'static str {
        match self {
            Gender::Female => "Female",
            Gender::Male => "Male",
            Gender::NonBinary => "Non-binary",
            Gender::NotStated => "Not stated",
            Gender::Unknown => "Not known",
        }
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
    /// When the person died, once recorded (`POST /people/{id}/death`). A looked-after child
    /// who dies before 18 has their record kept 15 years from the death (CPPCR (England)
    /// Regulations 2010, reg 50; rules.md rule 31).
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub date_of_death: Option<Date>,
    /// Who checked the NHS number against the NHS's records, and when. CP-IS cannot flag a
    /// child without a verified number (rules.md rule 29). None when unchecked, and cleared
    /// whenever the number changes.
    #[serde(default)]
    pub nhs_number_verified: Option<NhsVerification>,
}

/// A practitioner's record that they checked a person's NHS number against the NHS's records
/// (Harbour has no link to the NHS spine, so the check is theirs; this says who made it and when).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NhsVerification {
    #[schema(value_type = String, format = Date)]
    pub verified_on: Date,
    pub verified_by: UserId,
}

/// A death to record.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDeath {
    #[schema(value_type = String, format = Date)]
    pub date_of_death: Date,
}

/// A person's NHS number as recorded or corrected, and whether the person recording it has
/// checked it against the NHS's records.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NhsNumberUpdate {
    /// The number (spaces allowed); null or blank removes it.
    #[schema(example = "943 476 5919")]
    pub nhs_number: Option<String>,
    /// The recorder checked the number against the NHS's records today.
    #[serde(default)]
    pub verified: bool,
}

impl Person {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }

    /// Checks a date of death: not in the future, not before the date of birth.
    pub fn check_death(&self, died: Date, today: Date) -> Result<(), DomainError> {
        if died > today {
            return Err(DomainError::DateInFuture { what: "death", date: died });
        }
        if let Some(dob) = self.date_of_birth.filter(|dob| died < *dob) {
            return Err(DomainError::DeathBeforeBirth { died, dob });
        }
        Ok(())
    }

    /// The NHS number and its verification after `update`, made by `by` on `today`. A number
    /// checked today is verified by them; a changed number that was not checked is unverified
    /// (the earlier check was of another number); the same number resubmitted unchecked keeps
    /// its earlier verification.
    pub fn nhs_number_after(
        &self,
        update: NhsNumberUpdate,
        by: UserId,
        today: Date,
    ) -> Result<(Option<NhsNumber>, Option<NhsVerification>), DomainError> {
        let number = update.nhs_number.filter(|n| !n.trim().is_empty()).map(|n| NhsNumber::parse(&n)).transpose()?;
        let verification = match (&number, update.verified) {
            (None, true) => return Err(DomainError::NoNhsNumberToVerify),
            (Some(_), true) => Some(NhsVerification { verified_on: today, verified_by: by }),
            (n, false) if *n == self.nhs_number => self.nhs_number_verified,
            _ => None,
        };
        Ok((number, verification))
    }

    /// Whether CP-IS can flag this person: a verified NHS number (rules.md rule 29).
    pub fn nhs_number_problem(&self) -> Option<NhsNumberProblem> {
        match (&self.nhs_number, self.nhs_number_verified) {
            (None, _) => Some(NhsNumberProblem::Missing),
            (Some(_), None) => Some(NhsNumberProblem::NotVerified),
            (Some(_), Some(_)) => None,
        }
    }
}

/// What stops CP-IS flagging a child.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NhsNumberProblem {
    /// No NHS number is recorded.
    Missing,
    /// A number is recorded but no one has checked it against the NHS's records.
    NotVerified,
}

/// What is needed to record a new person; `validate` turns it into a `Person`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPerson {
    #[schema(max_length = 100)]
    pub given_name: String,
    #[schema(max_length = 100)]
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
    #[schema(max_length = 50)]
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
                    .map(|l| optional_line("address line", Some(l), 200))
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
            given_name: required_line("given name", &self.given_name, 100)?,
            family_name: required_line("family name", &self.family_name, 100)?,
            date_of_birth: self.date_of_birth,
            gender: self.gender,
            address,
            nhs_number: nonblank(self.nhs_number).map(|n| NhsNumber::parse(&n)).transpose()?,
            upn: nonblank(self.upn).map(|n| Upn::parse(&n)).transpose()?,
            local_id: optional_line("local id", self.local_id.as_deref(), 50)?,
            care_experienced: self.care_experienced,
            disability: self.disability,
            date_of_death: None,
            nhs_number_verified: None,
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
    fn a_death_is_not_in_the_future_nor_before_birth() {
        let p = new_person().validate(date(2026, 1, 1)).unwrap();
        assert_eq!(p.check_death(date(2025, 6, 1), date(2026, 1, 1)), Ok(()));
        assert_eq!(p.check_death(date(2015, 3, 1), date(2026, 1, 1)), Ok(()), "on the day of birth");
        assert!(matches!(p.check_death(date(2026, 1, 2), date(2026, 1, 1)), Err(DomainError::DateInFuture { .. })));
        assert!(matches!(
            p.check_death(date(2015, 2, 28), date(2026, 1, 1)),
            Err(DomainError::DeathBeforeBirth { .. })
        ));
    }

    #[test]
    fn a_changed_nhs_number_loses_its_verification() {
        let today = date(2026, 6, 1);
        let (alice, bob) = (UserId::new(), UserId::new());
        let mut p = new_person().validate(date(2026, 1, 1)).unwrap();
        assert_eq!(p.nhs_number_problem(), Some(NhsNumberProblem::NotVerified));
        let update = |n: Option<&str>, verified| NhsNumberUpdate { nhs_number: n.map(String::from), verified };
        // Checked today: verified by whoever checked it.
        let (n, v) = p.nhs_number_after(update(Some("943 476 5919"), true), alice, today).unwrap();
        assert_eq!(v, Some(NhsVerification { verified_on: today, verified_by: alice }));
        (p.nhs_number, p.nhs_number_verified) = (n, v);
        assert_eq!(p.nhs_number_problem(), None);
        // The same number resubmitted unchecked keeps the check; another number loses it.
        let (_, kept) = p.nhs_number_after(update(Some("9434765919"), false), bob, today).unwrap();
        assert_eq!(kept, v);
        let (other, lost) = p.nhs_number_after(update(Some("401 023 2137"), false), bob, today).unwrap();
        assert_eq!((other.unwrap().digits(), lost), ("4010232137", None));
        // Removed: nothing to verify.
        assert_eq!(p.nhs_number_after(update(Some(" "), false), bob, today).unwrap(), (None, None));
        assert_eq!(p.nhs_number_after(update(None, true), bob, today), Err(DomainError::NoNhsNumberToVerify));
        assert!(p.nhs_number_after(update(Some("943 476 5918"), true), bob, today).is_err());
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
