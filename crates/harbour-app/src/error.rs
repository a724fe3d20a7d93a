//! What a use case can answer instead of doing what was asked. The web crate maps each to an
//! RFC 9457 problem, in one place; the command line prints it.

use harbour_domain::DomainError;
use harbour_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request is malformed in a way the caller must fix (a date that is not a date).
    #[error("{0}")]
    BadRequest(String),
    /// The authorizer (or a rule about who may do what) refused.
    #[error("{explanation}")]
    Forbidden { explanation: String, policy_ids: Vec<String> },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Invalid(#[from] DomainError),
    /// A well-formed request that a rule refuses (the message says which), beyond what the
    /// domain types check.
    #[error("{0}")]
    Unprocessable(String),
    /// The request names something (a person, team, organisation) that does not exist.
    #[error("{0}")]
    UnknownReference(String),
    /// A sharing decision the notice or agreement does not allow; the message names the clause.
    #[error("{0}")]
    SharingRefused(String),
    /// A sharing decision refused by a clause of a notice (or by Harbour's own rules for
    /// sharing), with the clause's id for the ledger and the recipient it concerned.
    #[error("{detail}")]
    NoticeRefused { detail: String, clause: String, recipient: Option<harbour_domain::OrgId> },
    /// Something that existed and no longer may be seen (an expired disclosure).
    #[error("{0}")]
    Gone(String),
    /// A retention class that does not exist or does not fit the record.
    #[error(transparent)]
    Retention(#[from] harbour_retention::RetentionError),
    /// The database is out of reach for now.
    #[error("the service is unavailable for a moment; try again shortly")]
    Unavailable(String),
    /// A fault of Harbour's own; the message is for the log, not the caller.
    #[error("internal error")]
    Internal(String),
}

impl AppError {
    pub fn not_found(what: &str) -> Self {
        AppError::NotFound(format!("{what} does not exist"))
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { what, id } => AppError::NotFound(format!("{what} {id} does not exist")),
            StoreError::Conflict(msg) => AppError::Conflict(msg),
            StoreError::Domain(d) => AppError::Invalid(d),
            StoreError::Unavailable(e) => AppError::Unavailable(e.to_string()),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<harbour_policy::pack::sharing::Refusal> for AppError {
    fn from(r: harbour_policy::pack::sharing::Refusal) -> Self {
        AppError::SharingRefused(r.to_string())
    }
}

impl From<harbour_domain::AgreementError> for AppError {
    fn from(e: harbour_domain::AgreementError) -> Self {
        match e {
            harbour_domain::AgreementError::Invalid(d) => AppError::Invalid(d),
            other => AppError::UnknownReference(other.to_string()),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
