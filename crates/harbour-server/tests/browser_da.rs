//! Issue 15, in a real browser (headless Chromium): the police officer sends a domestic abuse
//! notification through the form, from sign-in to the confirmation, and the hub opens it from
//! the dashboard, triages it and tells the school, to the confirmation of what was sent to whom;
//! then the school reads it. Nothing goes through the API but the test's own look-ups. Every
//! page visited is checked with axe-core and at 390 pixels wide.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod chromium;
mod common;

use std::time::Duration;

use chromium::{browser, check_page, choose, click, screenshot, sign_in, sign_out, text_of, type_into};
use common::{json, org, TestApp};
use fantoccini::{Client, Locator};

async fn wait_for(c: &Client, id: &str) {
    c.wait().at_most(Duration::from_secs(10)).for_element(Locator::Id(id)).await.unwrap_or_else(|e| {
        panic!("#{id} never appeared ({e})");
    });
}

async fn the_police_and_the_hub(app: TestApp) {
    let (_driver, c) = browser().await;
    the_police_officer_sends_one(&c, &app).await;
    the_hub_tells_the_school(&c, &app).await;
    // The school reads it.
    sign_in(&c, &app, "school.demo").await;
    click(&c, "#nav-received").await;
    wait_for(&c, "inbox").await;
    click(&c, "#inbox a").await;
    let notice = text_of(&c, "main", "Browsertest").await;
    assert!(notice.contains("Police reference DP/2026/8080"), "{notice}");
    c.close().await.unwrap();
}

/// The police officer lands on their force's notifications and sends one: two children, one
/// of them added with "Add another child", after a first try with nothing filled in.
async fn the_police_officer_sends_one(c: &Client, app: &TestApp) {
    sign_in(c, app, "police.demo").await;
    wait_for(c, "submit-notification").await;
    assert!(c.current_url().await.unwrap().path().ends_with("/da-notifications/sent"));
    check_page(c, "the police's notifications").await;
    screenshot(c, "da-police-landing").await;
    click(c, "#submit-notification").await;
    wait_for(c, "notification-form").await;
    check_page(c, "the notification form").await;
    // Continue with nothing filled in: the error summary, linked to the fields.
    click(c, "#continue").await;
    wait_for(c, "error-summary").await;
    let summary = text_of(c, "#error-summary", "Enter the police reference").await;
    assert!(summary.contains("Select whether child 1 was there"), "{summary}");
    check_page(c, "the notification form with its errors").await;
    screenshot(c, "da-form-errors").await;
    click(c, "#error-summary a[href='#police-reference']").await;
    let at = harbour_domain::uk_local(jiff::Timestamp::now() - jiff::Span::new().hours(3));
    type_into(c, "police-reference", "DP/2026/8080").await;
    type_into(c, "incident-day", &at.day().to_string()).await;
    type_into(c, "incident-month", &at.month().to_string()).await;
    type_into(c, "incident-year", &at.year().to_string()).await;
    type_into(c, "incident-time", &format!("{:02}:{:02}", at.hour(), at.minute())).await;
    type_into(c, "location", "9 Anchor Row, Poole").await;
    type_into(c, "account", "Officers attended after a call from a neighbour about shouting.").await;
    type_into(c, "summary-for-school", "Police were called to an argument between the adults at home.").await;
    type_into(c, "child-1-given-name", "Ruby").await;
    type_into(c, "child-1-family-name", "Browsertest").await;
    type_into(c, "child-1-school", "Harbourside Academy").await;
    click(c, "#child-1-present").await;
    type_into(c, "child-1-voice", "Ruby said she was frightened.").await;
    click(c, "#add-child").await;
    wait_for(c, "child-2-given-name").await;
    let kept = c.find(Locator::Id("child-1-given-name")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some("Ruby"), "adding a child keeps what was typed");
    type_into(c, "child-2-given-name", "Sam").await;
    type_into(c, "child-2-family-name", "Browsertest").await;
    click(c, "#child-2-present-no").await;
    click(c, "#continue").await;
    wait_for(c, "check-form").await;
    let check = text_of(c, "main", "Check your answers").await;
    assert!(check.contains("Child 2: Sam Browsertest") && check.contains("(UK time)"), "{check}");
    check_page(c, "check your answers").await;
    screenshot(c, "da-check-answers").await;
    click(c, "#send").await;
    wait_for(c, "confirmation").await;
    let done = text_of(c, "main", "Notification sent").await;
    assert!(done.contains("DP/2026/8080") && done.contains("before the next school day starts"), "{done}");
    check_page(c, "the notification's confirmation").await;
    screenshot(c, "da-confirmation").await;
    sign_out(c).await;
}

/// The hub: the dashboard, the row, triage (after a first try with a gender missing), telling
/// the school, and the confirmation of what was sent to whom.
async fn the_hub_tells_the_school(c: &Client, app: &TestApp) {
    let hub_token = app.token("mash.demo").await;
    let list = json(app.get("/api/v1/da-notifications", &hub_token).await, 200).await;
    let id = list.as_array().unwrap().iter().find(|n| n["police_reference"] == "DP/2026/8080").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    sign_in(c, app, "mash.demo").await;
    click(c, "#nav-da").await;
    wait_for(c, &format!("notification-{id}")).await;
    let row = text_of(c, &format!("#notification-{id}"), "Not yet triaged, due by").await;
    assert!(!row.contains("on time"), "{row}");
    check_page(c, "the hub's dashboard").await;
    screenshot(c, "da-dashboard").await;
    click(c, &format!("#open-{id}")).await;
    wait_for(c, "triage-form").await;
    text_of(c, "#deadline", "Tell the school by").await;
    check_page(c, "the triage page").await;
    screenshot(c, "da-triage").await;
    // Save with a gender missing: the error, and the rest kept.
    click(c, "#child-1-record").await;
    click(c, "#child-2-record").await;
    choose(c, "child-1-gender", "female").await;
    choose(c, "child-2-school", &org(app, "harbourside-academy").await).await;
    click(c, "#triage-save").await;
    wait_for(c, "error-summary").await;
    text_of(c, "#error-summary", "Select child 2's gender").await;
    check_page(c, "the triage page with its errors").await;
    screenshot(c, "da-triage-errors").await;
    choose(c, "child-2-gender", "male").await;
    click(c, "#triage-save").await;
    wait_for(c, "share-form").await;
    text_of(c, "#done", "Triage saved").await;
    let recipients = text_of(c, "#recipients", "About Sam Browsertest: to Harbourside Academy").await;
    assert!(recipients.contains("About Ruby Browsertest: to Harbourside Academy"), "{recipients}");
    check_page(c, "the triage page, telling the school").await;
    click(c, "#family-exempt").await;
    click(c, "#exemption").await;
    click(c, "#share-send").await;
    wait_for(c, "sent").await;
    text_of(c, "#done", "The schools have been told").await;
    let sent = text_of(c, "#sent", "Ruby Browsertest was sent to Harbourside Academy").await;
    assert!(sent.contains("Sam Browsertest was sent to Harbourside Academy"), "{sent}");
    check_page(c, "what was sent, and to whom").await;
    screenshot(c, "da-told").await;
    click(c, "#nav-da").await;
    text_of(c, &format!("#notification-{id}"), "Schools told on time").await;
    sign_out(c).await;
}

both_backends!(the_police_send_a_notification_and_the_hub_tells_the_school_in_a_real_browser, the_police_and_the_hub);
