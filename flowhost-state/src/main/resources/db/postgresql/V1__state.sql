-- flowhost's shared state in PostgreSQL, as of the first release that had it. Never edit a migration that has
-- shipped: add V2__..., V3__... (Flyway runs each once, in order, and records it in flyway_schema_history).

-- Deployments: versions per service, one ACTIVE per service. Settings, pins, scaling and retention are JSON text,
-- read and written by the same code as SQLite's (DeploymentRows), created_at too (ISO-8601 text).
CREATE TABLE deployments (
  id TEXT PRIMARY KEY,
  service TEXT NOT NULL,
  version INTEGER NOT NULL,
  jar_sha256 TEXT NOT NULL,
  jar_path TEXT NOT NULL,
  descriptor TEXT NOT NULL,
  settings TEXT NOT NULL,
  state TEXT NOT NULL,
  created_at TEXT NOT NULL,
  pins TEXT NOT NULL DEFAULT '{}',
  model TEXT,
  scaling TEXT NOT NULL DEFAULT '{}',
  retention TEXT NOT NULL DEFAULT '{}',
  UNIQUE (service, version)
);
-- Two gateways activating versions of one service at once: the second waits on this index, then fails, rather
-- than leaving two ACTIVE.
CREATE UNIQUE INDEX deployments_one_active ON deployments (service) WHERE state = 'ACTIVE';

-- Alert states, replaced as a whole by each evaluation. Times are epoch milliseconds.
CREATE TABLE alert_states (
  rule TEXT NOT NULL,
  service TEXT NOT NULL,
  state TEXT NOT NULL,
  value DOUBLE PRECISION,
  active_since BIGINT,
  firing_since BIGINT,
  resolved_at BIGINT,
  PRIMARY KEY (rule, service)
);

-- The async queue and its results. Times are epoch milliseconds; seq breaks ties between requests accepted in the
-- same millisecond, so the queue order is (accepted_at, seq).
CREATE TABLE requests (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  deployment_id TEXT NOT NULL,
  service TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  content_type TEXT,
  body BYTEA NOT NULL,
  request_id TEXT NOT NULL,
  idempotency_key TEXT,
  callback_url TEXT,
  state TEXT NOT NULL,
  accepted_at BIGINT NOT NULL,
  started_at BIGINT,
  finished_at BIGINT,
  expires_at BIGINT NOT NULL,
  result_ttl_ms BIGINT NOT NULL,
  attempts INTEGER NOT NULL,
  max_attempts INTEGER NOT NULL,
  lease_holder TEXT,
  lease_until BIGINT,
  result_status INTEGER,
  result_content_type TEXT,
  result_body BYTEA,
  error TEXT,
  traceparent TEXT,
  tracestate TEXT,
  fingerprint TEXT
);
-- Leasing walks the queue of one deployment in order, skipping rows another gateway has locked.
CREATE INDEX requests_queue_order ON requests (deployment_id, accepted_at, seq) WHERE state = 'QUEUED';
-- The sweep (queued past their TTL, finished past theirs) and expired leases.
CREATE INDEX requests_expiry ON requests (state, expires_at);
-- An idempotency key names one request while that request is kept: two gateways inserting the same key at once
-- cannot both succeed. A row past its result TTL that the sweep has not deleted yet is deleted by the submit that
-- reuses its key.
CREATE UNIQUE INDEX requests_idempotency_key ON requests (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX requests_by_service ON requests (service, accepted_at);
