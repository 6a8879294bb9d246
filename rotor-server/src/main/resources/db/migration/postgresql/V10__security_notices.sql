-- Security notices (new-device sign-ins, step-ups, denials, refresh-token reuse) still to deliver to the configured
-- notifier (the log, or a webhook). A row is written in the transaction that writes its audit event, whichever store
-- writes it (the reuse event is written inside the refresh-token store's revocation), and deleted once delivered or
-- given up; the audit event itself stays the record of what happened: audit_id names it, and the notice's payload is
-- read from it. id is the notice's own id, sent with every attempt so that receivers can drop a repeat.
-- next_attempt_at is when it is due; lease_until, while a deliverer holds it, is when another may take it over.
CREATE TABLE notice_deliveries (
    id              TEXT COLLATE "C" PRIMARY KEY,
    audit_id        BIGINT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until     BIGINT,
    last_status     INTEGER,
    created_at      BIGINT NOT NULL
);
CREATE INDEX notice_deliveries_due ON notice_deliveries (next_attempt_at);
