//! Adding a person (`/people/new`): the form, every problem with it at once (the error summary
//! and a message beside each field, what was typed kept), and the person's page with "Person
//! added" once saved. The form checks each field as the domain does, so that all problems show
//! together; the use case checks again, authorizes and audits.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use axum_extra::extract::Form;
use harbour_app::AppError;
use harbour_domain::person::NewAddress;
use harbour_domain::{DomainError, Gender, NewPerson, NhsNumber, Postcode, Upn};
use harbour_policy::Action;
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

use super::fields::{text_problem, DateBoxes};
use crate::auth::Actor;
use crate::error::ApiError;
use crate::pages::{message, page, sentence, FormErrors};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/people/new", get(new_form).post(create))
}

/// The form as typed, shown again with what is wrong.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct PersonForm {
    #[serde(skip_serializing)]
    csrf_token: String,
    given_name: String,
    family_name: String,
    #[serde(rename = "dob-day")]
    dob_day: String,
    #[serde(rename = "dob-month")]
    dob_month: String,
    #[serde(rename = "dob-year")]
    dob_year: String,
    gender: String,
    nhs_number: String,
    upn: String,
    address1: String,
    address2: String,
    postcode: String,
    /// "yes" when ticked.
    care_experienced: String,
    /// "yes" when ticked.
    disability: String,
}

async fn new_form(State(state): State<AppState>, actor: Actor) -> Response {
    // Only someone who may add people gets the form; the use case checks again on saving.
    if let Err(e) = state.authorize_system(&actor, Action::CreatePerson, "person.form").await {
        return message(&state, &actor, e);
    }
    show_form(&state, &actor, StatusCode::OK, &PersonForm::default(), &FormErrors::default())
}

fn show_form(state: &AppState, actor: &Actor, status: StatusCode, f: &PersonForm, errors: &FormErrors) -> Response {
    let genders: Vec<Value> = Gender::ALL.iter().map(|g| context! { code => g.as_str(), label => g.label() }).collect();
    let err = errors.value().get_attr("field").unwrap_or_default();
    let ctx = context! { v => f, genders, errors => errors.value(), err };
    page(state, actor, status, "person_new.html", ctx)
}

/// A name or address line checked as the domain checks it; a problem is added to `errors`.
fn line(errors: &mut FormErrors, field: &'static str, what: &'static str, label: &str, value: &str) -> Option<String> {
    let checked = match field {
        "given_name" | "family_name" => harbour_domain::required_line(what, value, 100).map(Some),
        _ => harbour_domain::optional_line(what, Some(value), 200),
    };
    checked.map_err(|e| errors.add(field, text_problem(&e, label))).ok().flatten()
}

/// Reads the form, checking each field as the domain does, and names every problem in the
/// order of the form.
fn read_form(f: &PersonForm, today: jiff::civil::Date) -> Result<NewPerson, FormErrors> {
    let mut errors = FormErrors::default();
    let given_name = line(&mut errors, "given_name", "given name", "their given name", &f.given_name);
    let family_name = line(&mut errors, "family_name", "family name", "their family name", &f.family_name);
    let boxes = DateBoxes {
        ids: ["dob-day", "dob-month", "dob-year"],
        day: &f.dob_day,
        month: &f.dob_month,
        year: &f.dob_year,
    };
    let date_of_birth = boxes.read(&mut errors, "the date of birth", false);
    if let Some(dob) = date_of_birth.filter(|d| *d > today) {
        errors.add("dob-day", field_of(&DomainError::DateOfBirthInFuture { dob }).1);
    }
    let gender = Gender::parse(f.gender.trim());
    if gender.is_none() {
        errors.add("gender", "Select their gender, or \u{201c}Not known\u{201d}.");
    }
    let blank = |s: &str| s.trim().is_empty();
    let mut identifier = |value: &str, check: Option<DomainError>| {
        if let Some(e) = check.filter(|_| !blank(value)) {
            let (field, text) = field_of(&e);
            errors.add(field, text);
        }
    };
    identifier(&f.nhs_number, NhsNumber::parse(&f.nhs_number).err());
    identifier(&f.upn, Upn::parse(&f.upn).err());
    let address1 = line(&mut errors, "address1", "address line", "the first line of the address", &f.address1);
    let address2 = line(&mut errors, "address2", "address line", "the town or city", &f.address2);
    if let Some(e) = Postcode::parse(&f.postcode).err().filter(|_| !blank(&f.postcode)) {
        errors.add("postcode", field_of(&e).1);
    }
    let (Some(given_name), Some(family_name), Some(gender), true) =
        (given_name, family_name, gender, errors.is_empty())
    else {
        return Err(errors);
    };
    let lines: Vec<String> = [address1, address2].into_iter().flatten().collect();
    let postcode = (!blank(&f.postcode)).then(|| f.postcode.trim().to_string());
    let address = (!lines.is_empty() || postcode.is_some()).then_some(NewAddress { lines, postcode });
    let optional = |s: &str| (!blank(s)).then(|| s.trim().to_string());
    Ok(NewPerson {
        given_name,
        family_name,
        date_of_birth,
        gender,
        address,
        nhs_number: optional(&f.nhs_number),
        upn: optional(&f.upn),
        local_id: None,
        care_experienced: f.care_experienced == "yes",
        disability: f.disability == "yes",
    })
}

