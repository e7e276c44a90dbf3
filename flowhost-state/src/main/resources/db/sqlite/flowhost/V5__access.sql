-- Who may call a deployment and how often (require-token, rate, burst), as JSON; and each token's own quota.
ALTER TABLE deployments ADD COLUMN access TEXT NOT NULL DEFAULT '{}';
ALTER TABLE tokens ADD COLUMN rate REAL;
ALTER TABLE tokens ADD COLUMN burst INTEGER;
