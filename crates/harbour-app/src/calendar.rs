//! The school-day calendar as the hub sees it (seed 000, issue 11): which days are not school
//! days and why (weekends, England and Wales bank holidays built in, the configured school
//! holidays), and the deadline a domestic abuse notification received at a given moment would
//! get, with the days it skips. The notification intake uses the same calendar.

use harbour_domain::{DayOff, SchoolCalendar};
use harbour_policy::Action;
use jiff::civil::{Date, DateTime};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{AppError, AppResult};
use crate::Actor;
use crate::App;

/// The longest span the calendar lists at once.
const MAX_DAYS: i32 = 400;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CalendarParams {
    /// First day, YYYY-MM-DD (default today).
    #[param(format = Date)]
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD (default 31 days after `from`; at most 400 days after it).
    #[param(format = Date)]
    pub to: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeadlineParams {
    /// When the notification is received, UK local time (YYYY-MM-DDTHH:MM[:SS]).
    #[param(
        pattern = "^[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?$"
    )]
    pub received_at: String,
}

/// The days from `from` to `to` that are not school days.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarView {
    #[schema(value_type = String, format = Date)]
    pub from: Date,
    #[schema(value_type = String, format = Date)]
    pub to: Date,
    pub days_off: Vec<DayOff>,
}

/// The deadline for a notification received at `received_at`: the start of the next school
/// day, and the days skipped on the way.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeadlineView {
    #[schema(value_type = String)]
    pub received_at: DateTime,
    #[schema(value_type = String)]
    pub deadline: DateTime,
    pub skipped: Vec<DayOff>,
}

fn date(what: &str, value: &str) -> AppResult<Date> {
    value.trim().parse().map_err(|_| AppError::BadRequest(format!("{what} {value:?} is not a date (YYYY-MM-DD)")))
}

impl App {
    async fn calendar_for(&self, actor: &Actor) -> AppResult<SchoolCalendar> {
        self.authorize_system(actor, Action::ReadDirectory, "calendar.read").await?;
        self.school_calendar().await
    }

    pub async fn days_off(&self, actor: &Actor, params: CalendarParams) -> AppResult<CalendarView> {
        let from = params.from.as_deref().map(|d| date("from", d)).transpose()?.unwrap_or(actor.now.today());
        let to = match params.to.as_deref() {
            Some(d) => date("to", d)?,
            None => from.checked_add(jiff::Span::new().days(31)).unwrap_or(from),
        };
        if to < from || (to - from).get_days() > MAX_DAYS {
            return Err(AppError::Unprocessable(format!(
                "give a `to` on or after `from` and at most {MAX_DAYS} days after it"
            )));
        }
        let calendar = self.calendar_for(actor).await?;
        Ok(CalendarView { from, to, days_off: calendar.days_off(from, to) })
    }

    pub async fn deadline_for(&self, actor: &Actor, params: DeadlineParams) -> AppResult<DeadlineView> {
        let received_at: DateTime = params.received_at.trim().parse().map_err(|_| {
            AppError::BadRequest(format!(
                "received_at {:?} is not a date and time (YYYY-MM-DDTHH:MM)",
                params.received_at
            ))
        })?;
        let calendar = self.calendar_for(actor).await?;
        let deadline = calendar.deadline(received_at);
        let skipped = calendar.days_off(received_at.date(), deadline.date());
        Ok(DeadlineView { received_at, deadline, skipped })
    }
}
