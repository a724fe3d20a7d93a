//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use std::sync::OnceLock;

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::{
    accounts, agreements, calendar, consent, data_quality, directory, emergency, intake, ledger, people, retention,
    rights, sharing,
};

#[derive(OpenApi)]
#[openapi(
    info(title = "Harbour API", description = "Safeguarding case records and lawful sharing. \
        Authenticate with `Authorization: Bearer <token>` (issue one with `harbour token issue`). \
        Errors are RFC 9457 problem bodies (`application/problem+json`)."),
    paths(
        directory::api::me, people::api::search_people, people::api::create_person, people::api::get_person, people::api::list_relationships,
        people::api::add_relationship, people::api::list_episodes, people::api::open_episode, people::api::person_entries, people::api::get_episode,
        people::api::close_episode, people::api::list_entries, people::api::add_entry, people::api::tag_entry, directory::api::list_organisations,
        directory::api::create_organisation, directory::api::list_teams, accounts::api::list_users, accounts::api::create_user,
        accounts::api::approve_user, accounts::api::reject_user, ledger::api::recent_audit,
        ledger::api::sth, ledger::api::inclusion, ledger::api::consistency, ledger::api::entry, ledger::api::access_log,
        agreements::api::list, agreements::api::show, agreements::api::create,
        sharing::api::decide, sharing::api::show_decision, sharing::api::rule, sharing::api::family,
        sharing::api::guardian_queue, sharing::api::notifications_due, sharing::api::received,
        sharing::api::received_one, sharing::api::disclosure_log, intake::api::notifications,
        intake::api::submit_notification, intake::api::notification, intake::api::triage,
        intake::api::share_with_schools, intake::api::requests, intake::api::submit_request,
        intake::api::request, directory::api::holidays, directory::api::add_holiday,
        directory::api::update_organisation, directory::api::delete_organisation,
        retention::api::person_retention, retention::api::reopen, retention::api::correct_closure,
        retention::api::holds, retention::api::add_hold, retention::api::end_hold, retention::api::sweep,
        retention::api::queue, retention::api::approve, retention::api::approve_all, retention::api::defer,
        retention::api::hold, retention::api::destructions, retention::api::certificate,
        consent::api::list, consent::api::give, consent::api::withdraw,
        people::api::record_death, people::api::update_nhs_number, people::api::set_address_confidential, data_quality::api::nhs_numbers_to_correct,
        calendar::api::days_off, calendar::api::deadline,
        rights::api::list, rights::api::dashboard, rights::api::record, rights::api::show, rights::api::move_on, rights::api::extend,
        rights::api::link_person, rights::api::child_view, rights::api::restriction, rights::api::objection, rights::api::rectify, people::api::entry_versions, rights::api::collate, rights::api::review, rights::api::decide, rights::api::release, rights::api::release_record,
        rights::api::bundle_pdf, rights::api::bundle_html,
        emergency::api::open, emergency::api::list, emergency::api::review,
    ),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document served at `/api/v1/openapi.json`: the handlers' annotations, finished by
/// [`declare_problems`] so it states every response the server really gives.
pub fn document_json() -> &'static serde_json::Value {
    static DOC: OnceLock<serde_json::Value> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc = serde_json::to_value(ApiDoc::openapi()).expect("the OpenAPI document serializes");
        declare_problems(&mut doc);
        close_request_objects(&mut doc);
        // What utoipa's attributes cannot say: a bulk approval names each file once.
        if let Some(ids) = doc.pointer_mut("/components/schemas/BulkApproval/properties/person_ids") {
            ids["uniqueItems"] = serde_json::Value::Bool(true);
        }
        doc
    })
}

pub async fn document() -> Json<&'static serde_json::Value> {
    Json(document_json())
}

/// Why each error status can come back, for the operations that can give it.
const PROBLEMS: &[(&str, &str)] = &[
    ("400", "the path, query or body could not be read (not an id, not a date, malformed JSON)"),
    ("401", "no valid bearer token"),
    ("403", "the caller's role, organisation or relationship to the person does not allow this"),
    ("404", "no such record, or none the caller may know of"),
    ("413", "the body is larger than the server accepts (1 MiB)"),
    ("415", "the body is not sent as application/json"),
    ("422", "the request is well formed but a rule refuses it (the detail says which)"),
    ("503", "the database is out of reach for a moment; retry after the Retry-After seconds"),
];

