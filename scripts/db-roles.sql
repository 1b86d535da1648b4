-- The two database roles of docs/AUDIT.md, created idempotently. Run once as a superuser, e.g.
--   psql "$SUPERUSER_URL" -v owner_pw="'…'" -v app_pw="'…'" -f scripts/db-roles.sql
-- then CREATE DATABASE wh327 OWNER wh327_owner; and start the application with
--   DATABASE_OWNER_URL=postgres://wh327_owner:…@host/wh327  DATABASE_URL=postgres://wh327_app:…@host/wh327
-- The application's role owns nothing and is never a superuser; the grants are applied by the migration step.
SELECT set_config('wh327.owner_pw', :owner_pw, false), set_config('wh327.app_pw', :app_pw, false);
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wh327_owner') THEN
    EXECUTE format('CREATE ROLE wh327_owner LOGIN PASSWORD %L', current_setting('wh327.owner_pw'));
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wh327_app') THEN
    EXECUTE format('CREATE ROLE wh327_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', current_setting('wh327.app_pw'));
  END IF;
END $$;
