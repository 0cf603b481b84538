-- The read paths: full indexes for the lookups of one gemeente, and a data version for the
-- reports (voortgang, the CSVs).
--
-- A gemeente's consent records and supplier assignments, all of them (the older indexes are
-- partial: open records and current assignments only).
CREATE INDEX toestemmingen_gemeente_idx ON toestemmingen (gemeente_code, vastgelegd_op DESC, stroom);
CREATE INDEX gemeente_leveranciers_gemeente_idx ON gemeente_leveranciers (gemeente_code, stroom, van);

-- The data version of the reports: sum(versie) over the shards, read in the same snapshot as
-- a report's data, so a report cached under a version is exactly that version's report. Every
-- transaction that changes what the reports show bumps one shard, once, chosen by its
-- transaction id: concurrent writers update different rows (nothing every write updates, so
-- their commits are not serialised), and a transaction never holds two shard locks (no
-- deadlocks). The versions only grow, so an equal sum means no change in between.
CREATE TABLE data_versies (
    shard smallint PRIMARY KEY CHECK (shard BETWEEN 0 AND 63),
    versie bigint NOT NULL DEFAULT 0
);
INSERT INTO data_versies (shard) SELECT generate_series(0, 63);

CREATE FUNCTION data_versie_verhogen() RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    xact bigint := txid_current();
BEGIN
    -- Once per transaction is enough: the setting is local to the transaction (and undone
    -- with a rolled-back savepoint, together with the update).
    IF current_setting('ddas.data_versie_xact', true) IS DISTINCT FROM xact::text THEN
        UPDATE data_versies SET versie = versie + 1 WHERE shard = xact % 64;
        PERFORM set_config('ddas.data_versie_xact', xact::text, true);
    END IF;
END
$$;

-- Tables every change of which the reports may show: one bump per statement at most.
CREATE FUNCTION data_versie_trigger() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM data_versie_verhogen();
    RETURN NULL;
END
$$;

CREATE TRIGGER gemeenten_data_versie AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON gemeenten
    FOR EACH STATEMENT EXECUTE FUNCTION data_versie_trigger();
CREATE TRIGGER gemeente_leveranciers_data_versie AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON gemeente_leveranciers
    FOR EACH STATEMENT EXECUTE FUNCTION data_versie_trigger();
CREATE TRIGGER toestemmingen_data_versie AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON toestemmingen
    FOR EACH STATEMENT EXECUTE FUNCTION data_versie_trigger();
CREATE TRIGGER leveranciers_data_versie AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON leveranciers
    FOR EACH STATEMENT EXECUTE FUNCTION data_versie_trigger();
CREATE TRIGGER leverancier_diensten_data_versie AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON leverancier_diensten
    FOR EACH STATEMENT EXECUTE FUNCTION data_versie_trigger();

-- The phase moves the reports fold (when a gemeente reached a phase): only those events.
CREATE TRIGGER audit_events_data_versie AFTER INSERT ON audit_events
    FOR EACH ROW WHEN (NEW.action = 'gemeente.fase') EXECUTE FUNCTION data_versie_trigger();

-- Deliveries are the queue's hot path: a claim or a lease renewal that changes no column a
-- report shows must not write here, and a statement that touched no row (an idle poll) must
-- not either. Statement triggers with transition tables look at the rows once per statement.
CREATE FUNCTION leveringen_data_versie() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF EXISTS (
            SELECT 1 FROM oud o JOIN nieuw n ON n.id = o.id
            WHERE (o.status, o.stroom, o.periode, o.periode_eind, o.gemeente_code, o.laatste_fout_klasse, o.laatste_fout,
                   o.afgerond_op, o.gestart_op, o.aangemaakt_op, o.volgende_poging_op)
                IS DISTINCT FROM
                  (n.status, n.stroom, n.periode, n.periode_eind, n.gemeente_code, n.laatste_fout_klasse, n.laatste_fout,
                   n.afgerond_op, n.gestart_op, n.aangemaakt_op, n.volgende_poging_op)
        ) THEN
            PERFORM data_versie_verhogen();
        END IF;
    ELSIF TG_OP = 'INSERT' THEN
        IF EXISTS (SELECT 1 FROM nieuw) THEN PERFORM data_versie_verhogen(); END IF;
    ELSIF TG_OP = 'DELETE' THEN
        IF EXISTS (SELECT 1 FROM oud) THEN PERFORM data_versie_verhogen(); END IF;
    ELSE
        PERFORM data_versie_verhogen();
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER leveringen_data_versie_update AFTER UPDATE ON leveringen
    REFERENCING OLD TABLE AS oud NEW TABLE AS nieuw FOR EACH STATEMENT EXECUTE FUNCTION leveringen_data_versie();
CREATE TRIGGER leveringen_data_versie_insert AFTER INSERT ON leveringen
    REFERENCING NEW TABLE AS nieuw FOR EACH STATEMENT EXECUTE FUNCTION leveringen_data_versie();
CREATE TRIGGER leveringen_data_versie_delete AFTER DELETE ON leveringen
    REFERENCING OLD TABLE AS oud FOR EACH STATEMENT EXECUTE FUNCTION leveringen_data_versie();
CREATE TRIGGER leveringen_data_versie_truncate AFTER TRUNCATE ON leveringen
    FOR EACH STATEMENT EXECUTE FUNCTION leveringen_data_versie();

-- The reports ask, per gemeente and phase, for the first and the last move into it: only the
-- `gemeente.fase` events, a small part of a trail that grows with every change and refusal.
CREATE INDEX audit_events_fase_idx ON audit_events (object_id, seq) WHERE action = 'gemeente.fase' AND object_type = 'gemeente';
