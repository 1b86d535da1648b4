-- Every change of an inspection code's state (revoked, closed) is announced on a channel, delivered when
-- the changing transaction commits. Each API instance LISTENs and drops its cached public-check entry,
-- so a revocation is visible at once on every instance, whichever code path made it.
CREATE OR REPLACE FUNCTION inspection_code_changed() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('wh327_code_changed', NEW.code);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER inspection_codes_notify AFTER UPDATE ON inspection_codes
  FOR EACH ROW EXECUTE FUNCTION inspection_code_changed();
