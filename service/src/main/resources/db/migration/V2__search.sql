-- Search (issue 6): early stopping, warm start, why a job stopped, promoted trials.
ALTER TABLE job ADD COLUMN patience INT NOT NULL DEFAULT 0;
ALTER TABLE job ADD COLUMN warm_start BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE job ADD COLUMN stop_reason VARCHAR(20);
ALTER TABLE trial ADD COLUMN promoted_from INT;
