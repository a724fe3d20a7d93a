//! Issue 15, in a real browser (headless Chromium): the out-of-hours social worker is refused a
//! record her team does not hold, opens it in an emergency by saying why, and reads it; the
//! allocated team sees the opening among its emergency openings; the data protection officer
//! reviews it and reads it in the record's access log. Nothing goes through the API. Every page
//! is checked with axe-core and at 390 pixels wide.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod chromium;
mod common;

use chromium::{browser, check_page, click, screenshot, sign_in, sign_in_with, sign_out, text_of, type_into};
use common::TestApp;
use fantoccini::Locator;
use serde_json::json;

const PASSWORD: &str = "out-of-hours-password";

async fn emergency_story(app: TestApp) {
    let (child, _) = app.allocated_child("sw.demo").await;
    let ai2 = app.team_id("Assessment and Intervention 2").await;
    app.account(
        &json!({"username": "ooh.demo", "display_name": "Out of hours (browser)", "organisation": "bcp-childrens",
        "team_id": ai2, "role": "practitioner", "password": PASSWORD}),
    )
    .await;
    let (_driver, c) = browser().await;

    // Refused, with the way forward; the form asks why; without a reason it says so.
    sign_in_with(&c, &app, "ooh.demo", PASSWORD).await;
    c.goto(&format!("{}/people/{}", app.base, child.id)).await.unwrap();
    text_of(&c, "#emergency-offer", "open this record in an emergency").await;
    assert!(!c.source().await.unwrap().contains(&child.family_name), "the refusal names no one");
    check_page(&c, "a refused record").await;
    click(&c, "#emergency-link").await;
    c.wait().for_element(Locator::Id("emergency-form")).await.unwrap();
    check_page(&c, "the emergency opening form").await;
    click(&c, "#open-emergency").await;
    text_of(&c, "#error-summary", "Say why the record must be opened now").await;
    check_page(&c, "the emergency form's error").await;
    type_into(&c, "reason", "Police called at 2am: the child is alone at home; the allocated team is off duty.").await;
    click(&c, "#open-emergency").await;
    let banner = text_of(&c, "main", "Record opened in an emergency").await;
    assert!(banner.contains(&child.given_name), "the record itself is shown");
    check_page(&c, "the record opened in an emergency").await;
    screenshot(&c, "emergency-opened").await;
    sign_out(&c).await;

    // The allocated team sees who opened it and why.
    sign_in(&c, &app, "sw.demo").await;
    click(&c, "#nav-emergency").await;
    let item = text_of(&c, "main", "Out of hours (browser)").await;
    assert!(item.contains("the child is alone at home") && item.contains("not yet reviewed"), "{item}");
    check_page(&c, "the team's emergency openings").await;
    sign_out(&c).await;

    // The officer reviews it, and finds it in the record's access log.
    sign_in(&c, &app, "dpo.demo").await;
    click(&c, "#nav-emergency").await;
    text_of(&c, "#to-review", "1").await;
    check_page(&c, "the officer's openings to review").await;
    screenshot(&c, "emergency-review").await;
    click(&c, "input[name=justified][value=yes]").await;
    click(&c, "form.review button[type=submit]").await;
    text_of(&c, "#reviewed-banner", "Review recorded").await;
    text_of(&c, "main", "Justified, by").await;
    check_page(&c, "the reviewed opening").await;
    c.goto(&format!("{}/people/{}/access-log", app.base, child.id)).await.unwrap();
    text_of(&c, "#access-log", "Opened the record in an emergency").await;
    check_page(&c, "the access log").await;
    c.close().await.unwrap();
}

both_backends!(the_out_of_hours_worker_opens_a_record_in_an_emergency_in_a_real_browser, emergency_story);
