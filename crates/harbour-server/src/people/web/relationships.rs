//! Relationships: adding one from a person's page (`/people/{id}/relationships/new`: find the
//! other person by name among the records the actor may read, then say how they are related, in
//! words), and the household view on the person's page — who lives with whom and who has
//! parental responsibility — built from the relationships the record already holds.
//!
//! The search goes through `search_people`, which lists only people the actor may read, and the
//! link through `add_relationship`, which needs the actor to be able to write to both records.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use axum_extra::extract::Form;
use harbour_app::people::PersonRecord;
use harbour_app::{AppError, PersonQuery};
use harbour_domain::{NewRelationship, PersonId, RelationshipKind};
use harbour_policy::Action;
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

use super::fields::uk;
use crate::auth::Actor;
use crate::error::ApiError;
use crate::pages::{message, page, person_id, sentence, FormErrors};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/people/{id}/relationships/new", get(form).post(create))
}

/// How the other person stands to this one, as offered on the form: the kind, whether the
/// other person is the relationship's `from` (the parent, household member or perpetrator),
/// and the words, in which `{me}` is this person and `{other}` the other.
const CHOICES: &[(&str, RelationshipKind, bool, &str)] = &[
    (
        "parent_pr",
        RelationshipKind::ParentCarer { parental_responsibility: true },
        true,
        "{other} is {me}\u{2019}s parent or carer, with parental responsibility",
    ),
    (
        "parent",
        RelationshipKind::ParentCarer { parental_responsibility: false },
        true,
        "{other} is {me}\u{2019}s parent or carer, without parental responsibility",
    ),
    (
        "child_pr",
        RelationshipKind::ParentCarer { parental_responsibility: true },
        false,
        "{me} is {other}\u{2019}s parent or carer, with parental responsibility",
    ),
    (
        "child",
        RelationshipKind::ParentCarer { parental_responsibility: false },
        false,
        "{me} is {other}\u{2019}s parent or carer, without parental responsibility",
    ),
    ("sibling", RelationshipKind::Sibling, true, "{other} is {me}\u{2019}s brother or sister"),
    ("household", RelationshipKind::HouseholdMember, true, "{other} lives in {me}\u{2019}s household"),
    ("household_of", RelationshipKind::HouseholdMember, false, "{me} lives in {other}\u{2019}s household"),
    ("harmed", RelationshipKind::PerpetratorOf, true, "{other} has harmed, or is alleged to have harmed, {me}"),
    ("harmed_by_me", RelationshipKind::PerpetratorOf, false, "{me} has harmed, or is alleged to have harmed, {other}"),
];

