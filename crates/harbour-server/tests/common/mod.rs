//! The test harness: `spawn_app` starts the real Harbour router on a random port against a
//! fresh database — a new SQLite file, or a new database on the PostgreSQL server named by
//! `HARBOUR_TEST_PG_URL` (scripts/test starts a throwaway one) — loaded with the demo data.
//! `both_backends!` turns one async test body into a test per backend.
#![allow(dead_code)]

use std::net::SocketAddr;

use harbour_app::actor as auth;
use harbour_app::{demo, App, Now};
use harbour_domain::{DataCategory, Entry, Person, RecordClass, User};
use harbour_server::{AppState, ServerConfig};
use harbour_store::{AuditEvent, Keyring, Store};
use reqwest::{Method, RequestBuilder, Response};
use serde_json::{json, Value};
use sqlx::Connection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    pub addr: SocketAddr,
    pub store: Store,
    pub backend: Backend,
    pub dir: tempfile::TempDir,
    pub database_url: String,
    pub client: reqwest::Client,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

/// Makes one `#[tokio::test]` per backend from an async body taking a `TestApp`.
#[macro_export]
macro_rules! both_backends {
    ($(#[$m:meta])* $name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = common::spawn_app(common::Backend::Sqlite).await;
                ($body)(app).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app = common::spawn_app(common::Backend::Postgres).await;
                ($body)(app).await;
            }
        }
    };
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, ServerConfig { secure_cookies: false, demo: true, client_address_header: None }).await
}

pub async fn spawn_app_with(backend: Backend, config: ServerConfig) -> TestApp {
    spawn_app_on(backend, config, |url| url).await
}

/// As [`spawn_app_with`], with the app's store connecting to `connect_to(database_url)`
/// instead (e.g. through a [`Relay`]); `TestApp::database_url` stays the direct URL.
pub async fn spawn_app_on(
    backend: Backend,
    config: ServerConfig,
    connect_to: impl FnOnce(String) -> String,
) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let keys = Keyring::load_or_create(dir.path()).expect("keys");
    let database_url = match backend {
        Backend::Sqlite => Store::sqlite_url(dir.path()),
        Backend::Postgres => harbour_testkit::fresh_postgres_database().await,
    };
    let mut store = Store::open(&connect_to(database_url.clone()), keys).await.expect("open store");
    demo::load(&store, harbour_app::Now::read().today()).await.expect("load demo data");
    store.start_ledger(harbour_store::ledger_signer(dir.path()).expect("ledger key")).await.expect("start ledger");
    let state = AppState::new(App::from_store(store.clone(), Now::read().today()).await.expect("notices load"), config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::spawn(harbour_server::serve(state, listener, async {
        let _ = rx.await;
    }));
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    TestApp { base: format!("http://{addr}"), addr, store, backend, dir, database_url, client, shutdown: Some(tx) }
}

/// A TCP relay on a loopback port to the PostgreSQL server of `HARBOUR_TEST_PG_URL`, which a
/// test can cut to play a database outage: open connections drop and new ones are refused.
pub struct Relay {
    pub port: u16,
    tasks: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::AbortHandle>>>,
}