/// The field a refusal of the domain's is about, and the refusal in words.
fn field_of(e: &DomainError) -> (&'static str, String) {
    match e {
        DomainError::InvalidNhsNumber { reason, .. } => {
            ("nhs_number", format!("Enter a real NHS number of 10 digits, like 943 476 5919: {reason}."))
        }
        DomainError::InvalidUpn { reason, .. } => {
            ("upn", format!("Enter a real unique pupil number of 13 characters, like A123456789012: {reason}."))
        }
        DomainError::InvalidPostcode { .. } => ("postcode", "Enter a real postcode, like BH15 1AA.".into()),
        DomainError::DateOfBirthInFuture { .. } => {
            ("dob-day", "The date of birth must be today or in the past.".into())
        }
        DomainError::Empty { field, .. }
        | DomainError::TooLong { field, .. }
        | DomainError::ForbiddenCharacter { field, .. }
        | DomainError::NothingVisible { field } => match *field {
            "family name" => ("family_name", text_problem(e, "their family name")),
            "address line" => ("address1", text_problem(e, "the address")),
            _ => ("given_name", text_problem(e, "their given name")),
        },
        other => ("given_name", sentence(&other.to_string())),
    }
}

async fn create(State(state): State<AppState>, actor: Actor, Form(f): Form<PersonForm>) -> Response {
    if let Err(e) = actor.check_csrf(&f.csrf_token) {
        return message(&state, &actor, e);
    }
    let new = match read_form(&f, actor.now.today()) {
        Ok(new) => new,
        Err(errors) => {
            // Only to someone who may add people: anyone else is refused, as the use case
            // would refuse them.
            if let Err(e) = state.authorize_system(&actor, Action::CreatePerson, "person.create").await {
                return message(&state, &actor, e);
            }
            return show_form(&state, &actor, StatusCode::UNPROCESSABLE_ENTITY, &f, &errors);
        }
    };
    match state.create_person(&actor, new).await {
        Ok(person) => Redirect::to(&format!("/people/{}?done=person-added", person.id)).into_response(),
        Err(AppError::Invalid(e)) => {
            let (field, text) = field_of(&e);
            let mut errors = FormErrors::default();
            errors.add(field, text);
            show_form(&state, &actor, StatusCode::UNPROCESSABLE_ENTITY, &f, &errors)
        }
        Err(e) => message(&state, &actor, ApiError::from(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_of_a_form_is_named_at_once() {
        let today = jiff::civil::date(2026, 6, 1);
        let f = PersonForm {
            given_name: " ".into(),
            family_name: "A\u{202E}B".into(),
            dob_day: "1".into(),
            dob_month: "1".into(),
            dob_year: "2027".into(),
            nhs_number: "943 476 5918".into(),
            upn: "X".into(),
            postcode: "nowhere".into(),
            ..Default::default()
        };
        let errors = format!("{:?}", read_form(&f, today).unwrap_err());
        for field in ["given_name", "family_name", "dob-day", "gender", "nhs_number", "upn", "postcode"] {
            assert!(errors.contains(&format!("\"{field}\"")), "{field}: {errors}");
        }
        assert!(errors.contains("the check digit does not match"), "{errors}");
        let ok = PersonForm {
            given_name: "Ava".into(),
            family_name: "Example".into(),
            gender: "unknown".into(),
            postcode: "bh151aa".into(),
            care_experienced: "yes".into(),
            ..Default::default()
        };
        let new = read_form(&ok, today).unwrap();
        assert_eq!((new.gender, new.care_experienced, new.date_of_birth), (Gender::Unknown, true, None));
        assert_eq!(new.address.unwrap().postcode.as_deref(), Some("bh151aa"));
    }
}
