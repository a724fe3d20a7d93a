//! Harbour's HTTP surface: the JSON API under `/api/v1` (with its OpenAPI 3.1 document), the
//! server-rendered web pages, sessions, CSRF and the authentication middleware.
//!
//! Handlers parse and render only; every use of case data goes through the application
//! ([`harbour_app::App`]), which authorizes, acts and records the audit trail. This crate does
//! not know the store. Each feature is a module with the same files, `api.rs` for its JSON
//! endpoints and `web.rs` for its pages; a feature imports only the shared modules here
//! (`auth`, `error`, `extract`, `pages`), never another feature.

// Shared by every feature.
pub mod auth;
pub mod error;
pub mod extract;
pub mod openapi;
pub mod pages;

// The features.
pub mod accounts;
pub mod agreements;
pub mod calendar;
pub mod consent;
pub mod data_quality;
pub mod directory;
pub mod emergency;
pub mod intake;
pub mod ledger;
pub mod notices;
pub mod people;
pub mod retention;
pub mod rights;
pub mod sessions;
pub mod sharing;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{middleware, Json, Router};
use harbour_app::App;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// The type of [`ServerConfig::client_address_header`].
pub use axum::http::HeaderName;

/// The largest request body accepted (larger ones get 413).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Settings of the HTTP layer.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Mark cookies `Secure` (sent only over HTTPS). Off only for plain HTTP on loopback.
    pub secure_cookies: bool,
    /// Demo mode: the synthetic `*.demo` accounts may sign in. Outside demo mode they cannot,
    /// even if a demo data set is still in the database.
    pub demo: bool,
    /// The header in which a trusted reverse proxy in front of Harbour passes the client's
    /// address (e.g. `X-Forwarded-For`; the last address in it is taken). Without one the
    /// peer address of the connection is used and such headers are ignored, since anyone can
    /// send them. Sign-in is throttled per client address.
    pub client_address_header: Option<HeaderName>,
}

/// What every handler shares: the application, and what only the web needs (the page
/// templates and the server's settings).
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub pages: Arc<minijinja::Environment<'static>>,
    pub config: Arc<ServerConfig>,
}

impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}

impl AppState {
    pub fn new(app: App, config: ServerConfig) -> Self {
        Self { app, pages: Arc::new(pages::environment()), config: Arc::new(config) }
    }
}

async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    if state.ping().await {
        (StatusCode::OK, Json(serde_json::json!({ "status": "ok" })))
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "status": "database unavailable" })))
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let request_id = header::HeaderName::from_static("x-request-id");
    Router::new()
        .route("/healthz", get(healthz))
        .nest(
            "/api/v1",
            Router::new()
                .route("/openapi.json", get(openapi::document))
                .merge(people::api::routes())
                .merge(directory::api::routes())
                .merge(ledger::api::routes())
                .merge(agreements::api::routes())
                .merge(accounts::api::routes())
                .merge(sharing::api::routes())
                .merge(intake::api::routes())
                .merge(retention::api::routes())
                .merge(rights::api::routes())
                .merge(consent::api::routes())
                .merge(emergency::api::routes())
                .merge(data_quality::api::routes())
                .merge(calendar::api::routes())
                .fallback(extract::not_found)
                .method_not_allowed_fallback(extract::method_not_allowed),
        )
        .merge(pages::routes())
        .merge(notices::web::routes())
        .merge(sessions::web::routes())
        .merge(people::web::routes())
        .merge(sharing::web::routes())
        .merge(intake::web::routes())
        .merge(retention::web::routes())
        .merge(consent::web::routes())
        .merge(emergency::web::routes())
        .merge(ledger::web::routes())
        .merge(data_quality::web::routes())
        .merge(rights::web::routes())
        .merge(rights::web::staff_routes())
        .merge(accounts::web::routes())
        .merge(directory::web::routes())
        .merge(agreements::web::routes())
        .fallback(pages::page_not_found)
        .layer(middleware::from_fn_with_state(state.clone(), auth::require_auth))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // Case data must not stay in a browser's or a proxy's cache: every response is
        // `no-store` unless it says otherwise (only the static assets do).
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'; form-action 'self'"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            // The path is logged, never the query string: it can carry names and dates of birth.
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}

/// Serves until `shutdown` resolves.
pub async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}
