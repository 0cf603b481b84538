-- Deliveries (leveringen): one pull of one stream for one gemeente and one reporting period.
-- The table is the queue: workers claim rows with FOR UPDATE SKIP LOCKED and hold a lease
-- while a pull runs; a rescuer returns rows whose lease expired. Only metadata is kept here.
CREATE TABLE leveringen (
    id uuid PRIMARY KEY,
    gemeente_code text NOT NULL REFERENCES gemeenten (code),
    leverancier_id text NOT NULL,
    stroom text NOT NULL CHECK (stroom IN ('VS', 'SHV')),
    periode text NOT NULL CHECK (periode ~ '^[0-9]{4}-([0-9]{2}|Q[1-4]|H[12])$'),
    periode_start date NOT NULL,
    periode_eind date NOT NULL CHECK (periode_eind >= periode_start),
    doel text NOT NULL CHECK (doel IN ('test', 'regulier', 'herlevering')),
    status text NOT NULL DEFAULT 'gepland'
        CHECK (status IN ('gepland', 'bezig', 'geslaagd', 'mislukt', 'opgegeven', 'geannuleerd')),
    pogingen integer NOT NULL DEFAULT 0 CHECK (pogingen >= 0),
    max_pogingen integer NOT NULL CHECK (max_pogingen > 0),
    volgende_poging_op timestamptz NOT NULL,
    lease_eigenaar text,
    lease_tot timestamptz,
    laatste_fout_klasse text,
    laatste_fout text,
    aangemaakt_op timestamptz NOT NULL DEFAULT now(),
    gestart_op timestamptz,
    afgerond_op timestamptz,
    FOREIGN KEY (leverancier_id, stroom) REFERENCES leverancier_diensten (leverancier_id, stroom),
    CHECK ((status = 'bezig') = (lease_eigenaar IS NOT NULL AND lease_tot IS NOT NULL))
);

-- One delivery per gemeente, stream, period and purpose: schedulers insert with ON CONFLICT DO NOTHING.
CREATE UNIQUE INDEX leveringen_een_per_periode_idx ON leveringen (gemeente_code, stroom, periode, doel);
-- The queue: what may be claimed, in order.
CREATE INDEX leveringen_wachtrij_idx ON leveringen (volgende_poging_op, id) WHERE status IN ('gepland', 'mislukt');
-- The rescuer: leases that may have expired.
CREATE INDEX leveringen_lease_idx ON leveringen (lease_tot) WHERE status = 'bezig';
-- The per-supplier limit counts running pulls.
CREATE INDEX leveringen_bezig_leverancier_idx ON leveringen (leverancier_id) WHERE status = 'bezig';

-- Every attempt: counts, bytes and timings only.
CREATE TABLE levering_pogingen (
    levering_id uuid NOT NULL REFERENCES leveringen (id),
    poging integer NOT NULL CHECK (poging > 0),
    gestart_op timestamptz NOT NULL,
    afgerond_op timestamptz,
    http_status integer,
    fout_klasse text,
    paginas integer NOT NULL DEFAULT 0,
    records integer NOT NULL DEFAULT 0,
    bytes bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (levering_id, poging)
);
