-- Harbour foundation schema (SQLite). Keep in step with ../postgres/0001_foundation.sql:
-- the same tables, columns and constraints; only the type names differ.
-- Instants are RFC 3339 UTC text with six fractional digits (sortable); calendar dates are
-- ISO 8601 text; booleans are 0/1 integers.

CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    controller_role TEXT NOT NULL,
    charter_signatory INTEGER NOT NULL DEFAULT 0 CHECK (charter_signatory IN (0, 1)),
    created_at TEXT NOT NULL
);

CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    team_id TEXT REFERENCES teams(id),
    role TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    password_hash TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_failures_user ON login_failures (username, at);

CREATE TABLE persons (
    id TEXT PRIMARY KEY,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    search_name TEXT NOT NULL,
    date_of_birth TEXT,
    gender TEXT NOT NULL,
    care_experienced INTEGER NOT NULL CHECK (care_experienced IN (0, 1)),
    disability INTEGER NOT NULL CHECK (disability IN (0, 1)),
    -- Address and identifiers, sealed with the person's own data key.
    sealed BLOB NOT NULL,
    -- Keyed hashes of the identifiers, so they can be searched without being stored in clear.
    nhs_index TEXT,
    upn_index TEXT,
    local_id_index TEXT,
    created_by_team TEXT REFERENCES teams(id),
    created_at TEXT NOT NULL
);
CREATE INDEX persons_search_name ON persons (search_name);
CREATE INDEX persons_dob ON persons (date_of_birth);
CREATE INDEX persons_nhs ON persons (nhs_index);
CREATE INDEX persons_upn ON persons (upn_index);
CREATE INDEX persons_local ON persons (local_id_index);

-- One data key per person, wrapped by the master key. Destroying the row makes every sealed
-- copy of that person's fields unreadable, backups included.
CREATE TABLE person_keys (
    person_id TEXT PRIMARY KEY REFERENCES persons(id),
    wrapped_key BLOB NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE relationships (
    id TEXT PRIMARY KEY,
    from_person TEXT NOT NULL REFERENCES persons(id),
    to_person TEXT NOT NULL REFERENCES persons(id),
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (from_person <> to_person),
    UNIQUE (from_person, to_person, kind)
);
CREATE INDEX relationships_to ON relationships (to_person);

CREATE TABLE episodes (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    record_class TEXT NOT NULL,
    opened_on TEXT NOT NULL,
    closed_on TEXT,
    team_id TEXT NOT NULL REFERENCES teams(id),
    worker_id TEXT REFERENCES users(id),
    eligibility_override TEXT,
    created_at TEXT NOT NULL,
    CHECK (closed_on IS NULL OR closed_on >= opened_on)
);
CREATE INDEX episodes_person ON episodes (person_id);
CREATE INDEX episodes_team ON episodes (team_id);

CREATE TABLE entries (
    id TEXT PRIMARY KEY,
    episode_id TEXT NOT NULL REFERENCES episodes(id),
    kind TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    -- Location, subject and detail, sealed with the subject person's data key.
    sealed BLOB NOT NULL,
    source_kind TEXT NOT NULL,
    source_id TEXT NOT NULL,
    categories TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX entries_episode ON entries (episode_id, occurred_at);

-- The audit trail: every read and write of case data. Holds ids and metadata only.
CREATE TABLE audit_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor_id TEXT,
    actor_org TEXT,
    action TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id TEXT,
    person_id TEXT,
    purpose TEXT,
    outcome TEXT NOT NULL,
    policy_ids TEXT NOT NULL
);
CREATE INDEX audit_person ON audit_events (person_id, seq);
