-- Suppliers and their services (one per stream), each a subject of the leverancier workflow.
CREATE TABLE leveranciers (
    id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,39}$'),
    naam text NOT NULL CHECK (naam <> ''),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE leverancier_diensten (
    leverancier_id text NOT NULL REFERENCES leveranciers (id),
    stroom text NOT NULL CHECK (stroom IN ('VS', 'SHV')),
    fase text NOT NULL DEFAULT 'aangemeld',
    fase_sinds timestamptz NOT NULL DEFAULT now(),
    bewijs jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(bewijs) = 'object'),
    versie integer NOT NULL DEFAULT 1 CHECK (versie > 0),
    PRIMARY KEY (leverancier_id, stroom)
);

INSERT INTO leveranciers (id, naam) VALUES
    ('xxllnc', 'xxllnc (xxllnc Sociaal)'),
    ('bkr', 'BKR (VindPlaats Schulden)');
INSERT INTO leverancier_diensten (leverancier_id, stroom) VALUES ('xxllnc', 'VS'), ('bkr', 'VS');

-- The workflow state of each gemeente lives with the register row.
ALTER TABLE gemeenten
    ADD COLUMN fase text NOT NULL DEFAULT 'aangemeld',
    ADD COLUMN fase_sinds timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN versie integer NOT NULL DEFAULT 1 CHECK (versie > 0);
CREATE INDEX gemeenten_fase_idx ON gemeenten (fase);

-- A gemeente's supplier per stream, with history: the current one has no end.
CREATE TABLE gemeente_leveranciers (
    id uuid PRIMARY KEY,
    gemeente_code text NOT NULL REFERENCES gemeenten (code),
    stroom text NOT NULL CHECK (stroom IN ('VS', 'SHV')),
    leverancier_id text NOT NULL REFERENCES leveranciers (id),
    organisatienaam text NOT NULL CHECK (organisatienaam <> ''),
    van timestamptz NOT NULL DEFAULT now(),
    tot timestamptz,
    vastgelegd_door text NOT NULL,
    CHECK (tot IS NULL OR tot >= van)
);
CREATE UNIQUE INDEX gemeente_leveranciers_current_idx ON gemeente_leveranciers (gemeente_code, stroom) WHERE tot IS NULL;

-- DPIA sign-offs: immutable records; the latest counts.
CREATE TABLE dpia_akkoorden (
    id uuid PRIMARY KEY,
    gemeente_code text NOT NULL REFERENCES gemeenten (code),
    besluitdatum date NOT NULL,
    goedkeurende_rol text NOT NULL CHECK (goedkeurende_rol <> ''),
    documentreferentie text NOT NULL CHECK (documentreferentie <> ''),
    document_sha256 text NOT NULL CHECK (document_sha256 ~ '^[0-9a-f]{64}$'),
    vastgelegd_door text NOT NULL,
    vastgelegd_op timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dpia_akkoorden_gemeente_idx ON dpia_akkoorden (gemeente_code, vastgelegd_op);

-- Consent (toestemming): one record per gemeente, supplier and stream. The decision is never
-- edited; a revocation is added once (a trigger guards both). At most one record that is
-- not revoked per gemeente, supplier and stream.
CREATE TABLE toestemmingen (
    id uuid PRIMARY KEY,
    besluit_id uuid NOT NULL,
    gemeente_code text NOT NULL REFERENCES gemeenten (code),
    leverancier_id text NOT NULL REFERENCES leveranciers (id),
    stroom text NOT NULL CHECK (stroom IN ('VS', 'SHV')),
    besluitdatum date NOT NULL,
    besluitvormend_orgaan text NOT NULL CHECK (besluitvormend_orgaan <> ''),
    documentreferentie text NOT NULL CHECK (documentreferentie <> ''),
    document_sha256 text NOT NULL CHECK (document_sha256 ~ '^[0-9a-f]{64}$'),
    geldig_van date NOT NULL,
    geldig_tot date,
    vastgelegd_door text NOT NULL,
    vastgelegd_op timestamptz NOT NULL DEFAULT now(),
    ingetrokken_op timestamptz,
    ingetrokken_door text,
    intrekkingsreden text,
    CHECK (geldig_tot IS NULL OR geldig_tot >= geldig_van),
    CHECK ((ingetrokken_op IS NULL) = (ingetrokken_door IS NULL) AND (ingetrokken_op IS NULL) = (intrekkingsreden IS NULL))
);
CREATE UNIQUE INDEX toestemmingen_one_open_idx ON toestemmingen (gemeente_code, leverancier_id, stroom) WHERE ingetrokken_op IS NULL;
CREATE INDEX toestemmingen_leverancier_idx ON toestemmingen (leverancier_id, stroom) WHERE ingetrokken_op IS NULL;

CREATE FUNCTION toestemmingen_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'consent records are never deleted' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.ingetrokken_op IS NOT NULL
        OR (to_jsonb(NEW) - ARRAY['ingetrokken_op', 'ingetrokken_door', 'intrekkingsreden'])
            IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['ingetrokken_op', 'ingetrokken_door', 'intrekkingsreden']) THEN
        RAISE EXCEPTION 'a consent record is never edited; only a revocation is added, once' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER toestemmingen_immutable BEFORE UPDATE OR DELETE ON toestemmingen
    FOR EACH ROW EXECUTE FUNCTION toestemmingen_guard();
CREATE TRIGGER dpia_akkoorden_immutable BEFORE UPDATE OR DELETE ON dpia_akkoorden
    FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
