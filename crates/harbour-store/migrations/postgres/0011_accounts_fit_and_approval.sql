-- Accounts fit their organisations, and accounts that read records need a second person (issue
-- 12) (PostgreSQL; keep in step with ../sqlite/0011_accounts_fit_and_approval.sql).

-- The council's children's services, which run Harbour: its staff hold the council's roles,
-- every other organisation is a partner. Existing databases: the organisation the
-- administrators belong to.
ALTER TABLE organisations ADD COLUMN operator INTEGER NOT NULL DEFAULT 0 CHECK (operator IN (0, 1));
UPDATE organisations SET operator = 1 WHERE id IN (SELECT org_id FROM users WHERE role = 'admin');

-- An account an administrator creates with a role that can read records waits, inactive, for
-- the data protection officer's approval; who approved it and when are kept.
ALTER TABLE users ADD COLUMN awaiting_approval INTEGER NOT NULL DEFAULT 0 CHECK (awaiting_approval IN (0, 1));
ALTER TABLE users ADD COLUMN requested_by TEXT REFERENCES users(id);
ALTER TABLE users ADD COLUMN approved_by TEXT REFERENCES users(id);
ALTER TABLE users ADD COLUMN approved_at TEXT;