impl Relay {
    pub async fn start() -> Relay {
        let admin = std::env::var("HARBOUR_TEST_PG_URL").expect("HARBOUR_TEST_PG_URL is set");
        let upstream = admin.rsplit_once('@').expect("user@host:port").1.split('/').next().unwrap().to_string();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind relay");
        let port = listener.local_addr().expect("relay addr").port();
        let tasks = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let handles = tasks.clone();
        let accept = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let conn = tokio::spawn(async move {
                    if let Ok(mut server) = tokio::net::TcpStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                handles.lock().unwrap().push(conn.abort_handle());
            }
        });
        tasks.lock().unwrap().push(accept.abort_handle());
        Relay { port, tasks }
    }

    /// The database URL `url` reached through the relay.
    pub fn url(&self, url: &str) -> String {
        let (user, rest) = url.rsplit_once('@').expect("user@host:port/db");
        let db = rest.split_once('/').expect("a database").1;
        format!("{user}@127.0.0.1:{}/{db}", self.port)
    }

    /// Stops listening and drops every open connection.
    pub fn cut(&self) {
        for task in self.tasks.lock().unwrap().drain(..) {
            task.abort();
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

impl TestApp {
    pub async fn user(&self, username: &str) -> User {
        self.store.user_by_username(username).await.expect("user exists")
    }

    /// A fresh API bearer token for a user, made as `harbour token issue` makes one.
    pub async fn token(&self, username: &str) -> String {
        let user = self.user(username).await;
        let token = auth::new_token();
        self.store
            .insert_token(user.id, &auth::digest(&token), &AuditEvent::new("token.issue", "user").target(user.id))
            .await
            .expect("insert token");
        token
    }

    pub fn request(&self, method: Method, path: &str, token: &str) -> RequestBuilder {
        self.client.request(method, format!("{}{path}", self.base)).bearer_auth(token)
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.request(Method::GET, path, token).send().await.expect("request")
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Response {
        self.request(Method::POST, path, token).json(body).send().await.expect("request")
    }

    /// Counts rows of a table, to show that a refused request wrote nothing.
    pub async fn count(&self, table: &str) -> i64 {
        let mut conn = sqlx::AnyConnection::connect(&self.database_url).await.expect("connect");
        let n: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&mut conn).await.expect("count");
        let _ = conn.close().await;
        n
    }

    /// A child of the demo data with an open episode allocated to `username`'s team.
    pub async fn allocated_child(&self, username: &str) -> (harbour_domain::Person, harbour_domain::Episode) {
        let team = self.user(username).await.team_id.expect("the user has a team");
        let episode = self
            .store
            .open_episodes_of_team(team)
            .await
            .expect("episodes")
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("the demo data allocates no open episode to {username}'s team"));
        (self.store.person(episode.person_id).await.expect("person"), episode)
    }

    /// A new staff account as the administrator creates it, approved by the data protection
    /// officer when its role can read records (a second person).
    pub async fn account(&self, body: &Value) -> Value {
        let admin = self.token("admin.demo").await;
        let user = json(self.post("/api/v1/users", &admin, body).await, 201).await;
        if user["awaiting_approval"] == json!(true) {
            let dpo = self.token("dpo.demo").await;
            let path = format!("/api/v1/users/{}/approve", user["id"].as_str().expect("id"));
            return json(self.post(&path, &dpo, &json!({})).await, 200).await;
        }
        user
    }

    pub async fn team_id(&self, name: &str) -> String {
        self.store
            .teams()
            .await
            .expect("teams")
            .into_iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("no team {name}"))
            .id
            .to_string()
    }
}

