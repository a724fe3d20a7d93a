//! Personal Information Sharing Agreements: the data protection officer records them; everyone
//! can see them and whether each can be relied on today.

use harbour_domain::{Agreement, AgreementId, NewAgreement};
use harbour_policy::Action;
use jiff::civil::Date;
use serde::Serialize;
use utoipa::ToSchema;

use crate::{Actor, App, AppError, AppResult};

/// An agreement with what it means today.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementView {
    #[serde(flatten)]
    pub agreement: Agreement,
    /// Whether sharing can rely on it today.
    pub in_force: bool,
    /// Why not, when it cannot.
    pub not_in_force_because: Option<String>,
    pub review_due: bool,
}

fn view(a: Agreement, today: Date) -> AgreementView {
    let why = a.in_force(today).err().map(|e| e.to_string());
    AgreementView { in_force: why.is_none(), not_in_force_because: why, review_due: a.review_due(today), agreement: a }
}

impl App {
    pub async fn agreements(&self, actor: &Actor) -> AppResult<Vec<AgreementView>> {
        self.authorize_system(actor, Action::ReadDirectory, "agreement.list").await?;
        Ok(self.store.agreements().await?.into_iter().map(|a| view(a, actor.now.today())).collect())
    }

    pub async fn agreement(&self, actor: &Actor, id: AgreementId) -> AppResult<AgreementView> {
        self.authorize_system(actor, Action::ReadDirectory, "agreement.read").await?;
        Ok(view(self.store.agreement(id).await?, actor.now.today()))
    }

    pub async fn create_agreement(&self, actor: &Actor, new: NewAgreement) -> AppResult<AgreementView> {
        let decision = self.authorize_system(actor, Action::ManageAgreements, "agreement.create").await?;
        let agreement = new.validate()?;
        for party in &agreement.parties {
            if self.store.organisation(*party).await.is_err() {
                return Err(AppError::UnknownReference(format!("organisation {party} does not exist")));
            }
        }
        let event = self.event(actor, "agreement.create", "agreement", &decision).target(agreement.id);
        self.store.insert_agreement(&agreement, &event).await?;
        Ok(view(agreement, actor.now.today()))
    }
}
