//! Signing in and out of the web pages. The sign-in form carries its own CSRF token (a cookie
//! scoped to `/login`); the session cookie is HttpOnly, SameSite=Strict, and Secure unless
//! Harbour serves plain HTTP on loopback.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::cookie::Cookie;
use axum_extra::extract::{CookieJar, Form};
use harbour_app::sessions::SignInError;
use harbour_app::Now;
use serde::Deserialize;

use crate::auth::{self, Actor, LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use crate::error::ApiError;
use crate::pages::{cookie, login_form, message};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/login", get(login_page).post(login)).route("/logout", post(logout))
}

#[derive(Deserialize)]
struct NextParam {
    next: Option<String>,
}

async fn login_page(State(state): State<AppState>, jar: CookieJar, Query(q): Query<NextParam>) -> Response {
    login_form(&state, StatusCode::OK, jar, q.next.as_deref().unwrap_or("/"), "", "")
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    csrf_token: String,
    #[serde(default)]
    next: String,
}

/// Where to go after signing in: `next` if it is a path on this site, else `/`, which sends
/// each user to their own work (`pages::home`).
///
/// Only a path that starts with one '/' followed by a character other than '/' and '\\' is
/// taken, made only of printable ASCII, with no control character or whitespace even after
/// percent-decoding (browsers drop tabs and line breaks from URLs, so `/\t/evil.example` would
/// become `//evil.example`, another site), and not the sign-in page itself.
pub(crate) fn safe_next(next: &str) -> &str {
    const DEFAULT: &str = "/";
    let local = |path: &str| {
        let mut chars = path.chars();
        chars.next() == Some('/') && chars.next().is_none_or(|c| c != '/' && c != '\\')
    };
    let decoded = percent_encoding::percent_decode_str(next).decode_utf8_lossy();
    let ok = next.len() <= 2000
        && next.bytes().all(|b| b.is_ascii_graphic())
        && local(next)
        && local(&decoded)
        && !decoded.chars().any(|c| c.is_control() || c.is_whitespace())
        && next.split(['?', '#']).next() != Some("/login");
    if ok {
        next
    } else {
        DEFAULT
    }
}

async fn login(
    State(state): State<AppState>,
    address: auth::ClientAddress,
    jar: CookieJar,
    Form(f): Form<LoginForm>,
) -> Response {
    let expected = jar.get(LOGIN_CSRF_COOKIE).map(|c| c.value().to_string()).unwrap_or_default();
    if expected.is_empty() || !auth::same_secret(&expected, &f.csrf_token) {
        return login_form(
            &state,
            StatusCode::FORBIDDEN,
            jar,
            &f.next,
            &f.username,
            "The form expired. Please sign in again.",
        );
    }
    let signed_in = state.sign_in(&f.username, &f.password, &address.0, state.config.demo, Now::read()).await;
    match signed_in {
        Ok(session_id) => {
            // A browser-session cookie (no Max-Age); the server ends the session after
            // SESSION_HOURS whatever the browser does.
            let session = cookie(&state, SESSION_COOKIE, session_id, "/");
            let jar = jar.remove(Cookie::build(LOGIN_CSRF_COOKIE).path("/login")).add(session);
            (jar, Redirect::to(safe_next(&f.next))).into_response()
        }
        Err(SignInError::Throttled { minutes }) => {
            let msg = format!("Too many failed attempts. Try again in {minutes} minutes.");
            login_form(&state, StatusCode::TOO_MANY_REQUESTS, jar, &f.next, &f.username, &msg)
        }
        Err(SignInError::Refused) => login_form(
            &state,
            StatusCode::UNAUTHORIZED,
            jar,
            &f.next,
            &f.username,
            "The username or password is not right.",
        ),
        Err(SignInError::Other(e)) => ApiError::from(e).into_response(),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf_token: String,
}

async fn logout(State(state): State<AppState>, actor: Actor, jar: CookieJar, Form(f): Form<CsrfForm>) -> Response {
    if let Err(e) = actor.check_csrf(&f.csrf_token) {
        return message(&state, &actor, e);
    }
    if let Err(e) = state.sign_out(&actor, jar.get(SESSION_COOKIE).map(|c| c.value())).await {
        return message(&state, &actor, e);
    }
    (jar.remove(Cookie::build(SESSION_COOKIE).path("/")), Redirect::to("/login")).into_response()
}
