-- "This consent is active on day d", in one place: not revoked, and d inside its validity
-- window (geldig_van and geldig_tot both inclusive). Every query that asks calls it with the
-- row (`toestemming_actief(t, $1)`); the Swift rule is ToestemmingRecord.isActive(on:), and a
-- test holds the two to each other. A single SQL expression, so the planner inlines it into
-- the query and the conditions on the columns still use their indexes.
CREATE FUNCTION toestemming_actief(t toestemmingen, dag date) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT t.ingetrokken_op IS NULL AND t.geldig_van <= dag AND (t.geldig_tot IS NULL OR t.geldig_tot >= dag)
$$;
