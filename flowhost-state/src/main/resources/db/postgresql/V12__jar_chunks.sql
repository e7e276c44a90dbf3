-- A jar in pieces of at most 4 MiB, written and read one piece at a time: a jar of hundreds of MiB was one BYTEA
-- value, which a gateway fetching it read whole into its heap (twice over, as the driver decodes it) and which
-- PostgreSQL's backend built whole in its memory too. A row in `jars` says its pieces are all there: it is
-- written in the same transaction as they are, and deleting it deletes them.
CREATE TABLE jar_chunks (
  sha256 TEXT NOT NULL REFERENCES jars (sha256) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  bytes BYTEA NOT NULL,
  PRIMARY KEY (sha256, seq)
);
INSERT INTO jar_chunks (sha256, seq, bytes)
  SELECT sha256, g, substring(bytes FROM g * 4194304 + 1 FOR 4194304)
  FROM jars, generate_series(0, greatest(length(bytes) - 1, 0) / 4194304) AS g;
ALTER TABLE jars DROP COLUMN bytes;
