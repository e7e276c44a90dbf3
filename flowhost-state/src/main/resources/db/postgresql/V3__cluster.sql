-- What the gateways sharing this database tell each other. Times are epoch milliseconds.

-- Each gateway, where it listens, and when it last reported.
CREATE TABLE gateways (
  name TEXT PRIMARY KEY,
  address TEXT NOT NULL,
  seen_at BIGINT NOT NULL
);

-- Each gateway's demand on each deployment it has traffic for, replaced at every report.
CREATE TABLE gateway_demand (
  gateway TEXT NOT NULL,
  deployment_id TEXT NOT NULL,
  in_flight INTEGER NOT NULL,
  held INTEGER NOT NULL,
  last_arrival BIGINT,
  PRIMARY KEY (gateway, deployment_id)
);

-- The ready instances of each deployment, as the leader of term `term` published them: one line per instance,
-- "<id> <host> <port>".
CREATE TABLE instances (
  deployment_id TEXT PRIMARY KEY,
  term BIGINT NOT NULL,
  ready TEXT NOT NULL
);

-- Every deployed jar, so that a leader on another host can start any deployment.
CREATE TABLE jars (
  sha256 TEXT PRIMARY KEY,
  bytes BYTEA NOT NULL
);
