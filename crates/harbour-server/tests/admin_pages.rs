//! The administrator's and the data protection officer's pages over plain HTTP (issue 15):
//! staff accounts (`/users`), the directory of organisations (`/organisations`) and the
//! information sharing agreements (`/agreements`). Each form is posted as a browser without
//! JavaScript posts it, with the session's CSRF token; a bad form names its fields and changes
//! nothing; every role the use case refuses gets the 403 page. (The same journeys in a real
//! browser are in browser_admin.rs.)
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod common;
mod pages;

use common::TestApp;
use pages::sign_in;

/// The error summary's links, in order: the ids of the fields it names.
fn summary_links(html: &str) -> Vec<String> {
    let Some(start) = html.find("id=\"error-summary\"") else { return Vec::new() };
    let summary = &html[start..html[start..].find("</div>").map_or(html.len(), |e| start + e)];
    summary.split("href=\"#").skip(1).map(|s| s.split('"').next().unwrap().to_string()).collect()
}

async fn team(app: &TestApp, name: &str) -> String {
    app.team_id(name).await
}

/// A practitioner's form for the council's children's services, as the administrator fills it in.
fn sam(team: &str) -> Vec<(&'static str, String)> {
    vec![
        ("display_name", "Sam Taylor".into()),
        ("username", "sam.taylor".into()),
        ("organisation", "bcp-childrens".into()),
        ("team", team.into()),
        ("role", "practitioner".into()),
        ("password", "a long enough password".into()),
    ]
}

fn fields<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

