-- Policy packs (privacy notices as code), every version ever loaded. A version is never
-- changed once loaded: a revised notice is a new version with its own effective date, so
-- each recorded decision can be traced to the text in force when it was made.
CREATE TABLE policy_packs (
    pack_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    effective_from TEXT NOT NULL,
    source TEXT NOT NULL,
    digest TEXT NOT NULL,
    loaded_at TEXT NOT NULL,
    PRIMARY KEY (pack_id, version)
);
