-- Issue 15: emergency access. A practitioner without a legitimate relationship to a record
-- opens it by saying why; the opening lets them read and record until expires_at (one shift),
-- the teams working with the family and the data protection officer are told, and the officer
-- reviews each opening. The reason and the review note can name people: sealed with the
-- person's data key. Part of the person's file.
CREATE TABLE emergency_access (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    opened_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    sealed BLOB NOT NULL,
    reviewed_by TEXT REFERENCES users(id),
    reviewed_at TEXT,
    justified INTEGER CHECK (justified IN (0, 1))
);
CREATE INDEX emergency_access_person ON emergency_access (person_id, expires_at);
CREATE INDEX emergency_access_review ON emergency_access (reviewed_at, opened_at);
