-- The limit of the queue case: one no-op delivery claimed and completed with the engine's own
-- SQL (LeveringQueue.claim with a batch of 1, then LeveringQueue.handOver), run by pgbench
-- with -M prepared; no client code in between. One pgbench transaction = one delivery.
BEGIN;
SELECT pg_advisory_xact_lock(4221342000004);
WITH kandidaten AS (
    SELECT k.id, k.volgende_poging_op FROM leveranciers s
    CROSS JOIN LATERAL (
        SELECT l.id, l.volgende_poging_op FROM leveringen l
        WHERE l.leverancier_id = s.id AND l.status IN ('gepland', 'mislukt') AND l.volgende_poging_op <= now()
          AND EXISTS (SELECT 1 FROM toestemmingen t
                      JOIN gemeente_leveranciers a ON a.gemeente_code = t.gemeente_code AND a.stroom = t.stroom
                           AND a.leverancier_id = t.leverancier_id AND a.tot IS NULL
                      WHERE t.gemeente_code = l.gemeente_code AND t.leverancier_id = l.leverancier_id
                        AND t.stroom = l.stroom AND toestemming_actief(t, (now() AT TIME ZONE 'Europe/Amsterdam')::date))
        ORDER BY l.volgende_poging_op, l.id
        LIMIT least(1, greatest(0, 10000 - (SELECT count(*) FROM leveringen b WHERE b.status = 'bezig' AND b.leverancier_id = s.id)))
    ) k
    ORDER BY k.volgende_poging_op, k.id
    LIMIT 1
), geclaimd AS (
    SELECT l.id FROM leveringen l JOIN kandidaten k ON k.id = l.id
    WHERE l.status IN ('gepland', 'mislukt')
    FOR UPDATE OF l SKIP LOCKED
)
UPDATE leveringen l SET status = 'bezig', pogingen = l.pogingen + 1, lease_eigenaar = 'pgbench-' || :client_id::text,
                        lease_tot = now() + interval '300 seconds', gestart_op = coalesce(l.gestart_op, now())
FROM geclaimd g WHERE l.id = g.id
RETURNING l.id AS levering, l.gemeente_code, l.leverancier_id, l.stroom, l.periode, l.periode_start, l.periode_eind, l.doel,
          l.pogingen AS poging, l.lease_tot,
          (SELECT a.organisatienaam FROM gemeente_leveranciers a
           WHERE a.gemeente_code = l.gemeente_code AND a.stroom = l.stroom AND a.leverancier_id = l.leverancier_id
             AND a.tot IS NULL) AS organisatienaam \gset
INSERT INTO levering_pogingen (levering_id, poging, gestart_op) VALUES (:levering, :poging, now());
COMMIT;
BEGIN;
SELECT gemeente_code AS code, leverancier_id AS leverancier, stroom FROM leveringen
WHERE id = :levering AND status = 'bezig' AND lease_eigenaar = 'pgbench-' || :client_id::text FOR UPDATE \gset
SELECT t.id FROM toestemmingen t
JOIN gemeente_leveranciers a ON a.gemeente_code = t.gemeente_code AND a.stroom = t.stroom
     AND a.leverancier_id = t.leverancier_id AND a.tot IS NULL
WHERE t.gemeente_code = :code AND t.leverancier_id = :leverancier AND t.stroom = :stroom
  AND toestemming_actief(t, (now() AT TIME ZONE 'Europe/Amsterdam')::date)
FOR SHARE OF t, a;
UPDATE leveringen SET status = 'geslaagd', lease_eigenaar = NULL, lease_tot = NULL, afgerond_op = now(),
                      laatste_fout_klasse = NULL, laatste_fout = NULL
WHERE id = :levering AND status = 'bezig' AND lease_eigenaar = 'pgbench-' || :client_id::text
RETURNING pogingen \gset
UPDATE levering_pogingen SET afgerond_op = now(), http_status = 200, fout_klasse = NULL, paginas = 0, records = 0, bytes = 0
WHERE levering_id = :levering AND poging = :pogingen;
COMMIT;
