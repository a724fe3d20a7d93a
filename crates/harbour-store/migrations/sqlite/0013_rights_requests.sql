-- Requests under the rights (subject access, rectification, restriction, objection): issue 14.
-- Names, what is asked and the notes are sealed with the request's own key; the person it is
-- about, by id only (cut when their file is destroyed: the register outlives the file).
CREATE TABLE rights_requests (
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
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX rights_requests_status ON rights_requests (status, received_on);
CREATE INDEX rights_requests_person ON rights_requests (person_id);
