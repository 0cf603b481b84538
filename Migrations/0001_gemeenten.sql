-- The gemeenten register: every gemeente DDAS knows, loaded from Data/gemeenten.csv.
-- A gemeente that leaves the register (merged, renamed away) is marked inactive, never
-- deleted: its history (consent, deliveries) keeps pointing at it.
CREATE TABLE gemeenten (
    code text PRIMARY KEY CHECK (code ~ '^GM[0-9]{4}$'),
    name text NOT NULL CHECK (name <> ''),
    province_code text NOT NULL CHECK (province_code ~ '^PV[0-9]{2}$'),
    province text NOT NULL CHECK (province <> ''),
    arbeidsmarktregio text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deactivated_at timestamptz,
    CHECK (active = (deactivated_at IS NULL))
);

CREATE INDEX gemeenten_province_code_idx ON gemeenten (province_code);
