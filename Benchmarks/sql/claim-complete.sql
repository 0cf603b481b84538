-- The limit of the queue case: one no-op delivery claimed and completed with the engine's own
-- SQL (LeveringQueue.claimSQL, the variant that waits for the supplier's slot row, with a batch
-- of 1; then LeveringQueue.handOver: its check and its end statement in one transaction), run
-- by pgbench with -M prepared; no client code in between. One pgbench transaction = one
-- delivery. The engine first tries the claim skipping slot rows other claims hold and waits
-- only when that found nothing; pgbench cannot branch on an empty result, so it always waits.
WITH slots AS (
    SELECT s.leverancier_id, s.bezet FROM leverancier_slots s
    WHERE s.bezet < 10000
      AND EXISTS (SELECT 1 FROM leveringen l WHERE l.leverancier_id = s.leverancier_id
                                              AND l.status IN ('gepland', 'mislukt') AND l.volgende_poging_op <= now())
    ORDER BY s.leverancier_id
    FOR UPDATE OF s
), vooraf AS (
    SELECT k.* FROM slots s
    CROSS JOIN LATERAL (
        SELECT l.id, l.stroom, l.status, l.pogingen, l.max_pogingen, l.lease_eigenaar, l.lease_tot, l.volgende_poging_op, l.gestart_op,
                   l.afgerond_op, l.laatste_fout_klasse, l.laatste_fout FROM leveringen l
        WHERE l.leverancier_id = s.leverancier_id AND l.status IN ('gepland', 'mislukt') AND l.volgende_poging_op <= now()
          AND EXISTS (SELECT 1 FROM toestemmingen t
                      JOIN gemeente_leveranciers a ON a.gemeente_code = t.gemeente_code AND a.stroom = t.stroom
                           AND a.leverancier_id = t.leverancier_id AND a.tot IS NULL
                      WHERE t.gemeente_code = l.gemeente_code AND t.leverancier_id = l.leverancier_id
                        AND t.stroom = l.stroom AND toestemming_actief(t, (now() AT TIME ZONE 'Europe/Amsterdam')::date))
        ORDER BY l.volgende_poging_op, l.id
        LIMIT least(1, greatest(0, 10000 - s.bezet))
        FOR UPDATE OF l SKIP LOCKED
    ) k
    ORDER BY k.volgende_poging_op, k.id
    LIMIT 1
), geclaimd AS (
    UPDATE leveringen l SET status = 'bezig', pogingen = l.pogingen + 1, lease_eigenaar = 'pgbench-' || :client_id::text,
                            lease_tot = now() + interval '300 seconds', gestart_op = coalesce(l.gestart_op, now())
    FROM vooraf v WHERE l.id = v.id
    RETURNING l.id, l.gemeente_code, l.leverancier_id, l.periode, l.periode_start, l.periode_eind, l.doel, l.pogingen
), pogingen AS (
    INSERT INTO levering_pogingen (levering_id, poging, gestart_op) SELECT id, pogingen, now() FROM geclaimd
)
SELECT v.id AS levering, g.gemeente_code, g.leverancier_id, g.periode, g.periode_start, g.periode_eind, g.doel, g.pogingen AS poging,
       (SELECT a.organisatienaam FROM gemeente_leveranciers a
        WHERE a.gemeente_code = g.gemeente_code AND a.stroom = v.stroom AND a.leverancier_id = g.leverancier_id
          AND a.tot IS NULL) AS organisatienaam
FROM geclaimd g JOIN vooraf v ON v.id = g.id \gset
BEGIN;
WITH levering AS (
    SELECT id, stroom, status, pogingen, max_pogingen, lease_eigenaar, lease_tot, volgende_poging_op, gestart_op, afgerond_op,
           laatste_fout_klasse, laatste_fout, gemeente_code, leverancier_id FROM leveringen
    WHERE id = :levering AND status = 'bezig' AND lease_eigenaar = 'pgbench-' || :client_id::text
    FOR UPDATE
), gemeente AS (
    SELECT g.code FROM gemeenten g JOIN levering l ON g.code = l.gemeente_code FOR UPDATE OF g
), toestemming AS (
    SELECT t.id FROM toestemmingen t
    JOIN gemeente_leveranciers a ON a.gemeente_code = t.gemeente_code AND a.stroom = t.stroom
         AND a.leverancier_id = t.leverancier_id AND a.tot IS NULL
    JOIN levering l ON t.gemeente_code = l.gemeente_code AND t.leverancier_id = l.leverancier_id AND t.stroom = l.stroom
    WHERE toestemming_actief(t, (now() AT TIME ZONE 'Europe/Amsterdam')::date)
    FOR SHARE OF t, a
)
SELECT l.pogingen AS pogingen, l.max_pogingen, l.gestart_op, (SELECT count(*) FROM gemeente) AS gemeenten,
       (SELECT count(*) FROM toestemming) AS toestemmingen FROM levering l \gset
WITH levering AS (
    UPDATE leveringen SET status = 'geslaagd', pogingen = :pogingen, max_pogingen = :max_pogingen, lease_eigenaar = NULL, lease_tot = NULL,
                          volgende_poging_op = volgende_poging_op, gestart_op = :gestart_op, afgerond_op = now()
    WHERE id = :levering
), poging AS (
    UPDATE levering_pogingen SET afgerond_op = now(), http_status = 200, fout_klasse = NULL, paginas = 0, records = 0, bytes = 0,
                                 ondertekening = NULL
    WHERE levering_id = :levering AND poging = :pogingen
)
SELECT 1;
COMMIT;
