-- The queue's index holds queued requests only: a lease then removes one entry and adds none, and a result leaves
-- the index alone (with state as its first column, every transition moved an entry from one part of it to another).
-- Leasing still walks it from its head, in arrival order.
DROP INDEX IF EXISTS requests_queue_order;
CREATE INDEX requests_queued ON requests (deployment_id, accepted_at, seq) WHERE state = 'QUEUED';
