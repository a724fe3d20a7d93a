//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::{agreements, api, ledger};

#[derive(OpenApi)]
#[openapi(
    info(title = "Harbour API", description = "Safeguarding case records and lawful sharing. \
        Authenticate with `Authorization: Bearer <token>` (issue one with `harbour token issue`). \
        Errors are RFC 9457 problem bodies (`application/problem+json`)."),
    paths(
        api::me, api::search_people, api::create_person, api::get_person, api::list_relationships,
        api::add_relationship, api::list_episodes, api::open_episode, api::person_entries, api::get_episode,
        api::close_episode, api::list_entries, api::add_entry, api::list_organisations,
        api::create_organisation, api::list_teams, api::list_users, api::create_user, api::recent_audit,
        ledger::sth, ledger::inclusion, ledger::consistency, ledger::entry, ledger::access_log,
        agreements::list, agreements::show, agreements::create,
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