/// Reads a JSON body, asserting the status first.
pub async fn json(resp: Response, status: u16) -> Value {
    let got = resp.status().as_u16();
    let ct = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let text = resp.text().await.expect("body");
    assert_eq!(got, status, "unexpected status; body: {text}");
    if status >= 400 {
        assert_eq!(ct, "application/problem+json", "errors are problem bodies: {text}");
    }
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

// Sharing helpers, used by the sharing scenarios.

/// Today in the UK plus `n` days, as a date.
pub fn days(n: i64) -> String {
    (harbour_app::Now::read().today() + jiff::Span::new().days(n)).to_string()
}

pub async fn org(app: &TestApp, slug: &str) -> String {
    app.store.organisation_by_slug(slug).await.unwrap().id.to_string()
}

/// A person on `username`'s team's open episodes of `class`, and one of their entries that
/// `pred` accepts.
pub async fn find_entry(
    app: &TestApp,
    username: &str,
    class: RecordClass,
    pred: impl Fn(&Entry) -> bool,
) -> (Person, Entry) {
    let team = app.user(username).await.team_id.unwrap();
    for ep in app.store.open_episodes_of_team(team).await.unwrap() {
        if ep.record_class != class {
            continue;
        }
        if let Some(e) = app.store.entries_of_episode(ep.id).await.unwrap().into_iter().find(|e| pred(e)) {
            return (app.store.person(ep.person_id).await.unwrap(), e);
        }
    }
    panic!("no {class:?} entry for {username}'s team matches");
}

/// Entries tagged only with `allowed` categories, in which Harbour's scan finds nothing more.
pub fn only(allowed: &'static [DataCategory]) -> impl Fn(&Entry) -> bool {
    move |e: &Entry| e.categories.iter().all(|c| allowed.contains(c)) && clean(e)
}

/// An entry in which Harbour's scan finds nothing it is not tagged with.
pub fn clean(e: &Entry) -> bool {
    harbour_app::sensitive::untagged(e).is_empty()
}

pub fn rationale() -> Value {
    json!({
        "necessary": "The school needs to know to keep the child safe during the day.",
        "proportionate": "Only the subject and date are shared, not the detail.",
        "relevant": "It concerns the child's safety at school.",
        "adequate": "Enough for the designated safeguarding lead to act.",
        "accurate": "Checked against the case record today.",
        "timely": "Shared before the next school day.",
        "secure": "Through Harbour; the school signs in to see it."
    })
}

// Subject access helpers (issue 14).

pub const REFUGE: &str = "7 Kestrel Close";
pub const REFUGE_POSTCODE: &str = "BH12 3QT";

pub struct Family {
    pub child: String,
    pub episode: String,
    pub mother: String,
}

pub async fn person(app: &TestApp, token: &str, body: Value) -> String {
    json(app.post("/api/v1/people", token, &body).await, 201).await["id"].as_str().unwrap().to_string()
}

/// The child (allocated to sw.demo's team), her mother, her sister, her mother's new partner
/// and her father, linked; two entries that name them all; the refuge marked confidential.
pub async fn family(app: &TestApp) -> Family {
    let hub = app.token("mash.demo").await;
    let sw = app.token("sw.demo").await;
    let refuge = json!({"lines": [REFUGE, "Poole"], "postcode": REFUGE_POSTCODE});
    let child = person(
        app,
        &hub,
        json!({"given_name": "Maisie", "family_name": "Thornbury", "gender": "female",
        "date_of_birth": "2016-05-12", "address": refuge}),
    )
    .await;
    let team = app.user("sw.demo").await.team_id.unwrap().to_string();
    let ep = json!({"record_class": "child_in_need", "opened_on": days(-60), "team_id": team});
    let episode = json(app.post(&format!("/api/v1/people/{child}/episodes"), &hub, &ep).await, 201).await;
    let episode = episode["id"].as_str().unwrap().to_string();
    let mother = person(
        app,
        &sw,
        json!({"given_name": "Joanne", "family_name": "Thornbury", "gender": "female",
        "address": refuge}),
    )
    .await;
    let sister = person(
        app,
        &sw,
        json!({"given_name": "Ruby", "family_name": "Thornbury", "gender": "female",
        "date_of_birth": "2019-02-03", "address": refuge}),
    )
    .await;
    let partner = person(app, &sw, json!({"given_name": "Callum", "family_name": "Ridley", "gender": "male"})).await;
    let father = person(app, &sw, json!({"given_name": "Darren", "family_name": "Pike", "gender": "male"})).await;
    for (from, kind) in [
        (&mother, json!({"kind": "parent_carer", "parental_responsibility": true})),
        (&father, json!({"kind": "parent_carer", "parental_responsibility": true})),
        (&partner, json!({"kind": "household_member"})),
        (&sister, json!({"kind": "sibling"})),
    ] {
        let link = json!({"to": child, "relationship": kind});
        json(app.post(&format!("/api/v1/people/{from}/relationships"), &sw, &link).await, 201).await;
    }
    for who in [&child, &mother] {
        let path = format!("/api/v1/people/{who}/address-confidential");
        let flagged = app.request(reqwest::Method::PUT, &path, &sw).json(&json!({"confidential": true})).send().await;
        json(flagged.unwrap(), 200).await;
    }
    let sw_id = app.user("sw.demo").await.id.to_string();
    for (subject, detail) in [
        (
            "Home visit at the refuge",
            format!(
                "Visited Maisie at {REFUGE}, {REFUGE_POSTCODE}. Maisie's sister Ruby (DOB 03/02/2019) was asleep. \
             Joanne said Callum Ridley has moved in and Mr Ridley can be reached on 07700 900461. \
             Maisie told me she likes her new school and wants to see her dad."
            ),
        ),
        (
            "Strategy discussion",
            "Maisie's mother fears that if the father learns where they live he will come to the refuge. \
             Maisie is safe and well."
                .to_string(),
        ),
    ] {
        let body = json!({"kind": "meeting", "occurred_at": format!("{}T10:00:00", days(-5)), "subject": subject,
            "detail": detail, "source": {"kind": "staff", "user_id": sw_id}, "categories": ["family"]});
        json(app.post(&format!("/api/v1/episodes/{episode}/entries"), &sw, &body).await, 201).await;
    }
    Family { child, episode, mother }
}
