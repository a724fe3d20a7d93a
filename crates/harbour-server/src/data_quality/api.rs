//! Records to put right, over the API.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use harbour_app::person_updates::NhsNumberToCorrect;

use crate::auth::Actor;
use crate::error::ApiResult;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/data-quality/nhs-numbers", get(nhs_numbers_to_correct))
}

#[utoipa::path(get, path = "/api/v1/data-quality/nhs-numbers", tag = "people",
    responses((status = 200, body = Vec<NhsNumberToCorrect>,
        description = "children on a plan or in care (or within 12 months of one ending) whose NHS number is missing or unverified, among those the caller may read")))]
pub async fn nhs_numbers_to_correct(
    State(state): State<AppState>,
    actor: Actor,
) -> ApiResult<Json<Vec<NhsNumberToCorrect>>> {
    Ok(Json(state.nhs_numbers_to_correct(&actor).await?))
}
