//! Issue 15, in a real browser (headless Chromium): a practitioner adds a child (after the error
//! summary for an empty form), opens an episode for her, records an entry, adds her mother and
//! links them, sees the household from each side, and reads the child's chronology, filtered.
//! Nothing goes through the API. Every page of the journey is checked with axe-core and at 390
//! pixels wide.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod chromium;
mod common;

use std::time::Duration;

use chromium::{browser, check_page, choose, click, screenshot, sign_in, text_of, type_into};
use common::TestApp;
use fantoccini::{Client, Locator};

async fn wait_for(c: &Client, id: &str) {
    c.wait().at_most(Duration::from_secs(10)).for_element(Locator::Id(id)).await.unwrap_or_else(|e| {
        panic!("#{id} never appeared ({e})");
    });
}

/// The id of the person whose page the browser is on.
async fn person_on_page(c: &Client) -> String {
    let url = c.current_url().await.unwrap();
    url.path().strip_prefix("/people/").unwrap().to_string()
}

/// Adds a person through the form from the search page; their id.
async fn add_person(c: &Client, given: &str, family: &str, dob: Option<[&str; 3]>, gender: &str) -> String {
    click(c, "a[href='/people']").await;
    wait_for(c, "add-person").await;
    click(c, "#add-person").await;
    wait_for(c, "person-form").await;
    type_into(c, "given_name", given).await;
    type_into(c, "family_name", family).await;
    if let Some([d, m, y]) = dob {
        type_into(c, "dob-day", d).await;
        type_into(c, "dob-month", m).await;
        type_into(c, "dob-year", y).await;
    }
    // The first choice's id is the group's (the error summary links to it).
    let radio = if gender == "female" { "#gender".to_string() } else { format!("#gender-{gender}") };
    click(c, &radio).await;
    click(c, "#save-person").await;
    wait_for(c, "confirmation").await;
    text_of(c, "#confirmation", "Person added").await;
    person_on_page(c).await
}

async fn the_practitioner(app: TestApp) {
    let relationships = app.count("relationships").await;
    let (_driver, c) = browser().await;
    sign_in(&c, &app, "sw.demo").await;
    let maisie = adds_a_child(&c).await;
    opens_an_episode_and_records_an_entry(&c).await;
    let joanne = links_her_mother(&c, &maisie).await;
    reads_the_household_and_the_chronology(&c, &maisie, &joanne).await;
    assert_eq!(app.count("relationships").await, relationships + 1, "the journey's one relationship");
    c.close().await.unwrap();
}

/// From the search page: an empty form first (every problem at once), then the child; her id.
async fn adds_a_child(c: &Client) -> String {
    wait_for(c, "add-person").await;
    check_page(c, "the search page").await;
    click(c, "#add-person").await;
    wait_for(c, "person-form").await;
    check_page(c, "the new person form").await;
    click(c, "#save-person").await;
    wait_for(c, "error-summary").await;
    let summary = text_of(c, "#error-summary", "Enter their given name").await;
    assert!(summary.contains("Enter their family name") && summary.contains("Select their gender"), "{summary}");
    check_page(c, "the new person form with its errors").await;
    screenshot(c, "person-form-errors").await;
    click(c, "#error-summary a[href='#given_name']").await;
    type_into(c, "given_name", "Maisie").await;
    type_into(c, "family_name", "Browser").await;
    type_into(c, "dob-day", "12").await;
    type_into(c, "dob-month", "5").await;
    type_into(c, "dob-year", "2016").await;
    click(c, "#gender-unknown").await;
    click(c, "#save-person").await;
    wait_for(c, "confirmation").await;
    text_of(c, "#confirmation", "Person added").await;
    text_of(c, "#gender", "Not known").await;
    text_of(c, "#date-of-birth", "12 May 2016").await;
    check_page(c, "the new person's page").await;
    person_on_page(c).await
}

/// An episode, allocated to the practitioner's own team (chosen for them), and an entry on it
/// for the chronology.
async fn opens_an_episode_and_records_an_entry(c: &Client) {
    click(c, "#open-episode").await;
    wait_for(c, "episode-form").await;
    check_page(c, "the open an episode form").await;
    click(c, "#record_class-child_in_need").await;
    click(c, "#save-episode").await;
    wait_for(c, "confirmation").await;
    text_of(c, "#confirmation", "Episode opened").await;
    check_page(c, "the person's page with an episode").await;
    click(c, "a[href^='/episodes/'][href$='/entries/new']").await;
    wait_for(c, "subject").await;
    check_page(c, "the new entry form").await;
    choose(c, "kind", "meeting").await;
    type_into(c, "subject", "Core group meeting").await;
    type_into(c, "detail", "Maisie is settled at school.").await;
    click(c, "form.card button[type=submit]").await;
    wait_for(c, "household").await;
}

/// Her mother, then the link between them from the mother's page; the mother's id.
async fn links_her_mother(c: &Client, maisie: &str) -> String {
    let joanne = add_person(c, "Joanne", "Browser", None, "female").await;
    check_page(c, "the mother's page").await;
    click(c, "#add-relationship").await;
    wait_for(c, "find-form").await;
    check_page(c, "the relationship search").await;
    type_into(c, "name", "Maisie").await;
    click(c, "#find-person").await;
    wait_for(c, "find-results").await;
    check_page(c, "the relationship search results").await;
    click(c, &format!("#choose-{maisie}")).await;
    wait_for(c, "relationship-form").await;
    check_page(c, "the kinds of relationship").await;
    click(c, "#kind-child_pr").await;
    click(c, "#save-relationship").await;
    wait_for(c, "confirmation").await;
    text_of(c, "#confirmation", "Relationship added").await;
    let row = text_of(c, &format!("#member-{maisie}"), "Joanne has parental responsibility for them").await;
    assert!(row.contains("Maisie Browser"), "{row}");
    check_page(c, "the mother's household").await;
    joanne
}

/// The household from the child's side, and her chronology, filtered.
async fn reads_the_household_and_the_chronology(c: &Client, maisie: &str, joanne: &str) {
    click(c, &format!("#member-{maisie} a")).await;
    wait_for(c, "household-table").await;
    let row = text_of(c, &format!("#member-{joanne}"), "Has parental responsibility for Maisie").await;
    assert!(row.contains("Joanne Browser") && row.contains("Maisie\u{2019}s parent or carer"), "{row}");
    check_page(c, "the child's household").await;
    screenshot(c, "person-household").await;
    click(c, "#chronology-link").await;
    wait_for(c, "chronology").await;
    let table = text_of(c, "#chronology", "Core group meeting").await;
    assert!(table.contains("Meeting") && table.contains("Child in need"), "{table}");
    check_page(c, "the chronology").await;
    choose(c, "kind", "contact").await;
    click(c, "#filter").await;
    text_of(c, "#chronology-count", "0 of 1 entries match").await;
    check_page(c, "the chronology, filtered").await;
    choose(c, "kind", "meeting").await;
    click(c, "#filter").await;
    text_of(c, "#chronology-count", "1 of 1 entries match").await;
    text_of(c, "#chronology", "Core group meeting").await;
    screenshot(c, "chronology").await;
}

both_backends!(a_practitioner_keeps_a_record_in_a_real_browser, the_practitioner);
