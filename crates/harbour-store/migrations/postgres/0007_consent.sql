-- Consent given to one service, and its withdrawal (PostgreSQL). Keep in step with
-- ../sqlite/0007_consent.sql. Withdrawal is recorded, never deleted: it stops what rested on the
-- consent and changes no retention date (seed 002, "Consent"). Destroyed with the person's file.
CREATE TABLE consents (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    service TEXT NOT NULL,
    given_on TEXT NOT NULL,
    withdrawn_on TEXT,
    -- Who gave and who withdrew it, and the note, sealed with the person's data key (they
    -- can name people): gone with the key when the file is destroyed.
    sealed BYTEA NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    CHECK (withdrawn_on IS NULL OR withdrawn_on >= given_on)
);
CREATE INDEX consents_person ON consents (person_id);
