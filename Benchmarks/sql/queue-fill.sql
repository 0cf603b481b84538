-- Queues :n no-op deliveries for the pgbench limit (each gemeente's current VS supplier ×
-- consecutive months, as re-deliveries so they never collide with the history), after
-- removing the previous round's. Run with psql -v n=20000.
DELETE FROM levering_pogingen p USING leveringen l WHERE l.id = p.levering_id AND l.doel = 'herlevering';
DELETE FROM levering_paginas p USING leveringen l WHERE l.id = p.levering_id AND l.doel = 'herlevering';
DELETE FROM op_orde_rapporten p USING leveringen l WHERE l.id = p.levering_id AND l.doel = 'herlevering';
DELETE FROM leveringen WHERE doel = 'herlevering';
INSERT INTO leveringen (id, gemeente_code, leverancier_id, stroom, periode, periode_start, periode_eind, doel, max_pogingen,
                        volgende_poging_op)
SELECT gen_random_uuid(), a.gemeente_code, a.leverancier_id, 'VS', to_char(make_date(2000 + m / 12, m % 12 + 1, 1), 'YYYY-MM'),
       make_date(2000 + m / 12, m % 12 + 1, 1), make_date(2000 + m / 12, m % 12 + 1, 28), 'herlevering', 1, now() - interval '60 seconds'
FROM generate_series(0, 1199) AS m
CROSS JOIN (SELECT gemeente_code, leverancier_id FROM gemeente_leveranciers WHERE stroom = 'VS' AND tot IS NULL) AS a
ORDER BY m, a.gemeente_code
LIMIT :n;
VACUUM ANALYZE leveringen;
VACUUM ANALYZE levering_pogingen;
