-- Retention: each episode's retention class and the trigger dates it needs, legal holds, the
-- records manager's review queue and the destruction log (PostgreSQL). Keep in step with
-- ../sqlite/0006_retention.sql.

-- NOTICE/ROW of the retention row the episode is kept under. Required for new episodes (the
-- application assigns it); episodes from before this migration get their record class's
-- default when the server or a sweep next runs.
ALTER TABLE episodes ADD COLUMN retention_class TEXT;
-- Trigger dates that are not the date of birth, closure or opening.
ALTER TABLE episodes ADD COLUMN left_school_on TEXT;
ALTER TABLE episodes ADD COLUMN published_on TEXT;

-- A legal hold overrides every disposal date it covers. No foreign keys: a hold outlives
-- nothing it names (held records are never destroyed) and an ended hold keeps only an id.
CREATE TABLE legal_holds (
    id TEXT PRIMARY KEY,
    scope TEXT NOT NULL CHECK (scope IN ('record_class', 'person', 'episode')),
    record_class TEXT,
    person_id TEXT,
    episode_id TEXT,
    reason TEXT NOT NULL,
    authorised_by TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    CHECK ((scope = 'record_class' AND record_class IS NOT NULL)
        OR (scope = 'person' AND person_id IS NOT NULL)
        OR (scope = 'episode' AND episode_id IS NOT NULL)),
    CHECK (ends_on IS NULL OR ends_on >= starts_on)
);

-- People whose whole file a sweep found due: the records manager approves (destroys), defers
-- (reason and new date) or holds each.
CREATE TABLE retention_reviews (
    person_id TEXT PRIMARY KEY REFERENCES persons(id),
    due_on TEXT NOT NULL,
    queued_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('due', 'deferred', 'held')),
    deferred_until TEXT,
    reason TEXT,
    decided_by TEXT REFERENCES users(id),
    decided_at TEXT,
    CHECK (status <> 'deferred' OR (deferred_until IS NOT NULL AND reason IS NOT NULL))
);
CREATE INDEX retention_reviews_status ON retention_reviews (status, due_on);

-- What was destroyed, kept permanently. No personal data: class, ids, dates, who approved and
-- the ledger entry of the approval.
CREATE TABLE destruction_log (
    id TEXT PRIMARY KEY,
    certificate TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    record_class TEXT NOT NULL,
    record_id TEXT NOT NULL,
    retention_class TEXT,
    trigger_date TEXT,
    disposal_date TEXT NOT NULL,
    destroyed_at TEXT NOT NULL,
    authorised_by TEXT NOT NULL REFERENCES users(id),
    approval_seq BIGINT NOT NULL,
    method TEXT NOT NULL
);
CREATE INDEX destruction_log_certificate ON destruction_log (certificate);
