-- Each gemeente's last delivery of each stream (the status report, the dashboard, the CSVs show
-- VS and SHV side by side) is one index lookup per gemeente and stream, as the last delivery of
-- any stream was (0009): without it the report sorted every delivery of the history, 0.7 s at ten
-- times the benchmark's history. It replaces the index on the last delivery of any stream.
CREATE INDEX leveringen_laatste_stroom_idx
    ON leveringen (gemeente_code, stroom, (coalesce(afgerond_op, gestart_op, aangemaakt_op)) DESC)
    WHERE status <> 'gepland';
DROP INDEX leveringen_laatste_idx;
