//! The privacy notices as the running server uses them: the built-in policy packs are stored
//! as versions in the database, and the versions in force drive the authorizer and the public
//! notice pages. A stored version is never rewritten.

use harbour_policy::pack::{self, PackErrors, PolicyPack};
use harbour_policy::{Authorizer, PolicyError, BUILT_IN_PACKS};
use harbour_store::{Store, StoreError};
use jiff::civil::Date;

#[derive(Debug, thiserror::Error)]
pub enum NoticeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("a policy pack is invalid:\n{0}")]
    Pack(#[from] PackErrors),
    #[error(transparent)]
    Policy(#[from] PolicyError),
}

/// Checks a pack and stores it as a new version; returns whether it was new.
pub async fn record(store: &Store, file: &str, source: &str) -> Result<(PolicyPack, bool), NoticeError> {
    let pack = pack::load(file, source)?;
    let effective = pack.effective_from().expect("checked packs have a date");
    let added = store.record_pack_version(pack.id(), i64::from(pack.pack.version), effective, source).await?;
    Ok((pack, added))
}

/// Stores any built-in pack version the database does not have yet; returns how many.
pub async fn install_built_in(store: &Store) -> Result<usize, NoticeError> {
    let mut added = 0;
    for (file, source) in BUILT_IN_PACKS {
        if record(store, file, source).await?.1 {
            added += 1;
        }
    }
    Ok(added)
}

/// The pack versions in force on `on`, parsed and checked.
pub async fn in_force(store: &Store, on: Date) -> Result<Vec<PolicyPack>, NoticeError> {
    let mut packs = Vec::new();
    for stored in store.packs_in_force(on).await? {
        let file = format!("{}@{} (database)", stored.pack_id, stored.version);
        packs.push(pack::load(&file, &stored.source)?);
    }
    Ok(packs)
}

/// The authorizer built from the base rules and the packs in force on `on`.
pub async fn authorizer(store: &Store, on: Date) -> Result<(Authorizer, Vec<PolicyPack>), NoticeError> {
    let packs = in_force(store, on).await?;
    Ok((Authorizer::from_packs(&packs)?, packs))
}
