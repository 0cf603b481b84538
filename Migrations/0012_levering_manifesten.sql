-- The manifest of each delivery that was handed over, kept until the CBS sink confirmed it.
--
-- A hand-over has three steps: the pages go to the sink's staging area (outside any
-- transaction: CBS counts nothing without a manifest), one short transaction re-checks
-- consent and records the hand-over with this row, and then the sink's commit step sends the
-- manifest. That commit is the moment of hand-over: a revocation committed before it is seen
-- and discards the staged pages; once it committed, the manifest follows, sent again by the
-- worker until the sink confirms it (`bevestigd_op`), even after a crash. Counts, checksums
-- and codes only, as the manifest itself: no personal data.
CREATE TABLE levering_manifesten (
    levering_id uuid PRIMARY KEY REFERENCES leveringen (id) ON DELETE CASCADE,
    manifest bytea NOT NULL,
    vastgelegd_op timestamptz NOT NULL,
    bevestigd_op timestamptz
);

-- The worker's search for manifests the sink has not confirmed yet.
CREATE INDEX levering_manifesten_onbevestigd ON levering_manifesten (vastgelegd_op) WHERE bevestigd_op IS NULL;
