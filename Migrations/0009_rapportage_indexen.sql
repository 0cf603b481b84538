-- The status report stays fast as the history grows (measured by `ddas-regie-bench rapportage`):
-- each gemeente's last delivery and next queued one are one index lookup, the latest period of a
-- stream is read from the end of an index, and the phase moves are found without reading the
-- rest of the audit trail.
CREATE INDEX leveringen_laatste_idx ON leveringen (gemeente_code, (coalesce(afgerond_op, gestart_op, aangemaakt_op)) DESC)
    WHERE status <> 'gepland';
CREATE INDEX leveringen_volgende_idx ON leveringen (gemeente_code, volgende_poging_op) WHERE status IN ('gepland', 'mislukt');
CREATE INDEX leveringen_periode_idx ON leveringen (stroom, periode_eind);
CREATE INDEX audit_events_actie_idx ON audit_events (action, seq);