both_backends!(the_administrator_creates_a_user_and_sees_it_in_the_list, |app: TestApp| async move {
    let admin = sign_in(&app, "admin.demo").await;
    let (status, html) = admin.get(&app, "/users").await;
    assert_eq!(status, 200, "{html}");
    for id in ["id=\"nav-users\"", "id=\"nav-organisations\"", "id=\"user-sw.demo\"", "href=\"/users/new\""] {
        assert!(html.contains(id), "{id} missing from the users page");
    }
    assert!(!html.contains("id=\"nav-agreements\""), "recording agreements is the DPO's work");
    assert!(
        html.contains("Team manager") && html.contains("Assessment and Intervention 1"),
        "roles and teams in words"
    );
    assert!(!html.contains(">team_manager<"), "no role codes");
    assert!(!html.contains("/approve"), "an administrator is offered no approval");

    let (status, form) = admin.get(&app, "/users/new").await;
    assert_eq!(status, 200);
    for field in [
        "id=\"display_name\"",
        "id=\"username\"",
        "id=\"organisation\"",
        "id=\"team\"",
        "id=\"role\"",
        "id=\"password\"",
    ] {
        assert!(form.contains(field), "{field} missing from the form");
    }
    assert!(form.contains("<label for=\"username\">Username</label>"));

    let before = app.count("users").await;
    let ai1 = team(&app, "Assessment and Intervention 1").await;
    let (status, location, _) = admin.post(&app, "/users", &fields(&sam(&ai1))).await;
    assert_eq!(status, 303, "a saved form redirects");
    let created = app.user("sam.taylor").await;
    assert_eq!(location, format!("/users?created={}", created.id));
    assert_eq!(app.count("users").await, before + 1);
    assert!(created.awaiting_approval && !created.active, "a practitioner waits for the data protection officer");

    let (status, html) = admin.get(&app, &location).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"confirmation\""), "a confirmation after the save");
    assert!(html.contains("Account created for Sam Taylor (sam.taylor)"));
    assert!(html.contains("until the data protection officer approves it"));
    let row = &html[html.find("id=\"user-sam.taylor\"").expect("the new user is listed")..];
    let row = &row[..row.find("</tr>").unwrap()];
    for text in [
        "Sam Taylor",
        "Practitioner",
        "BCP Council Children's Services",
        "Assessment and Intervention 1",
        "Awaiting approval",
    ] {
        assert!(row.contains(text), "{text} missing from the row: {row}");
    }

    // An auditor's account reads no records: it needs no approval.
    let (status, location, _) = admin
        .post(
            &app,
            "/users",
            &[
                ("display_name", "Alex Audit"),
                ("username", "alex.audit"),
                ("organisation", "bcp-childrens"),
                ("role", "auditor"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (_, html) = admin.get(&app, &location).await;
    assert!(html.contains("Account created for Alex Audit") && html.contains("It can be used now."));
    let row = &html[html.find("id=\"user-alex.audit\"").unwrap()..];
    assert!(row[..row.find("</tr>").unwrap()].contains("Active"));
    assert!(app.store.recent_audit(50).await.unwrap().iter().any(|e| e.action == "user.create"));
});

both_backends!(a_bad_user_form_names_its_fields_keeps_what_was_typed_and_changes_nothing, |app: TestApp| async move {
    let admin = sign_in(&app, "admin.demo").await;
    let before = app.count("users").await;
    let (status, _, html) = admin
        .post(
            &app,
            "/users",
            &[("display_name", "Sam Taylor"), ("username", ""), ("organisation", "bcp-childrens"), ("role", "wizard")],
        )
        .await;
    assert_eq!(status, 422, "{html}");
    assert_eq!(summary_links(&html), ["username", "role"], "the summary links to each field in order");
    assert!(html.contains("There is a problem"));
    assert!(html.contains("Enter a username.") && html.contains("Choose a role from the list."));
    assert!(html.contains("id=\"username-error\"") && html.contains("id=\"role-error\""), "errors beside the fields");
    assert!(html.contains("<title>Error: Create a user"), "the title says there is an error");
    assert!(html.contains("value=\"Sam Taylor\""), "what was typed is kept");
    assert!(html.contains("<option value=\"bcp-childrens\" selected>"), "what was chosen is kept");
    assert_eq!(app.count("users").await, before, "nothing was created");

    // A username the rule refuses, and a password that is too short (never shown again).
    let (status, _, html) = admin
        .post(
            &app,
            "/users",
            &[
                ("display_name", "Sam Taylor"),
                ("username", "Sam Taylor"),
                ("organisation", "bcp-childrens"),
                ("role", "practitioner"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(summary_links(&html), ["username", "password"]);
    assert!(!html.contains("value=\"short\""), "a password is never written back into the page");

    // The use case's own rules: a council role in a partner organisation; a username taken.
    let (status, _, html) = admin
        .post(
            &app,
            "/users",
            &[
                ("display_name", "Sam Taylor"),
                ("username", "sam.taylor"),
                ("organisation", "dorset-police"),
                ("role", "practitioner"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{html}");
    assert_eq!(summary_links(&html), ["role"]);
    assert!(html.contains("cannot belong to Dorset Police"), "the rule in words");
    let (status, _, html) = admin
        .post(
            &app,
            "/users",
            &[
                ("display_name", "Someone"),
                ("username", "sw.demo"),
                ("organisation", "bcp-childrens"),
                ("role", "auditor"),
            ],
        )
        .await;
    assert_eq!(status, 409, "{html}");
    assert_eq!(summary_links(&html), ["username"]);
    assert!(html.contains("That username is taken"));
    // A team of another organisation.
    let police_team = team(&app, "Public Protection").await;
    let (status, _, html) = admin
        .post(
            &app,
            "/users",
            &[
                ("display_name", "Sam Taylor"),
                ("username", "sam.taylor"),
                ("organisation", "bcp-childrens"),
                ("team", &police_team),
                ("role", "practitioner"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(summary_links(&html), ["team"]);
    assert_eq!(app.count("users").await, before, "nothing was created");
});

both_backends!(forms_without_the_session_csrf_token_are_refused, |app: TestApp| async move {
    let admin = sign_in(&app, "admin.demo").await;
    let ai1 = team(&app, "Assessment and Intervention 1").await;
    let users = app.count("users").await;
    let sam_form = sam(&ai1);
    let mut form = fields(&sam_form);
    let (status, _, html) = admin.post_raw(&app, "/users", &form).await;
    assert_eq!(status, 403, "{html}");
    form.push(("csrf_token", "forged"));
    assert_eq!(admin.post_raw(&app, "/users", &form).await.0, 403);
    assert_eq!(app.count("users").await, users);

    let orgs = app.count("organisations").await;
    let org = [
        ("name", "Poole Youth Club"),
        ("slug", "poole-youth-club"),
        ("kind", "voluntary_organisation"),
        ("controller_role", "controller"),
    ];
    assert_eq!(admin.post_raw(&app, "/organisations", &org).await.0, 403);
    let police = common::org(&app, "dorset-police").await;
    assert_eq!(admin.post_raw(&app, &format!("/organisations/{police}"), &org).await.0, 403);
    assert_eq!(admin.post_raw(&app, &format!("/organisations/{police}/delete"), &[]).await.0, 403);
    assert_eq!(app.count("organisations").await, orgs);
    assert_eq!(app.store.organisation_by_slug("dorset-police").await.unwrap().name, "Dorset Police");

    // The officer's decision on an account waiting for approval.
    admin.post(&app, "/users", &fields(&sam(&ai1))).await;
    let waiting = app.user("sam.taylor").await;
    let dpo = sign_in(&app, "dpo.demo").await;
    assert_eq!(dpo.post_raw(&app, &format!("/users/{}/approve", waiting.id), &[]).await.0, 403);
    assert!(app.user("sam.taylor").await.awaiting_approval, "still waiting");

    let agreements = app.count("agreements").await;
    let today = common::days(0);
    let review = common::days(300);
    let bcp = common::org(&app, "bcp-childrens").await;
    let form = [
        ("reference", "PISA-TEST-1"),
        ("title", "Test"),
        ("parties", bcp.as_str()),
        ("parties", police.as_str()),
        ("purposes", "Keep children safe"),
        ("categories", "personal_details"),
        ("lawful_bases", "6(1)(e)"),
        ("starts_on", today.as_str()),
        ("review_on", review.as_str()),
    ];
    assert_eq!(dpo.post_raw(&app, "/agreements", &form).await.0, 403);
    assert_eq!(app.count("agreements").await, agreements);
});

both_backends!(roles_whose_work_it_is_not_get_the_refusal_page, |app: TestApp| async move {
    let ai1 = team(&app, "Assessment and Intervention 1").await;
    let bcp = common::org(&app, "bcp-childrens").await;
    let police = common::org(&app, "dorset-police").await;
    let today = common::days(0);
    let review = common::days(300);
    let agreement = [
        ("reference", "PISA-TEST-1"),
        ("title", "Test"),
        ("parties", bcp.as_str()),
        ("parties", police.as_str()),
        ("purposes", "Keep children safe"),
        ("categories", "personal_details"),
        ("lawful_bases", "6(1)(e)"),
        ("starts_on", today.as_str()),
        ("review_on", review.as_str()),
    ];
    let org = [
        ("name", "Poole Youth Club"),
        ("slug", "poole-youth-club"),
        ("kind", "voluntary_organisation"),
        ("controller_role", "controller"),
    ];
    let (users, orgs, agreements) =
        (app.count("users").await, app.count("organisations").await, app.count("agreements").await);
    for who in ["sw.demo", "auditor.demo"] {
        let web = sign_in(&app, who).await;
        for path in
            ["/users", "/users/new", "/organisations/new", &format!("/organisations/{police}"), "/agreements/new"]
        {
            let (status, html) = web.get(&app, path).await;
            assert_eq!(status, 403, "{who} {path}");
            assert!(html.contains("You cannot see this"), "{who} {path}: the refusal page");
        }
        let sam_form = sam(&ai1);
        for (path, form) in [
            ("/users".to_string(), fields(&sam_form)),
            // A bad form is refused too, not shown back with its errors.
            ("/users".to_string(), vec![("username", ""), ("role", "wizard")]),
            ("/organisations".to_string(), org.to_vec()),
            ("/organisations".to_string(), vec![("name", "")]),
            (format!("/organisations/{police}"), org.to_vec()),
            (format!("/organisations/{police}/delete"), vec![]),
            ("/agreements".to_string(), agreement.to_vec()),
            ("/agreements".to_string(), vec![("reference", "")]),
        ] {
            let (status, _, html) = web.post(&app, &path, &form).await;
            assert_eq!(status, 403, "{who} POST {path}: {html}");
            assert!(html.contains("You cannot see this"), "{who} POST {path}");
        }
        // Everyone may read the directory and the agreements, but is offered no change.
        let (status, html) = web.get(&app, "/organisations").await;
        assert_eq!(status, 200, "{who}");
        assert!(html.contains("Dorset Police") && !html.contains("/organisations/new"), "{who}");
        let (status, html) = web.get(&app, "/agreements").await;
        assert_eq!(status, 200, "{who}");
        assert!(!html.contains("/agreements/new"), "{who}");
        for nav in ["nav-users", "nav-organisations", "nav-agreements"] {
            assert!(!html.contains(nav), "{who} is not offered {nav}");
        }
    }
    assert_eq!(app.count("users").await, users);
    assert_eq!(app.count("organisations").await, orgs);
    assert_eq!(app.count("agreements").await, agreements);
    let trail = app.store.recent_audit(200).await.unwrap();
    assert!(trail.iter().any(|e| e.action == "user.list" && e.outcome == "denied"), "refusals are in the ledger");
    // The officer may read the accounts (to approve them) but not create one.
    let dpo = sign_in(&app, "dpo.demo").await;
    assert_eq!(dpo.get(&app, "/users").await.0, 200);
    assert_eq!(dpo.get(&app, "/users/new").await.0, 403);
    assert_eq!(dpo.post(&app, "/users", &fields(&sam(&ai1))).await.0, 403);
    assert_eq!(app.count("users").await, users);
});

both_backends!(an_account_is_approved_by_a_second_person_never_the_administrator, |app: TestApp| async move {
    let admin = sign_in(&app, "admin.demo").await;
    let ai1 = team(&app, "Assessment and Intervention 1").await;
    admin.post(&app, "/users", &fields(&sam(&ai1))).await;
    let sam = app.user("sam.taylor").await;
    assert!(sam.awaiting_approval);

    // The administrator who asked for it cannot approve it, nor their own account.
    for id in [sam.id, app.user("admin.demo").await.id] {
        for decision in ["approve", "reject"] {
            let (status, _, html) = admin.post(&app, &format!("/users/{id}/{decision}"), &[]).await;
            assert_eq!(status, 403, "{decision}: {html}");
            assert!(html.contains("A second person decides each account"), "the refusal in plain words: {html}");
            assert!(!html.contains("approve_accounts"), "no codes");
        }
    }
    let still = app.user("sam.taylor").await;
    assert!(still.awaiting_approval && !still.active, "nothing changed");

    // The data protection officer sees it waiting and approves it.
    let dpo = sign_in(&app, "dpo.demo").await;
    let (status, html) = dpo.get(&app, "/users").await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"nav-users\""), "the officer has Users in the menu");
    assert!(html.contains("1</strong> account awaiting approval"));
    assert!(html.contains(&format!("action=\"/users/{}/approve\"", sam.id)));
    assert!(!html.contains("href=\"/users/new\""), "the officer is not offered to create accounts");
    let (status, location, _) = dpo.post(&app, &format!("/users/{}/approve", sam.id), &[]).await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("/users?approved={}", sam.id));
    let approved = app.user("sam.taylor").await;
    assert!(approved.active && !approved.awaiting_approval);
    let (_, html) = dpo.get(&app, &location).await;
    assert!(html.contains("Sam Taylor's account is approved"), "a confirmation");
    let row = &html[html.find("id=\"user-sam.taylor\"").unwrap()..];
    assert!(row[..row.find("</tr>").unwrap()].contains("Active"));
    // Deciding it again is a conflict, said in words.
    let (status, _, html) = dpo.post(&app, &format!("/users/{}/reject", sam.id), &[]).await;
    assert_eq!(status, 409);
    assert!(html.contains("not waiting for approval"));

    // Refusing one leaves it closed.
    let kim_form = self::sam(&ai1);
    let mut other = fields(&kim_form);
    other[1] = ("username", "kim.lee");
    other[0] = ("display_name", "Kim Lee");
    admin.post(&app, "/users", &other).await;
    let kim = app.user("kim.lee").await;
    let (status, location, _) = dpo.post(&app, &format!("/users/{}/reject", kim.id), &[]).await;
    assert_eq!((status, location.as_str()), (303, format!("/users?refused={}", kim.id).as_str()));
    let kim = app.user("kim.lee").await;
    assert!(!kim.active && !kim.awaiting_approval);
    let trail = app.store.recent_audit(50).await.unwrap();
    assert!(trail.iter().any(|e| e.action == "user.approve") && trail.iter().any(|e| e.action == "user.reject"));
});

both_backends!(the_administrator_adds_changes_and_deletes_organisations, |app: TestApp| async move {
    let admin = sign_in(&app, "admin.demo").await;
    let (status, html) = admin.get(&app, "/organisations").await;
    assert_eq!(status, 200);
    let row = &html[html.find("id=\"org-dorset-police\"").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("Police force") && row.contains("Controller"), "kinds in words: {row}");
    assert!(!html.contains("police_force"), "no kind codes");

    let (status, form) = admin.get(&app, "/organisations/new").await;
    assert_eq!(status, 200);
    assert!(form.contains("id=\"name\"") && form.contains("id=\"slug\"") && form.contains("id=\"kind\""));

    // A bad form names its fields and adds nothing.
    let before = app.count("organisations").await;
    let (status, _, html) =
        admin.post(&app, "/organisations", &[("name", ""), ("slug", "Poole Youth Club"), ("kind", "spaceship")]).await;
    assert_eq!(status, 422);
    assert_eq!(summary_links(&html), ["name", "slug", "kind", "controller_role"]);
    assert!(html.contains("value=\"Poole Youth Club\""), "what was typed is kept");
    let (status, _, html) = admin
        .post(
            &app,
            "/organisations",
            &[("name", "Copy"), ("slug", "dorset-police"), ("kind", "police_force"), ("controller_role", "controller")],
        )
        .await;
    assert_eq!(status, 409);
    assert_eq!(summary_links(&html), ["slug"]);
    assert_eq!(app.count("organisations").await, before);

    let (status, location, _) = admin
        .post(
            &app,
            "/organisations",
            &[
                ("name", "Poole Youth Club"),
                ("slug", "poole-youth-club"),
                ("kind", "voluntary_organisation"),
                ("controller_role", "controller"),
                ("charter_signatory", "yes"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let club = app.store.organisation_by_slug("poole-youth-club").await.unwrap();
    assert_eq!(location, format!("/organisations?created={}", club.id));
    assert!(club.charter_signatory);
    let (_, html) = admin.get(&app, &location).await;
    assert!(html.contains("Poole Youth Club added") && html.contains("Voluntary organisation"));
    assert!(html.contains("id=\"org-poole-youth-club\""));

    // Changed: the form comes filled in; a bad change changes nothing.
    let (status, form) = admin.get(&app, &format!("/organisations/{}", club.id)).await;
    assert_eq!(status, 200);
    assert!(form.contains("value=\"Poole Youth Club\"") && form.contains("value=\"voluntary_organisation\" selected"));
    let path = format!("/organisations/{}", club.id);
    let (status, _, html) = admin
        .post(
            &app,
            &path,
            &[
                ("name", "  "),
                ("slug", "poole-youth-club"),
                ("kind", "voluntary_organisation"),
                ("controller_role", "controller"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(summary_links(&html), ["name"]);
    let (status, location, _) = admin
        .post(
            &app,
            &path,
            &[
                ("name", "Poole Youth Trust"),
                ("slug", "poole-youth-trust"),
                ("kind", "childrens_charity"),
                ("controller_role", "processor"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("/organisations?updated={}", club.id));
    let changed = app.store.organisation_by_slug("poole-youth-trust").await.unwrap();
    assert_eq!((changed.id, changed.name.as_str(), changed.charter_signatory), (club.id, "Poole Youth Trust", false));
    let (_, html) = admin.get(&app, &location).await;
    assert!(html.contains("Poole Youth Trust saved") && html.contains("Children's charity"));

    // One that something refers to cannot be deleted: the page says why.
    let police = common::org(&app, "dorset-police").await;
    let (status, _, html) = admin.post(&app, &format!("/organisations/{police}/delete"), &[]).await;
    assert_eq!(status, 409, "{html}");
    assert_eq!(summary_links(&html), ["delete"]);
    assert!(html.contains("cannot be deleted"));
    assert!(app.store.organisation_by_slug("dorset-police").await.is_ok());
    // One nothing refers to can.
    let (status, location, _) = admin.post(&app, &format!("/organisations/{}/delete", club.id), &[]).await;
    assert_eq!((status, location.as_str()), (303, "/organisations?deleted=1"));
    assert!(app.store.organisation_by_slug("poole-youth-trust").await.is_err());
    assert_eq!(app.count("organisations").await, before);
    let (_, html) = admin.get(&app, &location).await;
    assert!(html.contains("Organisation deleted") && !html.contains("Poole Youth Trust"));
});

both_backends!(the_data_protection_officer_records_and_reads_an_agreement, |app: TestApp| async move {
    let dpo = sign_in(&app, "dpo.demo").await;
    let bcp = common::org(&app, "bcp-childrens").await;
    let police = common::org(&app, "dorset-police").await;
    let school = common::org(&app, "harbourside-academy").await;
    let (status, html) = dpo.get(&app, "/agreements").await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"nav-agreements\"") && html.contains("href=\"/agreements/new\""));
    let (status, form) = dpo.get(&app, "/agreements/new").await;
    assert_eq!(status, 200);
    assert!(form.contains("id=\"reference\"") && form.contains("Public task — Article 6(1)(e)"));

    // A bad form: one party, no purpose, ending before it starts.
    let before = app.count("agreements").await;
    let (start, end, review) = (common::days(-10), common::days(-20), common::days(100));
    let (status, _, html) = dpo
        .post(
            &app,
            "/agreements",
            &[
                ("reference", "PISA-2026-014"),
                ("title", "Operation Encompass"),
                ("parties", &bcp),
                ("purposes", "  "),
                ("starts_on", &start),
            ],
        )
        .await;
    assert_eq!(status, 422, "{html}");
    assert_eq!(summary_links(&html), ["purposes", "categories", "lawful_bases", "review_on"]);
    assert!(html.contains("value=\"PISA-2026-014\""), "what was typed is kept");
    assert!(html.contains(&format!("value=\"{bcp}\" checked")), "what was ticked is kept");
    let (status, _, html) = dpo
        .post(
            &app,
            "/agreements",
            &[
                ("reference", "PISA-2026-014"),
                ("title", "Operation Encompass"),
                ("parties", &bcp),
                ("purposes", "Support children affected by domestic abuse"),
                ("categories", "personal_details"),
                ("lawful_bases", "6(1)(e)"),
                ("starts_on", &start),
                ("review_on", &review),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(summary_links(&html), ["parties"], "an agreement has two parties or more");
    let (status, _, html) = dpo
        .post(
            &app,
            "/agreements",
            &[
                ("reference", "PISA-2026-014"),
                ("title", "Operation Encompass"),
                ("parties", &bcp),
                ("parties", &school),
                ("purposes", "Support children affected by domestic abuse"),
                ("categories", "personal_details"),
                ("lawful_bases", "6(1)(e)"),
                ("starts_on", &start),
                ("ends_on", &end),
                ("review_on", &review),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(summary_links(&html), ["ends_on"]);
    let uk = |d: &str| d.parse::<jiff::civil::Date>().unwrap().strftime("%-d %B %Y").to_string();
    assert!(html.contains(&format!("cannot end on {}, before it starts on {}", uk(&end), uk(&start))), "UK dates");
    assert_eq!(app.count("agreements").await, before, "nothing was recorded");

    let (status, location, _) = dpo
        .post(
            &app,
            "/agreements",
            &[
                ("reference", "PISA-2026-014"),
                ("title", "Operation Encompass"),
                ("parties", &bcp),
                ("parties", &school),
                ("parties", &police),
                ("purposes", "Support children affected by domestic abuse\nTell the school before the next school day"),
                ("categories", "personal_details"),
                ("categories", "child_protection"),
                ("lawful_bases", "6(1)(e)"),
                ("starts_on", &start),
                ("review_on", &review),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(app.count("agreements").await, before + 1);
    assert!(location.starts_with("/agreements/") && location.ends_with("?created=1"), "{location}");
    let (status, html) = dpo.get(&app, &location).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"confirmation\"") && html.contains("Agreement recorded"));
    for text in [
        "PISA-2026-014",
        "Operation Encompass",
        "Dorset Police",
        "Harbourside Academy",
        "Tell the school before the next school day",
        "Child protection",
        "Public task — Article 6(1)(e)",
        "In force",
        &uk(&start),
        &uk(&review),
    ] {
        assert!(html.contains(text), "{text} missing from the agreement's page");
    }
    assert!(!html.contains("child_protection<") && !html.contains(&format!(">{start}<")), "no codes or ISO dates");
    let id = location.trim_start_matches("/agreements/").trim_end_matches("?created=1");
    let (_, html) = dpo.get(&app, "/agreements").await;
    assert!(html.contains(&format!("href=\"/agreements/{id}\"")) && html.contains("PISA-2026-014"));

    // Everyone reads it; nobody else records one.
    let sw = sign_in(&app, "sw.demo").await;
    let (status, html) = sw.get(&app, &format!("/agreements/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Operation Encompass") && !html.contains("Agreement recorded"));
    let admin = sign_in(&app, "admin.demo").await;
    assert_eq!(admin.get(&app, "/agreements/new").await.0, 403);
    let (status, _, _) = admin
        .post(
            &app,
            "/agreements",
            &[
                ("reference", "PISA-2026-015"),
                ("title", "Another"),
                ("parties", &bcp),
                ("parties", &school),
                ("purposes", "Anything"),
                ("categories", "personal_details"),
                ("lawful_bases", "6(1)(e)"),
                ("starts_on", &start),
                ("review_on", &review),
            ],
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(app.count("agreements").await, before + 1);
    assert_eq!(dpo.get(&app, "/agreements/not-an-id").await.0, 404);
});
