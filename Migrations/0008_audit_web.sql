-- The web pages (a gemeente's forms) are an origin of their own in the audit trail, beside the
-- API, the command line and the service itself.
ALTER TABLE audit_events DROP CONSTRAINT audit_events_origin_check;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_origin_check CHECK (origin IN ('api', 'cli', 'system', 'web'));
