-- Bulk mail goes after one-person mail (issue 16): see sqlite/020.
ALTER TABLE outbox ADD COLUMN bulk BOOLEAN NOT NULL DEFAULT FALSE,
    DROP INDEX idx_outbox_due,
    ADD INDEX idx_outbox_due (state, bulk, next_attempt_at);
