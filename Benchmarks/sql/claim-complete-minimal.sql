-- The least work a queue can do per delivery, the second limit of the queue case: one
-- statement claims up to :batch due deliveries (FOR UPDATE SKIP LOCKED, status and lease set),
-- one statement completes them; no consent gate, no per-supplier limit, no attempt records,
-- no hand-over check. Run by pgbench with -M prepared and -D batch=1 or 16; one pgbench
-- transaction = one batch. The rows are chosen in a CTE, so that only the rows it locked are
-- updated (with `WHERE id IN (subquery)` the planner may lock again, without skipping, and
-- concurrent clients then wait for each other).
WITH gekozen AS (
    SELECT id FROM leveringen WHERE status IN ('gepland', 'mislukt') AND volgende_poging_op <= now()
    ORDER BY volgende_poging_op, id LIMIT :batch FOR UPDATE SKIP LOCKED
)
UPDATE leveringen l SET status = 'bezig', pogingen = l.pogingen + 1, lease_eigenaar = 'pgbench-' || :client_id::text,
                        lease_tot = now() + interval '300 seconds'
FROM gekozen g WHERE l.id = g.id;
UPDATE leveringen SET status = 'geslaagd', lease_eigenaar = NULL, lease_tot = NULL, afgerond_op = now()
WHERE status = 'bezig' AND lease_eigenaar = 'pgbench-' || :client_id::text;
