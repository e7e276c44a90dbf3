-- Which server runs the control loops of this data dir: a lease, renewed while it runs. term is one higher at
-- each change of holder (a fencing token); lease_until is epoch milliseconds.
CREATE TABLE leadership (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  term INTEGER NOT NULL,
  lease_until INTEGER NOT NULL
);
