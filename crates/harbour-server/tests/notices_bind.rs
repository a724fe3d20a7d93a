//! Notices bind (issue 11): one scenario per finding of the data-protection audit, each on
//! SQLite and PostgreSQL. Every request here was accepted (HTTP 201) before, where the notice
//! called for a refusal; each refusal is now named, writes nothing but its ledger entry, and
//! shows in the person's access log.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod common;

use common::{clean, days, find_entry, json, org, rationale, TestApp};
use harbour_domain::{DataCategory, Entry, Person, RecordClass};
use serde_json::{json, Value};

const SHARING_TABLES: &[&str] = &["sharing_decisions", "decision_recipients", "disclosures"];

async fn counts(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for t in SHARING_TABLES {
        out.push(app.count(t).await);
    }
    out
}

/// A decision under `notice` sharing one entry's subject and date and the person's name.
fn share(notice: &str, person: &Person, entry: &Entry, to: &str) -> Value {
    json!({
        "notice": notice, "people": [person.id], "recipients": [to],
        "basis": "6(1)(e)",
        "entries": [{"entry_id": entry.id, "fields": ["subject", "occurred_at"]}],
        "person_fields": [{"person_id": person.id, "fields": ["name"]}],
        "consent": {"state": "not_sought", "reason": "Asking would alert the people suspected."},
        "family": {"position": "exempt", "exemption": "police-investigation", "review_on": days(30)},
        "rationale": rationale(), "urgency": "urgent"
    })
}

/// A CSE child's alleged-offence entry (tagged, with nothing special-category in it), shared
/// under the CSE notice for its own purpose.
async fn cse_offence(app: &TestApp) -> (Person, Entry, impl Fn(&str) -> Value) {
    let (child, entry) = find_entry(app, "sw.demo", RecordClass::ChildSexualExploitation, |e| {
        e.categories.contains(&DataCategory::CriminalOffence)
            && !e.categories.iter().any(|c| c.is_special())
            && clean(e)
    })
    .await;
    let (c, e) = (child.clone(), entry.clone());
    let body = move |to: &str| {
        let mut b = share("cse-sharing", &c, &e, to);
        b["purpose"] = json!("prevent-disrupt-detect");
        b["statute"] = json!("crime-and-disorder-act-1998-s115");
        b["condition"] = json!("crime-prevention");
        b["without_consent_ground"] = json!("detect-prevent-crime");
        b
    };
    (child, entry, body)
}

// Finding 1: the CSE notice names Police, Health, two councils' social care, housing and
// education; the domestic abuse notice the same. Nobody else receives under them, whatever
// seed 002's row they sit in.
both_backends!(only_the_partners_a_notice_names_receive_under_it, |app: TestApp| async move {
    let sw = app.token("sw.demo").await;
    let (_, _, cse) = cse_offence(&app).await;
    let before = counts(&app).await;
    for slug in ["supported-lodgings", "secure-accommodation", "dbs", "hmcts", "legal-services", "probation"] {
        let to = org(&app, slug).await;
        let problem = json(app.post("/api/v1/sharing-decisions", &sw, &cse(&to)).await, 422).await;
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.contains("is not among \"Who we may share your information with\""), "{slug}: {detail}");
        assert_eq!(problem["policy_ids"], json!(["cse-sharing/v2/recipients"]), "{slug}");
    }
    assert_eq!(counts(&app).await, before, "no refusal wrote a decision or a disclosure");
    let police = org(&app, "dorset-police").await;
    let d = json(app.post("/api/v1/sharing-decisions", &sw, &cse(&police)).await, 201).await;
    assert_eq!(d["recipient_matches"][0]["entry"], "police");
    assert_eq!(
        d["recipient_matches"][0]["reason"],
        "Dorset Police is a police force, which the entry \"Police\" covers"
    );
    let poole = org(&app, "borough-of-poole-social-care").await;
    let d = json(app.post("/api/v1/sharing-decisions", &sw, &cse(&poole)).await, 201).await;
    assert!(d["recipient_matches"][0]["reason"].as_str().unwrap().contains("is named in the entry"), "{d}");
    let shown =
        json(app.get(&format!("/api/v1/sharing-decisions/{}", d["id"].as_str().unwrap()), &sw).await, 200).await;
    assert_eq!(shown["recipient_matches"], d["recipient_matches"], "the match is recorded with the decision");

    // Seed 000: the police account goes to the police, not to the courts, the DBS or a
    // children's home. The police notify the hub; the hub triages; then it shares.
    let hub = app.token("mash.demo").await;
    let (child, account) = notified_child(&app).await;
    let da = |to: &str| {
        let mut b = share("domestic-abuse-sharing", &child, &account, to);
        b["purpose"] = json!("keep-safe");
        b["statute"] = json!("children-act-2004-s10");
        b["condition"] = json!("crime-safeguarding");
        b["without_consent_ground"] = json!("risk-of-harm");
        b
    };
    for slug in ["court-services", "dbs", "childrens-homes"] {
        let problem = json(app.post("/api/v1/sharing-decisions", &hub, &da(&org(&app, slug).await)).await, 422).await;
        assert!(problem["detail"].as_str().unwrap().contains("is not among"), "{slug}: {problem}");
    }
    json(app.post("/api/v1/sharing-decisions", &hub, &da(&police)).await, 201).await;
});

