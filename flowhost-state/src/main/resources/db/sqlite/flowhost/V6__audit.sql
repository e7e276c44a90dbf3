-- The audit trail: management actions and refused attempts, one row each, read back by time.
CREATE TABLE audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT,
  source TEXT,
  action TEXT NOT NULL,
  target TEXT,
  result TEXT NOT NULL,
  status INTEGER NOT NULL,
  detail TEXT
);
CREATE INDEX audit_at ON audit (at);
