//! Every error the HTTP layer returns, mapped in one place to an RFC 9457 problem body
//! (`application/problem+json`). Internal failures are logged with the request's trace and
//! answered with a generic 500 that reveals nothing.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use harbour_app::AppError;
use harbour_domain::DomainError;
use serde::Serialize;
use utoipa::ToSchema;

/// RFC 9457 problem details.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The authorization policies behind a refusal, if any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub policy_ids: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("authentication is required")]
    Unauthenticated,
    #[error("{explanation}")]
    Forbidden { explanation: String, policy_ids: Vec<String> },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("this endpoint does not take that method")]
    MethodNotAllowed,
    #[error("the request body is larger than 1 MiB")]
    TooLarge,
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error(transparent)]
    Invalid(#[from] DomainError),
    /// A well-formed request that a rule refuses (the message says which), beyond what the
    /// domain types check.
    #[error("{0}")]
    Unprocessable(String),
    /// The body names something (a person, team, organisation) that does not exist.
    #[error("{0}")]
    UnknownReference(String),
    #[error("too many failed sign-in attempts; try again in {minutes} minutes")]
    Throttled { minutes: i64 },
    #[error("invalid or missing CSRF token")]
    Csrf,
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
    /// The database is out of reach for now; answered with 503 and `Retry-After`.
    #[error("the service is unavailable for a moment; try again shortly")]
    Unavailable(String),
    #[error("internal error")]
    Internal(String),
}

/// Seconds a client is asked to wait (`Retry-After`) when the database is unavailable.
pub const RETRY_AFTER_SECONDS: u32 = 5;

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthenticated => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } | ApiError::Csrf => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Invalid(_)
            | ApiError::Unprocessable(_)
            | ApiError::UnknownReference(_)
            | ApiError::SharingRefused(_)
            | ApiError::NoticeRefused { .. }
            | ApiError::Retention(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Gone(_) => StatusCode::GONE,
            ApiError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn slug(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad-request",
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::Forbidden { .. } => "forbidden",
            ApiError::NotFound(_) => "not-found",
            ApiError::Conflict(_) => "conflict",
            ApiError::MethodNotAllowed => "method-not-allowed",
            ApiError::TooLarge => "too-large",
            ApiError::UnsupportedMediaType(_) => "unsupported-media-type",
            ApiError::Invalid(_) | ApiError::Unprocessable(_) => "invalid",
            ApiError::UnknownReference(_) => "unknown-reference",
            ApiError::Throttled { .. } => "throttled",
            ApiError::Csrf => "csrf",
            ApiError::SharingRefused(_) | ApiError::NoticeRefused { .. } => "sharing-refused",
            ApiError::Gone(_) => "gone",
            ApiError::Retention(_) => "retention",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }

    pub fn problem(&self) -> Problem {
        let status = self.status();
        let detail = match self {
            ApiError::Internal(_) => "something went wrong on our side; it has been logged".to_string(),
            other => other.to_string(),
        };
        Problem {
            kind: format!("https://harbour.example/problems/{}", self.slug()),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail,
            policy_ids: match self {
                ApiError::Forbidden { policy_ids, .. } => policy_ids.clone(),
                ApiError::NoticeRefused { clause, .. } => vec![clause.clone()],
                _ => Vec::new(),
            },
        }
    }

    pub fn not_found(what: &str) -> Self {
        ApiError::NotFound(format!("{what} does not exist"))
    }
}

/// The one place a use case's answer becomes an HTTP status.
impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::BadRequest(m) => ApiError::BadRequest(m),
            AppError::Forbidden { explanation, policy_ids } => ApiError::Forbidden { explanation, policy_ids },
            AppError::NotFound(m) => ApiError::NotFound(m),
            AppError::Conflict(m) => ApiError::Conflict(m),
            AppError::Invalid(d) => ApiError::Invalid(d),
            AppError::Unprocessable(m) => ApiError::Unprocessable(m),
            AppError::UnknownReference(m) => ApiError::UnknownReference(m),
            AppError::SharingRefused(m) => ApiError::SharingRefused(m),
            AppError::NoticeRefused { detail, clause, recipient } => {
                ApiError::NoticeRefused { detail, clause, recipient }
            }
            AppError::Gone(m) => ApiError::Gone(m),
            AppError::Retention(r) => ApiError::Retention(r),
            AppError::Throttled { minutes } => ApiError::Throttled { minutes },
            AppError::Unavailable(m) => ApiError::Unavailable(m),
            AppError::Internal(m) => ApiError::Internal(m),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        match r.status() {
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                ApiError::UnsupportedMediaType("send JSON with Content-Type: application/json".into())
            }
            // Wrong types, unknown fields and malformed JSON are all the client's to fix.
            _ => ApiError::BadRequest(r.body_text()),
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::BadRequest(format!("the id in the path is not valid: {}", r.body_text()))
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::BadRequest(r.body_text())
    }
}

impl ApiError {
    /// Logs what the client is not told: internal errors, and why the database is unavailable.
    pub fn log(&self) {
        match self {
            ApiError::Internal(msg) => tracing::error!(error = %msg, "internal error"),
            ApiError::Unavailable(msg) => tracing::warn!(error = %msg, "database unavailable"),
            _ => {}
        }
    }

    /// Headers that go with the status: `WWW-Authenticate` on 401, `Retry-After` on 503.
    pub fn add_headers(&self, headers: &mut axum::http::HeaderMap) {
        match self.status() {
            StatusCode::UNAUTHORIZED => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            StatusCode::SERVICE_UNAVAILABLE => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
            }
            _ => {}
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.log();
        let status = self.status();
        let body = serde_json::to_vec(&self.problem()).expect("problem serialises");
        let mut resp = (status, body).into_response();
        resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        self.add_headers(resp.headers_mut());
        resp
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
