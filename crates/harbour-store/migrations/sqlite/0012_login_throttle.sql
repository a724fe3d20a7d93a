-- Sign-in throttling that holds under parallel attempts and across server processes
-- (keep the SQLite and PostgreSQL files in step).
--
-- Each attempt is reserved before its password is checked: in one transaction the attempt
-- takes the lock rows of its username and of its client address (below), counts their recent
-- failures and, under both limits, records itself in login_failures. A successful sign-in
-- then removes its username's rows; a failed one leaves its row as the failure.

-- The client address an attempt came from (NULL for failures recorded before this).
ALTER TABLE login_failures ADD COLUMN address TEXT;
CREATE INDEX login_failures_address ON login_failures (address, at);

-- One row per username ('user:NAME') and per client address ('address:ADDR'): an attempt
-- updates its rows first, which makes attempts on the same username or address wait for one
-- another (a row lock in PostgreSQL, the write lock in SQLite) until the first commits.
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    touched_at TEXT NOT NULL
);
