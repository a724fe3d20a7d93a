//! One chronology of a person (`/people/{id}/chronology`): every entry of every episode, newest
//! first, across agencies, with the date (UK time), the kind, the episode's record class, who
//! gave the information and the subject. Filtered by kind, record class and a date range through
//! the query string, so it works without JavaScript and can be bookmarked.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use harbour_domain::{EntryKind, RecordClass};
use jiff::civil::Date;
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

use super::describe_source;
use super::fields::uk;
use crate::auth::Actor;
use crate::error::ApiError;
use crate::pages::{message, page, person_id, FormErrors};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/people/{id}/chronology", get(chronology))
}

/// The filters, as the form sends them; empty means "all".
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct Filter {
    kind: String,
    class: String,
    /// The first day, YYYY-MM-DD.
    from: String,
    /// The last day, YYYY-MM-DD.
    to: String,
}

#[derive(Debug, Serialize)]
struct Line {
    id: String,
    date: String,
    time: String,
    kind: &'static str,
    record_class: &'static str,
    source: String,
    subject: String,
}

/// Reads a day of the filter; a problem is named beside its box.
fn day(errors: &mut FormErrors, field: &'static str, value: &str, what: &str) -> Option<Date> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    value.parse().map_err(|_| errors.add(field, format!("Enter {what} as a real date, for example 2024-11-07."))).ok()
}

async fn chronology(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    filter: Result<Query<Filter>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(filter)) = filter else {
        return message(&state, &actor, ApiError::bad_request("The filter could not be read: use the form to filter."));
    };
    let mut errors = FormErrors::default();
    let kind = match filter.kind.trim() {
        "" => None,
        k => EntryKind::from_code(k).or_else(|| {
            errors.add("kind", "Select a kind of entry from the list.");
            None
        }),
    };
    let class = match filter.class.trim() {
        "" => None,
        c => RecordClass::from_code(c).or_else(|| {
            errors.add("class", "Select a kind of record from the list.");
            None
        }),
    };
    let from = day(&mut errors, "from", &filter.from, "the first date");
    let to = day(&mut errors, "to", &filter.to, "the last date");
    if let (Some(from), Some(to)) = (from, to) {
        if to < from {
            errors.add("to", "The last date must be the same as or after the first date.");
        }
    }
    let result = async {
        let id = person_id(&id)?;
        let record = state.person_record(&actor, id).await?;
        let entries = state.person_entries(&actor, id).await?;
        let names = state.organisation_names().await?;
        let class_of = |ep| record.episodes.iter().find(|e| e.id == ep).map(|e| e.record_class);
        let total = entries.len();
        let mut lines: Vec<(jiff::civil::DateTime, Line)> = entries
            .iter()
            .filter(|_| errors.is_empty())
            .filter(|e| kind.is_none_or(|k| e.kind == k))
            .filter(|e| class.is_none_or(|c| class_of(e.episode_id) == Some(c)))
            .filter(|e| from.is_none_or(|f| e.occurred_at.date() >= f))
            .filter(|e| to.is_none_or(|t| e.occurred_at.date() <= t))
            .map(|e| {
                let line = Line {
                    id: e.id.to_string(),
                    date: uk(e.occurred_at.date()),
                    time: e.occurred_at.strftime("%H:%M").to_string(),
                    kind: e.kind.label(),
                    record_class: class_of(e.episode_id).map(RecordClass::label).unwrap_or_default(),
                    source: describe_source(&e.source, &names, &record),
                    subject: e.subject.clone(),
                };
                (e.occurred_at, line)
            })
            .collect();
        // Newest first; the same moment keeps the order the record gives.
        lines.sort_by_key(|l| std::cmp::Reverse(l.0));
        let lines: Vec<Line> = lines.into_iter().map(|(_, l)| l).collect();
        let kinds: Vec<Value> =
            EntryKind::ALL.iter().map(|k| context! { code => k.code(), label => k.label() }).collect();
        let mut present: Vec<RecordClass> = record.episodes.iter().map(|e| e.record_class).collect();
        present.sort();
        present.dedup();
        let classes: Vec<Value> = present.iter().map(|c| context! { code => c.code(), label => c.label() }).collect();
        let filtered = kind.is_some() || class.is_some() || from.is_some() || to.is_some();
        Ok::<_, ApiError>(context! {
            person => context! { id => record.person.id.to_string(), name => record.person.full_name() },
            lines, total, filtered, kinds, classes, q => &filter,
            errors => errors.value(), err => errors.value().get_attr("field").unwrap_or_default(),
        })
    }
    .await;
    match result {
        Ok(ctx) => {
            let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
            page(&state, &actor, status, "chronology.html", ctx)
        }
        Err(e) => message(&state, &actor, e),
    }
}
