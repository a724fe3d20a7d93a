//! End to end in a real headless Chromium (Debian's chromium + chromium-driver, installed by
//! scripts/test): a practitioner signs in, finds a child allocated to their team, adds an
//! entry with the form, and sees it on the child's record.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::TestApp;
use fantoccini::{Client, ClientBuilder, Locator};

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn browser() -> (Driver, Client) {
    let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    let port = free_port();
    let driver = Driver(
        Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {chromedriver} ({e}); scripts/test installs chromium-driver")),
    );
    let profile = tempfile::tempdir().unwrap().keep();
    let caps = serde_json::json!({
        "goog:chromeOptions": {
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--window-size=1280,1000", format!("--user-data-dir={}", profile.display())]
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

async fn practitioner_story(app: TestApp) {
    let (child, episode) = app.allocated_child("sw.demo").await;
    let (_driver, c) = browser().await;
    c.goto(&format!("{}/login", app.base)).await.unwrap();
    c.find(Locator::Id("username")).await.unwrap().send_keys("sw.demo").await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys("demo").await.unwrap();
    c.find(Locator::Css("form button[type=submit]")).await.unwrap().click().await.unwrap();
    if c.wait().at_most(Duration::from_secs(10)).for_element(Locator::Id("name")).await.is_err() {
        panic!(
            "sign-in did not reach the search page: {} {}",
            c.current_url().await.unwrap(),
            c.source().await.unwrap()
        );
    }
    assert!(c.current_url().await.unwrap().path().starts_with("/people"));

    // The caseload lists the team's open cases before any search.
    c.wait().for_element(Locator::Id("caseload")).await.unwrap();
    // Typing searches as you type (htmx): results appear without pressing Search.
    c.find(Locator::Id("name")).await.unwrap().send_keys(&child.family_name).await.unwrap();
    c.wait().for_element(Locator::Id("result-count")).await.unwrap();
    assert!(c.current_url().await.unwrap().query().unwrap_or("").contains("name="), "the URL follows the search");
    c.find(Locator::Css(&format!("a[href='/people/{}']", child.id))).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Id("eligibility")).await.unwrap();

    c.find(Locator::Css(&format!("a[href='/episodes/{}/entries/new']", episode.id)))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait().for_element(Locator::Id("subject")).await.unwrap();
    c.find(Locator::Css("#kind option[value='meeting']")).await.unwrap().click().await.unwrap();
    c.find(Locator::Id("location")).await.unwrap().send_keys("Harbourside Academy").await.unwrap();
    c.find(Locator::Id("subject")).await.unwrap().send_keys("Core group meeting").await.unwrap();
    c.find(Locator::Id("detail"))
        .await
        .unwrap()
        .send_keys("School reports good attendance this half term.")
        .await
        .unwrap();
    c.find(Locator::Css("input[name=categories][value=education_and_early_years]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css("form.card button[type=submit]")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Id("eligibility")).await.unwrap();

    let url = c.current_url().await.unwrap();
    assert_eq!(url.path(), format!("/people/{}", child.id));
    let html = c.source().await.unwrap();
    assert!(html.contains("Core group meeting"), "the new entry is on the record");
    assert!(html.contains("School reports good attendance this half term."));
    let shot = c.screenshot().await.unwrap();
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("person-page-{:?}.png", app.backend));
    std::fs::write(out, shot).unwrap();
    // What the browser did is on the record's audit trail.
    let trail = app.store.audit_for_person(child.id).await.unwrap();
    assert!(trail.iter().any(|e| e.action == "entry.create"));
    c.close().await.unwrap();
}

both_backends!(a_practitioner_signs_in_and_adds_an_entry_in_a_real_browser, practitioner_story);
