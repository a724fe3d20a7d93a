-- Sharing decisions, disclosures, information requests, domestic abuse notifications and the
-- school calendar (SQLite). Keep in step with ../postgres/0005_sharing.sql.

-- Data keys for records that are about no one person yet (a police notification before the
-- hub has matched its children, a partner's information request). Destroying the row makes
-- the sealed text unreadable, as with person_keys.
CREATE TABLE record_keys (
    record_id TEXT PRIMARY KEY,
    wrapped_key BLOB NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE information_requests (
    id TEXT PRIMARY KEY,
    from_org TEXT NOT NULL REFERENCES organisations(id),
    requested_by TEXT NOT NULL REFERENCES users(id),
    notice TEXT NOT NULL,
    purpose TEXT NOT NULL,
    ground TEXT,
    -- Who the request is about and what is asked, sealed with the request's own key.
    sealed BLOB NOT NULL,
    received_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'answered'))
);
CREATE INDEX information_requests_status ON information_requests (status, received_at);

CREATE TABLE sharing_decisions (
    id TEXT PRIMARY KEY,
    notice TEXT NOT NULL,
    notice_version INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('awaiting_guardian', 'disclosed', 'rejected')),
    -- The person whose data key seals the decision's text.
    subject_id TEXT NOT NULL REFERENCES persons(id),
    request_id TEXT REFERENCES information_requests(id),
    purpose TEXT NOT NULL,
    basis TEXT NOT NULL,
    condition_id TEXT,
    statute TEXT NOT NULL,
    agreement_id TEXT REFERENCES agreements(id),
    categories TEXT NOT NULL,
    consent TEXT NOT NULL CHECK (consent IN ('given', 'refused', 'not_sought')),
    without_consent_ground TEXT,
    family_position TEXT NOT NULL CHECK (family_position IN ('told', 'exempt')),
    exemption TEXT,
    review_on TEXT,
    urgency TEXT NOT NULL,
    expires_on TEXT,
    whole_record INTEGER NOT NULL CHECK (whole_record IN (0, 1)),
    needs_guardian INTEGER NOT NULL CHECK (needs_guardian IN (0, 1)),
    clauses TEXT NOT NULL,
    -- Rationale, consent and family details, justification, the Guardian's reason: sealed.
    sealed BLOB NOT NULL,
    decided_by TEXT NOT NULL REFERENCES users(id),
    decided_at TEXT NOT NULL,
    guardian_by TEXT REFERENCES users(id),
    guardian_at TEXT,
    guardian_approved INTEGER CHECK (guardian_approved IN (0, 1)),
    CHECK (family_position = 'told' OR (exemption IS NOT NULL AND review_on IS NOT NULL))
);
CREATE INDEX sharing_decisions_status ON sharing_decisions (status, decided_at);
CREATE INDEX sharing_decisions_review ON sharing_decisions (family_position, review_on);

CREATE TABLE decision_people (
    decision_id TEXT NOT NULL REFERENCES sharing_decisions(id),
    person_id TEXT NOT NULL REFERENCES persons(id),
    fields TEXT NOT NULL,
    PRIMARY KEY (decision_id, person_id)
);
CREATE INDEX decision_people_person ON decision_people (person_id);

CREATE TABLE decision_entries (
    decision_id TEXT NOT NULL REFERENCES sharing_decisions(id),
    entry_id TEXT NOT NULL REFERENCES entries(id),
    fields TEXT NOT NULL,
    PRIMARY KEY (decision_id, entry_id)
);

CREATE TABLE decision_recipients (
    decision_id TEXT NOT NULL REFERENCES sharing_decisions(id),
    org_id TEXT NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (decision_id, org_id)
);

-- What each organisation received, made when the decision is disclosed.
CREATE TABLE disclosures (
    id TEXT PRIMARY KEY,
    decision_id TEXT NOT NULL REFERENCES sharing_decisions(id),
    org_id TEXT NOT NULL REFERENCES organisations(id),
    disclosed_at TEXT NOT NULL,
    expires_on TEXT,
    UNIQUE (decision_id, org_id)
);
CREATE INDEX disclosures_org ON disclosures (org_id, disclosed_at);

CREATE TABLE da_notifications (
    id TEXT PRIMARY KEY,
    police_org TEXT NOT NULL REFERENCES organisations(id),
    submitted_by TEXT NOT NULL REFERENCES users(id),
    received_at TEXT NOT NULL,
    -- The start of the next school day after receipt, UK local time (YYYY-MM-DDTHH:MM:SS).
    deadline TEXT NOT NULL,
    -- Police reference, incident time and account, the children as the police named them.
    sealed BLOB NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('received', 'triaged', 'shared')),
    triaged_by TEXT REFERENCES users(id),
    triaged_at TEXT,
    shared_at TEXT
);
CREATE INDEX da_notifications_status ON da_notifications (status, deadline);

CREATE TABLE da_notification_children (
    notification_id TEXT NOT NULL REFERENCES da_notifications(id),
    idx INTEGER NOT NULL,
    person_id TEXT REFERENCES persons(id),
    school_id TEXT REFERENCES organisations(id),
    entry_id TEXT REFERENCES entries(id),
    decision_id TEXT REFERENCES sharing_decisions(id),
    PRIMARY KEY (notification_id, idx)
);

CREATE TABLE school_holidays (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (ends_on >= starts_on)
);
