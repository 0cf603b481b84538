-- The role the running service works as: ddas_regie_app. Migrations run as the owner of the
-- schema; the service logs in as a member of this role, or switches to it (SET ROLE) after
-- logging in as the owner (deploy/README.md, "Database roles"). It may read and change the
-- working tables, but the audit trail it may only read and append to: it cannot UPDATE,
-- DELETE or TRUNCATE events, nor ALTER the table or disable its triggers.
--
-- A correction to 0002: its triggers bind everyone, but not only a superuser can get past
-- them: the table's owner may disable them (ALTER TABLE ... DISABLE TRIGGER). Before this
-- migration the service worked as that owner. The owner and superusers still can, which is
-- why `ddas-regie audit verify` also remembers the last head it verified, outside the database.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ddas_regie_app') THEN
        CREATE ROLE ddas_regie_app NOLOGIN;
    END IF;
EXCEPTION
    WHEN duplicate_object OR unique_violation THEN
        NULL;  -- made at the same moment by the migration of another database in the cluster
    WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'the database role ddas_regie_app does not exist and % may not create it', current_user
            USING HINT = 'Have an administrator run CREATE ROLE ddas_regie_app NOLOGIN (deploy/README.md, "Database roles"), '
                'or migrate as a role with CREATEROLE.';
END
$$;

-- The owner may switch to the role (a service given one URL does). A superuser needs no
-- membership; an owner that may not grant it to itself gets it from an administrator.
DO $$
BEGIN
    IF NOT pg_has_role(current_user, 'ddas_regie_app', 'MEMBER') THEN
        EXECUTE format('GRANT ddas_regie_app TO %I', current_user);
    END IF;
EXCEPTION
    WHEN insufficient_privilege THEN
        RAISE NOTICE '% is not a member of ddas_regie_app: the service must log in as one (deploy/README.md)', current_user;
END
$$;

DO $$
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO ddas_regie_app', current_schema());
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO ddas_regie_app', current_schema());
    EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO ddas_regie_app', current_schema());
    -- Tables and sequences later migrations make (as this same owner) get the same.
    EXECUTE format(
        'ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ddas_regie_app', current_schema());
    EXECUTE format(
        'ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ddas_regie_app', current_schema());
END
$$;

-- The trail: read and append only. Migrations: read only (the readiness check).
REVOKE ALL ON audit_events FROM ddas_regie_app;
GRANT SELECT, INSERT ON audit_events TO ddas_regie_app;
REVOKE ALL ON schema_migrations FROM ddas_regie_app;
GRANT SELECT ON schema_migrations TO ddas_regie_app;
