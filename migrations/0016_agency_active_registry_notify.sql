ALTER TABLE "agencies" ADD COLUMN "active" boolean DEFAULT true NOT NULL;--> statement-breakpoint
-- Every change to the rows a caller's token is resolved against (agencies, enterprises, districts) is
-- announced at commit; each API instance drops its cached principals (src/auth/directory.ts), so a
-- deactivated agency or a re-districted bureau loses its reach on every instance at once.
CREATE OR REPLACE FUNCTION registry_principal_changed() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('wh327_registry_changed', TG_TABLE_NAME);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER agencies_registry_notify AFTER INSERT OR UPDATE OR DELETE ON agencies
  FOR EACH STATEMENT EXECUTE FUNCTION registry_principal_changed();
--> statement-breakpoint
CREATE TRIGGER enterprises_registry_notify AFTER INSERT OR UPDATE OR DELETE ON enterprises
  FOR EACH STATEMENT EXECUTE FUNCTION registry_principal_changed();
--> statement-breakpoint
CREATE TRIGGER districts_registry_notify AFTER INSERT OR UPDATE OR DELETE ON districts
  FOR EACH STATEMENT EXECUTE FUNCTION registry_principal_changed();
