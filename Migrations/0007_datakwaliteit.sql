-- Data quality (DESIGN.md §6). The op-orde-rapport of a delivery: written when a pull has read
-- every page, in the transaction that hands the delivery over, or on its own when the delivery
-- fails validation. Counts only: the figures are counts per check, per code-list value and per
-- month, and the suggestions name official values and rules (and the text only when it equals
-- a curated entry); no identifier, value or text of any person or case.
CREATE TABLE op_orde_rapporten (
    levering_id uuid PRIMARY KEY REFERENCES leveringen (id),
    poging integer NOT NULL CHECK (poging > 0),
    gemaakt_op timestamptz NOT NULL,
    eenheden integer NOT NULL CHECK (eenheden >= 0),
    eenheden_met_fouten integer NOT NULL CHECK (eenheden_met_fouten >= 0 AND eenheden_met_fouten <= eenheden),
    drempel numeric NOT NULL CHECK (drempel >= 0 AND drempel <= 1),
    oordeel text NOT NULL CHECK (oordeel IN ('in_orde', 'onder_drempel', 'boven_drempel')),
    bevindingen jsonb NOT NULL,
    suggesties jsonb NOT NULL
);

-- The standardisation table the project team maintains: a free text (normalised) of a code
-- list and the official value it stands for. Every change is a row of the history below and
-- an audit event; `versie` is the history's number of the change that wrote the entry.
CREATE TABLE standaardisatie_vertalingen (
    id uuid PRIMARY KEY,
    lijst text NOT NULL,
    tekst text NOT NULL CHECK (length(tekst) BETWEEN 1 AND 200),
    sleutel text NOT NULL CHECK (length(sleutel) BETWEEN 1 AND 400),
    waarde text NOT NULL,
    versie bigint NOT NULL,
    gewijzigd_op timestamptz NOT NULL,
    gewijzigd_door text NOT NULL,
    UNIQUE (lijst, sleutel)
);

-- Every change to the table, in order: who (token id), what, when. Append-only.
CREATE TABLE standaardisatie_wijzigingen (
    versie bigserial PRIMARY KEY,
    vertaling_id uuid NOT NULL,
    lijst text NOT NULL,
    tekst text NOT NULL,
    actie text NOT NULL CHECK (actie IN ('toegevoegd', 'gewijzigd', 'verwijderd')),
    waarde_voor text,
    waarde_na text,
    gewijzigd_op timestamptz NOT NULL,
    gewijzigd_door text NOT NULL
);
CREATE INDEX standaardisatie_wijzigingen_vertaling_idx ON standaardisatie_wijzigingen (vertaling_id, versie);

CREATE FUNCTION standaardisatie_wijzigingen_alleen_toevoegen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'standaardisatie_wijzigingen is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER standaardisatie_wijzigingen_alleen_toevoegen
    BEFORE UPDATE OR DELETE ON standaardisatie_wijzigingen
    FOR EACH ROW EXECUTE FUNCTION standaardisatie_wijzigingen_alleen_toevoegen();
