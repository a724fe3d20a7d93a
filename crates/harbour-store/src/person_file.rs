//! What belongs to a person's file: every table of the schema, and what it holds of a person.
//!
//! Destruction deletes a file through [`delete`]; subject access (collating what is held) and
//! the merging of duplicate records will read the same lists. A test checks that every table
//! the migrations create is listed here exactly once, so a new table cannot be forgotten by
//! the code that must find or delete everything about someone.

use sqlx::AnyConnection;

use crate::StoreError;

/// Tables whose rows are part of a person's file: deleted with it, collated for them.
pub const FILE: &[(&str, &str)] = &[
    ("persons", "the person: identifiers, address and names, sealed with their key"),
    ("person_name_tokens", "keyed hashes of the beginnings of their names, for search"),
    ("names_to_seal", "a name waiting to be sealed (records from before names were sealed)"),
    ("episodes", "their episodes"),
    ("entries", "the entries of their episodes, sealed with their key"),
    ("relationships", "their relationships, either way"),
    ("consents", "consent they (or for them) gave or withdrew"),
    ("retention_reviews", "their file's place in the records manager's review queue"),
    ("sharing_decisions", "decisions about sharing their information, sealed with their key"),
    ("decision_people", "the people a decision names"),
    ("decision_entries", "the entries a decision shares"),
    ("decision_recipients", "who a decision about them shares with"),
    ("disclosures", "what was disclosed to each recipient"),
    ("address_flags", "their address marked \"do not disclose\""),
    ("person_restrictions", "their record restricted under a request (stored, and nothing else)"),
    ("entry_versions", "the earlier versions of their corrected entries, sealed with their key"),
    (
        "emergency_access",
        "openings of their record in an emergency: who, when, why and the review, sealed with their key",
    ),
];

/// Where subject access finds each table of a person's file, and of what refers to them: the
/// item of the bundle that carries it, or why none does. `harbour-app`'s collation builds one
/// item kind per entry here; a test checks that every table of [`FILE`] and [`REFERS`] is here.
pub const COLLATION: &[(&str, &str)] = &[
    ("persons", "details: names, date of birth, gender, address, identifiers"),
    ("person_name_tokens", "none: keyed hashes derived from the names in details"),
    ("names_to_seal", "none: the same names as details, waiting to be sealed"),
    ("episodes", "episode: one item per episode, with its retention row and disposal date"),
    ("entries", "entry: one item per entry, with its date, source and categories"),
    ("relationships", "relationships: how each related person stands to them (the other person's name withheld)"),
    ("consents", "consents: each consent given or withdrawn, for which service and which organisations"),
    ("retention_reviews", "episode: the disposal date of each record"),
    ("sharing_decisions", "disclosure: one item per decision about them, with its notice, purpose and recipients"),
    ("decision_people", "disclosure: only this person's part of a decision naming several"),
    ("decision_entries", "disclosure: which of their entries a decision shared"),
    ("decision_recipients", "disclosure: who it went to"),
    ("disclosures", "disclosure: when each recipient received it"),
    ("address_flags", "details: that their address is kept confidential"),
    ("person_restrictions", "details: that their record is restricted"),
    ("entry_versions", "entry: the earlier versions of a corrected entry, marked as replaced"),
    (
        "emergency_access",
        "none: who opened their record in an emergency, and when, is in the access log, which the person can ask for \
         separately",
    ),
    ("da_notification_children", "notification: one item per police notification naming them"),
    ("legal_holds", "none: the records manager's log, about keeping records, not about them"),
    ("audit_events", "none: who looked is in the access log, which the person can ask for separately"),
    ("person_keys", "none: keys, not information"),
    ("rights_reviews", "none: the review of this very request"),
    ("rights_releases", "none: earlier bundles already released to them"),
    ("rights_requests", "none: the request itself is answered by the bundle"),
    (
        "information_requests",
        "information_request: partners' requests naming them (by name and date of birth), or answered by a decision \
         about them",
    ),
];

/// Tables that refer to a person without being part of their file: the reference is cut, or
/// it is only an id, when the file goes.
pub const REFERS: &[(&str, &str)] = &[
    (
        "da_notification_children",
        "a police notification's line for a child: its links to the person, their entry and the decision are cut; \
         the notification (sealed with its own key) goes with the last file that kept it",
    ),
    ("legal_holds", "a hold may name a person or an episode by id; kept as the records manager's log"),
    ("audit_events", "ids and metadata, never content: the ledger outlives the records"),
    ("person_keys", "data keys of earlier versions, moved into the vault at start; the vault's key is shredded"),
    (
        "rights_reviews",
        "a subject access request's redaction decisions (offsets and reasons, no text), sealed with the request's key",
    ),
    (
        "rights_releases",
        "a released bundle and its record, sealed with the request's key: the copy of what was released, kept with \
         the register",
    ),
    (
        "rights_requests",
        "a request under the rights may name the person by id (cut with the file); the register, sealed with each \
         request's own key, outlives it",
    ),
];

