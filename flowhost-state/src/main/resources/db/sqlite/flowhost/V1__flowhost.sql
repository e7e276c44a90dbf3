-- flowhost.db, the deployments and the alert states, as of the first release whose schema Flyway versions. Never
-- edit a migration that has shipped: add V2__..., V3__... A flowhost.db from before (no flyway_schema_history) is
-- brought to this schema by the code that made it and then baselined at version 1.

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

-- Times are epoch milliseconds.
CREATE TABLE alert_states (
  rule TEXT NOT NULL,
  service TEXT NOT NULL,
  state TEXT NOT NULL,
  value REAL,
  active_since INTEGER,
  firing_since INTEGER,
  resolved_at INTEGER,
  PRIMARY KEY (rule, service)
);
