//! The directory: organisations, teams and the staff who belong to them. Reading it takes the
//! `read_directory` permission; changing it, `manage_directory`. The pages also show names
//! from it beside records the reader may already see ([`App::organisation_names`]).

use std::collections::BTreeMap;

use harbour_domain::{NewOrganisation, OrgId, Organisation, Team};
use harbour_policy::Action;

use crate::{Actor, App, AppError, AppResult};

/// A directory slug: 2–60 characters of a–z, 0–9 and '-'.
pub fn check_slug(slug: &str) -> AppResult<()> {
    let ok = (2..=60).contains(&slug.len())
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(AppError::BadRequest(format!("slug {slug:?} must be 2–60 characters of a–z, 0–9 and -")))
    }
}

impl App {
    /// The actor's own organisation.
    pub async fn own_organisation(&self, actor: &Actor) -> AppResult<Organisation> {
        Ok(self.store.organisation(actor.user.org_id).await?)
    }

    pub async fn organisations(&self, actor: &Actor) -> AppResult<Vec<Organisation>> {
        self.authorize_system(actor, Action::ReadDirectory, "organisation.list").await?;
        Ok(self.store.organisations().await?)
    }

    pub async fn teams(&self, actor: &Actor) -> AppResult<Vec<Team>> {
        self.authorize_system(actor, Action::ReadDirectory, "team.list").await?;
        Ok(self.store.teams().await?)
    }

    pub async fn create_organisation(&self, actor: &Actor, new: NewOrganisation) -> AppResult<Organisation> {
        let decision = self.authorize_system(actor, Action::ManageDirectory, "organisation.create").await?;
        check_slug(&new.slug)?;
        let org = new.into_organisation(OrgId::new())?;
        let event = self.event(actor, "organisation.create", "organisation", &decision).target(org.id);
        self.store.insert_organisation(&org, &event).await?;
        Ok(org)
    }

    pub async fn update_organisation(&self, actor: &Actor, id: OrgId, new: NewOrganisation) -> AppResult<Organisation> {
        let decision = self.authorize_system(actor, Action::ManageDirectory, "organisation.update").await?;
        check_slug(&new.slug)?;
        // Whether it runs Harbour is not the directory's to change.
        let operator = self.store.organisation(id).await?.operator;
        let org = Organisation { operator, ..new.into_organisation(id)? };
        let event = self.event(actor, "organisation.update", "organisation", &decision).target(id);
        self.store.update_organisation(&org, &event).await?;
        Ok(org)
    }

    pub async fn delete_organisation(&self, actor: &Actor, id: OrgId) -> AppResult<()> {
        let decision = self.authorize_system(actor, Action::ManageDirectory, "organisation.delete").await?;
        let event = self.event(actor, "organisation.delete", "organisation", &decision).target(id);
        self.store.delete_organisation(id, &event).await?;
        Ok(())
    }

    pub async fn holidays(&self, actor: &Actor) -> AppResult<Vec<harbour_domain::Holiday>> {
        self.authorize_system(actor, Action::ReadDirectory, "calendar.read").await?;
        Ok(self.store.holidays().await?)
    }

    /// Every organisation, to name beside a record the actor may see (who gave information,
    /// who a consent names) or to choose a recipient from. Names only the directory's own
    /// entries, no person.
    pub async fn organisation_list(&self) -> AppResult<Vec<Organisation>> {
        Ok(self.store.organisations().await?)
    }

    /// Every team's name, by id, to name the team an episode is allocated to.
    pub async fn team_names(&self) -> AppResult<BTreeMap<harbour_domain::TeamId, String>> {
        Ok(self.store.teams().await?.into_iter().map(|t| (t.id, t.name)).collect())
    }

    /// Names of organisations and staff by id, to say where an entry came from.
    pub async fn organisation_names(&self) -> AppResult<BTreeMap<String, String>> {
        let mut names: BTreeMap<String, String> =
            self.store.organisations().await?.into_iter().map(|o| (o.id.to_string(), o.name)).collect();
        names.extend(self.store.users().await?.into_iter().map(|u| (u.id.to_string(), u.display_name)));
        Ok(names)
    }
}
