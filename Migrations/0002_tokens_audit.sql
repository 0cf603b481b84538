-- API tokens: stored as the SHA-256 of the token only; the token itself is shown once.
CREATE TABLE api_tokens (
    id uuid PRIMARY KEY,
    token_sha256 bytea NOT NULL UNIQUE CHECK (length(token_sha256) = 32),
    role text NOT NULL CHECK (role IN ('projectteam', 'gemeente', 'leverancier', 'scheduler', 'admin')),
    scope text,
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 200),
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL,
    expires_at timestamptz,
    revoked_at timestamptz,
    revoked_by text,
    CHECK ((role IN ('gemeente', 'leverancier')) = (scope IS NOT NULL)),
    CHECK (role <> 'gemeente' OR scope ~ '^GM[0-9]{4}$'),
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);

-- The audit trail: append-only and hash-chained (see AuditChain). `seq` is dense and
-- assigned under an advisory lock, so the chain is linear.
CREATE TABLE audit_events (
    seq bigint PRIMARY KEY CHECK (seq > 0),
    occurred_at timestamptz NOT NULL,
    actor text NOT NULL,
    actor_role text NOT NULL,
    action text NOT NULL,
    object_type text NOT NULL,
    object_id text NOT NULL,
    before jsonb,
    after jsonb,
    result text NOT NULL CHECK (result IN ('ok', 'refused')),
    origin text NOT NULL CHECK (origin IN ('api', 'cli', 'system')),
    request_id text,
    previous_hash bytea NOT NULL CHECK (length(previous_hash) = 32),
    hash bytea NOT NULL CHECK (length(hash) = 32)
);

CREATE INDEX audit_events_object_idx ON audit_events (object_type, object_id, seq);
CREATE INDEX audit_events_occurred_at_idx ON audit_events (occurred_at);

CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;

-- Triggers bind the table owner too, but the owner (and a superuser) may disable them and then
-- change events; 0011 takes that right from the role the service works as. Whoever gets past
-- them, `ddas-regie audit verify` names the first broken link.
CREATE TRIGGER audit_events_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