/// The police notify the hub of an incident at which one child (new to Harbour) was present,
/// with `summary` for the school; returns the triage path and the hub's triage of the child.
async fn notify(app: &TestApp, given: &str, gender: &str, summary: &str) -> (String, Value) {
    let police = app.token("police.demo").await;
    let child = json!({"given_name": given, "family_name": "Notified", "date_of_birth": "2015-03-02"});
    let n = json(
        app.post(
            "/api/v1/da-notifications",
            &police,
            &json!({
                "police_reference": "DP/2026/9001", "incident_at": format!("{}T22:10:00", days(-1)),
                "account": "Officers attended a domestic incident; the adult male was arrested for assault.",
                "location": "3 Heron Way, Poole", "summary_for_school": summary, "children": [child]
            }),
        )
        .await,
        201,
    )
    .await;
    let mut new_person = child.clone();
    new_person["gender"] = json!(gender);
    let triage = json!({"children": [{"new_person": new_person, "school_id": org(app, "harbourside-academy").await}]});
    (format!("/api/v1/da-notifications/{}/triage", n["id"].as_str().unwrap()), triage)
}

/// A child the police notified the hub about, triaged into a new record, and the police
/// account on it.
async fn notified_child(app: &TestApp) -> (Person, Entry) {
    let hub = app.token("mash.demo").await;
    let summary = "Officers were called to an argument between the adults at home.";
    let (path, triage) = notify(app, "Mia", "female", summary).await;
    let done = json(app.post(&path, &hub, &triage).await, 200).await;
    let person: harbour_domain::PersonId = done["children"][0]["person_id"].as_str().unwrap().parse().unwrap();
    let account = app
        .store
        .entries_of_person(person)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.categories.contains(&DataCategory::CriminalOffence))
        .expect("the police account is on the child's record");
    (app.store.person(person).await.unwrap(), account)
}

