-- The audit trail, shared by every gateway: management actions and refused attempts, read back by time.
CREATE TABLE audit (
  seq BIGSERIAL PRIMARY KEY,
  at BIGINT NOT NULL,
  actor TEXT,
  source TEXT,
  action TEXT NOT NULL,
  target TEXT,
  result TEXT NOT NULL,
  status INTEGER NOT NULL,
  detail TEXT
);
CREATE INDEX audit_at ON audit (at);
