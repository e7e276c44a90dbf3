-- requests.db, the async queue and its results, as of the first release whose schema Flyway versions. Never edit
-- a migration that has shipped: add V2__..., V3__... A requests.db from before (no flyway_schema_history) is
-- brought to this schema by the code that made it (Schema.upgradeUnversioned) and then baselined at version 1.

-- Times are epoch milliseconds; seq (the rowid) breaks ties between requests accepted in the same millisecond.
CREATE TABLE requests (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  deployment_id TEXT NOT NULL,
  service TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  content_type TEXT,
  body BLOB NOT NULL,
  request_id TEXT NOT NULL,
  idempotency_key TEXT,
  callback_url TEXT,
  state TEXT NOT NULL,
  accepted_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  expires_at INTEGER NOT NULL,
  result_ttl_ms INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  max_attempts INTEGER NOT NULL,
  lease_holder TEXT,
  lease_until INTEGER,
  result_status INTEGER,
  result_content_type TEXT,
  result_body BLOB,
  error TEXT,
  traceparent TEXT,
  tracestate TEXT,
  fingerprint TEXT
);
-- The queue order itself (accepted_at, then seq): leasing walks this index from its head, so taking the oldest
-- request costs the same with 10 or 100,000 queued.
CREATE INDEX requests_queue_order ON requests (state, deployment_id, accepted_at, seq);
-- The sweep (queued past their TTL, finished past theirs) and expired leases.
CREATE INDEX requests_expiry ON requests (state, expires_at);
-- A key names one request whatever it calls (its fingerprint tells a retry from another request).
CREATE INDEX requests_idempotency_key ON requests (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX requests_by_service ON requests (service, accepted_at);