// Finding 2: an agreement can narrow what a named recipient receives; it never adds one.
both_backends!(an_agreement_narrows_the_notice_and_never_widens_it, |app: TestApp| async move {
    let sw = app.token("sw.demo").await;
    let dpo = app.token("dpo.demo").await;
    let (_, _, cse) = cse_offence(&app).await;
    let council = org(&app, "bcp-childrens").await;
    let dwp = org(&app, "dwp").await;
    let police = org(&app, "dorset-police").await;
    let agreement = |reference: &str, party: &str, categories: Value| {
        json!({
            "reference": reference, "title": "Data matching", "parties": [council, party],
            "purposes": ["fraud"], "categories": categories, "lawful_bases": ["6(1)(e)"],
            "starts_on": days(-10), "ends_on": days(300), "review_on": days(100)
        })
    };
    let fraud = json(
        app.post(
            "/api/v1/agreements",
            &dpo,
            &agreement("PISA-FRAUD", &dwp, json!(["personal_details", "criminal_offence"])),
        )
        .await,
        201,
    )
    .await;
    let mut body = cse(&dwp);
    let without = json(app.post("/api/v1/sharing-decisions", &sw, &body).await, 422).await;
    body["agreement_id"] = fraud["id"].clone();
    let with = json(app.post("/api/v1/sharing-decisions", &sw, &body).await, 422).await;
    assert!(with["detail"].as_str().unwrap().contains("an agreement cannot add a recipient"), "{with}");
    assert_eq!(with["detail"], without["detail"], "the agreement changes nothing about who may receive");

    // With the police, whom the notice names, an agreement narrower than the notice binds.
    let narrow = json(
        app.post("/api/v1/agreements", &dpo, &agreement("PISA-POLICE", &police, json!(["personal_details"]))).await,
        201,
    )
    .await;
    let mut body = cse(&police);
    body["agreement_id"] = narrow["id"].clone();
    let problem = json(app.post("/api/v1/sharing-decisions", &sw, &body).await, 422).await;
    assert!(problem["detail"].as_str().unwrap().contains("PISA-POLICE does not cover"), "{problem}");
    body["entries"] = json!([]);
    body.as_object_mut().unwrap().remove("condition");
    let d = json(app.post("/api/v1/sharing-decisions", &sw, &body).await, 201).await;
    let clauses = d["clauses"].to_string();
    assert!(clauses.contains("Police") && clauses.contains("agreement PISA-POLICE"), "{clauses}");
});

// Finding 3: seed 002, "We will only share your details with these organisations if we have
// your consent". Consent is cited from the record, covers the recipient, and once withdrawn
// carries nothing.
both_backends!(withdrawn_consent_carries_no_consent_based_sharing, |app: TestApp| async move {
    let sw = app.token("sw.demo").await;
    let safe = [DataCategory::Family, DataCategory::AssessmentAndPlans, DataCategory::AdviceAndGuidance];
    let (child, entry) = find_entry(&app, "sw.demo", RecordClass::ChildInNeed, move |e| {
        e.categories.iter().all(|c| safe.contains(c)) && clean(e)
    })
    .await;
    let nspcc = org(&app, "nspcc").await;
    let ymca = org(&app, "ymca").await;
    let give = |share_with: Vec<String>| json!({"service": "Family support from a children's charity", "given_by": "mother", "given_on": days(-20), "share_with": share_with});
    let consents = format!("/api/v1/people/{}/consents", child.id);
    let consent = json(app.post(&consents, &sw, &give(vec![nspcc.clone()])).await, 201).await;
    let mut body = share("bcp-childrens-services", &child, &entry, &nspcc);
    body["purpose"] = json!("alternative-services");
    body["statute"] = json!("children-acts-1989-2004");
    body["basis"] = json!("6(1)(a)");
    body["family"] = json!({"position": "told", "who": "mother", "when": days(0), "how": "home visit"});
    // Claiming consent without the record, or on the consent basis without consent: refused.
    body["consent"] = json!({"state": "given", "from": "mother"});
    let problem = json(app.post("/api/v1/sharing-decisions", &sw, &body).await, 422).await;
    assert!(problem["detail"].as_str().unwrap().contains("cite the recorded consent"), "{problem}");
    body["consent"] = json!({"state": "not_sought", "reason": "not asked"});
    body["without_consent_ground"] = json!("child-harm");
    let problem = json(app.post("/api/v1/sharing-decisions", &sw, &body).await, 422).await;
    assert!(problem["detail"].as_str().unwrap().contains("Art 6(1)(a) is consent"), "{problem}");
    body.as_object_mut().unwrap().remove("without_consent_ground");
    // A consent naming someone else does not cover the NSPCC.
    let other = json(app.post(&consents, &sw, &give(vec![ymca])).await, 201).await;
    body["consent"] = json!({"state": "given", "consent_ids": [other["id"]]});
    let problem = json(app.post("/api/v1/sharing-decisions", &sw, &body).await, 422).await;
    assert!(problem["detail"].as_str().unwrap().contains("does not name NSPCC"), "{problem}");
    // The recorded consent that names the NSPCC carries the share, and is cited in it.
    body["consent"] = json!({"state": "given", "consent_ids": [consent["id"]]});
    let d = json(app.post("/api/v1/sharing-decisions", &sw, &body).await, 201).await;
    assert_eq!(d["consent"]["consent_ids"], json!([consent["id"]]));
    assert_eq!(d["consent"]["from"], "mother");
    // Withdrawn today: the same share is refused, with the date of withdrawal.
    let withdraw = json!({"withdrawn_on": days(0), "withdrawn_by": "mother, by phone"});
    json(
        app.post(&format!("/api/v1/consents/{}/withdraw", consent["id"].as_str().unwrap()), &sw, &withdraw).await,
        200,
    )
    .await;
    let before = counts(&app).await;
    let problem = json(app.post("/api/v1/sharing-decisions", &sw, &body).await, 422).await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains(&format!("was withdrawn on {}", days(0))), "{detail}");
    assert_eq!(counts(&app).await, before);
});

