-- The audit trail off the commit path: "queue, then integrate", as transparency logs do.
--
-- Until now every audited transaction took one advisory lock, read the chain's head and
-- linked its event there, and held the lock through its COMMIT: all audited writes of the
-- whole system took turns at one per commit latency. Now a writer only inserts its event
-- here, in its own transaction (so the event is stored if and only if its change is),
-- without a lock and without reading the chain. A single sequencer (AuditLog.integrate, run
-- every 200 ms by each serving process and by every reader of the trail first, under an
-- advisory lock only it takes) moves committed events in id order into audit_events: it
-- gives them the next dense seq and the hash link, exactly as before, and deletes them here.
-- A pending event is not yet in the chain; `audit verify` integrates first.
CREATE TABLE audit_wachtrij (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    actor text NOT NULL,
    actor_role text NOT NULL,
    action text NOT NULL,
    object_type text NOT NULL,
    object_id text NOT NULL,
    before jsonb,
    after jsonb,
    result text NOT NULL CHECK (result IN ('ok', 'refused')),
    origin text NOT NULL CHECK (origin IN ('api', 'cli', 'system', 'web')),
    request_id text
);

-- The service appends to the queue and, as the sequencer, takes integrated events out; it
-- never changes a pending event (as 0011 does for audit_events: no UPDATE).
REVOKE ALL ON audit_wachtrij FROM ddas_regie_app;
GRANT SELECT, INSERT, DELETE ON audit_wachtrij TO ddas_regie_app;

-- A counted refusal names its event by its place in the queue first; the sequencer fills in
-- audit_seq when it links the event.
ALTER TABLE audit_weigeringen ADD COLUMN wachtrij_id bigint;
CREATE UNIQUE INDEX audit_weigeringen_wachtrij_idx ON audit_weigeringen (wachtrij_id);
