-- What each instance of a deployment needs of a node when instances are pods (cpu, memory, gpu, node-selector,
-- tolerations), as JSON like scaling and retention.
ALTER TABLE deployments ADD COLUMN resources TEXT NOT NULL DEFAULT '{}';
