-- A finished request with a callback owes its caller that callback until it is settled: delivered, or given up
-- after its tries, or refused. A request finished while its server died is owed still, and the next leader sends it.
ALTER TABLE requests ADD COLUMN callback_settled_at INTEGER;
-- What was finished before this version had its callback sent then (or lost with its server): none is owed.
UPDATE requests SET callback_settled_at = finished_at WHERE callback_url IS NOT NULL AND finished_at IS NOT NULL;
CREATE INDEX requests_callbacks_owed ON requests (finished_at) WHERE callback_url IS NOT NULL AND callback_settled_at IS NULL;
