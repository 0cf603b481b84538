-- The pages a delivery handed over to the CBS sink: counts and checksums only, never the data.
-- Written in the hand-over's transaction, so a delivery is `geslaagd` exactly when its pages
-- are recorded here; the sink's manifest says the same.
CREATE TABLE levering_paginas (
    levering_id uuid NOT NULL REFERENCES leveringen (id),
    pagina integer NOT NULL CHECK (pagina > 0),
    records integer NOT NULL CHECK (records >= 0),
    bytes bigint NOT NULL CHECK (bytes >= 0),
    sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    overgedragen_op timestamptz NOT NULL,
    PRIMARY KEY (levering_id, pagina)
);

-- The claim takes, per supplier, its oldest due deliveries: one index scan per supplier.
CREATE INDEX leveringen_wachtrij_leverancier_idx ON leveringen (leverancier_id, volgende_poging_op, id)
    WHERE status IN ('gepland', 'mislukt');

-- Leadership of the maintenance loops (scheduler, rescuer, pruner): one process holds each
-- task's row until `tot`, renewing it while it lives. Correctness never depends on it (the
-- queue's SQL is safe on every replica); it only spares the database duplicate work.
CREATE TABLE leiderschap (
    taak text PRIMARY KEY,
    eigenaar text NOT NULL,
    tot timestamptz NOT NULL
);
