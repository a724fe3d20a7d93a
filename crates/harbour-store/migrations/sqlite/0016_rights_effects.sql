-- Issue 14: the effects of the other rights.
-- Restriction (UK GDPR Art 18): while a person's record is restricted it is stored and nothing
-- else; the authorizer refuses every read, write and share of it until the data protection
-- officer lifts it. Part of the person's file.
CREATE TABLE person_restrictions (
    person_id TEXT PRIMARY KEY REFERENCES persons(id),
    request_id TEXT NOT NULL REFERENCES rights_requests(id),
    set_by TEXT NOT NULL REFERENCES users(id),
    set_at TEXT NOT NULL
);

-- Rectification (Art 16): a corrected entry keeps each earlier version, sealed with the person's
-- key, marked with when, by whom and under which request it was replaced.
CREATE TABLE entry_versions (
    entry_id TEXT NOT NULL REFERENCES entries(id),
    version INTEGER NOT NULL,
    sealed BLOB NOT NULL,
    replaced_at TEXT NOT NULL,
    replaced_by TEXT NOT NULL REFERENCES users(id),
    request_id TEXT REFERENCES rights_requests(id),
    PRIMARY KEY (entry_id, version)
);
