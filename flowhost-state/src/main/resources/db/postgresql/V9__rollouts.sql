-- A version rolled out beside its service's primary: its variant (primary, canary or shadow) and its rollout as JSON.
ALTER TABLE deployments ADD COLUMN variant TEXT NOT NULL DEFAULT 'primary';
ALTER TABLE deployments ADD COLUMN rollout TEXT;
-- One active primary per service, and beside it at most one canary or shadow.
DROP INDEX deployments_one_active;
CREATE UNIQUE INDEX deployments_one_active_per_role ON deployments (service, (variant = 'primary')) WHERE state = 'ACTIVE';
