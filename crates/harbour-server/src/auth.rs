//! Who is asking: the authentication middleware (bearer token or session cookie, checked by
//! the application), the actor extractor, the client address the sign-in throttle counts, and
//! CSRF checks for cookie sessions.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
pub use harbour_app::actor::{new_secret, same_secret};
use harbour_app::Now;

use crate::error::ApiError;
use crate::AppState;

pub const SESSION_COOKIE: &str = "harbour_session";
pub const LOGIN_CSRF_COOKIE: &str = "harbour_login_csrf";

/// How the request was authenticated.
#[derive(Debug, Clone)]
pub enum Credential {
    /// A browser session; unsafe requests must carry its CSRF token.
    Session { csrf_token: String },
    /// An API bearer token (not sent by browsers on their own, so no CSRF risk).
    Token,
}

/// The signed-in member of staff making this request, as the use cases see them (who, and
/// when the request came in), and how they proved it.
#[derive(Debug, Clone)]
pub struct Actor {
    pub app: harbour_app::Actor,
    pub credential: Credential,
}

impl std::ops::Deref for Actor {
    type Target = harbour_app::Actor;
    fn deref(&self) -> &harbour_app::Actor {
        &self.app
    }
}

impl Actor {
    pub fn csrf_token(&self) -> &str {
        match &self.credential {
            Credential::Session { csrf_token } => csrf_token,
            Credential::Token => "",
        }
    }

    /// Checks a form's CSRF token against the session's.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), ApiError> {
        match &self.credential {
            Credential::Session { csrf_token } if same_secret(csrf_token, submitted) => Ok(()),
            Credential::Session { .. } => Err(ApiError::Csrf),
            Credential::Token => Ok(()),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Actor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Actor>().cloned().ok_or(ApiError::Unauthenticated)
    }
}

impl<S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for Actor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts.extensions.get::<Actor>().cloned())
    }
}

/// Where a request came from, as the sign-in throttle counts it: the connection's peer address,
/// or — only when [`crate::ServerConfig::client_address_header`] names a header set by a
/// trusted proxy — the last address in that header. An IPv6 client counts by its /64 network
/// (one host usually holds a whole /64); an IPv4-mapped IPv6 address counts as the IPv4 one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        let forwarded = state.config.client_address_header.as_ref().and_then(|name| {
            let values: Vec<&str> = parts.headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).collect();
            values.iter().flat_map(|v| v.split(',')).filter_map(parse_address).next_back()
        });
        Ok(ClientAddress(forwarded.or(peer).map_or_else(|| "unknown".to_string(), throttle_key)))
    }
}

/// An address from a proxy header: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1` or `[2001:db8::1]:443`.
fn parse_address(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    s.parse::<IpAddr>().ok().or_else(|| s.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

fn throttle_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                let net = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{net}/64")
            }
        },
    }
}

fn is_public(path: &str) -> bool {
    path == "/healthz"
        || path == "/login"
        || path == "/subject-access"
        || path == "/favicon.ico"
        || path.starts_with("/static/")
        || path == "/privacy"
        || path.starts_with("/privacy/")
}

/// The purpose a client states for a request, trimmed to 200 characters.
fn stated_purpose(parts: &Parts) -> Option<String> {
    let value = parts.headers.get("harbour-purpose")?.to_str().ok()?.trim();
    (!value.is_empty()).then(|| value.chars().take(200).collect())
}

/// Who sent the request, read from its bearer token or session cookie. The clock is read here,
/// once per request: every use case the request reaches sees this moment.
async fn resolve(state: &AppState, parts: &Parts) -> Result<Option<Actor>, ApiError> {
    let now = Now::read();
    if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
        let token = value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")).ok_or(ApiError::Unauthenticated)?;
        let app = state.token_holder(token, stated_purpose(parts), now).await?.ok_or(ApiError::Unauthenticated)?;
        return Ok(Some(Actor { app, credential: Credential::Token }));
    }
    let jar = CookieJar::from_headers(&parts.headers);
    let Some(cookie) = jar.get(SESSION_COOKIE) else { return Ok(None) };
    let Some(s) = state.session_holder(cookie.value(), stated_purpose(parts), now).await? else { return Ok(None) };
    Ok(Some(Actor { app: s.actor, credential: Credential::Session { csrf_token: s.csrf_token } }))
}

/// Requires a signed-in user for everything but `/healthz`, `/login`, static assets and the
/// public privacy notices.
/// API calls without one get a 401 problem; pages get a 401 with the sign-in form.
pub async fn require_auth(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if is_public(&path) {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let is_api = path.starts_with("/api/");
    match resolve(&state, &parts).await {
        Ok(Some(actor)) => {
            let unsafe_method = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
            if is_api && unsafe_method {
                if let Credential::Session { csrf_token } = &actor.credential {
                    let sent = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
                    if !same_secret(csrf_token, sent) {
                        return ApiError::Csrf.into_response();
                    }
                }
            }
            parts.extensions.insert(actor);
            next.run(Request::from_parts(parts, body)).await
        }
        Ok(None) if !is_api => crate::pages::sign_in_required(&state, &parts.headers, &path),
        Ok(None) => ApiError::Unauthenticated.into_response(),
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_counted_by_host_or_ipv6_network() {
        let key = |s: &str| throttle_key(parse_address(s).unwrap());
        assert_eq!(key("192.0.2.7"), "192.0.2.7");
        assert_eq!(key("192.0.2.7:5123"), "192.0.2.7");
        assert_eq!(key("::ffff:192.0.2.7"), "192.0.2.7");
        assert_eq!(key("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
        assert_eq!(key("[2001:db8:1:2::9]:443"), "2001:db8:1:2::/64");
        assert!(parse_address("not an address").is_none());
    }
}
