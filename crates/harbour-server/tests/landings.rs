//! Issue 15: each role lands on its day's work when it signs in, the search is offered only to
//! those who may read some record, and the auditor reaches every record's access log from the
//! audit trail without ever seeing a name. On SQLite and PostgreSQL.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod common;
mod pages;

use common::{json, TestApp};

both_backends!(
    each_role_lands_on_its_work_and_the_auditor_reaches_access_logs_from_the_trail,
    |app: TestApp| async move {
        for (who, landing) in [
            ("sw.demo", "/people"),
            ("mash.demo", "/people"),
            ("police.demo", "/da-notifications/sent"),
            ("cg.demo", "/guardian"),
            ("records.demo", "/retention"),
            ("dpo.demo", "/rights"),
            ("admin.demo", "/users"),
            ("auditor.demo", "/audit"),
            ("school.demo", "/received"),
        ] {
            let web = pages::sign_in(&app, who).await;
            let resp = app.client.get(format!("{}/", app.base)).header("cookie", &web.cookie).send().await.unwrap();
            assert_eq!(resp.status(), 303, "{who}");
            assert_eq!(resp.headers()["location"], landing, "{who}");
            let (status, html) = web.get(&app, landing).await;
            assert_eq!(status, 200, "{who} opens {landing}");
            // Only those who may read some record are offered the search.
            let offered = html.contains("id=\"nav-people\"");
            assert_eq!(offered, !["police.demo", "admin.demo", "auditor.demo", "school.demo"].contains(&who), "{who}");
        }
        // The auditor reads the trail in words, and each record's access log from it, but never a name.
        let sw = app.token("sw.demo").await;
        let (child, _) = app.allocated_child("sw.demo").await;
        json(app.get(&format!("/api/v1/people/{}", child.id), &sw).await, 200).await;
        let auditor = pages::sign_in(&app, "auditor.demo").await;
        let (status, html) = auditor.get(&app, "/audit").await;
        assert_eq!(status, 200);
        assert!(html.contains("Read the record") && html.contains("Sam Walker (demo)") && html.contains("(UK time)"));
        let link = format!("/people/{}/access-log", child.id);
        assert!(html.contains(&link), "a link to the record's access log");
        assert!(!html.contains(&child.family_name), "no name in the trail");
        let (status, log) = auditor.get(&app, &link).await;
        assert_eq!(status, 200);
        assert!(log.contains("Read the record"));
        let (status, _) = auditor.get(&app, "/audit?limit=250").await;
        assert_eq!(status, 200);
        for who in ["sw.demo", "police.demo", "admin.demo"] {
            let (status, _) = pages::sign_in(&app, who).await.get(&app, "/audit").await;
            assert_eq!(status, 403, "{who}");
        }
    }
);
