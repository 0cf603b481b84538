-- Refusals are counted, not each written: the first refusal of a token for an action in a
-- minute is an audit event; the ones after it in that minute only raise `aantal` here, on the
-- row that names that event. The trail itself stays append-only; this table says how many
-- refusals each refused event stands for.
CREATE TABLE audit_weigeringen (
    actor text NOT NULL,
    action text NOT NULL,
    minuut timestamptz NOT NULL,
    aantal integer NOT NULL CHECK (aantal > 0),
    -- The event's seq in audit_events. No foreign key: the trail is never deleted from, so
    -- the reference cannot dangle, and the trail's own checks (audit verify) stay the one
    -- judge of whether it was cut short.
    audit_seq bigint,
    PRIMARY KEY (actor, action, minuut)
);

CREATE UNIQUE INDEX audit_weigeringen_seq_idx ON audit_weigeringen (audit_seq);