/// The search (`name`) and the person chosen from its results (`to`).
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct Find {
    name: String,
    to: String,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct LinkForm {
    #[serde(skip_serializing)]
    csrf_token: String,
    to: String,
    kind: String,
}

async fn form(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    find: Result<Query<Find>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let find = find.map(|Query(f)| f).unwrap_or_default();
    let link = LinkForm { to: find.to.clone(), ..Default::default() };
    show(&state, &actor, &id, &find, &link, FormErrors::default()).await
}

/// The page: the search, its results, and once someone is chosen the kinds of relationship.
/// With any problem (those of a form posted, or someone chosen who cannot be) it answers 422.
async fn show(
    state: &AppState,
    actor: &Actor,
    id: &str,
    find: &Find,
    link: &LinkForm,
    mut errors: FormErrors,
) -> Response {
    let result = async {
        let me = person_to_link(state, actor, id, "relationship.form").await?;
        let mut results = Vec::new();
        let name = find.name.trim();
        if !name.is_empty() {
            let query = PersonQuery { name: Some(name.to_string()), date_of_birth: None, identifier: None, limit: 50 };
            // Only people the actor may read are listed (the use case filters and audits).
            for p in state.search_people(actor, query).await? {
                if p.id != me.person.id {
                    let dob = p.date_of_birth.map(uk).unwrap_or_else(|| "not known".into());
                    let name = format!("{} {}", p.given_name, p.family_name);
                    results.push(context! { id => p.id.to_string(), name, dob });
                }
            }
        }
        let other = match link.to.trim() {
            "" => None,
            to => {
                let to: PersonId = to.parse().map_err(|_| ApiError::not_found("There is no such person."))?;
                if to == me.person.id {
                    errors.add("name", "Choose someone other than the person whose record this is.");
                    None
                } else {
                    Some(state.person_record(actor, to).await?)
                }
            }
        };
        let choices: Vec<Value> = other
            .as_ref()
            .map(|o| {
                CHOICES
                    .iter()
                    .map(|(code, _, _, words)| {
                        let label =
                            words.replace("{me}", &me.person.full_name()).replace("{other}", &o.person.full_name());
                        context! { code, label }
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok::<_, ApiError>(context! {
            person => context! { id => me.person.id.to_string(), name => me.person.full_name() },
            other => other.map(|o| context! { id => o.person.id.to_string(), name => o.person.full_name() }),
            q => find, searched => !name.is_empty(), results, choices, v => link,
            errors => errors.value(), err => errors.value().get_attr("field").unwrap_or_default(),
        })
    }
    .await;
    match result {
        Ok(ctx) => {
            let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
            page(state, actor, status, "relationship_new.html", ctx)
        }
        Err(e) => message(state, actor, e),
    }
}

/// The record of the person in the path, once the authorizer lets the actor write to it.
async fn person_to_link(state: &AppState, actor: &Actor, id: &str, audit: &str) -> Result<PersonRecord, ApiError> {
    let id = person_id(id)?;
    state.authorize_person(actor, Action::Write, id, audit).await?;
    Ok(state.person_record(actor, id).await?)
}

async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Form(f): Form<LinkForm>,
) -> Response {
    if let Err(e) = actor.check_csrf(&f.csrf_token) {
        return message(&state, &actor, e);
    }
    let me = match person_id(&id) {
        Ok(me) => me,
        Err(e) => return message(&state, &actor, e),
    };
    let find = Find { name: String::new(), to: f.to.clone() };
    let mut errors = FormErrors::default();
    let to = f.to.trim().parse::<PersonId>().ok();
    if to.is_none() {
        errors.add("name", "Find the other person by name and choose them.");
    }
    let choice = CHOICES.iter().find(|(code, ..)| *code == f.kind.trim());
    if choice.is_none() {
        errors.add("kind", "Select how they are related.");
    }
    let (Some(to), Some((_, kind, other_is_from, _))) = (to, choice) else {
        // Only to someone who may link this person: anyone else is refused.
        if let Err(e) = state.authorize_person(&actor, Action::Write, me, "relationship.create").await {
            return message(&state, &actor, e);
        }
        return show(&state, &actor, &id, &find, &f, errors).await;
    };
    let (from, to) = if *other_is_from { (to, me) } else { (me, to) };
    match state.add_relationship(&actor, from, NewRelationship { to, relationship: *kind }).await {
        Ok(_) => Redirect::to(&format!("/people/{me}?done=relationship-added#household")).into_response(),
        Err(AppError::Invalid(e)) => {
            errors.add("name", sentence(&e.to_string()));
            show(&state, &actor, &id, &find, &f, errors).await
        }
        Err(AppError::UnknownReference(_)) => message(&state, &actor, ApiError::not_found("There is no such person.")),
        Err(e) => message(&state, &actor, e),
    }
}

/// One person in the household view: how they stand to the person whose page it is.
#[derive(Debug, Serialize)]
pub struct Member {
    pub id: String,
    /// None when the reader may not see their record.
    pub name: Option<String>,
    /// How they are related, in words, e.g. "Parent or carer", "Brother or sister".
    pub relations: Vec<String>,
    /// Someone recorded as living in the same household (either way round).
    pub lives_with: bool,
    /// Who holds parental responsibility between them, in words; empty when neither is the
    /// other's parent or carer.
    pub parental_responsibility: String,
    /// One of them has harmed, or is alleged to have harmed, the other.
    pub harm: bool,
}

/// The household view ("genogram-lite"): each person related to this one, once, with every way
/// they are related, whether they live in the same household and who holds parental
/// responsibility. Built only from the record's relationships, so it names no one the reader
/// may not see.
pub fn household(record: &PersonRecord) -> Vec<Member> {
    let me = &record.person.given_name;
    let mut out: Vec<Member> = Vec::new();
    for rel in &record.relationships {
        let other_is_from = rel.direction == "to";
        let i = match out.iter().position(|m| m.id == rel.other.id.to_string()) {
            Some(i) => i,
            None => {
                out.push(Member {
                    id: rel.other.id.to_string(),
                    name: rel.other.name.clone(),
                    relations: Vec::new(),
                    lives_with: false,
                    parental_responsibility: String::new(),
                    harm: false,
                });
                out.len() - 1
            }
        };
        let m = &mut out[i];
        let (relation, pr) = match (rel.relationship, other_is_from) {
            (RelationshipKind::ParentCarer { parental_responsibility }, true) => (
                format!("{me}\u{2019}s parent or carer"),
                if parental_responsibility {
                    format!("Has parental responsibility for {me}")
                } else {
                    format!("No parental responsibility for {me}")
                },
            ),
            (RelationshipKind::ParentCarer { parental_responsibility }, false) => (
                format!("{me} is their parent or carer"),
                if parental_responsibility {
                    format!("{me} has parental responsibility for them")
                } else {
                    format!("{me} has no parental responsibility for them")
                },
            ),
            (RelationshipKind::Sibling, _) => (format!("{me}\u{2019}s brother or sister"), String::new()),
            (RelationshipKind::HouseholdMember, true) => {
                m.lives_with = true;
                (format!("Lives in {me}\u{2019}s household"), String::new())
            }
            (RelationshipKind::HouseholdMember, false) => {
                m.lives_with = true;
                (format!("{me} lives in their household"), String::new())
            }
            (RelationshipKind::PerpetratorOf, true) => {
                m.harm = true;
                (format!("Has harmed, or is alleged to have harmed, {me}"), String::new())
            }
            (RelationshipKind::PerpetratorOf, false) => {
                m.harm = true;
                (format!("{me} has harmed, or is alleged to have harmed, them"), String::new())
            }
        };
        if !m.relations.contains(&relation) {
            m.relations.push(relation);
        }
        if !pr.is_empty() {
            m.parental_responsibility = pr;
        }
    }
    out
}
