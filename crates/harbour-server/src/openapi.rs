//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::{accounts, agreements, api, calendar, consent, ledger, person_updates, retention_api, sharing_api};

#[derive(OpenApi)]
#[openapi(
    info(title = "Harbour API", description = "Safeguarding case records and lawful sharing. \
        Authenticate with `Authorization: Bearer <token>` (issue one with `harbour token issue`). \
        Errors are RFC 9457 problem bodies (`application/problem+json`)."),
    paths(
        api::me, api::search_people, api::create_person, api::get_person, api::list_relationships,
        api::add_relationship, api::list_episodes, api::open_episode, api::person_entries, api::get_episode,
        api::close_episode, api::list_entries, api::add_entry, api::tag_entry, api::list_organisations,
        api::create_organisation, api::list_teams, accounts::list_users, accounts::create_user,
        accounts::approve_user, accounts::reject_user, api::recent_audit,
        ledger::sth, ledger::inclusion, ledger::consistency, ledger::entry, ledger::access_log,
        agreements::list, agreements::show, agreements::create,
        sharing_api::decide, sharing_api::show_decision, sharing_api::rule, sharing_api::family,
        sharing_api::guardian_queue, sharing_api::notifications_due, sharing_api::received,
        sharing_api::received_one, sharing_api::disclosure_log, sharing_api::notifications,
        sharing_api::submit_notification, sharing_api::notification, sharing_api::triage,
        sharing_api::share_with_schools, sharing_api::requests, sharing_api::submit_request,
        sharing_api::request, sharing_api::holidays, sharing_api::add_holiday,
        sharing_api::update_organisation, sharing_api::delete_organisation,
        retention_api::person_retention, retention_api::reopen, retention_api::correct_closure,
        retention_api::holds, retention_api::add_hold, retention_api::end_hold, retention_api::sweep,
        retention_api::queue, retention_api::approve, retention_api::approve_all, retention_api::defer,
        retention_api::hold, retention_api::destructions, retention_api::certificate,
        consent::list, consent::give, consent::withdraw,
        person_updates::record_death, person_updates::update_nhs_number, person_updates::nhs_numbers_to_correct,
        calendar::days_off, calendar::deadline,
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

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
