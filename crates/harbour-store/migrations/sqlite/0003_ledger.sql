-- The tamper-evident ledger (RFC 9162 Merkle tree). Audit events are its entries: each gets
-- a leaf index when the ledger's committer sequences it; ledger_nodes keeps the hash of every
-- complete, aligned subtree (level 0 = leaf hashes); ledger_heads keeps each signed tree head.
ALTER TABLE audit_events ADD COLUMN leaf_index INTEGER;
CREATE UNIQUE INDEX audit_events_leaf ON audit_events (leaf_index);
CREATE INDEX audit_events_unsequenced ON audit_events (seq) WHERE leaf_index IS NULL;

CREATE TABLE ledger_nodes (
    level INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    hash BLOB NOT NULL,
    PRIMARY KEY (level, idx)
);

CREATE TABLE ledger_heads (
    tree_size INTEGER PRIMARY KEY,
    timestamp_ms INTEGER NOT NULL,
    root_hash BLOB NOT NULL,
    signature BLOB NOT NULL
);
