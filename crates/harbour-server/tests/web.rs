//! The web pages over plain HTTP: sign-in, sessions, CSRF and throttling. (The same pages
//! in a real browser are in browser.rs.)
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod common;
mod pages;

use common::{spawn_app_with, TestApp};
use harbour_app::sessions as auth;
use harbour_server::ServerConfig;
use pages::{hidden, set_cookie, unescape, Web};

async fn try_sign_in(app: &TestApp, username: &str, password: &str) -> reqwest::Response {
    sign_in_as(&app.client, &app.base, username, password, "/people", &[]).await
}

/// Fetches the sign-in form and posts it with the given client (which may be bound to another
/// loopback address, to come from elsewhere) and extra headers.
async fn sign_in_as(
    client: &reqwest::Client,
    base: &str,
    username: &str,
    password: &str,
    next: &str,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let page = client.get(format!("{base}/login")).send().await.unwrap();
    let login_cookie = set_cookie(&page, "harbour_login_csrf").expect("login CSRF cookie");
    let token = hidden(&page.text().await.unwrap(), "csrf_token");
    let pair = login_cookie.split(';').next().unwrap().to_string();
    let mut post = client.post(format!("{base}/login")).header("cookie", pair);
    for (name, value) in headers {
        post = post.header(*name, *value);
    }
    post.form(&[("username", username), ("password", password), ("csrf_token", &token), ("next", next)])
        .send()
        .await
        .unwrap()
}

/// A client whose connections come from `ip` (any 127.x.y.z reaches the server on 127.0.0.1).
fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .local_address(ip.parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap()
}

async fn sign_in(app: &TestApp, username: &str) -> Web {
    let resp = try_sign_in(app, username, "demo").await;
    assert_eq!(resp.status(), 303, "sign-in redirects");
    let cookie = set_cookie(&resp, "harbour_session").expect("session cookie");
    let cookie = cookie.split(';').next().unwrap().to_string();
    let page = app.client.get(format!("{}/people", app.base)).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let csrf = hidden(&page.text().await.unwrap(), "csrf_token");
    Web { cookie, csrf }
}

both_backends!(signing_in_gives_a_secure_http_only_same_site_session, |_app: TestApp| async move {
    let app =
        spawn_app_with(_app.backend, ServerConfig { secure_cookies: true, demo: true, client_address_header: None })
            .await;
    let resp = try_sign_in(&app, "sw.demo", "demo").await;
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], "/people");
    let cookie = set_cookie(&resp, "harbour_session").unwrap();
    for attr in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
        assert!(cookie.contains(attr), "{attr} missing from {cookie}");
    }
    let wrong = try_sign_in(&app, "sw.demo", "not the password").await;
    assert_eq!(wrong.status(), 401);
    assert!(set_cookie(&wrong, "harbour_session").is_none());
    assert!(wrong.text().await.unwrap().contains("not right"));
});

