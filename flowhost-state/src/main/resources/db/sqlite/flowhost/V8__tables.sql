-- Tables of precomputed predictions: each version, where its rows came from and where it stands.
CREATE TABLE table_versions (
  table_name TEXT NOT NULL,
  version INTEGER NOT NULL,
  key_type TEXT NOT NULL,
  state TEXT NOT NULL,
  source TEXT NOT NULL,
  created_by TEXT,
  row_count INTEGER NOT NULL,
  byte_count INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  published_at INTEGER,
  load_ms INTEGER NOT NULL,
  failure TEXT,
  PRIMARY KEY (table_name, version)
);
-- At most one current version per table, whatever two writers do at once.
CREATE UNIQUE INDEX table_versions_one_current ON table_versions (table_name) WHERE state = 'CURRENT';
