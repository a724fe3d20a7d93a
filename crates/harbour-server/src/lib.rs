//! Harbour's HTTP surface: the JSON API under `/api/v1` (with its OpenAPI 3.1 document), the
//! server-rendered web pages, sessions, CSRF and the authentication middleware.
//!
//! Handlers parse and render only; every use of case data goes through [`service`], which
//! authorizes, calls the store and records the audit trail. Nothing here writes SQL.

pub mod accounts;
pub mod agreements;
pub mod api;
pub mod auth;
pub mod calendar;
pub mod consent;
pub mod demo;
pub mod error;
pub mod intake;
pub mod ledger;
pub mod notices;
pub mod openapi;
pub mod person_updates;
pub mod retention;
pub mod retention_api;
pub mod sensitive;
pub mod service;
pub mod sharing;
pub mod sharing_api;
pub mod sharing_check;
pub mod sharing_view;
pub mod web;
pub mod web_consent;
pub mod web_data_quality;
pub mod web_retention;
pub mod web_sharing;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{middleware, Json, Router};
use harbour_policy::Authorizer;
use harbour_store::Store;
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

/// The application without HTTP: the store, the authorizer, the notices in force and their
/// retention schedule. The use cases are its methods (in the feature modules); they ask the
/// authorizer, refuse or act, and record the audit event. The command line uses it directly.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub authz: Arc<Authorizer>,
    /// The privacy notices in force (they also drive `authz`).
    pub notices: Arc<Vec<harbour_policy::pack::PolicyPack>>,
    /// The retention rows of those notices.
    pub retention: Arc<harbour_retention::Schedule>,
}

impl App {
    pub fn new(store: Store, authz: Authorizer, notices: Vec<harbour_policy::pack::PolicyPack>) -> Self {
        Self {
            store,
            authz: Arc::new(authz),
            retention: Arc::new(harbour_retention::Schedule::from_packs(&notices)),
            notices: Arc::new(notices),
        }
    }

    /// Stores any new built-in notice versions, then builds the application from the notices
    /// in force today.
    pub async fn from_store(store: Store) -> Result<Self, notices::NoticeError> {
        notices::install_built_in(&store).await?;
        let (authz, packs) = notices::authorizer(&store, harbour_domain::today_uk()).await?;
        Ok(Self::new(store, authz, packs))
    }
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
    pub fn new(
        store: Store,
        authz: Authorizer,
        notices: Vec<harbour_policy::pack::PolicyPack>,
        config: ServerConfig,
    ) -> Self {
        Self::with_app(App::new(store, authz, notices), config)
    }

    pub fn with_app(app: App, config: ServerConfig) -> Self {
        Self { app, pages: Arc::new(web::environment()), config: Arc::new(config) }
    }

    /// Stores any new built-in notice versions, then builds the state from the notices in
    /// force today.
    pub async fn from_store(store: Store, config: ServerConfig) -> Result<Self, notices::NoticeError> {
        Ok(Self::with_app(App::from_store(store).await?, config))
    }
}

async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    if state.store.ping().await {
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
            api::routes()
                .merge(ledger::routes())
                .merge(agreements::routes())
                .merge(accounts::routes())
                .merge(sharing_api::routes())
                .merge(retention_api::routes())
                .merge(consent::routes())
                .merge(person_updates::routes())
                .merge(calendar::routes()),
        )
        .merge(web::routes())
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
