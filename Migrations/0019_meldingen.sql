-- Meldingen (notifications): who subscribed to what, what happened, and the outbox of
-- messages to send (one per melding and subscription).
--
-- The outbox is transactional: a melding and its messages are written in the same
-- transaction as the change that causes them (a levering given up, a consent revoked, an
-- op-orde-rapport recorded), or by a detector that reads the state and writes in one
-- transaction (a supplier silent for days, a consent about to lapse). The key `sleutel`
-- makes each occurrence once, whichever process or replica sees it first.
--
-- Nothing here holds personal data: addresses are functional mailboxes and endpoints of
-- gemeenten, suppliers and the project team; a melding holds codes, counts, gemeente names
-- from the register, dates and links.

-- A party's subscription: a mailbox or a webhook endpoint, and the soorten it wants. A
-- webhook's secret is not stored: it is derived from the service's key, the subscription's id
-- and its `geheim_versie` (rotating it bumps the version; the previous one stays valid until
-- `vorig_geheim_geldig_tot`, and messages are signed with both until then).
CREATE TABLE melding_abonnementen (
    id uuid PRIMARY KEY,
    partij_soort text NOT NULL CHECK (partij_soort IN ('projectteam', 'gemeente', 'leverancier')),
    -- The gemeentecode, the supplier's id, or 'projectteam'.
    partij text NOT NULL CHECK (partij <> ''),
    kanaal text NOT NULL CHECK (kanaal IN ('email', 'webhook')),
    adres text NOT NULL CHECK (length(adres) BETWEEN 3 AND 2000),
    soorten text[] NOT NULL CHECK (cardinality(soorten) BETWEEN 1 AND 32),
    omschrijving text NOT NULL DEFAULT '' CHECK (length(omschrijving) <= 200),
    geheim_versie integer NOT NULL DEFAULT 1 CHECK (geheim_versie BETWEEN 1 AND 1000000),
    vorig_geheim_geldig_tot timestamptz,
    aangemaakt_op timestamptz NOT NULL,
    gewijzigd_op timestamptz NOT NULL,
    opgezegd_op timestamptz,
    CHECK ((partij_soort = 'projectteam') = (partij = 'projectteam')),
    CHECK (partij_soort <> 'gemeente' OR partij ~ '^GM[0-9]{4}$')
);
CREATE INDEX melding_abonnementen_partij_idx ON melding_abonnementen (partij_soort, partij) WHERE opgezegd_op IS NULL;

-- What happened, once per `sleutel`. `inhoud` is the melding as the domain writes it (soort,
-- facts, gemeente name): what a message's text is made from, again at every attempt.
CREATE TABLE meldingen (
    id uuid PRIMARY KEY,
    soort text NOT NULL,
    sleutel text NOT NULL UNIQUE CHECK (length(sleutel) <= 400),
    gemeente_code text REFERENCES gemeenten (code),
    leverancier_id text,
    inhoud jsonb NOT NULL,
    plaatsgevonden_op timestamptz NOT NULL,
    vastgelegd_op timestamptz NOT NULL
);
CREATE INDEX meldingen_vastgelegd_idx ON meldingen (vastgelegd_op);

-- The outbox: one message of one melding to one subscription. Its id is the message's id
-- everywhere (the webhook-id, the mail's Message-ID), the same at every attempt.
CREATE TABLE melding_bezorgingen (
    id uuid PRIMARY KEY,
    melding_id uuid NOT NULL REFERENCES meldingen (id),
    abonnement_id uuid NOT NULL REFERENCES melding_abonnementen (id),
    status text NOT NULL CHECK (status IN ('wachtend', 'bezig', 'verzonden', 'mislukt')),
    pogingen integer NOT NULL DEFAULT 0 CHECK (pogingen >= 0),
    volgende_poging_op timestamptz NOT NULL,
    houder text,
    lease_tot timestamptz,
    laatste_fout text CHECK (length(laatste_fout) <= 500),
    aangemaakt_op timestamptz NOT NULL,
    afgerond_op timestamptz,
    UNIQUE (melding_id, abonnement_id),
    CHECK ((status = 'bezig') = (houder IS NOT NULL AND lease_tot IS NOT NULL)),
    CHECK ((status IN ('verzonden', 'mislukt')) = (afgerond_op IS NOT NULL))
);
CREATE INDEX melding_bezorgingen_wachtend_idx ON melding_bezorgingen (volgende_poging_op) WHERE status = 'wachtend';
CREATE INDEX melding_bezorgingen_bezig_idx ON melding_bezorgingen (lease_tot) WHERE status = 'bezig';
CREATE INDEX melding_bezorgingen_mislukt_idx ON melding_bezorgingen (afgerond_op) WHERE status = 'mislukt';
CREATE INDEX melding_bezorgingen_abonnement_idx ON melding_bezorgingen (abonnement_id);
