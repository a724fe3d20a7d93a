//! The school-day calendar over the API.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use harbour_app::calendar::{CalendarParams, CalendarView, DeadlineParams, DeadlineView};

use crate::auth::Actor;
use crate::error::{ApiResult, Problem};
use crate::extract::ApiQuery;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/school-calendar", get(days_off)).route("/school-calendar/deadline", get(deadline))
}

#[utoipa::path(get, path = "/api/v1/school-calendar", tag = "directory", params(CalendarParams),
    responses((status = 200, body = CalendarView,
        description = "the days that are not school days (weekends, bank holidays, configured school holidays) and why"),
        (status = 400, body = Problem)))]
pub async fn days_off(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(params): ApiQuery<CalendarParams>,
) -> ApiResult<Json<CalendarView>> {
    Ok(Json(state.days_off(&actor, params).await?))
}

#[utoipa::path(get, path = "/api/v1/school-calendar/deadline", tag = "directory", params(DeadlineParams),
    responses((status = 200, body = DeadlineView,
        description = "the deadline a domestic abuse notification received then would get, and the days it skips"),
        (status = 400, body = Problem)))]
pub async fn deadline(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(params): ApiQuery<DeadlineParams>,
) -> ApiResult<Json<DeadlineView>> {
    Ok(Json(state.deadline_for(&actor, params).await?))
}
