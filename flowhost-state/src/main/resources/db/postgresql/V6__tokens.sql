-- The management API's tokens, shared by every gateway: never the token, only its SHA-256 (hex), looked up by it.
CREATE TABLE tokens (
  name TEXT PRIMARY KEY,
  scope TEXT NOT NULL,
  sha256 TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT
);
