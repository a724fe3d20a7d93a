-- Issue 14. A request made on the public page has no member of staff who recorded it:
-- recorded_by becomes optional (SQLite rebuilds the table to drop NOT NULL).
CREATE TABLE rights_requests_new (
    id TEXT PRIMARY KEY,
    right_kind TEXT NOT NULL CHECK (right_kind IN ('access', 'rectification', 'restriction', 'objection')),
    person_id TEXT,
    requester TEXT NOT NULL CHECK (requester IN ('subject', 'parent', 'representative')),
    channel TEXT NOT NULL CHECK (channel IN ('letter', 'email', 'phone', 'in_person', 'web')),
    received_on TEXT NOT NULL,
    confirmed_on TEXT,
    extended INTEGER NOT NULL DEFAULT 0 CHECK (extended IN (0, 1)),
    status TEXT NOT NULL CHECK (status IN ('received', 'waiting', 'in_progress', 'in_review', 'approved',
        'released', 'refused', 'withdrawn')),
    sealed BLOB NOT NULL,
    recorded_by TEXT REFERENCES users(id),
    recorded_at TEXT NOT NULL,
    closed_on TEXT
);
INSERT INTO rights_requests_new (id, right_kind, person_id, requester, channel, received_on, confirmed_on, extended,
    status, sealed, recorded_by, recorded_at, closed_on)
SELECT id, right_kind, person_id, requester, channel, received_on, confirmed_on, extended, status, sealed, recorded_by,
    recorded_at, closed_on FROM rights_requests;
DROP TABLE rights_requests;
ALTER TABLE rights_requests_new RENAME TO rights_requests;
CREATE INDEX rights_requests_status ON rights_requests (status, received_on);
CREATE INDEX rights_requests_person ON rights_requests (person_id);

-- A person's "do not disclose address" flag: their address is kept out of every
-- subject access bundle, share, export and report (part of their file, deleted with it).
CREATE TABLE address_flags (
    person_id TEXT PRIMARY KEY REFERENCES persons(id),
    set_by TEXT NOT NULL REFERENCES users(id),
    set_at TEXT NOT NULL
);

-- A subject access request's review: for each item collated, the digest of its text when it
-- was reviewed and the redactions proposed, accepted, rejected or added, with their reasons;
-- sealed with the request's own key. The text itself is never copied here: the bundle is made
-- from the file as it stands, and only if every item is still what was reviewed.
CREATE TABLE rights_reviews (
    request_id TEXT PRIMARY KEY REFERENCES rights_requests(id),
    sealed BLOB NOT NULL,
    reviewed_by TEXT REFERENCES users(id),
    approved_by TEXT REFERENCES users(id),
    updated_at TEXT NOT NULL
);

-- The released bundle: the PDF and the HTML copy, and the release record (items, redactions
-- with reasons, the bundle's SHA-256, who released it to whom and how), each sealed with the
-- request's key. The ledger's event for the release names the record's SHA-256.
CREATE TABLE rights_releases (
    request_id TEXT PRIMARY KEY REFERENCES rights_requests(id),
    record_sha256 TEXT NOT NULL,
    sealed_record BLOB NOT NULL,
    sealed_pdf BLOB NOT NULL,
    sealed_html BLOB NOT NULL,
    released_by TEXT NOT NULL REFERENCES users(id),
    released_at TEXT NOT NULL
);

-- The public subject access page's throttle: when each address last sent a request (the same
-- address key as the sign-in throttle); rows older than an hour are deleted as new ones come.
CREATE TABLE public_request_log (
    address TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX public_request_log_at ON public_request_log (at);