/// Tables with nothing of any person's file.
pub const OTHER: &[(&str, &str)] = &[
    ("organisations", "the directory of organisations"),
    ("teams", "teams"),
    ("users", "staff accounts"),
    ("api_tokens", "digests of API tokens"),
    ("sessions", "digests of session ids"),
    ("login_failures", "failed sign-ins by username and address"),
    ("login_throttle", "the sign-in throttle's lock rows"),
    ("public_request_log", "when each address last used the public subject access page, for an hour"),
    ("policy_packs", "the notices' versions"),
    ("agreements", "information sharing agreements"),
    ("agreement_parties", "the organisations party to an agreement"),
    ("school_holidays", "the school calendar"),
    ("ledger_heads", "signed tree heads"),
    ("ledger_nodes", "hashes of the ledger's subtrees"),
    ("destruction_log", "what was destroyed, when and on whose approval: no personal data"),
    ("da_notifications", "police notifications, sealed with their own key (see da_notification_children)"),
    ("information_requests", "partners' requests, sealed with their own key"),
    ("record_keys", "record keys of earlier versions, moved into the vault at start"),
];

/// Deletes every row of a person's file, and cuts the references to it, in the caller's
/// transaction (the person's key is shredded in the vault after the commit).
pub(crate) async fn delete(conn: &mut AnyConnection, pid: &str) -> Result<(), StoreError> {
    const DECISIONS: &str = "SELECT id FROM sharing_decisions WHERE subject_id = $1";
    const ENTRIES: &str =
        "SELECT en.id FROM entries en JOIN episodes ep ON ep.id = en.episode_id WHERE ep.person_id = $1";
    let steps = [
        // Decisions sealed with this person's key: without it their text cannot be read.
        format!("UPDATE da_notification_children SET decision_id = NULL WHERE decision_id IN ({DECISIONS})"),
        format!("DELETE FROM disclosures WHERE decision_id IN ({DECISIONS})"),
        format!("DELETE FROM decision_entries WHERE decision_id IN ({DECISIONS})"),
        format!("DELETE FROM decision_recipients WHERE decision_id IN ({DECISIONS})"),
        format!("DELETE FROM decision_people WHERE decision_id IN ({DECISIONS})"),
        "DELETE FROM sharing_decisions WHERE subject_id = $1".to_string(),
        "DELETE FROM decision_people WHERE person_id = $1".to_string(),
        format!("DELETE FROM decision_entries WHERE entry_id IN ({ENTRIES})"),
        format!("UPDATE da_notification_children SET entry_id = NULL WHERE entry_id IN ({ENTRIES})"),
        "UPDATE da_notification_children SET person_id = NULL WHERE person_id = $1".to_string(),
        "UPDATE rights_requests SET person_id = NULL WHERE person_id = $1".to_string(),
        format!("DELETE FROM entry_versions WHERE entry_id IN ({ENTRIES})"),
        format!("DELETE FROM entries WHERE id IN ({ENTRIES})"),
        "DELETE FROM episodes WHERE person_id = $1".to_string(),
        "DELETE FROM relationships WHERE from_person = $1 OR to_person = $1".to_string(),
        "DELETE FROM retention_reviews WHERE person_id = $1".to_string(),
        "DELETE FROM consents WHERE person_id = $1".to_string(),
        "DELETE FROM person_name_tokens WHERE person_id = $1".to_string(),
        "DELETE FROM names_to_seal WHERE person_id = $1".to_string(),
        "DELETE FROM address_flags WHERE person_id = $1".to_string(),
        "DELETE FROM person_restrictions WHERE person_id = $1".to_string(),
        "DELETE FROM emergency_access WHERE person_id = $1".to_string(),
        "DELETE FROM persons WHERE id = $1".to_string(),
    ];
    for sql in &steps {
        sqlx::query(sql).bind(pid).execute(&mut *conn).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::Store;

    #[tokio::test]
    async fn every_table_is_classified_once_and_every_file_table_is_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let keys = crate::Keyring::load_or_create(dir.path()).unwrap();
        let store = Store::open(&Store::sqlite_url(dir.path()), keys).await.unwrap();
        let tables: BTreeSet<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'",
        )
        .fetch_all(&store.pool)
        .await
        .unwrap()
        .into_iter()
        .collect();
        let mut listed = BTreeSet::new();
        for (table, _) in FILE.iter().chain(REFERS).chain(OTHER) {
            assert!(listed.insert(table.to_string()), "{table} is listed twice");
        }
        let unlisted: Vec<_> = tables.difference(&listed).collect();
        assert!(unlisted.is_empty(), "tables no list in person_file.rs classifies: {unlisted:?}");
        let gone: Vec<_> = listed.difference(&tables).collect();
        assert!(gone.is_empty(), "person_file.rs lists tables the schema does not have: {gone:?}");
        // What `delete` touches is exactly the file and the references it cuts.
        let source = include_str!("person_file.rs");
        let body = &source[source.find("pub(crate) async fn delete").unwrap()..source.find("#[cfg(test)]").unwrap()];
        for (table, _) in FILE {
            assert!(body.contains(&format!("DELETE FROM {table} ")), "delete leaves {table} behind");
        }
        assert!(body.contains("UPDATE da_notification_children SET person_id = NULL"));
        // Subject access knows where every table of the file, and every reference, goes.
        let collated: BTreeSet<&str> = COLLATION.iter().map(|(t, _)| *t).collect();
        for (table, _) in FILE.iter().chain(REFERS) {
            assert!(collated.contains(table), "subject access does not say where {table} goes (COLLATION)");
        }
        assert_eq!(collated.len(), COLLATION.len(), "COLLATION lists a table twice");
        store.close().await;
    }
}
