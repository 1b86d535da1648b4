CREATE TABLE "dashboard_counts" (
	"agency_code" text NOT NULL,
	"counted_date" date NOT NULL,
	"kind" text NOT NULL,
	"mode" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"inspections" integer NOT NULL,
	"coded" integer NOT NULL,
	"scanned" integer NOT NULL,
	CONSTRAINT "dashboard_counts_pkey" PRIMARY KEY("agency_code","counted_date","kind","mode","window_start")
);
--> statement-breakpoint
-- The dashboard counts (src/db/schema/dashboard-counts.ts) follow every write to inspections, inspection_codes and
-- code_scans, in its own transaction. Counted as src/supervision/dashboard.ts counts: inspections in the states of
-- CARRIED_OUT and under the Order (src/visits/order-scope.ts); test/integration/dashboard-summary.test.ts checks
-- the lists here against those and every card against the rows.
CREATE OR REPLACE FUNCTION dashboard_counts_counted(r inspections) RETURNS boolean AS $$
  SELECT r.state IN ('code_issued', 'in_progress', 'findings_recorded', 'result_notified', 'closed', 'archived', 'recorded')
     AND r.excluded_relation IS NULL AND r.entity_scope <> 'out_of_scope';
$$ LANGUAGE sql IMMUTABLE;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION dashboard_counts_add(r inspections, d_inspections integer, d_coded integer, d_scanned integer) RETURNS void AS $$
  INSERT INTO dashboard_counts AS c (agency_code, counted_date, kind, mode, window_start, inspections, coded, scanned)
    VALUES (r.agency_code, r.counted_date, r.kind, r.mode, r.window_start, d_inspections, d_coded, d_scanned)
    ON CONFLICT (agency_code, counted_date, kind, mode, window_start) DO UPDATE
      SET inspections = c.inspections + d_inspections, coded = c.coded + d_coded, scanned = c.scanned + d_scanned;
$$ LANGUAGE sql;
--> statement-breakpoint
-- One inspection's whole weight (one code at most: inspection_codes_inspection_uq), read from its code and scans.
-- A code written by the same command as the row's current version (issuance writes the code and moves the row in
-- one statement, src/visits/commands/issue-code.ts) is counted by the code's own trigger, which sees the row
-- counted too: both triggers fire after the statement and see its final state, so counting it here as well
-- would count it twice.
CREATE OR REPLACE FUNCTION dashboard_counts_apply(r inspections, sign integer) RETURNS void AS $$
DECLARE
  c text;
  same_command boolean := false;
  s integer := 0;
BEGIN
  IF NOT dashboard_counts_counted(r) THEN RETURN; END IF;
  SELECT k.code, (k.xmin = i.xmin AND k.cmin = i.cmin) INTO c, same_command
    FROM inspection_codes k JOIN inspections i ON i.id = k.inspection_id WHERE k.inspection_id = r.id;
  IF sign > 0 AND same_command THEN PERFORM dashboard_counts_add(r, 1, 0, 0); RETURN; END IF;
  IF c IS NOT NULL AND EXISTS (SELECT 1 FROM code_scans WHERE code = c AND accepted) THEN s := 1; END IF;
  PERFORM dashboard_counts_add(r, sign, sign * (c IS NOT NULL)::integer, sign * s);
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION dashboard_counts_keep_inspections() RETURNS trigger AS $$
DECLARE
  was boolean := TG_OP <> 'INSERT' AND dashboard_counts_counted(OLD);
  is_now boolean := TG_OP <> 'DELETE' AND dashboard_counts_counted(NEW);
BEGIN
  -- Most updates (a scan, findings, closing) keep a counted row counted under the same key: nothing moves.
  IF was AND is_now AND OLD.agency_code = NEW.agency_code AND OLD.counted_date = NEW.counted_date AND OLD.kind = NEW.kind
     AND OLD.mode = NEW.mode AND OLD.window_start = NEW.window_start THEN
    RETURN NULL;
  END IF;
  IF was THEN PERFORM dashboard_counts_apply(OLD, -1); END IF;
  IF is_now THEN PERFORM dashboard_counts_apply(NEW, 1); END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER inspections_dashboard_counts AFTER INSERT OR DELETE OR UPDATE OF state, kind, mode, agency_code, counted_date, window_start, excluded_relation, entity_scope
  ON inspections FOR EACH ROW EXECUTE FUNCTION dashboard_counts_keep_inspections();
