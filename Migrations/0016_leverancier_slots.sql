-- The running deliveries per supplier, one row each, so that a claim decides the
-- per-supplier limit under that supplier's row lock only (it replaces the one advisory lock
-- that serialised every claim of every supplier in every process). A claim locks the rows of
-- the suppliers it takes work from, reads `bezet` (the version current when the lock is
-- granted) and takes at most limit - bezet. The count follows the status column through the
-- triggers below, in the statement that changes the status, so every path that starts or
-- ends an attempt (claim, hand-over, failure, cancellation, rescue, a fixture) keeps it
-- exact without having to remember it.
CREATE TABLE leverancier_slots (
    leverancier_id text PRIMARY KEY REFERENCES leveranciers (id) ON DELETE CASCADE,
    bezet integer NOT NULL DEFAULT 0 CHECK (bezet >= 0)
);

INSERT INTO leverancier_slots (leverancier_id, bezet)
SELECT s.id, (SELECT count(*) FROM leveringen l WHERE l.leverancier_id = s.id AND l.status = 'bezig') FROM leveranciers s;

CREATE FUNCTION leverancier_slot_nieuw() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO leverancier_slots (leverancier_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER leverancier_slot_nieuw AFTER INSERT ON leveranciers FOR EACH ROW EXECUTE FUNCTION leverancier_slot_nieuw();

CREATE FUNCTION leverancier_slots_bij() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'bezig' THEN
        UPDATE leverancier_slots SET bezet = bezet - 1 WHERE leverancier_id = OLD.leverancier_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status = 'bezig' THEN
        UPDATE leverancier_slots SET bezet = bezet + 1 WHERE leverancier_id = NEW.leverancier_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER leverancier_slots_insert AFTER INSERT ON leveringen
    FOR EACH ROW WHEN (NEW.status = 'bezig') EXECUTE FUNCTION leverancier_slots_bij();
CREATE TRIGGER leverancier_slots_update AFTER UPDATE OF status, leverancier_id ON leveringen
    FOR EACH ROW WHEN ((OLD.status = 'bezig') <> (NEW.status = 'bezig') OR (OLD.status = 'bezig' AND OLD.leverancier_id <> NEW.leverancier_id))
    EXECUTE FUNCTION leverancier_slots_bij();
CREATE TRIGGER leverancier_slots_delete AFTER DELETE ON leveringen
    FOR EACH ROW WHEN (OLD.status = 'bezig') EXECUTE FUNCTION leverancier_slots_bij();

CREATE FUNCTION leverancier_slots_leeg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE leverancier_slots SET bezet = 0 WHERE bezet <> 0;
    RETURN NULL;
END
$$;

CREATE TRIGGER leverancier_slots_truncate AFTER TRUNCATE ON leveringen FOR EACH STATEMENT EXECUTE FUNCTION leverancier_slots_leeg();
