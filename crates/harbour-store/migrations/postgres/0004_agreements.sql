-- Personal Information Sharing Agreements and their parties.
CREATE TABLE agreements (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    purposes TEXT NOT NULL,
    categories TEXT NOT NULL,
    lawful_bases TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    review_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (ends_on IS NULL OR ends_on >= starts_on)
);

CREATE TABLE agreement_parties (
    agreement_id TEXT NOT NULL REFERENCES agreements(id),
    org_id TEXT NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (agreement_id, org_id)
);
CREATE INDEX agreement_parties_org ON agreement_parties (org_id);
