//! Issue 15, in a real browser (headless Chromium): the administrator signs in, opens Users from
//! the menu, creates an account through the form (after the error summary for an empty form) and
//! sees it waiting in the list, then adds an organisation and changes it; the data protection
//! officer approves the account (a second person) and records an information sharing agreement,
//! and sees it. Nothing goes through the API. Every page of these journeys is checked with
//! axe-core and at 390 pixels wide.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod chromium;
mod common;

use std::time::Duration;

use chromium::{browser, check_page, choose, click, screenshot, sign_in, sign_out, text_of, type_into};
use common::{org, TestApp};
use fantoccini::{Client, Locator};

async fn wait_for(c: &Client, id: &str) {
    c.wait().at_most(Duration::from_secs(10)).for_element(Locator::Id(id)).await.unwrap_or_else(|e| {
        panic!("#{id} never appeared ({e})");
    });
}

/// Sets a date field's value (a browser's date picker takes keys in its own locale's order).
async fn set_date(c: &Client, id: &str, date: &str) {
    c.execute(
        "document.getElementById(arguments[0]).value = arguments[1];",
        vec![serde_json::json!(id), serde_json::json!(date)],
    )
    .await
    .unwrap();
}

async fn the_administrator_and_the_officer(app: TestApp) {
    let (_driver, c) = browser().await;
    sign_in(&c, &app, "admin.demo").await;
    the_administrator_creates_a_user(&c, &app).await;
    the_administrator_adds_an_organisation(&c, &app).await;
    sign_out(&c).await;
    sign_in(&c, &app, "dpo.demo").await;
    the_officer_approves_it_and_records_an_agreement(&c, &app).await;
    c.close().await.unwrap();
}

/// Users from the menu, an empty form, then a whole one.
async fn the_administrator_creates_a_user(c: &Client, app: &TestApp) {
    click(c, "#nav-users").await;
    wait_for(c, "users").await;
    check_page(c, "the users").await;
    click(c, "#create-user").await;
    wait_for(c, "display_name").await;
    check_page(c, "the new user form").await;
    click(c, "#save-user").await;
    wait_for(c, "error-summary").await;
    let summary = text_of(c, "#error-summary", "Enter a username").await;
    assert!(summary.contains("Choose their role"), "{summary}");
    check_page(c, "the new user form with its errors").await;
    screenshot(c, "users-form-errors").await;
    click(c, "#error-summary a[href='#username']").await;
    type_into(c, "display_name", "Sam Taylor").await;
    type_into(c, "username", "sam.taylor").await;
    choose(c, "organisation", "bcp-childrens").await;
    choose(c, "team", &app.team_id("Assessment and Intervention 1").await).await;
    choose(c, "role", "practitioner").await;
    type_into(c, "password", "a long enough password").await;
    click(c, "#save-user").await;
    wait_for(c, "confirmation").await;
    text_of(c, "#confirmation", "Account created for Sam Taylor").await;
    let row = text_of(c, "#user-sam\\.taylor", "Awaiting approval").await;
    assert!(row.contains("Practitioner") && row.contains("Assessment and Intervention 1"), "{row}");
    check_page(c, "the users after a save").await;
    screenshot(c, "users").await;
}

/// Organisations from the menu: add one, then change it.
async fn the_administrator_adds_an_organisation(c: &Client, app: &TestApp) {
    click(c, "#nav-organisations").await;
    wait_for(c, "organisations").await;
    check_page(c, "the organisations").await;
    click(c, "#create-organisation").await;
    wait_for(c, "organisation-form").await;
    check_page(c, "the new organisation form").await;
    type_into(c, "name", "Poole Youth Club").await;
    type_into(c, "slug", "poole-youth-club").await;
    choose(c, "kind", "voluntary_organisation").await;
    click(c, "#controller_role-controller").await;
    click(c, "#save-organisation").await;
    wait_for(c, "confirmation").await;
    text_of(c, "#confirmation", "Poole Youth Club added").await;
    text_of(c, "#org-poole-youth-club", "Voluntary organisation").await;
    check_page(c, "the organisations after a save").await;
    screenshot(c, "organisations").await;
    let club = org(app, "poole-youth-club").await;
    click(c, &format!("a[href='/organisations/{club}']")).await;
    wait_for(c, "organisation-form").await;
    check_page(c, "an organisation's form").await;
    type_into(c, "name", "Poole Youth Trust").await;
    click(c, "#save-organisation").await;
    wait_for(c, "confirmation").await;
    text_of(c, "#confirmation", "Poole Youth Trust saved").await;
}

/// The data protection officer: the account waiting for a second person, then an agreement.
async fn the_officer_approves_it_and_records_an_agreement(c: &Client, app: &TestApp) {
    click(c, "#nav-users").await;
    wait_for(c, "users").await;
    check_page(c, "the users, to the officer").await;
    click(c, "#approve-sam\\.taylor").await;
    wait_for(c, "confirmation").await;
    text_of(c, "#confirmation", "Sam Taylor's account is approved").await;
    text_of(c, "#user-sam\\.taylor", "Active").await;
    assert!(app.user("sam.taylor").await.active);

    click(c, "#nav-agreements").await;
    wait_for(c, "create-agreement").await;
    check_page(c, "the agreements").await;
    click(c, "#create-agreement").await;
    wait_for(c, "agreement-form").await;
    check_page(c, "the new agreement form").await;
    type_into(c, "reference", "PISA-2026-014").await;
    type_into(c, "title", "Operation Encompass").await;
    let school = org(app, "harbourside-academy").await;
    click(c, &format!("#party-{school}")).await;
    type_into(c, "purposes", "Support children affected by domestic abuse").await;
    click(c, "#category-personal_details").await;
    click(c, "#category-child_protection").await;
    click(c, "input[name=lawful_bases][value='6(1)(e)']").await;
    set_date(c, "review_on", &common::days(180)).await;
    click(c, "#save-agreement").await;
    wait_for(c, "confirmation").await;
    text_of(c, "#confirmation", "Agreement recorded").await;
    let details = text_of(c, "#agreement-details", "Harbourside Academy").await;
    assert!(details.contains("Public task") && details.contains("Child protection"), "{details}");
    text_of(c, "#agreement-status", "In force").await;
    check_page(c, "an agreement").await;
    screenshot(c, "agreement").await;
    click(c, "#nav-agreements").await;
    wait_for(c, "agreements").await;
    text_of(c, "#agreements", "PISA-2026-014").await;
    screenshot(c, "agreements").await;
}

both_backends!(
    the_administrator_and_the_data_protection_officer_work_in_a_real_browser,
    the_administrator_and_the_officer
);
