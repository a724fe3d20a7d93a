//! Headless Chromium for the browser tests (Debian's chromium and chromium-driver, installed by
//! scripts/test): starting the driver and a session, and the few moves every journey makes —
//! signing in and out, typing, clicking through htmx swaps, reading text once it has arrived,
//! choosing an option. Shared by `browser.rs` and each role's journey file.
#![allow(dead_code)] // each test binary uses its own share of these

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

use crate::common::TestApp;

/// chromedriver, and the browser profile it was given: removed once the driver has stopped.
pub struct Driver(Child, #[allow(dead_code)] tempfile::TempDir);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub async fn browser() -> (Driver, Client) {
    let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    let port = free_port();
    let profile = tempfile::tempdir().unwrap();
    let profile_path = profile.path().to_path_buf();
    let driver = Driver(
        Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            // A faked clock (libfaketime, scripts/test-at-times) hangs Chromium: it keeps its own.
            .env_remove("LD_PRELOAD")
            .env_remove("FAKETIME")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {chromedriver} ({e}); scripts/test installs chromium-driver")),
        profile,
    );
    let caps = serde_json::json!({
        "goog:chromeOptions": {
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--window-size=1280,1000", format!("--user-data-dir={}", profile_path.display())]
        }
    });
    let caps: serde_json::Map<String, serde_json::Value> = caps.as_object().unwrap().clone();
    for _ in 0..100 {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        if let Ok(client) =
            ClientBuilder::new(connector).capabilities(caps.clone()).connect(&format!("http://127.0.0.1:{port}")).await
        {
            return (driver, client);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not accept a session");
}

pub async fn sign_in(c: &Client, app: &TestApp, username: &str) {
    sign_in_with(c, app, username, "demo").await;
}

pub async fn sign_in_with(c: &Client, app: &TestApp, username: &str, password: &str) {
    c.goto(&format!("{}/login", app.base)).await.unwrap();
    c.find(Locator::Id("username")).await.unwrap().send_keys(username).await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(password).await.unwrap();
    c.find(Locator::Css("form button[type=submit]")).await.unwrap().click().await.unwrap();
    // Every signed-in page has the sign-out form, whatever the role lands on.
    c.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("form[action='/logout']")).await.unwrap();
}

pub async fn sign_out(c: &Client) {
    c.find(Locator::Css("form[action='/logout'] button")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Id("username")).await.unwrap();
}

pub async fn type_into(c: &Client, id: &str, text: &str) {
    let el = c.find(Locator::Id(id)).await.unwrap();
    el.clear().await.unwrap();
    el.send_keys(text).await.unwrap();
}

/// Clicks the element `css` selects. An htmx swap can replace it between finding and clicking
/// (a stale element), so a failed click is retried on a fresh find for up to five seconds.
pub async fn click(c: &Client, css: &str) {
    let mut last = String::new();
    for _ in 0..50 {
        match c.find(Locator::Css(css)).await {
            Ok(el) => match el.click().await {
                Ok(_) => return,
                Err(e) => last = e.to_string(),
            },
            Err(e) => last = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("cannot click {css}: {last}");
}

/// The text of the element `css` selects, once it contains `needle`.
pub async fn text_of(c: &Client, css: &str, needle: &str) -> String {
    for _ in 0..100 {
        if let Ok(el) = c.find(Locator::Css(css)).await {
            if let Ok(text) = el.text().await {
                if text.contains(needle) {
                    return text;
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} never said {needle:?}: {}", c.source().await.unwrap());
}

/// Chooses an option of a select by its value.
pub async fn choose(c: &Client, id: &str, value: &str) {
    c.find(Locator::Css(&format!("#{id} option[value='{value}']"))).await.unwrap().click().await.unwrap();
}

/// axe-core 4.4.3 (Deque Systems, Mozilla Public License 2.0; the notice is the file's first
/// lines), as shipped unchanged in the PyPI package `axe-core-python` 0.1.0.
const AXE: &str = include_str!("axe.min.js");

/// What every page a journey visits must be: free of serious and critical accessibility
/// findings (axe-core, WCAG 2 A and AA rules and best practice) and readable at 390 pixels wide
/// without scrolling sideways. `what` names the page in a failure.
pub async fn check_page(c: &Client, what: &str) {
    c.execute(AXE, vec![]).await.unwrap_or_else(|e| panic!("axe-core did not load on {what}: {e}"));
    let found = c
        .execute_async(
            r"const done = arguments[arguments.length - 1];
              axe.run(document, { resultTypes: ['violations'] })
                .then(r => done(r.violations
                  .filter(v => v.impact === 'serious' || v.impact === 'critical')
                  .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
                .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("axe-core did not run on {what}: {e}"));
    let findings: Vec<String> = serde_json::from_value(found).unwrap();
    assert!(findings.is_empty(), "{what}: {findings:#?}");
    c.set_window_size(390, 844).await.unwrap();
    let sideways = c
        .execute(
            r"const w = document.documentElement.clientWidth;
              const over = document.documentElement.scrollWidth - w;
              if (over <= 0) { return ''; }
              const wide = [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > w + 1 && !(e.parentElement && e.parentElement.closest('.scroll')))
                .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '') + '@' + Math.round(e.getBoundingClientRect().right));
              return over + ' px (viewport ' + window.innerWidth + ', body ' + document.body.scrollWidth + ', main ' + document.querySelector('main').scrollWidth + '): ' + wide.slice(0, 8).join(', ');",
            vec![],
        )
        .await
        .unwrap();
    c.set_window_size(1280, 1000).await.unwrap();
    assert_eq!(sideways.as_str(), Some(""), "{what} scrolls sideways at 390 px by {sideways}");
}

/// Saves a screenshot of the page for `docs/screens/` (copied there by hand from the test's
/// temporary folder: `target/tmp/screens/`).
pub async fn screenshot(c: &Client, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screens");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.png")), c.screenshot().await.unwrap()).unwrap();
}
