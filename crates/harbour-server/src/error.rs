//! Every error the HTTP layer returns, mapped in one place to an RFC 9457 problem body
//! (`application/problem+json`). Internal failures are logged with the request's trace and
//! answered with a generic 500 that reveals nothing.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use harbour_app::AppError;
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

/// An answer that is not what was asked: what the use case said ([`AppError`]), or what only
/// HTTP can go wrong with (no credentials, a method or body the endpoint does not take, a
/// missing CSRF token).
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    App(#[from] AppError),
    #[error("authentication is required")]
    Unauthenticated,
    #[error("this endpoint does not take that method")]
    MethodNotAllowed,
    #[error("the request body is larger than 1 MiB")]
    TooLarge,
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("invalid or missing CSRF token")]
    Csrf,
}

/// Seconds a client is asked to wait (`Retry-After`) when the database is unavailable.
pub const RETRY_AFTER_SECONDS: u32 = 5;

/// The status and the problem type (a slug of its URI) of each kind of answer: the one place a
/// use case's answer becomes an HTTP status.
fn status_and_slug(e: &ApiError) -> (StatusCode, &'static str) {
    match e {
        ApiError::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
        ApiError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed"),
        ApiError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too-large"),
        ApiError::UnsupportedMediaType(_) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type"),
        ApiError::Csrf => (StatusCode::FORBIDDEN, "csrf"),
        ApiError::App(app) => match app {
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad-request"),
            AppError::Forbidden { .. } => (StatusCode::FORBIDDEN, "forbidden"),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not-found"),
            AppError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            AppError::Invalid(_) | AppError::Unprocessable(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            AppError::UnknownReference(_) => (StatusCode::UNPROCESSABLE_ENTITY, "unknown-reference"),
            AppError::SharingRefused(_) | AppError::NoticeRefused { .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, "sharing-refused")
            }
            AppError::Retention(_) => (StatusCode::UNPROCESSABLE_ENTITY, "retention"),
            AppError::Gone(_) => (StatusCode::GONE, "gone"),
            AppError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        },
    }
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        status_and_slug(self).0
    }

    pub fn problem(&self) -> Problem {
        let (status, slug) = status_and_slug(self);
        let detail = match self {
            ApiError::App(AppError::Internal(_)) => "something went wrong on our side; it has been logged".to_string(),
            other => other.to_string(),
        };
        Problem {
            kind: format!("https://harbour.example/problems/{slug}"),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail,
            policy_ids: match self {
                ApiError::App(AppError::Forbidden { policy_ids, .. }) => policy_ids.clone(),
                ApiError::App(AppError::NoticeRefused { clause, .. }) => vec![clause.clone()],
                _ => Vec::new(),
            },
        }
    }

    /// Something the path names that does not exist (or may not be known to exist).
    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError::App(AppError::NotFound(message.into()))
    }

    /// A request the caller must fix.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::App(AppError::BadRequest(message.into()))
    }

    /// A fault of Harbour's own: logged, and answered with a 500 that says nothing more.
    pub fn internal(message: impl Into<String>) -> Self {
        ApiError::App(AppError::Internal(message.into()))
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
            _ => ApiError::bad_request(r.body_text()),
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::bad_request(format!("the id in the path is not valid: {}", r.body_text()))
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::bad_request(r.body_text())
    }
}

impl ApiError {
    /// Logs what the client is not told: internal errors, and why the database is unavailable.
    pub fn log(&self) {
        match self {
            ApiError::App(AppError::Internal(msg)) => tracing::error!(error = %msg, "internal error"),
            ApiError::App(AppError::Unavailable(msg)) => tracing::warn!(error = %msg, "database unavailable"),
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
