-- Mail to many (an area alert to every subscriber of a region, a case's
-- update to its followers) is marked bulk, and the sender takes one-person
-- mail first: a subscription's confirmation link, a reporter's reference
-- number or a staff notice must not wait behind 10,000 area alerts sent
-- at the provider's rate (about 100 s at 100 a second). See mysql/020.
ALTER TABLE outbox ADD COLUMN bulk INTEGER NOT NULL DEFAULT 0;
DROP INDEX idx_outbox_due;
CREATE INDEX idx_outbox_due ON outbox (state, bulk, next_attempt_at);
