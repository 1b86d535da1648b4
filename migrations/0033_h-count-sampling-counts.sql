CREATE TABLE "sampling_counts" (
	"agency_code" text NOT NULL,
	"matter_code" text NOT NULL,
	"mode" text NOT NULL,
	"year" smallint NOT NULL,
	"enterprise_code" text NOT NULL,
	"visits" integer NOT NULL,
	CONSTRAINT "sampling_counts_pkey" PRIMARY KEY("agency_code","matter_code","mode","year","enterprise_code")
);
--> statement-breakpoint
CREATE TABLE "sampling_populations" (
	"district_code" text PRIMARY KEY NOT NULL,
	"in_scope" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sampling_totals" (
	"agency_code" text NOT NULL,
	"matter_code" text NOT NULL,
	"mode" text NOT NULL,
	"year" smallint NOT NULL,
	"enterprises" integer NOT NULL,
	CONSTRAINT "sampling_totals_pkey" PRIMARY KEY("agency_code","matter_code","mode","year")
);

--> statement-breakpoint
-- The sampling-ratio counts (src/db/schema/sampling-counts.ts) follow every write to inspections, in its own
-- transaction, whichever code path made it. Counted as src/plans/coverage-facts.ts counts: routine inspections
-- in the states of COUNTED_STATES (src/frequency/facts.ts; test/integration/sampling-counts.test.ts checks the
-- list here against it), once per distinct matter of the row, by the year of its counted date. Matters are taken
-- in order so two transactions touching the same rows lock them in the same order.
CREATE OR REPLACE FUNCTION sampling_counts_apply(r inspections, delta integer) RETURNS void AS $$
DECLARE
  m text;
  n integer;
  y smallint := extract(year FROM r.counted_date)::smallint;
BEGIN
  FOR m IN SELECT DISTINCT x FROM unnest(r.matter_codes) AS x ORDER BY x LOOP
    IF delta > 0 THEN
      INSERT INTO sampling_counts AS c (agency_code, matter_code, mode, year, enterprise_code, visits)
        VALUES (r.agency_code, m, r.mode, y, r.enterprise_code, 1)
        ON CONFLICT (agency_code, matter_code, mode, year, enterprise_code) DO UPDATE SET visits = c.visits + 1
        RETURNING c.visits INTO n;
      IF n = 1 THEN
        INSERT INTO sampling_totals AS t (agency_code, matter_code, mode, year, enterprises)
          VALUES (r.agency_code, m, r.mode, y, 1)
          ON CONFLICT (agency_code, matter_code, mode, year) DO UPDATE SET enterprises = t.enterprises + 1;
      END IF;
    ELSE
      UPDATE sampling_counts SET visits = visits - 1
        WHERE agency_code = r.agency_code AND matter_code = m AND mode = r.mode AND year = y AND enterprise_code = r.enterprise_code
        RETURNING visits INTO n;
      IF n = 0 THEN
        UPDATE sampling_totals SET enterprises = enterprises - 1
          WHERE agency_code = r.agency_code AND matter_code = m AND mode = r.mode AND year = y;
      END IF;
    END IF;
  END LOOP;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sampling_counts_counted(r inspections) RETURNS boolean AS $$
  SELECT r.kind = 'routine' AND r.state IN ('code_issued', 'in_progress', 'findings_recorded', 'result_notified', 'closed', 'archived', 'recorded');
$$ LANGUAGE sql IMMUTABLE;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sampling_counts_keep() RETURNS trigger AS $$
DECLARE
  was boolean := TG_OP <> 'INSERT' AND sampling_counts_counted(OLD);
  is_now boolean := TG_OP <> 'DELETE' AND sampling_counts_counted(NEW);
BEGIN
  -- Most updates (a scan, findings, closing) keep a counted row counted under the same key: nothing moves.
  IF was AND is_now AND OLD.agency_code = NEW.agency_code AND OLD.enterprise_code = NEW.enterprise_code AND OLD.mode = NEW.mode
     AND OLD.matter_codes = NEW.matter_codes AND extract(year FROM OLD.counted_date) = extract(year FROM NEW.counted_date) THEN
    RETURN NULL;
  END IF;
  IF was THEN PERFORM sampling_counts_apply(OLD, -1); END IF;
  IF is_now THEN PERFORM sampling_counts_apply(NEW, 1); END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER inspections_sampling_counts AFTER INSERT OR DELETE OR UPDATE OF state, kind, mode, agency_code, enterprise_code, matter_codes, counted_date
  ON inspections FOR EACH ROW EXECUTE FUNCTION sampling_counts_keep();
--> statement-breakpoint
-- The populations follow every write to enterprises the same way: an enterprise counts in its district while
-- its scope is not out_of_scope (src/plans/coverage-facts.ts).
CREATE OR REPLACE FUNCTION sampling_populations_keep() RETURNS trigger AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.scope <> 'out_of_scope' THEN
    UPDATE sampling_populations SET in_scope = in_scope - 1 WHERE district_code = OLD.district_code;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.scope <> 'out_of_scope' THEN
    INSERT INTO sampling_populations AS p (district_code, in_scope) VALUES (NEW.district_code, 1)
      ON CONFLICT (district_code) DO UPDATE SET in_scope = p.in_scope + 1;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER enterprises_sampling_populations AFTER INSERT OR DELETE OR UPDATE OF district_code, scope
  ON enterprises FOR EACH ROW EXECUTE FUNCTION sampling_populations_keep();
--> statement-breakpoint
-- Rebuilt from the rows: the backfill below, and seed:scale after a COPY with the triggers disabled (one pass over
-- inspections and one over enterprises; at 10 M inspections about two minutes).
CREATE OR REPLACE FUNCTION sampling_counts_rebuild() RETURNS void AS $$
BEGIN
  DELETE FROM sampling_counts;
  DELETE FROM sampling_totals;
  INSERT INTO sampling_counts (agency_code, matter_code, mode, year, enterprise_code, visits)
    SELECT i.agency_code, m.code, i.mode, extract(year FROM i.counted_date)::smallint, i.enterprise_code, count(*)
      FROM inspections i CROSS JOIN LATERAL (SELECT DISTINCT x AS code FROM unnest(i.matter_codes) AS x) m
     WHERE sampling_counts_counted(i)
     GROUP BY 1, 2, 3, 4, 5;
  INSERT INTO sampling_totals (agency_code, matter_code, mode, year, enterprises)
    SELECT agency_code, matter_code, mode, year, count(*) FROM sampling_counts WHERE visits > 0 GROUP BY 1, 2, 3, 4;
  DELETE FROM sampling_populations;
  INSERT INTO sampling_populations (district_code, in_scope)
    SELECT district_code, count(*) FROM enterprises WHERE scope <> 'out_of_scope' GROUP BY 1;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
SELECT sampling_counts_rebuild();
