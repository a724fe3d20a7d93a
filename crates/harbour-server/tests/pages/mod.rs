//! The pages over plain HTTP as a browser without JavaScript uses them: signing in through the
//! form, the session cookie and the page's CSRF token, reading a page, posting a form. Shared
//! by `web.rs` and each role's page tests.
#![allow(dead_code)] // each test binary uses its own share of these

use crate::common::TestApp;

/// A signed-in browser: the session cookie and the session's CSRF token.
pub struct Web {
    pub cookie: String,
    pub csrf: String,
}

/// The value of the hidden field `name` in a page.
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no hidden {name} in page")) + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

/// Text as the browser shows it (minijinja escapes these in text and attributes).
pub fn unescape(html: &str) -> String {
    [("&#x2f;", "/"), ("&#x27;", "'"), ("&quot;", "\""), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")]
        .iter()
        .fold(html.to_string(), |s, (entity, c)| s.replace(entity, c))
}

/// The whole `Set-Cookie` header for `name`, attributes and all.
pub fn set_cookie(resp: &reqwest::Response, name: &str) -> Option<String> {
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

/// The `name=value` pair of the cookie `name` set by a response, to send back.
pub fn cookie_pair(resp: &reqwest::Response, name: &str) -> Option<String> {
    set_cookie(resp, name).map(|v| v.split(';').next().unwrap().to_string())
}

/// Signs in through the sign-in form and reads the session's CSRF token from a page every
/// role may open.
pub async fn sign_in_with(app: &TestApp, username: &str, password: &str) -> Web {
    let page = app.client.get(format!("{}/login", app.base)).send().await.unwrap();
    let login_cookie = cookie_pair(&page, "harbour_login_csrf").expect("login CSRF cookie");
    let token = hidden(&page.text().await.unwrap(), "csrf_token");
    let resp = app
        .client
        .post(format!("{}/login", app.base))
        .header("cookie", login_cookie)
        .form(&[("username", username), ("password", password), ("csrf_token", &token), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303, "{username} signs in");
    let cookie = cookie_pair(&resp, "harbour_session").expect("session cookie");
    let page = app.client.get(format!("{}/received", app.base)).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(page.status(), 200, "{username} reads a page");
    let csrf = hidden(&page.text().await.unwrap(), "csrf_token");
    Web { cookie, csrf }
}

/// Signs in with the demo password.
pub async fn sign_in(app: &TestApp, username: &str) -> Web {
    sign_in_with(app, username, "demo").await
}

impl Web {
    /// A page: its status and its text, unescaped.
    pub async fn get(&self, app: &TestApp, path: &str) -> (u16, String) {
        let resp = app.client.get(format!("{}{path}", app.base)).header("cookie", &self.cookie).send().await.unwrap();
        (resp.status().as_u16(), unescape(&resp.text().await.unwrap()))
    }

    /// Posts a form with the session's CSRF token: the status, the redirect's target and the
    /// page's text.
    pub async fn post(&self, app: &TestApp, path: &str, fields: &[(&str, &str)]) -> (u16, String, String) {
        let mut form = vec![("csrf_token", self.csrf.as_str())];
        form.extend_from_slice(fields);
        self.post_raw(app, path, &form).await
    }

    /// Posts exactly `fields` (no CSRF token unless it is among them).
    pub async fn post_raw(&self, app: &TestApp, path: &str, fields: &[(&str, &str)]) -> (u16, String, String) {
        let resp = app
            .client
            .post(format!("{}{path}", app.base))
            .header("cookie", &self.cookie)
            .form(fields)
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        let location = resp.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
        (status, location, unescape(&resp.text().await.unwrap()))
    }
}