--> statement-breakpoint
-- A code joins or leaves a counted inspection: its code and, if already scanned, its scan move with it.
CREATE OR REPLACE FUNCTION dashboard_counts_keep_codes() RETURNS trigger AS $$
DECLARE
  r inspections;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    SELECT * INTO r FROM inspections WHERE id = OLD.inspection_id;
    IF FOUND AND dashboard_counts_counted(r) THEN
      PERFORM dashboard_counts_add(r, 0, -1, -(EXISTS (SELECT 1 FROM code_scans WHERE code = OLD.code AND accepted))::integer);
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    SELECT * INTO r FROM inspections WHERE id = NEW.inspection_id;
    IF FOUND AND dashboard_counts_counted(r) THEN
      PERFORM dashboard_counts_add(r, 0, 1, (EXISTS (SELECT 1 FROM code_scans WHERE code = NEW.code AND accepted))::integer);
    END IF;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER inspection_codes_dashboard_counts AFTER INSERT OR DELETE OR UPDATE OF code, inspection_id
  ON inspection_codes FOR EACH ROW EXECUTE FUNCTION dashboard_counts_keep_codes();
--> statement-breakpoint
-- A code counts as scanned from its first accepted scan until its last is gone. Two first scans of one code in
-- concurrent transactions must not both count it: the code's advisory lock (held to commit) orders them, and the
-- second then sees the first's row (read committed: a new snapshot per statement).
CREATE OR REPLACE FUNCTION dashboard_counts_scan_moved(scan_code text, sign integer) RETURNS void AS $$
DECLARE
  r inspections;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('dashboard_counts:' || scan_code, 0));
  -- Another accepted scan of the code (the changed row is already in, or already gone): the code's state is unchanged.
  IF (SELECT count(*) FROM code_scans WHERE code = scan_code AND accepted) <> (CASE WHEN sign > 0 THEN 1 ELSE 0 END) THEN RETURN; END IF;
  SELECT i.* INTO r FROM inspections i JOIN inspection_codes c ON c.inspection_id = i.id WHERE c.code = scan_code;
  IF FOUND AND dashboard_counts_counted(r) THEN PERFORM dashboard_counts_add(r, 0, 0, sign); END IF;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION dashboard_counts_keep_scans() RETURNS trigger AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.accepted AND (TG_OP = 'DELETE' OR NOT NEW.accepted OR NEW.code <> OLD.code) THEN
    PERFORM dashboard_counts_scan_moved(OLD.code, -1);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.accepted AND (TG_OP = 'INSERT' OR NOT OLD.accepted OR NEW.code <> OLD.code) THEN
    PERFORM dashboard_counts_scan_moved(NEW.code, 1);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER code_scans_dashboard_counts AFTER INSERT OR DELETE OR UPDATE OF code, accepted
  ON code_scans FOR EACH ROW EXECUTE FUNCTION dashboard_counts_keep_scans();
--> statement-breakpoint
-- Rebuilt from the rows: the backfill below, and after a bulk load with the triggers disabled (seed:scale).
CREATE OR REPLACE FUNCTION dashboard_counts_rebuild() RETURNS void AS $$
BEGIN
  DELETE FROM dashboard_counts;
  INSERT INTO dashboard_counts (agency_code, counted_date, kind, mode, window_start, inspections, coded, scanned)
    SELECT i.agency_code, i.counted_date, i.kind, i.mode, i.window_start, count(*), count(c.code),
           count(c.code) FILTER (WHERE EXISTS (SELECT 1 FROM code_scans s WHERE s.code = c.code AND s.accepted))
      FROM inspections i LEFT JOIN inspection_codes c ON c.inspection_id = i.id
     WHERE dashboard_counts_counted(i)
     GROUP BY 1, 2, 3, 4, 5;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
SELECT dashboard_counts_rebuild();
