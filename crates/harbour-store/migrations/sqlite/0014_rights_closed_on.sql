-- The day a request was answered (released or refused) or withdrawn: the register's on-time rate.
ALTER TABLE rights_requests ADD COLUMN closed_on TEXT;
