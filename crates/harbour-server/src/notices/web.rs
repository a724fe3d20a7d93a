//! The public privacy notices (no sign-in needed), rendered from the pack versions in force.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use harbour_policy::pack;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/privacy", get(privacy_index)).route("/privacy/{id}", get(privacy_notice))
}

/// The public list of privacy notices (no sign-in needed).
async fn privacy_index(State(state): State<AppState>) -> Response {
    let mut html = String::from(
        "<!doctype html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Privacy notices</title>\n\
         <link rel=\"stylesheet\" href=\"/static/notice.css\">\n</head>\n<body>\n<main>\n<h1>Privacy notices</h1>\n<ul>\n",
    );
    for n in state.notices().iter() {
        html.push_str(&format!(
            "<li><a href=\"/privacy/{}\">{}</a> — {}</li>\n",
            pack::escape(n.id()),
            pack::escape(&n.pack.title),
            pack::escape(&n.controller.name)
        ));
    }
    html.push_str("</ul>\n</main>\n</body>\n</html>\n");
    Html(html).into_response()
}

/// One privacy notice, rendered from the pack version in force.
async fn privacy_notice(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    match state.notices().iter().find(|n| n.id() == id) {
        Some(n) => Html(pack::render_html_linked(n, "/static/notice.css")).into_response(),
        None => (StatusCode::NOT_FOUND, Html("<!doctype html><title>Not found</title><p>There is no privacy notice with that name. <a href=\"/privacy\">All notices</a></p>")).into_response(),
    }
}
