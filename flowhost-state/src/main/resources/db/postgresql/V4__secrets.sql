-- Secrets every gateway shares: 'signing-key', the key deployment tokens are signed with (made by the first
-- gateway that needs it).
CREATE TABLE secrets (
  name TEXT PRIMARY KEY,
  value BYTEA NOT NULL
);
