//! Harbour's use cases, without HTTP. [`App`] holds the store, the authorizer, the notices in
//! force and their retention schedule; each use case is a method on it, in the module of its
//! feature. An operation takes the [`Actor`] asking and the time it is asked ([`Now`]), asks
//! the authorizer for every person whose data it returns or changes, refuses (recording the
//! refusal) or acts, and records the audit event in the same transaction as the change.
//!
//! The web crate maps [`AppError`] to problem responses; the command line calls these same
//! methods. Nothing here knows a request, a response, a cookie or a status code.

pub mod accounts;
pub mod actor;
pub mod agreements;
pub mod calendar;
pub mod clock;
pub mod consent;
pub mod demo;
pub mod directory;
pub mod emergency;
pub mod error;
pub mod intake;
pub mod ledger;
pub mod notices;
pub mod people;
pub mod person_updates;
pub mod retention;
pub mod rights;
pub mod rights_effects;
pub mod sensitive;
pub mod sessions;
pub mod sharing;
pub mod subject_access;

use std::sync::Arc;

use harbour_policy::pack::PolicyPack;
use harbour_policy::Authorizer;

pub use actor::Actor;
pub use clock::Now;
pub use error::{AppError, AppResult};
/// Rows the use cases answer with, defined by the store.
pub use harbour_store::{AuditRecord, Destruction, PersonQuery, Review};

/// The application: the store, the authorizer, the notices in force and their retention
/// schedule. Cheap to clone (everything is shared).
#[derive(Clone)]
pub struct App {
    pub(crate) store: harbour_store::Store,
    pub(crate) authz: Arc<Authorizer>,
    /// The privacy notices in force (they also drive `authz`).
    notices: Arc<Vec<PolicyPack>>,
    /// The retention rows of those notices.
    pub(crate) retention: Arc<harbour_retention::Schedule>,
}

impl App {
    pub fn new(store: harbour_store::Store, authz: Authorizer, notices: Vec<PolicyPack>) -> Self {
        Self {
            store,
            authz: Arc::new(authz),
            retention: Arc::new(harbour_retention::Schedule::from_packs(&notices)),
            notices: Arc::new(notices),
        }
    }

    /// Stores any new built-in notice versions, then builds the application from the notices
    /// in force on `today`.
    pub async fn from_store(
        store: harbour_store::Store,
        today: jiff::civil::Date,
    ) -> Result<Self, notices::NoticeError> {
        notices::install_built_in(&store).await?;
        let (authz, packs) = notices::authorizer(&store, today).await?;
        Ok(Self::new(store, authz, packs))
    }

    /// The privacy notices in force: public, so no actor is needed to read them.
    pub fn notices(&self) -> &[PolicyPack] {
        &self.notices
    }

    /// Whether the database answers (for health checks).
    pub async fn ping(&self) -> bool {
        self.store.ping().await
    }
}