/// Makes the document say what the server does for errors: every problem is sent as
/// `application/problem+json` (RFC 9457), and each operation lists the error statuses it can
/// give by its shape: 401, 403 and 503 always; 400 when it reads a path, query or body; 404 when
/// it names a resource in its path or refers to others in its body; 413, 415 and 422 when it
/// takes a body, and 422 when its query is checked against rules. 503 carries `Retry-After`.
pub fn declare_problems(doc: &mut serde_json::Value) {
    use serde_json::{json, Value};
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        for (method, op) in item.iter_mut() {
            if !matches!(method.as_str(), "get" | "put" | "post" | "delete" | "patch") {
                continue;
            }
            let params = op.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
            let has = |place: &str| params.iter().any(|p| p.get("in").and_then(Value::as_str) == Some(place));
            let (path, query, body) = (has("path"), has("query"), op.get("requestBody").is_some());
            let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else { continue };
            for (code, response) in responses.iter_mut() {
                if !(code.starts_with('4') || code.starts_with('5')) {
                    continue;
                }
                if let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) {
                    if let Some(schema) = content.remove("application/json") {
                        content.insert("application/problem+json".into(), schema);
                    }
                }
                if response.get("description").and_then(Value::as_str).is_none_or(str::is_empty) {
                    if let Some((_, why)) = PROBLEMS.iter().find(|(c, _)| c == code) {
                        response["description"] = json!(why);
                    }
                }
            }
            for (code, why) in PROBLEMS {
                let gives = match *code {
                    "400" => path || query || body,
                    "404" => path || body,
                    "413" | "415" => body,
                    "422" => body || query,
                    _ => true,
                };
                if !gives || responses.contains_key(*code) {
                    continue;
                }
                let mut response = json!({
                    "description": why,
                    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
                });
                if *code == "503" {
                    response["headers"] = json!({"Retry-After": {
                        "description": "seconds to wait before trying again",
                        "schema": {"type": "integer", "minimum": 1},
                    }});
                }
                responses.insert((*code).to_string(), response);
            }
        }
    }
}

/// Request bodies are read with `deny_unknown_fields` all the way down (serde refuses a field
/// it does not know, in the body and in every object inside it), so every object schema a
/// request body reaches says `additionalProperties: false`, including the variants of tagged
/// enums, which utoipa leaves open.
pub fn close_request_objects(doc: &mut serde_json::Value) {
    use serde_json::Value;
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(r) = m.get("$ref").and_then(Value::as_str) {
                    if let Some(name) = r.strip_prefix("#/components/schemas/") {
                        out.push(name.to_string());
                    }
                }
                m.values().for_each(|c| refs(c, out));
            }
            Value::Array(a) => a.iter().for_each(|c| refs(c, out)),
            _ => {}
        }
    }
    fn close(v: &mut Value) {
        match v {
            Value::Object(m) => {
                if m.contains_key("properties") && !m.contains_key("additionalProperties") {
                    m.insert("additionalProperties".into(), Value::Bool(false));
                }
                m.values_mut().for_each(close);
            }
            Value::Array(a) => a.iter_mut().for_each(close),
            _ => {}
        }
    }
    let mut todo = Vec::new();
    if let Some(paths) = doc.get("paths") {
        for item in paths.as_object().into_iter().flat_map(|m| m.values()) {
            for op in item.as_object().into_iter().flat_map(|m| m.values()) {
                if let Some(body) = op.get("requestBody") {
                    refs(body, &mut todo);
                }
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = doc.pointer(&format!("/components/schemas/{name}")) {
            refs(schema, &mut todo);
        }
    }
    for name in seen {
        if let Some(schema) = doc.pointer_mut(&format!("/components/schemas/{name}")) {
            close(schema);
        }
    }
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            for op in item.as_object_mut().into_iter().flat_map(|m| m.values_mut()) {
                if let Some(body) = op.get_mut("requestBody") {
                    close(body);
                }
            }
        }
    }
}