both_backends!(a_sign_in_form_without_its_csrf_token_is_refused, |app: TestApp| async move {
    let resp = app
        .client
        .post(format!("{}/login", app.base))
        .form(&[("username", "sw.demo"), ("password", "demo"), ("csrf_token", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert!(set_cookie(&resp, "harbour_session").is_none());
});

both_backends!(repeated_failed_sign_ins_are_throttled, |app: TestApp| async move {
    for _ in 0..5 {
        assert_eq!(try_sign_in(&app, "tm.demo", "guess").await.status(), 401);
    }
    let throttled = try_sign_in(&app, "tm.demo", "demo").await;
    assert_eq!(throttled.status(), 429, "even the right password waits once throttled");
    assert!(throttled.text().await.unwrap().contains("Too many failed attempts"));
    // Another account is not affected.
    assert_eq!(try_sign_in(&app, "sw.demo", "demo").await.status(), 303);
    let trail = app.store.recent_audit(100).await.unwrap();
    assert_eq!(trail.iter().filter(|e| e.action == "login.failed").count(), 5);
    assert!(trail.iter().any(|e| e.action == "login.throttled"));
});

both_backends!(demo_accounts_sign_in_only_in_demo_mode, |_app: TestApp| async move {
    let app =
        spawn_app_with(_app.backend, ServerConfig { secure_cookies: false, demo: false, client_address_header: None })
            .await;
    assert_eq!(try_sign_in(&app, "sw.demo", "demo").await.status(), 401);
});

both_backends!(forms_need_the_session_csrf_token, |app: TestApp| async move {
    let web = sign_in(&app, "sw.demo").await;
    let no_token = app
        .client
        .post(format!("{}/logout", app.base))
        .header("cookie", &web.cookie)
        .form(&[("csrf_token", "wrong")])
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status(), 403);
    // A cookie-authenticated API write needs the token in X-CSRF-Token.
    let api = app
        .client
        .post(format!("{}/api/v1/people", app.base))
        .header("cookie", &web.cookie)
        .json(&serde_json::json!({"given_name": "A", "family_name": "B", "gender": "male"}))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 403);
    let with_token = app
        .client
        .post(format!("{}/api/v1/people", app.base))
        .header("cookie", &web.cookie)
        .header("x-csrf-token", &web.csrf)
        .json(&serde_json::json!({"given_name": "A", "family_name": "B", "gender": "male"}))
        .send()
        .await
        .unwrap();
    assert_eq!(with_token.status(), 201);
    let out = app
        .client
        .post(format!("{}/logout", app.base))
        .header("cookie", &web.cookie)
        .form(&[("csrf_token", web.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    let after = app.client.get(format!("{}/people", app.base)).header("cookie", &web.cookie).send().await.unwrap();
    assert_eq!(after.status(), 401, "the session ends at sign-out");
});

both_backends!(a_practitioner_finds_a_child_and_adds_an_entry_through_the_pages, |app: TestApp| async move {
    let web = sign_in(&app, "sw.demo").await;
    let sw = app.user("sw.demo").await;
    let episodes = app.allocated_child("sw.demo").await;
    let (person, episode) = episodes;
    let home = app.client.get(format!("{}/people", app.base)).header("cookie", &web.cookie).send().await.unwrap();
    let home = home.text().await.unwrap();
    assert!(home.contains("Your team's open cases") && home.contains(&format!("/people/{}", person.id)), "{home}");
    let search = app
        .client
        .get(format!("{}/people?name={}", app.base, person.family_name))
        .header("cookie", &web.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(search.status(), 200);
    assert!(search.text().await.unwrap().contains(&format!("/people/{}", person.id)));
    let form = app
        .client
        .get(format!("{}/episodes/{}/entries/new", app.base, episode.id))
        .header("cookie", &web.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 200);
    // Yesterday morning: "today at 09:15" is in the future before 09:15, and CI runs at any hour.
    let when = format!("{}T09:15", harbour_app::Now::read().today() - jiff::Span::new().days(1));
    let source = format!("staff:{}", sw.id);
    let fields = [
        ("csrf_token", web.csrf.as_str()),
        ("kind", "professional_opinion"),
        ("occurred_at", when.as_str()),
        ("location", "Office"),
        ("subject", "Risk view after visit"),
        ("detail", "Concerns reduced; plan to review in four weeks."),
        ("source", source.as_str()),
        ("categories", "family"),
        ("categories", "physical_or_mental_health"),
    ];
    let saved = app
        .client
        .post(format!("{}/episodes/{}/entries", app.base, episode.id))
        .header("cookie", &web.cookie)
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let location = saved.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with(&format!("/people/{}#entry-", person.id)));
    let page = app.client.get(format!("{}{}", app.base, location)).header("cookie", &web.cookie).send().await.unwrap();
    let html = page.text().await.unwrap();
    assert!(html.contains("Risk view after visit") && html.contains("Physical or mental health"));
    // The record shows how long each episode is kept, and so the file.
    let class = episode.retention_class.clone().expect("every demo episode has a retention class");
    assert!(html.contains(&format!("Kept under {}", class.replace('/', "&#x2f;"))), "{html}");
    assert!(html.contains("id=\"file-disposal\""));
    // A form with a missing subject comes back with the message and what was typed.
    let mut bad = fields.to_vec();
    bad.retain(|(k, _)| *k != "subject");
    let again = app
        .client
        .post(format!("{}/episodes/{}/entries", app.base, episode.id))
        .header("cookie", &web.cookie)
        .form(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 422);
    let html = again.text().await.unwrap();
    assert!(html.contains("subject must not be empty") && html.contains("Concerns reduced"));
});

both_backends!(the_dpo_can_see_who_has_looked_at_a_record_on_its_page, |app: TestApp| async move {
    let sw = sign_in(&app, "sw.demo").await;
    let dpo = sign_in(&app, "dpo.demo").await;
    let child = app.allocated_child("sw.demo").await.0.id;
    let seen =
        app.client.get(format!("{}/people/{child}", app.base)).header("cookie", &sw.cookie).send().await.unwrap();
    assert_eq!(seen.status(), 200);
    assert!(!seen.text().await.unwrap().contains("access-log-link"), "practitioners are not offered the log");
    let record =
        app.client.get(format!("{}/people/{child}", app.base)).header("cookie", &dpo.cookie).send().await.unwrap();
    assert!(record.text().await.unwrap().contains("access-log-link"));
    let log = app
        .client
        .get(format!("{}/people/{child}/access-log", app.base))
        .header("cookie", &dpo.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(log.status(), 200);
    let html = log.text().await.unwrap();
    assert!(html.contains("Sam Walker (demo)") && html.contains("case work with the child and family"));
    let refused = app
        .client
        .get(format!("{}/people/{child}/access-log", app.base))
        .header("cookie", &sw.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
});

both_backends!(consent_forms_refuse_bad_input_and_change_nothing, |app: TestApp| async move {
    let web = sign_in(&app, "sw.demo").await;
    let (child, _) = app.allocated_child("sw.demo").await;
    let post = |path: String, fields: Vec<(&'static str, String)>| {
        let app = &app;
        let web = &web;
        async move {
            app.client
                .post(format!("{}{path}", app.base))
                .header("cookie", &web.cookie)
                .form(&fields)
                .send()
                .await
                .unwrap()
        }
    };
    let today = harbour_app::Now::read().today().to_string();
    let give = |csrf: &str, given_on: &str| {
        vec![
            ("csrf_token", csrf.to_string()),
            ("service", "Early help".to_string()),
            ("given_by", "father".to_string()),
            ("given_on", given_on.to_string()),
        ]
    };
    let path = format!("/people/{}/consents", child.id);
    let before = app.count("consents").await;
    assert_eq!(post(path.clone(), give("forged", &today)).await.status(), 403);
    assert_eq!(post(path.clone(), give(&web.csrf, "last tuesday")).await.status(), 400);
    assert_eq!(post(path.clone(), give(&web.csrf, "2099-01-01")).await.status(), 422);
    assert_eq!(app.count("consents").await, before, "refusals write nothing");
    let saved = post(path, give(&web.csrf, &today)).await;
    assert_eq!(saved.status(), 303);
    assert_eq!(saved.headers()["location"], format!("/people/{}#consent-h", child.id).as_str());
    let consent = app.store.consents_of(child.id).await.unwrap().remove(0);
    let withdraw = format!("/consents/{}/withdraw", consent.id);
    let early = vec![
        ("csrf_token", web.csrf.clone()),
        ("withdrawn_on", "2000-01-01".into()),
        ("withdrawn_by", "father".into()),
    ];
    assert_eq!(post(withdraw.clone(), early).await.status(), 422);
    assert!(app.store.consents_of(child.id).await.unwrap()[0].withdrawn.is_none());
    let page =
        app.client.get(format!("{}/people/{}", app.base, child.id)).header("cookie", &web.cookie).send().await.unwrap();
    let html = page.text().await.unwrap();
    assert!(html.contains("Early help") && html.contains(&format!("withdraw-{}", consent.id)), "{html}");
});

both_backends!(parallel_wrong_passwords_get_no_more_checks_than_the_limit, |app: TestApp| async move {
    let mut attempts = tokio::task::JoinSet::new();
    for i in 0..40 {
        let (client, base) = (app.client.clone(), app.base.clone());
        attempts.spawn(async move {
            sign_in_as(&client, &base, "tm.demo", &format!("guess {i}"), "/people", &[]).await.status().as_u16()
        });
    }
    let statuses = attempts.join_all().await;
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let throttled = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((checked, throttled), (5, 35), "{statuses:?}");
    let right = try_sign_in(&app, "tm.demo", "demo").await;
    assert_eq!(right.status(), 429, "the right password waits too");
    assert!(right.text().await.unwrap().contains("Too many failed attempts"));
    let trail = app.store.recent_audit(200).await.unwrap();
    assert_eq!(trail.iter().filter(|e| e.action == "login.failed").count(), 5, "only the limit were checked");
    assert_eq!(trail.iter().filter(|e| e.action == "login.throttled").count(), 36);
    assert_eq!(app.count("login_failures").await, 5);
});

both_backends!(throttling_counts_each_username_and_each_address_apart, |app: TestApp| async move {
    let base = app.base.clone();
    let (here, elsewhere, office, other_office) =
        (client_from("127.0.0.1"), client_from("127.0.0.2"), client_from("127.0.0.3"), client_from("127.0.0.4"));
    let status = |client: &reqwest::Client, user: &str, password: &str, headers: &[(&str, &str)]| {
        let (client, base, user, password) = (client.clone(), base.clone(), user.to_string(), password.to_string());
        let headers: Vec<(String, String)> = headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
        async move {
            let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
            sign_in_as(&client, &base, &user, &password, "/people", &headers).await.status().as_u16()
        }
    };
    // One username's limit: it holds from every address, and blocks no other username.
    for _ in 0..auth::MAX_FAILURES {
        assert_eq!(status(&here, "tm.demo", "guess", &[]).await, 401);
    }
    assert_eq!(status(&here, "tm.demo", "demo", &[]).await, 429);
    assert_eq!(status(&elsewhere, "tm.demo", "demo", &[]).await, 429, "a username is throttled from anywhere");
    assert_eq!(status(&here, "sw.demo", "demo", &[]).await, 303, "another username is not blocked");
    // One address's limit, over many usernames: it blocks that address only. A client's own
    // X-Forwarded-For is ignored when no trusted proxy header is configured.
    for i in 0..auth::MAX_FAILURES_PER_ADDRESS {
        let spoof = format!("198.51.100.{i}");
        assert_eq!(status(&office, &format!("nobody.{i}"), "guess", &[("x-forwarded-for", &spoof)]).await, 401);
    }
    assert_eq!(status(&office, "cg.demo", "demo", &[]).await, 429, "the address is throttled");
    assert_eq!(status(&office, "cg.demo", "demo", &[("x-forwarded-for", "203.0.113.9")]).await, 429);
    assert_eq!(status(&other_office, "cg.demo", "demo", &[]).await, 303, "another address is not blocked");
    assert_eq!(status(&elsewhere, "dpo.demo", "demo", &[]).await, 303);
});

both_backends!(behind_a_trusted_proxy_the_forwarded_address_is_counted, |_app: TestApp| async move {
    let config = ServerConfig {
        secure_cookies: false,
        demo: true,
        client_address_header: Some(harbour_server::HeaderName::from_static("x-forwarded-for")),
    };
    let app = spawn_app_with(_app.backend, config).await;
    let from = |ip: &str| vec![("x-forwarded-for", format!("192.0.2.1, {ip}"))];
    for i in 0..auth::MAX_FAILURES_PER_ADDRESS {
        let h = from("198.51.100.7");
        let headers: Vec<(&str, &str)> = h.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let resp = sign_in_as(&app.client, &app.base, &format!("nobody.{i}"), "guess", "/people", &headers).await;
        assert_eq!(resp.status(), 401);
    }
    let h = from("198.51.100.7");
    let headers: Vec<(&str, &str)> = h.iter().map(|(n, v)| (*n, v.as_str())).collect();
    assert_eq!(sign_in_as(&app.client, &app.base, "sw.demo", "demo", "/people", &headers).await.status(), 429);
    let h = from("198.51.100.8");
    let headers: Vec<(&str, &str)> = h.iter().map(|(n, v)| (*n, v.as_str())).collect();
    assert_eq!(sign_in_as(&app.client, &app.base, "sw.demo", "demo", "/people", &headers).await.status(), 303);
});

both_backends!(after_sign_in_only_a_path_on_this_site_is_followed, |app: TestApp| async move {
    for next in [
        "/\t/evil.example",
        "/%09/evil.example",
        "//evil.example",
        "/\\evil.example",
        "/%5Cevil.example",
        "/%2F/evil.example",
        "https://evil.example",
        "evil.example",
        "/people\nSet-Cookie: a=b",
        "/people%0d%0aSet-Cookie:%20a=b",
        "/people\r\n",
        "/ people",
        "/people\u{2028}",
        "/people\u{0}",
        "",
        "/login",
    ] {
        let resp = sign_in_as(&app.client, &app.base, "sw.demo", "demo", next, &[]).await;
        assert_eq!(resp.status(), 303, "{next:?}");
        assert_eq!(resp.headers()["location"], "/", "{next:?} must not be followed");
        assert!(set_cookie(&resp, "harbour_session").is_some());
    }
    for next in ["/people/0b0e7d5e-0000-4000-8000-000000000000", "/people?name=smith&dob=2016-04-12", "/guardian"] {
        let resp = sign_in_as(&app.client, &app.base, "sw.demo", "demo", next, &[]).await;
        assert_eq!(resp.headers()["location"], next);
    }
    // The tester's link: the sign-in page carries `next` into its form, and the form's value
    // is refused after sign-in. Neither step fails.
    for query in ["/%09/evil.example", "//evil.example", "/%0d%0a", "https://evil.example", "%0a"] {
        let page = app.client.get(format!("{}/login?next={query}", app.base)).send().await.unwrap();
        assert_eq!(page.status(), 200, "{query}");
        let next = unescape(&hidden(&page.text().await.unwrap(), "next"));
        let resp = sign_in_as(&app.client, &app.base, "sw.demo", "demo", &next, &[]).await;
        assert_eq!(resp.headers()["location"], "/", "{query}");
    }
});
