-- The management API's tokens: never the token, only its SHA-256 (hex), looked up by it.
CREATE TABLE tokens (
  name TEXT PRIMARY KEY,
  scope TEXT NOT NULL,
  sha256 TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER
);