// Finding 4: special-category content is found, not only tagged. A mother's bipolar
// diagnosis saved with no special category goes nowhere until it is confirmed, and then the
// condition and the Caldicott Guardian's rules apply.
both_backends!(untagged_special_category_content_is_found_before_it_is_shared, |app: TestApp| async move {
    let sw = app.token("sw.demo").await;
    let (child, episode) = app.allocated_child("sw.demo").await;
    let sw_id = app.user("sw.demo").await.id.to_string();
    let written = json(
        app.post(
            &format!("/api/v1/episodes/{}/entries", episode.id),
            &sw,
            &json!({
                "kind": "contact", "occurred_at": format!("{}T10:30:00", days(-1)), "location": "Family home",
                "subject": "Home visit: mother's health",
                "detail": "Mother told me she was diagnosed with bipolar disorder last year and has stopped her lithium.",
                "source": {"kind": "staff", "user_id": sw_id}, "categories": ["family"]
            }),
        )
        .await,
        201,
    )
    .await;
    let suggested = written["suggested_categories"].as_array().unwrap();
    let health = suggested.iter().find(|s| s["category"] == "physical_or_mental_health").expect("health found");
    assert!(health["words"].to_string().to_lowercase().contains("bipolar"), "{health}");
    let entry_id = written["id"].clone();
    let police = org(&app, "dorset-police").await;
    let mut body = json!({
        "notice": "bcp-childrens-services", "people": [child.id], "recipients": [police],
        "purpose": "protecting-children", "basis": "6(1)(e)", "statute": "children-acts-1989-2004",
        "entries": [{"entry_id": entry_id, "fields": ["subject", "detail"]}],
        "consent": {"state": "not_sought", "reason": "The police are investigating."},
        "without_consent_ground": "child-harm",
        "family": {"position": "exempt", "exemption": "police-investigation", "review_on": days(30)},
        "rationale": rationale(), "urgency": "urgent"
    });
    let problem = json(app.post("/api/v1/sharing-decisions", &sw, &body).await, 422).await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("looks like physical or mental health") && detail.contains("bipolar"), "{detail}");
    // Confirmed: the condition rule applies, and then the Guardian's.
    body["confirmed_categories"] = json!([{"entry_id": entry_id, "categories": ["physical_or_mental_health"]}]);
    let problem = json(app.post("/api/v1/sharing-decisions", &sw, &body).await, 422).await;
    assert!(problem["detail"].as_str().unwrap().contains("needs one of its conditions"), "{problem}");
    body["condition"] = json!("safeguarding");
    let d = json(app.post("/api/v1/sharing-decisions", &sw, &body).await, 201).await;
    assert_eq!(d["status"], "awaiting_guardian", "health shared without consent waits for the Guardian");
    assert!(d["categories"].as_array().unwrap().contains(&json!("physical_or_mental_health")));
    assert_eq!(app.count("disclosures").await, 0);
    // Sharing only the date, no text: nothing to find, nothing to confirm.
    body["entries"] = json!([{"entry_id": entry_id, "fields": ["occurred_at"]}]);
    body.as_object_mut().unwrap().remove("confirmed_categories");
    body.as_object_mut().unwrap().remove("condition");
    let d = json(app.post("/api/v1/sharing-decisions", &sw, &body).await, 201).await;
    assert_eq!(d["status"], "disclosed");
    // Tagged on the record, the entry needs no confirmation; the tag is only ever added.
    let tagged = json(
        app.post(
            &format!("/api/v1/entries/{}/categories", entry_id.as_str().unwrap()),
            &sw,
            &json!({"categories": ["physical_or_mental_health"]}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(tagged["categories"], json!(["family", "physical_or_mental_health"]));
    assert!(tagged["suggested_categories"].as_array().unwrap().is_empty());
    let police_user = app.token("police.demo").await;
    let path = format!("/api/v1/entries/{}/categories", entry_id.as_str().unwrap());
    json(app.post(&path, &police_user, &json!({"categories": ["ethnicity"]})).await, 403).await;
});

// Finding 5: a refused attempt to share is in the ledger (actor, person, recipient, the
// clause that refused) and in "who has looked at this record".
both_backends!(every_refused_share_is_in_the_ledger, |app: TestApp| async move {
    let sw = app.token("sw.demo").await;
    let dpo = app.token("dpo.demo").await;
    let (child, _, cse) = cse_offence(&app).await;
    let dbs = org(&app, "dbs").await;
    let before = app.store.audit_for_person(child.id).await.unwrap().len();
    json(app.post("/api/v1/sharing-decisions", &sw, &cse(&dbs)).await, 422).await;
    let events = app.store.audit_for_person(child.id).await.unwrap();
    assert_eq!(events.len(), before + 1, "one entry for the one person and recipient");
    let refused = events.last().unwrap();
    assert_eq!(refused.action, "sharing.refused");
    assert_eq!(refused.outcome, "denied");
    assert_eq!(refused.actor_id, Some(app.user("sw.demo").await.id.to_string()));
    assert_eq!(refused.target_id.as_deref(), Some(dbs.as_str()), "the recipient");
    assert_eq!(refused.policy_ids, vec!["cse-sharing/v2/recipients"], "the clause that refused");
    // A refusal by the authorizer (no working relationship) is there too.
    let ai2 = app.team_id("Assessment and Intervention 2").await;
    let body = json!({"username": "ai2.stranger", "display_name": "Other team (test)", "organisation": "bcp-childrens",
        "team_id": ai2, "role": "practitioner", "password": null});
    app.account(&body).await;
    let stranger = app.token("ai2.stranger").await;
    let police = org(&app, "dorset-police").await;
    json(app.post("/api/v1/sharing-decisions", &stranger, &cse(&police)).await, 403).await;
    // And a refused read. All three show in the record's access log, with who and why.
    json(app.get(&format!("/api/v1/people/{}", child.id), &stranger).await, 403).await;
    let log = json(app.get(&format!("/api/v1/people/{}/access-log", child.id), &dpo).await, 200).await;
    let lines = log.as_array().unwrap();
    let denied = |action: &str, who: &str| {
        lines
            .iter()
            .any(|l| l["action"] == action && l["outcome"] == "denied" && l["who"].as_str().unwrap().contains(who))
    };
    assert!(denied("sharing.refused", "Sam Walker"), "{log}");
    assert!(denied("sharing.refused", "Other team"), "{log}");
    assert!(denied("person.read", "Other team"), "{log}");
    // The ledger holds them: the signed tree covers every event.
    let sth = json(app.get("/api/v1/ledger/sth", &dpo).await, 200).await;
    assert!(sth["tree_size"].as_u64().unwrap() >= app.count("audit_events").await as u64);
});

// Finding 6: each notice decides only for its own processing, and a recipient with a fixed
// minimum data set never receives more than that set.
both_backends!(a_notice_decides_only_for_its_own_records_and_cp_is_gets_only_its_flag, |app: TestApp| async move {
    let sw = app.token("sw.demo").await;
    let (child, entry) = find_entry(&app, "sw.demo", RecordClass::ChildProtectionPlan, |e| {
        e.categories.iter().all(|c| !c.is_special() && !c.is_criminal_offence()) && clean(e)
    })
    .await;
    let police = org(&app, "dorset-police").await;
    let mut dhr = share("dorset-csp-dhr", &child, &entry, &police);
    dhr["purpose"] = json!("establish-lessons");
    dhr["statute"] = json!("dvcva-2004-s9");
    dhr["family"] =
        json!({"position": "exempt", "exemption": "compelling-reasons-not-to-publish", "review_on": days(30)});
    let problem = json(app.post("/api/v1/sharing-decisions", &sw, &dhr).await, 422).await;
    assert!(
        problem["detail"].as_str().unwrap().contains("governs the records of Domestic Homicide Reviews"),
        "{problem}"
    );
    assert_eq!(problem["policy_ids"], json!(["dorset-csp-dhr/v2/scope"]));

    // CP-IS: the child's name, date of birth and NHS number, and nothing else.
    let cpis = org(&app, "cp-is").await;
    let mut flag = share("bcp-childrens-services", &child, &entry, &cpis);
    flag["purpose"] = json!("protecting-children");
    flag["statute"] = json!("children-acts-1989-2004");
    flag["without_consent_ground"] = json!("child-harm");
    flag["family"] = json!({"position": "told", "who": "mother", "when": days(0), "how": "at the conference"});
    flag["entries"] = json!([]);
    flag["person_fields"] = json!([{"person_id": child.id, "fields": ["name", "date_of_birth", "nhs_number"]}]);
    let d = json(app.post("/api/v1/sharing-decisions", &sw, &flag).await, 201).await;
    assert!(d["clauses"].to_string().contains("fixed data set cp-is"), "{d}");
    for (change, value, excess) in [
        ("person_fields", json!([{"person_id": child.id, "fields": ["name", "address"]}]), "address"),
        ("person_fields", json!([{"person_id": child.id, "fields": ["upn"]}]), "upn"),
        ("entries", json!([{"entry_id": entry.id, "fields": ["detail"]}]), "an entry's detail"),
    ] {
        let mut body = flag.clone();
        body[change] = value;
        let problem = json(app.post("/api/v1/sharing-decisions", &sw, &body).await, 422).await;
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.contains("receives only its fixed data set") && detail.contains(excess), "{excess}: {detail}");
    }
    let mut whole = flag.clone();
    whole["person_fields"] = json!([]);
    whole["whole_record_justification"] = json!("CP-IS needs to know");
    let problem = json(app.post("/api/v1/sharing-decisions", &sw, &whole).await, 422).await;
    assert!(problem["detail"].as_str().unwrap().contains("the whole record"), "{problem}");
});

// Operation Encompass: the school's notice carries what its designated safeguarding lead
// needs and no more. A short account that would tell the school about an arrest is refused at
// triage (nothing is created) until the hub gives one without it.
both_backends!(a_school_notice_never_carries_the_offence, |app: TestApp| async move {
    let hub = app.token("mash.demo").await;
    let summary = "The adult male was arrested for assaulting the children's mother.";
    let (path, mut triage) = notify(&app, "Leo", "male", summary).await;
    let persons = app.count("persons").await;
    let problem = json(app.post(&path, &hub, &triage).await, 422).await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("criminal offence") && detail.contains("arrested"), "{detail}");
    assert_eq!(app.count("persons").await, persons, "a refused triage creates nobody");
    triage["summary_for_school"] = json!("Officers were called to the home late in the evening; Leo was upset.");
    let done = json(app.post(&path, &hub, &triage).await, 200).await;
    let person: harbour_domain::PersonId = done["children"][0]["person_id"].as_str().unwrap().parse().unwrap();
    let notice = app
        .store
        .entries_of_person(person)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.subject.starts_with("Operation Encompass notice"))
        .unwrap();
    assert!(notice.detail.contains("Leo was upset") && !notice.detail.contains("arrested"), "{}", notice.detail);
    assert_eq!(notice.location.as_deref(), Some("3 Heron Way, Poole"));
});
