//! What every API handler shares: extractors whose rejections are problem bodies, the 201
//! answers, and the answers for an unknown endpoint or method.

use axum::extract::{FromRequest, FromRequestParts};
use axum::http::StatusCode;
use axum::Json;

use crate::error::ApiError;

/// JSON body whose rejections (malformed, wrong types, unknown fields, too large) are problems.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

pub async fn not_found() -> ApiError {
    ApiError::not_found("no such API endpoint")
}

/// A 201 answer.
pub type Created<T> = (StatusCode, Json<T>);

/// A 201 answer that says where the new resource is read (`Location`).
pub type CreatedAt<T> = (StatusCode, [(axum::http::header::HeaderName, String); 1], Json<T>);

pub fn created_at<T>(path: String, body: T) -> CreatedAt<T> {
    (StatusCode::CREATED, [(axum::http::header::LOCATION, path)], Json(body))
}
